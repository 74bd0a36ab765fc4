"""The live "rlhf" app, and the panels it shares with its chapter.

A policy pi over ten responses maximises E_pi[r] - beta D(pi||pi_ref): the
penalty is a reverse KL, expectation under the trained pi. Its optimum pi* is
drawn next to pi_ref and, for contrast, next to the optimum under the forward
penalty D(pi_ref||pi). Re-exported by :mod:`klbook.widgets` as ``rlhf_explorer``.
"""

import ipywidgets as W
import numpy as np

from . import _apps_rlhf as A
from . import explorers
# Importing the explorer module registers the app (its title and data builder).
from . import _explore_rlhf  # noqa: F401
from .i18n import widget_text as _t
from .plotting import PALETTE
from .plotting import style as use_style

__all__ = ["plot_frontier", "plot_policies", "rlhf_explorer"]

#: (attribute of RlhfState, palette role, legend label) for each bar series.
SERIES = (("ref", "p", "π_ref (reference)"),
          ("pi_star", "reverse", "π* = argmax E[r] − β D(π‖π_ref)"),
          ("pi_forward", "forward", "argmax E[r] − β D(π_ref‖π) (forward penalty)"))
_WIDTH = 0.27


def plot_policies(state, *, ax=None, legend=True, forward=True):
    """Grouped bars of pi_ref, pi* and (optionally) the forward-penalty optimum per response.

    Parameters
    ----------
    state : RlhfState
        From :func:`klbook._apps_rlhf.rlhf_state`.
    ax : matplotlib Axes, optional
    legend : bool
    forward : bool
        Also draw the optimum under the forward penalty D(pi_ref||pi).

    Returns
    -------
    dict
        ``{attribute: BarContainer}``, and ``"labels"``: the reward texts.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    series = SERIES if forward else SERIES[:2]
    x = np.arange(state.ref.size)
    offsets = np.linspace(-1, 1, len(series)) * _WIDTH * (len(series) - 1) / 2
    bars = {}
    for (attr, role, label), dx in zip(series, offsets):
        bars[attr] = ax.bar(x + dx, getattr(state, attr), width=_WIDTH, color=PALETTE[role],
                            label=label, linewidth=0)
    ax.set_xticks(x)
    ax.set_xlabel("response y (its reward r(y) above the bars)")
    ax.set_ylabel("probability")
    ax.set_ylim(0, 1.25)
    bars["labels"] = [ax.text(i, 1.18, f"{v:g}", ha="center", va="center", fontsize="x-small")
                      for i, v in enumerate(state.rewards)]
    if legend:
        ax.legend(loc="upper right", fontsize="x-small", bbox_to_anchor=(1, 0.92))
    return bars


def plot_frontier(preset="distinct", *, ax=None, state=None):
    """The reward-KL frontier of pi*: E_{pi*}[r] against D(pi*||pi_ref) as beta varies.

    Returns
    -------
    tuple
        The frontier line and the marker of `state` (None without a state).
    """
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    kls, rewards = A.frontier(preset)
    (line,) = ax.plot(kls, rewards, color=PALETTE["reverse"], label="π* as β varies")
    marker = None
    if state is not None:
        (marker,) = ax.plot([state.kl], [state.expected_reward], "o", color=PALETTE["p"],
                            markersize=7, label="current β")
    ax.set_xlabel("D(π*‖π_ref) (nats)")
    ax.set_ylabel("E_π*[r]")
    return line, marker


def describe_rlhf(st, preset):
    best = int(np.argmax(st.pi_star))
    return _t("Bars of the reference policy ({p_colour}), the optimum π* of the reverse-KL penalty"
              " ({r_colour}) and of the forward-KL penalty ({f_colour}) over ten responses, '{preset}'"
              " rewards, β = {beta}. π* puts {top} on response {best}; the forward-penalty optimum"
              " keeps at least {fmin} on every response. Right: the frontier of expected reward"
              " against D(π*‖π_ref), with a marker at D = {kl} nats, E[r] = {reward}.",
              p_colour=_colour("p"), r_colour=_colour("reverse"), f_colour=_colour("forward"),
              preset=_t(preset), beta=f"{st.beta:.3g}", top=fmt(st.pi_star[best]), best=best,
              fmin=fmt(st.pi_forward.min(), 4), kl=fmt(st.kl), reward=fmt(st.expected_reward))


def rlhf_explorer(*, style=None):
    """pi* = pi_ref exp(r / beta) / Z against beta, and its place on the reward-KL frontier.

    Returns
    -------
    ipywidgets.VBox
    """
    app = _App(style)
    log_beta = _slider(0.0, -2.0, 2.0, 1 / 6, _t("log₁₀ β"))
    preset = W.Dropdown(options=[(_t("distinct rewards"), "distinct"), (_t("tie for best"), "tie")],
                        value="distinct", description=_t("rewards"), style=_SLIDER_STYLE)
    canvas = _Canvas((8.2, 3.3), app.style)
    st0 = A.lattice_state(1.0, "distinct")
    with use_style(app.style):
        ax_b, ax_f = canvas.fig.subplots(1, 2, width_ratios=(2.2, 1))
        bars = plot_policies(st0, ax=ax_b, legend=False)
        line, marker = plot_frontier("distinct", ax=ax_f, state=st0)
        ax_f.legend(loc="lower right", fontsize="x-small")
        # Above both panels: inside the bar panel it would hide a tall bar.
        canvas.fig.legend(handles=[bars[attr] for attr, _, _ in SERIES], loc="outside upper center",
                          ncols=3, fontsize="x-small", frameon=False)
        ax_f.set_xlim(0, 3.0)
        ax_f.set_ylim(0.35, 1.02)
    canvas.dynamic(*(p for attr, _, _ in SERIES for p in bars[attr].patches), *bars["labels"],
                   line, marker)

    def update():
        k = int(round((float(log_beta.value) + 2.0) * 6))
        beta = A.BETAS[min(max(k, 0), len(A.BETAS) - 1)]
        st = A.lattice_state(beta, preset.value)
        for attr, _, _ in SERIES:
            for patch, h in zip(bars[attr].patches, getattr(st, attr)):
                patch.set_height(float(h))
        for text, v in zip(bars["labels"], st.rewards):
            text.set_text(f"{v:g}")
        line.set_data(*A.frontier(preset.value))
        marker.set_data([st.kl], [st.expected_reward])
        app.readout.value = (
            "<p>" + _t("β = <b>{beta}</b>, rewards '{preset}'.", beta=f"{st.beta:.3g}",
                       preset=_t(preset.value)) + " "
            + _t("<b style='color:{colour}'>π*</b>: E[r] = <b>{reward}</b>, D(π*‖π_ref) = <b>{kl}</b>"
                 " nats (reverse KL, expectation under π*), log Z = {log_z}, optimal value"
                 " β log Z = {value}.", colour=PALETTE["reverse"], reward=fmt(st.expected_reward, 4),
                 kl=fmt(st.kl, 4), log_z=fmt(st.log_z, 4), value=fmt(st.value, 4)) + "<br>"
            + _t("<b style='color:{colour}'>Forward penalty</b> optimum: smallest probability {fmin}"
                 " (it never drops a response π_ref has).", colour=PALETTE["forward"],
                 fmin=fmt(st.pi_forward.min(), 4)) + "</p>"
        )
        canvas.render(describe_rlhf(st, preset.value))

    app.watch([log_beta, preset], update)
    app.guard(update)()
    return app.box(explorers.TITLES["rlhf"], W.HBox([log_beta, preset]), canvas,
                   explorers.placeholder("rlhf"))


# Imported last, after this module's names exist: klbook.widgets hands out
# rlhf_explorer lazily, so either module may be imported first.
from .widgets import _SLIDER_STYLE, _App, _Canvas, _colour, _slider, fmt  # noqa: E402

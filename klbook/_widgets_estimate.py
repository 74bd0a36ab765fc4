"""The live "estimate" app: k1, k2 and k3 estimates of D(a||b) from samples of a."""

import ipywidgets as W
import matplotlib
import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.markers import TICKDOWN
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from . import _apps_estimate as A
from . import explorers
from .i18n import widget_text as _t
from .plotting import PALETTE, role_style
from .plotting import style as use_style
from .widgets import _SLIDER_STYLE, _App, _Canvas, _colour, _slider, fmt

#: The palette role whose colour draws each estimator, and the true value's.
ROLES = {"k1": "forward", "k2": "accent", "k3": "q"}
TRUE_ROLE = "p"


#: At most this many x tick labels per panel (MaxNLocator(nbins=4) gives 6 at most).
_MAX_TICKS = 7


def _points(size):
    """A font size (points or a name such as "small") in points."""
    return FontProperties(size=size).get_size_in_points()


def _tick_texts(ticks):
    """Tick labels with the decimals their spacing needs and a true minus sign."""
    if len(ticks) < 2:
        return [f"{t:g}".replace("-", "\u2212") for t in ticks]
    step = min(b - a for a, b in zip(ticks[:-1], ticks[1:]))
    digits = 0
    while digits < 8 and abs(round(step, digits) - step) > 1e-9 * max(1.0, abs(step)):
        digits += 1
    return [f"{0.0 if abs(t) < 0.5 * step else t:.{digits}f}".replace("-", "\u2212") for t in ticks]


def _rel(value):
    return "—" if value is None else fmt(value, 3)


def estimate_explorer(*, style=None):
    """Histograms of k1, k2 and k3 estimates of D(a||b) against the exact value.

    a = N(0, 1) is sampled (n samples per estimate, 400 seeded repetitions);
    b = N(mu, sd^2). Each panel is one estimator's histogram with a line at
    the exact D(a||b) = ``kl(a, b)``; the readout gives each estimator's
    bias and std / true.

    Returns
    -------
    ipywidgets.VBox
    """
    app = _App(style)
    style = app.style
    mu = _slider(1.0, A.MUS[0], A.MUS[-1], 0.1, _t("mean of b, μ"))
    sd = W.Dropdown(options=[(f"{s:g}", s) for s in A.SDS], value=1.0, description=_t("sd of b"),
                    style=_SLIDER_STYLE)
    n = W.Dropdown(options=[(str(v), v) for v in A.NS], value=100, description=_t("samples n"),
                   style=_SLIDER_STYLE)
    canvas = _Canvas((7.6, 2.7), style)
    # The estimates' range changes with every state, and a new x-range would
    # mean a full redraw (about 60 ms for three panels of tick labels). So each
    # panel's x-axis is fixed at [0, 1] = [left, right] of the current range,
    # and the data and the tick labels are placed in that unit: the static
    # background (frames, y-axis, titles) is drawn once per y-limit, and an
    # update redraws only the histograms, the exact-value lines and the ticks.
    with use_style(style):
        axes = canvas.fig.subplots(1, 3, sharey=True)
        rc = matplotlib.rcParams
        tick_len, tick_pad = rc["xtick.major.size"], rc["xtick.major.pad"]
        label_colour = rc["xtick.color"] if rc["xtick.labelcolor"] == "inherit" else rc["xtick.labelcolor"]
        steps, lines, marks, labels = {}, {}, {}, {}
        for ax, k in zip(axes, A.ESTIMATORS):
            colour = role_style(ROLES[k])["color"]
            steps[k] = ax.stairs(np.zeros(A.BINS), np.linspace(0.0, 1.0, A.BINS + 1), fill=True,
                                 color=colour, alpha=0.75, linewidth=0)
            lines[k] = ax.axvline(0.0, color=PALETTE[TRUE_ROLE], linewidth=1.8,
                                  label="exact D(a‖b)")
            trans = ax.get_xaxis_transform()
            marks[k], = ax.plot([], [], linestyle="", marker=TICKDOWN, markersize=tick_len,
                                color=rc["xtick.color"], transform=trans, clip_on=False)
            below = offset_copy(trans, fig=canvas.fig, y=-(tick_len + tick_pad), units="points")
            labels[k] = [ax.text(0.0, 0.0, "", transform=below, ha="center", va="top",
                                 fontsize=rc["xtick.labelsize"], color=label_colour)
                         for _ in range(_MAX_TICKS)]
            ax.set_xticks([])
            ax.set_xlim(0.0, 1.0)
            ax.set_title(k, fontsize="medium")
            # Room under the axis for the hand-placed tick labels.
            ax.set_xlabel("estimate (nats)",
                          labelpad=tick_len + tick_pad + 1.4 * _points(rc["xtick.labelsize"]))
        axes[0].set_ylabel("share of estimates")
        axes[0].legend(loc="upper left", fontsize="x-small")
        axes[0].set_ylim(0, 1)
    for k in A.ESTIMATORS:
        canvas.dynamic(steps[k], lines[k], marks[k], *labels[k])
    locator = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10])
    state = {"top": None}

    def update():
        st = A.lattice_state(round(float(mu.value), 1), float(sd.value), int(n.value))
        lo, hi = float(st.edges[0]), float(st.edges[-1])
        left = min(lo, st.true) - 0.05 * (hi - lo)
        right = max(hi, st.true) + 0.05 * (hi - lo)
        unit = lambda v: (np.asarray(v, dtype=float) - left) / (right - left)  # noqa: E731
        ticks = [t for t in locator.tick_values(left, right) if left <= t <= right][:_MAX_TICKS]
        text = _tick_texts(ticks)
        peak = 0.0
        for k in A.ESTIMATORS:
            share = np.asarray(st.summaries[k].counts) / st.reps
            peak = max(peak, float(share.max()))
            steps[k].set_data(share, unit(st.edges))
            x_true = float(unit(st.true))
            lines[k].set_xdata([x_true, x_true])
            marks[k].set_data(unit(ticks), np.zeros(len(ticks)))
            for i, label in enumerate(labels[k]):
                label.set_visible(i < len(ticks))
                if i < len(ticks):
                    label.set_x(float(unit(ticks[i])))
                    label.set_text(text[i])
        top = 0.5 if peak <= 0.45 else 1.0
        if top != state["top"]:
            state["top"] = top
            axes[0].set_ylim(0, top)
        rows = "".join(
            f"<tr><td><b style='color:{PALETTE[ROLES[k]]}'>{k}</b></td>"
            f"<td style='text-align:right;padding-left:1em'>{fmt(s.mean, 4)}</td>"
            f"<td style='text-align:right;padding-left:1em'>{fmt(s.bias, 4)}</td>"
            f"<td style='text-align:right;padding-left:1em'>{fmt(s.std, 4)}</td>"
            f"<td style='text-align:right;padding-left:1em'>{_rel(s.rel_std)}</td></tr>"
            for k, s in st.summaries.items())
        zero = (" <i>" + _t("b = a here, so D(a‖b) = 0 and every estimate is 0: std / true is"
                            " undefined.") + "</i>" if st.true == 0 else "")
        app.readout.value = (
            "<p>" + _t("a = N(0, 1) is sampled; b = N({mu}, {sd}²). Exact D(a‖b) = <b>{d}</b> nats."
                       " {reps} estimates, each from n = {n} samples of a (seeded).",
                       mu=fmt(st.b.mean, 1), sd=fmt(st.b.sd, 1), d=fmt(st.true, 4), reps=st.reps,
                       n=st.n) + f"{zero}</p>"
            "<table style='border-collapse:collapse'><tr><th></th>"
            + "".join(f"<th>{_t(head)}</th>" for head in ("mean", "bias", "std", "std / true"))
            + f"</tr>{rows}</table>"
        )
        canvas.render(
            _t("Three histograms of {reps} estimates of D(a‖b) from n = {n} samples of a = N(0, 1),"
               " with b = N({mu}, {sd}²); a {colour} line marks the exact value {d}.",
               reps=st.reps, n=st.n, mu=f"{st.b.mean:.1f}", sd=f"{st.b.sd:.1f}",
               colour=_colour(TRUE_ROLE), d=fmt(st.true, 4)) + " "
            + "; ".join(_t("{k} ({colour}): mean {mean}, std {std}", k=k, colour=_colour(ROLES[k]),
                           mean=fmt(s.mean, 4), std=fmt(s.std, 4))
                        for k, s in st.summaries.items()) + "."
        )

    app.watch([mu, sd, n], update)
    app.guard(update)()
    return app.box(explorers.TITLES["estimate"], W.HBox([mu, sd, n]), canvas,
                   explorers.placeholder("estimate"))

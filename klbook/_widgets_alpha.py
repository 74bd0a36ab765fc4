"""Live app of the chapter "The alpha-divergence dial" (re-exported by :mod:`klbook.widgets`).

P = 0.5 N(-a, 1) + 0.5 N(a, 1) is the target, Q a Normal fitted by minimising
Minka's D_alpha(P||Q): the forward KL D(P||Q) at alpha = 1, the reverse KL
D(Q||P) at alpha = 0.
"""

import functools

import ipywidgets as W
import numpy as np

from . import _apps_alpha, explorers
from .i18n import widget_text as _t
from .plotting import PALETTE, role_style
from .plotting import style as use_style
from .widgets import _App, _Canvas, _colour, _describe_normal, _looks, _nice_limit, _slider, fmt


@functools.lru_cache(maxsize=2048)
def _state(alpha, a):
    """:func:`klbook._apps_alpha.alpha_state`, cached: dragging a slider revisits lattice points."""
    return _apps_alpha.alpha_state(alpha, a)


def dial_name(alpha):
    """What alpha's end of the dial is called, or '' in between (0: reverse KL, 1: forward KL)."""
    if alpha == 1.0:
        return "forward KL, D(P‖Q)"
    if alpha == 0.0:
        return "reverse KL, D(Q‖P)"
    return ""


def alpha_explorer(*, style=None):
    """Turn the alpha dial and the separation; watch the fitted Normal(s) move.

    P = 0.5 N(-a, 1) + 0.5 N(a, 1). The fits minimise D_alpha(P||Q) over
    Normal Q from a start in the middle and a start on a mode (see
    :func:`klbook._apps_alpha.alpha_state`); alpha = 1 is the forward KL
    D(P||Q), alpha = 0 the reverse KL D(Q||P).

    Returns
    -------
    ipywidgets.VBox
    """
    app = _App(style)
    style = app.style
    dial = _slider(0.5, -1.0, 2.0, 0.05, _t("alpha"), width="340px")
    sep = _slider(3.0, 0.0, 4.0, 0.25, _t("half-separation a"), width="340px")
    canvas = _Canvas((7.0, 3.0), style)
    x = np.linspace(-8.0, 8.0, 481)
    q_colour = PALETTE["q"]
    with use_style(style):
        ax = canvas.fig.subplots()
        rs_p = role_style("p")
        p_line, = ax.plot(x, x * 0, color=rs_p["color"], label=rs_p["label"])
        p_fill = ax.fill_between(x, 0, x * 0, color=rs_p["color"], alpha=0.12, linewidth=0)
        best_line, = ax.plot(x, x * 0, color=q_colour, linestyle="-", linewidth=2.2,
                             label="Q: best optimum of D_α(P‖Q)")
        other_lines = [ax.plot(x, x * 0, color=q_colour, linestyle=":", linewidth=1.5,
                               label="other local optima" if k == 0 else None)[0] for k in range(2)]
        edge_line, = ax.plot(x, x * 0, color=PALETTE["muted"], linestyle="--", linewidth=1.5,
                             label="run from the middle: no optimum")
        ax.set_xlim(x[0], x[-1])
        ax.set_xlabel("x")
        ax.set_ylabel("density")
        # A figure legend outside the axes: nothing dynamic overlaps it, so it
        # stays in the cached background (an axes legend is redrawn on every
        # update, which was the largest cost of an update).
        canvas.fig.legend(loc="outside upper center", ncol=2,
                          fontsize="x-small" if style == "lecture" else "small",
                          handlelength=1.6, columnspacing=1.0)
    canvas.dynamic(p_line, p_fill, best_line, *other_lines, edge_line)
    state = {"ylim": None}

    def update():
        alpha, a = float(dial.value), float(sep.value)
        st = _state(alpha, a)
        y = st.p.pdf(x)
        p_line.set_ydata(y)
        p_fill.set_data(x, 0, y)
        opt = st.optima
        shown = list(opt) if opt else []
        best_line.set_visible(bool(shown))
        if shown:
            best_line.set_ydata(shown[0].q.pdf(x))
        for k, line in enumerate(other_lines):
            line.set_visible(k + 1 < len(shown))
            if k + 1 < len(shown):
                line.set_ydata(shown[k + 1].q.pdf(x))
        edge_line.set_visible(st.stalled is not None)
        if st.stalled is not None:
            edge_line.set_ydata(st.stalled.q.pdf(x))
        sds = [r.q.sd for r in shown] + ([st.stalled.q.sd] if st.stalled is not None else [])
        peak = max(float(y.max()), *(1.0 / (s * np.sqrt(2 * np.pi)) for s in sds))
        top = _nice_limit(peak, state["ylim"])
        if top != state["ylim"]:
            state["ylim"] = top
            ax.set_ylim(0, top)
        name = dial_name(alpha)
        name = f" ({_t(name)})" if name else ""
        lo, hi = _apps_alpha.finite_sd_range(alpha)
        finite = (_t("every sd") if lo == 0 and hi == np.inf else
                  _t("sd above {v}", v=fmt(lo)) if hi == np.inf else _t("sd below {v}", v=fmt(hi)))
        listing = "; ".join(f"{_describe_normal(r.q)}: D_α = {fmt(r.divergence)}" for r in shown)
        stalled = ("" if st.stalled is None else "<br>" + _t(
            "The run from the middle did not converge: D_α keeps falling as Q widens, up to the edge"
            " of the finite region; it stopped at {q}, D_α = {d}.",
            q=_describe_normal(st.stalled.q), d=fmt(st.stalled.divergence)))
        app.readout.value = (
            f"<p>α = {fmt(alpha, 2)}{name}; "
            f"P = 0.5·N(−{fmt(a, 2)}, 1) + 0.5·N({fmt(a, 2)}, 1). "
            + _t("D_α(P‖Q) is finite for {range}.", range=finite) + "<br>"
            + _t("Regime: {regime}.", regime=_t(_apps_alpha.REGIMES[st.regime])) + " "
            + (_t("Local optima ({n}, best first): {list}.", n=len(shown), list=listing) if shown else
               _t("No interior optimum was found."))
            + stalled + "</p>"
        )
        canvas.render(
            _t("alpha = {alpha}{name}.", alpha=f"{alpha:.2f}", name=name) + " "
            + _t("Target P with modes at ±{a}, {style} and shaded.", a=f"{a:.2f}", style=_looks("p"))
            + " "
            + (_t("Best fitted Normal {q}, {colour} solid", q=_describe_normal(shown[0].q),
                  colour=_colour("q"))
               + (_t("; {n} other local optimum(s) {colour} dotted", n=len(shown) - 1,
                     colour=_colour("q")) if len(shown) > 1 else "")
               + "." if shown else _t("No converged fit.") + " ")
            + (" " + _t("Unconverged run from the middle {q}, {colour} dashed.",
                        q=_describe_normal(st.stalled.q), colour=_colour("muted"))
               if st.stalled is not None else "")
        )

    app.watch([dial, sep], update)
    app.guard(update)()
    return app.box(explorers.TITLES["alpha"], W.HBox([dial, sep]), canvas,
                   explorers.placeholder("alpha"))

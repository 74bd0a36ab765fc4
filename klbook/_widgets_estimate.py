"""The live "estimate" app: k1, k2 and k3 estimates of D(a||b) from samples of a."""

import ipywidgets as W
import numpy as np

from . import _apps_estimate as A
from . import explorers
from .plotting import PALETTE, colour_name, role_style
from .plotting import style as use_style
from .widgets import _SLIDER_STYLE, _App, _Canvas, _slider, fmt

#: The palette role whose colour draws each estimator, and the true value's.
ROLES = {"k1": "forward", "k2": "accent", "k3": "q"}
TRUE_ROLE = "p"


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
    mu = _slider(1.0, A.MUS[0], A.MUS[-1], 0.1, "mean of b, μ")
    sd = W.Dropdown(options=[(f"{s:g}", s) for s in A.SDS], value=1.0, description="sd of b",
                    style=_SLIDER_STYLE)
    n = W.Dropdown(options=[(str(v), v) for v in A.NS], value=100, description="samples n",
                   style=_SLIDER_STYLE)
    canvas = _Canvas((7.6, 2.7), style)
    with use_style(style):
        axes = canvas.fig.subplots(1, 3, sharey=True)
        bars, lines = {}, {}
        for ax, k in zip(axes, A.ESTIMATORS):
            colour = role_style(ROLES[k])["color"]
            bars[k] = ax.bar(np.arange(A.BINS), np.zeros(A.BINS), width=1.0, align="edge",
                             color=colour, alpha=0.75, linewidth=0)
            lines[k] = ax.axvline(0.0, color=PALETTE[TRUE_ROLE], linewidth=1.8,
                                  label="exact D(a‖b)")
            ax.set_title(k, fontsize="medium")
            ax.set_xlabel("estimate (nats)")
        axes[0].set_ylabel("share of estimates")
        axes[0].legend(loc="upper left", fontsize="x-small")
        axes[0].set_ylim(0, 1)
    for k in A.ESTIMATORS:
        canvas.dynamic(*bars[k].patches, lines[k])
    state = {"ylim": None, "xlim": None}

    def update():
        st = A.lattice_state(round(float(mu.value), 1), float(sd.value), int(n.value))
        lo, hi = float(st.edges[0]), float(st.edges[-1])
        width = (hi - lo) / A.BINS
        left = min(lo, st.true) - 0.05 * (hi - lo)
        right = max(hi, st.true) + 0.05 * (hi - lo)
        peak = 0.0
        for k in A.ESTIMATORS:
            share = np.asarray(st.summaries[k].counts) / st.reps
            peak = max(peak, float(share.max()))
            for i, patch in enumerate(bars[k].patches):
                patch.set_x(lo + i * width)
                patch.set_width(width)
                patch.set_height(share[i])
            lines[k].set_xdata([st.true, st.true])
        top = 0.5 if peak <= 0.45 else 1.0
        if (left, right, top) != state["xlim"]:
            state["xlim"] = (left, right, top)
            for ax in axes:
                ax.set_xlim(left, right)
            axes[0].set_ylim(0, top)
        rows = "".join(
            f"<tr><td><b style='color:{PALETTE[ROLES[k]]}'>{k}</b></td>"
            f"<td style='text-align:right;padding-left:1em'>{fmt(s.mean, 4)}</td>"
            f"<td style='text-align:right;padding-left:1em'>{fmt(s.bias, 4)}</td>"
            f"<td style='text-align:right;padding-left:1em'>{fmt(s.std, 4)}</td>"
            f"<td style='text-align:right;padding-left:1em'>{_rel(s.rel_std)}</td></tr>"
            for k, s in st.summaries.items())
        zero = (" <i>b = a here, so D(a‖b) = 0 and every estimate is 0: std / true is"
                " undefined.</i>" if st.true == 0 else "")
        app.readout.value = (
            f"<p>a = N(0, 1) is sampled; b = N({fmt(st.b.mean, 1)}, {fmt(st.b.sd, 1)}²). "
            f"Exact D(a‖b) = <b>{fmt(st.true, 4)}</b> nats. {st.reps} estimates, each from "
            f"n = {st.n} samples of a (seeded).{zero}</p>"
            "<table style='border-collapse:collapse'><tr><th></th><th>mean</th><th>bias</th>"
            f"<th>std</th><th>std / true</th></tr>{rows}</table>"
        )
        canvas.render(
            f"Three histograms of {st.reps} estimates of D(a‖b) from n = {st.n} samples of "
            f"a = N(0, 1), with b = N({st.b.mean:.1f}, {st.b.sd:.1f}²); a "
            f"{colour_name(TRUE_ROLE)} line marks the exact value {fmt(st.true, 4)}. "
            + "; ".join(f"{k} ({colour_name(ROLES[k])}): mean {fmt(s.mean, 4)}, "
                        f"std {fmt(s.std, 4)}" for k, s in st.summaries.items()) + "."
        )

    app.watch([mu, sd, n], update)
    app.guard(update)()
    return app.box(explorers.TITLES["estimate"], W.HBox([mu, sd, n]), canvas,
                   explorers.placeholder("estimate"))

"""Live apps that fit Q to P: one function per app, each returning an ipywidgets box.

P is the target, Q the model: forward KL is D(P||Q), reverse KL is D(Q||P).

Import this module explicitly (``from klbook import widgets``); ``import
klbook`` never imports ipywidgets.

How an app works
----------------
- The figure is a matplotlib ``Figure`` drawn off screen (Agg) and shown as a
  PNG ``<img>`` with alt text in an ``HTML`` widget, so a page built without a
  kernel still shows the default state, described for screen readers.
- Axes, ticks and legends are drawn once; the data artists are marked
  *animated* and redrawn in place over the cached background on each update
  (``line.set_data(...)`` and friends), which keeps an update, fit included,
  to a few tens of milliseconds.
- Every control callback runs under a guard: an error is shown inside the app
  (a message above the figure and the traceback in an ``Output``), never lost.
- Numbers are printed by :func:`fmt`, which writes ``∞`` for an infinite
  divergence (the app then says why) and refuses NaN.

Every app speaks the language set by :func:`klbook.i18n.set_language`
(default English): its words come from :func:`klbook.i18n.widget_text`, its
figure's words from the figures' table; the numbers are the same.

Every app takes a keyword ``style`` ("book" or "lecture"; default: the
``KLBOOK_STYLE`` environment variable, else "book"; see
:func:`klbook.plotting.resolve_style`).
"""

import base64
import html
import io
import math
import traceback

import ipywidgets as W
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from . import _apps, explorers, plotting
from ._apps import FAMILIES
from ._distributions import Normal
from .i18n import get_language, localize_figure
from .i18n import widget_text as _t
from .plotting import (COLOUR_NAMES, LINESTYLE_NAMES, PALETTE, colour_name, integrand, resolve_style,
                       role_style)
from .plotting import style as use_style

__all__ = [
    "AppBox",
    "discrete_explorer",
    "forward_explorer",
    "glance_explorer",
    "phase_explorer",
    "reverse_explorer",
    "fmt",
]

_SLIDER_STYLE = {"description_width": "initial"}


# ------------------------------------------------------------------ helpers

def fmt(value, digits=3):
    """Format a divergence or entropy for display: ``∞`` for infinity.

    Raises
    ------
    ValueError
        For NaN, which must never reach the screen.

    Examples
    --------
    >>> fmt(0.12345), fmt(float("inf"))
    ('0.123', '∞')
    """
    value = float(value)
    if math.isnan(value):
        raise ValueError("`value` is NaN; a divergence shown to the reader must be a number or inf")
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    text = f"{value:.{digits}f}"
    return "0." + "0" * digits if text == "-0." + "0" * digits else text.replace("-", "−")


def _describe_normal(q):
    return _t("N(mean {mean}, sd {sd})", mean=fmt(q.mean, 2), sd=fmt(q.sd, 2))


def _colour(role):
    """:func:`klbook.plotting.colour_name` in the apps' language."""
    return _t(colour_name(role))


def _looks(role, linestyle=None):
    """:func:`klbook.plotting.describe_role` in the apps' language."""
    rs = role_style(role)
    return f"{_t(COLOUR_NAMES[rs['color']])} {_t(LINESTYLE_NAMES[linestyle or rs['linestyle']])}"


def _describe(dist):
    if isinstance(dist, Normal):
        return _describe_normal(dist)
    parts = [f"{fmt(w, 2)}·{_describe_normal(c)}" for w, c in zip(dist.weights, dist.components)]
    return " + ".join(parts)


_LADDER = np.array([0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0, 7.5, 10.0,
                    15.0, 20.0, 30.0, 50.0, 100.0])


# The share of a density panel's height the curves may fill. In the lecture
# look the legend's large text covers the top of the panel, so the curves stay
# under it.
_CURVE_SHARE = {"book": 1.0, "lecture": 0.6}


def _nice_limit(peak, current):
    """A y-limit from a fixed ladder: unchanged while `peak` fits comfortably,
    so most updates reuse the cached axes."""
    peak = float(peak) if np.isfinite(peak) else float(_LADDER[-1])
    if current is not None and 0.35 * current <= peak <= 0.97 * current:
        return current
    above = _LADDER[_LADDER >= peak / 0.9]
    return float(above[0]) if above.size else float(_LADDER[-1])


class _Canvas:
    """A Figure shown as a PNG in an HTML widget; static parts cached, data artists blitted."""

    # The lecture style enlarges fonts and lines, not the figure: a larger
    # figure would not fit a 1280x880 slide under the controls (the deck test
    # measures it), and reveal.js scales the whole slide to the projector.

    def __init__(self, figsize, style_name, *, dpi=90):
        self.style = style_name
        # The figure's words take the language of the app being built.
        self.lang = get_language()
        with use_style(style_name):
            self.fig = Figure(figsize=figsize, dpi=dpi,
                              layout="constrained")
        FigureCanvasAgg(self.fig)
        self.view = W.HTML(layout=W.Layout(width="100%"))
        self._dynamic = []
        # Static parts drawn once per set of axes limits: dragging a slider
        # back and forth crosses the same few y-limits (see _nice_limit), and
        # a full draw costs several times a blitted update. Only the limits
        # may change static artists; everything else that changes is dynamic.
        self._backgrounds = {}
        self._laid_out = False

    def dynamic(self, *artists):
        """Mark artists as redrawn on every update (drawn over the cached background)."""
        for a in artists:
            if a is not None:
                a.set_animated(True)
                self._dynamic.append(a)
        return artists[0] if len(artists) == 1 else artists

    def replace(self, old, new):
        """Swap a dynamic artist (e.g. a new contour set) for another."""
        if old is not None:
            self._dynamic.remove(old)
            old.remove()
        return self.dynamic(new)

    _MAX_BACKGROUNDS = 16

    def _limits(self):
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes)

    def render(self, alt):
        canvas = self.fig.canvas
        with use_style(self.style):
            key = self._limits()
            background = self._backgrounds.get(key)
            if background is None:
                if not self._laid_out:
                    if self.lang != "en":
                        localize_figure(self.fig, self.lang)
                    # Legends go on top of the data, so they are redrawn with it.
                    for ax in self.fig.axes:
                        legend = ax.get_legend()
                        if legend is not None and legend not in self._dynamic:
                            legend.set_zorder(10)
                            self.dynamic(legend)
                canvas.draw()
                if not self._laid_out:
                    # Keep the positions found by the constrained layout: later
                    # redraws must not move the axes under a cached background.
                    self.fig.set_layout_engine("none")
                    self._laid_out = True
                if len(self._backgrounds) >= self._MAX_BACKGROUNDS:
                    self._backgrounds.pop(next(iter(self._backgrounds)))
                self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
            else:
                canvas.restore_region(background)
            for a in sorted(self._dynamic, key=lambda a: a.get_zorder()):
                if a.get_visible():
                    self.fig.draw_artist(a)
        rgb = np.ascontiguousarray(np.asarray(canvas.buffer_rgba())[..., :3])
        buf = io.BytesIO()
        # A 128-colour palette halves the bytes sent per update (and stored
        # in the notebook) at no visible cost for line art.
        img = Image.fromarray(rgb).quantize(colors=128, method=Image.Quantize.FASTOCTREE)
        img.save(buf, format="png", compress_level=1)
        uri = base64.b64encode(buf.getvalue()).decode("ascii")
        h, w = rgb.shape[:2]
        self.view.value = (
            f'<img src="data:image/png;base64,{uri}" alt="{html.escape(alt)}" '
            f'width="{w}" height="{h}" style="max-width:100%;height:auto">'
        )


def _figure_legend(fig, axes, *, ncol, style):
    """One legend for all `axes`, above them and outside every axes.

    Nothing dynamic overlaps it, so ``_Canvas`` draws it once into the cached
    background; axes legends sit over the data and are redrawn on every
    update (three of them cost about 40% of the reverse app's update).
    """
    handles, labels = [], []
    for ax in axes:
        h, lab = ax.get_legend_handles_labels()
        handles += h
        labels += lab
        if ax.get_legend() is not None:
            ax.get_legend().remove()
    return fig.legend(handles, labels, loc="outside upper center", ncol=ncol,
                      fontsize="x-small" if style == "lecture" else "small")


class _App:
    """Shared plumbing: status line, error output, guarded callbacks, the container."""

    def __init__(self, style_name):
        self.style = resolve_style(style_name, param="style")
        self.readout = W.HTML()
        self.message = W.HTML()
        self.errors = W.Output()

    def guard(self, fn):
        def handler(change=None):
            try:
                self.message.value = ""
                fn()
            except Exception as exc:  # noqa: BLE001 - shown to the reader, not swallowed
                error = f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}"
                self.message.value = ('<p style="color:#B00020">'
                                      + _t("<b>This update failed:</b> {error} (details below)",
                                           error=error) + "</p>")
                self.errors.append_stderr(traceback.format_exc())

        return handler

    def watch(self, controls, fn):
        handler = self.guard(fn)
        for c in controls:
            c.observe(handler, names="value")
        return handler

    def box(self, title, controls, canvas, explorer):
        heading = W.HTML(f"<b>{html.escape(_t(title))}</b>")
        return AppBox([heading, controls, self.message, canvas.view, self.readout, self.errors],
                      explorer=explorer)


class AppBox(W.VBox):
    """An app's container, shown in one of two renderings of the same output.

    With a kernel (JupyterLab, Binder, live RISE slides) the front end shows
    the live widget. The output also carries ``text/html``: the kernel-free
    explorer of the same app (:func:`klbook.explorers.placeholder`), which
    the website and the static decks show instead.
    """

    def __init__(self, children, *, explorer, **kwargs):
        super().__init__(children, **kwargs)
        self._explorer_html = explorer

    def _repr_mimebundle_(self, **kwargs):
        data = super()._repr_mimebundle_(**kwargs)
        if data is not None:
            data["text/html"] = self._explorer_html
        return data


def _slider(value, lo, hi, step, description, fmt_=".2f", width="340px"):
    return W.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                         readout_format=fmt_, continuous_update=True, style=_SLIDER_STYLE,
                         layout=W.Layout(width=width, max_width="100%"))


def _infinity_note(where):
    return (f" <i>∞ means {where}: the log ratio is infinite there, so the average is"
            " infinite. No finite model of this kind can do that; a Normal never reaches 0.</i>")


# ------------------------------------------------------------ target editor


class _TargetEditor:
    """Sliders for a target P with up to three Normal components (weight 0 = off)."""

    def __init__(self, defaults):
        self.weights, self.means, self.sds = [], [], []
        columns = []
        for i, (w, m, s) in enumerate(defaults, start=1):
            self.weights.append(_slider(w, 0.0, 1.0, 0.05, _t("weight {i}", i=i), width="100%"))
            self.means.append(_slider(m, -5.0, 5.0, 0.1, _t("mean {i}", i=i), width="100%"))
            self.sds.append(_slider(s, 0.3, 3.0, 0.05, _t("sd {i}", i=i), width="100%"))
            columns.append(W.VBox([W.HTML(_t("P, component {i}", i=i)), self.weights[-1],
                                   self.means[-1], self.sds[-1]],
                                  layout=W.Layout(flex="1 1 220px", min_width="220px")))
        self.box = W.HBox(columns, layout=W.Layout(flex_flow="row wrap", width="100%"))

    @property
    def controls(self):
        return self.weights + self.means + self.sds

    def target(self):
        """The current P, or None if every weight is 0."""
        return _apps.target((w.value, m.value, s.value)
                            for w, m, s in zip(self.weights, self.means, self.sds))


_PLACEHOLDER = Normal(0.0, 1.0)


def _fit_panels(ax_d, ax_i, x, direction, *, start=False):
    """The panels the forward and reverse apps share, drawn by the chapters' own
    plot functions: P and the fitted Q above (and the start, if asked), the
    integrand below. The app then updates the returned artists in place.

    Returns ``(p, start_line or None, q, integrand)``; p, q and integrand are
    ``plotting.DensityArtists`` (line, fill).
    """
    p = plotting.plot_density(_PLACEHOLDER, x, ax=ax_d, role="p")
    s = (plotting.plot_density(_PLACEHOLDER, x, ax=ax_d, role=direction, fill=False, linestyle=":",
                               linewidth=1.2, label="Q at the start").line if start else None)
    q = plotting.plot_density(_PLACEHOLDER, x, ax=ax_d, role=direction, fill=False)
    ax_d.set_ylabel("density")
    ax_d.legend(loc="upper right", fontsize="small")
    i = plotting.plot_integrand(_PLACEHOLDER, _PLACEHOLDER, x, direction=direction, ax=ax_i)
    ax_i.set_xlim(x[0], x[-1])
    ax_i.set_ylabel("integrand")
    ax_i.legend(loc="upper left", fontsize="small")
    return p, s, q, i


def _no_target():
    return _t("<b>P has no mass:</b> every weight is 0. Give at least one component a "
              "positive weight (weights are rescaled to sum to 1).")


# ------------------------------------------------------------- at a glance


def glance_explorer(*, style=None):
    """A two-mode target with its forward and its reverse Normal fit, side by side.

    P = w N(-a, 1) + (1-w) N(a, 1). The forward fit minimises D(P||Q)
    (moment matching); the reverse fit shows the local minima of D(Q||P) found
    from a grid of starts,
    the global one solid.

    Returns
    -------
    ipywidgets.VBox
    """
    style = resolve_style(style, param="style")
    app = _App(style)
    sep = _slider(2.5, 0.0, 5.0, 0.1, _t("half-separation a"))
    weight = _slider(0.5, 0.05, 0.95, 0.05, _t("weight of left mode w"))
    canvas = _Canvas((7.0, 3.0), style)
    x = np.linspace(-10.0, 10.0, 500)
    with use_style(style):
        ax = canvas.fig.subplots()
        rs_p, rs_f, rs_r = role_style("p"), role_style("forward"), role_style("reverse")
        p_line, = ax.plot(x, x * 0, color=rs_p["color"], label=rs_p["label"])
        p_fill = ax.fill_between(x, 0, x * 0, color=rs_p["color"], alpha=0.12, linewidth=0)
        # Short labels: the legend sits above the axes in two columns (inside,
        # its four entries covered the local optima's peaks, and in the lecture
        # look most of the panel).
        f_line, = ax.plot(x, x * 0, color=rs_f["color"], linestyle=rs_f["linestyle"],
                          label="forward fit: min D(P‖Q)")
        r_line, = ax.plot(x, x * 0, color=rs_r["color"], linestyle=rs_r["linestyle"],
                          label="reverse fit: min D(Q‖P), best")
        r_others = [ax.plot(x, x * 0, color=rs_r["color"], linestyle=":", linewidth=1.2,
                            label="other local minima of D(Q‖P)" if k == 0 else None)[0]
                    for k in range(3)]
        ax.set_xlim(x[0], x[-1])
        ax.set_xlabel("x")
        ax.set_ylabel("density")
        _figure_legend(canvas.fig, (ax,), ncol=2, style=style)
    canvas.dynamic(p_line, p_fill, f_line, r_line, *r_others)
    state = {"ylim": None}

    def update():
        a, w = sep.value, weight.value
        st = _apps.glance_state(a, w)
        p, fwd, opt = st.p, st.forward, st.optima
        best = opt[0]
        y = p.pdf(x)
        p_line.set_ydata(y)
        p_fill.set_data(x, 0, y)
        f_line.set_ydata(fwd.q.pdf(x))
        r_line.set_ydata(best.q.pdf(x))
        for k, line in enumerate(r_others):
            if k + 1 < len(opt):
                line.set_ydata(opt[k + 1].q.pdf(x))
                line.set_visible(True)
            else:
                line.set_visible(False)
        peak = max(y.max(), *(1 / (r.q.sd * math.sqrt(2 * math.pi)) for r in opt))
        top = _nice_limit(peak, state["ylim"])
        if top != state["ylim"]:
            state["ylim"] = top
            ax.set_ylim(0, top)
        listing = "; ".join(f"{_describe_normal(r.q)}, D(Q‖P) = {fmt(r.divergence)}"
                            for r in opt[1:])
        others = " " + (
            _t("A grid of starts finds {n} other local optima: {list}.", n=len(opt) - 1, list=listing)
            if len(opt) > 2 else
            _t("A grid of starts finds {n} other local optimum: {list}.", n=len(opt) - 1, list=listing)
            if len(opt) > 1 else _t("A grid of starts finds no other local optimum."))
        app.readout.value = (
            f"<p>P = {fmt(w, 2)}·N(−{fmt(a, 2)}, 1) + {fmt(1 - w, 2)}·N({fmt(a, 2)}, 1).<br>"
            + _t("<b style='color:{colour}'>Forward fit</b> {q}: D(P‖Q) = {d} nats.",
                 colour=PALETTE["forward"], q=_describe_normal(fwd.q), d=fmt(fwd.divergence))
            + "<br>"
            + _t("<b style='color:{colour}'>Reverse fit</b> {q}: D(Q‖P) = {d} nats.",
                 colour=PALETTE["reverse"], q=_describe_normal(best.q), d=fmt(best.divergence))
            + f"{others}</p>"
        )
        canvas.render(
            _t("Target P with modes at −{a} and {a} (left weight {w}), {style} and shaded.",
               a=f"{a:.1f}", w=f"{w:.2f}", style=_looks("p"))
            + " " + _t("Forward fit {q}, {style}.", q=_describe_normal(fwd.q), style=_looks("forward"))
            + " " + (_t("Reverse fit {q}, {style}, with {n} other local optimum(s) {others}.",
                        q=_describe_normal(best.q), style=_looks("reverse"), n=len(opt) - 1,
                        others=_looks("reverse", ":"))
                     if len(opt) > 1 else
                     _t("Reverse fit {q}, {style}.", q=_describe_normal(best.q), style=_looks("reverse")))
        )

    app.watch([sep, weight], update)
    app.guard(update)()
    return app.box(explorers.TITLES["glance"],
                   W.HBox([sep, weight]), canvas, explorers.placeholder("glance"))


# ------------------------------------------------------------ discrete KL


def discrete_explorer(p=(0.4, 0.3, 0.2, 0.1), q=(0.25, 0.25, 0.25, 0.25), *,
                      labels=("a", "b", "c", "d"), style=None):
    """Edit two discrete distributions with sliders; see their entropies and KLs.

    Shows H(P), H(P,Q), D(P||Q) = H(P,Q) - H(P), and D(Q||P), in nats or
    bits, with bars for P and Q and each outcome's term of both divergences.
    Slider values are rescaled to sum to 1.

    Parameters
    ----------
    p, q : sequence of float
        Starting slider values (any non-negative numbers).
    labels : sequence of str
        Outcome names, one per value.

    Returns
    -------
    ipywidgets.VBox
    """
    if not (len(p) == len(q) == len(labels)):
        raise ValueError(f"`p`, `q` and `labels` must have equal lengths, got "
                         f"{len(p)}, {len(q)} and {len(labels)}")
    style = resolve_style(style, param="style")
    app = _App(style)
    k = len(labels)
    p_sl = [_slider(v, 0.0, 1.0, 0.01, f"P({lab})") for v, lab in zip(p, labels)]
    q_sl = [_slider(v, 0.0, 1.0, 0.01, f"Q({lab})") for v, lab in zip(q, labels)]
    unit = W.ToggleButtons(options=[(_t("nats"), "nats"), (_t("bits"), "bits")], value="nats",
                           description=_t("units"), style={"button_width": "60px"})
    canvas = _Canvas((7.0, 2.8), style)
    idx = np.arange(k)
    with use_style(style):
        ax_b, ax_t = canvas.fig.subplots(1, 2)
        p_bars = ax_b.bar(idx - 0.2, np.zeros(k), 0.4, color=PALETTE["p"], alpha=0.75, label="P")
        q_bars = ax_b.bar(idx + 0.2, np.zeros(k), 0.4, color=PALETTE["q"], hatch="//",
                          edgecolor="white", label="Q")
        ax_b.set_xticks(idx, labels)
        ax_b.set_ylim(0, 1)
        ax_b.set_ylabel("probability")
        ax_b.legend(loc="upper right")
        f_bars = ax_t.bar(idx - 0.2, np.zeros(k), 0.4, color=PALETTE["forward"],
                          label="p log p/q  (sums to D(P‖Q))")
        r_bars = ax_t.bar(idx + 0.2, np.zeros(k), 0.4, color=PALETTE["reverse"],
                          label="q log q/p  (sums to D(Q‖P))")
        ax_t.axhline(0, color=PALETTE["muted"], linewidth=0.8)
        ax_t.set_xticks(idx, labels)
        ax_t.set_ylabel("term")
        ax_t.legend(loc="upper left", fontsize="small")
        infs = [ax_t.text(i, 0, "", ha="center", va="top", fontsize="large", clip_on=False)
                for i in range(2 * k)]
    canvas.dynamic(*p_bars.patches, *q_bars.patches, *f_bars.patches, *r_bars.patches, *infs)
    state = {"ylim": None}

    def update():
        pv = np.array([s.value for s in p_sl])
        qv = np.array([s.value for s in q_sl])
        raw_p, raw_q = float(pv.sum()), float(qv.sum())
        problems = [name for name, v in (("P", pv), ("Q", qv)) if not v.sum() > 0]
        if problems:
            which = problems[0] if len(problems) == 1 else _t("P and Q")
            app.readout.value = ("<p>" + _t("<b>{which} has no mass:</b> every slider is at 0. Raise at "
                                            "least one (values are rescaled to sum to 1).", which=which)
                                 + "</p>")
            for bar in (*p_bars, *q_bars, *f_bars, *r_bars):
                bar.set_height(0)
            for t in infs:
                t.set_text("")
            canvas.render(_t("Bars are empty: a distribution with no mass has no probabilities."))
            return
        st = _apps.discrete_state(pv, qv, unit=unit.value)
        pv, qv = st.p, st.q
        h_p, h_q, h_pq, h_qp, d_pq, d_qp = st.h_p, st.h_q, st.h_pq, st.h_qp, st.d_pq, st.d_qp
        ft, rt = st.terms_pq, st.terms_qp
        for bars, vals in ((p_bars, pv), (q_bars, qv)):
            for bar, v in zip(bars, vals):
                bar.set_height(v)
        finite = np.concatenate([ft[np.isfinite(ft)], rt[np.isfinite(rt)], [0.0]])
        top = _nice_limit(max(finite.max(), 0.05), state["ylim"] and state["ylim"][1])
        bottom = -_nice_limit(max(-finite.min(), 0.05), None)
        if (bottom, top) != state["ylim"]:
            state["ylim"] = (bottom, top)
            ax_t.set_ylim(bottom, top * 1.15)
        top = state["ylim"][1]
        for j, (bars, vals) in enumerate(((f_bars, ft), (r_bars, rt))):
            for i, (bar, v) in enumerate(zip(bars, vals)):
                bar.set_height(top if np.isinf(v) else v)
                t = infs[j * k + i]
                t.set_position((i + (-0.2 if j == 0 else 0.2), top * 1.12))
                t.set_text("∞" if np.isinf(v) else "")
        u = _t(unit.value)
        notes = []
        if math.isinf(d_pq):
            notes.append(_t("D(P‖Q) = ∞: Q gives probability 0 to an outcome P can produce, so a"
                            " code built for Q has no codeword for it."))
        if math.isinf(d_qp):
            notes.append(_t("D(Q‖P) = ∞: Q gives probability to an outcome P never produces."))
        asym = "" if math.isinf(d_pq) or math.isinf(d_qp) else (
            " " + _t("The two directions differ by {d} {unit}.", d=fmt(abs(d_pq - d_qp)), unit=u))
        app.readout.value = (
            "<table style='border-collapse:collapse'>"
            f"<tr><td>H(P)</td><td style='text-align:right;padding-left:1em'>{fmt(h_p)}</td>"
            f"<td style='padding-left:1em'>H(Q)</td><td style='text-align:right;padding-left:1em'>{fmt(h_q)}</td></tr>"
            f"<tr><td>H(P,Q)</td><td style='text-align:right;padding-left:1em'>{fmt(h_pq)}</td>"
            f"<td style='padding-left:1em'>H(Q,P)</td><td style='text-align:right;padding-left:1em'>{fmt(h_qp)}</td></tr>"
            f"<tr><td><b style='color:{PALETTE['forward']}'>D(P‖Q)</b> = H(P,Q) − H(P)</td>"
            f"<td style='text-align:right;padding-left:1em'><b>{fmt(d_pq)}</b></td>"
            f"<td style='padding-left:1em'><b style='color:{PALETTE['reverse']}'>D(Q‖P)</b> = H(Q,P) − H(Q)</td>"
            f"<td style='text-align:right;padding-left:1em'><b>{fmt(d_qp)}</b></td></tr></table>"
            f"<p>{_t('All values in {unit}.', unit=u)}{asym} {' '.join(notes)}</p>"
            + ("<p>" + _t("<b>Rescaled:</b> the sliders sum to {p} (P) and {q} (Q); each is divided by"
                          " its sum, so the bars and numbers use probabilities that sum to 1.",
                          p=fmt(raw_p, 2), q=fmt(raw_q, 2)) + "</p>" if st.rescaled else "")
        )
        canvas.render(_t(
            "Left: bars of P ({p_colour}) and Q (hatched {q_colour}) over outcomes {outcomes}. Right: "
            "each outcome's term of D(P‖Q) ({f_colour}) and D(Q‖P) ({r_colour}); D(P‖Q) = {dpq} {unit}, "
            "D(Q‖P) = {dqp} {unit}.",
            p_colour=_colour("p"), q_colour=_colour("q"), f_colour=_colour("forward"),
            r_colour=_colour("reverse"), dpq=fmt(d_pq), dqp=fmt(d_qp), unit=u,
            outcomes=", ".join(f"{lab}: P {a:.2f}, Q {b:.2f}" for lab, a, b in zip(labels, pv, qv))))

    app.watch(p_sl + q_sl + [unit], update)
    app.guard(update)()
    controls = W.VBox([W.HBox([W.VBox(p_sl), W.VBox(q_sl)]), unit])
    return app.box(explorers.TITLES["discrete"], controls, canvas,
                   explorers.placeholder("discrete", p=[float(v) for v in p],
                                         q=[float(v) for v in q], labels=list(labels)))


# ------------------------------------------------------------ forward KL




def forward_explorer(*, style=None):
    """Fit Q to an editable P by forward KL, D(P||Q), and show the integrand.

    P has up to three Normal components (weight 0 switches one off); Q is one
    Normal (the fit is moment matching) or a mixture of 2 or 3 Normals. The
    lower panel is the integrand p(x) log(p(x)/q(x)), whose area is D(P||Q).

    Returns
    -------
    ipywidgets.VBox
    """
    style = resolve_style(style, param="style")
    app = _App(style)
    editor = _TargetEditor([(0.5, -2.5, 1.0), (0.5, 2.5, 1.0), (0.0, 0.0, 1.0)])
    family = W.Dropdown(options=[(_t(label), value) for label, value in FAMILIES], value="normal",
                        description=_t("family of Q"),
                        style=_SLIDER_STYLE)
    canvas = _Canvas((7.0, 4.6), style)
    x = np.linspace(-11.0, 11.0, 600)
    with use_style(style):
        ax_d, ax_i = canvas.fig.subplots(2, 1, sharex=True, height_ratios=[3, 2])
        (p_line, p_fill), _, (q_line, _), (i_line, i_fill) = _fit_panels(ax_d, ax_i, x, "forward")
    canvas.dynamic(p_line, p_fill, q_line, i_line, i_fill)
    state = {"ylim": None, "ilim": None}

    def update():
        p = editor.target()
        if p is None:
            app.readout.value = f"<p>{_no_target()}</p>"
            for artist in (p_line, p_fill, q_line, i_line, i_fill):
                artist.set_visible(False)
            canvas.render(_t("Empty axes: P has no mass, so there is nothing to fit."))
            return
        for artist in (p_line, p_fill, q_line, i_line, i_fill):
            artist.set_visible(True)
        res = _apps.forward_state(p, family.value)
        y, yq = p.pdf(x), res.q.pdf(x)
        yi = integrand(p, res.q, x, direction="forward")
        p_line.set_ydata(y)
        p_fill.set_data(x, 0, y)
        q_line.set_ydata(yq)
        i_line.set_ydata(yi)
        i_fill.set_data(x, 0, yi)
        top = _nice_limit(max(y.max(), yq.max()) / _CURVE_SHARE[style], state["ylim"])
        itop = _nice_limit(max(yi.max(), 0.02), state["ilim"] and state["ilim"][1])
        ilim = (-0.35 * itop, itop)
        if top != state["ylim"] or ilim != state["ilim"]:
            state["ylim"], state["ilim"] = top, ilim
            ax_d.set_ylim(0, top)
            ax_i.set_ylim(*ilim)
        moments = ""
        if family.value == "normal":
            moments = "<br>" + _t("Moment matching: P's mean is {p_mean} and its sd {p_sd}; the fitted Q"
                                  " has mean {q_mean} and sd {q_sd}.", p_mean=fmt(p.mean),
                                  p_sd=fmt(p.sd), q_mean=fmt(res.q.mean), q_sd=fmt(res.q.sd))
        app.readout.value = (
            f"<p>P = {_describe(p)}.<br>"
            + _t("<b style='color:{colour}'>Forward fit</b> ({family}): Q = {q}.",
                 colour=PALETTE["forward"], family=_t(dict((v, k) for k, v in FAMILIES)[family.value]),
                 q=_describe(res.q))
            + "<br>"
            + _t("D(P‖Q) = <b>{d}</b> nats ({bits} bits), the shaded area below.",
                 d=fmt(res.divergence), bits=fmt(res.divergence / math.log(2)))
            + f"{moments}</p>"
        )
        canvas.render(_t(
            "Top: target P = {p} ({p_style}, shaded) and the forward-KL fit Q = {q} ({q_style})."
            " Bottom: the integrand p log p/q, whose area D(P‖Q) = {d} nats.",
            p=_describe(p), p_style=_looks("p"), q=_describe(res.q), q_style=_looks("forward"),
            d=fmt(res.divergence)))

    app.watch(editor.controls + [family], update)
    app.guard(update)()
    return app.box(explorers.TITLES["forward"],
                   W.VBox([editor.box, family]), canvas, explorers.placeholder("forward"))


# ------------------------------------------------------------ reverse KL

def reverse_explorer(*, style=None):
    """Fit a Normal Q to an editable P by reverse KL, D(Q||P), from a chosen start.

    Panels: P with the fitted Q and the start; the integrand
    q(x) log(q(x)/p(x)), whose area is D(Q||P); the landscape of D(Q||P)
    over Q's (mean, sd) with the optimiser's path from the start and the
    local optima found from a grid of starts (diamonds; the global one filled).

    Returns
    -------
    ipywidgets.VBox
    """
    style = resolve_style(style, param="style")
    app = _App(style)
    editor = _TargetEditor([(0.5, -3.0, 1.0), (0.5, 3.0, 1.0), (0.0, 0.0, 1.0)])
    start_mean = _slider(1.0, -6.0, 6.0, 0.1, _t("start: mean of Q"))
    start_sd = _slider(1.5, 0.2, 5.0, 0.05, _t("start: sd of Q"))
    canvas = _Canvas((9.6, 4.6), style)
    x = np.linspace(-11.0, 11.0, 600)
    means, sds = _apps.reverse_grid()
    with use_style(style):
        fig = canvas.fig
        grid = fig.add_gridspec(2, 2, width_ratios=[1.25, 1], height_ratios=[3, 2])
        ax_d = fig.add_subplot(grid[0, 0])
        ax_i = fig.add_subplot(grid[1, 0], sharex=ax_d)
        ax_l = fig.add_subplot(grid[:, 1])
        (p_line, p_fill), s_line, (q_line, _), (i_line, i_fill) = _fit_panels(
            ax_d, ax_i, x, "reverse", start=True)
        rs_r = role_style("reverse")
        ax_l.set_xlim(*_apps.REVERSE_MEANS)
        plotting.sd_axis(ax_l, *_apps.REVERSE_SDS)
        ax_l.set_xlabel("mean of Q")
        ax_l.set_title("D(Q‖P) over Normal Q", fontsize="medium")
        path_line, = ax_l.plot([], [], color="white", linewidth=3.2, solid_capstyle="round")
        path_core, = ax_l.plot([], [], color=rs_r["color"], marker=".", markersize=5,
                               linewidth=1.6, label="optimizer's path")
        start_mark, = ax_l.plot([], [], linestyle="none", marker="o", markerfacecolor="white",
                                markeredgecolor=rs_r["color"], markeredgewidth=2, label="start")
        glob_mark, = ax_l.plot([], [], linestyle="none", marker="D", color=rs_r["color"],
                               markeredgecolor="white", label="global optimum")
        loc_mark, = ax_l.plot([], [], linestyle="none", marker="D", markerfacecolor="white",
                              markeredgecolor=rs_r["color"], label="other local optima")
        _figure_legend(fig, (ax_d, ax_i, ax_l), ncol=4, style=style)
    for artist in (path_line, path_core, start_mark, glob_mark, loc_mark):
        artist.set_zorder(5)
    canvas.dynamic(p_line, p_fill, s_line, q_line, i_line, i_fill,
                   path_line, path_core, start_mark, glob_mark, loc_mark)
    state = {"ylim": None, "ilim": None, "p": None, "cs": None, "surface": None, "optima": None}
    dists = (p_line, p_fill, s_line, q_line, i_line, i_fill, path_line, path_core,
             start_mark, glob_mark, loc_mark)

    def update():
        p = editor.target()
        if p is None:
            app.readout.value = f"<p>{_no_target()}</p>"
            for artist in dists:
                artist.set_visible(False)
            if state["cs"] is not None:
                state["cs"].set_visible(False)
            state["p"] = None
            canvas.render(_t("Empty axes: P has no mass, so there is nothing to fit."))
            return
        for artist in dists:
            artist.set_visible(True)
        if p != state["p"]:
            surface = _apps.reverse_surface(p, means, sds)
            with use_style(style):
                cs = ax_l.contourf(means, sds, plotting._landscape_values(surface),
                                   levels=plotting._landscape_levels(14), cmap="viridis",
                                   extend="max", zorder=1)
            state["cs"] = canvas.replace(state["cs"], cs)
            state["p"], state["surface"] = p, surface
            state["optima"] = None
        start = Normal(start_mean.value, start_sd.value)
        st = _apps.reverse_state(p, start, optima=state["optima"], surface=state["surface"])
        state["optima"] = st.optima
        res, optima, rank = st.fit, st.optima, st.rank
        y, ys, yq = p.pdf(x), start.pdf(x), res.q.pdf(x)
        yi = integrand(p, res.q, x, direction="reverse")
        p_line.set_ydata(y)
        p_fill.set_data(x, 0, y)
        s_line.set_ydata(ys)
        q_line.set_ydata(yq)
        i_line.set_ydata(yi)
        i_fill.set_data(x, 0, yi)
        mu = np.array([q.mean for q in res.path])
        sd = np.array([q.sd for q in res.path])
        path_line.set_data(mu, sd)
        path_core.set_data(mu, sd)
        start_mark.set_data(mu[:1], sd[:1])
        glob_mark.set_data([optima[0].q.mean], [optima[0].q.sd])
        loc_mark.set_data([r.q.mean for r in optima[1:]], [r.q.sd for r in optima[1:]])
        top = _nice_limit(max(y.max(), yq.max(), ys.max()) / _CURVE_SHARE[style], state["ylim"])
        itop = _nice_limit(max(yi.max(), 0.02), state["ilim"] and state["ilim"][1])
        ilim = (-0.5 * itop, itop)
        if top != state["ylim"] or ilim != state["ilim"]:
            state["ylim"], state["ilim"] = top, ilim
            ax_d.set_ylim(0, top)
            ax_i.set_ylim(*ilim)
        if not res.converged:
            verdict = " " + _t("The optimizer stopped before reaching a minimum.")
        elif rank == 0:
            verdict = " " + _t("This is the global optimum.")
        elif rank is None:
            verdict = " " + _t("(A minimum the landscape grid missed.)")
        else:
            verdict = " " + _t("This is a local optimum, not the global one: the best is {best} with"
                               " D(Q‖P) = {d}.", best=_describe_normal(optima[0].q),
                               d=fmt(optima[0].divergence))
        listing = "; ".join(f"{_describe_normal(r.q)}: {fmt(r.divergence)}" for r in optima)
        app.readout.value = (
            f"<p>P = {_describe(p)}.<br>"
            + _t("Start {start} → <b style='color:{colour}'>reverse fit</b> Q = {q} after {n} steps:"
                 " D(Q‖P) = <b>{d}</b> nats.", start=_describe_normal(start), colour=PALETTE["reverse"],
                 q=_describe_normal(res.q), n=len(res.path) - 1, d=fmt(res.divergence))
            + f"{verdict}<br>"
            + _t("Local optima found from a grid of starts ({n}): {list}.", n=len(optima), list=listing)
            + "</p>"
        )
        canvas.render(_t(
            "Left: target P = {p} ({p_style}), the start {start} ({s_style}) and the reverse-KL fit {q}"
            " ({q_style}); below, the integrand q log q/p with area {d} nats. Right: contour map of"
            " D(Q‖P) over Q's mean and sd with the optimizer's path from the start and {n} local"
            " optima marked.",
            p=_describe(p), p_style=_looks("p"), start=_describe_normal(start),
            s_style=_looks("reverse", ":"), q=_describe_normal(res.q), q_style=_looks("reverse"),
            d=fmt(res.divergence), n=len(optima)))

    app.watch(editor.controls + [start_mean, start_sd], update)
    app.guard(update)()
    controls = W.VBox([editor.box, W.HBox([start_mean, start_sd])])
    return app.box(explorers.TITLES["reverse"],
                   controls, canvas, explorers.placeholder("reverse"))


# ------------------------------------------------------- the phase picture


def phase_explorer(phase=None, *, style=None):
    """Slide the separation of P = 0.5 N(-a, 1) + 0.5 N(a, 1) and watch the
    reverse-KL optima of a Normal Q appear, swap rank and vanish.

    Parameters
    ----------
    phase : klbook.plotting.Phase, optional
        Precomputed ``plotting.phase_data`` for the right panel; default a
        grid of a from 0 to 4.5.

    Returns
    -------
    ipywidgets.VBox
    """
    style = resolve_style(style, param="style")
    app = _App(style)
    if phase is None:
        phase = plotting.phase_data(np.linspace(0.0, 4.5, 91))
    lo, hi = float(phase.a.min()), float(phase.a.max())
    sep = _slider(min(max(2.6, lo), hi), lo, hi, 0.05, _t("half-separation a"), width="520px")
    canvas = _Canvas((9.6, 3.2), style)
    x = np.linspace(-hi - 4.0, hi + 4.0, 500)
    with use_style(style):
        ax_p, ax_m = canvas.fig.subplots(1, 2)
        rs_p = role_style("p")
        p_line, = ax_p.plot(x, x * 0, color=rs_p["color"], label=rs_p["label"])
        p_fill = ax_p.fill_between(x, 0, x * 0, color=rs_p["color"], alpha=0.12, linewidth=0)
        c_line, = ax_p.plot(x, x * 0, color=PALETTE["reverse"], label="centred optimum")
        s_lines = [ax_p.plot(x, x * 0, color=PALETTE["accent"], linestyle="-.",
                             label="one-mode optima" if k == 0 else None)[0] for k in range(2)]
        ax_p.set_xlim(x[0], x[-1])
        ax_p.set_ylim(0, 0.6)
        ax_p.set_xlabel("x")
        ax_p.set_ylabel("density")
        plotting.plot_phase(phase, axes=(ax_m, Figure().subplots()), legend=False)
        _figure_legend(canvas.fig, (ax_p, ax_m), ncol=3, style=style)
        cursor = ax_m.axvline(sep.value, color=PALETTE["p"], linewidth=1.5)
    canvas.dynamic(p_line, p_fill, c_line, *s_lines, cursor)
    t = phase.thresholds

    def update():
        a = sep.value
        st = _apps.phase_state(a)
        p, opt = st.p, st.optima
        y = p.pdf(x)
        p_line.set_ydata(y)
        p_fill.set_data(x, 0, y)
        centred = [r for r in opt if _apps.is_centred(r.q)]
        side = [r for r in opt if not _apps.is_centred(r.q)]
        c_line.set_visible(bool(centred))
        if centred:
            c_line.set_ydata(centred[0].q.pdf(x))
        for k, line in enumerate(s_lines):
            line.set_visible(k < len(side))
            if k < len(side):
                line.set_ydata(side[k].q.pdf(x))
        cursor.set_xdata([a, a])
        appear, global_ = fmt(t.appear, 2), fmt(t.global_, 2)
        if a < t.appear:
            regime = _t("below {appear}: the centred Q is the only optimum, so reverse KL does"
                        " <i>not</i> pick a mode here.", appear=appear)
        elif a < t.global_:
            regime = _t("between {appear} and {global_}: one-mode optima exist, but the centred Q is"
                        " still the global optimum.", appear=appear, global_=global_)
        else:
            regime = _t("above {global_}: a one-mode Q is the global optimum; the centred Q is still"
                        " a (worse) local optimum, so a start in the middle stays there.",
                        global_=global_)
        listing = "; ".join(f"{_describe_normal(r.q)}: D(Q‖P) = {fmt(r.divergence)}" for r in opt)
        app.readout.value = (f"<p>a = {fmt(a, 2)}, {regime}<br>"
                             + _t("Local optima ({n}): {list} (best first).", n=len(opt), list=listing)
                             + "</p>")
        kinds = [_t("a centred Normal ({colour})", colour=_colour("reverse"))] if centred else []
        if side:
            kinds.append(_t("one Normal on each mode ({style})", style=_looks("accent", "-.")))
        canvas.render(_t(
            "Left: P with modes at ±{a} and its {n} reverse-KL optima: {kinds}. Right: the phase"
            " picture of optimum means against a, with a cursor at a = {a}.",
            a=f"{a:.2f}", n=len(opt),
            kinds=_t("{first} and {second}", first=kinds[0], second=kinds[1]) if len(kinds) == 2
            else "".join(kinds)))

    app.watch([sep], update)
    app.guard(update)()
    return app.box(explorers.TITLES["phase"], sep, canvas,
                   explorers.placeholder("phase"))


# ------------------------------------------------ apps of the later chapters
# Each lives in its own module (klbook/_widgets_<name>.py), which builds on the
# plumbing above; this module hands them out lazily (klbook.widgets.<name>),
# so importing one of those modules first causes no import cycle.
_LATER_APPS = {
    "meanfield_explorer": "_widgets_meanfield",
    "alpha_explorer": "_widgets_alpha",
    "estimate_explorer": "_widgets_estimate",
    "rlhf_explorer": "_widgets_rlhf",
    "distill_explorer": "_widgets_distill",
}
__all__ += list(_LATER_APPS)


def __getattr__(name):
    if name in _LATER_APPS:
        import importlib

        return getattr(importlib.import_module(f".{_LATER_APPS[name]}", __package__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

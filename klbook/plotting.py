"""Figures for the book: one palette, two styles, plot functions that return artists.

Roles keep their colour and line style everywhere in the book: the target P
is black and shaded, a Q fitted by forward KL D(P||Q) is blue and dashed, a Q
fitted by reverse KL D(Q||P) is vermillion and dash-dotted. The colours are
the Okabe–Ito palette, readable with every common colour-vision deficiency;
the line styles keep the roles apart in greyscale too.

Every plot function takes ``ax=None`` (the current axes then) and returns its
artists, so widgets can update them in place. Nothing here changes global
``rcParams``: looks come from the :func:`style` context manager.

Readers without a kernel get the apps as kernel-free explorers
(:mod:`klbook.explorers`), which draw the same roles in the same colours.
"""

import contextlib
import os
from typing import NamedTuple

import matplotlib as mpl
import numpy as np
from cycler import cycler

# Re-exported for the chapters (kp.phase_data, kp.symmetric_target): the numbers live in _apps.
from ._apps import Phase, phase_data, symmetric_optima, symmetric_target  # noqa: F401
from ._distributions import Categorical, Mixture, Normal

#: The Okabe–Ito colour-vision-safe palette (Okabe & Ito, 2008), by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: The book's colour for each role; the only place colours are chosen.
PALETTE = {
    "p": OKABE_ITO["black"],
    "forward": OKABE_ITO["blue"],
    "reverse": OKABE_ITO["vermillion"],
    "q": OKABE_ITO["bluish green"],
    "mixture": OKABE_ITO["bluish green"],
    "accent": OKABE_ITO["orange"],
    "other": OKABE_ITO["reddish purple"],
    "muted": "#999999",
}

#: The backgrounds that text in a role's colour (the explorers' readouts) is
#: read on: the website's light page and surfaces, and in its dark mode the
#: light card pydata-sphinx-theme 0.17 puts behind every HTML cell output
#: (``--pst-color-background``, ``-surface``, dark ``--pst-color-text-base``);
#: slide decks are white.
TEXT_BACKGROUNDS = ("#FFFFFF", "#F3F4F5", "#CED6DD")

#: WCAG 2.1 AA: the least contrast ratio for normal-size text (1.4.3).
MIN_TEXT_CONTRAST = 4.5


def _luminance(colour):
    """WCAG 2.1 relative luminance of a ``#RRGGBB`` colour."""
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    linear = np.where(rgb <= 0.03928, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(colour, background):
    """WCAG 2.1 contrast ratio of two ``#RRGGBB`` colours, from 1 to 21."""
    hi, lo = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_colour(colour, backgrounds, *, ratio=MIN_TEXT_CONTRAST):
    """`colour` as text: mixed with black (light backgrounds) or white (dark ones)
    in steps of 1/64, just enough to reach `ratio` against every background.

    The hue stays, so the text still names its line's role by colour; a colour
    that already reads well is returned unchanged.
    """
    towards = 0.0 if _luminance(backgrounds[0]) > 0.5 else 255.0
    rgb = np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)
    for step in range(65):
        mixed = "#" + "".join(f"{round(v):02X}" for v in rgb + (towards - rgb) * step / 64)
        if all(contrast_ratio(mixed, b) >= ratio for b in backgrounds):
            return mixed
    raise ValueError(f"`ratio` {ratio} cannot be reached against {backgrounds}")


#: Text in a role's colour (readouts naming a fit): PALETTE's colour darkened
#: until it meets WCAG AA on every TEXT_BACKGROUNDS (PALETTE stays the lines').
TEXT_PALETTE = {role: text_colour(colour, TEXT_BACKGROUNDS) for role, colour in PALETTE.items()}

#: Line style and legend label for each role (colour comes from PALETTE).
_ROLES = {
    "p": {"linestyle": "-", "label": "P (target)"},
    "forward": {"linestyle": "--", "label": "Q fitted by forward KL D(P‖Q)"},
    "reverse": {"linestyle": "-.", "label": "Q fitted by reverse KL D(Q‖P)"},
    "q": {"linestyle": ":", "label": "Q (model)"},
    "mixture": {"linestyle": ":", "label": "Q, two-component mixture"},
    "accent": {"linestyle": "-", "label": None},
    "other": {"linestyle": "-", "label": None},
    "muted": {"linestyle": "-", "label": None},
}

_CYCLE = cycler(
    color=[OKABE_ITO[k] for k in ("blue", "vermillion", "bluish green", "orange",
                                   "reddish purple", "sky blue", "black")]
)

_BOOK = {
    "figure.figsize": (7.0, 3.2),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "axes.linewidth": 0.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": _CYCLE,
    "image.cmap": "viridis",
}

_LECTURE = {
    **_BOOK,
    "figure.figsize": (11.0, 5.5),
    "font.size": 18,
    "axes.titlesize": 20,
    "axes.labelsize": 18,
    "xtick.labelsize": 16,
    "ytick.labelsize": 16,
    "legend.fontsize": 15,
    "lines.linewidth": 4.0,
    "lines.markersize": 11,
    "axes.linewidth": 1.6,
    "xtick.major.width": 1.6,
    "ytick.major.width": 1.6,
    "xtick.major.size": 7,
    "ytick.major.size": 7,
}

_STYLES = {"book": _BOOK, "lecture": _LECTURE}


def resolve_style(name=None, *, param="name"):
    """The look to use: `name`, or when it is None the environment variable
    ``KLBOOK_STYLE`` (default "book"). ``make slides`` runs the chapters with
    ``KLBOOK_STYLE=lecture``, so the same cells give projector-sized figures.

    Examples
    --------
    >>> resolve_style("lecture")
    'lecture'
    """
    if name is None:
        value = os.environ.get("KLBOOK_STYLE", "book")
        if value not in _STYLES:
            raise ValueError(f"`KLBOOK_STYLE` must be 'book' or 'lecture', got {value!r}")
        return value
    if name not in _STYLES:
        raise ValueError(f"`{param}` must be 'book' or 'lecture', got {name!r}")
    return name


@contextlib.contextmanager
def style(name=None):
    """Use the book's or the lecture's look inside a ``with`` block.

    Parameters
    ----------
    name : {"book", "lecture"}, optional
        "book": the website's figures. "lecture": large fonts and thick
        lines for a projector. Default: the ``KLBOOK_STYLE`` environment
        variable, else "book" (see :func:`resolve_style`).

    Raises
    ------
    ValueError
        If `name` is not one of the two styles.

    Notes
    -----
    Built on ``matplotlib.rc_context``: every rcParam is restored on exit,
    even after an error, so one slide's look never leaks into the book.

    Examples
    --------
    >>> import matplotlib as mpl
    >>> before = mpl.rcParams["font.size"]
    >>> with style("lecture"):
    ...     mpl.rcParams["font.size"]
    18.0
    >>> mpl.rcParams["font.size"] == before
    True
    """
    with mpl.rc_context(_STYLES[resolve_style(name)]):
        yield


def role_style(role):
    """Return the colour, line style and default label of a role.

    Parameters
    ----------
    role : str
        One of ``"p"`` (target), ``"forward"`` (Q fitted by forward KL),
        ``"reverse"`` (Q fitted by reverse KL), ``"q"`` (any other model),
        ``"mixture"``, ``"accent"``, ``"other"``, ``"muted"``.

    Raises
    ------
    ValueError
        For an unknown role.
    """
    if role not in _ROLES:
        raise ValueError(f"`role` must be one of {sorted(_ROLES)}, got {role!r}")
    return {"color": PALETTE[role], **_ROLES[role]}


#: Words for the line styles the roles use, for text that describes a figure.
LINESTYLE_NAMES = {"-": "solid", "--": "dashed", "-.": "dash-dotted", ":": "dotted"}
COLOUR_NAMES = {v: k for k, v in OKABE_ITO.items()} | {PALETTE["muted"]: "grey"}


def colour_name(role):
    """The palette's own name for a role's colour, e.g. ``"vermillion"`` for ``"reverse"``."""
    return COLOUR_NAMES[role_style(role)["color"]]


def describe_role(role, linestyle=None):
    """How a role's line looks, in words from the palette: e.g. ``"blue dashed"``.

    Alt texts and readouts say this instead of naming colours themselves, so
    a change of palette changes the words too.

    >>> describe_role("forward"), describe_role("p")
    ('blue dashed', 'black solid')
    """
    rs = role_style(role)
    return f"{COLOUR_NAMES[rs['color']]} {LINESTYLE_NAMES[linestyle or rs['linestyle']]}"


def _current_ax(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        return plt.gca()
    return ax


def _components(dist):
    if isinstance(dist, (Normal, Mixture)):
        return np.atleast_1d(dist.means), np.atleast_1d(dist.sds)
    raise ValueError(f"`dist` must be a Normal or a Mixture, got {dist!r}")


def x_grid(*dists, n=601, reach=4.0):
    """Points covering where any of `dists` has visible density.

    Parameters
    ----------
    *dists : Normal or Mixture
    n : int
        Number of points.
    reach : float
        How many sds past the outermost component the grid extends.
    """
    if not dists:
        raise ValueError("`dists` must name at least one distribution, got none")
    lo, hi = np.inf, -np.inf
    for d in dists:
        m, s = _components(d)
        lo = min(lo, float((m - reach * s).min()))
        hi = max(hi, float((m + reach * s).max()))
    return np.linspace(lo, hi, int(n))


class DensityArtists(NamedTuple):
    """What :func:`plot_density` draws: the curve and the shading under it (or None)."""

    line: object
    fill: object


def plot_density(dist, x=None, *, ax=None, role="p", label=None, fill=None, **line_kw):
    """Draw the density of `dist` in the colour and line style of `role`.

    Parameters
    ----------
    dist : Normal or Mixture
    x : array-like, optional
        Where to evaluate; default :func:`x_grid` of `dist`.
    ax : matplotlib Axes, optional
    role : str
        See :func:`role_style`; ``"p"`` for the target.
    label : str, optional
        Legend label; default the role's label.
    fill : bool, optional
        Shade under the curve; default True for the target only.
    **line_kw
        Passed to ``ax.plot``.

    Returns
    -------
    DensityArtists
        ``(line, fill)``; update them with ``line.set_data(x, y)`` and
        ``fill.set_data(x, 0, y)``.
    """
    ax = _current_ax(ax)
    rs = role_style(role)
    x = x_grid(dist) if x is None else np.asarray(x, dtype=float)
    y = dist.pdf(x)
    kw = {"color": rs["color"], "linestyle": rs["linestyle"],
          "label": rs["label"] if label is None else label, **line_kw}
    (line,) = ax.plot(x, y, **kw)
    if fill is None:
        fill = role == "p"
    poly = ax.fill_between(x, 0.0, y, color=rs["color"], alpha=0.12, linewidth=0) if fill else None
    return DensityArtists(line, poly)


def plot_fits(p, *, forward=None, reverse=None, others=(), x=None, ax=None, legend=True):
    """Draw a target and its fitted models on one axes.

    Parameters
    ----------
    p : Normal or Mixture
        The target P.
    forward, reverse : Normal or Mixture, optional
        Q fitted by forward KL D(P||Q) and by reverse KL D(Q||P).
    others : sequence of (distribution, role, label)
        Extra curves, e.g. other local optima.
    x : array-like, optional
        Default: a grid covering every curve.

    Returns
    -------
    dict
        role -> DensityArtists (``"others"`` -> list of them).
    """
    ax = _current_ax(ax)
    dists = [d for d in (p, forward, reverse) if d is not None] + [o[0] for o in others]
    x = x_grid(*dists) if x is None else x
    out = {"p": plot_density(p, x, ax=ax, role="p")}
    if forward is not None:
        out["forward"] = plot_density(forward, x, ax=ax, role="forward")
    if reverse is not None:
        out["reverse"] = plot_density(reverse, x, ax=ax, role="reverse")
    out["others"] = [plot_density(d, x, ax=ax, role=r, label=lab) for d, r, lab in others]
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    peak = max(float(np.max(a.line.get_ydata())) for a in
               [out["p"], out.get("forward"), out.get("reverse"), *out["others"]] if a is not None)
    # Head-room above the tallest curve keeps the legend off the data.
    ax.set_ylim(0, (1.45 if legend else 1.08) * peak)
    if legend:
        ax.legend(loc="upper right", fontsize="small")
    return out


def integrand(p, q, x, *, direction="forward"):
    """The pointwise KL integrand on `x`, with P the target and Q the model.

    forward: ``p(x) log(p(x)/q(x))`` (integrates to D(P||Q));
    reverse: ``q(x) log(q(x)/p(x))`` (integrates to D(Q||P)).
    Computed from log densities, so it stays finite where a density underflows.
    """
    direction = _direction(direction)
    lp, lq = p.logpdf(x), q.logpdf(x)
    if direction == "forward":
        return np.exp(lp) * (lp - lq)
    return np.exp(lq) * (lq - lp)


def _direction(direction):
    if direction not in ("forward", "reverse"):
        raise ValueError(f"`direction` must be 'forward' or 'reverse', got {direction!r}")
    return direction


def plot_integrand(p, q, x=None, *, direction="forward", ax=None, label=None):
    """Draw the KL integrand (see :func:`integrand`), shaded, in the direction's colour.

    The shaded area is the divergence: D(P||Q) for ``direction="forward"``,
    D(Q||P) for ``"reverse"``. It dips below zero where the weighting
    density's log ratio is negative; the total never does.

    Returns
    -------
    DensityArtists
        ``(line, fill)``.
    """
    ax = _current_ax(ax)
    direction = _direction(direction)
    rs = role_style(direction)
    x = x_grid(p, q) if x is None else np.asarray(x, dtype=float)
    y = integrand(p, q, x, direction=direction)
    if label is None:
        label = "p(x) log p(x)/q(x)" if direction == "forward" else "q(x) log q(x)/p(x)"
    (line,) = ax.plot(x, y, color=rs["color"], linestyle=rs["linestyle"], label=label)
    poly = ax.fill_between(x, 0.0, y, color=rs["color"], alpha=0.25, linewidth=0)
    ax.axhline(0.0, color=PALETTE["muted"], linewidth=0.8)
    ax.set_xlabel("x")
    return DensityArtists(line, poly)


def plot_bars(p, q=None, *, labels=None, ax=None, p_label="P", q_label="Q"):
    """Bar chart of one or two discrete distributions side by side.

    Parameters
    ----------
    p, q : Categorical or 1-D array-like of probabilities
    labels : sequence of str, optional
        Outcome names; default a Categorical's labels, else 0, 1, ...

    Returns
    -------
    tuple of BarContainer
        P's bars and (if `q` is given) Q's bars; update heights with
        ``bar.set_height``.
    """
    ax = _current_ax(ax)
    pv = p.probs if isinstance(p, Categorical) else np.asarray(p, dtype=float)
    if labels is None:
        labels = p.labels if isinstance(p, Categorical) else [str(i) for i in range(pv.size)]
    k = np.arange(pv.size)
    width = 0.4 if q is not None else 0.7
    bars = [ax.bar(k - (width / 2 if q is not None else 0), pv, width, color=PALETTE["p"],
                   alpha=0.75, label=p_label)]
    if q is not None:
        qv = q.probs if isinstance(q, Categorical) else np.asarray(q, dtype=float)
        bars.append(ax.bar(k + width / 2, qv, width, color=PALETTE["q"], label=q_label,
                           hatch="//", edgecolor="white"))
    ax.set_xticks(k, [str(s) for s in labels])
    ax.set_ylabel("probability")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right")
    return tuple(bars)


def landscape_grid(p, *, n_mean=61, n_sd=49, sd_range=None):
    """Default (means, sds) grid for :func:`plot_landscape`: Q's mean spans P's
    range, Q's sd runs log-spaced from a fifth of P's narrowest component to
    twice P's overall sd."""
    m, s = _components(p)
    lo, hi = float((m - 2.5 * s).min()), float((m + 2.5 * s).max())
    means = np.linspace(lo, hi, n_mean)
    if sd_range is None:
        sd_range = (0.2 * float(s.min()), 2.0 * float(p.sd))
    sds = np.geomspace(sd_range[0], sd_range[1], n_sd)
    return means, sds


def plot_landscape(p, *, direction="reverse", means=None, sds=None, surface=None, ax=None,
                   levels=14, colorbar=True):
    """Contour map of the KL divergence over Normal models Q = N(mean, sd²).

    Parameters
    ----------
    p : Normal or Mixture
        The target P.
    direction : {"forward", "reverse"}
        Map D(P||Q) or D(Q||P).
    means, sds : 1-D arrays, optional
        Grid of Q's parameters; default :func:`landscape_grid`.
    surface : 2-D array, optional
        Precomputed ``klbook.kl_surface(p, means, sds, direction=...)``.
    levels : int
        Number of contour levels, spaced geometrically above the minimum so
        the valleys show.

    Returns
    -------
    QuadContourSet
        The filled contours (the sd axis is log-scaled).
    """
    from ._fit import kl_surface

    ax = _current_ax(ax)
    direction = _direction(direction)
    if means is None or sds is None:
        means, sds = landscape_grid(p)
    if surface is None:
        surface = kl_surface(p, means, sds, direction=direction)
    cs = ax.contourf(means, sds, _landscape_values(surface), levels=_landscape_levels(levels),
                     cmap="viridis", extend="max")
    sd_axis(ax, sds[0], sds[-1])
    ax.set_xlabel("mean of Q")
    if colorbar:
        cb = ax.figure.colorbar(cs, ax=ax)
        cb.set_label(("D(P‖Q)" if direction == "forward" else "D(Q‖P)") + " − min, nats")
        cb.set_ticks([0.01, 0.1, 1, 10])
        cb.set_ticklabels(["0.01", "0.1", "1", "10"])
    return cs


def sd_axis(ax, lo, hi):
    """Make the y axis a log-scaled "sd of Q" axis from `lo` to `hi` with plain tick labels."""
    from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

    ax.set_yscale("log")
    ax.set_ylim(lo, hi)
    ticks = [t for t in (0.1, 0.2, 0.5, 1, 2, 5, 10, 20) if lo <= t <= hi]
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_major_formatter(ScalarFormatter())
    ax.yaxis.set_minor_formatter(NullFormatter())
    ax.set_ylabel("sd of Q (log scale)")


def _landscape_values(surface):
    surface = np.asarray(surface, dtype=float)
    finite = np.isfinite(surface)
    floor = surface[finite].min() if finite.any() else 0.0
    # Distance above the grid's minimum, floored for the log-spaced levels.
    return np.where(finite, surface - floor, np.inf)


def _landscape_levels(levels):
    return np.concatenate([[0.0], np.geomspace(1e-2, 20.0, int(levels) - 1)])


def plot_path(path, *, ax=None, role="reverse", label="optimizer's path"):
    """Draw an optimizer's path over (mean, sd) on a landscape.

    Parameters
    ----------
    path : sequence of Normal, or a FitResult (its ``.path`` is used)

    Returns
    -------
    tuple
        ``(line, start_marker, end_marker)``.
    """
    ax = _current_ax(ax)
    path = getattr(path, "path", path)
    mu, sd = path_coordinates(path)
    color = role_style(role)["color"]
    ax.plot(mu, sd, color="white", linewidth=3.5, solid_capstyle="round")
    (line,) = ax.plot(mu, sd, color=color, linestyle="-", marker=".", markersize=4,
                      linewidth=1.5, label=label)
    (start,) = ax.plot(mu[:1], sd[:1], linestyle="none", marker="o", markerfacecolor="white",
                       markeredgecolor=color, label="start")
    (end,) = ax.plot(mu[-1:], sd[-1:], linestyle="none", marker="*", markersize=14,
                     color=color, markeredgecolor="white", label="end")
    return line, start, end


def path_coordinates(path):
    """Means and sds along a path of Normals, as two arrays."""
    mu = np.array([q.mean for q in path], dtype=float)
    sd = np.array([q.sd for q in path], dtype=float)
    return mu, sd


def plot_optima(optima, *, ax=None, role="reverse"):
    """Mark local optima (FitResults with Normal ``.q``) on a landscape:
    the global one filled, the others hollow.

    Returns
    -------
    tuple
        ``(global_marker, local_markers)`` Line2D artists.
    """
    ax = _current_ax(ax)
    color = role_style(role)["color"]
    mu = np.array([r.q.mean for r in optima])
    sd = np.array([r.q.sd for r in optima])
    (glob,) = ax.plot(mu[:1], sd[:1], linestyle="none", marker="D", color=color,
                      markeredgecolor="white", label="global optimum")
    (loc,) = ax.plot(mu[1:], sd[1:], linestyle="none", marker="D", markerfacecolor="white",
                     markeredgecolor=color, label="other local optimum")
    return glob, loc


def plot_phase(phase, *, axes=None, marker_a=None, legend=True):
    """The reverse-KL phase picture for symmetric two-mode targets.

    Left: the mean of every locally optimal Normal Q against the
    half-separation a of P = 0.5 N(-a, sd²) + 0.5 N(a, sd²) (the centred
    branch at 0, the single-mode branches at ±m); solid where the optimum is
    global, dashed where it is only local. Right: their divergences D(Q||P).
    Dotted verticals mark where single-mode optima appear and where they
    become global.

    Parameters
    ----------
    phase : Phase
        From :func:`phase_data`.
    axes : pair of Axes, optional
        Default: two new axes on the current pyplot figure.
    marker_a : float, optional
        Draw a vertical cursor at this half-separation on both axes.

    Returns
    -------
    dict
        Named artists; ``"cursor"`` (a pair of lines) only with `marker_a`.
    """
    if axes is None:
        import matplotlib.pyplot as plt

        axes = plt.gcf().subplots(1, 2)
    ax_m, ax_d = axes
    a = phase.a
    t = phase.thresholds
    side_global = phase.side <= np.where(np.isnan(phase.centred), np.inf, phase.centred)
    cen, side = PALETTE["reverse"], PALETTE["accent"]
    out = {}
    out["centred_global"] = ax_m.plot(a, np.where(~side_global, 0.0, np.nan), color=cen,
                                      label="centred optimum, global")[0]
    out["centred_local"] = ax_m.plot(a, np.where(side_global, 0.0, np.nan), color=cen,
                                     linestyle="--", label="centred optimum, local only")[0]
    for sign in (1, -1):
        out[f"side_global{sign:+d}"] = ax_m.plot(
            a, np.where(side_global, sign * phase.side_mean, np.nan), color=side,
            linestyle="-.", label="one-mode optima, global" if sign == 1 else None)[0]
        out[f"side_local{sign:+d}"] = ax_m.plot(
            a, np.where(~side_global, sign * phase.side_mean, np.nan), color=side,
            linestyle=(0, (1, 1.5)), label="one-mode optima, local only" if sign == 1 else None)[0]
    out["modes"] = ax_m.fill_between(a, -a, a, color=PALETTE["muted"], alpha=0.25, linewidth=0,
                                     label="between P's modes ±a")
    ax_m.set_xlabel("half-separation a of P's modes")
    ax_m.set_ylabel("mean of a locally optimal Q")
    out["centred_d"] = ax_d.plot(a, phase.centred, color=cen, label="centred optimum")[0]
    out["side_d"] = ax_d.plot(a, phase.side, color=side, linestyle="-.",
                              label="one-mode optimum")[0]
    ax_d.set_xlabel("half-separation a of P's modes")
    ax_d.set_ylabel("D(Q‖P) at the optimum, nats")
    marks = ((t.appear, "one-mode optima appear"), (t.global_, "… and become global"))
    for ax in (ax_m, ax_d):
        for value, _ in marks:
            ax.axvline(value, color=PALETTE["muted"], linestyle=":", linewidth=1.2)
        ax.set_xlim(a.min(), a.max())
    # Both labels at the top, one under the other: at the bottom the second ran
    # into the centred curve and the x-axis.
    for (value, name), drop in zip(marks, (3, 15)):
        ax_d.annotate(name, (value, 1.0), xycoords=("data", "axes fraction"),
                      xytext=(-3, -drop), textcoords="offset points",
                      ha="right", va="top", fontsize="small", color="#444444")
    if legend:
        ax_m.legend(loc="upper left", fontsize="small")
        ax_d.legend(loc="lower right", fontsize="small")
    if marker_a is not None:
        out["cursor"] = (ax_m.axvline(marker_a, color=PALETTE["p"], linewidth=1.5),
                         ax_d.axvline(marker_a, color=PALETTE["p"], linewidth=1.5))
    return out

"""The live mean-field app, and the panel it shares with its chapter.

P = N(0, [[s1², rho s1 s2], [rho s1 s2, s2²]]) is the target; Q is a Normal
with diagonal covariance. The forward fit minimises D(P||Q), the reverse fit
D(Q||P). Re-exported by :mod:`klbook.widgets` as ``meanfield_explorer``.
"""

import ipywidgets as W

from . import explorers
from ._apps_meanfield import ellipse, meanfield_state
# Importing the explorer module registers the app (its title and data builder).
from ._explore_meanfield import MEANFIELD_LIM
from .i18n import widget_text as _t
from .plotting import PALETTE, role_style
from .plotting import style as use_style

__all__ = ["meanfield_explorer", "plot_meanfield", "update_meanfield"]

#: Ellipses drawn per distribution: 1 sd (full width) and 2 sd (thinner).
_SDS = (1.0, 2.0)
_ROLES = (("p", "P (target)"), ("forward", "forward fit: min D(P‖Q)"),
          ("reverse", "reverse fit: min D(Q‖P)"))


def plot_meanfield(state, *, ax=None, legend=True, lim=MEANFIELD_LIM):
    """Draw P and its two factorized fits as 1-sd and 2-sd ellipses on one square panel.

    Parameters
    ----------
    state : MeanfieldState
        From :func:`klbook._apps_meanfield.meanfield_state`: P, the forward
        fit (min D(P||Q)) and the reverse fit (min D(Q||P)).
    ax : matplotlib Axes, optional
        Default: the current axes.
    legend : bool
        Add a legend (one entry per distribution).
    lim : float
        The axes run from -lim to lim in both coordinates.

    Returns
    -------
    dict
        Role (``"p"``, ``"forward"``, ``"reverse"``) to its two Line2D artists
        (1 sd, 2 sd), for :func:`update_meanfield`.
    """
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    artists = {}
    for role, label in _ROLES:
        rs = role_style(role)
        artists[role] = [ax.plot([], [], color=rs["color"], linestyle=rs["linestyle"],
                                 linewidth=lw, label=label if k == 0 else None)[0]
                         for k, lw in enumerate((2.0, 1.1))]
    ax.axhline(0, color=PALETTE["muted"], linewidth=0.6)
    ax.axvline(0, color=PALETTE["muted"], linewidth=0.6)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel("x₁")
    ax.set_ylabel("x₂")
    if legend:
        ax.legend(loc="upper left", fontsize="x-small", framealpha=0.9)
    update_meanfield(artists, state)
    return artists


def update_meanfield(artists, state):
    """Set the ellipses made by :func:`plot_meanfield` to another state, in place."""
    covs = {"p": state.p.cov, "forward": state.forward.cov, "reverse": state.reverse.cov}
    for role, lines in artists.items():
        for line, k in zip(lines, _SDS):
            line.set_data(*ellipse(covs[role], k))


def describe_meanfield(state):
    """Alt text for the panel, built from the state and the palette's names."""
    fv, rv = state.forward_var, state.reverse_var
    return _t("Ellipses at 1 and 2 standard deviations (thick and thin) of the target P with"
              " correlation {rho} and sds {s1}, {s2} ({p_style}, tilted); of the forward fit, an"
              " axis-aligned ellipse with variances {fv1} and {fv2} ({f_style}); and of the reverse"
              " fit, axis-aligned with variances {rv1} and {rv2} ({r_style}). Minimised divergences:"
              " D(P‖Q) = {dpq} nats forward, D(Q‖P) = {dqp} nats reverse.",
              rho=fmt(state.rho, 2), s1=fmt(state.s1, 2), s2=fmt(state.s2, 2), p_style=_looks("p"),
              fv1=fmt(fv[0]), fv2=fmt(fv[1]), f_style=_looks("forward"), rv1=fmt(rv[0]),
              rv2=fmt(rv[1]), r_style=_looks("reverse"), dpq=fmt(state.d_forward),
              dqp=fmt(state.d_reverse))


def meanfield_explorer(*, style=None):
    """A correlated 2-D Normal P with its factorized (mean-field) fits in both directions.

    Sliders set P's correlation rho and marginal sds s1, s2. The forward fit
    minimises D(P||Q) (it keeps P's marginal variances, covering P); the
    reverse fit minimises D(Q||P) (variances s_i²(1 - rho²), inside P).

    Returns
    -------
    ipywidgets.VBox
    """
    app = _App(style)
    rho = _slider(0.8, -0.95, 0.95, 0.05, _t("correlation ρ"))
    s1 = _slider(1.5, 0.5, 2.0, 0.05, _t("sd s₁ of x₁"))
    s2 = _slider(1.0, 0.5, 2.0, 0.05, _t("sd s₂ of x₂"))
    canvas = _Canvas((4.4, 4.4), app.style)
    with use_style(app.style):
        ax = canvas.fig.subplots()
        artists = plot_meanfield(meanfield_state(rho.value, s1.value, s2.value), ax=ax)
    canvas.dynamic(*(line for lines in artists.values() for line in lines))

    def update():
        st = meanfield_state(rho.value, s1.value, s2.value)
        update_meanfield(artists, st)
        fv, rv = st.forward_var, st.reverse_var
        app.readout.value = (
            "<p>" + _t("P: correlation ρ = {rho}, variances {pv1} and {pv2}.", rho=fmt(st.rho, 2),
                       pv1=fmt(fv[0]), pv2=fmt(fv[1])) + "<br>"
            + _t("<b style='color:{colour}'>Forward fit</b> (marginal variances): {fv1} and {fv2};"
                 " D(P‖Q) = <b>{dpq}</b> nats.", colour=PALETTE["forward"], fv1=fmt(fv[0]),
                 fv2=fmt(fv[1]), dpq=fmt(st.d_forward)) + "<br>"
            + _t("<b style='color:{colour}'>Reverse fit</b> (1/Λᵢᵢ = sᵢ²(1 − ρ²)): {rv1} and {rv2};"
                 " D(Q‖P) = <b>{dqp}</b> nats.", colour=PALETTE["reverse"], rv1=fmt(rv[0]),
                 rv2=fmt(rv[1]), dqp=fmt(st.d_reverse)) + "<br>"
            + _t("−½ log(1 − ρ²) = {bound} nats: in two dimensions both minimised divergences equal"
                 " it. The reverse fit's variances are the forward fit's times 1 − ρ² = {factor}.",
                 bound=fmt(st.coincidence), factor=fmt(1 - st.rho ** 2)) + "</p>"
        )
        canvas.render(describe_meanfield(st))

    app.watch([rho, s1, s2], update)
    app.guard(update)()
    return app.box(explorers.TITLES["meanfield"], W.VBox([rho, s1, s2]), canvas,
                   explorers.placeholder("meanfield"))


# Imported last, after this module's names exist: klbook.widgets re-exports
# meanfield_explorer at its end, so either module may be imported first
# (pytest's doctest collection imports this one directly).
from .widgets import _App, _Canvas, _looks, _slider, fmt  # noqa: E402

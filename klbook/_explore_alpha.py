"""Kernel-free explorer of the alpha-divergence dial (see :mod:`klbook._apps_alpha`).

Each state, on a lattice of (alpha, a), is ``[centred, side, stalled, regime]``:
``centred`` and ``side`` are ``[mean, sd, D]`` of the converged optimum on the
axis and on the right-hand mode (the page mirrors the latter onto the left
mode; P is symmetric), or None where there is none; ``stalled`` is the run from
the middle that did not converge (it ran to the edge of the sds where D_alpha
is finite), or None; ``regime`` indexes ``REGIMES``. D is D_alpha(P||Q):
the forward KL D(P||Q) at alpha = 1, the reverse KL D(Q||P) at alpha = 0.
"""

from . import _apps_alpha, explorers
from .explorers import _lattice, _normal, _r

#: The controls' lattices (lo, hi, step).
ALPHAS = (-1.0, 2.0, 0.05)
SEPARATIONS = (0.0, 4.0, 0.25)


def _opt(r):
    return None if r is None else _normal(r.q, r.divergence)


def alpha_data():
    alphas, seps = _lattice(*ALPHAS), _lattice(*SEPARATIONS)
    states = []
    for al in alphas:
        for a in seps:
            st = _apps_alpha.alpha_state(al, a)
            states.append([_opt(st.centred), _opt(st.side), _opt(st.stalled), st.regime])
    edges = [[_r(lo), None if hi == float("inf") else _r(hi)]
             for lo, hi in map(_apps_alpha.finite_sd_range, alphas)]
    return {"alpha": alphas, "a": seps, "states": states, "edges": edges,
            "regimes": list(_apps_alpha.REGIMES), "x": [-8.0, 8.0]}


explorers.register("alpha", alpha_data, "The alpha dial: one Normal Q fitted to a two-mode P by D_α(P‖Q)",
                   labels=_apps_alpha.REGIMES)

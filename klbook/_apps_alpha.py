"""The alpha-divergence dial: one Normal Q fitted to a two-mode P for any alpha.

State of the ``alpha`` app (chapter "The alpha-divergence dial"): for
P = 0.5 N(-a, 1) + 0.5 N(a, 1), the local minima over Normal Q of Minka's
D_alpha(P||Q) (:func:`klbook.alpha_divergence`), found from a start in the
middle and a start on the right-hand mode. alpha = 1 is the forward KL
D(P||Q), alpha = 0 the reverse KL D(Q||P).

This module is numeric: it never imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import _fit
from ._apps import CENTRED_TOL, symmetric_target
from ._distributions import Mixture, Normal
from ._validate import real_finite

#: Names of the regimes of :func:`alpha_state`, indexed by ``AlphaState.regime``.
REGIMES = ("centred only", "both, centred best", "both, one-mode best", "one-mode only",
           "none: runs to the edge")


@dataclass(frozen=True)
class AlphaState:
    """The alpha fits of one Normal Q to P = 0.5 N(-a, 1) + 0.5 N(a, 1).

    ``centred`` is the converged optimum on the axis of symmetry (None if the
    start in the middle did not converge), ``side`` the converged optimum on
    the right-hand mode (None if there is none; its mirror image on the left
    mode is an optimum too), ``stalled`` the run from the middle when it did
    not converge (None otherwise). ``optima`` lists every converged optimum,
    best first (the mirror pair included); ``regime`` indexes :data:`REGIMES`.
    """

    alpha: float
    a: float
    p: Mixture
    centred: _fit.FitResult | None
    side: _fit.FitResult | None
    stalled: _fit.FitResult | None
    optima: tuple
    regime: int


def finite_sd_range(alpha):
    """The sds of Q for which D_alpha(P||Q) is finite, as (low, high), for P's components of sd 1.

    From the tails (see :func:`klbook.alpha_divergence`): every sd for
    0 <= alpha <= 1; sd > sqrt((alpha - 1) / alpha) for alpha > 1 (Q's tails
    must not be too thin); sd < sqrt((1 - alpha) / (-alpha)) for alpha < 0
    (nor too wide). At the bound itself D_alpha is finite only when the
    modes are apart (a > 0), from the linear terms of the exponent.
    """
    alpha = real_finite("alpha", alpha)
    if alpha > 1:
        return math.sqrt((alpha - 1.0) / alpha), math.inf
    if alpha < 0:
        return 0.0, math.sqrt((1.0 - alpha) / -alpha)
    return 0.0, math.inf


def centred_start(alpha, a):
    """Where the run from the middle starts: N(0, sd of P), its sd pulled in for alpha < 0.

    For alpha < 0, D_alpha(P||Q) is finite only for sd(Q) below
    sqrt((1 - alpha) / (-alpha)) (P's components have sd 1); the start
    takes 0.9 of that if P's sd is larger.
    """
    sd = math.sqrt(1.0 + a * a)  # P's sd
    if alpha < 0:
        sd = min(sd, 0.9 * finite_sd_range(alpha)[1])
    return Normal(0.0, sd)


def _mirror(r):
    return _fit.FitResult(q=Normal(-r.q.mean, r.q.sd), divergence=r.divergence,
                          path=tuple(Normal(-q.mean, q.sd) for q in r.path),
                          converged=r.converged, direction=r.direction, family=r.family)


def alpha_state(alpha, a):
    """Local minima of D_alpha(P||Q) over Normal Q, for P = 0.5 N(-a, 1) + 0.5 N(a, 1).

    D_alpha is Minka's alpha-divergence (:func:`klbook.alpha_divergence`):
    alpha = 1 is the forward KL D(P||Q) (mass-covering), alpha = 0 the reverse
    KL D(Q||P) (mode-seeking). Two runs of ``klbook.fit(p, "normal",
    direction="alpha", alpha=alpha, init=...)``: one from the middle
    (:func:`centred_start`; by symmetry it stays on the axis) and one from
    the right-hand mode, N(a, 1). A one-mode optimum comes with its mirror
    image.

    For alpha < 0 and well separated modes the run from the middle need not
    converge: D_alpha keeps falling as Q widens until Q reaches the largest
    sd at which D_alpha is finite. It is then reported in ``stalled``, not
    as an optimum. For alpha < 0 and modes neither close nor far apart
    (about 1 < a < 2.5 at alpha = -1) neither run converges: D_alpha has no
    interior minimum over Normal Q, only an infimum at that edge
    (regime ``"none: runs to the edge"``).

    Parameters
    ----------
    alpha : float
        Any finite real number.
    a : float
        Half-separation of P's modes, finite and >= 0.

    Returns
    -------
    AlphaState

    Raises
    ------
    ValueError
        If `alpha` is not a finite real number, or `a` is not finite and >= 0.

    Examples
    --------
    >>> st = alpha_state(0.0, 3.0)          # the reverse KL, D(Q||P)
    >>> REGIMES[st.regime], round(st.side.q.mean, 4), round(st.side.divergence, 4)
    ('both, one-mode best', 2.9843, 0.6888)
    >>> st = alpha_state(1.0, 3.0)          # the forward KL, D(P||Q): moment matching
    >>> REGIMES[st.regime], round(st.centred.q.sd, 4)
    ('centred only', 3.1623)
    """
    alpha = real_finite("alpha", alpha)
    a = float(a)
    if not (math.isfinite(a) and a >= 0):
        raise ValueError(f"`a` (the half-separation) must be finite and >= 0, got {a!r}")
    p = symmetric_target(a)
    mid = _fit.fit(p, "normal", direction="alpha", alpha=alpha, init=centred_start(alpha, a))
    right = _fit.fit(p, "normal", direction="alpha", alpha=alpha, init=Normal(a, 1.0))
    centred = side = stalled = None
    if mid.converged and abs(mid.q.mean) <= CENTRED_TOL:
        centred = mid
    elif not mid.converged:
        stalled = mid
    if right.converged and abs(right.q.mean) > CENTRED_TOL:
        side = right
    elif right.converged and centred is None:
        centred = right
    found = [r for r in (centred, side) if r is not None]
    if side is not None:
        found.append(_mirror(side))
    optima = tuple(_fit.best_first(found))
    if side is None:
        regime = 0 if centred is not None else 4
    elif centred is None:
        regime = 3
    else:
        regime = 1 if centred.divergence < side.divergence else 2
    return AlphaState(alpha, a, p, centred, side, stalled, optima, regime)


def alpha_path(alphas, a):
    """The fitted sds along the dial: arrays over `alphas` for P = 0.5 N(-a, 1) + 0.5 N(a, 1).

    Returns a dict of arrays ``alpha``, ``centred_sd``, ``centred_d``,
    ``side_mean``, ``side_sd``, ``side_d`` (NaN where that optimum does not
    exist: for plotting only) and ``regime``, from :func:`alpha_state`.
    D is D_alpha(P||Q): forward KL at alpha = 1, reverse KL at alpha = 0.
    """
    alphas = np.asarray(alphas, dtype=float)
    out = {k: np.full(alphas.size, np.nan) for k in
           ("centred_sd", "centred_d", "side_mean", "side_sd", "side_d")}
    regime = np.zeros(alphas.size, dtype=int)
    for i, al in enumerate(alphas):
        st = alpha_state(al, a)
        if st.centred is not None:
            out["centred_sd"][i], out["centred_d"][i] = st.centred.q.sd, st.centred.divergence
        if st.side is not None:
            out["side_mean"][i], out["side_sd"][i] = st.side.q.mean, st.side.q.sd
            out["side_d"][i] = st.side.divergence
        regime[i] = st.regime
    return {"alpha": alphas, **out, "regime": regime}

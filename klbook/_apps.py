"""The state of each interactive app: what its figure shows, as numbers.

One pure function per app. The live ipywidgets app (:mod:`klbook.widgets`)
calls it on every move of a control; the kernel-free explorer
(:mod:`klbook.explorers`) calls it at build time on a lattice of control
values and ships the results to the page. Both front ends draw with
:mod:`klbook.plotting` (or, in the browser, with closed-form densities only),
so every number a reader sees comes from here.

P is the target and Q the model: forward KL is D(P||Q), reverse KL is D(Q||P).
This module is numeric: it never imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy.special import rel_entr

from . import _fit
from ._distributions import Mixture, Normal, normal_entropy
from ._divergence import cross_entropy, entropy, kl
from ._validate import positive_finite


#: A reverse-KL optimum of a symmetric target counts as centred when its mean
#: is within this fraction of the components' sd of 0.
CENTRED_TOL = 1e-3

#: The families a model Q can come from in the apps: (reader's name, family).
FAMILIES = (("one Normal", "normal"), ("mixture of 2 Normals", "mixture2"),
            ("mixture of 3 Normals", "mixture3"))

#: Where the reverse app's landscape and starting points live (Q's mean, Q's sd).
REVERSE_MEANS = (-7.0, 7.0)
REVERSE_SDS = (0.1, 8.0)


def target(components):
    """P from (weight, mean, sd) triples; weight 0 switches a component off.

    Weights are rescaled to sum to 1 (the apps say so on screen). Returns
    None when every weight is 0: P has no mass.
    """
    parts = [(float(w), float(m), float(s)) for w, m, s in components]
    for w, m, s in parts:
        if not (math.isfinite(w) and w >= 0):
            raise ValueError(f"`components` weights must be finite and >= 0, got {w!r}")
    parts = [c for c in parts if c[0] > 0]
    if not parts:
        return None
    total = sum(w for w, _, _ in parts)
    return Mixture([w / total for w, _, _ in parts], [Normal(m, s) for _, m, s in parts],
                   normalize=True)


def symmetric_target(a, sd=1.0):
    """P = 0.5 N(-a, sd²) + 0.5 N(a, sd²): the two-mode target of the phase picture."""
    return Mixture([0.5, 0.5], [Normal(-a, sd), Normal(a, sd)])


def two_mode_target(a, w):
    """P = w N(-a, 1) + (1 - w) N(a, 1): the target of the at-a-glance app."""
    if not (0.0 < w < 1.0):
        raise ValueError(f"`w` (the left mode's weight) must be strictly between 0 and 1, got {w!r}")
    return Mixture([w, 1.0 - w], [Normal(-a, 1.0), Normal(a, 1.0)])


# ------------------------------------------------- fast reverse-KL landscape


def reverse_surface(p, means, sds, *, reach=8.0, per_sd=2.0):
    """D(Q||P) for Q = N(means[j], sds[i]): a fast version of
    ``klbook.kl_surface(p, means, sds, direction="reverse")`` for the apps.

    ``D(Q||P) = -H(Q) - E_Q[log p]``; the expectation uses the trapezoid rule
    in ``z = (x - mean)/sd`` on ``[-reach, reach]`` with steps no wider (in x)
    than ``1/per_sd`` of P's narrowest component. Agrees with ``kl_surface``
    to about 1e-4 nats at the defaults (see tests/test_apps.py), plenty for a
    contour map, in a few milliseconds.
    """
    means = np.asarray(means, dtype=float)
    sds = np.asarray(sds, dtype=float)
    smin = float(np.min(p.sds))
    out = np.empty((sds.size, means.size))
    for i, s in enumerate(sds):
        n = int(np.clip(math.ceil(2.0 * reach * s * per_sd / smin), 48, 3000)) | 1
        z = np.linspace(-reach, reach, n)
        w = np.exp(-0.5 * z * z)
        w /= w.sum()
        elogp = p.logpdf(means[:, None] + s * z) @ w
        out[i] = -normal_entropy(math.log(s)) - elogp
    return np.maximum(out, 0.0)


def reverse_optima_fast(p, *, means=None, sds=None, surface=None, extra_starts=()):
    """The local minima of the reverse KL D(Q||P) over Normal Q found from a
    grid of starts, best first.

    Starts ``klbook.fit(p, "normal", direction="reverse", init=...)`` from
    each basin of a coarse landscape (grid cells lower than their
    neighbours), from `extra_starts` and from P's moment-matched Normal,
    keeps converged local minima and merges duplicates. Agrees with
    ``klbook.reverse_optima`` (tested) at a fraction of the cost.
    """
    if means is None or sds is None:
        m, s = p.means, p.sds
        means = np.linspace(float((m - 2.5 * s).min()), float((m + 2.5 * s).max()), 25)
        sds = np.geomspace(0.5 * float(s.min()), 1.5 * float(p.sd), 17)
    if surface is None:
        surface = reverse_surface(p, means, sds)
    padded = np.pad(surface, 1, constant_values=np.inf)
    centre = padded[1:-1, 1:-1]
    is_min = np.ones_like(centre, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_min &= centre <= padded[1 + di: padded.shape[0] - 1 + di,
                                           1 + dj: padded.shape[1] - 1 + dj]
    starts = [Normal(means[j], sds[i]) for i, j in zip(*np.nonzero(is_min))]
    starts.extend(extra_starts)
    starts.append(Normal(p.mean, p.sd))
    found, stalled = [], []
    for start in starts:
        r = _fit.fit(p, "normal", direction="reverse", init=start)
        if not r.converged:
            stalled.append(r)
            continue
        if any(_fit.same_optimum(r.q, o.q, p.sd) for o in found):
            continue
        found.append(r)
    if not found:
        # Only when every start stalled (the optimiser's tolerance, not a
        # missing optimum): report the best point reached, marked unconverged.
        found = [min(stalled, key=lambda r: r.divergence)]
    return _fit.best_first(found)


def rank_of(result, optima, scale):
    """Position of `result`'s model among `optima` (0 = global), or None if absent."""
    return next((k for k, r in enumerate(optima) if _fit.same_optimum(r.q, result.q, scale)), None)


# ---------------------------------------------------------------- the apps


@dataclass(frozen=True)
class GlanceState:
    """What the at-a-glance app shows: P, its forward fit and its reverse optima."""

    a: float
    w: float
    p: Mixture
    forward: _fit.FitResult
    optima: tuple  # FitResult, best first


def glance_state(a, w):
    """P = w N(-a, 1) + (1 - w) N(a, 1) with its forward Normal fit (moment
    matching, min D(P||Q)) and the local minima of D(Q||P) over Normal Q found
    from a grid of starts, best first."""
    a = float(a)
    if not (math.isfinite(a) and a >= 0):
        raise ValueError(f"`a` (the half-separation) must be finite and >= 0, got {a!r}")
    p = two_mode_target(a, float(w))
    fwd = _fit.fit(p, "normal", direction="forward")
    return GlanceState(a, float(w), p, fwd, tuple(reverse_optima_fast(p)))


@dataclass(frozen=True)
class DiscreteState:
    """Entropies and both KL divergences of two categoricals (in `unit`)."""

    p: np.ndarray
    q: np.ndarray
    unit: str
    rescaled: bool
    h_p: float
    h_q: float
    h_pq: float
    h_qp: float
    d_pq: float
    d_qp: float
    terms_pq: np.ndarray  # p log p/q per outcome: sums to D(P||Q)
    terms_qp: np.ndarray  # q log q/p per outcome: sums to D(Q||P)


def _probabilities(name, values):
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)) or np.any(v < 0):
        raise ValueError(f"`{name}` must be a 1-D array of finite numbers >= 0, got {values!r}")
    total = float(v.sum())
    if not total > 0:
        raise ValueError(f"`{name}` has no mass: every value is 0, got {values!r}")
    return v / total, not math.isclose(total, 1.0, rel_tol=0, abs_tol=1e-12)


def discrete_state(p, q, *, unit="nats"):
    """H(P), H(Q), H(P,Q), H(Q,P), D(P||Q), D(Q||P) and each outcome's term.

    `p` and `q` are non-negative weights, rescaled to sum to 1; ``rescaled``
    says whether that changed them. ``unit`` is "nats" or "bits".
    """
    if unit not in ("nats", "bits"):
        raise ValueError(f"`unit` must be 'nats' or 'bits', got {unit!r}")
    pv, p_rescaled = _probabilities("p", p)
    qv, q_rescaled = _probabilities("q", q)
    if pv.size != qv.size:
        raise ValueError(f"`p` and `q` must have equal lengths, got {pv.size} and {qv.size}")
    base = 2 if unit == "bits" else None
    scale = math.log(2.0) if unit == "bits" else 1.0
    return DiscreteState(
        pv, qv, unit, p_rescaled or q_rescaled,
        entropy(pv, base=base), entropy(qv, base=base),
        cross_entropy(pv, qv, base=base), cross_entropy(qv, pv, base=base),
        kl(pv, qv, base=base), kl(qv, pv, base=base),
        rel_entr(pv, qv) / scale, rel_entr(qv, pv) / scale,
    )


def forward_state(p, family):
    """The forward fit of `family` to P: min D(P||Q)."""
    return _fit.fit(p, family, direction="forward")


@dataclass(frozen=True)
class ReverseState:
    """The reverse fit of a Normal Q to P from one start, and the optima found from a grid."""

    p: Mixture
    start: Normal
    fit: _fit.FitResult
    optima: tuple
    rank: int | None  # the fit's place among the optima (0 = global); None: not among them


def reverse_grid(n_mean=41, n_sd=31):
    """The (means, sds) grid of the reverse app's landscape."""
    return np.linspace(*REVERSE_MEANS, n_mean), np.geomspace(*REVERSE_SDS, n_sd)


def reverse_state(p, start, *, optima=None, surface=None):
    """Fit a Normal Q to P by reverse KL, min D(Q||P), from `start`.

    `optima` (the minima found from a grid of starts over
    :func:`reverse_grid`) depends on P only: pass it back in to reuse it
    while only the start moves. `surface` likewise.
    """
    res = _fit.fit(p, "normal", direction="reverse", init=start)
    if optima is None:
        means, sds = reverse_grid()
        optima = reverse_optima_fast(p, means=means, sds=sds, surface=surface,
                                     extra_starts=[res.q] if res.converged else [])
    optima = tuple(optima)
    return ReverseState(p, start, res, optima, rank_of(res, optima, p.sd))


class Phase(NamedTuple):
    """Reverse-KL optima of a Normal Q against P = 0.5 N(-a, sd²) + 0.5 N(a, sd²).

    Arrays over the half-separations ``a``: ``centred`` and ``centred_sd``
    (D and sd of the centred optimum), ``side``, ``side_mean`` and
    ``side_sd`` (D, mean and sd of the right-hand single-mode optimum; NaN
    where there is none); ``thresholds`` is
    ``klbook.symmetric_reverse_thresholds(sd)``.
    """

    a: np.ndarray
    centred: np.ndarray
    centred_sd: np.ndarray
    side: np.ndarray
    side_mean: np.ndarray
    side_sd: np.ndarray
    thresholds: tuple
    sd: float


def is_centred(q, sd=1.0):
    """Whether a Normal optimum of a symmetric target sits on its axis (see CENTRED_TOL)."""
    return abs(q.mean) <= CENTRED_TOL * sd


def symmetric_optima(a, *, sd=1.0):
    """Every local reverse-KL optimum of a Normal Q for P = 0.5 N(-a, sd²) + 0.5 N(a, sd²).

    The target is symmetric, so there are at most three: a centred one and a
    mirror pair, one on each mode. Two reverse fits find them: one started
    at P's moment-matched Normal (it stays on the axis of symmetry) and one
    started on the right-hand mode (it reaches the single-mode optimum when
    there is one, and slides to the centre when there is not). Far cheaper
    than the general multi-start ``klbook.reverse_optima``, with which it
    agrees (see the tests).

    Returns
    -------
    list of FitResult
        Best first, like ``klbook.reverse_optima``.
    """
    p = symmetric_target(a, sd)
    centred = _fit.fit(p, "normal", direction="reverse", init=Normal(0.0, p.sd))
    right = _fit.fit(p, "normal", direction="reverse", init=Normal(a, sd))
    found = [centred]
    if right.converged and not is_centred(right.q, sd):
        left = Normal(-right.q.mean, right.q.sd)
        found += [right, _fit.FitResult(q=left, divergence=right.divergence,
                                        path=tuple(Normal(-q.mean, q.sd) for q in right.path),
                                        converged=True, direction="reverse", family="normal")]
    return _fit.best_first(found)


def phase_data(a_values, *, sd=1.0):
    """Every reverse-KL optimum of a Normal Q for symmetric two-mode targets.

    Parameters
    ----------
    a_values : 1-D array of float
        Half-separations of P's modes.
    sd : float
        The sd of each of P's components.

    Returns
    -------
    Phase
        Arrays over `a_values`, from :func:`symmetric_optima`. NaN marks
        "no such optimum" for plotting only; it is never shown as text.
    """
    a_values = np.asarray(a_values, dtype=float)
    n = a_values.size
    centred, centred_sd = np.full(n, np.nan), np.full(n, np.nan)
    side, side_mean, side_sd = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    for i, a in enumerate(a_values):
        for r in symmetric_optima(a, sd=sd):
            if is_centred(r.q, sd):
                centred[i], centred_sd[i] = r.divergence, r.q.sd
            elif r.q.mean > 0:
                side[i], side_mean[i], side_sd[i] = r.divergence, r.q.mean, r.q.sd
    return Phase(a_values, centred, centred_sd, side, side_mean, side_sd,
                 _fit.symmetric_reverse_thresholds(sd), float(sd))


@dataclass(frozen=True)
class PhaseState:
    """The phase app at one separation: P's optima and which regime a is in."""

    a: float
    p: Mixture
    optima: tuple
    regime: str  # "centred only", "both, centred best", "one-mode best"
    thresholds: tuple


def phase_state(a):
    """Reverse-KL optima of a Normal Q for P = 0.5 N(-a, 1) + 0.5 N(a, 1), and the regime."""
    a = float(a)
    if not (math.isfinite(a) and a >= 0):
        raise ValueError(f"`a` (the half-separation) must be finite and >= 0, got {a!r}")
    t = _fit.symmetric_reverse_thresholds()
    regime = ("centred only" if a < t.appear else
              "both, centred best" if a < t.global_ else "one-mode best")
    return PhaseState(a, symmetric_target(a), tuple(symmetric_optima(a)), regime, t)


def check_start(mean, sd):
    """A Normal start for the reverse app, validated."""
    return Normal(float(mean), positive_finite("sd", sd))

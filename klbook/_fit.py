"""Fit a model Q to a target P by minimising the forward or the reverse KL.

``direction="forward"`` minimises D(P||Q) (the expectation under the target P);
``direction="reverse"`` minimises D(Q||P) (the expectation under the model Q).

A single Normal is fitted by a damped Newton method on (mean, log sd) with
analytic gradients and Hessians, so a fit costs a few quadratures and no
optimiser overhead; at a saddle (a symmetric target, started on its axis) the
method steps along the direction of negative curvature, so it never reports a
saddle as a fit. Mixtures of K Normals are fitted by L-BFGS-B with analytic
gradients.
"""

import functools
import itertools
import math
import re
from collections import namedtuple
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from . import _alpha, _quadrature
from ._distributions import (Mixture, Normal, log_sum_exp, normal_cross_entropy, normal_entropy,
                             normal_log_terms)
from ._distributions import _LOG_SQRT_2PI
from ._divergence import kl
from ._multivariate import MultivariateNormal, fit_diagonal
from ._validate import positive_finite, real_finite

_DIRECTIONS = ("forward", "reverse")


@dataclass(frozen=True)
class FitResult:
    """The outcome of :func:`fit`.

    Attributes
    ----------
    q : Normal, Mixture or MultivariateNormal
        The fitted model.
    divergence : float
        The minimised value in nats: D(p||q) for ``direction="forward"``,
        D(q||p) for ``direction="reverse"``, D_alpha(p||q) for
        ``direction="alpha"``.
    path : tuple
        The models the optimiser visited, from the starting point to ``q``.
    converged : bool
        Whether the gradient vanished at a local minimum (not a saddle).
    direction : str
        ``"forward"``, ``"reverse"`` or ``"alpha"``.
    family : str
        The family fitted, e.g. ``"normal"`` or ``"mixture2"``.
    """

    q: object
    divergence: float
    path: tuple
    converged: bool
    direction: str
    family: str


def _components(family):
    """Return None for the Normal family, K for "mixtureK"."""
    if family == "normal":
        return None
    match = re.fullmatch(r"mixture([1-9][0-9]?)", family) if isinstance(family, str) else None
    if match is None:
        raise ValueError(
            f"`family` must be 'normal' or 'mixtureK' with K a whole number from 1 to 99 "
            f"(e.g. 'mixture2'), got {family!r}"
        )
    return int(match.group(1))


def _check_target(p):
    if not isinstance(p, (Normal, Mixture)):
        raise ValueError(f"`p` (the target) must be a Normal or Mixture, got {p!r}")


def _check_direction(direction):
    if direction not in _DIRECTIONS:
        raise ValueError(f"`direction` must be 'forward' or 'reverse', got {direction!r}")


# ---------------------------------------------------------------- one Normal


def _log_target_derivs(p, x):
    """log p(x) and its first two derivatives in x, by log-sum-exp."""
    sds = p.sds[:, None]
    terms, z = normal_log_terms(x, np.log(p.weights), p.means, p.sds, axis=0)
    logp, r = log_sum_exp(terms, axis=0, responsibilities=True)
    a = -z / sds
    f1 = (r * a).sum(axis=0)
    f2 = (r * (a * a - 1.0 / sds**2)).sum(axis=0) - f1 * f1
    return logp, f1, f2


def _reverse_normal(p, mu, s, *, derivs=True):
    """D(q||p) for q = N(mu, exp(s)), with its gradient and Hessian in (mu, s).

    D = -H(q) - E_q[log p]; by the chain rule through x = mu + sd z,
    d/dmu E_q[f] = E_q[f'] and d/ds E_q[f] = sd E_q[z f'].
    """
    sd = math.exp(s)
    x, w = _quadrature.grid(
        np.concatenate([[mu], p.means]), np.concatenate([[sd], p.sds]),
        mu - _quadrature.REACH * sd, mu + _quadrature.REACH * sd, extra=p._kinks,
    )
    z = (x - mu) / sd
    wq = w * np.exp(-0.5 * z * z - s - _LOG_SQRT_2PI)
    if not derivs:
        return -normal_entropy(s) - float(wq @ p.logpdf(x))
    lp, f1, f2 = _log_target_derivs(p, x)
    value = -normal_entropy(s) - float(wq @ lp)
    e_f1, e_zf1 = wq @ f1, wq @ (z * f1)
    e_f2, e_zf2, e_zzf2 = wq @ f2, wq @ (z * f2), wq @ (z * z * f2)
    grad = np.array([-e_f1, -1.0 - sd * e_zf1])
    hess = np.array([
        [-e_f2, -sd * e_zf2],
        [-sd * e_zf2, -sd * e_zf1 - sd * sd * e_zzf2],
    ])
    return value, grad, hess


def _forward_normal(p, h_p, mu, s):
    """D(p||q) for q = N(mu, exp(s)) in closed form from p's mean, variance and entropy."""
    d = p.mean - mu
    a = p.var + d * d
    e2 = math.exp(-2.0 * s)
    value = float(normal_cross_entropy(p.mean, p.var, mu, s)) - h_p
    grad = np.array([-d * e2, 1.0 - a * e2])
    hess = np.array([[e2, 2.0 * d * e2], [2.0 * d * e2, 2.0 * a * e2]])
    return value, grad, hess


def _eigh2(a, b, c):
    """Eigen-decomposition of the symmetric 2x2 matrix [[a, b], [b, c]].

    Returns the eigenvalues in ascending order and the rotation (cos, sin)
    whose eigenvectors are (-sin, cos) for the smaller and (cos, sin) for the
    larger. Plain floats: a Newton fit does this at every step, and numpy's
    per-call overhead on 2x2 arrays would cost more than the arithmetic.
    """
    mid, r = 0.5 * (a + c), math.hypot(0.5 * (a - c), b)
    angle = 0.5 * math.atan2(2.0 * b, a - c)
    return mid - r, mid + r, math.cos(angle), math.sin(angle)


def _newton(objective, theta, scale, *, max_iter=100, gtol=1e-10):
    """Minimise ``objective(mu, s)`` from ``theta`` = (mu, s).

    Saddle-free Newton (Hessian eigenvalues taken in absolute value) with
    backtracking; returns (theta, path, converged, value), where converged
    means a vanishing gradient at a point whose Hessian has no negative
    eigenvalue and value is the objective at theta. The 2-D algebra is done
    in Python floats (see :func:`_eigh2`).
    """
    mu, s = float(theta[0]), float(theta[1])
    path = [(mu, s)]
    value, grad, hess = objective(mu, s)
    escapes = 0
    for _ in range(max_iter):
        g0, g1 = float(grad[0]), float(grad[1])
        h00, h01, h11 = float(hess[0, 0]), float(hess[0, 1]), float(hess[1, 1])
        value = float(value)
        if not all(map(math.isfinite, (value, g0, g1, h00, h01, h11))):
            return (mu, s), path, False, value
        lam0, lam1, cos, sin = _eigh2(h00, h01, h11)
        gmax = max(abs(g0), abs(g1))
        if gmax * scale < gtol:
            if lam0 > -1e-9:
                return (mu, s), path, True, value
            if escapes >= 3:
                return (mu, s), path, False, value
            # A saddle: leave it along the direction of negative curvature,
            # towards larger means so the choice is reproducible.
            v0, v1 = (-sin, cos) if -sin >= 0 else (sin, -cos)
            size = max(abs(v0) / scale, abs(v1), 1e-12)
            st0, st1 = 0.5 * v0 / size, 0.5 * v1 / size
            escapes += 1
        else:
            small = (-sin * g0 + cos * g1) / max(abs(lam0), 1e-10)
            large = (cos * g0 + sin * g1) / max(abs(lam1), 1e-10)
            st0, st1 = sin * small - cos * large, -cos * small - sin * large
        # Never jump more than two sds in the mean or a factor e in the sd at once.
        shrink = max(1.0, abs(st0) / (2.0 * math.exp(s)), abs(st1))
        st0, st1 = st0 / shrink, st1 / shrink
        slope = min(g0 * st0 + g1 * st1, 0.0)
        t = 1.0
        while True:
            trial = (mu + t * st0, s + t * st1)
            # The full evaluation at the trial point is reused when it is accepted.
            # Near the optimum the values differ by quadrature round-off only,
            # so a rise below 1e-13 does not count against the step.
            new = objective(*trial)
            if new[0] <= value + 1e-4 * t * slope + 1e-13 * (1.0 + abs(value)):
                break
            t *= 0.5
            if t < 1e-12:
                return (mu, s), path, bool(gmax * scale < 1e-7 and lam0 > -1e-9), value
        mu, s = trial
        value, grad, hess = new
        path.append(trial)
    return (mu, s), path, False, float(value)


def _fit_normal(p, direction, init):
    scale = p.sd
    start = init if init is not None else Normal(p.mean, p.sd)
    theta0 = (start.mean, math.log(start.sd))
    if direction == "forward":
        objective = functools.partial(_forward_normal, p, p.entropy())
    else:
        objective = functools.partial(_reverse_normal, p)
    theta, path, converged, value = _newton(objective, theta0, scale)
    qs = [Normal(m, math.exp(s)) for m, s in path]
    if direction == "forward":
        # The optimum is known exactly: moment matching. Newton only drew the path.
        qs[-1] = Normal(p.mean, p.sd)
        return qs, True, kl(p, qs[-1])
    # The Newton objective at the optimum is D(q||p) by the same quadrature as
    # kl(q, p) (they agree to round-off); D >= 0 exactly.
    return qs, converged, max(value, 0.0)


# ------------------------------------------------------------ K-component mixtures


def _unpack(theta, k):
    alpha, mu, s = theta[:k], theta[k : 2 * k], theta[2 * k :]
    logw = alpha - np.logaddexp.reduce(alpha)
    return logw, mu, s


def _mixture_from(theta, k):
    logw, mu, s = _unpack(theta, k)
    order = np.argsort(mu, kind="stable")
    return Mixture(np.exp(logw[order]), [Normal(m, math.exp(v)) for m, v in zip(mu[order], s[order])],
                   normalize=True)


def _mixture_terms(x, logw, mu, s):
    """log q(x), responsibilities r_k(x), standardised z_k(x)."""
    terms, z = normal_log_terms(x, logw, mu, np.exp(s), axis=-1, log_sds=s)
    logq, r = log_sum_exp(terms, axis=1, responsibilities=True)
    return logq, r, z


def _mixture_objective(theta, p, k, direction, h_p):
    logw, mu, s = _unpack(theta, k)
    sd = np.exp(s)
    w = np.exp(logw)
    if direction == "forward":
        lo, hi = _quadrature.support(p.means, p.sds)
    else:
        lo, hi = _quadrature.support(mu, sd)
    x, wx = _quadrature.grid(
        np.concatenate([mu, p.means]), np.concatenate([sd, p.sds]), lo, hi,
        extra=np.concatenate([p._kinks, _quadrature.crossovers(logw, mu, sd)]),
    )
    lq, r, z = _mixture_terms(x, logw, mu, s)
    lp = p.logpdf(x)
    if direction == "forward":
        # D(p||q) = -H(p) - E_p[log q]; d log q / d theta = r_k * (score of component k).
        dens = wx * np.exp(lp)
        value = -h_p - float(dens @ lq)
        rd = r * dens[:, None]
        g_alpha = -(rd.sum(axis=0) - w * dens.sum())
        g_mu = -(rd * z).sum(axis=0) / sd
        g_s = -(rd * (z * z - 1.0)).sum(axis=0)
    else:
        # D(q||p) = E_q[log q - log p]; its gradient is E_q[(d log q / d theta) (log q - log p)].
        dens = wx * np.exp(lq)
        diff = lq - lp
        value = float(dens @ diff)
        rd = r * (dens * diff)[:, None]
        g_alpha = rd.sum(axis=0) - w * value
        g_mu = (rd * z).sum(axis=0) / sd
        g_s = (rd * (z * z - 1.0)).sum(axis=0)
    return value, np.concatenate([g_alpha, g_mu, g_s])


def _default_mixture_init(p, k):
    if isinstance(p, Mixture) and p.weights.size >= k:
        top = np.sort(np.argsort(-p.weights, kind="stable")[:k])
        return Mixture(p.weights[top], [p.components[i] for i in top], normalize=True)
    means = p.mean + p.sd * np.linspace(-1.0, 1.0, k) if k > 1 else np.array([p.mean])
    return Mixture(np.full(k, 1.0 / k), [Normal(m, p.sd / k) for m in means])


def _fit_mixture(p, k, direction, init):
    start = init if init is not None else _default_mixture_init(p, k)
    theta0 = np.concatenate([np.log(np.maximum(start.weights, 1e-300)), start.means, np.log(start.sds)])
    theta0[:k] = np.maximum(theta0[:k], -30.0)
    lo_s, hi_s = math.log(1e-4 * p.sd), math.log(1e3 * p.sd)
    bounds = [(-40.0, 40.0)] * k + [(None, None)] * k + [(lo_s, hi_s)] * k
    theta0[2 * k :] = np.clip(theta0[2 * k :], lo_s, hi_s)
    h_p = p.entropy() if direction == "forward" else 0.0
    path = [theta0.copy()]
    res = optimize.minimize(
        _mixture_objective, theta0, args=(p, k, direction, h_p), jac=True, method="L-BFGS-B",
        bounds=bounds, callback=lambda xk: path.append(np.array(xk)),
        options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-11, "maxcor": 20},
    )
    qs = [_mixture_from(t, k) for t in path]
    if not np.array_equal(path[-1], res.x):
        qs.append(_mixture_from(res.x, k))
    grad = res.jac
    converged = bool(res.success or np.abs(grad).max() < 1e-7)
    return qs, converged


# ------------------------------------------------------------------- public API


def fit(p, family, *, direction="forward", init=None, alpha=None):
    """Fit a model Q from `family` to the target `p`.

    ``direction="forward"`` minimises D(p||q), the expectation under the
    target; ``direction="reverse"`` minimises D(q||p), the expectation under
    the model; ``direction="alpha"`` minimises Minka's D_alpha(p||q) (see
    :func:`alpha_divergence`), which is D(p||q) at alpha = 1 and D(q||p) at
    alpha = 0.

    Parameters
    ----------
    p : Normal, Mixture or MultivariateNormal
        The target P (a MultivariateNormal only with family ``"diagonal"``).
    family : str
        ``"normal"`` for one Normal, ``"mixtureK"`` (``"mixture2"``,
        ``"mixture3"``, ...) for a mixture of K Normals, or ``"diagonal"``
        for a MultivariateNormal with diagonal covariance (mean field) fitted
        to a MultivariateNormal target.
    direction : {"forward", "reverse", "alpha"}, keyword-only
        Which divergence to minimise; ``"alpha"`` with family ``"normal"``
        only, and then `alpha` is required.
    init : Normal, Mixture or MultivariateNormal, optional, keyword-only
        Starting point, from `family` (a Normal, or a Mixture of K
        components). The reverse KL has several local minima for a multimodal
        target, and the start decides which one is found. Default: the
        moment-matched Normal for ``"normal"`` (for ``direction="alpha"``
        its sd is moved, if needed, to where D_alpha is finite); for
        ``"mixtureK"``, the K heaviest components of `p` if it has that many,
        otherwise K equal Normals spread over p's mean ± sd. For
        ``"diagonal"`` the optimum is unique and in closed form; an `init`
        (a diagonal MultivariateNormal) only starts the path.
    alpha : float, optional, keyword-only
        The alpha of D_alpha(p||q), any finite real; only with
        ``direction="alpha"``. ``alpha=1`` returns exactly
        ``fit(p, family, direction="forward", init=init)`` and ``alpha=0``
        exactly the reverse fit (their results say so in ``direction``).

    Returns
    -------
    FitResult
        With ``q``, ``divergence`` (nats), ``path`` and ``converged``.

    Raises
    ------
    ValueError
        For a target that is not a Normal or Mixture (or a
        MultivariateNormal for ``"diagonal"``), an unknown `family` or
        `direction`, an `init` outside the family (or, for
        ``direction="alpha"``, where D_alpha is infinite), or `alpha` missing
        with ``direction="alpha"``, given with another direction, or not
        finite.

    Notes
    -----
    For a Normal Q the forward optimum is moment matching,
    :math:`\\mu_q = E_p[x]`, :math:`\\sigma_q^2 = \\mathrm{Var}_p[x]`, because
    :math:`D(p\\|q) = -H(p) + \\log\\sigma_q + \\tfrac12\\log 2\\pi +
    (\\mathrm{Var}_p + (E_p[x] - \\mu_q)^2) / (2\\sigma_q^2)`; ``fit`` returns it
    exactly. Use :func:`reverse_optima` to get every local minimum of the
    reverse fit.

    The mean-field fit to a MultivariateNormal :math:`N(\\mu, \\Sigma)` keeps
    the mean; forward takes the marginal variances :math:`\\Sigma_{ii}`,
    reverse the conditional ones :math:`1/\\Lambda_{ii}`
    (:math:`\\Lambda = \\Sigma^{-1}`), both in closed form. An alpha fit for
    other alphas runs the same saddle-free Newton method as the reverse fit,
    on (mean, log sd), with analytic derivatives; it minimises
    :math:`-\\log(\\int p^\\alpha q^{1-\\alpha}) / (\\alpha(1-\\alpha))`, an
    increasing function of D_alpha that stays on a log scale where D_alpha
    grows exponentially (alpha > 1 or alpha < 0).

    Examples
    --------
    >>> p = Mixture([0.5, 0.5], [Normal(-3, 1), Normal(3, 1)])
    >>> fit(p, "normal").q          # forward: moment matching
    Normal(mean=0.0, sd=3.1622776601683795)
    >>> r = fit(p, "normal", direction="reverse", init=Normal(2.0, 1.0))
    >>> round(r.q.mean, 4), round(r.q.sd, 4), round(r.divergence, 4)
    (2.9843, 1.0234, 0.6888)
    >>> m = fit(MultivariateNormal([0, 0], [[1.0, 0.8], [0.8, 1.0]]), "diagonal", direction="reverse")
    >>> np.diag(m.q.cov).round(4).tolist(), round(m.divergence, 4)   # 1/Lambda_ii = 1 - 0.8**2
    ([0.36, 0.36], 0.5108)
    >>> for a in (-1.0, 0.2, 2.0):   # from mode-seeking to mass-covering
    ...     q = fit(p, "normal", direction="alpha", alpha=a, init=Normal(2.0, 1.0)).q
    ...     print(a, round(q.mean, 4) + 0.0, round(q.sd, 4))
    -1.0 2.9926 1.0101
    0.2 2.9773 1.0354
    2.0 0.0 3.2329
    """
    if direction == "alpha" or alpha is not None:
        if direction != "alpha":
            raise ValueError(f"`alpha` must be None unless direction='alpha', got alpha={alpha!r} "
                             f"with direction={direction!r}")
        if alpha is None:
            raise ValueError("`alpha` must be given with direction='alpha', got None")
        a = real_finite("alpha", alpha)
        _check_target(p)
        if family != "normal":
            raise ValueError(f"`family` must be 'normal' for direction='alpha', got {family!r}")
        if init is not None and not isinstance(init, Normal):
            raise ValueError(f"`init` must be a Normal for family 'normal', got {init!r}")
        if a in (0.0, 1.0):
            return fit(p, family, direction="forward" if a == 1.0 else "reverse", init=init)
        objective = functools.partial(_alpha.normal_objective, p, a)
        _, path, converged, _ = _newton(objective, _alpha.normal_start(p, a, init), p.sd)
        qs = tuple(Normal(m, math.exp(s)) for m, s in path)
        return FitResult(q=qs[-1], divergence=_alpha.alpha_divergence(p, qs[-1], a), path=qs,
                         converged=converged, direction="alpha", family=family)
    if family == "diagonal" or isinstance(p, MultivariateNormal):
        if family != "diagonal":
            raise ValueError(f"`family` must be 'diagonal' for a MultivariateNormal target, got {family!r}")
        _check_direction(direction)
        q, divergence = fit_diagonal(p, direction, init)
        return FitResult(q=q, divergence=divergence, path=(q,) if init is None else (init, q),
                         converged=True, direction=direction, family=family)
    _check_target(p)
    _check_direction(direction)
    k = _components(family)
    if init is not None:
        if k is None and not isinstance(init, Normal):
            raise ValueError(f"`init` must be a Normal for family 'normal', got {init!r}")
        if k is not None and not (isinstance(init, Mixture) and init.weights.size == k):
            raise ValueError(f"`init` must be a Mixture of {k} Normals for family {family!r}, got {init!r}")
    if k is None:
        qs, converged, divergence = _fit_normal(p, direction, init)
        q = qs[-1]
    else:
        qs, converged = _fit_mixture(p, k, direction, init)
        q = qs[-1]
        divergence = kl(p, q) if direction == "forward" else kl(q, p)
    return FitResult(q=q, divergence=divergence, path=tuple(qs), converged=converged,
                     direction=direction, family=family)


def _normal_starts(p):
    means, sds = p.means, p.sds
    lo, hi = float((means - 2 * sds).min()), float((means + 2 * sds).max())
    centres = np.unique(np.concatenate([means, [p.mean], np.linspace(lo, hi, 9)]))
    spreads = np.unique(np.concatenate([sds, [p.sd]]))
    return [Normal(m, s) for m in centres for s in spreads]


def _mixture_starts(p, k):
    starts = [_default_mixture_init(p, k)]
    comps = list(p.components) if isinstance(p, Mixture) else [p]
    for combo in itertools.combinations(range(len(comps)), min(k, len(comps))):
        chosen = [comps[i] for i in combo]
        while len(chosen) < k:
            c = chosen[len(chosen) % len(combo)]
            chosen.append(Normal(c.mean + 0.5 * c.sd, c.sd))
        starts.append(Mixture(np.full(k, 1.0 / k), chosen))
    return starts


#: Two fitted models are the same optimum when their means agree to this
#: fraction of P's sd and their log sds (and weights) to this much. The one
#: definition used by every search for optima and every app.
SAME_OPTIMUM_TOL = 1e-4


def same_optimum(a, b, scale):
    """Whether models `a` and `b` are the same optimum (see SAME_OPTIMUM_TOL); `scale` is P's sd."""
    tol = SAME_OPTIMUM_TOL
    if isinstance(a, Normal):
        return abs(a.mean - b.mean) < tol * scale and abs(math.log(a.sd / b.sd)) < tol
    return (
        np.allclose(a.means, b.means, atol=tol * scale, rtol=0)
        and np.allclose(np.log(a.sds), np.log(b.sds), atol=tol, rtol=0)
        and np.allclose(a.weights, b.weights, atol=tol, rtol=0)
    )


def best_first(results):
    """Fit results sorted best first: by divergence (to 1e-10 nats), ties by the model's mean."""
    return sorted(results, key=lambda r: (round(r.divergence, 10), r.q.mean))


def reverse_optima(p, family="normal"):
    """Every local minimum of the reverse KL D(q||p) over `family`, best first.

    The reverse KL (expectation under the model q) of a multimodal target has
    several local minima; which one :func:`fit` finds depends on ``init``.
    This runs the reverse fit from a spread of starting points (each
    component of p, the overall mean, and points across p's range, at p's
    component and overall scales), keeps the converged local minima and
    merges duplicates.

    Parameters
    ----------
    p : Normal or Mixture
        The target P.
    family : str
        As for :func:`fit`.

    Returns
    -------
    list of FitResult
        Sorted by divergence; the first is the best found (the global minimum
        when the starts cover every basin).

    Examples
    --------
    >>> p = Mixture([0.5, 0.5], [Normal(-3, 1), Normal(3, 1)])
    >>> [(round(r.q.mean, 3) + 0.0, round(r.divergence, 3)) for r in reverse_optima(p)]
    [(-2.984, 0.689), (2.984, 0.689), (0.0, 0.841)]
    """
    _check_target(p)
    k = _components(family)
    starts = _normal_starts(p) if k is None else _mixture_starts(p, k)
    found = []
    for start in starts:
        r = fit(p, family, direction="reverse", init=start)
        if not r.converged:
            continue
        if any(same_optimum(r.q, other.q, p.sd) for other in found):
            continue
        found.append(r)
    return best_first(found)


def kl_surface(p, means, sds, *, direction):
    """D over a grid of Normal models, for landscape plots.

    Parameters
    ----------
    p : Normal or Mixture
        The target P.
    means, sds : 1-D array-like
        Grid of model means and sds (all sds > 0).
    direction : {"forward", "reverse"}, keyword-only
        ``"forward"``: D(p||q); ``"reverse"``: D(q||p).

    Returns
    -------
    ndarray, shape (len(sds), len(means))
        ``out[i, j]`` is the divergence for q = Normal(means[j], sds[i]).

    Examples
    --------
    >>> s = kl_surface(Normal(0, 1), [-1, 0, 1], [1.0], direction="reverse")
    >>> s.round(3).tolist()
    [[0.5, 0.0, 0.5]]
    """
    _check_target(p)
    _check_direction(direction)
    mus = _grid_values("means", means)
    sig = _grid_values("sds", sds)
    if (sig <= 0).any():
        raise ValueError(f"`sds` must all be > 0, got {float(sig[sig <= 0][0])!r}")
    if direction == "forward":
        out = normal_cross_entropy(p.mean, p.var, mus[None, :], np.log(sig)[:, None]) - p.entropy()
        return np.maximum(out, 0.0)
    logs = np.log(sig)
    return np.array([[max(_reverse_normal(p, m, s, derivs=False), 0.0) for m in mus] for s in logs])


def _grid_values(name, values):
    arr = np.asarray(values, dtype=float)
    if arr.ndim != 1 or arr.size == 0 or not np.all(np.isfinite(arr)):
        raise ValueError(f"`{name}` must be a non-empty 1-D array of finite numbers, got {values!r}")
    return arr


# ---------------------------------------------------- the symmetric phase picture

Thresholds = namedtuple("Thresholds", ["appear", "global_"])


def _symmetric(a):
    return Mixture([0.5, 0.5], [Normal(-a, 1.0), Normal(a, 1.0)])


def _centred(a):
    """The centred stationary point for P_a = 0.5 N(-a, 1) + 0.5 N(a, 1): (log sd, D, d2D/dmean2)."""
    p = _symmetric(a)
    root = optimize.brentq(lambda s: _reverse_normal(p, 0.0, s)[1][1], -3.0, math.log(a + 3.0), xtol=1e-14)
    value, _, hess = _reverse_normal(p, 0.0, root)
    return root, value, hess[0, 0]


def _off_centre(a):
    """The reverse fit started on the right-hand mode: (mean, D) if it stays off centre, else None."""
    p = _symmetric(a)
    r = fit(p, "normal", direction="reverse", init=Normal(a, 1.0))
    if not r.converged or r.q.mean < 1e-4:
        return None
    return r.q.mean, r.divergence


@functools.lru_cache(maxsize=None)
def _unit_thresholds():
    lo, hi = 0.5, 10.0
    while hi - lo > 1e-10:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if _off_centre(mid) is not None else (mid, hi)
    appear = hi
    glob = optimize.brentq(lambda a: _off_centre(a)[1] - _centred(a)[1], appear, 10.0, xtol=1e-12)
    return appear, glob


def symmetric_reverse_thresholds(sd=1.0):
    """Where the reverse-KL Normal fit to two equal modes changes character.

    For the target P = 0.5 N(-a, sd²) + 0.5 N(a, sd²) and a Normal model Q
    fitted by reverse KL, D(Q||P), as the half-separation ``a`` grows:

    - below ``appear`` the only local minimum is centred (mean 0);
    - from ``appear`` on, a pair of single-mode local minima exists too, but
      the centred fit is still the global one;
    - beyond ``global_`` a single-mode fit is the global minimum.

    The centred fit stays a local minimum at every separation: its curvature
    along the mean is positive but decays like 1/a² (the tests check this
    out to a = 50), so a start near the middle stays in the middle.

    The values scale with `sd`; they are computed once (bisection and
    Brent's method on the exact stationarity conditions) and cached.

    Returns
    -------
    Thresholds
        A named tuple ``(appear, global_)`` of half-separations.

    Examples
    --------
    >>> t = symmetric_reverse_thresholds()
    >>> t.appear < t.global_
    True
    """
    sd = positive_finite("sd", sd)
    return Thresholds(*(sd * v for v in _unit_thresholds()))

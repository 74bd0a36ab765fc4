"""KL divergence, entropy and cross-entropy, in the direction their names say.

``kl(p, q)`` is D(p||q) = E_p[log p - log q]. In the book P is the target and
Q the model, so the *forward* KL is D(P||Q) = ``kl(P, Q)`` and the *reverse*
KL is D(Q||P) = ``kl(Q, P)``.
"""

import math

import numpy as np
from scipy import integrate
from scipy.special import rel_entr, xlogy

from . import _quadrature
from ._distributions import Categorical, Mixture, Normal, normal_cross_entropy
from ._multivariate import MultivariateNormal, kl_mvn
from ._validate import log_base, probability_vector

_CONTINUOUS = (Normal, Mixture)


def _discrete_pair(p, q):
    """Return aligned probability arrays for two discrete arguments, or None."""
    if isinstance(p, Categorical) and isinstance(q, Categorical):
        pp, qq = p.probs, q.probs
        if p.labels is not None and q.labels is not None and p.labels != q.labels:
            if set(p.labels) != set(q.labels):
                raise ValueError(
                    f"`p` and `q` must have the same categories, got labels {p.labels!r} and {q.labels!r}"
                )
            index = {label: i for i, label in enumerate(q.labels)}
            qq = qq[[index[label] for label in p.labels]]
    elif any(isinstance(d, _CONTINUOUS + (Categorical,)) or _is_density(d) for d in (p, q)):
        return None
    else:
        pp = probability_vector("p", p)
        qq = probability_vector("q", q)
    if pp.size != qq.size:
        raise ValueError(f"`p` and `q` must have the same length, got {pp.size} and {qq.size}")
    return pp, qq


def _is_density(d):
    """A continuous 1-D distribution klbook did not build, e.g. ``scipy.stats.laplace(0, 1)``."""
    return not isinstance(d, (Categorical, list, tuple, np.ndarray)) and callable(getattr(d, "logpdf", None))


def _check_pair(p, q):
    pair = _discrete_pair(p, q)
    if pair is not None:
        return pair
    for name, d in (("p", p), ("q", q)):
        if not isinstance(d, _CONTINUOUS) and not _is_density(d):
            raise ValueError(
                f"`{name}` must be a Normal, a Mixture or a 1-D density with a logpdf method "
                f"to pair with a continuous distribution, got {d!r}"
            )
    return None


def _support(d):
    if isinstance(d, _CONTINUOUS):
        return -math.inf, math.inf
    support = getattr(d, "support", None)
    return tuple(float(v) for v in support()) if callable(support) else (-math.inf, math.inf)


def _landmarks(d):
    """Points where a density's features lie: component breakpoints or quantiles."""
    if isinstance(d, _CONTINUOUS):
        return (d.means[:, None] + d.sds[:, None] * np.array([-8.0, -4, -2, -1, 0, 1, 2, 4, 8])).ravel()
    ppf = getattr(d, "ppf", None)
    if not callable(ppf):
        return np.empty(0)
    return np.asarray(ppf([1e-6, 1e-3, 0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.98, 1 - 1e-3, 1 - 1e-6]), dtype=float)


def _generic_integral(weight, other, fn):
    """∫ weight(x) fn(log weight, log other) dx by adaptive quadrature (scipy.integrate.quad),
    split at the landmarks of both densities; for densities klbook did not build."""
    lo, hi = _support(weight)
    pts = np.concatenate([_landmarks(weight), _landmarks(other)])
    pts = np.unique(pts[np.isfinite(pts) & (pts > lo) & (pts < hi)])
    edges = [lo, *pts.tolist(), hi]

    def integrand(x):
        lw = float(weight.logpdf(x))
        if lw == -math.inf:
            return 0.0
        return math.exp(lw) * fn(lw, float(other.logpdf(x)))

    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        total += integrate.quad(integrand, a, b, epsabs=1e-13, epsrel=1e-12, limit=200)[0]
    return total


def _integrate(weight, other, fn):
    """∫ weight(x) fn(log weight(x), log other(x)) dx over weight's range, where
    the grid also resolves `other`'s components there."""
    lo, hi = _quadrature.support(weight.means, weight.sds)
    x, w = _quadrature.grid(
        np.concatenate([weight.means, other.means]), np.concatenate([weight.sds, other.sds]), lo, hi,
        extra=np.concatenate([weight._kinks, other._kinks]),
    )
    logw = weight.logpdf(x)
    dens = np.exp(logw)
    vals = fn(logw, other.logpdf(x))
    # Where the weight underflows to 0 the term is 0 (0 log 0 = 0), whatever fn says.
    return float(np.sum(np.where(dens > 0, w * dens * vals, 0.0)))


def _normal_cross_entropy(p, q):
    """H(p, q) for a Normal q: depends on p only through its mean and variance."""
    return float(normal_cross_entropy(p.mean, p.var, q.mean, math.log(q.sd)))


def _kl_nats(p, q):
    pair = _check_pair(p, q)
    if pair is not None:
        # D >= 0 exactly; the sum of rel_entr terms may land a hair below.
        return max(float(rel_entr(*pair).sum()), 0.0)
    if not (isinstance(p, _CONTINUOUS) and isinstance(q, _CONTINUOUS)):
        (lo_p, hi_p), (lo_q, hi_q) = _support(p), _support(q)
        if lo_p < lo_q or hi_p > hi_q:
            return math.inf  # p has mass where q has none
        return max(_generic_integral(p, q, lambda lp, lq: lp - lq), 0.0)
    if isinstance(p, Normal) and isinstance(q, Normal):
        r = p.sd / q.sd
        d = (p.mean - q.mean) / q.sd
        return 0.5 * (r * r - 1.0) - math.log(r) + 0.5 * d * d
    if isinstance(q, Normal):
        value = _normal_cross_entropy(p, q) - p.entropy()
    else:
        value = _integrate(p, q, lambda lp, lq: lp - lq)
    # D >= 0 exactly; quadrature round-off may land a hair below.
    return max(value, 0.0)


def kl(p, q, *, base=None):
    """Kullback–Leibler divergence D(p||q) = E_p[log p(x) - log q(x)].

    The first argument is the distribution the expectation is taken under.
    With P the target and Q the model, ``kl(P, Q)`` is the *forward* KL and
    ``kl(Q, P)`` the *reverse* KL.

    Parameters
    ----------
    p, q : Normal, Mixture, Categorical, MultivariateNormal, 1-D array-like of probabilities, or a density
        Two distributions on the same space: both continuous, or both
        discrete (two Categoricals, or two probability vectors of equal length
        summing to 1), or two MultivariateNormals of the same dimension.
        A continuous one may also be any object with a ``logpdf`` method,
        such as a frozen ``scipy.stats`` distribution (used with a
        ``support()`` and ``ppf`` when it has them).
    base : float, optional, keyword-only
        Logarithm base of the result; default e (nats). ``base=2`` gives bits.

    Returns
    -------
    float
        D(p||q) >= 0; ``inf`` where p puts mass where q has none.

    Raises
    ------
    ValueError
        For a bad probability vector, lengths or categories that differ,
        a continuous distribution paired with a discrete one, a
        MultivariateNormal paired with anything but a MultivariateNormal of
        its dimension, or a bad `base`.

    Notes
    -----
    Discrete: :math:`D = \\sum_x p(x) \\log(p(x) / q(x))` term by term with
    ``scipy.special.rel_entr`` (0 log 0 = 0; p > 0 = q gives inf).
    Two Normals: closed form,

    .. math:: D = \\log\\frac{\\sigma_q}{\\sigma_p}
              + \\frac{\\sigma_p^2 + (\\mu_p - \\mu_q)^2}{2\\sigma_q^2} - \\frac12 .

    Two MultivariateNormals of dimension d: closed form, through Cholesky
    solves (no explicit inverse),

    .. math:: D = \\tfrac12\\left[\\operatorname{tr}(\\Sigma_q^{-1}\\Sigma_p)
              + (\\mu_q - \\mu_p)^T \\Sigma_q^{-1} (\\mu_q - \\mu_p) - d
              + \\log\\frac{\\det\\Sigma_q}{\\det\\Sigma_p}\\right].

    A mixture against a Normal: ``H(p, q) - H(p)`` with the cross-entropy in
    closed form. Other Normal/Mixture pairs: composite Gauss–Legendre
    quadrature with panels fitted to every component and every crossover
    between components (accurate to about 1e-12). With another density:
    ``scipy.integrate.quad`` split at both densities' landmarks.

    Examples
    --------
    >>> kl([0.5, 0.5], [0.9, 0.1], base=2) > kl([0.9, 0.1], [0.5, 0.5], base=2)
    True
    >>> kl([0.5, 0.5], [1.0, 0.0])
    inf
    >>> kl(Normal(0, 1), Normal(1, 1))
    0.5
    >>> from scipy import stats
    >>> round(kl(Normal(0, 1), stats.laplace(0, 1)), 6)   # a Laplace model for a Normal target
    0.072093
    """
    scale = log_base(base)
    if isinstance(p, MultivariateNormal) or isinstance(q, MultivariateNormal):
        for name, d in (("p", p), ("q", q)):
            if not isinstance(d, MultivariateNormal):
                raise ValueError(f"`{name}` must be a MultivariateNormal to pair with a MultivariateNormal, got {d!r}")
        return kl_mvn(p, q) / scale
    return _kl_nats(p, q) / scale


def entropy(p, *, base=None):
    """Entropy H(p) = -E_p[log p(x)] (differential entropy for densities).

    Parameters
    ----------
    p : Normal, Mixture, Categorical or 1-D array-like of probabilities
    base : float, optional, keyword-only
        Logarithm base; default e (nats).

    Examples
    --------
    >>> entropy([0.5, 0.5], base=2)
    1.0
    """
    scale = log_base(base)
    if isinstance(p, _CONTINUOUS + (Categorical,)) or _is_density(p):
        return float(p.entropy()) / scale
    pp = probability_vector("p", p)
    return float(-xlogy(pp, pp).sum()) / scale


def cross_entropy(p, q, *, base=None):
    """Cross-entropy H(p, q) = -E_p[log q(x)], so that ``kl(p, q) = H(p, q) - H(p)``.

    The expectation is under the first argument, `p`.

    Parameters
    ----------
    p, q : as for :func:`kl`
    base : float, optional, keyword-only
        Logarithm base; default e (nats).

    Examples
    --------
    >>> cross_entropy([0.5, 0.5], [0.25, 0.75], base=2) - entropy([0.5, 0.5], base=2)  # doctest: +ELLIPSIS
    0.207...
    """
    scale = log_base(base)
    pair = _check_pair(p, q)
    if pair is not None:
        pp, qq = pair
        return float(-xlogy(pp, qq).sum()) / scale
    if not (isinstance(p, _CONTINUOUS) and isinstance(q, _CONTINUOUS)):
        return _generic_integral(p, q, lambda lp, lq: -lq) / scale
    if isinstance(q, Normal):
        return _normal_cross_entropy(p, q) / scale
    return _integrate(p, q, lambda lp, lq: -lq) / scale


def forward_kl(p, q, *, base=None):
    """Forward KL, D(p||q), for target `p` and model `q`: the same as ``kl(p, q)``.

    The expectation is under the target, so the model pays infinitely where
    the target has mass and the model has none (zero-avoiding).

    Examples
    --------
    >>> forward_kl(Normal(0, 1), Normal(0, 2)) == kl(Normal(0, 1), Normal(0, 2))
    True
    """
    return kl(p, q, base=base)


def reverse_kl(p, q, *, base=None):
    """Reverse KL, D(q||p), for target `p` and model `q`: the same as ``kl(q, p)``.

    Note the argument order: target first, as in :func:`forward_kl`. The
    expectation is under the model, so the model pays infinitely for mass
    where the target has none (zero-forcing).

    Examples
    --------
    >>> reverse_kl(Normal(0, 1), Normal(0, 2)) == kl(Normal(0, 2), Normal(0, 1))
    True
    """
    return kl(q, p, base=base)

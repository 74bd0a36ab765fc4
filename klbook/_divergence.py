"""KL divergence, entropy and cross-entropy, in the direction their names say.

``kl(p, q)`` is D(p||q) = E_p[log p - log q]. In the book P is the target and
Q the model, so the *forward* KL is D(P||Q) = ``kl(P, Q)`` and the *reverse*
KL is D(Q||P) = ``kl(Q, P)``.
"""

import math

import numpy as np
from scipy.special import rel_entr, xlogy

from . import _quadrature
from ._distributions import Categorical, Mixture, Normal
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
    elif isinstance(p, _CONTINUOUS + (Categorical,)) or isinstance(q, _CONTINUOUS + (Categorical,)):
        return None
    else:
        pp = probability_vector("p", p)
        qq = probability_vector("q", q)
    if pp.size != qq.size:
        raise ValueError(f"`p` and `q` must have the same length, got {pp.size} and {qq.size}")
    return pp, qq


def _check_pair(p, q):
    pair = _discrete_pair(p, q)
    if pair is not None:
        return pair
    for name, d in (("p", p), ("q", q)):
        if not isinstance(d, _CONTINUOUS):
            raise ValueError(
                f"`{name}` must be a Normal or Mixture to pair with a continuous distribution, got {d!r}"
            )
    return None


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
    d = p.mean - q.mean
    return math.log(q.sd) + 0.5 * math.log(2 * math.pi) + (p.var + d * d) / (2 * q.var)


def _kl_nats(p, q):
    pair = _check_pair(p, q)
    if pair is not None:
        return float(rel_entr(*pair).sum())
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
    p, q : Normal, Mixture, Categorical or 1-D array-like of probabilities
        Two distributions on the same space: both continuous (Normal or
        Mixture), or both discrete (two Categoricals, or two probability
        vectors of equal length summing to 1).
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
        a continuous distribution paired with a discrete one, or a bad `base`.

    Notes
    -----
    Discrete: :math:`D = \\sum_x p(x) \\log(p(x) / q(x))` term by term with
    ``scipy.special.rel_entr`` (0 log 0 = 0; p > 0 = q gives inf).
    Two Normals: closed form,

    .. math:: D = \\log\\frac{\\sigma_q}{\\sigma_p}
              + \\frac{\\sigma_p^2 + (\\mu_p - \\mu_q)^2}{2\\sigma_q^2} - \\frac12 .

    A mixture against a Normal: ``H(p, q) - H(p)`` with the cross-entropy in
    closed form. Other continuous pairs: composite Gauss–Legendre quadrature
    with panels fitted to every component (accurate to about 1e-12).

    Examples
    --------
    >>> kl([0.5, 0.5], [0.9, 0.1], base=2) > kl([0.9, 0.1], [0.5, 0.5], base=2)
    True
    >>> kl([0.5, 0.5], [1.0, 0.0])
    inf
    >>> kl(Normal(0, 1), Normal(1, 1))
    0.5
    """
    scale = log_base(base)
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
    if isinstance(p, _CONTINUOUS + (Categorical,)):
        return p.entropy() / scale
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

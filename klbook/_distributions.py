"""Frozen distributions: ``Normal``, ``Mixture`` of Normals, ``Categorical``.

Parameters are fixed at construction and checked there, like
``scipy.stats.norm(loc, scale)``; every method is vectorised over ``x``.
"""

import math
import numbers

import numpy as np
from scipy.special import entr

from . import _quadrature
from ._validate import positive_finite, probability_vector, real_finite

_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)


def _rng(rng):
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        return np.random.default_rng(int(rng))
    raise ValueError(f"`rng` must be a numpy Generator or an integer seed, got {rng!r}")


def _count(n):
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"`n` must be a non-negative integer, got {n!r}")
    return int(n)


def normal_entropy(log_sd):
    """Entropy of N(., sd^2) in nats from ``log sd``: ``1/2 + log sqrt(2 pi) + log sd``.

    The one definition; ``Normal.entropy``, the reverse-KL fits and the apps'
    landscapes use it.
    """
    return 0.5 + _LOG_SQRT_2PI + log_sd


def normal_cross_entropy(mean_p, var_p, mean_q, log_sd_q):
    """H(P, Q) = -E_P[log q] in nats for a Normal Q = N(mean_q, exp(log_sd_q)^2).

    It depends on P only through its mean and variance (any P with a finite
    variance): ``log sd_q + log sqrt(2 pi) + (var_p + (mean_p - mean_q)^2) / (2 sd_q^2)``.
    Vectorised over the Q parameters. The one definition: the forward KL
    D(P||Q) of a Normal Q is this minus H(P), in ``kl``, the fits and the
    landscapes.
    """
    d = mean_p - mean_q
    return log_sd_q + _LOG_SQRT_2PI + 0.5 * (var_p + d * d) * np.exp(-2.0 * log_sd_q)


def normal_log_terms(x, log_weights, means, sds, axis=0, *, log_sds=None):
    """``log w_k + log N(x; mean_k, sd_k)`` and ``z_k = (x - mean_k)/sd_k``, the
    components along `axis` (0: leading, -1: trailing) of the result.
    `log_sds` (default ``log(sds)``) when the caller holds it already."""
    x = np.asarray(x, dtype=float)
    const = log_weights - (np.log(sds) if log_sds is None else log_sds) - _LOG_SQRT_2PI
    if axis == 0:
        shape = (-1,) + (1,) * x.ndim
        z = (x[None, ...] - np.reshape(means, shape)) / np.reshape(sds, shape)
        const = np.reshape(const, shape)
    else:
        z = (x[..., None] - means) / sds
    return const - 0.5 * z * z, z


def log_sum_exp(terms, axis=0, *, responsibilities=False, overwrite=False):
    """``log sum_k exp(terms_k)`` along `axis`, stable far in the tails; with
    ``responsibilities=True`` also ``exp(terms_k) / sum``, the softmax weights.
    ``overwrite=True`` works in `terms` itself (no temporaries the size of
    `terms`: at 10^6 points they cost more than the arithmetic). The one
    log-sum-exp of klbook's mixtures."""
    top = terms.max(axis=axis, keepdims=True)
    if overwrite:
        terms -= top
        e = np.exp(terms, out=terms)
    else:
        e = np.exp(terms - top)
    total = e.sum(axis=axis, keepdims=True)
    weights = e / total if responsibilities else None
    np.log(total, out=total)
    total += top
    out = np.squeeze(total, axis=axis)
    return (out, weights) if responsibilities else out


def mixture_logpdf(x, log_weights, means, sds):
    """log of ``sum_k w_k N(x; mean_k, sd_k)`` by log-sum-exp: finite far in the tails."""
    x = np.asarray(x, dtype=float)
    shape = x.shape
    x = x.reshape(-1)
    # Components along the first axis: reductions over a short leading axis
    # are several times faster in numpy than over a short trailing one. One
    # buffer, updated in place: at 10^6 points fresh temporaries cost more
    # than the arithmetic (the values are those of the plain expression).
    terms = np.subtract(x, means[:, None])
    terms /= sds[:, None]
    np.square(terms, out=terms)
    terms *= -0.5
    terms += (log_weights - np.log(sds) - _LOG_SQRT_2PI)[:, None]
    return log_sum_exp(terms, axis=0, overwrite=True).reshape(shape)[()]


class Normal:
    """A Normal distribution N(mean, sd²), frozen.

    Parameters
    ----------
    mean : float
        Location; any finite real.
    sd : float
        Standard deviation; finite and > 0.

    Raises
    ------
    ValueError
        If `mean` is not finite or `sd` is not a positive finite number.

    Examples
    --------
    >>> p = Normal(0.0, 2.0)
    >>> p.var
    4.0
    >>> round(float(p.pdf(0.0)), 6)
    0.199471
    """

    __slots__ = ("_mean", "_sd")
    _kinks = np.empty(0)  # breakpoints where log pdf bends sharply: none

    def __init__(self, mean, sd):
        self._mean = real_finite("mean", mean)
        self._sd = positive_finite("sd", sd)

    mean = property(lambda self: self._mean, doc="The mean.")
    sd = property(lambda self: self._sd, doc="The standard deviation.")
    var = property(lambda self: self._sd * self._sd, doc="The variance, ``sd**2``.")

    # Views as a one-component mixture, so integrals treat both kinds alike.
    means = property(lambda self: np.array([self._mean]))
    sds = property(lambda self: np.array([self._sd]))
    weights = property(lambda self: np.array([1.0]))

    def logpdf(self, x):
        """Log density at `x` (array-like), exact far in the tails."""
        z = (np.asarray(x, dtype=float) - self._mean) / self._sd
        return -0.5 * z * z - math.log(self._sd) - _LOG_SQRT_2PI

    def pdf(self, x):
        """Density at `x` (array-like)."""
        return np.exp(self.logpdf(x))

    def sample(self, n, rng):
        """Draw `n` values; `rng` is a numpy Generator or an integer seed."""
        return _rng(rng).normal(self._mean, self._sd, size=_count(n))

    def entropy(self):
        """Differential entropy in nats, ``log(sd * sqrt(2 pi e))``."""
        return normal_entropy(math.log(self._sd))

    def __eq__(self, other):
        return type(other) is Normal and (self._mean, self._sd) == (other._mean, other._sd)

    def __hash__(self):
        return hash((Normal, self._mean, self._sd))

    def __repr__(self):
        return f"Normal(mean={self._mean!r}, sd={self._sd!r})"


class Mixture:
    """A finite mixture of Normals, ``p(x) = sum_k w_k N(x; mean_k, sd_k²)``, frozen.

    Parameters
    ----------
    weights : array-like of float
        Non-negative, summing to 1 (within 1e-9).
    components : sequence of Normal
        One per weight.
    normalize : bool, keyword-only
        Rescale `weights` to sum to 1 instead of rejecting them.

    Raises
    ------
    ValueError
        For bad weights, an empty component list, a non-Normal component or
        lengths that differ.

    Notes
    -----
    ``logpdf`` uses log-sum-exp, so it stays finite and exact where every
    component's density underflows to 0. ``mean``, ``var`` and ``sd`` are the
    mixture's overall moments:

    .. math:: \\mu = \\sum_k w_k \\mu_k, \\qquad
              \\sigma^2 = \\sum_k w_k \\left(\\sigma_k^2 + (\\mu_k - \\mu)^2\\right).

    Examples
    --------
    >>> p = Mixture([0.5, 0.5], [Normal(-2, 1), Normal(2, 1)])
    >>> p.mean, p.var
    (0.0, 5.0)
    >>> bool(np.isfinite(p.logpdf(1e6)))
    True
    """

    __slots__ = ("_weights", "_components", "_means", "_sds", "_logw", "_kinks")

    def __init__(self, weights, components, *, normalize=False):
        try:
            comps = tuple(components)
        except TypeError:
            raise ValueError(f"`components` must be a sequence of Normal, got {components!r}") from None
        if not comps:
            raise ValueError(f"`components` must contain at least one Normal, got {components!r}")
        for c in comps:
            if not isinstance(c, Normal):
                raise ValueError(f"`components` must all be Normal, got {c!r}")
        w = probability_vector("weights", weights, normalize=normalize)
        if w.size != len(comps):
            raise ValueError(
                f"`weights` and `components` must have the same length, got {w.size} weights "
                f"and {len(comps)} components"
            )
        self._weights = w
        self._components = comps
        self._means = np.array([c.mean for c in comps])
        self._sds = np.array([c.sd for c in comps])
        with np.errstate(divide="ignore"):
            self._logw = np.log(w)
        self._kinks = _quadrature.crossovers(self._logw, self._means, self._sds)
        for arr in (self._weights, self._means, self._sds, self._logw, self._kinks):
            arr.setflags(write=False)

    weights = property(lambda self: self._weights, doc="Component weights (read-only array).")
    components = property(lambda self: self._components, doc="The Normal components (tuple).")
    means = property(lambda self: self._means, doc="Component means (read-only array).")
    sds = property(lambda self: self._sds, doc="Component sds (read-only array).")

    @property
    def mean(self):
        """The overall mean."""
        return float(self._weights @ self._means)

    @property
    def var(self):
        """The overall variance."""
        d = self._means - self.mean
        return float(self._weights @ (self._sds**2 + d * d))

    @property
    def sd(self):
        """The overall standard deviation."""
        return math.sqrt(self.var)

    def logpdf(self, x):
        """Log density at `x` (array-like), by log-sum-exp."""
        return mixture_logpdf(x, self._logw, self._means, self._sds)

    def pdf(self, x):
        """Density at `x` (array-like)."""
        return np.exp(self.logpdf(x))

    def sample(self, n, rng):
        """Draw `n` values; `rng` is a numpy Generator or an integer seed."""
        n = _count(n)
        gen = _rng(rng)
        # The draws of gen.choice(K, size=n, p=weights) (uniforms placed in the
        # cumulative weights) and then of gen.normal(means[k], sds[k]), value
        # for value, without choice's binary search or normal's per-draw
        # broadcasting: about twice as fast at n = 10^6.
        cdf = self._weights.cumsum()
        cdf /= cdf[-1]
        u = gen.random(n)
        k = np.zeros(n, dtype=np.intp)
        for edge in cdf[:-1]:
            k += u >= edge
        x = gen.standard_normal(n)
        x *= self._sds[k]
        x += self._means[k]
        return x

    def entropy(self):
        """Differential entropy in nats, by composite Gauss–Legendre quadrature."""
        x, w = _quadrature.grid(self._means, self._sds, extra=self._kinks)
        logp = self.logpdf(x)
        return -float(np.sum(w * np.exp(logp) * logp))

    def __eq__(self, other):
        return (
            type(other) is Mixture
            and self._components == other._components
            and np.array_equal(self._weights, other._weights)
        )

    def __hash__(self):
        return hash((Mixture, self._components, self._weights.tobytes()))

    def __repr__(self):
        return f"Mixture(weights={self._weights.tolist()!r}, components={list(self._components)!r})"


class Categorical:
    """A distribution over finitely many categories, frozen.

    Parameters
    ----------
    probs : array-like of float
        Non-negative, summing to 1 (within 1e-9).
    labels : sequence, optional
        One distinct label per category; two Categoricals with labels are
        compared label by label.
    normalize : bool, keyword-only
        Rescale `probs` to sum to 1 instead of rejecting them.

    Examples
    --------
    >>> c = Categorical([0.5, 0.25, 0.25], labels="abc")
    >>> c.entropy() / math.log(2)
    1.5
    """

    __slots__ = ("_probs", "_labels")

    def __init__(self, probs, labels=None, *, normalize=False):
        p = probability_vector("probs", probs, normalize=normalize)
        if labels is not None:
            labels = tuple(labels)
            if len(labels) != p.size:
                raise ValueError(
                    f"`labels` must have one label per probability, got {len(labels)} labels "
                    f"for {p.size} probabilities"
                )
            if len(set(labels)) != len(labels):
                raise ValueError(f"`labels` must be distinct, got {labels!r}")
        p.setflags(write=False)
        self._probs = p
        self._labels = labels

    probs = property(lambda self: self._probs, doc="Probabilities (read-only array).")
    labels = property(lambda self: self._labels, doc="Labels (tuple) or None.")

    def pmf(self, k):
        """Probability of category index `k`."""
        return self._probs[k]

    def sample(self, n, rng):
        """Draw `n` category indices; `rng` is a numpy Generator or an integer seed."""
        return _rng(rng).choice(self._probs.size, size=_count(n), p=self._probs)

    def entropy(self):
        """Shannon entropy in nats, with 0 log 0 = 0."""
        return float(entr(self._probs).sum())

    def __eq__(self, other):
        return (
            type(other) is Categorical
            and self._labels == other._labels
            and np.array_equal(self._probs, other._probs)
        )

    def __hash__(self):
        return hash((Categorical, self._labels, self._probs.tobytes()))

    def __repr__(self):
        extra = "" if self._labels is None else f", labels={list(self._labels)!r}"
        return f"Categorical(probs={self._probs.tolist()!r}{extra})"

"""Monte Carlo estimates of D(a||b) from samples of a (John Schulman's k1, k2,
k3), and of the gradient of a reverse KL D(q||p) over a Normal model q's
parameters (score-function and reparameterization estimators)."""

import math
import numbers

import numpy as np

from . import _fit
from ._distributions import Categorical, Mixture, Normal, _rng
from ._divergence import _discrete_pair
from ._multivariate import MultivariateNormal

_ESTIMATORS = ("k1", "k2", "k3")


def _log_densities(a, b):
    """Functions x -> log a(x) and x -> log b(x) on a's samples, after checking the pair."""
    for name, d in (("a", a), ("b", b)):
        if not isinstance(d, (Normal, Mixture, MultivariateNormal, Categorical)):
            raise ValueError(
                f"`{name}` must be a Normal, Mixture, MultivariateNormal or Categorical, got {d!r}"
            )
    one_d = (Normal, Mixture)
    if isinstance(a, one_d) and isinstance(b, one_d):
        return a.logpdf, b.logpdf
    if isinstance(a, MultivariateNormal) and isinstance(b, MultivariateNormal):
        if a.dim != b.dim:
            raise ValueError(f"`a` and `b` must have the same dimension, got {a.dim} and {b.dim}")
        return a.logpdf, b.logpdf
    if isinstance(a, Categorical) and isinstance(b, Categorical):
        # b's probabilities in a's category order (labels aligned, as kl does).
        pa, pb = _discrete_pair(a, b)
        with np.errstate(divide="ignore"):
            la, lb = np.log(pa), np.log(pb)
        return la.__getitem__, lb.__getitem__
    raise ValueError(f"`a` and `b` must be distributions of the same kind, got {a!r} and {b!r}")


def _k3(log_r):
    """(r - 1) - log r = expm1(u) - u for u = log r, to full relative precision.

    Where |u| < 0.01 the difference would keep only about 1e-16 / |u| of its
    relative precision, so there it is the Taylor series u^2/2 + u^3/6 + ...
    (truncated after u^7: the rest is below 1e-16 relative).
    """
    with np.errstate(over="ignore"):
        out = np.expm1(log_r) - log_r
    small = np.abs(log_r) < 0.01
    u = log_r[small]
    series = 1.0 / 5040.0
    for k in (720.0, 120.0, 24.0, 6.0, 2.0):
        series = 1.0 / k + u * series
    out[small] = u * u * series
    return out


def kl_estimate(a, b, n, *, rng=None, estimator="k1", per_sample=False):
    """Estimate the KL divergence D(a||b) = E_a[log a(x) - log b(x)] from `n` samples of `a`.

    The samples are drawn from the *first* argument, `a`, and the estimate is
    of D(a||b), the expectation under `a`. With P the target and Q the model,
    ``kl_estimate(P, Q, ...)`` estimates the forward KL from samples of P and
    ``kl_estimate(Q, P, ...)`` the reverse KL from samples of Q.

    Parameters
    ----------
    a, b : Normal, Mixture, MultivariateNormal or Categorical
        Two distributions of the same kind (1-D densities, MultivariateNormals
        of one dimension, or Categoricals over the same categories).
    n : int
        Number of samples of `a`, >= 1.
    rng : numpy.random.Generator or int, keyword-only
        Required: the source of the samples, or a seed for one.
    estimator : {"k1", "k2", "k3"}, keyword-only
        Which per-sample term to average, with ``r = b(x) / a(x)``:
        ``"k1"``: ``-log r`` (unbiased, high variance when a and b are close);
        ``"k2"``: ``(log r)**2 / 2`` (biased, low variance);
        ``"k3"``: ``(r - 1) - log r`` (unbiased, low variance, never negative).
    per_sample : bool, keyword-only
        Return the n terms instead of their mean.

    Returns
    -------
    float or ndarray
        The estimate of D(a||b) in nats (the mean of the terms), or with
        ``per_sample=True`` the terms themselves, shape (n,).

    Raises
    ------
    ValueError
        For an unknown `estimator`, an `n` that is not an integer >= 1, a
        missing `rng`, or distributions that cannot be paired.

    Notes
    -----
    The ratio is computed as :math:`r = \\exp(\\log b(x) - \\log a(x))` and k3 as
    ``expm1(log r) - log r``, or its Taylor series where r is within 1% of 1
    (there k3 is about :math:`(\\log r)^2 / 2`), so every term keeps full
    relative precision. k3 is unbiased because :math:`E_a[r] = 1` (a
    control variate for k1); k2 has expectation
    :math:`\\tfrac12 E_a[(\\log r)^2]`, which exceeds D(a||b) by about
    :math:`D^2 / 2` when a and b are close (after John Schulman, "Approximating
    KL divergence", 2020).

    Examples
    --------
    >>> a, b = Normal(0.0, 1.0), Normal(0.1, 1.0)   # D(a||b) = 0.005
    >>> est = kl_estimate(a, b, 100_000, rng=0, estimator="k3")
    >>> bool(abs(est - 0.005) < 1e-4)
    True
    >>> kl_estimate(a, b, 3, rng=np.random.default_rng(1), per_sample=True).shape
    (3,)
    """
    terms = estimate_terms(a, b, n, rng=rng, estimators=(estimator,))[estimator]
    return terms if per_sample else float(terms.mean())


def estimate_terms(a, b, n, *, rng=None, estimators=_ESTIMATORS):
    """The per-sample terms of several estimators of D(a||b) on the same `n` samples of `a`.

    ``estimate_terms(a, b, n, rng=seed)[k]`` equals
    ``kl_estimate(a, b, n, rng=seed, estimator=k, per_sample=True)`` for each
    k, from one draw and one evaluation of the log ratio (the parameters are
    those of :func:`kl_estimate`; `estimators` is a sequence of its names).

    Returns
    -------
    dict
        ``{estimator: ndarray of shape (n,)}``.

    Examples
    --------
    >>> t = estimate_terms(Normal(0.0, 1.0), Normal(0.5, 1.0), 4, rng=0)
    >>> bool(np.allclose(t["k3"] - t["k1"], np.expm1(-t["k1"])))  # k3 = k1 + (r - 1)
    True
    """
    for k in estimators:
        if k not in _ESTIMATORS:
            raise ValueError(f"`estimator` must be 'k1', 'k2' or 'k3', got {k!r}")
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < 1:
        raise ValueError(f"`n` must be an integer >= 1, got {n!r}")
    if rng is None:
        raise ValueError("`rng` is required (a numpy Generator or an integer seed), got None")
    log_a, log_b = _log_densities(a, b)
    x = a.sample(int(n), _rng(rng))
    log_r = np.asarray(log_b(x) - log_a(x), dtype=float)
    out = {}
    for k in estimators:
        if k == "k1":
            out[k] = -log_r
        elif k == "k2":
            out[k] = 0.5 * log_r * log_r
        else:
            out[k] = _k3(log_r)
    return out


_GRADIENT_ESTIMATORS = ("reparam", "score", "score-baseline")


def _check_gradient_pair(q, p):
    if not isinstance(q, Normal):
        raise ValueError(f"`q` must be a Normal (the model whose mean and log sd move), got {q!r}")
    if not isinstance(p, (Normal, Mixture)):
        raise ValueError(f"`p` must be a Normal or a Mixture, got {p!r}")


def _dlogpdf(p, x):
    """d/dx log p(x) for a Normal or a Mixture of Normals (the fits' own
    derivative, :func:`klbook._fit._log_target_derivs`)."""
    if isinstance(p, Normal):
        return -(x - p.mean) / p.var
    return _fit._log_target_derivs(p, np.asarray(x, dtype=float))[1]


def reverse_kl_gradient(q, p):
    """The exact gradient of the reverse KL D(q||p) over q's (mean, log sd).

    D(q||p) = E_q[log q(x) - log p(x)] with q = N(m, s^2) the model and p the
    target; the gradient is with respect to ``(m, log s)``, p held fixed.

    Parameters
    ----------
    q : Normal
        The model, whose parameters move.
    p : Normal or Mixture
        The fixed target.

    Returns
    -------
    ndarray, shape (2,)
        ``[dD/dm, dD/dlog s]``.

    Raises
    ------
    ValueError
        If `q` is not a Normal or `p` not a Normal or Mixture.

    Notes
    -----
    For a Normal p = N(m_p, s_p^2) the closed form is

    .. math:: \\frac{\\partial D}{\\partial m} = \\frac{m - m_p}{s_p^2}, \\qquad
              \\frac{\\partial D}{\\partial \\log s} = \\frac{s^2}{s_p^2} - 1 .

    For a Mixture it is the expectation of the reparameterization integrand,
    :math:`E_q[-(\\log p)'(x)]` and :math:`-1 - E_q[(\\log p)'(x)\\,(x - m)]`,
    by the quadrature of the reverse-KL fit (``klbook.fit``), which computes
    this gradient for its Newton steps.

    Examples
    --------
    >>> reverse_kl_gradient(Normal(1.0, 2.0), Normal(0.0, 1.0)).tolist()
    [1.0, 3.0]
    """
    _check_gradient_pair(q, p)
    if isinstance(p, Normal):
        return np.array([(q.mean - p.mean) / p.var, q.var / p.var - 1.0])
    # The reverse-KL fit's own gradient in (mean, log sd), by its quadrature.
    return _fit._reverse_normal(p, q.mean, math.log(q.sd))[1]


def reverse_kl_gradient_samples(q, p, n, *, rng=None, estimator="reparam"):
    """Per-sample estimates of the gradient of the reverse KL D(q||p) over q's (mean, log sd).

    The samples are of the *model* q = N(m, s^2), written x = m + s eps with
    eps ~ N(0, 1); the quantity is D(q||p) = E_q[log q(x) - log p(x)], the
    reverse KL with P = p the target and Q = q the model, differentiated with
    respect to ``(m, log s)``. Each row is one unbiased estimate; their mean
    estimates :func:`reverse_kl_gradient`.

    Parameters
    ----------
    q : Normal
        The model, sampled.
    p : Normal or Mixture
        The fixed target, evaluated (its log density and its slope).
    n : int
        Number of samples of q, >= 1 (>= 2 for ``"score-baseline"``).
    rng : numpy.random.Generator or int, keyword-only
        Required: the source of eps, or a seed for one. Every estimator uses
        the same draws for the same seed.
    estimator : {"reparam", "score", "score-baseline"}, keyword-only
        With ``f(x) = log q(x) - log p(x)`` (the k1 term of
        :func:`kl_estimate` for ``kl_estimate(q, p, ...)``):
        ``"reparam"``: the pathwise derivative of f(m + s eps), that is
        ``[-(log p)'(x), -1 - (log p)'(x) s eps]``;
        ``"score"`` (REINFORCE): ``f(x) * grad log q(x) = f(x) [eps / s, eps^2 - 1]``;
        ``"score-baseline"``: ``(f(x_i) - b_i) grad log q(x_i)`` with b_i the
        mean of f over the *other* n - 1 samples (leave-one-out), which keeps
        it unbiased because b_i does not depend on x_i.

    Returns
    -------
    ndarray, shape (n, 2)
        Row i: the estimate of ``[dD/dm, dD/dlog s]`` from sample i.

    Raises
    ------
    ValueError
        For an unknown `estimator`, a bad `n`, a missing `rng`, a `q` that is
        not a Normal or a `p` that is not a Normal or Mixture.

    Notes
    -----
    The score estimator uses :math:`\\nabla_\\theta E_q[f_\\theta] = E_q[f\\,
    \\nabla_\\theta \\log q] + E_q[\\nabla_\\theta f_\\theta]`, whose second
    term is :math:`E_q[\\nabla_\\theta \\log q] = 0` (p does not depend on
    theta). It needs only log p, never its slope, and its noise scales with
    f, so it is exactly 0 where q = p. The reparameterization estimator moves the sample with the
    parameters and needs the slope of log p; its noise comes from how log p
    bends over q's range.

    Examples
    --------
    >>> q, p = Normal(1.0, 1.0), Normal(0.0, 1.0)
    >>> g = reverse_kl_gradient_samples(q, p, 200_000, rng=0)
    >>> np.round(g.mean(axis=0), 1).tolist(), reverse_kl_gradient(q, p).tolist()
    ([1.0, 0.0], [1.0, 0.0])
    """
    if estimator not in _GRADIENT_ESTIMATORS:
        raise ValueError(
            f"`estimator` must be 'reparam', 'score' or 'score-baseline', got {estimator!r}")
    low = 2 if estimator == "score-baseline" else 1
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral) or n < low:
        extra = " for the leave-one-out baseline" if low == 2 else ""
        raise ValueError(f"`n` must be an integer >= {low}{extra}, got {n!r}")
    if rng is None:
        raise ValueError("`rng` is required (a numpy Generator or an integer seed), got None")
    _check_gradient_pair(q, p)
    gen = _rng(rng)
    eps = gen.standard_normal(int(n))
    x = q.mean + q.sd * eps
    out = np.empty((eps.size, 2))
    if estimator == "reparam":
        slope = _dlogpdf(p, x)
        out[:, 0] = -slope
        out[:, 1] = -1.0 - slope * q.sd * eps
        return out
    f = q.logpdf(x) - p.logpdf(x)
    if estimator == "score-baseline":
        f = f - (f.sum() - f) / (f.size - 1)
    out[:, 0] = f * eps / q.sd
    out[:, 1] = f * (eps * eps - 1.0)
    return out

"""Minka's alpha-divergence between 1-D densities, and its Normal-fit objective.

``alpha_divergence(p, q, alpha)`` is D_alpha(p||q); alpha -> 1 gives the KL
divergence D(p||q) (the expectation under p, the forward KL when p is the
target), alpha -> 0 gives D(q||p) (the reverse KL). Every value is computed
from a form that neither cancels nor overflows: log densities, ``expm1``, and
an analytic test of the Gaussian tails that decides when the integral is
infinite.
"""

import math

import numpy as np

from . import _quadrature
from ._distributions import _LOG_SQRT_2PI, Mixture, Normal
from ._divergence import kl
from ._validate import real_finite


def _check_density(name, d):
    if not isinstance(d, (Normal, Mixture)):
        raise ValueError(f"`{name}` must be a Normal or a Mixture (a 1-D density), got {d!r}")


def _tails(d):
    """(sd, left mean, right mean) of the components that rule d's tails.

    Far out a mixture follows its widest weighted component; of several that
    wide, the one with the largest mean on the right, the smallest on the left.
    """
    keep = d.weights > 0
    sds, means = d.sds[keep], d.means[keep]
    sd = float(sds.max())
    widest = means[sds == sd]
    return sd, float(widest.min()), float(widest.max())


def _tail_slopes(tp, tq, alpha):
    """Where the quadratic terms cancel (lambda = 0): the log integrand's slopes
    far left and far right, alpha m_p / s_p^2 + (1 - alpha) m_q / s_q^2."""
    (sp, lp, rp), (sq, lq, rq) = tp, tq
    beta = 1.0 - alpha
    return alpha * lp / (sp * sp) + beta * lq / (sq * sq), alpha * rp / (sp * sp) + beta * rq / (sq * sq)


def _finite(tp, tq, alpha):
    """Whether the integral of p^alpha q^(1-alpha) converges, decided from the tails.

    Far out, p^alpha q^(1-alpha) behaves like exp(-lambda x^2 / 2 + c x) with
    lambda = alpha / s_p^2 + (1 - alpha) / s_q^2 from the widest components
    (tp, tq from :func:`_tails`). It converges if lambda > 0, i.e. if
    alpha s_q^2 + (1 - alpha) s_p^2 > 0, diverges if lambda < 0, and at
    lambda = 0 converges iff it decays exponentially on both sides.
    """
    (sp, _, _), (sq, _, _) = tp, tq
    v = alpha * sq * sq + (1.0 - alpha) * sp * sp
    if v != 0.0:
        return v > 0.0
    left, right = _tail_slopes(tp, tq, alpha)
    return left > 0.0 > right


def _pair_components(logw_p, means_p, sds_p, logw_q, means_q, sds_q, alpha):
    """Means and sds of the Gaussian shapes p_i^alpha q_j^(1-alpha), where they are integrable.

    The integrand follows these products between and beyond the components,
    on scales neither p's nor q's components have (wider than both for alpha > 1).
    """
    keep_p, keep_q = np.isfinite(logw_p), np.isfinite(logw_q)
    mp, sp = means_p[keep_p][:, None], sds_p[keep_p][:, None]
    mq, sq = means_q[keep_q][None, :], sds_q[keep_q][None, :]
    prec = alpha / (sp * sp) + (1.0 - alpha) / (sq * sq)
    ok = prec > 0
    prec = prec[ok]
    centre = (alpha * mp / (sp * sp) + (1.0 - alpha) * mq / (sq * sq))[ok] / prec
    return centre, 1.0 / np.sqrt(prec)


def _diff(log_big, log_small, gap):
    """exp(log_big) - exp(log_small) where log_big = log_small + gap, without cancellation or overflow."""
    return np.exp(log_small) * np.expm1(np.minimum(gap, 0.0)) - np.exp(log_big) * np.expm1(-np.maximum(gap, 0.0))


def _integrand(lp, lq, alpha):
    """[alpha p + (1-alpha) q - p^alpha q^(1-alpha)] / (alpha (1-alpha)) and its pieces.

    Returns (h, g, b): the integrand h >= 0, g = p^alpha q^(1-alpha) and
    b = (g - q) / alpha. Near alpha = 0, h = [(p - q) - b] / (1 - alpha), with
    b = q expm1(alpha t) / alpha (t = log p - log q) accurate however small
    alpha is; near alpha = 1 the same form with the roles of p and q swapped.
    """
    t = lp - lq
    beta = 1.0 - alpha
    with np.errstate(over="ignore"):
        lg = lq + alpha * t
        g = np.exp(lg)
        b = _diff(lg, lq, alpha * t) / alpha
        p_minus_q = _diff(lp, lq, t)
        if alpha <= 0.5:
            h = (p_minus_q - b) / beta
        else:
            c = _diff(lg, lp, -beta * t) / beta  # (g - p) / (1 - alpha)
            h = (-p_minus_q - c) / alpha
    return h, g, b


def _grid(p, q_logw, q_means, q_sds, q_kinks, alpha, tp, tq):
    pair_means, pair_sds = _pair_components(_log_weights(p), p.means, p.sds, q_logw, q_means, q_sds, alpha)
    means = np.concatenate([p.means, q_means, pair_means])
    sds = np.concatenate([p.sds, q_sds, pair_sds])
    (sp, lo_p, hi_p), (sq, _, _) = tp, tq
    if alpha * sq * sq + (1.0 - alpha) * sp * sp == 0.0:
        # No Gaussian decay far out, only exp(-|slope| |x|): cover 40 decay lengths past the tails.
        left, right = _tail_slopes(tp, tq, alpha)
        means = np.concatenate([means, [lo_p, hi_p]])
        sds = np.concatenate([sds, [3.0 / left, -3.0 / right]])
    lo, hi = _quadrature.support(means, sds)
    x, w = _quadrature.grid(means, sds, lo, hi, extra=np.concatenate([p._kinks, q_kinks]))
    # Coinciding breakpoints make empty panels; their nodes would turn an infinite integrand into 0 * inf.
    keep = w > 0
    return x[keep], w[keep]


def _log_weights(d):
    return d._logw if isinstance(d, Mixture) else np.zeros(1)


def _normal_pair(p, q, alpha):
    """D_alpha between two Normals in closed form, from log of the integral of p^alpha q^(1-alpha).

    log I = -alpha beta d^2 / (2 V) + [alpha log r - log1p(alpha (r - 1))] / 2, with
    r = sd_q^2 / sd_p^2, V = alpha sd_q^2 + beta sd_p^2, beta = 1 - alpha; the
    bracket is written around whichever of alpha, beta is nearer 0, so it keeps
    its relative accuracy as alpha -> 0 or 1.
    """
    beta = 1.0 - alpha
    vp, vq = p.var, q.var
    d = p.mean - q.mean
    var = alpha * vq + beta * vp
    if alpha <= 0.5:
        r = vq / vp
        bracket = alpha * math.log(r) - math.log1p(alpha * (r - 1.0))
    else:
        r = vp / vq
        bracket = beta * math.log(r) - math.log1p(beta * (r - 1.0))
    log_i = -0.5 * alpha * beta * d * d / var + 0.5 * bracket
    if log_i > 709.0:
        return math.inf  # I overflows; with alpha beta < 0 here, D = (I - 1) / |alpha beta| is too large for a float
    return max(-math.expm1(log_i) / (alpha * beta), 0.0)


_LIMIT_EPS = 1e-14


def alpha_divergence(p, q, alpha):
    """Minka's alpha-divergence D_alpha(p||q) between two 1-D densities.

    .. math:: D_\\alpha(p\\|q) = \\frac{1}{\\alpha(1-\\alpha)} \\int
              \\left[\\alpha p(x) + (1-\\alpha) q(x) - p(x)^\\alpha q(x)^{1-\\alpha}\\right] dx

    The integrand is never negative, so D_alpha >= 0, with 0 only for p = q.
    As alpha -> 1 it tends to the KL divergence D(p||q) = ``kl(p, q)`` (the
    expectation under p; the forward KL when p is the target P and q the
    model Q); as alpha -> 0, to D(q||p) = ``kl(q, p)`` (the reverse KL). At
    alpha = 1/2 it is four times the squared Hellinger distance; at alpha = 2
    it is half the chi-square divergence of q from p,
    :math:`\\tfrac12 \\int (p - q)^2 / q`. Swapping the arguments mirrors alpha:
    :math:`D_\\alpha(p\\|q) = D_{1-\\alpha}(q\\|p)`.

    Parameters
    ----------
    p, q : Normal or Mixture
        Two 1-D densities.
    alpha : float
        Any finite real number.

    Returns
    -------
    float
        D_alpha(p||q) in nats, >= 0; exactly ``kl(p, q)`` at alpha = 1 and
        ``kl(q, p)`` at alpha = 0; ``inf`` when the integral diverges.

    Raises
    ------
    ValueError
        If `p` or `q` is not a Normal or a Mixture, or `alpha` is not a finite
        real number.

    Notes
    -----
    Finiteness is decided analytically. Far out, :math:`p^\\alpha q^{1-\\alpha}`
    follows the widest components of p and q (sds :math:`s_p`, :math:`s_q`),
    so the integral is finite if
    :math:`\\alpha / s_p^2 + (1-\\alpha) / s_q^2 > 0` (on the boundary, where
    it is 0, the linear terms of the exponent decide): always for
    :math:`0 < \\alpha < 1`; for :math:`\\alpha > 1` only if q's tails are wide
    enough, :math:`s_q^2 > s_p^2 (\\alpha - 1) / \\alpha`; for
    :math:`\\alpha < 0` only if they are narrow enough,
    :math:`s_q^2 < s_p^2 (1 - \\alpha) / (-\\alpha)`. Otherwise the result is
    ``inf``.

    Two Normals have a closed form,
    :math:`\\int p^\\alpha q^{1-\\alpha} = \\frac{s_p^{1-\\alpha} s_q^{\\alpha}}{\\sqrt V}
    \\exp\\left(-\\frac{\\alpha(1-\\alpha)(\\mu_p - \\mu_q)^2}{2V}\\right)` with
    :math:`V = \\alpha s_q^2 + (1-\\alpha) s_p^2`. Mixtures are integrated by
    composite Gauss–Legendre quadrature with panels following the
    components of p and q, the Gaussian shapes :math:`p_i^\\alpha q_j^{1-\\alpha}`
    of every pair of components, and the crossovers between components. The
    integrand is evaluated in log space with ``expm1``, so alpha within
    1e-12 of 0 or 1 loses no accuracy to cancellation.

    Examples
    --------
    >>> p, q = Normal(0.0, 1.0), Normal(1.0, 2.0)
    >>> alpha_divergence(p, q, 1.0) == kl(p, q)
    True
    >>> abs(alpha_divergence(p, q, 1e-9) - kl(q, p)) < 1e-8
    True
    >>> alpha_divergence(Normal(0, 2), Normal(0, 1), 2.0)   # q's tails too thin
    inf
    >>> mix = Mixture([0.5, 0.5], [Normal(-2, 1), Normal(2, 1)])
    >>> [round(alpha_divergence(mix, Normal(0, 2), a), 6) for a in (0.0, 0.5, 1.0, 2.0)]
    [0.227842, 0.1999, 0.185427, 0.17622]
    """
    _check_density("p", p)
    _check_density("q", q)
    alpha = real_finite("alpha", alpha)
    # Within _LIMIT_EPS of an end, D_alpha equals the KL there up to O(alpha)
    # (or O(1 - alpha)), below what the general formula can resolve in
    # doubles: at alpha = 5e-324 it divided by a subnormal (hypothesis found it).
    if abs(alpha - 1.0) < _LIMIT_EPS:
        return kl(p, q)
    if abs(alpha) < _LIMIT_EPS:
        return kl(q, p)
    tp, tq = _tails(p), _tails(q)
    if not _finite(tp, tq, alpha):
        return math.inf
    if isinstance(p, Normal) and isinstance(q, Normal):
        return _normal_pair(p, q, alpha)
    x, w = _grid(p, _log_weights(q), q.means, q.sds, q._kinks, alpha, tp, tq)
    h, _, _ = _integrand(p.logpdf(x), q.logpdf(x), alpha)
    value = float(w @ h)
    return max(value, 0.0) if math.isfinite(value) else math.inf


# ------------------------------------------------------- the Normal-fit objective

_NO_VALUE = (math.inf, np.full(2, np.nan), np.full((2, 2), np.nan))


def normal_objective(p, alpha, mu, s):
    """F = -log(I) / (alpha (1-alpha)) for q = N(mu, exp(s)), with its gradient and Hessian in (mu, s).

    Here I is the integral of p^alpha q^(1-alpha), and
    D_alpha(p||q) = (1 - I) / (alpha (1-alpha)) is an increasing function of F,
    so both have the same minimisers; F tends to D(q||p) as alpha -> 0 and to
    D(p||q) as alpha -> 1. F is the better objective for Newton's method:
    for alpha > 1 or alpha < 0, D_alpha grows like an exponential (1e20 is
    easily reached) where F grows like its exponent.

    With S the score of q in (mu, s), g = p^alpha q^(1-alpha) and
    b = (g - q) / alpha, D's derivatives are
    grad D = -E[b S] and hess D = -E[b (S S' + dS)] + E[g S S'] (integrals over
    x), the identities E_q[S] = 0 and E_q[S S' + dS] = 0 having been
    subtracted so that nothing cancels as alpha -> 0; then with
    I = 1 - alpha (1-alpha) D, grad F = grad D / I and
    hess F = (hess D + alpha (1-alpha) grad D grad D' / I) / I.
    Returns (inf, nan, nan) where D_alpha is infinite.
    """
    sd = math.exp(s)
    tp, tq = _tails(p), (sd, mu, mu)
    if not _finite(tp, tq, alpha):
        return _NO_VALUE
    x, w = _grid(p, np.zeros(1), np.array([mu]), np.array([sd]), np.empty(0), alpha, tp, tq)
    z = (x - mu) / sd
    lq = -0.5 * z * z - s - _LOG_SQRT_2PI
    h, g, b = _integrand(p.logpdf(x), lq, alpha)
    value = max(float(w @ h), 0.0)
    ab = alpha * (1.0 - alpha)
    integral = 1.0 - ab * value
    if not (math.isfinite(value) and math.isfinite(integral)):
        return _NO_VALUE
    wb, wg = w * b, w * g
    z2 = z * z
    s_mu, s_s = z / sd, z2 - 1.0
    grad = np.array([-(wb @ s_mu), -(wb @ s_s)])
    h_mumu = -(wb @ (s_mu * s_mu - 1.0 / (sd * sd))) + wg @ (s_mu * s_mu)
    h_mus = -(wb @ ((z2 * z - 3.0 * z) / sd)) + wg @ (s_mu * s_s)
    h_ss = -(wb @ (z2 * z2 - 4.0 * z2 + 1.0)) + wg @ (s_s * s_s)
    hess = np.array([[h_mumu, h_mus], [h_mus, h_ss]])
    f = -math.log1p(-ab * value) / ab
    grad_f = grad / integral
    return f, grad_f, (hess + ab * np.outer(grad_f, grad)) / integral


def normal_start(p, alpha, init):
    """(mean, log sd) to start an alpha fit from.

    `init` if given; otherwise for alpha > 0 the moment-matched Normal (with
    its sd at least that of p's widest component for alpha > 1, where a
    narrower q makes D_alpha infinite), and for alpha < 0, more mode-seeking
    than the reverse KL, p's heaviest component (the first of equal weight).
    A centred start between two equal modes would have no gradient towards
    either, and there D_alpha for alpha < 0 can fall all the way to the edge
    of the sds where it is finite.
    """
    tp = _tails(p)
    wide = tp[0]
    if init is not None:
        if not _finite(tp, (init.sd, init.mean, init.mean), alpha):
            if alpha > 1:
                rule = f"sd above {wide * math.sqrt((alpha - 1.0) / alpha)!r}"
            else:
                rule = f"sd below {wide * math.sqrt((1.0 - alpha) / -alpha)!r}"
            raise ValueError(
                f"`init` must have a finite D_alpha(p||init); for alpha={alpha!r} that needs an {rule}, got {init!r}"
            )
        return init.mean, math.log(init.sd)
    if alpha < 0:
        k = int(np.argmax(p.weights))
        return float(p.means[k]), math.log(float(p.sds[k]))
    sd = max(p.sd, wide) if alpha > 1 else p.sd
    return p.mean, math.log(sd)

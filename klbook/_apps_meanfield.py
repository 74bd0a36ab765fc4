"""The state of the mean-field app: a correlated 2-D Normal and its two factorized fits.

P = N(0, [[s1², rho s1 s2], [rho s1 s2, s2²]]) is the target; Q ranges over
Normals with diagonal covariance (mean field, Q(x) = q1(x1) q2(x2)). The
forward fit minimises D(P||Q) and keeps P's marginal variances; the reverse
fit minimises D(Q||P) and takes the conditional variances 1/Lambda_ii
(Lambda = inverse covariance, the precision matrix).

This module is numeric: it never imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._multivariate import MultivariateNormal, fit_diagonal
from ._validate import positive_finite, real_finite

__all__ = ["MeanfieldState", "ellipse", "meanfield_state", "meanfield_target"]


def _rho(rho):
    r = real_finite("rho", rho, rule="a finite number in (-1, 1)")
    if not -1.0 < r < 1.0:
        raise ValueError(f"`rho` must be in (-1, 1), got {rho!r}")
    return r


def meanfield_target(rho, s1, s2):
    """P = N(0, [[s1², rho s1 s2], [rho s1 s2, s2²]]), the app's target.

    Parameters
    ----------
    rho : float
        The correlation, in the open interval (-1, 1).
    s1, s2 : float
        The marginal standard deviations, positive and finite.

    Returns
    -------
    MultivariateNormal

    Raises
    ------
    ValueError
        If `rho` is not in (-1, 1) or `s1`, `s2` are not positive finite numbers.

    Examples
    --------
    >>> meanfield_target(0.5, 1.0, 2.0).cov.tolist()
    [[1.0, 1.0], [1.0, 4.0]]
    """
    r = _rho(rho)
    a, b = positive_finite("s1", s1), positive_finite("s2", s2)
    return MultivariateNormal([0.0, 0.0], [[a * a, r * a * b], [r * a * b, b * b]])


@dataclass(frozen=True)
class MeanfieldState:
    """What the mean-field app shows.

    Attributes
    ----------
    rho, s1, s2 : float
        The controls.
    p : MultivariateNormal
        The target P.
    forward, reverse : MultivariateNormal
        The diagonal fits: `forward` minimises D(P||Q), `reverse` minimises D(Q||P).
    d_forward : float
        The minimised forward divergence D(P||Q_forward), in nats.
    d_reverse : float
        The minimised reverse divergence D(Q_reverse||P), in nats.
    coincidence : float
        ``-1/2 log(1 - rho²)``, which both minimised divergences equal in two dimensions.
    """

    rho: float
    s1: float
    s2: float
    p: MultivariateNormal
    forward: MultivariateNormal
    reverse: MultivariateNormal
    d_forward: float
    d_reverse: float
    coincidence: float

    @property
    def forward_var(self):
        """Q_forward's variances per axis (P's marginal variances s1², s2²)."""
        return np.diag(self.forward.cov).copy()

    @property
    def reverse_var(self):
        """Q_reverse's variances per axis, ``1/Lambda_ii = s_i² (1 - rho²)``."""
        return np.diag(self.reverse.cov).copy()


def meanfield_state(rho, s1, s2):
    """Fit a factorized Normal Q to the correlated 2-D Normal P in both directions.

    Parameters
    ----------
    rho : float
        P's correlation, in (-1, 1).
    s1, s2 : float
        P's marginal standard deviations, positive.

    Returns
    -------
    MeanfieldState
        ``forward`` minimises the forward KL D(P||Q) over diagonal Q (its
        variances are s1², s2²); ``reverse`` minimises the reverse KL D(Q||P)
        (variances s1²(1 - rho²), s2²(1 - rho²)).

    Raises
    ------
    ValueError
        If `rho` is not in (-1, 1) or `s1`, `s2` are not positive finite numbers.

    Notes
    -----
    In two dimensions both minimised divergences equal

    .. math:: D(P\\|Q_{\\rm fwd}) = D(Q_{\\rm rev}\\|P) = -\\tfrac12 \\log(1 - \\rho^2),

    whatever s1 and s2; in three or more dimensions they differ in general.

    Examples
    --------
    >>> st = meanfield_state(0.8, 1.0, 1.0)
    >>> st.forward_var.tolist(), np.round(st.reverse_var, 6).tolist()
    ([1.0, 1.0], [0.36, 0.36])
    >>> round(st.d_forward, 6), round(st.d_reverse, 6), round(st.coincidence, 6)
    (0.510826, 0.510826, 0.510826)
    """
    p = meanfield_target(rho, s1, s2)
    fwd, d_fwd = fit_diagonal(p, "forward")
    rev, d_rev = fit_diagonal(p, "reverse")
    r = float(rho)
    return MeanfieldState(r, float(s1), float(s2), p, fwd, rev, float(d_fwd), float(d_rev),
                          -0.5 * math.log1p(-r * r))


def ellipse(cov, k=1.0, *, n=121):
    """Points on the k-sd ellipse ``{x : x^T cov^{-1} x = k²}`` of a centred 2-D Normal.

    A drawing formula: ``x = k L (cos t, sin t)`` with ``cov = L L^T``
    (Cholesky). Returns an array of shape (2, n), closed (first point = last).

    Raises
    ------
    ValueError
        If `cov` is not a 2x2 symmetric positive definite matrix or `k` is not positive.

    Examples
    --------
    >>> xy = ellipse([[4.0, 0.0], [0.0, 1.0]], 2.0, n=5)
    >>> np.round(xy, 6).tolist()
    [[4.0, 0.0, -4.0, -0.0, 4.0], [0.0, 2.0, 0.0, -2.0, -0.0]]
    """
    k = positive_finite("k", k)
    chol = MultivariateNormal([0.0, 0.0], cov).chol
    t = np.linspace(0.0, 2.0 * math.pi, int(n))
    return k * chol @ np.vstack([np.cos(t), np.sin(t)])

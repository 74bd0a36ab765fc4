"""The multivariate Normal, its closed-form KL divergence and its mean-field fits.

``kl_mvn(p, q)`` is D(p||q) = E_p[log p - log q]. With P the target and Q a
factorized (diagonal-covariance) model, ``fit_diagonal(P, "forward")``
minimises D(P||Q) and ``fit_diagonal(P, "reverse")`` minimises D(Q||P).
Everything goes through Cholesky factors and triangular solves: no matrix is
inverted explicitly.
"""

import math

import numpy as np
from scipy.linalg import solve_triangular

from ._distributions import _count, _rng

_LOG_2PI = math.log(2.0 * math.pi)
#: Relative asymmetry of a covariance put down to round-off (e.g. ``inv`` of a
#: symmetric matrix); the stored matrix is then the symmetric part.
_SYMMETRY_TOL = 1e-12


def _as_mean(mean):
    try:
        m = np.array(mean, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"`mean` must be a 1-D array of finite numbers, got {mean!r}") from None
    if m.ndim != 1 or m.size == 0:
        raise ValueError(f"`mean` must be a non-empty 1-D array, got shape {m.shape}")
    if not np.all(np.isfinite(m)):
        raise ValueError(f"`mean` must be finite, got {mean!r}")
    return m


def _as_cov(cov, d):
    try:
        c = np.array(cov, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"`cov` must be a square array of finite numbers, got {cov!r}") from None
    if c.shape != (d, d):
        raise ValueError(f"`cov` must have shape ({d}, {d}) to match `mean`, got shape {c.shape}")
    if not np.all(np.isfinite(c)):
        raise ValueError(f"`cov` must be finite, got {cov!r}")
    if np.abs(c - c.T).max() > _SYMMETRY_TOL * np.abs(c).max():
        raise ValueError(f"`cov` must be symmetric, got {cov!r}")
    c = 0.5 * (c + c.T)
    try:
        chol = np.linalg.cholesky(c)
    except np.linalg.LinAlgError:
        chol = None
    if chol is None or not np.all(np.diag(chol) > 0):
        raise ValueError(f"`cov` must be positive definite, got {cov!r}")
    return c, chol


class MultivariateNormal:
    """A multivariate Normal distribution N(mean, cov) in d dimensions, frozen.

    Parameters
    ----------
    mean : array-like of float, shape (d,)
        Finite.
    cov : array-like of float, shape (d, d)
        Symmetric positive definite (asymmetry at round-off level, 1e-12
        relative, is accepted and the symmetric part kept).

    Raises
    ------
    ValueError
        If `mean` is not a finite 1-D array, or `cov` has the wrong shape, is
        not finite, not symmetric or not positive definite.

    Notes
    -----
    The covariance is factored once, :math:`\\Sigma = L L^T` (Cholesky), and
    every density, sample and divergence works with :math:`L`:

    .. math:: \\log p(x) = -\\tfrac12 \\|L^{-1}(x - \\mu)\\|^2 - \\sum_i \\log L_{ii}
              - \\tfrac d2 \\log 2\\pi .

    Examples
    --------
    >>> p = MultivariateNormal([0.0, 0.0], [[1.0, 0.5], [0.5, 1.0]])
    >>> p.dim
    2
    >>> round(float(p.logpdf([0.0, 0.0])), 6)
    -1.694036
    >>> p.sample(3, rng=0).shape
    (3, 2)
    >>> MultivariateNormal([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]])
    Traceback (most recent call last):
    ...
    ValueError: `cov` must be positive definite, got [[1.0, 2.0], [2.0, 1.0]]
    """

    __slots__ = ("_mean", "_cov", "_chol", "_half_logdet")

    def __init__(self, mean, cov):
        m = _as_mean(mean)
        c, chol = _as_cov(cov, m.size)
        for arr in (m, c, chol):
            arr.setflags(write=False)
        self._mean, self._cov, self._chol = m, c, chol
        self._half_logdet = float(np.log(np.diag(chol)).sum())

    mean = property(lambda self: self._mean, doc="The mean (read-only array, shape (d,)).")
    cov = property(lambda self: self._cov, doc="The covariance (read-only array, shape (d, d)).")
    dim = property(lambda self: self._mean.size, doc="The dimension d.")
    chol = property(lambda self: self._chol, doc="The lower Cholesky factor L of ``cov`` (read-only).")

    def _points(self, x):
        x = np.asarray(x, dtype=float)
        if x.ndim not in (1, 2) or x.shape[-1] != self.dim:
            raise ValueError(f"`x` must have shape ({self.dim},) or (n, {self.dim}), got shape {x.shape}")
        return x

    def logpdf(self, x):
        """Log density at `x` of shape (d,) (a float) or (n, d) (an array of n)."""
        x = self._points(x)
        z = solve_triangular(self._chol, np.atleast_2d(x - self._mean).T, lower=True)
        out = -0.5 * np.einsum("ij,ij->j", z, z) - self._half_logdet - 0.5 * self.dim * _LOG_2PI
        return float(out[0]) if x.ndim == 1 else out

    def pdf(self, x):
        """Density at `x` of shape (d,) (a float) or (n, d) (an array of n)."""
        value = np.exp(self.logpdf(x))
        return float(value) if np.ndim(value) == 0 else value

    def sample(self, n, rng):
        """Draw `n` points, an array of shape (n, d); `rng` is a numpy Generator or an integer seed."""
        z = _rng(rng).standard_normal((_count(n), self.dim))
        return self._mean + z @ self._chol.T

    def entropy(self):
        """Differential entropy in nats, ``d/2 log(2 pi e) + 1/2 log det cov``."""
        return 0.5 * self.dim * (1.0 + _LOG_2PI) + self._half_logdet

    def __eq__(self, other):
        return (
            type(other) is MultivariateNormal
            and np.array_equal(self._mean, other._mean)
            and np.array_equal(self._cov, other._cov)
        )

    def __hash__(self):
        return hash((MultivariateNormal, self._mean.tobytes(), self._cov.tobytes()))

    def __repr__(self):
        return f"MultivariateNormal(mean={self._mean.tolist()!r}, cov={self._cov.tolist()!r})"


def kl_mvn(p, q):
    """D(p||q) for two MultivariateNormals of the same dimension, in closed form.

    .. math:: D = \\tfrac12\\left[\\operatorname{tr}(\\Sigma_q^{-1}\\Sigma_p)
              + (\\mu_q - \\mu_p)^T \\Sigma_q^{-1} (\\mu_q - \\mu_p) - d
              + \\log\\det\\Sigma_q - \\log\\det\\Sigma_p\\right]

    With :math:`A = L_q^{-1} L_p` the trace is :math:`\\|A\\|_F^2` and the
    log-determinant difference is :math:`-2 \\sum_i \\log A_{ii}`
    (:math:`A` is triangular), so D is a sum of terms
    :math:`a - 1 - \\log a \\ge 0` plus squares: never negative, and exactly 0
    for ``p == q``.
    """
    if p.dim != q.dim:
        raise ValueError(f"`p` and `q` must have the same dimension, got {p.dim} and {q.dim}")
    if p == q:
        return 0.0
    a = solve_triangular(q.chol, p.chol, lower=True)
    off = np.tril(a, -1)
    z = solve_triangular(q.chol, q.mean - p.mean, lower=True)
    # Per axis a_ii^2 - 1 - log a_ii^2 >= 0; each term is clipped at 0 so that
    # round-off near a_ii = 1 cannot make D negative.
    u = np.diag(a) ** 2 - 1.0
    terms = np.maximum(u - np.log1p(u), 0.0)
    return 0.5 * float(terms.sum() + (off * off).sum() + z @ z)


def fit_diagonal(p, direction, init=None):
    """The mean-field Normal fit to a MultivariateNormal target `p`, in closed form.

    ``direction="forward"`` minimises D(p||q) over Normals q with diagonal
    covariance: q keeps p's mean and p's marginal variances ``cov[i, i]``.
    ``direction="reverse"`` minimises D(q||p): q keeps p's mean and takes the
    conditional variances ``1 / Lambda[i, i]`` (Lambda = ``inv(cov)``, the
    precision matrix). Returns ``(q, divergence)`` with the divergence that
    was minimised:

    .. math:: D_{\\rm fwd} = \\tfrac12\\Big[\\sum_i \\log\\Sigma_{ii} - \\log\\det\\Sigma\\Big],
              \\qquad
              D_{\\rm rev} = \\tfrac12\\Big[\\sum_i \\log\\Lambda_{ii} - \\log\\det\\Lambda\\Big].
    """
    if not isinstance(p, MultivariateNormal):
        raise ValueError(f"`p` (the target) must be a MultivariateNormal for family 'diagonal', got {p!r}")
    if init is not None and not (
        isinstance(init, MultivariateNormal) and init.dim == p.dim
        and np.array_equal(init.cov, np.diag(np.diag(init.cov)))
    ):
        raise ValueError(
            f"`init` must be a MultivariateNormal of dimension {p.dim} with diagonal `cov` "
            f"for family 'diagonal', got {init!r}"
        )
    if direction == "forward":
        var = np.diag(p.cov).copy()
    else:
        # Lambda_ii is the squared norm of column i of L^{-1}, since Lambda = L^{-T} L^{-1}.
        linv = solve_triangular(p.chol, np.eye(p.dim), lower=True)
        var = 1.0 / (linv * linv).sum(axis=0)
    q = MultivariateNormal(p.mean, np.diag(var))
    return q, kl_mvn(p, q) if direction == "forward" else kl_mvn(q, p)

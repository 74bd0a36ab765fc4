"""An independent, slow, high-precision reference for klbook's numerics.

Nothing here uses klbook's quadrature or optimisers. Integrals come from
``scipy.integrate.quad`` at tight tolerance, split at points around every
component so that it sees narrow modes; the integrands are scalar pure-Python
functions. Optima come from other algorithms than klbook's: Nelder–Mead then a
root solve of the quad-computed stationarity conditions (Normal models), and
the EM fixed point with quad integrals (forward mixture fits).
Distributions are plain tuples: (weights, means, sds).
"""

import math

import numpy as np
from scipy import integrate, optimize

_HALF_LOG_2PI = 0.5 * math.log(2 * math.pi)


def as_tuple(dist):
    """(weights, means, sds) of a klbook Normal or Mixture, as tuples of floats."""
    return tuple(tuple(float(v) for v in a) for a in (dist.weights, dist.means, dist.sds))


def normal(mu, sd):
    return ((1.0,), (float(mu),), (float(sd),))


def _log_terms(d, x):
    return [
        math.log(w) - math.log(s) - _HALF_LOG_2PI - 0.5 * ((x - m) / s) ** 2
        for w, m, s in zip(*d)
        if w > 0
    ]


def logpdf(d, x):
    t = _log_terms(d, x)
    top = max(t)
    return top + math.log(sum(math.exp(v - top) for v in t))


def responsibilities(d, x):
    t = [math.log(w) - math.log(s) - 0.5 * ((x - m) / s) ** 2 for w, m, s in zip(*d)]
    top = max(t)
    e = [math.exp(v - top) for v in t]
    total = sum(e)
    return [v / total for v in e]


def score(d, x):
    """d/dx log p(x)."""
    r = responsibilities(d, x)
    return sum(ri * (m - x) / s**2 for ri, m, s in zip(r, d[1], d[2]))


def _edges(*dists):
    means = [m for d in dists for m in d[1]]
    sds = [s for d in dists for s in d[2]]
    lo = min(m - 16 * s for m, s in zip(means, sds))
    hi = max(m + 16 * s for m, s in zip(means, sds))
    pts = {lo, hi}
    for m, s in zip(means, sds):
        pts.update(m + k * s for k in (-12, -8, -6, -4, -3, -2, -1, -0.5, 0, 0.5, 1, 2, 3, 4, 6, 8, 12))
    # Between modes log p bends sharply where one component takes over from
    # another: a fine even grid lets quad find those bends.
    pts.update(np.linspace(min(means), max(means), 64).tolist() if len(set(means)) > 1 else [])
    return sorted(v for v in pts if lo <= v <= hi)


def expect(d, fn, *others):
    """∫ p_d(x) fn(x) dx by quad, split at points of d and of others."""
    edges = _edges(d, *others)

    def f(x):
        return math.exp(logpdf(d, x)) * fn(x)

    return math.fsum(
        integrate.quad(f, a, b, epsabs=1e-15, epsrel=1e-13, limit=200)[0] for a, b in zip(edges[:-1], edges[1:])
    )


def kl(p, q):
    """D(p||q) by quad."""
    return expect(p, lambda x: logpdf(p, x) - logpdf(q, x), q)


def reverse_normal_fit(p, start):
    """Minimise D(q||p) over Normal q = N(mu, sd) from start = (mu, sd).

    Nelder–Mead on the quad objective, then a root solve of the stationarity
    conditions E_q[(log p)'] = 0 and 1 + sd E_q[z (log p)'] = 0.
    """
    obj = lambda t: kl(normal(t[0], math.exp(t[1])), p)  # noqa: E731
    nm = optimize.minimize(obj, [start[0], math.log(start[1])], method="Nelder-Mead",
                           options={"xatol": 1e-8, "fatol": 1e-14, "maxiter": 2000})

    def grad(t):
        mu, sd = t[0], math.exp(t[1])
        q = normal(mu, sd)
        return [
            expect(q, lambda x: score(p, x), p),
            1.0 + sd * expect(q, lambda x: (x - mu) / sd * score(p, x), p),
        ]

    root = optimize.root(grad, nm.x, method="hybr", options={"xtol": 1e-13})
    t = root.x if root.success and np.abs(root.x - nm.x).max() < 1e-3 else nm.x
    return t[0], math.exp(t[1]), kl(normal(t[0], math.exp(t[1])), p)


def forward_normal_fit(p, start):
    """Minimise D(p||q) over Normal q by Nelder–Mead on the quad objective (no moment matching)."""
    obj = lambda t: kl(p, normal(t[0], math.exp(t[1])))  # noqa: E731
    nm = optimize.minimize(obj, [start[0], math.log(start[1])], method="Nelder-Mead",
                           options={"xatol": 1e-10, "fatol": 1e-15, "maxiter": 4000})
    return nm.x[0], math.exp(nm.x[1]), nm.fun


def forward_mixture_fit(p, start, *, tol=1e-12, max_iter=5000):
    """Minimise D(p||q) over K-component mixtures by EM with quad integrals.

    The fixed point of w_k = E_p[r_k], mu_k = E_p[r_k x] / w_k,
    sd_k² = E_p[r_k (x - mu_k)²] / w_k is the stationarity condition of the
    forward KL.
    """
    q = tuple(tuple(a) for a in start)
    for _ in range(max_iter):
        k = len(q[0])
        w = [expect(p, lambda x, i=i: responsibilities(q, x)[i], q) for i in range(k)]
        mu = [expect(p, lambda x, i=i: responsibilities(q, x)[i] * x, q) / w[i] for i in range(k)]
        sd = [
            math.sqrt(expect(p, lambda x, i=i: responsibilities(q, x)[i] * (x - mu[i]) ** 2, q) / w[i])
            for i in range(k)
        ]
        new = (tuple(w), tuple(mu), tuple(sd))
        change = max(abs(a - b) for x, y in zip(new, q) for a, b in zip(x, y))
        q = new
        if change < tol:
            break
    order = np.argsort(q[1])
    q = tuple(tuple(a[i] for i in order) for a in q)
    return q, kl(p, q)

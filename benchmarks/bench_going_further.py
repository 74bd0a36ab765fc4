"""Speed of the "Going further" numerics: alpha-divergence, the alpha fit,
KL estimates from samples, and the multivariate Normal.

Run with ``make bench`` (or ``python benchmarks/bench_going_further.py``).
Every number is a median over repeated runs; the baseline runs in the same
process, so the ratio is meaningful on a shared machine even when the
absolute times are not. Targets from the issues: alpha_divergence(mixture,
Normal) <= 200 us, an alpha fit <= 5 ms, kl_estimate with n = 10^6 <= 50 ms.

The baseline: ``scipy.integrate.quad`` of the definition
[a p + (1-a) q - p^a q^(1-a)] / (a (1-a)) with ``scipy.stats.norm`` densities
(default tolerances, a finite range), minimised by
``scipy.optimize.minimize(method="Nelder-Mead")``. Accuracy of both against
the 50-digit quad reference in ``tests/test_alpha.py``.
"""

import math
import sys
from pathlib import Path

import numpy as np
from scipy import integrate, optimize, stats

import klbook
from klbook import Mixture, MultivariateNormal, Normal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import test_alpha  # noqa: E402  (its 50-digit reference)

from bench_core import median_time  # noqa: E402  (one timing helper for every benchmark)

TARGET = Mixture([0.5, 0.5], [Normal(-2.0, 1.0), Normal(2.0, 1.0)])
MODEL = Normal(0.3, 1.7)
ALPHAS = (1e-6, 0.5, 2.0)


def tutorial_alpha(alpha, mu, sd, lo=-15.0, hi=15.0):
    comps = [stats.norm(m, s) for m, s in zip(TARGET.means, TARGET.sds)]
    p = lambda x: sum(w * c.pdf(x) for w, c in zip(TARGET.weights, comps))  # noqa: E731
    q = stats.norm(mu, sd).pdf
    f = lambda x: (alpha * p(x) + (1 - alpha) * q(x) - p(x) ** alpha * q(x) ** (1 - alpha)) / (alpha * (1 - alpha))  # noqa: E731
    return integrate.quad(f, lo, hi)[0]


def tutorial_alpha_fit(alpha, start):
    res = optimize.minimize(lambda t: tutorial_alpha(alpha, t[0], math.exp(t[1])),
                            [start.mean, math.log(start.sd)], method="Nelder-Mead")
    return res.x[0], math.exp(res.x[1])


def main():
    rep = 25
    print("klbook going-further benchmarks (medians; target 0.5 N(-2,1) + 0.5 N(2,1))")
    print(f"{'what':52s} {'median':>12s} {'|error| vs 50-digit quad':>26s}")
    for a in ALPHAS:
        exact = test_alpha.reference_alpha(TARGET, MODEL, a)
        t_kb = median_time(lambda: klbook.alpha_divergence(TARGET, MODEL, a), repeat=rep * 8, number=20)
        t_tut = median_time(lambda: tutorial_alpha(a, MODEL.mean, MODEL.sd), repeat=rep)
        err_kb = abs(klbook.alpha_divergence(TARGET, MODEL, a) - exact)
        err_tut = abs(tutorial_alpha(a, MODEL.mean, MODEL.sd) - exact)
        print(f"{f'alpha_divergence(mixture, Normal), alpha={a:g}':52s} {t_kb * 1e6:9.1f} us {err_kb:26.1e}")
        print(f"{f'tutorial quad, alpha={a:g}':52s} {t_tut * 1e6:9.1f} us {err_tut:26.1e}")
        print(f"  ratio tutorial / klbook: {t_tut / t_kb:,.0f}x")
    t_nn = median_time(lambda: klbook.alpha_divergence(Normal(0, 1), MODEL, 0.5), repeat=rep * 8, number=50)
    print(f"{'alpha_divergence(Normal, Normal), closed form':52s} {t_nn * 1e6:9.1f} us")

    start = Normal(1.0, 1.0)
    for a in (0.2, 0.5, 2.0):
        call = lambda: klbook.fit(TARGET, "normal", direction="alpha", alpha=a, init=start)  # noqa: E731
        t_kb = median_time(call, repeat=rep * 2, number=3)
        q = call().q
        t_tut = median_time(lambda: tutorial_alpha_fit(a, start), repeat=3)
        mu, sd = tutorial_alpha_fit(a, start)
        gap = max(abs(q.mean - mu), abs(q.sd - sd))
        print(f"{f'klbook.fit normal, alpha={a:g} (from N(1, 1))':52s} {t_kb * 1e3:9.3f} ms")
        print(f"{f'tutorial quad + Nelder-Mead, alpha={a:g}':52s} {t_tut * 1e3:9.1f} ms"
              f"   param gap to klbook {gap:.1e}")
        print(f"  ratio tutorial / klbook: {t_tut / t_kb:,.0f}x")

    a, b = Normal(0.0, 1.0), Normal(0.1, 1.0)
    for k in ("k1", "k3"):
        t = median_time(lambda: klbook.kl_estimate(a, b, 1_000_000, rng=0, estimator=k), repeat=15)
        print(f"{f'kl_estimate(Normal, Normal, n=10^6, {k})':52s} {t * 1e3:9.1f} ms")
    t = median_time(lambda: klbook.kl_estimate(TARGET, MODEL, 1_000_000, rng=0), repeat=9)
    print(f"{'kl_estimate(mixture, Normal, n=10^6, k1)':52s} {t * 1e3:9.1f} ms")

    cov = np.array([[1.0, 0.8, 0.3], [0.8, 2.0, -0.5], [0.3, -0.5, 1.5]])
    p, q = MultivariateNormal(np.zeros(3), cov), MultivariateNormal(np.ones(3), np.eye(3))
    t = median_time(lambda: klbook.kl(p, q), repeat=rep * 8, number=20)
    print(f"{'kl(MultivariateNormal, MultivariateNormal), d=3':52s} {t * 1e6:9.1f} us")
    t = median_time(lambda: klbook.fit(p, "diagonal", direction="reverse"), repeat=rep * 8, number=20)
    print(f"{'fit(MultivariateNormal, diagonal, reverse), d=3':52s} {t * 1e6:9.1f} us")


if __name__ == "__main__":
    main()

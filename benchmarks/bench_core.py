"""Speed and memory of klbook's core against the way tutorials do it.

Run with ``make bench`` (or ``python benchmarks/bench_core.py``). Every number
is a median over repeated runs on this machine; the tutorial baseline runs in
the same process, so the ratio is meaningful on a shared, noisy machine even
when the absolute times are not.

The tutorial baseline: densities from ``scipy.stats.norm(...).pdf`` inside
``scipy.integrate.quad`` (default tolerances, a finite range), minimised by
``scipy.optimize.minimize(method="Nelder-Mead")`` with default settings.
Accuracy of both is measured against ``tests/reference.py`` (quad at tight
tolerance plus a root solve of the stationarity conditions).
"""

import math
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from scipy import integrate, optimize, stats

import klbook
from klbook import Mixture, Normal

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import reference  # noqa: E402

TARGET = Mixture([0.5, 0.5], [Normal(-2.0, 1.0), Normal(2.0, 1.0)])
REVERSE_START = Normal(1.0, 1.0)


def median_time(fn, *, repeat, number=1):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        times.append((time.perf_counter() - t0) / number)
    return float(np.median(times))


# --------------------------------------------------------------- the baseline


def _tutorial_pdf(weights, means, sds):
    comps = [stats.norm(m, s) for m, s in zip(means, sds)]
    return lambda x: sum(w * c.pdf(x) for w, c in zip(weights, comps))


P_PDF = _tutorial_pdf(TARGET.weights, TARGET.means, TARGET.sds)


def tutorial_kl(p, q, lo=-15.0, hi=15.0):
    return integrate.quad(lambda x: p(x) * np.log(p(x) / q(x)), lo, hi)[0]


def tutorial_fit(direction, start):
    def objective(theta):
        q = stats.norm(theta[0], math.exp(theta[1])).pdf
        return tutorial_kl(P_PDF, q) if direction == "forward" else tutorial_kl(q, P_PDF)

    res = optimize.minimize(objective, [start.mean, math.log(start.sd)], method="Nelder-Mead")
    return res.x[0], math.exp(res.x[1])


def main():
    rep = 25
    target = reference.as_tuple(TARGET)
    rows = []

    # Reference optima (independent code: quad + Nelder–Mead + root solve).
    exact = {
        "forward": reference.forward_normal_fit(target, (0.5, 1.0))[:2],
        "reverse": reference.reverse_normal_fit(target, (REVERSE_START.mean, REVERSE_START.sd))[:2],
    }

    print("klbook core benchmarks (medians; target 0.5 N(-2,1) + 0.5 N(2,1), fitted by one Normal)")
    print(f"{'what':44s} {'median':>12s} {'max param error':>16s}")
    for direction in ("forward", "reverse"):
        init = None if direction == "forward" else REVERSE_START
        call = lambda: klbook.fit(TARGET, "normal", direction=direction, init=init)  # noqa: E731
        t_kb = median_time(call, repeat=rep * 8, number=5)
        q = call().q
        err_kb = max(abs(q.mean - exact[direction][0]), abs(q.sd - exact[direction][1]))
        start = Normal(0.5, 1.0) if direction == "forward" else REVERSE_START
        t_tut = median_time(lambda: tutorial_fit(direction, start), repeat=max(3, rep // 5))
        mu, sd = tutorial_fit(direction, start)
        err_tut = max(abs(mu - exact[direction][0]), abs(sd - exact[direction][1]))
        rows.append((direction, t_kb, t_tut, err_kb, err_tut))
        print(f"{'klbook.fit normal, ' + direction:44s} {t_kb * 1e3:9.3f} ms {err_kb:16.1e}")
        print(f"{'tutorial quad + Nelder-Mead, ' + direction:44s} {t_tut * 1e3:9.1f} ms {err_tut:16.1e}")
        print(f"  ratio tutorial / klbook ({direction}): {t_tut / t_kb:,.0f}x"
              f"  (accuracy: klbook {'better or equal' if err_kb <= err_tut else 'WORSE'})")

    q = Normal(0.3, 1.7)
    t_fwd = median_time(lambda: klbook.kl(TARGET, q), repeat=rep * 8, number=20)
    t_rev = median_time(lambda: klbook.kl(q, TARGET), repeat=rep * 8, number=20)
    t_tut = median_time(lambda: tutorial_kl(P_PDF, stats.norm(0.3, 1.7).pdf), repeat=rep)
    ref_value = reference.kl(target, reference.normal(0.3, 1.7))
    print(f"{'kl(mixture, normal)':44s} {t_fwd * 1e6:9.1f} us   |error| {abs(klbook.kl(TARGET, q) - ref_value):.1e}")
    print(f"{'kl(normal, mixture)':44s} {t_rev * 1e6:9.1f} us")
    print(f"{'tutorial quad kl(mixture, normal)':44s} {t_tut * 1e6:9.1f} us   |error| "
          f"{abs(tutorial_kl(P_PDF, stats.norm(0.3, 1.7).pdf) - ref_value):.1e}")

    tracemalloc.start()
    klbook.fit(TARGET, "normal", direction="reverse", init=REVERSE_START)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{'peak memory of one reverse fit':44s} {peak / 1024:9.0f} KiB")

    t_opt = median_time(lambda: klbook.reverse_optima(TARGET), repeat=max(3, rep // 5))
    print(f"{'reverse_optima (all local minima)':44s} {t_opt * 1e3:9.1f} ms")
    return rows


if __name__ == "__main__":
    main()

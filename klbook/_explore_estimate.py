"""Kernel-free explorer data of the "estimate" app (see :mod:`klbook._apps_estimate`).

For every (mu, sd, n) of the lattice: the exact D(a||b) for a = N(0, 1) and
b = N(mu, sd^2), and for k1, k2, k3 the mean and standard deviation of the
repeated n-sample estimates with their histogram. The page only looks these
up, draws the histograms and prints bias = mean - true and std / true.
"""

from . import _apps_estimate as A
from . import explorers
from .explorers import _r


def estimate_data() -> dict:
    """The lattice of states, as plain JSON values (numbers rounded by ``_r``).

    ``states[(i_mu * len(sds) + i_sd) * len(ns) + i_n]`` is
    ``[true, lo, hi, [[mean, std, counts], ...per estimator]]`` with the bins
    spread evenly over [lo, hi].
    """
    states = []
    for mu in A.MUS:
        for sd in A.SDS:
            for n in A.NS:
                st = A.estimate_state(mu, sd, n)
                states.append([_r(st.true), _r(st.edges[0]), _r(st.edges[-1]),
                               [[_r(s.mean), _r(s.std), list(s.counts)]
                                for s in (st.summaries[k] for k in A.ESTIMATORS)]])
    return {"mus": list(A.MUS), "sds": list(A.SDS), "ns": list(A.NS),
            "estimators": list(A.ESTIMATORS), "reps": A.REPS, "bins": A.BINS,
            "seed": A.SEED, "states": states}


explorers.register("estimate", estimate_data,
                   "Estimating D(a‖b) from samples of a: k1, k2 and k3")

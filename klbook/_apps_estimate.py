"""The state of the "estimate" app: Monte Carlo estimates of D(a||b) from samples of a.

a = N(0, 1) is the distribution sampled; b = N(mu, sd^2) is the other one. The
app repeats the estimate many times with a fixed seed and reports, for each of
John Schulman's estimators k1, k2 and k3 (:func:`klbook.kl_estimate`, here
through :func:`klbook._estimate.estimate_terms`, which shares the draws), the
mean, the spread and a histogram of the estimates, next to the exact
D(a||b) = ``kl(a, b)``. With P the target and Q the model, a = Q and b = P
makes this a reverse KL D(Q||P) estimated from samples of Q (the usual case in
variational inference and RLHF); a = P and b = Q, a forward KL from samples of
P. This module is numeric: it never imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass

import numpy as np

from ._distributions import Normal
from ._divergence import kl
from ._estimate import estimate_terms

#: The estimators, in the order the app shows them.
ESTIMATORS = ("k1", "k2", "k3")
#: The app's lattice: b's mean, b's sd and the sample size n.
MUS = tuple(round(0.1 * k, 10) for k in range(21))
SDS = (0.8, 1.0, 1.2)
NS = (10, 30, 100, 300, 1000)
#: Repetitions of each n-sample estimate, the histograms' bins, and the seed.
REPS = 400
BINS = 30
SEED = 20200307

#: b may be at most this much wider than a = N(0, 1): beyond it E_a[r^2] is
#: infinite, so k3 (and r itself) has infinite variance and a standard
#: deviation of the estimates measures nothing.
SD_LIMIT = math.sqrt(2.0)


@dataclass(frozen=True)
class EstimatorSummary:
    """What the app shows of one estimator.

    Attributes
    ----------
    mean, std : float
        Mean and standard deviation (ddof=1) of the `reps` estimates, each the
        average of n per-sample terms.
    bias : float
        ``mean - true``.
    rel_bias, rel_std : float or None
        ``bias / true`` and ``std / true``; None when the true value is 0.
    counts : tuple of int
        Histogram of the estimates over the state's shared bin edges.
    """

    mean: float
    std: float
    bias: float
    rel_bias: float | None
    rel_std: float | None
    counts: tuple


@dataclass(frozen=True)
class EstimateState:
    """The app's state at one (mu, sd, n).

    Attributes
    ----------
    a, b : Normal
        The sampled distribution a = N(0, 1) and b = N(mu, sd^2).
    n, reps : int
        Samples per estimate and number of repeated estimates.
    true : float
        The exact D(a||b) = ``kl(a, b)``, the value every estimator targets.
    edges : ndarray
        The histograms' bin edges, shared by the three estimators.
    summaries : dict
        ``{"k1": EstimatorSummary, "k2": ..., "k3": ...}``.
    """

    a: Normal
    b: Normal
    n: int
    reps: int
    true: float
    edges: np.ndarray
    summaries: dict


def _check_int(name, value, low):
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral) or value < low:
        raise ValueError(f"`{name}` must be an integer >= {low}, got {value!r}")
    return int(value)


def estimate_state(mu, sd=1.0, n=100, *, reps=REPS, bins=BINS, seed=SEED):
    """Repeat the n-sample estimates of D(a||b) and summarise them.

    a = N(0, 1) is sampled; b = N(mu, sd^2). The estimate is of D(a||b) =
    E_a[log a(x) - log b(x)], the KL with the expectation under the sampled
    distribution. All three estimators use the same samples (one seeded
    stream of ``reps * n`` draws of a, cut into `reps` estimates of n).

    Parameters
    ----------
    mu : float
        Mean of b, finite, |mu| <= 10.
    sd : float
        Standard deviation of b, in (0, sqrt(2)): at sqrt(2) and above the
        ratio r = b/a has infinite variance under a (E_a[r^2] = infinity),
        and so does k3.
    n : int
        Samples of a per estimate, >= 1.
    reps : int, keyword-only
        Number of independent estimates, >= 2.
    bins : int, keyword-only
        Number of histogram bins, >= 1.
    seed : int, keyword-only
        Seed of the samples.

    Returns
    -------
    EstimateState

    Raises
    ------
    ValueError
        For a bad `mu`, `sd`, `n`, `reps` or `bins`, naming the value.

    Examples
    --------
    >>> st = estimate_state(1.0, 1.0, 100, reps=200)
    >>> round(st.true, 6)                   # D(N(0,1) || N(1,1)) = 1/2
    0.5
    >>> st.summaries["k2"].bias > 0.1       # k2's bias, about D^2/2 = 0.125
    True
    """
    mu = float(mu)
    if not (math.isfinite(mu) and abs(mu) <= 10.0):
        raise ValueError(f"`mu` must be finite with |mu| <= 10, got {mu!r}")
    sd = float(sd)
    if not (math.isfinite(sd) and 0.0 < sd < SD_LIMIT):
        raise ValueError(
            f"`sd` must be in (0, sqrt(2)) (wider b gives k3 infinite variance), got {sd!r}")
    n = _check_int("n", n, 1)
    reps = _check_int("reps", reps, 2)
    bins = _check_int("bins", bins, 1)
    a, b = Normal(0.0, 1.0), Normal(mu, sd)
    true = kl(a, b)
    # One draw and one log ratio for the three (the terms of kl_estimate, value for value).
    terms = estimate_terms(a, b, reps * n, rng=seed, estimators=ESTIMATORS)
    estimates = {k: terms[k].reshape(reps, n).mean(axis=1) for k in ESTIMATORS}
    lo = min(float(e.min()) for e in estimates.values())
    hi = max(float(e.max()) for e in estimates.values())
    if hi - lo < 1e-9:
        # Every estimate equal (b = a): a small window around the common value.
        lo, hi = lo - 0.01, hi + 0.01
    edges = np.linspace(lo, hi, bins + 1)
    summaries = {}
    for k, e in estimates.items():
        mean, std = float(e.mean()), float(e.std(ddof=1))
        bias = mean - true
        counts, _ = np.histogram(e, bins=edges)
        summaries[k] = EstimatorSummary(
            mean=mean, std=std, bias=bias,
            rel_bias=bias / true if true > 0 else None,
            rel_std=std / true if true > 0 else None,
            counts=tuple(int(c) for c in counts))
    return EstimateState(a=a, b=b, n=n, reps=reps, true=true, edges=edges, summaries=summaries)


@functools.lru_cache(maxsize=256)
def lattice_state(mu, sd, n):
    """:func:`estimate_state` with the app's defaults, cached (the live app revisits states)."""
    return estimate_state(mu, sd, n)

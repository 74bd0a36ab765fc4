import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from klbook import (Categorical, Mixture, MultivariateNormal, Normal, kl, kl_estimate, reverse_kl_gradient,
                    reverse_kl_gradient_samples)

BIMODAL = Mixture([0.4, 0.6], [Normal(-2, 0.7), Normal(1.5, 1.2)])

# Each b is narrow enough that r = b/a has a finite variance under a
# (E_a[r^2] = the integral of b^2/a converges iff s_b^2 < 2 s_a^2 for the widest
# components), so the k3 estimates obey the central limit theorem the test uses.
PAIRS = {
    "normals": (Normal(0, 1), Normal(0.5, 1.2)),
    "mixture vs normal": (BIMODAL, Normal(0.3, 1.6)),
    "normal vs mixture": (Normal(0.3, 2.0), BIMODAL),
    "multivariate": (
        MultivariateNormal([0.0, 1.0], [[1.0, 0.6], [0.6, 2.0]]),
        MultivariateNormal([0.5, 0.5], [[1.2, 0.0], [0.0, 1.0]]),
    ),
    "categorical": (Categorical([0.5, 0.3, 0.2]), Categorical([0.2, 0.2, 0.6])),
}


@pytest.mark.parametrize("estimator", ["k1", "k3"])
@pytest.mark.parametrize("name", PAIRS)
def test_k1_and_k3_are_unbiased(name, estimator):
    a, b = PAIRS[name]
    rng = np.random.default_rng(2024)
    estimates = np.array([kl_estimate(a, b, 50, rng=rng, estimator=estimator) for _ in range(2000)])
    se = estimates.std(ddof=1) / math.sqrt(estimates.size)
    assert abs(estimates.mean() - kl(a, b)) < 4 * se


def test_k2_is_biased_upwards():
    # a = N(0, 1), b = N(1, 1): log r = x - 1/2, so E[k2] = (1 + 1/4) / 2 = 0.625 against D(a||b) = 0.5.
    a, b = Normal(0, 1), Normal(1, 1)
    terms = kl_estimate(a, b, 1_000_000, rng=np.random.default_rng(5), estimator="k2", per_sample=True)
    se = terms.std() / math.sqrt(terms.size)
    assert abs(terms.mean() - 0.625) < 4 * se
    assert terms.mean() - kl(a, b) > 50 * se


def test_schulmans_table():
    # Samples of a = N(0, 1), estimating D(a||b) for b = N(0.1, 1): true value 0.005.
    a, b = Normal(0.0, 1.0), Normal(0.1, 1.0)
    true = kl(a, b)
    assert true == pytest.approx(0.005, rel=1e-12)
    stats = {}
    for k in ("k1", "k2", "k3"):
        terms = kl_estimate(a, b, 1_000_000, rng=np.random.default_rng(0), estimator=k, per_sample=True)
        stats[k] = ((terms.mean() - true) / true, terms.std() / true)
    assert 19 < stats["k1"][1] < 21
    assert 1.35 < stats["k2"][1] < 1.5
    assert 1.35 < stats["k3"][1] < 1.5
    # Relative bias: k2's is (Var + mean^2)/2 of log r over D, minus 1 = 0.0025; the others' are noise.
    assert stats["k2"][0] == pytest.approx(0.0025, abs=0.003)
    assert abs(stats["k3"][0]) < 0.01 and abs(stats["k1"][0]) < 0.1


def test_mean_and_per_sample_agree_and_are_seeded():
    a, b = PAIRS["mixture vs normal"]
    for k in ("k1", "k2", "k3"):
        terms = kl_estimate(a, b, 1000, rng=np.random.default_rng(9), estimator=k, per_sample=True)
        assert terms.shape == (1000,)
        assert kl_estimate(a, b, 1000, rng=np.random.default_rng(9), estimator=k) == pytest.approx(terms.mean(), rel=1e-15)
        assert np.array_equal(terms, kl_estimate(a, b, 1000, rng=9, estimator=k, per_sample=True))
    assert isinstance(kl_estimate(a, b, 10, rng=1), float)


def test_terms_are_the_formulas():
    a, b = Normal(0.0, 1.0), Normal(0.7, 0.8)
    x = a.sample(500, np.random.default_rng(4))
    log_r = b.logpdf(x) - a.logpdf(x)
    terms = {k: kl_estimate(a, b, 500, rng=np.random.default_rng(4), estimator=k, per_sample=True) for k in ("k1", "k2", "k3")}
    np.testing.assert_allclose(terms["k1"], -log_r, rtol=1e-14)
    np.testing.assert_allclose(terms["k2"], 0.5 * log_r**2, rtol=1e-14)
    np.testing.assert_allclose(terms["k3"], np.exp(log_r) - 1 - log_r, rtol=1e-9, atol=1e-15)
    assert np.all(terms["k3"] >= 0) and np.all(terms["k2"] >= 0)


def test_k3_is_accurate_where_r_is_near_one():
    # For b a hair from a, k3 ~ (log r)^2 / 2 ~ 1e-20, where (r - 1) - log r in
    # plain floats keeps only about 6 digits; k3 = u^2/2 + u^3/6 + ... with u = log r = -k1.
    a = Normal(0.0, 1.0)
    for shift in (1e-10, 1e-4, 0.05):
        b = Normal(shift, 1.0)
        u = -kl_estimate(a, b, 100, rng=3, estimator="k1", per_sample=True)
        k3 = kl_estimate(a, b, 100, rng=3, estimator="k3", per_sample=True)
        series = sum(u**k / math.factorial(k) for k in range(2, 12))
        np.testing.assert_allclose(k3, series, rtol=1e-13)


def test_direction_is_from_the_first_argument():
    a, b = Normal(0.0, 1.0), Normal(1.0, 3.0)
    est = kl_estimate(a, b, 200_000, rng=0, estimator="k1")
    assert est == pytest.approx(kl(a, b), rel=0.02)
    assert est != pytest.approx(kl(b, a), rel=0.2)


def test_support_mismatch_gives_inf():
    a, b = Categorical([0.5, 0.5]), Categorical([1.0, 0.0])
    for k in ("k1", "k2", "k3"):
        assert kl_estimate(a, b, 100, rng=0, estimator=k) == math.inf


def test_categorical_labels_are_aligned():
    a = Categorical([0.7, 0.3], labels=["x", "y"])
    b = Categorical([0.4, 0.6], labels=["y", "x"])
    terms = kl_estimate(a, b, 50, rng=0, per_sample=True)
    assert set(np.round(terms, 12)) <= {round(math.log(0.7 / 0.6), 12), round(math.log(0.3 / 0.4), 12)}


@settings(max_examples=30, deadline=None)
@given(st.floats(-2, 2), st.floats(0.5, 2), st.integers(0, 2**32 - 1))
def test_k3_never_negative_and_k1_k3_share_samples(mean, sd, seed):
    a, b = Normal(0, 1), Normal(mean, sd)
    k1 = kl_estimate(a, b, 200, rng=seed, estimator="k1", per_sample=True)
    k3 = kl_estimate(a, b, 200, rng=seed, estimator="k3", per_sample=True)
    assert np.all(k3 >= 0)
    # Same samples: k3 - k1 = r - 1.
    np.testing.assert_allclose(k3 - k1, np.expm1(-k1), atol=1e-12, rtol=1e-12)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((Normal(0, 1), Normal(1, 1), 10), {"rng": 0, "estimator": "k4"}, r"^`estimator` must be 'k1', 'k2' or 'k3', got 'k4'$"),
        ((Normal(0, 1), Normal(1, 1), 0), {"rng": 0}, r"^`n` must be an integer >= 1, got 0$"),
        ((Normal(0, 1), Normal(1, 1), -5), {"rng": 0}, r"^`n` must be an integer >= 1, got -5$"),
        ((Normal(0, 1), Normal(1, 1), 10.0), {"rng": 0}, r"^`n` must be an integer >= 1, got 10.0$"),
        ((Normal(0, 1), Normal(1, 1), True), {"rng": 0}, r"^`n` must be an integer >= 1, got True$"),
        ((Normal(0, 1), Normal(1, 1), 10), {"rng": None},
         r"^`rng` is required \(a numpy Generator or an integer seed\), got None$"),
        ((Normal(0, 1), Normal(1, 1), 10), {},
         r"^`rng` is required \(a numpy Generator or an integer seed\), got None$"),
        ((Normal(0, 1), Normal(1, 1), 10), {"rng": "seed"},
         r"^`rng` must be a numpy Generator or an integer seed, got 'seed'$"),
        ((Normal(0, 1), Categorical([0.5, 0.5]), 10), {"rng": 0},
         r"^`a` and `b` must be distributions of the same kind, got Normal"),
        ((MultivariateNormal([0, 0], np.eye(2)), MultivariateNormal([0], [[1.0]]), 10), {"rng": 0},
         r"^`a` and `b` must have the same dimension, got 2 and 1$"),
        (([0.5, 0.5], Normal(0, 1), 10), {"rng": 0},
         r"^`a` must be a Normal, Mixture, MultivariateNormal or Categorical, got \[0.5, 0.5\]$"),
    ],
)
def test_rejects_bad_arguments(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        kl_estimate(*args, **kwargs)


# ---------------------------------------------------------------- gradients of the reverse KL D(q||p)

GRADIENT_ESTIMATORS = ("reparam", "score", "score-baseline")
GRADIENT_CASES = {
    "normal target": (Normal(1.0, 0.8), Normal(0.0, 1.0)),
    "mixture target": (Normal(0.5, 1.2), BIMODAL),
    "far from the mixture": (Normal(-3.0, 0.6), BIMODAL),
}


def _finite_difference_gradient(q, p, h=1e-5):
    """Central differences of kl(q, p) over (mean, log sd): independent of the sampling code."""
    m, ls = q.mean, math.log(q.sd)
    d = lambda m, ls: kl(Normal(m, math.exp(ls)), p)  # noqa: E731
    return np.array([(d(m + h, ls) - d(m - h, ls)) / (2 * h), (d(m, ls + h) - d(m, ls - h)) / (2 * h)])


@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_exact_reverse_gradient_is_the_derivative_of_kl(name):
    q, p = GRADIENT_CASES[name]
    np.testing.assert_allclose(reverse_kl_gradient(q, p), _finite_difference_gradient(q, p), atol=1e-8)


def test_exact_reverse_gradient_closed_form_for_normals():
    # D(N(m, s^2) || N(0, 1)) = (s^2 + m^2 - 1)/2 - log s: d/dm = m, d/dlog s = s^2 - 1.
    np.testing.assert_allclose(reverse_kl_gradient(Normal(1.0, 0.8), Normal(0.0, 1.0)), [1.0, 0.64 - 1.0],
                               rtol=1e-15)


@pytest.mark.parametrize("estimator", GRADIENT_ESTIMATORS)
@pytest.mark.parametrize("name", GRADIENT_CASES)
def test_gradient_estimators_are_unbiased(name, estimator):
    q, p = GRADIENT_CASES[name]
    rng = np.random.default_rng(77)
    # 2000 independent batches of 20 (the leave-one-out baseline couples the samples of a batch).
    batches = np.array([reverse_kl_gradient_samples(q, p, 20, rng=rng, estimator=estimator).mean(axis=0)
                        for _ in range(2000)])
    se = batches.std(axis=0, ddof=1) / math.sqrt(len(batches))
    assert np.all(np.abs(batches.mean(axis=0) - reverse_kl_gradient(q, p)) < 4 * se)


def test_gradient_variance_ordering_far_from_a_normal_target():
    # q = N(2, 1), p = N(0, 1): per-sample variances are exactly 1 (reparam, d/dm),
    # 2 m^2 = 8 (score with the mean of f as baseline) and 2 m^2 + m^4/4 = 12 (score).
    q, p = Normal(2.0, 1.0), Normal(0.0, 1.0)
    var = {e: reverse_kl_gradient_samples(q, p, 200_000, rng=3, estimator=e).var(axis=0)
           for e in GRADIENT_ESTIMATORS}
    assert np.all(var["reparam"] < var["score-baseline"]) and np.all(var["score-baseline"] < var["score"])
    assert var["reparam"][0] == pytest.approx(1.0, rel=0.02)
    assert var["score-baseline"][0] == pytest.approx(8.0, rel=0.03)
    assert var["score"][0] == pytest.approx(12.0, rel=0.03)


def test_score_estimator_is_exactly_zero_at_the_target_and_reparam_is_not():
    q = Normal(0.3, 1.4)
    assert np.all(reverse_kl_gradient_samples(q, q, 100, rng=0, estimator="score") == 0)
    assert reverse_kl_gradient_samples(q, q, 100, rng=0, estimator="reparam").std(axis=0).min() > 0.5


def test_estimators_share_the_draws_and_use_the_formulas():
    q, p = Normal(0.4, 0.7), BIMODAL
    eps = np.random.default_rng(11).standard_normal(50)
    x = q.mean + q.sd * eps
    f = q.logpdf(x) - p.logpdf(x)
    h = 1e-6
    slope = (p.logpdf(x + h) - p.logpdf(x - h)) / (2 * h)
    g = {e: reverse_kl_gradient_samples(q, p, 50, rng=11, estimator=e) for e in GRADIENT_ESTIMATORS}
    np.testing.assert_allclose(g["reparam"], np.column_stack([-slope, -1 - slope * q.sd * eps]), rtol=1e-6)
    np.testing.assert_allclose(g["score"], np.column_stack([f * eps / q.sd, f * (eps**2 - 1)]), rtol=1e-12)
    b = np.array([np.delete(f, i).mean() for i in range(50)])
    np.testing.assert_allclose(g["score-baseline"][:, 0], (f - b) * eps / q.sd, rtol=1e-10, atol=1e-14)
    assert np.array_equal(g["score"], reverse_kl_gradient_samples(q, p, 50, rng=np.random.default_rng(11),
                                                                  estimator="score"))


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((Normal(0, 1), Normal(1, 1), 10), {"rng": 0, "estimator": "pathwise"},
         r"^`estimator` must be 'reparam', 'score' or 'score-baseline', got 'pathwise'$"),
        ((Normal(0, 1), Normal(1, 1), 0), {"rng": 0}, r"^`n` must be an integer >= 1, got 0$"),
        ((Normal(0, 1), Normal(1, 1), 1), {"rng": 0, "estimator": "score-baseline"},
         r"^`n` must be an integer >= 2 for the leave-one-out baseline, got 1$"),
        ((Normal(0, 1), Normal(1, 1), 2.0), {"rng": 0}, r"^`n` must be an integer >= 1, got 2.0$"),
        ((Normal(0, 1), Normal(1, 1), 10), {},
         r"^`rng` is required \(a numpy Generator or an integer seed\), got None$"),
        ((BIMODAL, Normal(1, 1), 10), {"rng": 0},
         r"^`q` must be a Normal \(the model whose mean and log sd move\), got Mixture"),
        ((Normal(0, 1), Categorical([0.5, 0.5]), 10), {"rng": 0},
         r"^`p` must be a Normal or a Mixture, got Categorical"),
    ],
)
def test_gradient_rejects_bad_arguments(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        reverse_kl_gradient_samples(*args, **kwargs)


def test_exact_gradient_rejects_bad_arguments():
    with pytest.raises(ValueError, match=r"^`p` must be a Normal or a Mixture, got \[0.5\]$"):
        reverse_kl_gradient(Normal(0, 1), [0.5])


def test_estimate_terms_are_kl_estimates_terms_on_shared_draws():
    from klbook._estimate import estimate_terms

    for a, b in PAIRS.values():
        terms = estimate_terms(a, b, 300, rng=21)
        for k in ("k1", "k2", "k3"):
            assert np.array_equal(terms[k], kl_estimate(a, b, 300, rng=21, estimator=k, per_sample=True))
    assert list(estimate_terms(Normal(0, 1), Normal(1, 1), 5, rng=0, estimators=("k3",))) == ["k3"]
    with pytest.raises(ValueError, match=r"^`estimator` must be 'k1', 'k2' or 'k3', got 'k5'$"):
        estimate_terms(Normal(0, 1), Normal(1, 1), 5, rng=0, estimators=("k1", "k5"))

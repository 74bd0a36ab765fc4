import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

from klbook import MultivariateNormal, Normal, fit, kl, reverse_kl

COV2 = np.array([[2.0, 0.9], [0.9, 1.0]])
COV3 = np.array([[1.0, 0.8, 0.3], [0.8, 2.0, -0.5], [0.3, -0.5, 1.5]])


def kl_by_inverse(p, q):
    """The textbook formula with explicit inverse and determinants (independent of klbook's Cholesky route)."""
    sq_inv = np.linalg.inv(q.cov)
    d = q.mean - p.mean
    return 0.5 * (np.trace(sq_inv @ p.cov) + d @ sq_inv @ d - p.dim
                  + np.linalg.slogdet(q.cov)[1] - np.linalg.slogdet(p.cov)[1])


# ------------------------------------------------------------ the distribution


def test_densities_and_entropy_match_scipy():
    mean = np.array([0.5, -1.0, 2.0])
    p = MultivariateNormal(mean, COV3)
    ref = stats.multivariate_normal(mean, COV3)
    x = np.random.default_rng(0).normal(size=(7, 3)) * 3
    np.testing.assert_allclose(p.logpdf(x), ref.logpdf(x), rtol=1e-13)
    np.testing.assert_allclose(p.pdf(x), ref.pdf(x), rtol=1e-13)
    assert p.logpdf(x[0]) == pytest.approx(ref.logpdf(x[0]), rel=1e-13)
    assert isinstance(p.logpdf(x[0]), float) and p.logpdf(x).shape == (7,)
    assert p.entropy() == pytest.approx(ref.entropy(), rel=1e-14)
    # Far out the log density stays finite and exact where the density underflows.
    far = mean + 100.0
    assert p.pdf(far) == 0.0
    assert p.logpdf(far) == pytest.approx(ref.logpdf(far), rel=1e-13)


def test_frozen_and_read_only():
    cov = COV2.copy()
    p = MultivariateNormal([0.0, 1.0], cov)
    cov[0, 0] = 99.0  # the caller's array is copied
    assert p.cov[0, 0] == 2.0
    for arr in (p.mean, p.cov):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 1.0
    with pytest.raises(AttributeError):
        p.mean = np.zeros(2)
    assert p == MultivariateNormal([0.0, 1.0], COV2) and hash(p) == hash(MultivariateNormal([0.0, 1.0], COV2))
    assert p != MultivariateNormal([0.0, 1.0], np.eye(2))


def test_sampling_is_seeded_and_has_the_right_moments():
    p = MultivariateNormal([1.0, -2.0, 0.5], COV3)
    a = p.sample(200_000, np.random.default_rng(3))
    b = p.sample(200_000, np.random.default_rng(3))
    assert a.shape == (200_000, 3) and np.array_equal(a, b)
    assert np.array_equal(p.sample(5, rng=7), p.sample(5, rng=7))
    # Standard errors: sd / sqrt(n) ~ 0.003 for the mean; a few times that for the covariance.
    np.testing.assert_allclose(a.mean(axis=0), p.mean, atol=0.015)
    np.testing.assert_allclose(np.cov(a.T), COV3, atol=0.03)
    with pytest.raises(ValueError, match=r"^`rng` must be a numpy Generator or an integer seed, got None$"):
        p.sample(3, None)


def test_one_dimension_agrees_with_normal():
    p = MultivariateNormal([0.3], [[4.0]])
    n = Normal(0.3, 2.0)
    assert p.logpdf(np.array([[1.0], [-2.0]])) == pytest.approx(n.logpdf(np.array([1.0, -2.0])), rel=1e-14)
    assert p.entropy() == pytest.approx(n.entropy(), rel=1e-14)
    assert kl(p, MultivariateNormal([-1.0], [[0.25]])) == pytest.approx(kl(n, Normal(-1.0, 0.5)), rel=1e-14)


@pytest.mark.parametrize(
    ("mean", "cov", "message"),
    [
        ([0.0, 0.0], [[1.0, 0.5], [0.4, 1.0]], r"^`cov` must be symmetric, got \[\[1.0, 0.5\], \[0.4, 1.0\]\]$"),
        ([0.0, 0.0], [[1.0, 2.0], [2.0, 1.0]], r"^`cov` must be positive definite, got \[\[1.0, 2.0\], \[2.0, 1.0\]\]$"),
        ([0.0, 0.0], [[1.0, 1.0], [1.0, 1.0]], r"^`cov` must be positive definite"),
        ([0.0, 0.0], [[0.0, 0.0], [0.0, 0.0]], r"^`cov` must be positive definite"),
        ([0.0, 0.0], [[1.0, 0.0], [0.0, math.nan]], r"^`cov` must be finite, got \[\[1.0, 0.0\], \[0.0, nan\]\]$"),
        ([0.0, math.inf], np.eye(2), r"^`mean` must be finite, got \[0.0, inf\]$"),
        ([0.0, 0.0, 0.0], np.eye(2), r"^`cov` must have shape \(3, 3\) to match `mean`, got shape \(2, 2\)$"),
        ([0.0, 0.0], [1.0, 1.0], r"^`cov` must have shape \(2, 2\) to match `mean`, got shape \(2,\)$"),
        ([[0.0, 0.0]], np.eye(2), r"^`mean` must be a non-empty 1-D array, got shape \(1, 2\)$"),
        ([], np.eye(0), r"^`mean` must be a non-empty 1-D array, got shape \(0,\)$"),
        (["a", "b"], np.eye(2), r"^`mean` must be a 1-D array of finite numbers, got \['a', 'b'\]$"),
    ],
)
def test_rejects_bad_parameters(mean, cov, message):
    with pytest.raises(ValueError, match=message):
        MultivariateNormal(mean, cov)


def test_round_off_asymmetry_is_accepted():
    precision = np.linalg.inv(COV3)
    cov = np.linalg.inv(precision)  # symmetric up to round-off only
    p = MultivariateNormal(np.zeros(3), cov)
    assert np.array_equal(p.cov, p.cov.T)
    np.testing.assert_allclose(p.cov, COV3, rtol=1e-12)


def test_logpdf_rejects_points_of_the_wrong_dimension():
    p = MultivariateNormal([0.0, 0.0], COV2)
    with pytest.raises(ValueError, match=r"^`x` must have shape \(2,\) or \(n, 2\), got shape \(3,\)$"):
        p.logpdf([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"^`x` must have shape \(2,\) or \(n, 2\), got shape \(\)$"):
        p.pdf(1.0)


# ------------------------------------------------------------------- kl


def test_kl_closed_form():
    p = MultivariateNormal([0.5, -1.0, 2.0], COV3)
    q = MultivariateNormal([0.0, 0.5, 1.0], np.diag([2.0, 1.0, 3.0]) + 0.2)
    assert kl(p, q) == pytest.approx(kl_by_inverse(p, q), rel=1e-13)
    assert kl(q, p) == pytest.approx(kl_by_inverse(q, p), rel=1e-13)
    assert kl(p, q) != pytest.approx(kl(q, p), rel=1e-3)
    assert kl(p, p) == 0.0
    assert kl(p, q, base=2) == pytest.approx(kl(p, q) / math.log(2), rel=1e-15)
    assert reverse_kl(p, q) == kl(q, p)


def test_kl_of_independent_axes_is_the_sum_over_axes():
    p = MultivariateNormal([0.0, 1.0], np.diag([1.0, 4.0]))
    q = MultivariateNormal([1.0, -1.0], np.diag([0.25, 9.0]))
    per_axis = kl(Normal(0.0, 1.0), Normal(1.0, 0.5)) + kl(Normal(1.0, 2.0), Normal(-1.0, 3.0))
    assert kl(p, q) == pytest.approx(per_axis, rel=1e-14)


def test_kl_matches_a_monte_carlo_estimate():
    p = MultivariateNormal([0.5, -1.0, 2.0], COV3)
    q = MultivariateNormal([0.0, 0.0, 1.0], np.eye(3))
    x = p.sample(400_000, np.random.default_rng(11))
    terms = p.logpdf(x) - q.logpdf(x)
    se = terms.std() / math.sqrt(terms.size)
    assert abs(terms.mean() - kl(p, q)) < 4 * se


def test_kl_rejects_mismatched_arguments():
    p = MultivariateNormal([0.0, 0.0], COV2)
    with pytest.raises(ValueError, match=r"^`p` and `q` must have the same dimension, got 2 and 3$"):
        kl(p, MultivariateNormal(np.zeros(3), COV3))
    with pytest.raises(ValueError, match=r"^`q` must be a MultivariateNormal to pair with a MultivariateNormal, got Normal"):
        kl(p, Normal(0, 1))
    with pytest.raises(ValueError, match=r"^`p` must be a MultivariateNormal to pair with a MultivariateNormal, got Normal"):
        kl(Normal(0, 1), p)


def spd_matrices(d):
    entries = st.lists(st.floats(-2, 2), min_size=d * d, max_size=d * d)
    return st.builds(lambda v: (a := np.array(v).reshape(d, d)) @ a.T + 0.1 * np.eye(d), entries)


mvn_pairs = st.integers(1, 4).flatmap(
    lambda d: st.tuples(
        st.builds(MultivariateNormal, st.lists(st.floats(-3, 3), min_size=d, max_size=d), spd_matrices(d)),
        st.builds(MultivariateNormal, st.lists(st.floats(-3, 3), min_size=d, max_size=d), spd_matrices(d)),
    )
)


@settings(max_examples=60, deadline=None)
@given(mvn_pairs)
def test_kl_properties(pair):
    p, q = pair
    d = kl(p, q)
    assert d >= 0 and math.isfinite(d)
    assert kl(p, p) == 0.0
    assert d == pytest.approx(kl_by_inverse(p, q), rel=1e-7, abs=1e-9)


# ------------------------------------------------------------- mean field


def correlated(rho, s1=1.0, s2=1.0, mean=(0.0, 0.0)):
    return MultivariateNormal(mean, [[s1 * s1, rho * s1 * s2], [rho * s1 * s2, s2 * s2]])


@pytest.mark.parametrize("cov", [COV2, COV3, correlated(-0.95, 0.5, 3.0).cov], ids=["2d", "3d", "2d strong"])
def test_mean_field_fits_are_the_closed_forms(cov):
    mean = np.arange(1.0, len(cov) + 1.0)
    p = MultivariateNormal(mean, cov)
    forward = fit(p, "diagonal")
    reverse = fit(p, "diagonal", direction="reverse")
    precision = np.linalg.inv(cov)
    np.testing.assert_allclose(forward.q.cov, np.diag(np.diag(cov)), rtol=1e-15)
    np.testing.assert_allclose(reverse.q.cov, np.diag(1.0 / np.diag(precision)), rtol=1e-12)
    for r in (forward, reverse):
        assert np.array_equal(r.q.mean, p.mean)
        assert r.converged and r.family == "diagonal" and r.path == (r.q,)
    assert forward.direction == "forward" and reverse.direction == "reverse"
    assert forward.divergence == pytest.approx(kl(p, forward.q), rel=1e-12)
    assert reverse.divergence == pytest.approx(kl(reverse.q, p), rel=1e-12)
    # Closed forms of the minimised values.
    logdet = np.linalg.slogdet(cov)[1]
    assert forward.divergence == pytest.approx(0.5 * (np.log(np.diag(cov)).sum() - logdet), rel=1e-12)
    assert reverse.divergence == pytest.approx(0.5 * (np.log(np.diag(precision)).sum() + logdet), rel=1e-12)
    # Reverse KL underestimates every marginal variance; forward matches it.
    assert np.all(np.diag(reverse.q.cov) < np.diag(cov))


@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_mean_field_fits_are_the_minima(direction):
    """A numerical minimisation over diagonal Gaussians (means and log variances) finds the same fit."""
    p = MultivariateNormal([1.0, -0.5, 2.0], COV3)

    def objective(theta):
        q = MultivariateNormal(theta[:3], np.diag(np.exp(theta[3:])))
        return kl(p, q) if direction == "forward" else kl(q, p)

    res = optimize.minimize(objective, np.zeros(6), method="BFGS", options={"gtol": 1e-10})
    r = fit(p, "diagonal", direction=direction)
    np.testing.assert_allclose(res.x[:3], r.q.mean, atol=1e-5)
    np.testing.assert_allclose(np.exp(res.x[3:]), np.diag(r.q.cov), rtol=1e-5)
    assert res.fun == pytest.approx(r.divergence, abs=1e-10)


@pytest.mark.parametrize("rho", [-0.99, -0.5, 0.1, 0.8, 0.999])
def test_in_two_dimensions_both_directions_cost_the_same(rho):
    p = correlated(rho, 2.0, 0.3, mean=(1.0, -1.0))
    expected = -0.5 * math.log1p(-rho * rho)
    assert fit(p, "diagonal").divergence == pytest.approx(expected, rel=1e-12)
    assert fit(p, "diagonal", direction="reverse").divergence == pytest.approx(expected, rel=1e-12)
    # ...with different fits: forward keeps the marginal variances, reverse shrinks them by 1 - rho^2.
    ratio = np.diag(fit(p, "diagonal", direction="reverse").q.cov) / np.diag(fit(p, "diagonal").q.cov)
    np.testing.assert_allclose(ratio, 1 - rho * rho, rtol=1e-12)


def test_in_three_dimensions_the_coincidence_ends():
    p = MultivariateNormal(np.zeros(3), COV3)
    forward, reverse = fit(p, "diagonal").divergence, fit(p, "diagonal", direction="reverse").divergence
    assert abs(forward - reverse) > 0.05
    # An equicorrelated 3-D Gaussian: both are closed forms in rho.
    rho = 0.5
    cov = (1 - rho) * np.eye(3) + rho * np.ones((3, 3))
    p = MultivariateNormal(np.zeros(3), cov)
    logdet = math.log((1 - rho) ** 2 * (1 + 2 * rho))
    lam = (1 + rho) / ((1 - rho) * (1 + 2 * rho))  # diagonal of the inverse
    assert fit(p, "diagonal").divergence == pytest.approx(-0.5 * logdet, rel=1e-12)
    assert fit(p, "diagonal", direction="reverse").divergence == pytest.approx(0.5 * (3 * math.log(lam) + logdet), rel=1e-12)
    # Here the reverse fit costs less: 0.2616 against 0.3466 nats.
    assert fit(p, "diagonal").divergence - fit(p, "diagonal", direction="reverse").divergence > 0.08


def test_a_diagonal_target_is_fitted_exactly():
    p = MultivariateNormal([1.0, 2.0], np.diag([0.5, 3.0]))
    for direction in ("forward", "reverse"):
        r = fit(p, "diagonal", direction=direction)
        assert r.divergence == 0.0
        np.testing.assert_allclose(r.q.cov, p.cov, rtol=1e-15)


def test_init_only_starts_the_path():
    p = MultivariateNormal([0.0, 0.0], COV2)
    start = MultivariateNormal([1.0, 1.0], np.eye(2))
    r = fit(p, "diagonal", direction="reverse", init=start)
    assert r.path == (start, r.q) and r.q == fit(p, "diagonal", direction="reverse").q


@pytest.mark.parametrize(
    ("p", "family", "kwargs", "message"),
    [
        (MultivariateNormal([0, 0], COV2), "normal", {}, r"^`family` must be 'diagonal' for a MultivariateNormal target, got 'normal'$"),
        (Normal(0, 1), "diagonal", {}, r"^`p` \(the target\) must be a MultivariateNormal for family 'diagonal', got Normal"),
        (MultivariateNormal([0, 0], COV2), "diagonal", {"direction": "both"}, r"^`direction` must be 'forward' or 'reverse', got 'both'$"),
        (MultivariateNormal([0, 0], COV2), "diagonal", {"init": MultivariateNormal([0, 0], COV2)},
         r"^`init` must be a MultivariateNormal of dimension 2 with diagonal `cov` for family 'diagonal', got MultivariateNormal"),
        (MultivariateNormal([0, 0], COV2), "diagonal", {"init": Normal(0, 1)},
         r"^`init` must be a MultivariateNormal of dimension 2 with diagonal `cov` for family 'diagonal', got Normal"),
    ],
)
def test_fit_rejects_bad_arguments(p, family, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fit(p, family, **kwargs)

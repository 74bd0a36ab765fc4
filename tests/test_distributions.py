import math

import numpy as np
import pytest
from scipy import stats

from klbook import Categorical, Mixture, Normal


def test_normal_matches_scipy():
    p = Normal(1.5, 0.7)
    x = np.linspace(-5, 8, 41)
    np.testing.assert_allclose(p.pdf(x), stats.norm(1.5, 0.7).pdf(x), rtol=1e-13)
    np.testing.assert_allclose(p.logpdf(x), stats.norm(1.5, 0.7).logpdf(x), rtol=1e-13)
    assert p.var == pytest.approx(0.49, rel=1e-15)
    assert p.entropy() == pytest.approx(stats.norm(1.5, 0.7).entropy(), rel=1e-14)


def test_normal_is_frozen_and_hashable():
    p = Normal(0, 1)
    with pytest.raises(AttributeError):
        p.mean = 3
    assert Normal(0, 1) == p and hash(Normal(0, 1)) == hash(p)
    assert Normal(0, 1) != Normal(0, 2)


@pytest.mark.parametrize("sd", [0, -1, float("nan"), float("inf"), "1", True])
def test_normal_rejects_bad_sd(sd):
    with pytest.raises(ValueError, match=r"`sd` must be a positive finite number, got "):
        Normal(0, sd)


@pytest.mark.parametrize("mean", [float("nan"), float("-inf"), None])
def test_normal_rejects_bad_mean(mean):
    with pytest.raises(ValueError, match=r"^`mean` must be a finite real number, got "):
        Normal(mean, 1)


def test_sampling_is_seeded_and_checked():
    p = Mixture([0.3, 0.7], [Normal(-2, 0.5), Normal(3, 1)])
    a, b = p.sample(1000, 7), p.sample(1000, np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)
    assert abs(a.mean() - p.mean) < 0.2
    with pytest.raises(ValueError, match=r"^`n` must be a non-negative integer, got -1$"):
        p.sample(-1, 0)
    with pytest.raises(ValueError, match=r"^`rng` must be a numpy Generator or an integer seed, got 'x'$"):
        Normal(0, 1).sample(3, "x")


def test_mixture_moments_and_density():
    p = Mixture([0.25, 0.75], [Normal(-1, 0.5), Normal(2, 1.5)])
    assert p.mean == pytest.approx(0.25 * -1 + 0.75 * 2, rel=1e-15)
    second = 0.25 * (0.25 + 1) + 0.75 * (2.25 + 4)
    assert p.var == pytest.approx(second - p.mean**2, rel=1e-14)
    x = np.linspace(-4, 6, 11)
    expected = 0.25 * stats.norm(-1, 0.5).pdf(x) + 0.75 * stats.norm(2, 1.5).pdf(x)
    np.testing.assert_allclose(p.pdf(x), expected, rtol=1e-13)


def test_mixture_logpdf_exact_far_in_the_tails():
    # Both components underflow at x = 200; log-sum-exp keeps the exact value.
    p = Mixture([0.5, 0.5], [Normal(-1, 1), Normal(1, 1)])
    x = 200.0
    exact = math.log(0.5) + stats.norm(1, 1).logpdf(x) + math.log1p(math.exp(-2 * x))
    assert p.pdf(x) == 0.0
    assert p.logpdf(x) == pytest.approx(exact, rel=1e-14)


def test_mixture_allows_a_zero_weight_without_warnings():
    p = Mixture([1.0, 0.0], [Normal(0, 1), Normal(5, 1)])
    assert p.logpdf(0.0) == pytest.approx(Normal(0, 1).logpdf(0.0), rel=1e-15)


@pytest.mark.parametrize(
    ("weights", "components", "message"),
    [
        ([0.5, 0.6], [Normal(0, 1), Normal(1, 1)], r"^`weights` must sum to 1 \(pass normalize=True to rescale\), got sum 1.1"),
        ([1.2, -0.2], [Normal(0, 1), Normal(1, 1)], r"^`weights` must be non-negative, got -0.2 in \[1.2, -0.2\]$"),
        ([float("nan"), 1.0], [Normal(0, 1), Normal(1, 1)], r"^`weights` must be finite, got nan in \[nan, 1.0\]$"),
        ([1.0], [Normal(0, 1), Normal(1, 1)], r"^`weights` and `components` must have the same length, got 1 weights and 2 components$"),
        ([], [], r"^`components` must contain at least one Normal, got \[\]$"),
        ([1.0], [(0, 1)], r"^`components` must all be Normal, got \(0, 1\)$"),
    ],
)
def test_mixture_rejects_bad_input(weights, components, message):
    with pytest.raises(ValueError, match=message):
        Mixture(weights, components)


def test_mixture_normalize_is_explicit():
    p = Mixture([1, 3], [Normal(0, 1), Normal(1, 1)], normalize=True)
    np.testing.assert_allclose(p.weights, [0.25, 0.75])


def test_categorical():
    c = Categorical([0.2, 0.3, 0.5], labels=["a", "b", "c"])
    assert c.entropy() == pytest.approx(stats.entropy([0.2, 0.3, 0.5]), rel=1e-14)
    np.testing.assert_array_equal(c.sample(5, 1), Categorical([0.2, 0.3, 0.5]).sample(5, 1))
    with pytest.raises(ValueError, match=r"^`labels` must have one label per probability, got 2 labels for 3 probabilities$"):
        Categorical([0.2, 0.3, 0.5], labels="ab")
    with pytest.raises(ValueError, match=r"^`labels` must be distinct, got \('a', 'a'\)$"):
        Categorical([0.5, 0.5], labels="aa")
    with pytest.raises(ValueError, match=r"^`probs` must sum to 1"):
        Categorical([0.5, 0.2])
    assert Categorical([2, 2], normalize=True).probs.tolist() == [0.5, 0.5]

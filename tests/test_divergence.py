import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.special import rel_entr

from klbook import Categorical, Mixture, Normal, cross_entropy, entropy, forward_kl, kl, reverse_kl

import reference as ref

# ------------------------------------------------------------------ discrete


def test_discrete_matches_definition_and_scipy():
    p, q = [0.1, 0.4, 0.5], [0.3, 0.3, 0.4]
    expected = sum(a * math.log(a / b) for a, b in zip(p, q))
    assert kl(p, q) == pytest.approx(expected, rel=1e-15)
    assert kl(p, q) == pytest.approx(stats.entropy(p, q), rel=1e-15)
    assert kl(p, q, base=2) == pytest.approx(expected / math.log(2), rel=1e-15)
    assert kl(Categorical(p), Categorical(q)) == kl(p, q)


def test_asymmetric():
    p, q = [0.5, 0.5], [0.9, 0.1]
    assert kl(p, q) != pytest.approx(kl(q, p), rel=1e-3)


def test_zeros_and_infinities():
    assert kl([0.5, 0.5, 0.0], [0.25, 0.25, 0.5]) == pytest.approx(math.log(2), rel=1e-15)
    assert kl([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert cross_entropy([0.5, 0.5], [1.0, 0.0]) == math.inf
    assert entropy([1.0, 0.0]) == 0.0
    assert kl([1.0, 0.0], [1.0, 0.0]) == 0.0


def test_no_warnings_and_no_nan_anywhere():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = [
            kl([1.0, 0.0], [0.0, 1.0]),
            kl([0.0, 1.0], [0.0, 1.0]),
            cross_entropy([1.0, 0.0], [0.0, 1.0]),
            kl(Normal(0, 1e-3), Normal(1e3, 1)),
            kl(Mixture([1.0, 0.0], [Normal(0, 1), Normal(9, 1)]), Normal(0, 1)),
            kl(Normal(0, 1), Mixture([0.5, 0.5], [Normal(-300, 1), Normal(300, 1)])),
            # A subnormal mean (found by hypothesis) once overflowed in the crossover search.
            kl(Mixture([0.5, 0.5], [Normal(0, 4), Normal(2.2250738585e-313, 1)]), Normal(0, 2)),
            kl(Normal(0, 2), Mixture([0.5, 0.5], [Normal(0, 4), Normal(2.2250738585e-313, 1)])),
        ]
    assert not any(math.isnan(v) for v in values)


def test_labels_are_aligned():
    p = Categorical([0.2, 0.8], labels=["x", "y"])
    q = Categorical([0.6, 0.4], labels=["y", "x"])
    assert kl(p, q) == pytest.approx(kl([0.2, 0.8], [0.4, 0.6]), rel=1e-15)
    with pytest.raises(ValueError, match=r"^`p` and `q` must have the same categories, got labels \('x', 'y'\) and \('x', 'z'\)$"):
        kl(p, Categorical([0.6, 0.4], labels=["x", "z"]))


@pytest.mark.parametrize(
    ("p", "q", "message"),
    [
        ([0.5, 0.5], [0.2, 0.3, 0.5], r"^`p` and `q` must have the same length, got 2 and 3$"),
        ([0.5, 0.6], [0.5, 0.5], r"^`p` must sum to 1 \(pass normalize=True to rescale\), got sum 1.1 for \[0.5, 0.6\]$"),
        ([0.5, 0.5], [1.5, -0.5], r"^`q` must be non-negative, got -0.5 in \[1.5, -0.5\]$"),
        ([0.5, 0.5], [math.inf, 0.5], r"^`q` must be finite, got inf in \[inf, 0.5\]$"),
        ([[0.5, 0.5]], [[0.5, 0.5]], r"^`p` must be a non-empty 1-D array of probabilities"),
        (Normal(0, 1), [0.5, 0.5], r"^`q` must be a Normal, a Mixture or a 1-D density with a logpdf method to pair with a continuous distribution, got \[0.5, 0.5\]$"),
        (Categorical([1.0]), Normal(0, 1), r"^`p` must be a Normal, a Mixture or a 1-D density with a logpdf method to pair with a continuous distribution, got Categorical"),
    ],
)
def test_kl_rejects_bad_input(p, q, message):
    with pytest.raises(ValueError, match=message):
        kl(p, q)


@pytest.mark.parametrize("base", [1, 0, -2, math.nan, "2"])
def test_bad_base(base):
    with pytest.raises(ValueError, match=r"^`base` must be a positive finite number"):
        kl([0.5, 0.5], [0.5, 0.5], base=base)


def test_forward_and_reverse_name_the_direction():
    target, model = Mixture([0.5, 0.5], [Normal(-2, 1), Normal(2, 1)]), Normal(0, 1)
    assert forward_kl(target, model) == kl(target, model)
    assert reverse_kl(target, model) == kl(model, target)
    assert forward_kl(target, model) != pytest.approx(reverse_kl(target, model), rel=1e-3)


# ---------------------------------------------------------------- continuous


def test_normal_closed_form():
    p, q = Normal(1.0, 2.0), Normal(-0.5, 0.5)
    expected = math.log(0.5 / 2.0) + (4.0 + 1.5**2) / (2 * 0.25) - 0.5
    assert kl(p, q) == pytest.approx(expected, rel=1e-15)
    assert kl(p, p) == 0.0


HARD_PAIRS = [
    # two well-separated equal modes vs a Normal between them, both directions
    (Mixture([0.5, 0.5], [Normal(-4, 1), Normal(4, 1)]), Normal(0, 2)),
    (Normal(0, 2), Mixture([0.5, 0.5], [Normal(-4, 1), Normal(4, 1)])),
    # a component of sd 0.05 on a wide one
    (Mixture([0.3, 0.7], [Normal(0, 0.05), Normal(1, 2)]), Normal(0.5, 1)),
    (Normal(3, 0.1), Mixture([0.3, 0.7], [Normal(0, 0.05), Normal(1, 2)])),
    (Normal(0.3, 3), Mixture([0.1, 0.9], [Normal(-2, 0.05), Normal(1, 2)])),
    # three components, unequal, vs a two-component mixture
    (Mixture([0.2, 0.3, 0.5], [Normal(-8, 1), Normal(0, 0.05), Normal(8, 3)]), Mixture([0.5, 0.5], [Normal(-1, 1), Normal(2, 0.3)])),
    # a wide model over modes 16 sds apart (the valley between them is a sharp bend of log p)
    (Normal(0, 6), Mixture([0.5, 0.5], [Normal(-8, 1), Normal(8, 1)])),
    (Normal(0.3, 3), Mixture([0.25, 0.25, 0.5], [Normal(-4, 0.2), Normal(0, 1), Normal(4, 0.5)])),
]


@pytest.mark.slow
@pytest.mark.parametrize(("p", "q"), HARD_PAIRS)
def test_quadrature_matches_high_precision_reference(p, q):
    assert kl(p, q) == pytest.approx(ref.kl(ref.as_tuple(p), ref.as_tuple(q)), abs=1e-10, rel=1e-12)


def test_mixture_entropy_matches_reference():
    p = Mixture([0.3, 0.7], [Normal(0, 0.05), Normal(1, 2)])
    expected = -ref.expect(ref.as_tuple(p), lambda x: ref.logpdf(ref.as_tuple(p), x))
    assert entropy(p) == pytest.approx(expected, abs=1e-11)


def test_gauss_hermite_alone_is_not_enough_here():
    """Why klbook does not use Gauss–Hermite: a 60-node rule for q misses the
    bend of log p between two modes 16 sds apart by far more than 1e-8."""
    p, q = Mixture([0.5, 0.5], [Normal(-8, 1), Normal(8, 1)]), Normal(0, 6)
    z, w = np.polynomial.hermite_e.hermegauss(60)
    gh = float(w @ (q.logpdf(q.mean + q.sd * z) - p.logpdf(q.mean + q.sd * z))) / math.sqrt(2 * math.pi)
    exact = ref.kl(ref.as_tuple(q), ref.as_tuple(p))
    assert abs(gh - exact) > 1e-6
    assert kl(q, p) == pytest.approx(exact, abs=1e-10)


# ------------------------------------------------------------ property tests

probs = st.integers(2, 6).flatmap(
    lambda n: st.tuples(
        st.lists(st.floats(0.0, 1.0), min_size=n, max_size=n).filter(lambda v: sum(v) > 1e-3),
        st.lists(st.floats(1e-3, 1.0), min_size=n, max_size=n),
        st.permutations(range(n)),
    )
)


def _unit(v):
    v = np.asarray(v, dtype=float)
    return v / v.sum()


@given(probs)
def test_discrete_properties(case):
    p, q, perm = _unit(case[0]), _unit(case[1]), list(case[2])
    d = kl(p, q)
    assert d >= 0
    assert kl(p, p) == 0.0
    assert d == pytest.approx(cross_entropy(p, q) - entropy(p), abs=1e-12)
    assert d == pytest.approx(float(rel_entr(p, q).sum()), abs=1e-12)
    assert kl(p[perm], q[perm]) == pytest.approx(d, abs=1e-12)


normals = st.builds(Normal, st.floats(-5, 5), st.floats(0.1, 5))
mixtures = st.integers(1, 3).flatmap(
    lambda k: st.builds(
        lambda w, comps: Mixture(_unit(w), comps),
        st.lists(st.floats(0.05, 1.0), min_size=k, max_size=k),
        st.lists(normals, min_size=k, max_size=k),
    )
)
continuous = st.one_of(normals, mixtures)


@settings(max_examples=60, deadline=None)
@given(continuous, continuous)
def test_continuous_properties(p, q):
    d = kl(p, q)
    assert math.isfinite(d) and d >= 0
    assert kl(p, p) == pytest.approx(0.0, abs=1e-10)
    assert d == pytest.approx(cross_entropy(p, q) - entropy(p), abs=1e-9 * max(1.0, d))


@settings(max_examples=60, deadline=None)
@given(normals, normals)
def test_numerical_equals_closed_form_for_normals(p, q):
    # One-component mixtures take the quadrature path; plain Normals the closed form.
    numerical = kl(Mixture([1.0], [p]), Mixture([1.0], [q]))
    assert numerical == pytest.approx(kl(p, q), abs=1e-10 * max(1.0, kl(p, q)))


# ------------------------------------------- densities klbook did not build


def test_scipy_densities_are_accepted():
    laplace_kl = lambda m1, b1, m2, b2: (  # noqa: E731  closed form for two Laplace laws
        math.log(b2 / b1) + abs(m1 - m2) / b2 + (b1 / b2) * math.exp(-abs(m1 - m2) / b1) - 1
    )
    assert kl(stats.laplace(0, 1), stats.laplace(1, 2)) == pytest.approx(laplace_kl(0, 1, 1, 2), abs=1e-11)
    # Normal target, Laplace model: -H(N) + log 2b + E|x|/b, by hand.
    by_hand = -0.5 * math.log(2 * math.pi * math.e) + math.log(2) + math.sqrt(2 / math.pi)
    assert kl(Normal(0, 1), stats.laplace(0, 1)) == pytest.approx(by_hand, abs=1e-11)
    assert kl(Normal(0.5, 2), stats.norm(0, 1)) == pytest.approx(kl(Normal(0.5, 2), Normal(0, 1)), abs=1e-11)
    assert entropy(stats.laplace(0, 1)) == pytest.approx(1 + math.log(2), abs=1e-12)


def test_support_mismatch_with_scipy_densities_is_inf_not_an_error():
    assert kl(stats.uniform(0, 2), stats.uniform(0, 1)) == math.inf
    assert kl(Normal(0, 1), stats.uniform(0, 1)) == math.inf
    assert kl(stats.uniform(0, 1), stats.uniform(0, 2)) == pytest.approx(math.log(2), abs=1e-12)

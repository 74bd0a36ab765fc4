import math

import numpy as np
import pytest

from klbook import (
    Categorical,
    Mixture,
    Normal,
    fit,
    kl,
    kl_surface,
    reverse_optima,
    symmetric_reverse_thresholds,
)

import reference as ref


def two_modes(a, w=0.5, sd=1.0):
    return Mixture([w, 1 - w], [Normal(-a, sd), Normal(a, sd)])


# Targets from the issue: equal and unequal weights, two and three components,
# modes 0 to 8 sds apart, a component of sd 0.05 next to a wide one.
TARGETS = {
    "equal, 0 sd apart": two_modes(0.0),
    "equal, 2 sd apart": two_modes(1.0),
    "equal, 4 sd apart": two_modes(2.0),
    "equal, 5.2 sd apart": two_modes(2.6),
    "equal, 8 sd apart": two_modes(4.0),
    "unequal, 4 sd apart": two_modes(2.0, w=0.3),
    "unequal, 8 sd apart": two_modes(4.0, w=0.3),
    "three components": Mixture([0.2, 0.5, 0.3], [Normal(-4, 1), Normal(0, 0.5), Normal(5, 1.5)]),
    "narrow next to wide": Mixture([0.4, 0.6], [Normal(0, 0.05), Normal(1, 2)]),
}


@pytest.mark.parametrize("name", TARGETS)
def test_forward_normal_fit_is_moment_matching(name):
    p = TARGETS[name]
    r = fit(p, "normal")
    assert (r.q.mean, r.q.sd) == (p.mean, p.sd)
    assert r.converged and r.direction == "forward"
    assert r.divergence == kl(p, r.q)
    # ...and nothing nearby does better.
    for dm, ds in [(1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)]:
        assert kl(p, Normal(p.mean + dm * p.sd, p.sd * (1 + ds))) > r.divergence


@pytest.mark.slow
@pytest.mark.parametrize("name", ["equal, 8 sd apart", "unequal, 4 sd apart", "three components", "narrow next to wide"])
def test_forward_normal_fit_matches_direct_minimisation(name):
    p = TARGETS[name]
    mu, sd, value = ref.forward_normal_fit(ref.as_tuple(p), (p.mean + 0.5, 0.5 * p.sd))
    r = fit(p, "normal")
    assert r.q.mean == pytest.approx(mu, abs=1e-6)
    assert r.q.sd == pytest.approx(sd, abs=1e-6)
    assert r.divergence == pytest.approx(value, abs=1e-8)


# (target, start) pairs; the start picks the basin, including both optima where
# reverse KL has a centred and a single-mode local minimum (5.2 sds apart).
REVERSE_CASES = [
    ("equal, 0 sd apart", (0.5, 2.0)),
    ("equal, 2 sd apart", (0.3, 1.0)),
    ("equal, 4 sd apart", (1.0, 1.5)),
    ("equal, 5.2 sd apart", (0.2, 2.0)),
    ("equal, 5.2 sd apart", (2.4, 1.0)),
    ("equal, 8 sd apart", (-3.0, 1.0)),
    ("unequal, 4 sd apart", (1.0, 1.0)),
    ("unequal, 8 sd apart", (3.5, 1.0)),
    ("three components", (-3.0, 1.0)),
    ("three components", (4.0, 1.0)),
    ("narrow next to wide", (0.05, 0.1)),
    ("narrow next to wide", (1.5, 2.0)),
]


@pytest.mark.slow
@pytest.mark.parametrize(("name", "start"), REVERSE_CASES)
def test_reverse_normal_fit_matches_reference(name, start):
    p = TARGETS[name]
    mu, sd, value = ref.reverse_normal_fit(ref.as_tuple(p), start)
    r = fit(p, "normal", direction="reverse", init=Normal(*start))
    assert r.converged
    assert r.q.mean == pytest.approx(mu, abs=1e-6)
    assert r.q.sd == pytest.approx(sd, abs=1e-6)
    assert r.divergence == pytest.approx(value, abs=1e-8)


def test_reverse_fit_of_a_normal_target_is_the_target():
    r = fit(Normal(1.0, 0.3), "normal", direction="reverse", init=Normal(-2.0, 3.0))
    assert r.q.mean == pytest.approx(1.0, abs=1e-9)
    assert r.q.sd == pytest.approx(0.3, abs=1e-9)
    assert r.divergence < 1e-14


def test_path_starts_at_init_and_ends_at_q():
    p = TARGETS["equal, 8 sd apart"]
    start = Normal(1.0, 0.5)
    r = fit(p, "normal", direction="reverse", init=start)
    assert r.path[0] == start and r.path[-1] == r.q and len(r.path) >= 3
    values = [kl(q, p) for q in r.path]
    assert all(b <= a + 1e-12 for a, b in zip(values, values[1:]))


def test_a_start_on_a_saddle_does_not_stop_there():
    # Between the centred and the single-mode minima lies a saddle of D(q||p).
    # Started exactly there, the gradient vanishes; the fit must still move on.
    from scipy import optimize

    from klbook._fit import _reverse_normal

    p = TARGETS["equal, 8 sd apart"]
    sol = optimize.root(lambda t: _reverse_normal(p, *t)[1], [1.5, math.log(2.0)], jac=lambda t: _reverse_normal(p, *t)[2])
    value, grad, hess = _reverse_normal(p, *sol.x)
    assert np.linalg.eigvalsh(hess)[0] < 0 and np.abs(grad).max() < 1e-10
    r = fit(p, "normal", direction="reverse", init=Normal(sol.x[0], math.exp(sol.x[1])))
    assert r.converged and r.divergence < value - 1e-3
    assert any(r.q.mean == pytest.approx(o.q.mean, abs=1e-8) for o in reverse_optima(p))


def test_heavier_mode_wins_not_the_taller():
    # Left: taller (peak 0.3/0.3 = 1.0) but lighter; right: lower (0.7/1.5 ≈ 0.47) but heavier.
    p = Mixture([0.3, 0.7], [Normal(-6, 0.3), Normal(6, 1.5)])
    assert p.pdf(-6) > p.pdf(6)
    best, *others = reverse_optima(p)
    assert best.q.mean == pytest.approx(6.0, abs=1e-3)
    assert best.divergence == pytest.approx(-math.log(0.7), abs=1e-6)
    assert any(r.q.mean == pytest.approx(-6.0, abs=1e-3) for r in others)


def test_reverse_optima_are_distinct_local_minima_sorted():
    p = TARGETS["equal, 5.2 sd apart"]
    optima = reverse_optima(p)
    assert [round(r.q.mean, 6) + 0.0 for r in optima] == [0.0, -2.529590, 2.529590]
    assert all(r.converged for r in optima)
    values = [r.divergence for r in optima]
    assert all(b >= a - 1e-12 for a, b in zip(values, values[1:]))
    assert len(reverse_optima(TARGETS["equal, 2 sd apart"])) == 1


def test_symmetric_thresholds_bracket_the_change():
    t = symmetric_reverse_thresholds()
    assert 2.0 < t.appear < t.global_ < 3.5
    below, above = reverse_optima(two_modes(t.appear - 1e-3)), reverse_optima(two_modes(t.appear + 1e-3))
    assert len(below) == 1 and len(above) == 3
    before, after = reverse_optima(two_modes(t.global_ - 1e-3)), reverse_optima(two_modes(t.global_ + 1e-3))
    assert before[0].q.mean == pytest.approx(0.0, abs=1e-9)
    assert abs(after[0].q.mean) > 1.0
    assert symmetric_reverse_thresholds(sd=2.0).appear == pytest.approx(2 * t.appear, rel=1e-12)


@pytest.mark.slow
def test_centred_optimum_stays_a_local_minimum_far_apart():
    # Checked with the independent reference: a second difference of the quad
    # objective along the mean is positive at the centred stationary point.
    for a in (4.0, 10.0, 50.0):
        p = two_modes(a)
        centred = [r for r in reverse_optima(p) if abs(r.q.mean) < 1e-6]
        assert len(centred) == 1
        sd = centred[0].q.sd
        h = 1e-2 * sd
        values = [ref.kl(ref.normal(m, sd), ref.as_tuple(p)) for m in (-h, 0.0, h)]
        assert values[0] - 2 * values[1] + values[2] > 0


# ----------------------------------------------------------------- mixtures


def test_mixture_fit_recovers_a_target_of_its_family():
    p = TARGETS["three components"]
    for direction in ("forward", "reverse"):
        start = Mixture([1 / 3] * 3, [Normal(-3, 1), Normal(1, 1), Normal(4, 1)])
        r = fit(p, "mixture3", direction=direction, init=start)
        assert r.converged and r.divergence < 1e-12
        np.testing.assert_allclose(r.q.means, p.means, atol=1e-6)
        np.testing.assert_allclose(r.q.sds, p.sds, atol=1e-6)
        np.testing.assert_allclose(r.q.weights, p.weights, atol=1e-6)


def test_two_component_mixture_fits_the_two_mode_target_cleanly():
    p = TARGETS["equal, 8 sd apart"]
    single, double = fit(p, "normal"), fit(p, "mixture2")
    assert single.divergence > 0.5 and double.divergence < 1e-12


@pytest.mark.slow
def test_forward_mixture_fit_matches_em_reference():
    p = TARGETS["three components"]
    start = Mixture([0.5, 0.5], [Normal(-4, 1), Normal(2, 2)])
    r = fit(p, "mixture2", init=start)
    q, value = ref.forward_mixture_fit(ref.as_tuple(p), ref.as_tuple(start))
    np.testing.assert_allclose(r.q.weights, q[0], atol=1e-6)
    np.testing.assert_allclose(r.q.means, q[1], atol=1e-6)
    np.testing.assert_allclose(r.q.sds, q[2], atol=1e-6)
    assert r.divergence == pytest.approx(value, abs=1e-8)


@pytest.mark.slow
def test_reverse_mixture_fit_is_stationary_under_reference_quadrature():
    p = TARGETS["three components"]
    r = fit(p, "mixture2", direction="reverse", init=Mixture([0.5, 0.5], [Normal(-4, 1), Normal(0, 0.5)]))
    assert r.converged
    assert r.divergence == pytest.approx(ref.kl(ref.as_tuple(r.q), ref.as_tuple(p)), abs=1e-8)
    # Moving any parameter by 1e-4 (relative) does not lower the reference objective.
    base = ref.kl(ref.as_tuple(r.q), ref.as_tuple(p))
    for i in range(2):
        for dm, ds in [(1e-4, 0), (-1e-4, 0), (0, 1e-4), (0, -1e-4)]:
            comps = list(r.q.components)
            c = comps[i]
            comps[i] = Normal(c.mean + dm, c.sd * (1 + ds))
            assert ref.kl(ref.as_tuple(Mixture(r.q.weights, comps)), ref.as_tuple(p)) > base - 1e-12


# ------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"direction": "backward"}, r"^`direction` must be 'forward' or 'reverse', got 'backward'$"),
        ({"family": "gaussian"}, r"^`family` must be 'normal' or 'mixtureK' with K a whole number from 1 to 99 \(e.g. 'mixture2'\), got 'gaussian'$"),
        ({"family": "mixture0"}, r"got 'mixture0'$"),
        ({"init": Mixture([1.0], [Normal(0, 1)])}, r"^`init` must be a Normal for family 'normal', got Mixture"),
        ({"family": "mixture2", "init": Normal(0, 1)}, r"^`init` must be a Mixture of 2 Normals for family 'mixture2', got Normal"),
    ],
)
def test_fit_rejects_bad_arguments(kwargs, message):
    args = {"family": "normal", **kwargs}
    with pytest.raises(ValueError, match=message):
        fit(two_modes(2.0), args.pop("family"), **args)


def test_fit_rejects_a_discrete_target():
    with pytest.raises(ValueError, match=r"^`p` \(the target\) must be a Normal or Mixture, got Categorical"):
        fit(Categorical([0.5, 0.5]), "normal")


def test_kl_surface():
    p = TARGETS["equal, 4 sd apart"]
    means, sds = np.linspace(-4, 4, 5), np.array([0.5, 1.0, 3.0])
    for direction, d in (("forward", lambda q: kl(p, q)), ("reverse", lambda q: kl(q, p))):
        s = kl_surface(p, means, sds, direction=direction)
        assert s.shape == (3, 5)
        expected = [[d(Normal(m, v)) for m in means] for v in sds]
        np.testing.assert_allclose(s, expected, rtol=1e-12, atol=1e-13)
    with pytest.raises(ValueError, match=r"^`sds` must all be > 0, got -1.0$"):
        kl_surface(p, means, [1.0, -1.0], direction="forward")
    with pytest.raises(ValueError, match=r"^`direction` must be 'forward' or 'reverse', got 'both'$"):
        kl_surface(p, means, sds, direction="both")

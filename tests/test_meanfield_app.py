"""The mean-field app: its state against closed forms and independent numerics,
its explorer data against klbook, its errors."""

import json
import math

import numpy as np
import pytest
from scipy import optimize

import klbook as kb
from klbook import _explore_meanfield, explorers
from klbook._apps_meanfield import ellipse, meanfield_state, meanfield_target


def kl_by_inverse(p, q):
    """D(p||q) by the textbook formula with explicit inverses (independent of klbook's Cholesky route)."""
    sq_inv = np.linalg.inv(q.cov)
    d = q.mean - p.mean
    return 0.5 * (np.trace(sq_inv @ p.cov) + d @ sq_inv @ d - p.dim
                  + np.linalg.slogdet(q.cov)[1] - np.linalg.slogdet(p.cov)[1])


@pytest.mark.parametrize(("rho", "s1", "s2"), [(0.8, 1.5, 1.0), (-0.95, 0.5, 2.0), (0.0, 1.0, 1.0),
                                               (0.3, 2.0, 0.75)])
def test_state_matches_closed_forms(rho, s1, s2):
    st = meanfield_state(rho, s1, s2)
    np.testing.assert_allclose(st.p.cov, [[s1**2, rho * s1 * s2], [rho * s1 * s2, s2**2]])
    # Forward: P's marginal variances; reverse: 1/Lambda_ii = s_i^2 (1 - rho^2).
    np.testing.assert_allclose(st.forward_var, [s1**2, s2**2], rtol=1e-14)
    lam = np.linalg.inv(st.p.cov)
    np.testing.assert_allclose(st.reverse_var, 1 / np.diag(lam), rtol=1e-12)
    np.testing.assert_allclose(st.reverse_var, [s1**2 * (1 - rho**2), s2**2 * (1 - rho**2)], rtol=1e-12)
    # The directions: forward is D(P||Q), reverse D(Q||P).
    assert st.d_forward == pytest.approx(kl_by_inverse(st.p, st.forward), abs=1e-12)
    assert st.d_reverse == pytest.approx(kl_by_inverse(st.reverse, st.p), abs=1e-12)
    bound = -0.5 * math.log(1 - rho**2)
    assert st.coincidence == pytest.approx(bound, abs=1e-14)
    assert st.d_forward == pytest.approx(bound, abs=1e-12)
    assert st.d_reverse == pytest.approx(bound, abs=1e-12)
    assert np.array_equal(st.forward.mean, [0, 0]) and np.array_equal(st.reverse.mean, [0, 0])


def test_fits_are_the_minima_found_by_a_generic_optimiser():
    st = meanfield_state(0.7, 1.25, 0.5)

    def objective(log_var, direction):
        q = kb.MultivariateNormal([0.0, 0.0], np.diag(np.exp(log_var)))
        return kl_by_inverse(st.p, q) if direction == "forward" else kl_by_inverse(q, st.p)

    for direction, var in (("forward", st.forward_var), ("reverse", st.reverse_var)):
        res = optimize.minimize(objective, x0=[0.0, 0.0], args=(direction,), method="Nelder-Mead",
                                options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 5000})
        np.testing.assert_allclose(np.exp(res.x), var, rtol=1e-6)
    # The swapped answers are worse: the reverse fit's variances do not minimise D(P||Q).
    assert kl_by_inverse(st.p, st.reverse) > st.d_forward + 0.1
    assert kl_by_inverse(st.forward, st.p) > st.d_reverse + 0.1


def test_coincidence_ends_in_three_dimensions():
    cov = np.array([[1.0, 0.5, 0.5], [0.5, 1.0, 0.5], [0.5, 0.5, 1.0]])
    p = kb.MultivariateNormal(np.zeros(3), cov)
    d_fwd = kb.fit(p, "diagonal", direction="forward").divergence
    d_rev = kb.fit(p, "diagonal", direction="reverse").divergence
    assert d_fwd == pytest.approx(-0.5 * math.log(0.5), rel=1e-12)  # det of the correlation matrix
    assert d_rev == pytest.approx(-0.5 * math.log(16 / 27), rel=1e-12)  # partial correlations 1/3
    assert d_fwd - d_rev > 0.08


def test_ellipse_is_on_the_k_sd_contour():
    cov = np.array([[2.25, 1.2], [1.2, 1.0]])
    xy = ellipse(cov, 2.0, n=50)
    assert xy.shape == (2, 50)
    np.testing.assert_allclose(np.einsum("in,ij,jn->n", xy, np.linalg.inv(cov), xy), 4.0, rtol=1e-12)
    np.testing.assert_allclose(xy[:, 0], xy[:, -1], atol=1e-12)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((1.0, 1.0, 1.0), r"^`rho` must be in \(-1, 1\), got 1\.0$"),
        ((-1.2, 1.0, 1.0), r"^`rho` must be in \(-1, 1\), got -1\.2$"),
        ((float("nan"), 1.0, 1.0), r"^`rho` must be a finite number in \(-1, 1\), got nan$"),
        (("0.5", 1.0, 1.0), r"^`rho` must be a finite number in \(-1, 1\), got '0.5'$"),
        ((0.5, 0.0, 1.0), r"^`s1` must be a positive finite number, got 0\.0$"),
        ((0.5, 1.0, -2.0), r"^`s2` must be a positive finite number, got -2\.0$"),
        ((0.5, 1.0, float("inf")), r"^`s2` must be a positive finite number, got inf$"),
    ],
)
def test_bad_controls_are_rejected(args, message):
    with pytest.raises(ValueError, match=message):
        meanfield_state(*args)
    with pytest.raises(ValueError, match=message):
        meanfield_target(*args)


def test_ellipse_rejects_bad_input():
    with pytest.raises(ValueError, match=r"^`k` must be a positive finite number, got 0$"):
        ellipse(np.eye(2), 0)
    with pytest.raises(ValueError, match=r"^`cov` must be positive definite"):
        ellipse([[1.0, 2.0], [2.0, 1.0]])


@pytest.fixture(scope="module")
def data():
    return explorers.app_data("meanfield")


def test_explorer_is_registered_and_small(data):
    assert "meanfield" in explorers.APPS
    assert 'data-app="meanfield"' in explorers.placeholder("meanfield")
    size = len(json.dumps(data, separators=(",", ":")))
    assert size < 150_000
    assert len(data["rho"]) == 39 and data["s"] == [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert len(data["states"]) == len(data["rho"]) * len(data["s"]) ** 2
    assert data["lim"] >= 2 * max(data["s"])  # the widest P's 2-sd ellipse fits


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_explorer_data_are_klbooks_at_sampled_points(data, seed):
    rng = np.random.default_rng(seed)
    n = len(data["s"])
    for _ in range(20):
        i, j, k = int(rng.integers(len(data["rho"]))), int(rng.integers(n)), int(rng.integers(n))
        rho, s1, s2 = data["rho"][i], data["s"][j], data["s"][k]
        p = kb.MultivariateNormal([0.0, 0.0], [[s1**2, rho * s1 * s2], [rho * s1 * s2, s2**2]])
        fwd = kb.fit(p, "diagonal", direction="forward")
        rev = kb.fit(p, "diagonal", direction="reverse")
        expected = [*np.diag(fwd.q.cov), *np.diag(rev.q.cov), fwd.divergence, rev.divergence]
        np.testing.assert_allclose(data["states"][(i * n + j) * n + k], expected, atol=1e-6)
        assert data["bound"][i] == pytest.approx(-0.5 * math.log1p(-rho**2), abs=1e-6)


def test_widget_readout_shows_both_directions():
    import ipywidgets as W

    from klbook import widgets

    box = widgets.meanfield_explorer()
    sliders = {c.description: c for c in box.children[1].children}
    sliders["correlation ρ"].value = 0.6
    sliders["sd s₁ of x₁"].value = 2.0
    html = " ".join(w.value for w in box.children if isinstance(w, W.HTML))
    st = meanfield_state(0.6, 2.0, 1.0)
    assert f"D(P‖Q) = <b>{st.d_forward:.3f}</b>" in html and f"D(Q‖P) = <b>{st.d_reverse:.3f}</b>" in html
    assert f"{st.reverse_var[0]:.3f} and {st.reverse_var[1]:.3f}" in html  # 2.560 and 0.640
    assert _explore_meanfield.MEANFIELD_LIM == 4.5

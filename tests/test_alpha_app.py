"""The alpha dial app: its state against klbook's alpha fits, its explorer data against the state."""

import math

import numpy as np
import pytest

import klbook as kb
from klbook import Normal, _apps_alpha, explorers
from klbook._explore_alpha import ALPHAS, SEPARATIONS


def test_ends_of_the_dial_are_the_kl_fits():
    fwd = _apps_alpha.alpha_state(1.0, 3.0)
    p = fwd.p
    ref = kb.fit(p, "normal", direction="forward")
    assert fwd.regime == 0 and len(fwd.optima) == 1
    assert fwd.centred.q.sd == pytest.approx(ref.q.sd, abs=1e-12)
    assert fwd.centred.divergence == pytest.approx(kb.kl(p, fwd.centred.q), abs=1e-12)  # D(P||Q)
    rev = _apps_alpha.alpha_state(0.0, 3.0)
    side = kb.fit(p, "normal", direction="reverse", init=Normal(3.0, 1.0))
    assert rev.side.q.mean == pytest.approx(side.q.mean, abs=1e-8)
    assert rev.side.divergence == pytest.approx(kb.kl(rev.side.q, p), abs=1e-10)  # D(Q||P)
    assert rev.regime == 2 and rev.optima[0].divergence < rev.centred.divergence


def test_optima_are_stationary_and_best_first():
    for alpha in (-0.5, 0.2, 0.5, 1.5):
        st = _apps_alpha.alpha_state(alpha, 3.0)
        ds = [r.divergence for r in st.optima]
        assert ds == sorted(ds)
        for r in st.optima:
            assert r.converged
            assert r.divergence == pytest.approx(kb.alpha_divergence(st.p, r.q, alpha), rel=1e-9)
            # no nearby Normal does better
            for dm, ds_ in ((1e-3, 0), (-1e-3, 0), (0, 1e-3), (0, -1e-3)):
                q = Normal(r.q.mean + dm, r.q.sd * math.exp(ds_))
                assert kb.alpha_divergence(st.p, q, alpha) >= r.divergence - 1e-12


def test_the_fit_narrows_as_alpha_falls():
    path = _apps_alpha.alpha_path([-1.0, 0.0, 0.5, 1.0, 2.0], 3.0)
    assert np.isnan(path["centred_sd"][0]) and path["side_sd"][0] < 1.05      # mode-seeking
    assert path["centred_sd"][3] == pytest.approx(math.sqrt(10.0))             # moment matching
    assert path["centred_sd"][4] > path["centred_sd"][3] > path["centred_sd"][2]
    assert list(path["regime"]) == [3, 2, 0, 0, 0]


def test_stalled_run_goes_to_the_edge_of_finiteness():
    st = _apps_alpha.alpha_state(-1.0, 3.0)
    assert st.regime == 3 and st.centred is None
    assert st.stalled.q.sd == pytest.approx(_apps_alpha.finite_sd_range(-1.0)[1], rel=1e-6)
    st = _apps_alpha.alpha_state(-1.0, 1.5)
    assert st.regime == 4 and st.optima == () and st.stalled is not None


def test_finite_sd_range_matches_alpha_divergence():
    p = _apps_alpha.alpha_state(0.5, 2.0).p
    for alpha in (-1.0, -0.3, 0.4, 1.5, 2.0):
        lo, hi = _apps_alpha.finite_sd_range(alpha)
        for sd in (0.5, 0.7, 1.2, 1.5, 3.0):
            finite = math.isfinite(kb.alpha_divergence(p, Normal(0.3, sd), alpha))
            assert finite == (lo < sd < hi)


def test_explorer_data_equals_the_state():
    data = explorers.app_data("alpha")
    assert data["alpha"][0] == ALPHAS[0] and data["alpha"][-1] == ALPHAS[1]
    assert data["a"][-1] == SEPARATIONS[1]
    n_a = len(data["a"])
    assert len(data["states"]) == len(data["alpha"]) * n_a
    for i, j in ((0, 12), (20, 12), (40, 12), (60, 16), (8, 6), (30, 0), (14, 9)):
        st = _apps_alpha.alpha_state(data["alpha"][i], data["a"][j])
        row = data["states"][i * n_a + j]
        for got, want in zip(row[:3], (st.centred, st.side, st.stalled)):
            if want is None:
                assert got is None
            else:
                assert got == pytest.approx([want.q.mean, want.q.sd, want.divergence], abs=2e-6)
        assert row[3] == st.regime


def test_explorer_data_is_small():
    import json
    assert len(json.dumps(explorers.app_data("alpha"))) < 150_000


@pytest.mark.parametrize(("args", "message"), [
    ((float("nan"), 1.0), "`alpha` must be a finite real number"),
    ((0.5, -1.0), r"`a` \(the half-separation\) must be finite and >= 0"),
    ((0.5, float("inf")), r"`a` \(the half-separation\) must be finite and >= 0"),
])
def test_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        _apps_alpha.alpha_state(*args)


def test_dial_names():
    from klbook import widgets  # noqa: F401  (imports _widgets_alpha the way chapters do)
    from klbook._widgets_alpha import dial_name
    assert dial_name(1.0) == "forward KL, D(P‖Q)" and dial_name(0.0) == "reverse KL, D(Q‖P)"
    assert dial_name(0.5) == ""


def test_alpha_two_is_half_chi_square_and_renyi_is_monotone_in_d():
    from scipy import integrate

    p = _apps_alpha.alpha_state(0.5, 3.0).p
    for q in (Normal(0.0, 3.0), Normal(0.5, 1.0)):
        p2q = integrate.quad(lambda x: math.exp(2 * p.logpdf(x) - q.logpdf(x)), -np.inf, np.inf, epsabs=1e-13)[0]
        assert kb.alpha_divergence(p, q, 2.0) == pytest.approx((p2q - 1) / 2, rel=1e-9)
    assert kb.alpha_divergence(p, Normal(0.0, 0.7), 2.0) == math.inf   # sd below sqrt(1/2)
    q = Normal(0.0, 1.5)
    for alpha in (-0.5, 0.5, 2.0):
        i = integrate.quad(lambda x: math.exp(alpha * p.logpdf(x) + (1 - alpha) * q.logpdf(x)),
                           -np.inf, np.inf, epsabs=1e-14)[0]
        d = kb.alpha_divergence(p, q, alpha)
        assert math.log(i) / (alpha - 1) == pytest.approx(math.log1p(-alpha * (1 - alpha) * d) / (alpha - 1), rel=1e-9)


def test_phase_boundary_at_a_3_on_the_lattice():
    regimes = [_apps_alpha.alpha_state(al, 3.0).regime for al in (-0.2, -0.15, 0.1, 0.15, 0.45, 0.5)]
    assert regimes == [3, 2, 2, 1, 1, 0]
    assert [_apps_alpha.alpha_state(al, 1.75).regime for al in (-1.0, 0.0, 2.0)] == [4, 0, 0]


def test_widget_cache_returns_the_state():
    from klbook import _widgets_alpha

    _widgets_alpha._state.cache_clear()
    st = _widgets_alpha._state(-0.5, 3.0)
    ref = _apps_alpha.alpha_state(-0.5, 3.0)
    assert st.regime == ref.regime and [r.q for r in st.optima] == [r.q for r in ref.optima]
    assert _widgets_alpha._state(-0.5, 3.0) is st
    assert _widgets_alpha._state.cache_info().hits == 1

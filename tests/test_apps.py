"""The apps' state functions (klbook._apps): the numbers every front end shows."""

import math

import numpy as np
import pytest

import klbook as kb
from klbook import _apps

TARGETS = [
    kb.Mixture([0.5, 0.5], [kb.Normal(-3, 1), kb.Normal(3, 1)]),
    kb.Mixture([0.7, 0.3], [kb.Normal(-3, 1.5), kb.Normal(3, 0.3)]),
    kb.Mixture([0.3, 0.4, 0.3], [kb.Normal(-4, 0.5), kb.Normal(0, 1), kb.Normal(4, 2)]),
]


@pytest.mark.parametrize("p", TARGETS, ids=["equal", "wide-narrow", "three"])
def test_fast_reverse_surface_matches_core(p):
    means = np.linspace(-6, 6, 13)
    sds = np.geomspace(0.2, 6, 9)
    fast = _apps.reverse_surface(p, means, sds)
    exact = kb.kl_surface(p, means, sds, direction="reverse")
    assert np.max(np.abs(fast - exact)) < 1e-3


@pytest.mark.parametrize("p", TARGETS[:2], ids=["equal", "wide-narrow"])
def test_fast_optima_match_core(p):
    fast = _apps.reverse_optima_fast(p)
    exact = kb.reverse_optima(p)
    assert len(fast) == len(exact)
    for f, e in zip(fast, exact):
        assert f.q.mean == pytest.approx(e.q.mean, abs=1e-4)
        assert f.q.sd == pytest.approx(e.q.sd, rel=1e-4)
        assert f.divergence == pytest.approx(e.divergence, abs=1e-8)


@pytest.mark.parametrize("a, w", [(0.0, 0.5), (2.5, 0.5), (3.5, 0.2), (5.0, 0.95)])
def test_glance_state_is_the_forward_fit_and_the_reverse_optima(a, w):
    st = _apps.glance_state(a, w)
    p = kb.Mixture([w, 1 - w], [kb.Normal(-a, 1), kb.Normal(a, 1)])
    assert st.p == p
    fwd = kb.fit(p, "normal")
    assert (st.forward.q.mean, st.forward.q.sd) == pytest.approx((fwd.q.mean, fwd.q.sd), abs=1e-12)
    assert st.forward.divergence == pytest.approx(kb.kl(p, fwd.q), abs=1e-10)  # D(P||Q): forward
    exact = kb.reverse_optima(p)
    assert len(st.optima) == len(exact)
    for got, ref in zip(st.optima, exact):
        assert got.divergence == pytest.approx(kb.kl(got.q, p), abs=1e-8)  # D(Q||P): reverse
        assert got.divergence == pytest.approx(ref.divergence, abs=1e-8)


def test_discrete_state_directions_and_terms():
    st = _apps.discrete_state([4, 3, 2, 1], [1, 1, 1, 1], unit="bits")
    p, q = np.array([0.4, 0.3, 0.2, 0.1]), np.full(4, 0.25)
    assert st.rescaled
    assert st.d_pq == pytest.approx(kb.kl(p, q, base=2), abs=1e-15)
    assert st.d_qp == pytest.approx(kb.kl(q, p, base=2), abs=1e-15)
    assert st.terms_pq.sum() == pytest.approx(st.d_pq, abs=1e-15)
    assert st.terms_qp.sum() == pytest.approx(st.d_qp, abs=1e-15)
    assert st.h_pq - st.h_p == pytest.approx(st.d_pq, abs=1e-14)
    gap = _apps.discrete_state([0.5, 0.5], [1.0, 0.0])
    assert not gap.rescaled
    assert math.isinf(gap.d_pq) and gap.d_qp == pytest.approx(math.log(2))
    assert gap.terms_pq.tolist() == [0.5 * math.log(0.5), math.inf]


@pytest.mark.parametrize("kwargs, match", [
    ({"p": [0, 0], "q": [1, 1]}, r"`p` has no mass"),
    ({"p": [1, -1], "q": [1, 1]}, r"`p` must be a 1-D array of finite numbers >= 0"),
    ({"p": [1, 1], "q": [1, float("nan")]}, r"`q` must be"),
    ({"p": [1, 1], "q": [1, 1, 1]}, r"`p` and `q` must have equal lengths, got 2 and 3"),
    ({"p": [1], "q": [1], "unit": "dits"}, r"`unit` must be 'nats' or 'bits', got 'dits'"),
])
def test_discrete_state_rejects_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        _apps.discrete_state(**kwargs)


def test_state_functions_reject_bad_controls():
    with pytest.raises(ValueError, match=r"`a` \(the half-separation\) must be finite and >= 0, got -1.0"):
        _apps.glance_state(-1, 0.5)
    with pytest.raises(ValueError, match=r"`w` \(the left mode's weight\) must be strictly between 0 and 1, got 1.0"):
        _apps.glance_state(1, 1.0)
    with pytest.raises(ValueError, match=r"`a` \(the half-separation\) must be finite and >= 0, got nan"):
        _apps.phase_state(float("nan"))
    with pytest.raises(ValueError, match=r"`components` weights must be finite and >= 0, got -0.5"):
        _apps.target([(-0.5, 0, 1)])
    assert _apps.target([(0, 0, 1), (0.0, 1, 1)]) is None


def test_reverse_state_ranks_its_fit_among_the_optima():
    p = TARGETS[0]
    centre = _apps.reverse_state(p, kb.Normal(0.0, 2.0))
    side = _apps.reverse_state(p, kb.Normal(2.5, 1.0), optima=centre.optima)
    assert side.fit.divergence == pytest.approx(kb.kl(side.fit.q, p), abs=1e-10)
    # The two one-mode optima tie (best first breaks the tie by the mean: left first).
    assert side.rank == 1 and side.fit.divergence == pytest.approx(centre.optima[0].divergence, abs=1e-9)
    assert centre.rank == len(centre.optima) - 1
    assert centre.optima[0].divergence < centre.fit.divergence


@pytest.mark.parametrize("a", [1.0, 2.6, 3.5])
def test_phase_state_regimes_follow_the_thresholds(a):
    t = kb.symmetric_reverse_thresholds()
    st = _apps.phase_state(a)
    expected = ("centred only" if a < t.appear else
                "both, centred best" if a < t.global_ else "one-mode best")
    assert st.regime == expected
    assert len(st.optima) == (1 if a < t.appear else 3)
    assert _apps.is_centred(st.optima[0].q) == (a < t.global_)

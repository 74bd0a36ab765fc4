"""The "rlhf" app: pi* against a direct maximisation and its closed-form facts,
the forward-penalty optimum against its own maximisation, the explorer data
against the state, the errors."""

import numpy as np
import pytest
from scipy import optimize
from scipy.special import softmax

import klbook as kb
from klbook import _apps_rlhf as A
from klbook import explorers

REF = np.array(A.PI_REF)


def objective(pi, r, beta, direction):
    penalty = kb.kl(pi, REF) if direction == "reverse" else kb.kl(REF, pi)
    return pi @ r - beta * penalty


def direct_max(r, beta, direction):
    res = optimize.minimize(lambda z: -objective(softmax(z), r, beta, direction),
                            np.log(REF), method="BFGS", options={"gtol": 1e-12})
    return softmax(res.x), -res.fun


@pytest.mark.parametrize("preset", A.PRESETS)
@pytest.mark.parametrize("beta", [0.3, 1.0, 4.0])
def test_pi_star_is_the_maximiser_and_its_value_is_beta_log_z(preset, beta):
    st = A.rlhf_state(beta, preset)
    pi, value = direct_max(st.rewards, beta, "reverse")
    assert np.allclose(pi, st.pi_star, atol=1e-6)
    assert value == pytest.approx(st.value, abs=1e-10)
    # beta log Z = E[r] - beta D(pi*||pi_ref), the penalty in the reverse direction
    assert st.value == pytest.approx(st.expected_reward - beta * kb.kl(st.pi_star, REF), abs=1e-12)
    assert st.kl == pytest.approx(st.expected_reward / beta - st.log_z, abs=1e-10)
    assert st.value >= objective(REF, st.rewards, beta, "reverse")


def test_forward_penalty_optimum_is_its_maximiser_and_covers_the_reference():
    for preset in A.PRESETS:
        for beta in (0.1, 1.0, 10.0):
            st = A.rlhf_state(beta, preset)
            pi, value = direct_max(st.rewards, beta, "forward")
            assert np.allclose(pi, st.pi_forward, atol=1e-5)
            assert objective(st.pi_forward, st.rewards, beta, "forward") >= value - 1e-10
            assert st.pi_forward.sum() == pytest.approx(1, abs=1e-14)
            assert st.pi_forward.min() > 0
    lo = A.rlhf_state(A.BETAS[0], "distinct")
    assert lo.pi_star.min() < 1e-30 < 1e-4 < lo.pi_forward.min()


def test_limits_in_beta_and_ties():
    hi = A.rlhf_state(1e4, "tie")
    assert np.allclose(hi.pi_star, REF, atol=1e-4) and hi.kl < 1e-6
    lo = A.rlhf_state(1e-3, "tie")
    # the tied best responses 3 and 6 share the mass in proportion to pi_ref
    assert lo.pi_star[3] == pytest.approx(0.11 / 0.17, abs=1e-12)
    assert lo.pi_star[6] == pytest.approx(0.06 / 0.17, abs=1e-12)
    assert lo.kl == pytest.approx(-np.log(0.17), abs=1e-12)
    d = A.rlhf_state(1e-3, "distinct")
    assert d.pi_star[6] == pytest.approx(1, abs=1e-12) and d.kl == pytest.approx(-np.log(0.06), abs=1e-12)


def test_frontier_rises_with_kl():
    for preset in A.PRESETS:
        kls, rewards = A.frontier(preset)
        assert np.all(np.diff(kls) < 0) and np.all(np.diff(rewards) < 0)  # beta increases


def test_explorer_data_matches_the_state():
    data = explorers.app_data("rlhf")
    assert len(data["states"]) == len(A.PRESETS) * len(A.BETAS) == 50
    assert data["betas"][0] == 0.01 and data["betas"][-1] == 100
    for ip, ib in [(0, 0), (0, 12), (1, 3), (1, 24)]:
        st = A.rlhf_state(A.BETAS[ib], A.PRESETS[ip])
        pi, er, kl, log_z, fwd = data["states"][ip * len(A.BETAS) + ib]
        assert np.allclose(pi, st.pi_star, atol=1e-6) and np.allclose(fwd, st.pi_forward, atol=1e-6)
        assert er == pytest.approx(st.expected_reward, abs=1e-6)
        assert kl == pytest.approx(kb.kl(st.pi_star, REF), abs=1e-6)
        assert log_z == pytest.approx(st.log_z, abs=1e-6)
    assert np.allclose(data["frontier"][1][0], A.frontier("tie")[0], atol=1e-6)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((0.0,), r"^`beta` must be a finite number > 0, got 0.0$"),
        ((float("inf"),), r"^`beta` must be a finite number > 0, got inf$"),
        ((1.0, "flat"), r"^`preset` must be one of distinct, tie, got 'flat'$"),
    ],
)
def test_state_rejects_bad_arguments(args, message):
    with pytest.raises(ValueError, match=message):
        A.rlhf_state(*args)


def test_policy_functions_reject_bad_arrays():
    with pytest.raises(ValueError, match=r"^`ref` must be positive and sum to 1, got \[0.5, 0.6\]$"):
        A.gibbs_policy([0, 1], [0.5, 0.6], 1.0)
    with pytest.raises(ValueError, match=r"^`ref` must have the shape of `rewards` \(2,\), got \(3,\)$"):
        A.forward_penalty_optimum([0, 1], [0.2, 0.3, 0.5], 1.0)
    with pytest.raises(ValueError, match=r"^`rewards` must be a 1-D array of at least 2 finite numbers"):
        A.gibbs_policy([1.0], [1.0], 1.0)

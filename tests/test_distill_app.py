"""The "distill" app: the bigram teacher against a direct count, every gradient
against finite differences, the divergences against kb.kl, the state against
an independent computation, the sequence-level identities, the explorer data,
the errors and the live widget."""

import math
from collections import Counter

import numpy as np
import pytest
from scipy.special import softmax

import klbook as kb
from klbook import _apps_distill as A
from klbook import explorers

P = A.teacher()
W = A.context_weights()
RNG = np.random.default_rng(11)
OBJECTIVES = [("forward", 0.0), ("reverse", 0.0), ("jsd", 0.1), ("jsd", 0.5), ("jsd", 0.9),
              ("skew", 0.1), ("skew", 0.5)]


def test_teacher_is_the_smoothed_bigram_of_the_text():
    text = A.read_text().lower()
    # words joined by one space; the text ends in punctuation, which becomes a final space
    cleaned = " ".join("".join(ch if "a" <= ch <= "z" else " " for ch in text).split()) + " "
    pairs = Counter(zip(cleaned, cleaned[1:]))
    for a, b in [("t", "h"), (" ", "a"), ("e", " "), ("q", "u")]:
        row = sum(n for (x, _), n in pairs.items() if x == a)
        expected = (pairs[(a, b)] + A.SMOOTHING) / (row + A.SMOOTHING * A.V)
        assert P[A.ALPHABET.index(a), A.ALPHABET.index(b)] == pytest.approx(expected, rel=1e-12)
    assert P.min() > 0 and np.allclose(P.sum(axis=1), 1, atol=1e-14)
    assert A.TEXT_FILE.stat().st_size < 8000


def test_context_weights_are_stationary_and_close_to_the_letter_frequencies():
    assert np.allclose(W @ P, W, atol=1e-14) and W.sum() == pytest.approx(1, abs=1e-14)
    idx = A.encode(A.read_text())
    freq = np.bincount(idx, minlength=A.V) / idx.size
    # smoothing moves a little mass to rare contexts: within 0.025 of the letter counts
    assert np.abs(W - freq).max() < 0.025


def test_encode():
    assert A.decode(A.encode("Oh dear!  Oh, DEAR.")) == "oh dear oh dear "
    with pytest.raises(ValueError, match=r"^`text` must be a str, got int$"):
        A.encode(3)


@pytest.mark.parametrize(("objective", "mix"), OBJECTIVES)
def test_row_divergence_against_kb_kl(objective, mix):
    q = softmax(RNG.normal(size=(A.V, A.V)), axis=1)
    got = A.row_divergence(P, q, objective, mix)
    for c in (0, 5, 20):
        p_c, q_c = P[c], q[c]
        if objective == "forward":
            want = kb.kl(p_c, q_c)
        elif objective == "reverse":
            want = kb.kl(q_c, p_c)
        elif objective == "jsd":
            m = mix * p_c + (1 - mix) * q_c
            want = mix * kb.kl(p_c, m / m.sum()) + (1 - mix) * kb.kl(q_c, m / m.sum())
        else:
            m = mix * p_c + (1 - mix) * q_c
            want = kb.kl(p_c, m / m.sum())
        assert got[c] == pytest.approx(want, abs=1e-12)


def test_jsd_limits_are_the_two_kls():
    q = softmax(RNG.normal(size=(A.V, A.V)), axis=1)
    fwd, rev = A.row_divergence(P, q, "forward"), A.row_divergence(P, q, "reverse")
    small, large = 1e-5, 1 - 1e-5
    assert np.allclose(A.row_divergence(P, q, "jsd", small) / small, fwd, rtol=1e-3)
    assert np.allclose(A.row_divergence(P, q, "jsd", large) / (1 - large), rev, rtol=1e-3)
    assert np.allclose(A.row_divergence(P, q, "skew", 1e-9), fwd, rtol=1e-6)


@pytest.mark.parametrize(("objective", "mix"), OBJECTIVES)
def test_gradients_against_finite_differences(objective, mix):
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 0.7, (A.V, 3)), rng.normal(0, 0.7, (3, A.V))
    value, ga, gb = A.factor_loss_and_grad(a, b, P, W, objective, mix)
    h = 1e-6
    for (i, j) in [(0, 0), (5, 2), (26, 1)]:
        e = np.zeros_like(a)
        e[i, j] = h
        fd = (A.factor_loss_and_grad(a + e, b, P, W, objective, mix)[0]
              - A.factor_loss_and_grad(a - e, b, P, W, objective, mix)[0]) / (2 * h)
        assert ga[i, j] == pytest.approx(fd, abs=1e-8)
    for (i, j) in [(0, 0), (2, 13), (1, 26)]:
        e = np.zeros_like(b)
        e[i, j] = h
        fd = (A.factor_loss_and_grad(a, b + e, P, W, objective, mix)[0]
              - A.factor_loss_and_grad(a, b - e, P, W, objective, mix)[0]) / (2 * h)
        assert gb[i, j] == pytest.approx(fd, abs=1e-8)
    assert value == pytest.approx(W @ A.row_divergence(P, softmax(a @ b, axis=1), objective, mix), abs=1e-12)


def test_sequence_reverse_gradient_against_finite_differences():
    z = np.random.default_rng(5).normal(0, 1.0, (A.V, A.V))
    value, g = A.sequence_reverse_and_grad(z, P)
    assert value == pytest.approx(A.sequence_kl(P, z, "reverse"), abs=1e-12)
    h = 1e-6
    for (i, j) in [(0, 0), (0, 20), (1, 2), (19, 8), (26, 26)]:
        e = np.zeros_like(z)
        e[i, j] = h
        fd = (A.sequence_reverse_and_grad(z + e, P)[0] - A.sequence_reverse_and_grad(z - e, P)[0]) / (2 * h)
        assert g[i, j] == pytest.approx(fd, abs=1e-7)


def _sequence_log_probs(trans, length):
    """log-probabilities of every sequence of a 3-state chain, by brute force."""
    import itertools

    out = {}
    for seq in itertools.product(range(3), repeat=length):
        lp, prev = 0.0, 0
        for x in seq:
            lp += math.log(trans[prev, x])
            prev = x
        out[seq] = lp
    return out


def test_sequence_kl_is_the_kl_between_sequence_distributions(monkeypatch):
    # a 3-symbol chain, so every sequence can be listed
    monkeypatch.setattr(A, "ALPHABET", "abc")
    monkeypatch.setattr(A, "SEQ_START", "a")
    rng = np.random.default_rng(8)
    p = softmax(rng.normal(size=(3, 3)), axis=1)
    z = rng.normal(size=(3, 3))
    q = softmax(z, axis=1)
    lp, lq = _sequence_log_probs(p, 4), _sequence_log_probs(q, 4)
    fwd = sum(math.exp(lp[s]) * (lp[s] - lq[s]) for s in lp)
    rev = sum(math.exp(lq[s]) * (lq[s] - lp[s]) for s in lq)
    assert A.sequence_kl(p, z, "forward", length=4) == pytest.approx(fwd, abs=1e-12)
    assert A.sequence_kl(p, z, "reverse", length=4) == pytest.approx(rev, abs=1e-12)


def test_implausible_rate_and_samples_agree():
    z = A.fit_sequence(P, 2, "teacher", steps=200)
    q = softmax(z, axis=1)
    rate = A.implausible_by_position(q)
    x = A.sample_sequences(q, 20000, rng=4)
    _, tail = A.head_sets()
    hit = np.cumsum(tail[x[:, :-1], x[:, 1:]], axis=1) > 0
    assert np.all(np.diff(rate) >= 0)
    assert np.abs(hit.mean(axis=0) - rate).max() < 4 * math.sqrt(0.25 / 20000)
    # the teacher's own rate: one step from a space is the teacher's tail mass after a space
    assert A.implausible_by_position(P)[0] == pytest.approx(P[0][tail[0]].sum(), abs=1e-15)


def test_state_against_an_independent_computation():
    st = A.distill_state(2, "reverse", 0.0, 2.0, 100)
    pt = softmax(np.log(P) / 2.0, axis=1)
    assert np.allclose(st.teacher, pt, atol=1e-15)
    fit = A.fit_student(pt, W, 2, "reverse", checkpoints=(100,))[100]
    q = softmax(fit, axis=1)
    assert np.allclose(st.student, q, atol=1e-12)
    assert st.forward_kl == pytest.approx(sum(W[c] * kb.kl(pt[c], q[c]) for c in range(A.V)), abs=1e-10)
    assert st.reverse_kl == pytest.approx(sum(W[c] * kb.kl(q[c], pt[c]) for c in range(A.V)), abs=1e-10)
    top = np.argsort(-P, axis=1, kind="stable")[:, :A.HEAD_SIZE]  # ties: alphabet order
    head = sum(W[c] * q[c, top[c]].sum() for c in range(A.V))
    tail = sum(W[c] * q[c][P[c] < A.IMPLAUSIBLE].sum() for c in range(A.V))
    assert st.head_mass == pytest.approx(head, abs=1e-12) and st.tail_mass == pytest.approx(tail, abs=1e-12)


def test_full_rank_students_reach_the_teacher_and_the_start_is_shared():
    fwd, rev = A.distill_state(27, "forward"), A.distill_state(27, "reverse")
    assert fwd.forward_kl < 1e-3 and rev.reverse_kl < 1e-3
    assert np.abs(fwd.student - rev.student).max() < 0.02
    assert np.array_equal(A.distill_state(4, "forward", steps=0).student,
                          A.distill_state(4, "reverse", steps=0).student)
    # each objective, at its own fit, beats the other objective's fit (rank 2)
    f2, r2 = A.distill_state(2, "forward"), A.distill_state(2, "reverse")
    assert f2.forward_kl < r2.forward_kl and r2.reverse_kl < f2.reverse_kl


def test_explorer_data_matches_the_state():
    data = explorers.app_data("distill")
    n_var, n_t, n_s = len(data["variants"]), len(A.TEMPERATURES), len(A.STEPS)
    assert len(data["states"]) == len(A.RANKS) * n_var * n_t * n_s
    c = A.ALPHABET.index(A.SHOWN_CONTEXT)
    order = A.display_order()
    for ir, iv, it, i_s in [(0, 0, 0, 0), (1, 1, 2, 6), (4, 3, 1, 3), (2, 4, 0, 5)]:
        objective, mix = data["variants"][iv]
        st = A.distill_state(A.RANKS[ir], objective, mix, A.TEMPERATURES[it], A.STEPS[i_s])
        bars, fkl, rkl, head, tail = data["states"][((ir * n_var + iv) * n_t + it) * n_s + i_s]
        assert np.allclose(bars, st.student[c, order], atol=1e-6)
        assert (fkl, rkl, head, tail) == pytest.approx((st.forward_kl, st.reverse_kl, st.head_mass,
                                                        st.tail_mass), abs=1e-6)
        assert np.allclose(data["teacher"][it], st.teacher[c, order], atol=1e-6)
    for state in data["states"]:
        assert all(math.isfinite(v) for v in state[0] + state[1:])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rank": 3}, r"^`rank` must be one of 1, 2, 4, 8, 27, got 3$"),
        ({"objective": "tv"}, r"^`objective` must be one of forward, reverse, jsd, skew, got 'tv'$"),
        ({"objective": "jsd", "mix": 1.0}, r"^`mix` must be in \(0, 1\) for objective 'jsd', got 1.0$"),
        ({"objective": "jsd", "mix": 0.3}, r"^`mix` must be one of 0.1, 0.5, 0.9, got 0.3$"),
        ({"temperature": 0.5}, r"^`temperature` must be one of 1.0, 2.0, 3.0, got 0.5$"),
        ({"steps": 7}, r"^`steps` must be one of 0, 3, 10, 30, 100, 300, 1000, got 7$"),
    ],
)
def test_state_rejects_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        A.distill_state(**kwargs)


def test_functions_reject_bad_arguments():
    with pytest.raises(ValueError, match=r"^`rank` must be an integer from 1 to 27, got 0$"):
        A.fit_student(P, W, 0)
    with pytest.raises(ValueError, match=r"^`temperature` must be a positive finite number, got -1.0$"):
        A.soften(P, -1.0)
    with pytest.raises(ValueError, match=r"^`smoothing` must be a positive finite number, got 0$"):
        A.teacher(smoothing=0)
    with pytest.raises(ValueError, match=r"^`p` must be a square matrix of positive rows that sum to 1"):
        A.stationary(np.ones((3, 3)))
    with pytest.raises(ValueError, match=r"^`checkpoints` must be increasing integers >= 0, got \(10, 5\)$"):
        A.fit_student(P, W, 2, checkpoints=(10, 5))
    with pytest.raises(ValueError, match=r"^`mode` must be 'teacher' or 'student', got 'mixed'$"):
        A.fit_sequence(P, 2, "mixed")
    with pytest.raises(ValueError, match=r"^`prefixes` must be 'student' or 'teacher', got 'both'$"):
        A.per_position(P, np.zeros((A.V, A.V)), prefixes="both")
    with pytest.raises(ValueError, match=r"^`direction` must be 'forward' or 'reverse', got 'sym'$"):
        A.sequence_kl(P, np.zeros((A.V, A.V)), "sym")


def test_widget_updates_over_its_controls():
    import ipywidgets as W_

    from klbook import widgets

    box = widgets.distill_explorer()
    controls = [w for w in _walk(box) if isinstance(w, (W_.Dropdown, W_.ToggleButtons))]
    assert len(controls) == 5
    for control in controls:
        for _, value in control.options:
            control.value = value
            assert "failed" not in box.children[2].value
            assert "<img" in box.children[3].value
    assert "D(P_T‖Q)" in box.children[4].value
    assert 'data-app="distill"' in box._repr_mimebundle_()["text/html"]


def _walk(w):
    yield w
    for child in getattr(w, "children", ()):
        yield from _walk(child)

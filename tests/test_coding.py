"""Prefix codes behind the "extra bits" experiment of the KL divergence chapter."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import klbook as kb
from klbook import coding

probs = st.lists(st.floats(0.01, 1.0), min_size=2, max_size=7).map(lambda v: np.array(v) / np.sum(v))


def test_dyadic_lengths_are_exact():
    assert coding.code_lengths([0.5, 0.25, 0.125, 0.125]).tolist() == [1, 2, 3, 3]
    assert coding.prefix_code([1, 2, 3, 3]) == ["0", "10", "110", "111"]


@settings(max_examples=60, deadline=None)
@given(probs)
def test_codes_are_prefix_free_and_within_one_bit_of_entropy(p):
    h = kb.entropy(p, base=2)
    for method in ("shannon", "huffman"):
        lengths = coding.code_lengths(p, method=method)
        assert np.sum(2.0 ** -lengths) <= 1 + 1e-12
        code = coding.prefix_code(lengths)
        assert not any(a != b and b.startswith(a) for a in code for b in code)
        assert h - 1e-12 <= float(np.dot(p, lengths)) < h + 1
    assert np.dot(p, coding.code_lengths(p, method="huffman")) <= np.dot(p, coding.code_lengths(p)) + 1e-12


def test_encode_decode_round_trip():
    code = coding.prefix_code(coding.code_lengths([0.4, 0.3, 0.2, 0.1], method="huffman"))
    symbols = kb.Categorical([0.4, 0.3, 0.2, 0.1]).sample(500, rng=3)
    assert (coding.decode(coding.encode(symbols, code), code) == symbols).all()
    with pytest.raises(ValueError, match="ends inside a codeword"):
        coding.decode(coding.encode(symbols, code)[:-1], code)


def test_zero_probability_symbol_has_no_codeword():
    code = coding.prefix_code(coding.code_lengths([0.5, 0.5, 0.0]))
    assert code[2] is None
    with pytest.raises(ValueError, match="`symbols` contains symbol 2, which has no codeword"):
        coding.encode([0, 2], code)


@pytest.mark.parametrize("k", [1, 2, 3, 5])
def test_expected_extra_bits_within_one_over_k_of_kl(k):
    p, q = [0.4, 0.3, 0.2, 0.1], [0.1, 0.2, 0.3, 0.4]
    symbols = kb.Categorical(p).sample(3000, rng=k)
    r = coding.extra_bits(p, q, symbols, k=k)
    assert r.kl_bits == pytest.approx(kb.kl(p, q, base=2))
    assert abs(r.expected_extra - r.kl_bits) < 1.0 / k
    assert r.extra == pytest.approx(r.bits_q - r.bits_p)


def test_extra_bits_infinite_when_q_misses_an_outcome():
    r = coding.extra_bits([0.5, 0.5, 0.0], [0.5, 0.0, 0.5], [0, 1, 0])
    assert r.kl_bits == np.inf and r.extra == np.inf and r.expected_extra == np.inf


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="`method` must be 'shannon' or 'huffman', got 'arithmetic'"):
        coding.code_lengths([0.5, 0.5], method="arithmetic")
    with pytest.raises(ValueError, match="`k` must be a whole number >= 1, got 0"):
        coding.block_probs([0.5, 0.5], 0)
    with pytest.raises(ValueError, match="Kraft"):
        coding.prefix_code([1, 1, 1])
    with pytest.raises(ValueError, match="`p` and `q` must have the same length"):
        coding.extra_bits([0.5, 0.5], [0.2, 0.3, 0.5], [0, 1])

"""Prefix codes for the "extra bits" reading of the KL divergence.

Encode symbols drawn from P with a code built for Q: the average code length
grows by D(P||Q) bits per symbol over a code built for P. With Shannon code
lengths ``ceil(-log2 q(x))`` on blocks of ``k`` symbols, the per-symbol length
is within ``1/k`` bit of the cross-entropy H(P,Q) (within ``1/k`` of H(P) for
P's own code), so the measured extra bits approach D(P||Q) as blocks grow.

A symbol that Q gives probability 0 gets no codeword at all: a code built for
Q cannot encode it, which is what D(P||Q) = inf says.
"""

import heapq
from collections import namedtuple

import numpy as np

from ._validate import probability_vector

_METHODS = ("shannon", "huffman")


def code_lengths(probs, *, method="shannon"):
    """Codeword lengths in bits of a prefix code built for `probs`.

    Parameters
    ----------
    probs : 1-D array-like
        Probabilities summing to 1.
    method : {"shannon", "huffman"}, keyword-only
        "shannon": ``ceil(-log2 p)``, within 1 bit of ``-log2 p`` for every
        symbol. "huffman": the optimal prefix code (shortest average length
        under `probs`).

    Returns
    -------
    ndarray of float
        One length per symbol; ``inf`` where the probability is 0 (no codeword).

    Raises
    ------
    ValueError
        For a bad probability vector or method.

    Examples
    --------
    >>> code_lengths([0.5, 0.25, 0.125, 0.125]).tolist()
    [1.0, 2.0, 3.0, 3.0]
    >>> code_lengths([0.4, 0.3, 0.2, 0.1], method="huffman").tolist()
    [1.0, 2.0, 3.0, 3.0]
    """
    p = probability_vector("probs", probs)
    if method not in _METHODS:
        raise ValueError(f"`method` must be 'shannon' or 'huffman', got {method!r}")
    out = np.full(p.size, np.inf)
    live = np.flatnonzero(p > 0)
    if method == "shannon":
        # Round -log2 p to the nearest integer first when it is one up to
        # round-off, so dyadic probabilities get their exact lengths.
        ideal = -np.log2(p[live])
        near = np.round(ideal)
        out[live] = np.where(np.abs(ideal - near) < 1e-9, near, np.ceil(ideal))
        return out
    if live.size == 1:
        out[live] = 1.0
        return out
    # Heap entries (probability, tie-break counter, symbols below this node).
    heap = [(float(p[i]), n, [int(i)]) for n, i in enumerate(live)]
    heapq.heapify(heap)
    depth = dict.fromkeys(live.tolist(), 0)
    counter = len(heap)
    while len(heap) > 1:
        pa, _, a = heapq.heappop(heap)
        pb, _, b = heapq.heappop(heap)
        for i in a + b:
            depth[i] += 1
        heapq.heappush(heap, (pa + pb, counter, a + b))
        counter += 1
    for i, d in depth.items():
        out[i] = float(d)
    return out


def prefix_code(lengths):
    """The canonical prefix code with the given codeword lengths.

    Parameters
    ----------
    lengths : 1-D array-like
        Lengths in bits (``inf`` = no codeword); they must satisfy Kraft's
        inequality, ``sum(2**-length) <= 1``.

    Returns
    -------
    list of str or None
        The codeword of each symbol, as a string of '0' and '1'.

    Examples
    --------
    >>> prefix_code([1, 2, 3, 3])
    ['0', '10', '110', '111']
    """
    lengths = np.asarray(lengths, dtype=float)
    finite = np.isfinite(lengths)
    if (lengths[finite] < 1).any() or (lengths[finite] != np.round(lengths[finite])).any():
        raise ValueError(f"`lengths` must be whole numbers >= 1 or inf, got {lengths.tolist()!r}")
    if float(np.sum(2.0 ** -lengths[finite])) > 1 + 1e-12:
        raise ValueError(f"`lengths` must satisfy Kraft's inequality, got {lengths.tolist()!r}")
    order = sorted(np.flatnonzero(finite), key=lambda i: (lengths[i], i))
    code = [None] * lengths.size
    value, prev = 0, 0
    for i in order:
        n = int(lengths[i])
        value <<= n - prev
        code[i] = format(value, f"0{n}b")
        value += 1
        prev = n
    return code


def encode(symbols, code):
    """Concatenate the codewords of `symbols` (indices into `code`) into one bit string.

    Raises
    ------
    ValueError
        If a symbol has no codeword (its probability was 0 under the code's
        distribution).
    """
    symbols = np.asarray(symbols)
    missing = [int(s) for s in np.unique(symbols) if code[int(s)] is None]
    if missing:
        raise ValueError(f"`symbols` contains symbol {missing[0]}, which has no codeword: "
                         "the code was built for a distribution that gives it probability 0")
    return "".join(code[int(s)] for s in symbols)


def decode(bits, code):
    """Invert :func:`encode`: read codewords off the front of `bits`."""
    table = {c: i for i, c in enumerate(code) if c is not None}
    out, word = [], ""
    for b in bits:
        word += b
        if word in table:
            out.append(table[word])
            word = ""
    if word:
        raise ValueError(f"`bits` ends inside a codeword: {word!r} is left over")
    return np.array(out, dtype=int)


def block_probs(probs, k):
    """The distribution of blocks of `k` independent symbols (index = base-m digits, first symbol most significant)."""
    p = probability_vector("probs", probs)
    out = np.ones(1)
    for _ in range(_block_length(k)):
        out = np.outer(out, p).ravel()
    return out


def _block_length(k):
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"`k` must be a whole number >= 1, got {k!r}")
    return int(k)


def to_blocks(symbols, k, m):
    """Group `symbols` (from an alphabet of size `m`) into blocks of `k`; a
    trailing partial block is dropped. Returns the block indices."""
    k = _block_length(k)
    symbols = np.asarray(symbols, dtype=np.int64)
    n = (symbols.size // k) * k
    digits = symbols[:n].reshape(-1, k)
    return digits @ (m ** np.arange(k - 1, -1, -1, dtype=np.int64))


ExtraBits = namedtuple("ExtraBits", ["k", "bits_p", "bits_q", "extra", "expected_extra", "kl_bits"])


def extra_bits(p, q, symbols, *, k=1, method="shannon"):
    """Bits per symbol to encode `symbols` with a code built for P and one built for Q.

    Parameters
    ----------
    p, q : 1-D array-like
        The data's distribution P and the code's distribution Q.
    symbols : 1-D array of int
        Draws from P (indices).
    k : int, keyword-only
        Block length: codes are built for blocks of `k` symbols.
    method : {"shannon", "huffman"}, keyword-only

    Returns
    -------
    ExtraBits
        ``bits_p`` and ``bits_q``: measured bits per symbol with each code;
        ``extra = bits_q - bits_p``; ``expected_extra``: its expectation under
        P; ``kl_bits``: D(P||Q) in bits. ``bits_q``, ``extra`` and
        ``expected_extra`` are ``inf`` when Q's code lacks a codeword for a
        symbol P produces.
    """
    from ._divergence import kl

    pv = probability_vector("p", p)
    qv = probability_vector("q", q)
    if pv.size != qv.size:
        raise ValueError(f"`p` and `q` must have the same length, got {pv.size} and {qv.size}")
    k = _block_length(k)
    bp, bq = block_probs(pv, k), block_probs(qv, k)
    lp, lq = code_lengths(bp, method=method), code_lengths(bq, method=method)
    blocks = to_blocks(symbols, k, pv.size)
    n = blocks.size * k
    if n == 0:
        raise ValueError(f"`symbols` must hold at least one block of {k}, got {np.size(symbols)} symbols")
    bits_p = float(lp[blocks].sum()) / n
    bits_q = float(lq[blocks].sum()) / n
    live = bp > 0
    with np.errstate(invalid="ignore"):
        expected = float(np.sum(bp[live] * (lq[live] - lp[live]))) / k
    return ExtraBits(k, bits_p, bits_q, bits_q - bits_p, expected, kl(pv, qv, base=2))


def ideal_gap(k):
    """The bound on ``|extra - D(P||Q)|`` (expected, bits per symbol) for Shannon codes on blocks of `k`: ``1/k``."""
    return 1.0 / _block_length(k)


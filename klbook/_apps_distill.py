"""The state of the "distill" app: distilling a character-level bigram teacher
into a low-rank student.

The teacher P is a character bigram model of a short public-domain text
(:data:`TEXT_FILE`): for each context character c, a next-character
distribution P(.|c) over the 27 symbols of :data:`ALPHABET`, add-1/2
smoothed so every probability is > 0. The student has logits
``A @ B`` of rank k (``A`` is 27 x k, ``B`` is k x 27), Q(.|c) =
softmax((A @ B)[c]). Fitting Q to P averages a per-context divergence over
the teacher's context distribution w (the stationary distribution of the
teacher's chain):

- ``"forward"``: sum_c w_c D(P_c||Q_c), ``kl(P_c, Q_c)``: supervised KD
  (Hinton et al. 2015);
- ``"reverse"``: sum_c w_c D(Q_c||P_c), ``kl(Q_c, P_c)``;
- ``"jsd"``: GKD's generalized Jensen-Shannon divergence (Agarwal et al.
  2024), beta D(P||M) + (1 - beta) D(Q||M) with M = beta P + (1 - beta) Q;
  it behaves like beta D(P||Q) as beta -> 0 and like (1 - beta) D(Q||P) as
  beta -> 1;
- ``"skew"``: DistiLLM's skew KL (Ko et al. 2024), D(P || alpha P + (1 - alpha) Q),
  the forward KL to a mixture; alpha = 0 is the forward KL.

Every gradient is exact (tests check them against finite differences) and
every fit deterministic: a seeded start, then plain gradient descent with a
fixed step (:data:`LEARNING_RATE`), recorded after each of :data:`STEPS`. The
sequence-level part treats the bigram as a Markov chain started at a space
(a word boundary) and compares training on the teacher's sequences (forward
KL, D(P_seq||Q_seq)) with training on the student's own (MiniLLM's
sequence-level reverse KL, D(Q_seq||P_seq), with its exact gradient).
This module is numeric: it never imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import rel_entr, softmax

from ._validate import positive_finite

#: The symbols: a space (index 0) and the 26 lower-case letters.
ALPHABET = " abcdefghijklmnopqrstuvwxyz"
V = len(ALPHABET)
#: The teacher's text: the opening of Chapter I of *Alice's Adventures in
#: Wonderland* (Lewis Carroll, 1865; public domain; Project Gutenberg #11).
TEXT_FILE = Path(__file__).resolve().parent / "data" / "alice-chapter1-opening.txt"
#: Add-1/2 smoothing of the bigram counts: no next character has probability 0.
SMOOTHING = 0.5
#: The teacher's head in a context: its HEAD_SIZE most probable next characters.
HEAD_SIZE = 3
#: A next character is *implausible* in a context if the (T = 1) teacher gives
#: it probability below this; the tail is the set of implausible characters.
IMPLAUSIBLE = 0.01
#: Seed of every student's starting point, and the scale of its entries.
SEED = 2024
INIT_SCALE = 0.3
#: The fixed step of gradient descent on (A, B).
LEARNING_RATE = 4.0
#: Objectives; the mixing weight (beta of "jsd", alpha of "skew") is ``mix``.
OBJECTIVES = ("forward", "reverse", "jsd", "skew")
#: The app's lattice.
RANKS = (1, 2, 4, 8, 27)
MIXES = (0.1, 0.5, 0.9)
TEMPERATURES = (1.0, 2.0, 3.0)
#: Gradient-descent steps recorded along each fit.
STEPS = (0, 3, 10, 30, 100, 300, 1000)
#: The context whose next-character bars the app shows: a space, so the next
#: character is the first letter of a word.
SHOWN_CONTEXT = " "
#: The Markov chain of the sequence-level section: start symbol and length.
SEQ_START = " "
SEQ_LENGTH = 12
#: Gradient-descent steps of the sequence-level fits.
SEQ_STEPS = 3000


# ----------------------------------------------------------------- teacher

def encode(text):
    """Map a text to indices into :data:`ALPHABET`.

    Letters are lower-cased; every other character becomes a space, and runs of
    spaces collapse to one (so words are separated by exactly one space).

    Examples
    --------
    >>> encode("Oh dear!").tolist()
    [15, 8, 0, 4, 5, 1, 18, 0]
    """
    if not isinstance(text, str):
        raise ValueError(f"`text` must be a str, got {type(text).__name__}")
    out, prev_space = [], True
    for ch in text.lower():
        i = ALPHABET.find(ch) if "a" <= ch <= "z" else 0
        if i == 0:
            if prev_space:
                continue
            prev_space = True
        else:
            prev_space = False
        out.append(i)
    return np.array(out, dtype=int)


def read_text():
    """The teacher's text (:data:`TEXT_FILE`)."""
    return TEXT_FILE.read_text(encoding="utf-8")


def bigram_counts(text=None):
    """``counts[c, x]``: how often character x follows character c in `text` (default: the shipped text)."""
    idx = encode(read_text() if text is None else text)
    if idx.size < 2:
        raise ValueError(f"`text` must hold at least two symbols, got {idx.size}")
    counts = np.zeros((V, V))
    np.add.at(counts, (idx[:-1], idx[1:]), 1.0)
    return counts


@functools.lru_cache(maxsize=4)
def _teacher(smoothing):
    c = bigram_counts() + smoothing
    p = c / c.sum(axis=1, keepdims=True)
    p.setflags(write=False)
    return p


def teacher(*, smoothing=SMOOTHING):
    """The bigram teacher: ``P[c, x]`` = P(next = x | current = c), add-`smoothing` smoothed.

    Every entry is > 0 and every row sums to 1.

    Raises
    ------
    ValueError
        For a `smoothing` that is not a positive finite number.
    """
    return _teacher(positive_finite("smoothing", smoothing))


def stationary(p):
    """The stationary distribution w of a row-stochastic matrix with all entries > 0: w P = w."""
    p = _rows("p", p)
    a = p.T - np.eye(p.shape[0])
    a[-1] = 1.0
    b = np.zeros(p.shape[0])
    b[-1] = 1.0
    return np.linalg.solve(a, b)


@functools.lru_cache(maxsize=1)
def context_weights():
    """The teacher's context distribution: the stationary distribution of the T = 1 teacher."""
    w = stationary(teacher())
    w.setflags(write=False)
    return w


def soften(p, temperature):
    """Rows of `p` at temperature T: P_T(x|c) = P(x|c)^(1/T) / Z_c (T > 1 flattens, T < 1 sharpens)."""
    t = positive_finite("temperature", temperature)
    return softmax(np.log(_rows("p", p)) / t, axis=1)


def head_sets(p=None):
    """Boolean masks ``(head, tail)`` per context, from the T = 1 teacher `p`.

    head[c] marks the :data:`HEAD_SIZE` most probable next characters of
    context c (ties broken in alphabet order); tail[c] marks those with
    probability below :data:`IMPLAUSIBLE`.
    """
    if p is None:
        return _head_sets()
    return _sets(_rows("p", p))


@functools.lru_cache(maxsize=1)
def _head_sets():
    return _sets(teacher())


def _sets(p):
    order = np.argsort(-p, axis=1, kind="stable")[:, :HEAD_SIZE]
    head = np.zeros(p.shape, dtype=bool)
    np.put_along_axis(head, order, True, axis=1)
    return head, p < IMPLAUSIBLE


def display_order(context=SHOWN_CONTEXT):
    """The characters in the order the app shows them: by T = 1 teacher probability, largest first."""
    return np.argsort(-teacher()[ALPHABET.index(context)], kind="stable")


def _rows(name, p):
    p = np.asarray(p, dtype=float)
    if p.ndim != 2 or p.shape[0] != p.shape[1] or not np.all(np.isfinite(p)) or np.any(p <= 0) \
            or np.abs(p.sum(axis=1) - 1).max() > 1e-9:
        raise ValueError(f"`{name}` must be a square matrix of positive rows that sum to 1, "
                         f"got shape {p.shape}")
    return p


# ------------------------------------------------------------- divergences

def _check_objective(objective, mix):
    if objective not in OBJECTIVES:
        raise ValueError(f"`objective` must be one of {', '.join(OBJECTIVES)}, got {objective!r}")
    mix = float(mix)
    if objective in ("jsd", "skew") and not (0.0 < mix < 1.0):
        raise ValueError(f"`mix` must be in (0, 1) for objective {objective!r}, got {mix!r}")
    return mix


def row_divergence(p, q, objective="forward", mix=0.5):
    """The per-context divergence between rows of `p` (teacher) and `q` (student).

    ``"forward"``: D(p_c||q_c); ``"reverse"``: D(q_c||p_c); ``"jsd"``:
    beta D(p_c||m_c) + (1 - beta) D(q_c||m_c), m = beta p + (1 - beta) q,
    beta = `mix`; ``"skew"``: D(p_c || alpha p_c + (1 - alpha) q_c), alpha = `mix`.

    Returns
    -------
    ndarray
        One value per row (>= 0).

    Examples
    --------
    >>> p, q = np.array([[0.5, 0.5]]), np.array([[0.9, 0.1]])
    >>> round(float(row_divergence(p, q, "forward")[0]), 4), round(float(row_divergence(p, q, "reverse")[0]), 4)
    (0.5108, 0.3681)
    """
    mix = _check_objective(objective, mix)
    p, q = np.atleast_2d(p), np.atleast_2d(q)
    if objective == "forward":
        return rel_entr(p, q).sum(axis=-1)
    if objective == "reverse":
        return rel_entr(q, p).sum(axis=-1)
    if objective == "jsd":
        m = mix * p + (1 - mix) * q
        return mix * rel_entr(p, m).sum(axis=-1) + (1 - mix) * rel_entr(q, m).sum(axis=-1)
    return rel_entr(p, mix * p + (1 - mix) * q).sum(axis=-1)


def _log_softmax(z):
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    s = e.sum(axis=-1, keepdims=True)
    return z - np.log(s), e / s


def _rows_and_grad(z, p, logp, objective, mix, value=True):
    """Per-row divergence (or None) and its gradient in the logits `z`, in log space.

    Leading batch axes are allowed (`mix` then broadcasts against them).
    Working with log q (not q) keeps the divergences finite where a student
    probability underflows to 0 in floating point (its log stays finite).
    """
    logq, q = _log_softmax(z)
    if objective == "forward":
        rows = np.sum(p * (logp - logq), axis=-1) if value else None
        return rows, q - p
    if objective == "reverse":
        g = logq - logp
        rows = np.sum(q * g, axis=-1) if value else None
    elif objective == "jsd":
        m = mix * p + (1 - mix) * q
        logm = np.log(m)
        g = (1 - mix) * (logq - logm)
        rows = (np.sum(mix * p * (logp - logm) + (1 - mix) * q * (logq - logm), axis=-1)
                if value else None)
    else:
        m = mix * p + (1 - mix) * q
        g = -(1 - mix) * p / m
        rows = np.sum(p * (logp - np.log(m)), axis=-1) if value else None
    return rows, q * (g - np.sum(q * g, axis=-1, keepdims=True))


def objective_and_grad(logits, p, w, objective="forward", mix=0.5):
    """sum_c w_c d(P_c, softmax(logits_c)) and its exact gradient in the logits.

    Parameters
    ----------
    logits : (V, V) array
        Student logits, one row per context.
    p : (V, V) array
        Teacher rows (positive, summing to 1).
    w : (V,) array
        Context weights.
    objective, mix
        As in :func:`row_divergence`.

    Returns
    -------
    value : float
    grad : ndarray, the shape of `logits`
        Through the softmax: ``q * (g - sum(q * g))`` row by row, with g the
        derivative of the row divergence in q (for ``"forward"`` this is
        ``q - p``; for ``"reverse"`` g = log q - log p + 1; for ``"jsd"``
        g = (1 - beta) log(q / m); for ``"skew"`` g = -(1 - alpha) p / m).
    """
    mix = _check_objective(objective, mix)
    rows, dz = _rows_and_grad(np.asarray(logits, dtype=float), p, np.log(p), objective, mix)
    return float(w @ rows), w[:, None] * dz


def factor_loss_and_grad(a, b, p, w, objective="forward", mix=0.5):
    """The objective at logits ``a @ b`` and its gradients in `a` and `b`."""
    value, g = objective_and_grad(a @ b, p, w, objective, mix)
    return value, g @ b.T, a.T @ g


def init_student(rank, *, seed=SEED, scale=INIT_SCALE):
    """The seeded start: A (V x k) and B (k x V) with N(0, scale^2) entries.

    With the default scale the starting student is close to uniform in every
    context (its logits are small); a larger scale starts from a peaked one.
    """
    rank = _check_rank(rank)
    scale = positive_finite("scale", scale)
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, scale, (V, rank)), rng.normal(0.0, scale, (rank, V))


def _check_rank(rank):
    if isinstance(rank, (bool, np.bool_)) or not isinstance(rank, (int, np.integer)) or not 1 <= rank <= V:
        raise ValueError(f"`rank` must be an integer from 1 to {V}, got {rank!r}")
    return int(rank)


def fit_student(p, w, rank, objective="forward", mix=0.5, *, checkpoints=STEPS,
                learning_rate=LEARNING_RATE, seed=SEED, init_scale=INIT_SCALE):
    """Fit a rank-`rank` student to teacher rows `p` by plain gradient descent.

    Gradient descent on (A, B) with the fixed step `learning_rate`, from
    :func:`init_student` (seeded, so the fit is deterministic); the logits
    A @ B are recorded after each number of steps in `checkpoints`.

    Parameters
    ----------
    p : (V, V) array or (n, V, V) array
        Teacher rows; with a leading axis, n fits run together (one per
        teacher, with the same start), and `mix` may be an array of n weights.
    w : (V,) array
        Context weights.
    rank : int
        1 <= rank <= V.
    objective, mix
        As in :func:`row_divergence`.
    checkpoints : increasing ints >= 0
    learning_rate, seed, init_scale
        The fixed step, and the seed and scale of :func:`init_student`.

    Returns
    -------
    dict
        ``{steps: logits}``, logits of the shape of `p`.

    Raises
    ------
    ValueError
        For a bad `objective`, `mix`, `rank`, `p`, `learning_rate` or `checkpoints`.
    """
    rank = _check_rank(rank)
    p = np.asarray(p, dtype=float)
    for row in p.reshape(-1, V, V) if p.ndim == 3 else [p]:
        _rows("p", row)
    mixes = np.atleast_1d(np.asarray(mix, dtype=float))
    for m in mixes:
        _check_objective(objective, float(m))
    mix = mixes.reshape(-1, 1, 1) if p.ndim == 3 and mixes.size > 1 else float(mixes[0])
    w = np.asarray(w, dtype=float)
    lr = positive_finite("learning_rate", learning_rate)
    steps = list(checkpoints)
    if not steps or any(isinstance(s, bool) or int(s) != s or s < 0 for s in steps) or steps != sorted(steps):
        raise ValueError(f"`checkpoints` must be increasing integers >= 0, got {checkpoints!r}")
    a, b = init_student(rank, seed=seed, scale=init_scale)
    if p.ndim == 3:
        a, b = np.broadcast_to(a, p.shape[:1] + a.shape), np.broadcast_to(b, p.shape[:1] + b.shape)
    logp, wc = np.log(p), w[:, None]
    out, done = {}, 0
    for s in steps:
        for _ in range(int(s) - done):
            _, dz = _rows_and_grad(a @ b, p, logp, objective, mix, value=False)
            dz *= wc
            a, b = a - lr * (dz @ np.swapaxes(b, -1, -2)), b - lr * (np.swapaxes(a, -1, -2) @ dz)
        done = int(s)
        out[int(s)] = a @ b
    return out


# ------------------------------------------------------------------- state

@dataclass(frozen=True)
class DistillState:
    """One fitted student and what the app shows of it.

    Attributes
    ----------
    rank, objective, mix, temperature, steps
        The controls (``steps``: gradient-descent steps from the seeded start).
    teacher : ndarray
        P_T, the teacher softened by T (rows = contexts); the fit's target.
    student : ndarray
        Q, the student's next-character distributions.
    weights : ndarray
        The context weights w (stationary distribution of the T = 1 teacher).
    forward_kl, reverse_kl : float
        sum_c w_c D(P_T,c||Q_c) and sum_c w_c D(Q_c||P_T,c).
    head_mass : float
        sum_c w_c Q(head(c)|c): the student's mass on the T = 1 teacher's top
        :data:`HEAD_SIZE` characters.
    tail_mass : float
        sum_c w_c Q(tail(c)|c), tail(c) = {x : P(x|c) < IMPLAUSIBLE}: how often
        the student, fed the teacher's contexts, samples a character the
        T = 1 teacher finds implausible.
    teacher_head, teacher_tail : float
        The same masses under P_T.
    """

    rank: int
    objective: str
    mix: float
    temperature: float
    steps: int | None
    teacher: np.ndarray
    student: np.ndarray
    weights: np.ndarray
    forward_kl: float
    reverse_kl: float
    head_mass: float
    tail_mass: float
    teacher_head: float
    teacher_tail: float


def masses(q, w=None):
    """(head mass, tail mass) of rows `q` under context weights `w` (default: the teacher's)."""
    w = context_weights() if w is None else w
    head, tail = head_sets()
    return float(w @ np.where(head, q, 0.0).sum(axis=1)), float(w @ np.where(tail, q, 0.0).sum(axis=1))


@functools.lru_cache(maxsize=64)
def _batch(rank, objective):
    """Every lattice fit of one (rank, objective), run as one batch of gradient descents:
    ``{(mix, temperature): {steps: logits}}``."""
    mixes = MIXES if objective in ("jsd", "skew") else (0.0,)
    keys = [(m, t) for m in mixes for t in TEMPERATURES]
    p = np.stack([soften(teacher(), t) for _, t in keys])
    fits = fit_student(p, context_weights(), rank, objective,
                       np.array([m for m, _ in keys]) if len(mixes) > 1 else mixes[0])
    return {key: {s: logits[i] for s, logits in fits.items()} for i, key in enumerate(keys)}


def _fits(rank, objective, mix, temperature):
    return _batch(rank, objective)[(mix, temperature)]


def _norm_mix(objective, mix):
    return float(mix) if objective in ("jsd", "skew") else 0.0


def distill_state(rank=4, objective="forward", mix=0.5, temperature=1.0, steps=STEPS[-1]):
    """The app's state: the rank-`rank` student fitted by `objective` after `steps`.

    Parameters
    ----------
    rank : int
        The student's rank, one of :data:`RANKS`.
    objective : {"forward", "reverse", "jsd", "skew"}
    mix : float
        beta of "jsd" or alpha of "skew", one of :data:`MIXES` (ignored otherwise).
    temperature : float
        T of the softened teacher P_T, one of :data:`TEMPERATURES`.
    steps : int
        Gradient-descent steps, one of :data:`STEPS`.

    Returns
    -------
    DistillState

    Raises
    ------
    ValueError
        For a control off the lattice, naming it.

    Examples
    --------
    >>> st = distill_state(27, "forward")
    >>> bool(st.forward_kl < 1e-3 and st.reverse_kl < 1e-3)
    True
    """
    if rank not in RANKS:
        raise ValueError(f"`rank` must be one of {', '.join(map(str, RANKS))}, got {rank!r}")
    _check_objective(objective, mix)
    mix = _norm_mix(objective, mix)
    if objective in ("jsd", "skew") and mix not in MIXES:
        raise ValueError(f"`mix` must be one of {', '.join(map(str, MIXES))}, got {mix!r}")
    if temperature not in TEMPERATURES:
        raise ValueError(f"`temperature` must be one of {', '.join(map(str, TEMPERATURES))}, "
                         f"got {temperature!r}")
    if steps not in STEPS:
        raise ValueError(f"`steps` must be one of {', '.join(map(str, STEPS))}, got {steps!r}")
    return _state(int(rank), objective, mix, float(temperature), steps)


@functools.lru_cache(maxsize=16)
def _softened(temperature):
    pt = soften(teacher(), temperature)
    pt.setflags(write=False)
    return pt, np.log(pt), masses(pt)


@functools.lru_cache(maxsize=4096)
def _state(rank, objective, mix, temperature, steps):
    pt, logp, (t_head, t_tail) = _softened(temperature)
    w = context_weights()
    logq, q = _log_softmax(_fits(rank, objective, mix, temperature)[steps])
    head, tail = masses(q, w)
    # In log space: a student probability may underflow to 0, its log stays finite.
    return DistillState(rank=rank, objective=objective, mix=mix, temperature=temperature, steps=steps,
                        teacher=pt, student=q, weights=w,
                        forward_kl=float(w @ np.sum(pt * (logp - logq), axis=1)),
                        reverse_kl=float(w @ np.sum(q * (logq - logp), axis=1)),
                        head_mass=head, tail_mass=tail, teacher_head=t_head, teacher_tail=t_tail)


def prewarm():
    """Fit the whole lattice now (a few seconds), so that every later state is a look-up."""
    for rank in RANKS:
        for objective in ("forward", "reverse", "jsd"):
            _batch(rank, objective)


def lattice():
    """Every (rank, objective, mix, temperature) of the app's lattice, in the explorer's order."""
    out = []
    for rank in RANKS:
        for objective, mix in objective_variants():
            for t in TEMPERATURES:
                out.append((rank, objective, mix, t))
    return out


def objective_variants():
    """(objective, mix) pairs of the app's lattice: forward, reverse, then jsd at each of MIXES."""
    return [("forward", 0.0), ("reverse", 0.0)] + [("jsd", m) for m in MIXES]


# ----------------------------------------------------------- early training

def gaps(q, p=None, w=None):
    """How far student rows `q` are from teacher rows `p` on the head and on the tail.

    Returns ``(head_gap, tail_gap)``: sum_c w_c sum_{x in head(c)} |q - p| and
    the same sum over tail(c) (head and tail from the T = 1 teacher).
    """
    p = teacher() if p is None else p
    w = context_weights() if w is None else w
    head, tail = head_sets()
    err = np.abs(q - p)
    return float(w @ np.where(head, err, 0.0).sum(axis=1)), float(w @ np.where(tail, err, 0.0).sum(axis=1))


# ----------------------------------------------------------- sequence level

def _start():
    return ALPHABET.index(SEQ_START)


def marginals(q, *, length=SEQ_LENGTH):
    """State marginals of the chain with transition rows `q` started at :data:`SEQ_START`.

    ``m[t]`` is the distribution of x_t for t = 0 .. length - 1 (x_0 is the
    start); position t's next character x_{t+1} is drawn from q(.|x_t).
    """
    m = np.zeros((length, q.shape[-1]))
    m[0, _start()] = 1.0
    for t in range(1, length):
        m[t] = m[t - 1] @ q
    return m


def _weighted(m, rows):
    # 0 * (anything) = 0: a context the chain never reaches does not count.
    return np.where(m > 0, m * rows, 0.0).sum(axis=-1)


def per_position(p, logits, *, prefixes="student", direction="forward", length=SEQ_LENGTH):
    """Per-position KL between next-character distributions, averaged over prefixes.

    Position t's value is E[D(P(.|x_t)||Q(.|x_t))] (``direction="forward"``) or
    E[D(Q(.|x_t)||P(.|x_t))] (``"reverse"``), with x_t from the student's
    own rollouts (``prefixes="student"``: where the student is used) or from
    the teacher's chain (``"teacher"``: what supervised KD trains on). The
    student is given by its `logits` (Q = softmax of each row), so the
    divergences stay finite where a probability underflows.
    """
    if prefixes not in ("student", "teacher"):
        raise ValueError(f"`prefixes` must be 'student' or 'teacher', got {prefixes!r}")
    if direction not in ("forward", "reverse"):
        raise ValueError(f"`direction` must be 'forward' or 'reverse', got {direction!r}")
    p = _rows("p", p)
    logq, q = _log_softmax(np.asarray(logits, dtype=float))
    logp = np.log(p)
    rows = np.sum(p * (logp - logq), axis=1) if direction == "forward" else np.sum(q * (logq - logp), axis=1)
    return _weighted(marginals(q if prefixes == "student" else p, length=length), rows)


def sequence_kl(p, logits, direction="forward", *, length=SEQ_LENGTH):
    """KL between the two chains' distributions over sequences x_1..x_length, x_0 = SEQ_START.

    ``"forward"``: D(P_seq||Q_seq) = sum_t E_{x_t ~ P}[D(P(.|x_t)||Q(.|x_t))];
    ``"reverse"``: D(Q_seq||P_seq) = sum_t E_{x_t ~ Q}[D(Q(.|x_t)||P(.|x_t))]
    (the chain rule of KL; each prefix under the first argument's chain).
    """
    if direction not in ("forward", "reverse"):
        raise ValueError(f"`direction` must be 'forward' or 'reverse', got {direction!r}")
    prefixes = "teacher" if direction == "forward" else "student"
    return float(per_position(p, logits, prefixes=prefixes, direction=direction, length=length).sum())


def sequence_reverse_and_grad(logits, p, *, length=SEQ_LENGTH):
    """D(Q_seq||P_seq) and its exact gradient in the student's logits.

    The gradient includes the effect of Q on its own prefixes (the term a
    policy gradient estimates from samples, as in MiniLLM): with the
    cost-to-go v_t = r + Q v_{t+1}, r_c = D(Q_c||P_c), v_length = 0,
    dF/dQ[c, x] = sum_t m_t(c) (log Q[c, x] - log P[c, x] + 1 + v_{t+1}(x)),
    then through the softmax of each row.
    """
    logq, q = _log_softmax(np.asarray(logits, dtype=float))
    g_r = logq - np.log(p)
    r = np.sum(q * g_r, axis=1)
    m = marginals(q, length=length)
    v = np.zeros((length + 1, q.shape[0]))
    for t in range(length - 1, -1, -1):
        v[t] = r + q @ v[t + 1]
    u = m.sum(axis=0)
    g = u[:, None] * g_r + m.T @ v[1:]
    return float(u @ r), q * (g - np.sum(q * g, axis=1, keepdims=True))


def fit_sequence(p, rank, mode="teacher", *, length=SEQ_LENGTH, steps=SEQ_STEPS, seed=SEED):
    """Fit a rank-`rank` student to the teacher chain `p` at the sequence level.

    ``mode="teacher"``: minimise D(P_seq||Q_seq), forward KL on the teacher's
    sequences (supervised KD: a token-level forward fit with the teacher's
    prefix frequencies as context weights). ``"student"``: minimise
    D(Q_seq||P_seq) on the student's own sequences (on-policy; MiniLLM's
    objective), with its exact gradient. Plain gradient descent, `steps`
    steps of LEARNING_RATE / `length`, from :func:`init_student`.

    Returns
    -------
    ndarray
        The fitted student's logits (Q = softmax of each row).
    """
    rank = _check_rank(rank)
    p = _rows("p", p)
    if mode not in ("teacher", "student"):
        raise ValueError(f"`mode` must be 'teacher' or 'student', got {mode!r}")
    a, b = init_student(rank, seed=seed)
    lr = LEARNING_RATE / length
    w_teacher = marginals(p, length=length).sum(axis=0)[:, None]
    for _ in range(int(steps)):
        z = a @ b
        if mode == "teacher":
            dz = w_teacher * (_log_softmax(z)[1] - p)
        else:
            dz = sequence_reverse_and_grad(z, p, length=length)[1]
        a, b = a - lr * (dz @ b.T), b - lr * (a.T @ dz)
    return a @ b


def implausible_by_position(q, *, length=SEQ_LENGTH):
    """P(the chain `q` has taken a transition the T = 1 teacher finds implausible by position t).

    Exact, t = 1 .. length: the chance of never having taken one is a sum over
    the paths that avoid the tail, carried forward position by position.
    """
    _, tail = head_sets()
    safe = np.where(tail, 0.0, q)
    alive = np.zeros(q.shape[0])
    alive[_start()] = 1.0
    out = []
    for _ in range(length):
        alive = alive @ safe
        out.append(1.0 - alive.sum())
    return np.array(out)


def sample_sequences(q, n, *, length=SEQ_LENGTH, rng=0):
    """`n` seeded rollouts of the chain `q`: an (n, length + 1) array, x_0 = SEQ_START."""
    rng = np.random.default_rng(rng)
    x = np.empty((n, length + 1), dtype=int)
    x[:, 0] = _start()
    cdf = np.cumsum(q, axis=1)
    for t in range(1, length + 1):
        u = rng.random(n)
        x[:, t] = np.minimum((u[:, None] > cdf[x[:, t - 1]]).sum(axis=1), q.shape[0] - 1)
    return x


def decode(indices):
    """Indices back to text."""
    return "".join(ALPHABET[i] for i in indices)

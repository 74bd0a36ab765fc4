"""The state of the "rlhf" app: the KL-penalised reward objective on a discrete action set.

A policy pi over a few actions ("responses") maximises

    J(pi) = E_pi[r] - beta * D(pi || pi_ref),

where pi_ref is a fixed reference policy and r a reward. The penalty is a
*reverse* KL in the book's sense: the expectation is under pi, the model being
trained, and pi_ref plays the target: D(pi||pi_ref) = ``kl(pi, pi_ref)``. Its
maximiser is pi*(y) = pi_ref(y) exp(r(y) / beta) / Z with value beta log Z.
For contrast the module also maximises the forward-penalised objective
E_pi[r] - beta * D(pi_ref || pi) = ... - beta * ``kl(pi_ref, pi)``. This module
is numeric: it never imports matplotlib or ipywidgets.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize
from scipy.special import logsumexp

from ._divergence import kl

#: The reference policy over ten responses (sums to 1).
PI_REF = (0.25, 0.18, 0.14, 0.11, 0.09, 0.07, 0.06, 0.05, 0.03, 0.02)
#: Reward presets: in "distinct" the best response (index 6) is rare under
#: pi_ref; in "tie" responses 3 and 6 share the best reward.
REWARDS = {
    "distinct": (0.2, 0.5, 0.1, 0.8, 0.3, 0.6, 1.0, 0.4, 0.0, 0.7),
    "tie": (0.2, 0.5, 0.1, 1.0, 0.3, 0.6, 1.0, 0.4, 0.0, 0.7),
}
PRESETS = tuple(REWARDS)
#: The app's beta lattice: 25 values, log-spaced from 0.01 to 100 (6 per decade).
BETAS = tuple(float(10.0 ** (-2 + k / 6)) for k in range(25))
#: A finer beta grid for the frontier curve drawn behind the current point.
FRONTIER_BETAS = tuple(float(10.0 ** (-2 + k / 30)) for k in range(121))


@dataclass(frozen=True)
class RlhfState:
    """The optimum of E_pi[r] - beta D(pi||pi_ref) at one beta.

    Attributes
    ----------
    beta : float
        The penalty weight.
    ref, rewards : ndarray
        pi_ref and r.
    pi_star : ndarray
        The maximiser pi* = pi_ref exp(r / beta) / Z of the reverse-penalised
        objective (penalty D(pi||pi_ref) = ``kl(pi, pi_ref)``).
    expected_reward : float
        E_{pi*}[r].
    kl : float
        D(pi*||pi_ref) = ``kl(pi_star, ref)``, the reverse KL paid.
    log_z : float
        log Z = log sum_y pi_ref(y) exp(r(y) / beta).
    value : float
        The optimal objective, beta log Z = E_{pi*}[r] - beta D(pi*||pi_ref).
    pi_forward : ndarray
        The maximiser of the forward-penalised objective
        E_pi[r] - beta D(pi_ref||pi) (:func:`forward_penalty_optimum`).
    """

    beta: float
    ref: np.ndarray
    rewards: np.ndarray
    pi_star: np.ndarray
    expected_reward: float
    kl: float
    log_z: float
    value: float
    pi_forward: np.ndarray


def _check(rewards, ref, beta):
    beta = float(beta)
    if not (math.isfinite(beta) and beta > 0):
        raise ValueError(f"`beta` must be a finite number > 0, got {beta!r}")
    r = np.asarray(rewards, dtype=float)
    p = np.asarray(ref, dtype=float)
    if r.ndim != 1 or r.size < 2 or not np.all(np.isfinite(r)):
        raise ValueError(f"`rewards` must be a 1-D array of at least 2 finite numbers, got {rewards!r}")
    if p.shape != r.shape:
        raise ValueError(f"`ref` must have the shape of `rewards` {r.shape}, got {p.shape}")
    if np.any(p <= 0) or not np.all(np.isfinite(p)) or abs(p.sum() - 1.0) > 1e-9:
        raise ValueError(f"`ref` must be positive and sum to 1, got {ref!r}")
    return r, p, beta


def gibbs_policy(rewards, ref, beta):
    """The maximiser of E_pi[r] - beta D(pi||pi_ref) and its log-normaliser.

    The penalty is the reverse KL D(pi||pi_ref) = sum pi log(pi / pi_ref),
    expectation under the trained policy pi. By the Gibbs variational
    principle the maximiser is the tilted reference policy.

    Parameters
    ----------
    rewards : 1-D array-like
        r(y) for each action, finite.
    ref : 1-D array-like
        pi_ref(y) > 0, summing to 1 (within 1e-9).
    beta : float
        Penalty weight, > 0.

    Returns
    -------
    pi_star : ndarray
        pi*(y) = pi_ref(y) exp(r(y) / beta) / Z.
    log_z : float
        log Z, computed stably (``logsumexp``).

    Raises
    ------
    ValueError
        For a bad `rewards`, `ref` or `beta`, naming the value.

    Notes
    -----
    .. math::

        \\pi^*(y) = \\frac{\\pi_{\\mathrm{ref}}(y)\\, e^{r(y)/\\beta}}{Z}, \\qquad
        \\max_\\pi \\; \\mathbb{E}_\\pi[r] - \\beta D(\\pi\\|\\pi_{\\mathrm{ref}}) = \\beta \\log Z.

    Examples
    --------
    >>> pi, log_z = gibbs_policy([0.0, 1.0], [0.5, 0.5], 1.0)
    >>> [round(float(v), 4) for v in pi]
    [0.2689, 0.7311]
    """
    r, p, beta = _check(rewards, ref, beta)
    logits = np.log(p) + r / beta
    log_z = float(logsumexp(logits))
    return np.exp(logits - log_z), log_z


def forward_penalty_optimum(rewards, ref, beta):
    """The maximiser of E_pi[r] - beta D(pi_ref||pi): the *forward*-KL penalty.

    Here the expectation in the penalty is under pi_ref, not under the trained
    pi (``kl(ref, pi)``). The objective is concave in pi; setting the gradient
    of the Lagrangian to zero gives pi(y) = beta pi_ref(y) / (lam - r(y)) with
    the scalar lam > max r fixed by sum pi = 1, found by ``brentq``. Every
    action with pi_ref > 0 keeps mass: the optimum covers pi_ref's support.

    Parameters
    ----------
    rewards, ref, beta
        As in :func:`gibbs_policy`.

    Returns
    -------
    ndarray
        The maximising policy.

    Raises
    ------
    ValueError
        For a bad `rewards`, `ref` or `beta`.

    Examples
    --------
    >>> pi = forward_penalty_optimum([0.0, 1.0], [0.5, 0.5], 1.0)
    >>> bool(pi[1] > 0.5 and pi[0] > 0.25)
    True
    """
    r, p, beta = _check(rewards, ref, beta)
    gap = (r.max() - r) / beta
    best = gap == 0

    # lam = max r + beta s; s in (0, 1]: sum of p / (s + gap) is > 1 at half the
    # argmax mass and <= 1 at s = 1.
    def excess(s):
        return float(np.sum(p / (s + gap))) - 1.0

    s = optimize.brentq(excess, 0.5 * p[best].sum(), 1.0, xtol=1e-300, rtol=4 * np.finfo(float).eps,
                        maxiter=500)
    pi = p / (s + gap)
    return pi / pi.sum()


def rlhf_state(beta, preset="distinct"):
    """The app's state: both optima at one beta for one reward preset.

    Parameters
    ----------
    beta : float
        Penalty weight, > 0.
    preset : {"distinct", "tie"}
        The reward vector (:data:`REWARDS`); pi_ref is :data:`PI_REF`.

    Returns
    -------
    RlhfState
        pi*, E_{pi*}[r], D(pi*||pi_ref) = ``kl(pi_star, ref)`` (reverse KL),
        log Z, beta log Z and the forward-penalty optimum.

    Raises
    ------
    ValueError
        For an unknown `preset` or a bad `beta`.

    Examples
    --------
    >>> st = rlhf_state(1.0)
    >>> abs(st.value - (st.expected_reward - st.kl)) < 1e-12
    True
    """
    if preset not in REWARDS:
        raise ValueError(f"`preset` must be one of {', '.join(PRESETS)}, got {preset!r}")
    r, p = np.array(REWARDS[preset]), np.array(PI_REF)
    pi, log_z = gibbs_policy(r, p, beta)
    beta = float(beta)
    return RlhfState(beta=beta, ref=p, rewards=r, pi_star=pi,
                     expected_reward=float(pi @ r), kl=float(kl(pi, p)), log_z=log_z,
                     value=beta * log_z, pi_forward=forward_penalty_optimum(r, p, beta))


@functools.lru_cache(maxsize=128)
def frontier(preset="distinct"):
    """The reward-KL frontier: (D(pi*||pi_ref), E_{pi*}[r]) over :data:`FRONTIER_BETAS`.

    Returns
    -------
    tuple of two tuples
        The reverse KLs and the expected rewards, in the order of the betas.
    """
    states = [rlhf_state(b, preset) for b in FRONTIER_BETAS]
    return tuple(s.kl for s in states), tuple(s.expected_reward for s in states)


@functools.lru_cache(maxsize=128)
def lattice_state(beta, preset):
    """:func:`rlhf_state`, cached (the live app revisits lattice points)."""
    return rlhf_state(beta, preset)

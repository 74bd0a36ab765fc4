"""Kernel-free explorer data of the "rlhf" app (see :mod:`klbook._apps_rlhf`).

For every (preset, beta) of the lattice: pi* (the maximiser of
E_pi[r] - beta D(pi||pi_ref), a reverse-KL penalty), E_{pi*}[r],
D(pi*||pi_ref), log Z and the forward-penalty optimum; per preset, the
frontier curve (D(pi*||pi_ref), E_{pi*}[r]) on a finer beta grid. The page
only looks these up and draws bars, a curve and a marker.
"""

from . import _apps_rlhf as A
from . import explorers
from .explorers import _r


def rlhf_data() -> dict:
    """The lattice of states, as plain JSON values (numbers rounded by ``_r``).

    ``states[i_preset * len(betas) + i_beta]`` is
    ``[pi_star, expected_reward, kl, log_z, pi_forward]``.
    """
    states = []
    for preset in A.PRESETS:
        for beta in A.BETAS:
            st = A.rlhf_state(beta, preset)
            states.append([[_r(v) for v in st.pi_star], _r(st.expected_reward), _r(st.kl),
                           _r(st.log_z), [_r(v) for v in st.pi_forward]])
    return {"betas": [_r(b) for b in A.BETAS], "presets": list(A.PRESETS),
            "ref": list(A.PI_REF), "rewards": [list(A.REWARDS[p]) for p in A.PRESETS],
            "frontier": [[[_r(v) for v in curve] for curve in A.frontier(p)] for p in A.PRESETS],
            "states": states}


explorers.register("rlhf", rlhf_data,
                   "The KL penalty in RLHF: π* ∝ π_ref exp(r/β) as β varies", labels=A.PRESETS)

"""Kernel-free explorer data of the "distill" app (see :mod:`klbook._apps_distill`).

For every (rank, objective, temperature, steps) of the lattice: the student's
next-character probabilities after a space (in the display order: by T = 1
teacher probability), D(P_T||Q) and D(Q||P_T) averaged over the teacher's
contexts, and the student's mass on the teacher's head and tail. Per
temperature: the softened teacher's bars and masses. The page only looks
these up and draws bars.
"""

from . import _apps_distill as A
from . import explorers
from .explorers import _r


def distill_data() -> dict:
    """The lattice of states, as plain JSON values (numbers rounded by ``_r``).

    ``states[((i_rank * n_variants + i_variant) * n_temperatures + i_t) * n_steps + i_steps]``
    is ``[student_bars, forward_kl, reverse_kl, head_mass, tail_mass]``; the
    variants are :func:`klbook._apps_distill.objective_variants` (forward,
    reverse, then JSD at each beta).
    """
    c = A.ALPHABET.index(A.SHOWN_CONTEXT)
    order = A.display_order()
    states = []
    for rank, objective, mix, t in A.lattice():
        for steps in A.STEPS:
            st = A.distill_state(rank, objective, mix, t, steps)
            states.append([[_r(v) for v in st.student[c, order]], _r(st.forward_kl), _r(st.reverse_kl),
                           _r(st.head_mass), _r(st.tail_mass)])
    teachers = [A.distill_state(A.RANKS[0], "forward", 0.0, t, 0) for t in A.TEMPERATURES]
    p_head, p_tail = A.masses(A.teacher())
    return {"chars": [A.ALPHABET[i] for i in order], "context": A.SHOWN_CONTEXT,
            "ranks": list(A.RANKS), "variants": [[o, m] for o, m in A.objective_variants()],
            "mixes": list(A.MIXES), "temperatures": list(A.TEMPERATURES), "steps": list(A.STEPS),
            "implausible": A.IMPLAUSIBLE, "head_size": A.HEAD_SIZE,
            "teacher": [[_r(v) for v in st.teacher[c, order]] for st in teachers],
            "teacher_masses": [[_r(st.teacher_head), _r(st.teacher_tail)] for st in teachers],
            "p_masses": [_r(p_head), _r(p_tail)], "states": states}


explorers.register("distill", distill_data,
                   "Distilling a bigram teacher into a low-rank student: forward, reverse, JSD")

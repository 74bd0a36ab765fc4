"""Kernel-free explorer data of the mean-field app (see :mod:`klbook.explorers`).

The app's state (:func:`klbook._apps_meanfield.meanfield_state`) on a lattice
of (rho, s1, s2). Per lattice point the page gets the two diagonal fits'
variances and the two minimised divergences: the forward fit minimises
D(P||Q), the reverse fit D(Q||P). The script draws P's covariance ellipses
from (rho, s1, s2) and the fits' ellipses from these variances.
"""

from . import explorers
from ._apps_meanfield import meanfield_state
from .explorers import _lattice, _r

#: The lattice the page's controls snap to.
MEANFIELD_RHO = (-0.95, 0.95, 0.05)
MEANFIELD_SD = (0.5, 2.0, 0.25)
#: The axes' half-width: the 2-sd ellipse of the widest P (sd 2) fits inside.
MEANFIELD_LIM = 4.5


def meanfield_data():
    """The lattice of states: ``states[(i_rho * n + i_s1) * n + i_s2]`` with n = len(s).

    Each state is ``[forward var 1, forward var 2, reverse var 1, reverse var 2,
    D(P||Q_forward), D(Q_reverse||P)]``; ``bound[i_rho]`` is ``-1/2 log(1 - rho²)``.
    """
    rhos, sds = _lattice(*MEANFIELD_RHO), _lattice(*MEANFIELD_SD)
    states, bound = [], []
    for rho in rhos:
        for s1 in sds:
            for s2 in sds:
                st = meanfield_state(rho, s1, s2)
                fv, rv = st.forward_var, st.reverse_var
                states.append([_r(fv[0]), _r(fv[1]), _r(rv[0]), _r(rv[1]),
                               _r(st.d_forward), _r(st.d_reverse)])
        bound.append(_r(meanfield_state(rho, 1.0, 1.0).coincidence))
    return {"rho": rhos, "s": sds, "states": states, "bound": bound, "lim": MEANFIELD_LIM}


explorers.register("meanfield", meanfield_data,
                   "Mean field: a correlated 2-D Normal P and its factorized forward and reverse fits")

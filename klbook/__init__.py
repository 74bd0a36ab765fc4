"""klbook: exact, fast KL divergences and Q-to-P fits for the book
"Forward KL vs Reverse KL".

P is the target and Q the model throughout: the forward KL is D(P||Q) =
``kl(P, Q)`` and the reverse KL is D(Q||P) = ``kl(Q, P)``.
"""

from ._distributions import Categorical, Mixture, Normal
from ._multivariate import MultivariateNormal
from ._divergence import cross_entropy, entropy, forward_kl, kl, reverse_kl
from ._alpha import alpha_divergence
from ._estimate import kl_estimate, reverse_kl_gradient, reverse_kl_gradient_samples
from ._fit import FitResult, Thresholds, fit, kl_surface, reverse_optima, symmetric_reverse_thresholds
from .plotting import PALETTE, style

__all__ = [
    "Categorical",
    "FitResult",
    "Thresholds",
    "Mixture",
    "MultivariateNormal",
    "Normal",
    "PALETTE",
    "alpha_divergence",
    "cross_entropy",
    "entropy",
    "fit",
    "forward_kl",
    "kl",
    "kl_estimate",
    "kl_surface",
    "reverse_kl",
    "reverse_kl_gradient",
    "reverse_kl_gradient_samples",
    "reverse_optima",
    "style",
    "symmetric_reverse_thresholds",
]

# In a book build with KLBOOK_FIGURE_LANGS set (make book), figures also carry
# their translated PNGs for the Korean edition; elsewhere this does nothing.
from .i18n import install_figure_formatter as _install_figure_formatter  # noqa: E402

_install_figure_formatter()

"""Input checks shared by every layer: each raises ``ValueError`` naming the
parameter, the rule it breaks and the value it got."""

import math
import numbers

import numpy as np

#: How far a probability vector's sum may stray from 1 before it is rejected.
SUM_TOL = 1e-9


def positive_finite(name, value):
    """Return ``value`` as a float if it is a finite number > 0."""
    x = real_finite(name, value, rule="a positive finite number")
    if not x > 0:
        raise ValueError(f"`{name}` must be a positive finite number, got {value!r}")
    return x


def real_finite(name, value, *, rule="a finite real number"):
    """Return ``value`` as a float if it is a finite real number."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise ValueError(f"`{name}` must be {rule}, got {value!r}")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"`{name}` must be {rule}, got {value!r}")
    return x


def probability_vector(name, values, *, normalize=False):
    """Return a 1-D float array of probabilities that sum to 1.

    With ``normalize=True`` a non-negative vector with a positive, finite sum
    is divided by its sum; otherwise a sum off 1 by more than ``SUM_TOL`` is
    an error, so a reader's slip is reported rather than hidden.
    """
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a 1-D array of probabilities, got {values!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"`{name}` must be a non-empty 1-D array of probabilities, got {values!r}")
    bad = ~np.isfinite(arr)
    if bad.any():
        raise ValueError(f"`{name}` must be finite, got {float(arr[bad][0])!r} in {values!r}")
    if (arr < 0).any():
        raise ValueError(f"`{name}` must be non-negative, got {float(arr[arr < 0][0])!r} in {values!r}")
    total = float(arr.sum())
    if normalize:
        if not total > 0:
            raise ValueError(f"`{name}` must have a positive sum to be normalized, got {values!r}")
        return arr / total
    if abs(total - 1.0) > SUM_TOL:
        raise ValueError(
            f"`{name}` must sum to 1 (pass normalize=True to rescale), got sum {total!r} for {values!r}"
        )
    return arr


def log_base(base):
    """Return the divisor that turns nats into units of ``base`` (1 for nats)."""
    if base is None:
        return 1.0
    b = positive_finite("base", base)
    if b == 1.0:
        raise ValueError(f"`base` must be a positive finite number other than 1, got {base!r}")
    return math.log(b)

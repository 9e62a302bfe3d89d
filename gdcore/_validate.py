"""Argument checks shared by every public function.

Each check raises a ValueError or TypeError whose message names the argument and
the value it got, in the style of torch.optim: ``lr must be positive and finite,
got -0.1``.
"""

from __future__ import annotations

import math
from numbers import Integral, Real

import numpy as np


def check_real(value, name: str) -> float:
    """Return ``value`` as a float, or raise TypeError if it is not a real number."""
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    return float(value)


def check_finite(value, name: str) -> float:
    """A real, finite number (w, b, a point x)."""
    value = check_real(value, name)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    return value


def check_positive(value, name: str) -> float:
    """A real number that is finite and > 0 (a learning rate, a step size h)."""
    value = check_real(value, name)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be positive and finite, got {value}")
    return value


def check_nonnegative(value, name: str) -> float:
    """A real number that is finite and >= 0 (eps, a decay constant)."""
    value = check_real(value, name)
    if not (math.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be non-negative and finite, got {value}")
    return value


def check_unit_interval(value, name: str) -> float:
    """A decay rate in [0, 1): beta, beta1, beta2, rho."""
    value = check_real(value, name)
    if not (0.0 <= value < 1.0):
        raise ValueError(f"{name} must be in [0, 1), got {value}")
    return value


def check_bool(value, name: str) -> bool:
    """A flag: True or False (not "no", not 0)."""
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} must be a bool, got {value!r}")
    return bool(value)


def check_int(value, name: str, *, minimum: int | None = None) -> int:
    """An integer (not a bool), optionally at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, Integral):
        raise TypeError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def as_array(value, name: str, *, ndim: int | None = None) -> np.ndarray:
    """A finite, non-empty float array (a copy is never taken when not needed).

    Booleans are refused, as in ``check_real``: [True, False] is more likely a
    mask passed by mistake than the numbers 1 and 0.
    """
    try:
        if np.asarray(value).dtype == bool:
            raise TypeError
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"{name} must be array-like of numbers, got {value!r}") from exc
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(
            f"{name} must be {ndim}-D, got shape {arr.shape} ({arr.ndim}-D)"
        )
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def check_same_shape(a: np.ndarray, a_name: str, b: np.ndarray, b_name: str) -> None:
    """Raise ValueError when two arrays that must match in shape do not."""
    if a.shape != b.shape:
        raise ValueError(
            f"{a_name} and {b_name} must have the same shape, "
            f"got {a.shape} and {b.shape}"
        )


def check_X_y(X, y) -> tuple[np.ndarray, np.ndarray]:
    """A design matrix X of shape (N, d) and targets y of shape (N,), both finite."""
    X = as_array(X, "X", ndim=2)
    y = as_array(y, "y", ndim=1)
    if y.shape != (X.shape[0],):
        raise ValueError(
            f"y must have length X.shape[0] = {X.shape[0]} (one target per row "
            f"of X), got shape {y.shape}"
        )
    return X, y

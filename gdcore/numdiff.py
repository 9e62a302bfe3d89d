"""Derivatives by finite differences: the check on every hand-written gradient.

    forward:  f′(x) ≈ (f(x + h) − f(x)) / h          error ≈ (h/2)·f″(x)
    central:  f′(x) ≈ (f(x + h) − f(x − h)) / (2h)   error ≈ (h²/6)·f‴(x)

For f(x) = x² the forward quotient is exactly ((x + h)² − x²)/h = 2x + h, which
tends to f′(x) = 2x as h → 0. In floating point h cannot shrink forever: the
rounding error of the quotient grows like ε·|f(x)|/h (ε ≈ 2.2e−16).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_finite, check_positive


def _check_callable(f, name: str) -> None:
    if not callable(f):
        raise TypeError(f"{name} must be callable, got {f!r}")


def _scalar(value, label: str) -> float:
    """The value of f at one point, as a finite float."""
    value = np.asarray(value, dtype=float)
    if value.shape != ():
        raise ValueError(f"{label} must be a scalar, got shape {value.shape}")
    if not np.isfinite(value):
        raise ValueError(f"{label} must be finite, got {value}")
    return float(value)


def _vector(value, d: int, label: str) -> np.ndarray:
    """The value of a gradient at one point, as a finite array of shape (d,)."""
    value = np.asarray(value, dtype=float)
    if value.shape != (d,):
        raise ValueError(f"{label} must have shape ({d},), got shape {value.shape}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{label} must be finite, got {value}")
    return value


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """f′(x) ≈ (f(x + h) − f(x)) / h."""
    _check_callable(f, "f")
    x = check_finite(x, "x")
    h = check_positive(h, "h")
    return (_scalar(f(x + h), "f(x + h)") - _scalar(f(x), "f(x)")) / h


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """f′(x) ≈ (f(x + h) − f(x − h)) / (2h)."""
    _check_callable(f, "f")
    x = check_finite(x, "x")
    h = check_positive(h, "h")
    return (_scalar(f(x + h), "f(x + h)") - _scalar(f(x - h), "f(x - h)")) / (2 * h)


def numerical_gradient(
    f: Callable[[np.ndarray], float], theta: ArrayLike, h: float = 1e-6
) -> np.ndarray:
    """gᵢ ≈ (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / (2h), eᵢ the i-th unit vector."""
    _check_callable(f, "f")
    theta = as_array(theta, "theta", ndim=1)
    h = check_positive(h, "h")
    g = np.empty_like(theta)
    for i, e_i in enumerate(np.eye(theta.size)):
        f_plus = _scalar(f(theta + h * e_i), f"f(theta + h·e_{i})")
        f_minus = _scalar(f(theta - h * e_i), f"f(theta - h·e_{i})")
        g[i] = (f_plus - f_minus) / (2 * h)
    return g


def numerical_hessian(
    grad: Callable[[np.ndarray], ArrayLike], theta: ArrayLike, h: float = 1e-5
) -> np.ndarray:
    """H[:, j] ≈ (∇f(θ + h·eⱼ) − ∇f(θ − h·eⱼ)) / (2h), then H ← (H + Hᵀ)/2.

    A true Hessian is symmetric; averaging with the transpose removes the part
    of the difference that is only rounding and truncation error.
    """
    _check_callable(grad, "grad")
    theta = as_array(theta, "theta", ndim=1)
    h = check_positive(h, "h")
    d = theta.size
    H = np.empty((d, d))
    for j, e_j in enumerate(np.eye(d)):
        g_plus = _vector(grad(theta + h * e_j), d, f"grad(theta + h·e_{j})")
        g_minus = _vector(grad(theta - h * e_j), d, f"grad(theta - h·e_{j})")
        H[:, j] = (g_plus - g_minus) / (2 * h)
    return (H + H.T) / 2

"""Derivatives by finite differences: the check on every hand-written gradient.

    forward:  f′(x) ≈ (f(x + h) − f(x)) / h          error ≈ (h/2)·f″(x)
    central:  f′(x) ≈ (f(x + h) − f(x − h)) / (2h)   error ≈ (h²/6)·f‴(x)

For f(x) = x² the forward quotient is exactly ((x + h)² − x²)/h = 2x + h, which
tends to f′(x) = 2x as h → 0. In floating point h cannot shrink forever: the
rounding error of the quotient grows like ε·|f(x)|/h (ε ≈ 2.2e−16).

A quotient that overflows float64 (a difference, or 2h, beyond about 1.8e308)
raises FloatingPointError rather than returning inf or nan.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_finite, check_positive


def _check_callable(f, name: str) -> None:
    if not callable(f):
        raise TypeError(f"{name} must be callable, got {f!r}")


def _floats(value, label: str) -> np.ndarray:
    try:
        return np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"{label} must be a number, got {value!r}") from None


def _scalar(value, label: str) -> float:
    """The value of f at one point, as a finite float."""
    value = _floats(value, label)
    if value.shape != ():
        raise ValueError(f"{label} must be a scalar, got shape {value.shape}")
    if not np.isfinite(value):
        raise ValueError(f"{label} must be finite, got {value}")
    return float(value)


def _vector(value, d: int, label: str) -> np.ndarray:
    """The value of a gradient at one point, as a finite array of shape (d,)."""
    value = _floats(value, label)
    if value.shape != (d,):
        raise ValueError(f"{label} must have shape ({d},), got shape {value.shape}")
    if not np.all(np.isfinite(value)):
        raise ValueError(f"{label} must be finite, got {value}")
    return value


def _finite(quotient, h: float):
    """The quotient, unless it overflowed float64 (then FloatingPointError)."""
    if not np.all(np.isfinite(quotient)):
        raise FloatingPointError(
            f"the difference quotient overflowed float64: got {quotient} with h = {h}"
        )
    return quotient


def forward_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """f′(x) ≈ (f(x + h) − f(x)) / h."""
    _check_callable(f, "f")
    x = check_finite(x, "x")
    h = check_positive(h, "h")
    slope = (_scalar(f(x + h), "f(x + h)") - _scalar(f(x), "f(x)")) / h
    return _finite(slope, h)


def central_difference(f: Callable[[float], float], x: float, h: float = 1e-6) -> float:
    """f′(x) ≈ (f(x + h) − f(x − h)) / (2h)."""
    _check_callable(f, "f")
    x = check_finite(x, "x")
    h = check_positive(h, "h")
    slope = (_scalar(f(x + h), "f(x + h)") - _scalar(f(x - h), "f(x - h)")) / (2 * h)
    return _finite(slope, h)


def numerical_gradient(
    f: Callable[[np.ndarray], float], theta: ArrayLike, h: float = 1e-6
) -> np.ndarray:
    """gᵢ ≈ (f(θ + h·eᵢ) − f(θ − h·eᵢ)) / (2h), eᵢ the i-th unit vector."""
    _check_callable(f, "f")
    theta = as_array(theta, "theta", ndim=1)
    h = check_positive(h, "h")
    g = np.empty_like(theta)
    for i, e_i in enumerate(np.eye(theta.size)):
        with np.errstate(over="ignore"):  # θ ± h·eᵢ = ±inf: f must then refuse it
            theta_plus, theta_minus = theta + h * e_i, theta - h * e_i
        f_plus = _scalar(f(theta_plus), f"f(theta + h·e_{i})")
        f_minus = _scalar(f(theta_minus), f"f(theta - h·e_{i})")
        g[i] = (f_plus - f_minus) / (2 * h)  # Python floats: overflow gives inf
    return _finite(g, h)


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
        with np.errstate(over="ignore"):  # θ ± h·eⱼ = ±inf: grad must refuse it
            theta_plus, theta_minus = theta + h * e_j, theta - h * e_j
        g_plus = _vector(grad(theta_plus), d, f"grad(theta + h·e_{j})")
        g_minus = _vector(grad(theta_minus), d, f"grad(theta - h·e_{j})")
        with np.errstate(over="ignore", invalid="ignore"):  # checked by _finite
            H[:, j] = (g_plus - g_minus) / (2 * h)
    with np.errstate(over="ignore", invalid="ignore"):
        H = (H + H.T) / 2
    return _finite(H, h)

"""Losses for linear regression, with their gradients and Hessians.

The same math in two forms:

* design-matrix form: θ has shape (d,), X shape (N, d), y shape (N,);
  ŷ = Xθ,  e = ŷ − y,  MSE = (1/N) Σᵢ eᵢ²,  ∇MSE = (2/N) Xᵀe,  H = (2/N) XᵀX.
* one-feature form: the line ŷ = w·x + b, written with explicit sums so that it
  reads line by line beside the formulas of the house-price example.

The three losses differ only by a positive factor, SSE = N·MSE = 2N·half-MSE,
so they have the same minimiser; their gradients and Hessians carry the same
factor, which is absorbed by the learning rate.

Overflow: for a huge θ (a diverging run) the arithmetic can exceed float64. The
loss then comes back as inf and a gradient may hold inf or nan, without a
RuntimeWarning; callers that iterate check ``np.isfinite`` and stop.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_finite, check_same_shape, check_X_y


def _quiet() -> np.errstate:
    """Silence overflow warnings; the caller sees inf (or nan) instead."""
    return np.errstate(over="ignore", invalid="ignore")


def _check_theta(theta, X: np.ndarray) -> np.ndarray:
    theta = as_array(theta, "theta", ndim=1)
    if theta.shape != (X.shape[1],):
        raise ValueError(
            f"theta must have length X.shape[1] = {X.shape[1]} (one parameter "
            f"per column of X), got shape {theta.shape}"
        )
    return theta


def _errors(theta, X, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate the arguments; return X and the errors e = Xθ − y."""
    X, y = check_X_y(X, y)
    theta = _check_theta(theta, X)
    with _quiet():
        err = X @ theta - y
    return X, err


# ---------------------------------------------------------------- matrix form


def predict(theta: ArrayLike, X: ArrayLike) -> np.ndarray:
    """ŷ = Xθ."""
    X = as_array(X, "X", ndim=2)
    theta = _check_theta(theta, X)
    with _quiet():
        return X @ theta


def mse(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """MSE(θ) = (1/N) Σᵢ eᵢ²,  e = Xθ − y."""
    _, err = _errors(theta, X, y)
    with _quiet():
        return float(np.sum(err**2) / len(err))


def mse_grad(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """∇MSE(θ) = (2/N) Xᵀe,  e = Xθ − y."""
    X, err = _errors(theta, X, y)
    with _quiet():
        return 2 * (X.T @ err) / len(err)


def half_mse(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """half-MSE(θ) = (1/(2N)) Σᵢ eᵢ²  (the ½ cancels the 2 of the derivative)."""
    _, err = _errors(theta, X, y)
    with _quiet():
        return float(np.sum(err**2) / (2 * len(err)))


def half_mse_grad(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """∇half-MSE(θ) = (1/N) Xᵀe."""
    X, err = _errors(theta, X, y)
    with _quiet():
        return (X.T @ err) / len(err)


def sse(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """SSE(θ) = Σᵢ eᵢ²."""
    _, err = _errors(theta, X, y)
    with _quiet():
        return float(np.sum(err**2))


def sse_grad(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """∇SSE(θ) = 2 Xᵀe."""
    X, err = _errors(theta, X, y)
    with _quiet():
        return 2 * (X.T @ err)


def mse_hessian(X: ArrayLike) -> np.ndarray:
    """H = (2/N) XᵀX  (the same for every θ: the loss is quadratic)."""
    X = as_array(X, "X", ndim=2)
    with _quiet():
        return 2 * (X.T @ X) / X.shape[0]


def half_mse_hessian(X: ArrayLike) -> np.ndarray:
    """H = (1/N) XᵀX."""
    X = as_array(X, "X", ndim=2)
    with _quiet():
        return (X.T @ X) / X.shape[0]


def sse_hessian(X: ArrayLike) -> np.ndarray:
    """H = 2 XᵀX."""
    X = as_array(X, "X", ndim=2)
    with _quiet():
        return 2 * (X.T @ X)


LossFns = tuple[
    Callable[..., float], Callable[..., np.ndarray], Callable[..., np.ndarray]
]

LOSSES: dict[str, LossFns] = {
    "mse": (mse, mse_grad, mse_hessian),
    "half_mse": (half_mse, half_mse_grad, half_mse_hessian),
    "sse": (sse, sse_grad, sse_hessian),
}


def get_loss(name: str) -> LossFns:
    """The (value, grad, hessian) functions of the loss called ``name``."""
    if not isinstance(name, str) or name not in LOSSES:
        names = ", ".join(repr(key) for key in LOSSES)
        raise ValueError(f"loss must be one of {names}, got {name!r}")
    return LOSSES[name]


# ----------------------------------------------------------- one-feature form


def design_matrix(x: ArrayLike) -> np.ndarray:
    """X = [x, 1], shape (N, 2), so that Xθ = w·x + b for θ = (w, b)."""
    x = as_array(x, "x", ndim=1)
    return np.column_stack([x, np.ones_like(x)])


def _line_errors(w, b, x, y) -> tuple[np.ndarray, np.ndarray]:
    """Validate the arguments; return x and the errors eᵢ = w·xᵢ + b − yᵢ."""
    w = check_finite(w, "w")
    b = check_finite(b, "b")
    x = as_array(x, "x", ndim=1)
    y = as_array(y, "y", ndim=1)
    check_same_shape(x, "x", y, "y")
    with _quiet():
        err = w * x + b - y  # eᵢ = ŷᵢ − yᵢ
    return x, err


def line_mse(w: float, b: float, x: ArrayLike, y: ArrayLike) -> float:
    """L(w, b) = (1/N) Σᵢ (w·xᵢ + b − yᵢ)²."""
    x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        return float(np.sum(err**2) / n)


def line_mse_grad(
    w: float, b: float, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """∂L/∂w = (2/N) Σᵢ eᵢ·xᵢ,  ∂L/∂b = (2/N) Σᵢ eᵢ,  eᵢ = w·xᵢ + b − yᵢ."""
    x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        dw = 2 * np.sum(err * x) / n
        db = 2 * np.sum(err) / n
    return float(dw), float(db)


def line_half_mse(w: float, b: float, x: ArrayLike, y: ArrayLike) -> float:
    """L(w, b) = (1/(2N)) Σᵢ (w·xᵢ + b − yᵢ)²."""
    x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        return float(np.sum(err**2) / (2 * n))


def line_half_mse_grad(
    w: float, b: float, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """∂L/∂w = (1/N) Σᵢ eᵢ·xᵢ,  ∂L/∂b = (1/N) Σᵢ eᵢ."""
    x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        dw = np.sum(err * x) / n
        db = np.sum(err) / n
    return float(dw), float(db)


def line_sse(w: float, b: float, x: ArrayLike, y: ArrayLike) -> float:
    """L(w, b) = Σᵢ (w·xᵢ + b − yᵢ)²."""
    _, err = _line_errors(w, b, x, y)
    with _quiet():
        return float(np.sum(err**2))


def line_sse_grad(
    w: float, b: float, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """∂L/∂w = 2 Σᵢ eᵢ·xᵢ,  ∂L/∂b = 2 Σᵢ eᵢ."""
    x, err = _line_errors(w, b, x, y)
    with _quiet():
        dw = 2 * np.sum(err * x)
        db = 2 * np.sum(err)
    return float(dw), float(db)

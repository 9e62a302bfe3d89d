"""Losses for linear regression, with their gradients and Hessians.

The same math in two forms:

* design-matrix form: θ has shape (d,), X shape (N, d), y shape (N,);
  ŷ = Xθ,  e = ŷ − y,  MSE = (1/N) Σᵢ eᵢ²,  ∇MSE = (2/N) Xᵀe,  H = (2/N) XᵀX.
* one-feature form: the line ŷ = w·x + b, written with explicit sums so that it
  reads line by line beside the formulas of the house-price example.

The three losses differ only by a positive factor, SSE = N·MSE = 2N·half-MSE,
so they have the same minimiser; their gradients and Hessians carry the same
factor, which is absorbed by the learning rate.

Overflow: for a huge θ (a diverging run) the arithmetic can exceed float64
(about 1.8e308). Then no answer can be trusted: an overflowed Xθ may even hide a
cancellation (1e400 − 1e400), and a gradient would hold inf − inf = nan. So every
function raises FloatingPointError instead of returning inf or nan, and never
lets a RuntimeWarning out; ``gdcore.runs`` catches it and reports a divergence.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_finite, check_same_shape, check_X_y


def _quiet() -> np.errstate:
    """Silence overflow warnings: ``_finite`` checks the result instead."""
    return np.errstate(over="ignore", invalid="ignore")


def _finite(value, name: str, where: str, why: str = "is the run diverging?"):
    """``value`` if every entry is finite, else FloatingPointError (overflow)."""
    if not np.all(np.isfinite(value)):
        raise FloatingPointError(
            f"{name} overflowed float64 at {where}: the numbers are too large ({why})"
        )
    return value


def _at(theta: np.ndarray) -> str:
    return f"theta = {theta.tolist()}"


def _check_theta(theta, X: np.ndarray) -> np.ndarray:
    theta = as_array(theta, "theta", ndim=1)
    if theta.shape != (X.shape[1],):
        raise ValueError(
            f"theta must have length X.shape[1] = {X.shape[1]} (one parameter "
            f"per column of X), got shape {theta.shape}"
        )
    return theta


def _errors(theta, X, y) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validate the arguments; return θ, X and the errors e = Xθ − y."""
    X, y = check_X_y(X, y)
    theta = _check_theta(theta, X)
    with _quiet():
        err = X @ theta - y
    return theta, X, err


# ---------------------------------------------------------------- matrix form


def predict(theta: ArrayLike, X: ArrayLike) -> np.ndarray:
    """ŷ = Xθ."""
    X = as_array(X, "X", ndim=2)
    theta = _check_theta(theta, X)
    with _quiet():
        y_hat = X @ theta
    return _finite(y_hat, "predict", _at(theta))


def mse(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """MSE(θ) = (1/N) Σᵢ eᵢ²,  e = Xθ − y."""
    theta, _, err = _errors(theta, X, y)
    with _quiet():
        loss = np.sum(err**2) / len(err)
    return float(_finite(loss, "mse", _at(theta)))


def mse_grad(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """∇MSE(θ) = (2/N) Xᵀe,  e = Xθ − y."""
    theta, X, err = _errors(theta, X, y)
    with _quiet():
        g = 2 * (X.T @ err) / len(err)
    return _finite(g, "mse_grad", _at(theta))


def half_mse(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """half-MSE(θ) = (1/(2N)) Σᵢ eᵢ²  (the ½ cancels the 2 of the derivative)."""
    theta, _, err = _errors(theta, X, y)
    with _quiet():
        loss = np.sum(err**2) / (2 * len(err))
    return float(_finite(loss, "half_mse", _at(theta)))


def half_mse_grad(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """∇half-MSE(θ) = (1/N) Xᵀe."""
    theta, X, err = _errors(theta, X, y)
    with _quiet():
        g = (X.T @ err) / len(err)
    return _finite(g, "half_mse_grad", _at(theta))


def sse(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """SSE(θ) = Σᵢ eᵢ²."""
    theta, _, err = _errors(theta, X, y)
    with _quiet():
        loss = np.sum(err**2)
    return float(_finite(loss, "sse", _at(theta)))


def sse_grad(theta: ArrayLike, X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """∇SSE(θ) = 2 Xᵀe."""
    theta, X, err = _errors(theta, X, y)
    with _quiet():
        g = 2 * (X.T @ err)
    return _finite(g, "sse_grad", _at(theta))


def _finite_hessian(H, name: str, X: np.ndarray) -> np.ndarray:
    where = f"max |X| = {np.max(np.abs(X)):g}"
    return _finite(H, name, where, why="standardise the columns of X")


def mse_hessian(X: ArrayLike) -> np.ndarray:
    """H = (2/N) XᵀX  (the same for every θ: the loss is quadratic)."""
    X = as_array(X, "X", ndim=2)
    with _quiet():
        H = 2 * (X.T @ X) / X.shape[0]
    return _finite_hessian(H, "mse_hessian", X)


def half_mse_hessian(X: ArrayLike) -> np.ndarray:
    """H = (1/N) XᵀX."""
    X = as_array(X, "X", ndim=2)
    with _quiet():
        H = (X.T @ X) / X.shape[0]
    return _finite_hessian(H, "half_mse_hessian", X)


def sse_hessian(X: ArrayLike) -> np.ndarray:
    """H = 2 XᵀX."""
    X = as_array(X, "X", ndim=2)
    with _quiet():
        H = 2 * (X.T @ X)
    return _finite_hessian(H, "sse_hessian", X)


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


def _line_errors(w, b, x, y) -> tuple[str, np.ndarray, np.ndarray]:
    """Validate the arguments; return "w = …, b = …", x and eᵢ = w·xᵢ + b − yᵢ."""
    w = check_finite(w, "w")
    b = check_finite(b, "b")
    x = as_array(x, "x", ndim=1)
    y = as_array(y, "y", ndim=1)
    check_same_shape(x, "x", y, "y")
    with _quiet():
        err = w * x + b - y  # eᵢ = ŷᵢ − yᵢ
    return f"w = {w}, b = {b}", x, err


def line_mse(w: float, b: float, x: ArrayLike, y: ArrayLike) -> float:
    """L(w, b) = (1/N) Σᵢ (w·xᵢ + b − yᵢ)²."""
    at, x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        loss = np.sum(err**2) / n
    return float(_finite(loss, "line_mse", at))


def line_mse_grad(
    w: float, b: float, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """∂L/∂w = (2/N) Σᵢ eᵢ·xᵢ,  ∂L/∂b = (2/N) Σᵢ eᵢ,  eᵢ = w·xᵢ + b − yᵢ."""
    at, x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        dw = 2 * np.sum(err * x) / n
        db = 2 * np.sum(err) / n
    dw, db = _finite((dw, db), "line_mse_grad", at)
    return float(dw), float(db)


def line_half_mse(w: float, b: float, x: ArrayLike, y: ArrayLike) -> float:
    """L(w, b) = (1/(2N)) Σᵢ (w·xᵢ + b − yᵢ)²."""
    at, x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        loss = np.sum(err**2) / (2 * n)
    return float(_finite(loss, "line_half_mse", at))


def line_half_mse_grad(
    w: float, b: float, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """∂L/∂w = (1/N) Σᵢ eᵢ·xᵢ,  ∂L/∂b = (1/N) Σᵢ eᵢ."""
    at, x, err = _line_errors(w, b, x, y)
    n = len(x)
    with _quiet():
        dw = np.sum(err * x) / n
        db = np.sum(err) / n
    dw, db = _finite((dw, db), "line_half_mse_grad", at)
    return float(dw), float(db)


def line_sse(w: float, b: float, x: ArrayLike, y: ArrayLike) -> float:
    """L(w, b) = Σᵢ (w·xᵢ + b − yᵢ)²."""
    at, _, err = _line_errors(w, b, x, y)
    with _quiet():
        loss = np.sum(err**2)
    return float(_finite(loss, "line_sse", at))


def line_sse_grad(
    w: float, b: float, x: ArrayLike, y: ArrayLike
) -> tuple[float, float]:
    """∂L/∂w = 2 Σᵢ eᵢ·xᵢ,  ∂L/∂b = 2 Σᵢ eᵢ."""
    at, x, err = _line_errors(w, b, x, y)
    with _quiet():
        dw = 2 * np.sum(err * x)
        db = 2 * np.sum(err)
    dw, db = _finite((dw, db), "line_sse_grad", at)
    return float(dw), float(db)

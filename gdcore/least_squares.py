"""The exact least-squares answer that gradient descent should converge to.

For the line ŷ = w·x + b, setting both partial derivatives of SSE = Σᵢ eᵢ² to
zero (eᵢ = w·xᵢ + b − yᵢ) gives two linear equations, the normal equations:

    ∂SSE/∂w = 2 Σᵢ eᵢ·xᵢ = 0   ⇔   (Σx²)·w + (Σx)·b = Σxy
    ∂SSE/∂b = 2 Σᵢ eᵢ    = 0   ⇔   (Σx)·w  +   N·b  = Σy

In matrix form, for any design matrix X: XᵀX θ = Xᵀy. MSE and half-MSE are
positive multiples of SSE, so they have the same solution.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_same_shape, check_X_y


def _check_x_y(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = as_array(x, "x", ndim=1)
    y = as_array(y, "y", ndim=1)
    check_same_shape(x, "x", y, "y")
    return x, y


def _sums(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    """Σx, Σy, Σx², Σxy; ValueError if one of them overflows float64."""
    with np.errstate(over="ignore", invalid="ignore"):
        sums = np.sum(x), np.sum(y), np.sum(x**2), np.sum(x * y)
    if not np.all(np.isfinite(sums)):
        raise ValueError(
            f"x and y are too large for the sums Σx² and Σxy in float64, got "
            f"max |x| = {np.max(np.abs(x)):g} and max |y| = {np.max(np.abs(y)):g}; "
            "standardise them first"
        )
    return sums


def normal_equations_line(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The 2×2 system A·(w, b)ᵀ = c of the line fit.

    A = [[Σx², Σx],      c = [Σxy,
         [Σx,  N ]],          Σy ]
    """
    x, y = _check_x_y(x, y)
    n = len(x)
    sum_x, sum_y, sum_xx, sum_xy = _sums(x, y)
    A = np.array([[sum_xx, sum_x], [sum_x, n]])
    c = np.array([sum_xy, sum_y])
    return A, c


def fit_line(x: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    """The least-squares line (w, b), by Cramer's rule on the normal equations.

    det = N·Σx² − (Σx)²
    w   = (N·Σxy − Σx·Σy) / det
    b   = (Σx²·Σy − Σx·Σxy) / det

    det = N·Σ(xᵢ − x̄)² is zero exactly when all x are equal (no slope can be
    told apart). The raw sums lose digits when the spread of x is tiny next to
    its mean; standardise x or use ``fit_least_squares`` then.
    """
    x, y = _check_x_y(x, y)
    if np.all(x == x[0]):
        raise ValueError(
            f"x must contain at least two different values to fit a line, "
            f"got all x = {x[0]}"
        )
    n = len(x)
    sum_x, sum_y, sum_xx, sum_xy = _sums(x, y)
    with np.errstate(over="ignore", invalid="ignore"):  # checked below
        det = n * sum_xx - sum_x**2
    if not (np.isfinite(det) and det > 0):
        raise ValueError(
            f"x is too close to constant to fit a line by Cramer's rule "
            f"(N·Σx² − (Σx)² = {det}); standardise x first"
        )
    with np.errstate(over="ignore", invalid="ignore"):  # checked below
        w = (n * sum_xy - sum_x * sum_y) / det
        b = (sum_xx * sum_y - sum_x * sum_xy) / det
    if not (np.isfinite(w) and np.isfinite(b)):
        raise ValueError(
            f"x and y are too large for Cramer's rule in float64 (w = {w}, "
            f"b = {b}); standardise them first"
        )
    return float(w), float(b)


def fit_least_squares(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """θ solving the normal equations XᵀX θ = Xᵀy (np.linalg.solve).

    XᵀX is invertible exactly when the columns of X are linearly independent
    (which needs N ≥ d); otherwise ValueError. Forming XᵀX squares the
    condition number, κ(XᵀX) = κ(X)², so columns that are nearly dependent
    (κ(XᵀX) beyond 1/ε ≈ 4.5e15) are refused too: float64 cannot solve that
    system. ``np.linalg.lstsq`` avoids XᵀX and copes better.
    """
    X, y = check_X_y(X, y)
    rank = np.linalg.matrix_rank(X)
    if rank < X.shape[1]:
        raise ValueError(
            f"X must have linearly independent columns (else XᵀX is singular), "
            f"got X of shape {X.shape} with rank {rank}"
        )
    with np.errstate(over="ignore", invalid="ignore"):  # checked just below
        XtX, Xty = X.T @ X, X.T @ y
    if not (np.all(np.isfinite(XtX)) and np.all(np.isfinite(Xty))):
        raise ValueError(
            f"X and y are too large for XᵀX and Xᵀy in float64, got "
            f"max |X| = {np.max(np.abs(X)):g} and max |y| = {np.max(np.abs(y)):g}; "
            "standardise them first"
        )
    sigma = np.linalg.svd(XtX, compute_uv=False)  # descending; σ = λ for XᵀX
    if sigma[-1] <= sigma[0] * np.finfo(float).eps:
        raise ValueError(
            f"X is too close to having dependent columns: XᵀX is singular in "
            f"float64 (its eigenvalues are {sigma[::-1].tolist()}); standardise "
            "the columns of X or use np.linalg.lstsq"
        )
    return np.linalg.solve(XtX, Xty)

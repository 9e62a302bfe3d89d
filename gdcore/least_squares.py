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


def normal_equations_line(x: ArrayLike, y: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """The 2×2 system A·(w, b)ᵀ = c of the line fit.

    A = [[Σx², Σx],      c = [Σxy,
         [Σx,  N ]],          Σy ]
    """
    x, y = _check_x_y(x, y)
    n = len(x)
    A = np.array([[np.sum(x**2), np.sum(x)], [np.sum(x), n]])
    c = np.array([np.sum(x * y), np.sum(y)])
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
    sum_x, sum_y = np.sum(x), np.sum(y)
    sum_xx, sum_xy = np.sum(x**2), np.sum(x * y)
    det = n * sum_xx - sum_x**2
    if det <= 0:
        raise ValueError(
            f"x is too close to constant to fit a line by Cramer's rule "
            f"(N·Σx² − (Σx)² = {det}); standardise x first"
        )
    w = (n * sum_xy - sum_x * sum_y) / det
    b = (sum_xx * sum_y - sum_x * sum_xy) / det
    return float(w), float(b)


def fit_least_squares(X: ArrayLike, y: ArrayLike) -> np.ndarray:
    """θ solving the normal equations XᵀX θ = Xᵀy (np.linalg.solve).

    XᵀX is invertible exactly when the columns of X are linearly independent
    (which needs N ≥ d); otherwise ValueError.
    """
    X, y = check_X_y(X, y)
    rank = np.linalg.matrix_rank(X)
    if rank < X.shape[1]:
        raise ValueError(
            f"X must have linearly independent columns (else XᵀX is singular), "
            f"got X of shape {X.shape} with rank {rank}"
        )
    return np.linalg.solve(X.T @ X, X.T @ y)

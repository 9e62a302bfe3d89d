"""How large a learning rate can be: gradient descent on a quadratic.

Near a minimum a loss is close to a quadratic with Hessian H. Put the minimum at
θ = 0 and let u_i be θ's coordinate along the i-th eigenvector of H (eigenvalue
λ_i). One step of gradient descent multiplies each u_i by a fixed factor:

    θ ← θ − η·Hθ   ⇒   u_i ← (1 − η·λ_i)·u_i

So everything follows from the factors 1 − η·λ_i (the last column for λ_i >= 0):

    factors                 name         the iterates          learning rate
    all in [0, 1)           monotone     creep straight in     η <= 1/λ_max
    some in (−1, 0)         oscillating  flip sign, shrink     1/λ_max < η < 2/λ_max
    some = −1, none beyond  periodic     bounce forever        η = 2/λ_max
    some |·| > 1            diverging    blow up               η > 2/λ_max

    max stable η = 2/λ_max,   best η = 2/(λ_min + λ_max),
    best factor = (κ − 1)/(κ + 1) with κ = λ_max/λ_min.

For f(x) = x² (f″ = 2): η < 0.5 monotone, η = 0.5 one step, η < 1 oscillating,
η = 1 periodic (x → −x), η > 1 diverging. Every function accepts a Hessian
matrix or, for one parameter, the second derivative as a plain number.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_positive

__all__ = [
    "DIVERGING",
    "MONOTONE",
    "OSCILLATING",
    "PERIODIC",
    "classify_lr",
    "condition_number",
    "convergence_factor",
    "eigenvalues",
    "max_stable_lr",
    "optimal_lr",
    "step_factors",
]

MONOTONE = "monotone"
OSCILLATING = "oscillating"
PERIODIC = "periodic"
DIVERGING = "diverging"

_SYMMETRY_RTOL = 1e-9  # |H − Hᵀ| <= 1e-9·max|H| counts as symmetric
_PSD_RTOL = 1e-12  # λ_min >= −1e-12·λ_max counts as >= 0 (rounding)


def _as_hessian(H: ArrayLike) -> np.ndarray:
    """A finite, symmetric, square float matrix; a plain number becomes 1×1."""
    H = as_array(H, "H")
    if H.ndim == 0:
        return H.reshape(1, 1)
    if H.ndim != 2 or H.shape[0] != H.shape[1]:
        raise ValueError(f"H must be a number or a square matrix, got shape {H.shape}")
    with np.errstate(over="ignore"):
        asymmetry = np.max(np.abs(H - H.T))
    if asymmetry > _SYMMETRY_RTOL * np.max(np.abs(H)):
        raise ValueError(f"H must be symmetric, got {H.tolist()}")
    return H


def eigenvalues(H: ArrayLike) -> np.ndarray:
    """The eigenvalues λ_min, …, λ_max of the symmetric matrix H, ascending."""
    H = _as_hessian(H)
    with np.errstate(over="ignore"):
        return np.linalg.eigvalsh(H / 2 + H.T / 2)


def _psd_eigenvalues(H: ArrayLike, what: str) -> np.ndarray:
    lams = eigenvalues(H)
    lam_min, lam_max = lams[0], lams[-1]
    if not (lam_max > 0 and lam_min >= -_PSD_RTOL * lam_max):
        raise ValueError(
            f"{what} needs H positive semi-definite with lam_max > 0, got "
            f"eigenvalues {lams.tolist()}: with no curvature, or curvature "
            f"downwards, no constant learning rate is stable"
        )
    return lams


def condition_number(H: ArrayLike) -> float:
    """κ = λ_max/λ_min, for H positive definite (κ = 1: a round bowl)."""
    lams = eigenvalues(H)
    lam_min, lam_max = lams[0], lams[-1]
    if not lam_min > 0:
        raise ValueError(
            f"condition_number needs H positive definite, got eigenvalues "
            f"{lams.tolist()}"
        )
    with np.errstate(over="ignore"):
        return float(lam_max / lam_min)


def max_stable_lr(H: ArrayLike) -> float:
    """2/λ_max: every constant learning rate below it converges on the quadratic.

    ``max_stable_lr(2)`` is 1.0 (f = x²). Raises ValueError unless H is positive
    semi-definite with λ_max > 0.
    """
    lam_max = _psd_eigenvalues(H, "max_stable_lr")[-1]
    with np.errstate(over="ignore"):
        return float(2 / lam_max)


def optimal_lr(H: ArrayLike) -> float:
    """η* = 2/(λ_min + λ_max), the learning rate with the smallest worst factor.

    At η* the factors of λ_min and λ_max are equal and opposite:
    1 − η*·λ_min = (κ − 1)/(κ + 1) = −(1 − η*·λ_max).
    """
    lams = _psd_eigenvalues(H, "optimal_lr")
    lam_min, lam_max = lams[0], lams[-1]
    with np.errstate(over="ignore"):
        return float(2 / (lam_min + lam_max))


def step_factors(H: ArrayLike, lr: float) -> np.ndarray:
    """The factors 1 − η·λ_i, one per eigenvalue (ascending λ, so descending)."""
    lr = check_positive(lr, "lr")
    lams = eigenvalues(H)
    with np.errstate(over="ignore"):
        return 1 - lr * lams


def convergence_factor(H: ArrayLike, lr: float) -> float:
    """max_i |1 − η·λ_i|: each step shrinks the error at least this much (< 1)."""
    return float(np.max(np.abs(step_factors(H, lr))))


def classify_lr(lr: float, H: ArrayLike, *, rtol: float = 1e-9) -> str:
    """How gradient descent with step ``lr`` moves on a quadratic with Hessian H.

    Returns ``DIVERGING`` if some |1 − η·λ| > 1 + rtol; else ``PERIODIC`` if some
    factor is −1 within rtol (η = 2/λ: that direction bounces forever); else
    ``OSCILLATING`` if some factor is < −rtol; else ``MONOTONE``. So a factor of
    0 within rtol (η = 1/λ, the minimum in one step) counts as monotone, and a
    factor of +1 (λ = 0, a flat direction that does not move) does not by itself
    make a run periodic. A negative eigenvalue (a saddle) gives a factor > 1 for
    every η: "diverging" then means leaving the stationary point.
    """
    factors = step_factors(H, lr)
    rtol = check_positive(rtol, "rtol")
    if np.any(np.abs(factors) > 1 + rtol):
        return DIVERGING
    if np.any(np.abs(factors + 1) <= rtol):
        return PERIODIC
    if np.any(factors < -rtol):
        return OSCILLATING
    return MONOTONE

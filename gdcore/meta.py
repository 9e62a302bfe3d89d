"""Learning an optimizer's settings from a family of problems: a small L2O.

The family: quadratic bowls f(θ) = ½ Σ_i λ_i θ_i² (diagonal Hessians, the course's
bowls turned to their eigenvectors), with curvatures λ = (1, κ) and κ drawn
log-uniformly from a range. The optimizer: heavy-ball momentum with (η, β),
exactly :func:`gdcore.momentum`'s two lines

    v ← β·v + g,   θ ← θ − η·v,   g = λ ⊙ θ,

run on every bowl and every (η, β) at once as NumPy arrays. The meta-objective
is the mean over the bowls of log₁₀ f(θ_K)/f(θ₀) after K steps: a log, so that
every bowl counts and not only the slowest. A run that overflows counts as +inf
(it diverged), so a pair that diverges on any bowl has a meta-objective of +inf.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_int, check_positive, check_real
from .batching import check_rng


def random_bowls(
    n: int, kappa_range: tuple[float, float], rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n bowls with λ = (1, κ), κ log-uniform in ``kappa_range``, and n starts.

    Returns ``(kappas, lams, starts)``: κ of shape (n,), the curvatures λ of shape
    (n, 2) and standard-normal start points θ₀ of shape (n, 2), drawn from
    ``rng`` in that order.
    """
    n = check_int(n, "n", minimum=1)
    lo, hi = check_kappa_range(kappa_range)
    check_rng(rng)
    kappas = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
    lams = np.stack([np.ones(n), kappas], axis=1)
    starts = rng.normal(size=(n, 2))
    return kappas, lams, starts


def momentum_log_progress(
    lr: ArrayLike, beta: ArrayLike, lams: ArrayLike, starts: ArrayLike, steps: int
) -> np.ndarray:
    """log₁₀ f(θ_K)/f(θ₀) of K = ``steps`` momentum steps on each bowl.

    ``lams`` and ``starts`` have shape (n, d): the curvatures and the start of n
    bowls. ``lr`` (η > 0) and ``beta`` (β in [0, 1)) are numbers or arrays of
    one shape S, the pairs to try; the result has shape S + (n,). A run that
    overflows gives +inf; a run that lands exactly on the minimum gives −300
    (f is floored at 10⁻³⁰⁰ of f(θ₀)).
    """
    lr = as_array(lr, "lr")
    beta = as_array(beta, "beta")
    if np.any(lr <= 0):
        raise ValueError(f"lr must be positive, got {lr.min()}")
    if np.any((beta < 0) | (beta >= 1)):
        raise ValueError(
            f"beta must be in [0, 1), got {beta[(beta < 0) | (beta >= 1)][0]}"
        )
    lams = as_array(lams, "lams", ndim=2)
    starts = as_array(starts, "starts", ndim=2)
    if starts.shape != lams.shape:
        raise ValueError(
            f"lams and starts must have the same shape (n, d), got {lams.shape} "
            f"and {starts.shape}"
        )
    if np.any(lams <= 0):
        raise ValueError(f"lams must be positive (a bowl), got {lams.min()}")
    steps = check_int(steps, "steps", minimum=0)
    lr, beta = np.broadcast_arrays(lr, beta)
    lr, beta = lr[..., None, None], beta[..., None, None]  # against (n, d)
    theta = np.broadcast_to(starts, lr.shape[:-2] + starts.shape).copy()
    v = np.zeros_like(theta)
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(steps):
            v = beta * v + lams * theta  # v ← β·v + g, g = λ ⊙ θ
            theta = theta - lr * v  # θ ← θ − η·v
        ratio = (lams * theta**2).sum(axis=-1) / (lams * starts**2).sum(axis=-1)
    finite = np.isfinite(ratio)
    return np.where(
        finite, np.log10(np.maximum(np.where(finite, ratio, 1.0), 1e-300)), np.inf
    )


def grid_search_momentum(
    lams: ArrayLike,
    starts: ArrayLike,
    steps: int,
    lrs: ArrayLike,
    betas: ArrayLike,
) -> tuple[float, float, np.ndarray]:
    """The (η, β) of the grid ``lrs`` × ``betas`` with the least meta-objective.

    Returns ``(lr, beta, meta)`` where ``meta[i, j]`` is the mean over the bowls
    of log₁₀ f(θ_K)/f(θ₀) for η = lrs[i], β = betas[j] (+inf if any bowl
    diverged). Ties go to the first pair in row-major order.
    """
    lrs = as_array(lrs, "lrs", ndim=1)
    betas = as_array(betas, "betas", ndim=1)
    LR, BETA = np.meshgrid(lrs, betas, indexing="ij")
    meta = momentum_log_progress(LR, BETA, lams, starts, steps).mean(axis=-1)
    i, j = np.unravel_index(int(np.argmin(meta)), meta.shape)
    return float(lrs[i]), float(betas[j]), meta


def polyak_momentum(kappa: float) -> tuple[float, float]:
    """Polyak's best constant (η, β) for λ_min = 1, λ_max = κ (notebook 06).

    η = 4/(√κ + 1)²,   β = ((√κ − 1)/(√κ + 1))²
    """
    kappa = check_real(kappa, "kappa")
    if not kappa >= 1:
        raise ValueError(f"kappa must be >= 1, got {kappa}")
    root = np.sqrt(kappa)
    return float(4 / (root + 1) ** 2), float(((root - 1) / (root + 1)) ** 2)


def momentum_edge(lr: float, beta: float) -> float:
    """2(1 + β)/η: heavy ball converges on curvature λ exactly when ηλ is below it."""
    return 2 * (1 + check_real(beta, "beta")) / check_positive(lr, "lr")


def check_kappa_range(kappa_range) -> tuple[float, float]:
    """(low, high) of a range of condition numbers, 1 ≤ low ≤ high < ∞, or an error."""
    try:
        lo, hi = (check_real(k, "kappa_range") for k in kappa_range)
    except TypeError as exc:
        raise TypeError(
            f"kappa_range must be a pair (low, high), got {kappa_range!r}"
        ) from exc
    if not 1 <= lo <= hi < np.inf:
        raise ValueError(
            f"kappa_range must satisfy 1 <= low <= high < inf, got {kappa_range!r}"
        )
    return lo, hi

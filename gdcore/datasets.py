"""Data for the course: the five-house example, seeded synthetic houses, scaling.

The house example: sizes 500…2500 sq ft, prices 150…350 ($1000s). The five
points lie exactly on price = 0.1·size + 100, so least squares reaches zero
loss at w = 0.1, b = 100. Gradient descent starts from w = 0.05, b = 100
(``HOUSE_W0``, ``HOUSE_B0``).

Every function returns fresh arrays: callers may modify them freely.
"""

from __future__ import annotations

import numpy as np

from ._validate import (
    as_array,
    check_finite,
    check_int,
    check_nonnegative,
    check_positive,
)
from .batching import check_rng

HOUSE_W0 = 0.05
HOUSE_B0 = 100.0


def house_prices() -> tuple[np.ndarray, np.ndarray]:
    """The five houses: (sizes in sq ft, prices in $1000s)."""
    sizes = np.array([500.0, 1000.0, 1500.0, 2000.0, 2500.0])
    prices = np.array([150.0, 200.0, 250.0, 300.0, 350.0])
    return sizes, prices


def synthetic_houses(
    n: int,
    rng: np.random.Generator,
    *,
    w: float = 0.1,
    b: float = 100.0,
    noise: float = 20.0,
    size_range: tuple[float, float] = (500, 3500),
) -> tuple[np.ndarray, np.ndarray]:
    """N random houses: (sizes, prices) with price = w·size + b + noise·ε.

    size ~ Uniform(size_range) and ε ~ Normal(0, 1), both drawn from ``rng``
    (sizes first, then ε), so the same seed gives the same houses.
    """
    n = check_int(n, "n", minimum=1)
    check_rng(rng)
    w = check_finite(w, "w")
    b = check_finite(b, "b")
    noise = check_nonnegative(noise, "noise")
    lo, hi = _check_range(size_range)
    sizes = rng.uniform(lo, hi, size=n)
    eps = rng.standard_normal(n)
    with np.errstate(over="ignore", invalid="ignore"):  # checked below
        prices = w * sizes + b + noise * eps
    if not np.all(np.isfinite(prices)):
        raise ValueError(
            f"w, b, noise and size_range are too large: prices overflow float64 "
            f"(w={w}, b={b}, noise={noise}, size_range={size_range!r})"
        )
    return sizes, prices


def _check_range(size_range) -> tuple[float, float]:
    try:
        lo, hi = size_range
    except (TypeError, ValueError):
        raise TypeError(
            f"size_range must be a pair (lo, hi), got {size_range!r}"
        ) from None
    lo = check_finite(lo, "size_range[0]")
    hi = check_finite(hi, "size_range[1]")
    if not lo < hi:
        raise ValueError(f"size_range must have lo < hi, got {size_range!r}")
    return lo, hi


def standardize(x) -> tuple[np.ndarray, float, float]:
    """Rescale a feature to mean 0 and standard deviation 1.

    z = (x − mean)/std, with the population std (ddof = 0): std = √(mean((x − mean)²)).
    Returns (z, mean, std). A constant feature cannot be rescaled: ValueError.
    """
    x = as_array(x, "x", ndim=1)
    if np.all(x == x[0]):
        raise ValueError(
            f"x must not be constant (its std is 0), got all values {x[0]}"
        )
    with np.errstate(over="ignore", invalid="ignore"):  # checked below
        mean = float(np.mean(x))
        std = float(np.std(x))
    if std == 0.0:  # differences so small that their squares underflow
        raise ValueError(f"x has std 0 in floating point, got {x!r}")
    if not np.isfinite(std):
        raise ValueError(
            f"x is too large to standardise in float64 (its variance overflows), "
            f"got max |x| = {np.max(np.abs(x)):g}"
        )
    z = (x - mean) / std
    return z, mean, std


def unstandardize_line(
    w_z: float, b_z: float, mean: float, std: float
) -> tuple[float, float]:
    """Convert a line fitted on z = (x − mean)/std back to raw units of x.

    w_z·z + b_z = w_z·(x − mean)/std + b_z = (w_z/std)·x + (b_z − w_z·mean/std), so

        w = w_z/std
        b = b_z − w_z·mean/std
    """
    w_z = check_finite(w_z, "w_z")
    b_z = check_finite(b_z, "b_z")
    mean = check_finite(mean, "mean")
    std = check_positive(std, "std")
    with np.errstate(over="ignore", invalid="ignore"):  # checked below
        w = w_z / std
        b = b_z - w_z * mean / std
    if not (np.isfinite(w) and np.isfinite(b)):
        raise ValueError(
            f"the line in raw units overflows float64 (w = {w}, b = {b}), got "
            f"w_z={w_z}, b_z={b_z}, mean={mean}, std={std}"
        )
    return w, b


# -- two small 2-D classification sets (notebook 07) ------------------------------


def _check_classes(n: int, rng, noise) -> tuple[int, float]:
    n = check_int(n, "n", minimum=2)
    check_rng(rng)
    return n, check_nonnegative(noise, "noise")


def _shuffled(X: np.ndarray, y: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def two_moons(
    n: int, rng: np.random.Generator, *, noise: float = 0.1
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: X of shape (N, 2) and labels y ∈ {0, 1}.

    Class 0 lies on (cos t, sin t) and class 1 on (1 − cos t, 1/2 − sin t), with
    t ~ Uniform(0, π), shifted by (−1/2, −1/4) so the set is centred near 0, plus
    noise·Normal(0, 1) in each coordinate. ⌈N/2⌉ points go to class 0. The rows
    come in a random order. Draws from ``rng``: t, the noise, then the order.
    """
    n, noise = _check_classes(n, rng, noise)
    y = (np.arange(n) >= (n + 1) // 2).astype(np.int64)
    t = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    lower = np.column_stack([1.0 - np.cos(t), 0.5 - np.sin(t)])
    X = np.where(y[:, None] == 0, upper, lower) - [0.5, 0.25]
    X = X + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y, rng)


def spiral(
    n: int,
    rng: np.random.Generator,
    *,
    arms: int = 3,
    turns: float = 0.75,
    noise: float = 0.1,
) -> tuple[np.ndarray, np.ndarray]:
    """A spiral, one class per arm: X of shape (N, 2), labels y ∈ {0, …, arms − 1}.

    Arm k holds points at radius r ~ Uniform(0.05, 1) and angle
    φ = 2πk/arms + 2π·turns·r, so each arm winds ``turns`` of a full turn from
    the centre to radius 1; then noise·Normal(0, 1) is added to each coordinate.
    Points are dealt to the arms in turn (N mod arms arms get one more). The rows
    come in a random order. Draws from ``rng``: r, the noise, then the order.
    """
    n, noise = _check_classes(n, rng, noise)
    arms = check_int(arms, "arms", minimum=2)
    turns = check_nonnegative(turns, "turns")
    y = np.arange(n) % arms
    r = rng.uniform(0.05, 1.0, size=n)
    phi = 2 * np.pi * y / arms + 2 * np.pi * turns * r
    X = r[:, None] * np.column_stack([np.cos(phi), np.sin(phi)])
    X = X + noise * rng.standard_normal((n, 2))
    return _shuffled(X, y.astype(np.int64), rng)

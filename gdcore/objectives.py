"""Test functions for gradient descent: a value, a gradient and a Hessian, all exact.

Each factory returns an :class:`Objective`. Its formula is written once, in the
coordinates (``x`` or ``x, y``), with NumPy operations only, so the same code
evaluates one point (``obj.value(theta)``) and a whole meshgrid
(``obj.value_grid(X, Y)``, for contour plots).

    parabola        a·(x − c)²                   one minimum, f″ = 2a
    quadratic_bowl  ½ θᵀAθ                       an elliptical valley, κ = λ_max/λ_min
    rosenbrock      (a − x)² + b·(y − x²)²       a curved, flat-bottomed valley
    wavy_1d         x⁴/4 − x³/3 − x²             two minima of different depth
    wavy_2d         (x² + y²)/20 − cos x·cos y   nine minima, the deepest at 0
    saddle          (x² − y²)/2 + y⁴/4           a saddle at 0, minima at (0, ±1)

Huge inputs (a run that diverges) give ±inf, never a RuntimeWarning. The formulas
are grouped so that an overflow cannot meet another one with the opposite sign
(x²·(x²/4 − …) rather than x⁴/4 − …). Where that cannot be arranged (the bowl's
gradient, only for |θ| beyond about 1e300/λ_max) the undetermined inf − inf is
returned as +inf: the value has overflowed, and it is never NaN.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_finite, check_positive, check_real

__all__ = [
    "OBJECTIVES",
    "Objective",
    "get_objective",
    "parabola",
    "quadratic_bowl",
    "rosenbrock",
    "saddle",
    "wavy_1d",
    "wavy_2d",
]


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, dtype=float)  # a private copy ...
    arr.setflags(write=False)  # ... that nobody can change
    return arr


def _no_nan(out: ArrayLike) -> np.ndarray:
    """Overflowed inf − inf has no meaningful value: report it as +inf, not NaN."""
    out = np.asarray(out, dtype=float)
    return np.where(np.isnan(out), np.inf, out)


@dataclass(frozen=True, eq=False)
class Objective:
    """A function to minimise, with its exact gradient and Hessian.

    ``f``, ``df`` and ``d2f`` are the formula in coordinates and broadcast over
    arrays. For ``dim == 1`` they take ``x`` and return f(x), f′(x), f″(x); for
    ``dim == 2`` they take ``x, y`` and return f, (∂f/∂x, ∂f/∂y) and
    ((f_xx, f_xy), (f_yx, f_yy)). Use the methods, which check their input:

    - ``value(theta) -> float``, ``grad(theta) -> (dim,)``,
      ``hessian(theta) -> (dim, dim)``: theta is a 1-D array of length ``dim``
      (a plain number when ``dim == 1``);
    - ``value_grid(*meshes)`` and ``grad_grid(*meshes)`` for plots.

    ``minimizers`` (k, dim) are the global minimizers, where f = ``min_value``;
    ``local_minimizers`` lists every local minimizer inside ``plot_range``
    (global ones included), best first.
    """

    name: str
    dim: int
    f: Callable[..., ArrayLike] = field(repr=False)
    df: Callable[..., ArrayLike] = field(repr=False)
    d2f: Callable[..., ArrayLike] = field(repr=False)
    minimizers: np.ndarray
    min_value: float
    plot_range: tuple[tuple[float, float], ...]
    description: str
    local_minimizers: np.ndarray | None = None

    def __post_init__(self) -> None:
        minimizers = _frozen(self.minimizers)
        if minimizers.ndim != 2 or minimizers.shape[1] != self.dim:
            raise ValueError(
                f"minimizers must have shape (k, {self.dim}), got {minimizers.shape}"
            )
        local = self.local_minimizers
        local = minimizers if local is None else _frozen(local)
        if local.ndim != 2 or local.shape[1] != self.dim:
            raise ValueError(
                f"local_minimizers must have shape (k, {self.dim}), got {local.shape}"
            )
        plot_range = tuple((float(lo), float(hi)) for lo, hi in self.plot_range)
        if len(plot_range) != self.dim or any(lo >= hi for lo, hi in plot_range):
            raise ValueError(
                f"plot_range must be {self.dim} pairs (lo, hi) with lo < hi, "
                f"got {self.plot_range}"
            )
        object.__setattr__(self, "minimizers", minimizers)
        object.__setattr__(self, "local_minimizers", local)
        object.__setattr__(self, "min_value", float(self.min_value))
        object.__setattr__(self, "plot_range", plot_range)

    def _point(self, theta: ArrayLike) -> np.ndarray:
        theta = as_array(theta, "theta")
        if self.dim == 1 and theta.ndim == 0:
            theta = theta.reshape(1)
        if theta.shape != (self.dim,):
            raise ValueError(
                f"theta must have shape ({self.dim},) for {self.name}, "
                f"got shape {theta.shape}"
            )
        return theta

    def _meshes(self, meshes: tuple) -> tuple[np.ndarray, ...]:
        if len(meshes) != self.dim:
            raise ValueError(
                f"{self.name} needs {self.dim} coordinate array(s), got {len(meshes)}"
            )
        arrays = [as_array(m, f"meshes[{i}]") for i, m in enumerate(meshes)]
        return np.broadcast_arrays(*arrays)

    def value(self, theta: ArrayLike) -> float:
        """f(θ) as a float (+inf once it overflows)."""
        theta = self._point(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            return float(_no_nan(self.f(*theta)))

    def grad(self, theta: ArrayLike) -> np.ndarray:
        """∇f(θ), shape (dim,)."""
        theta = self._point(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            return _no_nan(self.df(*theta)).reshape(self.dim)

    def hessian(self, theta: ArrayLike) -> np.ndarray:
        """The matrix of second derivatives at θ, shape (dim, dim)."""
        theta = self._point(theta)
        with np.errstate(over="ignore", invalid="ignore"):
            return _no_nan(self.d2f(*theta)).reshape(self.dim, self.dim)

    def value_grid(self, *meshes: ArrayLike) -> np.ndarray:
        """f at every point of a grid: ``value_grid(X, Y)`` with X, Y from meshgrid."""
        coords = self._meshes(meshes)
        with np.errstate(over="ignore", invalid="ignore"):
            out = _no_nan(self.f(*coords))
        return np.broadcast_to(out, coords[0].shape).copy()

    def grad_grid(self, *meshes: ArrayLike) -> np.ndarray:
        """∇f at every point of a grid, shape (dim, *grid shape) (for quiver plots)."""
        coords = self._meshes(meshes)
        with np.errstate(over="ignore", invalid="ignore"):
            parts = self.df(*coords)
            parts = (parts,) if self.dim == 1 else parts
            return np.stack(
                [_no_nan(np.broadcast_to(p, coords[0].shape)) for p in parts]
            )


def parabola(a: float = 1.0, c: float = 0.0) -> Objective:
    """f(x) = a·(x − c)², f′(x) = 2a·(x − c), f″(x) = 2a; minimum 0 at x = c (a > 0)."""
    a = check_positive(a, "a")
    c = check_finite(c, "c")

    shift = "x" if c == 0 else f"(x − {c:g})" if c > 0 else f"(x + {-c:g})"
    formula = f"{shift}²" if a == 1 else f"{a:g}·{shift}²"

    def f(x):
        return a * (x - c) ** 2

    def df(x):
        return 2 * a * (x - c)

    def d2f(x):
        return 2 * a

    return Objective(
        name="parabola",
        dim=1,
        f=f,
        df=df,
        d2f=d2f,
        minimizers=[[c]],
        min_value=0.0,
        plot_range=((c - 4.0, c + 4.0),),
        description=(
            f"The parabola f(x) = {formula}: a single minimum at x = {c:g}, "
            f"and the same curvature f″ = {2 * a:g} everywhere."
        ),
    )


def quadratic_bowl(
    condition: float = 10.0, angle: float = 0.0, lam_min: float = 1.0
) -> Objective:
    """f(θ) = ½ θᵀAθ with A = R(angle)·diag(λ_min, λ_max)·R(angle)ᵀ, λ_max = κ·λ_min.

    In the rotated coordinates u = x·cos + y·sin, v = −x·sin + y·cos the bowl is
    ½(λ_min·u² + λ_max·v²): its flat direction makes the angle ``angle`` (radians)
    with the x-axis. ∇f = Aθ, Hessian A, condition number κ = ``condition`` >= 1.
    """
    condition = check_real(condition, "condition")
    if not (math.isfinite(condition) and condition >= 1):
        raise ValueError(f"condition must be >= 1 and finite, got {condition}")
    angle = check_finite(angle, "angle")
    lam_min = check_positive(lam_min, "lam_min")
    lam_max = condition * lam_min
    if not math.isfinite(lam_max):
        raise ValueError(
            f"lam_max = condition·lam_min must be finite, got {condition}·{lam_min}"
        )
    cos, sin = math.cos(angle), math.sin(angle)
    off = (lam_min - lam_max) * cos * sin + 0.0  # + 0.0 turns −0.0 into 0.0
    A = (
        (lam_min * cos**2 + lam_max * sin**2, off),
        (off, lam_min * sin**2 + lam_max * cos**2),
    )

    def f(x, y):
        u = cos * x + sin * y
        v = -sin * x + cos * y
        return (lam_min * u**2 + lam_max * v**2) / 2

    def df(x, y):
        return (A[0][0] * x + A[0][1] * y, A[1][0] * x + A[1][1] * y)

    def d2f(x, y):
        return A

    return Objective(
        name="quadratic_bowl",
        dim=2,
        f=f,
        df=df,
        d2f=d2f,
        minimizers=[[0.0, 0.0]],
        min_value=0.0,
        plot_range=((-3.0, 3.0), (-3.0, 3.0)),
        description=(
            f"An elliptical bowl ½θᵀAθ whose curvatures are {lam_min:g} and "
            f"{lam_max:g} (condition number {condition:g}), turned by {angle:g} rad; "
            f"its minimum is 0 at the origin."
        ),
    )


def rosenbrock(a: float = 1.0, b: float = 100.0) -> Objective:
    """f(x, y) = (a − x)² + b·(y − x²)²; minimum 0 at (a, a²) (b > 0).

    ∂f/∂x = 2(x − a) − 4b·x·(y − x²),  ∂f/∂y = 2b·(y − x²)
    f_xx = 2 + 4b·(3x² − y),  f_xy = −4b·x,  f_yy = 2b
    """
    a = check_finite(a, "a")
    b = check_positive(b, "b")
    if not math.isfinite(a * a):
        raise ValueError(f"a must be small enough for a² to be finite, got {a}")
    s = max(1.0, abs(a))

    def f(x, y):
        return (a - x) ** 2 + b * (y - x**2) ** 2

    def df(x, y):
        return (2 * (x - a) - 4 * b * x * (y - x**2), 2 * b * (y - x**2))

    def d2f(x, y):
        return ((2 + 4 * b * (3 * x**2 - y), -4 * b * x), (-4 * b * x, 2 * b))

    return Objective(
        name="rosenbrock",
        dim=2,
        f=f,
        df=df,
        d2f=d2f,
        minimizers=[[a, a * a]],
        min_value=0.0,
        plot_range=((-2 * s, 2 * s), (-s, a * a + 2 * s)),
        description=(
            f"Rosenbrock's banana valley (a = {a:g}, b = {b:g}): easy to fall into, "
            f"slow to follow to its minimum 0 at ({a:g}, {a * a:g})."
        ),
    )


def wavy_1d() -> Objective:
    """f(x) = x⁴/4 − x³/3 − x², a double well.

    f′(x) = x³ − x² − 2x = x·(x + 1)·(x − 2),  f″(x) = 3x² − 2x − 2
    Local minimum f(−1) = −5/12 (f″ = 3), hump f(0) = 0 (f″ = −2), global minimum
    f(2) = −8/3 (f″ = 6). Gradient descent with a small step ends in the left well
    from any x < 0 and in the right one from any x > 0.
    """

    def f(x):
        return x**2 * (x**2 / 4 - x / 3 - 1)

    def df(x):
        return x * (x + 1) * (x - 2)

    def d2f(x):
        return 3 * x**2 - 2 * x - 2

    return Objective(
        name="wavy_1d",
        dim=1,
        f=f,
        df=df,
        d2f=d2f,
        minimizers=[[2.0]],
        min_value=-8 / 3,
        local_minimizers=[[2.0], [-1.0]],
        plot_range=((-2.0, 3.0),),
        description=(
            "A double well x⁴/4 − x³/3 − x²: a shallow valley at x = −1 (f = −5/12) "
            "and a deeper one at x = 2 (f = −8/3), split by a hump at x = 0."
        ),
    )


# The root near 5.68 of r/10 + sin(r) = 0 (Newton, checked to 1e-12 in the tests).
# It places wavy_2d's local minima at (±r, 0), (0, ±r) and (±r/2, ±r/2).
_WAVY_R = 5.679207796314404


def wavy_2d() -> Objective:
    """f(x, y) = (x² + y²)/20 − cos x·cos y, an egg crate in a wide bowl.

    ∂f/∂x = x/10 + sin x·cos y,  ∂f/∂y = y/10 + cos x·sin y
    f_xx = f_yy = 1/10 + cos x·cos y,  f_xy = −sin x·sin y
    The global minimum f(0, 0) = −1 is unique (the bowl is > 0 and −cos·cos >= −1
    elsewhere). With r ≈ 5.6792 the root of r/10 + sin r = 0, there are four
    local minima at (±r/2, ±r/2) with f ≈ −0.1052 and four at (±r, 0), (0, ±r)
    with f ≈ 0.7896.
    """

    def f(x, y):
        return (x**2 + y**2) / 20 - np.cos(x) * np.cos(y)

    def df(x, y):
        return (
            x / 10 + np.sin(x) * np.cos(y),
            y / 10 + np.cos(x) * np.sin(y),
        )

    def d2f(x, y):
        return (
            (1 / 10 + np.cos(x) * np.cos(y), -np.sin(x) * np.sin(y)),
            (-np.sin(x) * np.sin(y), 1 / 10 + np.cos(x) * np.cos(y)),
        )

    r, h = _WAVY_R, _WAVY_R / 2
    return Objective(
        name="wavy_2d",
        dim=2,
        f=f,
        df=df,
        d2f=d2f,
        minimizers=[[0.0, 0.0]],
        min_value=-1.0,
        local_minimizers=[
            [0.0, 0.0],
            [h, h],
            [-h, h],
            [-h, -h],
            [h, -h],
            [r, 0.0],
            [0.0, r],
            [-r, 0.0],
            [0.0, -r],
        ],
        plot_range=((-7.0, 7.0), (-7.0, 7.0)),
        description=(
            "An egg crate in a wide bowl: nine valleys, the deepest (f = −1) at the "
            "origin; where a run ends depends on where it starts."
        ),
    )


def saddle() -> Objective:
    """f(x, y) = (x² − y²)/2 + y⁴/4 = x²/2 + y²·(y²/4 − 1/2).

    ∇f = (x, y³ − y), Hessian diag(1, 3y² − 1). At the origin ∇f = 0 and the
    Hessian is diag(1, −1): a strict saddle. The minima are (0, ±1) with
    f = −1/4, and f is bounded below, so runs that leave the saddle settle.
    """

    def f(x, y):
        return x**2 / 2 + y**2 * (y**2 / 4 - 1 / 2)

    def df(x, y):
        return (x, y * (y**2 - 1))

    def d2f(x, y):
        return ((1.0, 0.0), (0.0, 3 * y**2 - 1))

    return Objective(
        name="saddle",
        dim=2,
        f=f,
        df=df,
        d2f=d2f,
        minimizers=[[0.0, -1.0], [0.0, 1.0]],
        min_value=-0.25,
        plot_range=((-2.0, 2.0), (-2.0, 2.0)),
        description=(
            "A saddle at the origin (uphill along x, downhill along y) between two "
            "minima at (0, ±1) where f = −1/4."
        ),
    )


OBJECTIVES: dict[str, Callable[..., Objective]] = {
    "parabola": parabola,
    "quadratic_bowl": quadratic_bowl,
    "rosenbrock": rosenbrock,
    "wavy_1d": wavy_1d,
    "wavy_2d": wavy_2d,
    "saddle": saddle,
}


def get_objective(name: str, **kwargs) -> Objective:
    """Build the objective called ``name``: ``get_objective("rosenbrock", b=10)``."""
    if not isinstance(name, str) or name not in OBJECTIVES:
        names = ", ".join(repr(k) for k in OBJECTIVES)
        raise ValueError(f"objective must be one of {names}, got {name!r}")
    return OBJECTIVES[name](**kwargs)

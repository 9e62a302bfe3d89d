"""Plotting helpers for the course's figures and explorers.

Every ``plot_*`` function takes ``ax=None`` (a new figure and axes are made when it
is None), never calls ``plt.show()``, and returns a NamedTuple of the artists it
drew. The explorers keep those artists and move them in place with the ``set_*``
functions below, so a slider move changes a few arrays instead of redrawing the
figure from scratch.

Colours come from the Okabe–Ito palette, which stays distinguishable under the
common forms of colour blindness; sequential data use viridis-family colormaps.

Usage::

    from gdcore import plotting
    art = plotting.plot_curve_1d(gd.parabola(), path=[2.0, 1.2, 0.72])
    art.ax.figure.savefig("descent.png")
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.colors import BoundaryNorm, Normalize
from matplotlib.contour import QuadContourSet
from matplotlib.lines import Line2D

# Okabe & Ito (2008), "Color Universal Design": eight colours that stay distinct
# for deuteranopes, protanopes and tritanopes.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
# The order in which overlaid runs take colours (yellow last: weak on white).
PALETTE: tuple[str, ...] = tuple(
    OKABE_ITO[name]
    for name in (
        "blue",
        "orange",
        "bluish_green",
        "vermillion",
        "reddish_purple",
        "sky_blue",
        "black",
        "yellow",
    )
)
# Dashes as a second cue, so overlaid runs also differ in greyscale print.
LINESTYLES: tuple[Any, ...] = ("-", "--", "-.", ":", (0, (5, 1, 1, 1)), (0, (1, 1)))

# The markers every figure and explorer uses: where a run starts, where it is
# now, and the minimum it is after (as ``ax.plot(x, y, **MARKERS["start"])``).
MARKERS: dict[str, dict[str, Any]] = {
    "start": {"ls": "", "marker": "o", "ms": 8, "mfc": "white", "mec": "black",
              "mew": 1.5, "zorder": 5, "label": "start θ₀"},
    "current": {"ls": "", "marker": "o", "ms": 9, "mfc": OKABE_ITO["vermillion"],
                "mec": "white", "mew": 1.5, "zorder": 6, "label": "current θ"},
    "minimum": {"ls": "", "marker": "*", "ms": 16, "mfc": OKABE_ITO["bluish_green"],
                "mec": "black", "mew": 0.8, "zorder": 7, "label": "minimum"},
}  # fmt: skip

FIGSIZE: tuple[float, float] = (7.0, 4.2)  # inches: 700 x 420 px at DPI
DPI: int = 100  # fits the default notebook width with room to spare
TRAJECTORY_CMAP = "plasma"  # step 0 dark purple → last step yellow
BACKGROUND_CMAP = "Blues_r"  # low loss dark → high loss pale
# Points farther than this many axis spans outside the view are not drawn: they
# would only blow up the renderer (a diverging run reaches 1e150).
VIEW_MARGIN = 10.0
MAX_DOTS = 200  # a trajectory longer than this is drawn as a line only


class Curve1D(NamedTuple):
    """Artists of :func:`plot_curve_1d`."""

    curve: Line2D  # f over the plot range
    path: Line2D  # iterates (x_k, f(x_k)), joined, with markers
    current: Line2D  # the last iterate, highlighted
    tangent: Line2D  # tangent line f(x_k) + f'(x_k)(x − x_k) at the last iterate
    ax: Axes


class Contour2D(NamedTuple):
    """Artists of :func:`plot_contour_2d`."""

    filled: QuadContourSet  # filled bands between log-spaced levels
    lines: QuadContourSet  # level lines
    trajectory: LineCollection  # segment k coloured by step k
    points: PathCollection  # iterates, coloured like the segments
    start: Line2D  # θ_0
    current: Line2D  # the last iterate
    minimum: Line2D  # known minimizers
    ax: Axes


class LossCurves(NamedTuple):
    """Artists of :func:`plot_loss_curves`: one line per run, in input order."""

    lines: tuple[Line2D, ...]
    ax: Axes


class Regression(NamedTuple):
    """Artists of :func:`plot_regression`."""

    points: PathCollection  # the data (x_i, y_i)
    line: Line2D  # ŷ = w·x + b
    residuals: LineCollection  # vertical segments from (x_i, y_i) to (x_i, ŷ_i)
    ax: Axes


class Surface3D(NamedTuple):
    """Artists of :func:`plot_surface_3d`."""

    surface: Any  # mpl_toolkits.mplot3d.art3d.Poly3DCollection
    trajectory: Any  # mpl_toolkits.mplot3d.art3d.Line3D (empty when no path)
    minimum: Any  # Line3D markers at the minimizers
    ax: Axes


# ---------------------------------------------------------------------------
# Small utilities


def new_axes(ax: Axes | None = None, **subplot_kw: Any) -> Axes:
    """Return ``ax``, or the axes of a new figure of the course's size."""
    if ax is not None:
        return ax
    fig = plt.figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    return fig.add_subplot(**subplot_kw)


def mask_far(
    points: np.ndarray,
    limits: Sequence[tuple[float, float]],
    margin: float = VIEW_MARGIN,
) -> np.ndarray:
    """Copy of ``points`` (shape (k, d)) with unplottable rows set to NaN.

    A row is unplottable when a coordinate is not finite or lies more than
    ``margin`` spans outside its ``(lo, hi)`` limit. Matplotlib breaks a line at
    NaN, so a diverging path simply leaves the picture instead of stretching it.
    """
    out = np.array(points, dtype=float, copy=True)
    if out.ndim == 1:
        out = out[:, None]
    keep = np.all(np.isfinite(out), axis=1)
    for j, (lo, hi) in enumerate(limits):
        span = hi - lo
        with np.errstate(invalid="ignore"):
            keep &= (out[:, j] >= lo - margin * span) & (
                out[:, j] <= hi + margin * span
            )
    out[~keep] = np.nan
    return out


def _axis_limits(ax: Axes) -> list[tuple[float, float]]:
    return [tuple(sorted(ax.get_xlim())), tuple(sorted(ax.get_ylim()))]


def evaluate(objective: Any, points: np.ndarray) -> np.ndarray:
    """f at each row of ``points`` (shape (..., dim)), shape ``points.shape[:-1]``.

    Uses the vectorised ``objective.value_grid(X, Y)`` of a
    :class:`gdcore.objectives.Objective` when there is one, else calls
    ``objective.value`` point by point (fine for a few thousand points).
    """
    points = np.asarray(points, dtype=float)
    value_grid = getattr(objective, "value_grid", None)
    if callable(value_grid):
        return np.asarray(value_grid(*np.moveaxis(points, -1, 0)), dtype=float)
    flat = points.reshape(-1, points.shape[-1])
    values = np.fromiter((objective.value(p) for p in flat), float, len(flat))
    return values.reshape(points.shape[:-1])


def loss_grid(
    objective: Any, n_grid: int = 150
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Meshgrid over the objective's 2-D plot range and f − f* on it (clipped at 0)."""
    (x_lo, x_hi), (y_lo, y_hi) = objective.plot_range
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, n_grid), np.linspace(y_lo, y_hi, n_grid))
    Z = evaluate(objective, np.stack([X, Y], axis=-1))
    return X, Y, np.maximum(Z - objective.min_value, 0.0)


def log_levels(z: np.ndarray, n_levels: int = 12) -> np.ndarray:
    """0 followed by ``n_levels`` log-spaced levels up to max(z).

    Gradient descent spends most of its time near the minimum, where the loss is
    small: log spacing puts as many level lines there as on the steep walls.
    """
    top = float(np.max(z))
    positive = z[z > 0]
    bottom = max(float(positive.min()) if positive.size else top, top * 1e-4)
    if not top > bottom:  # flat or single-valued: fall back to even levels
        return np.linspace(0.0, max(top, 1.0), n_levels + 1)
    return np.concatenate([[0.0], np.geomspace(bottom, top, n_levels)])


# ---------------------------------------------------------------------------
# 1-D curve with the descent path and a tangent


def plot_curve_1d(
    objective: Any,
    path: Sequence[float] | np.ndarray | None = None,
    *,
    ax: Axes | None = None,
    x_range: tuple[float, float] | None = None,
    n_points: int = 400,
    xlabel: str = "x",
    ylabel: str = "f(x)",
) -> Curve1D:
    """Draw f over ``x_range``, the iterates x_0, x_1, … and the tangent at the last.

    ``objective`` needs ``value``, ``grad`` and (unless ``x_range`` is given)
    ``plot_range``, like a 1-D :class:`gdcore.objectives.Objective`. The axes
    limits are fixed to the range, so moving the path later never rescales them.
    """
    ax = new_axes(ax)
    lo, hi = x_range if x_range is not None else objective.plot_range[0]
    xs = np.linspace(lo, hi, n_points)
    fs = evaluate(objective, xs[:, None])
    (curve,) = ax.plot(xs, fs, color=OKABE_ITO["blue"], lw=2, label="f(x)", zorder=1)
    (tangent,) = ax.plot(
        [], [], color=OKABE_ITO["vermillion"], lw=1.5, ls="--", label="tangent"
    )
    (path_line,) = ax.plot(
        [], [], color=OKABE_ITO["orange"], lw=1.2, marker="o", ms=4, label="iterates"
    )
    (current,) = ax.plot(
        [],
        [],
        ls="",
        marker="o",
        ms=9,
        mfc=OKABE_ITO["vermillion"],
        mec="white",
        mew=1.5,
        zorder=3,
    )
    pad = 0.06 * (fs.max() - fs.min() or 1.0)
    ax.set_xlim(lo, hi)
    ax.set_ylim(fs.min() - pad, fs.max() + pad)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper center", ncols=3, frameon=False, fontsize="small")
    artists = Curve1D(curve, path_line, current, tangent, ax)
    if path is not None:
        x_path = np.asarray(path, dtype=float).reshape(-1)
        f_path = evaluate(objective, x_path[:, None])
        slope = float(np.asarray(objective.grad(x_path[-1:])).reshape(-1)[0])
        set_path_1d(artists, x_path, f_path, slope=slope)
    return artists


def set_path_1d(
    artists: Curve1D,
    xs: np.ndarray,
    fs: np.ndarray,
    *,
    slope: float | None = None,
) -> None:
    """Move the iterates to (xs, fs) and the tangent to the last one.

    ``slope`` is f′ at the last iterate; None hides the tangent. Points far
    outside the view are masked (see :func:`mask_far`).
    """
    xy = mask_far(np.column_stack([xs, fs]), _axis_limits(artists.ax))
    artists.path.set_data(xy[:, 0], xy[:, 1])
    last = xy[-1] if len(xy) else np.array([np.nan, np.nan])
    visible = bool(np.all(np.isfinite(last)))
    artists.current.set_data(last[:1], last[1:])
    artists.current.set_visible(visible)
    if slope is None or not visible or not np.isfinite(slope):
        artists.tangent.set_visible(False)
        return
    x_lo, x_hi = artists.ax.get_xlim()
    set_tangent(artists.tangent, last[0], last[1], slope, 0.15 * (x_hi - x_lo))


def set_tangent(line: Line2D, x0: float, f0: float, slope: float, half_width: float):
    """Draw the tangent y = f0 + slope·(x − x0) for x in x0 ± half_width."""
    x = np.array([x0 - half_width, x0 + half_width])
    line.set_data(x, f0 + slope * (x - x0))
    line.set_visible(True)


# ---------------------------------------------------------------------------
# 2-D contour with a coloured trajectory


def plot_contour_bands(
    objective: Any, *, ax: Axes | None = None, n_grid: int = 150, n_levels: int = 12
) -> tuple[QuadContourSet, QuadContourSet]:
    """The background of :func:`plot_contour_2d`: filled bands and level lines.

    f − f* on ``n_levels`` log-spaced levels (:func:`log_levels`), the bands in
    :data:`BACKGROUND_CMAP` and thin white lines between them. Returns
    (filled, lines); explorers that swap backgrounds draw them with this alone.
    """
    ax = new_axes(ax)
    X, Y, Z = loss_grid(objective, n_grid)
    levels = log_levels(Z, n_levels)
    cmap = plt.get_cmap(BACKGROUND_CMAP)
    norm = BoundaryNorm(levels, cmap.N)
    filled = ax.contourf(X, Y, Z, levels=levels, cmap=cmap, norm=norm, alpha=0.7)
    lines = ax.contour(X, Y, Z, levels=levels[1:], colors="white", linewidths=0.6)
    return filled, lines


def plot_minimum(objective: Any, *, ax: Axes | None = None) -> Line2D:
    """A green star on each global minimizer of ``objective`` (labelled "minimum")."""
    ax = new_axes(ax)
    minimizers = np.asarray(objective.minimizers, dtype=float).reshape(-1, 2)
    (minimum,) = ax.plot(minimizers[:, 0], minimizers[:, 1], **MARKERS["minimum"])
    return minimum


def plot_contour_2d(
    objective: Any,
    trajectory: np.ndarray | None = None,
    *,
    ax: Axes | None = None,
    n_grid: int = 150,
    n_levels: int = 12,
    n_colors: int | None = None,
    xlabel: str = "θ₁",
    ylabel: str = "θ₂",
    equal_aspect: bool = True,
) -> Contour2D:
    """Filled contours of f − f* on log-spaced levels, the trajectory and the minimum.

    The trajectory (shape (k+1, 2), θ_0 first) is a LineCollection whose segment
    k is coloured by k with :data:`TRAJECTORY_CMAP`; ``n_colors`` fixes the step
    that gets the last colour (default: the trajectory's own length), so the
    colours stay put when an explorer shows more or fewer steps.
    """
    ax = new_axes(ax)
    filled, lines = plot_contour_bands(
        objective, ax=ax, n_grid=n_grid, n_levels=n_levels
    )
    traj_norm = Normalize(0, max((n_colors or 1) - 1, 1))
    trajectory_lc = LineCollection(
        [], cmap=TRAJECTORY_CMAP, norm=traj_norm, linewidths=2, zorder=3
    )
    ax.add_collection(trajectory_lc, autolim=False)
    points = ax.scatter(
        [], [], c=[], cmap=TRAJECTORY_CMAP, norm=traj_norm, s=14, zorder=4
    )
    minimum = plot_minimum(objective, ax=ax)
    (start,) = ax.plot([], [], **MARKERS["start"])
    (current,) = ax.plot([], [], **MARKERS["current"])
    (x_lo, x_hi), (y_lo, y_hi) = objective.plot_range
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    if equal_aspect:
        ax.set_aspect("equal", adjustable="box")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(
        handles=[start, current, minimum],
        loc="upper left",
        fontsize="small",
        framealpha=0.85,
    )
    artists = Contour2D(
        filled, lines, trajectory_lc, points, start, current, minimum, ax
    )
    if trajectory is not None:
        set_trajectory(artists, trajectory, n_colors=n_colors)
    return artists


def set_trajectory(
    artists: Contour2D, thetas: np.ndarray, *, n_colors: int | None = None
) -> None:
    """Move the trajectory to ``thetas`` (shape (k+1, 2)): segments, points, markers.

    Step k keeps colour k/(n_colors − 1) of the colormap; by default the path's
    own length is used, so it runs from the first colour to the last.
    """
    xy = mask_far(
        np.asarray(thetas, dtype=float).reshape(-1, 2), _axis_limits(artists.ax)
    )
    steps = np.arange(len(xy))
    if n_colors is None:
        n_colors = len(xy)
    norm = artists.trajectory.norm
    norm.vmin, norm.vmax = 0, max(n_colors - 1, 1)
    artists.trajectory.set_segments(np.stack([xy[:-1], xy[1:]], axis=1))
    artists.trajectory.set_array(steps[:-1])
    artists.points.set_offsets(xy)
    artists.points.set_array(steps)
    # Dots show the individual steps; on long runs they would merge into a blob.
    artists.points.set_sizes([14.0 if len(xy) <= MAX_DOTS else 0.0])
    artists.start.set_data(xy[:1, 0], xy[:1, 1])
    last = xy[-1:] if len(xy) else np.full((1, 2), np.nan)
    artists.current.set_data(last[:, 0], last[:, 1])
    artists.current.set_visible(bool(np.all(np.isfinite(last))))


# ---------------------------------------------------------------------------
# Loss curves


def plot_loss_curves(
    runs: Mapping[str, Any],
    *,
    x: str = "step",
    ax: Axes | None = None,
    ylabel: str = "loss (log scale)",
    logy: bool = True,
) -> LossCurves:
    """Overlay the loss of several runs, on a log y-axis by default.

    ``runs`` maps a label to a :class:`gdcore.runs.History` or to a 1-D array of
    losses. ``x="step"`` plots against the step number, ``x="examples_seen"``
    against the number of examples used so far (Histories only) — the fair axis
    when runs use different batch sizes. Non-positive and non-finite losses are
    not drawn on the log axis.
    """
    if x not in ("step", "examples_seen"):
        raise ValueError(f"x must be 'step' or 'examples_seen', got {x!r}")
    ax = new_axes(ax)
    lines = []
    for i, (label, run) in enumerate(runs.items()):
        losses = np.asarray(getattr(run, "losses", run), dtype=float).reshape(-1)
        if x == "step":
            xs = np.arange(len(losses))
        elif hasattr(run, "examples_seen"):
            xs = np.asarray(run.examples_seen, dtype=float)
        else:
            raise ValueError(
                f"x='examples_seen' needs History runs, got {type(run).__name__} "
                f"for {label!r}"
            )
        with np.errstate(invalid="ignore"):
            bad = ~np.isfinite(losses) | ((losses <= 0) if logy else False)
        (line,) = ax.plot(
            xs,
            np.where(bad, np.nan, losses),
            color=PALETTE[i % len(PALETTE)],
            ls=LINESTYLES[i % len(LINESTYLES)],
            lw=1.8,
            label=str(label),
        )
        lines.append(line)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("step" if x == "step" else "examples seen")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    if lines:
        ax.legend(frameon=False, fontsize="small")
    return LossCurves(tuple(lines), ax)


# ---------------------------------------------------------------------------
# Data with the current regression line and residuals


def plot_regression(
    x: Sequence[float] | np.ndarray,
    y: Sequence[float] | np.ndarray,
    w: float,
    b: float,
    *,
    ax: Axes | None = None,
    xlabel: str = "x",
    ylabel: str = "y",
) -> Regression:
    """Scatter the data, draw ŷ = w·x + b and the residuals e_i = ŷ_i − y_i.

    Pass units in the labels, e.g. ``xlabel="size (sq ft)"``,
    ``ylabel="price ($1000s)"``. The axes limits are fixed around the data so
    that a bad line leaves the picture instead of rescaling it.
    """
    ax = new_axes(ax)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    points = ax.scatter(x, y, s=36, color=OKABE_ITO["blue"], zorder=3, label="data")
    (line,) = ax.plot([], [], color=OKABE_ITO["vermillion"], lw=2, label="ŷ = w·x + b")
    residuals = LineCollection(
        [],
        colors=OKABE_ITO["orange"],
        linestyles="--",
        linewidths=1.2,
        label="residual e = ŷ − y",
    )
    ax.add_collection(residuals, autolim=False)
    x_pad = 0.08 * (np.ptp(x) or 1.0)
    y_pad = 0.25 * (np.ptp(y) or 1.0)
    ax.set_xlim(x.min() - x_pad, x.max() + x_pad)
    ax.set_ylim(y.min() - y_pad, y.max() + y_pad)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", frameon=False, fontsize="small")
    artists = Regression(points, line, residuals, ax)
    set_line(artists, w, b)
    return artists


def set_line(artists: Regression, w: float, b: float) -> None:
    """Move the line to ŷ = w·x + b and redraw the residuals of the stored data."""
    x, y = np.asarray(artists.points.get_offsets(), dtype=float).T
    x_lo, x_hi = artists.ax.get_xlim()
    limits = _axis_limits(artists.ax)
    with np.errstate(all="ignore"):
        ends = mask_far(
            np.column_stack([[x_lo, x_hi], w * np.array([x_lo, x_hi]) + b]), limits
        )
        y_hat = w * x + b
    artists.line.set_data(ends[:, 0], ends[:, 1])
    y_lo, y_hi = limits[1]
    span = y_hi - y_lo
    # A residual reaching beyond the margin is drawn to the margin: still visibly huge.
    y_end = np.clip(
        np.nan_to_num(y_hat, nan=y_hi),
        y_lo - VIEW_MARGIN * span,
        y_hi + VIEW_MARGIN * span,
    )
    artists.residuals.set_segments(
        np.stack([np.column_stack([x, y]), np.column_stack([x, y_end])], axis=1)
    )


def visible_segment(w: float, b: float, ax: Axes, margin: float = 2.0):
    """The part of y = w·x + b over the axes' x range within ``margin`` y-spans
    of the view, as ([x0, x1], [y0, y1]) (NaN when none is): a steep line is
    drawn steep, never with huge coordinates.
    """
    x_lo, x_hi = ax.get_xlim()
    y_lo, y_hi = ax.get_ylim()
    span = y_hi - y_lo
    y_lo, y_hi = y_lo - margin * span, y_hi + margin * span
    nothing = ([np.nan, np.nan], [np.nan, np.nan])
    if not (math.isfinite(w) and math.isfinite(b)):
        return nothing
    with np.errstate(all="ignore"):
        if w == 0:
            return ([x_lo, x_hi], [b, b]) if y_lo <= b <= y_hi else nothing
        ends = sorted(((y_lo - b) / w, (y_hi - b) / w))
        lo, hi = max(x_lo, ends[0]), min(x_hi, ends[1])
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            return nothing
        return [lo, hi], [w * lo + b, w * hi + b]


# ---------------------------------------------------------------------------
# 3-D loss surface


def plot_surface_3d(
    objective: Any,
    trajectory: np.ndarray | None = None,
    *,
    ax: Axes | None = None,
    n_grid: int = 60,
    xlabel: str = "θ₁",
    ylabel: str = "θ₂",
    zlabel: str = "f(θ)",
) -> Surface3D:
    """The surface z = f(θ) over the plot range, the minimum and an optional path.

    ``ax`` must be a 3-D axes (``fig.add_subplot(projection="3d")``) when given.
    """
    if ax is not None and getattr(ax, "name", "") != "3d":
        raise ValueError(f"ax must be a 3-D axes (projection='3d'), got {ax.name!r}")
    ax = new_axes(ax, projection="3d")
    X, Y, Z = loss_grid(objective, n_grid)
    Z = Z + objective.min_value
    surface = ax.plot_surface(
        X,
        Y,
        Z,
        cmap="viridis",
        linewidth=0,
        antialiased=False,
        alpha=0.85,
        rcount=n_grid,
        ccount=n_grid,
    )
    minimizers = np.asarray(objective.minimizers, dtype=float).reshape(-1, 2)
    (minimum,) = ax.plot(
        minimizers[:, 0],
        minimizers[:, 1],
        np.full(len(minimizers), float(objective.min_value)),
        ls="",
        marker="*",
        ms=12,
        mfc=OKABE_ITO["bluish_green"],
        mec="black",
        zorder=5,
    )
    path = np.empty((0, 2)) if trajectory is None else np.asarray(trajectory, float)
    path = path.reshape(-1, 2)
    zs = evaluate(objective, path) if len(path) else np.empty(0)
    (traj,) = ax.plot(
        path[:, 0],
        path[:, 1],
        zs,
        color=OKABE_ITO["vermillion"],
        marker="o",
        ms=3,
        lw=1.5,
        zorder=6,
    )
    (x_lo, x_hi), (y_lo, y_hi) = objective.plot_range
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_zlabel(zlabel)
    return Surface3D(surface, traj, minimum, ax)


__all__ = [
    "BACKGROUND_CMAP",
    "DPI",
    "FIGSIZE",
    "LINESTYLES",
    "MAX_DOTS",
    "OKABE_ITO",
    "PALETTE",
    "TRAJECTORY_CMAP",
    "VIEW_MARGIN",
    "Contour2D",
    "Curve1D",
    "LossCurves",
    "Regression",
    "Surface3D",
    "evaluate",
    "log_levels",
    "mask_far",
    "new_axes",
    "plot_contour_2d",
    "plot_curve_1d",
    "plot_loss_curves",
    "plot_regression",
    "plot_surface_3d",
    "set_line",
    "set_path_1d",
    "set_tangent",
    "set_trajectory",
]

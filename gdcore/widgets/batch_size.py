"""Batch-size explorer: SGD, mini-batches and full batch on the same houses.

A seeded synthetic data set of houses (size and price, both standardised, so
the MSE is a round bowl over θ = (w, b) with Hessian H = 2I) is fitted by
mini-batch gradient descent,

    g_B(θ) = (2/B) Σ_{i ∈ batch} x_i (x_iᵀθ − y_i),    θ ← θ − η·g_B(θ),

with two sliders: the batch size B on a base-2 scale from 1 (SGD) to N (full
batch), and the learning rate η. Every run gets the same budget of examples
(``epochs`` passes over the N houses), so B = 1 makes N updates per epoch and
B = N makes one. The left panel draws the path on the loss contours with the
least-squares minimum θ*; the right panel draws L(θ) − L* against the number of
examples seen (not against time). Full batch at the same η is drawn in grey on
both. A run whose loss climbs above 1.5 times its start is called unstable: it
is drawn up to that update, and a message on the figure says so.

The moving lines are one colour, aliased and thinned to about 60 points, and
the loss is drawn as steps (it changes only at an update): under ipympl a move
sends only the changed pixels, and this keeps that to a few kB.

Every run shuffles with a fresh ``np.random.default_rng(seed)`` through
:func:`gdcore.minibatches`, exactly as ``gd.fit_linear_regression`` does, so the
same settings always draw the same picture, and runs that differ only in η see
the same batches. Runs go through :func:`gdcore.runs.run_paths` and the
explorer's one cache: SGD (B = 1, the longest runs, quoted after every move)
is run at every η of the slider when the explorer is built, any other (B, η)
the first time it is shown.

Batch-size stops: 1, 2, 4, … up to the largest power of two below N, then N
itself. The default N = 1024 is a power of two, so the stops are exactly
1, 2, …, 1024; for N = 1000 the last two stops would be 512 and 1000.

    from gdcore.widgets import BatchSizeExplorer
    BatchSizeExplorer()            # N = 1024 houses, 4 epochs
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap

from .. import plotting
from .._validate import as_array, check_int, check_positive
from ..batching import n_batches
from ..datasets import standardize, synthetic_houses
from ..least_squares import fit_least_squares
from ..losses import design_matrix
from ..runs import LIMIT
from ._artists import message_artist, show_message
from ._base import Explorer
from .batch_runs import BatchRun, batch_size_stops, describe, sgd_run

LR_LOG2_MIN = -8.0  # the η slider runs from 2⁻⁸ ≈ 0.0039 …
LR_LOG2_MAX = 0.0  # … to 2⁰ = 1, the full-batch bound 2/λ for H = 2I
LR_LOG2_STEP = 0.5  # a notch multiplies η by √2
MAX_DOTS = 12  # paths with at most this many points also show a dot per point
EXCESS_FLOOR = 1e-7  # the loss panel's bottom, relative to L(θ₀) − L*, …
EXCESS_TOP = 10.0  # … and its top
REFERENCE_COLOR = "0.55"


class BatchSizeExplorer(Explorer):
    """Mini-batch gradient descent on standardised houses, B and η on sliders.

    Parameters
    ----------
    n : number of houses (default 1024, a power of two: the last stop is N).
    epochs : the budget, in passes over the data; every run sees epochs·N examples.
    batch_size : starting batch size, one of :func:`batch_size_stops` (n).
    lr : starting η, in [2⁻⁸, 1].
    seed : the houses come from ``np.random.default_rng(seed)``, and every run
        shuffles with a fresh ``np.random.default_rng(seed)``.
    theta0 : the start (w, b); default (0, 0), the flat line through the means.
    """

    def __init__(
        self,
        n: int = 1024,
        *,
        epochs: int = 4,
        batch_size: int = 32,
        lr: float = 2**-4,
        seed: int = 0,
        theta0: Any = (0.0, 0.0),
        figsize: tuple[float, float] = (8.2, 3.9),
        dpi: int = plotting.DPI,
    ) -> None:
        self.n = check_int(n, "n", minimum=2)
        self.epochs = check_int(epochs, "epochs", minimum=1)
        self.seed = check_int(seed, "seed", minimum=0)
        self.batch_sizes = batch_size_stops(self.n)
        batch_size = check_int(batch_size, "batch_size")
        if batch_size not in self.batch_sizes:
            raise ValueError(
                f"batch_size must be one of {_listing(self.batch_sizes)}, "
                f"got {batch_size}"
            )
        lr = check_positive(lr, "lr")
        lr_min, lr_max = 2.0**LR_LOG2_MIN, 2.0**LR_LOG2_MAX
        if not lr_min <= lr <= lr_max:
            raise ValueError(f"lr must be in [{lr_min:.4g}, {lr_max:.4g}], got {lr}")
        self.theta0 = as_array(theta0, "theta0").reshape(-1).copy()
        if self.theta0.shape != (2,):
            raise ValueError(
                f"theta0 must have 2 entries (w, b), got shape {self.theta0.shape}"
            )

        # -- the data and its least-squares solution (the star on the contours)
        sizes, prices = synthetic_houses(self.n, np.random.default_rng(self.seed))
        z, _, _ = standardize(sizes)
        self.X = design_matrix(z)
        self.y, _, _ = standardize(prices)
        self.theta_star = fit_least_squares(self.X, self.y)
        err_star = self.X @ self.theta_star - self.y
        self.loss_star = float(np.mean(err_star**2))
        self._A = self.X.T @ self.X / self.n  # L(θ) = L* + (θ − θ*)ᵀ A (θ − θ*)
        self.start_excess = float(self.excess_loss(self.theta0[None, :])[0])
        if not self.start_excess > 0:
            raise ValueError(
                f"theta0 must differ from the least-squares solution "
                f"{self.theta_star.round(6).tolist()}, got {self.theta0.tolist()}"
            )

        # -- every run on the sliders' grid, once
        self.lrs = tuple(
            float(v)
            for v in 2.0
            ** np.arange(LR_LOG2_MIN, LR_LOG2_MAX + LR_LOG2_STEP / 2, LR_LOG2_STEP)
        )

        batch_slider = widgets.SelectionSlider(
            options=[(_batch_label(b, self.n), b) for b in self.batch_sizes],
            value=batch_size,
            description="B",
            continuous_update=True,
            style={"description_width": "1.5em"},
            layout=widgets.Layout(width="48%"),
        )
        lr_slider = widgets.FloatLogSlider(
            value=lr,
            base=2,
            min=LR_LOG2_MIN,
            max=LR_LOG2_MAX,
            step=LR_LOG2_STEP,
            description="η",
            readout_format=".3g",
            style={"description_width": "1.5em"},
            layout=widgets.Layout(width="48%"),
        )

        super().__init__(figsize=figsize, dpi=dpi)
        for grid_lr in self.lrs:  # SGD at every η: each move quotes it (≈ 1 s)
            self.run(1, grid_lr)
        ax_path, ax_loss = self.fig.subplots(1, 2, width_ratios=[1, 1.25])
        self.contour = self._draw_contour(ax_path)
        self.loss_line, self.reference_loss, self.label = self._draw_loss_panel(ax_loss)
        self.message = message_artist(ax_path)
        self.message.set_fontsize("small")
        _freeze_layout(self.fig)
        self.info = widgets.HTML()
        art = self.contour
        self._setup(
            {"batch_size": batch_slider, "lr": lr_slider},
            extras=[self.info],
            animated=[
                self.reference_path,
                art.trajectory,
                art.points,
                art.start,
                art.current,
                art.minimum,
                self.reference_loss,
                self.loss_line,
                self.label,
                self.message,
            ],
        )

    # -- the model ---------------------------------------------------------------

    def excess_loss(self, thetas: np.ndarray) -> np.ndarray:
        """L(θ) − L* for each row of ``thetas``: (θ − θ*)ᵀ A (θ − θ*), A = XᵀX/N.

        The MSE is quadratic, so this equals mse(θ) − L* exactly, without the
        cancellation of subtracting two nearly equal numbers near the minimum.
        """
        delta = np.asarray(thetas, dtype=float) - self.theta_star
        with np.errstate(all="ignore"):
            return np.einsum("ki,ij,kj->k", delta, self._A, delta)

    def run(self, batch_size: int, lr: float) -> BatchRun:
        """The run with batch size B and learning rate η (made once, then cached)."""
        if batch_size not in self.batch_sizes:
            raise ValueError(
                f"batch_size must be one of {_listing(self.batch_sizes)}, "
                f"got {batch_size}"
            )
        lr = self._snap(lr)
        return self.cached(
            ("run", batch_size, lr), lambda: sgd_run(self, batch_size, lr)
        )

    def _snap(self, lr: float) -> float:
        """η itself, or the grid value it stands for (a slider may round it)."""
        lr = check_positive(lr, "lr")
        i = round((math.log2(lr) - LR_LOG2_MIN) / LR_LOG2_STEP)
        if 0 <= i < len(self.lrs) and math.isclose(lr, self.lrs[i], rel_tol=1e-9):
            return self.lrs[i]
        return lr

    # -- the view ------------------------------------------------------------------

    def _draw_contour(self, ax) -> plotting.Contour2D:
        """Round contours of L(θ) − L* around θ*, wide enough to show θ₀."""
        radius = 1.25 * max(float(np.linalg.norm(self.theta0 - self.theta_star)), 0.2)
        w_star, b_star = self.theta_star
        A, loss_star = self._A, self.loss_star

        def value_grid(W, B):
            dw, db = W - w_star, B - b_star
            return loss_star + A[0, 0] * dw**2 + 2 * A[0, 1] * dw * db + A[1, 1] * db**2

        bowl = _Bowl(
            value=lambda theta: float(value_grid(*np.asarray(theta, dtype=float))),
            value_grid=value_grid,
            plot_range=(
                (w_star - radius, w_star + radius),
                (b_star - radius, b_star + radius),
            ),
            minimizers=self.theta_star[None, :],
            min_value=loss_star,
        )
        art = plotting.plot_contour_2d(
            bowl,
            ax=ax,
            n_grid=120,
            xlabel="w (slope, standardised)",
            ylabel="b (intercept)",
        )
        art.minimum.set_label("least squares θ*")
        (self.reference_path,) = ax.plot(
            [],
            [],
            color=REFERENCE_COLOR,
            lw=1.2,
            zorder=2.5,
            label="full batch, same η",
        )
        # Every move sends the changed pixels as a PNG: one colour per line and
        # sharp (aliased) edges keep that to a few kB.
        path_color = ListedColormap([plotting.OKABE_ITO["blue"]])
        art.trajectory.set_cmap(path_color)
        art.points.set_cmap(path_color)
        art.trajectory.set_linewidth(1.2)
        for artist in (art.trajectory, self.reference_path):
            artist.set_antialiased(False)
        ax.legend(
            handles=[art.start, art.current, art.minimum, self.reference_path],
            loc="upper left",
            fontsize="x-small",
            framealpha=0.85,
        )
        ax.set_title("the path on the loss contours", fontsize="medium")
        return art

    def _draw_loss_panel(self, ax) -> tuple:
        """L(θ) − L* against examples seen, log y, limits fixed for every setting."""
        budget = self.epochs * self.n
        (full_line,) = ax.plot(
            [],
            [],
            color=REFERENCE_COLOR,
            lw=1.2,
            label=f"full batch (B = {self.n}), same η",
        )
        (line,) = ax.plot(
            [], [], color=plotting.OKABE_ITO["vermillion"], lw=1.2, label="this run"
        )
        for artist in (line, full_line):
            # The loss changes only at an update: hold it until the next point
            # (horizontal and vertical runs also make the smallest PNG diffs).
            artist.set_drawstyle("steps-post")
            artist.set_antialiased(False)
        label = ax.text(
            0.02,
            0.04,
            "",
            transform=ax.transAxes,
            fontsize="small",
            family="monospace",
            bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1.5},
        )
        ax.set_yscale("log")
        ax.set_xlim(0, budget)
        ax.set_ylim(self.start_excess * EXCESS_FLOOR, self.start_excess * EXCESS_TOP)
        ax.set_xlabel(f"examples seen ({self.epochs} epochs of N = {self.n})")
        ax.set_ylabel("L(θ) − L* (log scale)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(loc="upper right", fontsize="x-small", framealpha=0.85)
        ax.set_title("the loss against examples seen", fontsize="medium")
        return line, full_line, label

    def _drawn(self, run: BatchRun) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(θ, examples seen, L − L*) as drawn: up to the update where the loss
        leaves the panel (an unstable run is not followed further), masked to the
        contour view, the loss floored at the panel's bottom."""
        shown = len(run.updates)
        if run.escaped_at is not None:
            shown = int(np.searchsorted(run.updates, run.escaped_at, side="right"))
        limits = [self.contour.ax.get_xlim(), self.contour.ax.get_ylim()]
        # margin 0: a point outside the view is not drawn at all
        thetas = plotting.mask_far(run.thetas[:shown], limits, margin=0.0)
        with np.errstate(invalid="ignore"):
            excess = run.excess_loss[:shown]
            excess = np.where(excess <= LIMIT, excess, np.nan)
            excess = np.maximum(excess, self.start_excess * EXCESS_FLOOR)
        return thetas, run.examples_seen[:shown], excess

    def update(self) -> None:
        b = self.controls["batch_size"].value
        lr = self.controls["lr"].value
        run = self.run(b, lr)
        sgd_only, full_run = self.run(1, lr), self.run(self.n, lr)

        thetas, seen, excess = self._drawn(run)
        plotting.set_trajectory(self.contour, thetas)
        self.contour.points.set_sizes([14.0 if len(thetas) <= MAX_DOTS else 0.0])
        self.loss_line.set_data(seen, excess)
        thetas, seen, excess = self._drawn(full_run)
        self.reference_path.set_data(thetas[:, 0], thetas[:, 1])
        self.reference_loss.set_data(seen, excess)

        steps = self.epochs * n_batches(self.n, b)
        self.label.set_text(f"B = {b:<5} η = {lr:.4g}")
        show_message(self.message, self._warning(run))
        self.info.value = (
            f"B = {b}: {_count(n_batches(self.n, b), 'update')} per epoch, {steps} in "
            f"{self.epochs} epochs. After {self.epochs * self.n} examples "
            f"L − L* = {describe(run)} (SGD {describe(sgd_only)}, full batch "
            f"{describe(full_run)}, same η = {lr:.3g})."
        )

    def _warning(self, run: BatchRun) -> str | None:
        """One short line on the figure (details go to the label under it)."""
        if run.escaped_at is not None:
            return f"Unstable: η = {run.lr:.3g} is too large for B = {run.batch_size}"
        # "No progress": within rounding of where it started, or above. An exact
        # bounce (full batch at η = 1) ends on L(θ₀) up to the last bits, which
        # differ from CPU to CPU, so an exact comparison would flip between them.
        if run.final_excess >= self.start_excess * (1 - 1e-9):
            return (
                f"No progress: η = {run.lr:.3g} is too large for B = {run.batch_size}"
            )
        return None

    def summary(self) -> str:
        b = self.controls["batch_size"].value
        run = self.run(b, self.controls["lr"].value)
        steps = self.epochs * n_batches(self.n, b)
        return (
            f"N = {self.n}, B = {b}: {_count(steps, 'update')} for "
            f"{self.epochs * self.n} "
            f"examples; L − L* at the end = {describe(run)}"
        )

    def set(self, **values: Any) -> BatchSizeExplorer:
        """Set controls by name, as a user would; ValueError for a batch size
        that is not one of the slider's stops (the others as in Explorer.set)."""
        b = values.get("batch_size")
        if b is not None and b not in self.batch_sizes:
            raise ValueError(
                f"batch_size must be one of {_listing(self.batch_sizes)}, got {b}"
            )
        super().set(**values)
        return self


class _Bowl(NamedTuple):
    """What plot_contour_2d needs to know about the loss."""

    value: Any
    value_grid: Any
    plot_range: tuple
    minimizers: np.ndarray
    min_value: float


def _freeze_layout(fig, passes: int = 5) -> None:
    """Settle the constrained layout now, then keep it fixed.

    With an equal-aspect axes the layout moves a little on each draw before it
    settles; fixed, every later render (the blitting background, a saved PNG)
    has the axes in the same place, so the same settings give the same pixels.
    """
    engine = fig.get_layout_engine()
    for _ in range(passes):
        engine.execute(fig)
    fig.set_layout_engine("none")


def _batch_label(b: int, n: int) -> str:
    if b == 1:
        return "1 (SGD)"
    if b == n:
        return f"{n} (full)"
    return str(b)


def _count(k: int, noun: str) -> str:
    return f"{k} {noun}" if k == 1 else f"{k} {noun}s"


def _listing(values: tuple[int, ...]) -> str:
    return ", ".join(str(v) for v in values)

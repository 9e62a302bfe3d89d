"""Batch-size explorer: SGD, mini-batches and full batch on the same houses.

Mini-batch gradient descent θ ← θ − η·g_B(θ) fits a line to N seeded houses
(size and price standardised: the MSE is a round bowl over θ = (w, b)), with

    g_B(θ) = (2/B) Σ_{i ∈ batch} x_i (x_iᵀθ − y_i).

Sliders: the batch size B (1 = SGD, 2, 4, …, N = full batch) and η; every run
sees ``epochs`` passes over the data. Left, the path on the loss contours; right,
L(θ) − L* against examples seen; in grey, full batch at the same η. A run whose
L − L* climbs above 1.5 times its start is unstable, and the figure says so.

    from gdcore.widgets import BatchSizeExplorer
    BatchSizeExplorer()            # N = 1024 houses, 4 epochs
"""

from __future__ import annotations

import math
from types import SimpleNamespace
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import ListedColormap

from .. import plotting
from .._validate import check_int, check_positive
from ..batching import minibatches, n_batches
from ..datasets import standardize, synthetic_houses
from ..least_squares import fit_least_squares
from ..losses import design_matrix
from ..optimizers import sgd
from ..runs import LIMIT, run_paths
from ._artists import message_artist, show_message
from ._base import Explorer
from ._controls import slider

# log2 η on the slider: 2⁻⁸ to 2⁰ = 1 (the full-batch bound 2/λ for H = 2I), ×√2 a notch
LR_LOG2 = (-8.0, 0.0, 0.5)
ESCAPE = 1.5  # a run whose L − L* climbs above this × its start is unstable
MAX_POINTS = 60  # points drawn per path or loss curve (runs are thinned to this)
EARLY_POINTS = 30  # of which this many are log-spaced, to show the first updates
MAX_DOTS = 12  # paths with at most this many points also show a dot per point
EXCESS_FLOOR = 1e-7  # the loss panel's bottom, relative to L(θ₀) − L*, …
EXCESS_TOP = 10.0  # … and its top
GREY = "0.55"  # the full-batch reference lines


class BatchRun(NamedTuple):
    """One run, thinned for drawing: the kept points, 0 updates first."""

    lr: float
    updates: np.ndarray  # (k,) updates taken at each kept point
    examples_seen: np.ndarray  # (k,) examples used by then
    thetas: np.ndarray  # (k, 2) θ there
    excess_loss: np.ndarray  # (k,) L(θ) − L* on the whole data set
    escaped_at: int | None  # first update whose L − L* passed ESCAPE × its start
    diverged_at: int | None  # first update whose θ or loss passed 1e150

    @property
    def final_excess(self) -> float:
        return float(self.excess_loss[-1])

    def describe(self) -> str:
        if self.diverged_at is not None:
            return f"diverged at update {self.diverged_at}"
        if self.escaped_at is not None:
            return f"unstable from update {self.escaped_at}, {self.final_excess:.2g}"
        return f"{self.final_excess:.2g}"


def batch_size_stops(n: int) -> tuple[int, ...]:
    """1, 2, 4, … (powers of two below N), then N itself: the slider's stops."""
    n = check_int(n, "n", minimum=1)
    return (*[2**k for k in range(n.bit_length()) if 2**k < n], n)


def thinned(last: int) -> np.ndarray:
    """At most MAX_POINTS + 1 update indices from 0 to ``last``, both included:
    evenly spaced, plus log-spaced ones so that the quick first descent shows."""
    if last <= MAX_POINTS:
        return np.arange(last + 1)
    even = np.linspace(0, last, MAX_POINTS - EARLY_POINTS + 1)
    early = np.geomspace(1, last, EARLY_POINTS)
    return np.unique(np.concatenate([even, early]).round().astype(int))


class BatchSizeExplorer(Explorer):
    """Mini-batch gradient descent on standardised houses, B and η on sliders.

    Parameters
    ----------
    n : number of houses (default 1024, a power of two: the stops end at N).
    epochs : the budget, in passes over the data; every run sees epochs·N examples.
    batch_size : starting batch size, one of :func:`batch_size_stops` (n).
    lr : starting η, in [2⁻⁸, 1].
    seed : the houses come from ``np.random.default_rng(seed)``, and every run
        shuffles with a fresh ``np.random.default_rng(seed)``.
    """

    def __init__(
        self,
        n: int = 1024,
        *,
        epochs: int = 4,
        batch_size: int = 32,
        lr: float = 2**-4,
        seed: int = 0,
        figsize: tuple[float, float] = (8.2, 3.9),
        dpi: int = plotting.DPI,
    ) -> None:
        self.n = check_int(n, "n", minimum=2)
        self.epochs = check_int(epochs, "epochs", minimum=1)
        self.seed = check_int(seed, "seed", minimum=0)
        self.batch_sizes = batch_size_stops(self.n)
        if check_int(batch_size, "batch_size") not in self.batch_sizes:
            stops = ", ".join(str(b) for b in self.batch_sizes)
            raise ValueError(f"batch_size must be one of {stops}, got {batch_size}")
        lo, hi, step = LR_LOG2
        self.lrs = tuple(2.0**e for e in np.arange(lo, hi + step, step).tolist())
        lr = check_positive(lr, "lr")
        if not 2.0**lo <= lr <= 2.0**hi:
            raise ValueError(f"lr must be in [{2.0**lo:.4g}, {2.0**hi:.4g}], got {lr}")

        sizes, prices = synthetic_houses(self.n, np.random.default_rng(self.seed))
        self.X = design_matrix(standardize(sizes)[0])
        self.y = standardize(prices)[0]
        self.theta_star = fit_least_squares(self.X, self.y)
        self.loss_star = float(np.mean((self.X @ self.theta_star - self.y) ** 2))
        self._A = self.X.T @ self.X / self.n  # L(θ) = L* + (θ − θ*)ᵀ A (θ − θ*)
        self.theta0 = np.zeros(2)  # the start: the flat line through the means
        self.start_excess = float(self.excess_loss(self.theta0))

        super().__init__(figsize=figsize, dpi=dpi)
        # Every move quotes SGD at its η, the longest run (≈ 50 ms): run them now.
        for grid_lr in self.lrs:
            self.run(1, grid_lr)
        ax_path, ax_loss = self.fig.subplots(1, 2, width_ratios=[1, 1.25])
        self._draw_contour(ax_path)
        self._draw_loss_panel(ax_loss)
        self.message = message_artist(ax_path)
        self.message.set_fontsize("small")
        self.info = widgets.HTML()
        labels = {1: "1 (SGD)", self.n: f"{self.n} (full)"}
        batch_slider = widgets.SelectionSlider(
            options=[(labels.get(b, str(b)), b) for b in self.batch_sizes],
            value=batch_size,
            description="B",
            style={"description_width": "1.5em"},
            layout={"width": "48%"},
        )
        lr_slider = slider(
            "η", lr, *LR_LOG2, base=2, width="1.5em", layout={"width": "48%"}
        )
        art = self.contour
        path_moves = [art.trajectory, art.points, art.start, art.current, art.minimum]
        loss_moves = [self.reference_loss, self.loss_line, self.label]
        self._setup(
            {"batch_size": batch_slider, "lr": lr_slider},
            extras=[self.info],
            animated=[*path_moves, self.reference_path, *loss_moves, self.message],
        )

    # -- the runs ------------------------------------------------------------------

    def excess_loss(self, thetas: np.ndarray) -> np.ndarray:
        """L(θ) − L* = (θ − θ*)ᵀ A (θ − θ*) at each θ (the last axis): exact for
        the quadratic MSE, without the cancellation of mse(θ) − L*."""
        delta = np.asarray(thetas, dtype=float) - self.theta_star
        return np.einsum("...i,ij,...j->...", delta, self._A, delta)

    def run(self, batch_size: int, lr: float) -> BatchRun:
        """Mini-batch SGD with batch size B and rate η, thinned for drawing (cached).

        Its batches are those of ``gd.fit_linear_regression`` with the same
        epochs, B and ``rng=np.random.default_rng(seed)``.
        """
        lr = check_positive(lr, "lr")
        nearest = min(self.lrs, key=lambda grid_lr: abs(grid_lr - lr))
        if math.isclose(lr, nearest, rel_tol=1e-9):  # a slider may round η
            lr = nearest
        return self.cached(("run", batch_size, lr), lambda: self._run(batch_size, lr))

    def _run(self, batch_size: int, lr: float) -> BatchRun:
        rng = np.random.default_rng(self.seed)
        epochs = [minibatches(self.n, batch_size, rng) for _ in range(self.epochs)]
        batches = [batch for epoch in epochs for batch in epoch]
        seen = np.cumsum([0] + [len(batch) for batch in batches])

        def grad(theta, k):  # g = (2/B) X_bᵀ(X_b θ − y_b), one row per θ
            rows = batches[k] if k < len(batches) else slice(None)  # the end: all
            X, y = self.X[rows], self.y[rows]
            return 2 * ((theta @ X.T - y) @ X) / len(X)

        paths = run_paths(
            sgd(lr), self.theta0[None], len(batches), loss=self.excess_loss, grad=grad
        )
        thetas, excess = paths.thetas[:, 0], paths.losses[:, 0]
        stop = int(paths.diverged_at[0])
        diverged_at = None if stop < 0 else stop
        escaped = np.flatnonzero(~(excess <= ESCAPE * self.start_excess))
        escaped_at = int(escaped[0]) if len(escaped) else None
        keep = thinned(len(batches) if diverged_at is None else diverged_at)
        if escaped_at is not None:  # keep the point where it left the panel
            keep = np.union1d(keep, [escaped_at])
        return BatchRun(
            lr, keep, seen[keep], thetas[keep], excess[keep], escaped_at, diverged_at
        )

    # -- the view ------------------------------------------------------------------

    def _draw_contour(self, ax) -> None:
        """Round contours of L(θ) − L* around θ*, wide enough to show θ₀."""
        radius = 1.25 * max(float(np.linalg.norm(self.theta0 - self.theta_star)), 0.2)
        bowl = SimpleNamespace(  # what plot_contour_2d reads of an objective
            value_grid=lambda W, B: self.excess_loss(np.stack([W, B], axis=-1)),
            plot_range=[(mid - radius, mid + radius) for mid in self.theta_star],
            minimizers=self.theta_star,
            min_value=0.0,
        )
        self.contour = art = plotting.plot_contour_2d(
            bowl,
            ax=ax,
            n_grid=120,
            xlabel="w (slope, standardised)",
            ylabel="b (intercept)",
        )
        art.minimum.set_label("least squares θ*")
        (self.reference_path,) = ax.plot(
            [], [], color=GREY, lw=1.2, zorder=2.5, label="full batch, same η"
        )
        # One colour for the whole path (plot_contour_2d colours it by step): the
        # diff of the pixels a move changes then compresses to a few kB.
        path_color = ListedColormap([plotting.OKABE_ITO["blue"]])
        art.trajectory.set(cmap=path_color, linewidth=1.2)
        art.points.set_cmap(path_color)
        ax.legend(
            handles=[art.start, art.current, art.minimum, self.reference_path],
            loc="upper left",
            fontsize="x-small",
            framealpha=0.85,
        )
        ax.set_title("the path on the loss contours", fontsize="medium")

    def _draw_loss_panel(self, ax) -> None:
        """L(θ) − L* against examples seen, log y, limits fixed for every setting."""
        # The loss changes only at an update: hold it until the next point
        # (horizontal and vertical runs also make the smallest PNG diffs).
        steps = {"lw": 1.2, "drawstyle": "steps-post"}
        (self.reference_loss,) = ax.plot(
            [], [], **steps, color=GREY, label=f"full batch (B = {self.n}), same η"
        )
        (self.loss_line,) = ax.plot(
            [], [], **steps, color=plotting.OKABE_ITO["vermillion"], label="this run"
        )
        self.label = ax.text(
            0.02,
            0.04,
            "",
            transform=ax.transAxes,
            fontsize="small",
            family="monospace",
            bbox={"fc": "white", "ec": "none", "alpha": 0.85, "pad": 1.5},
        )
        ax.set_yscale("log")
        ax.set_xlim(0, self.epochs * self.n)
        ax.set_ylim(self.start_excess * EXCESS_FLOOR, self.start_excess * EXCESS_TOP)
        ax.set_xlabel(f"examples seen ({self.epochs} epochs of N = {self.n})")
        ax.set_ylabel("L(θ) − L* (log scale)")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(loc="upper right", fontsize="x-small", framealpha=0.85)
        ax.set_title("the loss against examples seen", fontsize="medium")

    def _drawn(self, run: BatchRun) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(θ, examples seen, L − L*) as drawn: up to where the loss leaves the
        panel, θ outside the view left out, the loss floored at the panel's bottom."""
        shown = len(run.updates)
        if run.escaped_at is not None:
            shown = int(np.searchsorted(run.updates, run.escaped_at, side="right"))
        limits = [self.contour.ax.get_xlim(), self.contour.ax.get_ylim()]
        thetas = plotting.mask_far(run.thetas[:shown], limits, margin=0.0)
        excess = run.excess_loss[:shown]
        excess = np.where(excess <= LIMIT, excess, np.nan)  # NaN: not drawn
        excess = np.maximum(excess, self.start_excess * EXCESS_FLOOR)
        return thetas, run.examples_seen[:shown], excess

    def update(self) -> None:
        b, lr = self.controls["batch_size"].value, self.controls["lr"].value
        run, sgd_run, full_run = self.run(b, lr), self.run(1, lr), self.run(self.n, lr)
        thetas, seen, excess = self._drawn(run)
        plotting.set_trajectory(self.contour, thetas)
        self.contour.points.set_sizes([14.0 if len(thetas) <= MAX_DOTS else 0.0])
        self.loss_line.set_data(seen, excess)
        thetas, seen, excess = self._drawn(full_run)
        self.reference_path.set_data(thetas[:, 0], thetas[:, 1])
        self.reference_loss.set_data(seen, excess)
        self.label.set_text(f"B = {b:<5} η = {lr:.4g}")
        show_message(self.message, self._warning(run, b))
        per_epoch = n_batches(self.n, b)
        self.info.value = (
            f"B = {b}: {_count(per_epoch, 'update')} per epoch, "
            f"{self.epochs * per_epoch} in {self.epochs} epochs. After "
            f"{self.epochs * self.n} examples L − L* = {run.describe()} (SGD "
            f"{sgd_run.describe()}, full batch {full_run.describe()}, "
            f"same η = {lr:.3g})."
        )

    def _warning(self, run: BatchRun, b: int) -> str | None:
        """One short line on the figure when the run is in trouble."""
        # Within rounding of its start is no progress: an exact bounce (full batch
        # at η = 1) ends on L(θ₀) up to last bits that differ between CPUs.
        if run.escaped_at is None and run.final_excess < self.start_excess * (1 - 1e-9):
            return None
        trouble = "No progress" if run.escaped_at is None else "Unstable"
        return f"{trouble}: η = {run.lr:.3g} is too large for B = {b}"

    def summary(self) -> str:
        b = self.controls["batch_size"].value
        run = self.run(b, self.controls["lr"].value)
        steps = self.epochs * n_batches(self.n, b)
        return (
            f"N = {self.n}, B = {b}: {_count(steps, 'update')} for "
            f"{self.epochs * self.n} examples; L − L* at the end = {run.describe()}"
        )


def _count(k: int, noun: str) -> str:
    return f"{k} {noun}" if k == 1 else f"{k} {noun}s"

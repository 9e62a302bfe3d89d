"""Network playground: train a small network on a 2-D data set, in the spirit of
TensorFlow Playground.

A 2-W-W-K tanh network (two hidden layers of W units, K classes) is trained by
mini-batch SGD, momentum or Adam with :func:`gdcore.train`, from a seeded start,
on 150 points of a seeded data set (the spiral or two moons); 50 more points
are held out for validation. The left panel shows the decision regions with the
training points; the right panel the training and validation losses against
examples seen, with a marker at the step shown.

Controls: data set, width W, optimizer, learning rate η (a base-2 log slider),
batch size B (base 2) and the step shown. A change of any control but ``steps``
retrains (``continuous_update=False`` on the sliders: a run is trained when the
slider is released); every run records θ every :data:`RECORD_EVERY` steps up to
:data:`MAX_STEPS`, and ``steps`` only picks a record of it. Runs are cached by
their settings (:func:`record_run`), so the same settings always draw the same
picture, and returning to a setting does not train again. A run whose loss blows
up stops, and the figure says so.

    from gdcore.widgets import NetworkExplorer
    NetworkExplorer()
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.ticker import EngFormatter

from .. import plotting
from .._validate import check_int
from ..datasets import spiral, two_moons
from ..nn import MLP
from ..optimizers import adam, momentum, sgd
from ..regions import class_colors, region_colors, region_grid
from ..training import TrainRun, train
from ._base import Explorer

DATASETS = ("spiral", "moons")
N_TRAIN, N_VAL = 150, 50
WIDTHS = (2, 4, 8, 16, 32)
OPTIMIZERS = {
    "SGD": lambda lr: sgd(lr=lr),
    "momentum": lambda lr: momentum(lr=lr, beta=0.9),
    "Adam": lambda lr: adam(lr=lr),
}
LR_LOG2 = (-10.0, 3.0, 0.5)  # η from 2⁻¹⁰ ≈ 0.001 to 2³ = 8, √2 apart
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, N_TRAIN)
MAX_STEPS = 600
RECORD_EVERY = 10
GRID = 60  # region grid points per side
LOSS_LIMITS = (1e-3, 30.0)
EXAMPLES_LIMITS = (RECORD_EVERY * min(BATCH_SIZES), MAX_STEPS * N_TRAIN)
MAX_CLASSES = 3  # colours: the spiral's three classes (the moons use two of them)


@functools.lru_cache(maxsize=8)
def data(dataset: str, seed: int) -> tuple[np.ndarray, ...]:
    """(X, y, X_val, y_val): 150 training and 50 validation points, seeded
    (read-only arrays: they are cached)."""
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {DATASETS}, got {dataset!r}")
    rng = np.random.default_rng(seed)
    X, y = (
        spiral(N_TRAIN + N_VAL, rng)
        if dataset == "spiral"
        else two_moons(N_TRAIN + N_VAL, rng, noise=0.15)
    )
    X.flags.writeable = y.flags.writeable = False  # cached: shared by every caller
    return X[N_VAL:], y[N_VAL:], X[:N_VAL], y[:N_VAL]


def network(dataset: str, width: int) -> MLP:
    """The 2-W-W-K tanh network for a data set with K classes."""
    k = 3 if dataset == "spiral" else 2
    return MLP((2, width, width, k), activation="tanh")


@functools.lru_cache(maxsize=64)
def record_run(
    dataset: str, width: int, optimizer: str, lr: float, batch_size: int, seed: int
) -> TrainRun:
    """The recorded run for these settings: MAX_STEPS steps, θ every RECORD_EVERY.

    θ₀ comes from ``np.random.default_rng(seed)``, and the mini-batches from a
    generator seeded with ``seed + 1``: runs that differ only in the optimizer or
    η start alike and see the same batches.
    """
    X, y, X_val, y_val = data(dataset, seed)
    net = network(dataset, width)
    theta0 = net.init(np.random.default_rng(seed))
    return train(
        net, OPTIMIZERS[optimizer](lr), theta0, X, y, steps=MAX_STEPS,
        batch_size=batch_size, rng=np.random.default_rng(seed + 1),
        X_val=X_val, y_val=y_val, record_every=RECORD_EVERY,
    )  # fmt: skip


@functools.lru_cache(maxsize=8)
def grid(seed: int) -> tuple[np.ndarray, tuple[float, float, float, float]]:
    """(points, extent): one region grid covering both data sets, so that the
    regions' image never moves when the data set changes."""
    both = np.vstack([data(name, seed)[0] for name in DATASETS])
    return region_grid(both, GRID)


class Frame(NamedTuple):
    """What the figure shows at one record of a run."""

    classes: np.ndarray  # (GRID, GRID) predicted class at each grid point
    accuracy: float  # on the training points
    val_accuracy: float  # on the validation points


@functools.lru_cache(maxsize=2048)
def frame(
    dataset: str, width: int, optimizer: str, lr: float, batch_size: int, seed: int,
    index: int,
) -> Frame:  # fmt: skip
    """The regions and accuracies of record ``index`` of :func:`record_run`."""
    run = record_run(dataset, width, optimizer, lr, batch_size, seed)
    theta = run.thetas[index]
    net = network(dataset, width)
    X, y, X_val, y_val = data(dataset, seed)
    return Frame(
        classes=net.predict(theta, grid(seed)[0]).reshape(GRID, GRID).astype(np.int8),
        accuracy=net.accuracy(theta, X, y),
        val_accuracy=net.accuracy(theta, X_val, y_val),
    )


class NetworkExplorer(Explorer):
    """Train a 2-W-W-K network on the spiral or two moons; see the module docstring.

    Parameters: the starting value of each control (``dataset``, ``width``,
    ``optimizer``, ``lr``, ``batch_size``, ``steps``) and ``seed``, which fixes
    the data, the network's start and the mini-batches.
    """

    def __init__(
        self,
        dataset: str = "spiral",
        *,
        width: int = 16,
        optimizer: str = "Adam",
        lr: float = 2**-5,
        batch_size: int = 16,
        steps: int = MAX_STEPS,
        seed: int = 0,
        figsize: tuple[float, float] = (8.2, 3.7),
        dpi: int = plotting.DPI,
    ) -> None:
        self.seed = check_int(seed, "seed", minimum=0)
        _check_choice(dataset, DATASETS, "dataset")
        _check_choice(width, WIDTHS, "width")
        _check_choice(optimizer, tuple(OPTIMIZERS), "optimizer")
        _check_choice(batch_size, BATCH_SIZES, "batch_size")
        lo, hi, step = LR_LOG2
        controls = {
            "dataset": widgets.Dropdown(
                options=DATASETS, value=dataset, description="data", **_look(150, 3)
            ),
            "width": widgets.SelectionSlider(
                options=WIDTHS, value=width, description="width",
                continuous_update=False, **_look(210, 3.5),
            ),
            "optimizer": widgets.Dropdown(
                options=tuple(OPTIMIZERS), value=optimizer, description="opt",
                **_look(170, 3),
            ),
            "lr": widgets.FloatLogSlider(
                value=lr, base=2, min=lo, max=hi, step=step, description="η",
                readout_format=".3g", continuous_update=False, **_look(260, 2),
            ),
            "batch_size": widgets.SelectionSlider(
                options=BATCH_SIZES, value=batch_size, description="B",
                continuous_update=False, **_look(240, 2),
            ),
            "steps": widgets.IntSlider(
                value=steps, min=0, max=MAX_STEPS, step=RECORD_EVERY,
                description="steps", continuous_update=True, **_look(330, 3.5),
            ),
        }  # fmt: skip
        lr_min, lr_max = 2.0**lo, 2.0**hi
        if not lr_min <= lr <= lr_max:
            raise ValueError(f"lr must be in [{lr_min:.4g}, {lr_max:.4g}], got {lr}")
        if not 0 <= steps <= MAX_STEPS:
            raise ValueError(f"steps must be in [0, {MAX_STEPS}], got {steps}")

        super().__init__(figsize=figsize, dpi=dpi)
        # Fixed axes positions (no layout engine): the layout cannot depend on the
        # settings drawn first, so the same settings give the same pixels.
        self.fig.set_layout_engine("none")
        ax_regions = self.fig.add_axes((0.01, 0.03, 0.37, 0.86))
        ax_loss = self.fig.add_axes((0.49, 0.14, 0.49, 0.75))
        extent = grid(self.seed)[1]
        cmap = class_colors(MAX_CLASSES)
        colors = {"cmap": cmap, "vmin": -0.5, "vmax": MAX_CLASSES - 0.5}
        self.regions = ax_regions.imshow(
            np.zeros((GRID, GRID)), origin="lower", extent=extent,
            interpolation="nearest", aspect="auto",
            cmap=region_colors(MAX_CLASSES), vmin=-0.5, vmax=MAX_CLASSES - 0.5,
        )  # fmt: skip
        X, y, _, _ = data(dataset, self.seed)
        self.points = ax_regions.scatter(
            X[:, 0], X[:, 1], c=y, s=18, edgecolors="0.15", linewidths=0.5, **colors
        )
        ax_regions.set(xlim=extent[:2], ylim=extent[2:], xticks=[], yticks=[])
        self.title = ax_regions.set_title(" ", fontsize="medium")
        self.message = ax_regions.text(
            0.5, 0.5, "", transform=ax_regions.transAxes, ha="center", va="center",
            fontsize="small", visible=False, zorder=10,
            bbox={"boxstyle": "round,pad=0.5", "fc": "white",
                  "ec": plotting.OKABE_ITO["vermillion"], "lw": 1.5},
        )  # fmt: skip

        (self.train_line,) = ax_loss.plot(
            [], [], color=plotting.PALETTE[0], lw=1.5, label="training"
        )
        (self.val_line,) = ax_loss.plot(
            [], [], color=plotting.PALETTE[3], lw=1.5, ls="--", label="validation"
        )
        self.marker = ax_loss.axvline(EXAMPLES_LIMITS[0], color="0.3", lw=0.9, ls=":")
        # one x range for every batch size, so that the axes never change
        ax_loss.set(
            xscale="log", yscale="log", xlim=EXAMPLES_LIMITS, ylim=LOSS_LIMITS,
            xlabel="examples seen (log scale)", ylabel="loss (log scale)",
        )  # fmt: skip
        ax_loss.xaxis.set_major_formatter(EngFormatter(sep=""))  # 100, 1k, 10k
        ax_loss.grid(True, alpha=0.3)
        ax_loss.legend(frameon=False, fontsize="small", loc="lower left")

        self.info = widgets.HTML()
        self._setup(
            controls,
            extras=[self.info],
            animated=[
                self.regions,
                self.points,
                self.title,
                self.message,
                self.train_line,
                self.val_line,
                self.marker,
            ],
        )
        # Six controls do not fit on one line beside an 8.2-inch figure: let the
        # row of controls wrap.
        row = self.widget.children[0] if self.widget is not None else None
        if isinstance(row, widgets.Box):
            row.layout.flex_flow = "row wrap"

    # -- the model ---------------------------------------------------------------

    def _settings(self) -> tuple:
        v = self.values
        return (v["dataset"], v["width"], v["optimizer"], float(v["lr"]),
                v["batch_size"], self.seed)  # fmt: skip

    def run(self) -> TrainRun:
        """The recorded run for the current settings (trained once, then cached)."""
        return record_run(*self._settings())

    def _shown(self, run: TrainRun) -> int:
        """Index of the record shown: the step on the slider, or the last record."""
        k = self.values["steps"]
        return min(int(np.searchsorted(run.steps, k)), len(run.steps) - 1)

    # -- the view ------------------------------------------------------------------

    def update(self) -> None:
        v = self.values
        X, y, _, _ = data(v["dataset"], self.seed)
        run = self.run()
        i = self._shown(run)
        shown = frame(*self._settings(), i)

        self.points.set_offsets(X)
        self.points.set_array(y)
        self.regions.set_data(shown.classes)
        self.train_line.set_data(run.examples_seen, run.train_loss)
        self.val_line.set_data(run.examples_seen, run.val_loss)
        # step 0 has seen 0 examples: on the log axis, mark it at the left edge
        self.marker.set_xdata([max(run.examples_seen[i], EXAMPLES_LIMITS[0])] * 2)
        self.title.set_text(
            f"step {run.steps[i]}: {shown.accuracy:.0%} right "
            f"(validation {shown.val_accuracy:.0%})"
        )
        self.message.set_text(_divergence(run).replace(": ", ":\n"))
        self.message.set_visible(run.diverged)
        net = network(v["dataset"], v["width"])
        self.info.value = (
            f"2-{v['width']}-{v['width']}-{net.n_classes} tanh network "
            f"({net.n_params} parameters), {v['optimizer']}, η = {v['lr']:.4g}, "
            f"B = {v['batch_size']}: training loss {run.train_loss[i]:.2g}, "
            f"validation loss {run.val_loss[i]:.2g} after "
            f"{run.examples_seen[i]:,} examples."
        )

    def summary(self) -> str:
        run = self.run()
        i = self._shown(run)
        text = (
            f"{self.values['dataset']}, step {run.steps[i]}: training accuracy "
            f"{frame(*self._settings(), i).accuracy:.0%}"
        )
        return f"{text}; {_divergence(run)}" if run.diverged else text


def _divergence(run: TrainRun) -> str:
    if not run.diverged:
        return ""
    return f"Diverged at step {run.diverged_at}: the loss blew up, training stopped"


def _look(width_px: int, label_em: float) -> dict[str, Any]:
    """A control's width and the width of its label."""
    return {
        "layout": widgets.Layout(width=f"{width_px}px"),
        "style": {"description_width": f"{label_em}em"},
    }


def _check_choice(value: Any, choices: tuple, name: str) -> None:
    if value not in choices:
        listed = ", ".join(map(repr, choices))
        raise ValueError(f"{name} must be one of {listed}, got {value!r}")

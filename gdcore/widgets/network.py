"""Network playground: a 2-W-W-K tanh network (two hidden layers of W units, K
classes) learns the spiral or two moons, as in TensorFlow Playground.

Left: the decision regions and the 150 training points; right: the training and
validation losses (on 50 held-out points) against examples seen. Every control
but ``steps`` trains anew with :func:`gdcore.train` when released; ``steps``
shows one of the run's records.

    NetworkExplorer(dataset="spiral", width=16, optimizer="Adam", lr=2**-5)
"""

from __future__ import annotations

from functools import partial

import numpy as np
from ipywidgets import HTML, Dropdown, IntSlider, SelectionSlider
from matplotlib.colors import Normalize
from matplotlib.ticker import EngFormatter

from .._validate import check_int
from ..datasets import spiral, two_moons
from ..nn import MLP
from ..optimizers import adam, momentum, sgd
from ..plotting import DPI, PALETTE
from ..regions import class_colors, region_colors, region_grid
from ..training import TrainRun, train
from ._artists import message_artist, show_message
from ._base import Explorer
from ._controls import slider

DATASETS = ("spiral", "moons")
N_TRAIN, N_VAL = 150, 50
WIDTHS = (2, 4, 8, 16, 32)
OPTIMIZERS = {"SGD": sgd, "momentum": partial(momentum, beta=0.9), "Adam": adam}
LR_LOG2 = (-10.0, 3.0, 0.5)  # η from 2⁻¹⁰ ≈ 0.001 to 2³ = 8, √2 apart
BATCH_SIZES = (1, 2, 4, 8, 16, 32, 64, 128, N_TRAIN)
MAX_STEPS = 600
RECORD_EVERY = 10
GRID = 60  # region grid points per side
EXAMPLES_LIMITS = (RECORD_EVERY * min(BATCH_SIZES), MAX_STEPS * N_TRAIN)
MAX_CLASSES = 3  # colours: the spiral's three classes (the moons use two of them)
# each control's label, its width in pixels and the label's in em, in display order
LOOKS = (("data", 150, 3), ("width", 210, 3.5), ("opt", 170, 3), ("η", 260, 2),
         ("B", 240, 2), ("steps", 330, 3.5))  # fmt: skip


def data(dataset: str, seed: int) -> tuple[np.ndarray, ...]:
    """(X, y, X_val, y_val): 150 training and 50 validation points, seeded."""
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of 'spiral', 'moons', got {dataset!r}")
    rng = np.random.default_rng(seed)
    n = N_TRAIN + N_VAL
    X, y = spiral(n, rng) if dataset == "spiral" else two_moons(n, rng, noise=0.15)
    return X[N_VAL:], y[N_VAL:], X[:N_VAL], y[:N_VAL]


class NetworkExplorer(Explorer):
    """Train a 2-W-W-K network on the spiral or two moons; see the module docstring.

    Parameters
    ----------
    dataset, width, optimizer, lr, batch_size, steps : each control's first value.
    seed : fixes the data, the network's start and the mini-batches.
    """

    max_cached = 64  # trained runs: up to about 0.6 MB each

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
        dpi: int = DPI,
    ) -> None:
        self.seed = check_int(seed, "seed", minimum=0)
        X, y, _, _ = data(dataset, self.seed)  # checks dataset
        for name, value, choices in (
            ("width", width, WIDTHS),
            ("optimizer", optimizer, tuple(OPTIMIZERS)),
            ("batch_size", batch_size, BATCH_SIZES),
        ):
            if value not in choices:
                listed = ", ".join(map(repr, choices))
                raise ValueError(f"{name} must be one of {listed}, got {value!r}")
        lo, hi, step = LR_LOG2
        if not 2**lo <= lr <= 2**hi:
            raise ValueError(f"lr must be in [{2**lo:.4g}, {2**hi:.4g}], got {lr}")
        if not 0 <= steps <= MAX_STEPS:
            raise ValueError(f"steps must be in [0, {MAX_STEPS}], got {steps}")
        controls = {
            "dataset": Dropdown(options=DATASETS, value=dataset),
            "width": SelectionSlider(options=WIDTHS, value=width),
            "optimizer": Dropdown(options=tuple(OPTIMIZERS), value=optimizer),
            "lr": slider("η", lr, lo, hi, step, base=2),
            "batch_size": SelectionSlider(options=BATCH_SIZES, value=batch_size),
            "steps": IntSlider(steps, min=0, max=MAX_STEPS, step=RECORD_EVERY),
        }
        for control, (label, px, em) in zip(controls.values(), LOOKS, strict=True):
            control.description = label
            control.layout.width = f"{px}px"
            control.style.description_width = f"{em}em"
        for name in ("width", "lr", "batch_size"):  # retrain once the slider is let go
            controls[name].continuous_update = False

        super().__init__(figsize=figsize, dpi=dpi)
        # Fixed axes positions (no layout engine): the layout cannot depend on the
        # settings drawn first, so the same settings give the same pixels.
        self.fig.set_layout_engine("none")
        ax_regions = self.fig.add_axes((0.01, 0.03, 0.37, 0.86))
        ax_loss = self.fig.add_axes((0.49, 0.14, 0.49, 0.75))
        # one grid covering both data sets: the regions never move
        both = np.vstack([data(name, self.seed)[0] for name in DATASETS])
        self.grid, extent = region_grid(both, GRID)
        norm = Normalize(-0.5, MAX_CLASSES - 0.5)  # class k gets colour k
        self.regions = ax_regions.imshow(
            np.zeros((GRID, GRID)), origin="lower", extent=extent, aspect="auto",
            interpolation="nearest", cmap=region_colors(MAX_CLASSES), norm=norm,
        )  # fmt: skip
        cmap = class_colors(MAX_CLASSES)
        self.points = ax_regions.scatter(
            *X.T, c=y, s=18, ec="0.15", lw=0.5, cmap=cmap, norm=norm
        )
        ax_regions.set(xlim=extent[:2], ylim=extent[2:], xticks=[], yticks=[])
        self.title = ax_regions.set_title(" ", fontsize="medium")
        self.message = message_artist(ax_regions)

        (self.train_line,) = ax_loss.plot([], [], c=PALETTE[0], label="training")
        (self.val_line,) = ax_loss.plot([], [], "--", c=PALETTE[3], label="validation")
        self.marker = ax_loss.axvline(EXAMPLES_LIMITS[0], color="0.3", lw=0.9, ls=":")
        # one x range for every batch size, so that the axes never change
        ax_loss.set(xscale="log", yscale="log", xlim=EXAMPLES_LIMITS, ylim=(1e-3, 30))
        ax_loss.set(xlabel="examples seen (log scale)", ylabel="loss (log scale)")
        ax_loss.xaxis.set_major_formatter(EngFormatter(sep=""))  # 100, 1k, 10k
        ax_loss.grid(True, alpha=0.3)
        ax_loss.legend(frameon=False, fontsize="small", loc="lower left")

        self.info = HTML()
        animated = [self.regions, self.points, self.title, self.message]
        animated += [self.train_line, self.val_line, self.marker]
        self._setup(controls, extras=[self.info], animated=animated)
        # six controls do not fit on one line beside the figure: let them wrap
        self.widget.children[0].layout.flex_flow = "row wrap"

    def _problem(self) -> tuple[MLP, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(net, X, y, X_val, y_val): the 2-W-W-K tanh network and its data."""
        dataset, width = self.values["dataset"], self.values["width"]
        net = MLP((2, width, width, 3 if dataset == "spiral" else 2), activation="tanh")
        return (net, *data(dataset, self.seed))

    def run(self) -> TrainRun:
        """The run for the current settings (trained once, then kept)."""
        key = tuple(self.values.values())[:-1]  # every setting but steps
        return self.cached(key, self._train)

    def _train(self) -> TrainRun:
        """θ₀ from ``default_rng(seed)``, batches from ``default_rng(seed + 1)``: runs
        that differ only in the optimizer or η start alike, see the same batches."""
        v = self.values
        net, X, y, X_val, y_val = self._problem()
        return train(
            net, OPTIMIZERS[v["optimizer"]](lr=v["lr"]),
            net.init(np.random.default_rng(self.seed)), X, y, steps=MAX_STEPS,
            batch_size=v["batch_size"], rng=np.random.default_rng(self.seed + 1),
            X_val=X_val, y_val=y_val, record_every=RECORD_EVERY,
        )  # fmt: skip

    def _shown(self) -> tuple[TrainRun, int, float, float]:
        """(run, i, training accuracy, validation accuracy) at the record i shown:
        the step on the slider, or the last record of a run that stopped before."""
        run, v = self.run(), self.values
        i = min(int(np.searchsorted(run.steps, v["steps"])), len(run.steps) - 1)
        net, X, y, X_val, y_val = self._problem()
        theta = run.thetas[i]
        return run, i, net.accuracy(theta, X, y), net.accuracy(theta, X_val, y_val)

    def update(self) -> None:
        v = self.values
        net, X, y, _, _ = self._problem()
        run, i, accuracy, val_accuracy = self._shown()
        self.points.set_offsets(X)
        self.points.set_array(y)
        self.regions.set_data(net.predict(run.thetas[i], self.grid).reshape(GRID, GRID))
        self.train_line.set_data(run.examples_seen, run.train_loss)
        self.val_line.set_data(run.examples_seen, run.val_loss)
        # step 0 has seen 0 examples: on the log axis, mark it at the left edge
        self.marker.set_xdata([max(run.examples_seen[i], EXAMPLES_LIMITS[0])] * 2)
        self.title.set_text(
            f"step {run.steps[i]}: {accuracy:.0%} right (validation {val_accuracy:.0%})"
        )
        show_message(self.message, _divergence(run).replace(": ", ":\n"))
        self.info.value = (
            f"2-{v['width']}-{v['width']}-{net.n_classes} tanh network "
            f"({net.n_params} parameters), {v['optimizer']}, η = {v['lr']:.4g}, "
            f"B = {v['batch_size']}: training loss {run.train_loss[i]:.2g}, "
            f"validation loss {run.val_loss[i]:.2g} after "
            f"{run.examples_seen[i]:,} examples."
        )

    def summary(self) -> str:
        run, i, accuracy, _ = self._shown()
        dataset = self.values["dataset"]
        text = f"{dataset}, step {run.steps[i]}: training accuracy {accuracy:.0%}"
        return f"{text}; {_divergence(run)}" if run.diverged else text


def _divergence(run: TrainRun) -> str:
    if not run.diverged:
        return ""
    return f"Diverged at step {run.diverged_at}: the loss blew up, training stopped"

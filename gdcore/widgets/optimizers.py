"""Optimizer comparison: GD, momentum, Nesterov, AdaGrad, RMSprop and Adam at once.

Every optimizer starts from the same θ₀ on the same objective, each with its own
sliders. The left panel shows the paths on the contour map, the right one
f(θ_k) − f* on a log axis, and a table says how far each run got.

    OptimizerExplorer("bowl")      # "rosenbrock", "wavy_2d" or "saddle"
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox

from .. import plotting
from .._validate import check_int
from ..optimizers import get_optimizer
from ..runs import History, descend_paths
from ._artists import Swap, message_artist, show_message
from ._base import Explorer
from .optimizer_controls import (
    CHOICES,
    PRESETS,
    SLIDERS,
    SYMBOLS,
    layout,
    load_preset,
    make_controls,
    make_objective,
)

DEFAULT_SHOWN = ("sgd", "momentum", "rmsprop", "adam")
KAPPA_MAX = 100.0
VEIL = (1, 1, 1, 0.65)  # white at 65 %: a legend entry under it looks drawn at 35 %


class OptimizerExplorer(Explorer):
    """Several optimizers side by side on one objective, each with its sliders.

    Parameters
    ----------
    objective : "bowl", "rosenbrock", "wavy_2d" or "saddle"; its preset
        (``PRESETS``) sets the start point and the hyper-parameters.
    show : the optimizers drawn at first (keys of ``SLIDERS``).
    kappa : the bowl's condition number κ = λ_max/λ_min (1 to 100).
    steps : steps shown at first; ``max_steps`` is the end of the step slider.
    precompute : make every objective's contours (the bowl's at every κ), static
        figure and preset runs now (≈ 1 s): choosing one is quick the first time.

    Controls: ``objective``, ``kappa``, ``steps``, ``x0``, ``y0``, ``show_<opt>``
    and ``<opt>_<hyper-parameter>`` (``sgd_lr``, ``adam_beta2``, …). Choosing an
    objective loads its preset: ``ex.set(objective="saddle", sgd_lr=0.2)``.
    """

    def __init__(
        self,
        objective: str = "bowl",
        *,
        show: tuple[str, ...] = DEFAULT_SHOWN,
        kappa: float = 10.0,
        steps: int | None = None,
        max_steps: int = 300,
        precompute: bool = True,
        figsize: tuple[float, float] = (8.2, 4.2),
        dpi: int = plotting.DPI,
    ) -> None:
        if objective not in CHOICES:
            names = ", ".join(repr(n) for n in CHOICES)
            raise ValueError(f"objective must be one of {names}, got {objective!r}")
        if isinstance(show, str) or any(name not in SLIDERS for name in show):
            names = ", ".join(repr(n) for n in SLIDERS)
            raise ValueError(f"show must be a tuple of {names}, got {show!r}")
        max_steps = check_int(max_steps, "max_steps", minimum=1)
        steps = max_steps if steps is None else check_int(steps, "steps", minimum=0)
        if steps > max_steps:
            raise ValueError(f"steps must be <= max_steps={max_steps}, got {steps}")
        if not (isinstance(kappa, int | float) and 1 <= kappa <= KAPPA_MAX):
            raise ValueError(f"kappa must be in [1, {KAPPA_MAX:g}], got {kappa!r}")
        controls = make_controls(objective, show, kappa, steps, max_steps)

        super().__init__(figsize=figsize, dpi=dpi)
        self.max_steps = max_steps
        self.ax, self.loss_ax = self.fig.subplots(1, 2, width_ratios=[1.0, 1.1])
        self.ax.set(xlabel="x", ylabel="y", aspect="equal")  # as plot_contour_2d's
        self.loss_ax.set(yscale="log", xlim=(0, max_steps), xlabel="step k")
        self.loss_ax.set_ylabel(r"$f(\theta_k) - f^*$  (log scale)")
        self.loss_ax.grid(True, alpha=0.3)
        # Solid lines: moving dashed ones send about a quarter more bytes.
        self.paths, self.ends, self.loss_lines = {}, {}, {}
        for name, color in zip(SLIDERS, plotting.PALETTE, strict=False):
            (self.paths[name],) = self.ax.plot([], [], color=color, lw=1.5, zorder=4)
            (self.ends[name],) = self.ax.plot(
                [], [], "o", color=color, ms=6, mec="white", mew=1, zorder=6
            )
            (self.loss_lines[name],) = self.loss_ax.plot([], [], color=color, lw=1.5)
        (self.start,) = self.ax.plot([], [], **plotting.MARKERS["start"])
        self.legend = self.fig.legend(
            handles=[*self.loss_lines.values(), self.start],
            labels=[*(label for label, _ in SLIDERS.values()), "start θ₀"],
            loc="outside lower center",
            ncols=len(SLIDERS) + 1,
            fontsize="small",
            frameon=False,
        )
        # The legend is static (drawing it takes 10 ms): veils grey the hidden ones.
        self.veils = [Rectangle((0, 0), 0, 0, fc=VEIL, lw=0, zorder=6) for _ in SLIDERS]
        for veil in self.veils:
            self.fig.add_artist(veil)  # placed in figure coordinates by _on_draw
        self.message = message_artist(self.ax)
        self.title = self.fig.suptitle("", x=0.02, ha="left", fontweight="bold")
        self.bands = Swap()  # the contours of the objective (and κ) chosen
        self._limits_of = None  # the objective whose limits the axes have
        self._statics: dict[str, tuple] = {}  # objective → (figure bounds, render)
        self.table = widgets.HTML()
        animated = [self.bands, *self.paths.values(), *self.ends.values()]
        animated += [*self.loss_lines.values(), self.start, self.message]
        self._setup(controls, animated=[*animated, self.title, *self.veils])
        view = self.fig.canvas if self.live else self._image
        self.widget = layout(self.controls, self.table, view)
        if precompute:
            self._precompute()

    def _on_change(self, change) -> None:
        if change["owner"] is self.controls.get("objective"):
            with self._hold():  # one refresh for the preset and the new objective
                load_preset(self.controls, change["new"])
                self._pending = True
            return
        super()._on_change(change)

    def objective_key(self, name: str | None = None) -> tuple:
        """("bowl", κ) or (name,): what the objective (default: chosen) depends on."""
        name = name or self.controls["objective"].value
        kappa = round(self.controls["kappa"].value, 9)  # as the browser computes it
        return (name, kappa) if name == "bowl" else (name,)

    def objective(self):
        """The Objective the controls select now."""
        return make_objective(*self.objective_key())

    def hyperparams(self, name: str) -> dict[str, float]:
        """The slider values of optimizer ``name``, e.g. {'lr': 0.1, 'beta': 0.9}."""
        return {hp: self.controls[f"{name}_{hp}"].value for hp in SLIDERS[name][1]}

    def start_point(self) -> np.ndarray:
        return np.array([self.controls["x0"].value, self.controls["y0"].value])

    def run(self, name: str) -> History:
        """The run of optimizer ``name`` for the current controls (made once)."""
        settings, start = self.hyperparams(name), self.start_point()
        return self._run(name, settings, self.objective_key(), start)

    def _run(self, name: str, settings: dict, key: tuple, start) -> History:
        def make() -> History:
            optimizer = get_optimizer(name, **settings)
            objective = make_objective(*key)
            paths = descend_paths(objective, optimizer, [start], self.max_steps)
            return paths.history()  # up to the step where it diverged, if it did

        return self.cached((name, *settings.items(), *key, *start), make)

    def _contours(self, key: tuple) -> tuple:
        """The contours and minimum of objective ``key`` (made once)."""

        def make():
            objective = make_objective(*key)
            bands = plotting.plot_contour_bands(objective, ax=self.ax)
            return (*bands, plotting.plot_minimum(objective, ax=self.ax))

        return self.cached(("contours", key), make)

    def _show_objective(self, key: tuple) -> None:
        """Swap in the contours of ``key``; a new objective brings new limits and
        ticks: a full render, kept as its static figure by :meth:`_on_draw`."""
        self.bands.show(self._contours(key))
        name = key[0]
        if name == self._limits_of:
            return
        self._limits_of = name
        (x_lo, x_hi), (y_lo, y_hi) = make_objective(name).plot_range
        self.ax.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi))
        self.ax.apply_aspect()  # the box follows the limits: place it now
        # loss axis: 1e-12 to 10 × the top level (the bowl's at κ = 100, for every κ)
        _, _, gaps = plotting.loss_grid(make_objective(name, KAPPA_MAX))
        self.loss_ax.set_ylim(gaps.max() * 1e-12, gaps.max() * 10)
        bounds, static = self._statics.get(name, (None, None))
        self._background = static if bounds == self.fig.bbox.bounds else None

    def _on_draw(self, event) -> None:
        """After a full render, which placed the legend, lay each veil on its entry,
        and keep the render as the static figure of the objective."""
        to_figure = self.fig.transFigure.inverted()
        entries = zip(self.legend.get_texts(), self.legend.legend_handles, strict=False)
        for veil, (text, handle) in zip(self.veils, entries, strict=False):
            box = Bbox.union([text.get_window_extent(), handle.get_window_extent()])
            veil.set_bounds(*box.padded(2).transformed(to_figure).bounds)
        super()._on_draw(event)
        if self._background is not None:
            self._statics[self._limits_of] = (self.fig.bbox.bounds, self._background)

    def _precompute(self) -> None:
        """Every objective's contours, static figure and preset runs (Agg only)."""
        first = self.objective_key()
        for i in range(21):  # κ = 10^(i/10)
            self.bands.show(self._contours(("bowl", round(10 ** (i / 10), 9))))
        for name in CHOICES:
            key = self.objective_key(name)
            self._show_objective(key)
            if self._background is None:
                FigureCanvasAgg.draw(self.fig.canvas)  # _on_draw keeps it
            for opt in SLIDERS:
                self._run(opt, PRESETS[name][opt], key, PRESETS[name]["start"])
        self._show_objective(first)
        self.fig.canvas.restore_region(self._background)
        self._draw_animated()

    def update(self) -> None:
        key, objective = self.objective_key(), self.objective()
        self._show_objective(key)
        k = self.controls["steps"].value
        start = self.start_point()
        self.start.set_data(start[:1], start[1:])
        limits = [self.ax.get_xlim(), self.ax.get_ylim()]
        messages, rows = [], []
        for veil, (name, (label, _)) in zip(self.veils, SLIDERS.items(), strict=True):
            shown = self.controls[f"show_{name}"].value
            veil.set_visible(not shown)
            for artist in (self.paths[name], self.ends[name], self.loss_lines[name]):
                artist.set_visible(shown)
            if not shown:
                continue
            history = self.run(name)  # stops where the run diverged, if it did
            xy = plotting.mask_far(history.thetas[: k + 1], limits)
            self.paths[name].set_data(xy[:, 0], xy[:, 1])
            self.ends[name].set_data(xy[-1:, 0], xy[-1:, 1])
            gaps = history.losses[: k + 1] - objective.min_value
            with np.errstate(invalid="ignore"):
                gaps = np.where(gaps > 0, gaps, np.nan)  # log axis: 0 is not drawn
            self.loss_lines[name].set_data(np.arange(len(gaps)), gaps)
            if self._gap(name, k).startswith("diverged"):
                messages.append(f"{label} {self._gap(name, k)}")
            rows.append(self._row(name, k))
        show_message(self.message, "\n".join(messages))
        label = CHOICES[key[0]][0].split(" (")[0]
        kappa = f", κ = {key[1]:.3g}" if key[0] == "bowl" else ""
        self.title.set_text(f"{label}{kappa} · step {k} of {self.max_steps}")
        self.table.value = (
            "<table style='font-size:90%'><tr><th>optimizer</th><th>settings</th>"
            f"<th>f − f* after {k} steps</th><th></th></tr>{''.join(rows)}</table>"
        )

    def _row(self, name: str, k: int) -> str:
        """The table row of run ``name`` after k steps."""
        color = plotting.PALETTE[list(SLIDERS).index(name)]
        hyper = self.hyperparams(name)
        settings = ", ".join(f"{SYMBOLS[hp]} = {v:.3g}" for hp, v in hyper.items())
        gap = self._gap(name, k)
        return (
            f"<tr><td style='color:{color}'><b>{SLIDERS[name][0]}</b></td>"
            f"<td>{settings}</td><td style='text-align:right'>"
            f"{'—' if gap.startswith('diverged') else gap}</td>"
            f"<td>{self.where(name, k)}</td></tr>"
        )

    def _gap(self, name: str, k: int) -> str:
        """f − f* of run ``name`` after k steps, or the step at which it diverged."""
        history = self.run(name)
        if history.diverged_at is not None and history.diverged_at <= k:
            return f"diverged at step {history.diverged_at}"
        return f"{history.losses[k] - self.objective().min_value:.3g}"

    def where(self, name: str, k: int | None = None) -> str:
        """Where run ``name`` is after k steps (default: the step slider's value)."""
        k = self.controls["steps"].value if k is None else k
        if self._gap(name, k).startswith("diverged"):
            return self._gap(name, k)
        obj, theta = self.objective(), self.run(name).thetas[k]
        top_level = self._contours(self.objective_key())[0].levels[-1]
        if self.run(name).losses[k] - obj.min_value <= 1e-8 * top_level:
            return "at the minimum"
        span = max(hi - lo for lo, hi in obj.plot_range)
        near = np.linalg.norm(obj.local_minimizers - theta, axis=1) < 0.02 * span
        if np.any(near[len(obj.minimizers) :]):
            return "in a local minimum"
        if obj.name == "saddle" and np.linalg.norm(theta) < 0.05 * span:
            return "near the saddle"
        return ""

    def summary(self) -> str:
        k = self.controls["steps"].value
        shown = [name for name in SLIDERS if self.controls[f"show_{name}"].value]
        runs = "; ".join(f"{SLIDERS[name][0]} {self._gap(name, k)}" for name in shown)
        key = self.objective_key()
        kappa = f" (κ = {key[1]:.3g})" if key[0] == "bowl" else ""
        runs = runs or "no optimizer shown"
        return f"{key[0]}{kappa}, f − f* after {k} steps: {runs}"

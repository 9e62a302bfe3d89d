"""Optimizer comparison: GD, momentum, Nesterov, AdaGrad, RMSprop and Adam at once.

Every optimizer of :mod:`gdcore.optimizers` starts from the same point θ₀ on the
same objective, each with its own hyper-parameter sliders. The left panel shows
the paths on the contour map, one Okabe–Ito colour (and dash) per optimizer; the
right panel shows f(θ_k) − f* against the step k on a log axis. A table under
the controls gives each run's settings, its f − f* and where it ended.

Objectives: the bowl ½θᵀAθ with a condition-number slider κ, Rosenbrock's banana
valley, an egg crate with nine minima (``wavy_2d``) and a saddle. Choosing one
loads hyper-parameters and a start point that suit it (:data:`PRESETS`).

    from gdcore.widgets import OptimizerExplorer
    OptimizerExplorer("bowl")      # "rosenbrock", "wavy_2d" or "saddle"

Speed. Each optimizer runs once to ``max_steps`` and the step slider only
slices that run. Runs are cached by (optimizer, its hyper-parameters, objective,
start, max_steps), so moving one optimizer's slider recomputes that run only.
Moving x₀ (or y₀) changes every run; the first such move runs each optimizer
from every start on the slider's row (or column) at once, as one array of start
points (the optimizers work elementwise), and later moves along it are cache hits.
The contours of each objective (and κ) are made once and then only shown or
hidden; a move that leaves them (or the title) as they were puts back the pixels
they left instead of drawing them again (see :mod:`gdcore.widgets._stamp`). A
new objective has new limits, so new ticks: its static figure is rendered once
and then put back. At construction (``precompute=True``) every objective gets
its contours, its static figure and the runs of its preset (the bowl: for every
κ), so that choosing it, or moving κ, is as quick the first time as later. A
run that leaves the picture by far is stopped, and a message on the figure
names it; the other runs keep drawing.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any, NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D

from .. import objectives, optimizers, plotting
from .._validate import check_int
from ._base import Explorer, message_artist, show_message
from ._stamp import Bands, StampedTitle

# optimizer key (as in gd.OPTIMIZERS) -> (label, factory, hyper-parameters shown)
OPTIMIZERS: dict[str, tuple[str, Any, tuple[str, ...]]] = {
    "sgd": ("GD", optimizers.sgd, ("lr",)),
    "momentum": ("momentum", optimizers.momentum, ("lr", "beta")),
    "nesterov": ("Nesterov", optimizers.nesterov, ("lr", "beta")),
    "adagrad": ("AdaGrad", optimizers.adagrad, ("lr",)),
    "rmsprop": ("RMSprop", optimizers.rmsprop, ("lr", "rho")),
    "adam": ("Adam", optimizers.adam, ("lr", "beta1", "beta2")),
}
SYMBOLS = {"lr": "η", "beta": "β", "rho": "ρ", "beta1": "β₁", "beta2": "β₂"}
BETA2_OPTIONS = (0.9, 0.99, 0.999, 0.9999)
LR_LOG_RANGE = (-4.0, 0.5)  # η from 1e-4 to 10^0.5 ≈ 3.16 ...
LR_STEP = 0.05  # ... in steps of 0.05 decades
KAPPA_LOG_RANGE = (0.0, 2.0)  # κ from 1 to 100 ...
KAPPA_STEP = 0.1  # ... in steps of 0.1 decades

# objective key -> (dropdown label, start-slider step)
OBJECTIVES: dict[str, tuple[str, float]] = {
    "bowl": ("bowl ½θᵀAθ (κ slider)", 0.05),
    "rosenbrock": ("Rosenbrock's valley", 0.05),
    "wavy_2d": ("egg crate: local minima", 0.1),
    "saddle": ("saddle", 0.01),
}

# What choosing an objective loads: a start point and hyper-parameters with which
# each optimizer does something worth seeing there within the default 300 steps.
PRESETS: dict[str, dict[str, Any]] = {
    "bowl": {
        "start": (-2.5, 1.5),
        "sgd": {"lr": 0.18},
        "momentum": {"lr": 0.05, "beta": 0.7},
        "nesterov": {"lr": 0.05, "beta": 0.7},
        "adagrad": {"lr": 1.0},
        "rmsprop": {"lr": 0.02, "rho": 0.9},
        "adam": {"lr": 0.2, "beta1": 0.9, "beta2": 0.999},
    },
    "rosenbrock": {
        "start": (-1.5, 2.0),
        "sgd": {"lr": 1e-3},
        "momentum": {"lr": 1e-3, "beta": 0.9},
        "nesterov": {"lr": 1e-3, "beta": 0.9},
        "adagrad": {"lr": 1.0},
        "rmsprop": {"lr": 0.01, "rho": 0.9},
        "adam": {"lr": 0.3, "beta1": 0.9, "beta2": 0.999},
    },
    "wavy_2d": {
        "start": (-5.5, 4.5),
        "sgd": {"lr": 0.5},
        "momentum": {"lr": 0.1, "beta": 0.9},
        "nesterov": {"lr": 0.1, "beta": 0.9},
        "adagrad": {"lr": 1.0},
        "rmsprop": {"lr": 0.1, "rho": 0.9},
        "adam": {"lr": 0.5, "beta1": 0.9, "beta2": 0.999},
    },
    "saddle": {
        "start": (1.5, 0.01),
        "sgd": {"lr": 0.1},
        "momentum": {"lr": 0.05, "beta": 0.8},
        "nesterov": {"lr": 0.05, "beta": 0.8},
        "adagrad": {"lr": 0.5},
        "rmsprop": {"lr": 0.05, "rho": 0.9},
        "adam": {"lr": 0.1, "beta1": 0.9, "beta2": 0.999},
    },
}
DEFAULT_SHOWN = ("sgd", "momentum", "rmsprop", "adam")

ESCAPE = 1e6  # a run farther than this many plot spans from the view has diverged
MAX_CACHED_RUNS = 8192  # single runs; a row of start points fills one entry per start
KEY_DECIMALS = 9  # slider values are rounded to this many decimals in cache keys
N_GRID, N_LEVELS = 150, 12  # plot_contour_2d's defaults


class Run(NamedTuple):
    """One optimizer's path: θ_0 … θ_S (NaN after a divergence) and f(θ_k) − f*."""

    thetas: np.ndarray  # (S+1, 2)
    gaps: np.ndarray  # (S+1,), NaN where θ_k is not finite
    diverged_at: int | None  # the first step k with θ_k far outside the picture


def run_batch(optimizer, objective, starts: np.ndarray, steps: int) -> list[Run]:
    """Run ``optimizer`` on ``objective`` from every row of ``starts`` at once.

    The optimizers act elementwise, so θ can be an (n, 2) array of n start points
    and each row follows exactly the path a single run from it would. A row whose
    θ gets farther than :data:`ESCAPE` plot spans from the origin is marked
    diverged at that step and frozen at 0 (its later rows become NaN), so that
    it cannot overflow the others.
    """
    starts = np.array(starts, dtype=float).reshape(-1, 2)
    n = len(starts)
    reach = ESCAPE * max(hi - lo for lo, hi in objective.plot_range)
    thetas = np.full((steps + 1, n, 2), np.nan)
    diverged_at = np.full(n, -1)
    alive = np.ones(n, dtype=bool)
    theta = starts.copy()
    g = np.empty_like(theta)
    state = optimizer.init(theta)
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            if np.abs(theta).max() <= reach:  # the usual case: nothing escaped
                thetas[k, alive] = theta[alive]
            else:
                thetas[k, alive] = theta[alive]
                escaped = ~(np.abs(theta).max(axis=1) <= reach)
                diverged_at[escaped & alive] = k
                alive &= ~escaped
                # freeze the diverged rows at 0, in θ and in the state
                theta = np.where(alive[:, None], theta, 0.0)
                state = _zero_rows(state, ~alive)
            if k == steps or not alive.any():
                break
            g[:, 0], g[:, 1] = objective.df(theta[:, 0], theta[:, 1])
            if not alive.all():
                g[~alive] = 0.0
            try:
                theta, state = optimizer.step(theta, g, state)
            except (FloatingPointError, ValueError):  # overflow: stop what is left
                diverged_at[alive] = k + 1
                break
        safe = np.where(np.isfinite(thetas), thetas, 0.0)
        values = objective.value_grid(safe[..., 0], safe[..., 1])
        gaps = np.where(np.all(np.isfinite(thetas), axis=-1), values, np.nan)
        gaps = gaps - objective.min_value
    return [
        Run(
            thetas[:, i],
            gaps[:, i],
            None if diverged_at[i] < 0 else int(diverged_at[i]),
        )
        for i in range(n)
    ]


def _zero_rows(state, rows: np.ndarray):
    """The optimizer state with the given rows of every array field set to 0."""
    arrays = {
        name: np.where(rows[:, None], 0.0, value)
        for name, value in state._asdict().items()
        if name != "t"
    }
    return state._replace(**arrays)


def make_objective(name: str, kappa: float = 10.0):
    """The Objective behind a dropdown entry (κ is used by the bowl only)."""
    if name == "bowl":
        return objectives.quadratic_bowl(condition=kappa)
    return objectives.get_objective(name)


class OptimizerExplorer(Explorer):
    """Several optimizers side by side on one objective, each with its sliders.

    Parameters
    ----------
    objective : "bowl", "rosenbrock", "wavy_2d" or "saddle"; its entry of
        :data:`PRESETS` sets the start point and the hyper-parameters.
    show : the optimizers drawn at first (keys of :data:`OPTIMIZERS`).
    kappa : the bowl's condition number κ = λ_max/λ_min (1 to 100).
    steps : steps shown at first; ``max_steps`` is the end of the step slider.
    precompute : prepare every objective right away (about 0.8 s): its contours,
        its static figure and the runs of its preset (the bowl: for every κ), so
        that choosing an objective, or moving κ, is as quick the first time.

    Controls (``ex.controls``): ``objective``, ``kappa``, ``steps``, ``x0``,
    ``y0``, ``show_<opt>`` (a checkbox per optimizer) and ``<opt>_<name>`` for
    each hyper-parameter (``sgd_lr``, ``momentum_beta``, ``adam_beta2``, …).
    ``ex.set(objective=...)`` loads that objective's preset first, so pass other
    values after it: ``ex.set(objective="saddle", sgd_lr=0.2)``.
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
        if objective not in OBJECTIVES:
            names = ", ".join(repr(n) for n in OBJECTIVES)
            raise ValueError(f"objective must be one of {names}, got {objective!r}")
        unknown = [name for name in show if name not in OPTIMIZERS]
        if isinstance(show, str) or unknown:
            names = ", ".join(repr(n) for n in OPTIMIZERS)
            raise ValueError(f"show must be a tuple of {names}, got {show!r}")
        self.max_steps = check_int(max_steps, "max_steps", minimum=1)
        steps = (
            self.max_steps if steps is None else check_int(steps, "steps", minimum=0)
        )
        if steps > self.max_steps:
            raise ValueError(
                f"steps must be <= max_steps={self.max_steps}, got {steps}"
            )
        lo, hi = (10**e for e in KAPPA_LOG_RANGE)
        if not (isinstance(kappa, int | float) and lo <= kappa <= hi):
            raise ValueError(f"kappa must be in [{lo:g}, {hi:g}], got {kappa!r}")

        controls = self._make_controls(objective, show, kappa, steps)
        self._runs: OrderedDict[tuple, Run] = OrderedDict()
        self._backgrounds: dict[tuple, tuple] = {}
        self._statics: dict[str, tuple] = {}  # objective → (figure bounds, render)
        self._shown_key: tuple | None = None
        self._last_start: tuple[float, float] | None = None
        if precompute:
            for name in OBJECTIVES:
                self._run_preset(name, round(kappa, KEY_DECIMALS))

        super().__init__(figsize=figsize, dpi=dpi)
        self.ax, self.loss_ax = self.fig.subplots(1, 2, width_ratios=[1.0, 1.1])
        self._draw_loss_panel()
        self.ax.set_aspect("equal", adjustable="box")  # as plot_contour_2d's
        self.ax.set_xlabel("x")
        self.ax.set_ylabel("y")
        self.paths, self.ends, self.loss_lines = {}, {}, {}
        for i, (name, (label, _, _)) in enumerate(OPTIMIZERS.items()):
            style = {"color": plotting.PALETTE[i], "ls": plotting.LINESTYLES[i]}
            # Not antialiased: a move then changes fewer pixels, with fewer
            # colours, and the picture sent to the browser stays small.
            (self.paths[name],) = self.ax.plot(
                [], [], lw=1.5, zorder=4, antialiased=False, **style
            )
            (self.ends[name],) = self.ax.plot(
                [], [], marker="o", ms=6, mec="white", mew=1, ls="", zorder=6,
                color=style["color"],
            )  # fmt: skip
            (self.loss_lines[name],) = self.loss_ax.plot(
                [], [], lw=1.5, label=label, antialiased=False, **style
            )
        (self.start,) = self.ax.plot(
            [], [], ls="", marker="o", ms=8, mfc="white", mec="black", mew=1.5,
            zorder=7, label="start θ₀",
        )  # fmt: skip
        self.message = message_artist(self.ax)
        self.title = self.fig.suptitle("", x=0.02, ha="left", fontweight="bold")
        self._last_kappa: float | None = None
        self._loss_tops: dict[str, float] = {}
        self.bands = Bands(self.ax)
        self._legend = self._draw_legend()
        self.table = widgets.HTML()
        animated = [self.bands, *self.paths.values(), *self.ends.values()]
        animated += [*self.loss_lines.values(), self.start, self.message]
        animated.append(StampedTitle(self.title))
        self._setup(controls, extras=[self.table], animated=animated)
        self.widget = self._layout()
        if precompute:
            self._prepare_views()

    # -- controls ----------------------------------------------------------------

    def _make_controls(self, objective, show, kappa, steps) -> dict[str, Any]:
        preset = PRESETS[objective]
        wide = {"description_width": "3em"}
        controls: dict[str, Any] = {
            "objective": widgets.Dropdown(
                options=[(label, key) for key, (label, _) in OBJECTIVES.items()],
                value=objective,
                description="objective",
                style={"description_width": "5em"},
            ),
            "kappa": widgets.FloatLogSlider(
                value=kappa,
                base=10,
                min=KAPPA_LOG_RANGE[0],
                max=KAPPA_LOG_RANGE[1],
                step=KAPPA_STEP,
                description="κ",
                readout_format=".3g",
                disabled=objective != "bowl",
                continuous_update=False,  # each κ redraws the contours: on release
                style=wide,
            ),
            "steps": widgets.IntSlider(
                value=steps, min=0, max=self.max_steps, description="steps", style=wide
            ),
        }
        for axis in ("x0", "y0"):
            controls[axis] = widgets.FloatSlider(
                description=f"{axis[0]}₀", readout_format=".2f", style=wide
            )
        self._set_start_sliders(controls, objective)
        for name in OPTIMIZERS:
            controls[f"show_{name}"] = widgets.Checkbox(
                value=name in show,
                description=OPTIMIZERS[name][0],
                indent=False,
                layout=widgets.Layout(width="auto", margin="0 1em 0 0"),
            )
        for name, (_, _, hyper) in OPTIMIZERS.items():
            for hp in hyper:
                controls[f"{name}_{hp}"] = _hyper_slider(hp, preset[name][hp])
        return controls

    @staticmethod
    def _set_start_sliders(controls, objective: str) -> None:
        """Give x₀ and y₀ the objective's plot range, step and preset start."""
        obj = make_objective(objective)
        step = OBJECTIVES[objective][1]
        for axis, (lo, hi), value in zip(
            ("x0", "y0"), obj.plot_range, PRESETS[objective]["start"], strict=True
        ):
            slider = controls[axis]
            with slider.hold_trait_notifications():
                slider.min, slider.max = -math.inf, math.inf  # no clamping midway
                slider.step = step
                slider.min, slider.max = lo, hi
                slider.value = value

    def _load_preset(self, objective: str) -> None:
        """Load PRESETS[objective]: start point and hyper-parameters."""
        self._set_start_sliders(self.controls, objective)
        for name, (_, _, hyper) in OPTIMIZERS.items():
            for hp in hyper:
                self.controls[f"{name}_{hp}"].value = PRESETS[objective][name][hp]
        self.controls["kappa"].disabled = objective != "bowl"

    def _on_change(self, change) -> None:
        if change["owner"] is self.controls.get("objective"):
            with self._hold():  # one refresh for the preset and the new objective
                self._load_preset(change["new"])
                self._pending = True
            return
        super()._on_change(change)

    def _hold(self):
        if self._holding:  # already batching (inside set()): just keep batching
            return _Nested()
        return super()._hold()

    def _layout(self) -> widgets.VBox:
        c = self.controls
        tabs = widgets.Tab(
            children=[
                widgets.HBox([c[f"{name}_{hp}"] for hp in hyper])
                for name, (_, _, hyper) in OPTIMIZERS.items()
            ],
            titles=[label for label, _, _ in OPTIMIZERS.values()],
        )
        show = widgets.HBox(
            [widgets.Label("show:"), *(c[f"show_{name}"] for name in OPTIMIZERS)]
        )
        view = self.fig.canvas if self.live else self._image
        return widgets.VBox(
            [
                widgets.HBox([c["objective"], c["kappa"], c["steps"]]),
                widgets.HBox([c["x0"], c["y0"]]),
                show,
                tabs,
                self.table,
                view,
            ]
        )

    # -- the model: objective, hyper-parameters, cached runs ----------------------

    def objective_key(self) -> tuple:
        name = self.controls["objective"].value
        if name == "bowl":
            return (name, round(self.controls["kappa"].value, KEY_DECIMALS))
        return (name,)

    def objective(self):
        """The Objective the controls select now."""
        return make_objective(*self.objective_key())

    def hyperparams(self, name: str) -> dict[str, float]:
        """The slider values of optimizer ``name``, e.g. {'lr': 0.1, 'beta': 0.9}."""
        return {hp: self.controls[f"{name}_{hp}"].value for hp in OPTIMIZERS[name][2]}

    def optimizer(self, name: str):
        """The gdcore optimizer the sliders of ``name`` describe."""
        return OPTIMIZERS[name][1](**self.hyperparams(name))

    def start_point(self) -> np.ndarray:
        return np.array(
            [round(self.controls[a].value, KEY_DECIMALS) for a in ("x0", "y0")]
        )

    def run(self, name: str) -> Run:
        """The cached run of optimizer ``name`` for the current controls."""
        start = tuple(self.start_point())
        hp = _rounded(self.hyperparams(name))
        context = (name, hp, self.objective_key(), self.max_steps)
        key = (*context, start)
        found = self._runs.get(key)
        if found is not None:
            self._runs.move_to_end(key)
            return found
        starts = [start]
        last = self._last_start
        moved = [i for i in (0, 1) if last is not None and start[i] != last[i]]
        if len(moved) == 1:  # a start slider moved: run all its positions too
            i = moved[0]
            grid = _slider_grid(self.controls[("x0", "y0")[i]])
            starts = [(v, start[1]) if i == 0 else (start[0], v) for v in grid]
            starts = [p for p in starts if p != start] + [start]
        key = self.objective_key()
        if not moved and key[0] == "bowl" and self._last_kappa not in (None, key[1]):
            return self._run_kappas(name, self.hyperparams(name), start, key[1])
        runs = run_batch(
            self.optimizer(name), self.objective(), np.array(starts), self.max_steps
        )
        for point, result in zip(starts, runs, strict=True):
            self._runs[(*context, point)] = result
        self._trim()
        return runs[-1]

    def _run_kappas(
        self, name: str, hyperparams: dict[str, float], start: tuple, here: float
    ) -> Run:
        """Run ``name`` from ``start`` on the bowl of every κ slider position at once.

        The κ slider moved: the bowls differ only in their (constant) Hessian, so
        one batch whose row i follows ∇f = A_i θ gives every κ's run. κ = ``here``
        (on the slider or not) is one of them; its run is returned.
        """
        kappas = [k for k in _kappas() if k != here] + [here]
        bowls = _Bowls([make_objective("bowl", k) for k in kappas])
        optimizer = OPTIMIZERS[name][1](**hyperparams)
        runs = run_batch(
            optimizer, bowls, np.array([start] * len(kappas)), self.max_steps
        )
        hp = _rounded(hyperparams)
        for kappa, result in zip(kappas, runs, strict=True):
            self._runs[(name, hp, ("bowl", kappa), self.max_steps, start)] = result
        self._trim()
        return runs[-1]

    def _run_preset(self, objective: str, kappa: float) -> None:
        """Run every optimizer as choosing ``objective`` first shows it: its preset.

        On the bowl, for every κ of the slider at once (κ = ``kappa`` included),
        so that a first κ move finds its runs too.
        """
        preset = PRESETS[objective]
        start = tuple(round(v, KEY_DECIMALS) for v in preset["start"])
        for name, (_, factory, hyper) in OPTIMIZERS.items():
            hyperparams = {hp: preset[name][hp] for hp in hyper}
            if objective == "bowl":
                self._run_kappas(name, hyperparams, start, kappa)
                continue
            (result,) = run_batch(
                factory(**hyperparams),
                make_objective(objective),
                np.array([start]),
                self.max_steps,
            )
            key = (name, _rounded(hyperparams), (objective,), self.max_steps, start)
            self._runs[key] = result
        self._trim()

    def _trim(self) -> None:
        while len(self._runs) > MAX_CACHED_RUNS:
            self._runs.popitem(last=False)

    # -- the view ------------------------------------------------------------------

    def _draw_loss_panel(self) -> None:
        ax = self.loss_ax
        ax.set_yscale("log")
        ax.set_xlim(0, self.max_steps)
        ax.set_xlabel("step k")
        ax.set_ylabel(r"$f(\theta_k) - f^*$  (log scale)")
        ax.grid(True, which="major", alpha=0.3)

    def _show_background(self, key: tuple) -> None:
        """Show the contours of ``key`` (drawn the first time), hide the others.

        The contours are animated (inside a :class:`~gdcore.widgets._stamp.Bands`):
        a κ move swaps which set is drawn over the cached background, with no full
        redraw. Only a new objective changes the limits, and the static figure
        (:meth:`_show_static`).
        """
        if key not in self._backgrounds:
            objective = make_objective(*key)
            filled, lines = plotting.plot_contour_bands(
                objective, ax=self.ax, n_grid=N_GRID, n_levels=N_LEVELS
            )
            minimum = plotting.plot_minimum(objective, ax=self.ax)
            top = float(filled.levels[-1])
            self._backgrounds[key] = (filled, lines, minimum, top)
        *artists, top = self._backgrounds[key]
        self.bands.show(artists)
        if self._shown_key is None or key[0] != self._shown_key[0]:
            (x_lo, x_hi), (y_lo, y_hi) = make_objective(*key).plot_range
            self.ax.set_xlim(x_lo, x_hi)
            self.ax.set_ylim(y_lo, y_hi)
            loss_top = self._loss_top(key[0])
            self.loss_ax.set_ylim(loss_top * 1e-12, loss_top * 10)
            self._show_static(key[0])
        self._top = top
        self._shown_key = key

    def _show_static(self, name: str) -> None:
        """Put back the static figure of objective ``name``, or have it rendered.

        New limits mean new ticks: a full render, ≈ 0.1 s, mostly tick labels.
        It depends on the objective alone (and on the figure's size in pixels,
        which ipympl changes with the screen's pixel ratio), so :meth:`_on_draw`
        keeps each one and a later choice of the objective puts it back. The
        contour axes keep an equal aspect: its box follows the limits, so it is
        placed here as a full render would place it, for the moving artists.
        """
        self.ax.apply_aspect()
        bounds, static = self._statics.get(name, (None, None))
        if bounds == self.fig.bbox.bounds:
            self._background = static
        else:
            self.invalidate()

    def _on_draw(self, event) -> None:
        """After a full render: keep it as the static figure of the objective."""
        super()._on_draw(event)
        if self._background is not None and self._shown_key is not None:
            self._statics[self._shown_key[0]] = (
                self.fig.bbox.bounds,
                self._background,
            )

    def _prepare_views(self) -> None:
        """Make what a first choice of each objective (or κ) would make.

        The contours of every objective and of every κ of the slider, the loss-axis
        tops, and each objective's static figure. Those are Agg renders only, and
        the canvas is then put back as the first refresh left it: no frame goes to
        the browser (under ipympl, a frame sent before the page shows the canvas
        costs 1.4 MB). The runs were made before the figure (:meth:`_run_preset`).
        """
        first = self.objective_key()
        kappa = round(self.controls["kappa"].value, KEY_DECIMALS)
        for name in OBJECTIVES:
            keys = [(name,)]
            if name == "bowl":  # every κ of the slider, and the one shown
                keys = [(name, k) for k in (*_kappas(), kappa)]
            for key in keys:
                self._show_background(key)
            if self._background is None:
                FigureCanvasAgg.draw(self.fig.canvas)  # _on_draw keeps it
        self._show_background(first)
        self.fig.canvas.restore_region(self._background)
        self._draw_animated()

    def _loss_top(self, name: str) -> float:
        """The top contour level of objective ``name`` (for the bowl: at κ = 100).

        The loss axis spans 1e-12 to 10 times it; one span for every κ keeps the
        loss panel static while κ moves.
        """
        if name not in self._loss_tops:
            kappa = 10 ** KAPPA_LOG_RANGE[1]
            _, _, Z = plotting._grid(make_objective(name, kappa), N_GRID)
            self._loss_tops[name] = float(plotting.log_levels(Z, N_LEVELS)[-1])
        return self._loss_tops[name]

    def _draw_legend(self):
        """A legend under the figure naming every optimizer (a static artist).

        It lists all six whatever is shown, so that a checkbox only hides or shows
        animated artists and never forces a full redraw.
        """
        names = tuple(OPTIMIZERS)
        handles = [
            Line2D([], [], color=line.get_color(), ls=line.get_linestyle(), lw=1.8)
            for line in (self.loss_lines[name] for name in names)
        ]
        labels = [OPTIMIZERS[name][0] for name in names]
        start = Line2D(
            [], [], ls="", marker="o", ms=8, mfc="white", mec="black", mew=1.5
        )
        return self.fig.legend(
            handles=[*handles, start],
            labels=[*labels, "start θ₀"],
            loc="outside lower center",
            ncols=len(names) + 1,
            fontsize="small",
            frameon=False,
        )

    def update(self) -> None:
        key = self.objective_key()
        if key != self._shown_key:
            self._show_background(key)
        k = self.controls["steps"].value
        start = self.start_point()
        self.start.set_data(start[:1], start[1:])
        limits = [self.ax.get_xlim(), self.ax.get_ylim()]
        messages, rows = [], []
        for name in OPTIMIZERS:
            shown = self.controls[f"show_{name}"].value
            for artist in (self.paths[name], self.ends[name], self.loss_lines[name]):
                artist.set_visible(shown)
            if not shown:
                continue
            result = self.run(name)
            xy = plotting.mask_far(result.thetas[: k + 1], limits)
            self.paths[name].set_data(xy[:, 0], xy[:, 1])
            end = xy[-1]
            self.ends[name].set_data(end[:1], end[1:])
            self.ends[name].set_visible(bool(np.all(np.isfinite(end))))
            gaps = result.gaps[: k + 1]
            with np.errstate(invalid="ignore"):
                gaps = np.where(gaps > 0, gaps, np.nan)
            self.loss_lines[name].set_data(np.arange(len(gaps)), gaps)
            blown = result.diverged_at is not None and result.diverged_at <= k
            if blown:
                # Its settings are in the table: the box stays inside the axes.
                messages.append(
                    f"{OPTIMIZERS[name][0]} diverged at step {result.diverged_at}"
                )
            rows.append((name, result, blown))
        self._last_start = tuple(start)
        self._last_kappa = key[1] if key[0] == "bowl" else None
        show_message(self.message, "\n".join(messages))
        label = OBJECTIVES[key[0]][0].split(" (")[0]
        kappa = f", κ = {key[1]:.3g}" if key[0] == "bowl" else ""
        self.title.set_text(f"{label}{kappa} · step {k} of {self.max_steps}")
        self.table.value = self._table(rows, k)

    def _settings(self, name: str) -> str:
        return ", ".join(
            f"{SYMBOLS[hp]} = {value:.3g}"
            for hp, value in self.hyperparams(name).items()
        )

    def where(self, name: str, k: int | None = None) -> str:
        """Where run ``name`` is after k steps (default: the step slider's value)."""
        k = self.controls["steps"].value if k is None else k
        result = self.run(name)
        if result.diverged_at is not None and result.diverged_at <= k:
            return f"diverged at step {result.diverged_at}"
        obj = self.objective()
        theta = result.thetas[k]
        if result.gaps[k] <= 1e-8 * self._top:
            return "at the minimum"
        span = max(hi - lo for lo, hi in obj.plot_range)
        near = np.linalg.norm(obj.local_minimizers - theta, axis=1) < 0.02 * span
        if np.any(near[len(obj.minimizers) :]):
            return "in a local minimum"
        if obj.name == "saddle" and np.linalg.norm(theta) < 0.05 * span:
            return "near the saddle"
        return ""

    def _table(self, rows, k: int) -> str:
        lines = []
        for name, result, blown in rows:
            i = list(OPTIMIZERS).index(name)
            gap = "—" if blown else f"{result.gaps[k]:.3g}"
            lines.append(
                f"<tr><td style='color:{plotting.PALETTE[i]}'><b>"
                f"{OPTIMIZERS[name][0]}</b></td><td>{self._settings(name)}</td>"
                f"<td style='text-align:right'>{gap}</td>"
                f"<td>{self.where(name, k)}</td></tr>"
            )
        return (
            "<table style='font-size:90%'><tr><th>optimizer</th><th>settings</th>"
            f"<th>f − f* after {k} steps</th><th></th></tr>"
            + "".join(lines)
            + "</table>"
        )

    def summary(self) -> str:
        k = self.controls["steps"].value
        parts = []
        for name in OPTIMIZERS:
            if not self.controls[f"show_{name}"].value:
                continue
            where = self.where(name, k)
            if where.startswith("diverged"):
                parts.append(f"{OPTIMIZERS[name][0]} {where}")
            else:
                parts.append(f"{OPTIMIZERS[name][0]} {self.run(name).gaps[k]:.3g}")
        key = self.objective_key()
        kappa = f" (κ = {key[1]:.3g})" if key[0] == "bowl" else ""
        shown = "; ".join(parts) if parts else "no optimizer shown"
        return f"{key[0]}{kappa}, f − f* after {k} steps: {shown}"


class _Bowls:
    """Bowls ½θᵀA_iθ stacked as one objective: row i of θ follows bowl i.

    Just what :func:`run_batch` uses: ``df`` (A_i θ, the same arithmetic as each
    bowl's own ``df``), ``value_grid`` (each column by its own bowl), the plot
    range and f* (the same for every bowl).
    """

    def __init__(self, bowls) -> None:
        self.bowls = bowls
        A = np.array([bowl.d2f(0.0, 0.0) for bowl in bowls], dtype=float)
        self.a = A  # (n, 2, 2)
        self.plot_range = bowls[0].plot_range
        self.min_value = bowls[0].min_value

    def df(self, x, y):
        a = self.a
        return (a[:, 0, 0] * x + a[:, 0, 1] * y, a[:, 1, 0] * x + a[:, 1, 1] * y)

    def value_grid(self, X, Y):
        return np.stack(
            [bowl.value_grid(X[:, i], Y[:, i]) for i, bowl in enumerate(self.bowls)],
            axis=-1,
        )


class _Nested:
    """A do-nothing context manager (a hold inside a hold)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc) -> None:
        return None


def _hyper_slider(hp: str, value: float):
    """The slider of one hyper-parameter: η on a log scale, decay rates linear."""
    if hp == "lr":
        return widgets.FloatLogSlider(
            value=value,
            base=10,
            min=LR_LOG_RANGE[0],
            max=LR_LOG_RANGE[1],
            step=LR_STEP,
            description="η",
            readout_format=".3g",
            style={"description_width": "2em"},
        )
    if hp == "beta2":
        return widgets.SelectionSlider(
            options=BETA2_OPTIONS,
            value=value,
            description="β₂",
            style={"description_width": "2em"},
        )
    return widgets.FloatSlider(
        value=value,
        min=0.0,
        max=0.99,
        step=0.01,
        description=SYMBOLS[hp],
        style={"description_width": "2em"},
    )


def _kappas() -> list[float]:
    """Every position of the κ slider, rounded as in the cache keys."""
    lo, hi = KAPPA_LOG_RANGE
    n = round((hi - lo) / KAPPA_STEP)
    return [round(10 ** (lo + i * KAPPA_STEP), KEY_DECIMALS) for i in range(n + 1)]


def _rounded(hyperparams: dict[str, float]) -> tuple[float, ...]:
    """Hyper-parameter values as they enter a cache key."""
    return tuple(round(v, KEY_DECIMALS) for v in hyperparams.values())


def _slider_grid(slider) -> list[float]:
    """Every position of a FloatSlider (81 to 401 here), rounded as in cache keys.

    A batch of a few hundred starts costs two to three times a single run (the
    work per step is mostly Python), so a start slider's first move runs them
    all: later moves along it, wherever they go, only look runs up.
    """
    n = round((slider.max - slider.min) / slider.step)
    return [round(slider.min + i * slider.step, KEY_DECIMALS) for i in range(n + 1)]

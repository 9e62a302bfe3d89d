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

Speed. Each optimizer runs once to ``max_steps`` (with :func:`gdcore.runs.
descend_paths`) and the step slider only slices that run; runs, contour sets and
loss-axis spans go through the explorer's one cache, keyed by everything they
depend on. The contours of each objective (and κ) are swapped in and out as
animated artists, so a κ move never re-renders the axes; a new objective has
new limits and ticks, so its static figure is rendered once and kept. With
``precompute=True`` those figures and contour sets are made at construction.
A run that blows up (θ, f or ∇f beyond 1e150) stops, and a message on the
figure names it; the other runs keep drawing.
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.lines import Line2D

from .. import plotting
from .._validate import check_int
from ..optimizers import get_optimizer
from ..runs import descend_paths
from ._artists import Swap, message_artist, show_message
from ._base import Explorer
from .optimizer_controls import (
    CHOICES,
    KAPPA_LOG_RANGE,
    KAPPA_STEP,
    KEY_DECIMALS,
    PRESETS,
    SLIDERS,
    SYMBOLS,
    layout,
    make_controls,
    make_objective,
    set_start_sliders,
    slider_grid,
)

DEFAULT_SHOWN = ("sgd", "momentum", "rmsprop", "adam")
N_GRID, N_LEVELS = 150, 12  # plot_contour_2d's defaults


class Run(NamedTuple):
    """One optimizer's path: θ_0 … θ_S (NaN after a divergence) and f(θ_k) − f*."""

    thetas: np.ndarray  # (S+1, 2)
    gaps: np.ndarray  # (S+1,), NaN where θ_k is not finite
    diverged_at: int | None  # the step at which the run blew up


class OptimizerExplorer(Explorer):
    """Several optimizers side by side on one objective, each with its sliders.

    Parameters
    ----------
    objective : "bowl", "rosenbrock", "wavy_2d" or "saddle"; its entry of
        :data:`PRESETS` sets the start point and the hyper-parameters.
    show : the optimizers drawn at first (keys of :data:`SLIDERS`).
    kappa : the bowl's condition number κ = λ_max/λ_min (1 to 100).
    steps : steps shown at first; ``max_steps`` is the end of the step slider.
    precompute : render every objective's static figure and make the contours
        of every objective and κ right away, so that choosing an objective, or
        moving κ, is as quick the first time as later.

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
        if objective not in CHOICES:
            names = ", ".join(repr(n) for n in CHOICES)
            raise ValueError(f"objective must be one of {names}, got {objective!r}")
        unknown = [name for name in show if name not in SLIDERS]
        if isinstance(show, str) or unknown:
            names = ", ".join(repr(n) for n in SLIDERS)
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
        controls = make_controls(objective, show, kappa, steps, self.max_steps)

        super().__init__(figsize=figsize, dpi=dpi)
        self.ax, self.loss_ax = self.fig.subplots(1, 2, width_ratios=[1.0, 1.1])
        self._draw_loss_panel()
        self.ax.set_aspect("equal", adjustable="box")  # as plot_contour_2d's
        self.ax.set(xlabel="x", ylabel="y")
        self.paths, self.ends, self.loss_lines = {}, {}, {}
        for i, (name, (label, _)) in enumerate(SLIDERS.items()):
            style = {"color": plotting.PALETTE[i], "ls": plotting.LINESTYLES[i]}
            (self.paths[name],) = self.ax.plot([], [], lw=1.5, zorder=4, **style)
            (self.ends[name],) = self.ax.plot(
                [], [], marker="o", ms=6, mec="white", mew=1, ls="", zorder=6,
                color=style["color"],
            )  # fmt: skip
            (self.loss_lines[name],) = self.loss_ax.plot(
                [], [], lw=1.5, label=label, **style
            )
        (self.start,) = self.ax.plot([], [], **plotting.MARKERS["start"])
        self.message = message_artist(self.ax)
        self.title = self.fig.suptitle("", x=0.02, ha="left", fontweight="bold")
        self.bands = Swap()
        self._statics: dict[str, tuple] = {}  # objective → (figure bounds, render)
        self._shown: str | None = None  # the objective whose limits are set
        self._legend_shown: tuple[bool, ...] | None = None  # see _dim_legend
        self._draw_legend()
        self.table = widgets.HTML()
        animated = [self.bands, *self.paths.values(), *self.ends.values()]
        animated += [*self.loss_lines.values(), self.start, self.message, self.title]
        self._setup(controls, extras=[self.table], animated=animated)
        self.widget = layout(
            self.controls, self.table, self.fig.canvas if self.live else self._image
        )
        if precompute:
            self._prepare_views()

    # -- controls ----------------------------------------------------------------

    def _on_change(self, change) -> None:
        if change["owner"] is self.controls.get("objective"):
            with self._hold():  # one refresh for the preset and the new objective
                name = change["new"]
                set_start_sliders(self.controls, name)
                for opt, (_, hyper) in SLIDERS.items():
                    for hp in hyper:
                        self.controls[f"{opt}_{hp}"].value = PRESETS[name][opt][hp]
                self.controls["kappa"].disabled = name != "bowl"
                self._pending = True
            return
        super()._on_change(change)

    # -- the model: objective, hyper-parameters, runs ------------------------------

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
        return {hp: self.controls[f"{name}_{hp}"].value for hp in SLIDERS[name][1]}

    def optimizer(self, name: str):
        """The gdcore optimizer the sliders of ``name`` describe."""
        return get_optimizer(name, **self.hyperparams(name))

    def start_point(self) -> np.ndarray:
        return np.array(
            [round(self.controls[a].value, KEY_DECIMALS) for a in ("x0", "y0")]
        )

    def run(self, name: str) -> Run:
        """The run of optimizer ``name`` for the current controls (cached).

        The first run in a context (optimizer, hyper-parameters, objective) is
        made alone. Another start in the same context means a start slider is
        moving: that run comes with the runs from every position of the x₀
        slider at its y₀ and of the y₀ slider at its x₀, in one batch (two to
        three times the cost of one run), so that the slider's later moves
        find theirs made. Either way the runs are the same, to the last digit.
        """
        hp = tuple(round(v, KEY_DECIMALS) for v in self.hyperparams(name).values())
        context = ("runs", name, hp, self.objective_key())
        x, y = start = tuple(self.start_point())
        row, column = (*context, "row", y), (*context, "column", x)
        if (*context, "start", start) in self._cache or context not in self._cache:
            runs = self.cached(
                (*context, "start", start),
                lambda: self._runs_from(name, [start]),
                also=[context],
            )
        else:
            runs = self.cached(
                row, lambda: self._runs_through(name, start), also=[column]
            )
        return runs[start] if start in runs else self._runs_from(name, [start])[start]

    def _runs_through(self, name: str, start: tuple) -> dict[tuple, Run]:
        """Runs from ``start`` and every start on its row and column of sliders."""
        x, y = start
        row = [(v, y) for v in slider_grid(self.controls["x0"])]
        column = [(x, v) for v in slider_grid(self.controls["y0"])]
        return self._runs_from(name, list(dict.fromkeys([start, *row, *column])))

    def _runs_from(self, name: str, starts: list[tuple]) -> dict[tuple, Run]:
        """Runs of optimizer ``name`` from every start in ``starts``, at once."""
        obj = self.objective()
        paths = descend_paths(obj, self.optimizer(name), starts, self.max_steps)
        gaps = paths.losses - obj.min_value
        return {
            point: Run(
                paths.thetas[:, i],
                gaps[:, i],
                None if paths.diverged_at[i] < 0 else int(paths.diverged_at[i]),
            )
            for i, point in enumerate(starts)
        }

    # -- the view ------------------------------------------------------------------

    def _draw_loss_panel(self) -> None:
        ax = self.loss_ax
        ax.set_yscale("log")
        ax.set_xlim(0, self.max_steps)
        ax.set_xlabel("step k")
        ax.set_ylabel(r"$f(\theta_k) - f^*$  (log scale)")
        ax.grid(True, which="major", alpha=0.3)

    def _contours(self, key: tuple) -> tuple:
        """(filled, lines, minimum, top level) of objective ``key`` (made once)."""

        def make():
            objective = make_objective(*key)
            filled, lines = plotting.plot_contour_bands(
                objective, ax=self.ax, n_grid=N_GRID, n_levels=N_LEVELS
            )
            minimum = plotting.plot_minimum(objective, ax=self.ax)
            for artist in (filled, lines, minimum):
                artist.set_visible(False)
            return filled, lines, minimum, float(filled.levels[-1])

        return self.cached(("contours", key), make)

    def _loss_top(self, name: str) -> float:
        """The top contour level of objective ``name`` (the bowl: at κ = 100).

        The loss axis spans 1e-12 to 10 times it; one span for every κ keeps the
        loss panel static while κ moves.
        """

        def make():
            kappa = 10 ** KAPPA_LOG_RANGE[1]
            _, _, Z = plotting.loss_grid(make_objective(name, kappa), N_GRID)
            return float(plotting.log_levels(Z, N_LEVELS)[-1])

        return self.cached(("loss top", name), make)

    def _show_objective(self, key: tuple) -> None:
        """Swap in the contours of ``key``; set the limits of a new objective.

        New limits mean new ticks: a full render, ≈ 0.1 s. It depends on the
        objective alone (and on the figure's size in pixels, which ipympl changes
        with the screen's pixel ratio), so :meth:`_on_draw` keeps each one and a
        later choice of the objective puts it back.
        """
        *artists, _ = self._contours(key)
        self.bands.show(artists)
        name = key[0]
        if name == self._shown:
            return
        (x_lo, x_hi), (y_lo, y_hi) = make_objective(*key).plot_range
        self.ax.set(xlim=(x_lo, x_hi), ylim=(y_lo, y_hi))
        loss_top = self._loss_top(name)
        self.loss_ax.set_ylim(loss_top * 1e-12, loss_top * 10)
        self.ax.apply_aspect()  # the box follows the limits: place it now
        self._shown = name
        bounds, static = self._statics.get(name, (None, None))
        if bounds == self.fig.bbox.bounds:
            self._background = static
        else:
            self.invalidate()

    def _on_draw(self, event) -> None:
        """After a full render: keep it as the static figure of the objective."""
        super()._on_draw(event)
        if self._background is not None and self._shown is not None:
            self._statics[self._shown] = (self.fig.bbox.bounds, self._background)

    def _prepare_views(self) -> None:
        """Make each objective's contours (the bowl's: every κ) and static figure.

        Agg renders only; the canvas is then put back as the first refresh left
        it, so no frame goes to the browser.
        """
        first = self.objective_key()
        lo, hi = KAPPA_LOG_RANGE
        kappas = [
            10 ** (lo + i * KAPPA_STEP)
            for i in range(round((hi - lo) / KAPPA_STEP) + 1)
        ]
        for name in CHOICES:
            keys = [(name,)]
            if name == "bowl":
                keys = [(name, round(k, KEY_DECIMALS)) for k in kappas]
            for key in keys:
                self._show_objective(key)
            if self._background is None:
                FigureCanvasAgg.draw(self.fig.canvas)  # _on_draw keeps it
        self._show_objective(first)
        self.fig.canvas.restore_region(self._background)
        self._draw_animated()

    def _draw_legend(self) -> None:
        """A legend under the figure naming every optimizer (a static artist).

        It lists all six, the ones not shown greyed out (:meth:`_dim_legend`).
        """
        handles = [
            Line2D([], [], color=line.get_color(), ls=line.get_linestyle(), lw=1.8)
            for line in self.loss_lines.values()
        ]
        start = Line2D([], [], **plotting.MARKERS["start"])
        self.legend = self.fig.legend(
            handles=[*handles, start],
            labels=[*(label for label, _ in SLIDERS.values()), "start θ₀"],
            loc="outside lower center",
            ncols=len(SLIDERS) + 1,
            fontsize="small",
            frameon=False,
        )

    def _dim_legend(self) -> None:
        """Grey out the legend entries of the optimizers not shown.

        The legend is static, so a checkbox that changes it redraws the whole
        figure once (a toggle may send a whole frame), and the kept static
        figures of the other objectives, drawn with the old legend, are dropped.
        """
        shown = tuple(self.controls[f"show_{name}"].value for name in SLIDERS)
        if shown == self._legend_shown:
            return
        self._legend_shown = shown
        texts, handles = self.legend.get_texts(), self.legend.legend_handles
        entries = zip(shown, texts[: len(shown)], handles[: len(shown)], strict=True)
        for on, text, handle in entries:
            text.set_alpha(1.0 if on else 0.35)
            handle.set_alpha(1.0 if on else 0.35)
        self._statics.clear()
        self.invalidate()

    def update(self) -> None:
        key = self.objective_key()
        self._show_objective(key)
        self._dim_legend()
        k = self.controls["steps"].value
        start = self.start_point()
        self.start.set_data(start[:1], start[1:])
        limits = [self.ax.get_xlim(), self.ax.get_ylim()]
        messages, rows = [], []
        for name, (label, _) in SLIDERS.items():
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
            if blown:  # its settings are in the table: the box stays in the axes
                messages.append(f"{label} diverged at step {result.diverged_at}")
            rows.append((name, result, blown))
        show_message(self.message, "\n".join(messages))
        label = CHOICES[key[0]][0].split(" (")[0]
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
        if result.gaps[k] <= 1e-8 * self._contours(self.objective_key())[-1]:
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
            i = list(SLIDERS).index(name)
            gap = "—" if blown else f"{result.gaps[k]:.3g}"
            lines.append(
                f"<tr><td style='color:{plotting.PALETTE[i]}'><b>"
                f"{SLIDERS[name][0]}</b></td><td>{self._settings(name)}</td>"
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
        for name, (label, _) in SLIDERS.items():
            if not self.controls[f"show_{name}"].value:
                continue
            where = self.where(name, k)
            if where.startswith("diverged"):
                parts.append(f"{label} {where}")
            else:
                parts.append(f"{label} {self.run(name).gaps[k]:.3g}")
        key = self.objective_key()
        kappa = f" (κ = {key[1]:.3g})" if key[0] == "bowl" else ""
        shown = "; ".join(parts) if parts else "no optimizer shown"
        return f"{key[0]}{kappa}, f − f* after {k} steps: {shown}"

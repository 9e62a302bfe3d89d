"""Start-point explorer: on a curve with two valleys, the start decides the end.

Gradient descent on the double well f(x) = x⁴/4 − x³/3 − x² (``gd.wavy_1d``),
with a shallow minimum at x = −1, the global one at x = 2 and a hump at x = 0,
from the start x₀ of one slider with the small η of another. The left panel shows
the iterates on the curve, the right one x_k against k, the title which minimum
the run reaches. For η < 1/4 no step x ← x·(1 − η(x + 1)(x − 2)) crosses the hump.

    from gdcore.widgets import StartPointExplorer
    StartPointExplorer()            # or StartPointExplorer(x0=0.5, lr=0.2)
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.lines import Line2D

from .. import plotting
from .._validate import check_real
from ..objectives import wavy_1d
from ..optimizers import sgd
from ..runs import History, descend, descend_paths
from ._base import Explorer
from ._controls import slider

X0_STEP = 0.05  # the start slider's step; it spans the plot range [−2, 3]
LR_MIN, LR_MAX, LR_STEP = 0.04, 0.24, 0.02  # η < 1/4: no step jumps over the hump
STEPS_TIMES_LR = 5.0  # a run takes ⌈5/η⌉ steps: enough to settle from any start
TOL = 1e-3  # |x_k − minimum| below this counts as having reached the minimum
MINIMA = {2.0: "global", -1.0: "shallow"}  # wavy_1d's minima: x → which one
OUTCOME_COLORS = {
    "global": plotting.OKABE_ITO["bluish_green"],
    "shallow": plotting.OKABE_ITO["reddish_purple"],
    "hump": plotting.OKABE_ITO["black"],
    "unsettled": plotting.OKABE_ITO["black"],
}
VERDICTS = {"global": "reaches the global", "shallow": "ends in the shallow"}
HUMP_COLOR = "0.35"
LABEL = {"textcoords": "offset points", "ha": "center", "fontsize": "x-small"}


def steps_for(lr: float) -> int:
    """⌈5/η⌉: small steps need more of them (125 at η = 0.04, 21 at η = 0.24)."""
    return math.ceil(round(STEPS_TIMES_LR / lr, 9))


def _num(value: float, spec: str = "g") -> str:
    """A number for a label, with a true minus sign: −1, not -1."""
    return format(value, spec).replace("-", "−")


def _snap(value):
    """Slider values without the float noise of their grid (0.15000000000000002)."""
    return np.round(value, 12) + 0.0  # + 0.0 turns −0.0 into 0.0


class StartPointExplorer(Explorer):
    """Gradient descent on the double well ``gd.wavy_1d`` under a start slider.

    Parameters
    ----------
    x0 : the starting point, in [−2, 3] (default −0.5, left of the hump).
    lr : the starting η, in [0.04, 0.24] (default 0.1).
    figsize, dpi : the figure's size in inches and its resolution.
    """

    def __init__(
        self,
        *,
        x0: float = -0.5,
        lr: float = 0.1,
        figsize: tuple[float, float] = (8.2, 3.8),
        dpi: int = plotting.DPI,
    ) -> None:
        self.objective = wavy_1d()
        ((lo, hi),) = self.objective.plot_range
        if not lo <= check_real(x0, "x0") <= hi:
            raise ValueError(f"x0 must be in [{lo:g}, {hi:g}], got {x0}")
        if not LR_MIN <= check_real(lr, "lr") <= LR_MAX:
            raise ValueError(f"lr must be in [{LR_MIN:g}, {LR_MAX:g}], got {lr}")
        self.minima = dict(MINIMA)
        self.starts = _snap(np.arange(lo, hi + X0_STEP / 2, X0_STEP))[:, None]
        controls = {
            "x0": slider("x₀", x0, lo, hi, X0_STEP, readout_format=".2f"),
            "lr": slider("η", lr, LR_MIN, LR_MAX, LR_STEP, readout_format=".2f"),
        }
        controls["x0"].layout.width = "55%"
        controls["lr"].layout.width = "40%"
        super().__init__(figsize=figsize, dpi=dpi)
        ax_curve, ax_steps = self.fig.subplots(1, 2, width_ratios=[1.15, 1])
        self._draw_curve_panel(ax_curve)
        self._draw_steps_panel(ax_steps, lo, hi)
        self.title = self.fig.suptitle("", x=0.02, ha="left", fontweight="bold")
        animated = [self.artists.path, self.artists.current, self.start]
        animated += [self.trace, self.trace_end, self.detail, self.title]
        self._setup(controls, animated=animated)

    def run(self, x0: float, lr: float) -> History:
        """Plain gradient descent from x₀ with η for ⌈5/η⌉ steps.

        The runs from all the x₀ slider's positions are made at once (as quick as
        one run) and kept, once per η; any other x₀ is run alone.
        """
        lr, steps = _snap(lr), steps_for(lr)
        row = np.flatnonzero(self.starts == _snap(x0))
        if not len(row):
            return descend(self.objective, sgd(lr), x0, steps)
        batch = self.cached(
            lr, lambda: descend_paths(self.objective, sgd(lr), self.starts, steps)
        )
        return batch.history(row[0])

    def _state(self) -> tuple[float, float]:
        return _snap(self.controls["x0"].value), _snap(self.controls["lr"].value)

    def outcome(self, history: History | None = None) -> tuple[str, str, str]:
        """(kind, verdict, detail) of a run, by default the one shown: kind is
        "global", "shallow", "hump" or "unsettled", verdict the title's sentence."""
        if history is None:
            history = self.run(*self._state())
        xs = history.thetas[:, 0]
        for m, kind in self.minima.items():
            near = np.abs(xs - m) < TOL
            if near[-1]:
                where = f"x = {_num(m)}"
                k = int(np.argmax(near))
                detail = f"within 10⁻³ of {where} after {k} steps"
                if k == 0:
                    detail = f"it starts at {where}, where f′ = 0"
                return kind, f"{VERDICTS[kind]} minimum at {where}", detail
        if np.all(xs == xs[0]) and self.objective.df(xs[0]) == 0:
            x = _num(xs[0])
            detail = f"f′({x}) = 0: no step ever moves it"
            return "hump", f"stays on the hump at x = {x}", detail
        detail = f"still moving after {history.steps} steps"
        return "unsettled", "has not settled", detail

    def _draw_curve_panel(self, ax) -> None:
        """The curve with its minima and hump marked, and the markers that move."""
        self.artists = plotting.plot_curve_1d(self.objective, ax=ax)
        start = plotting.MARKERS["start"] | {"label": "start x₀", "clip_on": False}
        (self.start,) = ax.plot([], [], **start)
        f = self.objective.value
        for m, kind in self.minima.items():
            star = {"mfc": OUTCOME_COLORS[kind], "zorder": 2}
            ax.plot([m], [f(m)], **plotting.MARKERS["minimum"] | star)
            label = f"{kind} minimum\nx = {_num(m)}"
            ax.annotate(label, (m, f(m)), xytext=(0, -11), va="top", **LABEL)
        ax.plot([0.0], [f(0.0)], ls="", marker="^", ms=7, color=HUMP_COLOR, zorder=2)
        ax.annotate("hump x = 0", (0.0, f(0.0)), xytext=(0, 8), **LABEL)
        y_lo, y_hi = ax.get_ylim()
        ax.set_ylim(y_lo - 0.12 * (y_hi - y_lo), y_hi + 0.1 * (y_hi - y_lo))
        legend = [self.artists.curve, self.start]
        for m, kind in self.minima.items():
            path = {"color": OUTCOME_COLORS[kind], "marker": "o", "ms": 4}
            legend.append(Line2D([], [], label=f"path to x = {_num(m)}", **path))
        ax.legend(
            handles=legend, loc="upper center", ncols=2, frameon=False, fontsize="small"
        )

    def _draw_steps_panel(self, ax, lo: float, hi: float) -> None:
        """x_k against k, with the two minima and the hump as horizontal lines."""
        levels = [
            (m, kind, OUTCOME_COLORS[kind], ":") for m, kind in self.minima.items()
        ]
        right = ax.get_yaxis_transform()  # x in axes units: 1 is the right edge
        for x, name, color, style in [*levels, (0.0, "hump", HUMP_COLOR, "--")]:
            ax.axhline(x, color=color, lw=1, ls=style)
            text = f" {name}\n x = {_num(x)}"
            ax.text(1.0, x, text, transform=right, va="center", fontsize="x-small")
        (self.trace,) = ax.plot([], [], lw=1.8)
        (self.trace_end,) = ax.plot([], [], **plotting.MARKERS["current"])
        self.detail = ax.set_title("", fontsize="small", loc="left")
        ax.set(xlim=(-2, steps_for(LR_MIN) + 3), ylim=(lo - 0.2, hi + 0.2))
        ax.set(xlabel="step k", ylabel="$x_k$")
        ax.grid(True, alpha=0.3)

    def update(self) -> None:
        history = self.run(*self._state())
        xs, steps = history.thetas[:, 0], np.arange(history.steps + 1)
        kind, verdict, detail = self.outcome(history)
        plotting.set_path_1d(self.artists, xs, history.losses)  # no tangent here
        self.start.set_data(xs[:1], history.losses[:1])
        self.trace.set_data(steps, xs)
        self.trace_end.set_data(steps[-1:], xs[-1:])
        for line in (self.artists.path, self.trace):
            line.set_color(OUTCOME_COLORS[kind])
        x0, lr = (_num(value, ".2f") for value in self._state())
        self.title.set_text(f"x₀ = {x0}, η = {lr}: {verdict}")
        self.detail.set_text(detail)

    def summary(self) -> str:
        x0, lr = (_num(value, ".2f") for value in self._state())
        _, verdict, detail = self.outcome()
        return f"wavy_1d from x₀ = {x0} with η = {lr}: {verdict} ({detail})"

"""Start-point explorer: on a curve with two valleys, the start decides the end.

The double well f(x) = x⁴/4 − x³/3 − x² (``gd.wavy_1d``) has a shallow minimum
at x = −1 (f = −5/12), the global one at x = 2 (f = −8/3) and a hump at x = 0
between them. One slider sets the start x₀, a second a small learning rate η.
The left panel shows the iterates on the curve, the right one x_k against the
step k, and the title says which minimum the run reaches.

Why the hump divides the starts: one step is

    x ← x − η·f′(x) = x − η·x(x + 1)(x − 2) = x·(1 − η(x + 1)(x − 2)).

On the plot range [−2, 3], (x + 1)(x − 2) <= 4, so for η < 1/4 the bracket is
positive and no step crosses 0: every start left of the hump ends at −1, every
start right of it ends at 2, and x₀ = 0 itself (f′(0) = 0) never moves. The η
slider stops at 0.24 to stay in that regime; notebook 02 shows what a larger η
does (it can hop over the hump).

    from gdcore.widgets import StartPointExplorer
    StartPointExplorer()            # or StartPointExplorer(x0=0.5, lr=0.2)
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from .. import plotting
from .._validate import check_real
from ..objectives import wavy_1d
from ..optimizers import sgd
from ..runs import History, descend
from ._base import Explorer

X0_STEP = 0.05  # the start slider's step; it spans the plot range [−2, 3]
LR_MIN, LR_MAX, LR_STEP = 0.04, 0.24, 0.02  # η < 1/4: no step jumps over the hump
STEPS_TIMES_LR = 5.0  # a run takes ⌈5/η⌉ steps: enough to settle from any start
TOL = 1e-3  # |x_k − minimum| below this counts as having reached the minimum
OUTCOME_COLORS = {
    "global": plotting.OKABE_ITO["bluish_green"],
    "shallow": plotting.OKABE_ITO["reddish_purple"],
    "hump": plotting.OKABE_ITO["black"],
    "unsettled": plotting.OKABE_ITO["black"],
}


def steps_for(lr: float) -> int:
    """⌈5/η⌉: small steps need more of them (125 at η = 0.04, 21 at η = 0.24)."""
    return math.ceil(round(STEPS_TIMES_LR / lr, 9))


def _num(value: float, spec: str = "g") -> str:
    """A number for a label, with a true minus sign: −1, not -1."""
    return format(value, spec).replace("-", "−")


def _snap(value: float) -> float:
    """A slider value without the float noise of its grid (0.15000000000000002)."""
    return round(float(value), 12) + 0.0  # + 0.0 turns −0.0 into 0.0


class StartPointExplorer(Explorer):
    """Gradient descent on the double well ``gd.wavy_1d`` under a start slider.

    Parameters
    ----------
    x0 : the starting point, in [−2, 3] (default −0.5, left of the hump).
    lr : the starting η, in [0.04, 0.24] (default 0.1).
    precompute : run every start on the slider for the starting η right away
        (about 0.6 s), so that dragging x₀ only looks runs up. Other η are run
        the first time they are shown and cached.
    """

    def __init__(
        self,
        *,
        x0: float = -0.5,
        lr: float = 0.1,
        precompute: bool = True,
        figsize: tuple[float, float] = (8.2, 3.8),
        dpi: int = plotting.DPI,
    ) -> None:
        self.objective = wavy_1d()
        ((lo, hi),) = self.objective.plot_range
        x0 = check_real(x0, "x0")
        if not lo <= x0 <= hi:
            raise ValueError(f"x0 must be in [{lo:g}, {hi:g}], got {x0}")
        lr = check_real(lr, "lr")
        if not LR_MIN <= lr <= LR_MAX:
            raise ValueError(f"lr must be in [{LR_MIN:g}, {LR_MAX:g}], got {lr}")
        self.minima = {  # x of each minimum → "global" or "shallow"
            float(m): "global" if np.any(self.objective.minimizers == m) else "shallow"
            for m in self.objective.local_minimizers[:, 0]
        }
        x0_slider = widgets.FloatSlider(
            value=x0,
            min=lo,
            max=hi,
            step=X0_STEP,
            description="x₀",
            readout_format=".2f",
            continuous_update=True,
            style={"description_width": "2em"},
            layout=widgets.Layout(width="55%"),
        )
        lr_slider = widgets.FloatSlider(
            value=lr,
            min=LR_MIN,
            max=LR_MAX,
            step=LR_STEP,
            description="η",
            readout_format=".2f",
            style={"description_width": "2em"},
            layout=widgets.Layout(width="40%"),
        )
        super().__init__(figsize=figsize, dpi=dpi)
        if precompute:
            for k in range(round((hi - lo) / X0_STEP) + 1):
                self.run(lo + k * X0_STEP, lr)
        ax_curve, ax_steps = self.fig.subplots(1, 2, width_ratios=[1.15, 1])
        self.artists = plotting.plot_curve_1d(self.objective, ax=ax_curve)
        (self.start,) = ax_curve.plot(
            [],
            [],
            ls="",
            marker="o",
            ms=8,
            mfc="white",
            mec="black",
            mew=1.5,
            zorder=4,
            label="start x₀",
            clip_on=False,
        )
        self._mark_stationary_points(ax_curve)
        paths = [
            Line2D(
                [],
                [],
                color=OUTCOME_COLORS[kind],
                marker="o",
                ms=4,
                label=f"path to x = {_num(m)}",
            )
            for m, kind in sorted(self.minima.items(), reverse=True)
        ]
        ax_curve.legend(
            handles=[self.artists.curve, self.start, *paths],
            loc="upper center",
            ncols=2,
            frameon=False,
            fontsize="small",
        )
        self.trace, self.trace_end, self.detail = self._draw_steps_panel(
            ax_steps, lo, hi
        )
        self.title = self.fig.suptitle("", x=0.02, ha="left", fontweight="bold")
        art = self.artists
        self._setup(
            {"x0": x0_slider, "lr": lr_slider},
            animated=[
                art.path,
                art.current,
                self.start,
                self.trace,
                self.trace_end,
                self.detail,
                self.title,
            ],
        )

    # -- the model: cached runs ------------------------------------------------

    def run(self, x0: float, lr: float) -> History:
        """``gd.descend`` from x₀ with plain gradient descent, ⌈5/η⌉ steps, cached."""
        x0, lr = _snap(x0), _snap(lr)
        return self.cached(
            ("run", x0, lr),
            lambda: descend(self.objective, sgd(lr), x0, steps_for(lr)),
        )

    def current_run(self) -> History:
        return self.run(self.controls["x0"].value, self.controls["lr"].value)

    def outcome(self, history: History | None = None) -> tuple[str, str, str]:
        """(kind, verdict, detail) for a run (default: the one shown).

        kind is "global", "shallow", "hump" or "unsettled"; verdict is the
        sentence in the title, e.g. "reaches the global minimum at x = 2";
        detail says when, e.g. "within 10⁻³ of x = 2 after 31 steps".
        """
        history = self.current_run() if history is None else history
        xs = history.thetas[:, 0]
        for m, kind in self.minima.items():
            near = np.abs(xs - m) < TOL
            if near[-1]:
                k = int(np.argmax(near))
                where = f"x = {_num(m)}"
                if kind == "global":
                    verdict = f"reaches the global minimum at {where}"
                else:
                    verdict = f"ends in the shallow minimum at {where}"
                if k == 0:
                    return kind, verdict, f"it starts at {where}, where f′ = 0"
                return kind, verdict, f"within 10⁻³ of {where} after {k} steps"
        if np.all(xs == xs[0]) and self.objective.df(xs[0]) == 0:
            where = f"x = {_num(xs[0])}"
            return (
                "hump",
                f"stays on the hump at {where}",
                f"f′({_num(xs[0])}) = 0: no step ever moves it",
            )
        return (
            "unsettled",
            "has not settled",
            f"still moving after {history.steps} steps",
        )

    # -- the view ---------------------------------------------------------------

    def _mark_stationary_points(self, ax) -> None:
        """Stars at the two minima, a tick at the hump, each with a label."""
        f = self.objective.value
        for m, kind in self.minima.items():
            ax.plot(
                [m],
                [f(m)],
                ls="",
                marker="*",
                ms=14,
                mfc=OUTCOME_COLORS[kind],
                mec="black",
                mew=0.8,
                zorder=2,
            )
            ax.annotate(
                f"{kind} minimum\nx = {_num(m)}",
                (m, f(m)),
                xytext=(0, -11),
                textcoords="offset points",
                ha="center",
                va="top",
                fontsize="x-small",
            )
        ax.plot([0.0], [f(0.0)], ls="", marker="^", ms=7, color="0.35", zorder=2)
        ax.annotate(
            "hump x = 0",
            (0.0, f(0.0)),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize="x-small",
        )
        y_lo, y_hi = ax.get_ylim()
        ax.set_ylim(y_lo - 0.12 * (y_hi - y_lo), y_hi + 0.1 * (y_hi - y_lo))

    def _draw_steps_panel(self, ax, lo: float, hi: float):
        """x_k against k, with the two minima and the hump as horizontal lines."""
        for m, kind in self.minima.items():
            ax.axhline(m, color=OUTCOME_COLORS[kind], lw=1, ls=":")
            ax.text(
                1.0,
                m,
                f" {kind}\n x = {_num(m)}",
                transform=ax.get_yaxis_transform(),
                va="center",
                ha="left",
                fontsize="x-small",
            )
        ax.axhline(0.0, color="0.35", lw=1, ls="--")
        ax.text(
            1.0,
            0.0,
            " hump\n x = 0",
            transform=ax.get_yaxis_transform(),
            va="center",
            ha="left",
            fontsize="x-small",
        )
        (trace,) = ax.plot([], [], lw=1.8)
        detail = ax.set_title("", fontsize="small", loc="left")
        (end,) = ax.plot(
            [],
            [],
            ls="",
            marker="o",
            ms=8,
            mfc=plotting.OKABE_ITO["vermillion"],
            mec="white",
            mew=1.2,
            zorder=3,
        )
        ax.set_xlim(-2, steps_for(LR_MIN) + 3)
        ax.set_ylim(lo - 0.2, hi + 0.2)
        ax.set_xlabel("step k")
        ax.set_ylabel("$x_k$")
        ax.grid(True, alpha=0.3)
        return trace, end, detail

    def update(self) -> None:
        x0 = _snap(self.controls["x0"].value)
        lr = _snap(self.controls["lr"].value)
        history = self.run(x0, lr)
        xs = history.thetas[:, 0]
        kind, verdict, detail = self.outcome(history)
        color = OUTCOME_COLORS[kind]
        plotting.set_path_1d(self.artists, xs, history.losses)  # no tangent here
        self.artists.path.set_color(color)
        self.start.set_data([x0], [history.losses[0]])
        steps = np.arange(len(xs))
        self.trace.set_data(steps, xs)
        self.trace.set_color(color)
        self.trace_end.set_data(steps[-1:], xs[-1:])
        x0_text, lr_text = _num(x0, ".2f"), _num(lr, ".2f")
        self.title.set_text(f"x₀ = {x0_text}, η = {lr_text}: {verdict}")
        self.detail.set_text(detail)

    def summary(self) -> str:
        x0 = _snap(self.controls["x0"].value)
        lr = _snap(self.controls["lr"].value)
        _, verdict, detail = self.outcome()
        return (
            f"wavy_1d from x₀ = {_num(x0, '.2f')} with η = {_num(lr, '.2f')}: "
            f"{verdict} ({detail})"
        )

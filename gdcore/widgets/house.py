"""House-price stepper: gradient descent on the five houses, one update at a time.

The model is ŷ = w·x + b on ``gd.house_prices()``, the loss the MSE. At step k the
figure shows the line θ_k = (w_k, b_k) with its residuals and, dotted, the line
after the update; the loss so far; and η against the stable range η < 2/λ_max of
the MSE's Hessian H = (2/N) XᵀX, for the raw feature x (κ ≈ 1.5e7) and for the
standardised z = (x − mean)/std (H = 2I, κ = 1). A table under the controls holds
every number of the update (:mod:`gdcore.widgets.house_table`). The line is always
drawn in raw units: w = w_z/std, b = b_z − w_z·mean/std.

    from gdcore.widgets import HouseStepper
    HouseStepper(lr=0.5, standardise=True)
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from .. import plotting, stability
from .._validate import check_bool, check_finite, check_int, check_positive
from ..datasets import HOUSE_B0, HOUSE_W0, house_prices, standardize
from ..losses import design_matrix, mse, mse_grad, mse_hessian
from ..optimizers import sgd
from ..runs import History, run_paths
from . import house_table
from ._artists import message_artist, show_message
from ._base import Explorer
from ._controls import slider
from .house_table import Step, plain

LOG_LR_MIN, LOG_LR_MAX = -8.0, 0.3  # η from 1e−8 to 10^0.3 ≈ 2 …
LOG_LR_STEP = 0.1  # … with 1e−7, 1e−5, 1e−3, 0.1 and 1 among the notches
LOSS_YLIM = (1e-12, 1e15)  # the loss panel's fixed limits ($1000s squared)
RAW, STANDARDISED = "raw square feet", "standardised size"


class Scaling(NamedTuple):
    """One way of feeding the feature to the model: raw x or z = (x − mean)/std."""

    name: str  # RAW or STANDARDISED
    feature: np.ndarray  # x, or z
    X: np.ndarray  # the design matrix [feature, 1]
    theta0: np.ndarray  # (w, b) of the start line, in this scaling's units
    H: np.ndarray  # Hessian of the MSE, (2/N) XᵀX
    lr_bound: float  # 2/λ_max
    kappa: float  # λ_max/λ_min


def _scaling(name: str, feature: np.ndarray, theta0: list[float]) -> Scaling:
    X = design_matrix(feature)
    H = mse_hessian(X)
    bound, kappa = stability.max_stable_lr(H), stability.condition_number(H)
    return Scaling(name, feature, X, np.array(theta0, dtype=float), H, bound, kappa)


class HouseStepper(Explorer):
    """Gradient descent on the five houses under a step slider, an η slider and a
    "standardise the feature" box; a table shows the numbers of the current update.

    Parameters
    ----------
    lr : starting η (default 1e−5, the article's first choice); the slider runs
        from 1e−8 to 10^0.3 ≈ 2 on a log scale.
    step : starting step k (0: the start line, the article's worked example).
    standardise : start with the standardised feature.
    max_steps : the step slider's end; each (η, scaling) run is this long.
    w0, b0 : the start line in raw units (default the article's 0.05 and 100).
    figsize, dpi : the figure's size in inches and its resolution.
    """

    def __init__(
        self,
        *,
        lr: float = 1e-5,
        step: int = 0,
        standardise: bool = False,
        max_steps: int = 100,
        w0: float = HOUSE_W0,
        b0: float = HOUSE_B0,
        figsize: tuple[float, float] = (8.2, 4.9),
        dpi: int = plotting.DPI,
    ) -> None:
        self.max_steps = check_int(max_steps, "max_steps", minimum=1)
        if check_int(step, "step", minimum=0) > self.max_steps:
            raise ValueError(f"step must be <= max_steps={self.max_steps}, got {step}")
        lr = check_positive(lr, "lr")
        lr_min, lr_max = 10**LOG_LR_MIN, 10**LOG_LR_MAX
        if not lr_min <= lr <= lr_max:
            raise ValueError(f"lr must be in [{lr_min:.3g}, {lr_max:.3g}], got {lr}")
        check_bool(standardise, "standardise")
        w0, b0 = check_finite(w0, "w0"), check_finite(b0, "b0")
        self.x, self.y = house_prices()
        z, self.mean, self.std = standardize(self.x)
        self.scalings = {
            False: _scaling(RAW, self.x, [w0, b0]),
            # the same start line: w·x + b = (w·std)·z + (b + w·mean)
            True: _scaling(STANDARDISED, z, [w0 * self.std, b0 + w0 * self.mean]),
        }
        controls = {
            "step": widgets.IntSlider(
                step,
                max=self.max_steps,
                description="step k",
                style={"description_width": "3.5em"},
                layout={"width": "32%"},
            ),
            "lr": slider(
                "η",
                lr,
                LOG_LR_MIN,
                LOG_LR_MAX,
                LOG_LR_STEP,
                base=10,
                width="1.5em",
                layout={"width": "40%"},
            ),
            "standardise": widgets.Checkbox(
                standardise,
                description="standardise the feature",
                indent=False,
                layout={"width": "26%"},
            ),
        }

        super().__init__(figsize=figsize, dpi=dpi)
        axes = self.fig.subplot_mosaic(
            [["data", "loss"], ["scale", "scale"]],
            height_ratios=[5, 1.25],
            width_ratios=[1.15, 1],
        )
        reg = self.regression = plotting.plot_regression(
            self.x,
            self.y,
            w0,
            b0,
            ax=axes["data"],
            xlabel="size x (sq ft)",
            ylabel="price y ($1000s)",
        )
        (self.next_line,) = reg.ax.plot(
            [],
            [],
            color=plotting.OKABE_ITO["vermillion"],
            lw=1.2,
            ls=":",
            label="after this update",
        )
        reg.ax.legend(loc="upper left", frameon=False, fontsize="small")
        reg.ax.set_title(
            r"the houses, the line $\theta_k$ and its errors", fontsize="medium"
        )

        ax = axes["loss"]
        (self.loss_line,) = ax.plot([], [], color=plotting.OKABE_ITO["blue"], lw=1.8)
        (self.loss_point,) = ax.plot(
            [], [], ls="", marker="o", ms=7, color=plotting.OKABE_ITO["vermillion"]
        )
        ax.set(yscale="log", xlim=(0, self.max_steps), ylim=LOSS_YLIM)
        ax.set_xlabel("step k")
        ax.set_ylabel(r"loss $L(\theta_k)$  (log scale)")
        ax.set_title("the loss so far", fontsize="medium")
        ax.grid(True, which="major", alpha=0.3)
        self.message = message_artist(ax)
        self.message.set_fontsize("small")

        self.marker = self._draw_scale(axes["scale"])
        self.title = self.fig.suptitle("", x=0.01, ha="left", fontweight="bold")
        self.table = widgets.HTML()
        style = widgets.HTML(house_table.STYLE)  # sent once, not with every table
        self._setup(
            controls,
            extras=[style, self.table],
            animated=[
                reg.line,
                reg.residuals,
                self.next_line,
                self.loss_line,
                self.loss_point,
                self.marker,
                self.title,
                self.message,
            ],
        )

    def _draw_scale(self, ax):
        """The η axis in two rows, raw and standardised, each split at 2/λ_max."""
        lr_min, lr_max = 10**LOG_LR_MIN, 10**LOG_LR_MAX
        for row, scaling in ((1, self.scalings[False]), (0, self.scalings[True])):
            bound = scaling.lr_bound
            ax.barh(
                [row, row],
                [bound - lr_min, lr_max - bound],
                left=[lr_min, bound],
                height=0.6,
                color=[plotting.OKABE_ITO[c] for c in ("bluish_green", "vermillion")],
                alpha=0.55,
            )
            ax.plot([bound, bound], [row - 0.3, row + 0.3], color="black", lw=1.2)
            ax.text(
                bound,
                row,
                rf" $2/\lambda_{{\max}}$ = {plain(bound, 3)} ",
                ha="right",
                va="center",
                fontsize="x-small",
                color="white",
                fontweight="bold",
            )
        (marker,) = ax.plot(
            [], [], ls="", marker="v", ms=11, color="black", clip_on=False
        )
        ax.set(xscale="log", xlim=(lr_min, lr_max), ylim=(-0.55, 1.55))
        ax.set_yticks([0, 1], ["standardised", "raw sq ft"], fontsize="small")
        ax.set_xlabel(
            r"learning rate $\eta$ (log scale): stable (green) up to $2/\lambda_{\max}$"
        )
        return marker

    # -- queries ---------------------------------------------------------------------

    @property
    def scaling(self) -> Scaling:
        """The current scaling (raw square feet, or the standardised size)."""
        return self.scalings[self.controls["standardise"].value]

    def history(self) -> History:
        """``max_steps`` updates θ ← θ − η·∇L(θ) at the current η and scaling."""
        lr, scaling = self.controls["lr"].value, self.scaling

        def run() -> History:
            paths = run_paths(
                sgd(lr),
                scaling.theta0[None],
                self.max_steps,
                loss=lambda theta: mse(theta[0], scaling.X, self.y),
                grad=lambda theta, k: mse_grad(theta[0], scaling.X, self.y),
            )
            return paths.history(0)

        return self.cached((lr, scaling.name), run)

    def shown_step(self) -> int:
        """The step on display: the slider's k, or the step where the run stopped."""
        return min(self.controls["step"].value, self.history().steps)

    def step_numbers(self) -> Step:
        """Every number of the update from θ_k (k = :meth:`shown_step`)."""
        k, lr = self.shown_step(), self.controls["lr"].value
        w, b = (float(v) for v in self.history().thetas[k])
        return house_table.step(k, w, b, self.scaling.feature, self.y, lr)

    def to_raw(self, w: float, b: float) -> tuple[float, float]:
        """(w, b) of the current scaling in raw units (sq ft → $1000s)."""
        if self.scaling.name == RAW:
            return w, b
        with np.errstate(all="ignore"):
            return w / self.std, b - w * self.mean / self.std

    def regime(self) -> str:
        """classify_lr(η, H) for the current scaling: monotone … diverging."""
        return stability.classify_lr(self.controls["lr"].value, self.scaling.H)

    # -- the view ----------------------------------------------------------------------

    def update(self) -> None:
        lr, scaling, history = self.controls["lr"].value, self.scaling, self.history()
        s = self.step_numbers()
        reg = self.regression
        w, b = self.to_raw(s.w, s.b)
        plotting.set_line(reg, w, b)  # the residuals; the line is clipped below
        reg.line.set_data(*plotting.visible_segment(w, b, reg.ax))
        w_next, b_next = self.to_raw(s.w_new, s.b_new)
        self.next_line.set_data(*plotting.visible_segment(w_next, b_next, reg.ax))
        # just past the fixed limits: a loss of 0 below the panel, an overflow above
        bottom, top = LOSS_YLIM[0] / 10, LOSS_YLIM[1] * 10
        losses = np.nan_to_num(history.losses[: s.k + 1], nan=top, posinf=top)
        shown = np.clip(losses, bottom, top)
        self.loss_line.set_data(np.arange(s.k + 1), shown)
        self.loss_point.set_data([s.k], shown[-1:])
        self.marker.set_data([lr], [1.42 if scaling.name == RAW else 0.42])
        stopped = " (overflow: the run stops)" if s.k == history.diverged_at else ""
        self.title.set_text(
            f"step {s.k} of {self.max_steps}{stopped} · {scaling.name} · "
            f"η = {lr:.3g}: {self.regime()}"
        )
        show_message(self.message, self._message())
        self.table.value = house_table.table(self, s, history)

    def _message(self) -> str | None:
        """Two short lines on the loss panel when η is at or past 2/λ_max."""
        bound, regime = plain(self.scaling.lr_bound, 3), self.regime()
        if regime == stability.PERIODIC:
            return f"η = 2/λ_max = {bound}: the error\nflips sign and never shrinks"
        if regime != stability.DIVERGING:
            return None
        factor = stability.convergence_factor(self.scaling.H, self.controls["lr"].value)
        return (
            f"Diverging: η > 2/λ_max = {bound}\nthe error grows ×{factor:.3g} per step"
        )

    def summary(self) -> str:
        lr, scaling = self.controls["lr"].value, self.scaling
        s = self.step_numbers()
        w, b = self.to_raw(s.w, s.b)
        return (
            f"{scaling.name}, η = {lr:.4g}: {self.regime()} "
            f"(2/λ_max = {scaling.lr_bound:.4g}, κ = {scaling.kappa:.4g}); "
            f"step {s.k}: w = {w:.6g}, b = {b:.9g}, loss {s.loss:.6g}"
        )

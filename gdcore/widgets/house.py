"""House-price stepper: gradient descent on the five houses, one update at a time.

The data are the five houses of the house-price walkthrough (sizes 500…2,500 sq ft,
prices $150k…$350k, ``gd.house_prices()``), the model is ŷ = w·x + b and the loss is
the MSE. At step k the explorer shows the line θ_k = (w_k, b_k) with its residuals,
the loss so far, and a table with every number of the next update:

    ŷᵢ = w·xᵢ + b,   eᵢ = ŷᵢ − yᵢ,   L = (1/N) Σ eᵢ²
    ∂L/∂w = (2/N) Σ eᵢ·xᵢ,   ∂L/∂b = (2/N) Σ eᵢ
    w ← w − η·∂L/∂w,   b ← b − η·∂L/∂b

Step 0 with η = 1e−5 is the article's worked example: L = 6,875, ∂L/∂w = −275,000,
∂L/∂b = −150, and the update gives w = 2.8, b = 100.0015.

The "standardise" box runs the same descent on z = (x − mean)/std instead of x.
The Hessian of the MSE, H = (2/N) XᵀX with X = [x, 1], decides which η are stable
(η < 2/λ_max) and how slow the slowest direction is (κ = λ_max/λ_min):

    raw square feet   H = [[5.5e6, 3000], [3000, 2]]   κ ≈ 1.5e7   2/λ_max ≈ 3.64e−7
    standardised      H = [[2, 0], [0, 2]]             κ = 1       2/λ_max = 1

The line is always drawn in raw units (sq ft, $1000s): a line fitted on z converts
back with w = w_z/std, b = b_z − w_z·mean/std (``gd.unstandardize_line``), and the
standardised run starts from the same line as the raw one.

    from gdcore.widgets import HouseStepper
    HouseStepper()                       # the article's step, η = 1e−5 (it diverges)
    HouseStepper(lr=0.5, standardise=True)
"""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from .. import plotting, stability
from .._validate import check_finite, check_int, check_positive
from ..datasets import HOUSE_B0, HOUSE_W0, house_prices, standardize
from ..losses import design_matrix, mse, mse_grad, mse_hessian
from ..optimizers import sgd
from ..runs import History, run_paths
from . import house_table
from ._artists import message_artist, show_message
from ._base import Explorer
from .house_table import Step, plain, step

LOG_LR_MIN = -8.0  # the η slider runs from 1e−8 …
LOG_LR_MAX = 0.3  # … to 10^0.3 ≈ 2 (past the standardised bound 1)
LOG_LR_STEP = 0.1  # 1e−7, 1e−5, 1e−3, 0.1 and 1 are on the grid
LOSS_YLIM = (1e-12, 1e15)  # the loss panel's fixed limits ($1000s squared)
RAW, STANDARDISED = "raw square feet", "standardised size"
STABLE_COLOR = plotting.OKABE_ITO["bluish_green"]
DIVERGING_COLOR = plotting.OKABE_ITO["vermillion"]


class Scaling(NamedTuple):
    """One way of feeding the feature to the model: raw x or z = (x − mean)/std."""

    name: str  # RAW or STANDARDISED
    feature: np.ndarray  # x, or z
    X: np.ndarray  # the design matrix [feature, 1]
    theta0: np.ndarray  # (w, b) of the start line, in this scaling's units
    H: np.ndarray  # Hessian of the MSE, (2/N) XᵀX
    lam_min: float
    lam_max: float
    lr_bound: float  # 2/λ_max
    kappa: float  # λ_max/λ_min


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
        step = check_int(step, "step", minimum=0)
        if step > self.max_steps:
            raise ValueError(f"step must be <= max_steps={self.max_steps}, got {step}")
        lr = check_positive(lr, "lr")
        lr_min, lr_max = 10**LOG_LR_MIN, 10**LOG_LR_MAX
        if not lr_min <= lr <= lr_max:
            raise ValueError(f"lr must be in [{lr_min:.3g}, {lr_max:.3g}], got {lr}")
        if not isinstance(standardise, bool):
            raise TypeError(f"standardise must be True or False, got {standardise!r}")
        self.w0 = check_finite(w0, "w0")
        self.b0 = check_finite(b0, "b0")
        self.x, self.y = house_prices()
        z, self.mean, self.std = standardize(self.x)
        self.scalings = {
            False: _scaling(RAW, self.x, self.y, [self.w0, self.b0]),
            True: _scaling(
                STANDARDISED,
                z,
                self.y,
                # the same start line: w·x + b = (w·std)·z + (b + w·mean)
                [self.w0 * self.std, self.b0 + self.w0 * self.mean],
            ),
        }

        step_slider = widgets.IntSlider(
            value=step,
            min=0,
            max=self.max_steps,
            description="step k",
            style={"description_width": "3.5em"},
            layout=widgets.Layout(width="32%"),
        )
        lr_slider = widgets.FloatLogSlider(
            value=lr,
            base=10,
            min=LOG_LR_MIN,
            max=LOG_LR_MAX,
            step=LOG_LR_STEP,
            description="η",
            readout_format=".3g",
            style={"description_width": "1.5em"},
            layout=widgets.Layout(width="40%"),
        )
        standardise_box = widgets.Checkbox(
            value=standardise,
            description="standardise the feature",
            indent=False,
            layout=widgets.Layout(width="26%"),
        )

        super().__init__(figsize=figsize, dpi=dpi)
        axes = self.fig.subplot_mosaic(
            [["data", "loss"], ["scale", "scale"]],
            height_ratios=[5, 1.25],
            width_ratios=[1.15, 1],
        )
        self.regression = self._draw_data(axes["data"])
        self.loss_line, self.loss_point = self._draw_loss(axes["loss"])
        self.message = message_artist(axes["loss"])
        self.message.set_fontsize("small")
        self.marker = self._draw_scale(axes["scale"], lr_min, lr_max)
        self.title = self.fig.suptitle("", x=0.01, ha="left", fontweight="bold")
        self.table = widgets.HTML()
        style = widgets.HTML(house_table.STYLE)  # sent once, not with every table
        reg = self.regression
        self._setup(
            {"step": step_slider, "lr": lr_slider, "standardise": standardise_box},
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

    # -- the model: cached runs and the numbers of one step ------------------------

    @property
    def scaling(self) -> Scaling:
        """The current scaling (raw square feet, or the standardised size)."""
        return self.scalings[bool(self.controls["standardise"].value)]

    def run(self, lr: float, standardise: bool) -> History:
        """``max_steps`` full-batch steps θ ← θ − η·∇L(θ), cached by (η, scaling).

        Moving the step slider only slices a cached run; each (η, scaling) pair is
        computed once, the first time it is shown.
        """
        lr, scaling = float(lr), self.scalings[bool(standardise)]
        X, y = scaling.X, self.y

        def run() -> History:
            paths = run_paths(
                sgd(lr),
                scaling.theta0[None],
                self.max_steps,
                loss=lambda theta: mse(theta[0], X, y),
                grad=lambda theta, k: mse_grad(theta[0], X, y),
            )
            return paths.history(0)

        return self.cached(("run", lr, scaling.name), run)

    def history(self) -> History:
        """The run for the current η and scaling."""
        return self.run(self.controls["lr"].value, self.controls["standardise"].value)

    def shown_step(self) -> int:
        """The step on display: the slider's k, or the step where the run stopped."""
        return min(self.controls["step"].value, self.history().steps)

    def step_numbers(self) -> Step:
        """Every number of the update from θ_k (k = :meth:`shown_step`)."""
        k = self.shown_step()
        w, b = (float(v) for v in self.history().thetas[k])
        return step(k, w, b, self.scaling.feature, self.y, self.controls["lr"].value)

    def to_raw(self, w: float, b: float) -> tuple[float, float]:
        """(w, b) of the current scaling in raw units (sq ft → $1000s)."""
        if self.scaling.name == RAW:
            return w, b
        with np.errstate(all="ignore"):
            return w / self.std, b - w * self.mean / self.std

    def regime(self) -> str:
        """classify_lr(η, H) for the current scaling: monotone … diverging."""
        return stability.classify_lr(self.controls["lr"].value, self.scaling.H)

    # -- the view ------------------------------------------------------------------

    def _draw_data(self, ax) -> plotting.Regression:
        reg = plotting.plot_regression(
            self.x,
            self.y,
            self.w0,
            self.b0,
            ax=ax,
            xlabel="size x (sq ft)",
            ylabel="price y ($1000s)",
        )
        (self.next_line,) = ax.plot(
            [],
            [],
            color=plotting.OKABE_ITO["vermillion"],
            lw=1.2,
            ls=":",
            label="after this update",
            antialiased=False,  # sharp pixels: smaller updates sent to the browser
        )
        reg.residuals.set_antialiased(False)  # vertical: they look the same
        ax.legend(loc="upper left", frameon=False, fontsize="small")
        ax.set_title(
            r"the houses, the line $\theta_k$ and its errors", fontsize="medium"
        )
        return reg

    def _draw_loss(self, ax):
        (line,) = ax.plot([], [], color=plotting.OKABE_ITO["blue"], lw=1.8)
        (point,) = ax.plot(
            [], [], ls="", marker="o", ms=7, color=plotting.OKABE_ITO["vermillion"]
        )
        ax.set_yscale("log")
        ax.set_xlim(0, self.max_steps)
        ax.set_ylim(*LOSS_YLIM)
        ax.set_xlabel("step k")
        ax.set_ylabel(r"loss $L(\theta_k)$  (log scale)")
        ax.set_title("the loss so far", fontsize="medium")
        ax.grid(True, which="major", alpha=0.3)
        return line, point

    def _draw_scale(self, ax, lr_min: float, lr_max: float):
        """Two rows of the η axis, raw and standardised, each split at its 2/λ_max."""
        for row, scaling in ((1, self.scalings[False]), (0, self.scalings[True])):
            bound = scaling.lr_bound
            ax.barh(row, bound - lr_min, left=lr_min, height=0.6, color=STABLE_COLOR)
            ax.barh(row, lr_max - bound, left=bound, height=0.6, color=DIVERGING_COLOR)
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
        for patch in ax.patches:
            patch.set_alpha(0.55)
        (marker,) = ax.plot(
            [], [], ls="", marker="v", ms=11, color="black", clip_on=False
        )
        ax.set_xscale("log")
        ax.set_xlim(lr_min, lr_max)
        ax.set_ylim(-0.55, 1.55)
        ax.set_yticks([0, 1], ["standardised", "raw sq ft"], fontsize="small")
        ax.set_xlabel(
            r"learning rate $\eta$ (log scale): stable (green) up to $2/\lambda_{\max}$"
        )
        return marker

    def update(self) -> None:
        lr = self.controls["lr"].value
        scaling = self.scaling
        history = self.history()
        k = self.shown_step()
        s = self.step_numbers()
        reg = self.regression
        w_raw, b_raw = self.to_raw(s.w, s.b)
        plotting.set_line(reg, w_raw, b_raw)
        reg.line.set_data(*plotting.visible_segment(w_raw, b_raw, reg.ax))
        w_next, b_next = self.to_raw(s.w_new, s.b_new)
        self.next_line.set_data(*plotting.visible_segment(w_next, b_next, reg.ax))
        losses = history.losses[: k + 1]
        shown = _clip_log(losses, LOSS_YLIM)
        self.loss_line.set_data(np.arange(k + 1), shown)
        self.loss_point.set_data([k], shown[-1:])
        self.marker.set_data([lr], [1.42 if scaling.name == RAW else 0.42])
        regime = self.regime()
        stopped = (
            " (overflow: the run stops)"
            if history.diverged and (k == history.diverged_at)
            else ""
        )
        self.title.set_text(
            f"step {k} of {self.max_steps}{stopped} · {scaling.name} · "
            f"η = {lr:.3g}: {regime}"
        )
        show_message(self.message, self._message(lr, history))
        self.table.value = house_table.table(self, s, history)

    def _message(self, lr: float, history: History) -> str | None:
        """Two short lines on the loss panel when η is at or past 2/λ_max."""
        scaling = self.scaling
        bound = plain(scaling.lr_bound, 3)
        regime = self.regime()
        if regime == stability.PERIODIC:
            return f"η = 2/λ_max = {bound}: the error\nflips sign and never shrinks"
        if regime != stability.DIVERGING:
            return None
        factor = stability.convergence_factor(scaling.H, lr)
        return (
            f"Diverging: η > 2/λ_max = {bound}\nthe error grows ×{factor:.3g} per step"
        )

    def summary(self) -> str:
        lr = self.controls["lr"].value
        scaling = self.scaling
        s = self.step_numbers()
        w, b = self.to_raw(s.w, s.b)
        return (
            f"{scaling.name}, η = {lr:.4g}: {self.regime()} "
            f"(2/λ_max = {scaling.lr_bound:.4g}, κ = {scaling.kappa:.4g}); "
            f"step {s.k}: w = {w:.6g}, b = {b:.9g}, loss {s.loss:.6g}"
        )


# -- helpers -------------------------------------------------------------------------


def _scaling(name: str, feature: np.ndarray, y: np.ndarray, theta0) -> Scaling:
    X = design_matrix(feature)
    H = mse_hessian(X)
    lam_min, lam_max = (float(v) for v in stability.eigenvalues(H)[[0, -1]])
    return Scaling(
        name=name,
        feature=feature,
        X=X,
        theta0=np.array(theta0, dtype=float),
        H=H,
        lam_min=lam_min,
        lam_max=lam_max,
        lr_bound=stability.max_stable_lr(H),
        kappa=stability.condition_number(H),
    )


def _clip_log(values: np.ndarray, ylim: tuple[float, float]) -> np.ndarray:
    """Values for a log axis with fixed limits: just past the edge when outside.

    A loss of 0 (the exact minimum) sits below the bottom edge, an overflowed
    or huge one above the top edge: the curve leaves the panel, the axes stay.
    """
    lo, hi = ylim
    with np.errstate(invalid="ignore"):
        out = np.where(np.isfinite(values), values, hi * 10)
        return np.clip(out, lo / 10, hi * 10)

"""House-price stepper: gradient descent on the five houses, one update at a time.

The model is ŷ = w·x + b on ``gd.house_prices()``, the loss the MSE. At step k the
figure shows the line θ_k = (w_k, b_k), its residuals and the line after the update
(always in sq ft), the loss so far, and η against the stable range η < 2/λ_max
for the raw feature x and for the standardised z = (x − mean)/std. A table writes
the update out: ŷ, e = ŷ − y, L = (1/N) Σ e², ∂L/∂w = (2/N) Σ e·x, ∂L/∂b =
(2/N) Σ e, w ← w − η·∂L/∂w and b ← b − η·∂L/∂b.

    from gdcore.widgets import HouseStepper
    HouseStepper(lr=0.5, standardise=True)
"""

from __future__ import annotations

import math
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from .. import plotting, stability
from .._validate import check_bool, check_finite, check_int, check_positive
from ..datasets import HOUSE_B0, HOUSE_W0, house_prices, standardize
from ..losses import design_matrix, mse, mse_grad, mse_hessian
from ..optimizers import sgd
from ..runs import History, run_paths
from ._artists import message_artist, show_message
from ._base import Explorer
from ._controls import slider

LOG_LR_MIN, LOG_LR_MAX = -8.0, 0.3  # η from 1e−8 to 10^0.3 ≈ 2, in notches of
LOG_LR_STEP = 0.1  # 10^0.1: 1e−7, 1e−5, 1e−3, 0.1 and 1 are notches
LR_MIN, LR_MAX = 10**LOG_LR_MIN, 10**LOG_LR_MAX
GREEN = plotting.OKABE_ITO["bluish_green"]  # a stable η
VERMILLION = plotting.OKABE_ITO["vermillion"]  # an unstable η, the update, the loss now
LOSS_YLIM = (1e-12, 1e15)  # the loss panel's fixed limits ($1000s squared)
RAW, STANDARDISED = "raw square feet", "standardised size"
MINUS = "\N{MINUS SIGN}"
STYLE = (  # of the table, sent once rather than with every table
    "<style>.gd-house{border-collapse:collapse}"
    ".gd-house td,.gd-house th{padding:0 0.5em;text-align:right}</style>"
)


class Scaling(NamedTuple):
    """One way of feeding the feature to the model: raw x or z = (x − mean)/std."""

    name: str  # RAW or STANDARDISED
    feature: np.ndarray  # x, or z
    theta0: np.ndarray  # (w, b) of the start line, in this scaling's units
    H: np.ndarray  # Hessian of the MSE, (2/N) XᵀX with X = [feature, 1]
    lr_bound: float  # 2/λ_max
    kappa: float  # λ_max/λ_min


def _scaling(name: str, feature: np.ndarray, theta0: list[float]) -> Scaling:
    H = mse_hessian(design_matrix(feature))
    bound, kappa = stability.max_stable_lr(H), stability.condition_number(H)
    return Scaling(name, feature, np.array(theta0), H, bound, kappa)


class Step(NamedTuple):
    """Every number of the update θ_k → θ_{k+1}, in the scaling's units."""

    k: int
    w: float
    b: float
    y_hat: np.ndarray
    err: np.ndarray
    loss: float
    dw: float  # ∂L/∂w
    db: float  # ∂L/∂b
    w_new: float
    b_new: float


class HouseStepper(Explorer):
    """Gradient descent on the five houses, one update at a time, with its numbers.

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
        if check_int(step, "step", minimum=0) > self.max_steps:
            raise ValueError(f"step must be <= max_steps={self.max_steps}, got {step}")
        lr = check_positive(lr, "lr")
        if not LR_MIN <= lr <= LR_MAX:
            raise ValueError(f"lr must be in [{LR_MIN:.3g}, {LR_MAX:.3g}], got {lr}")
        standardise = check_bool(standardise, "standardise")
        w0, b0 = check_finite(w0, "w0"), check_finite(b0, "b0")
        self.x, self.y = house_prices()
        z, self.mean, self.std = standardize(self.x)
        self.scalings = {
            False: _scaling(RAW, self.x, [w0, b0]),
            # the same start line: w·x + b = (w·std)·z + (b + w·mean)
            True: _scaling(STANDARDISED, z, [w0 * self.std, b0 + w0 * self.mean]),
        }
        controls = {
            "step": widgets.IntSlider(step, 0, self.max_steps, description="step k"),
            "lr": slider("η", lr, LOG_LR_MIN, LOG_LR_MAX, LOG_LR_STEP, base=10),
            "standardise": widgets.Checkbox(
                standardise, description="standardise the feature", indent=False
            ),
        }
        controls["step"].style.description_width = "3.5em"
        controls["lr"].style.description_width = "1.5em"
        for name, width in [("step", "32%"), ("lr", "40%"), ("standardise", "26%")]:
            controls[name].layout.width = width

        super().__init__(figsize=figsize, dpi=dpi)
        axes = self.fig.subplot_mosaic(
            [["data", "loss"], ["scale", "scale"]],
            height_ratios=[5, 1.25],
            width_ratios=[1.15, 1],
        )
        reg = self.regression = plotting.plot_regression(
            self.x, self.y, w0, b0, ax=axes["data"]
        )
        (self.next_line,) = reg.ax.plot(
            [], [], ls=":", lw=1.2, color=VERMILLION, label="after this update"
        )
        reg.ax.set(xlabel="size x (sq ft)", ylabel="price y ($1000s)")
        reg.ax.set_title(
            r"the houses, the line $\theta_k$ and its errors", fontsize="medium"
        )
        reg.ax.legend(loc="upper left", frameon=False, fontsize="small")

        ax = axes["loss"]
        (self.loss_line,) = ax.plot([], [], color=plotting.OKABE_ITO["blue"], lw=1.8)
        (self.loss_point,) = ax.plot([], [], ls="", marker="o", ms=7, color=VERMILLION)
        ax.set(xlabel="step k", ylabel=r"loss $L(\theta_k)$  (log scale)")
        ax.set(yscale="log", xlim=(0, self.max_steps), ylim=LOSS_YLIM)
        ax.set_title("the loss so far", fontsize="medium")
        ax.grid(True, alpha=0.3)
        self.message = message_artist(ax)
        self.message.set_fontsize("small")

        self.marker = self._draw_scale(axes["scale"])
        self.title = self.fig.suptitle("", x=0.01, ha="left", fontweight="bold")
        self.table = widgets.HTML()
        moving = [reg.line, reg.residuals, self.next_line, self.loss_line]
        moving += [self.loss_point, self.marker, self.title, self.message]
        self._setup(controls, extras=[widgets.HTML(STYLE), self.table], animated=moving)

    def _draw_scale(self, ax):
        """The η axis in two rows, raw and standardised, each split at 2/λ_max."""
        for row, scaling in ((1, self.scalings[False]), (0, self.scalings[True])):
            bound = scaling.lr_bound
            ax.barh(
                [row, row],
                [bound - LR_MIN, LR_MAX - bound],
                left=[LR_MIN, bound],
                height=0.6,
                color=[GREEN, VERMILLION],
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
        (marker,) = ax.plot([], [], "v", ms=11, color="black", clip_on=False)
        ax.set(xscale="log", xlim=(LR_MIN, LR_MAX), ylim=(-0.55, 1.55))
        ax.set_yticks([0, 1], ["standardised", "raw sq ft"], fontsize="small")
        ax.set_xlabel(
            r"learning rate $\eta$ (log scale): stable (green) up to $2/\lambda_{\max}$"
        )
        return marker

    @property
    def scaling(self) -> Scaling:
        """The current scaling (raw square feet, or the standardised size)."""
        return self.scalings[self.controls["standardise"].value]

    def history(self) -> History:
        """``max_steps`` updates θ ← θ − η·∇L(θ) at the current η and scaling."""
        lr, scaling = self.controls["lr"].value, self.scaling

        def run() -> History:
            X = design_matrix(scaling.feature)
            paths = run_paths(
                sgd(lr),
                scaling.theta0[None],
                self.max_steps,
                loss=lambda theta: mse(theta[0], X, self.y),
                grad=lambda theta, k: mse_grad(theta[0], X, self.y),
            )
            return paths.history(0)

        return self.cached((lr, scaling.name), run)

    def step_numbers(self) -> Step:
        """The update from θ_k, k the slider's step or the one where the run stopped."""
        history, lr, x = self.history(), self.controls["lr"].value, self.scaling.feature
        k = min(self.controls["step"].value, history.steps)
        w, b = (float(v) for v in history.thetas[k])
        n = len(x)
        with np.errstate(all="ignore"):  # a diverging run: numbers may overflow
            y_hat = w * x + b
            err = y_hat - self.y
            loss = float(np.sum(err**2) / n)
            dw = float(2 / n * np.sum(err * x))
            db = float(2 / n * np.sum(err))
        return Step(k, w, b, y_hat, err, loss, dw, db, w - lr * dw, b - lr * db)

    def to_raw(self, w: float, b: float) -> tuple[float, float]:
        """(w, b) of the current scaling in raw units (sq ft → $1000s)."""
        if self.scaling.name == RAW:
            return w, b
        with np.errstate(all="ignore"):
            return w / self.std, b - w * self.mean / self.std

    def regime(self) -> str:
        """classify_lr(η, H) for the current scaling: monotone … diverging."""
        return stability.classify_lr(self.controls["lr"].value, self.scaling.H)

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
        self.table.value = self._table(s, history)

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

    def _table(self, s: Step, history: History) -> str:
        """Every number of the update θ_k → θ_{k+1}, as HTML (about 3 kB)."""
        lr, scaling, n = self.controls["lr"].value, self.scaling, len(self.y)
        raw = scaling.name == RAW
        f = "x" if raw else "z"
        head = ["house", "x (sq ft)"] + ([] if raw else ["z = (x − μ)/σ"])
        head += ["y ($1000s)", f"ŷ = w·{f} + b", "e = ŷ − y", "e²", f"e·{f}"]
        with np.errstate(all="ignore"):
            columns = [np.arange(1, n + 1), self.x] + ([] if raw else [scaling.feature])
            columns += [self.y, s.y_hat, s.err, s.err**2, s.err * scaling.feature]
        sums = ["Σ"] + [""] * (len(head) - 4) + [np.sum(c) for c in columns[-3:]]
        houses = html_table(head, [*zip(*columns, strict=True), sums])
        w_next, b_next = self.to_raw(s.w_new, s.b_new)
        theta, theta_next = f"θ<sub>{s.k}</sub>", f"θ<sub>{s.k + 1}</sub>"
        update = [
            [theta, s.w, s.b],
            [f"∂L/∂w = (2/{n})Σe·{f}, ∂L/∂b = (2/{n})Σe", s.dw, s.db],
            ["η × gradient", lr * s.dw, lr * s.db],
            [f"{theta_next} = {theta} − η × gradient", s.w_new, s.b_new],
        ]
        if not raw:
            update.append(["in sq ft: w/σ, b − w·μ/σ", w_next, b_next])
        numbers = html_table(["", "w", "b"], update)
        loss = f"L({theta}) = (1/{n})Σe² = <b>{html(s.loss)}</b>"
        if s.k == history.diverged_at:
            loss += " · the loss passed 10<sup>150</sup>: the run stops here"
        xs, _ = plotting.visible_segment(w_next, b_next, self.regression.ax, 0)
        if np.isnan(xs[0]):
            sign = MINUS if b_next < 0 else "+"
            line = f"ŷ = {plain(w_next, 6)}·x {sign} {plain(abs(b_next), 9)}"
            loss += f" · the line after this update, {line.replace('-', MINUS)}, "
            loss += "lies outside the figure"
        conditions = []
        for other in self.scalings.values():
            text = (
                f"{other.name}: κ = {html(other.kappa, 4)}, stable for "
                f"η &lt; 2/λ<sub>max</sub> = {html(other.lr_bound, 4)}"
            )
            conditions.append(f"<b>{text}</b>" if other is scaling else text)
        factors = stability.step_factors(scaling.H, lr)
        # 1 − 0.5·(2 − 4e−16) is rounding, not a factor: show it as 0
        steep, flat = np.where(np.abs(factors) < 1e-12, 0.0, factors)[[-1, 0]]
        verdict = "stable" if lr < scaling.lr_bound else "not stable"
        return (
            f"<div style='font-size:12px;line-height:1.35'>"
            f"<b>Update {s.k} → {s.k + 1}</b> ({scaling.name}, "
            f"η = {html(lr, 4)}: {verdict}) · {loss}"
            f"<div style='display:flex;gap:2em'>{houses}{numbers}</div>"
            f"{' · '.join(conditions)}<br>"
            f"each step multiplies the error along the steepest direction by "
            f"1 − ηλ<sub>max</sub> = {html(steep, 6)} and along the flattest by "
            f"1 − ηλ<sub>min</sub> = {html(flat, 8)}</div>"
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


def plain(value: float, digits: int = 10) -> str:
    """A number for plain text: up to ``digits`` significant digits, 1.2e-7 style."""
    if not math.isfinite(value):
        return "overflow"
    if value != 0 and not 1e-4 <= abs(value) < min(1e9, 10.0**digits):
        return f"{value:.{digits - 1}e}".replace("e-0", "e-").replace("e+0", "e+")
    return f"{value:,.{digits}g}"


def html(value: float, digits: int = 10) -> str:
    """:func:`plain` for the table, with × 10ⁿ and a true minus sign, so that the
    article's numbers appear exactly: 6,875, −275,000, 100.0015, −1.5×10⁻⁵."""
    value = float(value) + 0.0  # −0.0 becomes 0.0
    text = plain(value, digits)
    if math.isfinite(value) and "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa.rstrip('0').rstrip('.')}×10<sup>{int(exponent)}</sup>"
    return text.replace("-", MINUS)


def html_table(head: list[str], rows: list) -> str:
    """An HTML table; cells that are numbers go through :func:`html`."""
    lines = [[f"<th>{h}</th>" for h in head]]
    lines += [
        [f"<td>{c if isinstance(c, str) else html(c)}</td>" for c in row]
        for row in rows
    ]
    body = "".join(f"<tr>{''.join(line)}</tr>" for line in lines)
    return f"<table class='gd-house'>{body}</table>"

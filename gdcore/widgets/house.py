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

import math
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from .. import plotting, stability
from .._validate import check_finite, check_int, check_positive
from ..datasets import HOUSE_B0, HOUSE_W0, house_prices, standardize
from ..losses import design_matrix, mse_hessian
from ..optimizers import sgd
from ..runs import History, fit_linear_regression
from ._base import Explorer, message_artist, show_message

LOG_LR_MIN = -8.0  # the η slider runs from 1e−8 …
LOG_LR_MAX = 0.3  # … to 10^0.3 ≈ 2 (past the standardised bound 1)
LOG_LR_STEP = 0.1  # 1e−7, 1e−5, 1e−3, 0.1 and 1 are on the grid
LOSS_YLIM = (1e-12, 1e15)  # the loss panel's fixed limits ($1000s squared)
SEED = 0  # full-batch runs: the shuffle only changes the order of the sums
RAW, STANDARDISED = "raw square feet", "standardised size"
STABLE_COLOR = plotting.OKABE_ITO["bluish_green"]
DIVERGING_COLOR = plotting.OKABE_ITO["vermillion"]
MINUS = "\N{MINUS SIGN}"
TABLE_STYLE = (
    "<style>.gd-house{border-collapse:collapse}"
    ".gd-house td,.gd-house th{padding:0 0.5em;text-align:right}</style>"
)


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


class Step(NamedTuple):
    """Every number of one update θ_k → θ_{k+1}, in the scaling's units."""

    k: int
    w: float
    b: float
    feature: np.ndarray  # x or z
    y_hat: np.ndarray
    err: np.ndarray
    loss: float
    dw: float  # ∂L/∂w = (2/N) Σ eᵢ·xᵢ
    db: float  # ∂L/∂b = (2/N) Σ eᵢ
    lr_dw: float  # η·∂L/∂w
    lr_db: float  # η·∂L/∂b
    w_new: float
    b_new: float


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
        style = widgets.HTML(TABLE_STYLE)  # sent once, not with every table
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
        key = (float(lr), bool(standardise))
        scaling = self.scalings[key[1]]
        return self.cached(
            ("run", *key),
            lambda: fit_linear_regression(
                scaling.X,
                self.y,
                sgd(key[0]),
                scaling.theta0,
                epochs=self.max_steps,
                batch_size=len(self.y),
                rng=np.random.default_rng(SEED),
            ),
        )

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
        return _step(k, w, b, self.scaling.feature, self.y, self.controls["lr"].value)

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
                rf" $2/\lambda_{{\max}}$ = {_plain(bound, 3)} ",
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
        reg.line.set_data(*_visible_segment(w_raw, b_raw, reg.ax))
        w_next, b_next = self.to_raw(s.w_new, s.b_new)
        self.next_line.set_data(*_visible_segment(w_next, b_next, reg.ax))
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
        self.table.value = self._table(s, history)

    def _message(self, lr: float, history: History) -> str | None:
        """Two short lines on the loss panel when η is at or past 2/λ_max."""
        scaling = self.scaling
        bound = _plain(scaling.lr_bound, 3)
        regime = self.regime()
        if regime == stability.PERIODIC:
            return f"η = 2/λ_max = {bound}: the error\nflips sign and never shrinks"
        if regime != stability.DIVERGING:
            return None
        factor = stability.convergence_factor(scaling.H, lr)
        return (
            f"Diverging: η > 2/λ_max = {bound}\nthe error grows ×{factor:.3g} per step"
        )

    def _table(self, s: Step, history: History) -> str:
        """The numbers of the update θ_k → θ_{k+1} as HTML (about 3 kB)."""
        raw = self.scaling.name == RAW
        f = "x" if raw else "z"
        head = ["house", "x (sq ft)"] + ([] if raw else ["z = (x − μ)/σ"])
        head += ["y ($1000s)", f"ŷ = w·{f} + b", "e = ŷ − y", "e²", f"e·{f}"]
        rows = []
        for i in range(len(self.y)):
            cells = [str(i + 1), _html(self.x[i])] + (
                [] if raw else [_html(s.feature[i])]
            )
            cells += [_html(self.y[i]), _html(s.y_hat[i]), _html(s.err[i])]
            cells += [_html(s.err[i] ** 2), _html(s.err[i] * s.feature[i])]
            rows.append(cells)
        with np.errstate(all="ignore"):
            sums = [np.sum(s.err), np.sum(s.err**2), np.sum(s.err * s.feature)]
        rows.append(["Σ"] + [""] * (len(head) - 4) + [_html(v) for v in sums])
        houses = _html_table(head, rows)

        n = len(self.y)
        update = [
            ["", "w", "b"],
            [f"θ<sub>{s.k}</sub>", _html(s.w), _html(s.b)],
            [
                f"∂L/∂w = (2/{n})Σe·{f}, ∂L/∂b = (2/{n})Σe",
                _html(s.dw),
                _html(s.db),
            ],
            ["η × gradient", _html(s.lr_dw), _html(s.lr_db)],
            [
                f"θ<sub>{s.k + 1}</sub> = θ<sub>{s.k}</sub> − η × gradient",
                _html(s.w_new),
                _html(s.b_new),
            ],
        ]
        if not raw:
            w_raw, b_raw = self.to_raw(s.w_new, s.b_new)
            update.append(["in sq ft: w/σ, b − w·μ/σ", _html(w_raw), _html(b_raw)])
        steps = _html_table(update[0], update[1:])
        lr = self.controls["lr"].value
        loss = f"L(θ<sub>{s.k}</sub>) = (1/{n})Σe² = <b>{_html(s.loss)}</b>"
        if history.diverged and s.k == history.diverged_at:
            loss += " · the loss passed 10<sup>150</sup>: the run stops here"
        w_next, b_next = self.to_raw(s.w_new, s.b_new)
        if np.isnan(_visible_segment(w_next, b_next, self.regression.ax, 0.0)[0][0]):
            loss += f" · the line after this update, {_equation(w_next, b_next)}, "
            loss += "lies outside the figure"
        conditions = []
        for scaling in self.scalings.values():
            text = (
                f"{scaling.name}: κ = {_html(scaling.kappa, 4)}, stable for "
                f"η &lt; 2/λ<sub>max</sub> = {_html(scaling.lr_bound, 4)}"
            )
            current = scaling.name == self.scaling.name
            conditions.append(f"<b>{text}</b>" if current else text)
        verdict = "stable" if lr < self.scaling.lr_bound else "not stable"
        factors = stability.step_factors(self.scaling.H, lr)
        # 1 − 0.5·(2 − 4e−16) is rounding, not a factor: show it as 0
        steep, flat = np.where(np.abs(factors) < 1e-12, 0.0, factors)[[-1, 0]]
        factors = (
            f"each step multiplies the error along the steepest direction by "
            f"1 − ηλ<sub>max</sub> = {_html(steep, 6)} and along the flattest by "
            f"1 − ηλ<sub>min</sub> = {_html(flat, 8)}"
        )
        return (
            f"<div style='font-size:12px;line-height:1.35'>"
            f"<b>Update {s.k} → {s.k + 1}</b> ({self.scaling.name}, "
            f"η = {_html(lr, 4)}: {verdict}) · {loss}"
            f"<div style='display:flex;gap:2em'>{houses}{steps}</div>"
            f"{' · '.join(conditions)}<br>{factors}</div>"
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


def _step(k: int, w: float, b: float, x: np.ndarray, y: np.ndarray, lr: float) -> Step:
    """One update written out, line by line as in the module docstring."""
    n = len(x)
    with np.errstate(all="ignore"):  # a diverging run: numbers may overflow
        y_hat = w * x + b
        err = y_hat - y
        loss = float(np.sum(err**2) / n)
        dw = float(2 / n * np.sum(err * x))
        db = float(2 / n * np.sum(err))
        lr_dw, lr_db = lr * dw, lr * db
        w_new, b_new = w - lr_dw, b - lr_db
    return Step(k, w, b, x, y_hat, err, loss, dw, db, lr_dw, lr_db, w_new, b_new)


def _equation(w: float, b: float) -> str:
    """'ŷ = 0.05·x + 100' with w to 6 and b to 9 significant digits."""
    sign = "−" if b < 0 else "+"
    return f"ŷ = {_plain(w, 6)}·x {sign} {_plain(abs(b), 9)}".replace("-", MINUS)


def _visible_segment(w: float, b: float, ax, margin: float = 2.0):
    """The part of y = w·x + b over the axes' x range that stays within ``margin``
    y-spans of the view: a steep line is drawn steep, never with huge coordinates.
    """
    x_lo, x_hi = ax.get_xlim()
    y_lo, y_hi = ax.get_ylim()
    span = y_hi - y_lo
    y_lo, y_hi = y_lo - margin * span, y_hi + margin * span
    nothing = ([np.nan, np.nan], [np.nan, np.nan])
    if not (math.isfinite(w) and math.isfinite(b)):
        return nothing
    with np.errstate(all="ignore"):
        if w == 0:
            return ([x_lo, x_hi], [b, b]) if y_lo <= b <= y_hi else nothing
        ends = sorted(((y_lo - b) / w, (y_hi - b) / w))
        lo, hi = max(x_lo, ends[0]), min(x_hi, ends[1])
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            return nothing
        return [lo, hi], [w * lo + b, w * hi + b]


def _clip_log(values: np.ndarray, ylim: tuple[float, float]) -> np.ndarray:
    """Values for a log axis with fixed limits: just past the edge when outside.

    A loss of 0 (the exact minimum) sits below the bottom edge, an overflowed
    or huge one above the top edge: the curve leaves the panel, the axes stay.
    """
    lo, hi = ylim
    with np.errstate(invalid="ignore"):
        out = np.where(np.isfinite(values), values, hi * 10)
        return np.clip(out, lo / 10, hi * 10)


def _plain(value: float, digits: int = 10) -> str:
    """A number for plain text: up to ``digits`` significant digits, 1.2e-07 style."""
    if not math.isfinite(value):
        return "overflow"
    if value != 0 and not 1e-4 <= abs(value) < min(1e9, 10.0**digits):
        return f"{value:.{digits - 1}e}".replace("e-0", "e-").replace("e+0", "e+")
    return f"{value:,.{digits}g}"


def _html(value: float, digits: int = 10) -> str:
    """A number for the table: thousands separated, × 10ⁿ when very large or small.

    Ten significant digits by default, trailing zeros dropped, so that the
    article's numbers appear exactly: 6,875, −275,000, 100.0015, 100.000015.
    """
    value = float(value) + 0.0  # −0.0 becomes 0.0
    if not math.isfinite(value):
        return "overflow"
    if value != 0 and not 1e-4 <= abs(value) < min(1e9, 10.0**digits):
        mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        text = f"{mantissa}×10<sup>{int(exponent)}</sup>"
    else:
        text = f"{value:,.{digits}g}"
    return text.replace("-", MINUS)


def _html_table(head: list[str], rows: list[list[str]]) -> str:
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows
    )
    return f"<table class='gd-house'><tr>{th}</tr>{body}</table>"

"""Conditioning explorer: why a long, narrow bowl makes gradient descent zig-zag.

The bowl f(θ) = ½ θᵀAθ has curvatures λ_min = 1 and λ_max = κ. The learning rate
is set as a fraction φ of the stable bound, η = φ·2/λ_max, so one step multiplies
the error along the two eigenvectors of A by

    steep direction:  1 − η·λ_max = 1 − 2φ       (the same for every κ)
    flat direction:   1 − η·λ_min = 1 − 2φ/κ     (closer to 1 as κ grows)

The slider position alone decides what the steep direction does (φ < ½: slide in,
½ < φ < 1: zig-zag in, φ = 1: bounce, φ > 1: blow up), and κ alone decides how
slowly the flat direction creeps. The best φ is κ/(κ + 1), i.e.
η* = 2/(λ_min + λ_max), where both factors have size (κ − 1)/(κ + 1).

    from gdcore.widgets import ConditioningExplorer
    ConditioningExplorer()                 # κ = 10, φ = 0.9
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .. import objectives, plotting, stability
from .._validate import check_finite, check_int
from ..optimizers import sgd
from ..runs import descend
from ._artists import Swap, message_artist, show_message
from ._base import Explorer
from ._controls import slider
from ._quadratic import BOUND_TEX, check_in_range, check_theta0, divergence, gap_line

KAPPA_LOG = (0.0, 2.0, 0.05)  # κ from 10⁰ = 1 to 10² = 100 in steps of × 10^0.05
FRAC = (0.05, 1.1, 0.01)  # φ = η/(2/λ_max): min, max, step
FRAC_GRID = np.linspace(FRAC[0], FRAC[1], 211)  # the factor panel's φ axis
CONTOURS = {"n_grid": 120, "n_levels": 8}  # few bands keep a κ move light
TARGET = 1e-6  # the loss the notebook's challenge asks for, drawn as a guide
LOSS_YLIM = (1e-12, 1e5)
LOSS_FLOOR = 1e-13  # losses below the axis are drawn here, just off the bottom
STEEP, FLAT = plotting.OKABE_ITO["vermillion"], plotting.OKABE_ITO["blue"]


class ConditioningExplorer(Explorer):
    """Gradient descent on ½θᵀAθ under a κ slider and a learning-rate slider.

    Parameters
    ----------
    kappa : starting condition number κ = λ_max/λ_min, in [1, 100] (λ_min = 1).
    lr_frac : starting φ = η/(2/λ_max), in [0.05, 1.1]; φ = 1 is the stable bound.
    steps : number of gradient-descent steps shown.
    angle : direction of the bowl's flat axis, in radians from the θ₁-axis.
    theta0 : start point (default (2.4, 1.8) in the frame of the flat axis).
    """

    def __init__(
        self,
        *,
        kappa: float = 10.0,
        lr_frac: float = 0.9,
        steps: int = 50,
        angle: float = 0.0,
        theta0: Any = None,
        figsize: tuple[float, float] = (8.0, 4.4),
        dpi: int = plotting.DPI,
    ) -> None:
        kappa = check_in_range(kappa, "kappa", 1.0, 10 ** KAPPA_LOG[1])
        lr_frac = check_in_range(lr_frac, "lr_frac", FRAC[0], FRAC[1])
        self.steps = check_int(steps, "steps", minimum=1)
        self.angle = check_finite(angle, "angle")
        if theta0 is None:
            cos, sin = math.cos(self.angle), math.sin(self.angle)
            theta0 = [2.4 * cos - 1.8 * sin, 2.4 * sin + 1.8 * cos]
        self.theta0 = check_theta0(theta0, 2)
        controls = {
            "kappa": slider(
                "κ", kappa, *KAPPA_LOG, base=10, width="1.5em", layout={"width": "45%"}
            ),
            "lr_frac": slider(
                "η ÷ (2/λₘₐₓ)", lr_frac, *FRAC, width="7em", layout={"width": "50%"}
            ),
        }

        super().__init__(figsize=figsize, dpi=dpi)
        mosaic = [["bowl", "loss"], ["bowl", "factor"]]
        axes = self.fig.subplot_mosaic(mosaic, height_ratios=[3, 2])
        self.ax_bowl = axes["bowl"]
        bowl = self.objective(kappa)
        art = self.artists = plotting.plot_contour_2d(bowl, ax=self.ax_bowl, **CONTOURS)
        # The bands of each κ are made once and drawn with the moving artists over
        # a background that never changes: a full render would take about 50 ms.
        self.bands = Swap()
        self.cached(("contours", kappa), lambda: (art.filled, art.lines))
        # The bands would hide a legend; the factor panel's legend names the markers.
        self.ax_bowl.get_legend().remove()
        self.loss_line = gap_line(axes["loss"], "f(θ) − f*  (log)", steps, LOSS_YLIM)
        axes["loss"].axhline(TARGET, color="0.4", lw=1, ls=":")
        axes["loss"].text(
            0.98 * steps,
            TARGET * 2,
            "10⁻⁶",
            ha="right",
            va="bottom",
            fontsize="x-small",
            color="0.3",
        )
        self.flat_line, self.best, self.marker = self._draw_factor_panel(axes["factor"])
        self.message = message_artist(self.ax_bowl)
        self.message.set_in_layout(False)  # showing it must not move the axes
        self.title = self.fig.suptitle("", x=0.02, ha="left", fontweight="bold")
        moving = [self.bands, art.trajectory, art.points, art.start, art.current]
        moving += [art.minimum, self.loss_line, self.flat_line, self.best, self.marker]
        self._setup(controls, animated=[*moving, self.title, self.message])

    def objective(self, kappa: float) -> objectives.Objective:
        """The bowl with λ_min = 1, λ_max = κ and this explorer's angle."""
        return objectives.quadratic_bowl(condition=kappa, angle=self.angle)

    @staticmethod
    def lr(kappa: float, lr_frac: float) -> float:
        """η = φ·2/λ_max with λ_max = κ (λ_min = 1)."""
        return lr_frac * 2.0 / kappa

    def run(self, kappa: float, lr_frac: float):
        """The History of ``steps`` steps θ ← θ − η·Aθ."""
        optimizer = sgd(self.lr(kappa, lr_frac))
        return descend(self.objective(kappa), optimizer, self.theta0, self.steps)

    def factors(self) -> tuple[float, float]:
        """(1 − η·λ_min, 1 − η·λ_max): the flat and the steep step factor now."""
        kappa = self.controls["kappa"].value
        lr = self.lr(kappa, self.controls["lr_frac"].value)
        return 1.0 - lr, 1.0 - lr * kappa

    def regime(self) -> str:
        """classify_lr(η, A): monotone, oscillating, periodic or diverging."""
        kappa, frac = self.controls["kappa"].value, self.controls["lr_frac"].value
        return stability.classify_lr(self.lr(kappa, frac), np.diag([1.0, kappa]))

    def _draw_factor_panel(self, ax):
        """|1 − ηλ| against φ for both directions; the worse one sets the pace."""
        label = r"steep $|1 - \eta\lambda_{\max}|$"
        ax.plot(FRAC_GRID, np.abs(1 - 2 * FRAC_GRID), color=STEEP, lw=1.6, label=label)
        label = r"flat $|1 - \eta\lambda_{\min}|$"
        (flat,) = ax.plot(
            FRAC_GRID, FRAC_GRID, color=FLAT, lw=1.6, ls="--", label=label
        )
        ax.axhline(1.0, color="black", lw=0.8)
        ax.axvline(1.0, color="black", lw=0.8, ls=":")
        best_style = plotting.MARKERS["minimum"] | {"ms": 11, "mew": 0.6, "zorder": 2}
        (best,) = ax.plot([], [], **best_style | {"label": "best η*"})
        (now,) = ax.plot([], [], "o", ms=7, mfc="black", mec="white", label="now")
        ax.set(xlim=(0, FRAC[1] + 0.02), ylim=(0, 1.3), ylabel="factor per step")
        ax.set_xlabel(r"$\eta \div (2/\lambda_{\max})$")
        ax.legend(
            loc="lower left",
            fontsize="x-small",
            ncols=2,
            frameon=False,
            handlelength=1.5,
        )
        return flat, best, now

    def update(self) -> None:
        kappa, frac = self.controls["kappa"].value, self.controls["lr_frac"].value
        lr = self.lr(kappa, frac)
        bowl = self.objective(kappa)
        contours = self.cached(
            ("contours", kappa),
            lambda: plotting.plot_contour_bands(bowl, ax=self.ax_bowl, **CONTOURS),
        )
        self.bands.show(contours)
        history = self.run(kappa, frac)
        plotting.set_trajectory(self.artists, history.thetas, n_colors=self.steps + 1)
        # f* = 0. Below the axis (0 too, at κ = 1 and φ = ½): drawn just under its
        # floor, so the curve visibly drops off the bottom instead of vanishing.
        losses = history.losses
        gap = np.where(np.isfinite(losses), np.maximum(losses, LOSS_FLOOR), np.nan)
        self.loss_line.set_data(np.arange(len(gap)), gap)
        self.flat_line.set_ydata(np.abs(1 - 2 * FRAC_GRID / kappa))
        best = kappa / (kappa + 1)  # η*/(2/λ_max) = λ_max/(λ_min + λ_max)
        self.best.set_data([best], [(kappa - 1) / (kappa + 1)])
        flat, steep = self.factors()
        worst = max(abs(flat), abs(steep))
        self.marker.set_data([frac], [min(worst, 1.3)])
        regime = self.regime()
        self.title.set_text(
            f"κ = {kappa:.3g}: η = {frac:.2f} × {BOUND_TEX} = {lr:#.3g} · {regime} · "
            f"worst factor {worst:.3f} per step"
        )
        message = (
            f"η = {frac:.2f} × {BOUND_TEX}\n"
            f"the steep error grows × {abs(steep):.2f} per step"
        )
        show_message(self.message, divergence(regime, message, history, self.steps))

    def summary(self) -> str:
        kappa, frac = self.controls["kappa"].value, self.controls["lr_frac"].value
        history = self.run(kappa, frac)
        flat, steep = self.factors()
        return (
            f"κ = {kappa:.4g}, η = {frac:.2f} × 2/λ_max = {self.lr(kappa, frac):.4g}: "
            f"{self.regime()}; factors flat {flat:.4g}, steep {steep:.4g}; "
            f"f − f* = {history.final_loss:.3g} after {history.steps} steps "
            f"(best η = {kappa / (kappa + 1):.3f} × 2/λ_max)"
        )

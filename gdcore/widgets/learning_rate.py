"""Learning-rate explorer: one slider for η, one for the number of steps.

On a quadratic, each gradient-descent step multiplies the error along the
eigenvector of the Hessian with eigenvalue λ by (1 − ηλ). The explorer shows what
that factor does as η moves across the log scale:

- η ≤ 1/λ_max: every factor is in [0, 1), the path slides down monotonically;
- 1/λ_max < η < 2/λ_max: some factor is in (−1, 0), the path zig-zags inwards;
- η = 2/λ_max: a factor is exactly −1, the path bounces between two points;
- η > 2/λ_max: a factor is below −1, the path runs away (a message says so).

For f(x) = x² (λ = 2) the bound is η = 1 and x_k = (1 − 2η)^k·x_0.

    from gdcore.widgets import LearningRateExplorer
    LearningRateExplorer("parabola")      # or "bowl"
"""

from __future__ import annotations

import math
from typing import Any

import ipywidgets as widgets
import numpy as np

from .. import objectives, plotting, stability
from .._validate import check_int
from ..optimizers import sgd
from ..runs import descend
from ._artists import message_artist, show_message
from ._base import Explorer
from ._controls import slider
from ._quadratic import BOUND_TEX, check_in_range, check_theta0, divergence, gap_line

EXAMPLES = {"parabola": objectives.parabola, "bowl": objectives.quadratic_bowl}
DECADES_BELOW = 2.5  # the η slider starts this many decades below 2/λ_max …
DECADES_ABOVE = 0.3  # … and ends here (η ≈ 2 × 2/λ_max: fast but visible divergence)
LR_STEP = 0.025  # slider step in log10(η); 2/λ_max itself is on the grid
FACTOR_TEX = r"$|1 - \eta\lambda_{\max}|$"
REGIME_COLORS = {
    stability.MONOTONE: plotting.OKABE_ITO["bluish_green"],
    stability.OSCILLATING: plotting.OKABE_ITO["orange"],
    stability.PERIODIC: plotting.OKABE_ITO["reddish_purple"],
    stability.DIVERGING: plotting.OKABE_ITO["vermillion"],
}


class LearningRateExplorer(Explorer):
    """Plain gradient descent on a quadratic under a log-scale η slider.

    Parameters
    ----------
    objective : "parabola" (f(x) = x²), "bowl" (½θᵀAθ, κ = 10) or a 1-D/2-D
        Objective; the regimes use its Hessian at the first known minimizer.
    lr : starting η (default: a tenth of 2/λ_max).
    steps : starting number of steps shown; ``max_steps`` is the slider's end.
    theta0 : start point (default: 80 % of the way to the plot's upper corner,
        60 % in θ₂).
    """

    def __init__(
        self,
        objective: str | Any = "parabola",
        *,
        lr: float | None = None,
        steps: int = 20,
        max_steps: int = 50,
        theta0: Any = None,
        figsize: tuple[float, float] = (7.0, 5.0),
        dpi: int = plotting.DPI,
    ) -> None:
        obj = self.objective = _resolve_objective(objective)
        self.max_steps = max_steps = check_int(max_steps, "max_steps", minimum=1)
        steps = check_int(steps, "steps", minimum=0)
        if steps > max_steps:
            raise ValueError(f"steps must be <= max_steps={max_steps}, got {steps}")
        centre = obj.minimizers[0]
        if theta0 is None:
            upper = np.array([hi for _, hi in obj.plot_range])
            theta0 = centre + [0.8, 0.6][: obj.dim] * (upper - centre)
        self.theta0 = check_theta0(theta0, obj.dim)
        self.H = np.atleast_2d(obj.hessian(centre))
        bound = self.lr_bound = stability.max_stable_lr(self.H)
        lo, hi = math.log10(bound) - DECADES_BELOW, math.log10(bound) + DECADES_ABOVE
        lr = check_in_range(bound / 10 if lr is None else lr, "lr", 10**lo, 10**hi)
        lr_slider = slider("η", lr, lo, hi, LR_STEP, base=10, layout={"width": "55%"})
        steps_slider = widgets.IntSlider(
            value=steps,
            max=max_steps,
            description="steps",
            style={"description_width": "3.5em"},
            layout={"width": "40%"},
        )

        super().__init__(figsize=figsize, dpi=dpi)
        if obj.dim == 1:
            axes = self.fig.subplot_mosaic([["main"], ["scale"]], height_ratios=[6, 1])
            art = self.artists = plotting.plot_curve_1d(obj, ax=axes["main"])
            moving = [art.path, art.current, art.tangent]
        else:
            mosaic = [["main", "loss"], ["scale", "scale"]]
            axes = self.fig.subplot_mosaic(mosaic, height_ratios=[6, 1])
            art = self.artists = plotting.plot_contour_2d(obj, ax=axes["main"])
            f0 = obj.value(self.theta0) - obj.min_value
            ylim = (f0 * 1e-10, f0 * 1e4)
            ylabel = "f(θ) − f* (log scale)"
            self.loss_line = gap_line(axes["loss"], ylabel, max_steps, ylim)
            moving = [art.trajectory, art.points, art.start, art.current]
            moving += [art.minimum, self.loss_line]
        self.message = message_artist(axes["main"] if obj.dim == 1 else self.fig)
        # Left-aligned, fixed-width numbers: a move redraws only the changed glyphs.
        self.title = self.fig.suptitle("", x=0.02, ha="left", fontweight="bold")
        self.marker = self._draw_scale(axes["scale"], 10**lo, 10**hi)
        self.regime_label = widgets.HTML()
        moving += [self.title, self.message, self.marker]
        controls = {"lr": lr_slider, "steps": steps_slider}
        self._setup(controls, extras=[self.regime_label], animated=moving)

    def run(self, lr: float):
        """The History of ``max_steps`` steps of θ ← θ − η·∇f(θ), made once per η."""
        return self.cached(
            ("run", lr),
            lambda: descend(self.objective, sgd(lr), self.theta0, self.max_steps),
        )

    def regime(self) -> str:
        """classify_lr(η, H): monotone, oscillating, periodic or diverging."""
        return stability.classify_lr(self.controls["lr"].value, self.H)

    def _draw_scale(self, ax, lr_min: float, lr_max: float):
        """The η axis under the plot: regimes shaded, 2/λ_max marked, η as a marker."""
        bound = self.lr_bound
        edges = [lr_min, bound / 2, bound, lr_max]
        names = [stability.MONOTONE, stability.OSCILLATING, stability.DIVERGING]
        for lo, hi, name in zip(edges[:-1], edges[1:], names, strict=True):
            ax.axvspan(lo, hi, color=REGIME_COLORS[name], alpha=0.3, lw=0)
            middle = math.sqrt(lo * hi)  # on the log axis
            ax.text(middle, 0.3, name, ha="center", va="center", size="x-small")
        ax.axvline(bound, color="black", lw=1.2)
        label = f"{BOUND_TEX} = {bound:.3g}"
        top = ax.get_xaxis_transform()  # x in data, y in axes coordinates
        ax.text(
            bound, 1.02, label, ha="center", va="bottom", size="small", transform=top
        )
        (marker,) = ax.plot([], [], "v", ms=10, color="black", clip_on=False)
        ax.set(xscale="log", xlim=(lr_min, lr_max), ylim=(0, 1), yticks=[])
        ax.set_xlabel("learning rate η (log scale)")
        return marker

    def update(self) -> None:
        lr, k = self.controls["lr"].value, self.controls["steps"].value
        history = self.run(lr)
        shown = min(k, history.steps)
        thetas, losses = history.thetas[: shown + 1], history.losses[: shown + 1]
        if self.objective.dim == 1:
            blew_up = not np.all(np.abs(thetas[-1]) <= 1e150)  # no tangent there
            slope = None if blew_up else float(self.objective.grad(thetas[-1])[0])
            plotting.set_path_1d(self.artists, thetas[:, 0], losses, slope=slope)
        else:
            plotting.set_trajectory(self.artists, thetas)
            gap = losses - self.objective.min_value
            gap = np.where(np.isfinite(gap) & (gap > 0), gap, np.nan)
            self.loss_line.set_data(np.arange(shown + 1), gap)
        self.marker.set_data([lr], [0.75])
        regime = self.regime()
        self.title.set_text(
            f"η = {lr:#.3g}: {regime} · step {shown} of {self.max_steps}"
        )
        factor = stability.convergence_factor(self.H, lr)
        message = (
            f"η = {lr:.3g} > {BOUND_TEX} = {self.lr_bound:.3g}\n"
            f"each step scales the error by up to {FACTOR_TEX} = {factor:.3g}"
        )
        show_message(self.message, divergence(regime, message, history, k))
        self.regime_label.value = (
            f"<b style='background:{REGIME_COLORS[regime]};padding:0 0.4em'>"
            f"{regime}</b> η = {lr:.3g}; "
            f"stable for η < 2/λ<sub>max</sub> = {self.lr_bound:.3g}; "
            f"|1 − ηλ| ≤ {factor:.3g} per step"
        )

    def summary(self) -> str:
        lr = self.controls["lr"].value
        return (
            f"{self.objective.name}: {self.regime()} at η = {lr:.4g} "
            f"(stable bound 2/λ_max = {self.lr_bound:.4g})"
        )


def _resolve_objective(objective: str | Any):
    if isinstance(objective, str):
        if objective not in EXAMPLES:
            names = ", ".join(repr(n) for n in EXAMPLES)
            raise ValueError(f"objective must be one of {names}, got {objective!r}")
        return EXAMPLES[objective]()
    dim = getattr(objective, "dim", None)
    if dim not in (1, 2):
        raise ValueError(f"objective must be 1-D or 2-D, got dim={dim!r}")
    return objective

"""One gradient-descent step on the parabola f(x) = x², under an η slider.

From x₀ the step lands on x₁ = x₀ − η·f′(x₀) = (1 − 2η)·x₀: closer to the bottom
for 0 < η < 1, on it at η = ½, on the mirror point at η = 1, further away beyond.

    from gdcore.widgets import OneStepExplorer
    OneStepExplorer(x0=1.0)
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import plotting
from .._validate import check_finite
from ..objectives import parabola
from ._base import Explorer
from ._controls import preferred_log_slider

X_RANGE, Y_TOP = 2.4, 6.0  # the curve is drawn for |x| ≤ 2.4, up to f = 6
LR_MIN, LR_MAX = 0.001, 1.6  # the η slider's ends; its notches are R40 numbers


class OneStepExplorer(Explorer):
    """Where one step of gradient descent from x₀ lands on f(x) = x².

    Parameters
    ----------
    x0 : the start, 0 < |x₀| ≤ 1.5; from |x₀| ≤ 1 every x₁ stays in the picture.
    lr : the starting η, a notch of the slider (0.001 to 1.6).
    figsize, dpi : the figure's size in inches and its resolution.
    """

    def __init__(
        self,
        x0: float = 1.0,
        lr: float = 0.1,
        *,
        figsize: tuple[float, float] = (5.0, 3.0),
        dpi: int = plotting.DPI,
    ) -> None:
        self.x0 = check_finite(x0, "x0")
        if not 0 < abs(self.x0) <= 1.5:
            raise ValueError(f"x0 must satisfy 0 < |x0| <= 1.5, got {x0}")
        lr_slider = preferred_log_slider("η", LR_MIN, LR_MIN, LR_MAX)
        if check_finite(lr, "lr") not in [value for _, value in lr_slider.options]:
            notches = "0.001, 0.00106, …, 0.1, …, 0.5, …, 1.5, 1.6"
            raise ValueError(f"lr must be a notch of the slider ({notches}), got {lr}")
        lr_slider.value = lr
        self.objective = parabola()
        super().__init__(figsize=figsize, dpi=dpi)
        ax = self.fig.subplots()
        xs = np.linspace(-X_RANGE, X_RANGE, 241)
        ax.plot(xs, xs**2, color="0.6", label="f(x) = x²")
        start = plotting.MARKERS["start"] | {"label": f"start, x₀ = {self.x0:g}"}
        ax.plot([self.x0], [self.x0**2], **start)
        after = plotting.MARKERS["current"] | {"label": "after one step, x₁"}
        (self.after,) = ax.plot([], [], **after)
        ax.set(xlabel="x", ylabel="f(x)", ylim=(-0.3, Y_TOP))
        ax.legend(loc="upper center", fontsize="small")
        self.label = widgets.Label()
        self._setup({"lr": lr_slider}, extras=[self.label], animated=[self.after])

    def x1(self) -> float:
        """Where the step with the slider's η lands: x₀ − η·f′(x₀)."""
        return float(self.x0 - self.controls["lr"].value * self.objective.df(self.x0))

    def update(self) -> None:
        self.after.set_data([self.x1()], [self.x1() ** 2])
        self.label.value = self.summary()

    def summary(self) -> str:
        x1, lr = self.x1(), self.controls["lr"].value
        verdict = "closer to the bottom"
        if abs(x1) == abs(self.x0):
            verdict = "just as far away, on the other side"
        elif abs(x1) > abs(self.x0):
            verdict = "further away than the start"
        return f"η = {lr:.3g}:  x₁ = (1 − 2η)·x₀ = {x1:.3g}, {verdict}"

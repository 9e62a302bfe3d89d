"""One gradient-descent step on the parabola f(x) = x², under an η slider.

From x₀ the step lands on x₁ = x₀ − η·f′(x₀) = (1 − 2η)·x₀: closer to the bottom
for 0 < η < 1, exactly on it at η = ½, on the mirror point at η = 1 and further
away beyond. The slider's notches are preferred numbers (each about 1.06 times
the one before), so 0.1, 0.5, 1 and 1.5 are notches, exactly. Notebook 00
opens the course with it.

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

X_RANGE = 2.4  # the curve is drawn for |x| ≤ this …
Y_TOP = 6.0  # … up to f = this
LR_MIN, LR_MAX = 0.001, 1.6  # the η slider's ends; its notches are R40 numbers


class OneStepExplorer(Explorer):
    """Where one step of gradient descent from x₀ lands on f(x) = x².

    Parameters
    ----------
    x0 : the start, with 0 < |x₀| ≤ 1.5 (so that every step stays in the picture).
    lr : the starting η, a notch of the slider (0.001 to 1.6).
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
        notches = [v for _, v in lr_slider.options]
        if check_finite(lr, "lr") not in notches:
            raise ValueError(
                f"lr must be a notch of the slider (0.001, 0.00106, …, 0.1, …, 0.5, "
                f"…, 1.5, 1.6), got {lr}"
            )
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
        lr = self.controls["lr"].value
        return float(self.x0 - lr * self.objective.df(self.x0))

    def update(self) -> None:
        x1 = self.x1()
        self.after.set_data([x1], [x1**2])
        self.label.value = self.summary()

    def summary(self) -> str:
        x1 = self.x1()
        if abs(x1) < abs(self.x0):
            verdict = "closer to the bottom"
        elif abs(x1) == abs(self.x0):
            verdict = "just as far away, on the other side"
        else:
            verdict = "further away than the start"
        lr = self.controls["lr"].value
        return f"η = {lr:.3g}:  x₁ = (1 − 2η)·x₀ = {x1:.3g}, {verdict}"

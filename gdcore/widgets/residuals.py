"""Residual squares: fit a line by hand, with w and b sliders.

Each data point gets a square whose side is its error e_i = ŷ_i − y_i, so its
area is e_i² and the total orange area is the SSE, printed above the figure.
Moving w or b redraws the line, the residuals and the squares. Notebook 01 uses it to
hunt for the least-squares line before any calculus.

    from gdcore.widgets import ResidualExplorer
    ResidualExplorer(x, y, w=0.3, b=2.5)
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
import numpy as np
from matplotlib.collections import PolyCollection

from .. import plotting
from .._validate import as_array, check_finite
from ..losses import line_sse
from ._base import Explorer
from ._controls import slider


class ResidualExplorer(Explorer):
    """A line ŷ = w·x + b over data (x, y), its residuals and their squares.

    Parameters
    ----------
    x, y : the data, two 1-D arrays of the same length.
    w, b : the starting slope and intercept, inside ``w_range`` and ``b_range``.
    w_range, b_range : the sliders' ends; both move in steps of ``step``.
    xlim, ylim : the axes' limits (equal scales, so that the squares look square).
    xlabel, ylabel : the axes' labels.
    """

    def __init__(
        self,
        x: Any,
        y: Any,
        *,
        w: float = 0.0,
        b: float = 0.0,
        w_range: tuple[float, float] = (-0.5, 2.5),
        b_range: tuple[float, float] = (-2.0, 5.0),
        step: float = 0.01,
        xlim: tuple[float, float] = (0.0, 9.0),
        ylim: tuple[float, float] = (0.0, 8.5),
        xlabel: str = "x",
        ylabel: str = "y",
        figsize: tuple[float, float] = (6.0, 5.0),
        dpi: int = plotting.DPI,
    ) -> None:
        self.x = as_array(x, "x", ndim=1)
        self.y = as_array(y, "y", ndim=1)
        if self.y.shape != self.x.shape:
            raise ValueError(
                f"x and y must have the same length, got {len(self.x)} and "
                f"{len(self.y)}"
            )
        controls = {}
        for name, value, (lo, hi), text in (
            ("w", w, w_range, "w (slope)"),
            ("b", b, b_range, "b (intercept)"),
        ):
            if not lo <= check_finite(value, name) <= hi:
                raise ValueError(f"{name} must be in [{lo:g}, {hi:g}], got {value}")
            controls[name] = slider(text, value, lo, hi, step, width="6em")

        super().__init__(figsize=figsize, dpi=dpi)
        ax = self.fig.subplots()
        self.art = plotting.plot_regression(
            self.x, self.y, w, b, ax=ax, xlabel=xlabel, ylabel=ylabel
        )
        ax.set(xlim=xlim, ylim=ylim, aspect="equal")
        orange = plotting.OKABE_ITO["orange"]
        self.squares = PolyCollection(
            [], facecolor=orange, edgecolor=orange, alpha=0.3, label="$e_i^2$"
        )
        ax.add_collection(self.squares, autolim=False)
        ax.legend(loc="upper left", frameon=False, fontsize="small")
        self.label = widgets.Label()  # text beside the figure: no glyphs to render
        moving = [self.squares, self.art.residuals, self.art.line]
        self._setup(controls, extras=[self.label], animated=moving)

    def sse(self) -> float:
        """The SSE of the line the sliders set: Σ (w·x_i + b − y_i)²."""
        return line_sse(
            self.controls["w"].value, self.controls["b"].value, self.x, self.y
        )

    def corners(self) -> np.ndarray:
        """The squares' corners, shape (N, 4, 2): from y_i to ŷ_i, |e_i| wide."""
        w, b = self.controls["w"].value, self.controls["b"].value
        y_hat = w * self.x + b
        side = np.abs(y_hat - self.y)
        x, y = self.x, self.y
        corners = ([x, y], [x + side, y], [x + side, y_hat], [x, y_hat])
        return np.stack([np.column_stack(c) for c in corners], axis=1)

    def update(self) -> None:
        w, b = self.controls["w"].value, self.controls["b"].value
        plotting.set_line(self.art, w, b)
        self.squares.set_verts(self.corners())
        self.label.value = self.summary()

    def summary(self) -> str:
        w, b = self.controls["w"].value, self.controls["b"].value
        return f"w = {w:.2f}, b = {b:.2f}:  SSE = {self.sse():.3f}"

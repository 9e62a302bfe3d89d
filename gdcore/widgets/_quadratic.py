"""What the explorers of gradient descent on a quadratic share.

:mod:`.learning_rate` (notebooks 02 and 04) and :mod:`.conditioning` (notebook
04) check their arguments, draw the loss gap f(θ_k) − f* and report a diverging
run in the same way.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import plotting, stability
from .._validate import as_array, check_positive

BOUND_TEX = r"$2/\lambda_{\max}$"


def check_in_range(value: Any, name: str, lo: float, hi: float) -> float:
    """``value`` as a float, positive and in [lo, hi], or a clear error."""
    value = check_positive(value, name)
    if not lo <= value <= hi:
        raise ValueError(f"{name} must be in [{lo:.3g}, {hi:.3g}], got {value}")
    return value


def check_theta0(theta0: Any, dim: int) -> np.ndarray:
    """A start point with ``dim`` finite entries, as a 1-D float array."""
    theta0 = as_array(theta0, "theta0").reshape(-1)
    if theta0.shape != (dim,):
        raise ValueError(f"theta0 must have {dim} entries, got shape {theta0.shape}")
    return theta0


def gap_line(ax, ylabel: str, steps: int, ylim: tuple[float, float]):
    """An empty line for f(θ_k) − f* against k, on a log axis with fixed limits."""
    panel = plotting.plot_loss_curves({"f(θ) − f*": []}, ax=ax, ylabel=ylabel)
    ax.get_legend().remove()
    ax.set(xlim=(0, steps), ylim=ylim)
    return panel.lines[0]


def divergence(regime: str, text: str, history, shown: int) -> str | None:
    """The message box's text: None unless ``regime`` is diverging.

    Then "Diverging: " and ``text``, and the step at which the iterates
    overflowed if it is among the ``shown`` steps.
    """
    if regime != stability.DIVERGING:
        return None
    if history.diverged and history.diverged_at <= shown:
        text += f"\nthe iterates overflowed at step {history.diverged_at}"
    return f"Diverging: {text}"

"""Gradient clipping: cap the length of the gradient before the optimizer sees it.

    g ← g · min(1, c / ‖g‖)

``clip_by_norm(grad, max_norm)`` returns the gradient rescaled to length c =
``max_norm`` when it is longer, and unchanged otherwise; ``clipped(opt,
max_norm)`` wraps any optimizer so that its step sees the clipped gradient.
Clipping keeps the direction of g and only shortens it: a rare huge gradient
(a steep wall, an outlier in a mini-batch) moves θ by a bounded amount instead
of throwing it far away.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ._validate import as_array, check_positive
from .optimizers import Optimizer


def clip_by_norm(grad: ArrayLike, max_norm: float) -> np.ndarray:
    """g · min(1, c / ‖g‖): g shortened to length c = ``max_norm`` if longer.

        ‖g‖ = √(Σ_i g_i²)
        g ← g · c / max(‖g‖, c)

    c = ``max_norm`` > 0. When ‖g‖ <= c the factor is c/c = 1.0 exactly, so a
    short gradient comes back bit-identical (as a float array); when ‖g‖ > c
    the result has length c (up to rounding) and the direction of g.

    No ε: the division is by max(‖g‖, c) >= c > 0, never by 0. (PyTorch's
    ``clip_grad_norm_`` divides by ‖g‖ + 10⁻⁶ instead, so its clipped length is
    c·‖g‖/(‖g‖ + 10⁻⁶), a hair below c; optax's ``clip_by_global_norm`` is the
    rule here.) ‖g‖ is computed with ``np.hypot``, so a finite gradient too
    long for Σ g_i² (above about 1e154) is still clipped correctly.

    The norm runs over the last axis: a 1-d g (one flat gradient, as
    ``MLP.grad`` returns) is clipped as a whole; an (n, d) array is n gradients
    of n runs, each clipped by its own length.
    """
    g = as_array(grad, "grad")
    max_norm = check_positive(max_norm, "max_norm")
    norm = np.hypot.reduce(g, axis=-1, keepdims=True) if g.ndim else np.abs(g)
    return g * (max_norm / np.maximum(norm, max_norm))


def clipped(optimizer: Optimizer, max_norm: float) -> Optimizer:
    """``optimizer`` with every gradient clipped to length ``max_norm`` first.

        g ← clip_by_norm(g, c)
        θ, state ← optimizer.step(θ, g, state)

    The state is the wrapped optimizer's own, so ``clipped(adam(...), 1.0)``
    keeps Adam's m, v and t, and any schedule works as before.
    """
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"optimizer must be an Optimizer (gd.adam(...), ...), got {optimizer!r}"
        )
    max_norm = check_positive(max_norm, "max_norm")

    def step(theta: ArrayLike, grad: ArrayLike, state: Any):
        return optimizer.step(theta, clip_by_norm(grad, max_norm), state)

    hyperparams = {"optimizer": optimizer, "max_norm": max_norm}
    return Optimizer(optimizer.init, step, "clipped", hyperparams)

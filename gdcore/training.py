"""Training a model by mini-batch gradient descent, with a record of the run.

    run = train(net, gd.adam(lr=0.01), theta0, X, y, steps=2000, batch_size=32,
                rng=np.random.default_rng(0), X_val=X_val, y_val=y_val)

One step: take the next mini-batch (``gd.minibatches``, a fresh shuffle each
epoch), compute its gradient g = ``net.grad(θ, X_b, y_b)`` (backpropagation),
and let the optimizer move θ: ``θ, state = opt.step(θ, g, state)``. Any model
with ``loss(theta, X, y)`` and ``grad(theta, X, y)`` on a flat θ will do, and
any optimizer of :mod:`gdcore.optimizers` with any schedule.

Every ``record_every`` steps (and at the start and the end) the run records θ
and the loss on the whole training set (and on the validation set, if given).
A run that blows up stops and says so in ``message``: when a loss or θ stops
being finite, or the training loss passes ``blowup`` times its starting value.
No RuntimeWarning escapes.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from ._validate import as_array, check_int, check_positive
from .batching import check_rng, minibatches


class TrainRun(NamedTuple):
    """The record of a training run; row i describes θ after ``steps[i]`` updates.

    steps          (k,)    updates taken at each record, 0 first
    examples_seen  (k,)    training examples used by then
    thetas         (k, P)  θ at each record
    train_loss     (k,)    L(θ) on the whole training set
    val_loss       (k,)    L(θ) on the validation set, or None without one
    diverged_at    int | None  the update at which the run blew up
    message        str     one line saying how the run ended
    """

    steps: np.ndarray
    examples_seen: np.ndarray
    thetas: np.ndarray
    train_loss: np.ndarray
    val_loss: np.ndarray | None
    diverged_at: int | None
    message: str

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def final_theta(self) -> np.ndarray:
        return self.thetas[-1]


def train(
    model: Any,
    optimizer: Any,
    theta0,
    X,
    y,
    *,
    steps: int,
    batch_size: int,
    rng: np.random.Generator,
    X_val=None,
    y_val=None,
    record_every: int = 1,
    blowup: float = 10.0,
) -> TrainRun:
    """Run ``steps`` mini-batch updates of ``optimizer`` on ``model`` (see above)."""
    steps = check_int(steps, "steps", minimum=0)
    record_every = check_int(record_every, "record_every", minimum=1)
    blowup = check_positive(blowup, "blowup")
    check_rng(rng)
    theta = as_array(theta0, "theta0", ndim=1).copy()
    model.loss(theta, X, y)  # validates X, y and θ against the model
    X, y = np.asarray(X), np.asarray(y)  # lists too: mini-batches index them
    n = len(y)
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together, or neither")
    batch_size = check_int(batch_size, "batch_size")
    if not 1 <= batch_size <= n:
        raise ValueError(f"batch_size must be in [1, {n}], got {batch_size}")

    records: list[tuple[int, int, np.ndarray, float, float]] = []

    def record(k: int, seen: int) -> float:
        train_loss = model.loss(theta, X, y)
        val_loss = np.nan if X_val is None else model.loss(theta, X_val, y_val)
        records.append((k, seen, theta, train_loss, val_loss))
        return train_loss

    state = optimizer.init(theta)
    start = record(0, 0)
    k = seen = 0
    problem, diverged_at = None, None
    with np.errstate(all="ignore"):  # overflow is checked, never warned about
        while k < steps and problem is None:
            for batch in minibatches(n, batch_size, rng):
                try:
                    g = model.grad(theta, X[batch], y[batch])
                    theta, state = optimizer.step(theta, g, state)
                except FloatingPointError:
                    problem, diverged_at = "the numbers overflowed float64", k + 1
                    break
                k += 1
                seen += len(batch)
                if k % record_every == 0 or k == steps:
                    try:
                        loss = record(k, seen)
                    except FloatingPointError:
                        problem, diverged_at = "the loss overflowed float64", k
                        break
                    if loss > blowup * start:
                        problem = f"the training loss passed {blowup:g} × its start"
                        diverged_at = k
                        break
                if k == steps:
                    break
    if problem is None:
        message = f"ran {steps} steps of {optimizer!r}, batch size {batch_size}"
    else:
        message = f"diverged at step {diverged_at}: {problem} ({optimizer!r})"
    ks, seens, thetas, train_losses, val_losses = zip(*records, strict=True)
    return TrainRun(
        steps=np.array(ks),
        examples_seen=np.array(seens),
        thetas=np.array(thetas),
        train_loss=np.array(train_losses),
        val_loss=None if X_val is None else np.array(val_losses),
        diverged_at=diverged_at,
        message=message,
    )

"""The runs of the batch-size explorer: mini-batch SGD, thinned for drawing."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .._validate import check_int
from ..batching import minibatches
from ..optimizers import sgd
from ..runs import run_paths

MAX_POINTS = 60  # points drawn per path or loss curve (runs are thinned to this)
EARLY_POINTS = 30  # of which this many are log-spaced, to show the first updates
ESCAPE = 1.5  # a run whose L − L* climbs above this × its start is unstable


class BatchRun(NamedTuple):
    """One run of the explorer, thinned for drawing.

    updates        (k,)    number of updates taken at each kept point, 0 first
    examples_seen  (k,)    examples used by then
    thetas         (k, 2)  θ at those points
    excess_loss    (k,)    L(θ) − L* on the whole data set
    total_updates  int     updates in the budget, or up to the divergence
    escaped_at     int | None  first update whose L − L* passed ESCAPE times its
                           start (it has left the loss panel: unstable)
    diverged_at    int | None  first update whose θ or loss passed 1e150
    """

    batch_size: int
    lr: float
    updates: np.ndarray
    examples_seen: np.ndarray
    thetas: np.ndarray
    excess_loss: np.ndarray
    total_updates: int
    escaped_at: int | None
    diverged_at: int | None

    @property
    def final_excess(self) -> float:
        """L(θ) − L* at the last kept point."""
        return float(self.excess_loss[-1])


def batch_size_stops(n: int) -> tuple[int, ...]:
    """1, 2, 4, … (powers of two below N), then N itself: the slider's stops."""
    n = check_int(n, "n", minimum=1)
    stops = [2**k for k in range(n.bit_length()) if 2**k < n]
    return (*stops, n)


def sgd_run(ex, batch_size: int, lr: float) -> BatchRun:
    """Mini-batch SGD on the MSE of ``ex``'s houses, thinned for drawing.

    The batches are those of ``gd.fit_linear_regression(ex.X, ex.y, gd.sgd(lr),
    ex.theta0, epochs=ex.epochs, batch_size=batch_size,
    rng=np.random.default_rng(ex.seed))``: :func:`gdcore.minibatches` with a
    fresh generator; the steps go through :func:`gdcore.runs.run_paths`.
    """
    rng = np.random.default_rng(ex.seed)
    batches = [
        batch for _ in range(ex.epochs) for batch in minibatches(ex.n, batch_size, rng)
    ]
    order = np.concatenate(batches)
    Xs, ys = ex.X[order], ex.y[order]  # each batch is now a slice
    ends = np.cumsum([len(batch) for batch in batches])
    starts = ends - [len(batch) for batch in batches]

    def grad(theta, k):  # g = (2/B) X_bᵀ(X_b θ − y_b), one row per θ
        if k == len(batches):  # the end: the full-data gradient, for the record
            Xb, yb = ex.X, ex.y
        else:
            Xb, yb = Xs[starts[k] : ends[k]], ys[starts[k] : ends[k]]
        return 2 * ((theta @ Xb.T - yb) @ Xb) / len(Xb)

    def excess(thetas):  # (θ − θ*)ᵀ A (θ − θ*), as excess_loss, unguarded
        delta = thetas - ex.theta_star
        return np.einsum("ki,ij,kj->k", delta, ex._A, delta)

    paths = run_paths(sgd(lr), ex.theta0[None], len(batches), loss=excess, grad=grad)
    thetas, excess = paths.thetas[:, 0], paths.losses[:, 0]
    stop = int(paths.diverged_at[0])
    diverged_at = None if stop < 0 else stop
    with np.errstate(invalid="ignore"):
        escaped = ~(excess <= ESCAPE * ex.start_excess)
    escaped_at = int(np.argmax(escaped)) if escaped.any() else None
    last = len(thetas) - 1 if diverged_at is None else diverged_at
    keep = thinned(last)
    if escaped_at is not None:  # keep the point where it left the panel
        keep = np.union1d(keep, [escaped_at])
    seen = np.concatenate([[0], ends])
    return BatchRun(
        batch_size=batch_size,
        lr=lr,
        updates=keep,
        examples_seen=seen[keep],
        thetas=thetas[keep].copy(),
        excess_loss=excess[keep],
        total_updates=int(last),
        escaped_at=escaped_at,
        diverged_at=diverged_at,
    )


def thinned(last: int) -> np.ndarray:
    """At most MAX_POINTS + 1 update indices from 0 to ``last``, both included:
    evenly spaced, plus log-spaced ones so that the quick first descent shows."""
    if last <= MAX_POINTS:
        return np.arange(last + 1)
    even = np.linspace(0, last, MAX_POINTS - EARLY_POINTS + 1)
    early = np.geomspace(1, last, EARLY_POINTS)
    return np.unique(np.concatenate([even, early]).round().astype(int))


def describe(run: BatchRun) -> str:
    if run.diverged_at is not None:
        return f"diverged at update {run.diverged_at}"
    if run.escaped_at is not None:
        return f"unstable from update {run.escaped_at}, {run.final_excess:.2g}"
    return f"{run.final_excess:.2g}"

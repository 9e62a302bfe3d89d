"""Runs: apply an optimizer step after step and record the path it takes.

- ``run_paths(optimizer, theta0, steps, loss=..., grad=...)`` is the engine: it
  runs from n start points at once (θ₀ of shape (n, d); the optimizers act
  elementwise, so row i follows exactly the path of a run from θ₀[i] alone) and
  returns their ``Paths``.
- ``descend_paths(objective, optimizer, theta0, steps)`` does that on a test
  function of :mod:`gdcore.objectives`; ``descend(objective, optimizer, theta0,
  steps)`` from one start point, as a ``History``.
- ``fit_linear_regression(X, y, optimizer, theta0, ...)`` fits θ of ŷ = Xθ by
  mini-batch gradient descent on a loss from ``gdcore.losses``, as a ``History``.

The divergence rule is the same everywhere: a run stops, with ``diverged=True``,
at the first step where θ, the loss or the gradient stops being a finite number
no larger than 1e150 in absolute value (past that, the next steps overflow to
inf and NaN). Overflow is detected by explicit checks: no RuntimeWarning
reaches the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from . import losses as _losses
from ._validate import as_array, check_int, check_X_y
from .batching import check_rng, minibatches, n_batches

LIMIT = 1e150  # |value| above this counts as divergence


@dataclass(frozen=True, eq=False)
class History:
    """The record of a run; row i describes θ after ``step_index[i]`` updates.

    thetas         (k+1, d)  θ at each recorded step, the start θ₀ first
    losses         (k+1,)    L(θ) (for fits: on the full data set)
    grad_norms     (k+1,)    ‖∇L(θ)‖ (for fits: the full-batch gradient)
    examples_seen  (k+1,)    examples used so far (descend: one per step)
    diverged       bool      True when the run stopped because it blew up
    diverged_at    int|None  step at which it blew up (the last recorded step)
    message        str       one line saying how the run ended
    step_index     (k+1,)    updates taken at each record: 0, 1, 2, … unless a
                             fit records only every ``record_every`` steps

    The arrays are read-only copies.
    """

    thetas: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    examples_seen: np.ndarray
    diverged: bool
    diverged_at: int | None
    message: str
    step_index: np.ndarray | None = None

    def __post_init__(self) -> None:
        thetas = np.array(self.thetas, dtype=float)
        if thetas.ndim != 2 or len(thetas) == 0:
            raise ValueError(f"thetas must have shape (k+1, d), got {thetas.shape}")
        rows = len(thetas)
        step_index = np.arange(rows) if self.step_index is None else self.step_index
        arrays = {
            "thetas": thetas,
            "losses": np.array(self.losses, dtype=float),
            "grad_norms": np.array(self.grad_norms, dtype=float),
            "examples_seen": np.array(self.examples_seen, dtype=np.int64),
            "step_index": np.array(step_index, dtype=np.int64),
        }
        for name, arr in arrays.items():
            if name != "thetas" and arr.shape != (rows,):
                raise ValueError(f"{name} must have shape ({rows},), got {arr.shape}")
            arr.flags.writeable = False
            object.__setattr__(self, name, arr)

    @property
    def steps(self) -> int:
        """Number of optimizer updates taken."""
        return int(self.step_index[-1])

    @property
    def final_theta(self) -> np.ndarray:
        """θ at the end of the run (read-only)."""
        return self.thetas[-1]

    @property
    def final_loss(self) -> float:
        """L(θ) at the end of the run."""
        return float(self.losses[-1])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, History):
            return NotImplemented
        return all(
            _same(getattr(self, f.name), getattr(other, f.name)) for f in fields(self)
        )

    __hash__ = None  # holds arrays, which are unhashable

    def __repr__(self) -> str:
        return (
            f"History(steps={self.steps}, final_loss={self.final_loss:.6g}, "
            f"diverged={self.diverged}, message={self.message!r})"
        )


class Paths(NamedTuple):
    """n runs made at once by :func:`run_paths`; column i is the run from θ₀[i].

    thetas       (k+1, n, d)  θ after each update, θ₀ first; NaN once run i stopped
    losses       (k+1, n)     L(θ) there (NaN likewise; NaN too where θ blew up)
    grad_norms   (k+1, n)     ‖∇L(θ)‖ there
    diverged_at  (n,)         the step at which run i blew up (its last row), or −1
    problems     tuple        for each run, what blew up (None when nothing did)
    optimizer    the optimizer the runs used (for the messages)
    """

    thetas: np.ndarray
    losses: np.ndarray
    grad_norms: np.ndarray
    diverged_at: np.ndarray
    problems: tuple[str | None, ...]
    optimizer: object

    def history(self, i: int = 0) -> History:
        """Run i as a History (one example seen per step)."""
        stop = int(self.diverged_at[i])
        last = len(self.thetas) - 1 if stop < 0 else stop
        problem = self.problems[i]
        losses = self.losses[: last + 1, i]
        if problem is None:
            message = f"ran {_count(last, 'step')}; final loss {losses[-1]:.3g}"
        else:
            message = (
                f"diverged at step {last}: {problem} "
                f"({_describe(self.optimizer)}); try a smaller learning rate"
            )
        return History(
            thetas=self.thetas[: last + 1, i],
            losses=losses,
            grad_norms=self.grad_norms[: last + 1, i],
            examples_seen=np.arange(last + 1),
            diverged=problem is not None,
            diverged_at=None if problem is None else last,
            message=message,
        )


def run_paths(
    optimizer,
    theta0,
    steps: int,
    *,
    loss: Callable[[np.ndarray], np.ndarray],
    grad: Callable[[np.ndarray, int], np.ndarray],
) -> Paths:
    """Run ``steps`` updates from every row of θ₀ (shape (n, d)) at once.

    ``loss(theta)`` gives L at each row of an (m, d) array of points, shape (m,);
    ``grad(theta, k)`` gives the gradient that update k + 1 uses at each row,
    shape (m, d) (the same for every k, or a mini-batch's: k says which); it is
    also called at k = ``steps``, for the record of ‖∇L‖ at the last point. A run
    that breaks the divergence rule (see the module docstring) stops there and
    leaves the batch; the others go on. When the optimizer's step itself
    overflows, every run still going stops at that step with its message.
    """
    steps = check_int(steps, "steps", minimum=0)
    theta = np.array(as_array(theta0, "theta0", ndim=2))
    n, d = theta.shape
    thetas = np.full((steps + 1, n, d), np.nan)
    losses = np.full((steps + 1, n), np.nan)
    grads = np.full((steps + 1, n, d), np.nan)
    diverged_at = np.full(n, -1)
    problems: list[str | None] = [None] * n
    rows = slice(None)  # the runs still going, as rows of θ (all of them, at first)
    state = optimizer.init(theta)
    with np.errstate(all="ignore"):
        for k in range(steps + 1):
            thetas[k, rows] = theta
            value = _or_inf(loss, theta).reshape(-1)
            g = _or_inf(grad, theta, k).reshape(theta.shape)
            losses[k, rows], grads[k, rows] = value, g
            bad = _bad_rows(theta, value, g)
            if bad is not None:
                rows = np.arange(n)[rows]
                for i in np.flatnonzero(bad):
                    problems[rows[i]] = _problem(theta[i], value[i], g[i])
                    diverged_at[rows[i]] = k
                    if problems[rows[i]].startswith("theta"):
                        losses[k, rows[i]] = grads[k, rows[i]] = np.nan
                keep = ~bad
                rows, theta, g = rows[keep], theta[keep], g[keep]
                state = _keep_rows(state, keep)
                if not len(rows):
                    break
            if k == steps:
                break
            try:
                theta, state = optimizer.step(theta, g, state)
            except FloatingPointError as exc:  # the step itself overflowed
                for i in np.arange(n)[rows]:
                    problems[i], diverged_at[i] = str(exc), k
                break
        grad_norms = np.sqrt(np.vecdot(grads, grads))  # as np.linalg.norm(g_i)
    return Paths(thetas, losses, grad_norms, diverged_at, tuple(problems), optimizer)


def descend_paths(objective, optimizer, theta0, steps: int) -> Paths:
    """Minimise a test function from every row of θ₀ (shape (n, dim)) at once.

    ``objective`` is an :class:`~gdcore.objectives.Objective`: its formulas
    ``f`` and ``df`` act on every row at once. Every step uses the exact
    gradient.
    """
    theta0 = as_array(theta0, "theta0", ndim=2)
    if theta0.shape[1] != objective.dim:
        raise ValueError(
            f"theta0 must have shape (n, {objective.dim}) to match objective.dim = "
            f"{objective.dim}, got shape {theta0.shape}"
        )

    def loss(theta):
        return objective.f(*theta.T)

    def grad(theta, k):
        parts = objective.df(*theta.T)
        g = np.empty_like(theta)
        for i, part in enumerate([parts] if objective.dim == 1 else parts):
            g[:, i] = part  # (a constant partial broadcasts)
        return g

    return run_paths(optimizer, theta0, steps, loss=loss, grad=grad)


def descend(objective, optimizer, theta0, steps: int) -> History:
    """Run ``steps`` updates θ ← optimizer.step(θ, ∇f(θ), state) on an objective.

    Every step uses the exact gradient of the whole objective, so each step
    counts as one example: ``examples_seen`` is the step count 0, 1, …, k.
    θ₀ must have length ``objective.dim`` (a plain float is fine when dim is 1).
    Any object with ``dim``, ``value(theta)`` and ``grad(theta)`` will do.
    """
    steps = check_int(steps, "steps", minimum=0)
    theta = _initial_theta(theta0, objective.dim, "objective.dim")

    def loss(thetas):
        return objective.value(thetas[0])

    def grad(thetas, k):
        return objective.grad(thetas[0])

    paths = run_paths(optimizer, theta[None], steps, loss=loss, grad=grad)
    return paths.history(0)


def fit_linear_regression(
    X,
    y,
    optimizer,
    theta0,
    *,
    epochs: int,
    batch_size: int,
    rng: np.random.Generator,
    loss: str = "mse",
    drop_last: bool = False,
    record_every: int = 1,
) -> History:
    """Fit θ of ŷ = Xθ by mini-batch gradient descent.

    Each epoch shuffles the N rows with ``rng`` and takes one step per batch of
    ``batch_size`` rows (see ``gdcore.batching.minibatches``); the step uses the
    gradient of ``loss`` on that batch only, and ``examples_seen`` adds up the
    batch sizes. After every ``record_every``-th step, and after the last one,
    the history records the loss and the gradient norm on the full data set.
    That costs O(N·d) per record, so long SGD runs should record less often.

    θ and the batch gradient are checked for divergence at every step, the
    full-data loss and gradient at every record. When a record finds the run
    blown up, the steps since the previous record are checked one by one, so
    ``diverged_at`` is the first bad step whatever ``record_every`` is.
    """
    X, y = check_X_y(X, y)
    n, d = X.shape
    theta = _initial_theta(theta0, d, "X.shape[1]")
    epochs = check_int(epochs, "epochs", minimum=0)
    n_batches(n, batch_size, drop_last=drop_last)  # validates batch_size
    check_rng(rng)
    record_every = check_int(record_every, "record_every", minimum=1)
    value_fn, grad_fn, _ = _losses.get_loss(loss)

    record = _Recorder(lambda t: value_fn(t, X, y), lambda t: grad_fn(t, X, y))
    state = optimizer.init(theta)
    k = seen = 0
    pending = []  # (θ, step, examples_seen) since the last record
    with np.errstate(all="ignore"):
        problem, _ = record(theta, 0, 0)
        for _epoch in range(epochs):
            if problem is not None:
                break
            order = np.concatenate(
                list(minibatches(n, batch_size, rng, drop_last=drop_last))
            )
            Xs, ys = X[order], y[order]  # each batch is now a contiguous slice
            for start in range(0, len(order), batch_size):
                Xb = Xs[start : start + batch_size]
                g = _or_inf(grad_fn, theta, Xb, ys[start : start + batch_size])
                bad = _first_bad(g)
                if bad is not None:
                    problem = f"mini-batch gradient reached {bad:.3g}"
                    problem = record.catch_up(pending) or problem
                    break
                try:
                    theta, state = optimizer.step(theta, g, state)
                except FloatingPointError as exc:  # the step itself overflowed
                    problem = record.catch_up(pending) or str(exc)
                    break
                k += 1
                seen += len(Xb)
                pending.append((theta, k, seen))
                if k % record_every == 0 or _first_bad(theta) is not None:
                    problem = record.catch_up(pending)
                    if problem is not None:
                        break
        if problem is None:
            problem = record.catch_up(pending)
    done = f"ran {_count(epochs, 'epoch')} ({_count(k, 'step')})"
    return record.history(problem, optimizer, done)


class _Recorder:
    """Collects the rows of a History and checks each point for divergence."""

    def __init__(self, loss_fn, grad_fn) -> None:
        self.loss_fn = loss_fn
        self.grad_fn = grad_fn
        self.thetas: list[np.ndarray] = []
        self.losses: list[float] = []
        self.grad_norms: list[float] = []
        self.examples_seen: list[int] = []
        self.step_index: list[int] = []

    def __call__(self, theta, step: int, seen: int) -> tuple[str | None, np.ndarray]:
        """Record θ with its loss and gradient norm; return (problem, gradient)."""
        return self._add(theta, step, seen, self._inspect(theta))

    def catch_up(self, pending: list) -> str | None:
        """Record the newest pending point, or else the first one that blew up.

        Earlier points are evaluated only when the newest one has blown up.
        Empties ``pending`` and returns the problem of the recorded point.
        """
        if not pending:
            return None
        theta, step, seen = pending[-1]
        found = self._inspect(theta)
        if found[0] is not None:  # the newest blew up: find the first that did
            for earlier in pending:
                found = self._inspect(earlier[0])
                if found[0] is not None:
                    theta, step, seen = earlier
                    break
        pending.clear()
        return self._add(theta, step, seen, found)[0]

    def _inspect(self, theta) -> tuple[str | None, float, np.ndarray]:
        return _inspect(theta, self.loss_fn, self.grad_fn)

    def _add(self, theta, step, seen, found) -> tuple[str | None, np.ndarray]:
        problem, loss, g = found
        self.thetas.append(theta)
        self.losses.append(loss)
        self.grad_norms.append(float(np.linalg.norm(g)))
        self.examples_seen.append(seen)
        self.step_index.append(step)
        return problem, g

    def history(self, problem: str | None, optimizer, done: str) -> History:
        """The History; a diverged run ends at the step that blew up."""
        if problem is None:
            message = f"{done}; final loss {self.losses[-1]:.3g}"
        else:
            message = (
                f"diverged at step {self.step_index[-1]}: {problem} "
                f"({_describe(optimizer)}); try a smaller learning rate"
            )
        return History(
            thetas=np.array(self.thetas),
            losses=self.losses,
            grad_norms=self.grad_norms,
            examples_seen=self.examples_seen,
            diverged=problem is not None,
            diverged_at=None if problem is None else self.step_index[-1],
            message=message,
            step_index=self.step_index,
        )


def _same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return np.array_equal(a, b, equal_nan=True)
    return a == b


def _inspect(theta, loss_fn, grad_fn) -> tuple[str | None, float, np.ndarray]:
    """(problem or None, L(θ), ∇L(θ)); L and ∇L are NaN when θ itself blew up."""
    bad = _first_bad(theta)
    if bad is not None:
        return f"theta reached {bad:.3g}", np.nan, np.full_like(theta, np.nan)
    loss = float(_or_inf(loss_fn, theta))
    g = _or_inf(grad_fn, theta)
    if not abs(loss) <= LIMIT:  # also catches NaN
        return f"loss reached {loss:.3g}", loss, g
    bad = _first_bad(g)
    if bad is not None:
        return f"gradient reached {bad:.3g}", loss, g
    return None, loss, g


def _or_inf(fn, *args) -> np.ndarray:
    """fn(*args) as a float array, or inf if it overflowed float64.

    The losses raise FloatingPointError rather than return a value that has
    overflowed; for a run that only means the value is past every limit.
    """
    try:
        return np.asarray(fn(*args), dtype=float)
    except FloatingPointError:
        return np.asarray(np.inf)


def _first_bad(values) -> float | None:
    """The first entry that is NaN, ±inf or beyond ±1e150, or None if none is."""
    magnitudes = np.abs(values)
    if np.maximum.reduce(magnitudes, axis=None) <= LIMIT:  # False for NaN too
        return None
    return float(np.ravel(values)[np.argmin(magnitudes <= LIMIT)])


def _bad_rows(theta, value, g) -> np.ndarray | None:
    """Which rows break the divergence rule (None, quickly, when none does).

    The quick test: a sum of squares is at most 1e300 when no entry passes 1e150
    (and NaN when one is NaN, which fails it); only when it fails are the rows
    looked at one by one.
    """
    square = LIMIT**2
    if (
        np.vdot(theta, theta) <= square
        and np.vdot(g, g) <= square
        and np.vdot(value, value) <= square
    ):
        return None
    ok = np.all(np.abs(theta) <= LIMIT, axis=1) & (np.abs(value) <= LIMIT)
    bad = ~(ok & np.all(np.abs(g) <= LIMIT, axis=1))
    return bad if bad.any() else None


def _problem(theta, value, g) -> str:
    """What blew up at one point: θ first, then the loss, then the gradient."""
    bad = _first_bad(theta)
    if bad is not None:
        return f"theta reached {bad:.3g}"
    if not abs(value) <= LIMIT:
        return f"loss reached {value:.3g}"
    return f"gradient reached {_first_bad(g):.3g}"


def _keep_rows(state, keep: np.ndarray):
    """The optimizer state of the runs still going: the kept rows of each array."""
    return state._replace(**{f: getattr(state, f)[keep] for f in state._fields[:-1]})


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _describe(optimizer) -> str:
    """'sgd, lr=1e-05' from the optimizer's published name and hyperparams."""
    name = getattr(optimizer, "name", type(optimizer).__name__)
    lr = getattr(optimizer, "hyperparams", {}).get("lr")
    if lr is None:
        return name
    lr_text = f"{lr:g}" if isinstance(lr, int | float) else repr(lr)
    return f"{name}, lr={lr_text}"


def _initial_theta(theta0, dim: int, dim_name: str) -> np.ndarray:
    """θ₀ as a fresh 1-D float array of length ``dim``."""
    theta = np.array(as_array(theta0, "theta0"), dtype=float)
    if theta.ndim == 0:
        theta = theta.reshape(1)
    if theta.shape != (dim,):
        raise ValueError(
            f"theta0 must have shape ({dim},) to match {dim_name} = {dim}, "
            f"got shape {theta.shape}"
        )
    return theta

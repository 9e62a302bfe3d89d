"""First-order optimizers as pairs of pure functions, in the style of optax.

    opt = adam(lr=0.01)
    state = opt.init(theta)
    for _ in range(100):
        theta, state = opt.step(theta, grad(theta), state)

``init(theta)`` returns the starting state: zeros shaped like θ and t = 0.
``step(theta, grad, state)`` returns ``(new_theta, new_state)`` and changes
neither its arguments nor anything else. A state is a NamedTuple whose fields
carry the names of the math: v (velocity), G (sum of squared gradients),
s (running mean of g²), m and v (Adam's moments) and t (steps completed).

``lr`` is η: a positive number, or a schedule (any callable, see
:mod:`gdcore.schedules`) that the step calls as ``lr(state.t)``, so with t = 0
on the first step. Squares, roots and divisions act elementwise, so θ may be a
single point or an (n, d) array of n points moving at once (``gdcore.runs``).

Checks cost almost nothing per step. The factory validates the hyper-parameters
once. A step checks only what is free (the state's type, every shape) before
the arithmetic, and that every result is finite after it; when a result is not,
it finds out why, and raises the error that names the input at fault (``grad
must be finite, got …``) or says that the step itself overflowed. So a step
costs about the bare NumPy arithmetic of its update (``bench/bench_steps.py``).

Adding an optimizer follows the same pattern as the eight below (AdamW and
SGD-HD were added that way):

1. a NamedTuple state whose fields are the notebook's names, ``t`` last;
2. a factory that validates each hyper-parameter (``_validate``'s checks; the
   learning rate with ``lr_at = _learning_rate(lr)``) and defines
3. ``init(theta)``, zeros shaped like θ, and ``step(theta, grad, state)``::

       inputs = theta, g, state = _start(theta, grad, state, AdamWState)
       lr = lr_at(state.t)
       with np.errstate(all="ignore"):   # _finish reports overflow instead
           ...                           # one line of code per line of math
       return _finish("adamw", inputs, theta, AdamWState(m=m, v=v, t=t))

4. ``return Optimizer(init, step, "adamw", {hyper-parameters})``, and an entry
   in :data:`OPTIMIZERS`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from ._validate import (
    as_array,
    check_bool,
    check_int,
    check_nonnegative,
    check_positive,
    check_same_shape,
    check_unit_interval,
)
from .schedules import constant

LearningRate = float | Callable[[int], float]
SMALL = 32  # arrays up to this size are checked in Python (see _finish)


class Optimizer(NamedTuple):
    """``init(theta) -> state`` and ``step(theta, grad, state) -> (theta, state)``."""

    init: Callable[[ArrayLike], Any]
    step: Callable[[ArrayLike, ArrayLike, Any], tuple[np.ndarray, Any]]
    name: str
    hyperparams: dict[str, Any]

    def __repr__(self) -> str:
        args = ", ".join(f"{key}={value!r}" for key, value in self.hyperparams.items())
        return f"{self.name}({args})"


class SGDState(NamedTuple):
    """t: steps completed (a schedule needs it)."""

    t: int


class MomentumState(NamedTuple):
    """v: velocity; t: steps completed."""

    v: np.ndarray
    t: int


class NesterovState(NamedTuple):
    """v: velocity; t: steps completed."""

    v: np.ndarray
    t: int


class AdaGradState(NamedTuple):
    """G: running sum of squared gradients; t: steps completed."""

    G: np.ndarray
    t: int


class RMSpropState(NamedTuple):
    """s: running mean of squared gradients; t: steps completed."""

    s: np.ndarray
    t: int


class AdamState(NamedTuple):
    """m, v: running means of g and g²; t: steps completed."""

    m: np.ndarray
    v: np.ndarray
    t: int


class AdamWState(NamedTuple):
    """m, v: running means of g and g²; t: steps completed."""

    m: np.ndarray
    v: np.ndarray
    t: int


class SGDHDState(NamedTuple):
    """g_prev: the previous gradient; lr: the learned rate η; t: steps completed.

    ``lr`` has θ's shape and holds one η per run (every entry of a row equal):
    ``state.lr[..., 0]`` is the rate of each run, ``float(state.lr[0])`` of one.
    """

    g_prev: np.ndarray
    lr: np.ndarray
    t: int


# -- shared plumbing: cheap checks around each step ------------------------------


def _learning_rate(lr: LearningRate) -> Callable[[int], float]:
    """η as a function of the step index t, validated where that is possible.

    A number is checked here, once (positive and finite), and becomes a function
    that returns it. A schedule is called at every step and its value checked
    then (it may end at 0, as cosine with lr_min=0 does, never below).
    """
    if callable(lr):
        return lambda t: check_nonnegative(lr(t), f"lr({t})")
    lr = constant(lr).lr  # validates
    return lambda t: lr


def _hyperparam_lr(lr: LearningRate) -> LearningRate:
    return lr if callable(lr) else float(lr)


def _zeros(theta: ArrayLike) -> np.ndarray:
    return np.zeros_like(as_array(theta, "theta"))


def _start(theta, grad, state, state_type: type) -> tuple[np.ndarray, Any, Any]:
    """One step's inputs θ, g and state, as float arrays, after cheap checks.

    The checks that cost nothing run first: the state's type and every shape.
    When all of them pass (the usual case: arrays of floats, as the previous step
    returned them) the inputs go through unchanged, and whether they were finite
    is seen in the step's results (:func:`_finish`). Anything else (lists,
    integers, a wrong shape or type) goes through :func:`_check_inputs`, which
    converts it or raises the error that names the argument.
    """
    if (
        type(theta) is np.ndarray
        and type(grad) is np.ndarray
        and type(state) is state_type
        and theta.dtype == grad.dtype == np.float64
        and theta.size
        and grad.shape == theta.shape
        and type(state.t) is int
        and state.t >= 0
    ):
        for value in state[:-1]:  # the arrays; t is the last field
            if type(value) is not np.ndarray or value.shape != theta.shape:
                break
        else:
            return theta, grad, state
    return _check_inputs(theta, grad, state, state_type)


def _check_inputs(theta, grad, state, state_type: type) -> tuple[np.ndarray, Any, Any]:
    """Every check of one step's inputs; return them as float arrays."""
    if not isinstance(state, state_type):
        raise TypeError(
            f"state must be of type {state_type.__name__}, got {type(state).__name__}"
        )
    theta = as_array(theta, "theta")
    g = as_array(grad, "grad")
    check_same_shape(theta, "theta", g, "grad")
    arrays = {}
    for key in state._fields[:-1]:
        arrays[key] = as_array(getattr(state, key), f"state.{key}")
        check_same_shape(theta, "theta", arrays[key], f"state.{key}")
    check_int(state.t, "state.t", minimum=0)
    return theta, g, state._replace(**arrays)


def _finish(name: str, inputs: tuple, theta, state: NamedTuple) -> tuple[Any, Any]:
    """Return ``(theta, state)``, refusing anything that is not finite.

    The sum of an array is finite exactly when its entries are, unless they are
    so large that adding them overflows: only then are the entries looked at one
    by one. (A small array is summed in Python: for a few entries that is several
    times quicker than a NumPy reduction.) A result that is not finite comes
    from inputs that were not (the error names the input, as
    :func:`_check_inputs` does) or from the step itself.
    """
    if type(theta) is not np.ndarray:  # 0-d inputs give NumPy scalars
        theta = np.asarray(theta)
        state = state._replace(
            **{k: np.asarray(getattr(state, k)) for k in state._fields[:-1]}
        )
    for i, value in enumerate((theta, *state[:-1])):
        total = sum(value.ravel().tolist()) if value.size <= SMALL else value.sum()
        if not math.isfinite(total) and not np.isfinite(value).all():
            _check_inputs(*inputs, type(state))  # raises if an input was bad
            label = "theta" if i == 0 else f"state.{state._fields[i - 1]}"
            raise FloatingPointError(
                f"{name} step produced a non-finite {label}: the gradient or lr "
                "is too large (overflow), or eps=0 met a zero gradient (0/0)"
            )
    return theta, state


# -- the optimizers -------------------------------------------------------------


def sgd(lr: LearningRate) -> Optimizer:
    """Plain gradient descent (stochastic when g comes from a mini-batch).

        θ ← θ − η·g

    η = ``lr``. The state only counts steps, for schedules.
    """
    lr_at = _learning_rate(lr)

    def init(theta: ArrayLike) -> SGDState:
        as_array(theta, "theta")
        return SGDState(t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: SGDState):
        inputs = theta, g, state = _start(theta, grad, state, SGDState)
        lr = lr_at(state.t)
        with np.errstate(all="ignore"):
            theta = theta - lr * g
        return _finish("sgd", inputs, theta, SGDState(t=state.t + 1))

    return Optimizer(init, step, "sgd", {"lr": _hyperparam_lr(lr)})


def momentum(lr: LearningRate, beta: float = 0.9) -> Optimizer:
    """Heavy-ball momentum (Polyak 1964), written as PyTorch's SGD writes it.

        v ← β·v + g
        θ ← θ − η·v

    η = ``lr``, β = ``beta`` in [0, 1); v starts at 0 and β = 0 is plain
    gradient descent. With a constant gradient v grows to g/(1 − β), so the
    step settles at η·g/(1 − β): ten times the plain step when β = 0.9.

    Other books and libraries write momentum differently:

    - v ← β·v − η·g, θ ← θ + v (the classic form). Its v is −η times this v,
      so it visits exactly the same points as long as η is constant.
    - v ← β·v + (1 − β)·g, θ ← θ − η·v (the "dampened" form, a moving average
      of g; PyTorch's ``dampening=beta``). Its v is (1 − β) times this v, so
      with η/(1 − β) in place of η it visits exactly the same points.
    """
    lr_at = _learning_rate(lr)
    beta = check_unit_interval(beta, "beta")

    def init(theta: ArrayLike) -> MomentumState:
        return MomentumState(v=_zeros(theta), t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: MomentumState):
        inputs = theta, g, state = _start(theta, grad, state, MomentumState)
        lr = lr_at(state.t)
        with np.errstate(all="ignore"):
            v = beta * state.v + g
            theta = theta - lr * v
        return _finish("momentum", inputs, theta, MomentumState(v=v, t=state.t + 1))

    return Optimizer(init, step, "momentum", {"lr": _hyperparam_lr(lr), "beta": beta})


def nesterov(lr: LearningRate, beta: float = 0.9) -> Optimizer:
    """Nesterov momentum (Nesterov 1983; Sutskever et al. 2013), PyTorch's form.

        v ← β·v + g
        θ ← θ − η·(g + β·v)

    η = ``lr``, β = ``beta`` in [0, 1); v starts at 0. This is what
    ``torch.optim.SGD(..., nesterov=True)`` computes.

    Sutskever et al. describe the method as a look-ahead: take the gradient at
    θ + β·v, where the velocity is about to carry the point, then update
    v ← β·v − η·∇L(θ + β·v) and θ ← θ + v. The two lines above are the same
    method rewritten around the look-ahead point itself, so the gradient is
    taken at the current θ and the update gains the extra β·v term. With a
    constant η, the points visited here are exactly the look-ahead points of
    the Sutskever form.
    """
    lr_at = _learning_rate(lr)
    beta = check_unit_interval(beta, "beta")

    def init(theta: ArrayLike) -> NesterovState:
        return NesterovState(v=_zeros(theta), t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: NesterovState):
        inputs = theta, g, state = _start(theta, grad, state, NesterovState)
        lr = lr_at(state.t)
        with np.errstate(all="ignore"):
            v = beta * state.v + g
            theta = theta - lr * (g + beta * v)
        return _finish("nesterov", inputs, theta, NesterovState(v=v, t=state.t + 1))

    return Optimizer(init, step, "nesterov", {"lr": _hyperparam_lr(lr), "beta": beta})


def adagrad(lr: LearningRate = 0.01, eps: float = 1e-10) -> Optimizer:
    """AdaGrad (Duchi, Hazan & Singer 2011), diagonal version.

        G ← G + g²
        θ ← θ − η·g / (√G + ε)

    η = ``lr``, ε = ``eps`` >= 0; G starts at 0. Each coordinate gets its own
    rate η/√G, large where past gradients were small and small where they were
    large. G never shrinks, so the steps only get shorter.

    ε sits outside the square root, as in PyTorch. Other libraries differ: some
    start G at a small positive value instead of adding ε.
    """
    lr_at = _learning_rate(lr)
    eps = check_nonnegative(eps, "eps")

    def init(theta: ArrayLike) -> AdaGradState:
        return AdaGradState(G=_zeros(theta), t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: AdaGradState):
        inputs = theta, g, state = _start(theta, grad, state, AdaGradState)
        lr = lr_at(state.t)
        with np.errstate(all="ignore"):
            G = state.G + g**2
            theta = theta - lr * g / (np.sqrt(G) + eps)
        return _finish("adagrad", inputs, theta, AdaGradState(G=G, t=state.t + 1))

    return Optimizer(init, step, "adagrad", {"lr": _hyperparam_lr(lr), "eps": eps})


def rmsprop(lr: LearningRate = 0.01, rho: float = 0.9, eps: float = 1e-8) -> Optimizer:
    """RMSprop (Tieleman & Hinton 2012, Coursera lecture 6e).

        s ← ρ·s + (1 − ρ)·g²
        θ ← θ − η·g / (√s + ε)

    η = ``lr``, ρ = ``rho`` in [0, 1), ε = ``eps`` >= 0; s starts at 0.
    AdaGrad with a memory: s is a moving average of g² rather than a sum, so
    the rate can grow again after large gradients pass.

    ε sits outside the square root, as in PyTorch (which calls ρ ``alpha`` and
    defaults it to 0.99; 0.9 here is the lecture's value). TensorFlow's RMSprop
    puts ε inside, √(s + ε), so there the same ``eps`` means something else.
    """
    lr_at = _learning_rate(lr)
    rho = check_unit_interval(rho, "rho")
    eps = check_nonnegative(eps, "eps")

    def init(theta: ArrayLike) -> RMSpropState:
        return RMSpropState(s=_zeros(theta), t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: RMSpropState):
        inputs = theta, g, state = _start(theta, grad, state, RMSpropState)
        lr = lr_at(state.t)
        with np.errstate(all="ignore"):
            s = rho * state.s + (1 - rho) * g**2
            theta = theta - lr * g / (np.sqrt(s) + eps)
        return _finish("rmsprop", inputs, theta, RMSpropState(s=s, t=state.t + 1))

    hyperparams = {"lr": _hyperparam_lr(lr), "rho": rho, "eps": eps}
    return Optimizer(init, step, "rmsprop", hyperparams)


def adam(
    lr: LearningRate = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    bias_correction: bool = True,
) -> Optimizer:
    """Adam (Kingma & Ba 2015, Algorithm 1).

        t ← t + 1
        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ)
        v̂ = v / (1 − β₂ᵗ)
        θ ← θ − η·m̂ / (√v̂ + ε)

    η = ``lr``, β₁ = ``beta1`` and β₂ = ``beta2`` in [0, 1), ε = ``eps`` >= 0;
    m and v start at 0, and t counts updates from 1 (a schedule still sees
    the index of the step, t − 1, starting at 0).

    Bias correction: m and v start at 0, so during the first steps they are
    averages over too few gradients and are pulled toward 0, by the factors
    1 − β₁ᵗ and 1 − β₂ᵗ; dividing by those factors removes the pull. The first
    corrected step is η·g/(|g| + ε), about η·sign(g) whatever the size of g.
    ``bias_correction=False`` skips the division (m̂ = m, v̂ = v): the first
    step is then (1 − β₁)/√(1 − β₂) times larger, √10 ≈ 3.16 with the defaults.

    ε is added to the corrected √v̂, outside the root, as in Algorithm 1 and
    PyTorch. TensorFlow/Keras add their epsilon ε̂ to the uncorrected √v instead
    (the paper's "more efficient" ordering): since √v = √(1 − β₂ᵗ)·√v̂, that is
    this rule with ε = ε̂/√(1 − β₂ᵗ), larger during the first steps (≈ 31.6·ε̂
    at t = 1 with β₂ = 0.999). It only matters while √v̂ is not much larger
    than ε.
    """
    lr_at = _learning_rate(lr)
    beta1 = check_unit_interval(beta1, "beta1")
    beta2 = check_unit_interval(beta2, "beta2")
    eps = check_nonnegative(eps, "eps")
    bias_correction = check_bool(bias_correction, "bias_correction")

    def init(theta: ArrayLike) -> AdamState:
        return AdamState(m=_zeros(theta), v=_zeros(theta), t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: AdamState):
        inputs = theta, g, state = _start(theta, grad, state, AdamState)
        lr = lr_at(state.t)
        with np.errstate(all="ignore"):
            t = state.t + 1
            m = beta1 * state.m + (1 - beta1) * g
            v = beta2 * state.v + (1 - beta2) * g**2
            m_hat = m / (1 - beta1**t) if bias_correction else m
            v_hat = v / (1 - beta2**t) if bias_correction else v
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        return _finish("adam", inputs, theta, AdamState(m=m, v=v, t=t))

    hyperparams = {
        "lr": _hyperparam_lr(lr),
        "beta1": beta1,
        "beta2": beta2,
        "eps": eps,
        "bias_correction": bias_correction,
    }
    return Optimizer(init, step, "adam", hyperparams)


def adamw(
    lr: LearningRate = 0.001,
    beta1: float = 0.9,
    beta2: float = 0.999,
    eps: float = 1e-8,
    weight_decay: float = 0.01,
) -> Optimizer:
    """AdamW: Adam with decoupled weight decay (Loshchilov & Hutter 2019).

        t ← t + 1
        θ ← θ − η·λ·θ
        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        m̂ = m / (1 − β₁ᵗ)
        v̂ = v / (1 − β₂ᵗ)
        θ ← θ − η·m̂ / (√v̂ + ε)

    η = ``lr``, β₁ = ``beta1`` and β₂ = ``beta2`` in [0, 1), ε = ``eps`` >= 0,
    λ = ``weight_decay`` >= 0 (λ_wd in the notebooks, where λ alone is an
    eigenvalue); g is the gradient at the θ the step started from.
    This is what ``torch.optim.AdamW`` computes (same defaults): the decay
    multiplies θ by 1 − η·λ, with the η of this step (so a schedule scales the
    decay too), and then the Adam update of :func:`adam` follows. λ = 0 is Adam.

    "Adam with L2" is something else: it adds λ·θ to the gradient, g ← g + λ·θ
    (``torch.optim.Adam(weight_decay=λ)``, or :func:`adam` on L + ½λ‖θ‖²).
    There the pull toward 0 goes through m̂/(√v̂ + ε) and is divided by √v̂, so a
    parameter with large past gradients is pulled back much less than one with
    small gradients. Here every parameter shrinks by the same factor 1 − η·λ
    per step, whatever its gradients, which is what weight decay means for
    plain gradient descent (where the two coincide, with λ_L2 = λ).
    """
    lr_at = _learning_rate(lr)
    beta1 = check_unit_interval(beta1, "beta1")
    beta2 = check_unit_interval(beta2, "beta2")
    eps = check_nonnegative(eps, "eps")
    weight_decay = check_nonnegative(weight_decay, "weight_decay")

    def init(theta: ArrayLike) -> AdamWState:
        return AdamWState(m=_zeros(theta), v=_zeros(theta), t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: AdamWState):
        inputs = theta, g, state = _start(theta, grad, state, AdamWState)
        lr = lr_at(state.t)
        with np.errstate(all="ignore"):
            t = state.t + 1
            theta = theta - lr * weight_decay * theta
            m = beta1 * state.m + (1 - beta1) * g
            v = beta2 * state.v + (1 - beta2) * g**2
            m_hat = m / (1 - beta1**t)
            v_hat = v / (1 - beta2**t)
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        return _finish("adamw", inputs, theta, AdamWState(m=m, v=v, t=t))

    hyperparams = {
        "lr": _hyperparam_lr(lr),
        "beta1": beta1,
        "beta2": beta2,
        "eps": eps,
        "weight_decay": weight_decay,
    }
    return Optimizer(init, step, "adamw", hyperparams)


def _dot_per_run(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a·b over the last axis, kept as an axis of length 1 (one number per run)."""
    return (a * b).sum(axis=-1, keepdims=True) if a.ndim else a * b


def sgd_hd(lr: float, hyper_lr: float) -> Optimizer:
    """SGD-HD: gradient descent that learns its own rate (Baydin et al. 2018).

        η ← η + β·g·g_prev
        θ ← θ − η·g
        g_prev ← g

    "Online learning rate adaptation with hypergradient descent" (ICLR 2018),
    Algorithm SGD-HD. η₀ = ``lr`` is the starting rate (a positive number, not
    a schedule: the rate is what is learned), β = ``hyper_lr`` >= 0 is the
    rate at which η learns (β = 0 is plain gradient descent; β_hd in the
    notebooks, where β alone is momentum's). g is the gradient
    at the current θ and g·g_prev the dot product with the previous step's
    gradient; g_prev starts at 0, so the first step uses η₀.

    Why: step t starts at θ_{t−1}, where the gradient is g_t, and moves to
    θ_t = θ_{t−1} − η·g_t; so ∂L(θ_t)/∂η = −g_{t+1}·g_t, the "hypergradient",
    known at the start of step t + 1. The first line is a gradient-descent step on
    η with it: η_t = η_{t−1} + β·g_t·g_{t−1}, with g_0 = 0. When two
    successive gradients point the same way (g·g_prev > 0) the last step was too
    short and η grows; when they point against each other (zig-zag) η shrinks.
    η is not kept positive: with a large β it can fall below 0, as in the paper.

    The state keeps η (``state.lr``) so that it can be plotted. η is one number
    per run: the dot product runs over the last axis, so an (n, d) θ is n runs
    with n rates, and ``state.lr`` has θ's shape with each row's entries equal.
    """
    lr0 = check_positive(lr, "lr")
    hyper_lr = check_nonnegative(hyper_lr, "hyper_lr")

    def init(theta: ArrayLike) -> SGDHDState:
        g_prev = _zeros(theta)
        return SGDHDState(g_prev=g_prev, lr=np.full_like(g_prev, lr0), t=0)

    def step(theta: ArrayLike, grad: ArrayLike, state: SGDHDState):
        inputs = theta, g, state = _start(theta, grad, state, SGDHDState)
        with np.errstate(all="ignore"):
            lr = state.lr + hyper_lr * _dot_per_run(g, state.g_prev)
            theta = theta - lr * g
            g_prev = g.copy()  # the state never shares memory with the caller's g
        new_state = SGDHDState(g_prev=g_prev, lr=lr, t=state.t + 1)
        return _finish("sgd_hd", inputs, theta, new_state)

    return Optimizer(init, step, "sgd_hd", {"lr": lr0, "hyper_lr": hyper_lr})


OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
}
"""The optimizers that ``get_optimizer(name, lr=...)`` builds. ``sgd_hd`` is not
among them: its two rates have no defaults that suit every problem (the scale of
β_hd is 1/‖g‖²), and its η is learned, never a schedule."""


def get_optimizer(name: str, **hyperparams: Any) -> Optimizer:
    """Build an optimizer by name: ``get_optimizer("adam", lr=0.01)``."""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        names = ", ".join(repr(key) for key in OPTIMIZERS)
        raise ValueError(f"optimizer must be one of {names}, got {name!r}")
    return OPTIMIZERS[name](**hyperparams)

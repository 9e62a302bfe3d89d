"""Learning-rate schedules: η as a function of the step index t.

A schedule is a small frozen dataclass that you call with the step index,
``lr(t)``, where t = 0 is the first step. Every optimizer in
:mod:`gdcore.optimizers` accepts one wherever it accepts a number for ``lr``.

==============  =========================================================
constant        η
step_decay      η · drop^⌊t / every⌋
exponential     η · γᵗ
inverse_time    η / (1 + k·t)
cosine          η_min + ½(η − η_min)(1 + cos(π · min(t, T) / T))
warmup_cosine   η·(t + 1)/T_w for t < T_w, then cosine from η down to η_min
==============  =========================================================

The classes are named in lower case, like the functions they stand for, so the
repr reads as the call that made the schedule: ``step_decay(lr=0.1, drop=0.5,
every=10)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from ._validate import check_int, check_nonnegative, check_positive, check_real


def _check_fraction(value, name: str) -> float:
    """A decay factor in (0, 1]: drop, gamma."""
    value = check_real(value, name)
    if not (0.0 < value <= 1.0):
        raise ValueError(f"{name} must be in (0, 1], got {value}")
    return value


def _check_step(t) -> int:
    """The step index: an integer t >= 0 (0 for the first step)."""
    return check_int(t, "t", minimum=0)


def _set(schedule, name: str, value) -> None:
    """Store a validated (normalised) value on a frozen dataclass."""
    object.__setattr__(schedule, name, value)


def _set_lr_min(schedule) -> None:
    """Validate and store η_min of a decaying schedule: 0 <= η_min <= η."""
    _set(schedule, "lr_min", check_nonnegative(schedule.lr_min, "lr_min"))
    if schedule.lr_min > schedule.lr:
        raise ValueError(
            f"lr_min must be <= lr, got lr_min={schedule.lr_min} and lr={schedule.lr}"
        )


@dataclass(frozen=True)
class constant:
    """η(t) = η for every step.

    ``lr`` is η, positive and finite.
    """

    lr: float

    def __post_init__(self) -> None:
        _set(self, "lr", check_positive(self.lr, "lr"))

    def __call__(self, t: int) -> float:
        _check_step(t)
        return self.lr


@dataclass(frozen=True)
class step_decay:
    """η(t) = η · drop^⌊t / every⌋: multiply by ``drop`` every ``every`` steps.

    ``lr`` is η (positive, finite), ``drop`` is in (0, 1], ``every`` is a
    positive integer. With drop = 0.5 and every = 10: steps 0–9 use η,
    steps 10–19 use η/2, and so on.
    """

    lr: float
    drop: float = 0.5
    every: int = 10

    def __post_init__(self) -> None:
        _set(self, "lr", check_positive(self.lr, "lr"))
        _set(self, "drop", _check_fraction(self.drop, "drop"))
        _set(self, "every", check_int(self.every, "every", minimum=1))

    def __call__(self, t: int) -> float:
        t = _check_step(t)
        return self.lr * self.drop ** (t // self.every)


@dataclass(frozen=True)
class exponential:
    """η(t) = η · γᵗ: shrink by the factor γ = ``gamma`` at every step.

    ``lr`` is η (positive, finite), ``gamma`` is γ in (0, 1]. For large t the
    rate underflows to 0.0, which the optimizers accept (the step is then zero).
    """

    lr: float
    gamma: float = 0.95

    def __post_init__(self) -> None:
        _set(self, "lr", check_positive(self.lr, "lr"))
        _set(self, "gamma", _check_fraction(self.gamma, "gamma"))

    def __call__(self, t: int) -> float:
        t = _check_step(t)
        return self.lr * self.gamma**t


@dataclass(frozen=True)
class inverse_time:
    """η(t) = η / (1 + k·t): decay like 1/t, the classic Robbins–Monro rate.

    ``lr`` is η (positive, finite), ``k`` >= 0 sets how fast it decays
    (k = 0 is a constant rate; at t = 1/k the rate has halved).
    """

    lr: float
    k: float = 0.1

    def __post_init__(self) -> None:
        _set(self, "lr", check_positive(self.lr, "lr"))
        _set(self, "k", check_nonnegative(self.k, "k"))

    def __call__(self, t: int) -> float:
        t = _check_step(t)
        return self.lr / (1 + self.k * t)


@dataclass(frozen=True)
class cosine:
    """η(t) = η_min + ½(η − η_min)(1 + cos(π · min(t, T) / T)).

    Cosine annealing (Loshchilov & Hutter 2017, without restarts): starts at
    η = ``lr``, is halfway, (η + η_min)/2, at t = T/2, and stays at
    η_min = ``lr_min`` from t = T = ``total_steps`` on. T is a positive
    integer and 0 <= η_min <= η.
    """

    lr: float
    total_steps: int
    lr_min: float = 0.0

    def __post_init__(self) -> None:
        _set(self, "lr", check_positive(self.lr, "lr"))
        _set(self, "total_steps", check_int(self.total_steps, "total_steps", minimum=1))
        _set_lr_min(self)

    def __call__(self, t: int) -> float:
        t = _check_step(t)
        T = self.total_steps
        cos = math.cos(math.pi * min(t, T) / T)
        return self.lr_min + 0.5 * (self.lr - self.lr_min) * (1 + cos)


@dataclass(frozen=True)
class warmup_cosine:
    """Linear warm-up over T_w steps to η, then cosine decay to η_min.

        η(t) = η · (t + 1) / T_w                                  for 0 <= t < T_w
        η(t) = η_min + ½(η − η_min)(1 + cos(π · min(k, K) / K))   for t >= T_w
               with k = t + 1 − T_w and K = T − T_w

    η = ``lr``, T_w = ``warmup_steps`` >= 1, T = ``total_steps`` > T_w, and
    0 <= η_min = ``lr_min`` <= η. Which step gets which rate (t = 0 is the
    first step):

    - steps 0, 1, …, T_w − 1 climb in equal rungs η/T_w, 2η/T_w, …, η; the
      first step already moves (η/T_w, not 0) and step T_w − 1 is the only one
      at the peak η;
    - steps T_w, …, T − 1 decay along a half cosine over K = T − T_w steps;
      the last step, T − 1, gets η_min, as does every step after it.

    So T is the length of the run: with T_w = 100 and T = 1000, steps 0–99 warm
    up and steps 100–999 decay. Warm-up helps where the first steps are the
    dangerous ones: the loss is sharpest at the start (the sharpness of
    notebook 07), or Adam's v is still an estimate from a handful of gradients.
    (T_w, not W: W is a layer's weight matrix in the notebooks.)
    """

    lr: float
    warmup_steps: int
    total_steps: int
    lr_min: float = 0.0

    def __post_init__(self) -> None:
        _set(self, "lr", check_positive(self.lr, "lr"))
        T_w = check_int(self.warmup_steps, "warmup_steps", minimum=1)
        _set(self, "warmup_steps", T_w)
        T = check_int(self.total_steps, "total_steps", minimum=1)
        if T_w >= T:
            raise ValueError(
                f"total_steps must be > warmup_steps, got total_steps={T} "
                f"and warmup_steps={T_w}"
            )
        _set(self, "total_steps", T)
        _set_lr_min(self)

    def __call__(self, t: int) -> float:
        t = _check_step(t)
        T_w, T = self.warmup_steps, self.total_steps
        if t < T_w:
            return self.lr * (t + 1) / T_w
        k, K = t + 1 - T_w, T - T_w
        cos = math.cos(math.pi * min(k, K) / K)
        return self.lr_min + 0.5 * (self.lr - self.lr_min) * (1 + cos)


SCHEDULES: dict[str, type] = {
    "constant": constant,
    "step_decay": step_decay,
    "exponential": exponential,
    "inverse_time": inverse_time,
    "cosine": cosine,
    "warmup_cosine": warmup_cosine,
}


def get_schedule(name: str, **kwargs) -> Callable[[int], float]:
    """Build a schedule by name: ``get_schedule("cosine", lr=0.1, total_steps=100)``."""
    if not isinstance(name, str) or name not in SCHEDULES:
        names = ", ".join(repr(key) for key in SCHEDULES)
        raise ValueError(f"schedule must be one of {names}, got {name!r}")
    return SCHEDULES[name](**kwargs)

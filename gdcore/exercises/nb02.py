"""Checkers for notebook 02, gradient descent on a parabola.

- :func:`check_one_step_lr`: one number, the learning rate η with which one step
  of x ← x − η·2x lands on the minimum of f(x) = x² from any start.
- :func:`check_steps_to_tolerance`: the learner's ``steps_to_tolerance(lr, x0,
  tol)``, the number of steps until |x_k| < tol, against a plain loop.
- :func:`check_steep_parabola`: two predictions for f(x) = 3x², made before
  running anything: which rates diverge, and how many steps η = 0.1 needs. The
  usual slip, reusing the factor 1 − 2η of x², is named.

The contract of ``steps_to_tolerance`` (also in the notebook's stub): return the
smallest whole number k >= 0 with |x_k| < tol, where x_k = (1 − 2η)^k·x₀ are the
iterates of gradient descent on x²; when no k exists (|1 − 2η| >= 1 and
|x₀| >= tol: the iterates never get closer), return ``math.inf``.
"""

from __future__ import annotations

import math
import signal
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

from ._feedback import Feedback, as_real, call_safely, correct, not_yet, same

ONE_STEP_STARTS = (1.0, -3.0, 0.25)  # starts on which an η is tried

# (lr, x0, tol) cases for steps_to_tolerance, in the order they are tried: plain
# monotone ones first, then the special cases. None of them has
# log(tol/|x0|)/log|1 − 2η| within 0.01 of a whole number, so rounding up that
# ratio and the plain loop agree, and a rounding error cannot decide the answer.
STEP_CASES: tuple[tuple[float, float, float], ...] = (
    (0.1, 1.0, 1e-3),  # factor 0.8: 30.96 → 31 steps
    (0.25, 1.0, 1e-3),  # factor 0.5: 9.97 → 10
    (0.01, 1.0, 1e-3),  # factor 0.98: 341.9 → 342
    (0.4, -2.0, 1e-3),  # negative start, factor 0.2: 4.72 → 5
    (0.75, 1.0, 1e-3),  # factor −0.5: the sign flips, |x| halves: 10
    (0.9, 3.0, 1e-6),  # factor −0.8: 66.8 → 67
    (0.5, 1.0, 1e-3),  # factor 0: one step lands on 0
    (0.3, 1e-4, 1e-3),  # already within tol: 0 steps
    (1.0, 1.0, 1e-3),  # factor −1: bounces between 1 and −1 forever
    (1.5, 0.5, 1e-3),  # factor −2: runs away
    (1.0, 1e-4, 1e-3),  # factor −1, but already within tol: 0 steps
)

# A learner's loop that never ends (a `while` with η = 1) is stopped after this
# many seconds where the operating system allows it (POSIX, main thread).
TIME_LIMIT = 2.0


# --- exercise 1: the learning rate that lands in one step -------------------------


def _as_real_or_inf(value: object) -> float | None:
    return as_real(value, allow_inf=True)


def check_one_step_lr(answer) -> Feedback:
    """Check η such that x₁ = x₀ − η·2x₀ = 0 for every start x₀ (η = 1/2)."""
    if answer is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace `answer = None` with your learning rate.",
        )
    lr = _as_real_or_inf(answer)
    if lr is None or not math.isfinite(lr):
        return not_yet(
            f"expected one real number, got {answer!r}.",
            "a learning rate is a single positive number, such as 0.1.",
        )
    factor = 1 - 2 * lr  # x₁ = (1 − 2η)·x₀
    if same(factor, 0.0):
        return correct(
            f"η = {lr:g} gives x₁ = (1 − 2·{lr:g})·x₀ = 0 from every start: one "
            "step lands on the minimum. It works because the slope 2x is exactly "
            "proportional to the distance to the minimum, which is special to a "
            "parabola; on other curves no single η does this from every start."
        )
    x0 = ONE_STEP_STARTS[0]
    tried = f"From x₀ = {x0:g}, η = {lr:g} gives x₁ = (1 − 2η)·x₀ = {factor * x0:g}"
    if lr <= 0:
        return not_yet(
            f"{tried}: {'no move at all' if lr == 0 else 'a step uphill'}.",
            "a learning rate is positive: the step −η·f′(x) must go against "
            "the slope. Which η makes x − η·2x equal to 0?",
        )
    if same(factor, -1.0):
        return not_yet(
            f"{tried}: the mirror point. The step is twice too long and the "
            "iterate bounces between x₀ and −x₀ forever.",
            "the step −η·2x₀ must cover the distance x₀ exactly, not twice it.",
        )
    if factor > 0:
        return not_yet(
            f"{tried}: closer to 0, but not there; the step covers only "
            f"{1 - factor:.0%} of the way.",
            "write x₁ = x₀ − η·2x₀ = (1 − 2η)·x₀ and ask which η makes the bracket 0.",
        )
    return not_yet(
        f"{tried}: the step overshoots the minimum"
        + (" and lands further away than it started." if factor < -1 else "."),
        "write x₁ = (1 − 2η)·x₀: which η makes the bracket exactly 0?",
    )


# --- exercise 2: how many steps to get close ---------------------------------------


def steps_by_loop(lr: float, x0: float, tol: float) -> float:
    """The reference: step x ← x − η·2x until |x| < tol; inf if it never will."""
    if abs(x0) < tol:
        return 0
    if abs(1 - 2 * lr) >= 1:  # |x_k| = |1 − 2η|^k·|x0| never shrinks
        return math.inf
    x, k = x0, 0
    while abs(x) >= tol:
        x = x - lr * 2 * x
        k += 1
    return k


class _TooSlow(BaseException):  # not an Exception: call_safely must not catch it
    pass


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TooSlow after ``seconds`` (POSIX main thread only; else no limit)."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def stop(signum, frame):
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _call(fn, lr: float, x0: float, tol: float):
    """call_safely with warnings silenced and a time limit on endless loops."""
    try:
        with (
            _time_limit(TIME_LIMIT),
            warnings.catch_warnings(),
            np.errstate(all="ignore"),
        ):
            warnings.simplefilter("ignore")
            return call_safely(fn, lr, x0, tol)
    except _TooSlow:
        return None, not_yet(
            f"for lr = {lr:g}, x0 = {x0:g}, tol = {tol:g} your function did not "
            f"return within {TIME_LIMIT:g} s.",
            f"here |1 − 2η| = {abs(1 - 2 * lr):g}: the iterates never get closer "
            "to 0, so a loop that waits for |x| < tol never ends. Check "
            "|1 − 2η| >= 1 before looping and return math.inf.",
        )


def _is_nan(value: object) -> bool:
    """True when ``value`` is a NaN: what np.log of a negative number returns."""
    try:
        return bool(np.isnan(np.asarray(value, dtype=float)).all())
    except (TypeError, ValueError):
        return False


def check_steps_to_tolerance(steps_to_tolerance) -> Feedback:
    """Check ``steps_to_tolerance(lr, x0, tol)`` on every case of STEP_CASES."""
    for lr, x0, tol in STEP_CASES:
        where = f"lr = {lr:g}, x0 = {x0:g}, tol = {tol:g}"
        factor = 1 - 2 * lr
        expected = steps_by_loop(lr, x0, tol)
        value, fb = _call(steps_to_tolerance, lr, x0, tol)
        if fb is not None and "raised" in fb.message:
            fb = not_yet(f"for {where} {fb.message}", fb.hint)
        if fb is not None:
            if "raised" in fb.message and lr == 0.5:
                return not_yet(
                    fb.message,
                    "with η = 0.5 the factor 1 − 2η is 0 and log 0 does not exist. "
                    "Treat it on its own: one step lands exactly on 0.",
                )
            log_of_negative = "math domain error" in fb.message
            if log_of_negative and x0 < 0:
                return not_yet(
                    fb.message,
                    f"here x₀ = {x0:g} is negative, so tol/x₀ is negative and has no "
                    "log. Only the distance to the minimum counts: use |x₀|, "
                    "abs(x0), as in |x_k| = |1 − 2η|^k·|x₀|.",
                )
            if log_of_negative and factor < 0:
                return not_yet(
                    fb.message,
                    f"here 1 − 2η = {factor:g} is negative, and the log of a "
                    "negative number does not exist. The sign of x flips at every "
                    "step, but the distance |x_k| = |1 − 2η|^k·|x₀| only shrinks: "
                    "use the absolute value.",
                )
            return fb
        got = _as_real_or_inf(value)
        if got is None and x0 < 0 and _is_nan(value):
            return not_yet(
                f"for {where} you returned {value!r}: np.log of a negative number.",
                f"here x₀ = {x0:g} is negative, so tol/x₀ is negative. Only the "
                "distance to the minimum counts: use |x₀|, abs(x0).",
            )
        if got is None:
            return not_yet(
                f"for {where} you returned {value!r}, not a number.",
                "return a whole number of steps, or math.inf when the iterates "
                "never get within tol.",
            )
        if got == expected:
            continue
        said = f"for {where} you returned {value!r}"
        if math.isinf(expected):
            return not_yet(
                f"{said}, but the iterates never get within tol: here "
                f"1 − 2η = {factor:g}, so |x_k| = {abs(factor):g}^k·|x₀| "
                + ("stays at |x₀|" if abs(factor) == 1 else "grows")
                + " for ever.",
                "when |1 − 2η| >= 1 (and |x₀| >= tol) return math.inf.",
            )
        if math.isinf(got):
            return not_yet(
                f"{said}, but |1 − 2η| = {abs(factor):g} < 1, so |x_k| shrinks and "
                f"gets below tol after {expected} steps.",
                "return math.inf only when |1 − 2η| >= 1.",
            )
        if got != round(got):
            return not_yet(
                f"{said}, which is not a whole number of steps (the answer is "
                f"{expected}).",
                "the ratio log(tol/|x₀|)/log|1 − 2η| is usually a fraction; the "
                "answer is the first whole number above it (math.ceil).",
            )
        if expected == 0:
            return not_yet(
                f"{said}, but |x₀| = {abs(x0):g} is already below tol: 0 steps.",
                "check |x₀| < tol first: x₀ itself is x_k for k = 0.",
            )
        if lr == 0.5:
            return not_yet(
                f"{said}, but with η = 0.5 one step lands exactly on 0: the "
                "answer is 1.",
                "log|1 − 2η| = log 0 is −∞, so the formula breaks down here: "
                "treat η = 0.5 on its own.",
            )
        x_k = abs(factor) ** got * abs(x0)
        if got == expected - 1:
            return not_yet(
                f"{said}: one step short. After {int(got)} steps "
                f"|x_k| = {x_k:.6g}, which is not yet below tol = {tol:g}.",
                "k must make |1 − 2η|^k·|x₀| < tol, that is k > log(tol/|x₀|) / "
                "log|1 − 2η| (dividing by a negative log flips the inequality): "
                "take the first whole number above the ratio (math.ceil), not "
                "the one below it.",
            )
        if got == expected + 1:
            return not_yet(
                f"{said}: one step too many. Already after {expected} steps "
                f"|x_k| = {abs(factor) ** expected * abs(x0):.6g} < tol.",
                "k counts the updates: x₀ is the start (k = 0), x₁ comes after "
                "the first step. Check where your loop counter starts and when "
                "it stops.",
            )
        return not_yet(
            f"{said}; the iterates first get within tol after {expected} steps.",
            "|x_k| = |1 − 2η|^k·|x₀|: find the smallest whole k with "
            "|1 − 2η|^k·|x₀| < tol (a loop, or logarithms and math.ceil).",
        )
    return correct(
        "your function agrees with a plain step-by-step loop on every case, "
        "including η = 0.5 (one step), a start already within tol, and "
        "η >= 1 (never)."
    )


# --- exercise 3: predict, then run, on f(x) = 3x² -----------------------------------

STEEP_A = 3.0  # f(x) = 3x², f″ = 6
STEEP_RATES = (0.1, 0.25, 0.4, 0.5)
STEEP_LR, STEEP_X0, STEEP_TOL = 0.1, 1.0, 1e-3


def _steep_answers(curvature: float) -> tuple[list[float], float]:
    """Diverging rates and step count when one step multiplies x by 1 − η·curvature."""
    diverging = [lr for lr in STEEP_RATES if abs(1 - lr * curvature) > 1]
    factor = 1 - STEEP_LR * curvature
    x, k = STEEP_X0, 0
    while abs(x) >= STEEP_TOL:
        x, k = factor * x, k + 1
    return diverging, k


def _as_rates(value: object) -> list[float] | None:
    try:
        rates = sorted(float(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        return None
    return rates


def check_steep_parabola(diverging, steps_needed) -> Feedback:
    """Check the two predictions for f(x) = 3x²: [0.4, 0.5] diverge, and 8 steps."""
    if diverging is None or steps_needed is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace both `None`s: a list of rates, then a whole number of steps.",
        )
    rates = _as_rates(diverging)
    if rates is None or isinstance(diverging, str):
        return not_yet(
            f"`diverging` should be a list of learning rates, got {diverging!r}.",
            "write it like [0.25] or [], using the rates 0.1, 0.25, 0.4 and 0.5.",
        )
    right_rates, right_steps = _steep_answers(2 * STEEP_A)
    x2_rates, x2_steps = _steep_answers(2.0)  # the factor of x², reused by mistake
    steps = as_real(steps_needed, allow_inf=True)
    if rates != right_rates:
        if rates == x2_rates:
            return not_yet(
                "on f(x) = x² none of these rates diverges, but this is 3x².",
                "its slope is f′(x) = 6x, so one step gives x − η·6x = (1 − 6η)·x. "
                "For which η is |1 − 6η| > 1?",
            )
        missing = [lr for lr in right_rates if lr not in rates]
        extra = [lr for lr in rates if lr not in right_rates]
        if extra:
            lr = extra[0]
            return not_yet(
                f"η = {lr:g} does not diverge: one step multiplies x by "
                f"1 − 6·{lr:g} = {1 - 6 * lr:+.1f}, which is at most 1 in size.",
                "a factor between −1 and 0 flips the sign at every step, but "
                "the distance still shrinks: a zig-zag inwards.",
            )
        lr = missing[0]
        return not_yet(
            f"η = {lr:g} diverges too: one step multiplies x by "
            f"1 − 6·{lr:g} = {1 - 6 * lr:+.1f}.",
            "a factor larger than 1 in size makes every step land further out "
            "than the one before.",
        )
    if steps is None:
        return not_yet(
            f"`steps_needed_3x2` should be a whole number, got {steps_needed!r}.",
            "count the steps k until |x_k| < 0.001.",
        )
    if steps == right_steps:
        return correct(
            f"{right_rates} diverge and η = 0.1 needs {right_steps} steps. On a "
            "parabola of curvature f″ one step multiplies x by 1 − η·f″, so the "
            "bounds move with the curvature: here 1/f″ ≈ 0.167 lands in one step "
            "and 2/f″ ≈ 0.333 is the edge of stability."
        )
    if steps == x2_steps:
        return not_yet(
            f"{x2_steps:g} steps is the count for x², where the factor is 0.8.",
            "here one step multiplies x by 1 − 6·0.1 = 0.4: how many factors of "
            "0.4 bring 1 below 0.001?",
        )
    if steps == right_steps - 1:
        return not_yet(
            f"after {steps:g} steps |x_k| = 0.4^{steps:g} is still above 0.001.",
            "log(0.001)/log(0.4) is not a whole number: take the first whole "
            "number above it.",
        )
    if steps == right_steps + 1:
        return not_yet(
            f"one step too many: already after {right_steps} steps |x_k| = "
            f"0.4^{right_steps} = {0.4**right_steps:.2g} is below 0.001.",
            "x₀ is the start (k = 0) and x₁ comes after the first step: count "
            "the updates, not the points.",
        )
    return not_yet(
        f"not {steps:g} steps.",
        "one step multiplies x by 1 − 6·0.1 = 0.4, so |x_k| = 0.4^k: find the "
        "smallest k with 0.4^k < 0.001.",
    )

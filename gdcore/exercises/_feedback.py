"""The feedback a checker gives: right, or not yet with a reason and a hint."""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Feedback:
    """The verdict of a checker; shown in a notebook as one or two short lines."""

    ok: bool
    message: str
    hint: str = ""

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        if self.ok:
            return f"✅ Correct: {self.message}"
        text = f"❌ Not yet: {self.message}"
        return f"{text}\n💡 Hint: {self.hint}" if self.hint else text


def correct(message: str) -> Feedback:
    """A passing verdict, with a sentence on what the answer shows."""
    return Feedback(True, message)


def not_yet(message: str, hint: str = "") -> Feedback:
    """A failing verdict: what is wrong, and how to think about it."""
    return Feedback(False, message, hint)


def call_safely(fn, *args, **kwargs) -> tuple[object, Feedback | None]:
    """Call the learner's function; turn a crash or a missing answer into feedback.

    Returns ``(value, None)`` when the call returned something, or
    ``(None, feedback)`` when it raised or returned ``None`` (an unsolved stub).
    """
    if not callable(fn):
        return None, not_yet(
            f"expected a function, got {type(fn).__name__}.",
            "pass the function itself, without calling it: check(my_function).",
        )
    try:
        value = fn(*args, **kwargs)
    except NotImplementedError:
        return None, not_yet(
            "the exercise is not solved yet.",
            "replace `raise NotImplementedError` with your code.",
        )
    except Exception as exc:  # the learner's code: report it, never crash the notebook
        return None, not_yet(
            f"your function raised {type(exc).__name__}: {exc}",
            "run it on the example by hand in a new cell to see where it fails.",
        )
    if value is None:
        return None, not_yet(
            "your function returned None.",
            "did you forget the `return` statement?",
        )
    return value, None


def call_quietly(fn, *args, **kwargs) -> tuple[object, Feedback | None]:
    """:func:`call_safely` with NumPy's and Python's warnings silenced: a 0/0 or an
    overflow in the learner's code is diagnosed from the result, never shown."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return call_safely(fn, *args, **kwargs)


def as_real(value: object, *, allow_inf: bool = False) -> float | None:
    """The learner's answer as one float, or None when it is not one real number.

    Bools, strings, arrays of several numbers and NaN are not; inf is only when
    ``allow_inf`` (an answer such as "never gets there").
    """
    if isinstance(value, bool | str | bytes):
        return None
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    if arr.ndim != 0 or np.isnan(arr) or (np.isinf(arr) and not allow_inf):
        return None
    return float(arr)


def same(a, b, *, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
    """Equal up to rounding (elementwise for arrays)."""
    return bool(np.allclose(a, b, rtol=rtol, atol=atol))

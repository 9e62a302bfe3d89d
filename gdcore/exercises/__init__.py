"""Checkers for the notebooks' exercises, one module per notebook.

A checker takes the learner's answer (a number or a function), never raises, and
returns a :class:`Feedback` that says whether it is right and, if not, what is
wrong and how to think about it. Reference solutions live in ``solutions/`` at the
top of the repository and are tested to pass every checker.
"""

from ._feedback import Feedback, call_safely, correct, not_yet

__all__ = ["Feedback", "call_safely", "correct", "not_yet"]

"""Shared by the exercise tests: a learner's unsolved stub and a failing verdict."""

from gdcore.exercises import Feedback


def stub(*args):
    """What every exercise cell holds before the learner writes anything."""
    raise NotImplementedError


def fails_with(fb: Feedback, phrase: str) -> None:
    """The checker said "not yet", and its text mentions ``phrase``."""
    assert isinstance(fb, Feedback)
    assert not fb.ok, repr(fb)
    assert phrase in repr(fb), repr(fb)

"""The shared exercise feedback: verdicts print clearly and crashes become feedback."""

from gdcore.exercises import Feedback, call_safely, correct, not_yet


def test_feedback_truthiness_follows_verdict():
    # A tuple-like record would always be truthy; the verdict must decide.
    assert correct("fine")
    assert not not_yet("wrong")


def test_feedback_repr_shows_message_and_hint():
    fb = not_yet(
        "w should be 2.8, got 0.05.", "subtract the learning rate times the gradient."
    )
    assert repr(fb) == (
        "❌ Not yet: w should be 2.8, got 0.05.\n"
        "💡 Hint: subtract the learning rate times the gradient."
    )
    assert repr(correct("that is the update.")) == "✅ Correct: that is the update."


def test_call_safely_reports_stub_crash_none_and_non_callable():
    def stub():
        raise NotImplementedError

    def crash():
        return 1 / 0

    def forgot_return():
        pass

    for fn, phrase in [
        (stub, "not solved yet"),
        (crash, "ZeroDivisionError"),
        (forgot_return, "returned None"),
        (42, "expected a function, got int"),
    ]:
        value, fb = call_safely(fn)
        assert value is None
        assert isinstance(fb, Feedback)
        assert not fb.ok
        assert phrase in fb.message


def test_call_safely_passes_arguments_and_value():
    value, fb = call_safely(lambda a, b=0: a + b, 2, b=3)
    assert (value, fb) == (5, None)

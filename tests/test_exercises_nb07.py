"""Notebook 07's checkers: the reference solutions pass, the usual slips are named."""

import math

import numpy as np
import pytest
from exercise_helpers import fails_with, stub

from gdcore.exercises import nb07 as ex
from solutions import nb07 as sol


def _backprop(
    *, forward="relu", deriv="relu", mean=True, one_hot=True, swap=False, db="sum"
):
    """A learner's relu_backprop with one slip, written apart from the checker's."""

    def backprop(W1, b1, W2, b2, X, y):
        z1 = X @ W1 + b1
        h = np.where(z1 > 0, z1, 0.0) if forward == "relu" else np.tanh(z1)
        z2 = h @ W2 + b2
        e = np.exp(z2 - np.max(z2, axis=1)[:, None])
        P = e / np.sum(e, axis=1)[:, None]
        Y = np.zeros_like(P)
        if one_hot:
            Y[np.arange(len(y)), y] = 1.0
        d2 = (P - Y) / (len(y) if mean else 1.0)
        mask = {"relu": (z1 > 0) * 1.0, "tanh": 1.0 - h * h, "none": 1.0}[deriv]
        d1 = d2 @ W2.T * mask
        bias = (lambda d: d.sum(0)) if db == "sum" else (lambda d: d.mean(0))
        out = (X.T @ d1, bias(d1), h.T @ d2, bias(d2))
        return (out[2], out[3], out[0], out[1]) if swap else out

    return backprop


def test_reference_backprop_passes():
    fb = ex.check_relu_backprop(sol.relu_backprop)
    assert fb.ok, repr(fb)
    assert "matches gd.MLP.grad" in fb.message


def test_an_independent_correct_version_passes_too():
    assert ex.check_relu_backprop(_backprop())


def test_reference_backprop_by_hand():
    # x = 2, W1 = 1, b1 = −1: z1 = 1, h = 1; W2 = (2, 0), b2 = 0: z2 = (2, 0), label 0.
    # q = σ(−2) = 1/(1 + e²): δ2 = (−q, q), dW2 = (−q, q), db2 = (−q, q);
    # δ1 = (−2q)·1, dW1 = 2·(−2q) = −4q, db1 = −2q.
    q = 1 / (1 + math.exp(2))
    dW1, db1, dW2, db2 = sol.relu_backprop(
        np.array([[1.0]]), np.array([-1.0]), np.array([[2.0, 0.0]]), np.zeros(2),
        np.array([[2.0]]), np.array([0]),
    )  # fmt: skip
    np.testing.assert_allclose(dW1, [[-4 * q]], rtol=1e-14)
    np.testing.assert_allclose(db1, [-2 * q], rtol=1e-14)
    np.testing.assert_allclose(dW2, [[-q, q]], rtol=1e-14)
    np.testing.assert_allclose(db2, [-q, q], rtol=1e-14)


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        # section 3's tanh code copied unchanged, or with only the derivative changed
        (_backprop(forward="tanh", deriv="tanh"), "gradient of the notebook's tanh"),
        (_backprop(forward="tanh"), "forward pass still computes h = tanh"),
        (_backprop(deriv="tanh"), "tanh′ = 1 − h²"),
        (_backprop(db="mean"), "bias gradients are N times too small"),
        (_backprop(deriv="none"), "leave out the derivative of the ReLU"),
        (_backprop(mean=False), "N times too large"),
        (_backprop(one_hot=False), "one-hot labels Y are missing"),
        (lambda *a: tuple(-g for g in _backprop()(*a)), "wrong sign"),
        (_backprop(swap=True), "expected four arrays"),
        (lambda *a: _backprop()(*a)[:3], "expected four arrays"),
        (lambda *a: (*_backprop()(*a)[:3], np.zeros_like(a[3])), "db2 differ"),
        (
            lambda *a: (_backprop()(*a)[0] * 2, *_backprop()(*a)[1:]),
            "through the hidden",
        ),
        (lambda *a: (np.full_like(a[0], np.nan), a[1], a[2], a[3]), "NaN or inf"),
        (stub, "not solved yet"),
        (lambda *a: None, "returned None"),
        (lambda *a: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_backprop_slips_are_named(wrong, phrase):
    fails_with(ex.check_relu_backprop(wrong), phrase)


def test_backprop_checker_does_not_let_the_learner_change_its_cases():
    def mutating(W1, b1, W2, b2, X, y):
        out = sol.relu_backprop(W1, b1, W2, b2, X, y)
        W1 *= 0
        X *= 0
        return out

    assert ex.check_relu_backprop(mutating)
    assert ex.check_relu_backprop(sol.relu_backprop)


def test_reference_first_loss_passes():
    fb = ex.check_first_loss(sol.answer)
    assert fb.ok, repr(fb)
    # with equal logits p = 1/K: L = log 3 = 1.0986… and log 10 = 2.3026…
    assert ex.first_loss(3) == pytest.approx(math.log(3), rel=1e-12)
    assert ex.first_loss(10) == pytest.approx(math.log(10), rel=1e-12)


@pytest.mark.parametrize(
    "answer", [(1.10, 2.30), (1.099, 2.303), [1.0986, 2.302585], np.log([3, 10])]
)
def test_first_loss_rounded_to_two_decimals_passes(answer):
    # log 3 = 1.0986… and log 10 = 2.3026…: 1.10 and 2.30 are right to 2 decimals,
    # as section 4 prints log 3
    assert ex.check_first_loss(answer)


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        ((1 / 3, 1 / 10), "p = 1/K"),
        ((-math.log(3), -math.log(10)), "sign is flipped"),
        ((math.log2(3), math.log2(10)), "log₂ K"),
        ((math.log10(3), 1.0), "log₁₀ K"),
        ((0, 0), "do not give zero loss"),
        ((1 - 1 / 3, 0.9), "1 − 1/K"),
        ((math.log(3), math.log(3)), "both numbers are the loss for K = 3"),
        ((1.1, 2.4), "is not it"),  # 2.4 is 0.1 off log 10 = 2.3026…
        ((1.09, 2.3), "is not it"),  # 1.09 is 0.0086 off log 3: not rounded right
        ((2.3026, 1.0986), "is not it"),  # the two swapped
        ((math.log(3),), "expected two numbers, got 1"),
        (1.0986, "expected two numbers"),
        ("log 3", "expected two numbers"),
        ((math.log(3), "x"), "two real numbers"),
        (None, "not solved yet"),
    ],
)
def test_first_loss_slips_are_named(answer, phrase):
    fails_with(ex.check_first_loss(answer), phrase)


def test_no_numpy_warning_escapes_from_the_learners_code():
    # np.exp(1000) overflows to inf with a RuntimeWarning (an error under pytest);
    # the checker silences it and reports the inf it produced.
    def overflowing(W1, b1, W2, b2, X, y):
        dW1, db1, dW2, db2 = sol.relu_backprop(W1, b1, W2, b2, X, y)
        return dW1 * np.exp(1000.0), db1, dW2, db2

    fails_with(ex.check_relu_backprop(overflowing), "NaN or inf")

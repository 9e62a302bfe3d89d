"""Notebook 06's checkers: the reference solutions pass, the usual slips are named."""

import math

import numpy as np
import pytest
from exercise_helpers import fails_with, stub

import gdcore as gd
from gdcore.exercises import nb06 as ex
from solutions import nb06 as sol


def _adam(
    *, correct_m=True, correct_v=True, eps_inside=False, t_shift=0, swap=False, sign=1
):
    """A learner's adam_step with one slip, written independently of the checker."""

    def step(theta, g, m, v, t, lr, beta1, beta2, eps):
        b1, b2 = (beta2, beta1) if swap else (beta1, beta2)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        tt = t + t_shift
        m_hat = m / (1 - b1**tt) if correct_m else m
        v_hat = v / (1 - b2**tt) if correct_v else v
        denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        return theta - sign * lr * m_hat / denom, m, v

    return step


# --- exercise 1: the Adam step ------------------------------------------------------


def test_reference_adam_step_passes():
    fb = ex.check_adam_step(sol.adam_step)
    assert fb.ok, repr(fb)
    assert "matches gd.adam" in fb.message


def test_reference_adam_step_hand_value():
    # θ = 1, g = 0.5, first update (t = 1), η = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 0:
    # m = 0.1·0.5 = 0.05, v = 0.001·0.25 = 0.00025, m̂ = 0.05/0.1 = 0.5,
    # v̂ = 0.00025/0.001 = 0.25, θ = 1 − 0.1·0.5/√0.25 = 1 − 0.1 = 0.9.
    theta, m, v = sol.adam_step(1.0, 0.5, 0.0, 0.0, 1, 0.1, 0.9, 0.999, 0.0)
    assert (theta, m, v) == pytest.approx((0.9, 0.05, 0.00025), rel=1e-12)


def test_reference_agrees_with_gd_adam_over_several_steps():
    opt = gd.adam(lr=0.05)
    theta_ref, state = np.array([1.0, -1.0]), opt.init(np.zeros(2))
    theta, m, v = theta_ref.copy(), np.zeros(2), np.zeros(2)
    for t in range(1, 8):
        g = np.array([0.3 * t, -1.0 / t])
        theta_ref, state = opt.step(theta_ref, g, state)
        theta, m, v = sol.adam_step(theta, g, m, v, t, 0.05, 0.9, 0.999, 1e-8)
        np.testing.assert_allclose(theta, theta_ref, rtol=1e-14)
        np.testing.assert_allclose((m, v), (state.m, state.v), rtol=1e-14)


def test_an_independent_correct_version_passes_too():
    assert ex.check_adam_step(_adam())


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (_adam(correct_m=False, correct_v=False), "without bias correction"),
        (_adam(correct_m=False, correct_v=False), "3.16 times too large"),
        (_adam(correct_v=False), "corrected m but not v"),
        (_adam(correct_m=False), "corrected v but not m"),
        (_adam(eps_inside=True), "ε is inside the square root"),
        (_adam(t_shift=1), "off by one"),
        (_adam(t_shift=-1), "t − 1"),  # 1 − β₁⁰ = 0 on the first update
        (_adam(swap=True), "β₁ and β₂ are swapped"),
        (_adam(sign=-1), "sign of the update is flipped"),
        (lambda *a: _adam()(*a)[:2], "three arrays"),
        (lambda *a: (lambda th, m, v: (th, v, m))(*_adam()(*a)), "wrong order"),
        (lambda *a: _adam()(*a)[0], "three arrays"),
        (lambda *a: (*_adam()(*a)[:2], a[3]), "your v differs"),  # v not updated
        (lambda *a: (_adam()(*a)[0], a[2], a[3]), "your m and v differ"),
        (stub, "not solved yet"),
        (lambda *a: None, "returned None"),
        (lambda *a: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_adam_step_slips_are_named(wrong, phrase):
    fails_with(ex.check_adam_step(wrong), phrase)


def test_no_warning_escapes_from_a_zero_division_in_numpy():
    # t − 1 = 0 on the first update: numpy divides by 0 (a RuntimeWarning, which
    # pytest turns into an error); the checker reports it as feedback instead.
    fb = ex.check_adam_step(_adam(t_shift=-1))
    fails_with(fb, "NaN or inf at t = 1 (the first update)")


def test_adam_step_checker_does_not_let_the_learner_mutate_its_inputs():
    def mutating(theta, g, m, v, t, lr, beta1, beta2, eps):
        out = sol.adam_step(theta, g, m, v, t, lr, beta1, beta2, eps)
        theta *= 0
        g *= 0
        return out

    assert ex.check_adam_step(mutating)
    assert ex.THETA0 == (1.0, -2.0, 0.5)


# --- exercise 2: the first Adam step --------------------------------------------------


def test_reference_first_step_passes():
    np.testing.assert_array_equal(sol.answer, [-0.01, 0.01, -0.01])
    fb = ex.check_first_adam_step(sol.answer)
    assert fb.ok, repr(fb)


def test_first_step_exact_value():
    # Δθ = −η·g/(|g| + ε): 0.5/(0.5 + 1e-8) = 0.99999998, 2000/(2000 + 1e-8)
    # = 1 − 5e-12 and 3e-4/(3e-4 + 1e-8) = 0.99996667, so the third coordinate is
    # −0.0099996667, within 1e-4 (relative) of −η.
    np.testing.assert_allclose(
        ex.first_step(),
        [
            -0.01 * 0.5 / (0.5 + 1e-8),
            0.01 * 2000 / (2000 + 1e-8),
            -0.01 * 3e-4 / (3e-4 + 1e-8),
        ],
        rtol=1e-12,
    )
    assert ex.check_first_adam_step(ex.first_step())


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (np.array([0.01, -0.01, 0.01]), "signs are flipped"),
        (-0.01 * np.array([0.5, -2000.0, 3e-4]), "plain gradient-descent step"),
        # no correction: −η·0.1·g/(√0.001·|g| + ε) ≈ −η·3.1623·sign(g)
        (
            -0.01 * 0.1 * np.array([1, -1, 1]) / math.sqrt(0.001),
            "without bias correction",
        ),
        (-0.01 * np.array([1, -1, 1]) / math.sqrt(0.001), "m corrected but not v"),
        (-0.001 * np.array([1, -1, 1]), "v corrected but not m"),
        (0.01, "each coordinate moves in its own direction"),
        (-0.01, "each coordinate moves in its own direction"),
        (np.array([-0.01, 0.01]), "got shape (2,)"),
        (np.array([np.nan, 0.0, 0.0]), "NaN or inf"),
        ("-0.01", "expected three numbers"),
        (np.array([-0.02, 0.02, -0.02]), "Δθ is not"),
        (-0.01 * np.array([1, -1, 1.0015]), "Δθ is not"),  # 0.15 % off: not a slip
        (True, "expected three numbers"),
        (None, "not solved yet"),
    ],
)
def test_first_step_slips_are_named(answer, phrase):
    fails_with(ex.check_first_adam_step(answer), phrase)


def test_first_step_without_correction_is_sqrt10_times_larger():
    # (1 − β₁)/√(1 − β₂) = 0.1/√0.001 = √10 ≈ 3.1623: the ratio the checker names
    opt = gd.adam(lr=0.01, bias_correction=False)
    theta, _ = opt.step(np.zeros(3), np.array(ex.FIRST_G), opt.init(np.zeros(3)))
    ratio = theta / ex.first_step()
    np.testing.assert_allclose(ratio[:2], math.sqrt(10), rtol=1e-6)

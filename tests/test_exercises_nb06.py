"""Notebook 06's checkers: the reference solutions pass, the usual slips are named."""

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


# --- exercise 2: predict the second Adam step -----------------------------------------


def test_reference_second_step_passes():
    fb = ex.check_second_adam_step(sol.answer)
    assert fb.ok, repr(fb)
    assert "0.053·η" in fb.message  # the flipping coordinate: 0.01/0.19 = 0.0526
    assert "0.68·η" in fb.message  # the fallen one: 47.89/√4998 = 0.677


def test_second_step_exact_value():
    # by hand (solutions/nb06.py): m̂ = (2, −0.01/0.19, 9.1/0.19) and
    # v̂ = (4, 1, 9.991/0.001999), so Δθ₂ = −0.01·m̂/(√v̂ + 1e-8)
    m_hat = np.array([2.0, -0.01 / 0.19, 9.1 / 0.19])
    v_hat = np.array([4.0, 1.0, 9.991 / 0.001999])
    np.testing.assert_allclose(
        ex.second_step(), -0.01 * m_hat / (np.sqrt(v_hat) + 1e-8), rtol=1e-9
    )


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (-ex.second_step(), "signs are flipped"),
        (np.array([-0.01, 0.01, -0.01]), "as if Adam forgot g₁"),
        (np.array([-0.01, -0.01, -0.01]), "that is the first step"),
        # θ₂ − θ₀: the first step −η·sign(g₁) = (−0.01, −0.01, −0.01) plus the second
        (ex.second_step() + np.array([-0.01, -0.01, -0.01]), "both steps together"),
        (np.array([-0.02, 0.01, -0.01]), "plain gradient-descent step"),
        # no correction: m/√v = (0.38/√0.007996, −0.01/√0.001999, 9.1/√9.991)
        (
            -0.01
            * np.array([0.38 / 0.007996**0.5, -0.01 / 0.001999**0.5, 9.1 / 9.991**0.5]),
            "without bias correction",
        ),
        # t = 1 at the second update: m/0.1 and v/0.001
        (
            -0.01 * np.array([3.8, -0.1, 91.0]) / np.sqrt([7.996, 1.999, 9991.0]),
            "corrects with t = 1",
        ),
        (np.array([-0.01, 0.0005, -0.0068]), "coordinates 2, 3 are off"),
        (np.array([-0.01, 0.000526, -0.0068]), "coordinate 3 is off"),
        (np.array([-0.01, 0.01]), "got shape (2,)"),
        (np.array([np.nan, 0.0, 0.0]), "NaN or inf"),
        ("-0.01", "expected three numbers"),
        (True, "expected three numbers"),
        (None, "not solved yet"),
    ],
)
def test_second_step_slips_are_named(answer, phrase):
    fails_with(ex.check_second_adam_step(answer), phrase)


def test_second_step_swapped_betas_are_named():
    # β₁ = 0.999 on m and β₂ = 0.9 on v: a different step the checker recognises
    g1, g2 = (np.array(g) for g in ex.SECOND_GRADS)
    m = 0.999 * 0.001 * g1 + 0.001 * g2
    v = 0.9 * 0.1 * g1**2 + 0.1 * g2**2
    step = -0.01 * (m / (1 - 0.999**2)) / (np.sqrt(v / (1 - 0.9**2)) + 1e-8)
    fails_with(ex.check_second_adam_step(step), "β₁ and β₂ look swapped")


# --- exercise 3: choose β for a given κ ----------------------------------------------


def test_best_beta_by_hand():
    # η = 1/2500, λ_min = 1: √β = 1 − √(1/2500) = 1 − 0.02 = 0.98, β = 0.9604
    assert ex.best_beta() == pytest.approx(0.9604, rel=1e-12)
    # at β*, the discriminant along λ_min is 0: a double root √β = 0.98
    assert ex.heavy_ball_rate(0.9604, 1.0) == pytest.approx(0.98, rel=1e-6)
    # β = 0 is plain GD: the factor 1 − ηλ
    assert ex.heavy_ball_rate(0.0, 1.0) == pytest.approx(1 - 1 / 2500)


def test_reference_beta_passes():
    fb = ex.check_momentum_beta(sol.beta)
    assert fb.ok, repr(fb)
    assert "from step 523 on" in fb.message


def test_plain_gd_misses_the_budget_by_far():
    # β = 0: along λ_min the loss shrinks by (1 − 1/2500)² per step; from its share
    # ½·1² = 0.5 down to 1e-6 takes ln(2e-6)/(2·ln(0.9996)) ≈ 16,400 steps
    assert ex.beta_steps(0.0) is None


@pytest.mark.parametrize(
    ("beta", "phrase"),
    [
        (None, "not solved yet"),
        ("0.96", "expected a number"),
        (1.0, "β must be in [0, 1)"),
        (-0.1, "β must be in [0, 1)"),
        (0.9, "roots are real"),  # the default: 1586 steps
        (0.0, "more than 5,000 steps"),
        (0.99, "β is larger than it needs to be"),  # √0.99 = 0.995 per step
    ],
)
def test_beta_slips_are_explained(beta, phrase):
    fails_with(ex.check_momentum_beta(beta), phrase)

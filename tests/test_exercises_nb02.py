"""Notebook 02's checkers: the reference solutions pass, the usual slips are named."""

import math

import numpy as np
import pytest
from exercise_helpers import fails_with, stub

import gdcore as gd
from gdcore.exercises import nb02 as ex
from solutions import nb02 as sol

# --- exercise 1: the η that lands in one step ---------------------------------------


def test_reference_one_step_lr_passes():
    fb = ex.check_one_step_lr(sol.answer)
    assert fb.ok, repr(fb)
    assert "η = 0.5 gives x₁ = (1 − 2·0.5)·x₀ = 0" in fb.message


def test_one_step_lr_really_lands_on_the_minimum():
    # x₁ = 3 − 0.5·(2·3) = 0, with gdcore's own run
    history = gd.descend(gd.parabola(), gd.sgd(sol.answer), 3.0, 1)
    assert history.thetas[1, 0] == 0.0


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (1.0, "bounces between x₀ and −x₀"),  # x₁ = −x₀
        (0.25, "covers only 50% of the way"),  # x₁ = 0.5·x₀
        (0.1, "covers only 20% of the way"),  # x₁ = 0.8·x₀
        (0.75, "overshoots the minimum."),  # x₁ = −0.5·x₀
        (2.0, "lands further away than it started"),  # x₁ = −3·x₀
        (0.0, "no move at all"),
        (-0.5, "a step uphill"),  # x₁ = 2·x₀
        (None, "not solved yet"),
        ("0.5", "one real number"),
        (np.array([0.5, 0.5]), "one real number"),
        (math.inf, "one real number"),
        (True, "one real number"),
    ],
)
def test_one_step_lr_slips_are_named(answer, phrase):
    fails_with(ex.check_one_step_lr(answer), phrase)


def test_one_step_lr_accepts_fractions_and_numpy():
    assert ex.check_one_step_lr(1 / 2)
    assert ex.check_one_step_lr(np.float64(0.5))


# --- exercise 2: steps to get within tol --------------------------------------------


def test_reference_steps_to_tolerance_passes():
    fb = ex.check_steps_to_tolerance(sol.steps_to_tolerance)
    assert fb.ok, repr(fb)


def test_the_cases_hand_values():
    # |x_k| = |1 − 2η|^k·|x0| < tol:
    # 0.8^31 ≈ 0.00099 < 1e-3 ≤ 0.8^30 ≈ 0.00124      → 31
    # 0.5^10 ≈ 0.000977 < 1e-3 ≤ 0.5^9 ≈ 0.00195      → 10 (also for factor −0.5)
    # 2·0.2^5 = 0.00064 < 1e-3 ≤ 2·0.2^4 = 0.0032      → 5
    # η = 0.5: x1 = 0 → 1;  |x0| = 1e-4 < 1e-3 → 0;  |1 − 2η| >= 1 → inf
    expected = [31, 10, 342, 5, 10, 67, 1, 0, math.inf, math.inf, 0]
    assert [ex.steps_by_loop(*case) for case in ex.STEP_CASES] == expected
    assert [sol.steps_to_tolerance(*case) for case in ex.STEP_CASES] == expected


def test_no_case_sits_on_a_whole_number_ratio():
    # so math.ceil(ratio) and math.floor(ratio) + 1 agree, and rounding cannot matter
    for lr, x0, tol in ex.STEP_CASES:
        factor = abs(1 - 2 * lr)
        if abs(x0) < tol or factor in (0.0,) or factor >= 1:
            continue
        ratio = math.log(tol / abs(x0)) / math.log(factor)
        assert 0.01 < ratio % 1 < 0.99, (lr, x0, tol, ratio)


def test_the_loop_agrees_with_gdcore_runs():
    for lr, x0, tol in ex.STEP_CASES:
        k = ex.steps_by_loop(lr, x0, tol)
        if math.isinf(k):
            continue
        xs = gd.descend(gd.parabola(), gd.sgd(lr), x0, k).thetas[:, 0]
        assert abs(xs[-1]) < tol
        assert np.all(np.abs(xs[:-1]) >= tol)


def ceil_formula(lr, x0, tol):
    """The closed form with math.ceil, as in the notebook (no special cases)."""
    if abs(x0) < tol:
        return 0
    factor = abs(1 - 2 * lr)
    if factor >= 1:
        return math.inf
    if factor == 0:
        return 1
    return math.ceil(math.log(tol / abs(x0)) / math.log(factor))


def loop_without_exit(lr, x0, tol):
    x, k = x0, 0
    while abs(x) >= tol:
        x = (1 - 2 * lr) * x
        k += 1
    return k


def floor_formula(lr, x0, tol):
    return sol.steps_to_tolerance(lr, x0, tol) - 1 if abs(x0) >= tol else 0


def plus_one(lr, x0, tol):
    k = sol.steps_to_tolerance(lr, x0, tol)
    return k + 1


def no_abs_log(lr, x0, tol):
    if abs(x0) < tol:
        return 0
    if abs(1 - 2 * lr) >= 1:
        return math.inf
    return math.ceil(math.log(tol / abs(x0)) / math.log(1 - 2 * lr))


def no_abs_start(lr, x0, tol):
    if abs(x0) < tol:
        return 0
    if abs(1 - 2 * lr) >= 1:
        return math.inf
    if lr == 0.5:
        return 1
    return math.ceil(math.log(tol / x0) / math.log(abs(1 - 2 * lr)))


def np_log_no_abs_start(lr, x0, tol):
    if abs(x0) < tol:
        return 0
    if abs(1 - 2 * lr) >= 1:
        return math.inf
    if lr == 0.5:
        return 1
    with np.errstate(invalid="ignore"):  # np.log(−0.0005) is nan, with a warning
        return np.floor(np.log(tol / x0) / np.log(abs(1 - 2 * lr))) + 1


def crashes_on_negative_start(lr, x0, tol):
    if x0 < 0:
        raise KeyError("unrelated")
    return sol.steps_to_tolerance(lr, x0, tol)


def no_special_half(lr, x0, tol):
    if abs(x0) < tol:
        return 0
    factor = abs(1 - 2 * lr)
    if factor >= 1:
        return math.inf
    return math.ceil(math.log(tol / abs(x0)) / math.log(factor))


def np_log_no_special_half(lr, x0, tol):
    # np.log(0) = −inf: the ratio is −0.0 and the answer 0 (with a silenced warning)
    if abs(x0) < tol:
        return 0
    factor = abs(1 - 2 * lr)
    if factor >= 1:
        return math.inf
    return int(np.ceil(np.log(tol / abs(x0)) / np.log(factor)))


def no_already_check(lr, x0, tol):
    factor = abs(1 - 2 * lr)
    if factor >= 1:
        return math.inf
    return max(ceil_formula(lr, 1.0, tol / abs(x0)), 1)


def never_inf(lr, x0, tol):
    if abs(1 - 2 * lr) >= 1:
        return -1
    return sol.steps_to_tolerance(lr, x0, tol)


def always_inf_when_oscillating(lr, x0, tol):
    if 1 - 2 * lr < 0:
        return math.inf
    return sol.steps_to_tolerance(lr, x0, tol)


def unrounded(lr, x0, tol):
    if abs(x0) < tol:
        return 0
    factor = abs(1 - 2 * lr)
    if factor >= 1:
        return math.inf
    return math.log(tol / abs(x0)) / math.log(factor)


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (floor_formula, "one step short"),
        (plus_one, "one step too many"),
        (no_abs_log, "use the absolute value"),  # log of −0.5 raises
        (no_abs_start, "use |x₀|"),  # x0 = −2: log of a negative tol/x0 raises
        (np_log_no_abs_start, "np.log of a negative number"),  # … or is nan
        (crashes_on_negative_start, "run it on the example by hand"),  # not a log
        (no_special_half, "on its own: one step lands"),  # math.log(0) raises
        (np_log_no_special_half, "answer is 1"),
        (no_already_check, "already below tol: 0 steps"),
        (never_inf, "never get within tol"),
        (always_inf_when_oscillating, "gets below tol after 10 steps"),
        (unrounded, "not a whole number of steps"),
        (lambda lr, x0, tol: 7, "first get within tol after 31 steps"),
        (lambda lr, x0, tol: "31", "not a number"),
        (lambda lr, x0, tol: None, "returned None"),
        (stub, "not solved yet"),
    ],
)
def test_steps_slips_are_named(wrong, phrase):
    fails_with(ex.check_steps_to_tolerance(wrong), phrase)


def test_a_crash_names_the_case_it_happened_on():
    fb = ex.check_steps_to_tolerance(no_abs_log)
    fails_with(fb, "for lr = 0.75, x0 = 1, tol = 0.001 your function raised ValueError")


def test_ceil_formula_passes_too():
    assert ex.check_steps_to_tolerance(ceil_formula)


def test_a_loop_without_exit_is_stopped(monkeypatch):
    monkeypatch.setattr(ex, "TIME_LIMIT", 0.2)
    fb = ex.check_steps_to_tolerance(loop_without_exit)
    fails_with(fb, "did not return within 0.2 s")
    fails_with(fb, "|1 − 2η| = 1")
    fails_with(fb, "return math.inf")


def test_accepts_numpy_ints_floats_and_inf_spellings():
    def as_numpy(lr, x0, tol):
        k = sol.steps_to_tolerance(lr, x0, tol)
        return np.inf if math.isinf(k) else np.int64(k)

    assert ex.check_steps_to_tolerance(as_numpy)

    def as_float(lr, x0, tol):
        return float(sol.steps_to_tolerance(lr, x0, tol))

    assert ex.check_steps_to_tolerance(as_float)


# --- exercise 3: predict, then run, on f(x) = 3x² ------------------------------------


def test_reference_steep_parabola_passes():
    assert sol.steps_needed_3x2 == 8  # 0.4⁷ ≈ 1.6e-3 ≥ 1e-3 > 0.4⁸ ≈ 6.6e-4
    fb = ex.check_steep_parabola(sol.diverging, sol.steps_needed_3x2)
    assert fb.ok, repr(fb)
    assert ex.check_steep_parabola((0.5, 0.4), 8.0)  # any order, any number type


@pytest.mark.parametrize(
    ("diverging", "steps", "phrase"),
    [
        ([], 8, "none of these rates diverges, but this is 3x²"),  # thought 1 − 2η
        ([0.25, 0.4, 0.5], 8, "η = 0.25 does not diverge"),
        ([0.5], 8, "η = 0.4 diverges too"),
        ([0.4, 0.5], 31, "the count for x²"),
        ([0.4, 0.5], 7, "still above 0.001"),
        ([0.4, 0.5], 9, "one step too many"),  # 0.4^8 = 0.00066 < 0.001 already
        ([0.4, 0.5], 12, "not 12 steps"),
        ([0.4, 0.5], "eight", "should be a whole number"),
        ("0.4", 8, "should be a list"),
        (None, 8, "not solved yet"),
    ],
)
def test_steep_parabola_slips_are_named(diverging, steps, phrase):
    fails_with(ex.check_steep_parabola(diverging, steps), phrase)

"""Tests for gdcore.stability: step factors, stable learning rates, classification."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcore.objectives import quadratic_bowl, saddle
from gdcore.stability import (
    DIVERGING,
    MONOTONE,
    OSCILLATING,
    PERIODIC,
    classify_lr,
    condition_number,
    convergence_factor,
    eigenvalues,
    max_stable_lr,
    optimal_lr,
    step_factors,
)

SETTINGS = settings(max_examples=50, deadline=None)

# Hessian of the MSE for the house prices on raw square feet, X = [x, 1]:
#   2·mean(x²) = 2·(0.25 + 1 + 2.25 + 4 + 6.25)e6/5 = 2·2.75e6 = 5.5e6
#   2·mean(x)  = 2·1500 = 3000,   2·mean(1) = 2
HOUSE_X = np.array([500.0, 1000.0, 1500.0, 2000.0, 2500.0])
HOUSE_H = np.array([[5.5e6, 3000.0], [3000.0, 2.0]])
# Its eigenvalues by the 2×2 formula λ = (tr ± √(tr² − 4·det))/2:
TR = 5.5e6 + 2  # = 5500002
DET = 5.5e6 * 2 - 3000.0**2  # = 1.1e7 − 9e6 = 2e6
LAM_MAX = (TR + math.sqrt(TR**2 - 4 * DET)) / 2  # ≈ 5500001.6364
# The "−" root loses ~7 digits to cancellation; λ_min·λ_max = det gives it exactly.
LAM_MIN = DET / LAM_MAX  # ≈ 0.363636


# --- f(x) = x², f″ = 2: x ← (1 − 2η)·x ---------------------------------------------


def test_x_squared_max_stable_lr():
    assert max_stable_lr(2) == 1.0  # 2/2
    assert max_stable_lr(2.0) == max_stable_lr([[2.0]]) == max_stable_lr(np.float64(2))


@pytest.mark.parametrize(
    ("lr", "expected"),
    [
        (0.25, MONOTONE),  # 1 − 2·0.25 = 0.5
        (0.5, MONOTONE),  # 1 − 2·0.5 = 0: the minimum in one step
        (0.75, OSCILLATING),  # 1 − 2·0.75 = −0.5
        (1.0, PERIODIC),  # 1 − 2·1 = −1: x → −x forever
        (1.01, DIVERGING),  # 1 − 2·1.01 = −1.02
        # the boundaries, with rtol = 1e−9:
        (0.5 + 1e-10, MONOTONE),  # −2e−10: 0 within rtol, lands on the minimum
        (0.5 + 1e-9, OSCILLATING),  # −2e−9: crosses, beyond rtol
        (0.55, OSCILLATING),  # 1 − 1.1 = −0.1
        (1 - 1e-9, OSCILLATING),  # −1 + 2e−9
        (1 + 1e-10, PERIODIC),  # −1 − 2e−10: −1 within rtol
        (1 + 1e-9, DIVERGING),  # −1 − 2e−9
    ],
)
def test_x_squared_classification(lr, expected):
    assert classify_lr(lr, 2.0) == expected
    assert classify_lr(lr, [[2.0]]) == expected


def test_x_squared_factors():
    np.testing.assert_array_equal(step_factors(2.0, 0.25), [0.5])
    assert convergence_factor(2.0, 0.25) == 0.5  # |1 − 0.5|
    assert convergence_factor(2.0, 0.75) == 0.5  # |1 − 1.5|
    np.testing.assert_allclose(convergence_factor(2.0, 1.01), 1.02, rtol=1e-15)


def test_constant_names():
    assert (MONOTONE, OSCILLATING, PERIODIC, DIVERGING) == (
        "monotone",
        "oscillating",
        "periodic",
        "diverging",
    )


# ηλ = 1 (one step to the minimum) and ηλ = 2 (periodic) are single points that
# a float strategy would almost never draw: sample them on purpose.
products = st.floats(0.01, 2.5) | st.sampled_from([1.0, 2.0])


@SETTINGS
@given(lam=st.floats(0.1, 100.0), t=products)
def test_classification_matches_the_iterates(lam, t):
    """Run x ← x − η·λ·x (f = λx²/2) and check the pattern the label promises."""
    lr = t / lam
    xs = [1.0]
    for _ in range(10):
        xs.append(xs[-1] - lr * lam * xs[-1])
    xs = np.array(xs)
    sizes = np.abs(xs)
    label = classify_lr(lr, lam)
    if label == MONOTONE:  # never crosses 0 (a factor within rtol of 0 may)
        assert np.all(xs[1:] >= -1e-9 * sizes[:-1])
        assert np.all(sizes[1:] <= sizes[:-1])
    elif label == OSCILLATING:
        assert np.all(xs[1:] * xs[:-1] < 0)
        assert np.all(np.diff(sizes) < 0)
    elif label == PERIODIC:
        np.testing.assert_allclose(sizes, 1.0, rtol=1e-6)
    else:
        assert label == DIVERGING
        assert np.all(np.diff(sizes) > 0)


# --- the house-price Hessian --------------------------------------------------------


def test_house_hessian_comes_from_the_data():
    X = np.column_stack([HOUSE_X, np.ones(5)])
    np.testing.assert_array_equal(2 * X.T @ X / 5, HOUSE_H)


def test_house_eigenvalues():
    lams = eigenvalues(HOUSE_H)
    np.testing.assert_allclose(lams[1], LAM_MAX, rtol=1e-14)
    np.testing.assert_allclose(lams[0], LAM_MIN, rtol=1e-8)
    naive_min = (TR - math.sqrt(TR**2 - 4 * DET)) / 2  # agrees only to ~1e-9
    np.testing.assert_allclose(naive_min, LAM_MIN, rtol=1e-8)
    assert 5.5e6 < lams[1] < 5.5e6 + 2  # 5.5e6 + tiny
    assert 0.3636 < lams[0] < 0.3637


def test_house_max_stable_lr():
    lr_max = max_stable_lr(HOUSE_H)
    np.testing.assert_allclose(lr_max, 2 / LAM_MAX, rtol=1e-14)
    assert 3.636e-7 < lr_max < 3.637e-7  # 2/5.5e6 ≈ 3.64e-7


def test_house_condition_number():
    kappa = condition_number(HOUSE_H)
    np.testing.assert_allclose(kappa, LAM_MAX / LAM_MIN, rtol=1e-8)  # ≈ 1.5125e7
    assert 1.5e7 < kappa < 1.52e7


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        (1 + 1e-6, DIVERGING),  # factor −1 − 2e−6
        (1.0, PERIODIC),  # factor −1
        (1 - 1e-6, OSCILLATING),  # factor −1 + 2e−6
        (0.5, MONOTONE),  # factor 0 (± rounding) for λ_max, ≈ 1 − 7e−8 for λ_min
    ],
)
def test_house_around_the_stable_bound(scale, expected):
    assert classify_lr(scale * 2 / LAM_MAX, HOUSE_H) == expected


@pytest.mark.parametrize(
    ("lr", "expected"),
    [
        (1e-5, DIVERGING),  # the article's α: 1 − 1e−5·5.5e6 = −54
        (2e-7, OSCILLATING),  # 1 − 2e−7·5.5e6 = −0.1
        (1e-7, MONOTONE),  # 1 − 1e−7·5.5e6 = 0.45
        (0.5, DIVERGING),  # "too large" is far too large
        (1e-6, DIVERGING),  # "too small" diverges too
    ],
)
def test_house_learning_rates_from_the_article(lr, expected):
    assert classify_lr(lr, HOUSE_H) == expected


# --- bowls: κ, the best learning rate and the rate it gives -------------------------


@SETTINGS
@given(angle=st.floats(-10.0, 10.0))
def test_bowl_condition_is_ten_at_every_angle(angle):
    H = quadratic_bowl(condition=10.0, angle=angle).hessian([0.0, 0.0])
    np.testing.assert_allclose(eigenvalues(H), [1.0, 10.0], rtol=1e-13)
    np.testing.assert_allclose(condition_number(H), 10.0, rtol=1e-13)


def test_optimal_lr_known_values():
    H = np.diag([1.0, 10.0])
    np.testing.assert_allclose(optimal_lr(H), 2 / 11, rtol=1e-15)  # 2/(1 + 10)
    # factors 1 − 2/11 = 9/11 and 1 − 20/11 = −9/11; (κ − 1)/(κ + 1) = 9/11
    np.testing.assert_allclose(step_factors(H, 2 / 11), [9 / 11, -9 / 11], rtol=1e-15)
    np.testing.assert_allclose(convergence_factor(H, 2 / 11), 9 / 11, rtol=1e-15)
    assert optimal_lr(2.0) == 0.5  # one parameter: η = 1/λ, the minimum in one step


@SETTINGS
@given(
    condition=st.floats(1.0, 1e4),
    angle=st.floats(-4.0, 4.0),
    lam_min=st.floats(1e-2, 1e2),
    t=st.floats(0.01, 0.99),
)
def test_optimal_lr_gives_the_best_factor(condition, angle, lam_min, t):
    H = quadratic_bowl(condition, angle, lam_min).hessian([0.0, 0.0])
    lr = optimal_lr(H)
    kappa = condition_number(H)
    best = convergence_factor(H, lr)
    np.testing.assert_allclose(best, (kappa - 1) / (kappa + 1), rtol=1e-9, atol=1e-12)
    other = t * max_stable_lr(H)  # any stable learning rate does no better
    assert best <= convergence_factor(H, other) + 1e-12


@SETTINGS
@given(
    condition=st.floats(1.0, 100.0),
    angle=st.floats(-4.0, 4.0),
    t=st.floats(0.01, 2.5),
    theta=st.lists(
        st.floats(-10.0, 10.0, allow_subnormal=False), min_size=2, max_size=2
    ),
)
def test_convergence_factor_bounds_one_step(condition, angle, t, theta):
    obj = quadratic_bowl(condition=condition, angle=angle)
    lr = t / condition  # λ_max = condition here
    theta = np.array(theta)
    step = theta - lr * obj.grad(theta)
    rate = convergence_factor(obj.hessian(theta), lr)
    # hypot, not norm: squaring a tiny θ would underflow and lose digits. The
    # computed step θ − η·Aθ carries rounding of about ε·(‖θ‖ + η‖Aθ‖) ≤ ε·(1 + t)‖θ‖,
    # which matters where the factor is near 0 (t ≈ 1 on a round bowl).
    size = math.hypot(*theta)
    rounding = 4 * np.finfo(float).eps * (1 + t) * size
    assert math.hypot(*step) <= rate * size * (1 + 1e-12) + rounding


def test_convergence_factor_is_reached_along_the_worst_eigenvector():
    obj = quadratic_bowl(condition=10.0, angle=0.3)
    steep = np.array([-math.sin(0.3), math.cos(0.3)])  # eigenvector of λ = 10
    step = steep - 0.19 * obj.grad(steep)  # factor 1 − 0.19·10 = −0.9
    np.testing.assert_allclose(step, -0.9 * steep, atol=1e-15)
    # the other factor is 1 − 0.19·1 = 0.81, so the worst is |−0.9| = 0.9
    np.testing.assert_allclose(convergence_factor(obj.hessian(steep), 0.19), 0.9)


# --- semi-definite, indefinite and degenerate Hessians ------------------------------


def test_flat_direction_is_not_periodic():
    H = np.diag([0.0, 1.0])  # factors 1 − 0 = 1 (does not move) and 1 − 1 = 0
    assert max_stable_lr(H) == 2.0
    assert classify_lr(1.0, H) == MONOTONE
    assert classify_lr(2.0, H) == PERIODIC  # 1 − 2 = −1
    assert optimal_lr(H) == 2.0  # 2/(0 + 1)
    assert convergence_factor(H, 1.0) == 1.0


def test_saddle_has_no_stable_learning_rate():
    H = saddle().hessian([0.0, 0.0])  # diag(1, −1)
    np.testing.assert_array_equal(eigenvalues(H), [-1.0, 1.0])
    assert classify_lr(0.1, H) == DIVERGING  # 1 − 0.1·(−1) = 1.1: leaves the saddle
    message = (
        "max_stable_lr needs H positive semi-definite with lam_max > 0, "
        "got eigenvalues [-1.0, 1.0]"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        max_stable_lr(H)
    with pytest.raises(ValueError, match=re.escape("optimal_lr needs H positive")):
        optimal_lr(H)
    with pytest.raises(
        ValueError,
        match=re.escape("condition_number needs H positive definite, got eigenvalues"),
    ):
        condition_number(H)


@pytest.mark.parametrize(
    ("H", "eigs"), [(-2.0, "[-2.0]"), (0.0, "[0.0]"), (np.zeros((2, 2)), "[0.0, 0.0]")]
)
def test_no_stable_bound_without_upward_curvature(H, eigs):
    message = (
        "max_stable_lr needs H positive semi-definite with lam_max > 0, "
        f"got eigenvalues {eigs}"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        max_stable_lr(H)


def test_condition_number_needs_positive_definite():
    message = "condition_number needs H positive definite, got eigenvalues [0.0, 1.0]"
    with pytest.raises(ValueError, match=re.escape(message)):
        condition_number(np.diag([0.0, 1.0]))


def test_eigenvalues_ascending():
    # [[2, 1], [1, 2]]: tr = 4, det = 3, λ = (4 ± √(16 − 12))/2 = 1, 3
    np.testing.assert_allclose(eigenvalues([[2.0, 1.0], [1.0, 2.0]]), [1.0, 3.0])
    np.testing.assert_array_equal(eigenvalues(5.0), [5.0])
    np.testing.assert_array_equal(eigenvalues(np.diag([3.0, -1.0, 2.0])), [-1, 2, 3])
    # symmetric up to rounding is accepted
    np.testing.assert_allclose(eigenvalues([[2.0, 1.0 + 1e-12], [1.0, 2.0]]), [1, 3])


# --- huge values: inf, never NaN or a warning ---------------------------------------


def test_huge_values_overflow_quietly():
    assert convergence_factor(1e300, 1e300) == math.inf
    assert classify_lr(1e300, 1e300) == DIVERGING
    assert condition_number(np.diag([1e-10, 1e300])) == math.inf
    assert max_stable_lr(1e-320) == math.inf
    lams = eigenvalues([[1e308, 1e308], [1e308, 1e308]])
    assert not np.any(np.isnan(lams))


# --- input checks -------------------------------------------------------------------

NOT_SQUARE = "H must be a number or a square matrix"


@pytest.mark.parametrize(
    ("H", "message"),
    [
        ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], f"{NOT_SQUARE}, got shape (2, 3)"),
        ([1.0, 2.0], f"{NOT_SQUARE}, got shape (2,)"),
        (np.zeros((2, 2, 2)), f"{NOT_SQUARE}, got shape (2, 2, 2)"),
        ([[1.0, 2.0], [0.0, 1.0]], "H must be symmetric, got [[1.0, 2.0], [0.0, 1.0]]"),
        ([[1.0, 1e308], [-1e308, 1.0]], "H must be symmetric"),
        ([[np.nan]], "H must be finite, got [[nan]]"),
        (math.inf, "H must be finite, got inf"),
        ([], "H must not be empty, got shape (0,)"),
    ],
)
@pytest.mark.parametrize(
    "call",
    [
        eigenvalues,
        condition_number,
        max_stable_lr,
        optimal_lr,
        lambda H: convergence_factor(H, 0.1),
        lambda H: classify_lr(0.1, H),
    ],
)
def test_bad_hessian_is_rejected(H, message, call):
    with pytest.raises(ValueError, match=re.escape(message)):
        call(H)


@pytest.mark.parametrize(
    ("lr", "message"),
    [
        (0.0, "lr must be positive and finite, got 0.0"),
        (-0.1, "lr must be positive and finite, got -0.1"),
        (math.inf, "lr must be positive and finite, got inf"),
        (math.nan, "lr must be positive and finite, got nan"),
    ],
)
def test_bad_lr_is_rejected(lr, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        classify_lr(lr, 2.0)
    with pytest.raises(ValueError, match=re.escape(message)):
        convergence_factor(2.0, lr)


def test_bad_types_and_rtol():
    with pytest.raises(
        TypeError, match=re.escape("lr must be a real number, got '0.1'")
    ):
        classify_lr("0.1", 2.0)
    with pytest.raises(TypeError, match=re.escape("H must be array-like of numbers")):
        eigenvalues("H")
    with pytest.raises(
        ValueError, match=re.escape("rtol must be positive and finite, got 0.0")
    ):
        classify_lr(0.5, 2.0, rtol=0.0)


def test_inputs_are_not_mutated():
    H = HOUSE_H.copy()
    for call in (eigenvalues, condition_number, max_stable_lr, optimal_lr):
        call(H)
    classify_lr(1e-7, H)
    convergence_factor(H, 1e-7)
    np.testing.assert_array_equal(H, HOUSE_H)

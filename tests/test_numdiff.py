"""Tests for gdcore.numdiff: exact quotients where the arithmetic is exact."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd


def square(x):
    return x * x


def cube(x):
    return x * x * x


# h = 2⁻ᵏ and small x keep every operation below exact in float64: x + h and
# its square or cube fit in 53 bits, the difference is exact, and dividing by a
# power of two is exact. So the quotients equal their algebraic values.


@pytest.mark.parametrize("x", [-3.0, 0.0, 0.5, 3.0])
@pytest.mark.parametrize("k", range(4, 21, 4))
def test_forward_difference_of_square_is_2x_plus_h(x, k):
    # ((x + h)² − x²)/h = (2xh + h²)/h = 2x + h
    h = 2.0**-k
    assert gd.forward_difference(square, x, h) == 2 * x + h


def test_forward_difference_error_shrinks_like_h():
    # The error of the forward quotient for x² at x = 3 is exactly h:
    # halving h halves the error, and the quotient tends to f′(3) = 6.
    hs = 2.0 ** -np.arange(1, 21)
    errors = np.array([gd.forward_difference(square, 3.0, h) - 6.0 for h in hs])
    np.testing.assert_array_equal(errors, hs)
    np.testing.assert_array_equal(errors[:-1] / errors[1:], 2.0)


def test_forward_difference_with_decimal_h():
    # h = 1e−3 is not a power of two: 2x + h = 6.001 up to rounding (≈ ε·9/h).
    assert gd.forward_difference(square, 3.0, 1e-3) == pytest.approx(6.001, abs=1e-10)


@pytest.mark.parametrize("x", [-2.0, 1.5, 2.0])
@pytest.mark.parametrize("k", range(4, 14))
def test_central_difference_of_cube_is_3x2_plus_h2(x, k):
    # ((x + h)³ − (x − h)³)/(2h) = (6x²h + 2h³)/(2h) = 3x² + h²
    h = 2.0**-k
    assert gd.central_difference(cube, x, h) == 3 * x * x + h * h


def test_central_difference_error_shrinks_like_h_squared():
    # Error for x³ at x = 2 is exactly h²: halving h divides it by 4.
    hs = 2.0 ** -np.arange(4, 14)
    errors = np.array([gd.central_difference(cube, 2.0, h) - 12.0 for h in hs])
    np.testing.assert_array_equal(errors, hs**2)
    np.testing.assert_array_equal(errors[:-1] / errors[1:], 4.0)


def test_central_beats_forward_on_exp():
    # d/dx eˣ at 1 is e. Forward error ≈ (h/2)·e ≈ 1.4e−6 for h = 1e−6;
    # central error ≈ (h²/6)·e plus rounding ε·e/h ≈ 6e−10.
    forward = gd.forward_difference(math.exp, 1.0)
    central = gd.central_difference(math.exp, 1.0)
    assert abs(forward - math.e) == pytest.approx(0.5e-6 * math.e, rel=1e-3)
    assert abs(central - math.e) < 1e-9


def f_known(theta):
    # f(θ) = θ₀²·θ₁ + sin θ₁,  ∇f = (2θ₀θ₁, θ₀² + cos θ₁)
    return theta[0] ** 2 * theta[1] + math.sin(theta[1])


def test_numerical_gradient_of_known_function():
    # at (1.5, −0.5): ∇f = (2·1.5·(−0.5), 1.5² + cos(−0.5)) = (−1.5, 2.25 + cos 0.5)
    theta = np.array([1.5, -0.5])
    expected = [-1.5, 2.25 + math.cos(0.5)]
    np.testing.assert_allclose(
        gd.numerical_gradient(f_known, theta), expected, atol=1e-9
    )
    np.testing.assert_array_equal(theta, [1.5, -0.5])  # not mutated


@settings(max_examples=50, deadline=None)
@given(theta=st.tuples(*[st.floats(-5, 5)] * 3), h=st.sampled_from([2.0**-5, 0.5, 1.0]))
def test_numerical_gradient_is_exact_on_linear_functions(theta, h):
    # f(θ) = aᵀθ with small dyadic a: central differences are exact for any h.
    a = np.array([0.5, -2.0, 3.0])
    g = gd.numerical_gradient(lambda t: float(a @ t), list(theta), h=h)
    np.testing.assert_allclose(g, a, atol=64 * np.finfo(float).eps * 30 / h)


def rosenbrock_grad(theta):
    x, y = theta
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


def test_numerical_hessian_of_rosenbrock_is_symmetric_and_right():
    # f = (1 − x)² + 100(y − x²)²; H = [[2 − 400(y − 3x²), −400x], [−400x, 200]]
    # at (−0.5, 1.5): y − 3x² = 0.75, so H = [[2 − 300, 200], [200, 200]]
    theta = np.array([-0.5, 1.5])
    H = gd.numerical_hessian(rosenbrock_grad, theta)
    np.testing.assert_array_equal(H, H.T)
    np.testing.assert_allclose(H, [[-298, 200], [200, 200]], rtol=1e-8)
    np.testing.assert_array_equal(theta, [-0.5, 1.5])  # not mutated


def test_numerical_hessian_symmetrises():
    # A "gradient" g(θ) = Aθ with A not symmetric: differences give A exactly
    # (h is a power of two); symmetrising gives (A + Aᵀ)/2 = [[1, 1], [1, 3]].
    A = np.array([[1.0, 2.0], [0.0, 3.0]])
    H = gd.numerical_hessian(lambda t: A @ t, [0.25, -1.0], h=2.0**-10)
    np.testing.assert_array_equal(H, [[1.0, 1.0], [1.0, 3.0]])


# --------------------------------------------------------------- validation


@pytest.mark.parametrize("fn", [gd.forward_difference, gd.central_difference])
def test_scalar_differences_reject_bad_input(fn):
    with pytest.raises(TypeError, match=re.escape("f must be callable, got 3")):
        fn(3, 1.0)
    with pytest.raises(ValueError, match=re.escape("x must be finite, got nan")):
        fn(square, np.nan)
    with pytest.raises(
        TypeError, match=re.escape("x must be a real number, got [1.0]")
    ):
        fn(square, [1.0])
    for h in (0.0, -1e-3, np.inf, np.nan):
        with pytest.raises(
            ValueError, match=re.escape(f"h must be positive and finite, got {h}")
        ):
            fn(square, 1.0, h)
    with pytest.raises(TypeError, match=re.escape("h must be a real number, got '1'")):
        fn(square, 1.0, "1")
    with pytest.raises(
        ValueError, match=re.escape("f(x + h) must be a scalar, got shape (2,)")
    ):
        fn(lambda x: [x, x], 1.0)
    with pytest.raises(ValueError, match=re.escape("f(x + h) must be finite, got inf")):
        fn(lambda x: math.inf, 1.0)


def test_numerical_gradient_rejects_bad_input():
    with pytest.raises(TypeError, match=re.escape("f must be callable, got 'f'")):
        gd.numerical_gradient("f", [1.0])
    with pytest.raises(ValueError, match=re.escape("theta must be 1-D, got shape ()")):
        gd.numerical_gradient(f_known, 1.0)
    with pytest.raises(ValueError, match=re.escape("theta must be finite")):
        gd.numerical_gradient(f_known, [1.0, np.nan])
    with pytest.raises(
        ValueError, match=re.escape("h must be positive and finite, got 0.0")
    ):
        gd.numerical_gradient(f_known, [1.0, 2.0], h=0.0)
    with pytest.raises(
        ValueError, match=re.escape("f(theta + h·e_0) must be finite, got nan")
    ):
        gd.numerical_gradient(lambda t: math.nan, [1.0])


def test_numerical_hessian_rejects_bad_input():
    with pytest.raises(TypeError, match=re.escape("grad must be callable, got None")):
        gd.numerical_hessian(None, [1.0])
    with pytest.raises(
        ValueError, match=re.escape("theta must be 1-D, got shape (1, 1)")
    ):
        gd.numerical_hessian(rosenbrock_grad, [[1.0]])
    with pytest.raises(
        ValueError, match=re.escape("h must be positive and finite, got -1.0")
    ):
        gd.numerical_hessian(rosenbrock_grad, [1.0, 2.0], h=-1.0)
    with pytest.raises(
        ValueError,
        match=re.escape("grad(theta + h·e_0) must have shape (2,), got shape (3,)"),
    ):
        gd.numerical_hessian(lambda t: np.zeros(3), [1.0, 2.0])
    with pytest.raises(
        ValueError, match=re.escape("grad(theta + h·e_0) must be finite")
    ):
        gd.numerical_hessian(lambda t: np.array([np.inf]), [1.0])


def test_overflowing_quotients_raise_instead_of_returning_inf_or_nan():
    message = "the difference quotient overflowed float64: got"

    # f jumps from −1.7e308 to 1.7e308: the difference 3.4e308 is past float64.
    def step(x):
        return 1.7e308 if x > 1 else -1.7e308

    for fn in (gd.forward_difference, gd.central_difference):
        with pytest.raises(FloatingPointError, match=re.escape(f"{message} inf")):
            fn(step, 1.0)
    # 2h = 2e308 is inf, and so is the difference: inf/inf would be nan.
    with pytest.raises(FloatingPointError, match=re.escape(f"{message} nan")):
        gd.central_difference(lambda x: x, 1.0, h=1e308)
    with pytest.raises(FloatingPointError, match=re.escape(f"{message} [inf]")):
        gd.numerical_gradient(lambda t: step(t[0]), [1.0])
    # gradient components ±1.7e308: their difference overflows (no RuntimeWarning)
    with pytest.raises(FloatingPointError, match=re.escape(f"{message} [[inf]]")):
        gd.numerical_hessian(lambda t: np.array([step(t[0])]), [1.0])


def test_a_function_that_returns_text_is_a_type_error():
    with pytest.raises(
        TypeError, match=re.escape("f(x + h) must be a number, got 'a'")
    ):
        gd.central_difference(lambda x: "a", 1.0)

"""Tests for gdcore.losses: the house-price numbers by hand, then properties."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import gdcore as gd

EPS = np.finfo(float).eps
TINY = np.finfo(float).tiny

# The house-price example: sizes (sq ft), prices ($1000s), start w = 0.05, b = 100.
X_HOUSE = np.array([500.0, 1000.0, 1500.0, 2000.0, 2500.0])
Y_HOUSE = np.array([150.0, 200.0, 250.0, 300.0, 350.0])
W0, B0 = 0.05, 100.0

MATRIX_LOSSES = [
    # (name, value, gradient, Hessian)
    ("mse", gd.mse, gd.mse_grad, gd.mse_hessian),
    ("half_mse", gd.half_mse, gd.half_mse_grad, gd.half_mse_hessian),
    ("sse", gd.sse, gd.sse_grad, gd.sse_hessian),
]
LINE_LOSSES = [
    (gd.line_mse, gd.line_mse_grad, gd.mse, gd.mse_grad),
    (gd.line_half_mse, gd.line_half_mse_grad, gd.half_mse, gd.half_mse_grad),
    (gd.line_sse, gd.line_sse_grad, gd.sse, gd.sse_grad),
]


# ------------------------------------------------------------ house example
# ŷ = 0.05·x + 100 = 125, 150, 175, 200, 225
# e = ŷ − y        = −25, −50, −75, −100, −125
# Σe²   = 625 + 2500 + 5625 + 10000 + 15625 = 34375
# Σe·x  = −12500 − 50000 − 112500 − 200000 − 312500 = −687500
# Σe    = −375


def test_house_predictions():
    X = gd.design_matrix(X_HOUSE)
    np.testing.assert_array_equal(gd.predict([W0, B0], X), [125, 150, 175, 200, 225])


def test_house_line_mse():
    # MSE = 34375 / 5 = 6875
    assert gd.line_mse(W0, B0, X_HOUSE, Y_HOUSE) == 6875.0
    # ∂L/∂w = (2/5)(−687500) = −275000; ∂L/∂b = (2/5)(−375) = −150
    assert gd.line_mse_grad(W0, B0, X_HOUSE, Y_HOUSE) == (-275000.0, -150.0)


def test_house_line_half_mse_and_sse():
    # half-MSE = 34375 / 10 = 3437.5; gradient (1/5)(−687500, −375)
    assert gd.line_half_mse(W0, B0, X_HOUSE, Y_HOUSE) == 3437.5
    assert gd.line_half_mse_grad(W0, B0, X_HOUSE, Y_HOUSE) == (-137500.0, -75.0)
    # SSE = 34375; gradient 2·(−687500, −375)
    assert gd.line_sse(W0, B0, X_HOUSE, Y_HOUSE) == 34375.0
    assert gd.line_sse_grad(W0, B0, X_HOUSE, Y_HOUSE) == (-1375000.0, -750.0)


def test_house_matrix_form_gives_the_same_numbers():
    X = gd.design_matrix(X_HOUSE)
    theta = np.array([W0, B0])
    assert gd.mse(theta, X, Y_HOUSE) == 6875.0
    np.testing.assert_array_equal(gd.mse_grad(theta, X, Y_HOUSE), [-275000, -150])
    assert gd.half_mse(theta, X, Y_HOUSE) == 3437.5
    np.testing.assert_array_equal(gd.half_mse_grad(theta, X, Y_HOUSE), [-137500, -75])
    assert gd.sse(theta, X, Y_HOUSE) == 34375.0
    np.testing.assert_array_equal(gd.sse_grad(theta, X, Y_HOUSE), [-1375000, -750])


@pytest.mark.parametrize(
    ("lr", "w1", "b1"),
    [
        # w = 0.05 − 1e−5·(−275000) = 0.05 + 2.75 = 2.80; b = 100 + 1e−5·150
        (1e-5, 2.80, 100.0015),
        # w = 0.05 − 1e−7·(−275000) = 0.05 + 0.0275 = 0.0775; b = 100 + 1e−7·150
        (1e-7, 0.0775, 100.000015),
    ],
)
def test_house_one_gradient_step(lr, w1, b1):
    dw, db = gd.line_mse_grad(W0, B0, X_HOUSE, Y_HOUSE)
    np.testing.assert_allclose([W0 - lr * dw, B0 - lr * db], [w1, b1], rtol=1e-12)
    theta = np.array([W0, B0])
    theta1 = theta - lr * gd.mse_grad(theta, gd.design_matrix(X_HOUSE), Y_HOUSE)
    np.testing.assert_allclose(theta1, [w1, b1], rtol=1e-12)


def test_house_hessian():
    # mean(x²) = 13 750 000 / 5 = 2 750 000, mean(x) = 1500
    # H = [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]] = [[5.5e6, 3000], [3000, 2]]
    X = gd.design_matrix(X_HOUSE)
    np.testing.assert_array_equal(gd.mse_hessian(X), [[5.5e6, 3000], [3000, 2]])
    np.testing.assert_array_equal(gd.half_mse_hessian(X), [[2.75e6, 1500], [1500, 1]])
    np.testing.assert_array_equal(gd.sse_hessian(X), [[2.75e7, 15000], [15000, 10]])


def test_zero_loss_on_the_line_through_the_data():
    # price = 0.1·size + 100 fits all five houses exactly.
    assert gd.line_mse(0.1, 100.0, X_HOUSE, Y_HOUSE) == 0.0
    assert gd.line_mse_grad(0.1, 100.0, X_HOUSE, Y_HOUSE) == (0.0, 0.0)


def test_design_matrix():
    np.testing.assert_array_equal(gd.design_matrix([2.0, -3.0]), [[2, 1], [-3, 1]])


def test_loss_registry():
    assert set(gd.LOSSES) == {"mse", "half_mse", "sse"}
    for name, value, grad, hessian in MATRIX_LOSSES:
        assert gd.get_loss(name) == (value, grad, hessian)


@pytest.mark.parametrize("name", ["foo", "MSE", 3])
def test_get_loss_unknown_name(name):
    message = f"loss must be one of 'mse', 'half_mse', 'sse', got {name!r}"
    with pytest.raises(ValueError, match=re.escape(message)):
        gd.get_loss(name)


def test_inputs_are_not_mutated():
    theta, X, y = np.array([W0, B0]), gd.design_matrix(X_HOUSE), Y_HOUSE.copy()
    copies = theta.copy(), X.copy(), y.copy()
    for _, value, grad, hessian in MATRIX_LOSSES:
        value(theta, X, y), grad(theta, X, y), hessian(X), gd.predict(theta, X)
    for original, copy in zip((theta, X, y), copies, strict=True):
        np.testing.assert_array_equal(original, copy)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        # (1e200)² = 1e400 overflows float64 (max ≈ 1.8e308)
        (
            lambda: gd.mse([1e200], [[1e200]], [0.0]),
            "mse overflowed float64 at theta = [1e+200]",
        ),
        (
            lambda: gd.predict([1e200], [[1e200]]),
            "predict overflowed float64 at theta = [1e+200]",
        ),
        (
            lambda: gd.line_sse(1e200, 0.0, [1e200], [0.0]),
            "line_sse overflowed float64 at w = 1e+200",
        ),
        (
            lambda: gd.mse_hessian([[1e200]]),
            "mse_hessian overflowed float64 at max |X| = 1e+200",
        ),
        # e = (1e400, −1e400) = (inf, −inf): ∂/∂b sums them, inf − inf = nan
        (
            lambda: gd.sse_grad([1e200, 0.0], [[1e200, 1.0], [-1e200, 1.0]], [0, 0]),
            "sse_grad overflowed float64 at theta = [1e+200, 0.0]",
        ),
        (
            lambda: gd.line_mse_grad(1e200, 0.0, [1e200, -1e200], [0.0, 0.0]),
            "line_mse_grad overflowed float64 at w = 1e+200, b = 0.0",
        ),
        # Xθ = 1e400 − 1e400: the true ŷ is 0, but float64 cannot compute it
        (
            lambda: gd.half_mse([1e200, -1e200], [[1e200, 1e200]], [0.0]),
            "half_mse overflowed float64 at theta = [1e+200, -1e+200]",
        ),
    ],
)
def test_overflow_raises_instead_of_returning_inf_or_nan(call, name):
    # pytest turns any RuntimeWarning into an error, so none escapes either.
    with pytest.raises(FloatingPointError, match=re.escape(f"{name}")):
        call()


def test_largest_finite_values_still_come_back():
    # (1e154)² = 1e308 < 1.8e308: no overflow, no error.
    assert gd.sse([1e154], [[1.0]], [0.0]) == 1e308
    np.testing.assert_array_equal(gd.sse_grad([1e154], [[1.0]], [0.0]), [2e154])


# --------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("theta", "X", "y", "message"),
    [
        ([1.0], [1.0, 2.0], [1.0, 2.0], "X must be 2-D, got shape (2,)"),
        ([1.0], [[1.0], [np.nan]], [1.0, 2.0], "X must be finite"),
        ([1.0], np.empty((0, 1)), [], "X must not be empty, got shape (0, 1)"),
        ([1.0], [[1.0], [2.0]], [1.0], "y must have length X.shape[0] = 2"),
        ([1.0], [[1.0], [2.0]], [[1.0], [2.0]], "y must be 1-D, got shape (2, 1)"),
        ([1.0], [[1.0], [2.0]], [1.0, np.inf], "y must be finite"),
        ([1.0, 2.0], [[1.0], [2.0]], [1.0, 2.0], "theta must have length X.shape[1]"),
        ([[1.0]], [[1.0], [2.0]], [1.0, 2.0], "theta must be 1-D, got shape (1, 1)"),
        ([np.nan], [[1.0], [2.0]], [1.0, 2.0], "theta must be finite"),
    ],
)
@pytest.mark.parametrize("fn", [f for _, v, g, _ in MATRIX_LOSSES for f in (v, g)])
def test_matrix_form_rejects_bad_input(fn, theta, X, y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        fn(theta, X, y)


def test_shape_messages_give_the_shape():
    with pytest.raises(ValueError, match=re.escape("got shape (1,)")):
        gd.mse([1.0], [[1.0], [2.0]], [1.0])
    with pytest.raises(ValueError, match=re.escape("= 1 (one parameter")):
        gd.predict([1.0, 2.0], [[1.0]])
    with pytest.raises(ValueError, match=re.escape("got shape (2,)")):
        gd.predict([1.0, 2.0], [[1.0]])


@pytest.mark.parametrize("hessian", [h for *_, h in MATRIX_LOSSES])
def test_hessians_reject_bad_x(hessian):
    with pytest.raises(ValueError, match=re.escape("X must be 2-D, got shape (3,)")):
        hessian([1.0, 2.0, 3.0])


def test_design_matrix_rejects_bad_x():
    with pytest.raises(ValueError, match=re.escape("x must be 1-D, got shape (1, 1)")):
        gd.design_matrix([[1.0]])
    with pytest.raises(ValueError, match=re.escape("x must be finite")):
        gd.design_matrix([np.nan])
    # a boolean mask is not a feature (booleans are refused as in check_real)
    with pytest.raises(
        TypeError, match=re.escape("x must be array-like of numbers, got [True, False]")
    ):
        gd.design_matrix([True, False])


def test_boolean_theta_is_a_type_error():
    with pytest.raises(
        TypeError, match=re.escape("theta must be array-like of numbers, got [True]")
    ):
        gd.mse([True], [[1.0]], [1.0])


@pytest.mark.parametrize(
    ("w", "b", "x", "y", "error", "message"),
    [
        (np.nan, 0.0, [1.0], [1.0], ValueError, "w must be finite, got nan"),
        (0.0, np.inf, [1.0], [1.0], ValueError, "b must be finite, got inf"),
        ("1", 0.0, [1.0], [1.0], TypeError, "w must be a real number, got '1'"),
        (0.0, [1.0], [1.0], [1.0], TypeError, "b must be a real number, got [1.0]"),
        (0.0, 0.0, [1.0, 2.0], [1.0], ValueError, "x and y must have the same shape"),
        (0.0, 0.0, [], [], ValueError, "x must not be empty, got shape (0,)"),
        (0.0, 0.0, [[1.0]], [[1.0]], ValueError, "x must be 1-D, got shape (1, 1)"),
        (0.0, 0.0, [1.0], [np.nan], ValueError, "y must be finite"),
    ],
)
@pytest.mark.parametrize("fn", [f for v, g, *_ in LINE_LOSSES for f in (v, g)])
def test_line_form_rejects_bad_input(fn, w, b, x, y, error, message):
    with pytest.raises(error, match=re.escape(message)):
        fn(w, b, x, y)


# --------------------------------------------------------- property tests

finite = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw):
    """A random least-squares problem (θ, X, y) with N ≤ 6 rows, d ≤ 3 columns."""
    n = draw(st.integers(1, 6))
    d = draw(st.integers(1, 3))
    theta = draw(arrays(float, d, elements=finite))
    X = draw(arrays(float, (n, d), elements=finite))
    y = draw(arrays(float, n, elements=finite))
    return theta, X, y


def rounding_scale(fn, theta, X, y, h=0.0):
    """fn with every term made non-negative, so that eᵢ becomes |X|(|θ| + h) + |y|.

    That bounds both |eᵢ| and the size of the numbers summed to make it, so
    ε·rounding_scale bounds (up to a small factor) the rounding error of fn at
    any point within h of θ. The floor covers underflow: below the smallest
    normal float (TINY) precision is absolute, not relative.
    """
    return np.max(np.abs(fn(np.abs(theta) + h, np.abs(X), -np.abs(y)))) + TINY / EPS


@pytest.mark.parametrize(("name", "value", "grad", "hessian"), MATRIX_LOSSES)
@settings(max_examples=50, deadline=None)
@given(problem=problems())
def test_gradient_matches_central_differences(name, value, grad, hessian, problem):
    theta, X, y = problem
    h = 1e-3
    numeric = gd.numerical_gradient(lambda t: value(t, X, y), theta, h=h)
    # The loss is quadratic in θ, so central differences have no truncation
    # error; what is left is rounding in L(θ ± h), divided by 2h.
    atol = 64 * EPS * rounding_scale(value, theta, X, y, h) / h
    np.testing.assert_allclose(numeric, grad(theta, X, y), rtol=1e-9, atol=atol)


@pytest.mark.parametrize(("name", "value", "grad", "hessian"), MATRIX_LOSSES)
@settings(max_examples=50, deadline=None)
@given(problem=problems())
def test_hessian_matches_central_differences_of_gradient(
    name, value, grad, hessian, problem
):
    theta, X, y = problem
    h = 1e-3
    numeric = gd.numerical_hessian(lambda t: grad(t, X, y), theta, h=h)
    # The gradient is linear in θ: again only rounding error remains.
    atol = 64 * EPS * rounding_scale(grad, theta, X, y, h) / h
    np.testing.assert_allclose(numeric, hessian(X), rtol=1e-9, atol=atol)


@settings(max_examples=50, deadline=None)
@given(problem=problems())
def test_losses_are_multiples_of_each_other(problem):
    theta, X, y = problem
    n = len(y)
    # (atol=TINY: below the smallest normal float, precision is absolute.)
    # MSE = SSE/N = 2·half-MSE
    assert gd.mse(theta, X, y) == pytest.approx(
        gd.sse(theta, X, y) / n, rel=1e-14, abs=TINY
    )
    assert gd.mse(theta, X, y) == pytest.approx(
        2 * gd.half_mse(theta, X, y), rel=1e-14, abs=TINY
    )
    # Same factors for the gradients and Hessians, all positive: same argmin.
    g_mse = gd.mse_grad(theta, X, y)
    np.testing.assert_allclose(
        gd.sse_grad(theta, X, y), n * g_mse, rtol=1e-14, atol=TINY
    )
    np.testing.assert_allclose(
        2 * gd.half_mse_grad(theta, X, y), g_mse, rtol=1e-14, atol=TINY
    )
    H_mse = gd.mse_hessian(X)
    np.testing.assert_allclose(gd.sse_hessian(X), n * H_mse, rtol=1e-14, atol=TINY)
    np.testing.assert_allclose(2 * gd.half_mse_hessian(X), H_mse, rtol=1e-14, atol=TINY)


@pytest.mark.parametrize(("line_value", "line_grad", "value", "grad"), LINE_LOSSES)
@settings(max_examples=50, deadline=None)
@given(
    w=finite,
    b=finite,
    xy=st.integers(1, 8).flatmap(
        lambda n: st.tuples(
            arrays(float, n, elements=finite), arrays(float, n, elements=finite)
        )
    ),
)
def test_line_form_matches_matrix_form_and_differences(
    line_value, line_grad, value, grad, w, b, xy
):
    x, y = xy
    theta, X = np.array([w, b]), gd.design_matrix(x)
    tol = 64 * EPS * rounding_scale(value, theta, X, y)
    assert line_value(w, b, x, y) == pytest.approx(
        value(theta, X, y), rel=1e-12, abs=tol
    )
    tol = 64 * EPS * rounding_scale(grad, theta, X, y)
    np.testing.assert_allclose(line_grad(w, b, x, y), grad(theta, X, y), atol=tol)
    h = 1e-3
    numeric = gd.numerical_gradient(lambda t: line_value(t[0], t[1], x, y), theta, h=h)
    atol = 64 * EPS * rounding_scale(value, theta, X, y, h) / h
    np.testing.assert_allclose(numeric, line_grad(w, b, x, y), rtol=1e-9, atol=atol)

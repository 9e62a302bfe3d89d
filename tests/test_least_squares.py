"""Tests for gdcore.least_squares: the house line by hand, then against lstsq."""

import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd

EPS = np.finfo(float).eps

X_HOUSE = np.array([500.0, 1000.0, 1500.0, 2000.0, 2500.0])
Y_HOUSE = np.array([150.0, 200.0, 250.0, 300.0, 350.0])


def test_house_normal_equations():
    # Σx² = 250 000 + 1 000 000 + 2 250 000 + 4 000 000 + 6 250 000 = 13 750 000
    # Σx = 7500, N = 5
    # Σxy = 75 000 + 200 000 + 375 000 + 600 000 + 875 000 = 2 125 000, Σy = 1250
    A, c = gd.normal_equations_line(X_HOUSE, Y_HOUSE)
    np.testing.assert_array_equal(A, [[13_750_000, 7500], [7500, 5]])
    np.testing.assert_array_equal(c, [2_125_000, 1250])


def test_house_fit_line_is_exact():
    # det = 5·13 750 000 − 7500² = 68 750 000 − 56 250 000 = 12 500 000
    # w = (5·2 125 000 − 7500·1250)/det = 1 250 000/12 500 000 = 0.1
    # b = (13 750 000·1250 − 7500·2 125 000)/det = 1 250 000 000/12 500 000 = 100
    # (every intermediate is an integer below 2⁵³, so float64 gets them exactly)
    assert gd.fit_line(X_HOUSE, Y_HOUSE) == (0.1, 100.0)


def test_house_fit_least_squares():
    theta = gd.fit_least_squares(gd.design_matrix(X_HOUSE), Y_HOUSE)
    np.testing.assert_allclose(theta, [0.1, 100.0], rtol=1e-12)


def test_two_points():
    # Through (0, 1) and (2, 5): w = (5 − 1)/2 = 2, b = 1.
    assert gd.fit_line([0.0, 2.0], [1.0, 5.0]) == (2.0, 1.0)


def test_inputs_are_not_mutated():
    x, y = X_HOUSE.copy(), Y_HOUSE.copy()
    X = gd.design_matrix(x)
    X_copy = X.copy()
    gd.fit_line(x, y), gd.normal_equations_line(x, y), gd.fit_least_squares(X, y)
    np.testing.assert_array_equal(x, X_HOUSE)
    np.testing.assert_array_equal(y, Y_HOUSE)
    np.testing.assert_array_equal(X, X_copy)


# --------------------------------------------------------- property tests

seeds = st.integers(0, 2**32 - 1)


def cramer_error_bound(x, y, w, b):
    """64ε times the sizes of the terms that cancel in fit_line's formulas.

    Each of det, w·det and b·det is a difference of products of sums, so its
    rounding error is about ε times the size of those products; dividing by det
    turns that into the error of w and b. Two close x (det small next to N·Σx²)
    lose many digits, and this bound grows with them: no fixed tolerance fits.
    """
    n, ax, ay = len(x), np.abs(x), np.abs(y)
    det = n * np.sum((x - x.mean()) ** 2)
    det_terms = n * np.sum(x**2) + np.sum(ax) ** 2
    w_terms = n * np.sum(ax * ay) + np.sum(ax) * np.sum(ay) + abs(w) * det_terms
    b_terms = np.sum(x**2) * np.sum(ay) + np.sum(ax) * np.sum(ax * ay)
    b_terms += abs(b) * det_terms
    return 64 * EPS * np.array([w_terms, b_terms]) / det


@settings(max_examples=50, deadline=None)
@given(seed=seeds, n=st.integers(2, 40))
def test_fit_line_matches_lstsq(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.uniform(500, 3500, n)
    y = 0.1 * x + 100 + rng.normal(0, 20, n)
    w, b = gd.fit_line(x, y)
    expected, *_ = np.linalg.lstsq(gd.design_matrix(x), y)
    # Cramer's rule on raw sums loses about log10(N·Σx²/det) digits (two x that
    # are close make det small), so the tolerance is the bound for that loss.
    bound = cramer_error_bound(x, y, w, b)
    np.testing.assert_array_less(np.abs([w, b] - expected), bound)
    # The solution satisfies its own normal equations, A·(w, b) = c, up to
    # A times that error plus the rounding of the product itself.
    A, c = gd.normal_equations_line(x, y)
    residual_bound = np.abs(A) @ (bound + 64 * EPS * np.abs([w, b]))
    np.testing.assert_array_less(np.abs(A @ [w, b] - c), residual_bound)


def test_close_x_values_lose_digits_within_the_bound():
    # The draw that broke the old fixed rtol = 1e-9: x = 2427.63 and 2425.76, so
    # det = 2·Σ(x − x̄)² ≈ 3.5 against N·Σx² ≈ 2.4e7 cancels about 7 digits,
    # and A·(w, b) adds terms of ±1.4e8 that cancel to c₀ ≈ 1.6e6.
    rng = np.random.default_rng(332508414)
    x = rng.uniform(500, 3500, 2)
    y = 0.1 * x + 100 + rng.normal(0, 20, 2)
    w, b = gd.fit_line(x, y)
    # two points: the line through them, computed without the raw sums
    w_exact = (y[1] - y[0]) / (x[1] - x[0])
    exact = np.array([w_exact, y[0] - w_exact * x[0]])
    error = np.abs([w, b] - exact)
    assert np.all(error > 1e4 * EPS * np.abs(exact))  # digits really are lost ...
    assert np.all(error < cramer_error_bound(x, y, w, b))  # ... but no more


@settings(max_examples=50, deadline=None)
@given(seed=seeds, d=st.integers(1, 4), extra=st.integers(0, 20))
def test_fit_least_squares_matches_lstsq(seed, d, extra):
    rng = np.random.default_rng(seed)
    n = 2 * d + extra
    X = rng.normal(size=(n, d))
    y = rng.normal(size=n)
    theta = gd.fit_least_squares(X, y)
    expected, *_ = np.linalg.lstsq(X, y)
    # Solving XᵀX θ = Xᵀy squares the condition number κ(X).
    kappa = np.linalg.cond(X)
    atol = 64 * n * kappa**2 * EPS * (1 + np.linalg.norm(expected))
    np.testing.assert_allclose(theta, expected, rtol=0, atol=atol)


@settings(max_examples=50, deadline=None)
@given(seed=seeds, d=st.integers(1, 4), extra=st.integers(0, 20))
def test_gradient_is_zero_at_the_solution(seed, d, extra):
    rng = np.random.default_rng(seed)
    n = d + extra
    X = rng.uniform(-10, 10, size=(n, d))
    y = rng.uniform(-10, 10, size=n)
    theta = gd.fit_least_squares(X, y)
    # A backward-stable solve leaves Xᵀ(Xθ − y) at rounding size, that is
    # ε times |X|ᵀ(|X||θ| + |y|) (no condition number involved).
    scale = np.max(gd.sse_grad(np.abs(theta), np.abs(X), -np.abs(y)))
    atol = 64 * n * EPS * scale
    for grad in (gd.mse_grad, gd.half_mse_grad, gd.sse_grad):
        np.testing.assert_allclose(grad(theta, X, y), 0.0, atol=atol)


@settings(max_examples=50, deadline=None)
@given(seed=seeds, n=st.integers(2, 30))
def test_fit_line_agrees_with_fit_least_squares(seed, n):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n)
    y = rng.normal(0, 1, n)
    X = gd.design_matrix(x)
    expected = gd.fit_least_squares(X, y)
    # Both routes go through the normal equations: errors of order κ(X)²·ε.
    atol = 64 * n * np.linalg.cond(X) ** 2 * EPS * (1 + np.linalg.norm(expected))
    np.testing.assert_allclose(gd.fit_line(x, y), expected, rtol=0, atol=atol)


# --------------------------------------------------------------- validation


@pytest.mark.parametrize("x", [[2.5, 2.5, 2.5], [0.1] * 3, [7.0]])
def test_fit_line_rejects_constant_x(x):
    message = (
        f"x must contain at least two different values to fit a line, "
        f"got all x = {x[0]}"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        gd.fit_line(x, [1.0] * len(x))


def test_fit_line_rejects_x_too_close_to_constant():
    # 1e8 and 1e8 + 1: Σx² ≈ 2e16 loses the units digit, det = 2·Σx² − (Σx)² ≤ 0.
    with pytest.raises(ValueError, match=re.escape("x is too close to constant")):
        gd.fit_line([1e8, 1e8 + 1], [0.0, 1.0])


@pytest.mark.parametrize("fn", [gd.fit_line, gd.normal_equations_line])
@pytest.mark.parametrize(
    ("x", "y", "message"),
    [
        ([1.0, 2.0], [1.0], "x and y must have the same shape, got (2,) and (1,)"),
        ([[1.0, 2.0]], [[1.0, 2.0]], "x must be 1-D, got shape (1, 2)"),
        ([], [], "x must not be empty, got shape (0,)"),
        ([1.0, np.nan], [1.0, 2.0], "x must be finite"),
        ([1.0, 2.0], [np.inf, 2.0], "y must be finite"),
    ],
)
def test_line_functions_reject_bad_input(fn, x, y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        fn(x, y)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        # two equal columns: rank 1 < 2
        ([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]], [1.0, 2.0, 3.0], "rank 1"),
        # second column = 2 × first
        ([[1.0, 2.0], [-1.0, -2.0], [3.0, 6.0]], [1.0, 2.0, 3.0], "shape (3, 2)"),
        # fewer examples than parameters: N = 1 < d = 2
        ([[1.0, 2.0]], [1.0], "X must have linearly independent columns"),
        # design matrix of a constant x
        (gd.design_matrix([4.0, 4.0, 4.0]), [1.0, 2.0, 3.0], "rank 1"),
    ],
)
def test_fit_least_squares_rejects_dependent_columns(X, y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        gd.fit_least_squares(X, y)


@pytest.mark.parametrize(
    ("X", "y", "message"),
    [
        ([1.0, 2.0], [1.0, 2.0], "X must be 2-D, got shape (2,)"),
        ([[1.0], [2.0]], [1.0], "y must have length X.shape[0] = 2"),
        ([[1.0], [2.0]], [1.0, np.nan], "y must be finite"),
        ([[1.0], [np.inf]], [1.0, 2.0], "X must be finite"),
    ],
)
def test_fit_least_squares_rejects_bad_input(X, y, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        gd.fit_least_squares(X, y)


@pytest.mark.parametrize("fn", [gd.fit_line, gd.normal_equations_line])
def test_line_functions_refuse_sums_that_overflow(fn):
    # Σx² = 2·(1e200)² = 2e400 is past float64: an error, not inf or a warning.
    message = "x and y are too large for the sums Σx² and Σxy in float64, got max |x|"
    with pytest.raises(ValueError, match=re.escape(message)):
        fn([1e200, -1e200], [1.0, 2.0])


def test_fit_least_squares_refuses_nearly_dependent_columns():
    # Columns (1, 1, 1) and (1, 1 + e, 1 − e) with e = 1e-12: independent (rank 2),
    # but XᵀX = [[3, 3], [3, 3 + 2e²]] has det 6e², about 6e-24 next to entries
    # of 3: 3 + 2e² rounds to 3 and XᵀX to a singular matrix. The exact answer
    # is θ = (1 − 1e12, 1e12) (it fits y = (1, 2, 0) exactly); solving the
    # rounded XᵀX used to return (−4503, 4504) without a word.
    e = 1e-12
    X = np.array([[1.0, 1.0], [1.0, 1.0 + e], [1.0, 1.0 - e]])
    y = np.array([1.0, 2.0, 0.0])
    assert np.linalg.matrix_rank(X) == 2
    with pytest.raises(ValueError, match="X is too close to having dependent columns"):
        gd.fit_least_squares(X, y)


def test_fit_least_squares_refuses_products_that_overflow():
    # XᵀX = diag(1e320, 1e320): past float64 even though X itself is fine.
    message = "X and y are too large for XᵀX and Xᵀy in float64, got max |X| = 1e+160"
    with pytest.raises(ValueError, match=re.escape(message)):
        gd.fit_least_squares([[1e160, 0.0], [0.0, 1e160]], [1.0, 1.0])

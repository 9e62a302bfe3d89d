"""Notebook 01's checkers: the reference solutions pass, the usual slips are named."""

import numpy as np
import pytest
from exercise_helpers import fails_with, stub

from gdcore.exercises import nb01 as ex
from solutions import nb01 as sol

# --- exercise 1: SSE of a line ---------------------------------------------------


def test_reference_sse_passes():
    fb = ex.check_sse_of_line(sol.sse_of_line)
    assert fb.ok, repr(fb)
    assert "matches gd.line_sse" in fb.message


def test_sse_with_y_minus_y_hat_also_passes():
    # (y − ŷ)² = (ŷ − y)²: the order inside the square does not matter.
    assert ex.check_sse_of_line(lambda w, b, x, y: np.sum((y - (w * x + b)) ** 2))


def test_sse_hand_value_on_first_checked_case():
    # x = (1, 2, 3), y = (1, 3, 2), w = 1, b = 0.5: ŷ = (1.5, 2.5, 3.5),
    # e = (0.5, −0.5, 1.5), SSE = 0.25 + 0.25 + 2.25 = 2.75. A function that
    # returns 2.75 only there passes the first case and fails the second.
    x, y = ex.DATASETS[0]
    w, b = ex.LINES[0]
    assert sol.sse_of_line(w, b, x, y) == pytest.approx(2.75)
    fb = ex.check_sse_of_line(lambda w, b, x, y: 2.75)
    fails_with(fb, "w = 0, b = 0")


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (lambda w, b, x, y: np.mean((w * x + b - y) ** 2), "mean of the squared"),
        (lambda w, b, x, y: np.sum((w * x + b - y) ** 2) / (2 * len(x)), "half-MSE"),
        (lambda w, b, x, y: np.sum((w * x + b - y) ** 2) / 2, "half the SSE"),
        (lambda w, b, x, y: np.sum(w * x + b - y), "without squaring"),
        (lambda w, b, x, y: np.sum(y - (w * x + b)), "without squaring"),
        (lambda w, b, x, y: np.sum(np.abs(w * x + b - y)), "absolute errors"),
        (lambda w, b, x, y: np.sqrt(np.sum((w * x + b - y) ** 2)), "square root"),
        (lambda w, b, x, y: np.sum((w * x[1:] + b - y[1:]) ** 2), "first point"),
        (lambda w, b, x, y: np.sum((w * x[:-1] + b - y[:-1]) ** 2), "last point"),
        (lambda w, b, x, y: np.sum((w * x + b) ** 2 - y**2), "not ŷ² − y²"),
        (lambda w, b, x, y: (w * x + b - y) ** 2, "one per point"),
        # forgot b: first line, e = (1 − 1, 2 − 3, 3 − 2) = (0, −1, 1) → 2, which
        # is none of the named slips, so the checker shows the expected 2.75
        (lambda w, b, x, y: np.sum((w * x - y) ** 2), "the SSE is 2.75, you got 2"),
        (lambda w, b, x, y: "2.75", "not one real number"),
        (lambda w, b, x, y: np.nan, "not one real number"),
        (stub, "not solved yet"),
        (lambda w, b, x, y: None, "returned None"),
        (lambda w, b, x, y: x[10], "IndexError"),
    ],
)
def test_sse_slips_are_named(wrong, phrase):
    fails_with(ex.check_sse_of_line(wrong), phrase)


def test_sse_checker_does_not_let_the_learner_mutate_its_data():
    def mutating(w, b, x, y):
        x *= 0
        return 0.0

    ex.check_sse_of_line(mutating)
    np.testing.assert_array_equal(ex.DATASETS[0][0], [1.0, 2.0, 3.0])


# --- exercise 2: normal equations by hand ------------------------------------------


def test_reference_normal_equations_pass():
    fb = ex.check_normal_equations(sol.solve_normal_equations)
    assert fb.ok, repr(fb)


def test_normal_equations_hand_value():
    # x = (1, 2, 3), y = (1, 3, 2): N = 3, Σx = 6, Σx² = 14, Σy = 6, Σxy = 1 + 6 + 6
    # = 13; det = 3·14 − 36 = 6; w = (3·13 − 6·6)/6 = 0.5; b = (14·6 − 6·13)/6 = 1.
    x, y = ex.DATASETS[0]
    assert sol.solve_normal_equations(x, y) == pytest.approx((0.5, 1.0))


def _cramer(x, y, *, det=None, sxx=None):
    """Cramer's rule with optional wrong pieces, to fake the usual slips."""
    n, sx, sy, sxy = len(x), np.sum(x), np.sum(y), np.sum(x * y)
    sxx = np.sum(x**2) if sxx is None else sxx(x)
    det = n * sxx - sx**2 if det is None else det(x)
    return (n * sxy - sx * sy) / det, (sxx * sy - sx * sxy) / det


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        # (b, w) instead of (w, b)
        (lambda x, y: sol.solve_normal_equations(x, y)[::-1], "wrong order"),
        # Σx² in place of (Σx)² in the determinant: N·Σx² − Σx²
        (
            lambda x, y: _cramer(x, y, det=lambda x: (len(x) - 1) * np.sum(x**2)),
            "sum of the squares",
        ),
        # (Σx)² in place of Σx² everywhere: the first equation breaks
        (
            lambda x, y: np.linalg.solve(
                [[np.sum(x) ** 2, np.sum(x)], [np.sum(x), len(x)]],
                [np.sum(x * y), np.sum(y)],
            ),
            "satisfies the second equation",
        ),
        # N replaced by 1 in the second equation: the first still holds
        (
            lambda x, y: np.linalg.solve(
                [[np.sum(x**2), np.sum(x)], [np.sum(x), 1.0]],
                [np.sum(x * y), np.sum(y)],
            ),
            "satisfies the first equation",
        ),
        (lambda x, y: 0.5, "not two numbers"),
        (lambda x, y: (0.5, 1.0, 2.0), "not two numbers"),
        (lambda x, y: ("a", "b"), "not two real numbers"),
        (stub, "not solved yet"),
    ],
)
def test_normal_equation_slips_are_named(wrong, phrase):
    fails_with(ex.check_normal_equations(wrong), phrase)


def test_right_only_on_the_first_data_set_fails_on_the_second():
    # (0.5, 1) is the answer for the first data set only (hand value above).
    fb = ex.check_normal_equations(lambda x, y: (0.5, 1.0))
    fails_with(fb, "x = [0, 1, 2, 3, 4]")


# --- exercise 3: ∂SSE/∂b at a point --------------------------------------------------


def test_reference_dsse_db_passes():
    # e = (1 − 2, 2 − 3, 4 − 7) = (−1, −1, −3); ∂SSE/∂b = 2·(−5) = −10.
    assert sol.answer == pytest.approx(-10.0)
    fb = ex.check_dsse_db(sol.answer)
    assert fb.ok, repr(fb)
    assert "-10" in fb.message


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (10.0, "sign is flipped"),  # −2·Σe
        (-5.0, "factor 2 is missing"),  # Σe
        (5.0, "missing and the sign"),
        (-10.0 / 3, "∂MSE/∂b"),  # (2/N)·Σe with N = 3
        (-5.0 / 3, "half-MSE"),  # (1/N)·Σe
        (-30.0, "∂SSE/∂w"),  # 2·Σx·e = 2·(−1 − 2 − 12)
        (7.0, "not 7"),
        (None, "not solved yet"),
        ("-10", "one real number"),
        (np.array([-10.0, 0.0]), "one real number"),
        (True, "one real number"),
    ],
)
def test_dsse_db_slips_are_named(answer, phrase):
    fails_with(ex.check_dsse_db(answer), phrase)


def test_dsse_db_accepts_numpy_scalars_and_ints():
    assert ex.check_dsse_db(np.float64(-10.0))
    assert ex.check_dsse_db(-10)


# --- exercise 4: the best intercept for a slope held at w* + 0.5 --------------------


def test_reference_best_intercept_passes():
    # b* = 139.3/105 = 1.326667 and x̄ = 3.5, so b = 1.326667 − 1.75 = −0.423333
    assert sol.best_b == pytest.approx(139.3 / 105 - 1.75)
    fb = ex.check_best_intercept(sol.best_b)
    assert fb.ok, repr(fb)
    assert ex.check_best_intercept(-0.4233)  # three or four decimals are enough


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (139.3 / 105, "does not compensate"),  # kept b*
        (26.5 / 6, "does not compensate"),  # ȳ
        (139.3 / 105 + 1.75, "wrong way"),
        (-1.75, "the change in b, not b itself"),
        (-0.8139, "flattest direction"),  # b* + (−4.2812)·0.5: the λ_min eigenvector
        # the same with the slope as the notebook prints it, −4.28: 1.326667 − 2.14
        (139.3 / 105 - 4.28 * 0.5, "flattest direction"),
        (-0.42, "close, but not right to three decimals"),  # −0.4233 cut to 2 decimals
        (-0.41, "close, but not right to three decimals"),
        (0.0, "not the best intercept"),
        (None, "not solved yet"),
        ("−0.42", "expected one real number"),
    ],
)
def test_best_intercept_slips_are_named(answer, phrase):
    fails_with(ex.check_best_intercept(answer), phrase)

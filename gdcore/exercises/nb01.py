"""Checkers for notebook 01, regression by calculus.

1. :func:`check_sse_of_line`: the learner's ``sse_of_line(w, b, x, y)``, the sum
   of squared errors of the line ŷ = w·x + b, against :func:`gdcore.line_sse`.
2. :func:`check_dsse_db`: one number, ∂SSE/∂b for a tiny data set at one line.
3. :func:`check_normal_equations`: the learner's ``solve_normal_equations(x, y)``,
   the 2×2 normal equations solved by hand, against :func:`gdcore.fit_line`.
4. :func:`check_best_intercept`: one number, a prediction: the best intercept
   for the spring data when the slope is held at w* + 0.5. It tells apart the
   line ∂SSE/∂b = 0 (the right reasoning) from the bowl's flattest direction.

Each checker tries several lines and data sets, and when an answer is wrong it
recognises the usual slips (a mean instead of a sum, a missing square, a missing
factor 2, a sign, Σx² mixed up with (Σx)²) and says which one it looks like.
"""

from __future__ import annotations

import numpy as np

from ..datasets import spring_lengths
from ..least_squares import fit_line
from ..losses import line_sse, line_sse_grad
from ._feedback import Feedback, as_real, call_safely, correct, not_yet, same

# Small data sets the checkers try, one after the other. They differ in N, in the
# sign of x and in how far the points are from a line, so that a formula that is
# right only by accident on one of them is caught on another.
DATASETS: tuple[tuple[np.ndarray, np.ndarray], ...] = (
    (np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0])),
    (np.array([0.0, 1.0, 2.0, 3.0, 4.0]), np.array([1.0, 2.5, 2.0, 4.5, 5.0])),
    (np.array([-2.0, -0.5, 1.0, 1.5]), np.array([3.0, 1.0, 0.5, -1.0])),
    (np.array([10.0, 20.0, 35.0, 50.0]), np.array([12.0, 9.0, 4.0, 1.0])),
)

# Lines (w, b) on which check_sse_of_line evaluates the learner's function.
LINES: tuple[tuple[float, float], ...] = ((1.0, 0.5), (0.0, 0.0), (-2.0, 3.0))

# The data and the line of the ∂SSE/∂b exercise (small enough to do by hand).
DSSE_X = (1.0, 2.0, 4.0)
DSSE_Y = (2.0, 3.0, 7.0)
DSSE_W = 1.0
DSSE_B = 0.0


def _show(a: np.ndarray) -> str:
    return "[" + ", ".join(f"{v:g}" for v in a) + "]"


# --- exercise 1: the SSE of a line ----------------------------------------------


def _sse_slips(w: float, b: float, x: np.ndarray, y: np.ndarray):
    """The values the usual mistakes give for this line: (value, message, hint)."""
    err = w * x + b - y  # e = ŷ − y
    sse = float(np.sum(err**2))
    n = len(x)
    unsquared = (
        "that is the sum of the errors, without squaring them.",
        "square each error before adding: errors above and below the line "
        "would otherwise cancel, and a bad line could score 0.",
    )
    missing_point = (
        "the sum runs over all N points, i = 1 to N "
        "(in Python, every index from 0 to N − 1)."
    )
    return [
        (
            sse / n,
            "that is the mean of the squared errors (the MSE), not their sum.",
            "the SSE adds the N squared errors and does not divide by N: "
            "use np.sum, not np.mean.",
        ),
        (
            sse / (2 * n),
            "that is the half-MSE, Σe²/(2N), not the SSE.",
            "the SSE is the plain sum Σe², with no 1/N and no 1/2 in front.",
        ),
        (
            sse / 2,
            "that is half the SSE.",
            "the SSE is the plain sum Σe², with no 1/2 in front.",
        ),
        (float(np.sum(err)), *unsquared),
        (float(np.sum(-err)), *unsquared),
        (
            float(np.sum(np.abs(err))),
            "that is the sum of the absolute errors, Σ|e|, not of their squares.",
            "square each error, e ** 2, then add them up.",
        ),
        (
            float(np.sqrt(sse)),
            "that is the square root of the SSE.",
            "the SSE is Σe² itself; do not take a square root at the end.",
        ),
        (
            sse - float(err[0] ** 2),
            "the first point is missing from the sum.",
            missing_point,
        ),
        (
            sse - float(err[-1] ** 2),
            "the last point is missing from the sum.",
            missing_point,
        ),
        (
            float(np.sum((w * x + b) ** 2 - y**2)),
            "that is Σ(ŷ² − y²): the square of each error, (ŷ − y)², is not ŷ² − y².",
            "compute the error e = ŷ − y first, then square it.",
        ),
    ]


def check_sse_of_line(sse_of_line) -> Feedback:
    """Check ``sse_of_line(w, b, x, y)`` = Σᵢ (w·xᵢ + b − yᵢ)² on several lines."""
    cases = []  # (w, b, x, y, the learner's value)
    for x, y in DATASETS:
        for w, b in LINES:
            where = f"w = {w:g}, b = {b:g}, x = {_show(x)}, y = {_show(y)}"
            value, fb = call_safely(sse_of_line, w, b, x.copy(), y.copy())
            if fb is not None:
                return fb
            if np.ndim(value) == 1 and np.shape(value) == x.shape:
                return not_yet(
                    f"for {where} you returned {len(x)} numbers, one per point.",
                    "the SSE is one number: add the squared errors up with np.sum.",
                )
            got = as_real(value)
            if got is None:
                return not_yet(
                    f"for {where} you returned {value!r}, not one real number.",
                    "return a single number: the sum of the squared errors.",
                )
            cases.append((w, b, x, y, got))
    wrong = [c for c in cases if not same(c[-1], line_sse(*c[:-1]))]
    if not wrong:
        return correct(
            "your SSE matches gd.line_sse on every line and data set tried. "
            "Writing (y − ŷ)² instead of (ŷ − y)² gives the same SSE: the square "
            "forgets the sign, which matters only for the error e and the gradient."
        )
    w, b, x, y, got = wrong[0]
    where = f"w = {w:g}, b = {b:g}, x = {_show(x)}, y = {_show(y)}"
    # Name a slip only when it explains the answers on every line tried.
    explained = [
        all(same(c[-1], _sse_slips(*c[:-1])[k][0]) for c in cases)
        for k in range(len(_sse_slips(w, b, x, y)))
    ]
    for k, (_, message, hint) in enumerate(_sse_slips(w, b, x, y)):
        if explained[k]:
            return not_yet(f"for {where} you got {got:g}: {message}", hint)
    return not_yet(
        f"for {where} the SSE is {line_sse(w, b, x, y):g}, you got {got:g}.",
        "compute the predictions ŷ = w·x + b, the errors e = ŷ − y, "
        "square each error and add them up.",
    )


# --- exercise 2: the normal equations by hand ------------------------------------


def check_normal_equations(solve_normal_equations) -> Feedback:
    """Check ``solve_normal_equations(x, y) -> (w, b)`` against gd.fit_line."""
    for x, y in DATASETS:
        where = f"x = {_show(x)}, y = {_show(y)}"
        value, fb = call_safely(solve_normal_equations, x.copy(), y.copy())
        if fb is not None:
            return fb
        try:
            w, b = (as_real(v) for v in value)
        except (TypeError, ValueError):
            return not_yet(
                f"for {where} you returned {value!r}, not two numbers.",
                "return the pair (w, b): first the slope, then the intercept.",
            )
        if w is None or b is None:
            return not_yet(
                f"for {where} you returned {value!r}, not two real numbers.",
                "return the pair (w, b) as two plain numbers.",
            )
        w_star, b_star = fit_line(x, y)
        if same(w, w_star) and same(b, b_star):
            continue
        if same(w, b_star) and same(b, w_star):
            return not_yet(
                f"for {where} you returned (w, b) = ({w:g}, {b:g}): "
                "the two numbers are right but in the wrong order.",
                "return the slope first and the intercept second: (w, b).",
            )
        n = len(x)
        sx, sxx = np.sum(x), np.sum(x**2)
        sy, sxy = np.sum(y), np.sum(x * y)
        row_w = sxx * w + sx * b - sxy  # from ∂SSE/∂w = 0
        row_b = sx * w + n * b - sy  # from ∂SSE/∂b = 0
        message = (
            f"for {where} the solution is (w, b) = ({w_star:g}, {b_star:g}), "
            f"you got ({w:g}, {b:g})"
        )
        sums_hint = (
            "the matrix is [[Σx², Σx], [Σx, N]]: the top-left entry is the sum of "
            "the squares, np.sum(x**2), and the determinant N·Σx² − (Σx)² uses the "
            "square of the sum, np.sum(x)**2. Mixing the two is the usual slip."
        )
        if same(row_b, 0.0) and not same(row_w, 0.0):
            return not_yet(
                f"{message}. Your line satisfies the second equation "
                "(Σx·w + N·b = Σy) but not the first (Σx²·w + Σx·b = Σxy).",
                sums_hint,
            )
        if same(row_w, 0.0) and not same(row_b, 0.0):
            return not_yet(
                f"{message}. Your line satisfies the first equation "
                "(Σx²·w + Σx·b = Σxy) but not the second (Σx·w + N·b = Σy).",
                "in the second equation the coefficient of b is N, the number of "
                "points (len(x)), and the right-hand side is Σy.",
            )
        return not_yet(f"{message}.", sums_hint)
    return correct(
        "your (w, b) matches gd.fit_line on every data set tried: "
        "you solved the normal equations exactly, with no iteration at all."
    )


# --- exercise 3: one partial derivative at a point --------------------------------


def check_dsse_db(answer) -> Feedback:
    """Check a number: ∂SSE/∂b at (DSSE_W, DSSE_B) for the data DSSE_X, DSSE_Y."""
    x, y = np.array(DSSE_X), np.array(DSSE_Y)
    expected = line_sse_grad(DSSE_W, DSSE_B, x, y)[1]
    if answer is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace `answer = None` with your number (or the NumPy line "
            "that computes it).",
        )
    got = as_real(answer)
    if got is None:
        return not_yet(
            f"expected one real number, got {answer!r}.",
            "∂SSE/∂b at a point is a single number.",
        )
    if same(got, expected):
        return correct(
            f"∂SSE/∂b = {expected:g}. It is negative, so raising b lowers the SSE: "
            "the line sits below all three points."
        )
    err = DSSE_W * x + DSSE_B - y  # e = ŷ − y
    n = len(x)
    slips = [
        (
            -expected,
            "the sign is flipped.",
            "with e = ŷ − y the derivative is +2·Σe; with y − ŷ inside the square, "
            "the chain rule brings out a −1: −2·Σ(y − ŷ). Both give the same number.",
        ),
        (
            expected / 2,
            "the factor 2 is missing.",
            "the derivative of e² is 2·e times the derivative of e (chain rule).",
        ),
        (
            -expected / 2,
            "the factor 2 is missing and the sign is flipped.",
            "d(e²)/db = 2·e·(de/db) with e = w·x + b − y, so de/db = +1.",
        ),
        (
            expected / n,
            "that is ∂MSE/∂b (divided by N), not ∂SSE/∂b.",
            "the SSE is a plain sum, so its derivative is 2·Σe with no 1/N.",
        ),
        (
            expected / (2 * n),
            "that is the derivative of the half-MSE, not of the SSE.",
            "the SSE is a plain sum, so its derivative is 2·Σe with no 1/N.",
        ),
        (
            float(2 * np.sum(x * err)),
            "that is ∂SSE/∂w, the derivative with respect to the slope.",
            "for b the inner derivative de/db is 1, not x: ∂SSE/∂b = 2·Σe.",
        ),
    ]
    for wrong, message, hint in slips:
        if same(got, wrong):
            return not_yet(f"you got {got:g}: {message}", hint)
    return not_yet(
        f"∂SSE/∂b is not {got:g}.",
        "compute the errors e = w·x + b − y at w = 1, b = 0, then ∂SSE/∂b = 2·Σe.",
    )


# --- exercise 4: the best intercept for a slope you did not choose -------------------

NUDGE = 0.5  # the slope is held at w* + NUDGE
INTERCEPT_ATOL = 5e-4  # a prediction to 3 decimals is enough
# A slip is recognised a little more loosely: the notebook prints the eigenvector's
# slope to two decimals (−4.28), and b* − 4.28·0.5 is 6e-4 away from the exact
# b* + slope·0.5. The slips are at least 0.39 apart, so 3e-3 names one at most.
SLIP_ATOL = 3e-3
CLOSE_ATOL = 0.02  # near the answer but not to three decimals: a rounding matter


def best_intercept() -> tuple[float, dict[str, float]]:
    """The answer, b* − x̄·NUDGE, and the values the usual slips give."""
    x, y = spring_lengths()
    b_star = fit_line(x, y)[1]
    x_bar = float(np.mean(x))
    hessian = 2 * np.array([[np.sum(x**2), np.sum(x)], [np.sum(x), len(x)]])
    vecs = np.linalg.eigh(hessian)[1]
    flat_slope = float(vecs[1, 0] / vecs[0, 0])  # db/dw along the eigenvector of λ_min
    expected = b_star - x_bar * NUDGE
    slips = {
        "b_star": b_star,
        "sign": b_star + x_bar * NUDGE,
        "no_b_star": -x_bar * NUDGE,
        "eigenvector": b_star + flat_slope * NUDGE,
        "y_bar": float(np.mean(y)),
    }
    return float(expected), slips


def check_best_intercept(answer) -> Feedback:
    """Check the prediction: b minimising the spring SSE with w held at w* + 0.5."""
    if answer is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace `None` with your prediction for b.",
        )
    got = as_real(answer)
    if got is None:
        return not_yet(
            f"expected one real number, got {answer!r}.",
            "the best intercept for one given slope is a single number.",
        )
    expected, slips = best_intercept()

    def close(value: float) -> bool:
        return abs(got - value) <= SLIP_ATOL

    if abs(got - expected) <= INTERCEPT_ATOL:
        return correct(
            f"b = b* − x̄·0.5 = {expected:.4f}. With w fixed, only ∂SSE/∂b has to be "
            "zero, and that equation says the line passes through (x̄, ȳ): "
            "b = ȳ − x̄·w. Raising the slope by 0.5 tips the line up about x = 0, so "
            "b must drop by x̄·0.5 to keep it through the point of averages."
        )
    if abs(got - expected) <= CLOSE_ATOL:
        return not_yet(
            f"{got:.4f} is close, but not right to three decimals.",
            "the reasoning is right; the rounding is not. Compute it from the "
            "unrounded values: y_bar - x_bar * (w_star + 0.5).",
        )
    if close(slips["b_star"]) or close(slips["y_bar"]):
        return not_yet(
            f"{got:.4f} does not compensate for the steeper slope.",
            "with w larger by 0.5, every prediction w·xᵢ + b grows by 0.5·xᵢ, so the "
            "errors no longer sum to zero. Which b makes ∂SSE/∂b = 2·Σ(w·xᵢ + b − yᵢ) "
            "zero again? Solve it for b.",
        )
    if close(slips["sign"]):
        return not_yet(
            f"{got:.4f} moves b the wrong way.",
            "a steeper line sits higher over the data (x > 0), so the intercept must "
            "come down, not up: b = ȳ − x̄·w.",
        )
    if close(slips["no_b_star"]):
        return not_yet(
            f"{got:.4f} is the change in b, not b itself.",
            "the change −x̄·0.5 is right; add it to b*.",
        )
    if close(slips["eigenvector"]):
        return not_yet(
            f"{got:.4f} follows the bowl's flattest direction (the eigenvector of "
            f"λ_min), slope {(slips['eigenvector'] - slips['b_star']) / NUDGE:.2f}.",
            "that is where the ellipses are longest, not where b is best for a fixed "
            "w. Holding w fixed means moving straight up or down in the (w, b) plane "
            "until ∂SSE/∂b = 0: use that equation.",
        )
    return not_yet(
        f"{got:.4f} is not the best intercept for w = w* + 0.5.",
        "hold w fixed and set ∂SSE/∂b = 2·Σ(w·xᵢ + b − yᵢ) to zero: it gives "
        "b = ȳ − x̄·w. Put in w = w* + 0.5.",
    )

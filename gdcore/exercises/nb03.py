"""Checkers for notebook 03, the house-price walkthrough.

- :func:`check_one_step`: the learner's ``one_step(w, b, lr)``, one gradient-descent
  update of the line on the five houses, against :func:`gdcore.line_mse_grad`.
- :func:`check_max_stable_lr`: the learner's Hessian ``H`` of the MSE on raw square
  feet and the largest stable learning rate ``lr_max`` = 2/λ_max computed from it.

When an answer is wrong, each checker tries the usual slips (a flipped sign, the
factor 2/N, b updated with the new w, λ_min or the trace instead of λ_max, …) and
names the one that explains the answer on every case tried.
"""

from __future__ import annotations

import numpy as np

from ..datasets import house_prices
from ..losses import design_matrix, line_mse_grad, mse_hessian
from ..stability import eigenvalues, max_stable_lr
from ._feedback import Feedback, as_real, call_safely, correct, not_yet, same

# (w, b, lr) on which one_step is tried: the article's two steps first, then lines
# where every slip below gives a different answer.
STEP_CASES: tuple[tuple[float, float, float], ...] = (
    (0.05, 100.0, 1e-5),
    (0.05, 100.0, 1e-7),
    (0.2, 50.0, 3e-7),
    (0.0, 0.0, 1e-7),
    (0.12, 130.0, 2e-7),
)


def _pair(value: object) -> tuple[float, float] | None:
    """``value`` as two finite floats (w, b), or None."""
    try:
        first, second = value
    except (TypeError, ValueError):
        return None
    first, second = as_real(first), as_real(second)
    if first is None or second is None:
        return None
    return first, second


# --- exercise 1: one update by hand -----------------------------------------------


def _step_slips(w: float, b: float, lr: float):
    """What the usual mistakes give for one case: ((w, b), message, hint)."""
    x, y = house_prices()
    n = len(x)
    dw, db = line_mse_grad(w, b, x, y)
    err = w * x + b - y
    factor_hint = (
        "L = (1/N)Σe², so the chain rule gives ∂L/∂w = (2/N)Σe·x and "
        "∂L/∂b = (2/N)Σe: the 2 comes down from the square, the 1/N stays."
    )
    w_new = w - lr * dw
    _, db_after = line_mse_grad(w_new, b, x, y)
    b_new = b - lr * db
    dw_after, _ = line_mse_grad(w, b_new, x, y)
    return [
        (
            (w + lr * dw, b + lr * db),
            "you moved uphill: the sign of the step is flipped.",
            "the gradient points uphill, so the update subtracts it: "
            "w − η·∂L/∂w. With e = ŷ − y the gradient at the start is negative "
            "and w must grow; check the sign of your errors too.",
        ),
        (
            (w - lr * dw / 2, b - lr * db / 2),
            "your step is half as long as it should be: the factor 2 is missing.",
            factor_hint,
        ),
        (
            (w - lr * dw * n / 2, b - lr * db * n / 2),
            f"your step is {n / 2:g} times too long: that is Σe·x and Σe, "
            "without the factor 2/N.",
            factor_hint,
        ),
        (
            (w - lr * dw * n, b - lr * db * n),
            f"your step is {n} times too long: that is the gradient of the SSE "
            "(2Σe·x, 2Σe), not of the MSE.",
            "the loss here is the mean of the squared errors, so divide the sums "
            "by N = 5: ∂L/∂w = (2/N)Σe·x.",
        ),
        (
            (w_new, b - lr * db_after),
            "w is right, but b was updated with the new w.",
            "compute both partial derivatives at the old (w, b) first, then "
            "update both: the step is simultaneous, θ ← θ − η·∇L(θ).",
        ),
        (
            (w - lr * dw_after, b_new),
            "b is right, but w was updated with the new b.",
            "compute both partial derivatives at the old (w, b) first, then "
            "update both: the step is simultaneous, θ ← θ − η·∇L(θ).",
        ),
        (
            (b_new, w_new),
            "the two numbers are right but in the wrong order.",
            "return the pair (w, b): first the slope, then the intercept.",
        ),
        (
            (w - lr * 2 / n * float(np.sum(err)), b_new),
            "b is right, but ∂L/∂w is missing the factor x.",
            "the error e = w·x + b − y changes by x when w changes by 1, so "
            "∂L/∂w = (2/N)Σe·x: multiply each error by its house's size.",
        ),
        (
            (w_new, b),
            "w is right, but b did not move.",
            "update the intercept too: b ← b − η·∂L/∂b with ∂L/∂b = (2/N)Σe.",
        ),
        (
            (w, b_new),
            "b is right, but w did not move.",
            "update the slope too: w ← w − η·∂L/∂w with ∂L/∂w = (2/N)Σe·x.",
        ),
    ]


def check_one_step(one_step) -> Feedback:
    """Check ``one_step(w, b, lr) -> (w_new, b_new)`` on the five houses."""
    x, y = house_prices()
    cases = []  # (w, b, lr, (w_new, b_new) of the learner)
    for w, b, lr in STEP_CASES:
        where = f"w = {w:g}, b = {b:g}, lr = {lr:g}"
        value, fb = call_safely(one_step, w, b, lr)
        if fb is not None:
            return fb
        got = _pair(value)
        if got is None:
            return not_yet(
                f"for {where} you returned {value!r}, not two real numbers.",
                "return the pair (w, b) after the update, as two plain numbers.",
            )
        cases.append((w, b, lr, got))

    def expected(w, b, lr):
        dw, db = line_mse_grad(w, b, x, y)
        return w - lr * dw, b - lr * db

    def matches(got, want):
        return same(got[0], want[0]) and same(got[1], want[1])

    wrong = [c for c in cases if not matches(c[3], expected(*c[:3]))]
    if not wrong:
        return correct(
            "your update matches gdcore on every line and learning rate tried, "
            "including the article's two steps (w = 2.8, b = 100.0015 at lr = 1e-5; "
            "w = 0.0775, b = 100.000015 at lr = 1e-7)."
        )
    w, b, lr, got = wrong[0]
    slips = [_step_slips(*c[:3]) for c in cases]
    for k, (_, message, hint) in enumerate(slips[0]):
        if all(matches(c[3], s[k][0]) for c, s in zip(cases, slips, strict=True)):
            return not_yet(f"for w = {w:g}, b = {b:g}, lr = {lr:g}: {message}", hint)
    want = expected(w, b, lr)
    return not_yet(
        f"for w = {w:g}, b = {b:g}, lr = {lr:g} the update gives "
        f"(w, b) = ({want[0]:.10g}, {want[1]:.10g}), you got "
        f"({got[0]:.10g}, {got[1]:.10g}).",
        "predictions ŷ = w·x + b, errors e = ŷ − y, then ∂L/∂w = (2/N)Σe·x and "
        "∂L/∂b = (2/N)Σe, and finally w − lr·∂L/∂w, b − lr·∂L/∂b.",
    )


# --- exercise 2: the largest stable learning rate ----------------------------------


def house_hessian() -> np.ndarray:
    """H of the MSE on raw square feet: [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]."""
    x, _ = house_prices()
    return mse_hessian(design_matrix(x))


def _hessian_slips(H: np.ndarray):
    x, _ = house_prices()
    n = len(x)
    z = (x - x.mean()) / x.std()
    sums_hint = (
        "for L = (1/N)Σ(w·x + b − y)², ∂²L/∂w² = (2/N)Σx² = 2·mean(x²), "
        "∂²L/∂w∂b = 2·mean(x) and ∂²L/∂b² = 2."
    )
    return [
        (H / 2, "that is half the Hessian: the factor 2 is missing.", sums_hint),
        (
            H * n,
            f"that is {n} times too big: the Hessian of the SSE, not of the MSE.",
            "the loss is the mean, so the sums are divided by N: " + sums_hint,
        ),
        (
            H * n / 2,
            "that is the matrix of plain sums [[Σx², Σx], [Σx, N]] (XᵀX), "
            "without the factor 2/N.",
            "the Hessian of the MSE is (2/N)XᵀX. " + sums_hint,
        ),
        (
            mse_hessian(design_matrix(z)),
            "that is the Hessian of the standardised problem, [[2, 0], [0, 2]].",
            "this exercise is about raw square feet: use x itself, not z.",
        ),
        (
            H[::-1, ::-1],
            "that is H for θ = (b, w); the course orders the parameters θ = (w, b).",
            "put w first: H[0, 0] = ∂²L/∂w² = 2·mean(x²), H[1, 1] = ∂²L/∂b² = 2.",
        ),
        (
            np.diag(np.diag(H)),
            "the diagonal is right, but the off-diagonal entries are missing.",
            "∂²L/∂w∂b = (2/N)Σx = 2·mean(x) is not zero: w and b interact.",
        ),
    ]


def _lr_slips(lams: np.ndarray, H: np.ndarray):
    lam_min, lam_max = lams[0], lams[-1]
    return [
        (
            1 / lam_max,
            "that is 1/λ_max: the factor 2 is missing.",
            "each step multiplies the error along the steepest direction by "
            "1 − η·λ_max; that stays above −1 while η < 2/λ_max.",
        ),
        (
            2 / lam_min,
            "that is 2/λ_min, the bound of the flattest direction.",
            "the steepest direction (the largest eigenvalue) breaks first: "
            "the bound is 2/λ_max.",
        ),
        (
            2 / np.trace(H),
            "that is 2/trace(H) = 2/(λ_min + λ_max), very close but not the same "
            "number (it is the learning rate with the best worst-case factor).",
            "the trace is λ_min + λ_max; here λ_min is tiny, so it nearly equals "
            "λ_max. Take the largest eigenvalue itself, np.linalg.eigvalsh(H)[-1].",
        ),
        (
            2 / H[0, 0],
            "that is 2/H[0, 0], from the diagonal entry alone.",
            "λ_max is an eigenvalue of the whole matrix; the off-diagonal entries "
            "change it a little. Use np.linalg.eigvalsh(H)[-1].",
        ),
        (
            lam_max,
            "that is λ_max itself.",
            "the largest stable learning rate is 2 divided by λ_max.",
        ),
        (
            1.0,
            "1 is the bound for the standardised feature, where H = [[2, 0], [0, 2]].",
            "on raw square feet H is far steeper: compute 2/λ_max of that H.",
        ),
    ]


def check_max_stable_lr(H, lr_max) -> Feedback:
    """Check the learner's Hessian ``H`` and their ``lr_max`` = 2/λ_max."""
    if H is None and lr_max is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace the two `None`s: first the 2×2 Hessian, then 2/λ_max.",
        )
    expected_H = house_hessian()
    if H is None:
        return not_yet(
            "H is still None.",
            "set H to the 2×2 Hessian of the MSE: it is where 2/λ_max comes from.",
        )
    try:
        H = np.asarray(H, dtype=float)
    except (TypeError, ValueError):
        return not_yet(f"H should be a 2×2 array of numbers, got {H!r}.")
    if H.shape != (2, 2) or not np.all(np.isfinite(H)):
        return not_yet(
            f"H should be a 2×2 array of finite numbers, got shape {H.shape}.",
            "one row and one column per parameter: [[∂²L/∂w², ∂²L/∂w∂b], "
            "[∂²L/∂b∂w, ∂²L/∂b²]].",
        )
    if not np.allclose(H, expected_H, rtol=1e-9, atol=0):
        for slip, message, hint in _hessian_slips(expected_H):
            if np.allclose(H, slip, rtol=1e-9, atol=0):
                return not_yet(f"H = {H.tolist()}: {message}", hint)
        return not_yet(
            f"H should be {expected_H.tolist()}, you have {H.tolist()}.",
            "H = [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]] for L = (1/N)Σe².",
        )
    expected = max_stable_lr(expected_H)
    if lr_max is None:
        return not_yet(
            "H is right; lr_max is still None.",
            "take the largest eigenvalue of H (np.linalg.eigvalsh) and compute "
            "2/λ_max.",
        )
    got = as_real(lr_max)
    if got is None:
        return not_yet(f"lr_max should be one real number, got {lr_max!r}.")
    if same(got, expected, atol=0.0):
        return correct(
            f"H is right, and 2/λ_max = {expected:.4g}. Every constant learning "
            "rate above it diverges on raw square feet, the article's 1e-5 included."
        )
    for slip, message, hint in _lr_slips(eigenvalues(expected_H), expected_H):
        if same(got, slip, atol=0.0):
            return not_yet(f"H is right, but lr_max = {got:.10g}: {message}", hint)
    return not_yet(
        f"H is right, but lr_max = {got:.10g} is not 2/λ_max.",
        "λ_max is the largest eigenvalue of H: np.linalg.eigvalsh(H)[-1].",
    )

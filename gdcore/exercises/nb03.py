"""Checkers for notebook 03, the house-price walkthrough.

- :func:`check_one_step`: the learner's ``one_step(w, b, lr)``, one gradient-descent
  update of the line on the five houses, against :func:`gdcore.line_mse_grad`.
- :func:`check_max_stable_lr`: the learner's Hessian ``H`` of the MSE on raw square
  feet and the largest stable learning rate ``lr_max`` = 2/λ_max computed from it.
- :func:`check_gradient_descent`: the learner's whole loop,
  ``gradient_descent(x, y, lr, theta0, tol, max_steps) -> (theta, losses)``, and
  the learning rate ``lr_spring`` they chose for notebook 01's spring data from
  2/λ_max. The loop must record the loss at every step and stop once the
  gradient's length is below ``tol`` (or after ``max_steps`` steps).

When an answer is wrong, each checker tries the usual slips (a flipped sign, the
factor 2/N, b updated with the new w, λ_min or the trace instead of λ_max, …) and
names the one that explains the answer on every case tried.
"""

from __future__ import annotations

import numpy as np

from ..datasets import house_prices, spring_lengths, standardize
from ..least_squares import fit_line
from ..losses import design_matrix, line_mse, line_mse_grad, line_sse, mse_hessian
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
    if abs(got / expected - 1) < 5e-3:  # right to about three digits
        return not_yet(
            f"H is right, and lr_max = {got:.10g} is 2/λ_max = {expected:.10g} "
            "rounded: close, but the checker wants the computed value.",
            "2/trace(H) and 2/H[0, 0] agree with 2/λ_max to six digits, so a "
            "typed-in number cannot tell them apart. Compute it in code: "
            "2 / np.linalg.eigvalsh(H_yours)[-1].",
        )
    return not_yet(
        f"H is right, but lr_max = {got:.10g} is not 2/λ_max.",
        "λ_max is the largest eigenvalue of H: np.linalg.eigvalsh(H)[-1].",
    )


# --- exercise 3: the whole loop, on the spring data ---------------------------------

LOOP_THETA0 = (0.0, 0.0)
LOOP_TOL = 1e-8
LOOP_MAX_STEPS = 100_000
LOOP_THETA_ATOL = 1e-6  # |∇L| < 1e-8 puts θ within about 1e-8/λ_min ≈ 3e-8 of θ*
SLOW_FRACTION = 0.1  # rates below this fraction of 2/λ_max are called too slow


def reference_descent(x, y, lr, theta0, tol, max_steps):
    """The loop the exercise asks for: (θ, losses), losses[k] = L(θ_k)."""
    theta = np.array(theta0, dtype=float)
    losses = [line_mse(theta[0], theta[1], x, y)]
    for _ in range(max_steps):
        g = np.array(line_mse_grad(theta[0], theta[1], x, y))
        if np.linalg.norm(g) < tol:
            break
        theta = theta - lr * g
        losses.append(line_mse(theta[0], theta[1], x, y))
    return theta, losses


def spring_bound() -> float:
    """2/λ_max of the MSE's Hessian on the spring data."""
    x, _ = spring_lengths()
    return float(max_stable_lr(mse_hessian(design_matrix(x))))


def _check_lr_spring(lr_spring) -> Feedback | None:
    lr = as_real(lr_spring)
    if lr is None:
        return not_yet(
            f"`lr_spring` should be one number, got {lr_spring!r}.",
            "compute H for the spring data, its largest eigenvalue, and choose η "
            "below 2/λ_max.",
        )
    bound = spring_bound()
    x, _ = spring_lengths()
    lam_max = 2 / bound
    if lr <= 0:
        return not_yet(
            f"η = {lr:g} does not move downhill.",
            "a learning rate is positive: the step −η·g must go against the gradient.",
        )
    if lr >= bound:
        return not_yet(
            f"η = {lr:g} is not below 2/λ_max = {bound:.4g}: along the steepest "
            f"direction each step multiplies the error by |1 − η·λ_max| = "
            f"{abs(1 - lr * lam_max):.3g}, so the run cannot converge.",
            "λ_max is the largest eigenvalue of H = [[2·mean(x²), 2·mean(x)], "
            "[2·mean(x), 2]] for the spring loads; stay below 2/λ_max.",
        )
    if same(lr, bound / len(x), rtol=0.01):
        return not_yet(
            f"η = {lr:g} is 2/λ_max of the SSE's Hessian; the loop minimises the "
            "MSE, whose Hessian is N times smaller, so its bound is N times larger.",
            "build H from the MSE: [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]].",
        )
    if lr < SLOW_FRACTION * bound:
        return not_yet(
            f"η = {lr:g} is {lr / bound:.2g} of 2/λ_max = {bound:.4g}: stable, but "
            "far below the bound, so every step is short.",
            "choose η from the bound itself, for example 1/λ_max, or a value a "
            "little below 2/λ_max.",
        )
    return None


def _run(fn, x, y, lr, theta0, tol, max_steps, where):
    with np.errstate(all="ignore"):  # a run that blows up is diagnosed below
        value, fb = call_safely(fn, x, y, lr, theta0, tol, max_steps)
    if fb is not None:
        return None, None, fb
    try:
        theta, losses = value
    except (TypeError, ValueError):
        return (
            None,
            None,
            not_yet(
                f"{where}: expected (theta, losses), got {value!r:.60}.",
                "return two things: the final [w, b] and the list of losses.",
            ),
        )
    try:  # inf and NaN are let through: a run that blew up is diagnosed later
        pair = np.asarray(theta, dtype=float).reshape(2)
        history = np.asarray(losses, dtype=float).reshape(-1)
    except (TypeError, ValueError):
        pair = history = None
    if pair is None or history is None or history.size == 0:
        return (
            None,
            None,
            not_yet(
                f"{where}: theta should be two numbers [w, b] and losses a list of "
                "numbers.",
                "append the loss to a list at every step, starting with the loss at "
                "theta0.",
            ),
        )
    return np.array(pair), history, None


def check_gradient_descent(gradient_descent, lr_spring) -> Feedback:
    """Check the learner's loop and chosen learning rate on the spring data."""
    if lr_spring is None:
        return not_yet(
            "the exercise is not solved yet.",
            "choose `lr_spring` from 2/λ_max of the spring data's Hessian, and "
            "write the loop.",
        )
    fb = _check_lr_spring(lr_spring)
    if fb is not None:
        return fb
    lr = float(lr_spring)
    x, y = spring_lengths()
    theta_star = np.array(fit_line(x, y))
    where = f"on the spring data with η = {lr:g}"
    theta, losses, fb = _run(
        gradient_descent, x, y, lr, LOOP_THETA0, LOOP_TOL, LOOP_MAX_STEPS, where
    )
    if fb is not None:
        return fb
    _, ref_losses = reference_descent(x, y, lr, LOOP_THETA0, LOOP_TOL, LOOP_MAX_STEPS)
    start_mse = line_mse(*LOOP_THETA0, x, y)
    if same(losses[0], line_sse(*LOOP_THETA0, x, y)) and not same(losses[0], start_mse):
        return not_yet(
            f"the first loss is {losses[0]:.4g}, the SSE at the start; the loop "
            f"minimises the MSE, {start_mse:.4g} there.",
            "L(w, b) = mean((w·x + b − y)²), and its gradient has the factor 2/N.",
        )
    if not same(losses[0], start_mse, rtol=1e-6):
        return not_yet(
            f"the first loss should be the loss at theta0, {start_mse:.4g}; "
            f"yours is {losses[0]:.4g}.",
            "record L(θ₀) before the first step, then one loss after every step.",
        )
    steps = len(losses) - 1
    with np.errstate(invalid="ignore"):  # inf − inf in a run that blew up
        rises = np.flatnonzero(~(np.diff(losses) <= 1e-12 * losses[0]))
    if rises.size:
        k = int(rises[0])
        return not_yet(
            f"the loss went up at step {k + 1}, from {losses[k]:.6g} to "
            f"{losses[k + 1]:.6g}. Below 2/λ_max it falls at every step.",
            "compute both partial derivatives at the old (w, b), then update both; "
            "check the factor 2/N and the signs.",
        )
    if not np.allclose(theta, theta_star, rtol=0, atol=LOOP_THETA_ATOL):
        if steps >= LOOP_MAX_STEPS:
            return not_yet(
                f"the run used all {LOOP_MAX_STEPS:,} steps and ended at "
                f"({theta[0]:.6g}, {theta[1]:.6g}), not at the minimum.",
                "is each step θ − η·∇L, with the gradient of the MSE?",
            )
        return not_yet(
            f"the run stopped after {steps:,} steps at ({theta[0]:.6g}, "
            f"{theta[1]:.6g}); the minimum is ({theta_star[0]:.6g}, "
            f"{theta_star[1]:.6g}).",
            "stop only when the length of the gradient, np.linalg.norm(g), is "
            "below tol: not the loss, not the size of the last step.",
        )
    ref_steps = len(ref_losses) - 1
    if abs(steps - ref_steps) > 1:
        return not_yet(
            f"the run took {steps:,} steps; stopping at the first θ whose gradient "
            f"is shorter than tol takes {ref_steps:,}.",
            "test ‖∇L(θ)‖ < tol before each step, with the gradient at the current θ.",
        )
    # Another data set and start, so that nothing spring-specific passes by accident.
    z = standardize(house_prices()[0])[0]
    y_house = house_prices()[1]
    other = (0.05, 100.0)
    where = "on the standardised house sizes with η = 0.3"
    theta_h, _, fb = _run(gradient_descent, z, y_house, 0.3, other, 1e-6, 500, where)
    if fb is not None:
        return fb
    if not np.allclose(theta_h, fit_line(z, y_house), rtol=0, atol=1e-5):
        return not_yet(
            f"{where} the run ended at ({theta_h[0]:.6g}, {theta_h[1]:.6g}), "
            "not at the minimum.",
            "use the arguments x, y, lr and theta0 you are given, not the spring "
            "data or a fixed start.",
        )
    # A tol that takes hundreds of steps to meet, but not 0: a loop that ignores
    # max_steps still ends, and is told so.
    where = "on the spring data with tol = 1e-10 and max_steps = 5"
    _, losses_cut, fb = _run(gradient_descent, x, y, lr, LOOP_THETA0, 1e-10, 5, where)
    if fb is not None:
        return fb
    if len(losses_cut) > 6:
        return not_yet(
            f"with max_steps = 5 the run took {len(losses_cut) - 1} steps.",
            "stop after max_steps steps even if the gradient is not small yet.",
        )
    lam_min, lam_max = eigenvalues(mse_hessian(design_matrix(x)))
    slow = max(abs(1 - lr * lam_min), abs(1 - lr * lam_max))
    return correct(
        f"with η = {lr:.4g} ({lr / spring_bound():.0%} of 2/λ_max) the loop "
        f"stops after {steps:,} steps at w = {theta[0]:.4f}, b = {theta[1]:.4f}. "
        f"As for your predictions: the slow direction is the eigenvector of λ_min = "
        f"{lam_min:.3g}, the long axis of notebook 01's ellipses, and it shrinks by "
        f"{slow:.4f} per step: that factor, not the distance to travel, sets how many "
        "steps it takes. And the loss fell at every step, as it must below 2/λ_max: "
        "the error along each eigenvector shrinks by |1 − ηλ| < 1 at every step."
    )

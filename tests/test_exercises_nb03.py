"""Notebook 03's checkers: the reference solutions pass, the usual slips are named."""

import numpy as np
import pytest
from exercise_helpers import fails_with, stub

import gdcore as gd
from gdcore.exercises import nb03 as ex
from solutions import nb03 as sol

X, Y = gd.house_prices()


# --- exercise 1: one update by hand ------------------------------------------------


def test_reference_one_step_passes():
    fb = ex.check_one_step(sol.one_step)
    assert fb.ok, repr(fb)
    assert "w = 2.8, b = 100.0015" in fb.message


def test_reference_one_step_gives_the_articles_numbers():
    # e = −25, −50, −75, −100, −125; ∂L/∂w = (2/5)·(−687,500) = −275,000,
    # ∂L/∂b = (2/5)·(−375) = −150; w = 0.05 + 1e−5·275,000 = 2.8,
    # b = 100 + 1e−5·150 = 100.0015; with 1e−7: 0.0775 and 100.000015.
    np.testing.assert_allclose(sol.one_step(0.05, 100.0, 1e-5), (2.8, 100.0015))
    np.testing.assert_allclose(sol.one_step(0.05, 100.0, 1e-7), (0.0775, 100.000015))


def _grad(w, b, factor=2 / 5, x_in_dw=True):
    err = w * X + b - Y
    return factor * np.sum(err * X if x_in_dw else err), factor * np.sum(err)


def _step(w, b, lr, **kwargs):
    dw, db = _grad(w, b, **kwargs)
    return w - lr * dw, b - lr * db


def _sequential(w, b, lr):
    w = w - lr * _grad(w, b)[0]
    b = b - lr * _grad(w, b)[1]  # uses the new w
    return w, b


def _sequential_b_first(w, b, lr):
    b = b - lr * _grad(w, b)[1]
    w = w - lr * _grad(w, b)[0]  # uses the new b
    return w, b


def _uphill(w, b, lr):
    dw, db = _grad(w, b)
    return w + lr * dw, b + lr * db


def _errors_reversed(w, b, lr):
    # e = y − ŷ with the chain rule's −1 forgotten: the same as going uphill
    err = Y - (w * X + b)
    return w - lr * 2 / 5 * np.sum(err * X), b - lr * 2 / 5 * np.sum(err)


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (_uphill, "moved uphill"),
        (_errors_reversed, "moved uphill"),
        (lambda w, b, lr: _step(w, b, lr, factor=1 / 5), "factor 2 is missing"),
        (lambda w, b, lr: _step(w, b, lr, factor=1.0), "without the factor 2/N"),
        (lambda w, b, lr: _step(w, b, lr, factor=2.0), "gradient of the SSE"),
        (_sequential, "b was updated with the new w"),
        (_sequential_b_first, "w was updated with the new b"),
        (lambda w, b, lr: _step(w, b, lr)[::-1], "wrong order"),
        (lambda w, b, lr: _step(w, b, lr, x_in_dw=False), "missing the factor x"),
        (lambda w, b, lr: (_step(w, b, lr)[0], b), "b did not move"),
        (lambda w, b, lr: (w, _step(w, b, lr)[1]), "w did not move"),
        # right only for the article's first step: caught on the second case
        (lambda w, b, lr: (2.8, 100.0015), "lr = 1e-07 the update gives"),
        (lambda w, b, lr: 2.8, "not two real numbers"),
        (lambda w, b, lr: (2.8, "100"), "not two real numbers"),
        (lambda w, b, lr: (np.nan, 1.0), "not two real numbers"),
        (stub, "not solved yet"),
        (lambda w, b, lr: None, "returned None"),
        (lambda w, b, lr: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_one_step_slips_are_named(wrong, phrase):
    fails_with(ex.check_one_step(wrong), phrase)


def test_one_step_accepts_numpy_arrays_and_lists():
    assert ex.check_one_step(lambda w, b, lr: np.array(sol.one_step(w, b, lr)))
    assert ex.check_one_step(lambda w, b, lr: list(sol.one_step(w, b, lr)))


# --- exercise 2: the largest stable learning rate ----------------------------------


def test_reference_hessian_and_bound_pass():
    # H = [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]], mean(x²) = 13.75e6/5 = 2.75e6
    np.testing.assert_allclose(sol.H, [[5.5e6, 3000.0], [3000.0, 2.0]])
    # λ_max = (tr + √(tr² − 4 det))/2, tr = 5,500,002, det = 11e6 − 9e6 = 2e6
    lam_max = (5_500_002 + np.sqrt(5_500_002**2 - 8e6)) / 2
    assert sol.lr_max == pytest.approx(2 / lam_max, rel=1e-12)
    fb = ex.check_max_stable_lr(sol.H, sol.lr_max)
    assert fb.ok, repr(fb)
    assert "3.636e-07" in fb.message


LAMS = np.linalg.eigvalsh(np.array([[5.5e6, 3000.0], [3000.0, 2.0]]))
H_RIGHT = np.array([[5.5e6, 3000.0], [3000.0, 2.0]])


@pytest.mark.parametrize(
    ("lr_max", "phrase"),
    [
        (1 / LAMS[-1], "the factor 2 is missing"),
        (2 / LAMS[0], "2/λ_min"),
        (2 / 5_500_002, "2/trace(H)"),  # 6.6e-8 relative from the answer
        (2 / 5.5e6, "2/H[0, 0]"),
        (2 / (LAMS[0] + LAMS[-1]), "best worst-case"),  # the same as 2/trace
        (LAMS[-1], "λ_max itself"),
        (1.0, "bound for the standardised feature"),
        (3.6e-7, "is not 2/λ_max"),
        (2 / LAMS[-1] * (1 + 1e-8), "rounded: close"),  # outside the 1e-9 tolerance
        (3.64e-7, "rounded: close"),  # 2/λ_max = 3.63636e-7 typed to 3 digits
        (None, "lr_max is still None"),
        ("3.6e-7", "one real number"),
    ],
)
def test_bound_slips_are_named(lr_max, phrase):
    fails_with(ex.check_max_stable_lr(H_RIGHT, lr_max), phrase)


def test_bound_tolerates_rounding():
    assert ex.check_max_stable_lr(H_RIGHT, 2 / LAMS[-1] * (1 + 1e-10))
    assert ex.check_max_stable_lr(H_RIGHT.tolist(), gd.max_stable_lr(H_RIGHT))


@pytest.mark.parametrize(
    ("H", "phrase"),
    [
        (H_RIGHT / 2, "factor 2 is missing"),
        (H_RIGHT * 5, "Hessian of the SSE"),
        (H_RIGHT * 5 / 2, "without the factor 2/N"),
        ([[2.0, 0.0], [0.0, 2.0]], "standardised problem"),
        (H_RIGHT[::-1, ::-1], "θ = (b, w)"),
        ([[5.5e6, 0.0], [0.0, 2.0]], "off-diagonal entries are missing"),
        ([[5.5e6, 1500.0], [1500.0, 2.0]], "H should be [[5500000.0, 3000.0]"),
        ([1.0, 2.0], "2×2 array"),
        ([["a", "b"], ["c", "d"]], "2×2 array of numbers"),
    ],
)
def test_hessian_slips_are_named(H, phrase):
    fails_with(ex.check_max_stable_lr(H, sol.lr_max), phrase)


def test_unsolved_states():
    fails_with(ex.check_max_stable_lr(None, None), "not solved yet")
    fails_with(ex.check_max_stable_lr(None, 3.6e-7), "H is still None")


# --- exercise 3: the whole loop, on the spring data --------------------------------


def test_reference_loop_passes_and_fits_the_spring_line():
    fb = ex.check_gradient_descent(sol.gradient_descent, sol.lr_spring)
    assert fb.ok, repr(fb)
    assert "w = 0.8829, b = 1.3267" in fb.message
    assert "the slow direction is the eigenvector of λ_min" in fb.message
    assert "the loss fell at every step" in fb.message
    assert sol.lr_spring == pytest.approx(1 / 31.968, rel=1e-4)  # λ_max ≈ 31.968


def test_reference_loop_follows_the_package():
    x, y = gd.spring_lengths()
    theta, losses = sol.gradient_descent(x, y, 0.05, (0.0, 0.0), 1e-8, 100_000)
    ref_theta, ref_losses = ex.reference_descent(x, y, 0.05, (0.0, 0.0), 1e-8, 100_000)
    np.testing.assert_allclose(theta, ref_theta, rtol=1e-12)
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-9)
    # (0, 0): errors are −y, MSE = mean(y²)
    # = (5.76 + 6.76 + 19.36 + 21.16 + 36 + 42.25)/6
    assert losses[0] == pytest.approx(131.29 / 6)


def _loop(step_factor=1.0, stop="grad", record_start=True, sse=False, grad_sign=1.0):
    """A learner's loop with one deliberate slip."""

    def gradient_descent(x, y, lr, theta0, tol, max_steps):
        n = len(x)
        w, b = theta0
        scale = n if sse else 1

        def loss(w, b):
            return np.sum((w * x + b - y) ** 2) / (1 if sse else n)

        losses = [loss(w, b)] if record_start else []
        for _ in range(max_steps):
            err = w * x + b - y
            dw, db = 2 / n * np.sum(err * x) * scale, 2 / n * np.sum(err) * scale
            if stop == "grad" and np.hypot(dw, db) < tol:
                break
            if stop == "loss" and len(losses) > 1 and losses[-2] - losses[-1] < 1e-3:
                break
            w, b = w - lr * step_factor * grad_sign * dw, b - lr * grad_sign * db
            losses.append(loss(w, b))
        return np.array([w, b]), losses

    return gradient_descent


@pytest.mark.parametrize(
    ("loop", "lr", "phrase"),
    [
        (sol.gradient_descent, 0.0626, "not below 2/λ_max"),  # 2/λ_max ≈ 0.06256
        (sol.gradient_descent, 0.1, "|1 − η·λ_max| = 2.2"),
        (sol.gradient_descent, 0.0626 / 6, "2/λ_max of the SSE's Hessian"),
        (sol.gradient_descent, 1e-4, "far below the bound"),
        (sol.gradient_descent, -0.01, "does not move downhill"),
        (sol.gradient_descent, "0.03", "should be one number"),
        (sol.gradient_descent, None, "not solved yet"),
        (stub, 0.03, "not solved yet"),
        (_loop(sse=True), 0.03, "the SSE at the start"),
        (_loop(record_start=False), 0.03, "the first loss should be"),
        (_loop(stop="loss"), 0.03, "stop only when the length of the gradient"),
        (_loop(stop="never"), 0.03, "took 100,000 steps"),
        (_loop(grad_sign=-1.0), 0.03, "the loss went up at step 1"),
    ],
)
def test_loop_slips_are_named(loop, lr, phrase):
    fails_with(ex.check_gradient_descent(loop, lr), phrase)


def test_a_loop_that_ignores_max_steps_is_caught():
    def no_limit(x, y, lr, theta0, tol, max_steps):
        return sol.gradient_descent(x, y, lr, theta0, tol, 10**9)

    fails_with(
        ex.check_gradient_descent(no_limit, sol.lr_spring),
        "with max_steps = 5 the run took",
    )


def test_a_loop_that_ignores_its_arguments_is_caught():
    def spring_only(x, y, lr, theta0, tol, max_steps):
        return sol.gradient_descent(*gd.spring_lengths(), lr, (0.0, 0.0), tol, 100_000)

    fails_with(
        ex.check_gradient_descent(spring_only, sol.lr_spring),
        "use the arguments x, y, lr and theta0",
    )

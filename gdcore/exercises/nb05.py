"""Checkers for notebook 05, batch sizes.

- :func:`check_minibatches`: the learner's ``my_minibatches(n, batch_size, rng)``,
  one epoch of shuffled index batches, against the contract of
  :func:`gdcore.minibatches`: every index exactly once, batches of
  ``batch_size`` with a shorter last one, the order drawn from ``rng`` (the same
  seed gives the same batches, another seed other batches).
- :func:`check_gradient_variance`: the learner's
  ``gradient_variance(X, y, theta, batch_size, rng, n_draws)``, a Monte Carlo
  estimate of E‖g_B − g‖², against the exact value for a small data set.
- :func:`check_noise_floor`: a predicted number, where mini-batch SGD with
  B = :data:`FLOOR_B` and η = :data:`FLOOR_LR` hovers on the notebook's 10,000
  houses, against the floor ησ*²/(4B(1 − η))·(N − B)/(N − 1) and a seeded run.

For sampling B of N examples without replacement the exact value is

    E‖g_B − g‖² = (σ²/B)·(N − B)/(N − 1),   σ² = (1/N) Σᵢ ‖gᵢ − g‖²,

where gᵢ is the gradient of example i and g their mean, the full gradient. The
checker uses N = 20 houses, so the finite-population factor (N − B)/(N − 1) is
far from 1 and sampling with replacement (which gives σ²/B) is caught.
"""

from __future__ import annotations

import numpy as np

from ..batching import minibatches
from ..datasets import standardize, synthetic_houses
from ..least_squares import fit_least_squares
from ..losses import design_matrix
from ._feedback import Feedback, call_safely, correct, not_yet

# (n, batch_size) pairs tried by check_minibatches: a short last batch, an exact
# fit, full batch, SGD, a single example.
MINIBATCH_CASES: tuple[tuple[int, int], ...] = (
    (10, 3),
    (12, 4),
    (7, 7),
    (5, 1),
    (1, 1),
)
SEEDS = (0, 1, 2)

# The gradient-variance exercise: 20 standardised houses, a θ away from the
# minimum (so that forgetting to subtract the full gradient shows), four batch
# sizes and enough draws that a right estimate is within a few % of the truth.
VARIANCE_N = 20
VARIANCE_SEED = 3
VARIANCE_THETA = (0.2, -0.5)
VARIANCE_BATCHES = (1, 5, 10, 20)
VARIANCE_DRAWS = 4000
# With 4000 draws the estimate's relative standard error is below 3 % for every
# batch size here (tests/test_exercises_nb05.py measures it), so a right answer
# is within 12 % (4 standard errors) except once in ~10⁴ seeds, while every slip
# named below is at least 25 % off somewhere.
RTOL = 0.12


# --- exercise 1: the mini-batch index iterator -----------------------------------


def _batches(my_minibatches, n: int, batch_size: int, seed: int):
    """(list of 1-D int arrays, None) or (None, feedback)."""
    where = f"for n = {n}, batch_size = {batch_size}"
    value, fb = call_safely(my_minibatches, n, batch_size, np.random.default_rng(seed))
    if fb is not None:
        return None, fb
    try:
        batches = [np.asarray(batch) for batch in value]
    except TypeError:
        return None, not_yet(
            f"{where} you returned {type(value).__name__}, not a list of batches.",
            "return (or yield) one array of indices per batch, e.g. a list of arrays.",
        )
    for batch in batches:
        if batch.ndim != 1:
            return None, not_yet(
                f"{where} a batch is {batch!r}, not a 1-D array of indices.",
                "each batch is an array of example indices, such as order[0:3]; "
                "iterating over one flat array gives single numbers instead.",
            )
        if batch.size and not np.issubdtype(batch.dtype, np.integer):
            return None, not_yet(
                f"{where} a batch holds {batch.dtype} values, not integer indices.",
                "shuffle the integers 0 … n − 1, e.g. rng.permutation(n).",
            )
    return batches, None


def _sizes_expected(n: int, batch_size: int) -> list[int]:
    full, rest = divmod(n, batch_size)
    return [batch_size] * full + ([rest] if rest else [])


def _check_one_epoch(batches, n: int, batch_size: int) -> Feedback | None:
    where = f"for n = {n}, batch_size = {batch_size}"
    sizes = [len(b) for b in batches]
    expected = _sizes_expected(n, batch_size)
    if 0 in sizes:
        return not_yet(
            f"{where} one of your batches is empty (sizes {sizes}).",
            "stop the loop at n: range(0, n, batch_size) gives the start of every "
            "batch and no start past the end.",
        )
    seen = np.concatenate(batches) if batches else np.array([], dtype=int)
    if seen.size and (seen.min() < 0 or seen.max() >= n):
        return not_yet(
            f"{where} you used the index {int(seen.max())}; indices run from 0 to "
            f"{n - 1}.",
            "shuffle range(n), i.e. rng.permutation(n), and cut it into slices.",
        )
    counts = np.bincount(seen, minlength=n)
    if np.any(counts > 1):
        twice = int(np.argmax(counts > 1))
        return not_yet(
            f"{where} example {twice} is in {int(counts[twice])} batches, and "
            f"{int(np.sum(counts == 0))} examples are in none.",
            "an epoch visits every example exactly once: shuffle one permutation "
            "and cut it into consecutive, non-overlapping slices "
            "(drawing indices with replacement, or overlapping slices, repeats some).",
        )
    missing = int(np.sum(counts == 0))
    if missing:
        if missing == n % batch_size and sizes == expected[:-1]:
            return not_yet(
                f"{where} the last {missing} "
                f"{'example is' if missing == 1 else 'examples are'} missing: you "
                "dropped the short last batch.",
                f"keep it: {n} examples in batches of {batch_size} are "
                f"{len(expected)} batches, the last one of size {n % batch_size}.",
            )
        return not_yet(
            f"{where} {missing} of the {n} examples are in no batch.",
            "the batches together must hold every index from 0 to n − 1 once.",
        )
    if sizes != expected:
        return not_yet(
            f"{where} your batch sizes are {sizes}; expected {expected}.",
            "every batch has batch_size examples except the last, which holds "
            "the n mod batch_size left over.",
        )
    return None


def check_minibatches(my_minibatches) -> Feedback:
    """Check ``my_minibatches(n, batch_size, rng)``: one shuffled epoch of batches."""
    for n, batch_size in MINIBATCH_CASES:
        for seed in SEEDS:
            batches, fb = _batches(my_minibatches, n, batch_size, seed)
            if fb is not None:
                return fb
            fb = _check_one_epoch(batches, n, batch_size)
            if fb is not None:
                return fb
            again, fb = _batches(my_minibatches, n, batch_size, seed)
            if fb is not None:
                return fb
            same = len(again) == len(batches) and all(
                np.array_equal(a, b) for a, b in zip(batches, again, strict=True)
            )
            if not same:
                return not_yet(
                    f"for n = {n}, batch_size = {batch_size} two calls with "
                    f"np.random.default_rng({seed}) gave different batches.",
                    "draw the order from the rng you are given (rng.permutation(n)),"
                    " not from np.random or random: then the same seed always "
                    "gives the same batches.",
                )
    # shuffled, and by the rng: 20 examples, three seeds
    orders = []
    for seed in SEEDS:
        batches, fb = _batches(my_minibatches, 20, 4, seed)
        if fb is not None:
            return fb
        fb = _check_one_epoch(batches, 20, 4)
        if fb is not None:
            return fb
        orders.append(np.concatenate(batches))
    if all(np.array_equal(order, np.arange(20)) for order in orders):
        return not_yet(
            "your batches are 0, 1, 2, … in order: nothing is shuffled.",
            "shuffle once per epoch, order = rng.permutation(n), then slice order.",
        )
    if all(np.array_equal(order, orders[0]) for order in orders):
        return not_yet(
            "different seeds gave the same order: the rng you are given is not used.",
            "draw the permutation from rng (rng.permutation(n)), so that the seed "
            "decides the order.",
        )
    same = all(
        all(
            np.array_equal(a, b)
            for a, b in zip(
                _batches(my_minibatches, 20, 4, seed)[0],
                minibatches(20, 4, np.random.default_rng(seed)),
                strict=True,
            )
        )
        for seed in SEEDS
    )
    extra = (
        " With the same seed they are exactly gd.minibatches' batches."
        if same
        else " Your order differs from gd.minibatches' (it slices "
        "rng.permutation(n)); any permutation drawn from rng makes a right epoch."
    )
    return correct(
        "every example exactly once per epoch, full batches and a short last one, "
        "shuffled by the rng: the same seed gives the same batches." + extra
    )


# --- exercise 2: the gradient noise of a mini-batch ----------------------------------


def variance_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The exercise's X (20 × 2), y and θ: standardised houses, θ = (0.2, −0.5)."""
    size, price = synthetic_houses(VARIANCE_N, np.random.default_rng(VARIANCE_SEED))
    z, _, _ = standardize(size)
    y, _, _ = standardize(price)
    return design_matrix(z), y, np.array(VARIANCE_THETA)


def exact_gradient_variance(X, y, theta, batch_size: int) -> float:
    """E‖g_B − g‖² = (σ²/B)·(N − B)/(N − 1) for B of N examples drawn without
    replacement, with gᵢ = 2xᵢ(xᵢᵀθ − yᵢ) (the MSE) and σ² = mean ‖gᵢ − g‖²."""
    n = len(y)
    G = 2 * X * (X @ theta - y)[:, None]  # row i: gᵢ
    g = G.mean(axis=0)
    sigma2 = np.mean(np.sum((G - g) ** 2, axis=1))
    return float(sigma2 / batch_size * (n - batch_size) / (n - 1))


def _close(got: float, target: float) -> bool:
    return abs(got - target) <= RTOL * abs(target)


def check_gradient_variance(gradient_variance) -> Feedback:
    """Check ``gradient_variance(X, y, theta, batch_size, rng, n_draws)``."""
    X, y, theta = variance_data()
    n = len(y)
    G = 2 * X * (X @ theta - y)[:, None]
    g = G.mean(axis=0)
    sigma2 = float(np.mean(np.sum((G - g) ** 2, axis=1)))
    got = {}
    for b in VARIANCE_BATCHES:
        value, fb = call_safely(
            gradient_variance,
            X.copy(),
            y.copy(),
            theta.copy(),
            b,
            np.random.default_rng(100 + b),
            VARIANCE_DRAWS,
        )
        if fb is not None:
            return fb
        try:
            value = float(np.asarray(value, dtype=float))
        except (TypeError, ValueError):
            return not_yet(
                f"for batch_size = {b} you returned {value!r}, not one number.",
                "return the average of ‖g_B − g‖² over the draws: a single float.",
            )
        if not np.isfinite(value):
            return not_yet(
                f"for batch_size = {b} you returned {value}.",
                "return the average of ‖g_B − g‖² over the draws: a finite number.",
            )
        got[b] = value
    exact = {b: exact_gradient_variance(X, y, theta, b) for b in VARIANCE_BATCHES}
    if all(_close(got[b], exact[b]) for b in VARIANCE_BATCHES if b < n) and (
        abs(got[n]) <= 1e-9 * sigma2
    ):
        return correct(
            "your estimates match (σ²/B)·(N − B)/(N − 1) within sampling error for "
            f"B = {', '.join(map(str, VARIANCE_BATCHES))} of N = {n}; with B = N "
            "every draw is the whole data set, so the noise is exactly 0."
        )
    norm_g2 = float(g @ g)
    slips = [
        (
            {b: sigma2 / b for b in VARIANCE_BATCHES},
            "that is σ²/B, the noise of sampling with replacement: at B = N you "
            "still found noise, but a batch of all N examples is the full data set.",
            "draw each batch without replacement, rng.choice(n, size=batch_size, "
            "replace=False) or the first batch_size entries of rng.permutation(n).",
        ),
        (
            {b: exact[b] + norm_g2 for b in VARIANCE_BATCHES},
            "that is E‖g_B‖², the mean square of the batch gradient itself; the "
            "noise is measured around the full gradient g.",
            "compute g once from all the data (the mean of the per-example "
            "gradients) and average ‖g_B − g‖² over the draws.",
        ),
        (
            {b: exact[b] / 4 for b in VARIANCE_BATCHES},
            "your numbers are a quarter of the right ones: the factor 2 of the MSE "
            "gradient is missing (that is the half-MSE gradient).",
            "the MSE gradient of one example is gᵢ = (2·eᵢ·xᵢ, 2·eᵢ) with "
            "eᵢ = w·xᵢ + b − yᵢ; in code, 2 * X[i] * (X[i] @ theta - y[i]).",
        ),
        (
            {b: exact[b] / 2 for b in VARIANCE_BATCHES},
            "your numbers are half the right ones: did you average the squares of "
            "the 2 coordinates instead of adding them?",
            "‖v‖² = v₁² + v₂²: use np.sum((g_B − g) ** 2), not np.mean.",
        ),
        (
            {b: np.sqrt(exact[b]) for b in VARIANCE_BATCHES},
            "that looks like the square root of the answer (a standard deviation).",
            "average the squared distances ‖g_B − g‖²; do not take a root at the end.",
        ),
        (
            {b: exact[b] / b for b in VARIANCE_BATCHES},
            "your numbers fall like 1/B² instead of 1/B: you divided by B twice.",
            "g_B is the mean of the B per-example gradients: divide their sum by B "
            "once (or use .mean(axis=0)).",
        ),
    ]
    # g_B as the sum of the B gradients, not their mean: B·ḡ_S − g = B(ḡ_S − g) +
    # (B − 1)g, whose mean square is B²·E‖ḡ_S − g‖² + (B − 1)²‖g‖² (the cross term
    # averages to 0)
    slips.append(
        (
            {b: b**2 * exact[b] + (b - 1) ** 2 * norm_g2 for b in VARIANCE_BATCHES},
            "g_B is the sum of the batch's gradients, not their mean: your numbers "
            "grow with B instead of falling.",
            "g_B is the average over the batch: divide the sum by batch_size (or "
            "use .mean(axis=0)).",
        )
    )
    for target, message, hint in slips:
        if all(_close(got[b], target[b]) for b in VARIANCE_BATCHES if target[b] > 0):
            return not_yet(message, hint)
    # the mean of ‖g_B − g‖ (np.linalg.norm, not squared) is below √E‖g_B − g‖²
    # (Jensen), by about 10-20 % for noise like this: no exact target, so a band
    if abs(got[n]) <= 1e-9 * sigma2 and all(
        0.6 * np.sqrt(exact[b]) < got[b] < 1.02 * np.sqrt(exact[b])
        for b in VARIANCE_BATCHES
        if b < n
    ):
        return not_yet(
            "your numbers look like the average length ‖g_B − g‖, not its square.",
            "the variance averages squared lengths: np.sum((g_B - g) ** 2), not "
            "np.linalg.norm(g_B - g).",
        )
    if abs(got[n]) > 1e-9 * sigma2 and all(
        _close(got[b], exact[b]) for b in VARIANCE_BATCHES if b < n
    ):
        return not_yet(
            f"with batch_size = N = {n} you found {got[n]:.3g}, but a batch of all "
            "the examples is the full data set: its gradient is g exactly.",
            "draw batches without replacement; then B = N gives 0 noise.",
        )
    b = next(b for b in VARIANCE_BATCHES if not _close(got[b], exact[b]))
    return not_yet(
        f"for batch_size = {b} the noise is {exact[b]:.4g}, you got {got[b]:.4g} "
        f"(a right estimate from {VARIANCE_DRAWS} draws is within "
        f"{RTOL:.0%}).",
        "per draw: pick batch_size indices without replacement, average their "
        "gradients 2 * X[i] * (X[i] @ theta - y[i]) into g_B, add ‖g_B − g‖² to "
        "a total; return the total divided by n_draws.",
    )


# --- exercise 3: predict the noise floor of a mini-batch run -------------------------

# The notebook's data (N houses from seed 2024) and the run the learner predicts.
FLOOR_N = 10_000
FLOOR_DATA_SEED = 2024
FLOOR_B = 16
FLOOR_LR = 0.05
FLOOR_EPOCHS = 4  # 2,500 updates of 16
FLOOR_RUN_SEED = 5
FLOOR_RTOL = 0.1  # a prediction within 10 % of the formula passes


def floor_data() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X, y and θ* of the notebook's standardised houses."""
    size, price = synthetic_houses(FLOOR_N, np.random.default_rng(FLOOR_DATA_SEED))
    x, _, _ = standardize(size)
    y, _, _ = standardize(price)
    X = design_matrix(x)
    return X, y, fit_least_squares(X, y)


def noise_at_minimum(X, y, theta_star) -> float:
    """σ*² = mean ‖gᵢ − g‖² of the per-example MSE gradients at θ*."""
    G = 2 * X * (X @ theta_star - y)[:, None]
    return float(np.mean(np.sum((G - G.mean(axis=0)) ** 2, axis=1)))


def floor_theory(sigma2_star: float, lr: float, batch_size: int, n: int) -> float:
    """E‖θ − θ*‖² ≈ η σ*²/(4B(1 − η)) · (N − B)/(N − 1) on the round bowl H = 2I."""
    noise = sigma2_star / batch_size * (n - batch_size) / (n - 1)
    return lr**2 * noise / (1 - (1 - 2 * lr) ** 2)


def floor_measured(X, y, theta_star) -> float:
    """Mean ‖θ − θ*‖² over the last four fifths of a seeded mini-batch run."""
    rng = np.random.default_rng(FLOOR_RUN_SEED)
    theta, dist2 = np.zeros(2), []
    for _ in range(FLOOR_EPOCHS):
        for S in minibatches(len(y), FLOOR_B, rng):
            Xb, yb = X[S], y[S]
            theta = theta - FLOOR_LR * 2 * Xb.T @ (Xb @ theta - yb) / len(S)
            dist2.append(np.sum((theta - theta_star) ** 2))
    return float(np.mean(dist2[len(dist2) // 5 :]))


def check_noise_floor(predicted_floor) -> Feedback:
    """Check a prediction of E‖θ − θ*‖² for B = FLOOR_B, η = FLOOR_LR."""
    if predicted_floor is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace `predicted_floor = None` with your prediction, a number.",
        )
    if isinstance(predicted_floor, bool) or not isinstance(
        predicted_floor, int | float | np.integer | np.floating
    ):
        return not_yet(
            f"expected one number, got {predicted_floor!r}.",
            "the floor is a single number: the mean of ‖θ − θ*‖² where the run hovers.",
        )
    got = float(predicted_floor)
    if not np.isfinite(got) or got <= 0:
        return not_yet(
            f"{got!r} cannot be a mean squared distance.",
            "E‖θ − θ*‖² is positive: the run never sits exactly on θ*.",
        )
    X, y, theta_star = floor_data()
    n, b, lr = len(y), FLOOR_B, FLOOR_LR
    sigma2_star = noise_at_minimum(X, y, theta_star)
    theory = floor_theory(sigma2_star, lr, b, n)
    G0 = 2 * X * (X @ np.zeros(2) - y)[:, None]
    sigma2_start = float(np.mean(np.sum((G0 - G0.mean(axis=0)) ** 2, axis=1)))
    if abs(got / theory - 1) <= FLOOR_RTOL:
        measured = floor_measured(X, y, theta_star)
        sgd_floor = floor_theory(sigma2_star, lr, 1, n)
        return correct(
            f"you predicted {got:.3g}; the formula ησ*²/(4B(1 − η)) gives "
            f"{theory:.3g}, and a run of {FLOOR_EPOCHS} epochs of B = {b} "
            f"({FLOOR_EPOCHS * -(-n // b):,} updates) hovers at {measured:.3g} "
            f"({measured / theory - 1:+.0%}). That is {sgd_floor / theory:.0f} times "
            "below SGD's floor at the same η: the noise of a step has variance "
            "σ*²/B, so the floor depends on η and B through η/B, the noise scale."
        )
    slips = [
        (
            floor_theory(sigma2_star, lr, 1, n),
            "that is SGD's floor, for B = 1.",
            "a batch of B examples averages B noisy gradients: the noise ξ in each "
            "step has mean square σ*²/B instead of σ*² (section 4).",
        ),
        (
            theory * np.sqrt(b),
            "that divides by √B instead of B.",
            "the typical *size* of the noise falls like 1/√B, but the floor is a "
            "mean *square*, and the variance falls like 1/B.",
        ),
        (
            theory / b,
            "that divides by B twice.",
            "the batch's noise has mean square σ*²/B; B enters the floor once.",
        ),
        (
            sigma2_star / b,
            "that is the variance of the batch gradient, σ*²/B, not the floor.",
            "the floor balances what each step adds, η²σ*²/B, against what it "
            "removes, 1 − (1 − 2η)² of E‖δ‖².",
        ),
        (
            lr**2 * sigma2_star / b,
            "that is η²σ*²/B, the noise one step adds, not where it balances.",
            "set E‖δ‖² = (1 − 2η)²·E‖δ‖² + η²σ*²/B and solve for E‖δ‖².",
        ),
        (
            floor_theory(sigma2_start, lr, b, n),
            "that uses the gradient noise at θ₀ = (0, 0), not at the minimum.",
            "the run hovers near θ*, so the noise that matters is σ*², measured "
            "at θ* (sigma2_star in the notebook).",
        ),
    ]
    for wrong, message, hint in slips:
        if abs(got / wrong - 1) <= FLOOR_RTOL:
            return not_yet(f"you predicted {got:.3g}: {message}", hint)
    return not_yet(
        f"you predicted {got:.3g}; the floor for B = {b} and η = {lr:g} is "
        f"{theory:.3g}; yours is {got / theory:.2g} times that.",
        "redo section 5's balance with a batch: each step shrinks E‖δ‖² by "
        "(1 − 2η)² and adds η² times the batch noise, σ*²/B.",
    )

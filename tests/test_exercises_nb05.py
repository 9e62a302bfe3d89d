"""Notebook 05's checkers: the reference solutions pass, the usual slips are named."""

import itertools

import numpy as np
import pytest
from exercise_helpers import fails_with, stub

from gdcore.exercises import nb05 as ex
from solutions import nb05 as sol

# --- exercise 1: the mini-batch index iterator ------------------------------------


def test_reference_minibatches_pass_and_match_gdcore():
    fb = ex.check_minibatches(sol.my_minibatches)
    assert fb.ok, repr(fb)
    assert "exactly gd.minibatches' batches" in fb.message


def test_reference_batches_by_hand():
    # n = 10, B = 3: sizes 3, 3, 3 and the short last batch 10 − 9 = 1
    batches = sol.my_minibatches(10, 3, np.random.default_rng(0))
    assert [len(b) for b in batches] == [3, 3, 3, 1]
    assert sorted(np.concatenate(batches).tolist()) == list(range(10))


def test_a_generator_and_another_permutation_also_pass():
    def generator(n, batch_size, rng):
        order = rng.choice(n, size=n, replace=False)  # a different, valid shuffle
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]

    fb = ex.check_minibatches(generator)
    assert fb.ok, repr(fb)
    assert "differs from gd.minibatches'" in fb.message


def _slices(order, n, batch_size, step=None, stop=None):
    step = batch_size if step is None else step
    stop = n if stop is None else stop
    return [order[i : i + batch_size] for i in range(0, stop, step)]


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        # drop_last: for n = 10, B = 3 the tenth example is never seen
        (
            lambda n, b, rng: _slices(rng.permutation(n), n, b, stop=n - n % b),
            "the last 1 example is missing: you dropped the short last batch",
        ),
        (lambda n, b, rng: _slices(np.arange(n), n, b), "nothing is shuffled"),
        (
            lambda n, b, rng: _slices(np.random.permutation(n), n, b),  # noqa: NPY002 (the slip)
            "gave different batches",
        ),
        (
            lambda n, b, rng: _slices(np.random.default_rng(0).permutation(n), n, b),
            "the rng you are given is not used",
        ),
        # overlapping slices: step 1 instead of batch_size
        (lambda n, b, rng: _slices(rng.permutation(n), n, b, step=1), "batches, and"),
        # with replacement: some examples twice, some never
        (
            lambda n, b, rng: [rng.integers(0, n, size=b) for _ in range(-(-n // b))],
            "exactly once",
        ),
        # one step too far when B divides n: range(0, n + 1, B) adds an empty batch
        (
            lambda n, b, rng: _slices(rng.permutation(n), n, b, stop=n + 1),
            "is empty",
        ),
        (lambda n, b, rng: rng.permutation(n), "not a 1-D array"),
        (
            lambda n, b, rng: _slices(rng.permutation(n).astype(float), n, b),
            "float64 values",
        ),
        (lambda n, b, rng: [rng.permutation(n) + 1], "indices run from 0"),
        # one batch of everything, whatever batch_size is
        (lambda n, b, rng: [rng.permutation(n)], "your batch sizes are [10]"),
        (lambda n, b, rng: 42, "not a list of batches"),
        (stub, "not solved yet"),
        (lambda n, b, rng: None, "returned None"),
    ],
)
def test_minibatch_slips_are_named(wrong, phrase):
    fails_with(ex.check_minibatches(wrong), phrase)


# --- exercise 2: the gradient noise of a mini-batch -------------------------------


def test_exact_variance_is_the_average_over_every_batch():
    # N = 20, B = 2: all C(20, 2) = 190 batches are equally likely; their mean
    # ‖g_B − g‖² is the expectation, and it must equal (σ²/B)(N − B)/(N − 1).
    X, y, theta = ex.variance_data()
    G = 2 * X * (X @ theta - y)[:, None]
    g = G.mean(axis=0)
    pairs = list(itertools.combinations(range(20), 2))
    assert len(pairs) == 190
    brute = np.mean([np.sum((G[list(p)].mean(axis=0) - g) ** 2) for p in pairs])
    np.testing.assert_allclose(
        ex.exact_gradient_variance(X, y, theta, 2), brute, rtol=1e-12
    )
    sigma2 = np.mean(np.sum((G - g) ** 2, axis=1))
    np.testing.assert_allclose(ex.exact_gradient_variance(X, y, theta, 1), sigma2)
    assert ex.exact_gradient_variance(X, y, theta, 20) == 0.0


def test_the_tolerance_is_four_standard_errors():
    # The relative standard error of a mean of VARIANCE_DRAWS squared distances,
    # measured from 20,000 draws per batch size, is below 3 %: RTOL = 12 % is 4 SE.
    X, y, theta = ex.variance_data()
    G = 2 * X * (X @ theta - y)[:, None]
    g = G.mean(axis=0)
    rng = np.random.default_rng(0)
    for b in ex.VARIANCE_BATCHES[:-1]:
        sq = np.array(
            [
                np.sum((G[rng.choice(20, size=b, replace=False)].mean(0) - g) ** 2)
                for _ in range(20_000)
            ]
        )
        relative_se = sq.std() / sq.mean() / np.sqrt(ex.VARIANCE_DRAWS)
        assert relative_se < 0.03, (b, relative_se)
    assert ex.RTOL == 0.12


def test_reference_variance_passes():
    fb = ex.check_gradient_variance(sol.gradient_variance)
    assert fb.ok, repr(fb)
    assert "exactly 0" in fb.message


def test_exact_formula_passes_too():
    # Computing the expectation instead of sampling it is not wrong.
    def exact(X, y, theta, batch_size, rng, n_draws=2000):
        return ex.exact_gradient_variance(X, y, theta, batch_size)

    assert ex.check_gradient_variance(exact)


def _sampled(X, y, theta, batch_size, rng, n_draws, *, replace=False, factor=2.0):
    """Batch gradients with the chosen slip; returns (g_B per draw, g)."""
    n = len(y)
    g = factor * X.T @ (X @ theta - y) / n
    draws = []
    for _ in range(n_draws):
        idx = rng.choice(n, size=batch_size, replace=replace)
        draws.append(factor * X[idx].T @ (X[idx] @ theta - y[idx]) / batch_size)
    return np.array(draws), g


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (
            lambda X, y, th, b, rng, k: np.mean(
                np.sum(
                    (lambda d, g: (d - g) ** 2)(
                        *_sampled(X, y, th, b, rng, k, replace=True)
                    ),
                    axis=1,
                )
            ),
            "sampling with replacement",
        ),
        (
            lambda X, y, th, b, rng, k: np.mean(
                np.sum(_sampled(X, y, th, b, rng, k)[0] ** 2, axis=1)
            ),
            "E‖g_B‖²",
        ),
        (
            lambda X, y, th, b, rng, k: np.mean(
                np.sum(
                    (lambda d, g: (d - g) ** 2)(
                        *_sampled(X, y, th, b, rng, k, factor=1.0)
                    ),
                    axis=1,
                )
            ),
            "factor 2",
        ),
        (
            lambda X, y, th, b, rng, k: np.mean(
                (lambda d, g: (d - g) ** 2)(*_sampled(X, y, th, b, rng, k))
            ),
            "the 2 coordinates",
        ),
        (
            lambda X, y, th, b, rng, k: np.sqrt(
                np.mean(
                    np.sum(
                        (lambda d, g: (d - g) ** 2)(*_sampled(X, y, th, b, rng, k)),
                        axis=1,
                    )
                )
            ),
            "square root",
        ),
        (
            lambda X, y, th, b, rng, k: (
                np.mean(
                    np.sum(
                        (lambda d, g: (d - g) ** 2)(*_sampled(X, y, th, b, rng, k)),
                        axis=1,
                    )
                )
                / b
            ),
            "divided by B twice",
        ),
        # g_B as the sum of the batch's gradients: B times the mean
        (
            lambda X, y, th, b, rng, k: np.mean(
                np.sum(
                    (lambda d, g: (b * d - g) ** 2)(*_sampled(X, y, th, b, rng, k)),
                    axis=1,
                )
            ),
            "the sum of the batch's gradients",
        ),
        # the mean length ‖g_B − g‖ (np.linalg.norm), not its square
        (
            lambda X, y, th, b, rng, k: np.mean(
                np.linalg.norm(
                    (lambda d, g: d - g)(*_sampled(X, y, th, b, rng, k)), axis=1
                )
            ),
            "average length",
        ),
        # only the B = N case is wrong: a small constant added everywhere
        (
            lambda X, y, th, b, rng, k: (
                sol.gradient_variance(X, y, th, b, rng, k) + 1e-3
            ),
            "with batch_size = N = 20",
        ),
        (lambda X, y, th, b, rng, k: 1.0, "the noise is"),
        (lambda X, y, th, b, rng, k: [1.0, 2.0], "not one number"),
        (lambda X, y, th, b, rng, k: np.nan, "a finite number"),
        (stub, "not solved yet"),
    ],
)
def test_variance_slips_are_named(wrong, phrase):
    fails_with(ex.check_gradient_variance(wrong), phrase)


# --- exercise 3: predict the noise floor ---------------------------------------------


def test_reference_floor_passes():
    fb = ex.check_noise_floor(sol.predicted_floor)
    assert fb.ok, repr(fb)
    assert "16 times below SGD's floor" in fb.message  # B = 16 at the same η


def test_floor_theory_by_hand():
    # η = 0.05, B = 16, N = 10,000: η²·(σ²/16)·(9984/9999)/(1 − 0.9²) with
    # 1 − 0.81 = 0.19 = 4·0.05·0.95, i.e. ησ²/(4B(1 − η))·(N − B)/(N − 1)
    got = ex.floor_theory(0.4, 0.05, 16, 10_000)
    assert got == pytest.approx(0.05 * 0.4 / (4 * 16 * 0.95) * 9984 / 9999, rel=1e-12)


def test_measured_floor_agrees_with_the_formula():
    # the seeded run the checker reports: within 15 % of the formula
    X, y, theta_star = ex.floor_data()
    theory = ex.floor_theory(ex.noise_at_minimum(X, y, theta_star), 0.05, 16, len(y))
    assert abs(ex.floor_measured(X, y, theta_star) / theory - 1) < 0.15


@pytest.mark.parametrize(
    ("factor", "phrase"),
    [
        (16.0, "SGD's floor, for B = 1"),
        (4.0, "divides by √B instead of B"),
        (1 / 16, "divides by B twice"),
        (3.0, "yours is 3 times that"),
    ],
)
def test_floor_slips_are_named(factor, phrase):
    fails_with(ex.check_noise_floor(sol.predicted_floor * factor), phrase)


def test_floor_slips_from_the_derivation_are_named():
    X, y, theta_star = ex.floor_data()
    s2 = ex.noise_at_minimum(X, y, theta_star)
    fails_with(ex.check_noise_floor(s2 / 16), "variance of the batch gradient")
    fails_with(ex.check_noise_floor(0.05**2 * s2 / 16), "the noise one step adds")
    # σ² at θ₀ = (0, 0) is about 7.2, eighteen times σ*²
    fails_with(ex.check_noise_floor(0.05 * 7.213 / (4 * 16 * 0.95)), "at θ₀ = (0, 0)")


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        (None, "not solved yet"),
        ("3e-4", "expected one number"),
        (True, "expected one number"),
        ([3e-4], "expected one number"),
        (-1.0, "cannot be a mean squared distance"),
        (float("nan"), "cannot be a mean squared distance"),
    ],
)
def test_floor_bad_answers(answer, phrase):
    fails_with(ex.check_noise_floor(answer), phrase)

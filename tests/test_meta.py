"""Tests for gdcore.meta: momentum on a family of bowls, grid search, Polyak, errors."""

import math
import re

import numpy as np
import pytest

import gdcore as gd
from gdcore import meta


def test_log_progress_by_hand():
    # λ = 1, θ₀ = 1, η = 0.5, β = 0.5: v1 = 1, θ1 = 0.5; v2 = 0.5 + 0.5 = 1, θ2 = 0
    # so f(θ1)/f(θ0) = 0.25 and f(θ2) = 0 (floored at 1e-300)
    one = meta.momentum_log_progress(0.5, 0.5, [[1.0]], [[1.0]], 1)
    assert one == pytest.approx([math.log10(0.25)], rel=1e-15)
    assert meta.momentum_log_progress(0.5, 0.5, [[1.0]], [[1.0]], 2).tolist() == [
        -300.0
    ]
    assert meta.momentum_log_progress(0.5, 0.5, [[1.0]], [[1.0]], 0).tolist() == [0.0]


def test_log_progress_matches_gd_momentum_on_every_bowl_and_pair():
    _, lams, starts = meta.random_bowls(5, (2.0, 50.0), np.random.default_rng(0))
    lrs, betas = np.array([0.01, 0.05]), np.array([0.3, 0.8])
    got = meta.momentum_log_progress(lrs, betas, lams, starts, 20)
    assert got.shape == (2, 5)
    for i, (lr, beta) in enumerate(zip(lrs, betas, strict=True)):
        for j in range(5):
            opt = gd.momentum(lr, beta=beta)
            theta, state = starts[j], opt.init(starts[j])
            for _ in range(20):
                theta, state = opt.step(theta, lams[j] * theta, state)
            ratio = (lams[j] * theta**2).sum() / (lams[j] * starts[j] ** 2).sum()
            assert got[i, j] == pytest.approx(math.log10(ratio), rel=1e-10)


def test_diverging_runs_are_inf_without_warnings():
    got = meta.momentum_log_progress(1.0, 0.9, [[1.0, 1000.0]], [[1.0, 1.0]], 500)
    assert got.tolist() == [math.inf]


def test_random_bowls_are_seeded_and_in_range():
    kappas, lams, starts = meta.random_bowls(200, (10, 100), np.random.default_rng(1))
    again = meta.random_bowls(200, (10, 100), np.random.default_rng(1))
    np.testing.assert_array_equal(kappas, again[0])
    assert kappas.min() >= 10
    assert kappas.max() <= 100
    np.testing.assert_array_equal(lams[:, 0], 1.0)
    np.testing.assert_array_equal(lams[:, 1], kappas)
    assert starts.shape == (200, 2)


def test_grid_search_finds_polyaks_pair_for_one_bowl_family():
    # all bowls κ = 100: the best pair over 100 steps is near Polyak's for κ = 100
    lams = np.array([[1.0, 100.0]] * 4)
    starts = np.random.default_rng(2).normal(size=(4, 2))
    lr, beta, grid = meta.grid_search_momentum(
        lams, starts, 100, np.geomspace(0.01, 0.1, 41), np.linspace(0.5, 0.9, 41)
    )
    lr_p, beta_p = meta.polyak_momentum(100)
    assert grid.shape == (41, 41)
    assert grid[0, 0] > grid.min()  # the corner (η = 0.01, β = 0.5) is not the best
    assert abs(lr / lr_p - 1) < 0.15
    assert abs(beta - beta_p) < 0.05


def test_polyak_and_edge_by_hand():
    # κ = 9: η = 4/(3 + 1)² = 0.25, β = (2/4)² = 0.25; edge 2·1.25/0.25 = 10
    assert meta.polyak_momentum(9) == pytest.approx((0.25, 0.25), rel=1e-15)
    assert meta.momentum_edge(0.25, 0.25) == pytest.approx(10.0, rel=1e-15)
    assert meta.polyak_momentum(1) == (1.0, 0.0)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: meta.random_bowls(0, (1, 2), np.random.default_rng(0)), ValueError,
         "n must be >= 1, got 0"),
        (lambda: meta.random_bowls(3, (5, 2), np.random.default_rng(0)), ValueError,
         "kappa_range must satisfy 1 <= low <= high < inf, got (5, 2)"),
        (lambda: meta.random_bowls(3, 5, np.random.default_rng(0)), TypeError,
         "kappa_range must be a pair (low, high), got 5"),
        (lambda: meta.momentum_log_progress(0.0, 0.5, [[1.0]], [[1.0]], 3), ValueError,
         "lr must be positive, got 0.0"),
        (lambda: meta.momentum_log_progress(0.1, 1.0, [[1.0]], [[1.0]], 3), ValueError,
         "beta must be in [0, 1), got 1.0"),
        (lambda: meta.momentum_log_progress(0.1, 0.5, [[1.0]], [[1.0, 2.0]], 3),
         ValueError, "lams and starts must have the same shape (n, d), got (1, 1) "
         "and (1, 2)"),
        (lambda: meta.momentum_log_progress(0.1, 0.5, [[-1.0]], [[1.0]], 3), ValueError,
         "lams must be positive (a bowl), got -1.0"),
        (lambda: meta.momentum_log_progress(0.1, 0.5, [[1.0]], [[1.0]], -1), ValueError,
         "steps must be >= 0, got -1"),
        (lambda: meta.polyak_momentum(0.5), ValueError, "kappa must be >= 1, got 0.5"),
        (lambda: meta.momentum_edge(0.0, 0.5), ValueError,
         "lr must be positive and finite, got 0.0"),
    ],
)  # fmt: skip
def test_bad_arguments_are_rejected(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()

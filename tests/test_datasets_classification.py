"""Tests for the two 2-D classification sets: two moons and the spiral."""

import re

import numpy as np
import pytest

import gdcore as gd


@pytest.mark.parametrize("make", [gd.two_moons, gd.spiral])
def test_shapes_labels_and_seeds(make):
    X, y = make(31, np.random.default_rng(0))
    assert X.shape == (31, 2)
    assert y.shape == (31,)
    assert y.dtype == np.int64
    X2, y2 = make(31, np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(31, np.random.default_rng(1))
    assert not np.array_equal(X, X3)


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = gd.two_moons(101, np.random.default_rng(0), noise=0.0)
    assert np.bincount(y).tolist() == [51, 50]  # ⌈101/2⌉ in class 0
    upper, lower = X[y == 0] + [0.5, 0.25], X[y == 1] + [0.5, 0.25]
    # class 0 on the unit circle above the axis; class 1 on the circle of radius 1
    # around (1, 0.5), below its centre
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, rtol=1e-12)
    assert np.all(upper[:, 1] >= 0)
    np.testing.assert_allclose(np.hypot(*(lower - [1.0, 0.5]).T), 1.0, rtol=1e-12)
    assert np.all(lower[:, 1] <= 0.5)


def test_spiral_without_noise_follows_its_arms():
    X, y = gd.spiral(90, np.random.default_rng(0), arms=3, turns=0.5, noise=0.0)
    assert np.bincount(y).tolist() == [30, 30, 30]
    r = np.hypot(*X.T)
    assert np.all((r >= 0.05) & (r <= 1.0))
    # φ = 2πk/3 + 2π·0.5·r: the angle of each point, up to whole turns
    phi = 2 * np.pi * y / 3 + np.pi * r
    np.testing.assert_allclose(
        X, r[:, None] * np.column_stack([np.cos(phi), np.sin(phi)])
    )


def test_spiral_draws_r_then_the_noise_then_the_order():
    # the documented recipe, redone by hand with the same generator
    rng = np.random.default_rng(3)
    y = np.arange(20) % 3
    r = rng.uniform(0.05, 1.0, size=20)
    phi = 2 * np.pi * y / 3 + 2 * np.pi * 0.75 * r
    X = r[:, None] * np.column_stack([np.cos(phi), np.sin(phi)])
    X = X + 0.1 * rng.standard_normal((20, 2))
    order = rng.permutation(20)
    X_s, y_s = gd.spiral(20, np.random.default_rng(3))
    np.testing.assert_allclose(X_s, X[order], rtol=1e-15)
    np.testing.assert_array_equal(y_s, y[order])


@pytest.mark.parametrize("make", [gd.two_moons, gd.spiral])
def test_rows_come_shuffled(make):
    # notebook 07 holds out the first rows: they must mix the classes
    _, y = make(60, np.random.default_rng(0))
    assert len(np.unique(y[:10])) > 1
    assert not np.array_equal(y, np.sort(y))
    assert not np.array_equal(y, np.arange(60) % (y.max() + 1))


def test_spiral_deals_leftover_points_to_the_first_arms():
    _, y = gd.spiral(11, np.random.default_rng(0), arms=4)
    assert np.bincount(y).tolist() == [3, 3, 3, 2]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: gd.two_moons(1, np.random.default_rng(0)),
            ValueError,
            "n must be >= 2, got 1",
        ),
        (
            lambda: gd.two_moons(10, 0),
            TypeError,
            "rng must be a numpy.random.Generator",
        ),
        (
            lambda: gd.two_moons(10, np.random.default_rng(0), noise=-1.0),
            ValueError,
            "noise must be non-negative and finite, got -1.0",
        ),
        (
            lambda: gd.spiral(10.0, np.random.default_rng(0)),
            TypeError,
            "n must be an integer, got 10.0",
        ),
        (
            lambda: gd.spiral(10, np.random.default_rng(0), arms=1),
            ValueError,
            "arms must be >= 2, got 1",
        ),
        (
            lambda: gd.spiral(10, np.random.default_rng(0), turns=float("nan")),
            ValueError,
            "turns must be non-negative and finite, got nan",
        ),
    ],
)
def test_bad_arguments_are_refused(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()

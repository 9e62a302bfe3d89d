"""gdcore.regions: the grid, the colours, and the drawn classes follow net.predict."""

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_rgb

import gdcore as gd
from gdcore import plotting
from gdcore.regions import (
    class_colors,
    plot_decision_regions,
    region_colors,
    region_grid,
    set_regions,
)


def test_grid_covers_the_data_with_a_margin():
    # x from 0 to 10 and y from −1 to 1: 15 % of each range added on each side
    X = np.array([[0.0, -1.0], [10.0, 1.0]])
    grid, extent = region_grid(X, n=3)
    assert extent == pytest.approx((-1.5, 11.5, -1.3, 1.3))
    assert grid.shape == (9, 2)
    np.testing.assert_allclose(grid[:3], [[-1.5, -1.3], [5.0, -1.3], [11.5, -1.3]])
    np.testing.assert_allclose(grid[-1], [11.5, 1.3])


def test_region_colors_are_the_class_colors_mixed_with_white():
    # 30 % colour + 70 % white, channel by channel
    for k, pale in enumerate(region_colors(3).colors):
        expected = 0.3 * np.array(to_rgb(plotting.PALETTE[k])) + 0.7
        np.testing.assert_allclose(pale, expected)
    assert list(class_colors(2).colors) == list(plotting.PALETTE[:2])


def test_drawn_regions_are_the_predicted_classes():
    net = gd.MLP((2, 6, 3))
    X, y = gd.spiral(30, np.random.default_rng(0))
    fig, ax = plt.subplots()
    try:
        theta = net.init(np.random.default_rng(1))
        art = plot_decision_regions(net, theta, X, y, ax=ax, n=20)
        expected = net.predict(theta, art.grid).reshape(20, 20)
        np.testing.assert_array_equal(art.image.get_array(), expected)
        np.testing.assert_array_equal(art.points.get_offsets(), X)
        other = net.init(np.random.default_rng(2))
        set_regions(art, net, other)
        expected = net.predict(other, art.grid).reshape(20, 20)
        np.testing.assert_array_equal(art.image.get_array(), expected)
    finally:
        plt.close(fig)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: region_grid(np.zeros(4)), ValueError, "X must be 2-D"),
        (
            lambda: region_grid(np.zeros((3, 2)), n=1),
            ValueError,
            "n must be >= 2, got 1",
        ),
        (lambda: class_colors(6), ValueError, "k must be at most 5 classes, got 6"),
        (lambda: class_colors(1), ValueError, "k must be >= 2, got 1"),
    ],
)
def test_bad_arguments_are_refused(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()

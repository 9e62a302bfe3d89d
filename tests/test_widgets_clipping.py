"""ClippingExplorer, driven headless under Agg through its public methods."""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets.clipping import (
    ClippingExplorer,
    clipped_sgd_path,
    outlier_houses,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def make(explorer_factory):
    """Build ClippingExplorers; closed (with their figures) after the test."""
    return explorer_factory(ClippingExplorer)


def test_the_houses_are_article_003s_plus_one_typo():
    X6, y6, theta0, mu, sigma = outlier_houses()
    x, price = gd.house_prices()
    np.testing.assert_array_equal(y6, [*price, 350.0])
    np.testing.assert_allclose(X6[:, 0] * sigma + mu, [*x, 25_000.0], rtol=1e-12)
    np.testing.assert_allclose(gd.unstandardize_line(*theta0, mu, sigma), (0.05, 100.0))


@pytest.mark.parametrize(("c", "lr"), [(10.0, 0.1), (1.0, 0.05), (1e5, 0.1)])
def test_path_is_fit_linear_regression_with_a_clipped_sgd(c, lr):
    X6, y6, theta0, _, _ = outlier_houses()
    history = gd.fit_linear_regression(
        X6, y6, gd.clipped(gd.sgd(lr), c), theta0, epochs=100, batch_size=1,
        rng=np.random.default_rng(0),
    )  # fmt: skip
    np.testing.assert_array_equal(clipped_sgd_path(c, lr), history.thetas)


def test_default_state_recovers_the_good_line(make):
    ex = make()
    w, b = ex.line()
    assert abs(w - 0.1) < 0.005
    assert abs(b - 100) < 5
    assert re.fullmatch(
        r"c = 10, η = 0\.1: final line w = 0\.\d{3}, b = \d+", ex.summary()
    )
    assert ex.to_png().startswith(PNG_SIGNATURE)
    assert ex.fig.get_size_inches()[0] <= 8.2


def test_too_small_a_threshold_is_slow_and_too_large_lets_the_outlier_win(make):
    ex = make()
    ex.set(c=0.5)
    w_small, _ = ex.line()
    ex.set(c=1e5)
    w_large, b_large = ex.line()
    assert w_small < 0.09  # a step of at most η·c: still on its way after 600 steps
    assert w_large < 0  # the mistyped house drags the line far off
    assert b_large > 1000


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"c": 0.01}, "c must be in [0.1, 1e+06], got 0.01"),
        ({"lr": 1.0}, "lr must be in [0.01, 0.3162], got 1.0"),
    ],
)
def test_bad_settings_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        ClippingExplorer(**kwargs)

"""StartPointExplorer, driven headless under Agg: the drawn runs follow the math."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets import Explorer, StartPointExplorer
from gdcore.widgets import start_point as sp

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GREEN = sp.OUTCOME_COLORS["global"]
PURPLE = sp.OUTCOME_COLORS["shallow"]


@pytest.fixture
def make(explorer_factory):
    """Build explorers, closed after the test."""
    return explorer_factory(StartPointExplorer)


def iterate(x0, lr, steps):
    """x ← x − η·x(x + 1)(x − 2), written out independently of gdcore."""
    xs = [x0]
    for _ in range(steps):
        x = xs[-1]
        xs.append(x - lr * x * (x + 1) * (x - 2))
    return np.array(xs)


def f(x):
    return x**4 / 4 - x**3 / 3 - x**2


def drawn_path(ex):
    return np.asarray(ex.artists.path.get_xdata(), dtype=float)


def test_defaults(make):
    ex = make()
    assert isinstance(ex, Explorer)
    assert not ex.live
    assert ex.values == {"x0": -0.5, "lr": 0.1}
    x0, lr = ex.controls["x0"], ex.controls["lr"]
    assert (x0.min, x0.max, x0.step) == (-2.0, 3.0, 0.05)  # wavy_1d's plot range
    assert (lr.min, lr.max, lr.step) == (0.04, 0.24, 0.02)
    assert ex.minima == {2.0: "global", -1.0: "shallow"}
    wavy = gd.wavy_1d()  # the explorer's labels match the objective's minima
    assert sorted(ex.minima) == sorted(wavy.local_minimizers[:, 0])
    assert [m for m, kind in ex.minima.items() if kind == "global"] == list(
        wavy.minimizers[:, 0]
    )


def test_steps_grow_as_the_learning_rate_shrinks():
    # ⌈5/η⌉: 5/0.04 = 125, 5/0.1 = 50, 5/0.06 = 83.3 → 84, 5/0.24 = 20.8 → 21
    assert [sp.steps_for(v) for v in (0.04, 0.1, 0.06, 0.24)] == [125, 50, 84, 21]
    assert sp.steps_for(0.06000000000000001) == 84  # slider noise does not add a step


@pytest.mark.parametrize("x0", [-2.0, 0.5, 3.0])  # the x₀ slider's min, a middle, max
@pytest.mark.parametrize("lr", [0.04, 0.14, 0.24])  # the η slider's min, middle, max
def test_drawn_path_is_the_gradient_descent_run(make, x0, lr):
    ex = make()
    ex.set(x0=x0, lr=lr)
    expected = iterate(x0, lr, sp.steps_for(lr))
    np.testing.assert_allclose(drawn_path(ex), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(ex.artists.path.get_ydata(), f(expected), rtol=1e-12)
    np.testing.assert_allclose(ex.trace.get_ydata(), expected, rtol=1e-12)
    np.testing.assert_array_equal(ex.trace.get_xdata(), np.arange(len(expected)))
    np.testing.assert_array_equal(ex.start.get_xdata(), [x0])
    np.testing.assert_allclose(ex.trace_end.get_ydata(), expected[-1:], rtol=1e-12)
    # left of the hump the run ends at −1, right of it at 2 (η < 1/4)
    target, kind, color = (
        (-1.0, "shallow", PURPLE) if x0 < 0 else (2.0, "global", GREEN)
    )
    assert abs(expected[-1] - target) < 1e-3
    assert ex.outcome()[0] == kind
    assert ex.artists.path.get_color() == color
    assert ex.trace.get_color() == color
    assert not ex.artists.tangent.get_visible()


def test_the_title_says_which_minimum_is_reached(make):
    ex = make()
    ex.set(x0=-0.5, lr=0.1)
    assert ex.title.get_text() == (
        "x₀ = −0.50, η = 0.10: ends in the shallow minimum at x = −1"
    )
    k = int(np.argmax(np.abs(iterate(-0.5, 0.1, 50) + 1) < 1e-3))
    assert ex.detail.get_text() == f"within 10⁻³ of x = −1 after {k} steps"
    ex.set(x0=0.5)
    assert ex.title.get_text() == (
        "x₀ = 0.50, η = 0.10: reaches the global minimum at x = 2"
    )


@pytest.mark.parametrize("lr", [0.04, 0.24])
def test_the_hump_divides_the_starts(make, lr):
    """Just left of 0 ends at −1, just right at 2, and 0 itself never moves."""
    ex = make(lr=lr)
    ex.set(x0=-0.05)
    assert ex.outcome()[0] == "shallow"
    ex.set(x0=0.05)
    assert ex.outcome()[0] == "global"
    ex.set(x0=0.0)
    kind, verdict, detail = ex.outcome()
    assert (kind, verdict) == ("hump", "stays on the hump at x = 0")
    assert detail == "f′(0) = 0: no step ever moves it"
    np.testing.assert_array_equal(drawn_path(ex), np.zeros(sp.steps_for(lr) + 1))


@pytest.mark.parametrize("lr", [0.04, 0.24])
def test_every_start_on_the_slider_ends_on_its_side_of_the_hump(make, lr):
    ex = make(lr=lr)
    starts = np.round(np.arange(-2.0, 3.0 + 1e-9, 0.05), 12)
    for x0 in starts:
        kind = ex.outcome(ex.run(x0, lr))[0]
        assert kind == ("shallow" if x0 < 0 else "global" if x0 > 0 else "hump"), x0


def test_starting_in_a_minimum(make):
    ex = make(x0=2.0)
    assert ex.outcome() == (
        "global",
        "reaches the global minimum at x = 2",
        "it starts at x = 2, where f′ = 0",
    )
    ex.set(x0=-1.0)
    assert ex.outcome()[:2] == ("shallow", "ends in the shallow minimum at x = −1")


def test_a_run_that_has_not_settled_says_so(make):
    ex = make()
    history = gd.descend(gd.wavy_1d(), gd.sgd(0.04), 0.05, 3)
    assert ex.outcome(history) == (
        "unsettled",
        "has not settled",
        "still moving after 3 steps",
    )


def test_set_rejects_values_off_the_sliders(make):
    ex = make()
    with pytest.raises(ValueError, match=r"x0 must be in \[-2, 3\], got 3.5"):
        ex.set(x0=3.5)
    with pytest.raises(ValueError, match=r"lr must be in \[0.04, 0.24\], got 0.3"):
        ex.set(lr=0.3)
    assert ex.values == {"x0": -0.5, "lr": 0.1}


def test_constructor_validates_its_arguments():
    with pytest.raises(ValueError, match=r"x0 must be in \[-2, 3\], got -2.5"):
        StartPointExplorer(x0=-2.5)
    with pytest.raises(ValueError, match=r"lr must be in \[0.04, 0.24\], got 0.25"):
        StartPointExplorer(lr=0.25)
    with pytest.raises(TypeError, match="x0 must be a real number, got '1'"):
        StartPointExplorer(x0="1")
    with pytest.raises(TypeError, match="lr must be a real number, got None"):
        StartPointExplorer(lr=None)
    assert plt.get_fignums() == []


def test_why_the_learning_rate_stops_below_a_quarter():
    # From x0 = 3, f′(3) = 3·4·1 = 12: with η = 1/4 the first step lands exactly on
    # the hump (3 − 12/4 = 0) and stays; with η = 0.3 it jumps to 3 − 3.6 = −0.6,
    # across the hump, and ends in the shallow minimum although it started right.
    assert sp.LR_MAX < 0.25
    assert iterate(3.0, 0.25, 5).tolist() == [3.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    assert iterate(3.0, 0.3, 60)[1] == pytest.approx(-0.6)
    assert iterate(3.0, 0.3, 60)[-1] == pytest.approx(-1.0)
    assert math.isclose(sp.steps_for(sp.LR_MAX), 21)


@pytest.mark.parametrize("x0", [0.5, 0.123])  # a position of the slider, one between
def test_run_is_gradient_descent_from_any_start(make, x0):
    ex = make()
    expected = iterate(x0, 0.1, sp.steps_for(0.1))
    np.testing.assert_allclose(ex.run(x0, 0.1).thetas[:, 0], expected, rtol=1e-12)

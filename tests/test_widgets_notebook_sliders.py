"""The explorers behind the notebooks' own sliders: notebook 00's one step on a
parabola and notebook 01's residual squares. (Their shared contract is in
test_widgets_contract.py.)"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets import OneStepExplorer, ResidualExplorer

X, Y = gd.spring_lengths()  # notebook 01's data


@pytest.fixture
def one_step(explorer_factory):
    return explorer_factory(OneStepExplorer)


@pytest.fixture
def residuals(explorer_factory):
    return explorer_factory(ResidualExplorer)


@pytest.mark.parametrize(
    ("lr", "x1", "verdict"),
    [
        (0.1, 0.8, "closer to the bottom"),  # x₁ = (1 − 0.2)·1
        (0.5, 0.0, "closer to the bottom"),  # (1 − 1)·1 = 0: the bottom in one step
        (1.0, -1.0, "just as far away, on the other side"),  # (1 − 2)·1
        (1.5, -2.0, "further away than the start"),  # (1 − 3)·1
    ],
)
def test_one_step_lands_on_one_minus_two_eta_times_x0(one_step, lr, x1, verdict):
    ex = one_step(x0=1.0)
    ex.set(lr=lr)  # 0.1, 0.5, 1 and 1.5 are notches of the slider, exactly
    assert ex.values["lr"] == lr
    assert ex.x1() == pytest.approx(x1, abs=1e-15)
    np.testing.assert_array_equal(ex.after.get_xydata(), [[ex.x1(), ex.x1() ** 2]])
    assert ex.summary().endswith(verdict)
    assert ex.label.value == ex.summary()


def test_one_step_slider_notches_are_preferred_numbers(one_step):
    values = [v for _, v in one_step().controls["lr"].options]
    assert (values[0], values[-1]) == (0.001, 1.6)
    assert {0.001, 0.01, 0.1, 0.5, 1.0, 1.5} <= set(values)
    ratios = np.array(values[1:]) / np.array(values[:-1])
    assert ratios.min() > 1.04  # 10^(1/40) ≈ 1.059, rounded to three digits
    assert ratios.max() < 1.08


def test_one_step_validates_its_arguments():
    with pytest.raises(ValueError, match=r"x0 must satisfy 0 < \|x0\| <= 1.5, got 0"):
        OneStepExplorer(x0=0.0)
    with pytest.raises(ValueError, match="lr must be a notch of the slider"):
        OneStepExplorer(lr=0.123)
    assert plt.get_fignums() == []


@pytest.mark.parametrize(("w", "b"), [(0.3, 2.5), (1.0, 1.0), (-0.5, -2.0), (2.5, 5.0)])
def test_residual_squares_add_up_to_the_sse(residuals, w, b):
    ex = residuals(X, Y, w=0.3, b=2.5)
    ex.set(w=w, b=b)
    sse = gd.line_sse(w, b, X, Y)
    assert ex.sse() == pytest.approx(sse, rel=1e-12)
    # each square is |e_i| wide and |e_i| high: the areas add up to Σ e_i² = SSE
    corners = ex.corners()
    widths = corners[:, 1, 0] - corners[:, 0, 0]
    heights = np.abs(corners[:, 2, 1] - corners[:, 1, 1])
    assert np.sum(widths * heights) == pytest.approx(sse, rel=1e-12)
    assert ex.label.value == f"w = {w:.2f}, b = {b:.2f}:  SSE = {sse:.3f}"
    np.testing.assert_allclose(ex.art.line.get_ydata(), w * ex.art.line.get_xdata() + b)


def test_residuals_validate_their_arguments():
    with pytest.raises(
        ValueError, match="x and y must have the same length, got 6 and 5"
    ):
        ResidualExplorer(X, Y[:5])
    with pytest.raises(ValueError, match=r"w must be in \[-0.5, 2.5\], got 3"):
        ResidualExplorer(X, Y, w=3.0)
    assert plt.get_fignums() == []

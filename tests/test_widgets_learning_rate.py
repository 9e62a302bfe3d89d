"""LearningRateExplorer, driven headless under Agg: the drawn data follow the math."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets import Explorer, LearningRateExplorer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def make(explorer_factory):
    """Build LearningRateExplorers, closed (and their figures gone) after the test."""
    return explorer_factory(LearningRateExplorer)


def lr_positions(explorer):
    """The slider's minimum, a middle value and its maximum."""
    slider = explorer.controls["lr"]
    low, high = slider.base**slider.min, slider.base**slider.max
    return [low, float(np.sqrt(low * high)), high]


def path_x(explorer):
    return np.asarray(explorer.artists.path.get_xdata(), dtype=float)


# -- the parabola f(x) = x², λ = 2, 2/λ = 1 -------------------------------------------


def test_parabola_defaults(make):
    ex = make("parabola")
    assert isinstance(ex, Explorer)
    assert not ex.live  # Agg: shown as a PNG inside an ipywidgets.Image
    assert ex.lr_bound == 1.0  # 2/λ_max = 2/2
    # x0 = 0.8·4 = 3.2 (80 % of the way from the minimum 0 to the range end 4)
    np.testing.assert_array_equal(ex.theta0, [3.2])
    assert ex.values == {"lr": 0.1, "steps": 20}
    slider = ex.controls["lr"]
    # 2.5 decades below the bound and 0.3 above: 10^-2.5 ≈ 0.00316 to 10^0.3 ≈ 1.995
    assert (slider.min, slider.max) == (-2.5, 0.3)
    assert ex.controls["steps"].max == 50


@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("steps", [0, 25, 50])
def test_parabola_path_is_geometric(make, position, steps):
    ex = make("parabola")
    lr = lr_positions(ex)[position]
    ex.set(lr=lr, steps=steps)
    k = np.arange(steps + 1)
    expected = (1 - 2 * lr) ** k * 3.2  # x_k = (1 − 2η)^k·x0
    drawn = path_x(ex)
    assert len(drawn) == steps + 1
    # a point more than 10 spans outside the view is masked: |x| > 4 + 10·8 = 84,
    # or f(x) = x² above the y limit plus 10 y spans
    y_lo, y_hi = ex.artists.ax.get_ylim()
    far = (np.abs(expected) > 84.0) | (expected**2 > y_hi + 10 * (y_hi - y_lo))
    np.testing.assert_allclose(drawn[~far], expected[~far], rtol=1e-12)
    assert np.all(np.isnan(drawn[far]))
    np.testing.assert_allclose(
        ex.artists.path.get_ydata()[~far], expected[~far] ** 2, rtol=1e-12
    )
    assert ex.regime() == gd.classify_lr(lr, 2.0)
    assert gd.classify_lr(lr, 2.0) in ex.regime_label.value
    assert f"{gd.classify_lr(lr, 2.0)} · step {steps} of 50" in ex.title.get_text()


def test_parabola_regimes_at_the_three_slider_positions(make):
    ex = make("parabola")
    low, middle, high = lr_positions(ex)
    # 10^-2.5 ≈ 0.0032 and 10^-1.1 ≈ 0.079 are below 1/λ = 0.5; 10^0.3 ≈ 2 > 2/λ = 1
    assert [ex.set(lr=v).regime() for v in (low, middle, high)] == [
        gd.MONOTONE,
        gd.MONOTONE,
        gd.DIVERGING,
    ]
    assert [ex.set(lr=v).regime() for v in (0.75, 1.0)] == [gd.OSCILLATING, gd.PERIODIC]


def test_at_the_stable_bound_the_path_alternates_with_constant_magnitude(make):
    ex = make("parabola")
    ex.set(lr=1.0, steps=50)
    # x ← x − 1·2x = −x: 3.2, −3.2, 3.2, …
    np.testing.assert_array_equal(path_x(ex), 3.2 * (-1.0) ** np.arange(51))
    assert ex.regime() == gd.PERIODIC
    assert not ex.message.get_visible()
    # tangent at x_50 = 3.2: slope 6.4, half width 0.15·8 = 1.2 → y = 10.24 ∓ 7.68
    np.testing.assert_allclose(ex.artists.tangent.get_ydata(), [2.56, 17.92])


def test_steps_at_zero_shows_the_start_and_its_tangent(make):
    ex = make("parabola")
    ex.set(steps=0)
    np.testing.assert_array_equal(path_x(ex), [3.2])
    np.testing.assert_array_equal(ex.artists.current.get_xdata(), [3.2])
    # f′(3.2) = 6.4; x = 3.2 ∓ 1.2 → y = 10.24 ∓ 7.68
    np.testing.assert_allclose(ex.artists.tangent.get_xdata(), [2.0, 4.4])
    np.testing.assert_allclose(ex.artists.tangent.get_ydata(), [2.56, 17.92])


def test_above_the_bound_a_message_says_diverging_and_the_axes_stay(make):
    ex = make("parabola")
    xlim, ylim = ex.artists.ax.get_xlim(), ex.artists.ax.get_ylim()
    ex.set(lr=1.5, steps=50)  # |1 − 2·1.5| = 2: x_50 = 3.2·2^50 ≈ 3.6e15
    assert ex.regime() == gd.DIVERGING
    assert ex.message.get_visible()
    assert ex.message.get_text().startswith("Diverging: η = 1.5 > ")
    assert ex.message.get_text().endswith("= 2")  # the factor |1 − ηλ_max| = 2
    assert (ex.artists.ax.get_xlim(), ex.artists.ax.get_ylim()) == (xlim, ylim)
    assert not ex.artists.tangent.get_visible()
    assert ex.to_png().startswith(PNG_SIGNATURE)  # drawing does not warn either
    ex.set(lr=0.5)  # back to stable: the message goes away
    assert not ex.message.get_visible()


def test_an_overflowing_run_is_reported_on_the_figure(make):
    # with 2000 steps at η ≈ 2 (factor ≈ 3), |x| passes 1e150 near step 313
    ex = make("parabola", max_steps=2000, steps=2000)
    lr = lr_positions(ex)[2]
    ex.set(lr=lr)
    history = ex.run(lr)
    assert history.diverged
    assert f"overflowed at step {history.diverged_at}" in ex.message.get_text()
    assert ex.title.get_text().endswith(f"step {history.diverged_at} of 2000")
    ex.to_png()


# -- the bowl ½θᵀAθ with A = diag(1, 10), 2/λ_max = 0.2 ----------------------------


def bowl_path(lr, steps):
    """θ_k = ((1 − η)^k·2.4, (1 − 10η)^k·1.8) from θ0 = (0.8·3, 0.6·3)."""
    k = np.arange(steps + 1)
    return np.column_stack([(1 - lr) ** k * 2.4, (1 - 10 * lr) ** k * 1.8])


@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("steps", [0, 25, 50])
def test_bowl_trajectory_follows_the_eigen_directions(make, position, steps):
    ex = make("bowl")
    lr = lr_positions(ex)[position]
    ex.set(lr=lr, steps=steps)
    expected = bowl_path(lr, steps)
    drawn = np.asarray(ex.artists.points.get_offsets(), dtype=float)
    assert drawn.shape == (steps + 1, 2)
    far = np.any(np.abs(expected) > 3.0 + 10 * 6.0, axis=1)
    np.testing.assert_allclose(drawn[~far], expected[~far], rtol=1e-12, atol=1e-300)
    assert np.all(np.isnan(drawn[far]))
    H = np.diag([1.0, 10.0])
    assert ex.regime() == gd.classify_lr(lr, H)
    # the loss panel shows f(θ_k) − f* = ½(θ₁² + 10θ₂²)
    gap = 0.5 * (expected[:, 0] ** 2 + 10 * expected[:, 1] ** 2)
    loss_y = np.asarray(ex.loss_line.get_ydata(), dtype=float)
    np.testing.assert_allclose(loss_y, gap, rtol=1e-12)
    assert ex.message.get_visible() == (ex.regime() == gd.DIVERGING)


def test_bowl_at_the_bound_bounces_along_the_steep_axis(make):
    ex = make("bowl")
    assert ex.lr_bound == pytest.approx(0.2)
    ex.set(lr=0.2, steps=10)
    drawn = np.asarray(ex.artists.points.get_offsets())
    # steep axis: 1 − 10·0.2 = −1 → ±1.8; flat axis: 0.8^k·2.4
    np.testing.assert_allclose(drawn[:, 1], 1.8 * (-1.0) ** np.arange(11), rtol=1e-12)
    np.testing.assert_allclose(drawn[:, 0], 2.4 * 0.8 ** np.arange(11), rtol=1e-12)
    assert ex.regime() == gd.PERIODIC
    ex.set(lr=0.3)
    assert ex.regime() == gd.DIVERGING
    assert ex.message.get_visible()


def test_set_rejects_unknown_controls_and_values_out_of_range(make):
    ex = make("parabola")
    with pytest.raises(
        ValueError, match="unknown control 'eta'; controls are 'lr', 'steps'"
    ):
        ex.set(eta=0.1)
    with pytest.raises(ValueError, match=r"steps must be in \[0, 50\], got 51"):
        ex.set(steps=51)
    with pytest.raises(ValueError, match=r"lr must be in \[0.003162, 1.995\], got 5"):
        ex.set(lr=5)
    assert ex.values == {"lr": 0.1, "steps": 20}  # nothing was half-applied


def test_constructor_validates_its_arguments():
    with pytest.raises(
        ValueError, match="objective must be one of 'parabola', 'bowl', got 'cone'"
    ):
        LearningRateExplorer("cone")
    with pytest.raises(ValueError, match="objective must be 1-D or 2-D, got dim=None"):
        LearningRateExplorer(object())
    with pytest.raises(ValueError, match="steps must be <= max_steps=10, got 11"):
        LearningRateExplorer(steps=11, max_steps=10)
    with pytest.raises(ValueError, match="max_steps must be >= 1, got 0"):
        LearningRateExplorer(max_steps=0)
    with pytest.raises(ValueError, match=r"lr must be in \[0.00316, 2\], got 3"):
        LearningRateExplorer(lr=3.0)
    with pytest.raises(ValueError, match="lr must be positive and finite, got -1"):
        LearningRateExplorer(lr=-1.0)
    with pytest.raises(
        ValueError, match=r"theta0 must have 2 entries, got shape \(1,\)"
    ):
        LearningRateExplorer("bowl", theta0=[1.0])
    assert plt.get_fignums() == []


def test_other_objectives_and_start_points(make):
    ex = make(gd.parabola(a=2.0, c=1.0), theta0=2.0, steps=3)
    assert ex.lr_bound == 0.5  # f″ = 2a = 4 → 2/4
    ex.set(lr=0.1)
    # x − 1 ← (1 − 0.1·4)(x − 1) = 0.6(x − 1): 2, 1.6, 1.36, 1.216
    np.testing.assert_allclose(path_x(ex), [2.0, 1.6, 1.36, 1.216], rtol=1e-12)

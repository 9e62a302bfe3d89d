"""ConditioningExplorer, driven headless under Agg: the drawn data follow the math.

The bowl is ½(λ_min·u² + λ_max·v²) with λ_min = 1 and λ_max = κ, and the slider
sets η = φ·2/λ_max. Along the flat axis one step multiplies the error by
1 − η = 1 − 2φ/κ, along the steep axis by 1 − ηκ = 1 − 2φ. From the default start
θ0 = (2.4, 1.8) the iterates are θ_k = ((1 − 2φ/κ)^k·2.4, (1 − 2φ)^k·1.8).
"""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets import ConditioningExplorer, Explorer
from gdcore.widgets.conditioning import LOSS_FLOOR

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KAPPAS = [1.0, 10.0, 100.0]  # the κ slider's minimum, middle (10^1) and maximum
FRACS = [0.05, 0.6, 1.1]  # the η slider's minimum, a middle value and its maximum


@pytest.fixture
def make(explorer_factory):
    """Build ConditioningExplorers, closed (and their figures gone) after the test."""
    return explorer_factory(ConditioningExplorer)


def expected_path(kappa, frac, steps=50, theta0=(2.4, 1.8)):
    """θ_k = ((1 − η)^k·x0, (1 − ηκ)^k·y0) with η = 2φ/κ (axis-aligned bowl)."""
    lr = 2 * frac / kappa
    k = np.arange(steps + 1)
    return np.column_stack(
        [(1 - lr) ** k * theta0[0], (1 - lr * kappa) ** k * theta0[1]]
    )


def drawn_points(ex):
    return np.asarray(ex.artists.points.get_offsets(), dtype=float)


def test_defaults(make):
    ex = make()
    assert isinstance(ex, Explorer)
    assert not ex.live
    assert ex.values == {"kappa": 10.0, "lr_frac": 0.9}
    np.testing.assert_array_equal(ex.theta0, [2.4, 1.8])
    kappa, frac = ex.controls["kappa"], ex.controls["lr_frac"]
    assert (kappa.min, kappa.max, kappa.step) == (0.0, 2.0, 0.05)  # κ from 1 to 100
    assert (frac.min, frac.max, frac.step) == (0.05, 1.1, 0.01)
    assert ex.lr(10.0, 0.9) == pytest.approx(0.18)  # 0.9 · 2/10
    # flat factor 1 − 0.18 = 0.82, steep 1 − 1.8 = −0.8
    np.testing.assert_allclose(ex.factors(), (0.82, -0.8), rtol=1e-12)
    assert ex.regime() == gd.OSCILLATING


@pytest.fixture(scope="module")
def shared():
    """One explorer for the sweep over both sliders (moved, never rebuilt)."""
    explorer = ConditioningExplorer()
    yield explorer
    explorer.close()


@pytest.mark.parametrize("kappa", KAPPAS)
@pytest.mark.parametrize("frac", FRACS)
def test_trajectory_loss_and_factors_follow_the_eigen_factors(shared, kappa, frac):
    ex = shared
    ex.set(kappa=kappa, lr_frac=frac)
    expected = expected_path(kappa, frac)
    drawn = drawn_points(ex)
    assert drawn.shape == (51, 2)
    # points more than 10 axis spans (6 each) outside the view [−3, 3] are masked
    far = np.any(np.abs(expected) > 3.0 + 10 * 6.0, axis=1)
    np.testing.assert_allclose(drawn[~far], expected[~far], rtol=1e-12, atol=1e-300)
    assert np.all(np.isnan(drawn[far]))
    # the loss panel: f(θ_k) = ½(x_k² + κ·y_k²), never below the floor of the axis
    loss = 0.5 * (expected[:, 0] ** 2 + kappa * expected[:, 1] ** 2)
    np.testing.assert_allclose(
        ex.loss_line.get_ydata(), np.maximum(loss, LOSS_FLOOR), rtol=1e-12
    )
    # the factor panel: the flat curve |1 − 2φ/κ| over the φ grid, the best η*
    # at φ* = κ/(κ + 1) with factor (κ − 1)/(κ + 1), and the worst factor now
    grid = np.asarray(ex.flat_line.get_xdata())
    np.testing.assert_allclose(ex.flat_line.get_ydata(), np.abs(1 - 2 * grid / kappa))
    np.testing.assert_allclose(
        np.column_stack(ex.best.get_data()),
        [[kappa / (kappa + 1), (kappa - 1) / (kappa + 1)]],
    )
    worst = max(abs(1 - 2 * frac / kappa), abs(1 - 2 * frac))
    np.testing.assert_allclose(np.column_stack(ex.marker.get_data()), [[frac, worst]])
    H = np.diag([1.0, kappa])
    lr = 2 * frac / kappa
    assert ex.regime() == gd.classify_lr(lr, H)
    assert worst == pytest.approx(gd.convergence_factor(H, lr), rel=1e-12)
    assert ex.message.get_visible() == (ex.regime() == gd.DIVERGING)
    assert ex.title.get_text().startswith(f"κ = {kappa:.3g}: η = {frac:.2f} × ")


def test_round_bowl_at_half_the_bound_lands_in_one_step(make):
    ex = make()
    ex.set(kappa=1.0, lr_frac=0.5)  # η = 0.5·2/1 = 1 = 1/λ: both factors are 0
    drawn = drawn_points(ex)
    np.testing.assert_array_equal(drawn[0], [2.4, 1.8])
    np.testing.assert_array_equal(drawn[1:], 0.0)
    # f(θ0) = ½(2.4² + 1.8²) = ½(5.76 + 3.24) = 4.5, then exactly 0: drawn at the floor
    np.testing.assert_allclose(ex.loss_line.get_ydata(), [4.5] + [LOSS_FLOOR] * 50)
    assert ex.regime() == gd.MONOTONE
    assert "worst factor 0.000 per step" in ex.title.get_text()


def test_at_the_bound_the_steep_direction_bounces(make):
    ex = make()
    ex.set(kappa=10.0, lr_frac=1.0)  # η = 0.2: steep 1 − 2 = −1, flat 1 − 0.2 = 0.8
    drawn = drawn_points(ex)
    np.testing.assert_allclose(drawn[:, 1], 1.8 * (-1.0) ** np.arange(51), rtol=1e-12)
    np.testing.assert_allclose(drawn[:, 0], 2.4 * 0.8 ** np.arange(51), rtol=1e-12)
    assert ex.regime() == gd.PERIODIC
    assert not ex.message.get_visible()


def test_above_the_bound_a_message_says_so_and_the_axes_stay(make):
    ex = make()
    limits = ex.ax_bowl.get_xlim(), ex.ax_bowl.get_ylim()
    position = ex.ax_bowl.get_position().bounds
    ex.set(lr_frac=1.1)  # steep factor 1 − 2.2 = −1.2
    assert ex.regime() == gd.DIVERGING
    assert ex.message.get_visible()
    assert ex.message.get_text().endswith("the steep error grows × 1.20 per step")
    assert (ex.ax_bowl.get_xlim(), ex.ax_bowl.get_ylim()) == limits
    assert ex.to_png().startswith(PNG_SIGNATURE)  # no warning either
    assert ex.ax_bowl.get_position().bounds == position  # the message is not laid out
    ex.set(lr_frac=0.5)
    assert not ex.message.get_visible()


def test_an_overflowing_run_is_reported_on_the_figure(make):
    # steep error 1.8·1.2^k: the loss ½·10·(1.8·1.2^k)² passes 1e150 near k = 940
    ex = make(steps=2000, lr_frac=1.1)
    history = ex.run(10.0, 1.1)
    assert history.diverged
    assert 900 < history.diverged_at < 1000
    assert f"overflowed at step {history.diverged_at}" in ex.message.get_text()
    ex.to_png()


def test_a_turned_bowl_turns_the_path_with_it(make):
    angle = 0.5
    ex = make(angle=angle, kappa=10.0, lr_frac=0.7)
    c, s = math.cos(angle), math.sin(angle)
    R = np.array([[c, -s], [s, c]])  # columns: the flat and the steep direction
    np.testing.assert_allclose(ex.theta0, R @ [2.4, 1.8])
    expected = expected_path(10.0, 0.7) @ R.T
    np.testing.assert_allclose(drawn_points(ex), expected, rtol=1e-9, atol=1e-12)


def test_set_rejects_unknown_controls_and_values_out_of_range(make):
    ex = make()
    with pytest.raises(ValueError, match=r"kappa must be in \[1, 100\], got 200"):
        ex.set(kappa=200)
    with pytest.raises(ValueError, match=r"lr_frac must be in \[0.05, 1.1\], got 2"):
        ex.set(lr_frac=2)
    with pytest.raises(ValueError, match="unknown control 'lr'"):
        ex.set(lr=0.1)
    assert ex.values == {"kappa": 10.0, "lr_frac": 0.9}


def test_constructor_validates_its_arguments():
    with pytest.raises(ValueError, match=r"kappa must be in \[1, 100\], got 0.5"):
        ConditioningExplorer(kappa=0.5)
    with pytest.raises(TypeError, match="kappa must be a real number, got 'ten'"):
        ConditioningExplorer(kappa="ten")
    with pytest.raises(ValueError, match=r"lr_frac must be in \[0.05, 1.1\], got 2.0"):
        ConditioningExplorer(lr_frac=2.0)
    with pytest.raises(ValueError, match="lr_frac must be positive and finite, got -1"):
        ConditioningExplorer(lr_frac=-1)
    with pytest.raises(ValueError, match="steps must be >= 1, got 0"):
        ConditioningExplorer(steps=0)
    with pytest.raises(ValueError, match="angle must be finite, got inf"):
        ConditioningExplorer(angle=math.inf)
    with pytest.raises(
        ValueError, match=r"theta0 must have 2 entries, got shape \(3,\)"
    ):
        ConditioningExplorer(theta0=[1.0, 2.0, 3.0])
    assert plt.get_fignums() == []

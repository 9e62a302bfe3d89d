"""HouseStepper, driven headless under Agg: the figure and the table follow the math.

The five houses: x = 500, 1000, …, 2500 sq ft, y = 150, 200, …, 350 ($1000s), start
w = 0.05, b = 100, loss MSE. The expected numbers are computed here independently
(a plain loop of w ← w − η·(2/N)Σe·x, b ← b − η·(2/N)Σe) or by hand.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdcore as gd
from gdcore.plotting import visible_segment as _visible_segment
from gdcore.widgets import Explorer, HouseStepper
from gdcore.widgets.house import LOSS_YLIM
from gdcore.widgets.house import html as _html
from gdcore.widgets.house import plain as _plain

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
X, Y = gd.house_prices()
MEAN, STD = 1500.0, 500.0 * np.sqrt(2.0)  # std of 500…2500: √(mean of 1000², 500², 0…)


@pytest.fixture
def make(explorer_factory):
    """Build HouseSteppers, closed (and their figures gone) after the test."""
    return explorer_factory(HouseStepper)


def descent(lr, standardise, steps, w0=0.05, b0=100.0):
    """θ = (w, b) after each of ``steps`` plain gradient-descent updates.

    In the units of the run: on z = (x − μ)/σ when ``standardise``, starting from
    the same line, (w0·σ, b0 + w0·μ).
    """
    feature = (X - MEAN) / STD if standardise else X
    w, b = (w0 * STD, b0 + w0 * MEAN) if standardise else (w0, b0)
    path = [(w, b)]
    for _ in range(steps):
        err = w * feature + b - Y
        w, b = w - lr * 2 / 5 * np.sum(err * feature), b - lr * 2 / 5 * np.sum(err)
        path.append((w, b))
    return np.array(path)


def to_raw(path):
    """Lines on z back in sq ft: w = w_z/σ, b = b_z − w_z·μ/σ."""
    path = np.atleast_2d(path)
    return np.column_stack([path[:, 0] / STD, path[:, 1] - path[:, 0] * MEAN / STD])


def mse(w, b, feature=X):
    return np.mean((w * feature + b - Y) ** 2)


def lr_positions(explorer):
    slider = explorer.controls["lr"]
    low, high = slider.base**slider.min, slider.base**slider.max
    return [low, float(np.sqrt(low * high)), high]


# -- the article's worked example ----------------------------------------------------


def test_defaults_are_the_articles_first_step(make):
    ex = make()
    assert isinstance(ex, Explorer)
    assert not ex.live
    assert ex.values == {"step": 0, "lr": 1e-5, "standardise": False}
    assert list(ex.controls) == ["step", "lr", "standardise"]
    s = ex.step_numbers()
    # ŷ = 0.05·x + 100 = 125, 150, 175, 200, 225; e = −25, −50, −75, −100, −125
    np.testing.assert_array_equal(s.y_hat, [125, 150, 175, 200, 225])
    np.testing.assert_array_equal(s.err, [-25, -50, -75, -100, -125])
    assert s.loss == 6875  # (625 + 2500 + 5625 + 10000 + 15625)/5 = 34375/5
    assert s.dw == -275_000  # (2/5)·(−687,500)
    assert s.db == -150  # (2/5)·(−375)
    np.testing.assert_allclose([1e-5 * s.dw, 1e-5 * s.db], [-2.75, -0.0015], rtol=1e-15)
    np.testing.assert_allclose([s.w_new, s.b_new], [2.8, 100.0015], rtol=1e-15)
    table = ex.table.value
    for text in ("6,875", "−275,000", "−150", "−2.75", "−0.0015", "2.8", "100.0015"):
        assert f">{text}<" in table, text
    for text in ("−12,500", "−312,500", "−687,500", "15,625", "34,375", "−375"):
        assert f">{text}<" in table, text  # the columns e·x, e² and their sums
    # the line after the update, ŷ = 2.8x + 100.0015, is far above the data
    assert "ŷ = 2.8·x + 100.0015, lies outside the figure" in table


def test_the_articles_smaller_step(make):
    ex = make(lr=1e-7)
    s = ex.step_numbers()
    # w = 0.05 + 1e−7·275,000 = 0.0775; b = 100 + 1e−7·150 = 100.000015
    np.testing.assert_allclose([s.w_new, s.b_new], [0.0775, 100.000015], rtol=1e-15)
    table = ex.table.value
    assert ">0.0775<" in table
    assert ">100.000015<" in table
    assert ">−0.0275<" in table  # η·∂L/∂w
    assert ">−1.5×10<sup>−5</sup><" in table  # η·∂L/∂b = −0.000015
    np.testing.assert_allclose(
        ex.next_line.get_ydata(),
        0.0775 * np.asarray(ex.next_line.get_xdata()) + 100.000015,
        rtol=1e-12,
    )


def test_hessians_bounds_and_condition_numbers(make):
    ex = make()
    raw, std = ex.scalings[False], ex.scalings[True]
    # H = (2/N)XᵀX = [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]], mean(x²) = 2.75e6
    np.testing.assert_allclose(raw.H, [[5.5e6, 3000.0], [3000.0, 2.0]])
    # λ = (tr ± √(tr² − 4·det))/2 with tr = 5,500,002 and det = 11e6 − 9e6 = 2e6
    tr, det = 5_500_002.0, 2e6
    lam_max = (tr + np.sqrt(tr**2 - 4 * det)) / 2
    np.testing.assert_allclose(raw.lr_bound, 2 / lam_max, rtol=1e-12)
    assert 3.636e-7 < raw.lr_bound < 3.637e-7
    np.testing.assert_allclose(raw.kappa, lam_max / (det / lam_max), rtol=1e-9)
    assert 1.5e7 < raw.kappa < 1.52e7
    np.testing.assert_allclose(std.H, [[2.0, 0.0], [0.0, 2.0]], atol=1e-15)
    np.testing.assert_allclose([std.lr_bound, std.kappa], [1.0, 1.0], rtol=1e-12)
    # the standardised run starts on the same line: (0.05·σ, 100 + 0.05·μ)
    np.testing.assert_allclose(std.theta0, [0.05 * STD, 175.0])
    table = ex.table.value
    assert "κ = 1.513×10<sup>7</sup>" in table
    assert "2/λ<sub>max</sub> = 3.636×10<sup>−7</sup>" in table


# -- every control at its minimum, middle and maximum ------------------------------


@pytest.mark.parametrize("standardise", [False, True])
@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("step", [0, 50, 100])
def test_drawn_line_and_loss_follow_the_descent(make, standardise, position, step):
    ex = make()
    lr = lr_positions(ex)[position]
    ex.set(lr=lr, step=step, standardise=standardise)
    history = ex.history()
    s = ex.step_numbers()
    k = s.k
    assert k == min(step, history.steps)
    path = descent(lr, standardise, k + 1)
    np.testing.assert_allclose([s.w, s.b], path[k], rtol=1e-9)
    np.testing.assert_allclose([s.w_new, s.b_new], path[k + 1], rtol=1e-9)
    # the line is drawn where it passes through the view, exactly on ŷ = w·x + b
    w, b = ex.to_raw(s.w, s.b)
    xs = np.asarray(ex.regression.line.get_xdata(), dtype=float)
    ys = np.asarray(ex.regression.line.get_ydata(), dtype=float)
    if np.all(np.isfinite(xs)):
        np.testing.assert_allclose(ys, w * xs + b, rtol=1e-9, atol=1e-9)
    # the loss curve: L(θ_0 … θ_k), clipped just past the fixed limits
    feature = (X - MEAN) / STD if standardise else X
    expected = np.array([mse(*p, feature) for p in path[: k + 1]])
    drawn = np.asarray(ex.loss_line.get_ydata(), dtype=float)
    inside = (expected > LOSS_YLIM[0]) & (expected < LOSS_YLIM[1])
    np.testing.assert_allclose(drawn[inside], expected[inside], rtol=1e-6)
    assert np.all((drawn[~inside] <= LOSS_YLIM[0]) | (drawn[~inside] >= LOSS_YLIM[1]))
    assert ex.loss_line.axes.get_ylim() == pytest.approx(LOSS_YLIM)
    # the η marker sits on the row of the current scaling
    assert list(ex.marker.get_xdata()) == [lr]
    assert ex.marker.get_ydata()[0] == (0.42 if standardise else 1.42)
    H = ex.scalings[standardise].H
    assert ex.regime() == gd.classify_lr(lr, H)
    assert ex.message.get_visible() == (ex.regime() in (gd.DIVERGING, gd.PERIODIC))
    assert f"step {k} of 100" in ex.title.get_text()


def test_at_the_slider_ends(make):
    ex = make(step=100)
    ex.set(lr=1e-8)  # tiny steps on raw sq ft: still monotone, w creeps up
    assert ex.regime() == gd.MONOTONE
    assert 0.05 < ex.step_numbers().w < 0.1
    ex.set(lr=10**0.3)  # η ≈ 2: both scalings diverge
    assert ex.regime() == gd.DIVERGING
    ex.set(standardise=True)
    assert ex.regime() == gd.DIVERGING
    # |1 − 2η| = |1 − 2·10^0.3| ≈ 2.99 per step
    assert "the error grows ×2.99 per step" in ex.message.get_text()
    ex.to_png()


# -- divergence ------------------------------------------------------------------


def test_the_articles_step_diverges_and_the_run_stops(make):
    ex = make()
    xlim, ylim = ex.regression.ax.get_xlim(), ex.regression.ax.get_ylim()
    ex.set(step=3)
    # each step multiplies the error by up to |1 − 1e−5·λ_max| ≈ 54
    assert ex.message.get_visible()
    assert ex.message.get_text() == (
        "Diverging: η > 2/λ_max = 3.64e-7\nthe error grows ×54 per step"
    )
    losses = [mse(*p) for p in descent(1e-5, False, 3)]
    np.testing.assert_allclose(ex.loss_line.get_ydata()[:2], losses[:2], rtol=1e-9)
    assert losses[1] > 1e7  # 6,875 → about 2.0e7 after one step
    ex.set(step=100)
    history = ex.history()
    assert history.diverged
    assert history.diverged_at == 43  # the loss passes 1e150 at step 43
    assert ex.step_numbers().k == 43
    assert "step 43 of 100 (overflow: the run stops)" in ex.title.get_text()
    assert "the loss passed 10<sup>150</sup>" in ex.table.value
    assert (ex.regression.ax.get_xlim(), ex.regression.ax.get_ylim()) == (xlim, ylim)
    assert not np.any(np.isfinite(ex.regression.line.get_xdata()))  # off the chart
    assert ex.to_png().startswith(PNG_SIGNATURE)  # drawing does not warn either
    ex.set(lr=1e-7)
    assert not ex.message.get_visible()


@pytest.mark.parametrize(("lr", "at"), [(1e-6, 112), (1e-3, 20), (10**-0.3, 12)])
def test_the_articles_other_rates_diverge_on_raw_square_feet(make, lr, at):
    ex = make(lr=lr, step=100)
    assert ex.regime() == gd.DIVERGING
    assert ex.history().diverged == (at <= 100)
    if at <= 100:
        assert ex.history().diverged_at == at


def test_one_standardised_step_at_half_reaches_the_minimum(make):
    ex = make(lr=0.5, standardise=True, step=1)
    s = ex.step_numbers()
    # H = 2I, so θ ← θ − 0.5·2(θ − θ*) = θ*: w = 0.1, b = 100 in raw units
    np.testing.assert_allclose(ex.to_raw(s.w, s.b), (0.1, 100.0), rtol=1e-12)
    np.testing.assert_allclose(ex.to_raw(s.w, s.b), gd.fit_line(X, Y), rtol=1e-12)
    assert s.loss == pytest.approx(0.0, abs=1e-20)
    # a loss of 0 is drawn just below the log axis
    assert ex.loss_point.get_ydata()[0] < LOSS_YLIM[0]
    assert ">0.1<" in ex.table.value
    assert ">100<" in ex.table.value
    assert "z = (x − μ)/σ" in ex.table.value


def test_at_the_standardised_bound_the_error_flips_forever(make):
    ex = make(lr=1.0, standardise=True, step=7)
    assert ex.regime() == gd.PERIODIC
    assert "flips sign and never shrinks" in ex.message.get_text()
    # w_z − w_z* flips sign each step: after 7 steps w = 0.1 + 0.05 = 0.15 in sq ft
    np.testing.assert_allclose(ex.to_raw(*ex.history().thetas[7]), (0.15, 100.0))
    np.testing.assert_allclose(to_raw(descent(1.0, True, 7)[7]), [[0.15, 100.0]])
    np.testing.assert_allclose(ex.history().losses, 6875.0)


def test_a_stable_rate_on_raw_square_feet_leaves_b_stuck(make):
    ex = make(lr=10**-6.5, step=100)  # 3.16e−7 < 2/λ_max ≈ 3.64e−7
    assert ex.regime() == gd.OSCILLATING
    w, b = ex.step_numbers()[1:3]
    assert abs(w - 0.1) < 1e-7
    assert 2e-5 < b - 100 < 3e-5  # b has moved away from 100, and stays there
    assert ex.step_numbers().loss < 1e-9


def test_another_start_line(make):
    ex = make(w0=0.0, b0=0.0, lr=1e-7, step=2)
    np.testing.assert_allclose(ex.history().thetas, descent(1e-7, False, 100, 0, 0))
    ex.set(standardise=True)
    np.testing.assert_allclose(ex.history().thetas, descent(1e-7, True, 100, 0, 0))


# -- formatting, clipping, caching --------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (6875.0, "6,875"),
        (-275000.0, "−275,000"),
        (100.00001500000001, "100.000015"),
        (0.05 + 2.75, "2.8"),
        (-1.5e-5, "−1.5×10<sup>−5</sup>"),
        (1.2345e40, "1.2345×10<sup>40</sup>"),
        (2.5e9, "2.5×10<sup>9</sup>"),  # from 1e9 on, powers of ten (not 2,500,000,000)
        (-0.0, "0"),
        (float("inf"), "overflow"),
    ],
)
def test_numbers_in_the_table(value, text):
    assert _html(value) == text


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (3.636e-7, 3, "3.64e-7"),  # 2/λ_max on raw square feet, as the figure says
        (1.0, 3, "1"),
        (1234.5, 3, "1.23e+3"),  # past 3 digits, a power of ten
        (2.8, 6, "2.8"),
        (float("nan"), 6, "overflow"),
    ],
)
def test_numbers_in_the_figure(value, digits, text):
    assert _plain(value, digits) == text


def test_a_steep_line_is_clipped_to_the_view(make):
    ex = make()
    ax = ex.regression.ax  # x in [340, 2660], y in [100, 400]
    xs, ys = _visible_segment(0.5, 0.0, ax, margin=0.0)
    # 0.5·x reaches y = 400 at x = 800: the segment runs from x = 340 to 800
    np.testing.assert_allclose(xs, [340.0, 800.0])
    np.testing.assert_allclose(ys, [170.0, 400.0])
    assert np.all(np.isnan(_visible_segment(2.8, 100.0015, ax, margin=0.0)[0]))
    assert np.all(np.isnan(_visible_segment(np.inf, 0.0, ax)[0]))
    np.testing.assert_allclose(_visible_segment(0.0, 250.0, ax)[1], [250.0, 250.0])


def test_set_rejects_values_out_of_range(make):
    ex = make()
    with pytest.raises(ValueError, match=r"step must be in \[0, 100\], got 101"):
        ex.set(step=101)
    with pytest.raises(ValueError, match=r"lr must be in \[1e-08, 1.995\], got 3"):
        ex.set(lr=3)
    with pytest.raises(ValueError, match="unknown control 'alpha'"):
        ex.set(alpha=1e-5)
    assert ex.values == {"step": 0, "lr": 1e-5, "standardise": False}


def test_constructor_validates_its_arguments():
    with pytest.raises(ValueError, match="step must be <= max_steps=10, got 11"):
        HouseStepper(step=11, max_steps=10)
    with pytest.raises(ValueError, match="max_steps must be >= 1, got 0"):
        HouseStepper(max_steps=0)
    with pytest.raises(ValueError, match=r"lr must be in \[1e-08, 2\], got 5"):
        HouseStepper(lr=5.0)
    with pytest.raises(ValueError, match="lr must be positive and finite, got -1"):
        HouseStepper(lr=-1.0)
    with pytest.raises(TypeError, match="standardise must be a bool, got 1"):
        HouseStepper(standardise=1)
    with pytest.raises(ValueError, match="w0 must be finite, got nan"):
        HouseStepper(w0=float("nan"))
    assert plt.get_fignums() == []

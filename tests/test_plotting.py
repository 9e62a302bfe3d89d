"""gdcore.plotting: each helper draws the right artists with the right data."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd
from gdcore import plotting


@pytest.fixture(autouse=True)
def no_figure_leaks():
    """Every test starts and ends with no open pyplot figure."""
    plt.close("all")
    yield
    plt.close("all")


def render(ax) -> bytes:
    """Draw the whole figure to PNG: any warning raised while drawing fails the test."""
    buffer = io.BytesIO()
    ax.figure.savefig(buffer, format="png")
    return buffer.getvalue()


class Quadratic1D:
    """A duck-typed 1-D objective without value_grid (exercises the loop fallback)."""

    plot_range = ((-4.0, 4.0),)

    def value(self, theta):
        return float(np.asarray(theta, dtype=float).reshape(-1)[0] ** 2)

    def grad(self, theta):
        return 2 * np.asarray(theta, dtype=float).reshape(1)


# -- palette -----------------------------------------------------------------------


def test_okabe_ito_palette_is_the_published_one():
    assert plotting.OKABE_ITO == {
        "black": "#000000",
        "orange": "#E69F00",
        "sky_blue": "#56B4E9",
        "bluish_green": "#009E73",
        "yellow": "#F0E442",
        "blue": "#0072B2",
        "vermillion": "#D55E00",
        "reddish_purple": "#CC79A7",
    }
    assert sorted(plotting.PALETTE) == sorted(plotting.OKABE_ITO.values())
    assert plotting.PALETTE[0] == "#0072B2"  # runs start with blue, yellow is last
    assert plotting.PALETTE[-1] == "#F0E442"


# -- utilities ---------------------------------------------------------------------


def test_mask_far_masks_non_finite_and_far_rows_without_mutating():
    # limits (0, 1), margin 10 → rows with x in [0 − 10·1, 1 + 10·1] = [−10, 11] stay
    points = np.array([[0.5], [11.0], [11.5], [np.nan], [np.inf], [-10.0], [-10.5]])
    before = points.copy()
    out = plotting.mask_far(points, [(0.0, 1.0)], margin=10.0)
    np.testing.assert_array_equal(
        out[:, 0], [0.5, 11.0, np.nan, np.nan, np.nan, -10.0, np.nan]
    )
    np.testing.assert_array_equal(points, before)


def test_mask_far_masks_a_whole_row_when_one_coordinate_is_far():
    out = plotting.mask_far([[0.5, 0.5], [0.5, 1e150]], [(0, 1), (0, 1)])
    np.testing.assert_array_equal(out, [[0.5, 0.5], [np.nan, np.nan]])


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=True, allow_infinity=True, width=64),
        min_size=1,
        max_size=20,
    )
)
def test_mask_far_keeps_near_values_and_drops_the_rest(values):
    out = plotting.mask_far(np.array(values)[:, None], [(-1.0, 1.0)], margin=2.0)[:, 0]
    for v, o in zip(values, out, strict=True):
        if np.isfinite(v) and -5.0 <= v <= 5.0:  # −1 − 2·2, 1 + 2·2
            assert o == v
        else:
            assert np.isnan(o)


def test_log_levels_are_zero_then_log_spaced():
    # top 100, smallest positive 1 > 100·1e-4 → geomspace(1, 100, 3) = 1, 10, 100
    z = np.array([0.0, 1.0, 10.0, 100.0])
    np.testing.assert_allclose(plotting.log_levels(z, 3), [0.0, 1.0, 10.0, 100.0])
    # smallest positive 1e-9 is below 100·1e-4 = 0.01, so the levels start at 0.01
    z = np.array([0.0, 1e-9, 100.0])
    np.testing.assert_allclose(plotting.log_levels(z, 3), [0.0, 0.01, 1.0, 100.0])


def test_log_levels_of_a_flat_surface_are_still_increasing():
    levels = plotting.log_levels(np.zeros((3, 3)), 4)
    assert np.all(np.diff(levels) > 0)


def test_evaluate_uses_value_grid_or_the_point_by_point_fallback():
    xs = np.linspace(-2, 2, 5)[:, None]
    expected = [4.0, 1.0, 0.0, 1.0, 4.0]
    np.testing.assert_allclose(plotting.evaluate(gd.parabola(), xs), expected)
    np.testing.assert_allclose(plotting.evaluate(Quadratic1D(), xs), expected)


def test_new_axes_returns_the_given_axes_or_makes_one_figure():
    _fig, ax = plt.subplots()
    assert plotting.new_axes(ax) is ax
    made = plotting.new_axes()
    assert made is not ax
    assert tuple(made.figure.get_size_inches()) == plotting.FIGSIZE
    assert len(plt.get_fignums()) == 2


# -- 1-D curve -----------------------------------------------------------------------


def test_plot_curve_1d_draws_curve_path_current_and_tangent():
    # x² with η = 0.2: x ← (1 − 0.4)·x = 0.6·x; 3.2 → 1.92 → 1.152
    path = [3.2, 1.92, 1.152]
    art = plotting.plot_curve_1d(gd.parabola(), path=path)
    assert isinstance(art, plotting.Curve1D)
    np.testing.assert_allclose(art.curve.get_xdata(), np.linspace(-4, 4, 400))
    np.testing.assert_allclose(art.curve.get_ydata(), np.linspace(-4, 4, 400) ** 2)
    np.testing.assert_allclose(art.path.get_xdata(), path)
    np.testing.assert_allclose(art.path.get_ydata(), [10.24, 3.6864, 1.327104])
    np.testing.assert_allclose(art.current.get_xdata(), [1.152])
    np.testing.assert_allclose(art.current.get_ydata(), [1.327104])
    # slope f′(1.152) = 2.304, half width 0.15·(4 − (−4)) = 1.2:
    # x = 1.152 ∓ 1.2 = −0.048, 2.352; y = 1.327104 ∓ 2.304·1.2 = −1.437696, 4.091904
    assert art.tangent.get_visible()
    np.testing.assert_allclose(art.tangent.get_xdata(), [-0.048, 2.352])
    np.testing.assert_allclose(art.tangent.get_ydata(), [-1.437696, 4.091904])
    assert art.ax.get_xlim() == (-4.0, 4.0)
    assert art.ax.get_ylim()[1] > 16.0  # the whole curve is in view
    assert art.ax.get_xlabel() == "x"
    assert art.ax.get_ylabel() == "f(x)"
    render(art.ax)


def test_plot_curve_1d_uses_the_given_axes_and_range():
    fig, ax = plt.subplots()
    art = plotting.plot_curve_1d(Quadratic1D(), ax=ax, x_range=(-1.0, 3.0), n_points=5)
    assert art.ax is ax
    assert plt.get_fignums() == [fig.number]
    np.testing.assert_allclose(art.curve.get_xdata(), [-1, 0, 1, 2, 3])
    np.testing.assert_allclose(art.curve.get_ydata(), [1, 0, 1, 4, 9])
    assert art.ax.get_xlim() == (-1.0, 3.0)
    assert len(art.path.get_xdata()) == 0  # no path given: nothing drawn yet
    assert not art.tangent.get_visible() or len(art.tangent.get_xdata()) == 0


def test_set_path_1d_masks_a_runaway_path_and_hides_its_tangent():
    art = plotting.plot_curve_1d(gd.parabola())
    plotting.set_path_1d(art, np.array([3.2, -1e6]), np.array([10.24, 1e12]), slope=1.0)
    np.testing.assert_array_equal(art.path.get_xdata(), [3.2, np.nan])
    assert not art.current.get_visible()
    assert not art.tangent.get_visible()
    plotting.set_path_1d(art, np.array([1.0]), np.array([1.0]), slope=None)
    assert art.current.get_visible()
    assert not art.tangent.get_visible()  # slope None hides the tangent
    render(art.ax)


@settings(max_examples=20, deadline=None)
@given(
    a=st.floats(0.1, 5.0),
    c=st.floats(-2.0, 2.0),
    x=st.floats(-1.5, 1.5),
)
def test_tangent_slope_matches_finite_differences(a, c, x):
    objective = gd.parabola(a=a, c=c)
    art = plotting.plot_curve_1d(objective, path=[c + x], n_points=3)
    (x0, x1), (y0, y1) = art.tangent.get_xdata(), art.tangent.get_ydata()
    h = 1e-6
    numerical = (objective.value(c + x + h) - objective.value(c + x - h)) / (2 * h)
    assert (y1 - y0) / (x1 - x0) == pytest.approx(numerical, rel=1e-6, abs=1e-6)
    assert (y0 + y1) / 2 == pytest.approx(objective.value(c + x))  # through f(x)
    plt.close(art.ax.figure)


# -- 2-D contour -----------------------------------------------------------------------


def test_plot_contour_2d_draws_background_trajectory_and_markers():
    bowl = gd.quadratic_bowl()  # ½(θ₁² + 10θ₂²), minimum (0, 0)
    thetas = np.array([[2.0, 1.0], [1.8, 0.0], [1.62, -0.2]])
    art = plotting.plot_contour_2d(bowl, thetas, n_grid=41, n_levels=6)
    assert isinstance(art, plotting.Contour2D)
    levels = np.asarray(art.filled.levels)
    assert levels[0] == 0.0
    # the highest level is the largest f on the grid: ½(9 + 10·9) = 49.5 at a corner
    assert levels[-1] == pytest.approx(49.5)
    ratios = levels[2:] / levels[1:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # log spaced
    np.testing.assert_allclose(art.lines.levels, levels[1:])
    segments = art.trajectory.get_segments()
    np.testing.assert_allclose(segments, [thetas[:2], thetas[1:]])
    np.testing.assert_array_equal(art.trajectory.get_array(), [0, 1])
    np.testing.assert_allclose(art.points.get_offsets(), thetas)
    np.testing.assert_array_equal(art.points.get_array(), [0, 1, 2])
    # default colour scale: step 0 → first colour, last step (2) → last colour
    assert (art.trajectory.norm.vmin, art.trajectory.norm.vmax) == (0, 2)
    np.testing.assert_allclose(np.ravel(art.start.get_data()), [2.0, 1.0])
    np.testing.assert_allclose(np.ravel(art.current.get_data()), [1.62, -0.2])
    np.testing.assert_allclose(np.ravel(art.minimum.get_data()), [0.0, 0.0])
    assert art.ax.get_xlim() == (-3.0, 3.0)
    assert art.ax.get_ylim() == (-3.0, 3.0)
    assert (art.ax.get_xlabel(), art.ax.get_ylabel()) == ("θ₁", "θ₂")
    render(art.ax)


def test_set_trajectory_fixed_colours_and_a_runaway_path():
    fig, ax = plt.subplots()
    art = plotting.plot_contour_2d(gd.quadratic_bowl(), ax=ax, n_grid=21)
    assert art.ax is ax
    assert plt.get_fignums() == [fig.number]
    assert len(art.trajectory.get_segments()) == 0
    thetas = np.array([[1.0, 1.0], [-2.0, -5.0], [4.0, 1e200]])
    plotting.set_trajectory(art, thetas, n_colors=51)
    assert art.trajectory.norm.vmax == 50  # step k keeps colour k/50
    offsets = np.asarray(art.points.get_offsets())
    np.testing.assert_array_equal(offsets[2], [np.nan, np.nan])
    np.testing.assert_allclose(offsets[:2], thetas[:2])
    assert not art.current.get_visible()
    render(ax)


def test_long_trajectories_are_drawn_without_dots():
    art = plotting.plot_contour_2d(gd.quadratic_bowl(), n_grid=21)
    plotting.set_trajectory(art, np.zeros((plotting.MAX_DOTS + 1, 2)))
    assert list(art.points.get_sizes()) == [0.0]
    plotting.set_trajectory(art, np.zeros((3, 2)))
    assert list(art.points.get_sizes()) == [14.0]


def test_contour_of_a_duck_typed_objective_uses_the_fallback():
    class Bowl:
        plot_range = ((-1.0, 1.0), (-1.0, 1.0))
        minimizers = np.zeros((1, 2))
        min_value = 0.0

        def value(self, theta):
            return float(theta[0] ** 2 + theta[1] ** 2)

    art = plotting.plot_contour_2d(Bowl(), n_grid=11, n_levels=4)
    assert art.filled.levels[-1] == pytest.approx(2.0)  # corner (±1, ±1)


# -- loss curves -----------------------------------------------------------------------


def test_plot_loss_curves_overlays_runs_on_a_log_axis():
    runs = {"a": [1.0, 0.1, 0.01], "b": [2.0, 0.0, np.inf]}
    art = plotting.plot_loss_curves(runs)
    assert isinstance(art, plotting.LossCurves)
    assert [line.get_label() for line in art.lines] == ["a", "b"]
    np.testing.assert_array_equal(art.lines[0].get_xdata(), [0, 1, 2])
    np.testing.assert_allclose(art.lines[0].get_ydata(), [1.0, 0.1, 0.01])
    # 0 and inf cannot be drawn on a log axis: masked
    np.testing.assert_array_equal(art.lines[1].get_ydata(), [2.0, np.nan, np.nan])
    assert art.lines[0].get_color() == plotting.PALETTE[0]
    assert art.lines[1].get_color() == plotting.PALETTE[1]
    assert art.lines[0].get_linestyle() != art.lines[1].get_linestyle()
    assert art.ax.get_yscale() == "log"
    assert art.ax.get_xlabel() == "step"
    render(art.ax)


def test_plot_loss_curves_against_examples_seen():
    # two epochs of 4 examples in batches of 2: 0, 2, 4, 6, 8 examples seen
    history = gd.History(
        thetas=np.zeros((5, 2)),
        losses=[8.0, 4.0, 2.0, 1.0, 0.5],
        grad_norms=np.ones(5),
        examples_seen=[0, 2, 4, 6, 8],
        diverged=False,
        diverged_at=None,
        message="ran 2 epochs",
    )
    _fig, ax = plt.subplots()
    art = plotting.plot_loss_curves({"B = 2": history}, x="examples_seen", ax=ax)
    assert art.ax is ax
    np.testing.assert_array_equal(art.lines[0].get_xdata(), [0, 2, 4, 6, 8])
    np.testing.assert_allclose(art.lines[0].get_ydata(), [8.0, 4.0, 2.0, 1.0, 0.5])
    assert ax.get_xlabel() == "examples seen"
    step = plotting.plot_loss_curves({"B = 2": history})
    np.testing.assert_array_equal(step.lines[0].get_xdata(), [0, 1, 2, 3, 4])


def test_plot_loss_curves_linear_axis_keeps_zero():
    art = plotting.plot_loss_curves({"a": [1.0, 0.0]}, logy=False)
    assert art.ax.get_yscale() == "linear"
    np.testing.assert_array_equal(art.lines[0].get_ydata(), [1.0, 0.0])


def test_plot_loss_curves_rejects_bad_x():
    with pytest.raises(
        ValueError, match="x must be 'step' or 'examples_seen', got 'epoch'"
    ):
        plotting.plot_loss_curves({"a": [1.0]}, x="epoch")
    with pytest.raises(ValueError, match="needs History runs, got list for 'a'"):
        plotting.plot_loss_curves({"a": [1.0]}, x="examples_seen")


# -- regression -----------------------------------------------------------------------


def test_plot_regression_draws_data_line_and_residuals():
    x, y = gd.house_prices()
    art = plotting.plot_regression(
        x, y, gd.HOUSE_W0, gd.HOUSE_B0, xlabel="size (sq ft)", ylabel="price ($1000s)"
    )
    assert isinstance(art, plotting.Regression)
    np.testing.assert_allclose(art.points.get_offsets(), np.column_stack([x, y]))
    x_lo, x_hi = art.ax.get_xlim()
    # x from 500 to 2500: pad 0.08·2000 = 160 → limits 340, 2660
    assert (x_lo, x_hi) == pytest.approx((340.0, 2660.0))
    # ŷ = 0.05·x + 100 at the limits: 117, 233
    np.testing.assert_allclose(art.line.get_xdata(), [340.0, 2660.0])
    np.testing.assert_allclose(art.line.get_ydata(), [117.0, 233.0])
    # residual i runs from (x_i, y_i) to (x_i, ŷ_i): ŷ = 125, 150, 175, 200, 225
    segments = np.array(art.residuals.get_segments())
    np.testing.assert_allclose(segments[:, 0], np.column_stack([x, y]))
    np.testing.assert_allclose(segments[:, 1, 1], [125, 150, 175, 200, 225])
    assert art.ax.get_xlabel() == "size (sq ft)"
    assert art.ax.get_ylabel() == "price ($1000s)"
    render(art.ax)


def test_set_line_moves_the_line_and_survives_a_diverged_fit():
    x, y = gd.house_prices()
    _fig, ax = plt.subplots()
    art = plotting.plot_regression(x, y, 0.0, 0.0, ax=ax)
    assert art.ax is ax
    plotting.set_line(art, 0.1, 100.0)  # the exact fit: every residual has length 0
    segments = np.array(art.residuals.get_segments())
    np.testing.assert_allclose(segments[:, 1], segments[:, 0])
    plotting.set_line(art, 1e140, -1e140)  # a diverged run: no warning, no blow-up
    assert np.all(np.isnan(art.line.get_ydata()))
    y_lo, y_hi = ax.get_ylim()
    ends = np.array(art.residuals.get_segments())[:, 1, 1]
    assert np.all(ends <= y_hi + plotting.VIEW_MARGIN * (y_hi - y_lo))
    render(ax)


# -- 3-D surface -----------------------------------------------------------------------


def test_plot_surface_3d_draws_surface_path_and_minimum():
    bowl = gd.quadratic_bowl()
    thetas = np.array([[2.0, 1.0], [1.8, 0.0]])
    art = plotting.plot_surface_3d(bowl, thetas, n_grid=11)
    assert isinstance(art, plotting.Surface3D)
    assert art.ax.name == "3d"
    xs, ys, zs = art.trajectory.get_data_3d()
    np.testing.assert_allclose(xs, [2.0, 1.8])
    np.testing.assert_allclose(ys, [1.0, 0.0])
    np.testing.assert_allclose(zs, [7.0, 1.62])  # ½(4 + 10) = 7, ½·3.24 = 1.62
    mx, my, mz = art.minimum.get_data_3d()
    np.testing.assert_allclose([mx[0], my[0], mz[0]], [0.0, 0.0, 0.0])
    face_z = art.surface.get_array()  # mean height of each face, mapped to colour
    assert len(face_z) == 10 * 10  # one face per cell of the 11 x 11 grid
    assert 0.0 < face_z.min() < face_z.max() < 49.5  # 49.5 = f at a corner
    assert art.ax.get_zlabel() == "f(θ)"
    render(art.ax)


def test_plot_surface_3d_uses_a_given_3d_axes_and_rejects_a_2d_one():
    fig = plt.figure()
    ax = fig.add_subplot(projection="3d")
    art = plotting.plot_surface_3d(gd.saddle(), ax=ax, n_grid=5)
    assert art.ax is ax
    assert plt.get_fignums() == [fig.number]
    assert len(art.trajectory.get_data_3d()[0]) == 0
    _, flat = plt.subplots()
    with pytest.raises(ValueError, match=r"ax must be a 3-D axes .* got 'rectilinear'"):
        plotting.plot_surface_3d(gd.saddle(), ax=flat)

"""OptimizerExplorer, driven headless under Agg: the drawn data follow the math."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

import gdcore as gd
from gdcore import plotting
from gdcore.widgets import Explorer, OptimizerExplorer
from gdcore.widgets.optimizer_controls import CHOICES, PRESETS, SLIDERS, make_objective
from gdcore.widgets.optimizers import DEFAULT_SHOWN

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALL = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
HYPER = [f"{name}_{hp}" for name, (_, hyper) in SLIDERS.items() for hp in hyper]
START = (-2.5, 1.5)  # the bowl's preset start


@pytest.fixture
def make(explorer_factory):
    """Build OptimizerExplorers, closed (and their figures gone) after the test.

    Lazy ones unless a test asks for ``precompute=True`` (the default in a
    notebook): precomputing costs about a second per explorer, and the tests
    below show that it changes no picture and leaves nothing to run or render.
    """
    build = explorer_factory(OptimizerExplorer)

    def lazy(*args, precompute=False, **kwargs):
        return build(*args, precompute=precompute, **kwargs)

    return lazy


def drawn_path(ex, name):
    line = ex.paths[name]
    return np.column_stack([line.get_xdata(), line.get_ydata()]).astype(float)


def drawn_gaps(ex, name):
    return np.asarray(ex.loss_lines[name].get_ydata(), dtype=float)


def reference(ex, name, objective=None):
    """gd.descend with the optimizer the sliders describe, from the explorer's start."""
    objective = ex.objective() if objective is None else objective
    opt = gd.get_optimizer(name, **ex.hyperparams(name))
    return gd.descend(objective, opt, ex.start_point(), ex.max_steps)


def assert_follows(ex, name, history, k=None):
    """The drawn path and loss curve are those of ``history`` up to step k.

    Rows the explorer does not draw (NaN) are those far outside the view, or after
    the run left the picture; every drawn row equals gd.descend's θ_k exactly.
    """
    k = ex.controls["steps"].value if k is None else k
    path = drawn_path(ex, name)
    assert len(path) == min(k + 1, len(history.thetas))  # up to a divergence
    expected = history.thetas[: k + 1]
    n = min(len(expected), len(path))
    drawn = np.all(np.isfinite(path[:n]), axis=1)
    np.testing.assert_allclose(path[:n][drawn], expected[:n][drawn], rtol=1e-12)
    (x_lo, x_hi), (y_lo, y_hi) = ex.ax.get_xlim(), ex.ax.get_ylim()
    margin = 10 * max(x_hi - x_lo, y_hi - y_lo)
    hidden = expected[:n][~drawn]
    assert np.all(np.any(np.abs(hidden) > min(abs(x_lo), abs(y_lo)) + margin, axis=1))
    gap = history.losses[: k + 1] - ex.objective().min_value
    shown = np.isfinite(drawn_gaps(ex, name)[: len(gap)])
    np.testing.assert_allclose(drawn_gaps(ex, name)[: len(gap)][shown], gap[shown])
    assert np.all(~shown | (gap > 0))


def positions(control):
    """A control's minimum, a middle value and its maximum."""
    if hasattr(control, "options"):
        options = list(control.options)
        return [options[0], options[len(options) // 2], options[-1]]
    if hasattr(control, "base"):
        lo, hi = control.base**control.min, control.base**control.max
        return [lo, math.sqrt(lo * hi), hi]
    return [control.min, (control.min + control.max) / 2, control.max]


# -- defaults and hand-computed values -------------------------------------------------


def test_defaults(make):
    ex = make()
    assert isinstance(ex, Explorer)
    assert not ex.live
    assert list(ex.controls) == [
        "objective",
        "kappa",
        "steps",
        "x0",
        "y0",
        *(f"show_{name}" for name in ALL),
        *HYPER,
    ]
    assert ex.values["objective"] == "bowl"
    assert ex.values["kappa"] == 10.0
    assert (ex.values["x0"], ex.values["y0"], ex.values["steps"]) == (*START, 300)
    assert [n for n in ALL if ex.values[f"show_{n}"]] == list(DEFAULT_SHOWN)
    for name in ALL:
        assert ex.hyperparams(name) == PRESETS["bowl"][name]
    assert not ex.controls["kappa"].disabled
    # the bowl ½(x² + 10y²) and GD with η = 0.18 from (−2.5, 1.5):
    # θ₁ = ((1 − 0.18)·(−2.5), (1 − 1.8)·1.5) = (−2.05, −1.2)
    np.testing.assert_allclose(drawn_path(ex, "sgd")[1], [-2.05, -1.2], rtol=1e-12)
    # f(θ₀) − f* = ½(6.25 + 10·2.25) = 14.375
    assert drawn_gaps(ex, "sgd")[0] == pytest.approx(14.375)


def test_every_optimizer_draws_its_gdcore_run(make):
    ex = make(show=ALL)
    for name in ALL:
        assert ex.paths[name].get_visible()
        assert_follows(ex, name, reference(ex, name))


def test_bowl_gd_path_is_the_closed_form(make):
    ex = make(steps=40)
    k = np.arange(41)
    # x_k = (1 − η)^k·x0, y_k = (1 − 10η)^k·y0 with η = 0.18
    expected = np.column_stack([0.82**k * -2.5, (-0.8) ** k * 1.5])
    np.testing.assert_allclose(drawn_path(ex, "sgd"), expected, rtol=1e-12)
    end = np.array([ex.ends["sgd"].get_xdata()[0], ex.ends["sgd"].get_ydata()[0]])
    np.testing.assert_allclose(end, expected[-1], rtol=1e-12)


# -- every control at its minimum, middle and maximum ----------------------------------


@pytest.mark.parametrize("control", HYPER)
@pytest.mark.parametrize("position", [0, 1, 2])
def test_hyper_parameter_sliders(make, control, position):
    ex = make(show=ALL, steps=100, max_steps=100)
    value = positions(ex.controls[control])[position]
    ex.set(**{control: value})
    name = control.split("_")[0]
    hp = control[len(name) + 1 :]
    assert ex.hyperparams(name)[hp] == value
    history = reference(ex, name)
    assert_follows(ex, name, history)
    for other in ALL:  # the others are untouched
        if other != name:
            assert_follows(ex, other, reference(ex, other))
    result = ex.run(name)
    if result.diverged_at is not None and result.diverged_at <= 100:
        assert f"{SLIDERS[name][0]} diverged at step" in ex.message.get_text()


def test_too_large_a_step_is_named_and_the_others_keep_drawing(make):
    ex = make(show=ALL)
    xlim, ylim = ex.ax.get_xlim(), ex.ax.get_ylim()
    ex.set(sgd_lr=10**0.5)  # |1 − 10·3.16| ≈ 30.6 per step along y
    assert ex.message.get_visible()
    # |y_k| = 1.5·30.62^k, so f ≈ ½·10·y_k² = 11.25·937.6^k passes 1e150 (the
    # divergence rule of gdcore.runs) when k > (150 − 1.05)/2.97 ≈ 50.1: at k = 51
    factor = abs(1 - 10 * 10**0.5)
    first = next(k for k in range(100) if 5 * (1.5 * factor**k) ** 2 > 1e150)
    assert first == 51
    assert ex.run("sgd").diverged_at == first
    assert ex.message.get_text() == f"GD diverged at step {first}"
    assert (ex.ax.get_xlim(), ex.ax.get_ylim()) == (xlim, ylim)
    assert len(drawn_path(ex, "sgd")) == first + 1  # the path ends where it blew up
    for other in ALL[1:]:
        assert np.all(np.isfinite(drawn_path(ex, other)))
    assert "GD diverged at step 51" in ex.summary()
    assert ex.to_png().startswith(PNG_SIGNATURE)
    ex.set(sgd_lr=0.1)
    assert not ex.message.get_visible()


@pytest.mark.parametrize("steps", [0, 150, 300])
def test_steps_slider_slices_the_runs(make, steps):
    ex = make(show=ALL)
    ex.set(steps=steps)
    for name in ALL:
        assert_follows(ex, name, reference(ex, name), k=steps)
    assert ex.title.get_text().endswith(f"step {steps} of 300")
    assert f"after {steps} steps" in ex.summary()


@pytest.mark.parametrize("axis", ["x0", "y0"])
@pytest.mark.parametrize("position", [0, 1, 2])
def test_start_sliders(make, axis, position):
    ex = make(show=ALL, max_steps=60, steps=60)
    value = positions(ex.controls[axis])[position]
    ex.set(**{axis: value})
    start = ex.start_point()
    assert start[0 if axis == "x0" else 1] == pytest.approx(value)
    np.testing.assert_allclose(ex.start.get_xydata()[0], start)
    for name in ALL:
        np.testing.assert_allclose(drawn_path(ex, name)[0], start)
        assert_follows(ex, name, reference(ex, name))


@pytest.mark.parametrize("position", [0, 1, 2])
def test_kappa_slider_reshapes_the_bowl(make, position):
    ex = make(show=ALL, steps=50, max_steps=50)
    kappa = positions(ex.controls["kappa"])[position]
    ex.set(kappa=kappa)
    objective = gd.quadratic_bowl(condition=kappa)
    assert ex.objective_key() == ("bowl", round(kappa, 9))
    k = np.arange(51)
    # GD on ½(x² + κy²): x_k = (1 − η)^k·x0, y_k = (1 − ηκ)^k·y0, η = 0.18
    closed = np.column_stack([0.82**k * -2.5, (1 - 0.18 * kappa) ** k * 1.5])
    history = reference(ex, "sgd", objective)
    n = len(history.thetas)
    np.testing.assert_allclose(history.thetas, closed[:n], rtol=1e-9)
    for name in ALL:
        assert_follows(ex, name, reference(ex, name, objective))
    # GD grows by |1 − 0.18κ| > 1 per step when κ > 11.1, but within 50 steps
    # it stays below 1e150 (the divergence rule): 18² ≈ 300 per step in f.
    assert not ex.message.get_visible()
    # the contours drawn are this κ's: top level f − f* at the corner (3, 3)
    filled = ex.bands.artists[0]
    assert filled.levels[-1] == pytest.approx(0.5 * (9 + kappa * 9))
    assert all(a.get_visible() for a in ex.bands.artists)
    # the loss axis is the same for every κ: that of κ = 100, top ½(9 + 100·9)
    assert ex.loss_ax.get_ylim() == pytest.approx((454.5e-12, 4545.0))


def test_kappa_one_makes_every_gd_step_point_at_the_minimum(make):
    ex = make(steps=20)
    ex.set(kappa=1.0)
    path = drawn_path(ex, "sgd")
    # a round bowl: θ_k = 0.82^k·θ₀, on the line through θ₀ and the origin
    np.testing.assert_allclose(path, 0.82 ** np.arange(21)[:, None] * START, rtol=1e-12)


@pytest.mark.parametrize("objective", ["rosenbrock", "wavy_2d", "saddle", "bowl"])
def test_objective_dropdown_loads_its_preset(make, objective):
    ex = make("saddle" if objective == "bowl" else "bowl", show=ALL, max_steps=80)
    ex.set(objective=objective)
    preset = PRESETS[objective]
    obj = make_objective(objective, ex.values["kappa"])
    for axis, (lo, hi), value in zip(
        ("x0", "y0"), obj.plot_range, preset["start"], strict=True
    ):
        slider = ex.controls[axis]
        assert (slider.min, slider.max, slider.value) == (lo, hi, value)
        assert slider.step == CHOICES[objective][1]
    for name in ALL:
        assert ex.hyperparams(name) == preset[name]
        assert_follows(ex, name, reference(ex, name, obj))
    assert ex.controls["kappa"].disabled == (objective != "bowl")
    assert (ex.ax.get_xlim(), ex.ax.get_ylim()) == obj.plot_range
    assert ex.summary().startswith(objective)


def test_a_value_set_after_the_objective_wins_over_its_preset(make):
    ex = make()
    ex.set(objective="saddle", sgd_lr=0.2)
    assert ex.hyperparams("sgd") == {"lr": 0.2}
    assert ex.hyperparams("adam") == PRESETS["saddle"]["adam"]


LEGEND = ["GD", "momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam", "start θ₀"]


def test_checkboxes_hide_exactly_that_run_and_grey_its_legend_entry(make):
    ex = make(show=ALL)
    (legend,) = ex.fig.legends
    assert [t.get_text() for t in legend.get_texts()] == LEGEND
    ex.set(show_adam=False, show_sgd=False)
    for name in ALL:  # exactly those two runs are hidden
        assert ex.paths[name].get_visible() == (name not in ("adam", "sgd"))
        assert ex.loss_lines[name].get_visible() == (name not in ("adam", "sgd"))
    assert not ex.ends["adam"].get_visible()
    assert not ex.ends["sgd"].get_visible()
    assert "Adam" not in ex.summary()
    assert "GD" not in ex.summary()
    assert "Adam" not in ex.table.value
    assert [t.get_text() for t in legend.get_texts()] == LEGEND  # every name stays …
    hidden = [name in ("adam", "sgd") for name in ALL]
    assert [veil.get_visible() for veil in ex.veils] == hidden  # … the hidden greyed
    for veil, text in zip(ex.veils, legend.get_texts(), strict=False):
        box = text.get_window_extent().transformed(ex.fig.transFigure.inverted())
        assert veil.get_bbox().contains(*box.min)
        assert veil.get_bbox().contains(*box.max)
    ex.set(**{f"show_{name}": False for name in ALL})
    assert ex.summary().endswith("no optimizer shown")
    ex.set(show_adam=True)
    assert ex.paths["adam"].get_visible()
    assert_follows(ex, "adam", reference(ex, "adam"))
    # The legend is part of the picture of a state, however the state was reached.
    assert ex.to_png() == make(show=("adam",)).to_png()


def test_a_kept_static_figure_never_brings_back_an_old_legend():
    ex = OptimizerExplorer(precompute=True)  # every objective's static figure kept
    try:
        ex.set(show_sgd=False)
        ex.set(objective="rosenbrock")  # its static figure was drawn with GD shown
        fresh = OptimizerExplorer(precompute=False)  # nothing kept: all drawn anew
        fresh.set(objective="rosenbrock")
        fresh.set(**{k: v for k, v in ex.values.items() if k != "objective"})
        np.testing.assert_array_equal(ex.picture(), fresh.picture())
        fresh.close()
    finally:
        ex.close()


# -- where the runs end ----------------------------------------------------------------


def test_egg_crate_preset_gd_stuck_momentum_through(make):
    ex = make("wavy_2d", show=ALL)
    # GD (η = 0.5) stops in the valley at (−r/2, r/2), r ≈ 5.6792; momentum gets out
    theta = ex.run("sgd").thetas[-1]
    np.testing.assert_allclose(theta, [-2.8396, 2.8396], atol=1e-4)
    assert ex.where("sgd") == "in a local minimum"
    assert ex.where("momentum") == "at the minimum"
    assert "in a local minimum" in ex.table.value


def test_saddle_on_its_stable_line_gd_ends_at_the_saddle(make):
    ex = make("saddle", show=ALL)
    ex.set(y0=0.0)
    # ∇f = (x, y³ − y): with y = 0 exactly, y stays 0 and x_k = 0.9^k·1.5 → 0
    path = drawn_path(ex, "sgd")
    np.testing.assert_array_equal(path[:, 1], 0.0)
    np.testing.assert_allclose(path[:, 0], 1.5 * 0.9 ** np.arange(301), rtol=1e-12)
    assert ex.where("sgd") == "near the saddle"
    ex.set(y0=0.01)  # off the line by 0.01: GD ends in a minimum
    assert ex.where("sgd") == "at the minimum"


# -- caching ---------------------------------------------------------------------------


MARKER_PROPERTIES = (
    "xydata",
    "marker",
    "markersize",
    "markerfacecolor",
    "markeredgecolor",
    "markeredgewidth",
    "linestyle",
    "zorder",
)


def test_the_contours_are_those_of_plot_contour_2d(make):
    ex = make("rosenbrock", precompute=False)
    filled, lines, minimum = ex.bands.artists
    art = plotting.plot_contour_2d(
        ex.objective(), ax=Figure().subplots(), xlabel="x", ylabel="y"
    )
    for mine, theirs in ((filled, art.filled), (lines, art.lines)):
        np.testing.assert_array_equal(mine.levels, theirs.levels)
        assert [p.vertices.tolist() for p in mine.get_paths()] == [
            p.vertices.tolist() for p in theirs.get_paths()
        ]
        assert mine.get_alpha() == theirs.get_alpha()
        np.testing.assert_array_equal(mine.get_facecolor(), theirs.get_facecolor())
        np.testing.assert_array_equal(mine.get_edgecolor(), theirs.get_edgecolor())
        np.testing.assert_array_equal(mine.get_linewidths(), theirs.get_linewidths())
    for prop in MARKER_PROPERTIES:
        np.testing.assert_array_equal(
            plt.getp(minimum, prop), plt.getp(art.minimum, prop)
        )
    assert ex.ax.get_aspect() == art.ax.get_aspect()
    assert ex.ax.get_adjustable() == art.ax.get_adjustable()
    assert (ex.ax.get_xlabel(), ex.ax.get_ylabel()) == ("x", "y")


# -- display, validation, backends -----------------------------------------------------


def test_the_displayed_widget_holds_every_control_and_the_figure(make):
    ex = make()
    found = []

    def walk(w):
        found.append(w)
        for child in getattr(w, "children", ()):
            walk(child)

    walk(ex.widget)
    assert all(control in found for control in ex.controls.values())
    assert ex.table in found
    assert ex.widget.children[-1] in found


def test_constructor_validates_its_arguments():
    with pytest.raises(
        ValueError, match=r"objective must be one of 'bowl', .*got 'cone'"
    ):
        OptimizerExplorer("cone")
    with pytest.raises(
        ValueError, match=r"show must be a tuple of .*got \('sgd', 'lbfgs'\)"
    ):
        OptimizerExplorer(show=("sgd", "lbfgs"))
    with pytest.raises(ValueError, match=r"show must be a tuple of .*got 'sgd'"):
        OptimizerExplorer(show="sgd")
    with pytest.raises(ValueError, match="steps must be <= max_steps=10, got 11"):
        OptimizerExplorer(steps=11, max_steps=10)
    with pytest.raises(ValueError, match="max_steps must be >= 1, got 0"):
        OptimizerExplorer(max_steps=0)
    with pytest.raises(ValueError, match=r"kappa must be in \[1, 100\], got 500"):
        OptimizerExplorer(kappa=500)
    assert plt.get_fignums() == []


def test_set_rejects_values_outside_the_current_ranges(make):
    ex = make()
    with pytest.raises(ValueError, match=r"x0 must be in \[-3, 3\], got 5"):
        ex.set(x0=5)
    ex.set(objective="wavy_2d")
    ex.set(x0=5)  # the egg crate's range is [−7, 7]
    assert ex.start_point()[0] == 5

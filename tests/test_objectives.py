"""Tests for gdcore.objectives: exact values, derivatives, minima and input checks."""

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdcore.numdiff import numerical_gradient, numerical_hessian
from gdcore.objectives import (
    OBJECTIVES,
    Objective,
    get_objective,
    parabola,
    quadratic_bowl,
    rosenbrock,
    saddle,
    wavy_1d,
    wavy_2d,
)

# Every factory with its defaults, plus non-default arguments where there are any.
CASES = {
    "parabola": parabola(),
    "parabola(a=3, c=-1)": parabola(a=3.0, c=-1.0),
    "quadratic_bowl": quadratic_bowl(),
    "quadratic_bowl(25, 0.7, 0.5)": quadratic_bowl(
        condition=25, angle=0.7, lam_min=0.5
    ),
    "rosenbrock": rosenbrock(),
    "rosenbrock(a=-0.5, b=10)": rosenbrock(a=-0.5, b=10.0),
    "wavy_1d": wavy_1d(),
    "wavy_2d": wavy_2d(),
    "saddle": saddle(),
}
CASE_NAMES = list(CASES)
SETTINGS = settings(max_examples=50, deadline=None)


def point_in_range(obj: Objective, u: list[float]) -> np.ndarray:
    """Map u in [0, 1]^dim to a point of obj.plot_range."""
    return np.array(
        [
            lo + ui * (hi - lo)
            for (lo, hi), ui in zip(obj.plot_range, u[: obj.dim], strict=True)
        ]
    )


def newton(obj: Objective, theta, steps: int = 50) -> np.ndarray:
    """Newton's method θ ← θ − H⁻¹∇f, to find stationary points to machine precision."""
    theta = np.atleast_1d(np.asarray(theta, dtype=float))
    for _ in range(steps):
        theta = theta - np.linalg.solve(obj.hessian(theta), obj.grad(theta))
    return theta


unit = st.floats(min_value=0.0, max_value=1.0)
points = st.tuples(st.sampled_from(CASE_NAMES), st.lists(unit, min_size=2, max_size=2))


# --- derivatives against finite differences ----------------------------------------


@SETTINGS
@given(points)
def test_grad_matches_central_differences(case):
    name, u = case
    obj = CASES[name]
    theta = point_in_range(obj, u)
    expected = numerical_gradient(obj.value, theta, h=1e-6)
    # rounding in the quotient is about 2.2e-16·|f|/h <= 1e-6 for |f| <= 4500
    np.testing.assert_allclose(obj.grad(theta), expected, rtol=1e-6, atol=1e-5)


@SETTINGS
@given(points)
def test_hessian_matches_central_differences_of_grad(case):
    name, u = case
    obj = CASES[name]
    theta = point_in_range(obj, u)
    H = obj.hessian(theta)
    np.testing.assert_array_equal(H, H.T)
    expected = numerical_hessian(obj.grad, theta, h=1e-5)
    np.testing.assert_allclose(H, expected, rtol=1e-6, atol=1e-5)


@pytest.mark.parametrize("name", CASE_NAMES)
def test_grids_match_pointwise_evaluation(name):
    obj = CASES[name]
    axes = [
        np.linspace(lo, hi, n)
        for (lo, hi), n in zip(obj.plot_range, (7, 5)[: obj.dim], strict=True)
    ]
    meshes = np.meshgrid(*axes)
    values = obj.value_grid(*meshes)
    grads = obj.grad_grid(*meshes)
    assert values.shape == meshes[0].shape
    assert grads.shape == (obj.dim, *meshes[0].shape)
    for index in np.ndindex(meshes[0].shape):
        theta = np.array([m[index] for m in meshes])
        np.testing.assert_allclose(values[index], obj.value(theta), 1e-13, 1e-15)
        np.testing.assert_allclose(
            grads[(slice(None), *index)], obj.grad(theta), 1e-13, 1e-15
        )


# --- known values, worked by hand ---------------------------------------------------


def test_parabola_known_values():
    obj = parabola()
    assert obj.value(3.0) == 9.0  # 3² = 9
    np.testing.assert_array_equal(obj.grad(3.0), [6.0])  # f′(3) = 2·3 = 6
    np.testing.assert_array_equal(obj.hessian(3.0), [[2.0]])  # f″ = 2
    np.testing.assert_array_equal(obj.grad(np.array([3.0])), [6.0])
    assert obj.description == (
        "The parabola f(x) = x²: a single minimum at x = 0, "
        "and the same curvature f″ = 2 everywhere."
    )


def test_shifted_parabola_known_values():
    obj = parabola(a=3.0, c=1.0)
    assert obj.value(2.0) == 3.0  # 3·(2 − 1)² = 3
    assert obj.value(-1.0) == 12.0  # 3·(−1 − 1)² = 3·4 = 12
    np.testing.assert_array_equal(obj.grad(2.0), [6.0])  # 2·3·(2 − 1) = 6
    np.testing.assert_array_equal(obj.grad(-1.0), [-12.0])  # 2·3·(−2) = −12
    np.testing.assert_array_equal(obj.hessian(0.0), [[6.0]])  # 2·3 = 6
    np.testing.assert_array_equal(obj.minimizers, [[1.0]])
    assert "(x − 1)²" in obj.description
    assert "(x + 1.5)²" in parabola(c=-1.5).description


def test_bowl_known_values_at_angle_zero():
    obj = quadratic_bowl(condition=10.0)
    # A = diag(1, 10): f(1, 2) = ½(1·1² + 10·2²) = ½·41 = 20.5, ∇f = (1·1, 10·2)
    assert obj.value([1.0, 2.0]) == 20.5
    np.testing.assert_array_equal(obj.grad([1.0, 2.0]), [1.0, 20.0])
    np.testing.assert_array_equal(obj.hessian([0.0, 0.0]), [[1.0, 0.0], [0.0, 10.0]])


def test_bowl_at_right_angle_swaps_the_axes():
    obj = quadratic_bowl(condition=10.0, angle=math.pi / 2)
    # the flat direction is now y: A ≈ diag(10, 1), f(1, 2) = ½(10·1 + 1·4) = 7
    np.testing.assert_allclose(obj.value([1.0, 2.0]), 7.0, rtol=1e-14)
    np.testing.assert_allclose(obj.hessian([0, 0]), [[10, 0], [0, 1]], atol=1e-14)


@SETTINGS
@given(
    angle=st.floats(-10, 10), condition=st.floats(1, 1e4), lam_min=st.floats(1e-3, 1e3)
)
def test_bowl_curvatures_along_its_axes(angle, condition, lam_min):
    obj = quadratic_bowl(condition=condition, angle=angle, lam_min=lam_min)
    flat = [math.cos(angle), math.sin(angle)]  # unit vector along the valley
    steep = [-math.sin(angle), math.cos(angle)]  # unit vector across it
    # Rounding errors are relative to the largest curvature, λ_max = κ·λ_min: the
    # small one is known to about 1e-16·λ_max, i.e. 1e-16·κ of itself.
    atol = 1e-12 * condition * lam_min
    np.testing.assert_allclose(obj.value(flat), lam_min / 2, rtol=0, atol=atol)
    np.testing.assert_allclose(
        obj.value(steep), condition * lam_min / 2, rtol=1e-12, atol=atol
    )
    lams = np.linalg.eigvalsh(obj.hessian([0.0, 0.0]))
    np.testing.assert_allclose(lams, [lam_min, condition * lam_min], rtol=0, atol=atol)


def test_rosenbrock_minimum_and_known_values():
    obj = rosenbrock()
    np.testing.assert_array_equal(obj.minimizers, [[1.0, 1.0]])
    assert obj.value([1.0, 1.0]) == 0.0
    np.testing.assert_array_equal(obj.grad([1.0, 1.0]), [0.0, 0.0])
    # f_xx = 2 + 4·100·(3·1² − 1) = 802, f_xy = −4·100·1 = −400, f_yy = 2·100 = 200
    np.testing.assert_array_equal(
        obj.hessian([1.0, 1.0]), [[802.0, -400.0], [-400.0, 200.0]]
    )
    assert obj.value([0.0, 0.0]) == 1.0  # (1 − 0)² + 100·0² = 1
    np.testing.assert_array_equal(obj.grad([0.0, 0.0]), [-2.0, 0.0])  # 2(0 − 1)
    assert obj.value([-1.0, 1.0]) == 4.0  # (1 + 1)² + 100·(1 − 1)² = 4
    np.testing.assert_array_equal(obj.grad([-1.0, 1.0]), [-4.0, 0.0])  # 2(−1 − 1)
    assert obj.value([0.0, 1.0]) == 101.0  # 1 + 100·1² = 101


def test_rosenbrock_with_other_parameters():
    obj = rosenbrock(a=2.0, b=10.0)
    np.testing.assert_array_equal(obj.minimizers, [[2.0, 4.0]])  # (a, a²)
    assert obj.value([2.0, 4.0]) == 0.0
    np.testing.assert_array_equal(obj.grad([2.0, 4.0]), [0.0, 0.0])
    assert obj.value([0.0, 0.0]) == 4.0  # (2 − 0)² + 10·0² = 4


def test_wavy_1d_known_values():
    obj = wavy_1d()
    assert obj.value(0.0) == 0.0
    # f(−1) = 1/4 + 1/3 − 1 = −5/12; f(2) = 16/4 − 8/3 − 4 = −8/3; f(3) = 81/4 − 9 − 9
    np.testing.assert_allclose(obj.value(-1.0), -5 / 12, rtol=1e-15)
    np.testing.assert_allclose(obj.value(2.0), -8 / 3, rtol=1e-15)
    assert obj.value(3.0) == 9 / 4
    # f′ = x(x + 1)(x − 2): zero at −1, 0, 2; f′(3) = 3·4·1 = 12
    for x in (-1.0, 0.0, 2.0):
        np.testing.assert_array_equal(obj.grad(x), [0.0])
    np.testing.assert_array_equal(obj.grad(3.0), [12.0])
    # f″ = 3x² − 2x − 2: 3 + 2 − 2 = 3 at −1, −2 at 0, 12 − 4 − 2 = 6 at 2
    for x, curvature in ((-1.0, 3.0), (0.0, -2.0), (2.0, 6.0), (3.0, 19.0)):
        np.testing.assert_array_equal(obj.hessian(x), [[curvature]])
    assert obj.min_value == -8 / 3


def test_wavy_1d_minima_found_by_newton():
    obj = wavy_1d()
    np.testing.assert_array_equal(obj.local_minimizers, [[2.0], [-1.0]])
    for start, expected in ((-1.6, -1.0), (-0.6, -1.0), (1.3, 2.0), (2.9, 2.0)):
        np.testing.assert_allclose(newton(obj, start), [expected], rtol=0, atol=1e-12)
    depths = [obj.value(m) for m in obj.local_minimizers]
    assert depths[0] == obj.min_value < depths[1] - 2  # −8/3 against −5/12


@pytest.mark.parametrize(
    ("start", "end"), [(-1.9, -1.0), (-0.1, -1.0), (0.1, 2.0), (2.9, 2.0)]
)
def test_wavy_1d_start_point_decides_the_minimum(start, end):
    obj = wavy_1d()
    x = np.array([start])
    for _ in range(500):
        x = x - 0.05 * obj.grad(x)  # 0.05 < 2/f″ on the whole plot range (f″ <= 19)
    np.testing.assert_allclose(x, [end], atol=1e-9)


def test_wavy_2d_stored_minima_are_newton_fixed_points():
    obj = wavy_2d()
    assert obj.local_minimizers.shape == (9, 2)
    for m in obj.local_minimizers:
        np.testing.assert_allclose(newton(obj, m), m, rtol=0, atol=1e-12)
        assert np.all(np.linalg.eigvalsh(obj.hessian(m)) > 0)
    # the 1-D root r of r/10 + sin r = 0 sets both rings: (±r, 0) and (±r/2, ±r/2)
    r = obj.local_minimizers[5, 0]
    assert abs(r / 10 + math.sin(r)) < 1e-15
    values = [obj.value(m) for m in obj.local_minimizers]
    # f(r/2, r/2) = r²/40 − cos²(r/2);  f(r, 0) = r²/20 − cos r
    np.testing.assert_allclose(values[0], -1.0, rtol=0, atol=0)
    np.testing.assert_allclose(values[1:5], -0.1052065804660174, rtol=1e-13)
    np.testing.assert_allclose(values[5:], 0.7895868390679651, rtol=1e-13)


def test_wavy_2d_has_no_other_minima_in_its_plot_range():
    obj = wavy_2d()
    (x_lo, x_hi), (y_lo, y_hi) = obj.plot_range
    found = []
    for x0 in np.linspace(x_lo, x_hi, 15):
        for y0 in np.linspace(y_lo, y_hi, 15):
            try:
                theta = newton(obj, [x0, y0], steps=60)
            except (np.linalg.LinAlgError, ValueError):  # singular H, or flew off
                continue
            inside = x_lo <= theta[0] <= x_hi and y_lo <= theta[1] <= y_hi
            if not (inside and np.linalg.norm(obj.grad(theta)) < 1e-12):
                continue
            if np.all(np.linalg.eigvalsh(obj.hessian(theta)) > 0):
                found.append(theta)
    assert found
    for theta in found:
        distances = np.linalg.norm(obj.local_minimizers - theta, axis=1)
        assert distances.min() < 1e-9, theta
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, 281), np.linspace(y_lo, y_hi, 281))
    Z = obj.value_grid(X, Y)
    assert Z.min() == obj.min_value  # the grid passes through the origin
    assert np.count_nonzero(Z - obj.min_value < 1e-3) == 1  # only the origin


def test_saddle_known_values():
    obj = saddle()
    np.testing.assert_array_equal(obj.grad([0.0, 0.0]), [0.0, 0.0])
    H = obj.hessian([0.0, 0.0])
    np.testing.assert_array_equal(H, [[1.0, 0.0], [0.0, -1.0]])
    np.testing.assert_array_equal(np.linalg.eigvalsh(H), [-1.0, 1.0])  # strict saddle
    for m in ([0.0, 1.0], [0.0, -1.0]):
        assert obj.value(m) == -0.25  # 0 − 1/2 + 1/4
        np.testing.assert_array_equal(obj.grad(m), [0.0, 0.0])
        np.testing.assert_array_equal(obj.hessian(m), [[1.0, 0.0], [0.0, 2.0]])
    assert obj.value([2.0, 2.0]) == 4.0  # (4 − 4)/2 + 16/4
    np.testing.assert_array_equal(obj.grad([2.0, 2.0]), [2.0, 6.0])  # (2, 8 − 2)
    assert obj.value([1.0, 0.0]) == 0.5  # 1/2


@pytest.mark.parametrize("name", CASE_NAMES)
def test_minimizers_are_minima_inside_the_plot_range(name):
    obj = CASES[name]
    assert obj.minimizers.shape[1] == obj.dim == len(obj.plot_range)
    for m in obj.local_minimizers:
        assert all(lo < mi < hi for mi, (lo, hi) in zip(m, obj.plot_range, strict=True))
        np.testing.assert_allclose(obj.grad(m), np.zeros(obj.dim), atol=1e-13)
        assert np.all(np.linalg.eigvalsh(obj.hessian(m)) > 0)
        assert obj.value(m) >= obj.min_value
    for m in obj.minimizers:
        np.testing.assert_allclose(obj.value(m), obj.min_value, rtol=0, atol=1e-15)
        assert np.any(np.all(obj.local_minimizers == m, axis=1))
    axes = [np.linspace(lo, hi, 101) for lo, hi in obj.plot_range]
    assert obj.value_grid(*np.meshgrid(*axes)).min() >= obj.min_value - 1e-15


# --- huge inputs: inf, never NaN, never a warning ----------------------------------

huge = st.floats(min_value=-1.7e308, max_value=1.7e308)


@SETTINGS
@given(st.sampled_from(CASE_NAMES), st.lists(huge, min_size=2, max_size=2))
def test_any_finite_input_gives_no_nan_and_no_warning(name, coords):
    obj = CASES[name]
    theta = np.array(coords[: obj.dim])
    value = obj.value(theta)
    assert not math.isnan(value)
    assert value >= obj.min_value
    assert not np.any(np.isnan(obj.grad(theta)))
    assert not np.any(np.isnan(obj.hessian(theta)))
    assert not np.any(np.isnan(obj.value_grid(*theta)))


@pytest.mark.parametrize("name", CASE_NAMES)
@pytest.mark.parametrize("big", [1e200, -1e200, 1e308, -1.7e308])
def test_diverged_points_give_inf(name, big):
    obj = CASES[name]
    theta = np.full(obj.dim, big)
    assert obj.value(theta) == math.inf
    g = obj.grad(theta)
    assert not np.any(np.isnan(g))
    assert np.all(np.abs(g) > 1e150)  # the gradient points back, and is huge


def test_overflow_signs_survive():
    np.testing.assert_array_equal(parabola().grad(-1e200), [-2e200])
    np.testing.assert_array_equal(wavy_1d().grad(-1e200), [-math.inf])  # x³ wins
    np.testing.assert_array_equal(saddle().grad([0.0, -1e200]), [0.0, -math.inf])


def test_bowl_gradient_overflow_in_both_directions_is_plus_inf():
    # A = [[5.5, −4.5], [−4.5, 5.5]] at 45°: 5.5e308 − 4.5e308 is inf − inf in floats
    obj = quadratic_bowl(condition=10.0, angle=math.pi / 4)
    np.testing.assert_array_equal(obj.grad([1e308, 1e308]), [math.inf, math.inf])


# --- input checks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("obj", "theta", "message"),
    [
        (saddle(), [1.0], "theta must have shape (2,) for saddle, got shape (1,)"),
        (saddle(), 1.0, "theta must have shape (2,) for saddle, got shape ()"),
        (
            wavy_1d(),
            [1.0, 2.0],
            "theta must have shape (1,) for wavy_1d, got shape (2,)",
        ),
        (
            parabola(),
            [[1.0]],
            "theta must have shape (1,) for parabola, got shape (1, 1)",
        ),
        (rosenbrock(), [[1.0, 2.0]], "for rosenbrock, got shape (1, 2)"),
        (saddle(), [np.nan, 1.0], "theta must be finite, got [nan, 1.0]"),
        (parabola(), np.inf, "theta must be finite, got inf"),
        (saddle(), [], "theta must not be empty, got shape (0,)"),
    ],
)
@pytest.mark.parametrize("method", ["value", "grad", "hessian"])
def test_bad_theta_is_rejected(obj, theta, message, method):
    with pytest.raises(ValueError, match=re.escape(message)):
        getattr(obj, method)(theta)


def test_non_numeric_theta_is_a_type_error():
    with pytest.raises(TypeError, match="theta must be array-like of numbers, got 'a'"):
        parabola().value("a")
    # booleans are not numbers here either (as for check_real)
    not_numbers = "theta must be array-like of numbers, got"
    with pytest.raises(TypeError, match=re.escape(f"{not_numbers} True")):
        parabola().value(True)
    with pytest.raises(TypeError, match=re.escape(f"{not_numbers} [True, False]")):
        saddle().grad([True, False])


def test_grids_need_one_array_per_coordinate():
    X = np.zeros((3, 3))
    with pytest.raises(
        ValueError, match=re.escape("wavy_2d needs 2 coordinate array(s), got 1")
    ):
        wavy_2d().value_grid(X)
    with pytest.raises(
        ValueError, match=re.escape("parabola needs 1 coordinate array(s), got 2")
    ):
        parabola().grad_grid(X, X)
    with pytest.raises(ValueError, match=re.escape("meshes[1] must be finite")):
        saddle().value_grid(X, X + np.nan)


@pytest.mark.parametrize(
    ("factory", "kwargs", "message"),
    [
        (parabola, {"a": 0}, "a must be positive and finite, got 0.0"),
        (parabola, {"a": -2.5}, "a must be positive and finite, got -2.5"),
        (parabola, {"a": math.inf}, "a must be positive and finite, got inf"),
        (parabola, {"c": math.nan}, "c must be finite, got nan"),
        (
            quadratic_bowl,
            {"condition": 0.5},
            "condition must be >= 1 and finite, got 0.5",
        ),
        (
            quadratic_bowl,
            {"condition": math.inf},
            "condition must be >= 1 and finite, got inf",
        ),
        (
            quadratic_bowl,
            {"condition": math.nan},
            "condition must be >= 1 and finite, got nan",
        ),
        (quadratic_bowl, {"angle": -math.inf}, "angle must be finite, got -inf"),
        (
            quadratic_bowl,
            {"lam_min": 0.0},
            "lam_min must be positive and finite, got 0.0",
        ),
        (
            quadratic_bowl,
            {"condition": 1e200, "lam_min": 1e200},
            "lam_max = condition·lam_min must be finite, got 1e+200·1e+200",
        ),
        (rosenbrock, {"b": 0}, "b must be positive and finite, got 0.0"),
        (rosenbrock, {"a": math.nan}, "a must be finite, got nan"),
        (
            rosenbrock,
            {"a": 1e200},
            "a must be small enough for a² to be finite, got 1e+200",
        ),
    ],
)
def test_bad_factory_arguments_are_rejected(factory, kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        factory(**kwargs)


@pytest.mark.parametrize(
    ("factory", "kwargs", "message"),
    [
        (parabola, {"a": "1"}, "a must be a real number, got '1'"),
        (parabola, {"c": True}, "c must be a real number, got True"),
        (quadratic_bowl, {"angle": None}, "angle must be a real number, got None"),
        (rosenbrock, {"b": [100]}, "b must be a real number, got [100]"),
    ],
)
def test_non_numbers_are_type_errors(factory, kwargs, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        factory(**kwargs)


def test_objective_checks_its_own_fields():
    fields = {"name": "line", "dim": 2, "f": None, "df": None, "d2f": None}
    fields |= {"min_value": 0.0, "description": "."}
    with pytest.raises(
        ValueError, match=re.escape("minimizers must have shape (k, 2), got (2,)")
    ):
        Objective(**fields, minimizers=[0.0, 0.0], plot_range=((0, 1), (0, 1)))
    with pytest.raises(
        ValueError, match=re.escape("plot_range must be 2 pairs (lo, hi)")
    ):
        Objective(**fields, minimizers=[[0.0, 0.0]], plot_range=((0, 1), (1, 0)))
    with pytest.raises(
        ValueError, match=re.escape("local_minimizers must have shape (k, 2)")
    ):
        Objective(
            **fields,
            minimizers=[[0, 0]],
            plot_range=((0, 1),) * 2,
            local_minimizers=[[1]],
        )


# --- registry and immutability ------------------------------------------------------


def test_registry_names_match_objectives():
    assert list(OBJECTIVES) == [
        "parabola",
        "quadratic_bowl",
        "rosenbrock",
        "wavy_1d",
        "wavy_2d",
        "saddle",
    ]
    for name, factory in OBJECTIVES.items():
        obj = factory()
        assert obj.name == name
        assert obj.description.endswith(".")
        assert obj.description.count(". ") == 0  # one sentence
    obj = get_objective("quadratic_bowl", condition=4.0, lam_min=0.5)
    np.testing.assert_allclose(np.linalg.eigvalsh(obj.hessian([0, 0])), [0.5, 2.0])


@pytest.mark.parametrize("name", ["foo", 3, "Parabola"])
def test_unknown_objective_name(name):
    message = (
        "objective must be one of 'parabola', 'quadratic_bowl', 'rosenbrock', "
        f"'wavy_1d', 'wavy_2d', 'saddle', got {name!r}"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        get_objective(name)


def test_inputs_are_not_mutated_and_objectives_are_frozen():
    obj = rosenbrock()
    theta = np.array([0.5, -0.5])
    for method in (obj.value, obj.grad, obj.hessian):
        method(theta)
    np.testing.assert_array_equal(theta, [0.5, -0.5])
    with pytest.raises(dataclasses.FrozenInstanceError):
        obj.name = "other"
    with pytest.raises(ValueError, match="read-only"):
        obj.minimizers[0, 0] = 5.0
    source = [[1.0, 2.0]]
    made = Objective("p", 2, None, None, None, source, 0.0, ((0, 3), (0, 3)), ".")
    source[0][0] = 9.0
    np.testing.assert_array_equal(made.minimizers, [[1.0, 2.0]])

"""Course data: the five houses, seeded synthetic houses, feature scaling."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd

finite = st.floats(-1e3, 1e3, allow_nan=False)


def test_house_prices_exact_values():
    sizes, prices = gd.house_prices()
    assert sizes.tolist() == [500.0, 1000.0, 1500.0, 2000.0, 2500.0]
    assert prices.tolist() == [150.0, 200.0, 250.0, 300.0, 350.0]
    assert sizes.dtype == prices.dtype == np.float64
    assert (gd.HOUSE_W0, gd.HOUSE_B0) == (0.05, 100.0)


def test_houses_lie_exactly_on_the_line_price_equals_tenth_of_size_plus_100():
    # 0.1·500 + 100 = 150, 0.1·1000 + 100 = 200, …, 0.1·2500 + 100 = 350
    sizes, prices = gd.house_prices()
    assert np.array_equal(0.1 * sizes + 100, prices)


def test_house_prices_returns_fresh_arrays():
    sizes, prices = gd.house_prices()
    sizes[0], prices[0] = -1.0, -1.0
    again_sizes, again_prices = gd.house_prices()
    assert again_sizes[0] == 500.0
    assert again_prices[0] == 150.0


def test_synthetic_houses_follow_the_documented_recipe():
    # sizes ~ Uniform(lo, hi) first, then ε ~ Normal(0, 1), from the same generator.
    sizes, prices = gd.synthetic_houses(
        6, np.random.default_rng(4), w=0.2, b=50.0, noise=3.0, size_range=(10, 20)
    )
    rng = np.random.default_rng(4)
    expected_sizes = rng.uniform(10, 20, size=6)
    expected_prices = 0.2 * expected_sizes + 50.0 + 3.0 * rng.standard_normal(6)
    assert np.array_equal(sizes, expected_sizes)
    assert np.array_equal(prices, expected_prices)


def test_synthetic_houses_without_noise_lie_on_the_line():
    sizes, prices = gd.synthetic_houses(100, np.random.default_rng(0), noise=0.0)
    assert sizes.shape == prices.shape == (100,)
    assert np.all((sizes >= 500) & (sizes < 3500))
    np.testing.assert_allclose(prices, 0.1 * sizes + 100.0, rtol=1e-15)


def test_synthetic_houses_noise_has_the_requested_scale():
    sizes, prices = gd.synthetic_houses(20_000, np.random.default_rng(1), noise=20.0)
    residuals = prices - (0.1 * sizes + 100.0)
    # std of 20,000 normal draws: 20 ± 20/√(2·20,000) ≈ 20 ± 0.1
    assert abs(np.std(residuals) - 20.0) < 0.5
    assert abs(np.mean(residuals)) < 0.5


def test_synthetic_houses_same_seed_same_data_different_seed_different_data():
    a = gd.synthetic_houses(10, np.random.default_rng(7))
    b = gd.synthetic_houses(10, np.random.default_rng(7))
    c = gd.synthetic_houses(10, np.random.default_rng(8))
    assert np.array_equal(a[0], b[0])
    assert np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"n": 0}, ValueError, "n must be >= 1, got 0"),
        ({"n": 2.0}, TypeError, "n must be an integer, got 2.0"),
        ({"rng": 0}, TypeError, "rng must be a numpy.random.Generator.*got 0"),
        (
            {"noise": -1.0},
            ValueError,
            "noise must be non-negative and finite, got -1.0",
        ),
        ({"w": float("nan")}, ValueError, "w must be finite, got nan"),
        ({"b": float("inf")}, ValueError, "b must be finite, got inf"),
        (
            {"size_range": (10, 10)},
            ValueError,
            r"size_range must have lo < hi, got \(10, 10\)",
        ),
        ({"size_range": 5}, TypeError, r"size_range must be a pair \(lo, hi\), got 5"),
    ],
)
def test_synthetic_houses_validation(kwargs, error, match):
    args = {"n": 3, "rng": np.random.default_rng(0)} | kwargs
    n, rng = args.pop("n"), args.pop("rng")
    with pytest.raises(error, match=match):
        gd.synthetic_houses(n, rng, **args)


def test_standardize_house_sizes_by_hand():
    # mean = 7500/5 = 1500; deviations −1000, −500, 0, 500, 1000;
    # population variance = (1e6 + 2.5e5 + 0 + 2.5e5 + 1e6)/5 = 500,000;
    # std = √500,000 ≈ 707.1068; z = deviations/std = (−√2, −√2/2, 0, √2/2, √2).
    sizes, _ = gd.house_prices()
    z, mean, std = gd.standardize(sizes)
    assert mean == 1500.0
    assert std == np.sqrt(500_000.0)
    r = np.sqrt(2.0)
    np.testing.assert_allclose(z, [-r, -r / 2, 0.0, r / 2, r], rtol=1e-15, atol=0)
    assert isinstance(mean, float)
    assert isinstance(std, float)


@settings(max_examples=50, deadline=None)
@given(st.lists(finite, min_size=2, max_size=30).filter(lambda v: np.ptp(v) > 1e-3))
def test_standardized_feature_has_mean_0_and_std_1(values):
    x = np.array(values)
    z, mean, std = gd.standardize(x)
    assert abs(np.mean(z)) < 1e-9
    assert np.std(z) == pytest.approx(1.0, rel=1e-9)
    np.testing.assert_allclose(z * std + mean, x, atol=1e-9 * (1 + np.abs(x).max()))


def test_standardize_does_not_mutate_its_input():
    x = np.array([1.0, 2.0, 4.0])
    z, _, _ = gd.standardize(x)
    z[0] = 99.0
    assert x.tolist() == [1.0, 2.0, 4.0]


def test_standardize_rejects_a_constant_feature():
    # 0.1 three times: its float mean may differ from 0.1 in the last bit, so a
    # naive std would be a tiny non-zero number instead of an error.
    with pytest.raises(
        ValueError, match=r"x must not be constant.*got all values 0\.1"
    ):
        gd.standardize([0.1, 0.1, 0.1])
    with pytest.raises(ValueError, match="x must be 1-D, got shape"):
        gd.standardize([[1.0, 2.0]])


def test_unstandardize_line_by_hand():
    # Fitted on z = (x − 1500)/500: ŷ = 50·z + 250 = 0.1·x − 150 + 250 = 0.1·x + 100.
    assert gd.unstandardize_line(50.0, 250.0, 1500.0, 500.0) == (0.1, 100.0)


def test_unstandardize_the_exact_house_fit():
    # On z the least-squares line is w_z = 0.1·std, b_z = mean(y) = 250.
    sizes, prices = gd.house_prices()
    z, mean, std = gd.standardize(sizes)
    w_z, b_z = np.linalg.lstsq(np.column_stack([z, np.ones(5)]), prices)[0]
    w, b = gd.unstandardize_line(w_z, b_z, mean, std)
    assert w == pytest.approx(0.1, rel=1e-12)
    assert b == pytest.approx(100.0, rel=1e-12)


@settings(max_examples=50, deadline=None)
@given(w=finite, b=finite, mean=finite, std=st.floats(0.1, 1e3), x=finite)
def test_unstandardize_line_predicts_the_same_as_the_line_on_z(w, b, mean, std, x):
    w_raw, b_raw = gd.unstandardize_line(w, b, mean, std)
    z = (x - mean) / std
    scale = 1 + abs(w * z) + abs(b) + abs(w_raw * x) + abs(b_raw)
    assert w_raw * x + b_raw == pytest.approx(w * z + b, abs=1e-12 * scale)


@settings(max_examples=50, deadline=None)
@given(w=finite, b=finite, seed=st.integers(0, 2**32 - 1))
def test_round_trip_of_a_line_through_standardized_data(w, b, seed):
    x = np.random.default_rng(seed).uniform(-100, 100, size=8)
    z, mean, std = gd.standardize(x)
    w_z, b_z = w * std, w * mean + b  # the same line written in z
    np.testing.assert_allclose(
        w_z * z + b_z, w * x + b, atol=1e-9 * (1 + abs(w) * 100 + abs(b))
    )
    w_back, b_back = gd.unstandardize_line(w_z, b_z, mean, std)
    assert w_back == pytest.approx(w, rel=1e-12, abs=1e-12)
    assert b_back == pytest.approx(b, rel=1e-9, abs=1e-9 * (1 + abs(w) * 100))


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((1.0, 2.0, 3.0, 0.0), ValueError, "std must be positive and finite, got 0.0"),
        (
            (1.0, 2.0, 3.0, -1.0),
            ValueError,
            "std must be positive and finite, got -1.0",
        ),
        ((float("nan"), 2.0, 3.0, 1.0), ValueError, "w_z must be finite, got nan"),
        ((1.0, "2", 3.0, 1.0), TypeError, "b_z must be a real number, got '2'"),
        ((1.0, 2.0, float("inf"), 1.0), ValueError, "mean must be finite, got inf"),
    ],
)
def test_unstandardize_line_validation(args, error, match):
    with pytest.raises(error, match=match):
        gd.unstandardize_line(*args)


def test_overflow_is_an_error_not_inf_or_a_warning():
    # (1e154)² = 1e308 per square, 2e308 summed: the variance overflows.
    with pytest.raises(ValueError, match=r"x is too large to standardise.*1e\+154"):
        gd.standardize([1e154, -1e154])
    # b − w_z·mean/std = 2 − 1e308/1e-308 = −inf
    with pytest.raises(ValueError, match=r"the line in raw units overflows.*b = -inf"):
        gd.unstandardize_line(1.0, 2.0, 1e308, 1e-308)
    # 1e308·size with size ≥ 500 is past float64
    with pytest.raises(ValueError, match=r"prices overflow float64 \(w=1e\+308"):
        gd.synthetic_houses(3, np.random.default_rng(0), w=1e308)


def test_a_spread_whose_square_underflows_is_std_zero():
    # std = 5e-171 but its square 2.5e-341 underflows to 0 inside np.std.
    with pytest.raises(ValueError, match="x has std 0 in floating point"):
        gd.standardize([1e-170, 0.0])


def test_spring_lengths_fit_the_line_of_notebook_01():
    # Σx = 21, Σx² = 91, Σy = 26.5, Σxy = 108.1, N = 6: D = 6·91 − 21² = 105,
    # w* = (6·108.1 − 21·26.5)/105 = 92.7/105 = 0.882857…,
    # b* = (91·26.5 − 21·108.1)/105 = 139.3/105 = 1.326666…
    x, y = gd.spring_lengths()
    assert len(x) == len(y) == 6
    np.testing.assert_allclose(gd.fit_line(x, y), (92.7 / 105, 139.3 / 105))
    x[0] = 99.0  # fresh arrays every call
    assert gd.spring_lengths()[0][0] == 1.0

"""Tests for gdcore.schedules: hand-computed rates, properties, use as lr, errors."""

import dataclasses
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd


def test_constant():
    lr = gd.constant(0.1)
    assert [lr(t) for t in (0, 1, 1000)] == [0.1, 0.1, 0.1]


def test_step_decay_by_hand():
    lr = gd.step_decay(0.1, drop=0.5, every=10)
    # ⌊t/10⌋ = 0 for t = 0..9: 0.1
    assert [lr(t) for t in range(10)] == [0.1] * 10
    # t = 10: 0.1·0.5 = 0.05;  t = 25: 0.1·0.5² = 0.025;  t = 30: 0.1·0.5³ = 0.0125
    assert lr(10) == 0.05
    assert lr(19) == 0.05
    assert lr(25) == 0.025
    assert lr(30) == 0.0125


def test_step_decay_defaults():
    assert gd.step_decay(1.0) == gd.step_decay(1.0, drop=0.5, every=10)


def test_exponential_by_hand():
    lr = gd.exponential(0.1, gamma=0.5)
    # 0.1·0.5⁰ = 0.1, 0.1·0.5¹ = 0.05, 0.1·0.5³ = 0.0125
    assert [lr(0), lr(1), lr(3)] == [0.1, 0.05, 0.0125]
    # default γ = 0.95: 0.2·0.95² = 0.2·0.9025 = 0.1805
    assert gd.exponential(0.2)(2) == pytest.approx(0.1805, rel=1e-15)


def test_exponential_underflows_to_zero_quietly():
    assert gd.exponential(0.1, gamma=0.5)(5000) == 0.0  # 0.5⁵⁰⁰⁰ < 1e-1500


def test_inverse_time_by_hand():
    lr = gd.inverse_time(0.1, k=0.5)
    # 0.1/(1 + 0.5·0) = 0.1, 0.1/(1 + 0.5·2) = 0.05, 0.1/(1 + 0.5·6) = 0.025
    assert [lr(0), lr(2), lr(6)] == [0.1, 0.05, 0.025]
    # default k = 0.1: 0.3/(1 + 0.1·10) = 0.15
    assert gd.inverse_time(0.3)(10) == pytest.approx(0.15, rel=1e-15)
    assert gd.inverse_time(0.3, k=0)(10**6) == 0.3


def test_cosine_by_hand():
    lr = gd.cosine(0.1, total_steps=10, lr_min=0.02)
    assert lr(0) == 0.1  # 0.02 + ½·0.08·(1 + cos 0) = 0.02 + 0.08
    # t = T/2 = 5: cos(π/2) = 0, so (0.1 + 0.02)/2 = 0.06
    assert lr(5) == pytest.approx(0.06, rel=1e-15)
    # t = T and after: cos π = −1, so lr_min
    assert lr(10) == 0.02
    assert lr(11) == 0.02
    assert lr(10**6) == 0.02
    # T = 6, t = 2: cos(π/3) = ½, 0.02 + ½·0.08·1.5 = 0.08
    assert gd.cosine(0.1, 6, lr_min=0.02)(2) == pytest.approx(0.08, rel=1e-15)


def test_cosine_default_lr_min_is_zero():
    lr = gd.cosine(0.4, total_steps=4)
    # ½·0.4·(1 + cos(π/4)) = 0.2·(1 + √2/2)
    assert lr(1) == pytest.approx(0.2 * (1 + math.sqrt(2) / 2), rel=1e-15)
    assert lr(4) == 0.0


SCHEDULE_CASES = [
    gd.constant(0.3),
    gd.step_decay(0.3, drop=0.7, every=3),
    gd.exponential(0.3, gamma=0.9),
    gd.inverse_time(0.3, k=0.2),
    gd.cosine(0.3, total_steps=20, lr_min=0.01),
]


@pytest.mark.parametrize("lr", SCHEDULE_CASES, ids=repr)
@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=0, max_value=500))
def test_schedules_start_at_lr_and_never_increase(lr, t):
    assert lr(0) == 0.3
    assert 0.0 <= lr(t + 1) <= lr(t) <= 0.3
    assert isinstance(lr(t), float)


def test_repr_reads_as_the_call_that_made_it():
    assert repr(gd.step_decay(0.1)) == "step_decay(lr=0.1, drop=0.5, every=10)"
    assert repr(gd.cosine(1, 100)) == "cosine(lr=1.0, total_steps=100, lr_min=0.0)"
    # NumPy scalars are stored as plain floats and ints
    lr = gd.exponential(np.float64(0.1), gamma=np.float32(0.5))
    assert repr(lr) == "exponential(lr=0.1, gamma=0.5)"
    assert repr(gd.step_decay(0.1, every=np.int64(3))).endswith("every=3)")


@pytest.mark.parametrize("lr", SCHEDULE_CASES, ids=repr)
def test_schedules_are_frozen_and_compare_by_value(lr):
    with pytest.raises(dataclasses.FrozenInstanceError):
        lr.lr = 1.0
    assert lr == dataclasses.replace(lr)
    assert hash(lr) == hash(dataclasses.replace(lr))


# -- used as an optimizer's lr -------------------------------------------------------

OPTIMIZERS = [
    gd.sgd,
    gd.momentum,
    gd.nesterov,
    gd.adagrad,
    gd.rmsprop,
    gd.adam,
    gd.adamw,
]


@pytest.mark.parametrize("factory", OPTIMIZERS, ids=lambda f: f.__name__)
def test_each_optimizer_calls_the_schedule_with_t_from_zero(factory):
    seen = []

    def lr(t):
        seen.append(t)
        return 0.1

    with_schedule, with_number = factory(lr), factory(0.1)
    a, state_a = np.array([1.0, -2.0]), with_schedule.init([1.0, -2.0])
    b, state_b = np.array([1.0, -2.0]), with_number.init([1.0, -2.0])
    for g in ([3.0, 4.0], [4.0, -3.0], [1.0, 1.0]):
        a, state_a = with_schedule.step(a, g, state_a)
        b, state_b = with_number.step(b, g, state_b)
    assert seen == [0, 1, 2]
    np.testing.assert_array_equal(a, b)
    assert with_schedule.hyperparams["lr"] is lr


@pytest.mark.parametrize("factory", OPTIMIZERS, ids=lambda f: f.__name__)
def test_each_optimizer_with_step_decay_matches_rescaled_steps(factory):
    # η = 0.1, 0.1, 0.05, 0.05 (drop 0.5 every 2). Stepping with that schedule
    # must equal stepping with a constant-η optimizer whose η is swapped each step
    # (same state passed along), since η enters only the last line of each rule.
    opt = factory(gd.step_decay(0.1, drop=0.5, every=2))
    theta, state = np.array([1.0, -2.0]), opt.init([1.0, -2.0])
    ref_theta, ref_state = theta, state
    etas = (0.1, 0.1, 0.05, 0.05)
    grads = ([3.0, 4.0], [4.0, -3.0], [1.0, 1.0], [2.0, 0.5])
    for eta, g in zip(etas, grads, strict=True):
        theta, state = opt.step(theta, g, state)
        ref_theta, ref_state = factory(eta).step(ref_theta, g, ref_state)
        np.testing.assert_array_equal(theta, ref_theta)
    assert state.t == 4


def test_sgd_with_cosine_schedule_by_hand():
    # cosine(0.2, T=2): η = 0.2, 0.1, 0.0 at t = 0, 1, 2.  θ0 = 1, g = 1 each step:
    # θ1 = 1 − 0.2 = 0.8;  θ2 = 0.8 − 0.1 = 0.7;  θ3 = 0.7 − 0 = 0.7 (η reached 0)
    opt = gd.sgd(gd.cosine(0.2, total_steps=2))
    theta, state = 1.0, opt.init(1.0)
    thetas = []
    for _ in range(3):
        theta, state = opt.step(theta, 1.0, state)
        thetas.append(float(theta))
    assert thetas == pytest.approx([0.8, 0.7, 0.7], rel=1e-15)


def test_adam_with_exponential_schedule_by_hand():
    opt = gd.adam(gd.exponential(0.1, gamma=0.5), eps=0.0)
    theta, state = 0.0, opt.init(0.0)
    for _ in range(3):
        theta, state = opt.step(theta, 2.0, state)
    # constant g: m̂ = g and v̂ = g² at every t, so each step is η_t·sign(g)
    # θ3 = −(0.1 + 0.05 + 0.025) = −0.175
    assert float(theta) == pytest.approx(-0.175, rel=1e-14)


# -- get_schedule ------------------------------------------------------------------


def test_get_schedule_builds_the_named_schedule():
    assert set(gd.SCHEDULES) == {
        "constant",
        "step_decay",
        "exponential",
        "inverse_time",
        "cosine",
        "warmup_cosine",
    }
    lr = gd.get_schedule("cosine", lr=0.1, total_steps=10)
    assert lr == gd.cosine(0.1, total_steps=10)
    assert gd.get_schedule("inverse_time", lr=0.1)(1) == pytest.approx(0.1 / 1.1)


def test_get_schedule_unknown_name():
    message = (
        "schedule must be one of 'constant', 'step_decay', 'exponential', "
        "'inverse_time', 'cosine', 'warmup_cosine', got 'linear'"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        gd.get_schedule("linear", lr=0.1)


# -- validation --------------------------------------------------------------------

POSITIVE = "must be positive and finite, got"
FRACTION = "must be in (0, 1], got"
NONNEG = "must be non-negative and finite, got"
NOT_INT = "must be an integer, got"


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda: gd.constant(0), ValueError, f"lr {POSITIVE} 0.0"),
        (lambda: gd.constant(-0.1), ValueError, f"lr {POSITIVE} -0.1"),
        (lambda: gd.step_decay(math.inf), ValueError, f"lr {POSITIVE} inf"),
        (lambda: gd.exponential(math.nan), ValueError, f"lr {POSITIVE} nan"),
        (
            lambda: gd.inverse_time("0.1"),
            TypeError,
            "lr must be a real number, got '0.1'",
        ),
        (lambda: gd.cosine(-1, 10), ValueError, f"lr {POSITIVE} -1.0"),
        (lambda: gd.step_decay(0.1, drop=0), ValueError, f"drop {FRACTION} 0.0"),
        (lambda: gd.step_decay(0.1, drop=1.5), ValueError, f"drop {FRACTION} 1.5"),
        (lambda: gd.step_decay(0.1, every=0), ValueError, "every must be >= 1, got 0"),
        (lambda: gd.step_decay(0.1, every=2.5), TypeError, f"every {NOT_INT} 2.5"),
        (lambda: gd.exponential(0.1, gamma=0), ValueError, f"gamma {FRACTION} 0.0"),
        (lambda: gd.exponential(0.1, gamma=1.01), ValueError, f"gamma {FRACTION} 1.01"),
        (lambda: gd.inverse_time(0.1, k=-1), ValueError, f"k {NONNEG} -1.0"),
        (lambda: gd.inverse_time(0.1, k=math.inf), ValueError, f"k {NONNEG} inf"),
        (lambda: gd.cosine(0.1, 0), ValueError, "total_steps must be >= 1, got 0"),
        (lambda: gd.cosine(0.1, 10.0), TypeError, f"total_steps {NOT_INT} 10.0"),
        (
            lambda: gd.cosine(0.1, 10, lr_min=-0.01),
            ValueError,
            f"lr_min {NONNEG} -0.01",
        ),
        (
            lambda: gd.cosine(0.1, 10, lr_min=0.2),
            ValueError,
            "lr_min must be <= lr, got lr_min=0.2 and lr=0.1",
        ),
    ],
)
def test_bad_arguments_are_rejected(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


def test_gamma_and_drop_of_one_are_allowed():
    assert gd.exponential(0.1, gamma=1)(100) == 0.1
    assert gd.step_decay(0.1, drop=1)(100) == 0.1


@pytest.mark.parametrize("lr", SCHEDULE_CASES, ids=repr)
def test_t_must_be_a_non_negative_integer(lr):
    with pytest.raises(ValueError, match=re.escape("t must be >= 0, got -1")):
        lr(-1)
    with pytest.raises(TypeError, match=re.escape("t must be an integer, got 1.5")):
        lr(1.5)
    with pytest.raises(TypeError, match=re.escape("t must be an integer, got True")):
        lr(True)
    assert lr(np.int64(3)) == lr(3)

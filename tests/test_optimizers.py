"""Tests for gdcore.optimizers: hand-computed steps, properties, convergence, errors."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd
from gdcore.optimizers import (
    AdaGradState,
    AdamState,
    AdamWState,
    MomentumState,
    NesterovState,
    Optimizer,
    RMSpropState,
    SGDHDState,
    SGDState,
)

THETA0 = [1.0, -2.0]


def run(opt, theta, grads):
    """Apply opt.step once per gradient; return the list of thetas after each step."""
    state = opt.init(theta)
    thetas = []
    for g in grads:
        theta, state = opt.step(theta, g, state)
        thetas.append(theta)
    return thetas, state


def descend(opt, grad, theta0, steps):
    theta = np.array(theta0)
    state = opt.init(theta)
    for _ in range(steps):
        theta, state = opt.step(theta, grad(theta), state)
    return theta


# f(θ) = ½ θᵀAθ with A = diag(1, 10): ∇f = Aθ, minimum at 0, λ_max = 10.
A = np.diag([1.0, 10.0])


def bowl_grad(theta):
    return A @ theta


# Rosenbrock f(x, y) = (1 − x)² + 100(y − x²)², minimum at (1, 1):
# ∂f/∂x = −2(1 − x) − 400x(y − x²), ∂f/∂y = 200(y − x²).
def rosenbrock_grad(theta):
    x, y = theta
    return np.array([-2 * (1 - x) - 400 * x * (y - x**2), 200 * (y - x**2)])


# -- two steps by hand ---------------------------------------------------------
# theta0 = [1, -2]; g1 = [3, 4], g2 = [4, -3]; lr = 0.1 unless stated.


def test_sgd_two_steps_by_hand():
    (theta1, theta2), state = run(gd.sgd(0.1), THETA0, [[3.0, 4.0], [4.0, -3.0]])
    # θ1 = [1 − 0.1·3, −2 − 0.1·4] = [0.7, −2.4]
    assert theta1 == pytest.approx([0.7, -2.4], rel=1e-15)
    # θ2 = [0.7 − 0.1·4, −2.4 − 0.1·(−3)] = [0.3, −2.1]
    assert theta2 == pytest.approx([0.3, -2.1], rel=1e-15)
    assert state == SGDState(t=2)


def test_momentum_two_steps_by_hand():
    opt = gd.momentum(0.1, beta=0.9)
    (theta1, theta2), state = run(opt, THETA0, [[3.0, 4.0], [4.0, -3.0]])
    # v1 = 0.9·0 + [3, 4] = [3, 4];  θ1 = [1 − 0.3, −2 − 0.4] = [0.7, −2.4]
    assert theta1 == pytest.approx([0.7, -2.4], rel=1e-15)
    # v2 = 0.9·[3, 4] + [4, −3] = [6.7, 0.6];  θ2 = [0.7 − 0.67, −2.4 − 0.06]
    assert state.v == pytest.approx([6.7, 0.6], rel=1e-15)
    assert theta2 == pytest.approx([0.03, -2.46], rel=1e-13)
    assert state.t == 2


def test_nesterov_two_steps_by_hand():
    opt = gd.nesterov(0.1, beta=0.9)
    (theta1, theta2), state = run(opt, THETA0, [[3.0, 4.0], [4.0, -3.0]])
    # v1 = [3, 4];  g1 + 0.9·v1 = [5.7, 7.6];  θ1 = [1 − 0.57, −2 − 0.76]
    assert theta1 == pytest.approx([0.43, -2.76], rel=1e-15)
    # v2 = [6.7, 0.6];  g2 + 0.9·v2 = [10.03, −2.46]
    # θ2 = [0.43 − 1.003, −2.76 + 0.246]
    assert state.v == pytest.approx([6.7, 0.6], rel=1e-15)
    assert theta2 == pytest.approx([-0.573, -2.514], rel=1e-14)
    assert state.t == 2


def test_adagrad_two_steps_by_hand():
    opt = gd.adagrad(0.1, eps=0.0)
    (theta1, theta2), state = run(opt, THETA0, [[3.0, 4.0], [4.0, -3.0]])
    # G1 = [9, 16], √G1 = [3, 4];  θ1 = [1 − 0.1·3/3, −2 − 0.1·4/4] = [0.9, −2.1]
    assert theta1 == pytest.approx([0.9, -2.1], rel=1e-15)
    # G2 = [9 + 16, 16 + 9] = [25, 25], √G2 = 5;  θ2 = [0.9 − 0.08, −2.1 + 0.06]
    assert state.G.tolist() == [25.0, 25.0]
    assert theta2 == pytest.approx([0.82, -2.04], rel=1e-15)
    assert state.t == 2


def test_adagrad_default_eps_is_outside_the_root():
    opt = gd.adagrad(0.1)  # eps = 1e-10
    (theta1,), _ = run(opt, [1.0], [[3.0]])
    # θ1 = 1 − 0.1·3/(√9 + 1e-10) = 1 − 0.3/3.0000000001
    assert theta1 == pytest.approx([1 - 0.3 / 3.0000000001], rel=1e-15)


def test_rmsprop_two_steps_by_hand():
    opt = gd.rmsprop(0.1, rho=0.75, eps=0.0)
    (theta1, theta2), state = run(opt, THETA0, [[3.0, 4.0], [1.5, -2.0]])
    # s1 = 0.25·[9, 16] = [2.25, 4], √s1 = [1.5, 2]
    # θ1 = [1 − 0.1·3/1.5, −2 − 0.1·4/2] = [0.8, −2.2]
    assert theta1 == pytest.approx([0.8, -2.2], rel=1e-15)
    # s2 = 0.75·[2.25, 4] + 0.25·[2.25, 4] = [2.25, 4]
    # θ2 = [0.8 − 0.1·1.5/1.5, −2.2 − 0.1·(−2)/2] = [0.7, −2.1]
    assert state.s == pytest.approx([2.25, 4.0], rel=1e-15)
    assert theta2 == pytest.approx([0.7, -2.1], rel=1e-15)
    assert state.t == 2


def test_adam_two_steps_by_hand():
    opt = gd.adam(0.1, beta1=0.5, beta2=0.75, eps=0.0)
    (theta1, theta2), state = run(opt, THETA0, [[3.0, 4.0], [3.0, -4.0]])
    # t = 1: m1 = 0.5·[3, 4] = [1.5, 2];  v1 = 0.25·[9, 16] = [2.25, 4]
    #        m̂1 = m1/(1 − 0.5) = [3, 4];  v̂1 = v1/(1 − 0.75) = [9, 16]
    #        θ1 = [1 − 0.1·3/3, −2 − 0.1·4/4] = [0.9, −2.1]
    assert theta1 == pytest.approx([0.9, -2.1], rel=1e-15)
    # t = 2: m2 = 0.5·[1.5, 2] + 0.5·[3, −4] = [2.25, −1]
    #        v2 = 0.75·[2.25, 4] + 0.25·[9, 16] = [3.9375, 7]
    #        m̂2 = m2/(1 − 0.25) = [3, −4/3];  v̂2 = v2/(1 − 0.5625) = [9, 16]
    #        θ2 = [0.9 − 0.1·3/3, −2.1 − 0.1·(−4/3)/4] = [0.8, −2.1 + 1/30]
    assert state.m == pytest.approx([2.25, -1.0], rel=1e-15)
    assert state.v == pytest.approx([3.9375, 7.0], rel=1e-15)
    assert theta2 == pytest.approx([0.8, -2.1 + 1 / 30], rel=1e-15)
    assert state.t == 2


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.floats(min_value=1e-3, max_value=1e6) | st.floats(-1e6, -1e-3),
        min_size=1,
        max_size=5,
    ),
    st.floats(min_value=1e-4, max_value=1.0),
)
def test_adam_first_step_is_lr_times_sign_of_g(g, lr):
    g = np.array(g)
    theta, _ = gd.adam(lr).step(np.zeros_like(g), g, gd.adam(lr).init(g))
    # m̂1 = g and v̂1 = g², so the step is −η·g/(|g| + ε): η·sign(g) up to η·ε/|g|.
    assert np.all(np.abs(theta + lr * np.sign(g)) <= lr * 1e-8 / np.abs(g) + 1e-15)
    assert np.all(np.sign(theta) == -np.sign(g))


def test_adam_without_bias_correction_first_step_is_sqrt10_times_larger():
    g = [3.0, -4.0]
    (corrected,), _ = run(gd.adam(0.01, eps=0.0), THETA0, [g])
    (raw,), _ = run(gd.adam(0.01, eps=0.0, bias_correction=False), THETA0, [g])
    # corrected step: −η·sign(g) = [−0.01, +0.01]
    assert corrected - THETA0 == pytest.approx([-0.01, 0.01], rel=1e-14)
    # uncorrected: m1 = 0.1·g, v1 = 0.001·g², step = η·0.1/√0.001·sign(g) = η·√10
    factor = (1 - 0.9) / math.sqrt(1 - 0.999)
    assert factor == pytest.approx(math.sqrt(10), rel=1e-12)  # 3.16227766...
    assert raw - THETA0 == pytest.approx([-0.01 * factor, 0.01 * factor], rel=1e-12)


def test_momentum_constant_gradient_step_approaches_lr_g_over_one_minus_beta():
    opt = gd.momentum(0.01, beta=0.9)
    g = np.array([2.0, -1.0])
    theta, state = np.zeros(2), opt.init(np.zeros(2))
    steps = []
    for _ in range(300):
        new_theta, state = opt.step(theta, g, state)
        steps.append(theta - new_theta)
        theta = new_theta
    # step k = η·g·(1 − βᵏ)/(1 − β): first η·g, then → η·g/(1 − β) = 0.1·g
    assert steps[0] == pytest.approx(0.01 * g, rel=1e-15)
    assert steps[1] == pytest.approx(0.01 * g * 1.9, rel=1e-14)
    assert steps[-1] == pytest.approx(0.1 * g, rel=1e-12)


# -- properties: conventions agree where the docstrings say they do -------------

gradient_sequences = st.lists(
    st.lists(st.floats(-10, 10), min_size=2, max_size=2), min_size=1, max_size=8
)


@settings(max_examples=50, deadline=None)
@given(gradient_sequences, st.floats(0.0, 0.99), st.floats(1e-3, 1.0))
def test_momentum_matches_classic_and_dampened_forms(grads, beta, lr):
    ours, _ = run(gd.momentum(lr, beta=beta), THETA0, grads)
    # classic: v ← βv − ηg, θ ← θ + v
    theta, v = np.array(THETA0), np.zeros(2)
    # dampened with η' = η/(1 − β): u ← βu + (1 − β)g, θ ← θ − η'u
    phi, u = np.array(THETA0), np.zeros(2)
    for g, expected in zip(grads, ours, strict=True):
        v = beta * v - lr * np.array(g)
        theta = theta + v
        u = beta * u + (1 - beta) * np.array(g)
        phi = phi - lr / (1 - beta) * u
        np.testing.assert_allclose(expected, theta, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(expected, phi, rtol=1e-9, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(-2, 2), min_size=2, max_size=2),
    st.floats(0.0, 0.99),
    st.floats(1e-3, 0.15),
)
def test_nesterov_visits_the_look_ahead_points_of_sutskever_form(theta0, beta, lr):
    # Sutskever et al.: v ← βv − η∇f(θ + βv), θ ← θ + v; look-ahead φ = θ + βv.
    opt = gd.nesterov(lr, beta=beta)
    ours, state = np.array(theta0), opt.init(theta0)
    theta, v = np.array(theta0), np.zeros(2)
    for _ in range(10):
        ours, state = opt.step(ours, bowl_grad(ours), state)
        v = beta * v - lr * bowl_grad(theta + beta * v)
        theta = theta + v
        np.testing.assert_allclose(ours, theta + beta * v, rtol=1e-9, atol=1e-12)


@settings(max_examples=50, deadline=None)
@given(gradient_sequences, st.floats(1e-3, 1.0))
def test_zero_beta_reduces_to_simpler_rules(grads, lr):
    sgd, _ = run(gd.sgd(lr), THETA0, grads)
    for opt in (gd.momentum(lr, beta=0.0), gd.nesterov(lr, beta=0.0)):
        np.testing.assert_allclose(run(opt, THETA0, grads)[0], sgd, rtol=1e-15)
    # Adam with β₁ = β₂ = 0 has m̂ = g, v̂ = g²: RMSprop with ρ = 0.
    rms, _ = run(gd.rmsprop(lr, rho=0.0), THETA0, grads)
    adam, _ = run(gd.adam(lr, beta1=0.0, beta2=0.0), THETA0, grads)
    np.testing.assert_allclose(adam, rms, rtol=1e-15)


# -- convergence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("opt", "steps", "tol"),
    [
        (gd.sgd(0.1), 300, 1e-10),  # |1 − 0.1·1|³⁰⁰ = 0.9³⁰⁰ ≈ 2e-14
        (gd.momentum(0.05, beta=0.5), 300, 1e-10),
        (gd.nesterov(0.05, beta=0.5), 300, 1e-10),
        (gd.adagrad(0.5), 300, 1e-10),
        # constant-lr RMSprop ends in a cycle of size ~η/2; a cosine schedule ends it
        (gd.rmsprop(gd.cosine(0.05, total_steps=1000)), 1000, 1e-10),
        (gd.adam(0.05), 1000, 1e-10),
    ],
    ids=lambda p: repr(p) if isinstance(p, Optimizer) else None,
)
def test_converges_on_quadratic_bowl(opt, steps, tol):
    theta = descend(opt, bowl_grad, [1.0, 1.0], steps)
    assert np.abs(theta).max() < tol


@pytest.mark.parametrize(
    ("opt", "steps"),
    [
        (gd.adam(0.01), 5000),
        (gd.momentum(2e-3, beta=0.9), 3000),
        (gd.nesterov(1e-3, beta=0.9), 5000),
    ],
    ids=repr,
)
def test_converges_on_rosenbrock_from_classic_start(opt, steps):
    theta = descend(opt, rosenbrock_grad, [-1.2, 1.0], steps)
    assert np.abs(theta - 1.0).max() < 1e-3


def test_rmsprop_with_constant_lr_does_not_settle_on_bowl():
    # Shows why the schedule above is needed (and that the bowl test can fail).
    theta = descend(gd.rmsprop(0.05), bowl_grad, [1.0, 1.0], 1000)
    assert np.abs(theta).max() > 1e-3


# -- purity, types, state ------------------------------------------------------------

ALL = [
    gd.sgd(0.1),
    gd.momentum(0.1),
    gd.nesterov(0.1),
    gd.adagrad(0.1),
    gd.rmsprop(0.1),
    gd.adam(0.1),
    gd.adamw(0.1),
    gd.sgd_hd(0.1, hyper_lr=0.01),
]
STATE_TYPES = {
    "sgd": SGDState,
    "momentum": MomentumState,
    "nesterov": NesterovState,
    "adagrad": AdaGradState,
    "rmsprop": RMSpropState,
    "adam": AdamState,
    "adamw": AdamWState,
    "sgd_hd": SGDHDState,
}
ids = [opt.name for opt in ALL]


@pytest.mark.parametrize("opt", ALL, ids=ids)
def test_init_is_zeros_like_theta_and_t_zero(opt):
    state = opt.init(np.array([[1.0, 2.0], [3.0, 4.0]]))
    assert type(state) is STATE_TYPES[opt.name]
    assert state.t == 0
    for field in state._fields[:-1]:
        value = getattr(state, field)
        assert value.shape == (2, 2)
        assert value.dtype == np.float64
        if field == "lr":  # SGD-HD keeps its learned rate, starting at η₀
            assert (value == opt.hyperparams["lr"]).all()
        else:
            assert not value.any()


@pytest.mark.parametrize("opt", ALL, ids=ids)
def test_step_does_not_modify_inputs_and_returns_new_arrays(opt):
    theta = np.array([1.0, -2.0])
    g = np.array([0.5, 1.0])
    state1 = opt.step(theta, g, opt.init(theta))[1]
    saved = (theta.copy(), g.copy(), [np.copy(x) for x in state1])
    theta2, state2 = opt.step(theta, g, state1)
    np.testing.assert_array_equal(theta, saved[0])
    np.testing.assert_array_equal(g, saved[1])
    for before, after in zip(state1, saved[2], strict=True):
        np.testing.assert_array_equal(before, after)
    assert theta2 is not theta
    assert not np.shares_memory(theta2, theta)
    assert type(state2) is STATE_TYPES[opt.name]
    assert isinstance(state2, tuple)  # a NamedTuple
    assert state2.t == state1.t + 1 == 2
    for old, new in zip(state1[:-1], state2[:-1], strict=True):
        assert new is not old
        assert not np.shares_memory(new, old)
        assert not np.shares_memory(new, theta)
        assert not np.shares_memory(new, g)


@pytest.mark.parametrize("opt", ALL, ids=ids)
def test_float_theta_and_int_grad_give_float64_arrays(opt):
    theta, state = opt.step(1.0, 2, opt.init(1.0))
    assert isinstance(theta, np.ndarray)
    assert theta.shape == ()
    assert theta.dtype == np.float64
    assert theta < 1.0
    for value in state[:-1]:
        assert isinstance(value, np.ndarray)
        assert value.shape == ()


def test_optimizer_is_a_namedtuple_with_published_defaults():
    assert Optimizer._fields == ("init", "step", "name", "hyperparams")
    assert gd.sgd(0.5).hyperparams == {"lr": 0.5}
    assert gd.momentum(0.5).hyperparams == {"lr": 0.5, "beta": 0.9}
    assert gd.nesterov(0.5).hyperparams == {"lr": 0.5, "beta": 0.9}
    assert gd.adagrad().hyperparams == {"lr": 0.01, "eps": 1e-10}
    assert gd.rmsprop().hyperparams == {"lr": 0.01, "rho": 0.9, "eps": 1e-8}
    assert gd.adam().hyperparams == {
        "lr": 0.001,
        "beta1": 0.9,
        "beta2": 0.999,
        "eps": 1e-8,
        "bias_correction": True,
    }
    assert repr(gd.momentum(1)) == "momentum(lr=1.0, beta=0.9)"


def test_get_optimizer_builds_the_named_optimizer():
    assert set(gd.OPTIMIZERS) == set(STATE_TYPES) - {"sgd_hd"}  # sgd_hd needs hyper_lr
    opt = gd.get_optimizer("rmsprop", lr=0.2, rho=0.5)
    assert opt.name == "rmsprop"
    assert opt.hyperparams == {"lr": 0.2, "rho": 0.5, "eps": 1e-8}
    theta, _ = opt.step([1.0], [2.0], opt.init([1.0]))
    # s = 0.5·4 = 2;  θ = 1 − 0.2·2/(√2 + 1e-8)
    assert theta == pytest.approx([1 - 0.4 / (math.sqrt(2) + 1e-8)], rel=1e-15)


def test_get_optimizer_unknown_name():
    message = (
        "optimizer must be one of 'sgd', 'momentum', 'nesterov', 'adagrad', "
        "'rmsprop', 'adam', 'adamw', got 'lamb'"
    )
    with pytest.raises(ValueError, match=re.escape(message)):
        gd.get_optimizer("lamb")


# -- validation -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("factory", "kwargs", "error", "message"),
    [
        (gd.sgd, {"lr": -0.1}, ValueError, "lr must be positive and finite, got -0.1"),
        (gd.sgd, {"lr": 0}, ValueError, "lr must be positive and finite, got 0.0"),
        (
            gd.sgd,
            {"lr": math.inf},
            ValueError,
            "lr must be positive and finite, got inf",
        ),
        (
            gd.adam,
            {"lr": math.nan},
            ValueError,
            "lr must be positive and finite, got nan",
        ),
        (gd.sgd, {"lr": "fast"}, TypeError, "lr must be a real number, got 'fast'"),
        (gd.sgd, {"lr": True}, TypeError, "lr must be a real number, got True"),
        (
            gd.momentum,
            {"lr": 0.1, "beta": 1.0},
            ValueError,
            "beta must be in [0, 1), got 1.0",
        ),
        (
            gd.nesterov,
            {"lr": 0.1, "beta": -0.5},
            ValueError,
            "beta must be in [0, 1), got -0.5",
        ),
        (
            gd.momentum,
            {"lr": 0.1, "beta": "0.9"},
            TypeError,
            "beta must be a real number, got '0.9'",
        ),
        (gd.rmsprop, {"rho": 1}, ValueError, "rho must be in [0, 1), got 1.0"),
        (gd.adam, {"beta1": 1.0}, ValueError, "beta1 must be in [0, 1), got 1.0"),
        (gd.adam, {"beta2": 1.5}, ValueError, "beta2 must be in [0, 1), got 1.5"),
        (
            gd.adagrad,
            {"eps": -1e-10},
            ValueError,
            "eps must be non-negative and finite, got -1e-10",
        ),
        (
            gd.rmsprop,
            {"eps": math.inf},
            ValueError,
            "eps must be non-negative and finite, got inf",
        ),
        (
            gd.adam,
            {"eps": -1},
            ValueError,
            "eps must be non-negative and finite, got -1.0",
        ),
        (
            gd.adam,
            {"bias_correction": 1},
            TypeError,
            "bias_correction must be a bool, got 1",
        ),
    ],
)
def test_factories_reject_bad_hyperparameters(factory, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        factory(**kwargs)


@pytest.mark.parametrize("opt", ALL, ids=ids)
def test_step_rejects_mismatched_shapes(opt):
    with pytest.raises(
        ValueError,
        match=re.escape("theta and grad must have the same shape, got (2,) and (3,)"),
    ):
        opt.step([1.0, 2.0], [1.0, 2.0, 3.0], opt.init([1.0, 2.0]))


@pytest.mark.parametrize("opt", ALL, ids=ids)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_step_rejects_non_finite_grad_and_theta(opt, bad):
    state = opt.init([1.0, 2.0])
    with pytest.raises(
        ValueError, match=r"grad must be finite, got \[1\.0, " + str(bad)
    ):
        opt.step([1.0, 2.0], [1.0, bad], state)
    with pytest.raises(
        ValueError, match=r"theta must be finite, got \[1\.0, " + str(bad)
    ):
        opt.step([1.0, bad], [1.0, 2.0], state)


@pytest.mark.parametrize("opt", ALL, ids=ids)
def test_step_rejects_a_state_of_the_wrong_type(opt):
    wrong = gd.adam().init([1.0]) if opt.name != "adam" else gd.sgd(1.0).init([1.0])
    expected = STATE_TYPES[opt.name].__name__
    message = f"state must be of type {expected}, got {type(wrong).__name__}"
    with pytest.raises(TypeError, match=re.escape(message)):
        opt.step([1.0], [1.0], wrong)
    with pytest.raises(TypeError, match=re.escape(f"{expected}, got tuple")):
        opt.step([1.0], [1.0], tuple(opt.init([1.0])))


@pytest.mark.parametrize("opt", ALL[1:], ids=ids[1:])
def test_step_rejects_a_state_of_the_wrong_shape(opt):
    state = opt.init([1.0, 2.0, 3.0])  # broadcasting would hide this mistake
    field = state._fields[0]
    message = f"theta and state.{field} must have the same shape, got (1,) and (3,)"
    with pytest.raises(ValueError, match=re.escape(message)):
        opt.step([1.0], [1.0], state)


@pytest.mark.parametrize("opt", ALL[1:], ids=ids[1:])
def test_step_rejects_a_state_that_is_not_finite(opt):
    state = opt.init([1.0])
    field = state._fields[0]
    state = state._replace(**{field: np.array([math.nan])})
    with pytest.raises(
        ValueError, match=re.escape(f"state.{field} must be finite, got array([nan])")
    ):
        opt.step([1.0], [1.0], state)


def test_step_rejects_a_negative_step_count():
    with pytest.raises(ValueError, match=re.escape("state.t must be >= 0, got -1")):
        gd.sgd(0.1).step([1.0], [1.0], SGDState(t=-1))


def test_init_validates_theta():
    with pytest.raises(ValueError, match=re.escape("theta must be finite, got [nan]")):
        gd.adam().init([math.nan])
    with pytest.raises(TypeError, match="theta must be array-like of numbers, got 'x'"):
        gd.sgd(0.1).init("x")


def test_overflow_is_reported_not_returned():
    # g² = 1e400 overflows to inf: without the check v̂ = inf would make the step 0.
    opt = gd.adam(0.1)
    message = "adam step produced a non-finite state.v: the gradient or lr is too large"
    with pytest.raises(FloatingPointError, match=re.escape(message)):
        opt.step([1.0], [1e200], opt.init([1.0]))
    # θ − η·g = 1 − 10·1e308 overflows to −inf
    with pytest.raises(
        FloatingPointError, match="sgd step produced a non-finite theta"
    ):
        gd.sgd(10.0).step([1.0], [1e308], SGDState(t=0))


def test_zero_eps_with_zero_gradient_is_reported():
    # G = 0 and g = 0: 0/(√0 + 0) is 0/0
    opt = gd.adagrad(0.1, eps=0.0)
    with pytest.raises(
        FloatingPointError, match=re.escape("eps=0 met a zero gradient")
    ):
        opt.step([1.0, 1.0], [0.0, 1.0], opt.init([1.0, 1.0]))


def test_schedule_as_lr_is_called_with_the_step_index():
    # step_decay(0.1, drop=0.5, every=1): η = 0.1, 0.05, 0.025 at t = 0, 1, 2
    opt = gd.sgd(gd.step_decay(0.1, drop=0.5, every=1))
    thetas, state = run(opt, [1.0], [[1.0], [1.0], [1.0]])
    # θ = 1 − 0.1 = 0.9, 0.9 − 0.05 = 0.85, 0.85 − 0.025 = 0.825
    assert np.concatenate(thetas) == pytest.approx([0.9, 0.85, 0.825], rel=1e-15)
    assert state.t == 3
    assert opt.hyperparams == {"lr": gd.step_decay(0.1, drop=0.5, every=1)}


@pytest.mark.parametrize(
    ("schedule", "error", "message"),
    [
        (lambda t: -0.1, ValueError, "lr(0) must be non-negative and finite, got -0.1"),
        (
            lambda t: math.nan,
            ValueError,
            "lr(0) must be non-negative and finite, got nan",
        ),
        (lambda t: "0.1", TypeError, "lr(0) must be a real number, got '0.1'"),
    ],
)
def test_schedule_values_are_checked_at_each_step(schedule, error, message):
    opt = gd.momentum(schedule)
    with pytest.raises(error, match=re.escape(message)):
        opt.step([1.0], [1.0], opt.init([1.0]))


@settings(max_examples=50, deadline=None)
@given(gradient_sequences, st.floats(1e-4, 1.0), st.floats(1e-8, 1.0))
def test_adam_with_keras_epsilon_is_this_rule_with_a_larger_eps(grads, lr, eps_hat):
    # Keras: α_t = η·√(1 − β₂ᵗ)/(1 − β₁ᵗ), θ ← θ − α_t·m/(√v + ε̂). Dividing top
    # and bottom by √(1 − β₂ᵗ) gives η·m̂/(√v̂ + ε̂/√(1 − β₂ᵗ)): Algorithm 1 with
    # ε = ε̂/√(1 − β₂ᵗ), which is ≈ 31.6·ε̂ at t = 1 (β₂ = 0.999).
    beta1, beta2 = 0.9, 0.999
    theta, state = np.array(THETA0), gd.adam(lr).init(THETA0)
    keras, m, v = np.array(THETA0), np.zeros(2), np.zeros(2)
    for t, g in enumerate(np.array(grads), start=1):
        eps = eps_hat / math.sqrt(1 - beta2**t)
        theta, state = gd.adam(lr, beta1, beta2, eps).step(theta, g, state)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        alpha_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
        keras = keras - alpha_t * m / (np.sqrt(v) + eps_hat)
        np.testing.assert_allclose(theta, keras, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("opt", ALL, ids=ids)
def test_steps_on_float_arrays_give_the_same_errors(opt):
    # Arrays of floats, as a previous step returns them, skip the conversions;
    # a mistake in them must still be named as it is for lists.
    theta, g = np.array([1.0, 2.0]), np.array([1.0, 2.0])
    state = opt.step(theta, g, opt.init(theta))[1]
    with pytest.raises(ValueError, match=re.escape("got (2,) and (3,)")):
        opt.step(theta, np.array([1.0, 2.0, 3.0]), state)
    with pytest.raises(TypeError, match="state must be of type"):
        opt.step(theta, g, tuple(state))
    with pytest.raises(ValueError, match=re.escape("grad must be finite")):
        opt.step(theta, np.array([1.0, math.nan]), state)
    with pytest.raises(ValueError, match=re.escape("theta must be finite")):
        opt.step(np.array([math.inf, 1.0]), g, state)
    if len(state) > 1:
        field = state._fields[0]
        short = state._replace(**{field: np.zeros(1)})
        with pytest.raises(ValueError, match=re.escape(f"state.{field} must have")):
            opt.step(theta, g, short)
        bad = state._replace(**{field: np.array([math.nan, 0.0])})
        with pytest.raises(ValueError, match=re.escape(f"state.{field} must be fin")):
            opt.step(theta, g, bad)

"""Tests for the training tools of notebook 08: AdamW, SGD-HD, clipping, warm-up."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_optimizers import THETA0, gradient_sequences, run

import gdcore as gd
from gdcore.optimizers import AdamState, AdamWState, SGDHDState

# -- AdamW ---------------------------------------------------------------------------


def test_adamw_two_steps_by_hand():
    opt = gd.adamw(0.1, beta1=0.5, beta2=0.75, eps=0.0, weight_decay=0.5)
    (theta1, theta2), state = run(opt, THETA0, [[3.0, 4.0], [3.0, -4.0]])
    # t = 1: decay θ ← θ − 0.1·0.5·θ = 0.95·[1, −2] = [0.95, −1.9]
    #        m̂1 = [3, 4], v̂1 = [9, 16] (as in Adam's test): step 0.1·[1, 1]
    #        θ1 = [0.95 − 0.1, −1.9 − 0.1] = [0.85, −2.0]
    assert theta1 == pytest.approx([0.85, -2.0], rel=1e-15)
    # t = 2: decay 0.95·[0.85, −2] = [0.8075, −1.9]
    #        m̂2 = [3, −4/3], v̂2 = [9, 16]: step 0.1·[1, −1/3]
    #        θ2 = [0.8075 − 0.1, −1.9 + 1/30] = [0.7075, −1.9 + 1/30]
    assert theta2 == pytest.approx([0.7075, -1.9 + 1 / 30], rel=1e-15)
    assert state.m == pytest.approx([2.25, -1.0], rel=1e-15)
    assert state.v == pytest.approx([3.9375, 7.0], rel=1e-15)
    assert type(state) is AdamWState
    assert state.t == 2


@settings(max_examples=50, deadline=None)
@given(gradient_sequences, st.floats(1e-4, 1.0), st.floats(0.0, 0.5))
def test_adamw_matches_the_torch_algorithm(grads, lr, weight_decay):
    # torch.optim.AdamW's documented algorithm, written out on its own:
    # θ_t ← θ_{t−1} − γλθ_{t−1}; m, v, m̂, v̂ as Adam; θ_t ← θ_t − γ m̂/(√v̂ + ε)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    ours, _ = run(gd.adamw(lr, weight_decay=weight_decay), THETA0, grads)
    theta, m, v = np.array(THETA0), np.zeros(2), np.zeros(2)
    for t, (g, expected) in enumerate(zip(np.array(grads), ours, strict=True), 1):
        theta = theta - lr * weight_decay * theta
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        np.testing.assert_allclose(expected, theta, rtol=1e-13, atol=1e-13)


@settings(max_examples=50, deadline=None)
@given(gradient_sequences, st.floats(1e-4, 1.0))
def test_adamw_without_decay_is_adam(grads, lr):
    adamw, _ = run(gd.adamw(lr, weight_decay=0.0), THETA0, grads)
    adam, _ = run(gd.adam(lr), THETA0, grads)
    np.testing.assert_array_equal(adamw, adam)


def test_adamw_shrinks_every_coordinate_by_the_same_factor():
    # With g = 0 the Adam part is 0 (m = 0): θ ← (1 − ηλ)θ, whatever the scale.
    opt = gd.adamw(0.1, weight_decay=0.2)
    (theta1, theta2), _ = run(opt, [1.0, -1000.0], [[0.0, 0.0], [0.0, 0.0]])
    assert theta1 == pytest.approx([0.98, -980.0], rel=1e-15)
    assert theta2 == pytest.approx([0.98**2, -1000 * 0.98**2], rel=1e-15)


def test_adam_with_l2_decays_a_large_gradient_coordinate_less_than_adamw():
    # Same θ, same λ; coordinate 0 had small gradients, coordinate 1 large ones.
    # Adam with L2 adds λθ to g, where √v̂ divides it: coordinate 1 hardly shrinks.
    lam, theta0 = 0.1, np.array([1.0, 1.0])
    grads = [np.array([1e-3, 10.0]), np.array([-1e-3, -10.0])] * 20

    def final(opt, l2):
        theta, state = theta0, opt.init(theta0)
        for g in grads:
            theta, state = opt.step(theta, g + l2 * theta, state)
        return theta

    adamw = final(gd.adamw(0.01, weight_decay=lam), 0.0)
    adam_l2 = final(gd.adam(0.01), lam)
    # AdamW: both coordinates shrink alike (0.944 and 0.944; the ±g cancel).
    assert adamw[0] == pytest.approx(adamw[1], abs=1e-6)
    # Adam with L2: the small-gradient coordinate falls to 0.62, the other 0.979.
    assert adam_l2[0] < 0.7 < adamw[0]
    assert adam_l2[1] > 0.97 > adamw[1]


# -- SGD-HD --------------------------------------------------------------------------


def test_sgd_hd_two_steps_by_hand():
    opt = gd.sgd_hd(0.1, hyper_lr=0.01)
    (theta1, theta2), state = run(opt, THETA0, [[3.0, 4.0], [4.0, 3.0]])
    # t = 1: g_prev = 0, η1 = 0.1;  θ1 = [1 − 0.3, −2 − 0.4] = [0.7, −2.4]
    assert theta1 == pytest.approx([0.7, -2.4], rel=1e-15)
    # t = 2: g·g_prev = 4·3 + 3·4 = 24, η2 = 0.1 + 0.01·24 = 0.34
    #        θ2 = [0.7 − 0.34·4, −2.4 − 0.34·3] = [−0.66, −3.42]
    assert theta2 == pytest.approx([-0.66, -3.42], rel=1e-14)
    assert state.lr == pytest.approx([0.34, 0.34], rel=1e-15)
    assert state.g_prev == pytest.approx([4.0, 3.0], rel=1e-15)
    assert type(state) is SGDHDState
    assert state.t == 2


def test_sgd_hd_rate_shrinks_when_gradients_zig_zag():
    # g·g_prev = 3·(−3) + 4·(−4) = −25:  η2 = 0.5 − 0.01·25 = 0.25
    _, state = run(gd.sgd_hd(0.5, hyper_lr=0.01), THETA0, [[3.0, 4.0], [-3.0, -4.0]])
    assert state.lr == pytest.approx([0.25, 0.25], rel=1e-15)


@settings(max_examples=50, deadline=None)
@given(gradient_sequences, st.floats(1e-3, 1.0))
def test_sgd_hd_without_hyper_lr_is_sgd(grads, lr):
    hd, state = run(gd.sgd_hd(lr, hyper_lr=0.0), THETA0, grads)
    np.testing.assert_array_equal(hd, run(gd.sgd(lr), THETA0, grads)[0])
    assert (state.lr == lr).all()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(-2, 2), min_size=2, max_size=2),
    st.floats(0.01, 0.15),
)
def test_hypergradient_is_minus_g_dot_g_prev(theta0, lr):
    # L(θ) = ½θᵀAθ. After θ1 = θ0 − η·g0, dL(θ1)/dη = −g1·g0 (the HD premise).
    A = np.diag([1.0, 10.0])
    theta0 = np.array(theta0)
    g0 = A @ theta0

    def loss_after_one_step(eta):
        theta1 = theta0 - eta * g0
        return 0.5 * theta1 @ A @ theta1

    g1 = A @ (theta0 - lr * g0)
    numeric = gd.central_difference(loss_after_one_step, lr, h=1e-6)
    assert numeric == pytest.approx(-(g1 @ g0), rel=1e-6, abs=1e-8)


def test_sgd_hd_learns_one_rate_per_run():
    # Two runs at once follow exactly the paths they follow alone.
    opt = gd.sgd_hd(0.05, hyper_lr=0.001)
    A = np.diag([1.0, 10.0])
    both = np.array([[1.0, 1.0], [-2.0, 0.5]])
    state = opt.init(both)
    alone = [(row, opt.init(row)) for row in both]
    for _ in range(20):
        both, state = opt.step(both, both @ A, state)
        alone = [opt.step(th, A @ th, s) for th, s in alone]
    for i, (theta, s) in enumerate(alone):
        np.testing.assert_allclose(both[i], theta, rtol=1e-14)
        np.testing.assert_allclose(state.lr[i], s.lr, rtol=1e-14)
    assert state.lr[0, 0] != state.lr[1, 0]


def test_sgd_hd_runs_from_several_starts_at_once():
    # gd.descend_paths runs n starts as one (n, d) θ: each row keeps its own η.
    bowl = gd.quadratic_bowl(condition=10.0, angle=0.3)
    starts = np.array([[-2.5, 1.5], [0.0, 3.0], [2.0, -0.5]])
    opt = gd.sgd_hd(0.05, hyper_lr=1e-4)
    paths = gd.descend_paths(bowl, opt, starts, 40)
    assert paths.diverged_at.tolist() == [-1, -1, -1]
    for i, start in enumerate(starts):
        theta, state = start, opt.init(start)
        for _ in range(40):
            theta, state = opt.step(theta, bowl.grad(theta), state)
        np.testing.assert_allclose(paths.thetas[-1, i], theta, rtol=1e-13, atol=1e-15)


# -- clipping ------------------------------------------------------------------------


def test_clip_by_norm_by_hand():
    # ‖[3, 4]‖ = 5 > 1: [3, 4]·1/5 = [0.6, 0.8]
    assert gd.clip_by_norm([3.0, 4.0], 1.0) == pytest.approx([0.6, 0.8], rel=1e-15)
    # ‖[3, 4]‖ = 5 <= 5: unchanged
    assert gd.clip_by_norm([3.0, 4.0], 5.0).tolist() == [3.0, 4.0]
    assert gd.clip_by_norm(-4.0, 2.0) == -2.0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=6),
    st.floats(1e-3, 1e3),
)
def test_clip_by_norm_short_is_bit_identical_long_has_length_max_norm(g, c):
    g = np.array(g)
    clipped = gd.clip_by_norm(g, c)
    norm = math.hypot(*g)
    if norm <= c:
        assert clipped.tobytes() == g.tobytes()  # bit-identical, signed zeros too
    else:
        assert math.hypot(*clipped) == pytest.approx(c, rel=1e-14)
        np.testing.assert_allclose(clipped * norm / c, g, rtol=1e-13, atol=1e-300)


def test_clip_by_norm_handles_gradients_too_long_to_square():
    # Σ g² overflows (1e400), the hypot norm does not.
    clipped = gd.clip_by_norm([3e200, 4e200], 1.0)
    assert clipped == pytest.approx([0.6, 0.8], rel=1e-15)


def test_clip_by_norm_clips_each_row_of_an_array_of_runs():
    clipped = gd.clip_by_norm([[3.0, 4.0], [0.3, 0.4]], 1.0)
    assert clipped == pytest.approx(np.array([[0.6, 0.8], [0.3, 0.4]]), rel=1e-15)


def test_clipped_is_the_optimizer_on_the_clipped_gradient():
    opt = gd.clipped(gd.adam(0.1), max_norm=1.0)
    assert repr(opt).startswith("clipped(optimizer=adam(lr=0.1")
    assert opt.hyperparams["max_norm"] == 1.0
    theta, state = opt.step(THETA0, [30.0, 40.0], opt.init(THETA0))
    ref, ref_state = gd.adam(0.1).step(THETA0, [0.6, 0.8], gd.adam(0.1).init(THETA0))
    np.testing.assert_array_equal(theta, ref)
    assert type(state) is AdamState
    np.testing.assert_array_equal(state.v, ref_state.v)


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (
            lambda: gd.clip_by_norm([1.0], 0.0),
            ValueError,
            "max_norm must be positive and finite, got 0.0",
        ),
        (
            lambda: gd.clip_by_norm([1.0], math.inf),
            ValueError,
            "max_norm must be positive and finite, got inf",
        ),
        (
            lambda: gd.clip_by_norm([math.nan], 1.0),
            ValueError,
            "grad must be finite, got [nan]",
        ),
        (
            lambda: gd.clipped(gd.sgd(0.1), -1),
            ValueError,
            "max_norm must be positive and finite, got -1.0",
        ),
        (
            lambda: gd.clipped("adam", 1.0),
            TypeError,
            "optimizer must be an Optimizer (gd.adam(...), ...), got 'adam'",
        ),
        (
            lambda: gd.adamw(weight_decay=-0.1),
            ValueError,
            "weight_decay must be non-negative and finite, got -0.1",
        ),
        (
            lambda: gd.adamw(beta2=1.0),
            ValueError,
            "beta2 must be in [0, 1), got 1.0",
        ),
        (
            lambda: gd.sgd_hd(0.0, 0.01),
            ValueError,
            "lr must be positive and finite, got 0.0",
        ),
        (
            lambda: gd.sgd_hd(gd.constant(0.1), 0.01),
            TypeError,
            "lr must be a real number, got constant(lr=0.1)",
        ),
        (
            lambda: gd.sgd_hd(0.1, -0.01),
            ValueError,
            "hyper_lr must be non-negative and finite, got -0.01",
        ),
        (
            lambda: gd.warmup_cosine(0.1, 0, 10),
            ValueError,
            "warmup_steps must be >= 1, got 0",
        ),
        (
            lambda: gd.warmup_cosine(0.1, 10, 10),
            ValueError,
            "total_steps must be > warmup_steps, got total_steps=10 and "
            "warmup_steps=10",
        ),
        (
            lambda: gd.warmup_cosine(0.1, 2, 10, lr_min=0.5),
            ValueError,
            "lr_min must be <= lr, got lr_min=0.5 and lr=0.1",
        ),
        (
            lambda: gd.warmup_cosine(0.1, 2.0, 10),
            TypeError,
            "warmup_steps must be an integer, got 2.0",
        ),
    ],
)
def test_bad_arguments_are_rejected(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make()


def test_sgd_hd_overflow_is_reported():
    opt = gd.sgd_hd(1.0, hyper_lr=1.0)
    theta, state = opt.step([1.0], [1e200], opt.init([1.0]))
    with pytest.raises(FloatingPointError, match="sgd_hd step produced a non-finite"):
        opt.step(theta, [1e200], state)  # η = 1 + 1e400 overflows


# -- warm-up -------------------------------------------------------------------------


def test_warmup_cosine_by_hand():
    lr = gd.warmup_cosine(1.0, warmup_steps=4, total_steps=10)
    # warm-up: (t + 1)/4 for t = 0..3
    assert [lr(t) for t in range(4)] == [0.25, 0.5, 0.75, 1.0]
    # decay: k = t − 3 of K = 6: ½(1 + cos(πk/6)) = 0.933, 0.75, 0.5, 0.25, 0.067, 0
    expected = [0.5 * (1 + math.cos(math.pi * k / 6)) for k in range(1, 7)]
    assert [lr(t) for t in range(4, 10)] == pytest.approx(expected, rel=1e-15)
    assert lr(5) == pytest.approx(0.75, rel=1e-15)
    assert lr(9) == 0.0
    assert lr(10) == lr(1000) == 0.0
    with_floor = gd.warmup_cosine(1.0, warmup_steps=4, total_steps=10, lr_min=0.2)
    assert with_floor(0) == 0.25  # the warm-up starts from η/W, not from η_min
    assert with_floor(6) == pytest.approx(0.2 + 0.8 * 0.5, rel=1e-15)  # k = 3 of 6
    assert with_floor(7) == pytest.approx(0.2 + 0.8 * 0.25, rel=1e-15)  # k = 4
    assert with_floor(50) == 0.2
    assert (
        repr(lr) == "warmup_cosine(lr=1.0, warmup_steps=4, total_steps=10, lr_min=0.0)"
    )


@settings(max_examples=50, deadline=None)
@given(st.integers(1, 50), st.integers(1, 200), st.integers(0, 400))
def test_warmup_cosine_rises_to_its_peak_at_w_minus_1_then_falls(W, extra, t):
    lr = gd.warmup_cosine(0.3, warmup_steps=W, total_steps=W + extra, lr_min=0.01)
    assert lr(W - 1) == 0.3
    if t < W - 1:
        assert lr(t) < lr(t + 1) <= 0.3
    elif t >= W - 1:
        assert 0.01 <= lr(t + 1) <= lr(t) <= 0.3
    assert isinstance(lr(t), float)


@pytest.mark.parametrize(
    "factory",
    [gd.sgd, gd.momentum, gd.nesterov, gd.adagrad, gd.rmsprop, gd.adam, gd.adamw],
    ids=lambda f: f.__name__,
)
def test_warmup_composes_with_every_optimizer(factory):
    # Stepping with the schedule equals swapping in η(t) by hand at each step.
    schedule = gd.warmup_cosine(0.2, warmup_steps=2, total_steps=5)
    opt = factory(schedule)
    theta, state = np.array(THETA0), opt.init(THETA0)
    ref, ref_state = theta, state
    for t, g in enumerate(([3.0, 4.0], [4.0, -3.0], [1.0, 1.0], [2.0, 0.5])):
        theta, state = opt.step(theta, g, state)
        ref, ref_state = factory(schedule(t)).step(ref, g, ref_state)
        np.testing.assert_array_equal(theta, ref)
    assert gd.get_schedule("warmup_cosine", lr=0.2, warmup_steps=2, total_steps=5) == (
        schedule
    )

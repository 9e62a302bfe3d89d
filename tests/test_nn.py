"""Tests for gdcore.nn: hand-computed values on 1-hidden-unit nets, backpropagation
against finite differences on random nets and data, and every error message."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd


def sigmoid(t):
    return 1 / (1 + math.exp(-t))


# --- sizes, layout and initialisation ------------------------------------------------


def test_n_params_counts_weights_and_biases():
    # (2·16 + 16) + (16·16 + 16) + (16·3 + 3) = 48 + 272 + 51 = 371
    assert gd.MLP((2, 16, 16, 3)).n_params == 371
    # article 003's network: 784·1000 + 1000·500 + 500·10 = 1,289,000 weights,
    # and 1000 + 500 + 10 = 1,510 biases
    assert gd.MLP((784, 1000, 500, 10)).n_params == 1_290_510


def test_unpack_follows_the_layout_w1_b1_w2_b2_in_c_order():
    net = gd.MLP((2, 3, 2))
    theta = np.arange(net.n_params, dtype=float)  # 2·3 + 3 + 3·2 + 2 = 17
    (W1, b1), (W2, b2) = net.unpack(theta)
    np.testing.assert_array_equal(W1, [[0, 1, 2], [3, 4, 5]])  # row-major
    np.testing.assert_array_equal(b1, [6, 7, 8])
    np.testing.assert_array_equal(W2, [[9, 10], [11, 12], [13, 14]])
    np.testing.assert_array_equal(b2, [15, 16])
    np.testing.assert_array_equal(net.pack(net.unpack(theta)), theta)


@pytest.mark.parametrize(
    ("activation", "variance"),
    [
        ("tanh", lambda n_in, n_out: 2 / (n_in + n_out)),
        ("relu", lambda n_in, n_out: 2 / n_in),
    ],
)
def test_init_is_glorot_for_tanh_and_he_for_relu(activation, variance):
    net = gd.MLP((40, 60, 3), activation=activation)
    theta = net.init(np.random.default_rng(0))
    assert theta.shape == (net.n_params,)
    (W1, b1), (W2, b2) = net.unpack(theta)
    assert not b1.any()
    assert not b2.any()
    # 2400 draws: the sample variance is within 10 % of σ² (its std is about
    # σ²·√(2/2400) ≈ 3 % of σ²)
    assert np.var(W1) == pytest.approx(variance(40, 60), rel=0.1)
    assert np.var(W2) == pytest.approx(variance(60, 3), rel=0.3)  # only 180 draws
    np.testing.assert_array_equal(theta, net.init(np.random.default_rng(0)))
    assert not np.array_equal(theta, net.init(np.random.default_rng(1)))


# --- hand-computed values ------------------------------------------------------------


def test_tanh_unit_at_zero_by_hand():
    # x = 1, w₁ = 0.5, b₁ = −0.5: z₁ = 0, h = tanh(0) = 0, so the logits are
    # b₂ = (0, 0), p = (½, ½) and L = −log ½ = log 2 for the label 0. Backward:
    # δ₂ = p − (1, 0) = (−½, ½); ∂W₂ = h·δ₂ = (0, 0); ∂b₂ = (−½, ½);
    # δ₁ = (δ₂·W₂ᵀ)(1 − h²) = (−½·1 + ½·3)·1 = 1; ∂w₁ = x·δ₁ = 1, ∂b₁ = 1.
    net = gd.MLP((1, 1, 2))
    theta = np.array([0.5, -0.5, 1.0, 3.0, 0.0, 0.0])
    X, y = np.array([[1.0]]), np.array([0])
    assert net.loss(theta, X, y) == pytest.approx(math.log(2), rel=1e-15)
    np.testing.assert_allclose(
        net.grad(theta, X, y), [1, 1, 0, 0, -0.5, 0.5], atol=1e-15
    )
    np.testing.assert_allclose(net.predict_proba(theta, X), [[0.5, 0.5]])


def test_tanh_unit_with_h_0_6_by_hand():
    # x = 1, w₁ = ln 2, b₁ = 0: h = tanh(ln 2) = (4 − 1)/(4 + 1) = 0.6.
    # W₂ = (1, −1), b₂ = 0: z = (0.6, −0.6); label 1:
    # L = log(e^0.6 + e^−0.6) + 0.6 = log(1 + e^1.2).
    # With s = σ(1.2): p = (s, 1 − s), δ₂ = (s, −s); ∂W₂ = 0.6·(s, −s); ∂b₂ = (s, −s);
    # δ₁ = (s·1 + (−s)·(−1))·(1 − 0.36) = 1.28 s = ∂w₁ = ∂b₁.
    net = gd.MLP((1, 1, 2))
    theta = np.array([math.log(2), 0.0, 1.0, -1.0, 0.0, 0.0])
    X, y = np.array([[1.0]]), np.array([1])
    s = sigmoid(1.2)
    assert net.loss(theta, X, y) == pytest.approx(
        math.log(1 + math.exp(1.2)), rel=1e-14
    )
    np.testing.assert_allclose(
        net.grad(theta, X, y),
        [1.28 * s, 1.28 * s, 0.6 * s, -0.6 * s, s, -s],
        rtol=1e-14,
    )


def test_relu_unit_by_hand():
    # x = 2, w₁ = 1, b₁ = −1: z₁ = 1 > 0, h = 1. W₂ = (2, 0), b₂ = 0: z = (2, 0);
    # label 0:
    # L = log(e² + 1) − 2 = log(1 + e^−2). With q = σ(−2): δ₂ = (−q, q);
    # ∂W₂ = (−q, q), ∂b₂ = (−q, q); δ₁ = (−q·2 + q·0)·1 = −2q; ∂w₁ = 2·(−2q), ∂b₁ = −2q.
    net = gd.MLP((1, 1, 2), activation="relu")
    theta = np.array([1.0, -1.0, 2.0, 0.0, 0.0, 0.0])
    X, y = np.array([[2.0]]), np.array([0])
    q = sigmoid(-2.0)
    assert net.loss(theta, X, y) == pytest.approx(math.log(1 + math.exp(-2)), rel=1e-14)
    np.testing.assert_allclose(
        net.grad(theta, X, y), [-4 * q, -2 * q, -q, q, -q, q], rtol=1e-14
    )


def test_a_dead_relu_passes_no_gradient_back():
    # z₁ = 1·1 − 3 = −2 < 0: h = 0 and ReLU′ = 0, so w₁ and b₁ get no gradient.
    net = gd.MLP((1, 1, 2), activation="relu")
    g = net.grad(np.array([1.0, -3.0, 2.0, 0.0, 0.5, 0.0]), [[1.0]], np.array([1]))
    np.testing.assert_array_equal(g[:2], [0.0, 0.0])
    assert g[4] != 0


def test_loss_is_a_mean_over_examples():
    net = gd.MLP((2, 4, 3))
    theta = net.init(np.random.default_rng(3))
    X, y = gd.spiral(9, np.random.default_rng(4))
    singles = [net.loss(theta, X[i : i + 1], y[i : i + 1]) for i in range(9)]
    assert net.loss(theta, X, y) == pytest.approx(np.mean(singles), rel=1e-13)
    grads = [net.grad(theta, X[i : i + 1], y[i : i + 1]) for i in range(9)]
    np.testing.assert_allclose(
        net.grad(theta, X, y), np.mean(grads, axis=0), atol=1e-15
    )


def test_large_logits_neither_overflow_nor_give_nan():
    # One linear layer with logits (1000, 0): log(e¹⁰⁰⁰ + 1) = 1000 + log(1 + e⁻¹⁰⁰⁰),
    # which is 1000 in float64. The naive log(sum(exp(z))) would be log(inf) = inf.
    net = gd.MLP((1, 2))
    theta = np.array([1000.0, 0.0, 0.0, 0.0])
    X = np.array([[1.0]])
    assert net.loss(theta, X, np.array([1])) == 1000.0
    assert net.loss(theta, X, np.array([0])) == 0.0
    np.testing.assert_array_equal(net.predict_proba(theta, X), [[1.0, 0.0]])
    np.testing.assert_allclose(net.grad(theta, X, np.array([1])), [1, -1, 1, -1])


def test_probabilities_sum_to_one_and_predict_is_their_argmax():
    net = gd.MLP((2, 8, 8, 4), activation="relu")
    theta = net.init(np.random.default_rng(5))
    X = np.random.default_rng(6).normal(size=(50, 2))
    P = net.predict_proba(theta, X)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)
    np.testing.assert_array_equal(net.predict(theta, X), P.argmax(axis=1))
    y = P.argmax(axis=1)
    assert net.accuracy(theta, X, y) == 1.0
    assert net.accuracy(theta, X, (y + 1) % 4) == 0.0


# --- backpropagation against finite differences --------------------------------------


@settings(max_examples=25, deadline=None)
@given(
    hidden=st.lists(st.integers(1, 5), min_size=0, max_size=3),
    d=st.integers(1, 3),
    k=st.integers(2, 4),
    n=st.integers(1, 12),
    activation=st.sampled_from(["tanh", "relu"]),
    seed=st.integers(0, 2**32 - 1),
)
def test_grad_matches_central_differences(hidden, d, k, n, activation, seed):
    rng = np.random.default_rng(seed)
    net = gd.MLP((d, *hidden, k), activation=activation)
    theta = net.init(rng) + 0.1 * rng.normal(size=net.n_params)  # biases ≠ 0 too
    X = rng.normal(size=(n, d))
    y = rng.integers(0, k, size=n)
    numeric = gd.numerical_gradient(lambda t: net.loss(t, X, y), theta, h=1e-6)
    # central differences err by about h²·L‴ + ε·L/h ≈ 1e-10; ReLU kinks are met with
    # probability ~1e-6 at random continuous data
    np.testing.assert_allclose(net.grad(theta, X, y), numeric, rtol=1e-5, atol=1e-7)


# --- errors ---------------------------------------------------------------------

NET = gd.MLP((2, 3, 3))
THETA = NET.init(np.random.default_rng(0))
X2 = np.zeros((4, 2))
Y2 = np.array([0, 1, 2, 0])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"sizes": 5}, TypeError, "sizes must be a sequence of integers, got 5"),
        ({"sizes": "23"}, TypeError, "sizes must be a sequence of integers, got '23'"),
        ({"sizes": (2,)}, ValueError, "sizes must hold at least 2 integers"),
        ({"sizes": (2, 1.5, 3)}, TypeError, "sizes[1] must be an integer, got 1.5"),
        ({"sizes": (2, 0, 3)}, ValueError, "sizes[1] must be >= 1, got 0"),
        (
            {"sizes": (2, 4, 1)},
            ValueError,
            "sizes[-1] is the number of classes and must be >= 2, got 1",
        ),
        (
            {"sizes": (2, 3), "activation": "sigmoid"},
            ValueError,
            "activation must be one of 'tanh', 'relu', got 'sigmoid'",
        ),
    ],
)
def test_bad_construction_is_refused(kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        gd.MLP(**kwargs)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: NET.loss(THETA[:-1], X2, Y2),
            ValueError,
            "theta must have length n_params = 21 for sizes (2, 3, 3), got shape (20,)",
        ),
        (
            lambda: NET.loss(np.full(21, np.nan), X2, Y2),
            ValueError,
            "theta must be finite",
        ),
        (
            lambda: NET.grad(THETA, np.zeros(4), Y2),
            ValueError,
            "X must be 2-D, got shape (4,)",
        ),
        (
            lambda: NET.grad(THETA, np.zeros((4, 3)), Y2),
            ValueError,
            "X must have sizes[0] = 2 columns, got shape (4, 3)",
        ),
        (
            lambda: NET.loss(THETA, np.full((4, 2), np.inf), Y2),
            ValueError,
            "X must be finite",
        ),
        (
            lambda: NET.loss(THETA, X2, Y2.astype(float)),
            TypeError,
            "y must hold integer class labels 0..2, got dtype float64",
        ),
        (
            lambda: NET.loss(THETA, X2, Y2 > 0),
            TypeError,
            "y must hold integer class labels 0..2, got dtype bool",
        ),
        (
            lambda: NET.grad(THETA, X2, Y2[:3]),
            ValueError,
            "y must have length X.shape[0] = 4 (one label per row of X), "
            "got shape (3,)",
        ),
        (
            lambda: NET.loss(THETA, X2, np.array([0, 1, 3, 0])),
            ValueError,
            "y must hold labels in 0..2, got 3 at index 2",
        ),
        (
            lambda: NET.grad(THETA, X2, np.array([0, -1, 2, 0])),
            ValueError,
            "y must hold labels in 0..2, got -1 at index 1",
        ),
        (
            lambda: NET.accuracy(THETA, X2, Y2[:2]),
            ValueError,
            "y must have length X.shape[0] = 4",
        ),
        (
            lambda: NET.predict_proba(THETA, [[1.0, "a"]]),
            TypeError,
            "X must be array-like of numbers",
        ),
        (lambda: NET.init(0), TypeError, "rng must be a numpy.random.Generator"),
        (
            lambda: NET.pack([(np.zeros((2, 3)), np.zeros(3))]),
            ValueError,
            "layers must hold 2 (W, b) pairs, got 1",
        ),
        (
            lambda: NET.pack(
                [(np.zeros((3, 2)), np.zeros(3)), (np.zeros((3, 3)), np.zeros(3))]
            ),
            ValueError,
            "W1, b1 must have shapes (2, 3) and (3,), got (3, 2) and (3,)",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()


def test_overflowing_parameters_raise_instead_of_returning_nan():
    # The logits sum two terms of 1e308·1 = 1e308: inf in float64.
    net = gd.MLP((1, 2, 2))
    theta = np.array([1.0, 1.0, 0.0, 0.0, 1e308, 0.0, 1e308, 0.0, 0.0, 0.0])
    X, y = np.array([[5.0]]), np.array([0])
    for method in (net.loss, net.grad):
        with pytest.raises(FloatingPointError, match="the logits overflowed float64"):
            method(theta, X, y)


def test_opposite_huge_logits_raise_instead_of_returning_inf():
    # One linear layer with logits (1e308, −1e308), label 1: each is finite, but
    # L = logsumexp(z) − z₁ = 1e308 + 1e308 = 2e308 is beyond float64.
    net = gd.MLP((1, 2))
    theta = np.array([1e308, -1e308, 0.0, 0.0])
    with pytest.raises(FloatingPointError, match="the loss overflowed float64"):
        net.loss(theta, [[1.0]], np.array([1]))
    # the gradient is still finite: p = (1, 0), δ = p − (0, 1) = (1, −1), ∂W = x·δ
    np.testing.assert_array_equal(
        net.grad(theta, [[1.0]], np.array([1])), [1, -1, 1, -1]
    )


def test_an_overflowing_backward_pass_raises():
    # x = 1e-10, w₁ = 1, b₁ = 0: h = 1e-10 (ReLU); W₂ = (1e308, −1e308): the logits
    # (1e298, −1e298) are finite, p = (1, 0) and, for label 1, δ₂ = (1, −1). Then
    # δ₁ = δ₂·W₂ᵀ = 1e308 + 1e308 = inf.
    net = gd.MLP((1, 1, 2), activation="relu")
    theta = np.array([1.0, 0.0, 1e308, -1e308, 0.0, 0.0])
    X, y = np.array([[1e-10]]), np.array([1])
    assert net.loss(theta, X, y) == pytest.approx(2e298)
    with pytest.raises(FloatingPointError, match="the gradient overflowed float64"):
        net.grad(theta, X, y)


def test_repr_names_sizes_and_activation():
    assert repr(gd.MLP([2, 4, 3], "relu")) == "MLP(sizes=(2, 4, 3), activation='relu')"

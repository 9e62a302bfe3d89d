"""Tests for gdcore.training: the mini-batch loop, its record, its divergence stop."""

import re

import numpy as np
import pytest

import gdcore as gd

NET = gd.MLP((2, 6, 3))
X, Y = gd.spiral(60, np.random.default_rng(0))
X_VAL, Y_VAL = gd.spiral(30, np.random.default_rng(1))
THETA0 = NET.init(np.random.default_rng(2))


def fit(opt, **kwargs):
    """gd.train of NET from THETA0 on the 60 spiral points."""
    return gd.train(NET, opt, THETA0, X, Y, **kwargs)


def test_full_batch_sgd_is_plain_gradient_descent():
    run = fit(gd.sgd(0.5), steps=5, batch_size=60, rng=np.random.default_rng(0))
    theta = THETA0
    for k in range(1, 6):
        theta = theta - 0.5 * NET.grad(theta, X, Y)  # θ ← θ − η·∇L(θ), B = N
        np.testing.assert_allclose(run.thetas[k], theta, rtol=1e-13)
    np.testing.assert_array_equal(run.steps, range(6))
    np.testing.assert_array_equal(run.examples_seen, 60 * np.arange(6))
    np.testing.assert_allclose(run.train_loss, [NET.loss(t, X, Y) for t in run.thetas])
    assert run.val_loss is None
    assert not run.diverged
    assert run.message == "ran 5 steps of sgd(lr=0.5), batch size 60"


def test_mini_batches_follow_gd_minibatches_with_the_same_generator():
    # 60 examples in batches of 25: 25, 25, 10 per epoch; 4 steps cross an epoch.
    run = fit(gd.momentum(0.1), steps=4, batch_size=25, rng=np.random.default_rng(7))
    rng = np.random.default_rng(7)
    batches = [*gd.minibatches(60, 25, rng), *gd.minibatches(60, 25, rng)][:4]
    opt = gd.momentum(0.1)
    theta, state = THETA0, opt.init(THETA0)
    for b in batches:
        theta, state = opt.step(theta, NET.grad(theta, X[b], Y[b]), state)
    np.testing.assert_allclose(run.final_theta, theta, rtol=1e-13)
    np.testing.assert_array_equal(run.examples_seen, [0, 25, 50, 60, 85])


def test_records_every_k_steps_and_the_last_one_with_validation_loss():
    run = fit(gd.adam(0.01), steps=25, batch_size=10, rng=np.random.default_rng(0),
              X_val=X_VAL, y_val=Y_VAL, record_every=10)  # fmt: skip
    np.testing.assert_array_equal(run.steps, [0, 10, 20, 25])
    np.testing.assert_allclose(
        run.val_loss, [NET.loss(t, X_VAL, Y_VAL) for t in run.thetas]
    )
    assert run.train_loss[-1] < run.train_loss[0]


def test_same_seed_same_run():
    def go(seed):
        return fit(
            gd.adam(0.05), steps=30, batch_size=8, rng=np.random.default_rng(seed)
        )

    np.testing.assert_array_equal(go(3).thetas, go(3).thetas)
    assert not np.array_equal(go(3).thetas, go(4).thetas)


def test_a_blowing_up_run_stops_and_says_so_without_warnings():
    # η = 1e4 multiplies the loss many times over on the first step.
    run = fit(gd.sgd(1e4), steps=50, batch_size=60, rng=np.random.default_rng(0))
    assert run.diverged
    assert run.diverged_at == 1
    assert run.message == (
        "diverged at step 1: the training loss passed 10 × its start (sgd(lr=10000.0))"
    )
    assert len(run.steps) == 2
    assert run.train_loss[-1] > 10 * run.train_loss[0]


class Overflowing:
    """A model whose gradient overflows on its third call, as gd.MLP's would."""

    def __init__(self):
        self.calls = 0

    def loss(self, theta, X, y):
        return float(theta @ theta)

    def grad(self, theta, X, y):
        self.calls += 1
        if self.calls == 3:
            raise FloatingPointError("the gradient overflowed float64")
        return 2 * theta


def test_an_overflowing_gradient_stops_the_run_at_that_step():
    run = gd.train(
        Overflowing(), gd.sgd(0.25), np.ones(2), X, Y, steps=10, batch_size=60,
        rng=np.random.default_rng(0),
    )  # fmt: skip
    assert run.diverged_at == 3
    assert run.message == (
        "diverged at step 3: the numbers overflowed float64 (sgd(lr=0.25))"
    )
    # θ ← θ − 0.25·2θ = θ/2 twice, then the third gradient fails: θ₂ is the last record
    np.testing.assert_array_equal(run.steps, [0, 1, 2])
    np.testing.assert_array_equal(run.final_theta, [0.25, 0.25])


class LossOverflowing(Overflowing):
    """A model whose loss overflows on its third call: the record after step 1."""

    def loss(self, theta, X, y):
        self.calls += 1
        if self.calls == 3:  # 1: train's check of the data, 2: the record of θ₀
            raise FloatingPointError("the loss overflowed float64")
        return float(theta @ theta)

    def grad(self, theta, X, y):
        return 2 * theta


def test_an_overflowing_loss_stops_the_run_at_that_step():
    run = gd.train(
        LossOverflowing(), gd.sgd(0.25), np.ones(2), X, Y, steps=10, batch_size=60,
        rng=np.random.default_rng(0),
    )  # fmt: skip
    assert run.diverged_at == 1
    assert run.message == (
        "diverged at step 1: the loss overflowed float64 (sgd(lr=0.25))"
    )
    np.testing.assert_array_equal(run.steps, [0])


def test_lists_train_like_arrays():
    run = fit(gd.sgd(0.5), steps=3, batch_size=7, rng=np.random.default_rng(0))
    from_lists = gd.train(
        NET, gd.sgd(0.5), THETA0.tolist(), X.tolist(), Y.tolist(), steps=3,
        batch_size=7, rng=np.random.default_rng(0),
    )  # fmt: skip
    np.testing.assert_array_equal(from_lists.thetas, run.thetas)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"steps": -1}, ValueError, "steps must be >= 0, got -1"),
        ({"batch_size": 0}, ValueError, "batch_size must be in [1, 60], got 0"),
        ({"batch_size": 61}, ValueError, "batch_size must be in [1, 60], got 61"),
        ({"record_every": 0}, ValueError, "record_every must be >= 1, got 0"),
        ({"blowup": 0.0}, ValueError, "blowup must be positive and finite, got 0.0"),
        ({"rng": 0}, TypeError, "rng must be a numpy.random.Generator"),
        (
            {"X_val": X_VAL},
            ValueError,
            "X_val and y_val must be given together, or neither",
        ),
        ({"theta0": THETA0[:3]}, ValueError, "theta must have length n_params = 39"),
        (
            {"X_val": X_VAL, "y_val": Y_VAL[:5]},
            ValueError,
            "y must have length X.shape[0] = 30",
        ),
        (
            {"X_val": X_VAL[:, :1], "y_val": Y_VAL},
            ValueError,
            "X must have sizes[0] = 2 columns, got shape (30, 1)",
        ),
    ],
)
def test_bad_arguments_are_refused(kwargs, error, message):
    args = {"steps": 3, "batch_size": 10, "rng": np.random.default_rng(0)} | kwargs
    theta0 = args.pop("theta0", THETA0)
    with pytest.raises(error, match=re.escape(message)):
        gd.train(NET, gd.sgd(0.1), theta0, X, Y, **args)

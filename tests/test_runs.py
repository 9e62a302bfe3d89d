"""Runs: descend on test functions, fit lines by mini-batches, catch divergence."""

import re
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gdcore as gd


def house_fit(lr, epochs=1, **kwargs):
    """The house walkthrough: MSE on raw sizes, full batch, start (0.05, 100)."""
    sizes, prices = gd.house_prices()
    return gd.fit_linear_regression(
        gd.design_matrix(sizes),
        prices,
        gd.sgd(lr),
        [gd.HOUSE_W0, gd.HOUSE_B0],
        epochs=epochs,
        batch_size=kwargs.pop("batch_size", 5),
        rng=np.random.default_rng(kwargs.pop("seed", 0)),
        **kwargs,
    )


def synthetic_problem(n=40, seed=0):
    sizes, prices = gd.synthetic_houses(n, np.random.default_rng(seed))
    z, _, _ = gd.standardize(sizes)
    return gd.design_matrix(z), prices


class LogObjective:
    """f(θ) = log θ, f′(θ) = 1/θ: undefined once a step lands on θ < 0."""

    dim = 1

    def value(self, theta):
        return float(np.log(theta[0]))

    def grad(self, theta):
        return 1 / np.asarray(theta, dtype=float)


class SlopeObjective:
    """f(θ) = c·θ: a constant gradient c, whatever θ is."""

    dim = 1

    def __init__(self, c):
        self.c = c

    def value(self, theta):
        return float(self.c * theta[0])

    def grad(self, theta):
        return np.array([self.c])


# -- the house walkthrough ---------------------------------------------------------


def test_one_house_step_with_lr_1e_7():
    # At (0.05, 100): errors 0.05·x + 100 − (0.1·x + 100) = −0.05·x, so
    # L = 0.0025·mean(x²) = 0.0025·2,750,000 = 6875,
    # ∂L/∂w = 2·mean(−0.05·x·x) = −0.1·2,750,000 = −275,000,
    # ∂L/∂b = 2·mean(−0.05·x) = −0.1·1500 = −150.
    # w = 0.05 + 1e-7·275,000 = 0.0775, b = 100 + 1e-7·150 = 100.000015.
    h = house_fit(1e-7)
    assert h.thetas.shape == (2, 2)
    assert h.thetas[0].tolist() == [0.05, 100.0]
    assert h.thetas[1] == pytest.approx([0.0775, 100.000015], rel=1e-13)
    assert h.losses[0] == 6875.0
    assert h.grad_norms[0] == pytest.approx(np.hypot(275_000.0, 150.0), rel=1e-13)
    # Now e = −0.0225·x + 0.000015: L = 0.0225²·2,750,000 − 2·0.0225·0.000015·1500
    # + 0.000015² = 1392.1875 − 0.0010125 + 2.25e-10 = 1392.186487500225.
    assert h.losses[1] == pytest.approx(1392.186487500225, rel=1e-12)
    assert h.examples_seen.tolist() == [0, 5]
    assert h.step_index.tolist() == [0, 1]
    assert (h.steps, h.diverged, h.diverged_at) == (1, False, None)
    assert h.message == "ran 1 epoch (1 step); final loss 1.39e+03"


def test_house_lr_1e_5_overshoots_then_diverges_at_step_43():
    # Step 1: w = 0.05 + 1e-5·275,000 = 2.80, b = 100 + 1e-5·150 = 100.0015.
    # H = [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]] = [[5.5e6, 3000], [3000, 2]],
    # λ_max ≈ 5.5e6, so each step multiplies the error by 1 − 1e-5·5.5e6 ≈ −54 and
    # the loss by ≈ 54² ≈ 2916: log(1e150/6875)/log(2916) ≈ 146.2/3.465 ≈ 42.2,
    # so the loss first passes 1e150 at step 43.
    h = house_fit(1e-5, epochs=100)
    assert h.thetas[1] == pytest.approx([2.80, 100.0015], rel=1e-13)
    assert h.diverged
    assert h.diverged_at == h.steps == 43
    assert len(h.losses) == 44
    assert h.losses[42] <= 1e150 < h.losses[43]
    assert h.losses[43] / h.losses[42] == pytest.approx(2916, rel=1e-3)
    assert h.message.startswith("diverged at step 43: loss reached 6.65e+152")
    assert "lr=1e-05" in h.message
    assert "smaller learning rate" in h.message


def test_divergence_is_silent_even_with_warnings_as_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = house_fit(1e-5, epochs=1000)
        log = gd.descend(LogObjective(), gd.sgd(2.0), 1.0, 5)
    assert h.diverged
    # θ1 = 1 − 2·(1/1) = −1, and log(−1) is NaN (numpy would warn "invalid value").
    assert log.diverged_at == 1
    assert log.message.startswith("diverged at step 1: loss reached nan (sgd, lr=2)")


def test_diverged_at_does_not_depend_on_record_every():
    # Recording every 10th step still finds step 43: the steps since the last
    # record are re-checked when a record finds the run blown up.
    h = house_fit(1e-5, epochs=100, record_every=10)
    assert h.diverged_at == 43
    assert h.step_index.tolist() == [0, 10, 20, 30, 40, 43]
    every = house_fit(1e-5, epochs=100)
    assert h == gd.History(**_fields(every, rows=[0, 10, 20, 30, 40, 43]))


def _fields(h, rows):
    """The History ``h`` restricted to some of its rows."""
    return {
        "thetas": h.thetas[rows],
        "losses": h.losses[rows],
        "grad_norms": h.grad_norms[rows],
        "examples_seen": h.examples_seen[rows],
        "step_index": h.step_index[rows],
        "diverged": h.diverged,
        "diverged_at": h.diverged_at,
        "message": h.message,
    }


@pytest.mark.parametrize("record_every", [1, 4, 7, 100])
def test_sgd_divergence_step_is_the_same_for_any_record_every(record_every):
    full = house_fit(1e-5, epochs=100, batch_size=1, seed=3)
    sparse = house_fit(
        1e-5, epochs=100, batch_size=1, seed=3, record_every=record_every
    )
    assert full.diverged
    assert sparse.diverged_at == full.diverged_at
    assert np.array_equal(sparse.final_theta, full.final_theta)
    assert sparse.message == full.message


def test_standardized_house_data_converge_to_the_exact_line():
    # On z the MSE Hessian is 2·[[mean(z²), mean(z)], [mean(z), 1]] = 2·I, so with
    # lr = 0.1 the error shrinks by |1 − 0.1·2| = 0.8 per step: 0.8^200 ≈ 4e-20.
    sizes, prices = gd.house_prices()
    z, mean, std = gd.standardize(sizes)
    h = gd.fit_linear_regression(
        gd.design_matrix(z),
        prices,
        gd.sgd(0.1),
        [0.0, 0.0],
        epochs=200,
        batch_size=5,
        rng=np.random.default_rng(0),
    )
    assert not h.diverged
    w, b = gd.unstandardize_line(*h.final_theta, mean, std)
    assert w == pytest.approx(0.1, rel=1e-6)
    assert b == pytest.approx(100.0, rel=1e-6)
    assert h.final_loss < 1e-20
    # the loss shrinks by 0.8² = 0.64 per step until it reaches round-off (~1e-27)
    assert np.all(np.diff(h.losses[:100]) < 0)


# -- descend on test functions --------------------------------------------------------


def test_parabola_just_above_lr_1_diverges_at_the_predicted_step():
    # x ← x − η·2x = (1 − 2η)·x; η = 1.01 gives x_k = (−1.02)^k, f = x² = 1.0404^k,
    # which passes 1e150 when k > 150/log10(1.0404) = 150/0.017200 ≈ 8720.9.
    h = gd.descend(gd.parabola(), gd.sgd(1.01), 1.0, 10_000)
    assert h.diverged
    assert h.diverged_at == 8721
    assert h.losses[8720] <= 1e150 < h.losses[8721]
    assert h.message.startswith("diverged at step 8721: loss reached 1.01e+150")


def test_parabola_just_below_lr_1_converges():
    # η = 0.99: x_k = (−0.98)^k, so |x_2000| = 0.98^2000 ≈ 2.8e-18.
    h = gd.descend(gd.parabola(), gd.sgd(0.99), 1.0, 2000)
    assert not h.diverged
    assert abs(h.final_theta[0]) == pytest.approx(0.98**2000, rel=1e-9)
    assert np.all(np.sign(h.thetas[1:6, 0]) == [-1, 1, -1, 1, -1])  # it oscillates


def test_parabola_at_lr_1_bounces_forever_without_diverging():
    # η = 1: x ← (1 − 2)·x = −x, so x = 1, −1, 1, … and f stays 1.
    h = gd.descend(gd.parabola(), gd.sgd(1.0), 1.0, 6)
    assert h.thetas[:, 0].tolist() == [1, -1, 1, -1, 1, -1, 1]
    assert h.losses.tolist() == [1.0] * 7
    assert h.message == "ran 6 steps; final loss 1"


def test_descend_by_hand_on_the_parabola():
    # η = 0.25: x ← (1 − 0.5)·x, so x = 1, 0.5, 0.25, 0.125; f = x²; |f′| = 2|x|.
    h = gd.descend(gd.parabola(), gd.sgd(0.25), 1.0, 3)
    assert h.thetas.tolist() == [[1.0], [0.5], [0.25], [0.125]]
    assert h.losses.tolist() == [1.0, 0.25, 0.0625, 0.015625]
    assert h.grad_norms.tolist() == [2.0, 1.0, 0.5, 0.25]
    assert h.examples_seen.tolist() == [0, 1, 2, 3]
    assert h.message == "ran 3 steps; final loss 0.0156"
    assert (h.final_loss, h.final_theta.tolist(), h.steps) == (0.015625, [0.125], 3)


def test_descend_by_hand_on_the_bowl():
    # A = diag(1, 10); θ0 = (1, 1): f = ½(1 + 10) = 5.5, ∇f = (1, 10);
    # η = 0.1: θ1 = (1 − 0.1, 1 − 1) = (0.9, 0), f = ½·0.81 = 0.405.
    h = gd.descend(gd.quadratic_bowl(condition=10.0), gd.sgd(0.1), [1.0, 1.0], 1)
    assert h.thetas[0].tolist() == [1.0, 1.0]
    assert h.thetas[1] == pytest.approx([0.9, 0.0], abs=1e-15)
    assert h.losses[0] == 5.5
    assert h.losses[1] == pytest.approx(0.405, rel=1e-14)
    assert h.grad_norms[0] == pytest.approx(np.sqrt(101.0), rel=1e-15)


@settings(max_examples=50, deadline=None)
@given(
    lr=st.floats(0.001, 0.25),
    steps=st.integers(0, 30),
    theta0=st.lists(st.floats(-5, 5), min_size=2, max_size=2),
)
def test_descend_matches_the_closed_form_on_the_bowl(lr, steps, theta0):
    # On ½θᵀdiag(1, 4)θ, each coordinate follows θ_i ← (1 − η·λ_i)·θ_i.
    bowl = gd.quadratic_bowl(condition=4.0)
    h = gd.descend(bowl, gd.sgd(lr), theta0, steps)
    k = np.arange(steps + 1)[:, None]
    expected = np.array(theta0) * (1 - lr * np.array([1.0, 4.0])) ** k
    np.testing.assert_allclose(h.thetas, expected, rtol=1e-12, atol=1e-14)
    for theta, loss, norm in zip(h.thetas, h.losses, h.grad_norms, strict=True):
        assert loss == bowl.value(theta)
        assert norm == np.linalg.norm(bowl.grad(theta))


def test_descend_with_adam_and_momentum_use_the_optimizer_state():
    # Adam's first step moves every coordinate by ≈ lr (m_hat/√v_hat = sign g).
    h = gd.descend(gd.quadratic_bowl(), gd.adam(lr=0.1), [1.0, 1.0], 1)
    assert h.thetas[1] == pytest.approx([0.9, 0.9], rel=1e-7)
    # Momentum: v1 = g0, v2 = 0.9·g0 + g1; on f = x², η = 0.1: x1 = 0.8,
    # v2 = 0.9·2 + 1.6 = 3.4, x2 = 0.8 − 0.34 = 0.46.
    h = gd.descend(gd.parabola(), gd.momentum(lr=0.1, beta=0.9), 1.0, 2)
    assert h.thetas[:, 0] == pytest.approx([1.0, 0.8, 0.46], rel=1e-14)


def test_theta_that_blows_up_is_reported_without_evaluating_the_loss():
    # η = 1e200: x1 = 1 − 1e200·2 = −2e200, beyond 1e150 before f is even computed.
    h = gd.descend(gd.parabola(), gd.sgd(1e200), 1.0, 5)
    assert h.diverged_at == 1
    assert h.message.startswith("diverged at step 1: theta reached -2e+200")
    assert np.isnan(h.losses[1])
    assert np.isnan(h.grad_norms[1])


def test_a_step_that_overflows_stops_the_run_at_the_last_finite_point():
    # η = 1e308: x1 = 1 − 1e308·2 overflows to −inf; the optimizer refuses it.
    h = gd.descend(gd.parabola(), gd.sgd(1e308), 1.0, 5)
    assert (h.diverged, h.diverged_at, h.steps) == (True, 0, 0)
    assert h.message.startswith("diverged at step 0: sgd step produced a non-finite")
    X, y = synthetic_problem(n=4)
    h = gd.fit_linear_regression(
        X, y, gd.sgd(1e308), [1.0, 1.0], epochs=1, batch_size=1,
        rng=np.random.default_rng(0), record_every=3,
    )  # fmt: skip
    assert (h.diverged_at, h.thetas.tolist()) == (0, [[1.0, 1.0]])
    assert "non-finite theta" in h.message


def test_gradient_that_blows_up_is_reported():
    # f = 1e151·θ: f(0) = 0 is fine, but the gradient is 1e151 from the start.
    h = gd.descend(SlopeObjective(1e151), gd.sgd(1.0), 0.0, 5)
    assert (h.diverged, h.diverged_at, h.steps) == (True, 0, 0)
    assert h.message.startswith("diverged at step 0: gradient reached 1e+151")


def test_mini_batch_gradient_that_blows_up_is_reported():
    # The full-data gradient (1/N)·ΣXᵢ(…) stays below 1e150, but one example's
    # gradient is 2·1e75·(1e75·1 − 0) = 2e150: the first SGD step stops the run.
    X = np.array([[1e75], [0.0], [0.0], [0.0]])
    y = np.zeros(4)
    h = gd.fit_linear_regression(
        X, y, gd.sgd(1e-3), [1.0], epochs=1, batch_size=1, rng=np.random.default_rng(0)
    )
    assert h.diverged
    assert "mini-batch gradient reached 2e+150" in h.message
    assert h.losses[0] == pytest.approx(0.25e150)  # (1e75)²/4 is still fine


def test_a_loss_that_overflows_is_reported_as_divergence():
    # e = 1e200·1 − 0, so MSE = (1e200)² = 1e400: past float64, gd.mse raises
    # FloatingPointError; the run records L = inf and stops instead of crashing.
    X, y = np.array([[1e200], [1e200]]), np.zeros(2)
    h = gd.fit_linear_regression(
        X, y, gd.sgd(1.0), [1.0], epochs=1, batch_size=1, rng=np.random.default_rng(0)
    )
    assert (h.diverged, h.diverged_at, h.steps) == (True, 0, 0)
    assert h.losses.tolist() == h.grad_norms.tolist() == [np.inf]
    assert h.message.startswith("diverged at step 0: loss reached inf (sgd, lr=1)")


# -- mini-batches, examples and records ---------------------------------------------


@pytest.mark.parametrize(
    ("batch_size", "drop_last", "seen"),
    [
        (1, False, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),  # 5 steps per epoch
        (5, False, [0, 5, 10]),  # 1 full-batch step per epoch
        (2, False, [0, 2, 4, 5, 7, 9, 10]),  # 2 + 2 + 1 per epoch
        (2, True, [0, 2, 4, 6, 8]),  # 2 + 2 per epoch, the 5th example dropped
    ],
)
def test_examples_seen_add_up_batch_sizes(batch_size, drop_last, seen):
    h = house_fit(1e-7, epochs=2, batch_size=batch_size, drop_last=drop_last)
    assert h.examples_seen.tolist() == seen
    assert h.steps == len(seen) - 1


def test_sgd_and_full_batch_see_the_same_number_of_examples():
    sgd = house_fit(1e-7, epochs=3, batch_size=1)
    full = house_fit(1e-7, epochs=3, batch_size=5)
    assert sgd.examples_seen[-1] == full.examples_seen[-1] == 15  # 3 epochs · 5
    assert (sgd.steps, full.steps) == (15, 3)


def test_record_every_keeps_every_kth_step_and_the_last():
    # 10 examples, batch 1: 10 steps; records at 0, 3, 6, 9 and the last, 10.
    X, y = synthetic_problem(n=10)
    kwargs = {"epochs": 1, "batch_size": 1}
    every = gd.fit_linear_regression(
        X, y, gd.sgd(0.05), [0.0, 0.0], rng=np.random.default_rng(5), **kwargs
    )
    sparse = gd.fit_linear_regression(
        X,
        y,
        gd.sgd(0.05),
        [0.0, 0.0],
        rng=np.random.default_rng(5),
        record_every=3,
        **kwargs,
    )
    assert sparse.step_index.tolist() == [0, 3, 6, 9, 10]
    assert sparse.examples_seen.tolist() == [0, 3, 6, 9, 10]
    rows = [0, 3, 6, 9, 10]
    assert np.array_equal(sparse.thetas, every.thetas[rows])
    assert np.array_equal(sparse.losses, every.losses[rows])
    for theta, loss, norm in zip(
        sparse.thetas, sparse.losses, sparse.grad_norms, strict=True
    ):
        # the records use the full data set, not the last batch
        assert loss == gd.mse(theta, X, y)
        assert norm == np.linalg.norm(gd.mse_grad(theta, X, y))


@pytest.mark.parametrize("loss", ["mse", "half_mse", "sse"])
def test_full_batch_fit_is_plain_gradient_descent_on_the_loss(loss):
    X, y = synthetic_problem(n=8)
    value, grad, _ = gd.get_loss(loss)
    lr = {"mse": 0.1, "half_mse": 0.2, "sse": 0.01}[loss]
    h = gd.fit_linear_regression(
        X, y, gd.sgd(lr), [0.0, 0.0], epochs=5, batch_size=8,
        rng=np.random.default_rng(0), loss=loss,
    )  # fmt: skip
    theta = np.zeros(2)
    for k in range(6):
        np.testing.assert_allclose(h.thetas[k], theta, rtol=1e-12, atol=1e-12)
        assert h.losses[k] == pytest.approx(value(theta, X, y), rel=1e-12)
        theta = theta - lr * grad(theta, X, y)


def test_same_seed_same_history_different_seed_different_path():
    X, y = synthetic_problem()

    def run(seed):
        return gd.fit_linear_regression(
            X, y, gd.adam(lr=0.5), [0.0, 0.0], epochs=3, batch_size=4,
            rng=np.random.default_rng(seed),
        )  # fmt: skip

    a, b, c = run(1), run(1), run(2)
    assert a == b
    assert a is not b
    assert not np.array_equal(a.thetas, c.thetas)
    assert a != c


def test_fit_does_not_mutate_its_inputs():
    X, y = synthetic_problem(n=6)
    theta0 = np.array([1.0, 2.0])
    copies = X.copy(), y.copy(), theta0.copy()
    h = gd.fit_linear_regression(
        X, y, gd.sgd(0.1), theta0, epochs=2, batch_size=2, rng=np.random.default_rng(0)
    )
    assert np.array_equal(X, copies[0])
    assert np.array_equal(y, copies[1])
    assert np.array_equal(theta0, copies[2])
    assert h.thetas[0].tolist() == [1.0, 2.0]


def test_zero_epochs_and_zero_steps_record_only_the_start():
    h = house_fit(1e-7, epochs=0)
    assert h.thetas.tolist() == [[0.05, 100.0]]
    assert h.message == "ran 0 epochs (0 steps); final loss 6.88e+03"
    h = gd.descend(gd.parabola(), gd.sgd(0.1), 3.0, 0)
    assert (h.steps, h.final_loss, h.examples_seen.tolist()) == (0, 9.0, [0])


def test_sgd_over_10_000_examples_records_every_100th_step():
    # One SGD epoch on 10,000 examples, recording the full-data loss every 100th
    # step: 10,000 updates, 100 records plus the start. (Its speed is measured by
    # bench/bench_runs.py, not asserted here.)
    X, y = synthetic_problem(n=10_000)
    h = gd.fit_linear_regression(
        X, y, gd.sgd(0.01), [0.0, 0.0], epochs=1, batch_size=1,
        rng=np.random.default_rng(0), record_every=100,
    )  # fmt: skip
    assert h.steps == 10_000
    assert len(h.losses) == 101
    assert h.step_index.tolist() == list(range(0, 10_001, 100))
    assert h.examples_seen[-1] == 10_000


# -- History -----------------------------------------------------------------------


def test_history_arrays_are_read_only():
    h = house_fit(1e-7, epochs=2)
    for arr in (h.thetas, h.losses, h.grad_norms, h.examples_seen, h.step_index):
        with pytest.raises(ValueError, match="read-only"):
            arr[0] = 0
    with pytest.raises(ValueError, match="read-only"):
        h.final_theta[0] = 0.0
    with pytest.raises(AttributeError):
        h.message = "changed"


def test_history_copies_what_it_is_given():
    thetas = np.array([[1.0], [2.0]])
    h = gd.History(thetas, [1.0, 4.0], [2.0, 4.0], [0, 1], False, None, "done")
    thetas[0, 0] = 99.0
    assert h.thetas[0, 0] == 1.0
    assert thetas.flags.writeable
    assert h.step_index.tolist() == [0, 1]
    assert repr(h) == "History(steps=1, final_loss=4, diverged=False, message='done')"


def test_history_rejects_rows_of_different_lengths():
    with pytest.raises(ValueError, match=r"losses must have shape \(2,\), got \(3,\)"):
        gd.History([[1.0], [2.0]], [1.0, 2.0, 3.0], [0, 0], [0, 1], False, None, "")
    with pytest.raises(
        ValueError, match=r"thetas must have shape \(k\+1, d\), got \(2,\)"
    ):
        gd.History([1.0, 2.0], [1.0, 2.0], [0, 0], [0, 1], False, None, "")


# -- validation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "error", "match"),
    [
        (-1, ValueError, "steps must be >= 0, got -1"),
        (2.0, TypeError, "steps must be an integer, got 2.0"),
        (True, TypeError, "steps must be an integer, got True"),
    ],
)
def test_descend_validates_steps(steps, error, match):
    with pytest.raises(error, match=match):
        gd.descend(gd.parabola(), gd.sgd(0.1), 1.0, steps)


def test_descend_validates_theta0():
    with pytest.raises(
        ValueError,
        match=r"theta0 must have shape \(2,\) to match objective.dim = 2, "
        r"got shape \(3,\)",
    ):
        gd.descend(gd.quadratic_bowl(), gd.sgd(0.1), [1.0, 2.0, 3.0], 5)
    with pytest.raises(ValueError, match="theta0 must be finite"):
        gd.descend(gd.parabola(), gd.sgd(0.1), float("nan"), 5)


def fit_with(**overrides):
    X, y = synthetic_problem(n=5)
    args = {
        "X": X,
        "y": y,
        "optimizer": gd.sgd(0.1),
        "theta0": [0.0, 0.0],
        "epochs": 1,
        "batch_size": 2,
        "rng": np.random.default_rng(0),
    } | overrides
    return gd.fit_linear_regression(**args)


@pytest.mark.parametrize(
    ("overrides", "error", "match"),
    [
        ({"epochs": -1}, ValueError, "epochs must be >= 0, got -1"),
        ({"epochs": 1.5}, TypeError, "epochs must be an integer, got 1.5"),
        ({"batch_size": 0}, ValueError, r"batch_size must be in \[1, 5\], got 0"),
        ({"batch_size": 6}, ValueError, r"batch_size must be in \[1, 5\], got 6"),
        ({"record_every": 0}, ValueError, "record_every must be >= 1, got 0"),
        ({"rng": 0}, TypeError, r"rng must be a numpy\.random\.Generator.*got 0"),
        ({"rng": 0, "epochs": 0}, TypeError, r"rng must be a numpy\.random\.Generator"),
        ({"loss": "mae"}, ValueError,
         "loss must be one of 'mse', 'half_mse', 'sse', got 'mae'"),
        ({"theta0": [0.0]}, ValueError,
         r"theta0 must have shape \(2,\) to match X.shape\[1\] = 2, got shape \(1,\)"),
        ({"X": np.ones(5)}, ValueError, r"X must be 2-D, got shape \(5,\)"),
        ({"y": np.ones(4)}, ValueError,
         r"y must have length X.shape\[0\] = 5 .*got shape \(4,\)"),
    ],
)  # fmt: skip
def test_fit_validates_its_arguments(overrides, error, match):
    with pytest.raises(error, match=match):
        fit_with(**overrides)


# -- many runs at once --------------------------------------------------------------


def _by_hand(opt, objective, start, steps):
    """θ_0 … θ_steps of opt.step in a plain loop, from one start point."""
    theta = np.array(start, dtype=float)
    state = opt.init(theta)
    thetas = [theta]
    for _ in range(steps):
        theta, state = opt.step(theta, objective.grad(theta), state)
        thetas.append(theta)
    return np.array(thetas)


@pytest.mark.parametrize("name", list(gd.OPTIMIZERS))
def test_descend_paths_rows_are_the_runs_from_each_start(name):
    bowl = gd.quadratic_bowl(condition=10.0, angle=0.3)
    starts = np.array([[-2.5, 1.5], [0.0, 3.0], [2.0, -0.5]])
    opt = gd.get_optimizer(name, lr=0.05)
    paths = gd.descend_paths(bowl, opt, starts, 50)
    assert paths.thetas.shape == (51, 3, 2)
    assert paths.diverged_at.tolist() == [-1, -1, -1]
    for i, start in enumerate(starts):
        np.testing.assert_allclose(
            paths.thetas[:, i], _by_hand(opt, bowl, start, 50), rtol=1e-13, atol=1e-15
        )
        assert paths.losses[7, i] == pytest.approx(bowl.value(paths.thetas[7, i]))


def test_a_diverging_run_leaves_the_others_alone():
    # On ½(x² + 10y²) with η = 0.5: x ← 0.5·x and y ← (1 − 5)·y = −4·y. From (1, 1)
    # the loss 5·16^k (plus a vanishing x term) first passes 1e150 at k = 124
    # (5·16^123 ≈ 6.4e148, 5·16^124 ≈ 1.02e150); from (1, 0) y stays 0.
    bowl = gd.quadratic_bowl(condition=10.0)
    paths = gd.descend_paths(bowl, gd.sgd(0.5), [[1.0, 1.0], [1.0, 0.0]], 200)
    assert paths.diverged_at.tolist() == [124, -1]
    assert paths.problems[0].startswith("loss reached 1.02e+150")
    assert paths.problems[1] is None
    assert np.all(np.isfinite(paths.thetas[:125, 0]))
    assert np.all(np.isnan(paths.thetas[125:, 0]))
    np.testing.assert_allclose(paths.thetas[:, 1, 0], 0.5 ** np.arange(201), rtol=1e-12)
    h = paths.history(0)
    assert (h.diverged_at, h.steps) == (124, 124)
    assert h.message.startswith("diverged at step 124: loss reached 1.02e+150 (sgd")


def test_run_paths_takes_the_gradient_of_each_step():
    # grad(θ, k) = k: the step k+1 moves θ by −η·k, so θ_k = −η·k(k−1)/2.
    paths = gd.run_paths(
        gd.sgd(0.5),
        [[0.0], [1.0]],
        4,
        loss=lambda theta: theta[:, 0] ** 2,
        grad=lambda theta, k: np.full_like(theta, float(k)),
    )
    # θ = 0, 0, −0.5, −1.5, −3 from 0 (and 1 more from 1)
    np.testing.assert_allclose(paths.thetas[:, 0, 0], [0.0, 0.0, -0.5, -1.5, -3.0])
    np.testing.assert_allclose(paths.thetas[:, 1, 0], [1.0, 1.0, 0.5, -0.5, -2.0])


def test_descend_paths_validates_theta0():
    with pytest.raises(ValueError, match=re.escape("theta0 must have shape (n, 2)")):
        gd.descend_paths(gd.quadratic_bowl(), gd.sgd(0.1), [[1.0, 2.0, 3.0]], 5)
    with pytest.raises(ValueError, match="theta0 must be 2-D"):
        gd.descend_paths(gd.quadratic_bowl(), gd.sgd(0.1), [1.0, 2.0], 5)

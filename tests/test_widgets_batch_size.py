"""BatchSizeExplorer, driven headless under Agg: the drawn data follow the math."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets import BatchSizeExplorer, Explorer
from gdcore.widgets.batch_size import EXCESS_FLOOR, batch_size_stops

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMALL = {"n": 64, "epochs": 2}  # 64 houses, 128 examples per run: quick to check


@pytest.fixture
def make(explorer_factory):
    """Build BatchSizeExplorers, closed (and their figures gone) after the test."""
    return explorer_factory(BatchSizeExplorer)


def houses(n, seed=0):
    """The explorer's data, rebuilt independently: standardised size and price."""
    size, price = gd.synthetic_houses(n, np.random.default_rng(seed))
    z, _, _ = gd.standardize(size)
    y, _, _ = gd.standardize(price)
    return gd.design_matrix(z), y


def reference(ex, batch_size, lr):
    """The same run through gd.fit_linear_regression, recording every update."""
    return gd.fit_linear_regression(
        ex.X,
        ex.y,
        gd.sgd(lr),
        ex.theta0,
        epochs=ex.epochs,
        batch_size=batch_size,
        rng=np.random.default_rng(ex.seed),
    )


def drawn_path(ex):
    return np.asarray(ex.contour.points.get_offsets(), dtype=float)


# -- the slider stops and the vectorised runs ---------------------------------------


def test_batch_size_stops_are_powers_of_two_then_n():
    assert batch_size_stops(1024) == (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
    # N = 1000 is not a power of two: 512 is the last power below it, then N itself
    assert batch_size_stops(1000) == (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000)
    assert batch_size_stops(2) == (1, 2)
    assert batch_size_stops(1) == (1,)


# -- the data and the defaults -------------------------------------------------------


def test_defaults_and_the_least_squares_star(make):
    ex = make()
    assert isinstance(ex, Explorer)
    assert not ex.live
    assert ex.values == {"batch_size": 32, "lr": 0.0625}
    assert ex.batch_sizes == batch_size_stops(1024)
    assert [o[1] for o in ex.controls["batch_size"].options] == list(ex.batch_sizes)
    assert ex.controls["batch_size"].options[0][0] == "1 (SGD)"
    assert ex.controls["batch_size"].options[-1][0] == "1024 (full)"
    # η from 2⁻⁸ to 2⁰ in steps of 2^(1/2): 17 values
    assert len(ex.lrs) == 17
    assert (ex.lrs[0], ex.lrs[8], ex.lrs[-1]) == (2**-8, 2**-4, 1.0)
    # η sent a rounding error off a notch (as a browser may) runs at the notch
    assert ex.run(32, ex.lrs[9] * (1 + 1e-12)).lr == ex.lrs[9] == 2**-3.5
    X, y = houses(1024)
    np.testing.assert_array_equal(ex.X, X)
    np.testing.assert_array_equal(ex.y, y)
    # On standardised data the least-squares line has slope = the correlation r
    # and intercept 0, and its MSE is 1 − r².
    r = np.corrcoef(X[:, 0], y)[0, 1]
    np.testing.assert_allclose(ex.theta_star, [r, 0.0], atol=1e-12)
    np.testing.assert_allclose(ex.loss_star, 1 - r**2, rtol=1e-12)
    np.testing.assert_allclose(ex.loss_star, gd.mse(ex.theta_star, X, y), rtol=1e-12)
    # H = (2/N)XᵀX = 2I: the bowl is round, so L(θ) − L* = ‖θ − θ*‖²
    np.testing.assert_allclose(gd.mse_hessian(X), 2 * np.eye(2), atol=1e-12)
    np.testing.assert_allclose(ex.start_excess, r**2, rtol=1e-12)
    np.testing.assert_array_equal(ex.contour.minimum.get_xydata(), [ex.theta_star])


# -- each control at its minimum, middle and maximum -----------------------------------


@pytest.mark.parametrize("batch_size", [1, 8, 64])
@pytest.mark.parametrize("lr", [2**-8, 2**-4, 2**-1])
def test_drawn_path_and_loss_are_the_fit_linear_regression_run(make, batch_size, lr):
    ex = make(**SMALL)
    ex.set(batch_size=batch_size, lr=lr)
    run = ex.run(batch_size, lr)
    history = reference(ex, batch_size, lr)
    assert run.updates[-1] == history.steps == 2 * gd.n_batches(64, batch_size)
    np.testing.assert_allclose(
        run.thetas, history.thetas[run.updates], rtol=1e-12, atol=1e-15
    )
    np.testing.assert_array_equal(run.examples_seen, history.examples_seen[run.updates])
    shown = len(run.updates)
    if run.escaped_at is not None:  # the picture stops where the loss left the panel
        shown = int(np.sum(run.updates <= run.escaped_at))
    # the dots (hidden on long paths) sit on the drawn θ; a θ outside the view,
    # a square of half-width 1.25·‖θ₀ − θ*‖ around θ*, is not drawn (NaN)
    expected_path = run.thetas[:shown].copy()
    radius = 1.25 * np.linalg.norm(ex.theta0 - ex.theta_star)
    outside = np.any(np.abs(expected_path - ex.theta_star) > radius, axis=1)
    expected_path[outside] = np.nan
    np.testing.assert_allclose(drawn_path(ex), expected_path, rtol=1e-12)
    # the loss panel: mse(θ) − L*, floored at the panel's bottom
    excess = history.losses[run.updates[:shown]] - ex.loss_star
    floor = ex.start_excess * EXCESS_FLOOR
    expected = np.maximum(excess, floor)
    x_drawn, y_drawn = ex.loss_line.get_data()
    np.testing.assert_array_equal(x_drawn, history.examples_seen[run.updates[:shown]])
    np.testing.assert_allclose(y_drawn, expected, rtol=1e-9, atol=floor * 1e-3)


@pytest.mark.parametrize("lr", [2**-8, 2**-4, 2**-1, 1.0])
def test_full_batch_contracts_by_one_minus_two_eta(make, lr):
    # H = 2I: θ_k − θ* = (1 − 2η)^k (θ₀ − θ*), one update per epoch
    ex = make(**SMALL)
    ex.set(batch_size=64, lr=lr)
    run = ex.run(64, lr)
    k = np.arange(3)
    expected = ex.theta_star + np.outer((1 - 2 * lr) ** k, ex.theta0 - ex.theta_star)
    np.testing.assert_allclose(run.thetas, expected, atol=1e-12)
    np.testing.assert_array_equal(run.examples_seen, [0, 64, 128])
    ref_x, ref_y = ex.reference_path.get_data()  # the grey path is full batch too
    np.testing.assert_allclose(np.column_stack([ref_x, ref_y]), expected, atol=1e-12)


def test_full_batch_at_half_lands_on_the_minimum_in_one_update(make):
    ex = make()
    ex.set(batch_size=1024, lr=0.5)
    run = ex.run(1024, 0.5)
    # θ₁ = θ₀ − 0.5·2(θ₀ − θ*) = θ*
    np.testing.assert_allclose(run.thetas[1], ex.theta_star, atol=1e-12)
    assert not ex.message.get_visible()
    _, y_drawn = ex.loss_line.get_data()
    assert y_drawn[0] == pytest.approx(ex.start_excess)
    assert np.all(y_drawn[1:] == ex.start_excess * EXCESS_FLOOR)  # on the floor


def test_full_batch_at_one_bounces_and_says_no_progress(make):
    ex = make()
    ex.set(batch_size=1024, lr=1.0)
    run = ex.run(1024, 1.0)
    # θ ← θ − 2(θ − θ*) = 2θ* − θ: θ₀, 2θ* − θ₀, θ₀, …
    mirror = 2 * ex.theta_star - ex.theta0
    np.testing.assert_allclose(run.thetas[1::2], [mirror, mirror], atol=1e-12)
    np.testing.assert_allclose(run.thetas[::2], [ex.theta0] * 3, atol=1e-12)
    assert run.escaped_at is None
    assert ex.message.get_visible()
    assert ex.message.get_text() == "No progress: η = 1 is too large for B = 1024"


def test_sgd_is_unstable_at_a_rate_full_batch_handles(make):
    # one example's Hessian is 2xxᵀ with eigenvalue 2(z² + 1) up to about 8, so
    # η = 0.5 overshoots on many single examples; the full-batch bound is 2/2 = 1
    ex = make()
    xlim, ylim = ex.contour.ax.get_xlim(), ex.contour.ax.get_ylim()
    ex.set(batch_size=1, lr=0.5)
    run = ex.run(1, 0.5)
    assert run.escaped_at is not None
    assert run.escaped_at == int(
        np.argmax(ex.excess_loss(_all(ex, 1, 0.5)) > 1.5 * ex.start_excess)
    )
    assert ex.message.get_visible()
    assert ex.message.get_text() == "Unstable: η = 0.5 is too large for B = 1"
    x_drawn, _ = ex.loss_line.get_data()
    assert x_drawn[-1] == run.escaped_at  # B = 1: one example per update
    assert (ex.contour.ax.get_xlim(), ex.contour.ax.get_ylim()) == (xlim, ylim)
    full = ex.run(1024, 0.5)
    assert full.escaped_at is None
    assert full.final_excess < 1e-20
    assert "unstable from update" in ex.info.value
    ex.set(lr=0.0625)
    assert not ex.message.get_visible()


def _all(ex, batch_size, lr):
    """Every θ of a run (not thinned), as gd.fit_linear_regression records it."""
    return reference(ex, batch_size, lr).thetas


def test_an_overflowing_run_is_reported_not_raised(make):
    ex = make(**SMALL)
    run = ex.run(1, 40.0)  # off the slider: computed on demand, overflows
    assert run.diverged_at is not None
    assert run.escaped_at <= run.diverged_at
    assert run.diverged_at == run.updates[-1]
    history = reference(ex, 1, 40.0)
    assert history.diverged
    assert history.diverged_at == run.diverged_at  # one divergence rule
    assert run.describe() == f"diverged at update {run.diverged_at}"
    assert np.all(np.isfinite(run.thetas[:-1]))  # kept points stop at the blow-up


def test_smaller_batches_hover_higher_above_the_minimum(make):
    # same η, same budget: the gradient noise ∝ 1/B sets the floor of the loss
    ex = make()
    lr = 2**-4

    def floor(b):
        thetas = _all(ex, b, lr)
        return np.mean(ex.excess_loss(thetas[len(thetas) // 2 :]))

    floors = [floor(b) for b in (1, 8, 64)]
    assert floors[0] > 4 * floors[1] > 16 * floors[2]


def test_examples_seen_count_the_short_last_batch(make):
    ex = make(n=100, epochs=2)
    assert ex.batch_sizes[-2:] == (64, 100)
    run = ex.run(64, 0.0625)
    # an epoch is a batch of 64 and one of 36: 0, 64, 100, 164, 200
    np.testing.assert_array_equal(run.updates, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(run.examples_seen, [0, 64, 100, 164, 200])
    assert ex.loss_line.axes.get_xlim() == (0, 200)


# -- validation ---------------------------------------------------------------------


def test_set_rejects_unknown_controls_and_values_off_the_stops(make):
    ex = make(**SMALL)
    with pytest.raises(
        ValueError, match="batch_size must be one of the 7 choices from 1 to 64, got 3"
    ):
        ex.set(batch_size=3)
    with pytest.raises(ValueError, match=r"lr must be in \[0.003906, 1\], got 2"):
        ex.set(lr=2.0)
    with pytest.raises(ValueError, match="unknown control 'eta'"):
        ex.set(eta=0.1)
    assert ex.values == {"batch_size": 32, "lr": 0.0625}


def test_constructor_validates_its_arguments():
    with pytest.raises(ValueError, match="n must be >= 2, got 1"):
        BatchSizeExplorer(n=1)
    with pytest.raises(ValueError, match="epochs must be >= 1, got 0"):
        BatchSizeExplorer(n=64, epochs=0)
    with pytest.raises(
        ValueError, match="batch_size must be one of 1, 2, 4, 8, 16, 32, 64, got 48"
    ):
        BatchSizeExplorer(n=64, batch_size=48)
    with pytest.raises(ValueError, match=r"lr must be in \[0.003906, 1\], got 0.001"):
        BatchSizeExplorer(n=64, lr=0.001)
    with pytest.raises(ValueError, match="lr must be positive and finite, got -1"):
        BatchSizeExplorer(n=64, lr=-1.0)
    with pytest.raises(TypeError, match=r"seed must be an integer, got 0\.5"):
        BatchSizeExplorer(n=64, seed=0.5)
    assert plt.get_fignums() == []

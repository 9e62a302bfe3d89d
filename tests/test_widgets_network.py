"""NetworkExplorer, driven headless under Agg through its public methods."""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

import gdcore as gd
from gdcore.widgets import NetworkExplorer
from gdcore.widgets.network import (
    MAX_STEPS,
    RECORD_EVERY,
    data,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def make(explorer_factory):
    """Build NetworkExplorers; closed (with their figures) after the test."""
    return explorer_factory(NetworkExplorer)


def test_default_state_trains_adam_on_the_spiral(make):
    ex = make()
    assert ex.values == {
        "dataset": "spiral", "width": 16, "optimizer": "Adam", "lr": 2**-5,
        "batch_size": 16, "steps": MAX_STEPS,
    }  # fmt: skip
    assert re.fullmatch(r"spiral, step 600: training accuracy \d+%", ex.summary())
    assert ex.to_png().startswith(PNG_SIGNATURE)
    assert ex.fig.get_size_inches()[0] <= 8.2


def test_the_recorded_run_is_gd_train_with_the_stated_seeds(make):
    # θ₀ from default_rng(seed), batches from default_rng(seed + 1), 150 training points
    ex = make(width=4, optimizer="momentum", lr=0.25, batch_size=32, seed=3)
    X, y, X_val, y_val = data("spiral", 3)
    X_all, y_all = gd.spiral(200, np.random.default_rng(3))
    np.testing.assert_array_equal(X, X_all[50:])
    np.testing.assert_array_equal(y_val, y_all[:50])
    net = gd.MLP((2, 4, 4, 3))
    run = gd.train(
        net, gd.momentum(lr=0.25, beta=0.9), net.init(np.random.default_rng(3)), X, y,
        steps=MAX_STEPS, batch_size=32, rng=np.random.default_rng(4),
        X_val=X_val, y_val=y_val, record_every=RECORD_EVERY,
    )  # fmt: skip
    np.testing.assert_array_equal(ex.run().thetas, run.thetas)
    np.testing.assert_array_equal(ex.run().val_loss, run.val_loss)


def test_the_steps_slider_shows_the_recorded_theta(make):
    ex = make(width=8).set(steps=250)
    run = ex.run()
    theta = run.thetas[list(run.steps).index(250)]
    X, y, _, _ = data("spiral", 0)
    acc = gd.MLP((2, 8, 8, 3)).accuracy(theta, X, y)
    assert ex.summary() == f"spiral, step 250: training accuracy {acc:.0%}"
    # the loss panel marks the examples seen at step 250: an epoch of 150 points in
    # batches of 16 is 10 steps (9 × 16 + 6), so 250 steps are 25 epochs, 3750 examples
    assert ex.marker.get_xdata()[0] == 3750
    assert ex.title.get_text().startswith(f"step 250: {acc:.0%} right")


def test_a_diverging_run_is_named_on_the_figure(make):
    ex = make(optimizer="SGD", lr=8.0)
    run = ex.run()
    assert run.diverged
    assert ex.message.get_visible()
    assert ex.message.get_text() == (
        f"Diverged at step {run.diverged_at}:\nthe loss blew up, training stopped"
    )
    assert ex.summary().endswith(
        f"Diverged at step {run.diverged_at}: the loss blew up, training stopped"
    )
    # past the divergence the steps slider shows the last record before it
    assert f"step {run.steps[-1]}:" in ex.summary()
    calm = ex.set(lr=2**-6)
    assert not calm.message.get_visible()
    assert "Diverged" not in calm.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dataset": "circles"},
         "dataset must be one of 'spiral', 'moons', got 'circles'"),
        ({"width": 5}, "width must be one of 2, 4, 8, 16, 32, got 5"),
        ({"optimizer": "adam"},
         "optimizer must be one of 'SGD', 'momentum', 'Adam', got 'adam'"),
        ({"batch_size": 3},
         "batch_size must be one of 1, 2, 4, 8, 16, 32, 64, 128, 150, got 3"),
        ({"lr": 100.0}, "lr must be in [0.0009766, 8], got 100.0"),
        ({"steps": 601}, "steps must be in [0, 600], got 601"),
        ({"seed": -1}, "seed must be >= 0, got -1"),
    ],
)  # fmt: skip
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        NetworkExplorer(**kwargs)

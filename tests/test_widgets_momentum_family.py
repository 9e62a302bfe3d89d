"""MomentumFamilyExplorer, driven headless under Agg through its public methods."""

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from gdcore import meta
from gdcore.widgets.momentum_family import TEST_KAPPAS, MomentumFamilyExplorer

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def make(explorer_factory):
    """Build MomentumFamilyExplorers; closed (with their figures) after the test."""
    return explorer_factory(MomentumFamilyExplorer)


def test_default_state_is_the_learned_pair(make):
    ex = make()
    assert ex.values == {"lr": pytest.approx(0.0337), "beta": pytest.approx(0.676)}
    assert ex.edge() == pytest.approx(2 * 1.676 / 0.0337, rel=1e-9)
    assert re.fullmatch(
        r"η = 0\.0337, β = 0\.676: stable up to κ ≈ 99; f shrinks 10⁶-fold for κ "
        r"from 2 to \d+\.?\d*; f grows on \d+ of 120 test bowls",
        ex.summary(),
    )
    assert ex.to_png().startswith(PNG_SIGNATURE)
    assert ex.fig.get_size_inches()[0] <= 8.2


def test_the_curve_is_gdcore_meta_for_the_current_pair(make):
    ex = make().set(lr=0.01, beta=0.5)
    lams = np.stack([np.ones_like(TEST_KAPPAS), TEST_KAPPAS], axis=1)
    want = meta.momentum_log_progress(0.01, 0.5, lams, np.ones_like(lams), ex.steps)
    np.testing.assert_array_equal(ex.progress(), want)
    assert ex.edge() == pytest.approx(300.0, rel=1e-9)  # 2·1.5/0.01
    assert "stable up to κ ≈ 300" in ex.summary()


def test_a_larger_beta_moves_the_edge_right(make):
    ex = make(lr=0.01, beta=0.0)
    low = ex.edge()
    ex.set(beta=0.9)
    assert ex.edge() > 1.8 * low  # 2/η → 3.8/η


def test_a_huge_rate_converges_nowhere(make):
    ex = make(lr=0.3, beta=0.95)
    assert "f shrinks 10⁶-fold on no test bowl" in ex.summary()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lr": 1.0}, "lr must be in [0.001, 0.3162], got 1.0"),
        ({"beta": 0.99}, "beta must be in [0, 0.95], got 0.99"),
        ({"steps": 0}, "steps must be >= 1, got 0"),
        ({"kappa_range": (100, 10)}, "kappa_range must satisfy 1 <= low <= high"),
    ],
)
def test_bad_settings_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        MomentumFamilyExplorer(**kwargs)

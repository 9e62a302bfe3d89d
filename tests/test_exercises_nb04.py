"""Notebook 04's checkers: the reference solutions pass, the usual slips are named."""

import math

import numpy as np
import pytest
from exercise_helpers import fails_with, stub

import gdcore as gd
from gdcore.exercises import nb04 as ex
from solutions import nb04 as sol

# --- the challenge bowl, by hand -------------------------------------------------


def test_challenge_bowl_numbers():
    # curvatures λ_min = 0.5 and λ_max = 10·0.5 = 5, whatever the angle
    H = ex.CHALLENGE_BOWL.hessian(ex.CHALLENGE_THETA0)
    np.testing.assert_allclose(np.linalg.eigvalsh(H), [0.5, 5.0])
    # 2/λ_max = 0.4; η* = 2/(0.5 + 5) = 4/11; factor (10 − 1)/(10 + 1) = 9/11
    assert gd.max_stable_lr(H) == pytest.approx(0.4)
    assert sol.lr == pytest.approx(4 / 11)
    assert gd.convergence_factor(H, sol.lr) == pytest.approx(9 / 11)


# --- exercise 1: the challenge ---------------------------------------------------


def test_reference_lr_passes_the_challenge():
    fb = ex.check_challenge(sol.lr)
    assert fb.ok, repr(fb)
    # at η* both directions shrink by exactly 9/11, the loss by (9/11)² per step:
    # 3.21·(9/11)^100 ≈ 6.2e-9
    start = ex.CHALLENGE_BOWL.value(ex.CHALLENGE_THETA0)
    assert f"to {start * (9 / 11) ** 100:.3g} in 50 steps" in fb.message


def test_a_two_step_schedule_also_passes():
    # η = 1/λ_min then 1/λ_max (= 2, then 0.2) removes each direction exactly once
    fb = ex.check_challenge(lambda t: 2.0 if t == 0 else 0.2)
    assert fb.ok, repr(fb)


@pytest.mark.parametrize(
    ("lr", "phrase"),
    [
        (None, "not solved yet"),
        # |1 − 0.41·5| = 1.05 > 1: grows by 1.05 per step
        (0.41, "above the stable bound 2/λ_max = 0.4"),
        (0.41, "|1 − ηλ_max| = 1.05 > 1"),
        (1.0, "blows up"),
        # 1 − 0.2·0.5 = 0.9: the flat direction is too slow
        (0.2, "1 − ηλ_min = 0.900: η is too small"),
        # |1 − 0.39·5| = 0.95: the steep direction is too slow
        (0.39, "|1 − ηλ_max| = 0.950"),
        # (1e-6/3.21)^(1/100): the factor needed per step
        (0.2, "a factor of about 0.861 or less"),
        (gd.cosine(lr=0.39, total_steps=50), "only fell"),
        (gd.constant(0.6), "50 of the 50 rates"),
        (-1.0, "lr must be positive and finite, got -1.0"),
        ("0.3", "does not accept"),
        (lambda t: 1 / (t - 3), "raised ValueError"),
    ],
)
def test_challenge_slips_are_explained(lr, phrase):
    fails_with(ex.check_challenge(lr), phrase)


def test_challenge_explains_a_schedule_that_blows_up_part_of_the_time():
    # η = 0.6 for 10 steps (factor |1 − 3| = 2, ×1024), then 0.06: the loss never
    # gets back under its start within 50 steps (0.97^40 ≈ 0.3 on the steep part)
    fb = ex.check_challenge(gd.step_decay(lr=0.6, drop=0.1, every=10))
    fails_with(fb, "10 of the 50 rates it used are above")


# --- exercise 2: the best constant learning rate ---------------------------------


def test_reference_optimal_lr_passes():
    fb = ex.check_optimal_lr(sol.optimal_lr_and_factor)
    assert fb.ok, repr(fb)
    # last Hessian: eigenvalues 2 ∓ 1.9 = 0.1, 3.9 → κ = 39, factor 38/40 = 0.95,
    # ln 10 / −ln 0.95 ≈ 44.9 steps per tenfold
    assert "κ = 39" in fb.message
    assert "0.950 of the error, about 45 steps" in fb.message


def test_gdcore_functions_pass_too():
    assert ex.check_optimal_lr(
        lambda H: (gd.optimal_lr(H), gd.convergence_factor(H, gd.optimal_lr(H)))
    )


def _with_lr(lr_fn):
    """An answer with a wrong η but the right factor."""

    def answer(H):
        lams = np.linalg.eigvalsh(H)
        kappa = lams[-1] / lams[0]
        return lr_fn(lams, H), (kappa - 1) / (kappa + 1)

    return answer


def _with_factor(factor_fn):
    """An answer with the right η and a wrong factor."""

    def answer(H):
        lams = np.linalg.eigvalsh(H)
        return 2 / (lams[0] + lams[-1]), factor_fn(lams[-1] / lams[0], lams)

    return answer


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (_with_lr(lambda lams, H: 2 / lams[-1]), "the stability edge"),
        (_with_lr(lambda lams, H: 1 / lams[-1]), "that is 1/λ_max"),
        (_with_lr(lambda lams, H: 1 / (lams[0] + lams[-1])), "the 2 is missing"),
        # for a 2 × 2 H the diagonal sums to λ_min + λ_max, so this slip shows on
        # the 3 × 3 one: diagonal 3, 3, 3 gives 2/(3 + 3) = 1/3, η* = 2/(2 + 5) = 2/7
        (
            _with_lr(lambda lams, H: 2 / (np.diag(H).min() + np.diag(H).max())),
            "diagonal entries of H",
        ),
        (_with_lr(lambda lams, H: 2 / lams.sum()), "sum of all the eigenvalues"),
        (_with_lr(lambda lams, H: 0.123), "the best constant η is 0.1818"),
        (_with_factor(lambda k, lams: (1 / k - 1) / (1 / k + 1)), "upside down"),
        (
            _with_factor(lambda k, lams: 1 - 2 / (lams[0] + lams[-1]) * lams[-1]),
            "upside down",
        ),
        (_with_factor(lambda k, lams: ((k - 1) / (k + 1)) ** 2), "factor squared"),
        (_with_factor(lambda k, lams: (k + 1) / (k - 1)), "reciprocal"),
        (_with_factor(lambda k, lams: (k - 1) / k), "(κ − 1)/κ"),
        (_with_factor(lambda k, lams: 0.5), "its factor is 0.8182, you got 0.5"),
        (lambda H: (9 / 11, 2 / 11), "wrong order"),
        (lambda H: 2 / 11, "not two numbers"),
        (lambda H: ("a", "b"), "not two real numbers"),
        (stub, "not solved yet"),
        (lambda H: None, "returned None"),
        (lambda H: H[5, 5], "IndexError"),
    ],
)
def test_optimal_lr_slips_are_named(wrong, phrase):
    fails_with(ex.check_optimal_lr(wrong), phrase)


def test_the_hessians_tell_the_slips_apart():
    # every named slip differs from η* on at least one Hessian tried (else the
    # checker could never reach it)
    for k in range(len(ex._lr_slips(ex.HESSIANS[0]))):
        assert any(
            not math.isclose(ex._lr_slips(H)[k][0], gd.optimal_lr(H), rel_tol=1e-9)
            for H in ex.HESSIANS
        ), k


def test_a_slow_schedule_is_pointed_to_curvature_built_ones():
    # cosine from 0.39 spends its late steps at tiny rates: the hint names the
    # alternatives rather than claiming that every decay only slows a run down
    fb = ex.check_challenge(gd.cosine(lr=0.39, total_steps=50))
    fails_with(fb, "the two steps 1/λ_max and 1/λ_min")
    assert "only slows it down" not in repr(fb)


# --- exercise 2: predict, then run -------------------------------------------------


def test_prediction_numbers_by_hand():
    # curvatures 0.5 and 10: edge 0.2; worst factors 0.975 and 0.925 (the flat one)
    np.testing.assert_allclose(
        np.linalg.eigvalsh(ex.PREDICT_BOWL.hessian(ex.PREDICT_THETA0)), [0.5, 10.0]
    )
    # ln(1e-6)/ln(0.975) = 545.7, ln(1e-6)/ln(0.925) = 177.2
    assert ex.predicted_counts() == [546, 178, None]


def test_reference_prediction_passes():
    fb = ex.check_prediction(sol.prediction)
    assert fb.ok, repr(fb)
    # from (1, 1) the runs need a little fewer steps than the worst case
    assert "η = 0.05: 532, η = 0.15: 173" in fb.message


def test_prediction_accepts_a_near_count_and_none_for_diverges():
    # 552.6 = ln(1e6)/(ηλ_min), the ln(1 − x) ≈ −x shortcut: within 2 %
    assert ex.check_prediction([553, 177, None])


@pytest.mark.parametrize(
    ("answer", "phrase"),
    [
        ([..., ..., ...], "not solved yet"),
        ([546, 178, 300], "η = 0.21 diverges: it is above the edge"),
        (["diverges", 178, "diverges"], "η = 0.05 does not diverge"),
        # the steep factor 0.5: ln(1e-6)/ln(0.5) = 19.9 → 20
        ([20, 178, "diverges"], "the pace of the steep direction"),
        # the loss: factor 0.975² → 273
        ([273, 178, "diverges"], "counts the steps for the loss"),
        # η* for κ = 20: (19/21) per step → 139
        ([546, 139, "diverges"], "the count at the best rate η*"),
        ([600, 178, "diverges"], "the worst factor 0.975 needs 546"),
        ([546, "x", "diverges"], "expected a number of steps"),
        (5, "expected a list of 3 entries"),
        ([546, 178], "expected a list of 3 entries"),
    ],
)
def test_prediction_slips_are_explained(answer, phrase):
    fails_with(ex.check_prediction(answer), phrase)

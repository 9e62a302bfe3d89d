"""Notebook 08's checkers: the reference solutions pass, the usual slips are named."""

import math

import pytest
from exercise_helpers import fails_with, stub

from gdcore.exercises import nb08 as ex
from solutions import nb08 as sol


def test_reference_momentum_limit_passes():
    fb = ex.check_momentum_limit(sol.momentum_limit)
    assert fb.ok, repr(fb)
    assert "2(1 + β)" in fb.message


def test_momentum_limit_by_hand():
    # η = 0.1, β = 0.5: 2·1.5/0.1 = 30; β = 0 gives gradient descent's 2/η = 20
    assert sol.momentum_limit(0.1, 0.5) == pytest.approx(30.0, rel=1e-15)
    assert sol.momentum_limit(0.1, 0.0) == pytest.approx(20.0, rel=1e-15)


def test_momentum_limit_is_the_edge_of_a_real_run():
    # Just below the limit the heavy ball converges on f = ½λθ², just above it does not.
    lr, beta = 0.0337, 0.676
    edge = sol.momentum_limit(lr, beta)

    def final(lam):
        theta, v = 1.0, 0.0
        for _ in range(3000):
            v = beta * v + lam * theta
            theta = theta - lr * v
        return abs(theta)

    assert final(0.99 * edge) < 1e-3
    assert final(1.01 * edge) > 1e3


@pytest.mark.parametrize(
    ("wrong", "phrase"),
    [
        (lambda lr, beta: 2 / lr, "gradient descent's bound 2/η"),
        (lambda lr, beta: 2 * (1 - beta) / lr, "2(1 − β)/η"),
        (lambda lr, beta: (1 + beta) / lr, "half the answer"),
        (lambda lr, beta: 2 / (lr * (1 - beta)), "2/(η(1 − β))"),
        (lambda lr, beta: 2 * (1 + beta**2) / lr, "right for β = 0"),
        (lambda lr, beta: 3.0, "wrong even for β = 0"),
        (lambda lr, beta: "big", "expected one number"),
        (stub, "not solved yet"),
        (42, "expected a function"),
    ],
)
def test_momentum_limit_slips_are_named(wrong, phrase):
    fails_with(ex.check_momentum_limit(wrong), phrase)


def test_reference_lora_passes():
    fb = ex.check_lora_count(sol.lora_count, sol.lora_break_even)
    assert fb.ok, repr(fb)
    assert "333" in fb.message
    assert "half the size of a square layer" in fb.message


def test_lora_by_hand():
    # a 32 × 32 layer at rank 2: U is 32 × 2, V is 2 × 32: 64 + 64 = 128
    assert sol.lora_count(32, 32, 2) == 128
    # 1000 × 500: 500,000 / 1,500 = 333.3…
    assert sol.lora_break_even(1000, 500) == pytest.approx(1000 / 3, rel=1e-15)
    assert math.isclose(sol.lora_count(1000, 500, 1000 / 3), 1000 * 500)


@pytest.mark.parametrize(
    ("count", "break_even", "phrase"),
    [
        (lambda a, b, r: r * a * b, sol.lora_break_even, "r full matrices"),
        (lambda a, b, r: a + b, sol.lora_break_even, "for r = 1 whatever r is"),
        (lambda a, b, r: r * r * (a + b), sol.lora_break_even, "r appears twice"),
        (lambda a, b, r: r * (a + b) + a * b, sol.lora_break_even, "the frozen W"),
        (lambda a, b, r: r * (a + b) + b, sol.lora_break_even, "the layer's bias"),
        (lambda a, b, r: r * (a + b) + 1, sol.lora_break_even, "expected 3,568"),
        (sol.lora_count, lambda a, b: min(a, b), "can be any matrix"),
        (sol.lora_count, lambda a, b: min(a, b) / 2, "half the smaller size"),
        # √(n_in·n_out) equals min for a square layer: not mistaken for that slip
        (sol.lora_count, lambda a, b: math.sqrt(a * b), "returned 32, expected 16"),
        (
            sol.lora_count,
            lambda a, b: a * b // (a + b),
            "returned 439, expected 439.462",
        ),
        (sol.lora_count, lambda a, b: a * b / (a - b + 1), "solve r·(n_in + n_out)"),
        (sol.lora_count, stub, "not solved yet"),
        (stub, sol.lora_break_even, "not solved yet"),
        (lambda a, b, r: None, sol.lora_break_even, "returned None"),
    ],
)
def test_lora_slips_are_named(count, break_even, phrase):
    fails_with(ex.check_lora_count(count, break_even), phrase)

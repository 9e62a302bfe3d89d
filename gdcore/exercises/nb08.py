"""Checkers for notebook 08, training in practice.

- :func:`check_momentum_limit`: the learner's ``momentum_limit(lr, beta)``, the
  largest curvature λ on which heavy-ball momentum with (η, β) still converges,
  which says where a meta-learned pair stops working.
- :func:`check_lora_count`: the learner's ``lora_count(n_in, n_out, r)``, the
  trainable parameters of a rank-r update U·V of an n_in × n_out weight matrix,
  and ``lora_break_even(n_in, n_out)``, the rank from which it saves nothing.

When an answer is wrong the checkers recognise the usual slips (plain gradient
descent's bound 2/η, the effective step η/(1 − β) misapplied, the full matrix
counted r times, the sizes multiplied where they add) and say which one it looks
like.
"""

from __future__ import annotations

import math

from ._feedback import Feedback, as_real, call_safely, correct, not_yet

# (η, β) pairs tried, β = 0 included: there momentum is plain gradient descent
MOMENTUM_CASES: tuple[tuple[float, float], ...] = (
    (0.1, 0.0),
    (0.0337, 0.676),
    (0.01, 0.9),
    (0.5, 0.3),
)

# (n_in, n_out, r) tried: square, tall, wide, and article 003's layers
LORA_CASES: tuple[tuple[int, int, int], ...] = (
    (32, 32, 1),
    (32, 32, 4),
    (784, 1000, 2),
    (1000, 500, 8),
    (3, 7, 2),
)


def momentum_limit(lr: float, beta: float) -> float:
    """2(1 + β)/η: heavy ball converges on f = ½λθ² exactly when 0 < ηλ < 2(1 + β)."""
    return 2 * (1 + beta) / lr


def lora_count(n_in: int, n_out: int, r: int) -> int:
    """U is n_in × r and V is r × n_out: r·(n_in + n_out) numbers."""
    return r * (n_in + n_out)


def lora_break_even(n_in: int, n_out: int) -> float:
    """The rank at which r·(n_in + n_out) = n_in·n_out: n_in·n_out/(n_in + n_out)."""
    return n_in * n_out / (n_in + n_out)


def _numbers(fn, name: str, cases, hint: str) -> tuple[list[float], Feedback | None]:
    """The learner's function on every case, as floats; or the feedback to give."""
    values = []
    for case in cases:
        value, fb = call_safely(fn, *case)
        if fb is not None:
            return [], fb
        number = as_real(value)
        if number is None:
            args = ", ".join(map(str, case))
            return [], not_yet(
                f"{name}({args}) returned {value!r}; expected one number.", hint
            )
        values.append(number)
    return values, None


def _momentum_slips():
    """(rule, what is wrong, hint), most specific first."""
    return [
        (
            lambda lr, beta: 2 / lr,
            "that is plain gradient descent's bound 2/η: it ignores β. Momentum "
            "tolerates a larger curvature.",
            "write the update on f = ½λθ² as θ_{k+1} = (1 + β − ηλ)θ_k − βθ_{k−1} "
            "and ask when both roots of z² − (1 + β − ηλ)z + β have |z| < 1.",
        ),
        (
            lambda lr, beta: 2 * (1 - beta) / lr,
            "that is 2(1 − β)/η: you divided the bound by the effective step "
            "η/(1 − β). That factor describes a steady drift, not the oscillation "
            "that breaks a run.",
            "at the edge one root of z² − (1 + β − ηλ)z + β is z = −1: put z = −1 "
            "in and solve for λ.",
        ),
        (
            lambda lr, beta: (1 + beta) / lr,
            "that is (1 + β)/η, half the answer: at that λ the run still converges, "
            "only with oscillation.",
            "the edge is where a root reaches z = −1: 1 + (1 + β − ηλ) + β = 0.",
        ),
        (
            lambda lr, beta: 2 / (lr * (1 - beta)),
            "that is 2/(η(1 − β)): the effective step η/(1 − β) would give a "
            "smaller bound, not this one, and neither is momentum's edge.",
            "the edge is where a root of z² − (1 + β − ηλ)z + β reaches z = −1.",
        ),
    ]


def check_momentum_limit(fn) -> Feedback:
    """Check ``momentum_limit(lr, beta) -> λ``: the largest stable curvature."""
    values, fb = _numbers(
        fn, "momentum_limit", MOMENTUM_CASES, "return the largest λ as a float."
    )
    if fb is not None:
        return fb
    want = [momentum_limit(lr, beta) for lr, beta in MOMENTUM_CASES]
    if all(math.isclose(v, w, rel_tol=1e-9) for v, w in zip(values, want, strict=True)):
        return correct(
            "heavy ball converges on curvature λ exactly when 0 < ηλ < 2(1 + β): "
            "with β = 0 that is gradient descent's 2/η, and β up to 1 doubles it. "
            "A pair learned on bowls up to some κ is tuned right up to that edge, "
            "so a bowl a little sharper than the training range diverges."
        )
    for rule, message, hint in _momentum_slips():
        expected = [rule(lr, beta) for lr, beta in MOMENTUM_CASES]
        if all(
            math.isclose(v, e, rel_tol=1e-9)
            for v, e in zip(values, expected, strict=True)
        ):
            return not_yet(message, hint)
    (lr, beta), got, w = MOMENTUM_CASES[1], values[1], want[1]
    if math.isclose(values[0], want[0], rel_tol=1e-9):
        extra = " It is right for β = 0, so look at how β enters."
    else:
        extra = " It is wrong even for β = 0, where momentum is gradient descent."
    return not_yet(
        f"momentum_limit({lr}, {beta}) returned {got:.6g}, expected {w:.6g}.{extra}",
        "on f = ½λθ²: v ← βv + λθ, θ ← θ − ηv gives θ_{k+1} = (1 + β − ηλ)θ_k − "
        "βθ_{k−1}; find the λ at which a root of z² − (1 + β − ηλ)z + β hits −1.",
    )


def _lora_slips():
    return [
        (
            lambda n_in, n_out, r: r * n_in * n_out,
            "that is r full matrices, r·n_in·n_out. The point of U·V is that U has "
            "only n_in·r entries and V only r·n_out.",
        ),
        (
            lambda n_in, n_out, r: n_in + n_out,
            "that is the count for r = 1 whatever r is: both U and V grow with r.",
        ),
        (
            lambda n_in, n_out, r: r * r * (n_in + n_out),
            "r appears twice: U (n_in × r) and V (r × n_out) each hold r columns "
            "or rows, once.",
        ),
        (
            lambda n_in, n_out, r: r * (n_in + n_out) + n_in * n_out,
            "you counted the frozen W too: it does not change, so it is not trained.",
        ),
        (
            lambda n_in, n_out, r: r * (n_in + n_out) + n_out,
            "you added the layer's bias: here only U and V are trained, b stays "
            "frozen with W.",
        ),
    ]


def check_lora_count(count, break_even) -> Feedback:
    """Check ``lora_count(n_in, n_out, r)`` and ``lora_break_even(n_in, n_out)``."""
    got, fb = _numbers(
        count, "lora_count", LORA_CASES, "return how many numbers U and V hold."
    )
    if fb is not None:
        return fb
    want = [lora_count(*case) for case in LORA_CASES]
    if got != want:
        for rule, message in _lora_slips():
            if got == [rule(*case) for case in LORA_CASES]:
                return not_yet(
                    message, "U is n_in × r, V is r × n_out: add their sizes."
                )
        (n_in, n_out, r), g, w = LORA_CASES[2], got[2], want[2]
        return not_yet(
            f"lora_count({n_in}, {n_out}, {r}) returned {g:g}, expected {w:,}.",
            "W + U·V with U of shape (n_in, r) and V of shape (r, n_out).",
        )
    pairs = list(dict.fromkeys((n_in, n_out) for n_in, n_out, _ in LORA_CASES))
    got, fb = _numbers(
        break_even, "lora_break_even", pairs, "return the rank r as a float."
    )
    if fb is not None:
        return fb
    want = [lora_break_even(*pair) for pair in pairs]
    if not all(
        math.isclose(g, w, rel_tol=1e-9) for g, w in zip(got, want, strict=True)
    ):
        slips = [
            (
                lambda n_in, n_out: min(n_in, n_out),
                "that is min(n_in, n_out), the rank at which U·V can be any matrix, "
                "not the rank at which it costs as much as W.",
            ),
            (
                lambda n_in, n_out: min(n_in, n_out) / 2,
                "that is half the smaller size: right for a square layer (n² = 2rn "
                "gives r = n/2), not for a rectangular one.",
            ),
        ]
        for rule, message in slips:
            if all(
                math.isclose(g, rule(*pair), rel_tol=1e-9)
                for g, pair in zip(got, pairs, strict=True)
            ):
                return not_yet(message, "solve r·(n_in + n_out) = n_in·n_out for r.")
        i = next(
            i
            for i, (g, w) in enumerate(zip(got, want, strict=True))
            if not math.isclose(g, w, rel_tol=1e-9)
        )
        (n_in, n_out), g, w = pairs[i], got[i], want[i]
        return not_yet(
            f"lora_break_even({n_in}, {n_out}) returned {g:.6g}, expected {w:.6g}.",
            "solve r·(n_in + n_out) = n_in·n_out for r (it need not be whole).",
        )
    return correct(
        "a rank-r update costs r·(n_in + n_out) numbers against n_in·n_out for W, so "
        "it saves memory for every r below n_in·n_out/(n_in + n_out): half the size "
        "of a square layer, and about 333 (two thirds of 500) for article 003's "
        "1000 × 500 layer, far above the ranks used in practice."
    )

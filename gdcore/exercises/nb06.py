"""Checkers for notebook 06, momentum, RMSprop and Adam.

- :func:`check_adam_step`: the learner's ``adam_step(theta, g, m, v, t, lr, beta1,
  beta2, eps) -> (theta, m, v)``, one step of Kingma & Ba's Algorithm 1, against
  :func:`gdcore.adam` on several steps and settings.
- :func:`check_second_adam_step`: one array, Adam's second step Δθ₂ = θ₂ − θ₁
  after the gradients :data:`SECOND_GRADS` with the learning rate :data:`SECOND_LR`,
  predicted by hand: it asks how m and v average two different gradients.
- :func:`check_momentum_beta`: a β for heavy-ball momentum on
  :data:`BETA_BOWL` (κ = 2,500) at η = 1/λ_max that meets a step budget, reasoned
  from the roots of z² − (1 + β − ηλ)z + β = 0.

When an answer is wrong the checkers recognise the usual slips (no bias correction,
ε inside the root, the step counter off by one, β₁ and β₂ swapped, a sign, m and v
swapped) and say which one it looks like.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from ..objectives import quadratic_bowl
from ..optimizers import AdamState, adam, momentum
from ..runs import descend
from ._feedback import Feedback, as_real, call_safely, correct, not_yet, same

# The settings check_adam_step tries: (lr, beta1, beta2, eps). The second has a
# large ε, so that ε inside or outside the root makes a visible difference, and
# decay rates other than the defaults, so that swapping them shows.
SETTINGS: tuple[tuple[float, float, float, float], ...] = (
    (0.01, 0.9, 0.999, 1e-8),
    (0.1, 0.8, 0.95, 1e-2),
)
THETA0 = (1.0, -2.0, 0.5)
# The gradients of five successive steps (fixed, so that every step is checked
# from the same inputs whatever the learner's previous answers were).
GRADS: tuple[tuple[float, float, float], ...] = (
    (0.3, -1.2, 0.05),
    (0.1, -0.8, 0.02),
    (-0.2, -0.5, 0.04),
    (0.4, 0.1, -0.01),
    (0.25, -0.3, 0.03),
)

# The second-step exercise: θ₂ − θ₁ with gd.adam's defaults after the gradients
# g₁ and g₂, per coordinate: steady, flipping sign, and falling a hundredfold.
SECOND_GRADS = ((2.0, 1.0, 100.0), (2.0, -1.0, 1.0))
SECOND_LR = 0.01


def _same_step(a, b) -> bool:
    return same(a, b, rtol=1e-10, atol=1e-14)


def _reference(theta, g, m, v, t, lr, beta1, beta2, eps):
    """gd.adam's step from the state (m, v, t − 1): t is this update's number."""
    opt = adam(lr=lr, beta1=beta1, beta2=beta2, eps=eps)
    theta, state = opt.step(theta, g, AdamState(m=m, v=v, t=t - 1))
    return theta, state.m, state.v


def _adam_variant(
    *, correct_m=True, correct_v=True, eps_inside=False, t_shift=0, swap=False, sign=1
):
    """An Adam step with one of the usual slips built in."""

    def step(theta, g, m, v, t, lr, beta1, beta2, eps):
        if swap:
            beta1, beta2 = beta2, beta1
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        t = t + t_shift
        m_hat = m / (1 - beta1**t) if correct_m else m
        v_hat = v / (1 - beta2**t) if correct_v else v
        root = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
        return theta - sign * lr * m_hat / root, m, v

    return step


def _step_slips():
    """(variant, what is wrong, hint), most specific first."""
    return [
        (
            _adam_variant(correct_m=False, correct_v=False),
            "your steps match Adam without bias correction (m̂ = m, v̂ = v). With "
            "β₁ = 0.9 and β₂ = 0.999 the first step is then "
            f"(1 − β₁)/√(1 − β₂) = {0.1 / math.sqrt(0.001):.2f} times too large.",
            "divide m by (1 − β₁ᵗ) and v by (1 − β₂ᵗ) before the update: "
            "m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t).",
        ),
        (
            _adam_variant(correct_v=False),
            "you corrected m but not v (v̂ = v): the steps come out too large, "
            f"{1 / math.sqrt(0.001):.1f} times on the first step with β₂ = 0.999.",
            "v needs its own correction: v_hat = v / (1 - beta2**t).",
        ),
        (
            _adam_variant(correct_m=False),
            "you corrected v but not m (m̂ = m): the steps come out too small, "
            "by the factor 1 − β₁ = 0.1 on the first step with β₁ = 0.9.",
            "m needs its own correction: m_hat = m / (1 - beta1**t).",
        ),
        (
            _adam_variant(eps_inside=True),
            "ε is inside the square root, √(v̂ + ε). Algorithm 1 (and gd.adam) add "
            "it outside: √v̂ + ε.",
            "write np.sqrt(v_hat) + eps in the denominator.",
        ),
        (
            _adam_variant(t_shift=1),
            "your bias correction uses t + 1: the step counter is off by one. "
            "Here t is already 1 on the first update.",
            "use beta1**t and beta2**t as they are; do not add 1 to t.",
        ),
        (
            _adam_variant(swap=True),
            "β₁ and β₂ are swapped: m is the mean of g with β₁ (0.9), "
            "v the mean of g² with β₂ (0.999).",
            "m = beta1 * m + (1 - beta1) * g and v = beta2 * v + (1 - beta2) * g**2.",
        ),
        (
            _adam_variant(sign=-1),
            "θ moves up the gradient: the sign of the update is flipped.",
            "subtract the step: theta - lr * m_hat / (np.sqrt(v_hat) + eps).",
        ),
    ]


def _call(fn, *args):
    """Call the learner's step with warnings silenced (0/0 is diagnosed, not shown)."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return call_safely(fn, *args)


def _unpack(value, shape):
    """(theta, m, v) as float arrays of ``shape``, or None when it is not that."""
    if not isinstance(value, tuple | list) or len(value) != 3:
        return None
    try:
        parts = [np.asarray(part, dtype=float) for part in value]
    except (TypeError, ValueError):
        return None
    if any(part.shape != shape for part in parts):
        return None
    return parts


def check_adam_step(adam_step) -> Feedback:
    """Check ``adam_step(theta, g, m, v, t, lr, beta1, beta2, eps)`` against gd.adam.

    Five steps with each of :data:`SETTINGS`; every step starts from gd.adam's own
    θ, m and v, so one wrong step does not spoil the next ones.
    """
    cases = []  # (inputs, the learner's (theta, m, v))
    for lr, beta1, beta2, eps in SETTINGS:
        theta = np.array(THETA0)
        m = v = np.zeros(3)
        for t, grad in enumerate(GRADS, start=1):
            g = np.array(grad)
            args = (theta, g, m, v, t, lr, beta1, beta2, eps)
            value, fb = _call(
                adam_step, *(a.copy() if isinstance(a, np.ndarray) else a for a in args)
            )
            if fb is not None:
                return fb
            parts = _unpack(value, theta.shape)
            if parts is None:
                return not_yet(
                    f"adam_step returned {value!r}; expected three arrays "
                    f"shaped like theta, {theta.shape}.",
                    "return the tuple (theta, m, v): the new θ, m and v.",
                )
            if not all(np.all(np.isfinite(p)) for p in parts):
                where = f"at t = {t}" + (" (the first update)" if t == 1 else "")
                return not_yet(
                    f"adam_step returned NaN or inf {where}.",
                    "if you used t − 1 (a counter starting at 0), 1 − β₁⁰ = 0 and "
                    "the bias correction divides by zero: t is 1 on the first update.",
                )
            cases.append((args, parts))
            theta, m, v = _reference(*args)
    wrong = [
        (args, parts)
        for args, parts in cases
        if not _same_step(parts, _reference(*args))
    ]
    if not wrong:
        return correct(
            "your step matches gd.adam on every step and setting tried, "
            "bias correction and ε included."
        )
    args, parts = wrong[0]
    t, lr = args[4], args[5]
    ref = _reference(*args)
    if (
        _same_step(parts[0], ref[0])
        and _same_step(parts[1], ref[2])
        and _same_step(parts[2], ref[1])
    ):
        return not_yet(
            "θ is right but m and v come back in the wrong order.",
            "return (theta, m, v): the running mean of g first, then that of g².",
        )
    for variant, message, hint in _step_slips():
        if all(_same_step(p, variant(*a)) for a, p in cases):
            return not_yet(message, hint)
    names = [
        name for name, got, want in zip("θmv", parts, ref, strict=True)
        if not _same_step(got, want)
    ]  # fmt: skip
    first = "θmv".index(names[0])
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    verb = "differs" if len(names) == 1 else "differ"
    return not_yet(
        f"at step t = {t} with η = {lr:g}, your {listed} {verb} from "
        f"gd.adam's: {names[0]} = {np.round(ref[first], 6)} expected, "
        f"{np.round(parts[first], 6)} returned.",
        "one line per line of the formula: m, v, m_hat, v_hat, then θ.",
    )


# --- exercise 2: predict the second Adam step -------------------------------------


def second_step() -> np.ndarray:
    """θ₂ − θ₁ of gd.adam(lr=SECOND_LR) after SECOND_GRADS, from θ₀ = 0."""
    opt = adam(lr=SECOND_LR)
    theta, state = np.zeros(3), opt.init(np.zeros(3))
    path = [theta]
    for g in SECOND_GRADS:
        theta, state = opt.step(theta, np.array(g), state)
        path.append(theta)
    return path[2] - path[1]


def _second_slips() -> list[tuple[np.ndarray, str, str]]:
    """Δθ₂ that the usual slips give: (value, message, hint)."""
    g1, g2 = (np.array(g) for g in SECOND_GRADS)
    zero = np.zeros(3)
    args = (SECOND_LR, 0.9, 0.999, 1e-8)

    def variant(t_shift=0, **slip) -> np.ndarray:
        # the slip in both updates; a shifted t only in the second (t = 0 has no
        # correction to speak of)
        theta1, m1, v1 = _adam_variant(**slip)(zero, g1, zero, zero, 1, *args)
        step2 = _adam_variant(t_shift=t_shift, **slip)
        return step2(theta1, g2, m1, v1, 2, *args)[0] - theta1

    size_only = (
        "That is how the first step behaves, when m̂ = g and v̂ = g²; at t = 2 both "
        "moments are weighted averages of g₁ and g₂."
    )
    return [
        (
            -second_step(),
            "the signs are flipped: the step goes against m̂.",
            "Δθ = −η·m̂/(√v̂ + ε): where m̂ is positive, θ decreases.",
        ),
        (
            -SECOND_LR * np.sign(g2),
            "that is −η·sign(g₂), as if Adam forgot g₁. " + size_only,
            "write m and v after two updates from m = v = 0: "
            "m = β₁(1 − β₁)g₁ + (1 − β₁)g₂, and the same for v with β₂ and g².",
        ),
        (
            -SECOND_LR * np.sign(g1),
            "that is the first step, −η·sign(g₁), not the second.",
            "the exercise asks for θ₂ − θ₁, the move made with g₂ and t = 2.",
        ),
        (
            second_step() - SECOND_LR * np.sign(g1),
            "that is θ₂ − θ₀, both steps together: it includes the first step, "
            "−η·sign(g₁).",
            "the exercise asks for the second step alone, θ₂ − θ₁.",
        ),
        (
            -SECOND_LR * g2,
            "that is the plain gradient-descent step −η·g₂.",
            "Adam divides m̂ by √v̂ + ε.",
        ),
        (
            variant(correct_m=False, correct_v=False),
            "that is the step without bias correction.",
            "at t = 2 divide m by 1 − β₁² = 0.19 and v by 1 − β₂² = 0.001999.",
        ),
        (
            variant(t_shift=-1),
            "that corrects with t = 1, the previous update's number.",
            "the second update divides by 1 − β₁² and 1 − β₂², with t = 2.",
        ),
        (
            variant(swap=True),
            "β₁ and β₂ look swapped.",
            "β₁ = 0.9 belongs to m, the mean of g; β₂ = 0.999 to v, the mean of g².",
        ),
    ]


def check_second_adam_step(answer) -> Feedback:
    """Check Δθ₂ = θ₂ − θ₁, Adam's second step for SECOND_GRADS and SECOND_LR.

    Accepted within a relative 1e-3 of the exact step, so a hand calculation with
    four significant digits and ε left out passes.
    """
    if answer is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace `answer = None` with your array of three numbers.",
        )
    try:
        if isinstance(answer, str | bytes | bool):
            raise TypeError
        got = np.asarray(answer, dtype=float)
    except (TypeError, ValueError):
        return not_yet(
            f"expected three numbers, got {answer!r}.",
            "one step per coordinate: np.array([..., ..., ...]).",
        )
    expected = second_step()
    if got.shape != expected.shape:
        return not_yet(
            f"expected three numbers (one per coordinate), got shape {got.shape}.",
            "θ has three coordinates, so Δθ has three entries.",
        )
    if not np.all(np.isfinite(got)):
        return not_yet(
            "your answer contains NaN or inf.", "Δθ is three finite numbers."
        )
    if np.allclose(got, expected, rtol=1e-3, atol=0):
        _, flip, drop = np.abs(expected) / SECOND_LR
        return correct(
            f"Δθ₂ = {np.round(expected, 6)}. The steady coordinate moves by η; the one "
            f"whose gradient flipped sign moves only {flip:.3f}·η, because m averages "
            f"+1 and −1 to nearly 0 while v still remembers their size: that is how "
            f"β₁ damps a zig-zag. The one whose gradient fell a hundredfold still "
            f"moves {drop:.2f}·η: v remembers the large g₁ for about 1/(1 − β₂) = "
            "1000 steps, m for only about 10."
        )
    for wrong, message, hint in _second_slips():
        if np.allclose(got, wrong, rtol=1e-3, atol=0):
            return not_yet(message, hint)
    off = [str(i + 1) for i in np.flatnonzero(~np.isclose(got, expected, rtol=1e-3))]
    which = (
        f"coordinate {off[0]} is"
        if len(off) == 1
        else f"coordinates {', '.join(off)} are"
    )
    return not_yet(
        f"Δθ₂ is not {np.round(got, 6)}: {which} off.",
        "after two updates m = β₁(1 − β₁)g₁ + (1 − β₁)g₂ and "
        "v = β₂(1 − β₂)g₁² + (1 − β₂)g₂²; then m̂ = m/(1 − β₁²), v̂ = v/(1 − β₂²) and "
        "Δθ₂ = −η·m̂/(√v̂ + ε), coordinate by coordinate.",
    )


# --- exercise 3: choose β for a given κ -------------------------------------------

# A bowl with curvatures 1 and 2,500, heavy ball at η = 1/λ_max, and a budget that
# only a β near the best one meets: the default 0.9 needs about 1,600 steps.
BETA_BOWL = quadratic_bowl(condition=2500.0)
BETA_THETA0 = np.array([1.0, 1.0])
BETA_LR = 1 / 2500
BETA_BUDGET = 600
BETA_TOL = 1e-6


def heavy_ball_rate(beta: float, lam: float, lr: float = BETA_LR) -> float:
    """The larger |z| of z² − (1 + β − ηλ)z + β = 0: the factor per step along λ."""
    a = 1 + beta - lr * lam
    root = np.sqrt(complex(a * a - 4 * beta))
    return float(max(abs((a + root) / 2), abs((a - root) / 2)))


def best_beta(lr: float = BETA_LR, lam_min: float = 1.0) -> float:
    """The smallest β whose roots are complex along λ_min: (1 − √(ηλ_min))²."""
    return (1 - math.sqrt(lr * lam_min)) ** 2


def beta_steps(beta: float) -> int | None:
    """The step from which heavy ball on BETA_BOWL stays below f − f* = BETA_TOL.

    None when it is not below BETA_TOL after 5,000 steps. Heavy ball oscillates, so
    f − f* can dip below BETA_TOL while the flat direction swings through 0 and rise
    again: the count is one past the last step at or above BETA_TOL, not the first dip.
    """
    history = descend(BETA_BOWL, momentum(lr=BETA_LR, beta=beta), BETA_THETA0, 5000)
    above = np.flatnonzero(~(history.losses < BETA_TOL))
    if history.diverged or (above.size and above[-1] == len(history.losses) - 1):
        return None
    return int(above[-1]) + 1 if above.size else 0


def check_momentum_beta(beta) -> Feedback:
    """Check a β that keeps heavy ball below f − f* = 10⁻⁶ from step BETA_BUDGET on."""
    if beta is None:
        return not_yet(
            "the exercise is not solved yet.",
            "replace `beta = None` with a number between 0 and 1.",
        )
    value = as_real(beta)
    if value is None:
        return not_yet(
            f"expected a number, got {beta!r}.", "β is one number in [0, 1)."
        )
    if not 0 <= value < 1:
        return not_yet(
            f"β must be in [0, 1), got {value:g}.",
            "with β ≥ 1 the velocity never forgets: the run cannot settle.",
        )
    lam_min, lam_max = 1.0, 2500.0
    flat, steep = heavy_ball_rate(value, lam_min), heavy_ball_rate(value, lam_max)
    steps = beta_steps(value)
    beta_star = best_beta()
    if steps is not None and steps <= BETA_BUDGET:
        return correct(
            f"with β = {value:g} heavy ball gets below 10⁻⁶, and stays there, from "
            f"step {steps} on (plain GD needs more than 5,000 steps). Its factor per "
            f"step is {max(flat, steep):.4f}. "
            f"The reasoning: along λ_min the roots turn complex once (1 + β − ηλ_min)² "
            f"≤ 4β, that is β ≥ (1 − √(ηλ_min))² = {beta_star:.4f}, and from there "
            f"every direction shrinks by √β per step: at best 1 − √(ηλ_min) = "
            f"{math.sqrt(beta_star):.2f}, which grows like 1 − 1/√κ at η = 1/λ_max, "
            "not like 1 − 2/κ as for plain GD."
        )
    found = f"{steps} steps" if steps is not None else "more than 5,000 steps"
    if value < beta_star:
        return not_yet(
            f"with β = {value:g} heavy ball needs {found}, more than {BETA_BUDGET}: "
            f"along λ_min the roots are real, and the larger one, {flat:.4f}, is the "
            "flat direction's factor per step: β is too small to carry it.",
            "raise β until the flat direction's roots just turn complex: "
            "(1 + β − ηλ_min)² = 4β.",
        )
    return not_yet(
        f"with β = {value:g} heavy ball needs {found}, more than {BETA_BUDGET}: the "
        "roots are complex in every direction, each of size "
        f"√β = {math.sqrt(value):.4f}, so every direction shrinks by only that much "
        "per step: β is larger than it needs to be.",
        "the best β is the smallest one with complex roots along λ_min: solve "
        "(1 + β − ηλ_min)² = 4β for β.",
    )

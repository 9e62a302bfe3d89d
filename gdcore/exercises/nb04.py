"""Checkers for notebook 04, choosing the learning rate.

- :func:`check_challenge`: a learning rate (a number or a schedule) that takes
  plain gradient descent on :data:`CHALLENGE_BOWL` from :data:`CHALLENGE_THETA0`
  below a loss of 10⁻⁶ within 50 steps. The checker runs it with gd.descend and
  explains what happened: a divergence (η above 2/λ_max), or a run that is too
  slow (which direction's factor per step is too close to 1, and what it needs).
- :func:`check_prediction`: predicted step counts for three learning rates on
  :data:`PREDICT_BOWL` (or "diverges"), made before running: the checker says
  which rate diverges and why, which direction sets the pace of the others, and
  what a run of gd.descend measures.
- :func:`check_optimal_lr`: the learner's ``optimal_lr_and_factor(H)``, the best
  constant learning rate 2/(λ_min + λ_max) and its factor (κ − 1)/(κ + 1), on
  several Hessians, naming the usual slips (2/λ_max or 1/λ_max instead of η*, a
  missing 2, κ upside down, the diagonal of H instead of its eigenvalues).
"""

from __future__ import annotations

import math
import types
from numbers import Real

import numpy as np

from ..objectives import quadratic_bowl
from ..optimizers import sgd
from ..runs import descend
from ..stability import convergence_factor, eigenvalues, max_stable_lr, optimal_lr
from ._feedback import Feedback, as_real, call_safely, correct, not_yet, same

# --- exercise 3: the challenge ------------------------------------------------------

# An elongated bowl turned by 30°: curvatures 0.5 and 5 (κ = 10). Its numbers are not
# those of the notebook's bowl, so the learning rate has to be worked out again.
CHALLENGE_BOWL = quadratic_bowl(condition=10.0, angle=math.pi / 6, lam_min=0.5)
CHALLENGE_THETA0 = np.array([2.0, 2.0])
CHALLENGE_STEPS = 50
CHALLENGE_TARGET = 1e-6


def _describe_lr(lr) -> str:
    if isinstance(lr, Real):
        return f"η = {lr:.4g}"
    if isinstance(lr, types.FunctionType):  # a def or a lambda: its repr is an address
        return "your schedule"
    return f"the schedule {lr!r}"


def check_challenge(lr) -> Feedback:
    """Run 50 steps of θ ← θ − η·∇f(θ) on CHALLENGE_BOWL; pass if f < 10⁻⁶ at the end.

    ``lr`` is a positive number or a schedule (any callable ``lr(t)``, such as
    ``gd.cosine(...)``).
    """
    if lr is None:
        return not_yet(
            "the challenge is not solved yet.",
            "replace `lr = None` with a learning rate (a number or a schedule).",
        )
    bowl, theta0, steps = CHALLENGE_BOWL, CHALLENGE_THETA0, CHALLENGE_STEPS
    H = bowl.hessian(theta0)
    lam_min, lam_max = eigenvalues(H)[[0, -1]]
    bound = max_stable_lr(H)
    try:
        optimizer = sgd(lr)
    except (TypeError, ValueError) as exc:
        return not_yet(
            f"gd.sgd does not accept this learning rate: {exc}",
            "use a positive number, or a schedule such as gd.cosine(lr=..., "
            "total_steps=50).",
        )
    try:
        history = descend(bowl, optimizer, theta0, steps)
    except Exception as exc:  # a learner's schedule that fails for some t
        return not_yet(
            f"running 50 steps raised {type(exc).__name__}: {exc}",
            "call your schedule for t = 0, 1, …, 49 in a cell and check that "
            "each gives a positive number.",
        )
    start = bowl.value(theta0)
    final = history.final_loss
    if history.diverged or not final < start:
        if isinstance(lr, Real):
            why = (
                f"η = {lr:.4g} is above the stable bound 2/λ_max = {bound:.4g} "
                f"(λ_max = {lam_max:.4g}): each step multiplies the error along the "
                f"steep direction by |1 − ηλ_max| = {abs(1 - lr * lam_max):.3g} > 1."
            )
        else:
            rates = [float(lr(t)) for t in range(history.steps)]
            above = sum(rate > bound for rate in rates)
            why = (
                f"{above} of the {len(rates)} rates it used are above the stable "
                f"bound 2/λ_max = {bound:.4g}, and each of those steps grows the "
                "steep direction."
            )
        return not_yet(
            f"with {_describe_lr(lr)} the run blows up: the loss went from "
            f"{start:.3g} to {final:.3g}. {why}",
            "the largest eigenvalue of the Hessian, "
            "CHALLENGE_BOWL.hessian(CHALLENGE_THETA0), sets the limit: stay below "
            "2/λ_max.",
        )
    if final < CHALLENGE_TARGET:
        return correct(
            f"with {_describe_lr(lr)} the loss fell from {start:.3g} to {final:.3g} "
            f"in {steps} steps, below 10⁻⁶."
            + (
                f" Your worst factor per step is "
                f"{convergence_factor(H, lr):.4f}; the best constant η, "
                f"2/(λ_min + λ_max) = {optimal_lr(H):.4g}, gets (κ − 1)/(κ + 1) = "
                f"{(lam_max / lam_min - 1) / (lam_max / lam_min + 1):.4f}."
                if isinstance(lr, Real)
                else ""
            )
        )
    # Too slow. The loss is a sum over the two eigen-directions, each shrinking by
    # (its factor)² per step: to fall from `start` to 10⁻⁶ in 50 steps the worst
    # factor must be at most (10⁻⁶ / start)^(1/100).
    needed = (CHALLENGE_TARGET / start) ** (1 / (2 * steps))
    message = (
        f"with {_describe_lr(lr)} the loss only fell from {start:.3g} to "
        f"{final:.3g} in {steps} steps. To reach 10⁻⁶ the error must shrink by a "
        f"factor of about {needed:.3f} or less per step."
    )
    if not isinstance(lr, Real):
        return not_yet(
            message,
            "on this noiseless bowl a rate that decays slowly gives the flat "
            "direction less and less progress per step. Try the best constant η, "
            "or a schedule built from the curvatures, such as the two steps 1/λ_max "
            "and 1/λ_min of section 6 (a schedule is called for every step t up to "
            "49: after those two, any rate below the edge keeps the loss at 0).",
        )
    flat, steep = 1 - lr * lam_min, 1 - lr * lam_max
    if abs(flat) >= abs(steep):
        where = (
            f" Along the flat direction (λ_min = {lam_min:.4g}) yours is "
            f"1 − ηλ_min = {flat:.3f}: η is too small for it."
        )
    else:
        where = (
            f" Along the steep direction (λ_max = {lam_max:.4g}) yours is "
            f"|1 − ηλ_max| = {abs(steep):.3f}: η is so close to the bound "
            f"{bound:.4g} that this direction barely settles."
        )
    return not_yet(
        message + where,
        "the worst factor max(|1 − ηλ_min|, |1 − ηλ_max|) is smallest when the two "
        "are equal: solve for that η.",
    )


# --- exercise 1: the best constant learning rate -------------------------------------

# Hessians to try: diagonal, turned, 3 × 3 (where the diagonal entries and the
# eigenvalues lead to different rates), and one whose κ is large.
HESSIANS: tuple[np.ndarray, ...] = (
    np.diag([1.0, 10.0]),
    np.array([[3.0, 1.0], [1.0, 3.0]]),  # eigenvalues 2 and 4
    # eigenvalues 2, 2 and 5; its diagonal (3, 3, 3) would give 2/(3 + 3) = 1/3
    np.array([[3.0, 1.0, 1.0], [1.0, 3.0, 1.0], [1.0, 1.0, 3.0]]),
    np.array([[2.0, 1.9], [1.9, 2.0]]),  # eigenvalues 0.1 and 3.9
)


def _show(H: np.ndarray) -> str:
    rows = ", ".join("[" + ", ".join(f"{v:g}" for v in row) + "]" for row in H)
    return f"[{rows}]"


def _lr_slips(H: np.ndarray):
    """Learning rates the usual mistakes give for H: (value, message, hint)."""
    lams = np.linalg.eigvalsh(H)
    lam_min, lam_max = lams[0], lams[-1]
    diag = np.diag(H)
    return [
        (
            2 / lam_max,
            "that is 2/λ_max, the stability edge, not the best rate.",
            "at 2/λ_max the steep direction bounces forever (factor −1). The best η "
            "balances the steep and the flat direction: 2/(λ_min + λ_max).",
        ),
        (
            1 / lam_max,
            "that is 1/λ_max: it settles the steep direction in one step but "
            "leaves the flat one crawling.",
            "use both ends of the spectrum: η* = 2/(λ_min + λ_max).",
        ),
        (
            1 / (lam_min + lam_max),
            "that is 1/(λ_min + λ_max): the 2 is missing.",
            "setting 1 − ηλ_min = −(1 − ηλ_max) gives 2 = η(λ_min + λ_max).",
        ),
        (
            2 / (diag.min() + diag.max()),
            "that uses the diagonal entries of H, which are the curvatures along "
            "the coordinate axes, not its eigenvalues.",
            "when H is not diagonal its eigenvalues differ from its diagonal: "
            "use np.linalg.eigvalsh(H).",
        ),
        (
            2 / (lams.sum()),
            "that divides 2 by the sum of all the eigenvalues.",
            "only the smallest and the largest eigenvalue matter: 2/(λ_min + λ_max).",
        ),
    ]


def _factor_slips(H: np.ndarray):
    lams = np.linalg.eigvalsh(H)
    kappa = lams[-1] / lams[0]
    rho = (kappa - 1) / (kappa + 1)
    return [
        (
            -rho,
            "the factor is negative: κ is upside down (λ_min/λ_max instead of "
            "λ_max/λ_min), or it is 1 − η*λ_max without the absolute value.",
            "κ = λ_max/λ_min >= 1, and the factor is a size, |1 − ηλ|, so it is >= 0.",
        ),
        (
            rho**2,
            "that is the factor squared: how much the loss shrinks per step, not "
            "the error.",
            "the error along each direction is multiplied by |1 − ηλ|; the loss, a "
            "square, by its square. The question asks for the error's factor.",
        ),
        (
            1 / rho if rho > 0 else math.inf,
            "that is (κ + 1)/(κ − 1), the reciprocal of the factor (> 1 would mean "
            "the run grows).",
            "the factor is (κ − 1)/(κ + 1), below 1.",
        ),
        (
            (kappa - 1) / kappa,
            "that is (κ − 1)/κ, which is 1 − 1/κ, not the factor.",
            "put η* into |1 − ηλ_min|: 1 − 2λ_min/(λ_min + λ_max) = (κ − 1)/(κ + 1).",
        ),
    ]


def check_optimal_lr(optimal_lr_and_factor) -> Feedback:
    """Check ``optimal_lr_and_factor(H) -> (lr, factor)`` on several Hessians."""
    for H in HESSIANS:
        where = f"for H = {_show(H)}"
        value, fb = call_safely(optimal_lr_and_factor, H.copy())
        if fb is not None:
            return fb
        try:
            lr, factor = (as_real(v) for v in value)
        except (TypeError, ValueError):
            return not_yet(
                f"{where} you returned {value!r}, not two numbers.",
                "return the pair (lr, factor): first η*, then its factor per step.",
            )
        if lr is None or factor is None:
            return not_yet(
                f"{where} you returned {value!r}, not two real numbers.",
                "return the pair (lr, factor) as two plain numbers.",
            )
        lr_star = optimal_lr(H)
        rho = convergence_factor(H, lr_star)
        if same(lr, rho) and same(factor, lr_star) and not same(lr, factor):
            return not_yet(
                f"{where} you returned ({lr:.4g}, {factor:.4g}): the right numbers "
                "in the wrong order.",
                "return η* first and the factor second.",
            )
        if not same(lr, lr_star):
            for wrong, message, hint in _lr_slips(H):
                if same(lr, wrong):
                    return not_yet(f"{where} you got η = {lr:.4g}: {message}", hint)
            return not_yet(
                f"{where} the best constant η is {lr_star:.4g}, you got {lr:.4g}.",
                "find λ_min and λ_max with np.linalg.eigvalsh(H), then "
                "η* = 2/(λ_min + λ_max).",
            )
        if not same(factor, rho):
            for wrong, message, hint in _factor_slips(H):
                if same(factor, wrong):
                    return not_yet(
                        f"{where} your η is right, but the factor {factor:.4g}: "
                        f"{message}",
                        hint,
                    )
            return not_yet(
                f"{where} your η is right; its factor is {rho:.4g}, you got "
                f"{factor:.4g}.",
                "with κ = λ_max/λ_min the factor at η* is (κ − 1)/(κ + 1).",
            )
    lams = eigenvalues(HESSIANS[-1])
    kappa = lams[-1] / lams[0]
    rho = (kappa - 1) / (kappa + 1)
    return correct(
        "η* = 2/(λ_min + λ_max) and (κ − 1)/(κ + 1) on every Hessian tried. The "
        f"last one has κ = {kappa:.3g}: even at its best η each step keeps "
        f"{rho:.3f} of the error, about {math.log(10) / -math.log(rho):.0f} steps "
        "for every tenfold shrink."
    )


# --- exercise 2: predict, then run ---------------------------------------------------

# A bowl with curvatures 0.5 and 10 (κ = 20, edge 2/λ_max = 0.2) and three rates:
# 0.05 and 0.15 converge at the pace of the flat direction, 0.21 is above the edge.
PREDICT_BOWL = quadratic_bowl(condition=20.0, lam_min=0.5)
PREDICT_RATES = (0.05, 0.15, 0.21)
PREDICT_THETA0 = np.array([1.0, 1.0])
PREDICT_SHRINK = 1e-6  # the distance to the minimum must shrink by this factor
PREDICT_RTOL = 0.02  # a count within 2 % passes (rounding, ln(1 − x) ≈ −x)


def _count(factor: float) -> int | None:
    """Steps until factor**k ≤ PREDICT_SHRINK, or None when |factor| ≥ 1."""
    if abs(factor) >= 1:
        return None
    if factor == 0:
        return 1
    return math.ceil(math.log(PREDICT_SHRINK) / math.log(abs(factor)))


def predicted_counts() -> list[int | None]:
    """The worst factor's count for each rate of PREDICT_RATES (None: diverges)."""
    lam_min, lam_max = eigenvalues(PREDICT_BOWL.hessian(PREDICT_THETA0))[[0, -1]]
    return [
        _count(max(abs(1 - lr * lam_min), abs(1 - lr * lam_max)))
        for lr in PREDICT_RATES
    ]


def measured_count(lr: float) -> int | None:
    """Steps gd.descend needs from PREDICT_THETA0 to shrink ‖θ − θ*‖ by 10⁶."""
    history = descend(PREDICT_BOWL, sgd(lr), PREDICT_THETA0, 2000)
    if history.diverged:
        return None
    dist = np.linalg.norm(history.thetas - PREDICT_BOWL.minimizers[0], axis=1)
    hits = np.flatnonzero(dist <= PREDICT_SHRINK * dist[0])
    return int(hits[0]) if hits.size else None


def _is_diverges(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "diverges")


def check_prediction(answer) -> Feedback:
    """Check ``answer``: for each rate of PREDICT_RATES, a step count or "diverges"."""
    if answer is Ellipsis or (
        isinstance(answer, list | tuple) and any(a is Ellipsis for a in answer)
    ):
        return not_yet(
            "the exercise is not solved yet.",
            'replace each ... with a number of steps, or with "diverges".',
        )
    if not isinstance(answer, list | tuple) or len(answer) != len(PREDICT_RATES):
        return not_yet(
            f"expected a list of {len(PREDICT_RATES)} entries, got {answer!r}.",
            "one entry per rate, in the order 0.05, 0.15, 0.21.",
        )
    lam_min, lam_max = eigenvalues(PREDICT_BOWL.hessian(PREDICT_THETA0))[[0, -1]]
    bound = 2 / lam_max
    expected = predicted_counts()
    for lr, got, want in zip(PREDICT_RATES, answer, expected, strict=True):
        flat, steep = 1 - lr * lam_min, 1 - lr * lam_max
        if want is None:
            if not _is_diverges(got):
                return not_yet(
                    f"η = {lr:g} diverges: it is above the edge 2/λ_max = {bound:g}, "
                    f"so the steep direction grows by |1 − ηλ_max| = {abs(steep):.3g} "
                    "per step.",
                    "first compare each η with 2/λ_max; only the rates below it "
                    "have a step count.",
                )
            continue
        if _is_diverges(got):
            return not_yet(
                f"η = {lr:g} does not diverge: it is below the edge 2/λ_max = "
                f"{bound:g}, so both factors |1 − ηλ| are below 1.",
                "a rate diverges only when some |1 − ηλ_i| is above 1.",
            )
        value = as_real(got)
        if value is None:
            return not_yet(
                f"for η = {lr:g} expected a number of steps, got {got!r}.",
                'give a whole number of steps, or "diverges".',
            )
        if abs(value / want - 1) <= PREDICT_RTOL:
            continue
        slips = [
            (
                _count(steep),
                "that is the pace of the steep direction, |1 − ηλ_max| = "
                f"{abs(steep):.3g}; the flat one, 1 − ηλ_min = {flat:.3g}, is slower "
                "and decides.",
            ),
            (
                _count(flat**2 if abs(flat) >= abs(steep) else steep**2),
                "that counts the steps for the loss, whose factor is the square; the "
                "question is about the distance.",
            ),
            (
                _count((lam_max / lam_min - 1) / (lam_max / lam_min + 1)),
                "that is the count at the best rate η*, (κ − 1)/(κ + 1) per step, "
                "not at this rate.",
            ),
        ]
        for wrong, message in slips:
            if wrong is not None and abs(value / wrong - 1) <= PREDICT_RTOL:
                return not_yet(
                    f"for η = {lr:g} you predicted {value:g} steps: {message}",
                    "the worst factor max(|1 − ηλ_min|, |1 − ηλ_max|) sets the pace; "
                    "k ≥ ln(10⁻⁶)/ln(worst factor).",
                )
        return not_yet(
            f"for η = {lr:g} you predicted {value:g} steps; the worst factor "
            f"{max(abs(flat), abs(steep)):.4g} needs {want}.",
            "find λ_min and λ_max, then the worst factor max(|1 − ηλ_min|, "
            "|1 − ηλ_max|), then k ≥ ln(10⁻⁶)/ln(worst factor).",
        )
    runs = ", ".join(
        f"η = {lr:g}: {measured_count(lr) if want is not None else 'diverged'}"
        for lr, want in zip(PREDICT_RATES, expected, strict=True)
    )
    return correct(
        f"predicted {expected[0]} and {expected[1]} steps, and η = "
        f"{PREDICT_RATES[2]:g} diverges. Runs of gd.descend from θ₀ = (1, 1) measure "
        f"{runs}: a little fewer than predicted, because the start's offset along "
        "the slow direction is only part of its distance; the prediction is the "
        "worst case over starts. Note that tripling η from 0.05 to 0.15 cut the "
        "steps about threefold: the flat direction's factor 1 − ηλ_min is what "
        "counts, as long as the steep one stays below it."
    )

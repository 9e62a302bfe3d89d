"""Reference solutions for notebook 02, gradient descent on a parabola.

Each function or value here passes its checker in ``gdcore.exercises.nb02``
(tests/test_exercises_nb02.py makes sure of it).
"""

import math

# One step from x₀ gives x₁ = x₀ − η·2x₀ = (1 − 2η)·x₀, which is 0 for every x₀
# exactly when 1 − 2η = 0, that is η = 1/2.
answer = 0.5


def steps_to_tolerance(lr, x0, tol):
    """The smallest k >= 0 with |x_k| = |1 − 2η|^k·|x₀| < tol, or math.inf."""
    if abs(x0) < tol:
        return 0  # x₀ is already close enough
    factor = abs(1 - 2 * lr)
    if factor >= 1:
        return math.inf  # |x_k| never shrinks
    if factor == 0:
        return 1  # η = 0.5: the first step lands on 0 (and log 0 does not exist)
    # factor^k·|x₀| < tol  ⇔  k > log(tol/|x₀|) / log(factor): the first whole
    # number above the ratio (the division by log(factor) < 0 flips the inequality).
    return math.floor(math.log(tol / abs(x0)) / math.log(factor)) + 1


# Exercise 3, f(x) = 3x²: f′(x) = 6x, so one step gives x ← (1 − 6η)·x. The size of
# 1 − 6η exceeds 1 for η = 0.4 (−1.4) and η = 0.5 (−2): those diverge; 0.25 gives
# −0.5, a zig-zag inwards. With η = 0.1 the factor is 0.4 and 0.4^k < 0.001 first
# at k = 8 (0.4^7 ≈ 0.0016, 0.4^8 ≈ 0.00066).
diverging = [0.4, 0.5]
steps_needed_3x2 = math.floor(math.log(1e-3) / math.log(0.4)) + 1

"""Reference solutions for notebook 01, regression by calculus.

Each function or value here passes its checker in ``gdcore.exercises.nb01``
(tests/test_exercises_nb01.py makes sure of it).
"""

import numpy as np

import gdcore as gd


def sse_of_line(w, b, x, y):
    """SSE = Σᵢ (ŷᵢ − yᵢ)² for the line ŷ = w·x + b, i = 1 … N."""
    y_hat = w * x + b
    err = y_hat - y
    return np.sum(err**2)


def solve_normal_equations(x, y):
    """Solve [[Σx², Σx], [Σx, N]] (w, b) = (Σxy, Σy) by Cramer's rule."""
    n = len(x)
    sx, sxx = np.sum(x), np.sum(x**2)
    sy, sxy = np.sum(y), np.sum(x * y)
    det = sxx * n - sx * sx
    w = (sxy * n - sx * sy) / det
    b = (sxx * sy - sx * sxy) / det
    return w, b


# ∂SSE/∂b = 2·Σ(w·xᵢ + b − yᵢ) at w = 1, b = 0 for x = (1, 2, 4), y = (2, 3, 7):
# the errors are (1 − 2, 2 − 3, 4 − 7) = (−1, −1, −3), so 2·(−5) = −10.
x, y = np.array([1.0, 2.0, 4.0]), np.array([2.0, 3.0, 7.0])
w, b = 1.0, 0.0
answer = 2 * np.sum(w * x + b - y)


# Exercise 4: with w held fixed only ∂SSE/∂b = 2·Σ(w·xᵢ + b − yᵢ) must vanish, so
# b = ȳ − x̄·w. At w = w* + 0.5 that is b* − x̄·0.5 = 1.32667 − 3.5·0.5 = −0.42333.
loads, lengths = gd.spring_lengths()
w_star, b_star = solve_normal_equations(loads, lengths)
best_b = np.mean(lengths) - np.mean(loads) * (w_star + 0.5)

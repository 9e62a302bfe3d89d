"""Reference solutions for notebook 05, batch sizes.

Each function here passes its checker in ``gdcore.exercises.nb05``
(tests/test_exercises_nb05.py makes sure of it).
"""

import numpy as np


def my_minibatches(n, batch_size, rng):
    """One epoch: shuffle 0 … n − 1 with rng, cut into slices of batch_size."""
    order = rng.permutation(n)
    return [order[start : start + batch_size] for start in range(0, n, batch_size)]


def gradient_variance(X, y, theta, batch_size, rng, n_draws=2000):
    """Average of ‖g_B − g‖² over n_draws batches drawn without replacement."""
    n = len(y)
    g = 2 * X.T @ (X @ theta - y) / n  # the full MSE gradient
    total = 0.0
    for _ in range(n_draws):
        idx = rng.choice(n, size=batch_size, replace=False)
        Xb, yb = X[idx], y[idx]
        g_B = 2 * Xb.T @ (Xb @ theta - yb) / batch_size
        total += np.sum((g_B - g) ** 2)
    return total / n_draws


# Exercise 3: the floor for B = 16 at η = 0.05. The batch noise has mean square
# σ*²/B (times (N − B)/(N − 1) ≈ 0.9985), so section 5's balance gives
# E‖δ‖² = η²(σ*²/B)/(1 − (1 − 2η)²) = ησ*²/(4B(1 − η)); with σ*² = 0.393 that is
# 0.05·0.393/(4·16·0.95) ≈ 3.23e-4.
sigma2_star = 0.393  # the notebook prints σ*² = 0.393 (at θ*)
lr, B = 0.05, 16
predicted_floor = lr * sigma2_star / (4 * B * (1 - lr))

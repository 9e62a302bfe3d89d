"""Reference solutions for notebook 06, momentum, RMSprop and Adam.

Each function or value here passes its checker in ``gdcore.exercises.nb06``
(tests/test_exercises_nb06.py makes sure of it).
"""

import numpy as np


def adam_step(theta, g, m, v, t, lr, beta1, beta2, eps):
    """One Adam update (Kingma & Ba 2015, Algorithm 1); t = 1 on the first update."""
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g**2
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
    return theta, m, v


# Adam's second step after g₁ = (2, 1, 100) and g₂ = (2, −1, 1), η = 0.01, by hand.
# After two updates from m = v = 0:
#   m = β₁(1 − β₁)g₁ + (1 − β₁)g₂ = 0.09·g₁ + 0.1·g₂ = (0.38, −0.01, 9.1)
#   v = β₂(1 − β₂)g₁² + (1 − β₂)g₂² = 0.000999·g₁² + 0.001·g₂²
#     = (0.007996, 0.001999, 9.991)
#   m̂ = m/(1 − 0.9²) = m/0.19 = (2, −0.05263, 47.89)
#   v̂ = v/(1 − 0.999²) = v/0.001999 = (4, 1, 4998.0)
# Δθ₂ = −η·m̂/√v̂ (ε = 1e-8 is negligible next to √v̂ ≥ 1):
lr = 0.01
m_hat = np.array([0.38, -0.01, 9.1]) / 0.19
v_hat = np.array([0.007996, 0.001999, 9.991]) / 0.001999
answer = -lr * m_hat / np.sqrt(v_hat)  # ≈ (−0.01, 0.000526, −0.00677)


# Exercise 3: η = 1/λ_max = 1/2500, λ_min = 1. Along λ_min the roots of
# z² − (1 + β − ηλ_min)z + β = 0 are complex once (1 + β − ηλ_min)² ≤ 4β, i.e.
# √β ≥ 1 − √(ηλ_min) = 1 − 1/50, so β = 0.98² = 0.9604: every direction then
# shrinks by √β = 0.98 per step (f − f* stays below 1e-6 from step 523, within the 600).
beta = (1 - (1 / 2500) ** 0.5) ** 2

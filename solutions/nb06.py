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


# The first Adam step for g = (0.5, −2000, 0.0003) and η = 0.01: after one step
# m̂ = g and v̂ = g², so Δθ = −η·g/(|g| + ε) ≈ −η·sign(g) in every coordinate.
g = np.array([0.5, -2000.0, 3e-4])
lr = 0.01
answer = -lr * np.sign(g)

"""Reference solutions for notebook 03, the house-price walkthrough.

Each function or value here passes its checker in ``gdcore.exercises.nb03``
(tests/test_exercises_nb03.py makes sure of it).
"""

import numpy as np

# The five houses: size in square feet, price in $1000s.
x = np.array([500.0, 1000.0, 1500.0, 2000.0, 2500.0])
y = np.array([150.0, 200.0, 250.0, 300.0, 350.0])


def one_step(w, b, lr):
    """One gradient-descent update of the line ŷ = w·x + b on the MSE."""
    n = len(x)
    y_hat = w * x + b
    err = y_hat - y
    dw = 2 / n * np.sum(err * x)  # ∂L/∂w = (2/N) Σ eᵢ·xᵢ
    db = 2 / n * np.sum(err)  # ∂L/∂b = (2/N) Σ eᵢ
    return w - lr * dw, b - lr * db  # both from the old (w, b): simultaneous


# The Hessian of L = (1/N) Σ (w·xᵢ + b − yᵢ)²: [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]
# = [[5.5e6, 3000], [3000, 2]], and 2/λ_max ≈ 3.64e-7.
H = np.array([[2 * np.mean(x**2), 2 * np.mean(x)], [2 * np.mean(x), 2.0]])
lam_max = np.linalg.eigvalsh(H)[-1]
lr_max = 2 / lam_max


# Exercise 3: the whole loop, on notebook 01's spring data.
def gradient_descent(x, y, lr, theta0, tol, max_steps):
    """Gradient descent on the MSE of ŷ = w·x + b: (final [w, b], list of losses)."""
    n = len(x)
    w, b = theta0
    losses = [np.mean((w * x + b - y) ** 2)]
    for _ in range(max_steps):
        err = w * x + b - y
        dw = 2 / n * np.sum(err * x)  # ∂L/∂w
        db = 2 / n * np.sum(err)  # ∂L/∂b
        if np.hypot(dw, db) < tol:  # the gradient is short enough: stop
            break
        w, b = w - lr * dw, b - lr * db
        losses.append(np.mean((w * x + b - y) ** 2))
    return np.array([w, b]), losses


# The MSE's Hessian for loads 1…6 is [[2·mean(x²), 2·mean(x)], [2·mean(x), 2]]
# = [[30.33, 7], [7, 2]]; λ_max ≈ 31.97, so 2/λ_max ≈ 0.0626. Take η = 1/λ_max:
# the steep direction is then fixed in one step and the run is as fast as the flat
# direction allows.
loads = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
H_spring = np.array(
    [[2 * np.mean(loads**2), 2 * np.mean(loads)], [2 * np.mean(loads), 2.0]]
)
lr_spring = 1 / np.linalg.eigvalsh(H_spring)[-1]

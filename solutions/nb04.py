"""Reference solutions for notebook 04, choosing the learning rate.

Each function or value here passes its checker in ``gdcore.exercises.nb04``
(tests/test_exercises_nb04.py makes sure of it).
"""

import numpy as np

from gdcore.exercises.nb04 import CHALLENGE_BOWL, CHALLENGE_THETA0


def optimal_lr_and_factor(H):
    """η* = 2/(λ_min + λ_max) and its factor per step (κ − 1)/(κ + 1)."""
    lams = np.linalg.eigvalsh(H)  # ascending
    lam_min, lam_max = lams[0], lams[-1]
    lr = 2 / (lam_min + lam_max)
    kappa = lam_max / lam_min
    factor = (kappa - 1) / (kappa + 1)
    return lr, factor


# The challenge: the best constant rate for the challenge bowl. Its Hessian is the
# same everywhere (a quadratic), so evaluating it at the start is enough. The bowl
# has curvatures 0.5 and 5: η* = 2/5.5 ≈ 0.364, factor 9/11 ≈ 0.818 per step, so
# the loss 3.21 shrinks by (9/11)^100 ≈ 1.9e-9 in 50 steps, to about 6e-9.
lr, _ = optimal_lr_and_factor(CHALLENGE_BOWL.hessian(CHALLENGE_THETA0))


# Predict, then run: PREDICT_BOWL has curvatures 0.5 and 10, so the edge is
# 2/10 = 0.2 and η = 0.21 diverges (|1 − 2.1| = 1.1). For the other two the flat
# direction is the slow one: 1 − 0.05·0.5 = 0.975 (steep: |1 − 0.5| = 0.5) and
# 1 − 0.15·0.5 = 0.925 (steep: |1 − 1.5| = 0.5). Steps to shrink by 10⁻⁶:
# ln(10⁻⁶)/ln(0.975) = 545.7 → 546 and ln(10⁻⁶)/ln(0.925) = 177.2 → 178.
prediction = [546, 178, "diverges"]

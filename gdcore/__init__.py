"""gdcore: the math behind an interactive course on gradient descent.

One concept per module; ``import gdcore as gd`` gives the public API:

- ``gd.losses``
- ``gd.least_squares``
- ``gd.numdiff``
- ``gd.objectives``
- ``gd.stability``
- ``gd.optimizers``
- ``gd.schedules``
- ``gd.batching``
- ``gd.datasets``
- ``gd.runs``
"""

from . import notation
from .losses import (
    predict,
    mse,
    mse_grad,
    half_mse,
    half_mse_grad,
    sse,
    sse_grad,
    mse_hessian,
    half_mse_hessian,
    sse_hessian,
    LOSSES,
    get_loss,
    design_matrix,
    line_mse,
    line_mse_grad,
    line_half_mse,
    line_half_mse_grad,
    line_sse,
    line_sse_grad,
)
from .least_squares import (
    normal_equations_line,
    fit_line,
    fit_least_squares,
)
from .numdiff import (
    forward_difference,
    central_difference,
    numerical_gradient,
    numerical_hessian,
)
from .objectives import (
    Objective,
    parabola,
    quadratic_bowl,
    rosenbrock,
    wavy_1d,
    wavy_2d,
    saddle,
    OBJECTIVES,
    get_objective,
)
from .stability import (
    eigenvalues,
    condition_number,
    max_stable_lr,
    optimal_lr,
    convergence_factor,
    classify_lr,
    step_factors,
    MONOTONE,
    OSCILLATING,
    PERIODIC,
    DIVERGING,
)
from .optimizers import (
    Optimizer,
    SGDState,
    MomentumState,
    NesterovState,
    AdaGradState,
    RMSpropState,
    AdamState,
    sgd,
    momentum,
    nesterov,
    adagrad,
    rmsprop,
    adam,
    OPTIMIZERS,
    get_optimizer,
)
from .schedules import (
    constant,
    step_decay,
    exponential,
    inverse_time,
    cosine,
    SCHEDULES,
    get_schedule,
)
from .batching import (
    minibatches,
    n_batches,
)
from .datasets import (
    house_prices,
    HOUSE_W0,
    HOUSE_B0,
    synthetic_houses,
    standardize,
    unstandardize_line,
)
from .runs import (
    History,
    descend,
    fit_linear_regression,
)

__all__ = [
    "notation",
    "predict",
    "mse",
    "mse_grad",
    "half_mse",
    "half_mse_grad",
    "sse",
    "sse_grad",
    "mse_hessian",
    "half_mse_hessian",
    "sse_hessian",
    "LOSSES",
    "get_loss",
    "design_matrix",
    "line_mse",
    "line_mse_grad",
    "line_half_mse",
    "line_half_mse_grad",
    "line_sse",
    "line_sse_grad",
    "normal_equations_line",
    "fit_line",
    "fit_least_squares",
    "forward_difference",
    "central_difference",
    "numerical_gradient",
    "numerical_hessian",
    "Objective",
    "parabola",
    "quadratic_bowl",
    "rosenbrock",
    "wavy_1d",
    "wavy_2d",
    "saddle",
    "OBJECTIVES",
    "get_objective",
    "eigenvalues",
    "condition_number",
    "max_stable_lr",
    "optimal_lr",
    "convergence_factor",
    "classify_lr",
    "step_factors",
    "MONOTONE",
    "OSCILLATING",
    "PERIODIC",
    "DIVERGING",
    "Optimizer",
    "SGDState",
    "MomentumState",
    "NesterovState",
    "AdaGradState",
    "RMSpropState",
    "AdamState",
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "OPTIMIZERS",
    "get_optimizer",
    "constant",
    "step_decay",
    "exponential",
    "inverse_time",
    "cosine",
    "SCHEDULES",
    "get_schedule",
    "minibatches",
    "n_batches",
    "house_prices",
    "HOUSE_W0",
    "HOUSE_B0",
    "synthetic_houses",
    "standardize",
    "unstandardize_line",
    "History",
    "descend",
    "fit_linear_regression",
]

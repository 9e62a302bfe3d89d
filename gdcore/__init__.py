"""gdcore: the math behind an interactive course on gradient descent.

One concept per module; ``import gdcore as gd`` gives the public API:

- ``gd.losses``
- ``gd.least_squares``
- ``gd.numdiff``
- ``gd.objectives``
- ``gd.stability``
- ``gd.optimizers``
- ``gd.schedules``
- ``gd.clipping``
- ``gd.meta``
- ``gd.batching``
- ``gd.datasets``
- ``gd.runs``
- ``gd.precision``
- ``gd.nn``
- ``gd.training``
"""

from . import meta, notation
from .batching import (
    minibatches,
    n_batches,
)
from .clipping import clip_by_norm, clipped
from .datasets import (
    HOUSE_B0,
    HOUSE_W0,
    house_prices,
    spiral,
    spring_lengths,
    standardize,
    synthetic_houses,
    two_moons,
    unstandardize_line,
)
from .least_squares import (
    fit_least_squares,
    fit_line,
    normal_equations_line,
)
from .losses import (
    LOSSES,
    design_matrix,
    get_loss,
    half_mse,
    half_mse_grad,
    half_mse_hessian,
    line_half_mse,
    line_half_mse_grad,
    line_mse,
    line_mse_grad,
    line_sse,
    line_sse_grad,
    mse,
    mse_grad,
    mse_hessian,
    predict,
    sse,
    sse_grad,
    sse_hessian,
)
from .nn import MLP
from .numdiff import (
    central_difference,
    forward_difference,
    numerical_gradient,
    numerical_hessian,
)
from .objectives import (
    OBJECTIVES,
    Objective,
    get_objective,
    parabola,
    quadratic_bowl,
    rosenbrock,
    saddle,
    wavy_1d,
    wavy_2d,
)
from .optimizers import (
    OPTIMIZERS,
    AdaGradState,
    AdamState,
    AdamWState,
    MomentumState,
    NesterovState,
    Optimizer,
    RMSpropState,
    SGDHDState,
    SGDState,
    adagrad,
    adam,
    adamw,
    get_optimizer,
    momentum,
    nesterov,
    rmsprop,
    sgd,
    sgd_hd,
)
from .precision import (
    format_gap,
    is_machine_zero,
)
from .runs import (
    History,
    Paths,
    descend,
    descend_paths,
    fit_linear_regression,
    run_paths,
)
from .schedules import (
    SCHEDULES,
    constant,
    cosine,
    exponential,
    get_schedule,
    inverse_time,
    step_decay,
    warmup_cosine,
)
from .stability import (
    DIVERGING,
    MONOTONE,
    OSCILLATING,
    PERIODIC,
    classify_lr,
    condition_number,
    convergence_factor,
    eigenvalues,
    max_stable_lr,
    optimal_lr,
    step_factors,
)
from .training import TrainRun, train

__all__ = [
    "DIVERGING",
    "HOUSE_B0",
    "HOUSE_W0",
    "LOSSES",
    "MLP",
    "MONOTONE",
    "OBJECTIVES",
    "OPTIMIZERS",
    "OSCILLATING",
    "PERIODIC",
    "SCHEDULES",
    "AdaGradState",
    "AdamState",
    "AdamWState",
    "History",
    "MomentumState",
    "NesterovState",
    "Objective",
    "Optimizer",
    "Paths",
    "RMSpropState",
    "SGDHDState",
    "SGDState",
    "TrainRun",
    "adagrad",
    "adam",
    "adamw",
    "central_difference",
    "classify_lr",
    "clip_by_norm",
    "clipped",
    "condition_number",
    "constant",
    "convergence_factor",
    "cosine",
    "descend",
    "descend_paths",
    "design_matrix",
    "eigenvalues",
    "exponential",
    "fit_least_squares",
    "fit_line",
    "fit_linear_regression",
    "format_gap",
    "forward_difference",
    "get_loss",
    "get_objective",
    "get_optimizer",
    "get_schedule",
    "half_mse",
    "half_mse_grad",
    "half_mse_hessian",
    "house_prices",
    "inverse_time",
    "is_machine_zero",
    "line_half_mse",
    "line_half_mse_grad",
    "line_mse",
    "line_mse_grad",
    "line_sse",
    "line_sse_grad",
    "max_stable_lr",
    "meta",
    "minibatches",
    "momentum",
    "mse",
    "mse_grad",
    "mse_hessian",
    "n_batches",
    "nesterov",
    "normal_equations_line",
    "notation",
    "numerical_gradient",
    "numerical_hessian",
    "optimal_lr",
    "parabola",
    "predict",
    "quadratic_bowl",
    "rmsprop",
    "rosenbrock",
    "run_paths",
    "saddle",
    "sgd",
    "sgd_hd",
    "spiral",
    "spring_lengths",
    "sse",
    "sse_grad",
    "sse_hessian",
    "standardize",
    "step_decay",
    "step_factors",
    "synthetic_houses",
    "train",
    "two_moons",
    "unstandardize_line",
    "warmup_cosine",
    "wavy_1d",
    "wavy_2d",
]

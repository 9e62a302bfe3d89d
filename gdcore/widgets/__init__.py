"""Interactive explorers (ipywidgets + matplotlib) for the course notebooks.

Import them from here; this package imports ipywidgets, so ``import gdcore``
alone does not::

    from gdcore.widgets import LearningRateExplorer
    LearningRateExplorer("parabola")

Every explorer follows the small contract of :class:`Explorer` (see ``_base``)
and lives in a module of its own.
"""

from ._base import Explorer
from .batch_size import BatchSizeExplorer
from .clipping import ClippingExplorer
from .conditioning import ConditioningExplorer
from .house import HouseStepper
from .learning_rate import LearningRateExplorer
from .momentum_family import MomentumFamilyExplorer
from .network import NetworkExplorer
from .one_step import OneStepExplorer
from .optimizers import OptimizerExplorer
from .residuals import ResidualExplorer
from .start_point import StartPointExplorer

__all__ = [
    "BatchSizeExplorer",
    "ClippingExplorer",
    "ConditioningExplorer",
    "Explorer",
    "HouseStepper",
    "LearningRateExplorer",
    "MomentumFamilyExplorer",
    "NetworkExplorer",
    "OneStepExplorer",
    "OptimizerExplorer",
    "ResidualExplorer",
    "StartPointExplorer",
]

"""Interactive explorers (ipywidgets + matplotlib) for the course notebooks.

Import them from here; this package imports ipywidgets, so ``import gdcore``
alone does not::

    from gdcore.widgets import LearningRateExplorer
    LearningRateExplorer("parabola")

Every explorer follows the small contract of :class:`Explorer` (see ``_base``).
Each explorer lives in a module of its own and is imported when first used.
"""

from importlib import import_module

from ._base import (
    Explorer,
    draw_whole,
    is_live_backend,
    message_artist,
    new_figure,
    show_message,
)

# explorer name -> the module that defines it (imported on first use)
_EXPLORERS = {
    "LearningRateExplorer": "learning_rate",
    "StartPointExplorer": "start_point",
    "HouseStepper": "house",
    "ConditioningExplorer": "conditioning",
    "BatchSizeExplorer": "batch_size",
    "OptimizerExplorer": "optimizers",
    "NetworkExplorer": "network",
}


def __getattr__(name: str):
    if name in _EXPLORERS:
        return getattr(import_module(f".{_EXPLORERS[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Explorer",
    "draw_whole",
    "is_live_backend",
    "message_artist",
    "new_figure",
    "show_message",
    *_EXPLORERS,
]

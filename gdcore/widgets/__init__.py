"""Interactive explorers (ipywidgets + matplotlib) for the course notebooks.

Import them from here; this package imports ipywidgets, so ``import gdcore``
alone does not::

    from gdcore.widgets import LearningRateExplorer
    LearningRateExplorer("parabola")

Every explorer follows the small contract of :class:`Explorer` (see ``_base``).
"""

from ._base import Explorer, is_live_backend, message_artist, new_figure, show_message
from .learning_rate import LearningRateExplorer

__all__ = [
    "Explorer",
    "LearningRateExplorer",
    "is_live_backend",
    "message_artist",
    "new_figure",
    "show_message",
]

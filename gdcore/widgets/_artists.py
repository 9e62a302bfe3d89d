"""Artists the explorers share: a message box on the figure, a swap of artist sets."""

from __future__ import annotations

from collections.abc import Iterable

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text

from ..plotting import OKABE_ITO


def message_artist(where: Axes | Figure) -> Text:
    """A hidden text box in the middle of an axes (or a figure) for messages.

    Show or hide it with :func:`show_message`; it is how an explorer reports
    divergence: on the figure, never as an exception or a warning.
    """
    return where.text(
        0.5,
        0.55,
        "",
        transform=where.transAxes if isinstance(where, Axes) else where.transFigure,
        ha="center",
        va="center",
        fontsize="medium",
        zorder=10,
        visible=False,
        bbox={
            "boxstyle": "round,pad=0.6",
            "fc": "white",
            "ec": OKABE_ITO["vermillion"],
            "lw": 1.5,
        },
    )


def show_message(artist: Text, message: str | None) -> None:
    """Show ``message`` in a :func:`message_artist`, or hide it when None/empty."""
    artist.set_text(message or "")
    artist.set_visible(bool(message))


class Swap(Artist):
    """Draws the artists a control chose, among sets made once (contours per κ).

    Every set is animated, so a full render leaves it out of the cached
    background, and hidden but the one shown, which ``savefig`` (it draws
    animated artists too) then draws alone. An explorer lists the Swap among its
    animated artists; :meth:`show` picks the set it draws.
    """

    def __init__(self, zorder: float = 0.5) -> None:
        super().__init__()
        self.artists: tuple[Artist, ...] = ()
        self.set_zorder(zorder)

    def show(self, artists: Iterable[Artist]) -> None:
        for artist in self.artists:
            artist.set_visible(False)
        self.artists = tuple(artists)
        for artist in self.artists:
            artist.set_animated(True)
            artist.set_visible(True)

    def draw(self, renderer) -> None:
        for artist in self.artists:
            artist.draw(renderer)

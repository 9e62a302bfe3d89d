"""Putting back pixels instead of drawing again: contour sets and titles.

An explorer redraws its moving artists over a cached background on every move.
Some of them often leave exactly the pixels they left before: the contour bands
until κ (or the objective) changes, and a title whose text comes back (a drag
over a slider and back). Rendering is deterministic, so those pixels can be
copied back from the earlier draw. A :class:`Stamp` does that, and checks first
that the pixels under the artist are exactly what they were: if anything
differs, it draws.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from typing import Any

import numpy as np
from matplotlib.artist import Artist
from matplotlib.transforms import Bbox


class Stamp:
    """Puts back what an earlier draw of an artist left, instead of drawing it.

    Rendering is deterministic: the same artist (same ``key``) drawn over the
    same pixels leaves the same pixels. So when the artist's box (its extent and
    a margin) holds exactly what it held before an earlier draw, writing back
    the pixels that draw changed (a fraction of a millisecond) gives the picture
    that drawing again (a few ms for a contour set or a line of text) would.
    The last ``size`` draws are kept: the box before, and the pixels changed.
    """

    MARGIN = 4  # pixels around the extent: antialiasing, glyph overhangs

    def __init__(self, size: int = 1) -> None:
        self.size = size
        self._draws: OrderedDict[tuple, tuple] = OrderedDict()

    def draw(self, renderer, key, bbox, draw) -> None:
        pixels = np.asarray(renderer.buffer_rgba())
        height, width = pixels.shape[:2]
        top = max(height - math.ceil(bbox.y1) - self.MARGIN, 0)
        bottom = min(height - math.floor(bbox.y0) + self.MARGIN, height)
        left = max(math.floor(bbox.x0) - self.MARGIN, 0)
        right = min(math.ceil(bbox.x1) + self.MARGIN, width)
        here = pixels[top:bottom, left:right]  # a view: writing to it draws
        entry = (key, top, bottom, left, right)
        found = self._draws.get(entry)
        if found is not None and np.array_equal(here, found[0]):
            _, rows, columns, values = found
            here[rows, columns] = values
            self._draws.move_to_end(entry)
            return
        before = here.copy()
        draw(renderer)
        changed = np.nonzero(np.any(here != before, axis=-1))
        rows, columns = (index.astype(np.uint16) for index in changed)
        last = next(reversed(self._draws.values()), None)
        if last is not None and np.array_equal(last[0], before):
            before = last[0]  # the same background: keep it once
        self._draws[entry] = (before, rows, columns, here[rows, columns])
        while len(self._draws) > self.size:
            self._draws.popitem(last=False)


class StampedTitle(Artist):
    """Draws a figure title through a :class:`Stamp`: once per text, then copied.

    It stands for the title among the animated artists (and passes ``animated``
    on, so that ``savefig`` draws the title itself). A title is alone on its rows
    of pixels: its box spans the figure's width, so that what it is drawn over is
    the same for every text (and kept once). Enough texts are kept for a drag
    over a whole slider and back.
    """

    def __init__(self, title, size: int = 128) -> None:
        super().__init__()
        self.title = title
        self.set_zorder(title.get_zorder())
        self._stamp = Stamp(size)

    def set_animated(self, b: bool) -> None:
        super().set_animated(b)
        self.title.set_animated(b)

    def draw(self, renderer) -> None:
        if self.title.get_visible():
            extent = self.title.get_window_extent(renderer)
            box = Bbox.from_extents(0, extent.y0, renderer.width, extent.y1)
            self._stamp.draw(renderer, self.title.get_text(), box, self.title.draw)


class Bands(Artist):
    """Draws the shown contour set of an explorer that swaps them (κ, objective).

    Every cached set stays out of full renders: the sets are animated (a full
    render skips them, so the cached background holds the empty axes) and only
    the shown one is visible (``savefig``, which draws animated artists too,
    shows exactly that one). Drawn first on the background, they leave the same
    pixels until another set is shown: a :class:`Stamp` puts those back instead
    of drawing them again.
    """

    def __init__(self, ax) -> None:
        super().__init__()
        self.ax = ax
        self.artists: tuple[Any, ...] = ()
        self.set_zorder(0.5)
        self._stamp = Stamp()

    def show(self, artists) -> tuple[Any, ...]:
        for artist in self.artists:
            artist.set_visible(False)
        for artist in artists:
            artist.set_animated(True)
            artist.set_visible(True)
            if hasattr(artist, "set_antialiased"):
                artist.set_antialiased(False)  # hard edges: fewer bytes per move
        self.artists = tuple(artists)
        return self.artists

    def draw(self, renderer) -> None:
        self._stamp.draw(renderer, self.artists, self.ax.bbox, self._draw)

    def _draw(self, renderer) -> None:
        for artist in self.artists:
            artist.draw(renderer)

"""The contract every explorer follows.

An explorer is a figure plus a few ipywidgets controls. A subclass

1. calls ``super().__init__()``, which makes ``self.fig``;
2. draws everything once on ``self.fig`` (with :mod:`gdcore.plotting`);
3. calls ``self._setup(controls, extras=..., animated=...)``: ``controls`` maps a
   name to a widget, ``extras`` are more widgets shown under the controls (a
   label...), ``animated`` lists the artists that ``update()`` changes;
4. implements ``update()``: read ``self.controls[name].value`` and move the
   animated artists in place (``set_data``, ``set_text``...; no new artists, no
   ``ax.clear()``, no draw calls). If it must change anything else (limits,
   static artists) it calls ``self.invalidate()`` to force a full redraw.
   With no ``animated`` artists every move redraws the whole figure (simple,
   but slow with contours);
5. implements ``summary()``: one deterministic line describing the state.

The base class does the rest. The static part of the figure (axes, ticks,
contours) is rendered once and cached; after each control change only the
animated artists are drawn on top of it (matplotlib blitting), which keeps a
slider move to a few milliseconds. Under ipympl (``%matplotlib widget``) the
figure's canvas is itself a widget and ipympl sends only the changed pixels (a
"diff" frame); after a quick burst of moves, once the controls rest, the
explorer asks for one whole frame (see :meth:`Explorer.send_whole`). Under any
other backend (inline, Agg) the composed picture goes to an
``ipywidgets.Image`` as PNG. Tests drive an explorer with ``set(name=value)``,
which goes through the same observers as a user dragging a slider.

In a notebook, an explorer is shown by making it the last expression of a cell.
Its ``_repr_mimebundle_`` returns the live widget view, a text/plain summary and
a PNG of the current figure: a saved notebook whose widget state is stripped
still shows a static picture of the default state.
"""

from __future__ import annotations

import asyncio
import base64
import io
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from typing import Any

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.text import Text
from PIL import Image

from ..plotting import DPI, FIGSIZE

REST_S = 0.25  # frames closer than this form a burst; still this long: at rest
MAX_CACHED = 4096  # entries of an explorer's cache (then it starts afresh)


def is_live_backend() -> bool:
    """True under ipympl (``%matplotlib widget``), whose canvas is a widget."""
    backend = matplotlib.get_backend().lower()
    return "ipympl" in backend or backend == "widget"


def new_figure(figsize: tuple[float, float] = FIGSIZE, dpi: int = DPI) -> Figure:
    """A figure that never auto-displays.

    Under ipympl it is made through pyplot (its canvas must be an ipympl Canvas)
    inside ``plt.ioff()``; otherwise it is a bare Figure on an Agg canvas, which
    pyplot does not track, so the inline backend will not show it a second time.
    """
    if is_live_backend():
        with plt.ioff(), warnings.catch_warnings():
            # ipympl 0.10's toolbar passes matplotlib's arguments on to traitlets,
            # which calls that deprecated; harmless, and not the user's concern.
            warnings.filterwarnings(
                "ignore", "Passing unrecognized arguments", DeprecationWarning
            )
            fig = plt.figure(figsize=figsize, dpi=dpi, layout="constrained")
        canvas = fig.canvas
        canvas.header_visible = False
        canvas.footer_visible = False
        canvas.toolbar_visible = False
        canvas.resizable = False
        return fig
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return repr(value)


class Explorer:
    """Base class of the interactive explorers (see the module docstring).

    Attributes
    ----------
    controls : dict name → ipywidget, in display order
    fig : the matplotlib Figure, built once and updated in place
    widget : the ipywidgets box to display (controls, extras, figure)
    live : True when the figure is an ipympl canvas widget
    """

    def __init__(self, *, figsize: tuple[float, float] = FIGSIZE, dpi: int = DPI):
        self.fig = new_figure(figsize, dpi)
        self.live = isinstance(self.fig.canvas, widgets.DOMWidget)
        self._dpi = dpi
        self.controls: dict[str, widgets.ValueWidget] = {}
        self.widget: widgets.Box | None = None
        self._image: widgets.Image | None = None
        self._holding = False
        self._pending = False
        self._animated: list[Artist] = []
        self._background: Any = None
        self._cache: dict[Hashable, Any] = {}
        self._last_frame = -float("inf")  # time.monotonic() of the last frame sent
        self._rest: asyncio.TimerHandle | None = None  # the whole frame planned
        self._closed = False

    # -- to implement in a subclass ------------------------------------------

    def update(self) -> None:
        """Move the artists to match the controls. Must not raise on any value."""
        raise NotImplementedError

    def summary(self) -> str:
        """One deterministic line saying what the figure shows now."""
        return ""

    # -- wiring ---------------------------------------------------------------

    def _setup(
        self,
        controls: Mapping[str, widgets.ValueWidget],
        extras: Iterable[widgets.Widget] = (),
        animated: Iterable[Artist] = (),
    ) -> None:
        """Observe ``controls``, build :attr:`widget` and draw the first state."""
        self.controls = dict(controls)
        self._animated = sorted(animated, key=lambda artist: artist.get_zorder())
        for artist in self._animated:
            artist.set_animated(True)
            if not isinstance(artist, Text) and hasattr(artist, "set_antialiased"):
                # Hard-edged moving lines and markers compress to a few kB per
                # move; anti-aliased ones send two to three times the bytes.
                artist.set_antialiased(False)
        self.fig.canvas.mpl_connect("draw_event", self._on_draw)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        if self.live:
            view: widgets.Widget = self.fig.canvas
            # ipympl sizes its canvas only when the canvas itself is displayed;
            # inside a box it would stay 0 × 0 until the page asks, so say it now.
            width, height = self.fig.get_size_inches() * self.fig.dpi
            view._size = (width, height)
        else:
            self._image = widgets.Image(format="png")
            view = self._image
        self.widget = widgets.VBox(
            [widgets.HBox(list(self.controls.values())), *extras, view]
        )
        self.refresh()

    def _on_change(self, change: Mapping[str, Any]) -> None:
        if self._holding:
            self._pending = True
        else:
            self.refresh()

    def refresh(self) -> None:
        """Run :meth:`update` and show the result (in place, or as a new PNG)."""
        self.update()
        canvas = self.fig.canvas
        if self._background is None or not self._animated:
            canvas.draw()  # full render (ipympl sends it); _on_draw caches it
        else:
            canvas.restore_region(self._background)
            self._draw_animated()
            if self.live:
                canvas.blit(self.fig.bbox)  # ipympl sends the changed pixels
        if self.live:
            self._plan_whole_frame()
        elif self._image is not None:
            self._image.value = self._buffer_png()

    # -- whole frames at rest (ipympl) ------------------------------------------

    def _plan_whole_frame(self) -> None:
        """After a frame that came quickly after another, plan one whole frame.

        ipympl sends a "diff" frame (the pixels that changed) and the browser
        paints it over the picture it has; a frame that arrives while the one
        before is still being decoded replaces it unseen, so after a quick burst
        of moves the picture can lack a lost frame's pixels (matplotlib issue
        19116). One whole frame once the controls have rested for ``REST_S``
        mends that; a single move, whose frame has long been decoded by the
        next one, sends only its diff. It needs the kernel's event loop and a
        browser showing the canvas; without them (a script, nbconvert, a test)
        nothing is planned.
        """
        now = time.monotonic()
        burst = now - self._last_frame < REST_S or self._rest is not None
        self._last_frame = now
        if not burst or self.fig.canvas.syncing_data_url:
            return  # a single move, or no browser has shown the canvas yet
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop: no browser to send to
            return
        if self._rest is not None:
            self._rest.cancel()
        self._rest = loop.call_later(REST_S, self.send_whole)

    def send_whole(self) -> None:
        """Send the whole picture as it is now, as one frame (ipympl only).

        The flag below is the one private name the explorers use: matplotlib's
        web canvas sets it itself when the browser asks for a fresh picture,
        and ``blit()`` then sends the current pixels without drawing again.
        """
        self._rest = None
        if self.live and not self._closed:
            self.fig.canvas._force_full = True  # matplotlib issue 19116, see above
            self.fig.canvas.blit()

    def invalidate(self) -> None:
        """Forget the cached background: the next refresh renders everything."""
        self._background = None

    def _on_draw(self, event: Any) -> None:
        """After every full render: cache it as the background, add the animated."""
        if self.fig.canvas.is_saving():  # savefig drew the animated artists too
            self._background = None
            return
        self._background = self.fig.canvas.copy_from_bbox(self.fig.bbox)
        self._draw_animated()
        # The first render fixed the layout; keep it, so that the same settings
        # always draw the same pixels whatever the moves that led to them.
        if not isinstance(self.fig.get_layout_engine(), PlaceHolderLayoutEngine):
            self.fig.set_layout_engine("none")

    def _draw_animated(self) -> None:
        for artist in self._animated:
            self.fig.draw_artist(artist)

    def _buffer_png(self) -> bytes:
        """The canvas's current pixels as PNG (opaque RGB, quick compression)."""
        buffer = io.BytesIO()
        Image.fromarray(self.picture()[..., :3]).save(
            buffer, format="png", compress_level=3
        )
        return buffer.getvalue()

    def picture(self) -> np.ndarray:
        """The picture on show now, as an (H, W, 4) RGBA array (a copy).

        What the canvas holds after the last refresh: the ipympl canvas's
        pixels, or what the ``Image`` widget shows under any other backend.
        """
        return np.array(self.fig.canvas.buffer_rgba())

    def cached(
        self, key: Hashable, compute: Callable[[], Any], *, also: Iterable = ()
    ) -> Any:
        """``compute()``, made once per ``key``: runs, contour sets, levels.

        The one cache of an explorer (at most ``MAX_CACHED`` entries, then it
        starts afresh). A key holds every value the result depends on. A result
        that answers other keys too (a batch of runs) is stored under ``also``
        as well, and found under any of them.
        """
        keys = (key, *also)
        for k in keys:
            if k in self._cache:
                return self._cache[k]
        if len(self._cache) >= MAX_CACHED:
            self._cache.clear()
        value = compute()
        for k in keys:
            self._cache[k] = value
        return value

    @contextmanager
    def _batch(self) -> Iterator[None]:
        self._holding, self._pending = True, False
        try:
            yield
        finally:
            self._holding = False
        if self._pending:
            self.refresh()

    def _hold(self):
        """Batch several control changes into one refresh (nested: one batch)."""
        return nullcontext() if self._holding else self._batch()

    def set(self, **values: Any) -> Explorer:
        """Set controls by name, as if the user had moved them; one refresh.

        Raises ValueError for an unknown name, a value outside a slider's range
        (ipywidgets would clamp it silently) or not among a selection's choices.
        """
        for name, value in values.items():
            if name not in self.controls:
                known = ", ".join(repr(n) for n in self.controls)
                raise ValueError(f"unknown control {name!r}; controls are {known}")
            control = self.controls[name]
            lo, hi = _bounds(control)
            if lo is not None and not lo <= value <= hi:
                raise ValueError(f"{name} must be in [{lo:.4g}, {hi:.4g}], got {value}")
            choices = _choices(control)
            if choices is not None and value not in choices:
                raise ValueError(
                    f"{name} must be one of the {len(choices)} choices from "
                    f"{choices[0]!r} to {choices[-1]!r}, got {value!r}"
                )
        with self._hold():
            for name, value in values.items():
                self.controls[name].value = value
        return self

    @property
    def values(self) -> dict[str, Any]:
        """Current value of every control."""
        return {name: c.value for name, c in self.controls.items()}

    # -- display ----------------------------------------------------------------

    def to_png(self) -> bytes:
        """The current figure as PNG bytes (fixed dpi, no version metadata).

        A full render, independent of the blitting cache (savefig would skip
        animated figure-level artists such as a suptitle, so they are switched
        back to normal artists while it runs).
        """
        buffer = io.BytesIO()
        for artist in self._animated:
            artist.set_animated(False)
        try:
            self.fig.savefig(
                buffer, format="png", dpi=self._dpi, metadata={"Software": None}
            )
        finally:
            for artist in self._animated:
                artist.set_animated(True)
        return buffer.getvalue()

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={_format(v)}" for k, v in self.values.items())
        text = f"{type(self).__name__}({args})"
        summary = self.summary()
        return f"{text}\n{summary}" if summary else text

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/plain"] = repr(self)
        bundle["image/png"] = base64.b64encode(self.to_png()).decode("ascii")
        return bundle

    def close(self) -> None:
        """Stop observing the controls and release the figure (safe to repeat)."""
        if self._closed:
            return
        self._closed = True
        if self._rest is not None:
            self._rest.cancel()
        for control in self.controls.values():
            control.unobserve(self._on_change, names="value")
        plt.close(self.fig)


def _bounds(control: widgets.Widget) -> tuple[Any, Any]:
    """(min, max) of a slider in value units, or (None, None) for other widgets."""
    if isinstance(control, widgets.FloatLogSlider):
        return control.base**control.min, control.base**control.max
    if hasattr(control, "min") and hasattr(control, "max"):
        return control.min, control.max
    return None, None


def _choices(control: widgets.Widget) -> list | None:
    """The values a dropdown or selection slider offers (None for other widgets)."""
    options = getattr(control, "options", None)
    if options is None:
        return None
    return [o[1] if isinstance(o, tuple) else o for o in options]

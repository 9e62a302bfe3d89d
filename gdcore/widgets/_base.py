"""The contract every explorer follows.

An explorer is a figure plus a few ipywidgets controls. A subclass

1. calls ``super().__init__()``, which makes ``self.fig``, and draws everything
   on it once (with :mod:`gdcore.plotting`);
2. calls ``self._setup(controls, extras=..., animated=...)``: ``controls`` maps
   a name to a widget, ``extras`` are widgets shown under them (a label...),
   ``animated`` lists the artists that ``update()`` changes;
3. implements ``update()``: read ``self.controls[name].value`` and move the
   animated artists in place (``set_data``, ``set_text``; no new artists, no
   ``ax.clear()``). Anything else it changes (limits, static artists) needs
   ``self.invalidate()``, which makes the next refresh render everything;
4. implements ``summary()``: one deterministic line describing the state.

The static part of the figure (axes, ticks, contours) is rendered once and
cached; a control change draws only the animated artists on top of it
(matplotlib blitting). Under ipympl (``%matplotlib widget``) the canvas is a
widget and ipympl sends the changed pixels; under any other backend the picture
goes to an ``ipywidgets.Image``. Tests drive an explorer with ``set(name=value)``,
through the same observers as a dragged slider. As the last expression of a
cell, an explorer shows the live widget, a text summary and a PNG (what a saved
notebook without widget state still shows).
"""

from __future__ import annotations

import asyncio
import base64
import io
import time
import warnings
from collections.abc import Callable, Hashable, Iterable, Mapping
from contextlib import contextmanager
from typing import Any

import ipywidgets as widgets
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from PIL import Image

from ..plotting import DPI, FIGSIZE

REST_S = 0.25  # frames closer than this form a burst; still this long: at rest


def is_live_backend() -> bool:
    """True under ipympl (``%matplotlib widget``), whose canvas is a widget."""
    backend = matplotlib.get_backend().lower()
    return "ipympl" in backend or backend == "widget"


def new_figure(figsize: tuple[float, float] = FIGSIZE, dpi: int = DPI) -> Figure:
    """A figure that never auto-displays: an ipympl canvas made inside
    ``plt.ioff()``, or else a bare Figure on Agg that pyplot does not track."""
    if not is_live_backend():
        fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(fig)
        return fig
    with plt.ioff(), warnings.catch_warnings():
        # ipympl 0.10's toolbar passes matplotlib's arguments on to traitlets,
        # which calls that deprecated; harmless, and not the user's concern.
        warnings.filterwarnings("ignore", "Passing unrecognized", DeprecationWarning)
        fig = plt.figure(figsize=figsize, dpi=dpi, layout="constrained")
    canvas = fig.canvas
    canvas.header_visible = canvas.footer_visible = canvas.toolbar_visible = False
    canvas.resizable = False
    return fig


class Explorer:
    """Base class of the interactive explorers (see the module docstring).

    Attributes
    ----------
    controls : dict name → ipywidget, in display order
    fig : the matplotlib Figure, built once and updated in place
    widget : the ipywidgets box to display (controls, extras, figure)
    live : True when the figure is an ipympl canvas widget
    """

    max_cached = 4096  # entries of the cache (then it starts afresh); see cached()

    def __init__(self, *, figsize: tuple[float, float] = FIGSIZE, dpi: int = DPI):
        self.fig = new_figure(figsize, dpi)
        self.live = isinstance(self.fig.canvas, widgets.DOMWidget)
        self._dpi = dpi
        self.controls: dict[str, widgets.ValueWidget] = {}
        self.widget: widgets.Box | None = None
        self._image = None if self.live else widgets.Image(format="png")
        self._holding = self._pending = self._closed = False
        self._animated: list[Artist] = []
        self._background: Any = None
        self._cache: dict[Hashable, Any] = {}
        self._last_frame = -float("inf")  # time.monotonic() of the last frame sent
        self._rest: asyncio.TimerHandle | None = None  # the whole frame planned

    def update(self) -> None:
        """Move the artists to match the controls. Must not raise on any value."""
        raise NotImplementedError

    def summary(self) -> str:
        """One deterministic line saying what the figure shows now."""
        return ""

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
        view = self.fig.canvas if self.live else self._image
        if self.live:
            # ipympl sizes its canvas only when the canvas itself is displayed;
            # inside a box it would stay 0 × 0 until the page asks, so say it now.
            view._size = tuple(self.fig.get_size_inches() * self.fig.dpi)
        controls_row = widgets.HBox(list(self.controls.values()))
        self.widget = widgets.VBox([controls_row, *extras, view])
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
        else:
            buffer = io.BytesIO()
            rgb = Image.fromarray(self.picture()[..., :3])
            rgb.save(buffer, format="png", compress_level=3)
            self._image.value = buffer.getvalue()

    def _plan_whole_frame(self) -> None:
        """After a frame that came quickly after another, plan one whole frame.

        ipympl sends a "diff" frame (the pixels that changed) and the browser
        paints it over the picture it has; a frame that arrives while the one
        before is still being decoded replaces it unseen, so after a quick burst
        the picture can lack a lost frame's pixels (matplotlib issue 19116). One
        whole frame once the controls have rested for ``REST_S`` mends that. It
        needs the kernel's event loop and a browser showing the canvas; without
        them (a script, nbconvert, a test) nothing is planned.
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
        self.fig.set_layout_engine("none")

    def _draw_animated(self) -> None:
        for artist in self._animated:
            self.fig.draw_artist(artist)

    def picture(self) -> np.ndarray:
        """The picture on show now, as an (H, W, 4) RGBA array (a copy)."""
        return np.array(self.fig.canvas.buffer_rgba())

    def cached(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, made once per ``key`` (runs, contour sets, levels).

        A key holds every value the result depends on. The cache keeps at most
        ``max_cached`` entries, then starts afresh: an explorer whose entries are
        large (a trained network) sets a smaller ``max_cached``.
        """
        if key not in self._cache:
            if len(self._cache) >= self.max_cached:
                self._cache.clear()
            self._cache[key] = compute()
        return self._cache[key]

    @contextmanager
    def _hold(self):
        """Batch several control changes into one refresh (nested: one batch)."""
        if self._holding:
            yield
            return
        self._holding, self._pending = True, False
        try:
            yield
        finally:
            self._holding = False
        if self._pending:
            self.refresh()

    def set(self, **values: Any) -> Explorer:
        """Set controls by name, as if the user had moved them; one refresh.

        Raises ValueError for an unknown name, a value outside a slider's range
        (ipywidgets would clamp it silently) or not among a selection's choices.
        """
        for name, value in values.items():
            if name not in self.controls:
                known = ", ".join(repr(n) for n in self.controls)
                raise ValueError(f"unknown control {name!r}; controls are {known}")
            _check_value(name, self.controls[name], value)
        with self._hold():
            for name, value in values.items():
                self.controls[name].value = value
        return self

    @property
    def values(self) -> dict[str, Any]:
        """Current value of every control."""
        return {name: c.value for name, c in self.controls.items()}

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
        args = ", ".join(
            f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v!r}"
            for k, v in self.values.items()
        )
        return "\n".join(
            filter(None, [f"{type(self).__name__}({args})", self.summary()])
        )

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


def _check_value(name: str, control: widgets.Widget, value: Any) -> None:
    """Raise ValueError if ``value`` is outside a slider's range or not an option."""
    if isinstance(control, widgets.FloatLogSlider):
        lo, hi = control.base**control.min, control.base**control.max
    else:
        lo, hi = getattr(control, "min", None), getattr(control, "max", None)
    if lo is not None and not lo <= value <= hi:
        raise ValueError(f"{name} must be in [{lo:.4g}, {hi:.4g}], got {value}")
    options = getattr(control, "options", None)
    if options is None:
        return
    choices = [o[1] if isinstance(o, tuple) else o for o in options]
    if value not in choices:
        raise ValueError(
            f"{name} must be one of the {len(choices)} choices from "
            f"{choices[0]!r} to {choices[-1]!r}, got {value!r}"
        )

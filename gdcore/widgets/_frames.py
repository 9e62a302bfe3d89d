"""How an explorer's picture travels to the browser under ipympl.

ipympl's canvas sends a PNG after every draw, and the browser paints it over
the picture it has. A "full" frame is the whole picture; a "diff" frame holds
only the pixels that changed since the last frame (the others transparent).
Two things here make that cheaper and safe.

Palette frames. A frame with at most 256 colours (most diffs: moving lines and
markers are drawn without anti-aliasing) is sent as an 8-bit palette PNG with
a transparency table, not as 32-bit RGBA: the same pixels exactly, in a third to
a half of the bytes. Other frames stay RGBA. Nothing is lossy.

Repair frames. A frame that arrives while the one before is still being decoded
replaces it unseen (the browser abandons the older image), so after a quick
burst of slider moves the picture can miss the pixels of a lost frame, or even
all of a lost full frame. So :class:`FrameStream` keeps the union of the pixels
that the frames of a burst changed, and once the canvas has been still for
``REPAIR_DELAY_S`` it sends exactly those pixels once more, as they are now:
whatever was lost on the way, the picture at rest is the state of the controls.
A frame with no successor within that time has long been decoded, so a single
move sends only its diff. Repairs need the kernel's event loop (it is there in
Jupyter) and a browser showing the canvas; without them (a script, nbconvert, a
test) nothing is scheduled.
"""

from __future__ import annotations

import asyncio
import io
import time
from typing import Any

import numpy as np
from PIL import Image

REPAIR_DELAY_S = 0.25  # frames closer than this may be lost; still this long: repair
MAX_PALETTE = 256  # colours of an 8-bit palette PNG


def encode_png(rgba: np.ndarray) -> bytes:
    """Lossless PNG of an (H, W, 4) uint8 picture: palette if it has ≤ 256 colours.

    An indexed picture is a quarter of RGBA's raw size and compresses better; its
    palette holds the exact RGBA colours (alpha in the PNG's tRNS table), so the
    browser decodes the very same pixels.
    """
    image = Image.fromarray(rgba)  # mode RGBA
    found = image.getcolors(MAX_PALETTE)  # [(count, (r, g, b, a)), ...] or None
    buffer = io.BytesIO()
    if found is None:  # too many colours for a palette
        image.save(buffer, format="png")
        return buffer.getvalue()
    palette = np.array([colour for _, colour in found], dtype=np.uint8)
    codes = palette.view(np.uint32).ravel()  # one uint32 per RGBA colour …
    order = np.argsort(codes)
    pixels = rgba.view(np.uint32)[..., 0]  # … and per pixel, compared the same way
    index = order[np.searchsorted(codes, pixels, sorter=order)].astype(np.uint8)
    height, width = index.shape
    indexed = Image.frombytes("P", (width, height), index.tobytes())
    indexed.putpalette(palette[:, :3].tobytes(), rawmode="RGB")
    indexed.save(buffer, format="png", transparency=palette[:, 3].tobytes())
    return buffer.getvalue()


class FrameStream:
    """Sends an ipympl canvas's frames: palette when it can, repaired at rest.

    It takes the place of the canvas's ``get_diff_image``, which ipympl calls
    whenever the canvas has something to send, and does what matplotlib's does
    (the same full and diff frames, the same bookkeeping) plus what the module
    docstring says.
    """

    def __init__(self, canvas: Any) -> None:
        self.canvas = canvas
        self._unsettled: np.ndarray | None = None  # pixels the browser may lack
        self._last_sent = -np.inf  # time.monotonic() of the last frame
        self._repair: asyncio.TimerHandle | None = None
        self._repairing = False
        self._closed = False
        canvas.get_diff_image = self.next_frame  # what ipympl's manager calls

    def next_frame(self) -> bytes | None:
        """The PNG of the canvas's new picture (None when nothing was drawn)."""
        canvas = self.canvas
        if not canvas._png_is_old:
            return None
        pixels = np.asarray(canvas.get_renderer().buffer_rgba())
        buff = pixels.view(np.uint32)[..., 0]
        last = canvas._last_buff
        full = (
            canvas._force_full
            or buff.shape != last.shape
            or bool((pixels[..., 3] != 255).any())  # see-through: cannot overlay
        )
        if full:
            changed = np.ones(buff.shape, dtype=bool)
        else:
            changed = buff != last
            if self._repairing:
                changed |= self._unsettled
            full = bool(changed.all())
        self._track(changed)
        canvas.set_image_mode("full" if full else "diff")
        canvas._last_buff = buff.copy()
        canvas._force_full = False
        canvas._png_is_old = False
        output = buff if full else np.where(changed, buff, 0).astype(np.uint32)
        return encode_png(output.view(np.uint8).reshape(*buff.shape, 4))

    def _track(self, changed: np.ndarray) -> None:
        """Add a frame's pixels to the burst's, and plan the repair after it."""
        now = time.monotonic()
        in_burst = now - self._last_sent < REPAIR_DELAY_S or self._repair is not None
        self._last_sent = now
        last = self._unsettled
        if in_burst and last is not None and last.shape == changed.shape:
            self._unsettled = self._unsettled | changed  # the previous may be lost
            self._schedule()
        else:  # the first of a possible burst: if another follows, it is at risk
            self._unsettled = changed

    def _schedule(self) -> None:
        self.cancel()
        if getattr(self.canvas, "syncing_data_url", True):
            return  # ipympl has not heard from a browser (nbconvert, nbval, a test)
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop, so no browser to repair
            return
        self._repair = loop.call_later(REPAIR_DELAY_S, self.repair)

    def repair(self) -> None:
        """Send every pixel of the last burst again, as it is now (one frame)."""
        self._repair = None
        if self._closed or self._unsettled is None:
            return
        canvas = self.canvas
        canvas._png_is_old = True  # (matplotlib's flag: encode the buffer again)
        self._repairing = True
        try:
            canvas.manager.refresh_all()
        finally:
            self._repairing = False

    @property
    def repair_pending(self) -> bool:
        return self._repair is not None

    def cancel(self) -> None:
        if self._repair is not None:
            self._repair.cancel()
            self._repair = None

    def close(self) -> None:
        """Send nothing more (the explorer is closed)."""
        self._closed = True
        self.cancel()

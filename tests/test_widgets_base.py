"""The explorers' shared machinery: frames, repairs and whole frames under ipympl.

ipympl sends "diff" frames; the browser drops a frame that arrives while the one
before is being decoded, so after quick frames an explorer resends the pixels
they changed once the controls rest (see gdcore/widgets/_frames.py). This drives
that under a running event loop, as in a Jupyter kernel, recording the frames
the browser would get and painting them as the browser does, with every
combination of lost frames.
"""

import io

import numpy as np
import pytest
from live_helpers import run_under_ipympl
from PIL import Image

from gdcore.widgets._frames import encode_png

REPAIR_SCRIPT = """
import asyncio
import io
import itertools

import numpy as np
from PIL import Image

from gdcore.widgets import LearningRateExplorer
from gdcore.widgets._frames import REPAIR_DELAY_S


def record(ex):
    # Catch the frames ipympl sends: [(image mode, PNG mode, pixels), ...].
    canvas, frames = ex.fig.canvas, []
    canvas.syncing_data_url = False  # as once the browser has said "initialized"

    def send_binary(data):
        image = Image.open(io.BytesIO(bytes(data)))
        pixels = np.asarray(image.convert("RGBA"))
        frames.append((canvas._image_mode, image.mode, pixels))

    canvas.send_binary = send_binary
    return frames


def shown(ex):
    return np.array(ex.fig.canvas.buffer_rgba())


def paint(picture, frames):
    # What the browser shows after painting ``frames`` over ``picture``.
    picture = picture.copy()
    for mode, _, pixels in frames:
        if mode == "full":
            picture = pixels.copy()
        else:  # a diff: its opaque pixels over the old ones
            changed = pixels[..., 3] > 0
            picture[changed] = pixels[changed]
    return picture


def modes(frames):
    return [mode for mode, _, _ in frames]


def every_loss(before, burst, repair, now):
    # Whichever frames of the burst the browser lost, the repair gives ``now``;
    # returns how many of those cases are wrong without the repair.
    wrong = 0
    for kept in itertools.product((False, True), repeat=len(burst)):
        painted = [f for f, k in zip(burst, kept, strict=True) if k]
        np.testing.assert_array_equal(paint(before, painted + [repair]), now)
        wrong += not np.array_equal(paint(before, painted), now)
    return wrong


# Without an event loop (a script, a test) nothing is scheduled.
ex = LearningRateExplorer("bowl")
frames = record(ex)
ex.set(lr=0.05)
ex.set(lr=0.06)
assert not ex.frames.repair_pending
assert modes(frames) == ["diff", "diff"], modes(frames)
ex.close()


async def main():
    # No browser has shown the canvas yet (nbconvert, nbval): nothing is scheduled.
    ex = LearningRateExplorer("bowl")
    assert ex.fig.canvas.syncing_data_url
    ex.set(lr=0.05)
    ex.set(lr=0.06)
    assert not ex.frames.repair_pending
    ex.close()

    ex = LearningRateExplorer("bowl")
    await asyncio.sleep(REPAIR_DELAY_S * 2)  # the first render is long decoded
    before = shown(ex)
    frames = record(ex)
    # A quick burst of moves and a whole frame (as ipympl sends when the page asks
    # for the figure again): a frame each, no repair yet.
    for lr in (0.01, 0.02, 0.05, None, 0.1, 0.15):
        if lr is None:
            ex.fig.canvas._force_full = True
            ex.fig.canvas.draw()
        else:
            ex.set(lr=lr)
        await asyncio.sleep(REPAIR_DELAY_S / 10)
    burst = list(frames)
    assert modes(burst) == ["diff"] * 3 + ["full"] + ["diff"] * 2, modes(burst)
    assert "P" in [png for _, png, _ in burst]  # palette frames, when they can be
    assert ex.frames.repair_pending
    # At rest: exactly one more frame, which repairs any loss.
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    assert len(frames) == len(burst) + 1
    assert every_loss(before, burst, frames[-1], shown(ex)) > 0
    # A burst of diffs is repaired by a diff: only the pixels the burst changed.
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    before, start = shown(ex), len(frames)
    for lr in (0.02, 0.03, 0.04):
        ex.set(lr=lr)
        await asyncio.sleep(REPAIR_DELAY_S / 10)
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    burst, repair = frames[start:-1], frames[-1]
    assert modes(frames[start:]) == ["diff"] * 4, modes(frames[start:])
    sent = repair[2][..., 3] > 0
    changed = np.zeros(sent.shape, dtype=bool)
    for _, _, pixels in burst:
        changed |= pixels[..., 3] > 0
    np.testing.assert_array_equal(sent, changed)
    assert sent.mean() < 0.5
    assert every_loss(before, burst, repair, shown(ex)) > 0
    # A move on its own, long after the last frame: its diff alone, no repair.
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    start = len(frames)
    ex.set(lr=0.01)
    assert not ex.frames.repair_pending
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    assert modes(frames[start:]) == ["diff"]
    # The page's pixel ratio changes in a burst (the canvas doubles): a full frame,
    # and the repair at rest is whole too.
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    start = len(frames)
    ex.set(lr=0.02)
    canvas = ex.fig.canvas
    for message in (  # what the browser sends: the new ratio, then "draw"
        {"type": "set_device_pixel_ratio", "device_pixel_ratio": 2},
        {"type": "draw"},
    ):
        canvas._handle_message(canvas, message, [])
    ex.set(lr=0.03)
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    assert modes(frames[start:])[-1] == "full", modes(frames[start:])
    np.testing.assert_array_equal(frames[-1][2], shown(ex))
    # Two quick moves, then closed before the controls rest: nothing more is sent.
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    start = len(frames)
    ex.set(lr=0.02)
    ex.set(lr=0.03)
    assert ex.frames.repair_pending
    ex.close()
    await asyncio.sleep(REPAIR_DELAY_S * 2)
    assert modes(frames[start:]) == ["diff"] * 2, modes(frames[start:])


asyncio.run(main())

# A figure redrawn by a notebook's own slider: draw_whole sends it whole, every
# time; a plain canvas.draw() would send a diff.
from gdcore.widgets import draw_whole, new_figure

fig = new_figure()  # an ipympl figure, as plt.subplots() makes in a notebook
ax = fig.subplots()
(point,) = ax.plot([0.0], [0.0], "o")
canvas, frames = fig.canvas, []
canvas.syncing_data_url = False
canvas.send_binary = lambda data: frames.append(canvas._image_mode)
canvas.draw()
for x in (0.2, 0.4):
    point.set_data([x], [x])
    draw_whole(fig)
point.set_data([0.6], [0.6])
canvas.draw()
assert frames == ["full", "full", "full", "diff"], frames
"""


def test_frames_are_repaired_at_rest_under_ipympl():
    run_under_ipympl(REPAIR_SCRIPT)


def decode(png: bytes) -> tuple[str, np.ndarray]:
    image = Image.open(io.BytesIO(png))
    return image.mode, np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize(
    ("n_colours", "mode"), [(1, "P"), (2, "P"), (256, "P"), (257, "RGBA")]
)
def test_encode_png_is_lossless_and_uses_a_palette_up_to_256_colours(n_colours, mode):
    rng = np.random.default_rng(n_colours)
    colours = rng.integers(0, 256, (n_colours, 4), dtype=np.uint8)
    colours[0] = 0  # a diff frame's "unchanged" pixel: transparent black
    colours[1:, 3] = 255  # the changed pixels of an opaque figure
    picture = colours[rng.permutation(np.arange(60 * 70) % n_colours)]
    picture = picture.reshape(60, 70, 4)
    got_mode, pixels = decode(encode_png(picture))
    assert got_mode == mode
    np.testing.assert_array_equal(pixels, picture)


def test_a_palette_frame_is_smaller_than_rgba():
    # A real diff frame: what changes when the learning-rate slider moves.
    from gdcore.widgets import LearningRateExplorer

    ex = LearningRateExplorer("bowl")
    try:
        before = np.array(ex.fig.canvas.buffer_rgba()).view(np.uint32)
        ex.set(lr=0.05)
        after = np.array(ex.fig.canvas.buffer_rgba()).view(np.uint32)
    finally:
        ex.close()
    diff = np.where(after != before, after, 0).view(np.uint8)
    palette = encode_png(diff)
    rgba = io.BytesIO()
    Image.fromarray(diff).save(rgba, format="png")
    mode, pixels = decode(palette)
    assert mode == "P"
    np.testing.assert_array_equal(pixels, diff)
    assert len(palette) < 0.9 * len(rgba.getvalue()), (
        len(palette),
        len(rgba.getvalue()),
    )

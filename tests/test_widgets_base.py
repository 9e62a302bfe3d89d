"""The explorers' shared machinery: keyframes and whole frames under ipympl.

ipympl sends "diff" frames; the browser drops a frame that arrives while the one
before is being decoded, so after quick frames an explorer resends its picture
whole once the controls rest (see gdcore/widgets/_base.py). This drives that
under a running event loop, as in a Jupyter kernel, recording the frames the
browser would get.
"""

from live_helpers import run_under_ipympl

KEYFRAME_SCRIPT = """
import asyncio
import io

import numpy as np
from PIL import Image

from gdcore.widgets import LearningRateExplorer
from gdcore.widgets._base import KEYFRAME_DELAY_S


def record(ex):
    '''Catch the frames ipympl sends: [(image mode, pixels), ...].'''
    canvas, frames = ex.fig.canvas, []
    canvas.syncing_data_url = False  # as once the browser has said "initialized"

    def send_binary(data):
        pixels = np.asarray(Image.open(io.BytesIO(bytes(data))).convert("RGBA"))
        frames.append((canvas._image_mode, pixels))

    canvas.send_binary = send_binary
    return frames


def shown(ex):
    return np.asarray(ex.fig.canvas.buffer_rgba())


# Without an event loop (a script, a test) nothing is scheduled.
ex = LearningRateExplorer("bowl")
frames = record(ex)
ex.set(lr=0.05)
assert ex._keyframe is None
assert [mode for mode, _ in frames] == ["diff"], [mode for mode, _ in frames]
ex.close()


async def main():
    # No browser has shown the canvas yet (nbconvert, nbval): nothing is scheduled.
    ex = LearningRateExplorer("bowl")
    assert ex.fig.canvas.syncing_data_url
    ex.set(lr=0.05)
    assert ex._keyframe is None
    ex.close()

    ex = LearningRateExplorer("bowl")
    frames = record(ex)
    # A quick burst of moves (the first one is quick after the first render):
    # one diff each, no keyframe yet.
    for lr in (0.01, 0.02, 0.05, 0.1, 0.15):
        ex.set(lr=lr)
        await asyncio.sleep(KEYFRAME_DELAY_S / 10)
    assert [mode for mode, _ in frames] == ["diff"] * 5, [m for m, _ in frames]
    assert ex._keyframe is not None
    # At rest: exactly one more frame, whole, and exactly the picture of lr=0.15.
    await asyncio.sleep(KEYFRAME_DELAY_S * 2)
    assert [mode for mode, _ in frames] == ["diff"] * 5 + ["full"]
    np.testing.assert_array_equal(frames[-1][1], shown(ex))
    # A move on its own, long after the last frame: its diff alone. (A diff holds
    # only the changed pixels: alone it is not the picture.)
    await asyncio.sleep(KEYFRAME_DELAY_S * 2)
    ex.set(lr=0.01)
    assert ex._keyframe is None
    assert frames[-1][0] == "diff"
    assert not np.array_equal(frames[-1][1], shown(ex))
    await asyncio.sleep(KEYFRAME_DELAY_S * 2)
    assert [mode for mode, _ in frames] == ["diff"] * 5 + ["full", "diff"]
    # Two quick moves, then closed before the controls rest: nothing more is sent.
    ex.set(lr=0.02)
    ex.set(lr=0.03)
    assert ex._keyframe is not None
    ex.close()
    await asyncio.sleep(KEYFRAME_DELAY_S * 2)
    assert [mode for mode, _ in frames] == ["diff"] * 5 + ["full"] + ["diff"] * 3


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


def test_a_keyframe_follows_the_last_move_under_ipympl():
    run_under_ipympl(KEYFRAME_SCRIPT)

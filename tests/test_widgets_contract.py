"""The contract every explorer shares, checked once for all of them.

Each explorer is driven headless (Agg, its picture in an ``ipywidgets.Image``)
through its public methods: ``set`` at the minimum, middle and maximum of every
control, ``values``, ``summary``, ``picture``, ``to_png``, ``close``. The pixel
oracles: wherever a sequence of moves ends, the picture is the one an explorer
set straight to that state shows (the blitting cache leaves nothing behind), and
an explorer that precomputes shows what one that does not shows. Under ipympl
(a subprocess per run), the canvas is the widget, a single move sends a diff
frame, and a burst of moves is followed, once the controls rest, by one whole
frame. What each explorer draws is tested in its own file.
"""

import base64
import io

import matplotlib

matplotlib.use("Agg")

import ipywidgets as widgets
import numpy as np
import pytest
from live_helpers import run_under_ipympl
from PIL import Image

import gdcore as gd
import gdcore.widgets as gw

X, Y = (data.tolist() for data in gd.spring_lengths())  # notebook 01's data

# id -> (class name, constructor arguments): quick to build, nothing precomputed
CASES = {
    "lr-parabola": ("LearningRateExplorer", {"objective": "parabola"}),
    "lr-bowl": ("LearningRateExplorer", {"objective": "bowl"}),
    "start-point": ("StartPointExplorer", {}),
    "house": ("HouseStepper", {}),
    "conditioning": ("ConditioningExplorer", {}),
    "batch-size": ("BatchSizeExplorer", {"n": 64, "epochs": 2}),
    "optimizers": ("OptimizerExplorer", {"precompute": False, "max_steps": 60}),
    "one-step": ("OneStepExplorer", {}),
    "residuals": ("ResidualExplorer", {"x": X, "y": Y, "w": 0.3, "b": 2.5}),
    "network": ("NetworkExplorer", {}),
    "clipping": ("ClippingExplorer", {}),
    "momentum-family": ("MomentumFamilyExplorer", {}),
}
# the optimizer explorer has 23 controls: its contract uses a few of each kind
OPTIMIZER_CONTROLS = ("kappa", "steps", "x0", "show_nesterov", "adam_lr", "objective")


@pytest.fixture(params=list(CASES))
def build(request, explorer_factory):
    """``build(**overrides)`` makes the explorer of this case."""
    name, kwargs = CASES[request.param]
    factory = explorer_factory(getattr(gw, name))
    return lambda **more: factory(**(kwargs | more))


def positions(control) -> list:
    """The minimum, a middle and the maximum of a control (every option if few)."""
    if isinstance(control, widgets.FloatLogSlider):
        exps = [control.min, (control.min + control.max) / 2, control.max]
        return [control.base**e for e in exps]
    if isinstance(control, widgets.IntSlider):
        return [control.min, (control.min + control.max) // 2, control.max]
    if isinstance(control, widgets.FloatSlider):
        mid = control.min + round((control.max - control.min) / 2 / control.step)
        return [
            control.min,
            control.min + (mid - control.min) * control.step,
            control.max,
        ]
    if isinstance(control, widgets.Checkbox):
        return [not control.value, control.value]
    options = (
        [v for _, v in control.options]
        if isinstance(control.options[0], tuple)
        else list(control.options)
    )
    return [options[0], options[len(options) // 2], options[-1]]


def names(ex) -> list[str]:
    if isinstance(ex, gw.OptimizerExplorer):
        return list(OPTIMIZER_CONTROLS)
    return list(ex.controls)


def test_every_control_at_min_mid_max_draws_a_state(build):
    ex = build()
    assert isinstance(ex, gw.Explorer)
    assert not ex.live
    np.testing.assert_array_equal(
        shown(ex), ex.picture()[..., :3]
    )  # the Image shows it
    for name in names(ex):
        default = ex.values
        pictures = {}
        for value in positions(ex.controls[name]):
            ex.set(**{name: value})
            assert ex.values[name] == pytest.approx(value)
            summary = ex.summary()
            assert isinstance(summary, str)
            assert summary
            pictures[str(value)] = ex.picture()
            np.testing.assert_array_equal(shown(ex), ex.picture()[..., :3])
        if len({p.tobytes() for p in pictures.values()}) == 1:
            pytest.fail(f"moving {name} changed nothing: {list(pictures)}")
        if name != "objective":  # choosing an objective loads a preset
            ex.set(**{name: default[name]})


def shown(ex) -> np.ndarray:
    """The RGB pixels the fallback Image widget (the last child) shows."""
    return np.asarray(Image.open(io.BytesIO(ex.widget.children[-1].value)))


def test_any_sequence_of_moves_ends_on_the_picture_of_its_state(build):
    # The pixel oracle for blitting: a burst of moves over every control, then a
    # fresh explorer set straight to the final state: the same pixels.
    moved = build()
    for name in names(moved):
        for value in positions(moved.controls[name])[::-1]:
            moved.set(**{name: value})
    state = moved.values
    fresh = build()
    if "objective" in state:  # its preset first, then every value
        fresh.set(objective=state["objective"])
    fresh.set(**state)
    assert fresh.values == state
    np.testing.assert_array_equal(fresh.picture(), moved.picture())
    assert fresh.to_png() == moved.to_png()


def test_set_validates_names_and_ranges_and_applies_nothing_on_error(build):
    ex = build()
    before = ex.values
    with pytest.raises(ValueError, match="unknown control 'nope'; controls are "):
        ex.set(nope=1)
    for name, control in ex.controls.items():
        if isinstance(control, widgets.Checkbox):
            continue
        with pytest.raises(ValueError, match=f"^{name} must be "):
            ex.set(**{name: 1e9})
    assert ex.values == before


def test_repr_and_mimebundle_are_deterministic(build):
    first, second = build(), build()
    bundle = first._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith(type(first).__name__ + "(")
    assert bundle["text/plain"] == repr(second)
    png = base64.b64decode(bundle["image/png"])
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == second.to_png()


def test_close_stops_the_updates_and_can_be_repeated(build):
    ex = build()
    picture = ex.picture()
    ex.close()
    name = names(ex)[-1]
    control = ex.controls[name]
    control.value = (
        positions(control)[0]
        if control.value != positions(control)[0]
        else positions(control)[-1]
    )
    np.testing.assert_array_equal(ex.picture(), picture)
    ex.close()


def test_precomputing_changes_no_picture(explorer_factory):
    for cls, moves in (
        (gw.OptimizerExplorer, [{"objective": "rosenbrock"}, {"kappa": 100.0},
                                {"objective": "bowl"}, {"kappa": 100.0}, {"x0": 1.0}]),
    ):  # fmt: skip
        make = explorer_factory(cls)
        plain, ready = make(precompute=False), make(precompute=True)
        for values in moves:
            plain.set(**values)
            ready.set(**values)
            np.testing.assert_array_equal(ready.picture(), plain.picture())
        assert ready.to_png() == plain.to_png()


class Counter(gw.Explorer):
    """The smallest explorer: one slider moving one point, nothing animated."""

    def __init__(self):
        super().__init__(figsize=(2, 2), dpi=50)
        (self.point,) = self.fig.add_subplot().plot([0], [0], "o")
        self.point.axes.set_xlim(0, 10)
        self._setup({"n": widgets.IntSlider(value=2, min=0, max=10)})

    def update(self):
        self.point.set_data([self.controls["n"].value], [0])

    def summary(self):
        return f"the point is at x = {self.controls['n'].value}"


def test_the_base_class_contract_with_a_minimal_explorer():
    ex = Counter()
    assert not ex.live
    assert ex.widget.children[0].children == (ex.controls["n"],)
    before = ex.picture()
    ex.set(n=7)  # no animated artists: a full redraw, still re-rendered
    assert list(ex.point.get_xdata()) == [7]
    assert not np.array_equal(ex.picture(), before)
    assert repr(ex) == "Counter(n=7)\nthe point is at x = 7"
    with pytest.raises(ValueError, match=r"n must be in \[0, 10\], got 11"):
        ex.set(n=11)
    ex.close()


LIVE_SCRIPT = """
import asyncio

import gdcore as gd
import gdcore.widgets as gw
from gdcore.widgets._base import REST_S

CASES = {cases!r}


def record(ex):
    # The frames ipympl sends: their image modes ("full" or "diff").
    canvas, modes = ex.fig.canvas, []
    canvas.syncing_data_url = False  # as once the browser has said "initialized"
    canvas.send_binary = lambda data: modes.append(canvas._image_mode)
    return modes


async def main():
    for name, kwargs in CASES.values():
        ex = getattr(gw, name)(**kwargs)
        assert ex.live
        assert ex.widget.children[-1] is ex.fig.canvas
        modes = record(ex)
        await asyncio.sleep(REST_S * 2)  # the first draw is long past
        ex.refresh()  # one move alone: a diff, nothing planned
        await asyncio.sleep(REST_S * 2)
        assert modes == ["diff"], (name, modes)
        ex.refresh()  # a burst: diffs, then one whole frame once at rest
        ex.refresh()
        ex.refresh()
        assert modes == ["diff"] * 4, (name, modes)
        await asyncio.sleep(REST_S * 2)
        assert modes == ["diff"] * 4 + ["full"], (name, modes)
        assert "image/png" in ex._repr_mimebundle_()
        ex.refresh()
        ex.refresh()
        ex.close()  # nothing more after close
        await asyncio.sleep(REST_S * 2)
        assert modes[-1] == "diff", (name, modes)


asyncio.run(main())
""".replace("{cases!r}", repr(CASES))


def test_under_ipympl_bursts_end_with_one_whole_frame():
    run_under_ipympl(LIVE_SCRIPT, timeout=300)

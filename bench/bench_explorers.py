"""Speed of the interactive explorers against a naive ``interact`` redraw.

Run with ``make bench`` (``.venv/bin/python bench/bench_explorers.py``). For
every explorer it sweeps each control over its positions, as a user dragging
the slider would, and prints the kernel time and the bytes sent to the browser
per move, next to the same moves made through a naive version that rebuilds
and re-renders the whole figure. The table is also written to
``bench/results.md``. See ``bench/README.md`` for the method.

    .venv/bin/python bench/bench_explorers.py            # everything, ~2 min
    .venv/bin/python bench/bench_explorers.py --quick    # one pass, fewer moves
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import io
import json
import os
import platform
import statistics
import sys
import time
import traceback
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import comm
import matplotlib

matplotlib.use("module://ipympl.backend_nbagg")

import ipywidgets as widgets
import numpy as np

import gdcore as gd
import gdcore.widgets as gw
from gdcore.widgets import _base
from gdcore.widgets._base import REST_S

# Notebook 01's spring data, for its residual-squares slider (ResidualExplorer).
SPRING_X, SPRING_Y = (data.tolist() for data in gd.spring_lengths())
SPRING = {"x": SPRING_X, "y": SPRING_Y, "w": 0.3, "b": 2.5}

# The rows of the table: (explorer class, constructor keyword arguments, extra
# keyword arguments for the naive version: it must not precompute anything).
CASES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("LearningRateExplorer", {"objective": "parabola"}, {}),
    ("LearningRateExplorer", {"objective": "bowl"}, {}),
    ("StartPointExplorer", {}, {}),
    ("HouseStepper", {}, {}),
    ("ConditioningExplorer", {}, {}),
    ("BatchSizeExplorer", {}, {}),
    ("OptimizerExplorer", {}, {"precompute": False}),
    ("OneStepExplorer", {}, {}),  # notebook 00's slider
    ("ResidualExplorer", SPRING, {}),  # notebook 01's sliders
    ("NetworkExplorer", {}, {}),  # notebook 07's playground
    ("ClippingExplorer", {}, {}),  # notebook 08
    ("MomentumFamilyExplorer", {}, {}),  # notebook 08
]
ALL_POSITIONS = 60  # a slider with at most this many positions is swept through all
SUBSAMPLE = 30  # otherwise this many evenly spaced positions, min and max included
MAX_MOVES = 320  # moves per explorer at most: many controls get fewer positions …
MIN_POSITIONS = 7  # … but never fewer than this
CROSS_POSITIONS = 10  # positions per control when swept from another option's state
MIN_CROSS = 3  # (min, middle, max at least)
BUDGET_S = 20.0  # CPU seconds of sweeping per explorer at most (then: moves left out)
NAIVE_MOVES = 12  # moves replayed through the naive version (it is slow) …
NAIVE_BUDGET_S = 8.0  # … within about this many CPU seconds (at least 3 moves)
LIMIT_MS = 50.0  # the targets, per control: median kernel time per move …
LIMIT_P90_MS = 100.0  # … its 90th percentile …
LIMIT_KB = 10.0  # … and the median bytes per move of a continuous control …
LIMIT_SPEEDUP = 10.0  # … and the median speed-up against the naive redraw
# Controls that change the whole picture (a dropdown, a toggle, κ) may send a
# whole frame: the byte target is for the continuous sliders.
WHOLE_PICTURE = ("kappa", "objective", "standardise", "dataset")
# Controls that train a network anew (released sliders, continuous_update=False)
# have their own target: a median of at most RETRAIN_MS (issue 11).
RETRAIN_MS = 250.0
RETRAINING = {"NetworkExplorer": ("dataset", "width", "optimizer", "lr", "batch_size")}
RESULTS = Path(__file__).with_name("results.md")


# -- a fake browser ------------------------------------------------------------


class FrontEnd:
    """Stands in for the browser: every widget's comm talks to it.

    It counts the bytes of each message the kernel sends (JSON payload as the
    Jupyter session encodes it, plus binary buffers; the message envelope of a
    few hundred bytes is not counted), and answers ipympl's requests for a new
    frame the way the JavaScript side does.
    """

    def __init__(self) -> None:
        self.nbytes = 0
        self.image_bytes = 0
        self._draw_requests: list[Any] = []

    def create_comm(self, **kwargs: Any) -> FakeComm:
        return FakeComm(self)

    def receive(self, sender: FakeComm, data: Any, buffers: Any) -> None:
        payload = json.dumps(data, ensure_ascii=False, default=str).encode()
        binary = sum(memoryview(b).nbytes for b in buffers or ())
        self.nbytes += len(payload) + binary
        self.image_bytes += binary
        content = data.get("content", {}) if isinstance(data, dict) else {}
        if isinstance(content, dict) and content.get("data"):
            with contextlib.suppress(TypeError, ValueError):
                if json.loads(content["data"]).get("type") == "draw":
                    self._draw_requests.append(sender.widget)

    def settle(self) -> None:
        """Answer the canvases that asked to be drawn (ipympl's draw_idle)."""
        while self._draw_requests:
            canvas = self._draw_requests.pop(0)
            if canvas is not None and canvas not in self._draw_requests:
                canvas._handle_custom_msg({"type": "draw"}, [])

    def connect(self, canvas: Any) -> None:
        """Open an ipympl canvas as JupyterLab does: from now on it sends diffs."""
        for message in ("initialized", "send_image_mode", "refresh"):
            canvas._handle_custom_msg({"type": message}, [])
        canvas._handle_custom_msg(
            {"type": "set_device_pixel_ratio", "device_pixel_ratio": 1}, []
        )
        self.settle()

    def move(self, control: widgets.Widget, position: Any) -> None:
        """What a slider drag does: an 'update' message from the browser."""
        key = "index" if hasattr(control, "options") else "value"
        control.set_state({key: position})  # echoes it back, then runs observers
        self.settle()


class FakeComm:
    """The part of a comm.base_comm.BaseComm that ipywidgets uses."""

    def __init__(self, front: FrontEnd) -> None:
        self.front = front
        self.comm_id = uuid.uuid4().hex
        self.widget = None

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        self.front.receive(self, data, buffers)

    def on_msg(self, callback: Any) -> None:
        self.widget = getattr(callback, "__self__", None)

    def on_close(self, callback: Any) -> None:
        pass

    def close(self, *args: Any, **kwargs: Any) -> None:
        pass


FRONT = FrontEnd()
comm.create_comm = FRONT.create_comm  # every widget made from now on talks to FRONT


# -- the sweep -----------------------------------------------------------------


@dataclass
class Move:
    state: str  # "" from the default state, else "control=option" set first
    control: str
    position: Any  # what the browser sends: the value, or the option index
    label: str  # the value as a user reads it
    ms: float  # wall clock
    cpu_ms: float  # process time: what the move costs when the machine is busy
    nbytes: int
    image_bytes: int


@dataclass
class Result:
    name: str
    moves: list[Move] = field(default_factory=list)
    naive_ms: list[float] = field(default_factory=list)
    naive_cpu_ms: list[float] = field(default_factory=list)
    naive_bytes: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rest_bytes: list[int] = field(default_factory=list)  # one per drag, at rest


def positions(control: widgets.Widget) -> list[Any] | None:
    """Every position a user can drag ``control`` to, in order (what the
    browser sends: the value, or the option's index); None if not known."""
    if hasattr(control, "options"):
        if not isinstance(control.index, int):
            return None  # a range or a multiple selection
        return list(range(len(control.options)))
    if isinstance(control.value, bool):
        return [False, True]
    if not all(hasattr(control, a) for a in ("min", "max", "step")):
        return None
    if not isinstance(control.value, int | float):
        return None  # a range slider
    n = round((control.max - control.min) / control.step)
    ticks = [control.min + i * control.step for i in range(n + 1)]
    if isinstance(control, widgets.FloatLogSlider):
        return [float(control.base**t) for t in ticks[:-1]] + [
            float(control.base**control.max)
        ]
    if isinstance(control.value, int):
        return [*ticks[:-1], control.max]
    return [float(round(t, 12)) for t in ticks[:-1]] + [float(control.max)]


def subsample(every: list[Any], cap: int) -> list[Any]:
    """At most ``cap`` evenly spaced entries of ``every``, first and last kept."""
    if len(every) <= cap:
        return every
    picked = np.unique(np.round(np.linspace(0, len(every) - 1, cap)).astype(int))
    return [every[i] for i in picked]


def label(control: widgets.Widget, position: Any) -> str:
    if hasattr(control, "options"):
        option = control.options[position]
        return str(option[0] if isinstance(option, tuple) else option)
    return f"{position:.4g}" if isinstance(position, float) else str(position)


def current(control: widgets.Widget) -> Any:
    return control.index if hasattr(control, "options") else control.value


def is_discrete(control: widgets.Widget) -> bool:
    return hasattr(control, "options") or isinstance(control.value, bool)


def plan(controls: dict[str, Any], passes: int, cross: bool, notes: list[str]):
    """The sweep as segments (state, setting, control, positions), most
    important first; ``setting`` is set before the segment, ``state`` names it.

    1. every control once over its positions from the default state;
    2. (cross) every other control at a few positions, from each other option
       of every dropdown or toggle: the worst case (another data set, another
       optimizer) may not be reachable from the default by moving one control;
    3. passes 2, 3… (down, up…) from the default state, so that each position
       has several moves (its time is their median), while they fit MAX_MOVES.
    """
    default = {name: current(c) for name, c in controls.items()}
    every = {}
    for name, control in controls.items():
        found = positions(control)
        if found is None:
            notes.append(f"control {name!r} ({type(control).__name__}) not swept")
        else:
            every[name] = found
    if not every:
        return default, []
    cap = SUBSAMPLE
    if sum(len(subsample(e, cap)) for e in every.values()) > MAX_MOVES // 2:
        cap = max(MIN_POSITIONS, MAX_MOVES // 2 // len(every))
    orders = {
        name: e if len(e) <= ALL_POSITIONS else subsample(e, cap)
        for name, e in every.items()
    }
    if sum(map(len, orders.values())) > MAX_MOVES // 2:
        orders = {name: subsample(e, cap) for name, e in every.items()}
    fewer = [
        f"{name} {len(order)} of {len(every[name])}"
        for name, order in orders.items()
        if len(order) < len(every[name])
    ]
    if fewer:
        notes.append("positions swept: " + ", ".join(fewer))
    segments = [("", {}, name, order) for name, order in orders.items()]
    budget = MAX_MOVES - sum(map(len, orders.values()))
    if cross:
        starts = [
            (name, option)
            for name, control in controls.items()
            if name in every and is_discrete(control)
            for option in every[name]
            if option != default[name]
        ]
        pairs = [
            (start, other) for start in starts for other in every if other != start[0]
        ]
        per = min(CROSS_POSITIONS, budget // max(len(pairs), 1))
        if per < MIN_CROSS:
            per = MIN_CROSS
            kept = subsample(pairs, budget // MIN_CROSS)
            notes.append(
                f"cross sweep: {len(kept)} of {len(pairs)} (option, control) pairs, "
                f"{MIN_CROSS} positions each"
            )
            pairs = kept
        for (name, option), other in pairs:
            state = f"{name}={label(controls[name], option)}"
            order = subsample(every[other], per)
            segments.append((state, {name: option}, other, order))
            budget -= len(order)
    first_pass = sum(map(len, orders.values()))
    for k in range(1, passes):
        if budget < first_pass:
            notes.append(f"{k} pass(es) only (at most {MAX_MOVES} moves)")
            break
        budget -= first_pass
        segments += [
            ("", {}, name, order if k % 2 == 0 else order[::-1])
            for name, order in orders.items()
        ]
    return default, segments


def sweep(explorer: Any, passes: int, cross: bool, result: Result) -> None:
    """Drive the explorer through :func:`plan`, measuring each move.

    Each control's first sweep from the default state is one drag: the controls
    rest before it, and after it, once they have rested, the whole frame the
    explorer sends then (``Explorer.send_whole``; there is no event loop here
    to schedule it) is measured too.
    """
    controls = explorer.controls
    default, segments = plan(controls, passes, cross, result.notes)
    deadline = time.process_time() + BUDGET_S
    left_out = 0
    drags = set(controls)  # controls whose first drag is still to come
    for state, setting, name, order in segments:
        for other, position in (default | setting).items():  # not measured
            if current(controls[other]) != position:
                FRONT.move(controls[other], position)
        drag = not state and name in drags
        if drag:
            drags.discard(name)
            time.sleep(REST_S)  # at rest: a new drag starts
        control = controls[name]
        for position in order:
            if position == current(control):
                continue  # not a move
            if time.process_time() > deadline:
                left_out += 1
                continue
            FRONT.nbytes = FRONT.image_bytes = 0
            start, cpu = time.perf_counter(), time.process_time()
            FRONT.move(control, position)
            ms = 1e3 * (time.perf_counter() - start)
            cpu_ms = 1e3 * (time.process_time() - cpu)
            move = Move(
                state, name, position, label(control, position), ms, cpu_ms,
                FRONT.nbytes, FRONT.image_bytes,
            )  # fmt: skip
            result.moves.append(move)
        if drag:
            time.sleep(REST_S)
            FRONT.nbytes = FRONT.image_bytes = 0
            explorer.send_whole()
            result.rest_bytes.append(FRONT.nbytes)
    if left_out:
        result.notes.append(
            f"time budget ({BUDGET_S:.0f} s CPU) spent: the last {left_out} moves "
            "left out"
        )


# -- the naive version -----------------------------------------------------------


def naive_class(cls: type) -> type:
    """``cls`` without the incremental machinery: nothing drawn until asked."""
    return type(f"Naive{cls.__name__}", (cls,), {"refresh": lambda self: None})


def naive(
    cls: type, kwargs: dict[str, Any], explorer: Any, moves: list[Move], result: Result
):
    """Replay ``moves`` through ``ipywidgets.interactive`` over the same controls.

    Each call builds the explorer's figure from scratch on a plain Agg canvas
    (its constructor draws it with gdcore.plotting), computes the state with the
    same gdcore math and empty caches (``update()``), and renders the whole
    figure to PNG, which is what the inline backend sends: its size is the bytes.
    """
    Naive = naive_class(cls)

    def redraw(**values: Any) -> None:
        ex = Naive(**kwargs)
        try:
            for name, value in values.items():
                ex.controls[name].value = value
            ex.update()
            result.naive_bytes.append(len(ex.to_png()))
        finally:
            ex.close()

    controls = explorer.controls
    explorer.close()  # stop the explorer observing: the controls now drive interact
    moves = [move for move in moves if not move.state]
    chosen = np.unique(np.round(np.linspace(0, len(moves) - 1, NAIVE_MOVES)))
    live = _base.is_live_backend
    _base.is_live_backend = lambda: False  # the naive figure is a bare Agg Figure
    ui = None
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # interact's clear_output
            ui = widgets.interactive(redraw, **controls)  # draws once: a warm-up
            if not result.naive_bytes:
                raise RuntimeError("the naive redraw failed on the default state")
            result.naive_bytes.clear()
            deadline = time.process_time() + NAIVE_BUDGET_S
            for i in chosen:
                if len(result.naive_ms) >= 3 and time.process_time() > deadline:
                    break
                move = moves[int(i)]
                control = controls[move.control]
                if move.position == current(control):
                    continue
                before = len(result.naive_bytes)
                start, cpu = time.perf_counter(), time.process_time()
                FRONT.move(control, move.position)
                ms = 1e3 * (time.perf_counter() - start)
                result.naive_cpu_ms.append(1e3 * (time.process_time() - cpu))
                if len(result.naive_bytes) != before + 1:
                    raise RuntimeError(
                        f"the naive redraw failed at {move.control}={move.label}"
                    )
                result.naive_ms.append(ms)
    finally:
        _base.is_live_backend = live
        if ui is not None:
            ui.close()


# -- running a case ----------------------------------------------------------------


def run_case(
    name: str,
    kwargs: dict[str, Any],
    naive_kwargs: dict[str, Any],
    passes: int,
    cross: bool,
) -> Result:
    args = ", ".join(repr(v) for v in kwargs.values())
    result = Result(f"{name}({args})")
    try:
        cls = getattr(gw, name)
    except (ImportError, AttributeError) as error:
        result.notes.append(
            f"skipped: not written yet ({type(error).__name__}: {error})"
        )
        return result
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            explorer = cls(**kwargs)
            if not explorer.live:
                raise RuntimeError("the explorer did not make an ipympl canvas")
            FRONT.connect(explorer.fig.canvas)
            sweep(explorer, passes, cross, result)
            naive(cls, kwargs | naive_kwargs, explorer, result.moves, result)
        except Exception as error:  # report it, go on with the next explorer
            where = traceback.extract_tb(error.__traceback__)[-1]
            result.notes.append(
                f"FAILED: {type(error).__name__}: {error} "
                f"({Path(where.filename).name}:{where.lineno})"
            )
    for warning in {str(w.message) for w in caught}:
        result.notes.append(f"warning: {warning}")
    return result


# -- reporting -----------------------------------------------------------------------


def p90(values: list[float]) -> float:
    return float(np.percentile(values, 90))


def row(result: Result) -> list[str] | None:
    if not result.moves:
        return None
    ms = [m.ms for m in result.moves]
    kb = [m.nbytes / 1e3 for m in result.moves]
    cells = [
        result.name,
        str(len(ms)),
        f"{statistics.median(ms):.1f}",
        f"{p90(ms):.1f}",
        f"{statistics.median(m.cpu_ms for m in result.moves):.1f}",
        f"{statistics.median(kb):.2f}",
        f"{max(kb):.2f}",
        _kb_range(result.rest_bytes),
    ]
    if result.naive_ms:
        naive_ms = statistics.median(result.naive_ms)
        naive_cpu = statistics.median(result.naive_cpu_ms)
        naive_kb = statistics.median(result.naive_bytes) / 1e3
        cpu = statistics.median(m.cpu_ms for m in result.moves)
        cells += [
            f"{naive_ms:.0f} ({naive_cpu:.0f})",
            f"{naive_kb:.1f}",
            f"{naive_ms / statistics.median(ms):.0f}× ({naive_cpu / cpu:.0f}×)",
            f"{naive_kb / max(statistics.median(kb), 1e-3):.0f}×",
        ]
    else:
        cells += ["–"] * 4
    return cells


HEADER = [
    "explorer",
    "moves",
    "median ms",
    "p90 ms",
    "median CPU ms",
    "median kB",
    "max kB",
    "at rest kB",
    "naive median ms (CPU)",
    "naive median kB",
    "speed-up (CPU)",
    "bytes ratio",
]


def _kb_range(sizes: list[int]) -> str:
    """Median and max of ``sizes`` in kB ("–" when there are none)."""
    if not sizes:
        return "–"
    return f"{statistics.median(sizes) / 1e3:.1f} / {max(sizes) / 1e3:.1f}"


def worst(result: Result) -> list[str]:
    """Per control medians, the slowest and heaviest positions, the verdict.

    A position's time is the median of its moves (one per pass), wall clock and
    CPU; on a quiet machine the two agree, on a busy one the CPU time is the
    better guess of what a quiet machine would show.
    """
    moves = result.moves
    if not moves:
        return []
    by_position: dict[tuple[str, str, str], list[Move]] = {}
    for move in moves:
        by_position.setdefault((move.state, move.control, move.label), []).append(move)
    wall = {k: statistics.median(m.ms for m in g) for k, g in by_position.items()}
    cpu = {k: statistics.median(m.cpu_ms for m in g) for k, g in by_position.items()}

    def where(key: tuple[str, str, str]) -> str:
        state, control, value = key
        return f"{control}={value}" + (f" (with {state})" if state else "")

    def per_control(name: str) -> str:
        mine = [m for m in moves if m.control == name]
        ms = statistics.median(m.ms for m in mine)
        cpu_ms = statistics.median(m.cpu_ms for m in mine)
        kb = statistics.median(m.nbytes for m in mine) / 1e3
        return f"{name} {ms:.0f} ms ({cpu_ms:.0f} CPU) {kb:.1f} kB"

    slowest = sorted(wall, key=wall.get, reverse=True)[:3]
    heaviest = sorted(moves, key=lambda m: m.nbytes, reverse=True)[:3]
    lines = [
        "median per control: "
        + ", ".join(map(per_control, dict.fromkeys(m.control for m in moves))),
        "slowest positions: "
        + ", ".join(f"{where(k)} {wall[k]:.0f} ms ({cpu[k]:.0f} CPU)" for k in slowest),
        "heaviest moves: "
        + ", ".join(
            f"{where((m.state, m.control, m.label))} {m.nbytes / 1e3:.1f} kB"
            for m in heaviest
        ),
    ]
    verdict = []
    retraining = RETRAINING.get(result.name.split("(")[0], ())
    for name in dict.fromkeys(m.control for m in moves):
        mine = [m for m in moves if m.control == name]
        ms = [m.ms for m in mine]
        cpu_ms = [m.cpu_ms for m in mine]
        limit = RETRAIN_MS if name in retraining else LIMIT_MS
        if min(statistics.median(ms), statistics.median(cpu_ms)) > limit:
            verdict.append(f"{name} median {statistics.median(ms):.0f} ms")
        if name not in retraining and min(p90(ms), p90(cpu_ms)) > LIMIT_P90_MS:
            verdict.append(f"{name} p90 {p90(ms):.0f} ms ({p90(cpu_ms):.0f} CPU)")
        kb = statistics.median(m.nbytes for m in mine) / 1e3
        if name not in WHOLE_PICTURE and kb > LIMIT_KB:
            verdict.append(f"{name} median {kb:.1f} kB")
    if result.naive_ms:
        wall_speedup = statistics.median(result.naive_ms) / statistics.median(
            m.ms for m in moves
        )
        cpu_speedup = statistics.median(result.naive_cpu_ms) / statistics.median(
            m.cpu_ms for m in moves
        )
        if max(wall_speedup, cpu_speedup) < LIMIT_SPEEDUP:
            verdict.append(
                f"speed-up {wall_speedup:.1f}× ({cpu_speedup:.1f}× by CPU time)"
            )
    lines.append("OVER: " + "; ".join(verdict) if verdict else "within the limits")
    return lines


def machine() -> str:
    versions = ", ".join(
        f"{pkg} {importlib.metadata.version(pkg)}"
        for pkg in ("numpy", "matplotlib", "ipympl", "ipywidgets")
    )
    return (
        f"nproc {len(os.sched_getaffinity(0))}, "
        f"Python {platform.python_version()}, {versions}"
    )


def method(passes: int, cross: bool) -> str:
    cross_text = (
        f" Then every control again at up to {CROSS_POSITIONS} positions from each "
        "other option of every dropdown or checkbox."
        if cross
        else ""
    )
    return (
        "Each control is swept from the default state over all its positions "
        f"(over {ALL_POSITIONS}: {SUBSAMPLE} evenly spaced, min and max included; "
        f"fewer when an explorer has many controls: at most {MAX_MOVES} moves, "
        f"{BUDGET_S:.0f} s of CPU per explorer).{cross_text} Then up to {passes} "
        "passes, alternately down and up; a position's time is the median of its "
        "moves. "
        "Time: wall clock per move in the kernel, from the browser's update message "
        "to the last message out (ipympl's diff frame included); CPU: process time "
        "of the same. Bytes: JSON payload + binary buffers of every comm message of "
        "the move (1 kB = 1000 B). At rest: median / max over the drags (each "
        "control's first sweep) of the whole frame an explorer sends once the "
        f"controls have been still for {REST_S * 1e3:.0f} ms after frames closer "
        "than that (once per drag, not per move; it mends frames the browser "
        "lost). "
        f"Naive: up to {NAIVE_MOVES} of the moves (wall and CPU ms) "
        "replayed through ipywidgets.interactive over the same controls, each "
        "building the figure and the state from scratch and rendering a full PNG "
        "(bytes = PNG size; the inline backend sends it base64-encoded, a third more)."
    )


def markdown(results: list[Result], passes: int, cross: bool, load: str) -> str:
    lines = [
        "# Explorer benchmark",
        "",
        f"Machine: {machine()}; {load}.",
        "",
        method(passes, cross)
        + f" Targets, per control: median ≤ {LIMIT_MS:.0f} ms and p90 ≤ "
        f"{LIMIT_P90_MS:.0f} ms (wall or CPU), median ≤ {LIMIT_KB:.0f} kB for a "
        f"continuous slider (not {', '.join(WHOLE_PICTURE)}), and a median "
        f"speed-up ≥ {LIMIT_SPEEDUP:.0f}× against the naive redraw; a control "
        f"that retrains a network: median ≤ {RETRAIN_MS:.0f} ms.",
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join(["---"] + ["---:"] * (len(HEADER) - 1)) + "|",
    ]
    for result in results:
        cells = row(result)
        if cells:
            lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    for result in results:
        details = (worst(result) if result.moves else []) + result.notes
        if details:
            lines.append(f"- **{result.name}**")
            lines += [f"  - {line}" for line in details]
    return "\n".join(lines).replace(" \n", "\n") + "\n"


def table(results: list[Result]) -> str:
    rows = [HEADER] + [r for r in map(row, results) if r]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    text = []
    for k, cells in enumerate(rows):
        text.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
        if k == 0:
            text.append("  ".join("-" * w for w in widths))
    return "\n".join(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passes", type=int, default=3, help="sweeps per control")
    parser.add_argument("--quick", action="store_true", help="one pass, no cross sweep")
    parser.add_argument(
        "--no-write", action="store_true", help="do not write results.md"
    )
    parser.add_argument("only", nargs="*", help="explorer class names to run")
    args = parser.parse_args(argv)
    passes = 1 if args.quick else args.passes
    cross = not args.quick
    load = f"load average {os.getloadavg()[0]:.1f} when the run started"
    print(f"Machine: {machine()}; {load}")
    start = time.perf_counter()
    results = []
    for name, kwargs, naive_kwargs in CASES:
        if args.only and name not in args.only:
            continue
        t0 = time.perf_counter()
        result = run_case(name, kwargs, naive_kwargs, passes, cross)
        results.append(result)
        seconds = time.perf_counter() - t0
        print(f"  {result.name}: {len(result.moves)} moves, {seconds:.1f} s")
    print()
    print(table(results))
    print()
    for result in results:
        for line in (worst(result) if result.moves else []) + result.notes:
            print(f"{result.name}: {line}")
    print()
    print(method(passes, cross))
    print(f"Total {time.perf_counter() - start:.0f} s.")
    if not args.no_write:
        RESULTS.write_text(markdown(results, passes, cross, load))
        print(f"Wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

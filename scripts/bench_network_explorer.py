"""Per-move time of NetworkExplorer under Agg, beside a naive full redraw.

    .venv/bin/python scripts/bench_network_explorer.py

- steps slider: picks a record of the cached run (no training);
- retrain: a setting not seen before (trains MAX_STEPS steps, then draws);
- revisit: a setting already trained (the cached run is drawn again);
- naive full redraw: the same steps moves, each after ``invalidate()``, so that
  every move renders the whole figure instead of the moving artists only.

Prints medians and maxima of wall-clock time, and the CPU time of the process
(less sensitive to other jobs on a shared machine). For ``make bench``.
"""

import statistics
import time

import matplotlib

matplotlib.use("Agg")

from gdcore.widgets import NetworkExplorer
from gdcore.widgets.network import record_run


def timed(moves, action):
    """(wall, cpu) seconds of ``action(move)`` for each move."""
    wall, cpu = [], []
    for move in moves:
        t, c = time.perf_counter(), time.process_time()
        action(move)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return wall, cpu


def report(name, times):
    wall, cpu = times
    print(
        f"{name:22s} median {statistics.median(wall) * 1e3:6.1f} ms "
        f"(CPU {statistics.median(cpu) * 1e3:6.1f} ms)  max {max(wall) * 1e3:6.1f} ms"
        f"  n={len(wall)}"
    )


def naive(move):
    ex.invalidate()  # forget the cached background: a full render
    ex.set(**move)


ex = NetworkExplorer()
slides = [{"steps": k} for k in range(0, 601, 30)]
report("steps slider", timed(slides, lambda m: ex.set(**m)))
report("naive full redraw", timed(slides, naive))
record_run.cache_clear()  # every retraining move below trains afresh
retrain = [
    {"lr": 2**-4}, {"lr": 2**-3}, {"optimizer": "SGD"}, {"optimizer": "momentum"},
    {"width": 32}, {"width": 8}, {"batch_size": 32}, {"batch_size": 64},
    {"dataset": "moons"}, {"dataset": "spiral"}, {"lr": 2**-6}, {"batch_size": 4},
]  # fmt: skip
states = []
report("retrain (new setting)",
       timed(retrain, lambda m: states.append(ex.set(**m).values)))  # fmt: skip
report("revisit (cached run)", timed(states, lambda v: ex.set(**v)))
ex.close()

"""Cost of one optimizer step against the bare NumPy arithmetic of the same update.

``gd.adam(...).step(theta, grad, state)`` checks its inputs and its results (see
:mod:`gdcore.optimizers`); this measures what that costs, at d = 2 (a point on a
contour plot: Python overhead dominates) and d = 10⁶ (a large model: arithmetic
dominates). The baseline is the update written out with NumPy and no checks, in
the same process; ``torch.optim.Adam`` is timed too when torch is installed.

    .venv/bin/python bench/bench_steps.py            # prints a Markdown table
"""

from __future__ import annotations

import os
import time

import numpy as np

import gdcore as gd

LR, BETA1, BETA2, EPS = 1e-3, 0.9, 0.999, 1e-8
TARGET = 2.0  # gd.adam may cost at most this many times the bare arithmetic


def bare_adam(theta, g, m, v, t):
    """Adam's update, no checks: what gd.adam computes, as plain NumPy."""
    m = BETA1 * m + (1 - BETA1) * g
    v = BETA2 * v + (1 - BETA2) * g**2
    m_hat = m / (1 - BETA1**t)
    v_hat = v / (1 - BETA2**t)
    return theta - LR * m_hat / (np.sqrt(v_hat) + EPS), m, v


def _per_call(fn, repeat: int) -> tuple[float, float]:
    """(median wall µs, median CPU µs) per call over 7 rounds of ``repeat`` calls."""
    walls, cpus = [], []
    for _ in range(7):
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(repeat):
            fn()
        walls.append((time.perf_counter() - wall) / repeat * 1e6)
        cpus.append((time.process_time() - cpu) / repeat * 1e6)
    return float(np.median(walls)), float(np.median(cpus))


def measure(d: int, repeat: int) -> dict[str, tuple[float, float]]:
    rng = np.random.default_rng(0)
    theta, g = rng.standard_normal(d), rng.standard_normal(d)
    opt = gd.adam(LR, BETA1, BETA2, EPS)
    state = opt.step(theta, g, opt.init(theta))[1]  # t = 1: a step like any later one
    m, v = state.m, state.v
    timings = {
        "bare NumPy": _per_call(lambda: bare_adam(theta, g, m, v, 2), repeat),
        "gd.adam": _per_call(lambda: opt.step(theta, g, state), repeat),
    }
    try:
        import torch
    except ImportError:
        return timings
    torch.set_num_threads(1)
    p = torch.nn.Parameter(torch.from_numpy(theta.copy()))
    p.grad = torch.from_numpy(g.copy())
    torch_opt = torch.optim.Adam([p], lr=LR, betas=(BETA1, BETA2), eps=EPS)
    timings["torch.optim.Adam"] = _per_call(torch_opt.step, repeat)
    return timings


def main() -> None:
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"One Adam step, median of 7 rounds (load average {load})\n")
    print("| d | update | wall µs | CPU µs | ÷ bare NumPy (CPU) |")
    print("|---:|---|---:|---:|---:|")
    for d, repeat in ((2, 20_000), (1_000_000, 20)):
        timings = measure(d, repeat)
        bare_cpu = timings["bare NumPy"][1]
        for name, (wall, cpu) in timings.items():
            print(
                f"| {d:,} | {name} | {wall:.1f} | {cpu:.1f} | {cpu / bare_cpu:.2f}× |"
            )
    print(f"\nTarget: gd.adam at most {TARGET:g}× the bare arithmetic at d = 2.")


if __name__ == "__main__":
    main()

"""Print an environment that moves NumPy and OpenBLAS onto other code paths.

    env $(.venv/bin/python scripts/portable_env.py) COMMAND

``make portability`` runs nbval this way, so that the stored outputs are checked
against the arithmetic of another CPU, not only this one's:

- ``NPY_DISABLE_CPU_FEATURES`` names every optional SIMD group that NumPy found on
  this CPU (for example X86_V3 = AVX2, X86_V4 = AVX-512), so NumPy runs the code
  paths of its baseline build, as on an older or a different processor;
- ``OPENBLAS_CORETYPE`` names another OpenBLAS kernel than the one it picks here
  (a CPU with AVX-512 gets Haswell's AVX2 kernels, one with AVX2 gets Sandy
  Bridge's AVX kernels...), which changes how matrix products are summed.

The script then starts a Python with those settings and checks that both took
effect; it prints the settings only if they did, and exits 1 otherwise.
"""

from __future__ import annotations

import ctypes
import glob
import json
import os
import subprocess
import sys

import numpy as np
from numpy._core import _multiarray_umath as umath

# The kernel to force for each kernel OpenBLAS may pick: one generation older, so
# the CPU can still run it.
OLDER_CORE = {
    "SAPPHIRERAPIDS": "Haswell",
    "COOPERLAKE": "Haswell",
    "SKYLAKEX": "Haswell",
    "ZEN": "Sandybridge",
    "HASWELL": "Sandybridge",
    "SANDYBRIDGE": "Nehalem",
}
FALLBACK_CORE = "Prescott"  # SSE3: any x86-64


def openblas_core() -> str:
    """The name of the kernel NumPy's bundled OpenBLAS uses in this process."""
    libs = glob.glob(
        os.path.join(os.path.dirname(np.__file__), "..", "numpy.libs", "*openblas*")
    )
    for path in libs:
        lib = ctypes.CDLL(path)
        for name in ("scipy_openblas_get_corename64_", "openblas_get_corename64_"):
            get_corename = getattr(lib, name, None)
            if get_corename is not None:
                get_corename.restype = ctypes.c_char_p
                return get_corename().decode()
    raise RuntimeError(f"no OpenBLAS with get_corename next to numpy ({libs})")


def optional_features() -> list[str]:
    """NumPy's dispatch groups that this CPU has (and NumPy now uses)."""
    return [f for f in umath.__cpu_dispatch__ if umath.__cpu_features__.get(f)]


def settings() -> dict[str, str]:
    env = {"OPENBLAS_CORETYPE": OLDER_CORE.get(openblas_core().upper(), FALLBACK_CORE)}
    features = optional_features()
    if features:
        env["NPY_DISABLE_CPU_FEATURES"] = ",".join(features)
    return env


def _report() -> None:  # run in the child process
    print(json.dumps({"core": openblas_core(), "features": optional_features()}))


def main() -> int:
    env = settings()
    before = {"core": openblas_core(), "features": optional_features()}
    child = subprocess.run(
        [sys.executable, __file__, "--report"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if child.returncode != 0:
        print(
            f"portable_env: a Python with {env} failed:\n{child.stderr}",
            file=sys.stderr,
        )
        return 1
    after = json.loads(child.stdout)
    if after["core"] == before["core"] or after["features"]:
        print(
            f"portable_env: {env} did not take effect: OpenBLAS kernel "
            f"{before['core']} -> {after['core']}, NumPy optional features still "
            f"in use: {after['features']}",
            file=sys.stderr,
        )
        return 1
    print(
        f"portable_env: OpenBLAS {before['core']} -> {after['core']}; NumPy "
        f"optional features off: {', '.join(before['features']) or 'none found'}",
        file=sys.stderr,
    )
    print(" ".join(f"{k}={v}" for k, v in env.items()))
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--report"]:
        _report()
        sys.exit(0)
    sys.exit(main())

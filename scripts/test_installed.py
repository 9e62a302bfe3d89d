"""Test the course installed the way a JupyterHub image installs it.

    .venv/bin/python scripts/test_installed.py [--keep]      (or: make test-installed)

1. Build gdcore's wheel with pip from a clean copy of the sources (as from a fresh
   clone: no stale build/ folder can add or hide a module).
2. Install it, not editable, with ``--constraint constraints.txt`` (and its ``test``
   extra, for pytest and nbval) into a fresh virtual environment.
3. Copy notebooks/ and tests/nbval_sanitize.cfg to a temporary folder outside the
   repository and run nbval in strict mode there, from that folder, so that only
   the installed package can be imported: PYTHONPATH is dropped and the script
   checks where ``gdcore`` is imported from.

Every other environment variable of the caller reaches nbval and the kernels, so
that CI can run this with NumPy held to its baseline SIMD level
(``NPY_DISABLE_CPU_FEATURES``) and another OpenBLAS core (``OPENBLAS_CORETYPE``).
The last line printed is pytest's own summary; the exit status is pytest's.
Everything happens in one temporary folder, removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What `pip wheel` needs from the repository: the build configuration, the README
# it uses as the long description, and the package.
WHEEL_SOURCES = ("pyproject.toml", "README.md", "gdcore")
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"


def build_wheel(dest: Path) -> Path:
    """Build gdcore's wheel from a clean copy of the sources; return its path."""
    source = dest / "source"
    for name in WHEEL_SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=_ignore_caches)
        else:
            source.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name)
    out = dest / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, "."],
        cwd=source,
    )
    wheels = sorted(out.glob("gdcore-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one gdcore wheel in {out}, found {wheels}")
    return wheels[0]


def _ignore_caches(folder: str, names: list[str]) -> set[str]:
    return {n for n in names if n == "__pycache__" or n.endswith((".pyc", ".pyo"))}


def _run(command: list, *, cwd: Path, env: dict | None = None) -> None:
    """Run a command, failing with its output when it fails."""
    command = [str(part) for part in command]
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise RuntimeError(
            f"{' '.join(command)} exited with {result.returncode}:\n"
            f"{result.stdout}{result.stderr}"
        )


def _clean_environment(venv: Path) -> dict[str, str]:
    """The caller's environment, with the fresh venv first on PATH and no
    PYTHONPATH (which could put the repository on sys.path)."""
    env = os.environ.copy()
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP"):
        env.pop(name, None)
    env["VIRTUAL_ENV"] = str(venv)
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # The stored outputs were made with PYTHONHASHSEED=0 (the Makefile sets it).
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def install(wheel: Path, venv: Path, cwd: Path) -> dict[str, str]:
    """Make a fresh venv with the wheel installed; return the environment to use."""
    _run([sys.executable, "-m", "venv", venv], cwd=cwd)
    env = _clean_environment(venv)
    python = venv / "bin" / "python"
    pip = [python, "-m", "pip", "install", "--quiet"]
    _run(
        [*pip, "--constraint", ROOT / "constraints.txt", f"{wheel}[test]"],
        cwd=cwd,
        env=env,
    )
    # Where gdcore comes from, seen from the folder the notebooks run in; this also
    # builds matplotlib's font cache, whose message would otherwise land on the
    # first notebook's stderr.
    probe = subprocess.run(
        [
            python,
            "-c",
            "import gdcore, gdcore.widgets, gdcore.exercises, matplotlib.font_manager;"
            "print(gdcore.__file__)",
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode:
        raise RuntimeError(f"the installed gdcore does not import:\n{probe.stderr}")
    where = probe.stdout.strip()
    if not Path(where).is_relative_to(venv) or Path(where).is_relative_to(ROOT):
        raise RuntimeError(f"gdcore is imported from {where}, not from {venv}")
    print(f"gdcore imported from {where}", flush=True)
    return env


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary folder to look into"
    )
    args = parser.parse_args(argv)

    start = time.monotonic()
    tmp = Path(tempfile.mkdtemp(prefix="gdcore-installed-")).resolve()
    try:
        wheel = build_wheel(tmp / "wheel")
        print(f"built {wheel.name}", flush=True)
        course = tmp / "course"
        shutil.copytree(
            ROOT / "notebooks",
            course / "notebooks",
            ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
        )
        shutil.copy2(SANITIZE, course / SANITIZE.name)
        env = install(wheel, tmp / "venv", cwd=course)
        print(
            f"installed into {tmp / 'venv'} in {time.monotonic() - start:.0f} s; "
            f"running nbval on the copies in {course}",
            flush=True,
        )
        command = [
            str(tmp / "venv" / "bin" / "python"),
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            SANITIZE.name,
            "-p",
            "no:cacheprovider",
            "notebooks",
        ]
        return subprocess.run(command, cwd=course, env=env, check=False).returncode
    finally:
        if args.keep:
            print(f"kept {tmp}", flush=True)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

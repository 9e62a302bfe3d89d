"""The wheel ships the whole package.

A JupyterHub image installs gdcore from its wheel, not from this folder: a module
missing from the wheel breaks the notebooks there while every test here passes.
scripts/test_installed.py runs the notebooks against the installed wheel; this is
its quick check.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from scripts.test_installed import build_wheel

ROOT = Path(__file__).resolve().parent.parent


def test_the_wheel_holds_every_module_of_the_package(tmp_path):
    wheel = build_wheel(tmp_path)
    shipped = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "gdcore").rglob("*.py")}
    assert {"gdcore/widgets/__init__.py", "gdcore/exercises/__init__.py"} <= modules
    assert sorted(modules - shipped) == []

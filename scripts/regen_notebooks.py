"""Re-execute the course notebooks and store their outputs, deterministically.

    .venv/bin/python scripts/regen_notebooks.py [--check] [NOTEBOOK ...]

Each notebook (default: every notebooks/*.ipynb) runs top to bottom in a fresh
"python3" kernel of the current environment, with its own folder as the working
directory and PYTHONHASHSEED=0. The executed notebook is written back so that two
runs give byte-identical files:

- no timing metadata and no saved widget state;
- no ``application/vnd.jupyter.widget-view+json`` outputs (their model ids are
  random); the text/plain and image/png fallbacks stay, so GitHub still shows them;
- fixed kernelspec and language_info metadata;
- stable JSON from ``nbformat.write``.

A cell that raises or writes to stderr fails the run: the cell and its error are
printed and the exit status is 1.

Figures are compared the way nbval compares them: not at all. Their PNG bytes
change with the CPU that drew them (a curve moved by 1e-13 changes a pixel), so
two notebooks count as the same when they agree once ``image/png`` outputs and
embedded PNG data URLs are masked (:func:`comparable`, which applies nbval's
sanitize rules from tests/nbval_sanitize.cfg). ``--check`` regenerates into a
temporary directory and exits 1 if any committed notebook differs from its
regenerated text in anything but figure bytes (stale outputs, unexecuted cells,
widget state, metadata noise or non-determinism), without touching the files.
``make notebooks`` always writes the fresh file, figures included.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import ipykernel.kernelspec
import nbformat
import zmq
from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from nbval.plugin import get_sanitize_patterns
from traitlets import default

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"

KERNEL_NAME = "python3"
CELL_TIMEOUT = 600  # seconds; the slowest course cell takes a few
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IMAGES = ("image/png", "image/jpeg")  # nbval does not compare these

# Written into every notebook instead of what the kernel reports, so that a patch
# release of Python or ipykernel does not change the stored files.
KERNELSPEC = {
    "display_name": "Python 3 (ipykernel)",
    "language": "python",
    "name": KERNEL_NAME,
}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.11",
}


class NotebookFailed(Exception):
    """A cell raised, or wrote to stderr."""


class _CurrentEnvKernelSpecs(KernelSpecManager):
    """Resolve "python3" to this interpreter, whatever kernels the user installed."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        if kernel_name == KERNEL_NAME:
            return self.kernel_spec_class(
                resource_dir=ipykernel.kernelspec.RESOURCES,
                **ipykernel.kernelspec.get_kernel_dict(),
            )
        return super().get_kernel_spec(kernel_name)


class _CurrentEnvKernelManager(AsyncKernelManager):
    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self) -> KernelSpecManager:
        return _CurrentEnvKernelSpecs(data_dir=self.data_dir)

    @default("transport_encryption")
    def _transport_encryption_default(self) -> str:
        # Encrypt the local TCP sockets when pyzmq can; this also keeps the kernel
        # from printing its "running over TCP without encryption" warning.
        return "auto" if zmq.has("curve") else "disabled"


def _describe(index: int, cell: nbformat.NotebookNode) -> str:
    return (
        f"cell {index} (execution count {cell.get('execution_count')}):\n{cell.source}"
    )


def execute(nb: nbformat.NotebookNode, cwd: Path) -> nbformat.NotebookNode:
    """Run every code cell of ``nb`` in a fresh kernel; return the executed copy."""
    nb = nbformat.from_dict(nb)  # deep copy: never mutate the caller's notebook
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    client = NotebookClient(
        nb,
        kernel_name=KERNEL_NAME,
        kernel_manager_class=_CurrentEnvKernelManager,
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        record_timing=False,
        store_widget_state=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        client.execute(env={**os.environ, "PYTHONHASHSEED": "0"})
    except CellExecutionError as exc:
        index = next(
            (i for i, c in enumerate(nb.cells) if _has_error(c)), "?"
        )  # nbclient stops at the failing cell; its error output is stored
        raise NotebookFailed(f"cell {index} raised:\n{exc}") from None
    for index, cell in enumerate(nb.cells):
        if _has_error(cell):  # a cell tagged raises-exception is still a failure
            raise NotebookFailed(f"{_describe(index, cell)}\nraised an error")
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stderr":
                raise NotebookFailed(
                    f"{_describe(index, cell)}\nwrote to stderr:\n{out.text}"
                )
    return nb


def _has_error(cell: nbformat.NotebookNode) -> bool:
    return any(out.output_type == "error" for out in cell.get("outputs", []))


def normalize(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop everything that changes from run to run (in place; returns ``nb``)."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = dict(LANGUAGE_INFO)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        outputs = []
        for out in cell.outputs:
            if "data" in out:
                out.data.pop(WIDGET_VIEW, None)
                out.get("metadata", {}).pop(WIDGET_VIEW, None)
                if not out.data:  # nothing left to show without a live kernel
                    continue
            outputs.append(out)
        cell.outputs = outputs
    return nb


def comparable(text: str) -> str:
    """A notebook's text as nbval compares it: figure bytes masked, rules applied.

    ``image/png`` and ``image/jpeg`` outputs become a placeholder, and every string
    goes through nbval's sanitize rules from tests/nbval_sanitize.cfg (they mask
    PNG data URLs embedded in HTML, memory addresses and kernel temp paths).
    """
    nb = nbformat.reads(text, as_version=4)
    rules = get_sanitize_patterns(SANITIZE_CFG.read_text(encoding="utf-8"))

    def sanitize(value):
        if isinstance(value, str):
            for regex, replace in rules:
                value = re.sub(regex, replace, value)
        return value

    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            for key in list(data):
                data[key] = "<figure>" if key in IMAGES else sanitize(data[key])
            if "text" in out:
                out.text = sanitize(out.text)
    return nbformat.writes(nb)


def regenerate(path: Path) -> str:
    """The executed, normalized notebook at ``path`` as the text nbformat writes."""
    nb = nbformat.read(path, as_version=4)
    nb = normalize(execute(nb, cwd=path.parent))
    nbformat.validate(nb)
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"  # as nbformat.write does


def _diff(old: str, new: str, name: str, limit: int = 40) -> str:
    lines = list(
        difflib.unified_diff(
            old.splitlines(),
            new.splitlines(),
            f"{name} (committed)",
            f"{name} (regenerated)",
            lineterm="",
        )
    )
    if len(lines) > limit:
        lines = [*lines[:limit], f"... ({len(lines) - limit} more diff lines)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "paths", nargs="*", type=Path, help="default: notebooks/*.ipynb"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="regenerate into a temporary directory; exit 1 if any file would change",
    )
    args = parser.parse_args(argv)
    paths = args.paths or sorted(NOTEBOOKS.glob("*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1

    failed = []
    with tempfile.TemporaryDirectory(prefix="regen-notebooks-") as tmp:
        for index, path in enumerate(paths):
            path = path.resolve()
            start = time.perf_counter()
            try:
                text = regenerate(path)
            except NotebookFailed as exc:
                print(f"FAILED {path.name}: {exc}", file=sys.stderr)
                failed.append(path)
                continue
            label = f"{path.name} ({time.perf_counter() - start:.1f} s)"
            old = path.read_text(encoding="utf-8")
            same = comparable(text) == comparable(old)
            if args.check:
                fresh = Path(tmp) / f"{index}-{path.name}"
                fresh.write_text(text, encoding="utf-8", newline="\n")
                if not same:
                    print(f"STALE     {label}: differs from a fresh run")
                    print(_diff(comparable(old), comparable(text), path.name))
                    failed.append(path)
                elif fresh.read_bytes() != path.read_bytes():
                    print(f"ok        {label} (figures differ only in pixels)")
                else:
                    print(f"ok        {label}")
            else:
                state = "unchanged" if text == old else "updated"
                path.write_text(text, encoding="utf-8", newline="\n")
                print(f"{state:9} {label}")
    if failed:
        names = ", ".join(p.name for p in failed)
        print(f"{len(failed)} notebook(s) failed: {names}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

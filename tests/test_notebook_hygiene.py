"""The stored notebooks are clean, fresh and reproducible.

Every notebooks/*.ipynb must be a valid notebook whose code cells were all run, in
order, by ``make notebooks``, with no errors, no stderr, no saved widget state and no
huge outputs; a cell that nbval skips or does not compare says why. Each check is a
function returning a list of problems, and each is shown to catch its defect on a
small fixture notebook. The slow tests run scripts/regen_notebooks.py itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
from nbval.plugin import get_sanitize_patterns

from scripts.regen_notebooks import comparable, normalize

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REGEN = ROOT / "scripts" / "regen_notebooks.py"
SANITIZE_CFG = ROOT / "tests" / "nbval_sanitize.cfg"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAX_OUTPUT_BYTES = 1_000_000
REASON_TAGS = ("nbval-skip", "nbval-ignore-output")
# nbval also obeys these comments; the course uses the tags above instead, so that
# every exception to the output comparison carries its reason on the first line.
NBVAL_COMMENTS = (
    "NBVAL_SKIP",
    "NBVAL_IGNORE_OUTPUT",
    "NBVAL_CHECK_OUTPUT",
    "NBVAL_RAISES_EXCEPTION",
    "PYTEST_VALIDATE_IGNORE_OUTPUT",
)


# --- the checks -------------------------------------------------------------------


def check_valid(path: Path) -> list[str]:
    """The file parses as JSON and validates against the nbformat 4 schema."""
    try:
        nb = nbformat.reads(path.read_text(encoding="utf-8"), nbformat.NO_CONVERT)
        nbformat.validate(nb)
    except (ValueError, nbformat.ValidationError) as exc:  # JSON errors are ValueErrors
        return [f"{path.name} is not a valid notebook: {str(exc).splitlines()[0]}"]
    if nb.nbformat != 4:
        return [f"{path.name} is nbformat {nb.nbformat}, expected 4"]
    return []


def _code_cells(nb: NotebookNode) -> list[tuple[int, NotebookNode]]:
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def _outputs(nb: NotebookNode):
    for i, cell in _code_cells(nb):
        for out in cell.get("outputs", []):
            yield i, out


def check_executed(nb: NotebookNode) -> list[str]:
    """Every non-empty code cell has been run (empty ones are skipped by nbclient)."""
    return [
        f"cell {i} was never run"
        for i, c in _code_cells(nb)
        if c.source.strip() and c.execution_count is None
    ]


def check_execution_order(nb: NotebookNode) -> list[str]:
    """Execution counts read 1, 2, 3, ...: one clean top-to-bottom run."""
    counts = [c.execution_count for _, c in _code_cells(nb) if c.source.strip()]
    expected = list(range(1, len(counts) + 1))
    if counts != expected:
        return [f"execution counts are {counts}, expected {expected}"]
    return []


def check_no_errors(nb: NotebookNode) -> list[str]:
    return [
        f"cell {i} stored an error: {out.get('ename')}: {out.get('evalue')}"
        for i, out in _outputs(nb)
        if out.output_type == "error"
    ]


def check_no_stderr(nb: NotebookNode) -> list[str]:
    return [
        f"cell {i} wrote to stderr: {out.text[:200]!r}"
        for i, out in _outputs(nb)
        if out.output_type == "stream" and out.name == "stderr"
    ]


def check_no_widget_state(nb: NotebookNode) -> list[str]:
    """No saved widget state and no widget views (their model ids are random)."""
    problems = ["metadata.widgets is stored"] if "widgets" in nb.metadata else []
    problems += [
        f"cell {i} stores a widget view"
        for i, out in _outputs(nb)
        if WIDGET_VIEW in out.get("data", {})
    ]
    return problems


def check_reasons(nb: NotebookNode) -> list[str]:
    """A cell tagged nbval-skip or nbval-ignore-output starts with '# <tag>: why'."""
    problems = []
    for i, cell in _code_cells(nb):
        lines = cell.source.splitlines()
        first = lines[0] if lines else ""
        for tag in REASON_TAGS:
            if tag in cell.metadata.get("tags", []) and not re.match(
                rf"#\s*{tag}:\s*\S", first
            ):
                problems.append(
                    f"cell {i} is tagged {tag}; begin it with '# {tag}: why'"
                )
        for line in lines:
            comment = line.strip().lstrip("#").strip()
            if line.strip().startswith("#") and comment in NBVAL_COMMENTS:
                problems.append(f"cell {i} uses '# {comment}'; use a tag and a reason")
    return problems


def check_normalized(nb: NotebookNode) -> list[str]:
    """Stored as ``make notebooks`` stores it: fixed kernel metadata, no timings.

    This is the part of a fresh regeneration that needs no kernel; nbval, which
    re-executes every notebook, checks the outputs themselves.
    """
    fresh = normalize(nbformat.from_dict(nb))
    problems = []
    for key in ("kernelspec", "language_info"):
        if nb.metadata.get(key) != fresh.metadata[key]:
            problems.append(f"metadata.{key} is {nb.metadata.get(key)!r}")
    problems += [
        f"cell {i} stores execution timings"
        for i, c in enumerate(nb.cells)
        if "execution" in c.metadata
    ]
    return problems


def check_output_size(nb: NotebookNode) -> list[str]:
    problems = []
    for i, out in _outputs(nb):
        size = len(json.dumps(out).encode())
        if size > MAX_OUTPUT_BYTES:
            problems.append(f"cell {i} has a {size:,}-byte output (limit 1 MB)")
    return problems


LINK = re.compile(r"\]\(([^)\s]+)\)")  # the target of a Markdown [text](target)


def check_links(nb: NotebookNode, folder: Path) -> list[str]:
    """Relative links in Markdown cells point at files that exist."""
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for target in LINK.findall(cell.source):
            file = target.split("#", 1)[0]
            if not file or re.match(r"[a-z][a-z0-9+.-]*:", file):  # anchor or URL
                continue
            if not (folder / file).exists():
                problems.append(f"cell {i} links to {target}, which does not exist")
    return problems


CHECKS: list[Callable[[NotebookNode], list[str]]] = [
    check_executed,
    check_execution_order,
    check_no_errors,
    check_no_stderr,
    check_no_widget_state,
    check_reasons,
    check_normalized,
    check_output_size,
]


# --- the course notebooks ---------------------------------------------------------


def test_course_notebooks_are_found():
    # Guards the parametrized tests below against an empty (vacuous) glob.
    assert "00_start_here.ipynb" in [p.name for p in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_valid(path):
    problems = check_valid(path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_hygiene(path, check):
    problems = check(nbformat.read(path, as_version=4))
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_links_resolve(path):
    problems = check_links(nbformat.read(path, as_version=4), path.parent)
    assert not problems, "\n".join(problems)


# --- each check catches its defect ------------------------------------------------


def good_notebook() -> NotebookNode:
    """A small notebook as scripts/regen_notebooks.py would store it."""
    cells = [
        new_markdown_cell("# A fixture"),
        new_code_cell("x = 1", execution_count=1),
        new_code_cell("", execution_count=None),  # empty cells are not run
        new_code_cell(
            "print(x)",
            execution_count=2,
            outputs=[new_output("stream", name="stdout", text="1\n")],
        ),
        new_code_cell(
            "# nbval-ignore-output: the clock differs on every run\nimport time\n"
            "time.time()",
            execution_count=3,
            metadata={"tags": ["nbval-ignore-output"]},
            outputs=[
                new_output("execute_result", {"text/plain": "1.7e9"}, execution_count=3)
            ],
        ),
        new_code_cell(
            "slider",
            execution_count=4,
            outputs=[
                new_output("display_data", {"text/plain": "FloatSlider(value=0.1)"})
            ],
        ),
    ]
    return normalize(new_notebook(cells=cells))


def _unrun(nb):
    nb.cells[3].execution_count = None


def _out_of_order(nb):
    nb.cells[1].execution_count, nb.cells[3].execution_count = 2, 1


def _error(nb):
    nb.cells[3].outputs.append(
        new_output("error", ename="ZeroDivisionError", evalue="division by zero")
    )


def _stderr(nb):
    nb.cells[3].outputs.append(new_output("stream", name="stderr", text="warning\n"))


def _widget_metadata(nb):
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}


def _widget_view(nb):
    nb.cells[5].outputs[0].data[WIDGET_VIEW] = {"model_id": "0f3a", "version_major": 2}


def _tag_without_reason(nb):
    nb.cells[1].metadata["tags"] = ["nbval-skip"]


def _empty_reason(nb):
    nb.cells[4].source = "# nbval-ignore-output:\nimport time\ntime.time()"


def _comment_marker(nb):
    nb.cells[1].source = "# NBVAL_IGNORE_OUTPUT\nx = 1"


def _kernel_metadata(nb):
    nb.metadata["language_info"]["version"] = "3.11.7"  # a patch release leaks in


def _timings(nb):
    nb.cells[1].metadata["execution"] = {"iopub.status.idle": "2026-12-04T17:00:00Z"}


def _huge_output(nb):
    nb.cells[3].outputs[0].text = "0" * (MAX_OUTPUT_BYTES + 1)


DEFECTS = [
    (_unrun, check_executed),
    (_out_of_order, check_execution_order),
    (_error, check_no_errors),
    (_stderr, check_no_stderr),
    (_widget_metadata, check_no_widget_state),
    (_widget_view, check_no_widget_state),
    (_tag_without_reason, check_reasons),
    (_empty_reason, check_reasons),
    (_comment_marker, check_reasons),
    (_kernel_metadata, check_normalized),
    (_timings, check_normalized),
    (_huge_output, check_output_size),
]


@pytest.mark.parametrize("check", CHECKS, ids=[c.__name__ for c in CHECKS])
def test_fixture_notebook_passes_every_check(check):
    assert check(good_notebook()) == []


@pytest.mark.parametrize(
    ("defect", "check"), DEFECTS, ids=[d.__name__.lstrip("_") for d, _ in DEFECTS]
)
def test_check_detects_its_defect(defect, check):
    nb = good_notebook()
    defect(nb)
    assert check(nb) != []


def test_check_links_detects_a_missing_target(tmp_path):
    (tmp_path / "01_next.ipynb").write_text("{}")
    nb = new_notebook(
        cells=[
            new_markdown_cell(
                "[next](01_next.ipynb), [docs](https://numpy.org/doc/), [up](#top)"
            )
        ]
    )
    assert check_links(nb, tmp_path) == []
    nb.cells[0].source += "\nand [a typo](01_nxet.ipynb#part-2)"
    assert check_links(nb, tmp_path) == [
        "cell 0 links to 01_nxet.ipynb#part-2, which does not exist"
    ]


def test_check_valid_detects_broken_files(tmp_path):
    good = tmp_path / "good.ipynb"
    nbformat.write(good_notebook(), good)
    assert check_valid(good) == []

    not_json = tmp_path / "not_json.ipynb"
    not_json.write_text('{"cells": [', encoding="utf-8")
    assert check_valid(not_json) != []

    bad_schema = tmp_path / "bad_schema.ipynb"
    raw = json.loads(good.read_text(encoding="utf-8"))
    raw["cells"][1]["execution_count"] = "one"  # must be an integer or null
    bad_schema.write_text(json.dumps(raw), encoding="utf-8")
    assert check_valid(bad_schema) != []


# --- the nbval sanitizers ---------------------------------------------------------


def _sanitize(text: str) -> str:
    for regex, replace in get_sanitize_patterns(SANITIZE_CFG.read_text("utf-8")):
        text = re.sub(regex, replace, text)
    return text


def test_sanitizers_hide_only_what_varies():
    assert len(get_sanitize_patterns(SANITIZE_CFG.read_text("utf-8"))) == 3
    assert _sanitize("<function f at 0x7f3a2b1c90e0>") == "<function f at 0xADDRESS>"
    assert (
        _sanitize('File "/tmp/ipykernel_4242/1234567890.py", line 2')
        == 'File "<ipykernel cell>", line 2'
    )
    assert (
        _sanitize("<img src='data:image/png;base64,iVBORw0KGgo+/A==' width=640/>")
        == "<img src='data:image/png;base64,<PNG>' width=640/>"
    )
    # Course output that must still be compared is left alone.
    text = "θ = [2.8, 0.05] after 10 steps; x = (1 − 2η)·x = 0.8"
    assert _sanitize(text) == text


# --- scripts/regen_notebooks.py (slow: each run starts a kernel) -------------------


def regen(*args: str | Path) -> subprocess.CompletedProcess:
    # `make test` exports PYTHONHASHSEED=0; undo that here, so the tests see whether
    # the script pins the kernel's hash seed itself.
    return subprocess.run(
        [sys.executable, str(REGEN), *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "random"},
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )


def _write(path: Path, *sources: str) -> Path:
    nbformat.write(new_notebook(cells=[new_code_cell(s) for s in sources]), path)
    return path


# The committed notebooks' outputs are compared with a fresh run by nbval (make
# test's last step), which compares what `regen --check` compares: see below.


def _figure_notebook(png: str, html_png: str, text: str) -> str:
    figure = new_output(
        "display_data",
        {
            "image/png": png,
            "text/html": f"<img src='data:image/png;base64,{html_png}'/>",
            "text/plain": text,
        },
    )
    nb = new_notebook(cells=[new_code_cell("fig", execution_count=1, id="fig")])
    nb.cells[0].outputs = [figure]
    return nbformat.writes(nb)


def test_comparable_masks_figure_bytes_as_nbval_does():
    stored = _figure_notebook("iVBORw0KGgoAAA=", "iVBORw0KGgoAAA=", "<Figure 640x480>")
    repainted = _figure_notebook(
        "iVBORw0KGgoBBB=", "iVBORw0KGgoCCC=", "<Figure 640x480>"
    )
    relabelled = _figure_notebook(
        "iVBORw0KGgoAAA=", "iVBORw0KGgoAAA=", "<Figure 320x240>"
    )
    assert stored != repainted
    assert comparable(stored) == comparable(repainted)  # pixels differ only
    assert comparable(stored) != comparable(relabelled)  # text still compared


@pytest.mark.slow
def test_regen_output_is_byte_stable_and_clean(tmp_path):
    (tmp_path / "data.txt").write_text("read from the notebook's folder\n")
    path = _write(
        tmp_path / "fixture.ipynb",
        "%matplotlib widget\nimport matplotlib.pyplot as plt\nimport ipywidgets",
        "fig, ax = plt.subplots(figsize=(2, 2))\nax.plot([0, 1], [1, 0]);",
        "ipywidgets.FloatLogSlider(value=0.1, min=-3, max=0)",
        "print(open('data.txt').read().strip())",
        "print(hash('gradient descent'))",
    )
    first = regen(path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "fixture.ipynb (" in first.stdout  # reports its execution time

    nb = nbformat.read(path, as_version=4)
    assert [c.execution_count for c in nb.cells] == [1, 2, 3, 4, 5]
    assert "widgets" not in nb.metadata
    assert nb.metadata.kernelspec.name == "python3"
    assert nb.metadata.language_info.version == "3.11"
    assert all("execution" not in c.metadata for c in nb.cells)
    figure, slider = nb.cells[1].outputs[0], nb.cells[2].outputs[0]
    assert WIDGET_VIEW not in figure.data
    assert "image/png" in figure.data  # the fallback GitHub shows stays
    assert slider.data == {"text/plain": "FloatLogSlider(value=0.1, max=0.0, min=-3.0)"}
    assert nb.cells[3].outputs[0].text == "read from the notebook's folder\n"
    seeded = subprocess.run(
        [sys.executable, "-c", "print(hash('gradient descent'))"],
        env={"PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert nb.cells[4].outputs[0].text == seeded.stdout

    stored = path.read_bytes()
    second = regen("--check", path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert path.read_bytes() == stored

    # Another CPU draws the figure's pixels slightly differently: still fresh.
    nb.cells[1].outputs[0].data["image/png"] = figure.data["image/png"][::-1]
    nbformat.write(nb, path)
    repainted = regen("--check", path)
    assert repainted.returncode == 0, repainted.stdout + repainted.stderr
    assert "figures differ only in pixels" in repainted.stdout

    nb.cells[3].outputs[0].text = "an outdated output\n"
    nbformat.write(nb, path)
    stale = path.read_bytes()
    third = regen("--check", path)
    assert third.returncode == 1
    assert "STALE" in third.stdout
    assert "an outdated output" in third.stdout  # the diff is shown
    assert path.read_bytes() == stale  # --check never writes


@pytest.mark.slow
def test_regen_check_detects_nondeterminism(tmp_path):
    path = _write(tmp_path / "random.ipynb", "import os\nos.getpid()")
    assert regen(path).returncode == 0
    result = regen("--check", path)
    assert result.returncode == 1
    assert "STALE" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x = 1\n1 / 0", "ZeroDivisionError"),
        ("import sys\nprint('careful', file=sys.stderr)", "wrote to stderr"),
        ("import warnings\nwarnings.warn('careful')", "UserWarning: careful"),
    ],
    ids=["raises", "stderr", "warning"],
)
def test_regen_fails_loudly(tmp_path, source, message):
    path = _write(tmp_path / "broken.ipynb", "a = 2", source)
    before = path.read_bytes()
    result = regen(path)
    assert result.returncode == 1
    assert message in result.stderr
    assert source.splitlines()[-1] in result.stderr  # the failing cell is shown
    assert path.read_bytes() == before  # a failed run writes nothing

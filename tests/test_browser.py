"""Open every course notebook in a real JupyterLab + headless Chromium and use it.

For each notebooks/*.ipynb the test runs all cells through JupyterLab's Run menu,
then checks what a learner would see:

- no error output (tracebacks, warnings: anything on stderr), except in cells
  tagged "raises-exception";
- every ipywidgets slider drawn as a noUiSlider, no widget shown as text
  ("FloatSlider(value=...)"), no "Error displaying widget" or "Loading widget...",
  every ipympl canvas fully painted and as narrow as the notebook (with the file
  browser open in a 1280 px window), every output image loaded;
- moving the first slider (arrow keys on its handle) changes the figure in its cell,
  pixel for pixel (if its cell has no figure: any figure or any output text);
- ten quick key presses end on the same picture as a slow step to the same value
  (no update lost on the way);
- nothing is written back to the repository.

Screenshots land in screenshots/<notebook-stem>/ (git-ignored): page.png (or
page-01.png, page-02.png... for a long notebook) after the run, output_*.png of the
first slider's cell and figure_before/after.png of the figure it changed; on a
failure also failure.png (and *_slow.png).

Chromium comes from the system (Debian's `chromium` package, see .ci/run); playwright
only drives it, so no browser download is needed. Without chromium or playwright the
module is skipped locally and fails in CI (CI=true).
"""

from __future__ import annotations

import base64
import contextlib
import json
import math
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
SCREENSHOT_DIR = ROOT / "screenshots"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

IN_CI = os.environ.get("CI", "").lower() == "true"

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The network is closed: without these chromium keeps retrying Google services.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
MAX_PAGE_HEIGHT = 4_000  # px; a longer notebook is saved as page-01.png, page-02.png...

SERVER_START_TIMEOUT = 60  # s
PAGE_TIMEOUT = 30_000  # ms, default for every playwright wait
RUN_ALL_TIMEOUT = 120_000  # ms, generous: a notebook may train a few models
SETTLE_TIMEOUT = 15_000  # ms for widgets and figures to draw after the run
REACTION_TIMEOUT = 15  # s for a figure or label to react to the slider
ARROW_PRESSES = 10

# JupyterLab user settings for the test server (fresh config dir, so only these apply).
LAB_SETTINGS = {
    # Never write the notebooks back: run-all must leave the repository untouched.
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    # Offline: no news feed, no update check, no "get notified?" toast.
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
    "@jupyterlab/notebook-extension/tracker": {
        # Attach every cell to the DOM, so every output is rendered and inspectable.
        "windowingMode": "none",
        # Start the notebook's kernel without asking "Select Kernel".
        "autoStartDefaultKernel": True,
    },
}

FIGURES = ".jupyter-matplotlib-canvas-div, .jp-OutputArea-output img"
SLIDER = ".widget-slider"
# What a widget looks like when the front end cannot render it.
WIDGET_REPR = re.compile(
    r"\b\w*(?:Slider|Box|Canvas|Label|Dropdown|Button|Output|HTML)\((?:value|children|"
    r"toolbar|layout|description|options|outputs)="
)
WIDGET_FAILURES = ("Error displaying widget", "Loading widget...")
# Harmless browser noise that reaches window.onerror.
IGNORED_JS_ERRORS = ("ResizeObserver loop",)


def _find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


try:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import Request, sync_playwright
except ImportError as exc:  # the dev extra is not installed
    PLAYWRIGHT_MISSING: str | None = f"playwright is not importable ({exc})"
    PlaywrightError = Exception
    Request = object
else:
    PLAYWRIGHT_MISSING = None


def _missing_requirement() -> str | None:
    if PLAYWRIGHT_MISSING:
        return PLAYWRIGHT_MISSING + "; install the dev extra (make install)"
    if _find_chromium() is None:
        return "no chromium at /usr/bin/chromium or on PATH (apt-get install chromium)"
    return None


MISSING = _missing_requirement()
if MISSING and not IN_CI:
    pytest.skip(f"browser test skipped: {MISSING}", allow_module_level=True)

pytestmark = pytest.mark.browser


# --------------------------------------------------------------------------- server


@dataclass
class LabServer:
    url: str
    token: str
    process: subprocess.Popen
    runtime_dir: Path

    def api(self, method: str, path: str) -> object:
        request = urllib.request.Request(
            f"{self.url}api/{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
            data=b"" if method == "POST" else None,
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def notebook_url(self, notebook: Path) -> str:
        # `reset` starts from an empty workspace, so the notebook of the previous
        # test is not reopened (and does not start a second kernel).
        relative = notebook.relative_to(ROOT).as_posix()
        return f"{self.url}lab/tree/{relative}?reset&token={self.token}"

    def wait_for_kernel(self, notebook: Path) -> None:
        """Wait until the notebook's kernel is idle with the page connected to it."""
        path = notebook.relative_to(ROOT).as_posix()
        deadline = time.monotonic() + PAGE_TIMEOUT / 1000
        while time.monotonic() < deadline:
            for session in self.api("GET", "sessions"):
                kernel = session["kernel"]
                if (
                    session["path"] == path
                    and kernel["execution_state"] == "idle"
                    and kernel["connections"] > 0
                ):
                    return
            time.sleep(0.1)
        pytest.fail(f"no idle kernel connected to {path}", pytrace=False)

    def shut_down_sessions(self) -> None:
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def stop(self) -> None:
        if self.url:  # empty when the server never answered
            with contextlib.suppress(OSError, urllib.error.URLError):
                self.api("POST", "shutdown")  # also shuts down the kernels
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        _kill_orphan_kernels(self.runtime_dir)


def _kill_orphan_kernels(runtime_dir: Path) -> None:
    """Kill kernels whose connection file is in *our* runtime dir (server crashed)."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    marker = str(runtime_dir).encode()
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if marker in (entry / "cmdline").read_bytes():
                os.kill(int(entry.name), signal.SIGKILL)


def _write_lab_settings(settings_dir: Path) -> None:
    for plugin, values in LAB_SETTINGS.items():
        path = settings_dir / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


def _wait_for_server(
    process: subprocess.Popen, runtime_dir: Path, token: str, log: Path
) -> str:
    """Return the server's base URL once /api/status answers."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    info_file = runtime_dir / f"jpserver-{process.pid}.json"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"JupyterLab exited with {process.returncode}:\n{log.read_text()}",
                pytrace=False,
            )
        if info_file.exists():
            with contextlib.suppress(ValueError, KeyError, OSError):
                url = json.loads(info_file.read_text())["url"]
                request = urllib.request.Request(
                    f"{url}api/status", headers={"Authorization": f"token {token}"}
                )
                with urllib.request.urlopen(request, timeout=2):
                    return url
        time.sleep(0.2)
    pytest.fail(
        f"JupyterLab gave no answer in {SERVER_START_TIMEOUT} s:\n{log.read_text()}",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A quiet, offline JupyterLab serving the repository, on a free port."""
    if MISSING:  # only reached in CI: there the requirements must be installed
        pytest.fail(f"CI=true, so no skipping, but {MISSING}", pytrace=False)
    base = tmp_path_factory.mktemp("jupyterlab")
    settings_dir = base / "config" / "lab" / "user-settings"
    workspaces_dir = base / "workspaces"
    _write_lab_settings(settings_dir)

    env = _first_run_env(base, settings_dir)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    # Build matplotlib's font cache now: on a fresh install the first notebook
    # would otherwise show "Matplotlib is building the font cache" on stderr.
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True
    )

    token = secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ip=127.0.0.1",
        "--port=0",  # the OS picks a free port; read back from the runtime file
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={ROOT}",
        "--ServerApp.open_browser=False",
        "--ServerApp.allow_root=True",  # CI containers run as root
        "--ServerApp.terminals_enabled=False",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        f"--LabServerApp.workspaces_dir={workspaces_dir}",
        # An absolute checkpoint dir keeps .ipynb_checkpoints/ out of the repository.
        f"--FileCheckpoints.checkpoint_dir={base / 'checkpoints'}",
        f"--LabServerApp.user_settings_dir={settings_dir}",
    ]
    with _serve(command, env, base, token) as server:
        yield server


def _first_run_env(base: Path, settings_dir: Path) -> dict[str, str]:
    """The environment of a user who never ran Jupyter: every folder under ``base``."""
    env = os.environ.copy()
    for variable in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTERLAB_DIR"):
        env.pop(variable, None)
    env.update(
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        JUPYTER_DATA_DIR=str(base / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
        JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"),
        IPYTHONDIR=str(base / "ipython"),
    )
    return env


@contextlib.contextmanager
def _serve(
    command: list[str], env: dict[str, str], base: Path, token: str
) -> Iterator[LabServer]:
    """Run ``command`` (a JupyterLab) from the repository; stop it afterwards."""
    runtime_dir = Path(env["JUPYTER_RUNTIME_DIR"])
    log = base / "server.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so teardown can end it all
        )
    server = LabServer("", token, process, runtime_dir)
    try:
        server.url = _wait_for_server(process, runtime_dir, token, log)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser(lab: LabServer) -> Iterator[object]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=_find_chromium(), args=CHROMIUM_FLAGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


# --------------------------------------------------------------------------- page

# The notebook is done when every cell that was queued has a number again: run-all
# marks queued cells [*]; cells after an error are un-queued back to [ ].
RUN_FINISHED_JS = """() => {
  const dialog = document.querySelector('.jp-Dialog');
  if (dialog) throw new Error('JupyterLab shows a dialog: ' + dialog.innerText);
  const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]
    .map(p => p.textContent);
  const idle = document.querySelector(
    '.jp-Notebook-ExecutionIndicator[data-status="idle"]');
  return idle !== null && !prompts.some(t => t.includes('*'))
    && (prompts.length === 0 || prompts.some(t => /\\d/.test(t)));
}"""

NO_PROMPT_NUMBERS_JS = """() => ![...document.querySelectorAll(
  '.jp-CodeCell .jp-InputPrompt')].some(p => /\\d/.test(p.textContent))"""

# What is still missing from the page, as readable lines (empty when all is drawn).
UNSETTLED_JS = """() => {
  const problems = [];
  const loading = [...document.querySelectorAll('.jp-OutputArea-output')]
    .filter(o => o.textContent.includes('Loading widget...')).length;
  if (loading) problems.push(`${loading} output(s) still say "Loading widget..."`);
  // A figure is opaque (white background): transparent pixels on its canvas are
  // parts of the picture that never arrived (e.g. a lost first frame).
  const opaque = c => {
    if (!c.width || !c.height) return 0;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] === 255) count++;
    return count / (c.width * c.height);
  };
  document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas:first-child')
    .forEach((c, i) => {
      const share = opaque(c);
      if (share < 0.99) problems.push(
        `ipympl canvas ${i} is only ${(100 * share).toFixed(1)}% painted`);
    });
  // An ipympl canvas does not shrink to fit: it must fit the notebook's width.
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  const right = scroller.getBoundingClientRect().left + scroller.clientWidth;
  document.querySelectorAll('.jupyter-matplotlib-canvas-div').forEach((c, i) => {
    const box = c.getBoundingClientRect();
    if (box.right > right + 1) problems.push(
      `ipympl canvas ${i} is cut off: ${Math.round(box.width)} px wide, ` +
      `${Math.round(box.right - right)} px past the notebook's edge`);
  });
  document.querySelectorAll('.jp-OutputArea-output img').forEach((img, i) => {
    if (!img.complete || !img.naturalWidth) problems.push(`image ${i} not loaded`);
  });
  return problems;
}"""
SETTLED_JS = f"() => ({UNSETTLED_JS})().length === 0"


# Every output as the learner reads it: [cell index, mime type, text].
OUTPUTS_JS = """() => {
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  return [...document.querySelectorAll('.jp-OutputArea-output')].map(o => [
    cells.indexOf(o.closest('.jp-Cell')),
    o.getAttribute('data-mime-type') || '',
    o.innerText,
  ]);
}"""

# Text of every output with the sliders themselves (label, readout) left out.
REACTION_TEXT_JS = """() => [...document.querySelectorAll(
    '.jp-Cell-outputArea > .jp-OutputArea-child')].map(o => {
  const copy = o.cloneNode(true);
  copy.querySelectorAll('.widget-slider').forEach(s => s.remove());
  return copy.textContent;
})"""

# The notebook's scroll box: [height of all its cells, visible height].
NOTEBOOK_HEIGHTS_JS = """() => {
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  const cells = document.querySelectorAll('.jp-Notebook .jp-Cell');
  const last = cells[cells.length - 1].getBoundingClientRect();
  const top = scroller.getBoundingClientRect().top - scroller.scrollTop;
  const bottom = last.bottom - top;
  return [Math.ceil(bottom + 20), scroller.clientHeight];
}"""

SCROLL_NOTEBOOK_JS = """(y) => new Promise(resolve => {
  document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer').scrollTop = y;
  requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
})"""


def _screenshot(locator, path: Path | None = None) -> bytes:
    return locator.screenshot(path=path, animations="disabled", caret="hide")


def _open_and_run_all(page, lab: LabServer, notebook: Path, n_cells: int) -> None:
    page.goto(lab.notebook_url(notebook))
    # Until the file is loaded the notebook shows one placeholder cell, and before
    # its kernel connects the toolbar already says "idle": wait for all three.
    page.wait_for_function(
        "(n) => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n",
        arg=n_cells,
    )
    lab.wait_for_kernel(notebook)
    page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]')
    # Stored outputs carry execution counts; clear them, so that numbers showing up
    # again can only come from this run.
    _menu(page, "Edit", "editmenu:clear-all")
    page.wait_for_function(NO_PROMPT_NUMBERS_JS)
    _menu(page, "Run", "runmenu:run-all")
    page.wait_for_function(RUN_FINISHED_JS, timeout=RUN_ALL_TIMEOUT)


def _menu(page, title: str, command: str) -> None:
    """Click Menu → item, waiting until JupyterLab enables the item.

    Items are disabled while the notebook is not yet the current widget, and a
    click on a disabled item silently does nothing.
    """
    menu = page.locator("#jp-MainMenu .lm-MenuBar-item", has_text=title).first
    item = page.locator(f'.lm-Menu-item[data-command="{command}"]')
    deadline = time.monotonic() + PAGE_TIMEOUT / 1000
    while True:
        menu.click()
        item.wait_for()
        if "lm-mod-disabled" not in (item.get_attribute("class") or ""):
            item.click()
            return
        page.keyboard.press("Escape")
        if time.monotonic() > deadline:
            pytest.fail(f"{title} → {command} stayed disabled", pytrace=False)
        time.sleep(0.2)


def _screenshot_notebook(page, shots: Path) -> str:
    """Save the whole notebook: page.png, or page-01.png, page-02.png... when it is
    taller than MAX_PAGE_HEIGHT. The window is made tall for it (and stays tall)."""
    content, visible = page.evaluate(NOTEBOOK_HEIGHTS_JS)
    height = min(VIEWPORT["height"] + max(0, content - visible), MAX_PAGE_HEIGHT)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": height})
    visible += height - VIEWPORT["height"]  # the notebook gets all the extra height
    page.wait_for_function(
        f"(h) => ({NOTEBOOK_HEIGHTS_JS})()[1] >= h", arg=visible
    )  # JupyterLab lays itself out again after the resize
    parts = math.ceil(content / visible)
    for part in range(parts):
        page.evaluate(SCROLL_NOTEBOOK_JS, part * visible)
        name = "page.png" if parts == 1 else f"page-{part + 1:02d}.png"
        _screenshot(page, shots / name)
    page.evaluate(SCROLL_NOTEBOOK_JS, 0)
    return "page.png" if parts == 1 else "page-*.png"


def _rendering_problems(page, notebook_json: dict) -> list[str]:
    """Everything a learner should not see after run-all, as readable lines."""
    allowed = {
        index
        for index, cell in enumerate(notebook_json["cells"])
        if "raises-exception" in cell.get("metadata", {}).get("tags", [])
    }
    problems = []
    for cell, mime, text in page.evaluate(OUTPUTS_JS):
        where = f"cell {cell}"
        if mime == "application/vnd.jupyter.stderr" and cell not in allowed:
            problems.append(f"{where}: error/stderr output:\n{text.strip()}")
        elif mime == "text/plain" and WIDGET_REPR.search(text):
            problems.append(f"{where}: a widget shown as text: {text.strip()[:200]}")
        problems += [
            f"{where}: {failure!r}: {text.strip()[:200]}"
            for failure in WIDGET_FAILURES
            if failure in text
        ]
    sliders = page.locator(SLIDER)
    handles = sliders.locator(".noUi-handle")
    if handles.count() < sliders.count():
        problems.append(
            f"{sliders.count() - handles.count()} of {sliders.count()} sliders "
            "have no noUiSlider handle"
        )
    if _uses_sliders(notebook_json) and not sliders.count():
        problems.append("the code makes sliders, but there is none on the page")
    problems += page.evaluate(UNSETTLED_JS)
    return problems


def _uses_sliders(notebook_json: dict) -> bool:
    return any(
        cell["cell_type"] == "code"
        and re.search(r"Slider\(|\binteract\b|\binteractive\(", "".join(cell["source"]))
        for cell in notebook_json["cells"]
    )


SLIDER_VALUE_JS = "h => h.closest('.noUi-target').noUiSlider.get(true)"
OPPOSITE = {"ArrowRight": "ArrowLeft", "ArrowLeft": "ArrowRight"}


def _press(handle, key: str) -> None:
    handle.focus()
    for _ in range(ARROW_PRESSES):
        handle.press(key)


def _move_slider(handle) -> str:
    """Press arrow keys on a noUiSlider handle; return the key that moved it."""
    # The slider's own number (aria-valuenow is rounded to 0.1: too coarse).
    start = handle.evaluate(SLIDER_VALUE_JS)
    for key in OPPOSITE:  # ArrowLeft only if it starts at the maximum
        _press(handle, key)
        if handle.evaluate(SLIDER_VALUE_JS) != start:
            return key
    pytest.fail(
        f"the first slider does not move with arrow keys (at {start})", pytrace=False
    )


def _poll(condition):
    """condition() until it returns something true, or None after REACTION_TIMEOUT."""
    deadline = time.monotonic() + REACTION_TIMEOUT
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result or None


def _settled_screenshot(page, figure) -> bytes | None:
    """The figure once every widget has finished drawing (None while it is being
    replaced, e.g. by interact's clear_output)."""
    with contextlib.suppress(PlaywrightError):
        page.wait_for_function(SETTLED_JS, timeout=SETTLE_TIMEOUT)
        return _figure_pixels(figure)
    return None


def _figure_pixels(figure) -> bytes:
    """A figure as PNG: an ipympl canvas's own pixels (which a sub-pixel shift of
    the page layout, such as a table above it changing height, cannot disturb),
    otherwise a screenshot of the element."""
    canvas = figure.locator("canvas").first
    if canvas.count():
        url = canvas.evaluate("c => c.toDataURL('image/png')")
        return base64.b64decode(url.split(",", 1)[1])
    return _screenshot(figure)


def _steady(page, state) -> bytes | str | None:
    """state() once the kernel is idle and two looks 0.3 s apart agree."""
    idle = '.jp-Notebook-ExecutionIndicator[data-status="idle"]'
    last = None
    deadline = time.monotonic() + REACTION_TIMEOUT
    while time.monotonic() < deadline:
        page.wait_for_selector(idle)
        now = state()
        if now is not None and now == last:
            return now
        last = now
        time.sleep(0.3)
    return last


def _check_slider_reacts(page, shots: Path) -> None:
    """Move the first slider quickly, then reach the same value slowly.

    Moved, the figure in its cell must change (if its cell has no figure: any
    figure, or any output text such as a label). Ten quick key presses and one slow
    step back and forth end at the same value, so they must show the same picture:
    a difference means the picture at rest does not match the controls (ipympl
    drops a draw_idle() made while a frame is in flight, and the browser drops a
    frame that arrives before the previous one is decoded: the explorers' whole
    frame once the controls rest mends both, see Explorer.send_whole in
    gdcore/widgets/_base.py).
    """
    slider = page.locator(SLIDER).first
    handle = slider.locator(".noUi-handle").first
    cell = page.locator(".jp-Notebook .jp-Cell").filter(has=slider).first
    output = cell.locator(".jp-Cell-outputWrapper")
    figure_in_cell = cell.locator(FIGURES).count() > 0
    figures = cell.locator(FIGURES) if figure_in_cell else page.locator(FIGURES)
    before = [_figure_pixels(figures.nth(i)) for i in range(figures.count())]
    texts = None if figure_in_cell else page.evaluate(REACTION_TEXT_JS)
    _screenshot(output, shots / "output_before.png")

    def what_changed():
        """The state() function of the first figure (or text) that changed."""
        for index, shot in enumerate(before):
            figure = figures.nth(index)
            now = _settled_screenshot(page, figure)
            if now is not None and now != shot:
                (shots / "figure_before.png").write_bytes(shot)
                return lambda: _settled_screenshot(page, figure)
        if texts is not None and page.evaluate(REACTION_TEXT_JS) != texts:
            return lambda: json.dumps(page.evaluate(REACTION_TEXT_JS))
        return None

    key = _move_slider(handle)
    state = _poll(what_changed)
    if state is None:
        _screenshot(output, shots / "output_after.png")
        what = (
            "the figure in its cell did not change"
            if figure_in_cell
            else "no figure and no output text changed"
        )
        pytest.fail(
            f"pressing {key} moved the first slider, but {what} within "
            f"{REACTION_TIMEOUT} s; see {shots}/output_*.png",
            pytrace=False,
        )
    quick = _steady(page, state)
    _screenshot(output, shots / "output_after.png")

    handle.press(OPPOSITE[key])
    _poll(lambda: (now := state()) is not None and now != quick)
    handle.press(key)
    slow = _steady(page, state)

    is_figure = isinstance(quick, bytes)
    if is_figure:
        (shots / "figure_after.png").write_bytes(quick)
    if slow != quick:
        if is_figure and slow is not None:
            (shots / "figure_slow.png").write_bytes(slow)
        _screenshot(output, shots / "output_slow.png")
        pytest.fail(
            f"the {'figure' if is_figure else 'output text'} after {ARROW_PRESSES} "
            f"quick presses of {key} differs from the one after a slow step to the "
            f"same slider value: quick updates were lost; see {shots}/*_slow.png",
            pytrace=False,
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_in_browser(notebook: Path, lab: LabServer, browser) -> None:
    notebook_json = json.loads(notebook.read_text(encoding="utf-8"))
    shots = SCREENSHOT_DIR / notebook.stem
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT)
    page = context.new_page()
    js_errors: list[str] = []

    def record_js_error(error: PlaywrightError) -> None:
        if not any(noise in str(error) for noise in IGNORED_JS_ERRORS):
            js_errors.append(f"JavaScript error: {error}")

    # Run-all must not write the notebook back (autosave is off; this proves it).
    saves: list[str] = []

    def record_save(request: Request) -> None:
        writes = request.method in ("PUT", "PATCH", "POST", "DELETE")
        if (
            writes
            and "/api/contents/" in request.url
            and "/checkpoints" not in request.url
        ):
            saves.append(f"{request.method} {request.url}")

    page.on("pageerror", record_js_error)
    page.on("request", record_save)
    try:
        _open_and_run_all(page, lab, notebook, len(notebook_json["cells"]))
        with contextlib.suppress(PlaywrightError):  # reported in detail below
            page.wait_for_function(SETTLED_JS, timeout=SETTLE_TIMEOUT)
        pages = _screenshot_notebook(page, shots)

        problems = _rendering_problems(page, notebook_json) + js_errors
        assert not problems, f"{notebook.name}, see {shots}/{pages}:\n" + "\n".join(
            problems
        )
        if page.locator(SLIDER).count():
            _check_slider_reacts(page, shots)
    except BaseException:
        with contextlib.suppress(PlaywrightError):
            _screenshot(page, shots / "failure.png")
        raise
    finally:
        context.close()
        lab.shut_down_sessions()
    assert not saves, f"the browser run wrote to the repository: {saves}"


# --------------------------------------------------------------------------- make lab

NEWS_PROMPT = "Would you like to get notified about official Jupyter news?"
PROMPT_WAIT = 5_000  # ms after notebook 00 is ready (the prompt comes before that)
# The option of `make lab` that applies the repository's jupyterlab-settings/.
COURSE_SETTINGS_OPTION = "--LabApp.app_settings_dir="


def _make_lab_command() -> list[str]:
    """The command `make lab` runs, as `make -n` prints it (the OS picks the port)."""
    make = ["make", "--no-print-directory", "-s", "-n", "-o", ".venv/.installed"]
    result = subprocess.run(
        [*make, "lab", "PORT=0", f"BIN={Path(sys.executable).parent}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return shlex.split(result.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def _first_run_lab(base: Path, command: list[str]) -> Iterator[LabServer]:
    """JupyterLab started with `command` by a user who never ran it before:
    empty config, settings and workspace folders, no browser opened. Its
    checkpoints go to ``base``, so that nothing is written into the repository."""
    token = secrets.token_hex(16)
    command = [
        *command,
        "--no-browser",
        f"--IdentityProvider.token={token}",
        f"--FileCheckpoints.checkpoint_dir={base / 'checkpoints'}",
    ]
    env = _first_run_env(base, base / "user-settings")
    with _serve(command, env, base, token) as server:
        yield server


@pytest.mark.parametrize(
    "course_settings", [True, False], ids=["make-lab", "without-course-settings"]
)
def test_make_lab_opens_notebook_00_without_a_news_prompt(
    course_settings: bool, browser, tmp_path: Path
) -> None:
    """`make lab`'s first page: notebook 00, no news prompt, no update check.

    The second case starts the same command without the repository's settings and
    must see the prompt: it shows that this test can see one.
    """
    command = _make_lab_command()
    if not course_settings:
        kept = [a for a in command if not a.startswith(COURSE_SETTINGS_OPTION)]
        assert len(kept) == len(command) - 1, (
            f"no {COURSE_SETTINGS_OPTION} in {command}"
        )
        command = kept
    notebook = NOTEBOOK_DIR / "00_start_here.ipynb"
    n_cells = len(json.loads(notebook.read_text(encoding="utf-8"))["cells"])
    shots = SCREENSHOT_DIR / ("make_lab" if course_settings else "make_lab_control")
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)

    with _first_run_lab(tmp_path, command) as server:
        context = browser.new_context(viewport=VIEWPORT)
        context.set_default_timeout(PAGE_TIMEOUT)
        page = context.new_page()
        news_requests: list[str] = []
        page.on(
            "request",
            lambda r: (
                news_requests.append(r.url)
                if re.search(r"/lab/api/(news|update)", r.url)
                else None
            ),
        )
        try:
            page.goto(
                f"{server.url}lab/tree/notebooks/{notebook.name}?token={server.token}"
            )
            page.wait_for_function(
                "n => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n",
                arg=n_cells,
            )
            server.wait_for_kernel(notebook)
            prompt = page.get_by_text(NEWS_PROMPT)
            with contextlib.suppress(PlaywrightError):  # absent: the check below
                prompt.wait_for(state="visible", timeout=PROMPT_WAIT)
            _screenshot(page, shots / "page.png")
            toasts = page.locator(".Toastify__toast").all_inner_texts()
        finally:
            context.close()
            server.shut_down_sessions()

    if course_settings:
        assert toasts == [], f"make lab's first page shows {toasts}; see {shots}"
        assert news_requests == [], f"news or update requested: {news_requests}"
    else:
        assert any(NEWS_PROMPT in toast for toast in toasts), (
            f"without the course settings JupyterLab should ask about news; it "
            f"shows {toasts}: this test could not see a prompt (see {shots})"
        )

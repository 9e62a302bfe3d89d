"""Open every course notebook in a real JupyterLab + headless Chromium and use it.

For each notebooks/*.ipynb the test runs all cells through JupyterLab's Run menu,
then checks what a learner would see: no error output, every ipywidgets slider drawn
as a slider (not as "FloatSlider(value=...)" text or "Error displaying widget"), every
ipympl canvas painted, and that moving the first slider visibly changes something:
the figure in the slider's cell (pixels, compared by screenshot), or otherwise any
figure or any widget text in the notebook (00_start_here's label).

Screenshots land in screenshots/<notebook-stem>/ (git-ignored): page.png after the
run, and before/after crops around the slider move.

Chromium comes from the system (Debian's `chromium` package, see .ci/run); playwright
only drives it, so no browser download is needed. Without chromium or playwright the
module is skipped locally and fails in CI (CI=true).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
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

ROOT = Path(os.environ.get("_BT_ROOT") or Path(__file__).resolve().parents[1])  # DEVONLY
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
MAX_PAGE_HEIGHT = 12_000  # px; Chromium cannot capture much taller screenshots

SERVER_START_TIMEOUT = 60  # s
PAGE_TIMEOUT = 30_000  # ms, default for every playwright wait
RUN_ALL_TIMEOUT = 120_000  # ms, generous: a notebook may train a few models
REACTION_TIMEOUT = 15  # s for a figure or label to react to the slider
ARROW_PRESSES = 5

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

STDERR = '[data-mime-type="application/vnd.jupyter.stderr"]'
FIGURES = ".jupyter-matplotlib-canvas-div, .jp-OutputArea-output img"
SLIDER = ".widget-slider"
# What a widget looks like when the front end cannot render it.
WIDGET_REPR = re.compile(
    r"\b\w*(?:Slider|Box|Canvas|Label|Dropdown|Button|Output|HTML)\((?:value|children|"
    r"toolbar|layout|description|options|outputs)="
)
WIDGET_FAILURES = ("Error displaying widget", "Loading widget...")


def _find_chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def _missing_requirement() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401, PLC0415
    except ImportError as exc:
        return f"playwright is not importable ({exc}); install the dev extra"
    if _find_chromium() is None:
        return "chromium not found at /usr/bin/chromium or on PATH (apt-get install chromium)"
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

    def shut_down_sessions(self) -> None:
        for session in self.api("GET", "sessions"):
            self.api("DELETE", f"sessions/{session['id']}")

    def stop(self) -> None:
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
        f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{log.read_text()}",
        pytrace=False,
    )


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A quiet, offline JupyterLab serving the repository, on a free port."""
    if MISSING:  # only reached in CI: there the requirements must be installed
        pytest.fail(f"CI=true but {MISSING}; .ci/run should install it", pytrace=False)
    base = tmp_path_factory.mktemp("jupyterlab")
    config_dir, runtime_dir = base / "config", base / "runtime"
    settings_dir = config_dir / "lab" / "user-settings"
    workspaces_dir = base / "workspaces"
    _write_lab_settings(settings_dir)

    env = os.environ.copy()
    for variable in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTERLAB_DIR"):
        env.pop(variable, None)
    env.update(
        JUPYTER_CONFIG_DIR=str(config_dir),
        JUPYTER_RUNTIME_DIR=str(runtime_dir),
        JUPYTER_DATA_DIR=str(base / "data"),
        JUPYTERLAB_SETTINGS_DIR=str(settings_dir),
        JUPYTERLAB_WORKSPACES_DIR=str(workspaces_dir),
        IPYTHONDIR=str(base / "ipython"),
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    # Build matplotlib's font cache now: on a fresh install the first notebook
    # would otherwise show "Matplotlib is building the font cache" on stderr.
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"], env=env, check=True
    )

    token = secrets.token_hex(16)
    log = base / "server.log"
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
        f"--LabServerApp.user_settings_dir={settings_dir}",
    ]
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
    from playwright.sync_api import sync_playwright  # noqa: PLC0415

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
    && prompts.some(t => /\\d/.test(t));
}"""

NO_PROMPT_NUMBERS_JS = """() => ![...document.querySelectorAll(
  '.jp-CodeCell .jp-InputPrompt')].some(p => /\\d/.test(p.textContent))"""

WIDGETS_SETTLED_JS = """() => {
  const outputs = [...document.querySelectorAll('.jp-OutputArea-output')];
  if (outputs.some(o => o.textContent.includes('Loading widget...'))) return false;
  const canvases = [...document.querySelectorAll(
    '.jupyter-matplotlib-canvas-div canvas:first-child')];
  const painted = c => {
    if (!c.width || !c.height) return false;
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
    return false;
  };
  const images = [...document.querySelectorAll('.jp-OutputArea-output img')];
  return canvases.every(painted) && images.every(i => i.complete && i.naturalWidth);
}"""

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

PAGE_HEIGHT_JS = """() => {
  const scroller = document.querySelector('.jp-NotebookPanel .jp-WindowedPanel-outer');
  return window.innerHeight + scroller.scrollHeight - scroller.clientHeight;
}"""


def _screenshot(locator, path: Path | None = None) -> bytes:
    return locator.screenshot(path=path, animations="disabled", caret="hide")


def _open_and_run_all(page, lab: LabServer, notebook: Path) -> None:
    page.goto(lab.notebook_url(notebook))
    page.wait_for_selector(".jp-NotebookPanel .jp-Cell")
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


def _expand_to_whole_notebook(page) -> None:
    """Make the window as tall as the notebook, so one screenshot shows all of it."""
    height = min(page.evaluate(PAGE_HEIGHT_JS), MAX_PAGE_HEIGHT)
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(height, 600)})
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")


def _problems_in_outputs(page, notebook_json: dict) -> list[str]:
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
        for failure in WIDGET_FAILURES:
            if failure in text:
                problems.append(f"{where}: {failure!r}: {text.strip()[:200]}")
    return problems


def _uses_sliders(notebook_json: dict) -> bool:
    return any(
        cell["cell_type"] == "code"
        and re.search(r"Slider\(|\binteract", "".join(cell["source"]))
        for cell in notebook_json["cells"]
    )


def _move_slider(handle) -> str:
    """Press arrow keys on a noUiSlider handle; return the direction that moved it."""
    before = handle.get_attribute("aria-valuenow")
    for key in ("ArrowRight", "ArrowLeft"):  # left if it starts at the maximum
        handle.focus()
        for _ in range(ARROW_PRESSES):
            handle.press(key)
        if handle.get_attribute("aria-valuenow") != before:
            return key
    pytest.fail(f"the first slider did not move with the arrow keys (at {before})")


def _changed_figure(figures, before: list[bytes]) -> int | None:
    """Poll until one of the figures looks different; return its index."""
    deadline = time.monotonic() + REACTION_TIMEOUT
    while time.monotonic() < deadline:
        for index in range(min(figures.count(), len(before))):
            with contextlib.suppress(Exception):  # an inline image may be redrawn
                if _screenshot(figures.nth(index)) != before[index]:
                    return index
        time.sleep(0.2)
    return None


def _check_slider_reacts(page, shots: Path) -> None:
    slider = page.locator(SLIDER).first
    cell = page.locator(".jp-Notebook .jp-Cell").filter(has=slider).first
    in_cell = cell.locator(FIGURES)
    figures = in_cell if in_cell.count() else page.locator(FIGURES)
    figure_shots = [_screenshot(figures.nth(i)) for i in range(figures.count())]
    texts = page.evaluate(REACTION_TEXT_JS)
    output = cell.locator(".jp-Cell-outputWrapper")
    _screenshot(output, shots / "output_before.png")

    key = _move_slider(slider.locator(".noUi-handle").first)

    changed = _changed_figure(figures, figure_shots) if figure_shots else None
    if changed is not None:
        (shots / "figure_before.png").write_bytes(figure_shots[changed])
        _screenshot(figures.nth(changed), shots / "figure_after.png")
    elif not in_cell.count():  # no figure beside the slider: any reaction will do
        page.wait_for_function(
            f"(before) => JSON.stringify(({REACTION_TEXT_JS})()) !== before",
            arg=json.dumps(texts),
            timeout=REACTION_TIMEOUT * 1000,
        )
    _screenshot(output, shots / "output_after.png")
    if changed is None and in_cell.count():
        (shots / "figure_before.png").write_bytes(figure_shots[0])
        _screenshot(figures.first, shots / "figure_after.png")
        pytest.fail(
            f"pressing {key} on the first slider moved it, but the figure in its cell "
            f"did not change within {REACTION_TIMEOUT} s; see {shots}"
        )


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_in_browser(notebook: Path, lab: LabServer, browser) -> None:
    original = notebook.read_bytes()
    notebook_json = json.loads(original)
    shots = SCREENSHOT_DIR / notebook.stem
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)

    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(PAGE_TIMEOUT)
    page = context.new_page()
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        _open_and_run_all(page, lab, notebook)
        with contextlib.suppress(Exception):  # reported precisely below instead
            page.wait_for_function(WIDGETS_SETTLED_JS)
        _expand_to_whole_notebook(page)
        page.screenshot(path=shots / "page.png", animations="disabled", caret="hide")

        problems = _problems_in_outputs(page, notebook_json)
        sliders = page.locator(SLIDER)
        unrendered = sum(
            1 for i in range(sliders.count()) if not sliders.nth(i).locator(".noUi-handle").count()
        )
        if unrendered:
            problems.append(f"{unrendered} slider(s) without a noUiSlider handle")
        if _uses_sliders(notebook_json) and not sliders.count():
            problems.append("the code creates sliders, but none is on the page")
        if not page.evaluate(WIDGETS_SETTLED_JS):
            problems.append("widgets still loading or an ipympl canvas never painted")
        problems += [f"JavaScript error: {error}" for error in page_errors]
        assert not problems, f"{notebook.name} (screenshots in {shots}):\n" + "\n".join(
            problems
        )

        if sliders.count():
            _check_slider_reacts(page, shots)
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=shots / "failure.png")
        raise
    finally:
        context.close()
        lab.shut_down_sessions()
    assert notebook.read_bytes() == original, f"the browser run modified {notebook}"

"""A real JupyterLab server for browser tests, and helpers to drive it from Playwright.

The same server also serves Jupyter Notebook 7 (``/notebooks/NAME.ipynb``) and Voila
(``/voila/render/NAME.ipynb``) when those packages are installed (they are server extensions):
``open_notebook(page, name, ui="notebook")`` and :meth:`JupyterLab.voila_url`.

:class:`JupyterLab` starts ``jupyter lab`` on a free port in a temporary root folder with its own
config, data, runtime, settings and workspace folders (no token, no news pop-up, no notebook
windowing), with this venv's python3 kernel importing ``w2v_widgets`` from the checkout.
The helpers drive the page through ``window.jupyterapp`` (``--LabApp.expose_app_in_browser``).
See tests/browser/README.md.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import nbformat

from tests.support.kernel import REPO_ROOT, CellError, kernel_env, strip_ansi
from tests.support.notebooks import make_notebook

ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# User settings written into the server's own settings folder.
_SETTINGS: dict[str, dict[str, Any]] = {
    # the "get official Jupyter news?" toast covers the page
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # windowed notebooks detach off-screen cells; keep every cell in the DOM
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
}


class LabError(RuntimeError):
    """The server could not start, or a page action failed in the browser."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def screenshot(target: Any, name: str) -> Path:
    """Save a PNG as ``test-artifacts/NAME.png`` at the repo root; return its path.

    ``target`` is a Playwright ``Page`` (the viewport) or a ``Locator`` (just that element,
    e.g. one cell's output: ``page.locator(".jp-Cell").nth(2).locator(".jp-OutputArea")``).
    """
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    target.screenshot(path=str(path))
    return path


def gpu_name(page: Any) -> str:
    """The name of the GPU the page's WebGL draws with (``UNMASKED_RENDERER_WEBGL``; SwiftShader
    in this headless Chromium: on the CPU), or "" when the page has no WebGL."""
    return page.evaluate(
        """() => { const gl = document.createElement('canvas').getContext('webgl');
                   if (!gl) return '';
                   const info = gl.getExtension('WEBGL_debug_renderer_info');
                   return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)); }"""
    )


class JupyterLab:
    """One ``jupyter lab`` process. ``start()``/``stop()`` or use as a context manager."""

    def __init__(
        self, base_dir: Path, startup_timeout: float = 90, disabled_extensions: tuple[str, ...] = ()
    ) -> None:
        """``disabled_extensions``: labextensions this server leaves out (as ``jupyter labextension
        disable`` would, in the server's own config folder), e.g. to test a missing front-end."""
        self.base_dir = Path(base_dir)
        self.disabled_extensions = tuple(disabled_extensions)
        self.root_dir = self.base_dir / "root"
        self.log_path = self.base_dir / "server.log"
        self.startup_timeout = startup_timeout
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.startup_seconds = float("nan")

    # ----- server lifecycle -----------------------------------------------------------------

    @property
    def url(self) -> str:
        """Base URL, without a trailing slash."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> JupyterLab:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _env(self) -> dict[str, str]:
        dirs = {
            "JUPYTER_CONFIG_DIR": "config",
            "JUPYTER_DATA_DIR": "data",
            "JUPYTER_RUNTIME_DIR": "runtime",
            "JUPYTERLAB_SETTINGS_DIR": "settings",
            "JUPYTERLAB_WORKSPACES_DIR": "workspaces",
            "IPYTHONDIR": "ipython",
        }
        extra = {}
        for var, sub in dirs.items():
            path = self.base_dir / sub
            path.mkdir(parents=True, exist_ok=True)
            extra[var] = str(path)
        return kernel_env(extra)

    def _write_settings(self) -> None:
        for plugin, values in _SETTINGS.items():
            pkg, name = plugin.rsplit("/", 1)
            path = self.base_dir / "settings" / pkg / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        if self.disabled_extensions:
            path = self.base_dir / "config" / "labconfig" / "page_config.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps({"disabledExtensions": dict.fromkeys(self.disabled_extensions, True)}))

    def start(self) -> None:
        """Start the server and wait until its REST API answers (retries once on a port clash)."""
        self.root_dir.mkdir(parents=True, exist_ok=True)
        env = self._env()
        self._write_settings()
        t0 = time.monotonic()
        for attempt in range(3):
            self.port = free_port()
            cmd = [
                sys.executable, "-m", "jupyter", "lab",
                "--no-browser",
                "--ip=127.0.0.1",
                f"--port={self.port}",
                "--ServerApp.port_retries=0",
                "--ServerApp.token=",
                "--ServerApp.password=",
                "--ServerApp.disable_check_xsrf=True",
                "--allow-root",
                "--LabApp.expose_app_in_browser=True",
                "--JupyterNotebookApp.expose_app_in_browser=True",  # Notebook 7, same server
                f"--ServerApp.root_dir={self.root_dir}",
            ]  # fmt: skip
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(
                    cmd,
                    cwd=self.root_dir,
                    env=env,
                    stdin=subprocess.DEVNULL,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # own process group, killed as a whole on failure
                )
            if self._wait_ready():
                self.startup_seconds = time.monotonic() - t0
                self._check_settings()
                return
            if attempt < 2 and "address already in use" in self.log_tail().lower():
                self._kill()
                continue
            break
        self._kill()
        raise LabError(f"JupyterLab did not start; log {self.log_path}:\n{self.log_tail()}")

    def _check_settings(self) -> None:
        # an invalid settings file is silently ignored by JupyterLab: fail here instead
        for plugin, values in _SETTINGS.items():
            pkg, name = plugin.rsplit("/", 1)
            got = self.api("GET", f"/lab/api/settings/{pkg}:{name}")["settings"]
            wrong = {k: got.get(k) for k, v in values.items() if got.get(k) != v}
            if wrong:
                self.stop()
                raise LabError(f"JupyterLab ignored the test settings of {plugin}: {wrong}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2) as r:
                    if r.status == 200:
                        return True
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        return False

    def log_tail(self, chars: int = 4000) -> str:
        """The end of the server's log."""
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""

    def api(self, method: str, path: str, body: Any = None, timeout: float = 10) -> Any:
        """Call the server's REST API (``path`` like ``/api/kernels``); return decoded JSON."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=timeout) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def shutdown_kernels(self) -> None:
        """Delete every session and kernel (the fixtures do this after each test)."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")

    def stop(self, timeout: float = 15) -> None:
        """POST /api/shutdown (stops kernels too); kill the process group if it lingers."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            with contextlib.suppress(OSError):  # URLError, refused, timeout: kill below
                self.api("POST", "/api/shutdown", timeout=5)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=timeout)
        self._kill()

    def _kill(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)  # the group we created with start_new_session
                except ProcessLookupError:
                    break
                try:
                    proc.wait(timeout=5)
                    break
                except subprocess.TimeoutExpired:
                    continue

    # ----- notebooks ------------------------------------------------------------------------

    def write_notebook(self, name: str, cells: list[str]) -> Path:
        """Write ``NAME.ipynb`` (one code cell per string, python3 kernel) into the root folder."""
        path = self.root_dir / f"{_strip_ext(name)}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(make_notebook(cells), str(path))
        return path

    def read_notebook(self, name: str) -> nbformat.NotebookNode:
        """Read ``NAME.ipynb`` back from disk (after ``save(page)``)."""
        return nbformat.read(str(self.root_dir / f"{_strip_ext(name)}.ipynb"), as_version=4)

    def open_notebook(self, page: Any, name: str, timeout: float = 60, ui: str = "lab") -> None:
        """Open ``NAME.ipynb`` in a fresh layout; wait until it is current and its kernel idle.

        ``ui="notebook"`` opens it in Jupyter Notebook 7 instead; the helpers below work in both.
        """
        nb_path = f"{_strip_ext(name)}.ipynb"
        if ui not in ("lab", "notebook"):
            raise ValueError(f"ui must be 'lab' or 'notebook', not {ui!r}")
        where = f"lab/tree/{nb_path}?reset" if ui == "lab" else f"notebooks/{nb_path}"
        page.goto(f"{self.url}/{where}", wait_until="domcontentloaded")
        page.wait_for_function(
            """(path) => {
                const app = window.jupyterapp;
                const w = app && app.shell && app.shell.currentWidget;
                if (!w || !w.context || w.context.path !== path || !w.context.isReady) return false;
                const sc = w.sessionContext;
                const k = sc && sc.session && sc.session.kernel;
                return !!(sc.isReady && k && k.status === 'idle'
                          && k.connectionStatus === 'connected');
            }""",
            arg=nb_path,
            timeout=timeout * 1000,
        )

    def voila_url(self, name: str) -> str:
        """The page where Voila runs ``NAME.ipynb`` and shows its outputs (no code)."""
        return f"{self.url}/voila/render/{_strip_ext(name)}.ipynb"

    def run_all(self, page: Any, timeout: float = 120) -> None:
        """Run every cell of the current notebook; wait for the last reply; raise on an error."""
        self._run(page, "notebook:run-all-cells", None, timeout)

    def run_cell(self, page: Any, index: int, timeout: float = 120) -> None:
        """Run the cell at ``index`` of the current notebook, wait for its reply, raise on error."""
        self._run(page, "notebook:run-cell", index, timeout)

    def _run(self, page: Any, command: str, index: int | None, timeout: float) -> None:
        result = page.evaluate(
            """async ([command, index, ms]) => {
                const app = window.jupyterapp;
                const panel = app.shell.currentWidget;
                const nb = panel.content;
                if (index !== null) {
                    if (index < 0 || index >= nb.widgets.length) return {bad: 'no cell ' + index};
                    nb.activeCellIndex = index;
                    nb.deselectAll();
                }
                let timer;
                const limit = new Promise(r => { timer = setTimeout(() => r('timeout'), ms); });
                const ran = await Promise.race([app.commands.execute(command), limit]);
                clearTimeout(timer);
                const cells = index === null ? nb.widgets : [nb.widgets[index]];
                const errors = [];
                for (const cell of cells) {
                    if (cell.model.type !== 'code') continue;
                    for (const out of cell.model.outputs.toJSON()) {
                        if (out.output_type === 'error') {
                            errors.push({source: cell.model.sharedModel.getSource(),
                                         ename: out.ename, evalue: out.evalue,
                                         traceback: out.traceback.join('\\n')});
                        }
                    }
                }
                return {ran: ran === 'timeout' ? 'timeout' : String(ran), errors};
            }""",
            [command, index, int(timeout * 1000)],
        )
        if "bad" in result:
            raise LabError(result["bad"])
        if result["errors"]:
            e = result["errors"][0]
            raise CellError(e["source"], e["ename"], e["evalue"], strip_ansi(e["traceback"]))
        if result["ran"] == "timeout":
            raise LabError(f"{command} did not finish within {timeout}s")

    def kernel_execute(self, page: Any, code: str, timeout: float = 60) -> str:
        """Run ``code`` in the current notebook's kernel (not shown in the notebook); return text.

        Useful to read Python-side state (traitlets) after a click in the browser.
        """
        result = page.evaluate(
            """async ([code, ms]) => {
                const panel = window.jupyterapp.shell.currentWidget;
                const kernel = panel.sessionContext.session.kernel;
                const future = kernel.requestExecute({code, store_history: false});
                const parts = [];
                let error = null;
                future.onIOPub = (msg) => {
                    const t = msg.header.msg_type, c = msg.content;
                    if (t === 'stream') parts.push(c.text);
                    else if ((t === 'execute_result' || t === 'display_data')
                             && c.data['text/plain']) parts.push(c.data['text/plain'] + '\\n');
                    else if (t === 'error') error = {ename: c.ename, evalue: c.evalue,
                                                     traceback: c.traceback.join('\\n')};
                };
                let timer;
                const limit = new Promise(r => { timer = setTimeout(() => r('timeout'), ms); });
                const done = await Promise.race([future.done.then(() => 'done'), limit]);
                clearTimeout(timer);
                return {done, text: parts.join(''), error};
            }""",
            [code, int(timeout * 1000)],
        )
        if result["error"]:
            e = result["error"]
            raise CellError(code, e["ename"], e["evalue"], strip_ansi(e["traceback"]))
        if result["done"] != "done":
            raise LabError(f"kernel_execute did not finish within {timeout}s:\n{code}")
        return result["text"]

    def save(self, page: Any) -> None:
        """Save the current notebook (``docmanager:save``) and wait for it."""
        page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")


def _strip_ext(name: str) -> str:
    return name[: -len(".ipynb")] if name.endswith(".ipynb") else name

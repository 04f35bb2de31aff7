"""A JupyterHub classroom on this machine: N students run the classroom notebook at once.

    python benchmarks/classroom.py --students N [--browsers 2] [--epochs 20] [--json]

Starts JupyterHub (the ``jupyterhub`` package) with configurable-http-proxy (npm; found on
PATH, in ``$CHP_DIR/node_modules/.bin`` or installed with npm into ``.chp/`` beside this script,
which git ignores) on 127.0.0.1, the DummyAuthenticator (one shared password) and the
SimpleLocalProcessSpawner (every student a server process of this Unix user, each with its own
home folder), creates N students and starts their servers through the hub's REST API. Each student
runs the same notebook through the hub: train a model with the dashboard (``dash.start()``, then
wait), open the explorer, hover, and read the kernel's peak resident memory (VmHWM). The first
``--browsers`` students do it in real Chromium (logged in through the hub's login form, cells run
by JupyterLab, hovers made with the pointer, each timed from the pointer event to the neighbour
list in the page); the others through the kernel protocol (REST and websocket through the hub's
proxy with the student's own API token), their hovers the explorer's neighbour query in the
kernel.

First one student runs alone (``alone_s``), then all N at once (``wall_s``: first start to last
finish). Prints ``students, finished, alone_s, wall_s, hover_p90_ms`` (Chromium hovers under the
load), ``peak_rss_mb`` (one a student) and the targets: all finish,
``wall_s <= 1.35 * N * alone_s / cores`` (cores = the CPUs this process may use), hover p90 <= 500 ms.
The corpus is the synthetic one of the tests (``tests/support/corpora.py``, 34,000 words).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import _common  # noqa: F401 (benchmarks/ is the script's folder: on sys.path; sets up the checkout's)
import nbformat
from explorer_latency import measure_hover

from tests.support.kernel import kernel_env
from tests.support.lab import _SETTINGS, CHROMIUM, CHROMIUM_ARGS, JupyterLab, free_port
from tests.support.notebooks import make_notebook

PASSWORD = "classroom"
HOVER_TARGET_MS = 500.0
SLOWDOWN = 1.35


def student_cells(epochs: int) -> list[str]:
    return [
        f"""\
import time, w2v_widgets as w2v
from tests.support.corpora import make_corpus
corpus = make_corpus()
model = w2v.Word2Vec(epochs={epochs}, vector_size=50, min_count=2, seed=1)
dash = w2v.TrainingDashboard(model, corpus, words=["cat", "one", "red"], k=5)
dash""",
        "dash.start(); model.wait(); model.state",
        "ex = w2v.EmbeddingExplorer(model.wv, n_words=300, projection='pca')\nex",
        """\
hover_ms = []
for word in model.wv.index_to_key[:20]:  # what a hover asks the kernel: the word's neighbours
    t0 = time.perf_counter(); ex.neighbours(word); hover_ms.append((time.perf_counter() - t0) * 1e3)
print(max(hover_ms))""",
        "print([l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1])",
    ]


def find_proxy() -> str:
    """configurable-http-proxy: on PATH, under $CHP_DIR, or installed with npm beside this script."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    base = Path(os.environ.get("CHP_DIR") or Path(__file__).resolve().parent / ".chp")
    path = base / "node_modules" / ".bin" / "configurable-http-proxy"
    if not path.exists():
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--prefix", str(base), "configurable-http-proxy@4"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return str(path)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


class Hub:
    """One JupyterHub in a temporary folder, driven with an admin service token."""

    def __init__(self, base: Path):
        self.base = base
        self.port, self.hub_port = free_port(), free_port()
        self.token = secrets.token_hex(16)
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        settings = self.base / "settings"
        for plugin, values in _SETTINGS.items():  # the browser tests' JupyterLab settings
            pkg, name = plugin.rsplit("/", 1)
            path = settings / pkg / f"{name}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = kernel_env({"JUPYTERLAB_SETTINGS_DIR": str(settings)})
        config = f"""
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {self.port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {self.hub_port}
c.JupyterHub.db_url = "sqlite:///{self.base}/hub.sqlite"
c.JupyterHub.cookie_secret_file = "{self.base}/cookie_secret"
c.ConfigurableHTTPProxy.command = [{find_proxy()!r}]
c.ConfigurableHTTPProxy.pid_file = "{self.base}/proxy.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = {PASSWORD!r}
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{self.base}/home/{{username}}"
c.Spawner.cmd = [{sys.executable!r}, "-m", "jupyterhub.singleuser"]
c.Spawner.args = ["--allow-root", "--LabApp.expose_app_in_browser=True"]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {json.dumps({k: env[k] for k in ("PYTHONPATH", "PATH", "JUPYTERLAB_SETTINGS_DIR")})}
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 180
c.JupyterHub.services = [{{"name": "bench", "api_token": {self.token!r}}}]
c.JupyterHub.load_roles = [{{"name": "bench", "services": ["bench"],
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"]}}]
"""
        (self.base / "jupyterhub_config.py").write_text(config)
        log = open(self.base / "hub.log", "ab")  # noqa: SIM115 - kept open while the hub runs
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(self.base / "jupyterhub_config.py")],
            cwd=self.base,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                self.api("GET", "/hub/api/")
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError(f"JupyterHub did not start: {(self.base / 'hub.log').read_text()[-3000:]}")

    def api(self, method: str, path: str, body: Any = None, token: str | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"{self.url}{path}", data=data, method=method)
        req.add_header("Authorization", f"token {token or self.token}")
        req.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(req, timeout=60) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    def add_student(self, name: str) -> str:
        """Create ``name``, start their server, wait for it; return their own API token."""
        self.api("POST", f"/hub/api/users/{name}")
        self.api("POST", f"/hub/api/users/{name}/server")
        deadline = time.monotonic() + 180
        while not self.api("GET", f"/hub/api/users/{name}")["servers"].get("", {}).get("ready"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name}'s server did not start")
            time.sleep(0.5)
        return self.api("POST", f"/hub/api/users/{name}/tokens", {"note": "classroom benchmark"})["token"]

    def stop(self) -> None:
        if self.proc is None:
            return
        for sig in (signal.SIGTERM, signal.SIGKILL):  # the hub stops the servers and the proxy
            try:
                os.killpg(self.proc.pid, sig)
                self.proc.wait(timeout=30)
                break
            except ProcessLookupError:
                break
            except subprocess.TimeoutExpired:
                continue
        self.proc = None


def _msg(msg_type: str, content: dict, session: str) -> str:
    header = {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session,
              "username": "student", "version": "5.3", "date": ""}  # fmt: skip
    return json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content,
                       "channel": "shell", "buffers": []})  # fmt: skip


def run_protocol_student(hub: Hub, name: str, token: str, cells: list[str]) -> dict:
    """Run ``cells`` in a new kernel through the hub's proxy (REST + websocket, the student's token)."""
    import websocket

    base = f"/user/{name}/api"
    session = hub.api("POST", f"{base}/sessions", {"path": "classroom.ipynb", "type": "notebook",
                      "kernel": {"name": "python3"}}, token=token)  # fmt: skip
    kernel = session["kernel"]["id"]
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{hub.port}{base}/kernels/{kernel}/channels",
        header=[f"Authorization: token {token}"],
        timeout=600,
    )
    outputs: list[str] = []
    try:
        sid = uuid.uuid4().hex
        for code in cells:
            request = _msg("execute_request", {"code": code, "silent": False, "store_history": True,
                           "user_expressions": {}, "allow_stdin": False}, sid)  # fmt: skip
            msg_id = json.loads(request)["header"]["msg_id"]
            ws.send(request)
            text, idle = "", False
            while not idle:
                frame = ws.recv()
                if isinstance(frame, bytes):  # a comm message with binary buffers: not ours to read
                    continue
                msg = json.loads(frame)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["header"]["msg_type"], msg["content"]
                if kind == "stream":
                    text += content["text"]
                elif kind == "error":
                    raise RuntimeError(f"{name}: {content['ename']}: {content['evalue']}")
                elif kind == "status" and content["execution_state"] == "idle":
                    idle = True
            outputs.append(text)
    finally:
        ws.close()
        hub.api("DELETE", f"{base}/sessions/{session['id']}", token=token)
    return {"peak_rss_mb": int(outputs[-1].strip()) / 1024, "hover_ms": [float(outputs[-2].strip())]}


class _StudentLab(JupyterLab):
    """The harness's notebook helpers, pointed at one student's server behind the hub."""

    def __init__(self, hub: Hub, name: str):
        self._url = f"{hub.url}/user/{name}"

    @property
    def url(self) -> str:
        return self._url


def run_browser_student(hub: Hub, name: str, cells: list[str], home: Path) -> dict:
    """Log in through the hub's form, run the notebook in JupyterLab, hover the explorer."""
    from playwright.sync_api import sync_playwright

    nbformat.write(make_notebook(cells), str(home / "classroom.ipynb"))
    lab = _StudentLab(hub, name)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(120_000)
            page.goto(f"{hub.url}/hub/login")
            page.fill("input[name=username]", name)
            page.fill("input[name=password]", PASSWORD)
            page.click("input[type=submit], button[type=submit]")
            page.wait_for_url(f"**/user/{name}/**", timeout=120_000)
            lab.open_notebook(page, "classroom", timeout=120)
            lab.run_all(page, timeout=600)
            hover = measure_hover(page, n_hovers=15)
            peak = lab.kernel_execute(page, cells[-1])
            lab.kernel_execute(page, "dash.close(); ex.close()")
        finally:
            browser.close()
    return {"peak_rss_mb": int(peak.strip()) / 1024, "hover_ms": hover["times"]}


def run_class(hub: Hub, students: list[tuple[str, str]], browsers: int, cells: list[str]) -> dict:
    results: dict[str, dict] = {}

    def one(i: int, name: str, token: str) -> None:
        t0 = time.monotonic()
        try:
            if i < browsers:
                result = run_browser_student(hub, name, cells, hub.base / "home" / name)
            else:
                result = run_protocol_student(hub, name, token, cells)
            result["seconds"] = time.monotonic() - t0
        except Exception as exc:  # reported, not raised: the others go on
            result = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        results[name] = result

    threads = [threading.Thread(target=one, args=(i, n, t)) for i, (n, t) in enumerate(students)]
    t0 = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"wall_s": time.monotonic() - t0, "results": [results[n] for n, _ in students]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=6)
    parser.add_argument("--browsers", type=int, default=2, help="students in Chromium (default 2)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--json", action="store_true", help="print only the JSON")
    args = parser.parse_args(argv)
    if args.students < 1 or not 0 <= args.browsers <= args.students:
        parser.error("--students must be >= 1 and --browsers between 0 and --students")
    cells = student_cells(args.epochs)
    with tempfile.TemporaryDirectory(prefix="w2v-classroom-") as tmp:
        hub = Hub(Path(tmp))
        try:
            hub.start()
            names = [f"student{i}" for i in range(args.students)]
            tokens = [hub.add_student(name) for name in names]
            students = list(zip(names, tokens, strict=True))
            alone = run_class(hub, students[-1:], 0, cells)  # one student alone, kernel protocol
            everyone = run_class(hub, students, args.browsers, cells)
        finally:
            hub.stop()
    results = everyone["results"]
    finished = [r for r in results if "seconds" in r]
    hovers = [ms for r in results[: args.browsers] for ms in r.get("hover_ms", [])]
    alone_s = alone["results"][0].get("seconds", float("nan"))
    report = {
        "students": args.students,
        "browsers": args.browsers,
        "finished": len(finished),
        "alone_s": round(alone_s, 2),
        "wall_s": round(everyone["wall_s"], 2),
        "hover_p90_ms": round(statistics.quantiles(hovers, n=10)[-1], 1) if len(hovers) >= 2 else None,
        "peak_rss_mb": [round(r.get("peak_rss_mb", float("nan")), 1) for r in results],
        "student_s": [round(r.get("seconds", float("nan")), 2) for r in results],
        "errors": [r["error"] for r in results if "error" in r],
        "cores": cores(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }
    limit = SLOWDOWN * args.students * alone_s / max(1, min(cores(), args.students))
    report["targets"] = {
        "all_finish": report["finished"] == args.students,
        "wall_s_limit": round(limit, 2),
        "wall_s_ok": everyone["wall_s"] <= limit,
        "hover_p90_ok": report["hover_p90_ms"] is not None and report["hover_p90_ms"] <= HOVER_TARGET_MS,
    }
    if not args.json:
        print(f"{args.students} students on one JupyterHub, {cores()} cores; load {report['load_avg']}")
    print(json.dumps(report))
    return 0 if report["finished"] == args.students else 1


if __name__ == "__main__":
    sys.exit(main())

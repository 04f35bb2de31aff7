"""vl-convert run in a helper process, so its JavaScript engine never lives in the kernel.

vl-convert draws Vega-Lite charts with an embedded JavaScript engine (Deno/V8) that, once
started, holds 70-150 MB of the process's memory for the rest of its life. A student's kernel
that draws one SVG chart would keep it to the end. :func:`call` runs a ``vl_convert`` function
in a helper process instead: started on the first call (about a second), reused by the calls
that follow, and ended after :data:`IDLE_SECONDS` without a call, which returns its memory.

The helper is this file run as a script (``python vega_process.py``): it reads one JSON request
a line on stdin (``{"function": name, "args": [...], "kwargs": {...}}``) and answers one JSON
line on stdout (``{"result": ...}`` or ``{"error": message, "type": name}``). It imports nothing
of this package, so it starts from any working directory with the kernel's own Python.
"""

from __future__ import annotations

import base64
import json
import os
import select
import signal
import subprocess
import sys
import threading
from typing import Any

IDLE_SECONDS = 20.0  # the helper exits after this long without a request

_lock = threading.Lock()
_process: subprocess.Popen | None = None


def svg_data_uri(svg: str) -> str:
    """``svg`` as a ``data:image/svg+xml;base64,...`` URI (an ``<img>`` source): how the charts'
    SVG, and the widgets' static snapshots, show in sanitized HTML. Here, with no altair import,
    so the explorer's page copy does not load altair."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf8")).decode("ascii")


class VegaProcessError(RuntimeError):
    """The helper process could not be started or ended while answering."""


def call(function: str, *args: Any, **kwargs: Any) -> Any:
    """``vl_convert.<function>(*args, **kwargs)`` run in the helper process (JSON in and out).

    A conversion's own error (an invalid specification) is raised here as ``ValueError`` with
    vl-convert's message; a helper that exits while answering is restarted once.
    """
    request = json.dumps({"function": function, "args": args, "kwargs": kwargs}) + "\n"
    with _lock:
        for attempt in range(2):
            process = _running()
            try:
                process.stdin.write(request.encode("utf8"))
                process.stdin.flush()
                line = process.stdout.readline()
            except (BrokenPipeError, OSError):
                line = b""
            if line:
                break
            # it exited: idle just as this request came (then a new one answers), or crashed
            process.wait()
            if attempt:
                raise VegaProcessError(
                    f"the chart helper process exited (status {process.returncode}) while drawing; "
                    "see the kernel's log for its message"
                )
    answer = json.loads(line)
    if "error" in answer:
        raise ValueError(f"vl_convert.{function}: {answer['error']}")
    return answer["result"]


def _running() -> subprocess.Popen:
    global _process
    if _process is None or _process.poll() is not None:
        _process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), str(IDLE_SECONDS)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
    return _process


def stop() -> None:
    """End the helper now (it also ends by itself when idle, or when the kernel exits)."""
    global _process
    with _lock:
        if _process is not None and _process.poll() is None:
            _process.stdin.close()
            _process.wait()
        _process = None


def helper_pid() -> int | None:
    """The helper's process id while it runs (for measuring its memory), else None."""
    process = _process
    return process.pid if process is not None and process.poll() is None else None


def _serve(idle: float) -> None:
    """The helper's loop: answer requests until stdin closes or ``idle`` seconds pass."""
    import vl_convert

    # an interrupt of the kernel (Jupyter signals its process group) is not for the helper: it
    # ends when the kernel closes its stdin or exits
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while select.select([stdin], [], [], idle)[0]:
        line = stdin.readline()
        if not line:
            return
        request = json.loads(line)
        try:
            result = getattr(vl_convert, request["function"])(*request["args"], **request["kwargs"])
            answer = {"result": result}
        except Exception as exc:  # the caller raises it with vl-convert's message
            answer = {"error": str(exc), "type": type(exc).__name__}
        stdout.write(json.dumps(answer).encode("utf8") + b"\n")
        stdout.flush()


if __name__ == "__main__":
    _serve(float(sys.argv[1]) if len(sys.argv) > 1 else IDLE_SECONDS)

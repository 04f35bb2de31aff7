"""The kernel harness: a real Jupyter kernel (python3 from this venv) for kernel-level tests.

:class:`LiveKernel` keeps one kernel alive so a test can start something (training, a thread)
and run further code while it runs: ``execute`` waits for one request, ``submit``/``collect``
split sending from waiting. Whole notebooks run through :mod:`tests.support.notebooks`.

The kernel imports ``w2v_widgets`` from this checkout (the repository root is put first on
``PYTHONPATH``) and runs in a temporary folder unless ``cwd`` is given.

Example::

    from tests.support.kernel import LiveKernel

    with LiveKernel() as k:
        k.execute("import time, threading")
        assert k.execute("print(1 + 1)").strip() == "2"
"""

from __future__ import annotations

import os
import queue
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from jupyter_client.manager import KernelManager

REPO_ROOT = Path(__file__).resolve().parents[2]
KERNEL_NAME = "python3"
# IPython's history database is shared by every kernel on the machine: keep ours in memory.
_KERNEL_ARGS = ["--HistoryManager.hist_file=:memory:"]
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")

__all__ = ["KERNEL_NAME", "REPO_ROOT", "CellError", "LiveKernel", "kernel_env", "output_text", "strip_ansi"]


class CellError(AssertionError):
    """A cell raised in the kernel. ``str(err)`` shows the cell's source and its traceback."""

    def __init__(
        self, source: str, ename: str, evalue: str, traceback: str, index: int | None = None
    ) -> None:
        self.source = source
        self.ename = ename
        self.evalue = evalue
        self.traceback = traceback
        self.index = index
        where = f"cell {index}" if index is not None else "code"
        super().__init__(
            f"{where} raised {ename}: {evalue}\n--- source ---\n{source}\n--- traceback ---\n{traceback}"
        )


def strip_ansi(text: str) -> str:
    """Remove terminal colour codes (IPython tracebacks carry them)."""
    return _ANSI.sub("", text)


def kernel_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for a kernel or server: this venv first on PATH, the repo first on PYTHONPATH."""
    env = dict(os.environ)
    venv_bin = str(Path(sys.executable).parent)
    env["PATH"] = os.pathsep.join([venv_bin, env.get("PATH", "")])
    old = env.get("PYTHONPATH")
    env["PYTHONPATH"] = os.pathsep.join([str(REPO_ROOT), old] if old else [str(REPO_ROOT)])
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")  # silences a jupyter_core deprecation warning
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # debugger warning on frozen modules
    env["PYTHONUNBUFFERED"] = "1"
    if extra:
        env.update(extra)
    return env


def output_text(out: dict[str, Any]) -> str:
    """The text of one output: a stream, text/plain of a result, or an error's traceback."""
    kind = out.get("output_type")
    if kind == "stream":
        return out.get("text", "")
    if kind in ("execute_result", "display_data"):
        text = out.get("data", {}).get("text/plain", "")
        return (text if isinstance(text, str) else "".join(text)) + "\n"
    if kind == "error":
        return strip_ansi("\n".join(out.get("traceback", []))) + "\n"
    return ""


class LiveKernel:
    """One running kernel for interactive tests; use as a context manager.

    ``execute(code)`` sends code and waits for it to finish, returning its text output
    (stdout, stderr, ``text/plain`` results) and raising :class:`CellError` on error.
    ``submit(code)`` returns a message id at once and ``collect(msg_id)`` waits for it, so a
    test can queue work; note that the kernel runs requests one at a time, so code that must
    run *while* training goes on needs the training to run in a thread in the kernel.
    """

    def __init__(
        self,
        cwd: str | os.PathLike[str] | None = None,
        env: dict[str, str] | None = None,
        startup_timeout: float = 60,
    ) -> None:
        self._cwd_arg = cwd
        self._env = env
        self._startup_timeout = startup_timeout
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.km: KernelManager | None = None
        self.kc: Any = None
        self._outputs: dict[str, list[str]] = {}
        self._errors: dict[str, dict[str, Any]] = {}
        self._sources: dict[str, str] = {}
        self._done: set[str] = set()

    def __enter__(self) -> LiveKernel:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def cwd(self) -> str:
        """The kernel's working directory."""
        if self._cwd_arg is not None:
            return str(self._cwd_arg)
        assert self._tmp is not None, "kernel not started"
        return self._tmp.name

    def start(self) -> None:
        """Start the kernel and wait until it answers."""
        if self._cwd_arg is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="w2v-kernel-")
        self.km = KernelManager(kernel_name=KERNEL_NAME)
        self.km.start_kernel(extra_arguments=_KERNEL_ARGS, env=kernel_env(self._env), cwd=self.cwd)
        self.kc = self.km.client()
        self.kc.allow_stdin = False
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=self._startup_timeout)
        except RuntimeError:
            self.stop()
            raise

    def stop(self) -> None:
        """Shut the kernel down (killing it if it does not stop) and remove the temp folder."""
        if self.kc is not None:
            self.kc.stop_channels()
            self.kc = None
        if self.km is not None:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=False)
            self.km = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def submit(self, code: str) -> str:
        """Send ``code`` for execution and return its message id without waiting."""
        if self.kc is None:
            raise RuntimeError("LiveKernel is not started; use it as a context manager")
        msg_id = self.kc.execute(code, store_history=False, allow_stdin=False)
        self._outputs[msg_id] = []
        self._sources[msg_id] = code
        return msg_id

    def collect(self, msg_id: str, timeout: float = 60) -> str:
        """Wait until request ``msg_id`` is finished; return its output or raise CellError.

        On timeout raises ``TimeoutError`` (with the output so far); the request keeps running,
        call :meth:`interrupt` to stop it.
        """
        deadline = time.monotonic() + timeout
        while msg_id not in self._done:
            left = deadline - time.monotonic()
            if left <= 0:
                partial = "".join(self._outputs.get(msg_id, []))
                raise TimeoutError(
                    f"kernel did not finish within {timeout}s:\n{self._sources.get(msg_id, '')}"
                    f"\n--- output so far ---\n{partial}"
                )
            try:
                msg = self.kc.get_iopub_msg(timeout=min(left, 1.0))
            except queue.Empty:
                if self.km is not None and not self.km.is_alive():
                    raise RuntimeError("the kernel died") from None
                continue
            self._dispatch(msg)
        self._done.discard(msg_id)
        text = "".join(self._outputs.pop(msg_id, []))
        source = self._sources.pop(msg_id, "")
        error = self._errors.pop(msg_id, None)
        if error is not None:
            raise CellError(
                source,
                error["ename"],
                error["evalue"],
                strip_ansi("\n".join(error["traceback"])),
            )
        return text

    def execute(self, code: str, timeout: float = 60) -> str:
        """Run ``code``, wait for it, and return its text output (raises CellError on error)."""
        return self.collect(self.submit(code), timeout=timeout)

    def interrupt(self) -> None:
        """Send SIGINT to the kernel (stops the running request with KeyboardInterrupt)."""
        assert self.km is not None
        self.km.interrupt_kernel()

    def _dispatch(self, msg: dict[str, Any]) -> None:
        parent = msg.get("parent_header", {}).get("msg_id")
        if parent not in self._outputs:
            return  # output of a request we did not send (or already collected)
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "status" and content.get("execution_state") == "idle":
            self._done.add(parent)
        elif kind == "error":
            self._errors[parent] = content
        else:
            text = output_text({"output_type": kind, **content})
            if text:
                self._outputs[parent].append(text)

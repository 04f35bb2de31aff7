"""A machine's first ``fit``: the kernel's main loop compiles in a helper process while this one
imports torch.

With nothing in numba's cache, the kernel's first use compiles it: about 1.5 s of numba's typing
and LLVM for ``sgns_worker`` alone, on one core, after torch's import (about 1 s) on that same
core; numba holds the GIL while it types, so a thread cannot overlap the two, a process can.
:func:`begin` (called when ``Word2Vec`` is first asked for, or by the ``w2v-widgets train`` and
``demo`` commands, before torch is imported) looks for
``sgns_worker``'s cache index where numba keeps it; if there is none, it starts a helper that
compiles ``sgns_worker`` into the cache on another core, while this process imports torch and
compiles the two small functions. :func:`wait` (the kernel's load, before it loads
``sgns_worker``) waits until the helper has written it, and the load reads that machine code from
the cache: the same source, flags and CPU, so the same machine code as a compile here.

The helper then lowers its priority and compiles, for the machine's later runs, the word2vec row
writer (:mod:`w2v_widgets.vectors.rows.jit`) and the corpus reader
(:mod:`w2v_widgets.data.jit_words`), which a process otherwise compiles only for a save of
300,000 rows or a file of 128 MB (about 3 and 4 CPU seconds); nothing waits for that part.

Anything unusual leaves the compile to this process, as before: a memory group (a hub's
``mem_limit``) with less than :data:`ROOM_MB` to spare, a helper that fails, or one that runs past
:data:`TIMEOUT` (it is then stopped). A cache where :func:`cache_dir` does not look (numba's
config file naming another) costs a helper that finds the machine code there and exits.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path

from ... import cgroups

TIMEOUT = 600.0  # seconds the kernel's load waits for the helper before compiling itself
# The helper peaks at 240 MB (numba 0.68, Linux x86-64); the first fit beside it adds torch's 195 MB
# and numba's 120 MB to this process. Under a cgroup with less room than this, no helper: the
# cgroup's OOM killer would pick the largest process, a student's notebook kernel.
ROOM_MB = 600
MANIFEST = "w2v_widgets_jit.sha256.json"  # the checksums the kernel's load records (kernels/__init__)
_HELPER = """
import sys
root, expected = sys.argv[1], sys.argv[2]
sys.path.insert(0, root)
from w2v_widgets.training.kernels import compile_helper
compile_helper.compile_all(expected)
"""
_helper: subprocess.Popen | None = None
_finishing: list[subprocess.Popen] = []  # helpers past sgns_worker, compiling the writer and reader
# Windows: no console window, and below-normal priority (no os.nice there for the later work)
_WINDOWS_FLAGS = getattr(subprocess, "CREATE_NO_WINDOW", 0)
_WINDOWS_FLAGS |= getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0)


def _here() -> str:
    return os.path.dirname(os.path.abspath(__file__))


def cache_dir() -> Path:
    """Where numba keeps the kernel's machine code, by its rules (the locators of ``numba.core.caching``,
    the first that applies): ``NUMBA_CACHE_DIR``'s folder for this package; else the package's
    ``__pycache__`` if it can be written; else the user-wide cache (``~/.cache/numba``,
    ``~/Library/Caches/numba``, ``%LOCALAPPDATA%\\numba\\Cache``)."""
    here = _here()
    subfolder = f"{os.path.basename(here)}_{hashlib.sha1(here.encode()).hexdigest()}"
    if os.environ.get("NUMBA_CACHE_DIR"):
        return Path(os.environ["NUMBA_CACHE_DIR"], subfolder)
    in_tree = Path(here, "__pycache__")
    if os.access(in_tree if in_tree.is_dir() else here, os.W_OK):
        return in_tree
    if sys.platform == "win32":
        user_wide = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"), "numba", "Cache")
    elif sys.platform == "darwin":
        user_wide = Path.home() / "Library" / "Caches" / "numba"
    else:
        user_wide = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"), "numba")
    return user_wide / subfolder


def compiled() -> bool:
    """``sgns_worker``'s cache index is in :func:`cache_dir`."""
    version = f"py{sys.version_info[0]}{sys.version_info[1]}{getattr(sys, 'abiflags', '')}"
    return next(cache_dir().glob(f"jit.sgns_worker-*.{version}.nbi"), None) is not None


def _runs_python() -> bool:
    """``sys.executable`` is a Python that takes ``-c`` (not a frozen application, nor a program
    embedding Python), and this process is the first of its machine's ranks (``LOCAL_RANK``: a
    data-parallel run's other ranks compile in their own processes, as before, rather than start
    one helper each)."""
    name = os.path.basename(sys.executable or "").lower()
    first_rank = os.environ.get("LOCAL_RANK", "0") == "0"
    return name.startswith("python") and not getattr(sys, "frozen", False) and first_rank


def _room() -> bool:
    """The memory group, if any, has :data:`ROOM_MB` to spare."""
    limit, used = cgroups.memory_limit(), cgroups.memory_usage()
    return limit is None or used is None or limit.value - used >= ROOM_MB * 2**20


def begin() -> bool:
    """Start the helper if this machine has no compiled ``sgns_worker`` (and none is running);
    True if it started. Call it only where the kernel will be tried (``kernels.compile_ahead``)."""
    global _helper
    finished()
    if _helper is not None or not _runs_python() or compiled() or not _room():
        return False
    with contextlib.suppress(OSError):  # checksums of earlier files say nothing of the ones compiled now
        (cache_dir() / MANIFEST).unlink()
    root = os.path.dirname(os.path.dirname(os.path.dirname(_here())))
    try:
        _helper = subprocess.Popen(
            [sys.executable, "-c", _HELPER, root, os.path.join(_here(), "jit.py")],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            creationflags=_WINDOWS_FLAGS,
        )
    except OSError:
        return False
    return True


def wait() -> bool:
    """Wait until the helper, if one runs, has written ``sgns_worker`` into the cache (or has
    stopped); True if it did. One that runs past :data:`TIMEOUT` is stopped (the load then
    compiles here); one that goes on compiling the writer and the reader is left to finish."""
    global _helper
    helper, _helper = _helper, None
    if helper is None:
        return False
    deadline = time.monotonic() + TIMEOUT
    while not compiled():
        if helper.poll() is not None:
            return compiled()
        if time.monotonic() > deadline:
            helper.kill()
            helper.wait()
            return False
        time.sleep(0.01)
    _finishing.append(helper)  # kept (and reaped by finished()) while it compiles the writer and reader
    return True


def finished() -> bool:
    """Whether no helper is left compiling the writer and the reader (reaping those that are done)."""
    _finishing[:] = [helper for helper in _finishing if helper.poll() is None]
    return not _finishing


def compile_all(expected: str) -> None:
    """The helper's work, if this is the package copy at ``expected``: numba's implementations and
    ``sgns_worker`` into the cache (or found there); then, at the lowest priority, the row writer
    and the corpus reader."""
    from ...data import jit_words, numba_start
    from ...vectors.rows import writer
    from . import jit

    if os.path.abspath(jit.__file__) != expected:
        raise SystemExit(f"another copy of w2v-widgets was imported: {jit.__file__}")
    numba_start.load_implementations()
    jit.warm_up(jit.function_tables(), ("sgns_worker",))
    if hasattr(os, "nice"):  # Unix: the machine's other work (the first fit) goes first
        with contextlib.suppress(OSError):
            os.nice(19)
    writer.compile_jit()
    jit_words.ready()


def _forget_helper_in_child() -> None:
    """A forked child cannot wait for its parent's helpers."""
    global _helper
    _helper = None
    _finishing.clear()


if hasattr(os, "register_at_fork"):  # Unix only: Windows has no fork
    os.register_at_fork(after_in_child=_forget_helper_in_child)

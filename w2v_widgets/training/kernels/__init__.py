"""Compiled CPU kernels, built on first use with ``torch.utils.cpp_extension`` and cached.

The skip-gram negative-sampling update (``sgns.cpp``) is a C++ loop over torch tensors, run by
several threads that update the shared tables without locks (Hogwild, as the word2vec C tool).
It is built in a background thread the first time it is asked for (tens of seconds, once per
machine: the build is cached under the torch extensions directory) while training goes on with
the eager torch path. Where no build is possible (no C++ compiler or ninja, not Linux, or
``W2V_WIDGETS_KERNEL=eager``), everything stays on the eager path, which gives the same
statistics. ``W2V_WIDGETS_KERNEL=device`` runs the GPU's path on any device (for tests).

Threads: ``torch.get_num_threads()`` by default (``W2V_WIDGETS_THREADS`` overrides). Hogwild is
not bitwise reproducible; ``torch.use_deterministic_algorithms(True)`` makes the kernel run on one
thread, which is, and makes the trainer wait for the build so a seed always takes the same path.
"""

from __future__ import annotations

import hashlib
import os
import platform
import shutil
import sys
import threading
from pathlib import Path

import torch

_SOURCE = Path(__file__).with_name("sgns.cpp")
_FLAGS = ["-O3", "-march=native", "-fopenmp-simd", "-fno-math-errno"]
_lock = threading.Lock()
_thread: threading.Thread | None = None
_done = threading.Event()
_op = None
error: str | None = None  # why the kernel is unavailable, once known
build_seconds: float | None = None


def _setting() -> str:
    return os.environ.get("W2V_WIDGETS_KERNEL", "").lower()


def _forced_eager() -> bool:
    return _setting() in ("eager", "0", "off", "no", "device")


def forced_device_path() -> bool:
    """``W2V_WIDGETS_KERNEL=device``: the GPU's path (large damped batch steps, chunks of 2**20
    tokens) on whatever device trains, to check it where no GPU is."""
    return _setting() == "device"


def disabled_reason() -> str | None:
    """Why the compiled kernel cannot be used here, or None if it can be tried."""
    if _forced_eager():
        return f"W2V_WIDGETS_KERNEL={os.environ['W2V_WIDGETS_KERNEL']}"
    if not sys.platform.startswith("linux"):
        return f"compiled kernels are built on Linux only (this is {sys.platform})"
    if shutil.which(os.environ.get("CXX", "c++")) is None:
        return "no C++ compiler found"
    from torch.utils.cpp_extension import is_ninja_available

    if not is_ninja_available():
        return "ninja is not installed (pip install ninja)"
    return None


def _name() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu += next((line for line in f if line.startswith("flags")), "")
    except OSError:
        pass
    key = hashlib.sha1((_SOURCE.read_text() + " ".join(_FLAGS) + cpu + torch.__version__).encode())
    return "w2v_widgets_sgns_" + key.hexdigest()[:12]


def _build() -> None:
    global _op, error, build_seconds
    import time

    t0 = time.perf_counter()
    try:
        from torch.utils.cpp_extension import load

        load(
            name=_name(),
            sources=[str(_SOURCE)],
            extra_cflags=_FLAGS,
            is_python_module=False,
            verbose=False,
        )
        _op = torch.ops.w2v_widgets.sgns_window
    except Exception as exc:  # a failed build leaves the eager path, with the reason kept
        error = f"{type(exc).__name__}: {str(exc).strip()[-500:]}"
    build_seconds = time.perf_counter() - t0
    _done.set()


def start() -> bool:
    """Start building (or loading the cached build) in the background; False if impossible."""
    global _thread, error
    if _forced_eager():
        return False
    with _lock:
        if _thread is not None or _done.is_set():
            return _op is not None or not _done.is_set()
        reason = disabled_reason()
        if reason is not None:
            error = reason
            _done.set()
            return False
        _thread = threading.Thread(target=_build, name="w2v-widgets-kernel-build", daemon=True)
        _thread.start()
        return True


def ready() -> bool:
    """True once the kernel is built and loaded (and not switched off by the environment)."""
    return _op is not None and not _forced_eager()


def wait(timeout: float | None = None) -> bool:
    """Start the build if needed, wait for it; True if the kernel can be used."""
    if not start():
        return False
    _done.wait(timeout)
    return _op is not None


def threads(background: bool = False) -> int:
    """Kernel threads: ``W2V_WIDGETS_THREADS``, else torch's thread count; one fewer for a
    background run, which leaves a core to the notebook's kernel so widgets stay responsive."""
    if torch.are_deterministic_algorithms_enabled():
        return 1
    env = os.environ.get("W2V_WIDGETS_THREADS")
    if env:
        return max(1, int(env))
    return max(1, torch.get_num_threads() - (1 if background else 0))


def sgns_window(
    w_in: torch.Tensor,
    w_out: torch.Tensor,
    tokens: torch.Tensor,
    sentence: torch.Tensor,
    radius: torch.Tensor,
    table: torch.Tensor,
    lo: int,
    hi: int,
    window: int,
    negative: int,
    lr: float,
    seed: int,
    n_threads: int,
) -> torch.Tensor:
    """Word2vec skip-gram SGD, in place, for the centre positions ``lo..hi-1`` of a chunk.

    ``tokens`` (int64), ``sentence`` (int32) and ``radius`` (int64) describe the whole chunk after
    subsampling, so contexts may lie outside ``lo..hi``. Each pair (centre, context within the
    radius and the same sentence) gets ``negative`` noise words from ``table``, drawn by a
    generator seeded with ``(seed, position, offset)``: they do not depend on batches or threads.
    Returns one loss per pair, in pair order, each computed just before that pair's update.
    """
    return _op(
        w_in, w_out, tokens, sentence, radius, table, lo, hi, window, negative, float(lr), seed, n_threads
    )


def prepare_chunk(
    ids: torch.Tensor, sentence: torch.Tensor, keep_prob: torch.Tensor, window: int, seed: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Subsample a chunk (keep token ``i`` with ``keep_prob[ids[i]]``) and draw each kept token's
    window radius in ``1..window``, from a generator seeded with ``(seed, i)``. Returns the kept
    ids (int64), their sentence ids (int32) and radii (int64)."""
    tokens, kept_sentence, radius = torch.ops.w2v_widgets.prepare_chunk(
        ids, sentence, keep_prob, window, seed
    )
    return tokens, kept_sentence, radius


__all__ = ["disabled_reason", "prepare_chunk", "ready", "sgns_window", "start", "threads", "wait"]

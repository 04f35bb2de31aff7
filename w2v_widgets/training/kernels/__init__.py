"""The CPU fast path: the skip-gram kernel of :mod:`.jit`, compiled by numba's LLVM JIT.

No C/C++ compiler is needed, so every machine a student brings (Linux, macOS, Windows, Colab)
gets the same path. The first use on a machine compiles it (about 2 s, before training starts,
so a run never starts slow and switches later; its main loop in a helper process while torch
imports: :mod:`.compile_helper`); the machine code is cached on disk and later processes load
it in well under a second.

Faults of the cache are detected and repaired, never a crash or a hang: numba writes each cache
file atomically (a temporary file, then a rename), so a first use killed at any moment leaves
either nothing or complete files, and there is no lock file to go stale. A file damaged later
(a bit flip, a truncation, another version's leftovers) fails the checksum this module records
after each good load, or fails to load: either way it is removed with a one-line warning and the
kernel compiled again; if that fails too, training falls back to the eager torch path with the
reason in the warning and :data:`error`.

``W2V_WIDGETS_KERNEL=eager`` forces the eager path, ``=device`` the GPU's path (for tests).
Threads: the CPUs the process may use (affinity, cgroup quota; ``W2V_WIDGETS_THREADS`` overrides:
:mod:`w2v_widgets.threads`), from a persistent pool;
``torch.use_deterministic_algorithms(True)`` runs one thread, which is bitwise reproducible.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import threading
import time
import warnings
from concurrent.futures import ThreadPoolExecutor
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ...data import numba_start  # in data/, as the corpus reader may load numba first
from ...threads import workers
from . import compile_helper

if TYPE_CHECKING:
    import torch  # imported where a function needs it: a helper compiling the kernel never does

_lock = threading.Lock()
_loaded = False  # the load was attempted (it succeeded if _jit is set)
_jit = None  # the jit module, once its functions are loaded
_tables: tuple[np.ndarray, np.ndarray] | None = None
_pool: ThreadPoolExecutor | None = None
_pool_size = 0
error: str | None = None  # why the kernel is unavailable, once known
load_seconds: float | None = None  # how long the first use took in this process


class KernelCacheWarning(RuntimeWarning):
    """The JIT cache was damaged and rebuilt, or the kernel could not be loaded."""


def _setting() -> str:
    return os.environ.get("W2V_WIDGETS_KERNEL", "").lower()


def _forced_eager() -> bool:
    return _setting() in ("eager", "0", "off", "no", "device")


def forced_device_path() -> bool:
    """``W2V_WIDGETS_KERNEL=device``: the GPU's path (large damped batch steps, chunks of 2**20
    tokens) on whatever device trains, to check it where no GPU is."""
    return _setting() == "device"


def disabled_reason() -> str | None:
    """Why the kernel cannot be used here, or None if it can be tried."""
    if _forced_eager():
        return f"W2V_WIDGETS_KERNEL={os.environ['W2V_WIDGETS_KERNEL']}"
    if error is not None:
        return error
    try:
        import numba  # noqa: F401
    except ImportError as exc:
        return f"numba is not importable ({exc}); pip install numba"
    return None


# ---------------------------------------------------------------------------- the disk cache
def cache_dir() -> Path | None:
    """Where numba keeps this kernel's machine code (None before the module is imported)."""
    if _jit is None:
        try:
            from . import jit
        except ImportError:
            return None
    else:
        jit = _jit
    try:
        return Path(jit.sgns_worker._cache._cache_path)
    except AttributeError:  # numba's internals moved: no checksums, numba's own checks only
        return None


def _cache_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("jit.*") if p.suffix in (".nbi", ".nbc"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _check_cache(directory: Path) -> str | None:
    """Remove cache files that differ from the checksums recorded after the last good load, and
    temporary files left by a killed compile; say what was removed (None if nothing)."""
    stale = [p for p in directory.glob("jit.*.tmp.*") if time.time() - p.stat().st_mtime > 60]
    _remove(stale)
    try:
        recorded = json.loads((directory / compile_helper.MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(recorded, dict):
        return None
    changed = [p for p in _cache_files(directory) if p.name in recorded and recorded[p.name] != _digest(p)]
    if not changed:
        return None
    _remove(_cache_files(directory))
    return f"{len(changed)} file(s) failed their checksum"


def _record_cache(directory: Path) -> None:
    """Write the checksums of the cache files just loaded (atomically)."""
    try:
        manifest = {p.name: _digest(p) for p in _cache_files(directory)}
        tmp = directory / f"{compile_helper.MANIFEST}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(manifest))
        os.replace(tmp, directory / compile_helper.MANIFEST)
    except OSError:
        pass  # a read-only cache: numba compiles in memory; nothing to record


def _warm_up(jit) -> None:
    """Load or compile the kernel's functions; ``sgns_worker`` last, once a helper compiling it
    (:mod:`.compile_helper`) is done, so that it is read from the cache the helper wrote."""
    jit.warm_up(_tables, ("prepare_chunk", "pair_offsets"))
    compile_helper.wait()
    jit.warm_up(_tables, ("sgns_worker",))


def _load() -> None:
    global _loaded
    _loaded = True
    try:
        _load_once()
    except BaseException:  # interrupted (KeyboardInterrupt in a notebook): the next fit tries again
        _loaded = False
        raise


def _load_once() -> None:
    global _jit, _tables, error, load_seconds
    t0 = time.perf_counter()
    try:
        from . import jit
    except Exception as exc:  # numba missing or broken: the eager path
        error = f"numba is not importable ({type(exc).__name__}: {exc}); pip install numba"
        return
    with contextlib.suppress(Exception):  # a failure here recurs, and is reported, in _warm_up
        numba_start.load_implementations()  # numba's registries, without importing scipy
    _tables = jit.function_tables()
    directory = cache_dir()
    repaired = _check_cache(directory) if directory is not None else None
    try:
        _warm_up(jit)
    except Exception as exc:  # an unreadable cache file: remove ours, compile again
        if directory is None:
            error = f"the JIT kernel could not be loaded ({type(exc).__name__}: {exc})"
            warnings.warn(f"w2v-widgets: {error}; training uses the slower eager path", KernelCacheWarning, 3)
            return
        _remove(_cache_files(directory))
        repaired = f"{type(exc).__name__}: {str(exc)[:200]}"
        try:
            _warm_up(jit)
        except Exception as exc2:
            error = f"the JIT kernel could not be compiled ({type(exc2).__name__}: {str(exc2)[:300]})"
            warnings.warn(f"w2v-widgets: {error}; training uses the slower eager path", KernelCacheWarning, 3)
            return
    if repaired:
        warnings.warn(
            f"w2v-widgets: the kernel's JIT cache in {directory} was damaged ({repaired}); "
            "it was removed and the kernel compiled again",
            KernelCacheWarning,
            3,
        )
    if directory is not None:
        _record_cache(directory)
    _jit = jit
    load_seconds = time.perf_counter() - t0


def compile_ahead() -> bool:
    """Before torch's import (``Word2Vec`` first asked for): if the kernel will be tried and this
    machine has not compiled it, start compiling its main loop in a helper process
    (:mod:`.compile_helper`); True if a helper started."""
    if _loaded or _forced_eager() or os.environ.get("NUMBA_DISABLE_JIT", "0") not in ("", "0"):
        return False
    if find_spec("numba") is None:
        return False
    return compile_helper.begin()


def start() -> bool:
    """Load the kernel (compiling it on a machine's first use); True if it can be used."""
    if _forced_eager():
        return False
    with _lock:
        if not _loaded:
            _load()
    return _jit is not None


def threads(background: bool = False) -> int:
    """Kernel threads: the budget of :mod:`w2v_widgets.threads` (``W2V_WIDGETS_THREADS``, else
    the CPUs the process may use); one fewer for a background run, which leaves a core to the
    notebook's kernel so widgets stay responsive; one under deterministic algorithms."""
    import torch

    if torch.are_deterministic_algorithms_enabled():
        return 1
    return workers(spare=1 if background else 0)


def _forget_pool_in_child() -> None:
    """A forked child has none of its parent's threads: a pool inherited from the parent would
    take work no thread ever runs (the child hangs in its first training step). Start afresh."""
    global _lock, _pool, _pool_size
    _lock = threading.Lock()
    _pool, _pool_size = None, 0


if hasattr(os, "register_at_fork"):  # Unix only: Windows has no fork (and no inherited pool)
    os.register_at_fork(after_in_child=_forget_pool_in_child)


def _workers(n: int) -> ThreadPoolExecutor:
    """A persistent pool of at least ``n`` threads (they sleep between calls; no spinning)."""
    global _pool, _pool_size
    with _lock:
        if _pool is None or _pool_size < n:
            if _pool is not None:
                _pool.shutdown(wait=False)
            _pool = ThreadPoolExecutor(max_workers=n, thread_name_prefix="w2v-widgets-kernel")
            _pool_size = n
        return _pool


def _array(t: torch.Tensor, dtype, name: str) -> np.ndarray:
    a = t.detach().numpy() if t.device.type == "cpu" else None
    if a is None or a.dtype != dtype:
        raise TypeError(f"{name} must be a CPU tensor of {np.dtype(dtype).name}")
    return np.ascontiguousarray(a)


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
    subsampling, so contexts may lie outside ``lo..hi``. Each centre's contexts (within its radius
    and sentence) predict it against ``negative`` noise words from ``table`` shared by the window,
    drawn by a generator seeded with ``(seed, position)``: they do not depend on calls or threads.
    Returns one loss per (centre, context) pair, in pair order, each computed before the update.
    """
    import torch

    if not start():
        raise RuntimeError(f"the skip-gram kernel is unavailable: {disabled_reason()}")
    jit = _jit
    tables_in, tables_out = _array(w_in, np.float32, "w_in"), _array(w_out, np.float32, "w_out")
    if not (w_in.is_contiguous() and w_out.is_contiguous()):
        raise ValueError("w_in and w_out must be contiguous (they are updated in place)")
    tok = _array(tokens, np.int64, "tokens")
    sent = _array(sentence, np.int32, "sentence")
    rad = _array(radius, np.int64, "radius")
    noise = _array(table, np.int64, "table")
    n = len(tok)
    if not (0 <= lo <= hi <= n) or len(sent) != n or len(rad) != n:
        raise ValueError("need 0 <= lo <= hi <= len(tokens) == len(sentence) == len(radius)")
    if hi > lo and (int(rad[lo:hi].max()) > window or int(rad[lo:hi].min()) < 1):
        raise ValueError(f"radii must lie in 1..window ({window})")
    offsets = jit.pair_offsets(tok, sent, rad, lo, hi)
    losses = np.empty(int(offsets[-1]), np.float32)
    counter = np.array([lo], np.int64)
    args = (tables_in, tables_out, tok, sent, rad, noise, lo, hi, int(window), int(negative), float(lr))
    args += (seed & (2**63 - 1), offsets, losses, counter, *_tables)
    blocks = -(-(hi - lo) // jit.BLOCK)
    n_threads = max(1, min(n_threads, blocks))
    if n_threads == 1:
        jit.sgns_worker(*args)
    else:
        pool = _workers(n_threads - 1)
        others = [pool.submit(jit.sgns_worker, *args) for _ in range(n_threads - 1)]
        jit.sgns_worker(*args)
        for job in others:  # a thread that starts late finds no block left and returns at once
            job.result()
    return torch.from_numpy(losses)


def prepare_chunk(
    ids: torch.Tensor, sentence: torch.Tensor, keep_prob: torch.Tensor, window: int, seed: int
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Subsample a chunk (keep token ``i`` with ``keep_prob[ids[i]]``) and draw each kept token's
    window radius in ``1..window``, from a generator seeded with ``(seed, i)``. Returns the kept
    ids (int64), their sentence ids (int32) and radii (int64)."""
    import torch

    if not start():
        raise RuntimeError(f"the skip-gram kernel is unavailable: {disabled_reason()}")
    a = _array(ids, np.int64, "ids")
    s = _array(sentence, np.int32, "sentence")
    k = _array(keep_prob, np.float64, "keep_prob")
    n = len(a)
    tokens, kept_sentence, radius = np.empty(n, np.int64), np.empty(n, np.int32), np.empty(n, np.int64)
    m = _jit.prepare_chunk(a, s, k, int(window), seed & (2**63 - 1), tokens, kept_sentence, radius)
    return torch.from_numpy(tokens[:m]), torch.from_numpy(kept_sentence[:m]), torch.from_numpy(radius[:m])


__all__ = [
    "KernelCacheWarning",
    "cache_dir",
    "compile_ahead",
    "disabled_reason",
    "prepare_chunk",
    "sgns_window",
    "start",
    "threads",
]

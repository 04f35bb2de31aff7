"""A quicker interpreter exit after training: fewer full garbage collections over torch's objects.

At exit CPython tears its modules down with full garbage collections before and after, each
walking every tracked object: after ``import w2v_widgets`` and a ``fit``, some 250,000 (torch's,
numba's, numpy's), 0.15 CPU s a pass on a 2-core EPYC, more on a loaded machine, where the exit
of a small run took longer than its training (``benchmarks/fixed_costs.py --only exit``).

:func:`register` adds an exit handler (once a process) that collects the garbage there is, as
CPython's first pass at exit would (finalizers run as usual), then freezes what is left
(``gc.freeze``), so the collections of the teardown skip it. Every exit handler and
``weakref.finalize`` still runs, and nothing else changes until the handler runs. What changes: an
object that becomes unreachable only while the modules are torn down, inside a reference cycle,
has its ``__del__`` left undone (Python does not promise it: "It is not guaranteed that __del__()
methods are called for objects that still exist when the interpreter exits"), and its memory is
returned to the system with the rest of the process's.
"""

from __future__ import annotations

import atexit
import gc
import threading

_registered = False
_lock = threading.Lock()


def _collect_then_freeze() -> None:
    gc.collect()
    gc.freeze()


def register() -> None:
    """Add the exit handler, once a process (called by ``Word2Vec.fit``)."""
    global _registered
    with _lock:
        if not _registered:
            atexit.register(_collect_then_freeze)
            _registered = True

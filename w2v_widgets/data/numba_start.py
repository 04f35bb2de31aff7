"""numba's first load in a process, without the scipy import it does not need.

numba's first compile or cache load imports its implementations of Python and NumPy, and one of
them (``numba.np.arraymath``) checks at import that a BLAS is there by importing
``scipy.linalg``: with scipy 1.17 that is about 0.2 CPU seconds (scipy.linalg, its array API
layer, which touches ``numpy.f2py``), a third of the kernel's load, for kernels that use no BLAS.
The check's answer only picks how numba compiles ``np.correlate`` and ``np.convolve`` later
(BLAS or a plain loop). Where scipy's BLAS module is installed, the answer is known without the
import: "yes". :func:`load_implementations` gives numba that answer while it imports its
implementations, then puts numba's own check back; numba imports scipy as before, when a
function that uses BLAS compiles (``ensure_blas`` at its typing). Where scipy is missing, already
imported, or numba's layout differs, nothing is changed.
"""

from __future__ import annotations

import sys
from importlib.util import find_spec
from pathlib import Path


def _scipy_blas_installed() -> bool:
    """scipy's ``linalg/cython_blas`` extension is on the path (found without importing scipy)."""
    try:
        spec = find_spec("scipy")
    except (ImportError, ValueError):
        return False
    folders = spec.submodule_search_locations if spec is not None else None
    return any(next(Path(f, "linalg").glob("cython_blas.*"), None) is not None for f in folders or ())


def _blas_present() -> None:
    """numba's ``ensure_blas`` answer where scipy's BLAS is installed: it is (nothing raised)."""


def load_implementations() -> None:
    """Import numba's implementations (its CPU target's registries) now, answering their BLAS
    check without importing scipy where scipy's BLAS is installed; numba's own check is put back
    after. Any failure is left to the kernel's first call, which loads them the usual way."""
    from numba.core.registry import cpu_target

    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules or not _scipy_blas_installed():
        cpu_target.target_context.refresh()
        return
    from numba.np import linalg

    original = getattr(linalg, "ensure_blas", None)
    if original is None:
        cpu_target.target_context.refresh()
        return
    linalg.ensure_blas = _blas_present
    try:
        cpu_target.target_context.refresh()
    finally:
        linalg.ensure_blas = original
        arraymath = sys.modules.get("numba.np.arraymath")
        if getattr(arraymath, "ensure_blas", None) is _blas_present:
            arraymath.ensure_blas = original

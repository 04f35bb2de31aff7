"""``.npy`` arrays inside our zip files (checkpoints, ``WordVectors.save``): written without
pickle, read only after checking that the header describes exactly the bytes that follow (a
forged shape could otherwise make numpy allocate terabytes before reading)."""

from __future__ import annotations

import io
from collections.abc import Callable

import numpy as np


def npy_bytes(array: np.ndarray) -> bytes:
    """``array`` as the bytes of an ``.npy`` file (C order, never a pickle)."""
    buffer = io.BytesIO()
    np.save(buffer, np.ascontiguousarray(array), allow_pickle=False)
    return buffer.getvalue()


def load_npy(data: bytes, name: str, fail: Callable[[str], Exception]) -> np.ndarray:
    """The array in ``data`` (the member ``name``), or ``fail(reason)`` raised when its header
    lies about its size or its dtype holds Python objects."""
    buffer = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(buffer)
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(buffer)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(buffer)
    except ValueError as exc:
        raise fail(f"array {name!r} has no valid .npy header ({exc})") from exc
    if dtype.hasobject:
        raise fail(f"array {name!r} holds Python objects; refused")
    expected = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
    if expected != len(data) - buffer.tell():
        raise fail(
            f"array {name!r} announces shape {shape} ({expected:,} bytes) but holds "
            f"{len(data) - buffer.tell():,} bytes"
        )
    buffer.seek(0)
    return np.load(buffer, allow_pickle=False)

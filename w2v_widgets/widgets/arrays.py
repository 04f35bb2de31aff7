"""NumPy arrays as widget traits that cross the wire as binary buffers, not JSON lists.

``{"view": memoryview, "dtype": "float32", "shape": [n, 2]}``: ipywidgets sends the memoryview
as a binary buffer; the front-end's ``js/src/codecs.ts`` reads it back as a typed array.
float64 goes out as float32 and int64 as int32 (JavaScript has no int64 typed array in common use).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

_WIRE_DTYPES = {"f": np.float32, "i": np.int32, "u": np.uint32}


def array_to_binary(arr: np.ndarray | None, _widget: Any = None) -> dict | None:
    if arr is None:
        return None
    arr = np.asarray(arr)
    if arr.dtype.kind not in _WIRE_DTYPES:
        raise ValueError(f"cannot send an array of dtype {arr.dtype} (numbers only)")
    if arr.dtype.itemsize > 4 or arr.dtype.kind == "f":
        arr = arr.astype(_WIRE_DTYPES[arr.dtype.kind], copy=False)
    arr = np.ascontiguousarray(arr)
    return {"view": memoryview(arr), "dtype": str(arr.dtype), "shape": list(arr.shape)}


def binary_to_array(value: dict | None, _widget: Any = None) -> np.ndarray | None:
    if value is None:
        return None
    return np.frombuffer(value["view"], dtype=value["dtype"]).reshape(value["shape"])


array_serialization = {"to_json": array_to_binary, "from_json": binary_to_array}


class NDArray(traitlets.TraitType):
    """A NumPy array trait, cast to ``dtype`` and C order, optionally with a fixed ``ndim``."""

    info_text = "a NumPy array"

    def __init__(self, dtype: Any, ndim: int | None = None, **kwargs: Any):
        self.dtype = np.dtype(dtype)
        self.ndim = ndim
        kwargs.setdefault("default_value", np.zeros((0,) * (ndim or 1), dtype=self.dtype))
        super().__init__(**kwargs)

    def validate(self, obj: Any, value: Any) -> np.ndarray:
        try:
            arr = np.ascontiguousarray(value, dtype=self.dtype)
        except (TypeError, ValueError) as exc:
            raise traitlets.TraitError(f"{self.name} must be an array of {self.dtype}: {exc}") from None
        if self.ndim is not None and arr.ndim != self.ndim:
            raise traitlets.TraitError(f"{self.name} must be {self.ndim}-D, got shape {arr.shape}")
        return arr

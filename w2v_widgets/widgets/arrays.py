"""NumPy arrays (and lists of words) as widget traits that cross the wire as binary buffers,
not JSON lists.

``{"view": memoryview, "dtype": "float32", "shape": [n, 2]}``: ipywidgets sends the memoryview
as a binary buffer; the front-end's ``js/src/codecs.ts`` reads it back as a typed array.
float64 goes out as float32 and int64 as int32 (JavaScript has no int64 typed array in common use).
A list of words goes as ``{"utf8": <uint8 array>, "ends": <int32 array>}`` (``word_serialization``):
the words' UTF-8 bytes end to end and where each ends, which the page decodes a word at a time
(``js/src/plot/words.ts``) instead of parsing a JSON list of millions of strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import traitlets

from ..vectors.rows.writer import packed_words

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

_MAX_PACKED_BYTES = 2**31 - 1  # the page reads the ends as int32


def words_to_binary(words: list[str], _widget: Any = None) -> dict | list[str]:
    """The words packed: their UTF-8 bytes end to end (uint8) and where each ends (int32). A list
    UTF-8 cannot encode (a lone surrogate, which Python strings allow) goes as a JSON list."""
    try:
        joined, ends = packed_words(words)
    except UnicodeEncodeError:
        return list(words)
    if len(joined) > _MAX_PACKED_BYTES:
        return list(words)
    return {"utf8": array_to_binary(joined), "ends": array_to_binary(ends)}


def binary_to_words(value: dict | list | None, _widget: Any = None) -> list[str]:
    """The words of :func:`words_to_binary`'s value (either form)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    data = bytes(binary_to_array(value["utf8"]))
    ends = binary_to_array(value["ends"]).tolist()
    starts = [0, *ends][: len(ends)]
    return [data[a:b].decode("utf-8") for a, b in zip(starts, ends, strict=True)]


word_serialization = {"to_json": words_to_binary, "from_json": binary_to_words}


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

"""Checkpoint files without pickle: a zip of ``.npy`` arrays and one JSON document.

Nested state (model weights, optimizer state dicts, progress, history) is written as JSON in
which every tensor or array is replaced by a reference to an ``.npy`` member; loading uses
``numpy.load(allow_pickle=False)``, so a checkpoint can never run code.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..atomic import atomic_write
from ..errors import CheckpointError
from ..npy import load_npy, npy_bytes

FORMAT = "w2v-widgets-checkpoint"
VERSION = 1


def _encode(obj: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(obj, torch.Tensor):
        obj = obj.detach().cpu().numpy()
    if isinstance(obj, np.ndarray):
        if obj.dtype == object:
            raise CheckpointError("object arrays cannot be saved in a checkpoint")
        name = f"a{len(arrays)}.npy"
        arrays[name] = obj
        return {"__array__": name}
    if isinstance(obj, dict):
        if all(isinstance(k, str) for k in obj) and "__array__" not in obj and "__items__" not in obj:
            return {k: _encode(v, arrays) for k, v in obj.items()}
        return {"__items__": [[_encode(k, arrays), _encode(v, arrays)] for k, v in obj.items()]}
    if isinstance(obj, list | tuple):
        return [_encode(v, arrays) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    if obj is None or isinstance(obj, bool | int | float | str):
        return obj
    raise CheckpointError(f"cannot save a {type(obj).__name__} in a checkpoint")


def _decode(obj: Any, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(obj, dict):
        if "__array__" in obj:
            try:
                return arrays[obj["__array__"]]
            except KeyError:
                raise CheckpointError(f"checkpoint refers to a missing array {obj['__array__']!r}") from None
        if "__items__" in obj:
            return {_decode(k, arrays): _decode(v, arrays) for k, v in obj["__items__"]}
        return {k: _decode(v, arrays) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_decode(v, arrays) for v in obj]
    return obj


def write_checkpoint(path: str | os.PathLike, state: dict) -> Path:
    """Write ``state`` (JSON-able values, tensors and arrays) atomically to ``path`` (see
    :mod:`w2v_widgets.atomic`; a failed write raises ``SaveError`` and keeps the previous file)."""
    path = Path(path)
    arrays: dict[str, np.ndarray] = {}
    document = {"format": FORMAT, "version": VERSION, "state": _encode(state, arrays)}
    with atomic_write(path) as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("state.json", json.dumps(document))
        for name, array in arrays.items():
            zf.writestr(name, npy_bytes(array))
    return path


def read_checkpoint(path: str | os.PathLike) -> dict:
    """Read a checkpoint written by :func:`write_checkpoint`, checking it is whole."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"checkpoint not found: {str(path)!r}")
    try:
        with zipfile.ZipFile(path) as zf:
            bad = zf.testzip()
            if bad is not None:
                raise CheckpointError(f"checkpoint {str(path)!r} is corrupted (member {bad!r} fails its CRC)")
            document = json.loads(zf.read("state.json"))
            if document.get("format") != FORMAT:
                raise CheckpointError(f"{str(path)!r} is not a w2v-widgets checkpoint")
            if document.get("version") != VERSION:
                raise CheckpointError(
                    f"checkpoint {str(path)!r} has format version {document.get('version')}; "
                    f"this w2v-widgets reads version {VERSION}"
                )
            arrays = {}

            def corrupted(reason: str) -> CheckpointError:
                return CheckpointError(f"checkpoint {str(path)!r} is corrupted: {reason}")

            for name in zf.namelist():
                if name.endswith(".npy"):
                    arrays[name] = load_npy(zf.read(name), name, corrupted)
    except CheckpointError:
        raise
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError, RecursionError) as exc:
        raise CheckpointError(
            f"checkpoint {str(path)!r} is truncated or corrupted ({type(exc).__name__}: {exc}); "
            "it cannot be loaded"
        ) from None
    return _decode(document["state"], arrays)

"""The explorer as one self-contained HTML file (``EmbeddingExplorer.save_html``).

The page inlines the front-end bundle, its CSS and the data; nothing is fetched, so it works from
``file://`` with no network. The bundle and the data sit in ``<script type="application/json">``
blocks whose ``<``, ``>``, ``&`` and U+2028/2029 are escaped as ``\\uXXXX`` (so a word such as
``</script>`` cannot end the block); a short loader imports the bundle from a Blob URL and calls
its ``mountStandalone``, whose in-memory model answers queries from the embedded vectors
(unit rows, float32 or int8 with per-row max-abs scaling).
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import numpy as np

from ...atomic import write_bytes_atomic
from ...errors import ConfigError

INT8_ABOVE = 1_000_000  # embedded values above which "auto" stores int8

_LOADER = """
const read = (id) => JSON.parse(document.getElementById(id).textContent);
const root = document.getElementById("w2v-explorer");
try {
  const code = read("w2v-explorer-bundle");
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  const mod = await import(url);
  mod[__ENTRY__](root, read("w2v-explorer-data"));
} catch (err) {
  root.textContent = "Could not start the explorer: " + err;
  throw err;
}
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
html, body {{ margin: 0; padding: 0; }}
body {{ padding: 12px; background: var(--jp-layout-color0); color: var(--jp-ui-font-color0);
  font-family: system-ui, sans-serif; }}
h1 {{ font-size: 16px; font-weight: 600; margin: 0 0 8px; }}
{css}
</style>
</head>
<body class="w2v-standalone">
<h1>{title}</h1>
<div id="w2v-explorer"></div>
<script type="application/json" id="w2v-explorer-data">{data}</script>
<script type="application/json" id="w2v-explorer-bundle">{bundle}</script>
<script type="module">{loader}</script>
</body>
</html>
"""

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` appear literally."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return "".join(_JSON_ESCAPES.get(ch, ch) for ch in text)


def embed_array(arr: np.ndarray) -> dict:
    """``{"b64", "dtype", "shape"}`` (little-endian bytes) for the page's decoder."""
    arr = np.ascontiguousarray(arr)
    if arr.dtype.kind == "f":
        arr = arr.astype("<f4")
    elif arr.dtype.kind in "iu" and arr.dtype.itemsize > 1:
        arr = arr.astype("<i4")
    return {
        "b64": base64.b64encode(arr.tobytes()).decode("ascii"),
        "dtype": {"f": "float32", "i": "int32", "u": "int32"}[arr.dtype.kind]
        if arr.dtype.itemsize > 1
        else str(arr.dtype),
        "shape": list(arr.shape),
    }


def quantize_rows(unit_vectors: np.ndarray) -> np.ndarray:
    """int8 rows scaled so each row's largest magnitude is 127 (cosines need no scale back)."""
    v = np.asarray(unit_vectors, dtype=np.float32)
    peak = np.abs(v).max(axis=1, keepdims=True)
    return np.round(v / np.where(peak > 0, peak, 1) * 127).astype(np.int8)


def encode_vectors(unit_vectors: np.ndarray, quantize: str) -> dict:
    if quantize not in ("auto", "int8", "float32"):
        raise ConfigError(f"quantize must be 'auto', 'int8' or 'float32', got {quantize!r}")
    if quantize == "int8" or (quantize == "auto" and unit_vectors.size > INT8_ABOVE):
        return embed_array(quantize_rows(unit_vectors))
    return embed_array(np.asarray(unit_vectors, dtype=np.float32))


def standalone_payload(state: dict, words: list[str], unit_vectors: np.ndarray, quantize: str) -> dict:
    encoded = {k: embed_array(v) if isinstance(v, np.ndarray) else v for k, v in state.items()}
    return {
        "version": 1,
        "state": encoded,
        "vocab": {
            "words": words,
            "dim": int(unit_vectors.shape[1]),
            "vectors": encode_vectors(unit_vectors, quantize),
        },
    }


def write_standalone_html(
    path: str | Path,
    *,
    state: dict,
    words: list[str],
    unit_vectors: np.ndarray,
    title: str,
    bundle: str,
    css: str,
    quantize: str = "auto",
) -> Path:
    """Write the page atomically (a failed write raises ``SaveError``); returns its path."""
    payload = standalone_payload(state, words, unit_vectors, quantize)
    return write_page(path, payload=payload, title=title, bundle=bundle, css=css)


def write_page(
    path: str | Path, *, payload: dict, title: str, bundle: str, css: str, entry: str = "mountStandalone"
) -> Path:
    """Write a page that calls the bundle's export ``entry`` with ``payload`` (atomically)."""
    page = standalone_page(payload=payload, title=title, bundle=bundle, css=css, entry=entry)
    return write_bytes_atomic(path, page.encode("utf-8"))


def standalone_page(
    *, payload: dict, title: str, bundle: str, css: str, entry: str = "mountStandalone"
) -> str:
    """The page's HTML: the bundle's export ``entry`` called with ``payload``."""
    if "</style" in css.lower():
        raise ConfigError("the explorer's CSS must not contain '</style'")
    return _PAGE.format(
        title=html.escape(title),
        css=css,
        data=script_json(payload),
        bundle=script_json(bundle),
        loader=_LOADER.replace("__ENTRY__", script_json(entry)),
    )

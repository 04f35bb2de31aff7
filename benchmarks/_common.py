"""What the benchmark scripts share: where a named corpus is."""

from __future__ import annotations

import os
from pathlib import Path

CORPORA_ENV = "W2V_CORPORA"  # a folder holding the named corpora (gcide.txt.gz, ...)


def corpus_file(name_or_path: str) -> Path:
    """The file of a benchmark corpus: ``sample`` (the embedded one), a path to a text file, or a
    name looked up as ``NAME.txt.gz`` or ``NAME.txt`` in the folder ``$W2V_CORPORA``."""
    if name_or_path == "sample":
        from w2v_widgets.data.datasets.builtin import sample_path

        return sample_path()
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    folder = os.environ.get(CORPORA_ENV)
    if folder and "/" not in name_or_path:
        for suffix in (".txt.gz", ".txt"):
            if (Path(folder) / f"{name_or_path}{suffix}").is_file():
                return Path(folder) / f"{name_or_path}{suffix}"
    where = f"${CORPORA_ENV} is {folder!r}" if folder else f"${CORPORA_ENV} is not set"
    raise SystemExit(
        f"no corpus {name_or_path!r}: give the path of a text file (.txt or .gz), or set {CORPORA_ENV} to "
        f"the folder holding {name_or_path}.txt.gz ({where})"
    )

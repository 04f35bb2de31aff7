"""Chinese and Korean text read from packages installed on this machine, never shipped here.

- ``"fortunes-zh"``: Debian's ``fortunes-zh`` (GPL-3+ compilation: quotations in modern Chinese,
  300 Tang poems, 100 Song lyrics), ``apt-get install fortunes-zh``.
- ``"korean-law"``: the Korean constitution and ten National Assembly bills that KoNLPy (GPL-3)
  bundles as its ``kolaw`` and ``kobill`` corpora, ``pip install konlpy`` (KoNLPy's code, and the
  Java it starts, is not imported: the files are read from where pip put them).

Each is streamed line by line into a :class:`~w2v_widgets.data.corpus.Corpus` with the tokenizer
asked for. Why nothing is copied into this package: ``data/README.md``.
"""

from __future__ import annotations

import importlib.util
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import DatasetError

if TYPE_CHECKING:
    from ..corpus import Corpus

# Where Debian's fortune-mod and its data packages keep the cookie files.
FORTUNES_DIR = Path("/usr/share/games/fortunes")
FORTUNES_ZH_FILES = ("chinese", "tang300", "song100")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")  # the files colour titles and authors for terminals


def _fortune_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = _ANSI.sub("", line).strip()
            if line and line != "%":
                yield line


def fortunes_zh_paths(
    files: tuple[str, ...] = FORTUNES_ZH_FILES, directory: str | os.PathLike | None = None
) -> list[Path]:
    """The cookie files of Debian's fortunes-zh, or a DatasetError saying how to install them."""
    folder = Path(directory) if directory is not None else FORTUNES_DIR
    paths = [folder / name for name in files]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DatasetError(
            f"Debian's fortunes-zh is not installed ({', '.join(missing)} missing): "
            "`sudo apt-get install fortunes-zh`, or pass directory= where its files are"
        )
    return paths


def load_fortunes_zh(
    *,
    tokenizer: str = "chars",
    files: tuple[str, ...] = FORTUNES_ZH_FILES,
    directory: str | os.PathLike | None = None,
) -> Corpus:
    """Chinese text of Debian's fortunes-zh (one line of a quotation or poem a sentence)."""
    from ..corpus import Corpus

    paths = fortunes_zh_paths(files, directory)
    lines = (line for path in paths for line in _fortune_lines(path))
    return Corpus.from_texts(lines, tokenizer=tokenizer, name=f"fortunes-zh ({tokenizer})")


def konlpy_corpus_paths() -> list[Path]:
    """KoNLPy's bundled Korean texts (kolaw, kobill), or a DatasetError saying how to get them."""
    spec = importlib.util.find_spec("konlpy")  # finds the folder without importing KoNLPy (and Java)
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError("the Korean corpus is read from KoNLPy's data: `pip install konlpy`")
    root = Path(next(iter(spec.submodule_search_locations))) / "data" / "corpus"
    paths = sorted((root / "kolaw").glob("*.txt")) + sorted((root / "kobill").glob("*.txt"))
    if not paths:
        raise DatasetError(f"KoNLPy is installed but its corpora are not in {str(root)!r}; reinstall konlpy")
    return paths


def load_korean_law(*, tokenizer: str = "kiwi") -> Corpus:
    """The Korean constitution and ten bills from KoNLPy's data, one line a sentence."""
    from ..corpus import Corpus

    def lines() -> Iterator[str]:
        for path in konlpy_corpus_paths():
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if line.strip():
                        yield line

    return Corpus.from_texts(lines(), tokenizer=tokenizer, name=f"korean-law ({tokenizer})")


__all__ = ["fortunes_zh_paths", "konlpy_corpus_paths", "load_fortunes_zh", "load_korean_law"]

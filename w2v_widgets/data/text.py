"""Reading user text: a streaming, validating reader for .txt and .gz files (tokenisers are in
:mod:`.tokenizers`)."""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator
from pathlib import Path

from ..errors import CorpusError
from .tokenizers import Tokenizer, default_tokenizer, get_tokenizer  # noqa: F401 (older imports)

_CHUNK_CHARS = 1 << 20  # long lines (text8 is one 100 MB line) are read in pieces of this size
_SNIFF_BYTES = 8192


def _open_binary(path: Path):
    with open(path, "rb") as probe:
        magic = probe.read(2)
    if magic == b"\x1f\x8b":
        return gzip.open(path, "rb")
    return open(path, "rb")


def check_text_file(path: str | os.PathLike) -> Path:
    """Return ``path`` as a Path after checking it exists, is a file, and looks like text."""
    path = Path(path).expanduser()
    if not path.exists():
        raise FileNotFoundError(f"corpus file not found: {str(path)!r}")
    if path.is_dir():
        raise CorpusError(f"{str(path)!r} is a directory; give a .txt or .gz text file")
    try:
        with _open_binary(path) as f:
            head = f.read(_SNIFF_BYTES)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise CorpusError(f"cannot read {str(path)!r}: {exc}") from None
    if b"\x00" in head:
        raise CorpusError(
            f"{str(path)!r} looks like a binary file (it contains NUL bytes); "
            "give a UTF-8 text file (.txt, or .gz of one)"
        )
    return path


def iter_text_pieces(path: str | os.PathLike) -> Iterator[tuple[str, bool]]:
    """Yield ``(text, ends_line)`` pieces of a UTF-8 text file, plain or gzip-compressed (a
    byte-order mark at the start is skipped, as Windows Notepad writes one).

    Lines are yielded whole unless longer than about 1M characters, in which case they come in
    pieces cut at whitespace, so memory stays bounded whatever the file's layout.
    """
    for block, ends_line in iter_text_blocks(path):
        yield from _lines_of(block, ends_line)


def iter_text_blocks(path: str | os.PathLike) -> Iterator[tuple[str, bool]]:
    """:func:`iter_text_pieces` about 1M characters at a time, for readers that tokenise many
    lines in one call: ``(text, ends_line)`` where ``text`` holds whole lines joined by ``"\n"``
    (its last one ends a line only if ``ends_line``)."""
    path = check_text_file(path)
    try:
        raw = _open_binary(path)
    except OSError as exc:
        raise CorpusError(f"cannot read {str(path)!r}: {exc}") from None
    with raw:
        yield from iter_stream_blocks(raw, path)


def _lines_of(block: str, ends_line: bool) -> Iterator[tuple[str, bool]]:
    lines = block.split("\n")
    last = lines.pop()
    for line in lines:
        yield line, True
    yield last, ends_line


def iter_stream_pieces(
    raw: io.RawIOBase, path: str | os.PathLike, encoding: str = "utf-8-sig"
) -> Iterator[tuple[str, bool]]:
    """:func:`iter_text_pieces` of an open binary stream (``path`` names it in errors)."""
    for block, ends_line in iter_stream_blocks(raw, path, encoding):
        yield from _lines_of(block, ends_line)


def iter_stream_blocks(
    raw: io.RawIOBase, path: str | os.PathLike, encoding: str = "utf-8-sig"
) -> Iterator[tuple[str, bool]]:
    """:func:`iter_text_blocks` of an open binary stream (``path`` names it in errors)."""
    line_no = 1
    try:
        reader = io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline=None)
        pending = ""
        while True:
            chunk = reader.read(_CHUNK_CHARS)
            if not chunk:
                break
            if "\x00" in chunk:
                raise CorpusError(
                    f"{str(path)!r} contains NUL bytes near line {line_no}; it looks like a binary file"
                )
            data = pending + chunk
            end = data.rfind("\n")
            if end >= 0:
                yield data[:end], True
                line_no += data.count("\n", 0, end + 1)
                pending = data[end + 1 :]
            else:
                pending = data
            if len(pending) > _CHUNK_CHARS:
                cut = max(pending.rfind(" "), pending.rfind("\t"))
                if cut <= 0:
                    cut = len(pending)
                yield pending[:cut], False
                pending = pending[cut:]
        if pending:
            yield pending, True
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{str(path)!r} is not valid UTF-8 (bad byte near line {line_no}: {exc.reason}); "
            "convert it to UTF-8, e.g. `iconv -f latin1 -t utf-8`"
        ) from None
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise CorpusError(f"cannot read {str(path)!r}: {exc}") from None

"""Word-vector files: the word2vec text and binary formats, and TensorFlow Projector TSV.

The word2vec formats are those of the original C tool and gensim: a first line
``"<words> <dimensions>"``, then per word either ``word v1 v2 ...`` (text) or ``word `` followed by
the float32 values in little-endian bytes and a newline (binary). Words are UTF-8. Paths ending in
``.gz`` or ``.bz2`` are compressed and decompressed transparently.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import logging
import os
import re
import warnings
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..atomic import AtomicGroup, atomic_group, atomic_write
from ..errors import VectorFileEncodingError, VectorFileError, VectorFileTruncatedError
from .row_writer import binary_rows, text_rows

logger = logging.getLogger(__name__)

_CHUNK = 1 << 20  # bytes read at a time from binary files
_WRITE_BLOCK = 4096  # rows formatted at a time
_MAX_WORD_BYTES = 1 << 16  # a binary record's word longer than this means a damaged file
_MAX_DIMENSIONS = 1 << 20
_TEXT_BYTES = frozenset(b"0123456789.-+eEnaifNAIF \t\r\n")  # what numbers are written with


def open_file(path: str | os.PathLike[str], mode: str = "rb") -> IO[bytes]:
    """Open ``path`` in binary ``mode``; ``.gz`` and ``.bz2`` are (de)compressed transparently."""
    name = os.fspath(path)
    if name.endswith(".gz"):
        return gzip.open(name, mode)  # type: ignore[return-value]
    if name.endswith(".bz2"):
        return bz2.open(name, mode)  # type: ignore[return-value]
    return open(name, mode)


@contextmanager
def _atomic_output(path: Path, group: AtomicGroup | None = None) -> Iterator[IO[bytes]]:
    """Write atomically (see :mod:`w2v_widgets.atomic`), compressing according to the final name;
    with ``group``, the file is replaced together with the group's other files."""
    with atomic_write(path) if group is None else group.open(path) as raw:
        if path.name.endswith(".gz"):
            with gzip.GzipFile(path.name, "wb", fileobj=raw) as fout:
                yield fout  # type: ignore[misc]
        elif path.name.endswith(".bz2"):
            with bz2.BZ2File(raw, "wb") as fout:
                yield fout  # type: ignore[misc]
        else:
            yield raw


_WHITESPACE = re.compile(r"\s")


def _check_words_for_word2vec(wv: Any) -> None:
    if not _WHITESPACE.search("".join(wv.index_to_key)):  # one scan of all the words: no whitespace
        return
    for i, word in enumerate(wv.index_to_key):
        bad = next((ch for ch in word if ch.isspace()), None)
        if bad is not None:
            raise ValueError(
                f"word {word!r} (row {i}) contains the whitespace character {bad!r}; the word2vec "
                "format separates a word from its numbers by a space, so rename it (e.g. replace "
                "whitespace with '_') before saving"
            )


def save_word2vec_format(
    wv: Any,
    path: str | os.PathLike[str],
    binary: bool = False,
    fvocab: str | os.PathLike[str] | None = None,
    write_header: bool = True,
    counts: Any = None,
) -> Path:
    """Write ``wv`` in word2vec text (default) or binary format, in vocabulary order.

    Text values are the shortest strings that read back to the same float32 (as gensim writes
    them). ``fvocab`` also writes a vocabulary file of ``word count`` lines (the C tool's
    ``-save-vocab``; ``counts`` aligned with the words). ``write_header=False`` leaves out the
    ``"<words> <dimensions>"`` line (GloVe's layout). Raises ``ValueError`` for words containing
    whitespace. Returns the path written.
    """
    path = Path(path)
    _check_words_for_word2vec(wv)
    vectors = wv.vectors
    if fvocab is not None and counts is None:
        raise ValueError("a vocabulary file needs the words' counts")
    with atomic_group() as group:  # the vectors and their vocabulary file are replaced together
        if fvocab is not None:
            lines = (f"{w} {int(c)}\n" for w, c in zip(wv.index_to_key, counts, strict=True))
            with _atomic_output(Path(fvocab), group) as vout:
                vout.write("".join(lines).encode("utf-8"))
        with _atomic_output(path, group) as fout:
            if write_header:
                fout.write(f"{len(wv)} {wv.vector_size}\n".encode())
            rows = binary_rows if binary else text_rows
            words = wv.index_to_key
            for start in range(0, len(words), _WRITE_BLOCK):
                block = slice(start, start + _WRITE_BLOCK)
                fout.write(rows(words[block], vectors[block]))
    return path


def _encoding_name(encoding: str) -> str:
    """How an encoding is named in messages ("UTF-8" for any spelling of it)."""
    try:
        return "UTF-8" if codecs.lookup(encoding).name == "utf-8" else encoding
    except LookupError:
        raise ValueError(f"unknown text encoding {encoding!r}; most files are 'utf-8'") from None


class _Reader:
    """Shared state of one load: decoding of words, duplicates, where we are in the file."""

    def __init__(self, path: Path, unicode_errors: str, encoding: str = "utf-8"):
        self.path = path
        self.unicode_errors = unicode_errors
        self.encoding = encoding
        self.encoding_name = _encoding_name(encoding)
        self.words: list[str] = []
        self.rows: list[np.ndarray] = []
        self.seen: set[str] = set()
        self.bad_unicode: list[str] = []  # where invalid UTF-8 was replaced
        self.duplicates: list[str] = []

    def fail(self, where: str, message: str) -> VectorFileError:
        return VectorFileError(f"{self.path}: {where}: {message}")

    def add(self, word_bytes: bytes, row: np.ndarray, where: str) -> None:
        try:
            word = word_bytes.decode(self.encoding)
        except UnicodeDecodeError as exc:
            if self.unicode_errors == "strict":
                raise VectorFileEncodingError(
                    f"{self.path}: {where}: word {word_bytes[:80]!r} is not valid {self.encoding_name}; pass "
                    "unicode_errors='replace' to load it with U+FFFD in place of the invalid bytes",
                    exc.encoding,
                    exc.object,
                    exc.start,
                    exc.end,
                ) from None
            word = word_bytes.decode(self.encoding, errors=self.unicode_errors)
            self.bad_unicode.append(where)
        if not word:
            raise self.fail(where, "empty word; the file is damaged or not in word2vec format")
        if not np.isfinite(row).all():
            raise self.fail(where, f"the vector of {word!r} contains NaN or infinity")
        if word in self.seen:
            self.duplicates.append(word)
            return
        self.seen.add(word)
        self.words.append(word)
        self.rows.append(row)

    def result(self, vector_size: int) -> tuple[list[str], np.ndarray]:
        if self.bad_unicode:
            warnings.warn(
                f"{self.path}: {len(self.bad_unicode)} words had invalid UTF-8 bytes, replaced "
                f"(unicode_errors={self.unicode_errors!r}; first at {self.bad_unicode[0]}); pass "
                "unicode_errors='strict' to refuse such files",
                UnicodeWarning,
                stacklevel=3,
            )
        if self.duplicates:
            warnings.warn(
                f"{self.path}: {len(self.duplicates)} repeated words kept only at their first "
                f"occurrence (first: {self.duplicates[0]!r})",
                UserWarning,
                stacklevel=3,
            )
        if not self.words:
            raise VectorFileError(f"{self.path}: no word vectors in the file")
        vectors = np.stack(self.rows) if self.rows else np.empty((0, vector_size), np.float32)
        return self.words, vectors


def _read_header(fin: IO[bytes], reader: _Reader) -> tuple[int, int]:
    line = fin.readline(4096)
    parts = line.split()
    if not line:
        raise reader.fail("line 1", "the file is empty")
    try:
        count, dims = (int(x) for x in parts)
    except ValueError:
        raise reader.fail(
            "line 1",
            f"expected '<number of words> <dimensions>' but found {line[:60]!r}; if the file has "
            "no such header (e.g. GloVe text files) pass no_header=True",
        ) from None
    if count < 1 or not 1 <= dims <= _MAX_DIMENSIONS:
        raise reader.fail("line 1", f"implausible header: {count} words of {dims} dimensions")
    return count, dims


def _read_text(
    fin: IO[bytes],
    reader: _Reader,
    count: int | None,
    dims: int | None,
    first_line: int,
    exact: bool = True,
) -> int:
    """Read up to ``count`` vectors (all if None); with ``exact``, fewer is an error."""
    max_line = 4096 if dims is None else 1024 + 64 * dims
    line_no = first_line - 1
    loaded = 0
    while count is None or loaded < count:
        line = fin.readline(max_line)
        line_no += 1
        if not line:
            if count is None or not exact:
                break
            raise VectorFileTruncatedError(
                f"{reader.path}: line {line_no}: unexpected end of file after {loaded} of {count} "
                "vectors: the file is truncated or the count in its first line is wrong"
            )
        if len(line) >= max_line and not line.endswith(b"\n"):
            raise reader.fail(
                f"line {line_no}",
                "line too long: the file is damaged or binary (pass binary=True for binary files)",
            )
        if not line.strip():
            continue
        word, _, rest = line.rstrip(b"\r\n").partition(b" ")
        fields = rest.split()
        if dims is None:
            dims = len(fields)
            max_line = 1024 + 64 * dims
            if dims == 0:
                raise reader.fail(f"line {line_no}", "no numbers after the word")
        if len(fields) != dims:
            hint = "" if set(rest) <= _TEXT_BYTES else "; if this is a binary file pass binary=True"
            raise reader.fail(
                f"line {line_no}",
                f"expected {dims} numbers after the word, found {len(fields)}{hint}",
            )
        try:
            row = np.array(fields, dtype=np.float32)
        except ValueError:
            raise reader.fail(
                f"line {line_no}",
                "the values are not numbers; if this is a binary word2vec file pass binary=True",
            ) from None
        reader.add(word, row, f"line {line_no}")
        loaded += 1
    return dims or 0


def _looks_like_text(raw: bytes) -> bool:
    """Whether the bytes of a supposed float32 vector read as printable text instead."""
    if len(raw) < 8:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\t\r\n" for ch in text)


def _read_binary(fin: IO[bytes], reader: _Reader, count: int, dims: int, chunk: int = _CHUNK) -> None:
    need = 4 * dims
    buf = b""
    pos = 0
    for n in range(count):
        where = f"vector {n + 1} of {count}"
        space = buf.find(b" ", pos)
        while space == -1:
            if len(buf) - pos > _MAX_WORD_BYTES:
                raise reader.fail(where, "no word found: the file is damaged or not binary word2vec")
            more = fin.read(chunk)
            if not more:
                raise VectorFileTruncatedError(
                    f"{reader.path}: {where}: unexpected end of file: the file is truncated or the "
                    "count in its first line is wrong"
                )
            buf, pos = buf[pos:] + more, 0
            space = buf.find(b" ")
        while len(buf) - space - 1 < need:
            more = fin.read(chunk)
            if not more:
                raise VectorFileTruncatedError(
                    f"{reader.path}: {where}: unexpected end of file: the file is truncated or the "
                    "count in its first line is wrong"
                )
            buf, space, pos = buf[pos:] + more, space - pos, 0
        if space - pos > _MAX_WORD_BYTES:
            raise reader.fail(where, "no word found: the file is damaged or not binary word2vec")
        raw = buf[space + 1 : space + 1 + need]
        if n == 0 and _looks_like_text(raw):
            raise reader.fail(where, "this looks like a text word2vec file: pass binary=False")
        row = np.frombuffer(raw, dtype="<f4").astype(np.float32)
        reader.add(buf[pos:space].lstrip(b"\r\n"), row, where)
        pos = space + 1 + need


def read_word2vec_format(
    path: str | os.PathLike[str],
    binary: bool = False,
    limit: int | None = None,
    unicode_errors: str = "replace",
    no_header: bool = False,
    encoding: str = "utf-8",
    binary_chunk_size: int = _CHUNK,
) -> tuple[list[str], np.ndarray]:
    """Read a word2vec text or binary file (as written by the C tool or gensim): its words and
    their ``(n, d)`` float32 vectors.

    ``limit`` reads only the first vectors. Invalid UTF-8 in words is replaced with a warning
    (``unicode_errors='strict'`` refuses it; any ``bytes.decode`` errors value works). Repeated
    words keep their first vector, with a warning. ``no_header`` reads text files that lack the
    ``"<words> <dimensions>"`` line (e.g. GloVe). ``encoding`` is that of the words.
    Damaged files raise ``VectorFileError`` (a truncated one ``VectorFileTruncatedError``, also an
    ``EOFError``; a strict decoding failure ``VectorFileEncodingError``, also a
    ``UnicodeDecodeError``).
    """
    path = Path(path)
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive number of vectors, got {limit}")
    if no_header and binary:
        raise ValueError("no_header=True works only with text files (binary=False)")
    if binary_chunk_size < 1:
        raise ValueError(f"binary_chunk_size must be a positive number of bytes, got {binary_chunk_size}")
    reader = _Reader(path, unicode_errors, encoding)
    with open_file(path, "rb") as fin:
        try:
            if no_header:
                dims = _read_text(fin, reader, limit, None, first_line=1, exact=False)
            else:
                count, dims = _read_header(fin, reader)
                if limit is not None:
                    count = min(count, limit)
                if binary:
                    _read_binary(fin, reader, count, dims, binary_chunk_size)
                else:
                    _read_text(fin, reader, count, dims, first_line=2)
        except VectorFileError:
            raise
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            raise VectorFileError(f"{path}: cannot be read ({exc}); the file is damaged") from exc
    return reader.result(dims)


def read_vocabulary_file(
    path: str | os.PathLike[str], unicode_errors: str = "replace", encoding: str = "utf-8"
) -> dict[str, int]:
    """Word counts from a vocabulary file of ``word count`` lines (the C tool's ``-save-vocab``,
    gensim's ``fvocab``); words are decoded as in :func:`read_word2vec_format`."""
    counts: dict[str, int] = {}
    with open_file(path, "rb") as fin:
        for line_no, raw in enumerate(fin, start=1):
            try:
                line = raw.decode(encoding)
            except UnicodeDecodeError as exc:
                if unicode_errors == "strict":
                    raise VectorFileEncodingError(
                        f"{path}: line {line_no}: not valid {_encoding_name(encoding)}; pass "
                        "unicode_errors='replace' to read it with U+FFFD in place of the invalid bytes",
                        exc.encoding,
                        exc.object,
                        exc.start,
                        exc.end,
                    ) from None
                line = raw.decode(encoding, errors=unicode_errors)
            fields = line.split()
            if not fields:
                continue
            if len(fields) != 2 or not fields[1].isdigit():
                raise VectorFileError(
                    f"{path}: line {line_no}: expected 'word count' (a word, a space, a whole "
                    f"number), found {line.strip()[:60]!r}"
                )
            counts.setdefault(fields[0], int(fields[1]))
    return counts


_FORMULA_STARTS = ("=", "+", "-", "@")


def _escape_tsv(word: str) -> str:
    """Backslash, tab and newlines escaped; a leading ``'`` added where a spreadsheet would read
    a formula (``=``, ``+``, ``-``, ``@`` first, unless the word is a plain number), and before a
    word that would otherwise look guarded (``'=x``), so reading back is exact."""
    word = word.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return "'" + word if _needs_guard(word) else word


def _needs_guard(text: str) -> bool:
    """Whether :func:`_escape_tsv` puts a ``'`` before ``text`` (an escaped word)."""
    if text.startswith(_FORMULA_STARTS):
        return not _is_number(text)
    return text.startswith("'") and _needs_guard(text[1:])


_TSV_ESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


def _unescape_tsv(text: str) -> str:
    """The word :func:`_escape_tsv` wrote as ``text``."""
    if text.startswith("'") and _needs_guard(text[1:]):
        text = text[1:]
    return re.sub(r"\\[\\tnr]", lambda m: _TSV_ESCAPES[m.group()], text)


def _tsv_lines(path: Path) -> Iterator[tuple[int, str]]:
    """``(line number, line)`` of a UTF-8 text file, line ends removed, blank last lines skipped."""
    try:
        with open_file(path) as raw:
            pending = 0  # blank lines not yet known to be inside the file
            for number, line_bytes in enumerate(raw, 1):
                try:
                    line = line_bytes.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError as exc:
                    raise VectorFileError(f"{path}: line {number}: not valid UTF-8 ({exc.reason})") from None
                if not line:
                    pending += 1
                    continue
                if pending:
                    raise VectorFileError(f"{path}: line {number - 1}: an empty line inside the file")
                yield number, line
    except (OSError, EOFError, zlib.error) as exc:
        raise VectorFileError(f"{path}: cannot be read ({exc}); the file is damaged") from exc


def read_projector_tsv(
    vectors_path: str | os.PathLike[str], metadata_path: str | os.PathLike[str] | None = None
) -> tuple[list[str], np.ndarray, np.ndarray | None]:
    """``(words, vectors, counts or None)`` from TensorFlow Projector files: ``vectors.tsv``
    (one row of tab-separated numbers a word) and ``metadata.tsv`` (by default beside it: one
    word a line, or several columns under a header row whose ``count`` column gives the counts).
    Words are unescaped as :func:`save_projector_tsv` wrote them. A damaged pair raises
    ``VectorFileError`` naming the file and line; a repeated word is kept once, with a warning."""
    vectors_path = Path(vectors_path)
    metadata_path = vectors_path.parent / "metadata.tsv" if metadata_path is None else Path(metadata_path)
    rows: list[np.ndarray] = []
    for number, line in _tsv_lines(vectors_path):
        try:
            row = np.array(line.split("\t"), dtype=np.float32)
        except ValueError:
            raise VectorFileError(f"{vectors_path}: line {number}: not tab-separated numbers") from None
        if rows and len(row) != len(rows[0]):
            raise VectorFileError(
                f"{vectors_path}: line {number}: {len(row)} numbers where the first line has {len(rows[0])}"
            )
        if not np.isfinite(row).all():
            raise VectorFileError(f"{vectors_path}: line {number}: NaN or infinity in the vector")
        rows.append(row)
    if not rows:
        raise VectorFileError(f"{vectors_path}: no vectors in the file")
    lines = list(_tsv_lines(metadata_path))
    header = lines[0][1].split("\t") if lines and "\t" in lines[0][1] else None
    if header is not None:
        lines = lines[1:]
    if len(lines) != len(rows):
        raise VectorFileError(
            f"{metadata_path}: {len(lines):,} words for the {len(rows):,} vectors of {vectors_path}; "
            "the two files are not one pair"
        )
    names = [h.strip().lower() for h in header or []]
    column = names.index("count") if "count" in names else None
    words, counts, keep = [], [], []
    seen: set[str] = set()
    for i, (number, line) in enumerate(lines):
        fields = line.split("\t")
        if header is not None and len(fields) != len(header):
            raise VectorFileError(
                f"{metadata_path}: line {number}: {len(fields)} columns under a header of {len(header)}"
            )
        word = _unescape_tsv(fields[0])
        if column is not None:
            if not fields[column].isdigit():
                raise VectorFileError(
                    f"{metadata_path}: line {number}: count {fields[column][:40]!r} is not a whole number"
                )
            counts.append(int(fields[column]))
        if word in seen:
            continue
        seen.add(word)
        words.append(word)
        keep.append(i)
    if len(keep) < len(rows):
        warnings.warn(
            f"{metadata_path}: {len(rows) - len(keep)} repeated words kept only at their first occurrence",
            UserWarning,
            stacklevel=2,
        )
    vectors = np.stack([rows[i] for i in keep])
    return words, vectors, (np.array(counts, dtype=np.int64)[keep] if column is not None else None)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def save_projector_tsv(wv: Any, out_dir: str | os.PathLike[str]) -> tuple[Path, Path]:
    """Write ``vectors.tsv`` and ``metadata.tsv`` for https://projector.tensorflow.org.

    Metadata has a ``word\\tcount`` header when counts exist, else one header-less column (the
    Projector's convention). Backslashes, tabs and newlines in words are written as ``\\\\``,
    ``\\t``, ``\\n``, ``\\r``; a word a spreadsheet would run as a formula (``=``, ``+``, ``-``,
    ``@`` first, unless a number) gets a leading ``'``, so opening the file in Excel or LibreOffice
    runs nothing. The two files are replaced together: a failed save (a full disk on the second
    file) leaves the previous pair. Returns ``(vectors_path, metadata_path)``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    vectors_path, metadata_path = out / "vectors.tsv", out / "metadata.tsv"
    words = [_escape_tsv(w) for w in wv.index_to_key]
    if wv.counts is not None:
        lines = ["word\tcount"] + [f"{w}\t{c}" for w, c in zip(words, wv.counts.tolist(), strict=True)]
    else:
        lines = words
    with atomic_group() as group:  # a failure in either file leaves the previous pair
        with _atomic_output(vectors_path, group) as fout:
            for start in range(0, len(wv), 4096):
                block = wv.vectors[start : start + 4096]
                fout.write("".join("\t".join(map(str, row)) + "\n" for row in block).encode())
        with _atomic_output(metadata_path, group) as fout:
            fout.write(("\n".join(lines) + "\n").encode("utf-8"))
    return vectors_path, metadata_path

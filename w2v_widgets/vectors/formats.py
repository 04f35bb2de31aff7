"""Word-vector files: the word2vec text and binary formats, and TensorFlow Projector TSV.

The word2vec formats are those of the original C tool and gensim: a first line
``"<words> <dimensions>"``, then per word either ``word v1 v2 ...`` (text) or ``word `` followed by
the float32 values in little-endian bytes and a newline (binary). Words are UTF-8. Paths ending in
``.gz`` or ``.bz2`` are compressed and decompressed transparently.
"""

from __future__ import annotations

import bz2
import codecs
import contextlib
import gzip
import logging
import os
import re
import sys
import warnings
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import numpy as np

from ..atomic import AtomicGroup, atomic_group, atomic_write
from ..errors import VectorFileEncodingError, VectorFileError, VectorFileTruncatedError
from .binary.prefault import Prefault
from .binary.scan import copy_vectors, scan_records, split_records
from .rows.writer import binary_rows, text_rows
from .rows.writer import prepare as prepare_rows

logger = logging.getLogger(__name__)

BINARY_CHUNK = 1 << 24  # bytes read at a time from binary files
_TEXT_BLOCK = 1 << 22  # bytes of text lines parsed at once
_SCAN_RECORDS = 1 << 14  # binary records found at once
NEWLINE = ord("\n")
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
    handle = open(name, mode)  # noqa: SIM115 (the caller closes it)
    if "r" in mode and hasattr(os, "posix_fadvise"):  # read straight through: a larger read-ahead
        with contextlib.suppress(OSError):
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_SEQUENTIAL)
    return handle


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
            prepare_rows(len(words))
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
    """Shared state of one load: decoding of words, duplicates, where we are in the file.

    Words go straight into ``words`` and ``key_to_index`` (the first occurrence wins); the readers
    write the vectors of kept words into one float32 array, so no per-word array is ever made.
    """

    def __init__(self, path: Path, unicode_errors: str, encoding: str = "utf-8"):
        self.path = path
        self.unicode_errors = unicode_errors
        self.encoding = encoding
        self.encoding_name = _encoding_name(encoding)
        self.words: list[str] = []
        self.key_to_index: dict[str, int] = {}
        self.bad_unicode: list[str] = []  # where invalid UTF-8 was replaced
        self.duplicates: list[str] = []

    def fail(self, where: str, message: str) -> VectorFileError:
        return VectorFileError(f"{self.path}: {where}: {message}")

    def truncated(self, where: str, detail: str = "") -> VectorFileTruncatedError:
        return VectorFileTruncatedError(
            f"{self.path}: {where}: unexpected end of file{detail}: the file is truncated or the count "
            "(or dimensions) in its first line is wrong"
        )

    def undecodable(self, word_bytes: bytes, exc: UnicodeDecodeError, where: str) -> str:
        """The word for bytes that are not valid in the encoding (or the strict error)."""
        if self.unicode_errors == "strict":
            raise VectorFileEncodingError(
                f"{self.path}: {where}: word {word_bytes[:80]!r} is not valid {self.encoding_name}; pass "
                "unicode_errors='replace' to load it with U+FFFD in place of the invalid bytes",
                exc.encoding,
                exc.object,
                exc.start,
                exc.end,
            ) from None
        self.bad_unicode.append(where)
        return word_bytes.decode(self.encoding, errors=self.unicode_errors)

    def keep(self, word_bytes: bytes, where: Callable[[], str]) -> bool:
        """Record the word of the next vector; False (a repeated word) means skip its vector."""
        try:
            word = word_bytes.decode(self.encoding)
        except UnicodeDecodeError as exc:
            word = self.undecodable(word_bytes, exc, where())
        if not word:
            raise self.fail(where(), "empty word; the file is damaged or not in word2vec format")
        if word in self.key_to_index:
            self.duplicates.append(word)
            return False
        self.key_to_index[word] = len(self.words)
        self.words.append(word)
        return True

    def check_finite(self, rows: np.ndarray, where: Callable[[int], str], word: Callable[[int], str]) -> None:
        """Refuse NaN or infinity in ``rows`` (``where(i)`` names row i, ``word(i)`` its word)."""
        for start in range(0, len(rows), 1 << 16):
            finite = np.isfinite(rows[start : start + (1 << 16)])
            if not finite.all():  # (half the time of a first reduction by row)
                i = start + int(np.argmin(finite.all(axis=1)))
                raise self.fail(where(i), f"the vector of {word(i)!r} contains NaN or infinity")

    def result(self, vectors: np.ndarray) -> tuple[list[str], dict[str, int], np.ndarray]:
        if self.bad_unicode:
            warnings.warn(
                f"{self.path}: {len(self.bad_unicode)} words had invalid UTF-8 bytes, replaced "
                f"(unicode_errors={self.unicode_errors!r}; first at {self.bad_unicode[0]}); pass "
                "unicode_errors='strict' to refuse such files",
                UnicodeWarning,
                stacklevel=4,
            )
        if self.duplicates:
            warnings.warn(
                f"{self.path}: {len(self.duplicates)} repeated words kept only at their first "
                f"occurrence (first: {self.duplicates[0]!r})",
                UserWarning,
                stacklevel=4,
            )
        if not self.words:
            raise VectorFileError(f"{self.path}: no word vectors in the file")
        return self.words, self.key_to_index, vectors


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


def _shrink(vectors: np.ndarray, rows: int) -> np.ndarray:
    """The first ``rows`` rows of a freshly allocated array, in place (no copy) when possible."""
    if rows == len(vectors):
        return vectors
    try:
        vectors.resize((rows, vectors.shape[1]), refcheck=False)
        return vectors
    except ValueError:  # pragma: no cover - the array is shared after all
        return vectors[:rows].copy()


_SET_HUGE_PAGES = getattr(getattr(np, "_core", None), "multiarray", None)
_SET_HUGE_PAGES = getattr(_SET_HUGE_PAGES, "_set_madvise_hugepage", None)


def _without_huge_pages(make: Callable[..., np.ndarray], *args: Any) -> np.ndarray:
    """``make(*args)`` with numpy's request for transparent huge pages turned off: where the
    kernel compacts memory to find them (THP defrag "madvise", a common default), the first touch
    of a fresh 3.4 GB array cost 10.3 s of system time, against 3.5 s in 4 KB pages (3M x 300
    load, load average 3)."""
    if _SET_HUGE_PAGES is None:  # pragma: no cover - numpy without the switch
        return make(*args)
    before = _SET_HUGE_PAGES(False)
    try:
        return make(*args)
    finally:
        _SET_HUGE_PAGES(before)


class _Rows:
    """The float32 rows being read: one array, allocated for as many rows as the file can hold
    (untouched pages cost no memory), grown by doubling when the size is unknown (compressed
    files), cut to the rows read at the end. With ``prefault`` (for a size known to be filled),
    its pages are mapped ahead of the reader by a :class:`~.binary.prefault.Prefault` thread, which
    :meth:`stop` ends."""

    def __init__(
        self, count: int | None, dims: int, room: int | None, row_bytes: int, prefault: bool = False
    ):
        bound = None if room is None else room // row_bytes + 1
        sizes = [n for n in (count, bound) if n is not None]
        self.count = count
        self.dims = dims
        self.filled = 0
        self.array = _without_huge_pages(np.empty, (min(sizes) if sizes else 1 << 16, dims), np.float32)
        self.prefault = Prefault(self.array, enabled=prefault)

    def stop(self) -> None:
        """Stop mapping the array's pages ahead (before it is resized, or given up on an error)."""
        self.prefault.stop()

    def reserve(self, n: int) -> None:
        """Make room for ``n`` more rows."""
        need = self.filled + n
        if need > len(self.array):
            self.stop()
            size = max(need, 2 * len(self.array))
            if self.count is not None:
                size = min(size, max(need, self.count))
            self.array.resize((size, self.dims), refcheck=False)

    def add(self, rows: np.ndarray) -> None:
        self.reserve(len(rows))
        self.array[self.filled : self.filled + len(rows)] = rows
        self.filled += len(rows)

    def result(self) -> np.ndarray:
        self.stop()
        return _shrink(self.array, self.filled)


def _parse_text_line(
    line: bytes, line_no: int, dims: int | None, reader: _Reader
) -> tuple[bytes, np.ndarray] | None:
    """``(word bytes, float32 row)`` of one text line (None for a blank line), with the errors
    that say what is wrong with it."""
    if not line.strip():
        return None
    word, _, rest = line.rstrip(b"\r\n").partition(b" ")
    fields = rest.split()
    if dims is None:
        dims = len(fields)
        if dims == 0:
            raise reader.fail(f"line {line_no}", "no numbers after the word")
    if len(fields) != dims:
        hint = "" if set(rest) <= _TEXT_BYTES else "; if this is a binary file pass binary=True"
        glove = ""
        if line_no == 2 and len(fields) > dims and set(rest) <= _TEXT_BYTES:
            glove = (
                "; the first line is not a '<number of words> <dimensions>' header but a vector: "
                "for files without a header (GloVe) pass no_header=True"
            )
        raise reader.fail(
            f"line {line_no}",
            f"expected {dims} numbers after the word, found {len(fields)}{hint}{glove}",
        )
    try:
        row = np.array(fields, dtype=np.float32)
    except ValueError:
        raise reader.fail(
            f"line {line_no}",
            "the values are not numbers; if this is a binary word2vec file pass binary=True",
        ) from None
    return word, row


def _read_text(
    fin: IO[bytes],
    reader: _Reader,
    count: int | None,
    dims: int | None,
    first_line: int,
    exact: bool = True,
    whole: bool = False,
    room: int | None = None,
) -> np.ndarray:
    """Read up to ``count`` vectors (all if None); with ``exact``, fewer is an error; with
    ``whole``, more lines after the ``count``-th vector are an error (the header's count is wrong);
    ``room``: the bytes left in the file, when known.

    The first vector is read on its own (it fixes the dimensions and catches binary files); then
    blocks of lines have their numbers parsed at once by numpy, and a block that does not parse
    is read again line by line for an error naming the line.
    """
    line_no = first_line - 1
    first = None
    while first is None:  # the first non-blank line, checked on its own
        max_line = 4096 if dims is None else 1024 + 64 * dims
        line = fin.readline(max_line)
        line_no += 1
        if not line:
            if count is None or not exact:
                raise VectorFileError(f"{reader.path}: no word vectors in the file")
            raise reader.truncated(f"line {line_no}", f" after 0 of {count} vectors")
        if len(line) >= max_line and not line.endswith(b"\n"):
            raise reader.fail(
                f"line {line_no}",
                "line too long: the file is damaged or binary (pass binary=True for binary files)",
            )
        first = _parse_text_line(line, line_no, dims, reader)
    word, row = first
    dims = len(row)
    rows = _Rows(count, dims, None if room is None else room - len(line), 2 * dims)
    first_where = f"line {line_no}"
    if reader.keep(word, lambda: first_where):
        reader.check_finite(row[None], lambda _: first_where, lambda _: reader.words[-1])
        rows.add(row[None])
    loaded = 1
    leftover: list[bytes] = []
    while count is None or loaded < count:
        lines = fin.readlines(_TEXT_BLOCK)
        if not lines:
            break
        words: list[bytes] = []
        numbers: list[bytes] = []
        line_numbers: list[int] = []
        for at, line in enumerate(lines):
            line_no += 1
            word, _, rest = line.partition(b" ")
            if not rest.strip():
                if not line.strip():
                    continue  # a blank line
                _parse_text_line(line, line_no, dims, reader)  # raises, saying what is wrong
            words.append(word)
            numbers.append(rest)
            line_numbers.append(line_no)
            if count is not None and loaded + len(words) == count:
                leftover = lines[at + 1 :]
                break
        block = _parse_text_block(numbers, dims)
        if block is None:  # something is wrong in this block: find the line and say what
            parsed = [
                _parse_text_line(w + b" " + r, n, dims, reader)
                for w, r, n in zip(words, numbers, line_numbers, strict=True)
            ]
            block = np.stack([p[1] for p in parsed if p is not None])
        kept = [
            i
            for i, (w, n) in enumerate(zip(words, line_numbers, strict=True))
            if reader.keep(w, lambda n=n: f"line {n}")
        ]
        if len(kept) < len(words):
            block = block[kept]
            line_numbers = [line_numbers[i] for i in kept]
        first_row = len(reader.words) - len(kept)
        reader.check_finite(
            block,
            lambda i, at=line_numbers: f"line {at[i]}",
            lambda i, first=first_row: reader.words[first + i],
        )
        rows.add(block)
        loaded += len(words)
    if count is not None and loaded < count and exact:
        raise reader.truncated(f"line {line_no + 1}", f" after {loaded} of {count} vectors")
    if whole and (b"".join(leftover) + fin.read(4096)).strip():
        raise reader.fail(
            f"after line {line_no}",
            f"the first line says {count} words but the file goes on: the count in its first line "
            "is wrong (or pass limit= to read only the first vectors)",
        )
    return rows.result()


def _parse_text_block(numbers: list[bytes], dims: int) -> np.ndarray | None:
    """The ``(lines, dims)`` float32 values of the lines' number parts, or None unless each
    part is exactly ``dims`` numbers (the caller then reads line by line)."""
    joined = b"".join(numbers)
    try:
        values = np.fromstring(joined, dtype=np.float32, sep=" ")
    except ValueError:
        return None
    if values.size != len(numbers) * dims:
        return None
    # the right total can hide a short line beside a long one: count each line's numbers, as the
    # places where a byte that is not whitespace (space, \t\n\v\f\r) follows one that is
    raw = np.frombuffer(joined, dtype=np.uint8)
    space = (raw == ord(" ")) | ((raw >= ord("\t")) & (raw <= ord("\r")))
    starts = ~space
    starts[1:] &= space[:-1]
    line_ends = np.cumsum([len(part) for part in numbers])
    per_line = np.diff(np.searchsorted(np.flatnonzero(starts), line_ends), prepend=0)
    if (per_line != dims).any():
        return None
    return values.reshape(len(numbers), dims)


def _looks_like_text(raw: bytes) -> bool:
    """Whether the bytes of a supposed float32 vector read as printable text instead."""
    if len(raw) < 8:
        return False
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in "\t\r\n" for ch in text)


def _read_binary(
    fin: IO[bytes],
    reader: _Reader,
    count: int,
    dims: int,
    chunk: int = BINARY_CHUNK,
    whole: bool = True,
    room: int | None = None,
) -> np.ndarray:
    """Read ``count`` binary records into one preallocated float32 array, a block of records at
    a time (:mod:`.binary.scan`): each vector's bytes copied straight into its row and checked for
    NaN and infinity there, the words decoded in one call. ``whole``: the header's count is meant
    to be all of the file, so data after the last vector is an error; ``room``: the bytes left in
    the file, when known. The array holds at most the records the file has room for, so all of its
    pages are mapped ahead of the reader (:mod:`.binary.prefault`)."""
    rows = _Rows(count, dims, room, 4 * dims + 2, prefault=room is not None)  # not for a header alone
    try:
        return _fill_binary(fin, reader, rows, count, dims, chunk, whole)
    finally:
        rows.stop()


def _fill_binary(
    fin: IO[bytes], reader: _Reader, rows: _Rows, count: int, dims: int, chunk: int, whole: bool
) -> np.ndarray:
    """:func:`_read_binary`'s loop, filling ``rows``."""
    need = 4 * dims
    buf = bytearray(max(chunk, 1 << 16))
    filled = pos = 0
    done = row = 0  # records read, rows kept
    newlines: bool | None = None  # whether vectors are followed by a newline (set by the second record)
    while done < count:
        want = min(count - done, _SCAN_RECORDS)
        found = _next_records(reader, buf, pos, filled, want, need, f" of {count}", done)
        if found is None:  # no record is whole in the buffer: move the rest to the front, read more
            left = filled - pos
            buf[:left] = buf[pos:filled]
            filled, pos = left, 0
            if len(buf) - filled < chunk:
                buf.extend(bytes(chunk))
            got = fin.readinto(memoryview(buf)[filled : filled + chunk])  # type: ignore[attr-defined]
            if not got:
                raise reader.truncated(f"vector {done + 1} of {count}")
            filled += got
            continue
        words, vector_starts, newline_before, end = found
        k = len(vector_starts)
        if done == 0 and _looks_like_text(bytes(buf[vector_starts[0] : vector_starts[0] + need])):
            raise reader.fail(
                f"vector 1 of {count}", "this looks like a text word2vec file: pass binary=False"
            )
        if b"\n" in words:  # a word holds a newline: a record began inside a vector
            at = next(i for i, word in enumerate(words.split(b" ")) if b"\n" in word)
            raise reader.fail(
                f"vector {done + at + 1} of {count}",
                "the records are out of step (a word holds a newline): the dimensions in the first "
                f"line ({dims}) disagree with the rows, or the file is damaged",
            )
        after_first = newline_before[max(0, 1 - done) :]  # records after the file's first
        if newlines is None and len(after_first):
            newlines = bool(after_first[0])
        if newlines and not after_first.all():
            n = done + max(0, 1 - done) + int(np.argmin(after_first))  # 0-based record out of step
            raise reader.fail(
                f"vector {n + 1} of {count}",
                f"the records are out of step (vector {n} is not followed by a newline as the others "
                f"are): the dimensions in the first line ({dims}) disagree with the rows, or the file is "
                "damaged",
            )
        rows.filled = row
        rows.reserve(k)
        block = rows.array[row : row + k]
        copy_vectors(buf, filled, vector_starts, need, block.view(np.uint8))
        if sys.byteorder == "big":  # pragma: no cover - the files are little-endian
            block.byteswap(inplace=True)
        reader.check_finite(
            block,
            lambda i, done=done: f"vector {done + i + 1} of {count}",
            lambda i, words=words: words.split(b" ")[i].decode(reader.encoding, errors="replace"),
        )
        row += _keep_words(reader, words, k, rows.array, row, done, count)
        done += k
        pos = end
    if whole:
        rest = bytes(buf[pos:filled]) + fin.read(4096)
        if rest.strip():
            raise reader.fail(
                f"after vector {count}",
                f"the first line says {count} words but the file goes on: the count (or the "
                f"dimensions, {dims}) in its first line is wrong (or pass limit= to read only the "
                "first vectors)",
            )
    rows.filled = row
    return rows.result()


def _next_records(
    reader: _Reader, buf: bytearray, pos: int, end: int, want: int, need: int, of: str, done: int
) -> tuple[bytes, np.ndarray, np.ndarray, int] | None:
    """The whole records of ``buf[pos:end]``, at most ``want``: their words joined by spaces,
    where each vector starts, whether newlines came before each word, and the position after
    them; None when no record is whole there. ``of`` and ``done`` name the records in errors."""
    groups = split_records(memoryview(buf)[pos:end], need, want)
    if groups:
        joined = b" ".join(groups)
        if b"\r" not in joined:  # each group's newlines come before its word
            lengths = np.fromiter(map(len, groups), np.int64, len(groups))
            record_ends = pos + np.cumsum(lengths + (1 + need))
            firsts = np.cumsum(lengths + 1) - lengths - 1
            newline_before = np.frombuffer(joined, np.uint8)[firsts] == NEWLINE
            return joined.replace(b"\n", b""), record_ends - need, newline_before, int(record_ends[-1])
    starts, ends, newline_before, after, status = scan_records(buf, pos, end, want, need, _MAX_WORD_BYTES)
    if status == 1:
        raise reader.fail(
            f"vector {done + len(starts) + 1}{of}",
            "no word found: the file is damaged or not binary word2vec",
        )
    if not starts:
        return None
    words = [bytes(buf[s:e]) for s, e in zip(starts, ends, strict=True)]
    return b" ".join(words), np.array(ends, np.int64) + 1, np.array(newline_before, bool), after


def _keep_words(
    reader: _Reader, words: bytes, k: int, vectors: np.ndarray, row: int, done: int, count: int
) -> int:
    """Record a block of ``k`` words (``words``: joined by spaces) whose vectors were copied to
    ``vectors[row:]``; repeated words' rows are dropped. Returns the rows kept. The common case
    (valid text, no repeats, no empty word) is one decode and one dict update for the block: the
    dict's length then says whether a word was there before (or twice in the block). Until the
    file's first repeat the update comes unchecked (a lookup per word costs about as much as the
    update) and a repeat makes the dict be rebuilt from the words, once; after it, the words are
    looked up first."""
    try:
        block = words.decode(reader.encoding).split(" ")
    except UnicodeDecodeError:
        block = []
    index = reader.key_to_index
    empty = not words or b"  " in words or words.startswith(b" ") or words.endswith(b" ")
    checked = bool(reader.duplicates)  # a repeat was seen: look the words up before adding them
    if len(block) == k and not empty and (not checked or index.keys().isdisjoint(block)):
        before = len(index)
        index.update(zip(block, range(row, row + k), strict=True))
        if len(index) == before + k:
            reader.words.extend(block)
            return k
        if checked:  # a word repeated within the block: undo, then word by word below
            for word in block:
                index.pop(word, None)
        else:  # the update may have overwritten earlier words' rows: rebuild, then word by word
            index.clear()
            index.update(zip(reader.words, range(len(reader.words)), strict=True))
    raw = words.split(b" ")
    kept = [i for i in range(k) if reader.keep(raw[i], lambda i=i: f"vector {done + i + 1} of {count}")]
    if len(kept) < k:
        vectors[row : row + len(kept)] = vectors[row : row + k][kept]
    return len(kept)


def _room(path: Path, fin: IO[bytes]) -> int | None:
    """Bytes left to read in an uncompressed file (None for compressed ones)."""
    if path.name.endswith((".gz", ".bz2")):
        return None
    try:
        return os.fstat(fin.fileno()).st_size - fin.tell()
    except (OSError, AttributeError):  # pragma: no cover - not a plain file
        return None


def read_word2vec_table(
    path: str | os.PathLike[str],
    binary: bool = False,
    limit: int | None = None,
    unicode_errors: str = "replace",
    no_header: bool = False,
    encoding: str = "utf-8",
    binary_chunk_size: int = BINARY_CHUNK,
) -> tuple[list[str], dict[str, int], np.ndarray]:
    """:func:`read_word2vec_format` with the word -> row dict it builds on the way:
    ``(words, key_to_index, vectors)``."""
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
                vectors = _read_text(fin, reader, limit, None, 1, exact=False, room=_room(path, fin))
            else:
                count, dims = _read_header(fin, reader)
                room = _room(path, fin)
                whole = limit is None or limit > count
                if limit is not None:
                    count = min(count, limit)
                if binary:
                    vectors = _read_binary(fin, reader, count, dims, binary_chunk_size, whole, room)
                else:
                    vectors = _read_text(fin, reader, count, dims, 2, whole=whole, room=room)
        except VectorFileError:
            raise
        except (EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
            raise VectorFileError(f"{path}: cannot be read ({exc}); the file is damaged") from exc
    return reader.result(vectors)


def read_word2vec_format(
    path: str | os.PathLike[str],
    binary: bool = False,
    limit: int | None = None,
    unicode_errors: str = "replace",
    no_header: bool = False,
    encoding: str = "utf-8",
    binary_chunk_size: int = BINARY_CHUNK,
) -> tuple[list[str], np.ndarray]:
    """Read a word2vec text or binary file (as written by the C tool or gensim, or fastText's
    ``.vec``): its words and their ``(n, d)`` float32 vectors.

    ``limit`` reads only the first vectors. Invalid UTF-8 in words is replaced with a warning
    (``unicode_errors='strict'`` refuses it; any ``bytes.decode`` errors value works). Repeated
    words keep their first vector, with a warning. ``no_header`` reads text files that lack the
    ``"<words> <dimensions>"`` line (e.g. GloVe). ``encoding`` is that of the words.
    Damaged files raise ``VectorFileError`` (a truncated one ``VectorFileTruncatedError``, also an
    ``EOFError``; a strict decoding failure ``VectorFileEncodingError``, also a
    ``UnicodeDecodeError``); so does a header whose count or dimensions disagree with the rows.
    The vectors are read into one preallocated array: the peak memory is about that array's.
    """
    words, _, vectors = read_word2vec_table(
        path, binary, limit, unicode_errors, no_header, encoding, binary_chunk_size
    )
    return words, vectors


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

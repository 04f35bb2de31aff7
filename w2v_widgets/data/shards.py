"""One rank's share of a corpus file: a byte range cut at line ends, read without the rest.

``shard_range(path, rank, world)`` cuts the file into ``world`` ranges of about equal size; each
cut is moved forward to the next line start, so every line belongs to exactly one rank (the one
whose range holds its first byte) and the ranks together read every line once. Where no line
ends within 64 KiB of a cut (text8 is one 100 MB line) it falls after the next space or tab past
those 64 KiB instead (such a line becomes two sentences there, as the reader cuts long lines
anyway). Cuts fall after an ASCII byte, never inside a UTF-8 character.

``read_shard`` builds the :class:`~w2v_widgets.data.corpus.Corpus` of that range. A plain file is
read from its range only (one seek); gzip cannot seek, so a ``.gz`` is decompressed from its start
up to the range's end (its size comes from the gzip footer: decompress files over 4 GiB first).
"""

from __future__ import annotations

import io
import os
import struct
from pathlib import Path

from ..errors import CorpusError
from .corpus import MAX_SENTENCE_LENGTH, Corpus, _CorpusBuilder
from .text import _open_binary, check_text_file, iter_stream_pieces
from .tokenizers import Tokenizer, checked_tokens, get_tokenizer, is_builtin

_SCAN_BYTES = 1 << 16  # read this much at a time while looking for a cut
_LONG_LINE_BYTES = 1 << 16  # past this without a line end, cut at whitespace


def _is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"\x1f\x8b"


def text_size(path: str | os.PathLike) -> int:
    """The size in bytes of the text (uncompressed, for a ``.gz``)."""
    path = Path(path)
    size = path.stat().st_size
    if not _is_gzip(path):
        return size
    with open(path, "rb") as f:
        f.seek(-4, os.SEEK_END)
        (isize,) = struct.unpack("<I", f.read(4))  # the uncompressed size modulo 2**32
    if isize < size // 2:  # a text compresses, it does not grow: the size wrapped past 4 GiB
        raise CorpusError(
            f"{str(path)!r} is a gzip file over 4 GiB uncompressed, whose size its footer cannot "
            "give; decompress it first (gunzip) to train on it with several ranks"
        )
    return isize


def _cut_at(raw: io.BufferedIOBase, position: int, size: int) -> int:
    """The first line start at or after ``position`` (or, with no line end in 64 KiB, the first
    byte after a space or tab past them). ``raw`` stands at ``position - 1`` (it reads forward)."""
    if position <= 0:
        return 0
    if position >= size:
        return size
    scanned = b""
    start = position - 1  # the byte before a cut is what decides it
    while len(scanned) < _LONG_LINE_BYTES + _SCAN_BYTES:
        block = raw.read(_SCAN_BYTES)
        if not block:
            break
        newline = block.find(b"\n")
        if newline >= 0:
            return start + len(scanned) + newline + 1
        scanned += block
    for i, byte in enumerate(scanned[_LONG_LINE_BYTES:], _LONG_LINE_BYTES):
        if byte in (0x20, 0x09):
            return start + i + 1
    if len(scanned) < _LONG_LINE_BYTES + _SCAN_BYTES:  # the file ended first
        return size
    raise CorpusError(f"no line end or space in 128 KiB of the corpus file near byte {position:,}")


def shard_range(path: str | os.PathLike, rank: int, world: int) -> tuple[int, int]:
    """Rank ``rank`` of ``world``'s byte range ``[start, end)`` of the text, cut at line ends."""
    if not 0 <= rank < world:
        raise ValueError(f"rank must be in [0, {world}), not {rank}")
    path = check_text_file(path)
    size = text_size(path)
    cuts = []
    with _open_binary(path) as raw:
        for r in (rank, rank + 1):
            nominal = size * r // world
            if 0 < nominal < size:
                raw.seek(nominal - 1)  # gzip seeks by decompressing
            cuts.append(_cut_at(raw, nominal, size))
    return cuts[0], max(cuts)


class _Range(io.RawIOBase):
    """At most ``length`` bytes of a binary stream, from where it stands."""

    def __init__(self, raw: io.BufferedIOBase, length: int):
        self.raw, self.left = raw, length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.left <= 0:
            return 0
        view = memoryview(buffer)[: min(len(buffer), self.left)]
        n = self.raw.readinto(view) or 0
        self.left -= n
        return n


def read_shard(
    path: str | os.PathLike,
    rank: int,
    world: int,
    *,
    tokenizer: str | Tokenizer | None = "default",
    lowercase: bool = True,
    max_sentence_length: int = MAX_SENTENCE_LENGTH,
) -> Corpus:
    """The corpus of rank ``rank``'s share of the text file ``path`` (see the module's docstring).
    Tokens are the ones :meth:`Corpus.from_file` gives for the same lines."""
    path = check_text_file(path)
    start, end = shard_range(path, rank, world)
    tokenize = get_tokenizer(tokenizer, lowercase)
    builder = _CorpusBuilder(max_sentence_length)
    with _open_binary(path) as raw:
        raw.seek(start)
        encoding = "utf-8-sig" if start == 0 else "utf-8"
        check = not is_builtin(tokenize)
        for n, (text, ends_line) in enumerate(iter_stream_pieces(_Range(raw, end - start), path, encoding)):
            where = f"piece {n} of rank {rank}'s share of {str(path)!r}"
            builder.add(checked_tokens(tokenize, text, where) if check else tokenize(text), ends_line)
    name = f"{path.name} [rank {rank} of {world}: bytes {start:,}-{end:,}]"
    if not builder.ids:
        raise CorpusError(
            f"rank {rank}'s share of {str(path)!r} (bytes {start:,}-{end:,} of {text_size(path):,}) "
            f"holds no words: the file is too small for {world} ranks; use fewer ranks"
        )
    return builder.build(name, f"rank {rank}'s share of {str(path)!r}")


__all__ = ["read_shard", "shard_range", "text_size"]

"""A tokenised corpus held as one int32 array of word ids plus sentence offsets."""

from __future__ import annotations

import os
import re
import warnings
from array import array
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from ..errors import ConfigError, CorpusError
from .text import iter_text_blocks, iter_text_pieces
from .tokenizers import (
    ASCII_WORD_BYTES,
    LINE_END,
    UNSPACED_CHARS,
    Tokenizer,
    checked_tokens,
    default_tokens_and_breaks,
    get_tokenizer,
    is_builtin,
    names,
)

MAX_SENTENCE_LENGTH = 10_000  # longer lines are cut, as in gensim, so windows stay local


class UnsegmentedTextWarning(UserWarning):
    """The corpus's words look like whole clauses of Chinese or Japanese: a tokenizer is needed."""


# A token with this many Han or kana characters in a row is a clause, not a word (Chinese and
# Japanese words are mostly 1-4 characters); a corpus warns when such runs hold this share of
# its Han/kana characters.
_LONG_RUN = 5
_LONG_RUN_SHARE = 0.3
_UNSPACED_RE = re.compile(f"[{UNSPACED_CHARS}]+")


def unsegmented_share(words: list[str], counts: np.ndarray) -> float:
    """Share of the Han/kana characters of the corpus (token counts times characters) that stand
    in runs of ``_LONG_RUN`` or more."""
    cjk = long = 0
    if not _UNSPACED_RE.search("".join(words)):  # no Han or kana at all: one scan, not one a word
        return 0.0
    for word, count in zip(words, counts.tolist(), strict=True):
        for run in _UNSPACED_RE.findall(word):
            cjk += count * len(run)
            if len(run) >= _LONG_RUN:
                long += count * len(run)
    return long / cjk if cjk else 0.0


def warn_if_unsegmented(corpus: Corpus, tokenizer: object) -> None:
    """Warn at once when a corpus read with a whitespace or default tokenizer looks like
    unsegmented Chinese or Japanese text, naming the tokenizers that split it."""
    if tokenizer not in (None, "default", "whitespace"):
        return
    share = unsegmented_share(corpus.words, corpus.counts)
    if share >= _LONG_RUN_SHARE:
        cjk_names = [n for n in ("chars", "jieba", "sudachi", "kiwi") if n in names()]
        warnings.warn(
            f"{corpus.name}: {share:.0%} of its Chinese/Japanese characters stand in runs of {_LONG_RUN}+ "
            f"(whole clauses, e.g. {_longest_example(corpus)!r}): the {tokenizer or 'default'!r} tokenizer "
            "splits only at spaces and punctuation. Pass tokenizer= one of "
            + ", ".join(repr(n) for n in cjk_names)
            + " ('chars': each character a word, no package needed; 'jieba': Chinese words; "
            "'sudachi': Japanese words; 'kiwi': Korean morphemes)",
            UnsegmentedTextWarning,
            stacklevel=3,
        )


def _longest_example(corpus: Corpus) -> str:
    order = np.argsort(-corpus.counts)
    for i in order[:1000].tolist():
        runs = _UNSPACED_RE.findall(corpus.words[i])
        if runs and max(map(len, runs)) >= _LONG_RUN:
            return corpus.words[i][:20]
    return ""


_COUNT_BLOCK = 1 << 22  # ids counted at a time: np.bincount copies its input as int64


def count_ids(ids: np.ndarray, n_words: int) -> np.ndarray:
    """How often each id occurs, in blocks (a whole-corpus bincount would hold an int64 copy,
    8 bytes a token, on top of the 4-byte ids)."""
    counts = np.zeros(n_words, dtype=np.int64)
    for start in range(0, len(ids), _COUNT_BLOCK):
        counts += np.bincount(ids[start : start + _COUNT_BLOCK], minlength=n_words)
    return counts


# Files from this size have their words looked up in machine code (``jit_words``: 1.4-1.7x the
# Python block reader, about 3x the line reader, on 5.6M tokens) once numba's cache holds it;
# from the second size it is compiled first (a few CPU seconds, which a file that big repays).
# Smaller files: numba's import and cache load (about 0.5 CPU s) would cost more than they save.
JIT_READ_BYTES = 16 << 20
JIT_COMPILE_BYTES = 128 << 20


def _jit_words(path: str | os.PathLike) -> Any:
    """The ``jit_words`` module if reading ``path`` should use it (see ``JIT_READ_BYTES``)."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return None  # check_text_file gives the error
    if size < JIT_READ_BYTES:
        return None
    try:
        from . import jit_words
    except Exception:  # numba missing or broken: the Python reader
        return None
    if (size >= JIT_COMPILE_BYTES or jit_words.in_cache()) and jit_words.ready():
        return jit_words
    return None


_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _block_ids(table: Any, text: str, lowercase: bool) -> np.ndarray:
    """The ids of a block's words as the default tokeniser finds them, -1 where a line ends:
    its ASCII lines by the table's ASCII rule, each line holding other characters by the
    tokeniser's regex (in the order of the text, so new words get their ids in order)."""
    ascii_rule = ASCII_WORD_BYTES[lowercase]
    if text.isascii():
        return table.ids(text.encode("ascii"), ascii_rule)
    if LINE_END in text:  # the marker is in the text itself: the tokeniser's own line-by-line path
        return table.ids(" ".join(default_tokens_and_breaks(text, lowercase)).encode("utf-8"), None)
    parts, start = [], 0
    for match in _NON_ASCII.finditer(text):
        if match.start() < start:  # in the line taken already
            continue
        first = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        parts.append(table.ids(text[start:first].encode("ascii"), ascii_rule))  # ends with its "\n"
        words = default_tokens_and_breaks(text[first:end], lowercase)
        parts.append(table.ids(" ".join(words).encode("utf-8"), None))
        start = end
    parts.append(table.ids(text[start:].encode("ascii"), ascii_rule))
    return np.concatenate(parts)


class _WordIndex(dict):
    """Word -> id; looking up a new word gives it the next id (``words`` keeps them in order), so
    a whole block is mapped by one ``map`` with no Python per known word."""

    def __init__(self, words: list[str]):
        super().__init__()
        self.words = words

    def __missing__(self, word: str) -> int:
        i = self[word] = len(self.words)
        self.words.append(word)
        return i


class _CorpusBuilder:
    """Turns a stream of token lists into ids in one pass, never keeping the text."""

    def __init__(self, max_sentence_length: int):
        self.words: list[str] = []
        self.index = _WordIndex(self.words)
        self.ids = array("i")
        self.offsets = array("q", [0])
        self.max_sentence_length = max_sentence_length
        self._open = 0  # tokens in the sentence being built

    def add(self, tokens: list[str], ends_sentence: bool = True) -> None:
        index, words, ids = self.index, self.words, self.ids
        for token in tokens:
            i = index.get(token)
            if i is None:
                i = index[token] = len(words)
                words.append(token)
            ids.append(i)
        self._open += len(tokens)
        self._cut()
        if ends_sentence:
            self.end_sentence()

    def add_lines(self, tokens: list[str], ends_line: bool) -> None:
        """:meth:`add` for many lines at once: ``tokens`` holds ``LINE_END`` where each line ends
        (the last line ends only if ``ends_line``); ids are looked up and sentences found with no
        Python per token."""
        index = self.index
        index.setdefault(LINE_END, -1)  # a line's end, never a word
        self.add_ids(
            np.fromiter(map(index.__getitem__, tokens), dtype=np.int32, count=len(tokens)), ends_line
        )

    def add_ids(self, ids: np.ndarray, ends_line: bool) -> None:
        """:meth:`add_lines` of ids already looked up (int32, -1 where each line ends)."""
        breaks = np.flatnonzero(ids < 0)
        base = len(self.ids)
        self.ids.frombytes(np.delete(ids, breaks).tobytes() if len(breaks) else ids.tobytes())
        ends = base + np.append(breaks - np.arange(len(breaks)), len(self.ids) - base)  # each line's end
        lengths = np.diff(ends, prepend=base - self._open)
        closed = len(breaks) + ends_line
        if closed and lengths[:closed].max() <= self.max_sentence_length:
            self.offsets.extend(ends[:closed][lengths[:closed] > 0].tolist())
        else:  # a line over max_sentence_length: cut it as add does
            for length, end in zip(lengths[:closed].tolist(), ends[:closed].tolist(), strict=True):
                self._open = length
                self._cut()
                if self._open:
                    self.offsets.append(end)
        self._open = 0 if ends_line else int(lengths[-1])
        self._cut()

    def _cut(self) -> None:
        while self._open > self.max_sentence_length:  # cut an over-long sentence
            self.offsets.append(self.offsets[-1] + self.max_sentence_length)
            self._open -= self.max_sentence_length

    def end_sentence(self) -> None:
        if self._open:
            self.offsets.append(len(self.ids))
            self._open = 0

    def build(self, name: str | None, source: str) -> Corpus:
        self.end_sentence()
        if not self.ids:
            raise CorpusError(f"{source} contains no words; give a text with at least a few sentences")
        ids = np.frombuffer(self.ids, dtype=np.int32)  # a view: no second copy of 4 bytes a token
        offsets = np.frombuffer(self.offsets, dtype=np.int64).copy()
        return Corpus(ids, offsets, self.words, count_ids(ids, len(self.words)), name=name)


class Corpus:
    """Word ids of a whole corpus, sentence boundaries, and every distinct word with its count.

    Build one with :meth:`from_file` or :meth:`from_texts`. Ids index :attr:`words` in order of
    first appearance; the training vocabulary (min_count, frequency order) is made from it later.
    """

    def __init__(
        self,
        ids: np.ndarray,
        sentence_offsets: np.ndarray,
        words: list[str],
        counts: np.ndarray,
        name: str | None = None,
    ):
        self.ids = np.asarray(ids, dtype=np.int32)
        self.sentence_offsets = np.asarray(sentence_offsets, dtype=np.int64)
        self.words = list(words)
        self.counts = np.asarray(counts, dtype=np.int64)
        self.name = name
        if len(self.words) != len(self.counts):
            raise CorpusError("words and counts must have the same length")
        if self.sentence_offsets[0] != 0 or self.sentence_offsets[-1] != len(self.ids):
            raise CorpusError("sentence offsets must start at 0 and end at the number of tokens")

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_file(
        cls,
        path: str | os.PathLike,
        *,
        tokenizer: str | Tokenizer | None = "default",
        lowercase: bool = True,
        name: str | None = None,
        max_sentence_length: int = MAX_SENTENCE_LENGTH,
        progress: bool = False,
    ) -> Corpus:
        """Read a UTF-8 text file (.txt or .gz): one sentence a line, or free text.

        The file is streamed once; memory holds only the int32 ids (4 bytes a token) and the
        distinct words, so a 100M-token file needs about 0.5 GB.
        """
        tokenize = get_tokenizer(tokenizer, lowercase)
        builder = _CorpusBuilder(max_sentence_length)
        bar = None
        if progress:
            from tqdm.auto import tqdm

            size = os.path.getsize(path) if os.path.exists(path) else None
            bar = tqdm(total=size, unit="B", unit_scale=True, desc=f"reading {os.path.basename(path)}")
        check = not is_builtin(tokenize)
        line = 1
        if tokenizer is None or (isinstance(tokenizer, str) and tokenizer == "default"):
            jit = _jit_words(path)
            table = jit.WordTable(builder.words) if jit is not None else None
            for text, ends_line in iter_text_blocks(path):  # many lines a call: the fast path
                if table is not None:
                    builder.add_ids(_block_ids(table, text, lowercase), ends_line)
                else:
                    builder.add_lines(default_tokens_and_breaks(text, lowercase), ends_line)
                if bar is not None:
                    bar.update(len(text) + ends_line)
        else:
            for text, ends_line in iter_text_pieces(path):
                tokens = (
                    checked_tokens(tokenize, text, f"line {line} of {os.fspath(path)!r}")
                    if check
                    else tokenize(text)
                )
                builder.add(tokens, ends_line)
                line += ends_line
                if bar is not None:
                    bar.update(len(text) + ends_line)
        if bar is not None:
            bar.close()
        corpus = builder.build(name or os.path.basename(os.fspath(path)), f"file {os.fspath(path)!r}")
        warn_if_unsegmented(corpus, tokenizer)
        return corpus

    @classmethod
    def from_texts(
        cls,
        texts: Iterable[str | list[str]] | Any,
        *,
        tokenizer: str | Tokenizer | None = "default",
        lowercase: bool = True,
        name: str | None = None,
        max_sentence_length: int = MAX_SENTENCE_LENGTH,
    ) -> Corpus:
        """Build from strings (tokenised here) or token lists (used as they are), one sentence
        each; a pandas Series works, and missing values (None, NaN) are skipped."""
        if isinstance(texts, str | bytes):
            raise CorpusError("from_texts takes an iterable of texts; wrap a single string in a list")
        tokenize = get_tokenizer(tokenizer, lowercase)
        check = not is_builtin(tokenize)
        tokenized = False  # token lists are used as given: no warning about their tokenizer
        builder = _CorpusBuilder(max_sentence_length)
        values = texts.values if hasattr(texts, "values") and hasattr(texts, "index") else texts
        for n, item in enumerate(values):
            if item is None or (isinstance(item, float) and item != item):
                continue
            if isinstance(item, str):
                tokenized = True
                builder.add(checked_tokens(tokenize, item, f"item {n}") if check else tokenize(item))
            elif isinstance(item, list | tuple) and all(isinstance(t, str) for t in item):
                builder.add(list(item))
            else:
                raise CorpusError(
                    f"item {n} is a {type(item).__name__}; from_texts takes strings or lists of strings"
                )
        corpus = builder.build(name or "texts", "the texts given")
        if tokenized:
            warn_if_unsegmented(corpus, tokenizer)
        return corpus

    # ----------------------------------------------------------------- views
    @property
    def n_tokens(self) -> int:
        return len(self.ids)

    @property
    def n_sentences(self) -> int:
        return int(len(self.sentence_offsets) - 1)

    def __len__(self) -> int:
        return self.n_sentences

    def sentence(self, i: int) -> list[str]:
        """The words of sentence ``i``."""
        start, end = self.sentence_offsets[i], self.sentence_offsets[i + 1]
        return [self.words[j] for j in self.ids[start:end]]

    def sentences(self) -> Iterator[list[str]]:
        """Iterate over sentences as lists of words (gensim's corpus format)."""
        for i in range(self.n_sentences):
            yield self.sentence(i)

    def sentence_ids(self) -> np.ndarray:
        """Sentence number of every token (int32)."""
        lengths = np.diff(self.sentence_offsets)
        return np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)

    def __repr__(self) -> str:
        return (
            f"Corpus(name={self.name!r}, tokens={self.n_tokens:,}, sentences={self.n_sentences:,}, "
            f"distinct words={len(self.words):,})"
        )


def as_corpus(corpus: Any) -> Corpus:
    """``corpus`` as a :class:`Corpus`: a Corpus as given, or the path of a text file read whole."""
    if isinstance(corpus, Corpus):
        return corpus
    if isinstance(corpus, str | os.PathLike):
        return Corpus.from_file(corpus)
    raise ConfigError(
        f"fit takes a Corpus or a path to a text file, not a {type(corpus).__name__}; "
        "build one with w2v.Corpus.from_texts(...) or w2v.Corpus.from_file(...)"
    )

"""Tokenisers by name: text (one line, or a piece of a long line) to a list of words.

Every named tokeniser first normalises its text to Unicode NFC (canonical composition: "e" plus a
combining acute accent and "é" become the same word, as do decomposed and composed Hangul; NFKC
is not applied, so full-width letters and ligatures stay as written). Each one works on the
pieces the corpus reader streams (a line, or about 1M characters of a longer one), never on a
whole file.

- ``"default"``: runs of letters and digits with their combining marks (so Hindi, Thai or Hebrew
  with points stay whole), inner apostrophes and zero-width (non-)joiners kept; underscores,
  punctuation and emoji split and are dropped.
- ``"whitespace"``: tokens between whitespace (pre-tokenised text such as PTB; emoji kept).
- ``"chars"``: each CJK character (Han, Hiragana, Katakana, Hangul syllables) a token; other
  scripts as ``"default"``.
- ``"jieba"``: Chinese words (``pip install jieba``).
- ``"kiwi"``: Korean morphemes (``pip install kiwipiepy``), without Kiwi's multi-word proper nouns
  (190 MB); the model is freed with the last tokeniser using it (once the corpus is built).
- ``"sudachi"``: Japanese words, SudachiPy's longest split with its core dictionary
  (``pip install sudachipy sudachidict-core``; chosen over fugashi + unidic-lite, which tokenises
  about twice as fast but needs 250 MB against 200 MB and builds from source: benchmarks/README.md).

More can be registered: ``TOKENIZERS.register("name", factory)``, the factory taking
``lowercase`` and returning the tokeniser; or the entry-point group ``w2v_widgets.tokenizers``.
"""

from __future__ import annotations

import functools
import importlib
import re
import threading
import unicodedata
import weakref
from collections.abc import Callable
from types import ModuleType

from ..errors import ConfigError, CorpusError
from ..registry import Registry

Tokenizer = Callable[[str], list[str]]

TOKENIZERS = Registry("tokenizers")

# Combining marks of the scripts in the Basic Multilingual Plane up to CJK (Devanagari vowel
# signs, Hebrew points, Arabic harakat, Thai vowels, kana voicing marks...) plus the zero-width
# non-joiner and joiner that Persian and Indic words carry inside them.
_MARKS = "".join(chr(c) for c in range(0x0300, 0x3100) if unicodedata.category(chr(c)) in ("Mn", "Mc", "Me"))
_INNER = re.escape(_MARKS + "\u200c\u200d")
# A word: a letter or digit, then letters, digits, marks; inner apostrophes keep "don't" whole.
# Underscores are turned into spaces first, so ``\w`` here means a letter or digit.
_WORD = rf"\w[\w{_INNER}]*(?:['\u2019]\w[\w{_INNER}]*)*"
_WORD_RE = re.compile(_WORD)

# CJK characters the "chars" tokeniser splits one by one.
CJK_CHARS = (
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # Katakana (and half-width)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han (extension A, unified, compatibility)
    "\U00020000-\U0003134f"  # Han extensions B-G
    "\uac00-\ud7af"  # Hangul syllables
)
# Han and kana only: the scripts written without spaces between words (Korean has spaces).
UNSPACED_CHARS = (
    "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_NOT_CJK_WORD = rf"(?:(?![{CJK_CHARS}])\w)(?:(?![{CJK_CHARS}])[\w{_INNER}])*"
_CHARS_RE = re.compile(rf"[{CJK_CHARS}][{_INNER}]*|{_NOT_CJK_WORD}(?:['\u2019]{_NOT_CJK_WORD})*")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _word_text(text: str, lowercase: bool) -> str:
    text = _nfc(text).replace("_", " ")
    return text.lower() if lowercase else text


def default_tokenizer(text: str) -> list[str]:
    """Lower-case words: runs of letters, digits and their marks, inner apostrophes kept."""
    return _WORD_RE.findall(_word_text(text, True))


LINE_END = "\x01"  # what default_tokens_and_breaks puts where a line ends (never part of a word)
_WORDS_AND_BREAKS = re.compile(f"{_WORD}|{LINE_END}")
# ASCII text: NFC changes nothing and \w is [A-Za-z0-9_] with "_" a space, so one translate
# turns every other byte into a space (upper case into lower), an apostrophe stays where a letter
# or digit is on both sides, and str.split finds the words: no regex per word.
_KEPT = b"abcdefghijklmnopqrstuvwxyz0123456789'" + LINE_END.encode()
_ASCII_WORD_BYTES = {
    True: bytes(c + 32 if 65 <= c <= 90 else c if bytes([c]) in _KEPT else 32 for c in range(256)),
    False: bytes(c if bytes([c]) in _KEPT or 65 <= c <= 90 else 32 for c in range(256)),
}
# The same with "\n" as LINE_END (which then also separates words): for ``jit_words``.
ASCII_WORD_BYTES = {k: v[:10] + LINE_END.encode() + v[11:] for k, v in _ASCII_WORD_BYTES.items()}
_LONE_APOSTROPHE = {
    True: re.compile(r"'(?<![a-z0-9]')|'(?![a-z0-9])"),
    False: re.compile(r"'(?<![A-Za-z0-9]')|'(?![A-Za-z0-9])"),
}
_ASCII_PIECE_CHARS = 1 << 16  # a non-ASCII block is taken in pieces, so its ASCII ones stay fast


def default_tokens_and_breaks(text: str, lowercase: bool = True) -> list[str]:
    """The default tokeniser over many lines at once: the words of each line of ``text`` (as
    ``default_tokenizer`` gives them line by line), with :data:`LINE_END` between lines."""
    if LINE_END in text:  # the marker is in the text itself: line by line
        tokens: list[str] = []
        for line in text.split("\n"):
            tokens += _WORD_RE.findall(_word_text(line, lowercase))
            tokens.append(LINE_END)
        tokens.pop()
        return tokens
    if text.isascii() or len(text) <= _ASCII_PIECE_CHARS:
        return _piece_tokens(text, lowercase)
    tokens = []
    start = 0
    while start <= len(text):
        end = text.find("\n", start + _ASCII_PIECE_CHARS)
        end = len(text) if end < 0 else end
        if start:
            tokens.append(LINE_END)
        tokens += _piece_tokens(text[start:end], lowercase)
        start = end + 1
    return tokens


def _piece_tokens(text: str, lowercase: bool) -> list[str]:
    if text.isascii():
        spaced = text.replace("\n", f" {LINE_END} ").encode("ascii").translate(_ASCII_WORD_BYTES[lowercase])
        cleaned = spaced.decode("ascii")
        if "'" in cleaned:
            cleaned = _LONE_APOSTROPHE[lowercase].sub(" ", cleaned)
        return cleaned.split()
    # NFC, lower() and "_" act within a line: "\n" composes with nothing and ends a final sigma
    return _WORDS_AND_BREAKS.findall(_word_text(text, lowercase).replace("\n", f" {LINE_END} "))


def whitespace_tokenizer(text: str) -> list[str]:
    """Tokens separated by whitespace, case kept (for pre-tokenised text such as PTB)."""
    return _nfc(text).split()


@TOKENIZERS.register("default")
def _default(lowercase: bool = True) -> Tokenizer:
    if lowercase:
        return default_tokenizer
    return lambda text: _WORD_RE.findall(_word_text(text, False))


@TOKENIZERS.register("whitespace")
def _whitespace(lowercase: bool = True) -> Tokenizer:
    if lowercase:
        return lambda text: _nfc(text).lower().split()
    return whitespace_tokenizer


@TOKENIZERS.register("chars")
def _chars(lowercase: bool = True) -> Tokenizer:
    """Each CJK character a token; words of other scripts as the default tokeniser."""
    return lambda text: _CHARS_RE.findall(_word_text(text, lowercase))


def _optional(module: str, pip: str, purpose: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ConfigError(
            f"the {purpose} tokenizer needs the optional package {module!r}: `pip install {pip}` "
            "(or `pip install 'w2v-widgets[cjk]'` for all the CJK tokenizers)"
        ) from None


def _is_word(token: str) -> bool:
    return _WORD_RE.search(token) is not None


class _Holder:
    """A model, held by the tokenisers that use it (a weak reference can point at this object
    whatever the model's own type)."""

    __slots__ = ("__weakref__", "model")

    def __init__(self, model: object):
        self.model = model


def _while_used(load: Callable[[], object]) -> Callable[[], _Holder]:
    """``load()``'s model in a holder, shared by every tokeniser alive at once and freed with
    the last of them (the corpus reader drops its tokeniser once the corpus is built): a model
    that takes hundreds of MB (Kiwi's) does not stay in a student's kernel for the session."""
    lock = threading.Lock()
    current: list[weakref.ref] = []

    @functools.wraps(load)
    def holder() -> _Holder:
        with lock:
            held = current[0]() if current else None
            if held is None:
                held = _Holder(load())
                current[:] = [weakref.ref(held)]
            return held

    holder.cache_clear = current.clear  # type: ignore[attr-defined]  # as functools.cache's
    return holder


# The dictionaries and models load once a process (Kiwi's takes seconds), then are shared.
@functools.cache
def _jieba_model():
    jieba = _optional("jieba", "jieba", "'jieba' (Chinese words)")
    import logging

    jieba.setLogLevel(logging.WARNING)  # it logs "Building prefix dict..." on first use
    return jieba.Tokenizer()


@_while_used
def _kiwi_model():
    # Without Kiwi's multi-word dictionary (WikiData's proper nouns that span spaces): 300 MB
    # instead of 490 MB at its peak, and the same morphemes on the korean-law corpus (every line;
    # benchmarks/kiwi_memory.py measures it); its default dictionary (single-word
    # proper nouns, 70 MB) is kept, since it changes the morphemes
    return _optional("kiwipiepy", "kiwipiepy", "'kiwi' (Korean morphemes)").Kiwi(load_multi_dict=False)


@functools.cache
def _sudachi_model():
    _optional("sudachidict_core", "sudachipy sudachidict-core", "'sudachi' (Japanese words)")
    sudachipy = _optional("sudachipy", "sudachipy sudachidict-core", "'sudachi' (Japanese words)")
    return sudachipy.Dictionary(dict="core").tokenizer(mode=sudachipy.SplitMode.C)


@TOKENIZERS.register("jieba")
def _jieba(lowercase: bool = True) -> Tokenizer:
    """Chinese words with jieba's default (accurate) mode; punctuation and spaces dropped."""
    cut = _jieba_model().lcut

    def tokenize(text: str) -> list[str]:
        return [t for t in cut(_word_text(text, lowercase)) if _is_word(t)]

    return tokenize


@TOKENIZERS.register("kiwi")
def _kiwi(lowercase: bool = True) -> Tokenizer:
    """Korean morphemes with Kiwi (kiwipiepy); punctuation and symbols (tags S*, except
    foreign words, Hanja and numbers) dropped."""
    held = _kiwi_model()  # freed with the last tokeniser using it
    kept_symbols = {"SL", "SH", "SN"}

    def tokenize(text: str) -> list[str]:
        return [
            t.form
            for t in held.model.tokenize(_word_text(text, lowercase))
            if not t.tag.startswith("S") or t.tag in kept_symbols
        ]

    return tokenize


_SUDACHI_MAX_CHARS = 4000  # SudachiPy refuses inputs over 49,149 bytes: 4,000 chars is under it


@TOKENIZERS.register("sudachi")
def _sudachi(lowercase: bool = True) -> Tokenizer:
    """Japanese words with SudachiPy (split mode C, core dictionary); punctuation dropped."""
    tagger = _sudachi_model()

    def tokenize(text: str) -> list[str]:
        text = _word_text(text, lowercase)
        tokens: list[str] = []
        while text:
            cut = len(text)
            if cut > _SUDACHI_MAX_CHARS:  # cut after a full stop or a space when there is one
                cut = max(text.rfind("。", 0, _SUDACHI_MAX_CHARS), text.rfind(" ", 0, _SUDACHI_MAX_CHARS)) + 1
                cut = cut or _SUDACHI_MAX_CHARS
            tokens.extend(m.surface() for m in tagger.tokenize(text[:cut]) if _is_word(m.surface()))
            text = text[cut:]
        return tokens

    return tokenize


def names() -> list[str]:
    """The tokenisers' names."""
    return TOKENIZERS.names()


def get_tokenizer(spec: str | Tokenizer | None, lowercase: bool = True) -> Tokenizer:
    """Resolve a tokeniser's name (see :func:`names`) or a callable into a tokeniser."""
    if spec is None:
        spec = "default"
    if isinstance(spec, str):
        if spec not in TOKENIZERS:
            raise ConfigError(
                f"unknown tokenizer {spec!r}; choose one of: {', '.join(names())}, or pass a callable "
                "that takes a line of text and returns a list of words"
            )
        return TOKENIZERS.get(spec)(lowercase=lowercase)
    if callable(spec):
        return spec
    raise ConfigError(f"tokenizer must be a name ({', '.join(names())}) or a callable, not {spec!r}")


def is_builtin(tokenize: Tokenizer) -> bool:
    """Whether ``tokenize`` came from this module (its output needs no checking)."""
    return getattr(tokenize, "__module__", None) == __name__


def checked_tokens(tokenize: Tokenizer, text: str, where: str) -> list[str]:
    """``tokenize(text)`` from a user's callable, checked: a list of strings, or a CorpusError
    naming ``where`` (e.g. "line 12 of 'a.txt'") when it raises or returns anything else."""
    try:
        tokens = tokenize(text)
    except Exception as exc:  # the user's code: any failure becomes a clear error
        raise CorpusError(
            f"the tokenizer raised {type(exc).__name__} on {where}: {exc}; fix the tokenizer or the text "
            f"(text starts {text[:40]!r})"
        ) from exc
    if not isinstance(tokens, list | tuple):
        raise CorpusError(
            f"the tokenizer returned a value of type {type(tokens).__name__} on {where}; it must return "
            "a list of strings"
        )
    for token in tokens:
        if not isinstance(token, str):
            raise CorpusError(
                f"the tokenizer returned a value of type {type(token).__name__} ({token!r}) among its "
                f"words on {where}; it must return a list of strings"
            )
    return list(tokens)


__all__ = [
    "ASCII_WORD_BYTES",
    "CJK_CHARS",
    "LINE_END",
    "TOKENIZERS",
    "Tokenizer",
    "checked_tokens",
    "default_tokenizer",
    "default_tokens_and_breaks",
    "get_tokenizer",
    "is_builtin",
    "names",
    "whitespace_tokenizer",
]

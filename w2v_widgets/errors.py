"""Exceptions raised by w2v-widgets.

Every error a user can cause is one of these, with a message that says what to change.
They subclass the built-in exception a Python user would expect (``ValueError``, ``KeyError``,
``FileNotFoundError``...), so ``except ValueError`` keeps working.
"""

from __future__ import annotations


class W2VError(Exception):
    """Base class of every error raised on purpose by w2v-widgets."""


class CorpusError(W2VError, ValueError):
    """The text given for training cannot be used (empty, binary, not UTF-8, too small...)."""


class ConfigError(W2VError, ValueError):
    """A training setting is out of range or inconsistent with the corpus."""


class UnknownWordError(W2VError, KeyError):
    """A word asked for is not in the vocabulary; the message suggests close matches."""

    def __init__(self, word: str, suggestions: list[str] | None = None):
        self.word = word
        self.suggestions = list(suggestions or [])
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if self.suggestions else ""
        super().__init__(f"word {word!r} is not in the vocabulary{hint}")

    def __str__(self) -> str:  # KeyError would otherwise print the repr of the message
        return str(self.args[0])


class TrainingDivergedError(W2VError, FloatingPointError):
    """The loss became NaN or infinite; the last good weights were kept."""


class TrainingStateError(W2VError, RuntimeError):
    """A control call does not fit the trainer's current state (e.g. resume while not paused)."""


class DistributedError(W2VError, RuntimeError):
    """A data-parallel run cannot go on: the ranks disagree at start, or a rank died or hung."""


class CheckpointError(W2VError, ValueError):
    """A checkpoint file is missing, truncated, corrupted or of an unknown version."""


class VectorFileError(W2VError, ValueError):
    """A word-vector file (word2vec text or binary, Projector TSV) is damaged or not in the format."""


class SaveError(W2VError, OSError):
    """A file could not be saved (disk full, permission denied...); the previous file is unchanged."""


class VectorFileTruncatedError(VectorFileError, EOFError):
    """A word-vector file ends before the number of vectors its header announces (an ``EOFError``
    too, as gensim raises)."""


class VectorFileEncodingError(VectorFileError, UnicodeDecodeError):
    """A word in a vector or vocabulary file is not valid in its encoding and
    ``unicode_errors='strict'`` was asked for (a ``UnicodeDecodeError`` too, as gensim raises)."""

    def __init__(
        self, message: str, encoding: str = "utf-8", data: bytes = b"", start: int = 0, end: int = 1
    ):
        UnicodeDecodeError.__init__(self, encoding, data, start, end, message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnknownEvaluationSetError(W2VError, FileNotFoundError):
    """An evaluation set was asked for by a name that is neither a file nor a bundled set; the
    message lists the bundled names."""


class DatasetError(W2VError, RuntimeError):
    """A dataset could not be downloaded, verified or read."""

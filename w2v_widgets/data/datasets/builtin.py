"""The built-in datasets: the embedded sample (Wikipedia and five plays), Penn Treebank (d2l) and text8."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import ConfigError
from . import download as dl

if TYPE_CHECKING:
    from ..corpus import Corpus

SAMPLE_FILE = "sample.txt.gz"

# Dive into Deep Learning's copy of the Penn Treebank (Mikolov's preprocessing).
PTB_URL = "http://d2l-data.s3-accelerate.amazonaws.com/ptb.zip"
PTB_SHA1 = "319d85e578af0cdc590547f26231e4e31cdf1e42"  # as published in d2l's DATA_HUB
PTB_SPLITS = ("train", "valid", "test")

# Matt Mahoney's text8. He publishes no checksum, so the archive is checked by its size only.
TEXT8_URL = "http://mattmahoney.net/dc/text8.zip"
TEXT8_SIZE = 31_344_016  # bytes of text8.zip


def sample_path() -> Path:
    """Path of the embedded corpus file (gzip, one paragraph a line)."""
    return Path(str(resources.files("w2v_widgets.data.datasets") / "data" / SAMPLE_FILE))


def load_sample(*, progress: bool = False) -> Corpus:
    """The embedded corpus: ~0.67M tokens: English Wikipedia (0.52M, cleaned like text8), then
    five of Shakespeare's plays (0.15M: Richard III, Henry VI parts 2 and 3, Henry VIII, Hamlet).

    Lower-case a-z words, one paragraph (or speech) a line; no network needed. Sources and
    licence (CC BY-SA): ``w2v_widgets/data/datasets/data/LICENSE-sample.md``.
    """
    from ..corpus import Corpus

    return Corpus.from_file(
        sample_path(), tokenizer="whitespace", lowercase=False, name="sample", progress=progress
    )


def load_ptb(
    split: str = "train",
    *,
    url: str = PTB_URL,
    sha1: str | None = PTB_SHA1,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = dl.DEFAULT_TIMEOUT,
    progress: bool = True,
) -> Corpus:
    """Penn Treebank as used in d2l's word2vec chapter (~887k training tokens).

    One sentence a line, tokens separated by spaces, rare words as ``<unk>``, numbers as
    ``N``; case is kept. Downloaded once (6 MB zip) into the cache, see
    :func:`w2v_widgets.data.datasets.download.cache_dir`.
    """
    if split not in PTB_SPLITS:
        raise ConfigError(f"split must be one of {', '.join(PTB_SPLITS)}, not {split!r}")
    from ..corpus import Corpus

    text = dl.fetch_member(
        url,
        "ptb.zip",
        f"ptb/ptb.{split}.txt",
        dl.cache_dir(cache_dir) / "ptb" / f"ptb.{split}.txt",
        subdir="ptb",
        sha1=sha1,
        cache=cache_dir,
        timeout=timeout,
        progress=progress,
    )
    name = "ptb" if split == "train" else f"ptb.{split}"
    return Corpus.from_file(text, tokenizer="whitespace", lowercase=False, name=name, progress=progress)


def load_text8(
    *,
    url: str = TEXT8_URL,
    size: int | None = TEXT8_SIZE,
    sha1: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = dl.DEFAULT_TIMEOUT,
    progress: bool = True,
) -> Corpus:
    """text8: the first 10^8 bytes of cleaned English Wikipedia (~17M tokens, one line).

    Downloaded once (31 MB zip, 100 MB unpacked) into the cache. Its author publishes no
    checksum, so the archive is verified by its size (``size``); pass ``sha1`` to check more.
    The single line is cut into sentences of 10,000 tokens by the corpus reader.
    """
    from ..corpus import Corpus

    text = dl.fetch_member(
        url,
        "text8.zip",
        "text8",
        dl.cache_dir(cache_dir) / "text8" / "text8",
        subdir="text8",
        sha1=sha1,
        size=size,
        cache=cache_dir,
        timeout=timeout,
        progress=progress,
    )
    return Corpus.from_file(text, tokenizer="whitespace", lowercase=False, name="text8", progress=progress)

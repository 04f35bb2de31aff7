"""The data layer: text files to tokens, a corpus of word ids, its vocabulary, training pairs and
noise words, ready-made datasets."""

from __future__ import annotations

from . import datasets, sampling
from .corpus import Corpus
from .vocabulary import Vocabulary

__all__ = ["Corpus", "Vocabulary", "datasets", "sampling"]

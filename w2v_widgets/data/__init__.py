"""The data layer: text files to tokens, a corpus of word ids, its vocabulary, training pairs and
noise words, ready-made datasets."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from . import datasets
from .corpus import Corpus
from .vocabulary import Vocabulary

__all__ = ["Corpus", "Vocabulary", "datasets", "sampling"]


def __getattr__(name: str) -> ModuleType:
    if name == "sampling":  # torch code: imported when first asked for (loading vectors never is)
        return import_module(f"{__name__}.sampling")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

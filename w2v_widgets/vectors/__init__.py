"""The vectors layer: trained word vectors and what is asked of them (queries, evaluation,
word2vec and Projector files, 2-D projections)."""

from __future__ import annotations

from . import projections
from .compare import compare_runs
from .evaluation import evaluate_word_analogies, evaluate_word_pairs
from .formats import save_projector_tsv, save_word2vec_format
from .word_vectors import WordVectors, load_word2vec_format

__all__ = [
    "WordVectors",
    "compare_runs",
    "evaluate_word_analogies",
    "evaluate_word_pairs",
    "load_word2vec_format",
    "projections",
    "save_projector_tsv",
    "save_word2vec_format",
]

"""w2v-widgets: train and explore word2vec embeddings in Jupyter.

The engine (corpus, vocabulary, trainer, word vectors) imports no widget library; the widgets
(``TrainingDashboard``, ``LossChart``, ``NeighborTable``, ``EmbeddingExplorer``, ``PairsViewer``)
are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from . import callbacks, datasets, projections
from .callbacks import Callback
from .corpus import Corpus
from .errors import (
    CheckpointError,
    ConfigError,
    CorpusError,
    DatasetError,
    TrainingDivergedError,
    TrainingStateError,
    UnknownWordError,
    W2VError,
)
from .evaluation import evaluate_word_analogies, evaluate_word_pairs
from .formats import load_word2vec_format, save_projector_tsv
from .history import TrainingHistory
from .vectors import WordVectors
from .vocab import Vocabulary
from .word2vec import Word2Vec

__version__ = "0.1.0"

_WIDGETS = {
    "TrainingDashboard": "w2v_widgets.widgets.dashboard",
    "LossChart": "w2v_widgets.widgets.loss_chart",
    "NeighborTable": "w2v_widgets.widgets.neighbor_table",
    "EmbeddingExplorer": "w2v_widgets.widgets.explorer",
    "PairsViewer": "w2v_widgets.widgets.pairs_viewer",
    "TrainingStatus": "w2v_widgets.widgets.status",
    "TrainingSettings": "w2v_widgets.widgets.settings",
}

__all__ = [
    "Callback",
    "CheckpointError",
    "ConfigError",
    "Corpus",
    "TrainingHistory",
    "CorpusError",
    "DatasetError",
    "TrainingDivergedError",
    "TrainingStateError",
    "UnknownWordError",
    "Vocabulary",
    "W2VError",
    "Word2Vec",
    "WordVectors",
    "callbacks",
    "datasets",
    "projections",
    "evaluate_word_analogies",
    "evaluate_word_pairs",
    "load_word2vec_format",
    "save_projector_tsv",
    *_WIDGETS,
]


def __getattr__(name: str) -> Any:
    if name in _WIDGETS:
        return getattr(import_module(_WIDGETS[name]), name)
    raise AttributeError(f"module 'w2v_widgets' has no attribute {name!r}")

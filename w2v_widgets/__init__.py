"""w2v-widgets: train and explore word2vec embeddings in Jupyter.

The engine (corpus, vocabulary, trainer, word vectors) imports no widget library; the widgets
(``TrainingDashboard``, ``LossChart``, ``NeighbourTable``, ``EmbeddingExplorer``, ``PairsViewer``)
are imported on first use, and so is pandas (``TrainingHistory``, the tables that methods return)
and torch (``Word2Vec``: loading and querying word vectors never needs it).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from . import callbacks
from .callbacks import Callback
from .data import Corpus, Vocabulary, datasets
from .errors import (
    CheckpointError,
    ConfigError,
    CorpusError,
    DatasetError,
    SaveError,
    TrainingDivergedError,
    TrainingStateError,
    UnknownWordError,
    VectorFileError,
    W2VError,
)
from .vectors import (
    WordVectors,
    compare_runs,
    evaluate_word_analogies,
    evaluate_word_pairs,
    load_word2vec_format,
    projections,
    save_projector_tsv,
)
from .vectors.sources import register_checkpoint_reader

if TYPE_CHECKING:
    from .training import Word2Vec

__version__ = "0.1.0"


def _training_progress(bar: Any) -> Any:
    """The notebook view of the ProgressBar callback's bar: a widget, so imported on first use."""
    from .widgets.live.progress import TrainingProgress

    return TrainingProgress(bar)


def _checkpoint_vectors(path: Any) -> WordVectors:
    """The word vectors of a ``Word2Vec`` checkpoint, for the vectors layer's readers (which never
    import the trainer, and so not torch until a checkpoint is read)."""
    from .training.word2vec import Word2Vec

    return Word2Vec.load(path, device="cpu").wv


callbacks.ProgressBar.notebook_view = _training_progress  # the engine shows one widget: wired here
register_checkpoint_reader(_checkpoint_vectors)  # and reads checkpoints through the trainer

_WIDGETS = {
    "TrainingDashboard": "w2v_widgets.widgets.live.dashboard",
    "LossChart": "w2v_widgets.widgets.live.loss_chart",
    "NeighbourTable": "w2v_widgets.widgets.live.neighbour_table",
    "TrainingStatus": "w2v_widgets.widgets.live.status",
    "TrainingSettings": "w2v_widgets.widgets.live.settings",
    "EmbeddingExplorer": "w2v_widgets.widgets.explorer.widget",
    "CompareExplorer": "w2v_widgets.widgets.compare.widget",
    "PairsViewer": "w2v_widgets.widgets.teaching.pairs_viewer",
    "AnalogyLab": "w2v_widgets.widgets.teaching.analogy_lab",
    "PMIView": "w2v_widgets.widgets.teaching.pmi_view",
    "UpdateStepper": "w2v_widgets.widgets.teaching.update_stepper",
}

__all__ = [
    "Callback",
    "CheckpointError",
    "ConfigError",
    "Corpus",
    "TrainingHistory",
    "CorpusError",
    "DatasetError",
    "SaveError",
    "TrainingDivergedError",
    "TrainingStateError",
    "UnknownWordError",
    "VectorFileError",
    "Vocabulary",
    "W2VError",
    "Word2Vec",
    "WordVectors",
    "callbacks",
    "compare_runs",
    "datasets",
    "projections",
    "evaluate_word_analogies",
    "evaluate_word_pairs",
    "load_word2vec_format",
    "save_projector_tsv",
    "use_svg_charts",
    *_WIDGETS,
]


_LAZY = {
    **_WIDGETS,
    "Word2Vec": "w2v_widgets.training",  # torch on first use (the layer's own lazy import, which
    # on a machine's first fit starts the kernel's compile helper first)
    "TrainingHistory": "w2v_widgets.training.history",  # pandas on first use
    "use_svg_charts": "w2v_widgets.charts",  # altair on first use
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    if name == "training":  # the trainer's layer (torch), as w2v.training.SampleLoss
        return import_module(f"{__name__}.training")
    raise AttributeError(f"module 'w2v_widgets' has no attribute {name!r}")

"""The training layer: settings, the torch models, the loop and its steps, run control, the
training history, checkpoint files and the public :class:`Word2Vec`."""

from __future__ import annotations

from .history import TrainingHistory
from .sample_loss import SampleLoss
from .word2vec import Word2Vec

__all__ = ["SampleLoss", "TrainingHistory", "Word2Vec"]

"""The training layer: settings, the torch models, the loop and its steps, run control, the
training history, checkpoint files and the public :class:`Word2Vec`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .sample_loss import SampleLoss
from .word2vec import Word2Vec

if TYPE_CHECKING:
    from .history import TrainingHistory

__all__ = ["SampleLoss", "TrainingHistory", "Word2Vec"]


def __getattr__(name: str) -> Any:
    if name == "TrainingHistory":  # a pandas DataFrame: pandas is imported when it is first asked for
        from .history import TrainingHistory

        return TrainingHistory
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

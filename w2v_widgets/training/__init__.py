"""The training layer: settings, the torch models, the loop and its steps, run control, the
training history, checkpoint files and the public :class:`Word2Vec`."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .history import TrainingHistory
    from .sample_loss import SampleLoss
    from .word2vec import Word2Vec

__all__ = ["SampleLoss", "TrainingHistory", "Word2Vec"]


# imported when first asked for: torch (the models, the loop) and pandas (the history's
# DataFrame) stay out of a process that only reads this layer's run control or settings
_LAZY = {"SampleLoss": ".sample_loss", "TrainingHistory": ".history", "Word2Vec": ".word2vec"}


def __getattr__(name: str) -> Any:
    if name == "Word2Vec":
        from .kernels import compile_ahead

        compile_ahead()  # a machine's first fit: the kernel compiles in a helper while torch imports
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

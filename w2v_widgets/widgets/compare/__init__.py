"""Two runs compared on one map: :mod:`.widget` holds ``CompareExplorer`` and its traitlets,
:mod:`.frame` computes the shared 2-D frame, the colours by overlap and the moved words,
:mod:`.queries` answers the page's hover messages from both full spaces."""

from .widget import CompareExplorer

__all__ = ["CompareExplorer"]

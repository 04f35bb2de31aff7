"""The embedding explorer: an anywidget map of the vocabulary whose queries the kernel answers.

:mod:`.widget` holds the widget and its traitlets; :mod:`.queries` answers the front-end's
messages; :mod:`.layout` runs projections in the background; :mod:`.colors` colours points;
:mod:`.standalone` writes the page that works without a kernel.
"""

from .widget import EmbeddingExplorer

__all__ = ["EmbeddingExplorer"]

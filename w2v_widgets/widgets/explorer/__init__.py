"""The embedding explorer: an anywidget map of the vocabulary whose queries the kernel answers.

:mod:`.widget` holds the widget: its traitlets and public methods. :mod:`.plot` keeps which words
are plotted; :mod:`.queries` answers the front-end's messages and :mod:`.dispatch` carries them
(custom messages in, replies out); :mod:`.layout` runs projections in the background;
:mod:`.colors` colours points; :mod:`.standalone` writes the page that works without a kernel.
"""

from .widget import EmbeddingExplorer

__all__ = ["EmbeddingExplorer"]

"""The ``ProgressBar`` callback's notebook bar, with a static text copy for nbconvert's HTML.

tqdm's notebook bar is an ipywidgets ``HBox``: blank in nbconvert's HTML offline (the widget
manager comes from a CDN). :class:`TrainingProgress` shows the bar in a box that also holds a
:class:`~.snapshot.StaticSnapshot`'s hiding style, and a text snapshot after it: tqdm's own line
(``training: 100%|██████████| 6.84k/6.84k [00:01<00:00, 5.2kword/s, epoch=10/10, ...]``),
refreshed when training ends, hidden wherever the bar draws (Lab, Notebook 7, Voila).
"""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets

from ..plain_text import PlainTextRepr
from .base import environment
from .snapshot import StaticSnapshot, snapshot_markup

DRAWN = ".widget-hprogress"  # what ipywidgets' (horizontal) progress bar puts in the page once drawn


class TrainingProgress(PlainTextRepr, widgets.VBox):
    """A ``tqdm.notebook`` bar (made with ``display=False``) and its text snapshot.

    :meth:`show` displays both; :meth:`finish` refreshes the snapshot with the bar's last line,
    or clears it (and closes the box) when the bar is not to be left behind.
    """

    def __init__(self, bar: Any, **kwargs: Any):
        self.bar = bar
        self.final_text: str | None = None
        self.left = True
        self.snapshot = StaticSnapshot(self._render, plain="progress bar: static snapshot", drawn=DRAWN)
        super().__init__(children=[bar.container, self.snapshot.hider], **kwargs)
        self.add_class("w2v-training-progress")
        self.add_class(self.snapshot.owner_class)

    def line(self) -> str:
        """tqdm's line for the bar (its last one once training ended). Not the widget's
        text/plain, which is stored at display time and would show 0% for good."""
        return self.final_text if self.final_text is not None else str(self.bar)

    def _render(self, css_class: str) -> str:
        return snapshot_markup(css_class, text=self.line()) if self.left else ""

    def show(self) -> None:
        """Display the bar, then (in a kernel) its snapshot."""
        from IPython.display import display

        display(self)
        self.bar.displayed = True  # tqdm must not display its bare container again (``delay``)
        if environment() == "kernel":
            self.snapshot.show()

    def finish(self, leave: bool) -> None:
        """Training ended: keep the bar's last line (``final_text``, taken before tqdm closed
        it), or leave nothing."""
        if self.final_text is None:
            self.final_text = str(self.bar)
        self.left = leave
        self.snapshot.refresh()
        if not leave:
            self.close()

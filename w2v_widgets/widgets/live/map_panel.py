"""``TrainingMap``: the dashboard's embedding map, shown by a toggle button, following training.

While the toggle is on, an :class:`~w2v_widgets.widgets.explorer.widget.EmbeddingExplorer`
with ``follow=True`` moves its points as the model trains; while it is off, no explorer exists
and nothing is computed (training pays nothing for a hidden map).
"""

from __future__ import annotations

import html
import threading
from typing import Any

import ipywidgets as widgets

from ...errors import TrainingStateError
from ..plain_text import PlainTextRepr

MAP_WORDS = 1000  # words on the dashboard's map (the most frequent)
MAP_HEIGHT = 440


class TrainingMap(PlainTextRepr, widgets.VBox):
    """A toggle button (``button``, placed by the dashboard among its controls) and the map
    below it. ``explorer`` is the map shown now, or None."""

    plain_facts = ("n_words",)

    def __init__(self, n_words: int = MAP_WORDS, height: int = MAP_HEIGHT, **kwargs: Any):
        self.n_words, self.height = n_words, height
        self.model: Any = None
        self.explorer: Any = None
        self._lock = threading.RLock()
        self.button = widgets.ToggleButton(
            value=False,
            description="Map",
            icon="map",
            tooltip="Show the words on a map that moves as the model trains",
            layout=widgets.Layout(width="110px"),
        )
        self.button.add_class("w2v-map-toggle")
        self._note = widgets.HTML()
        super().__init__(children=[self._note], layout=widgets.Layout(display="none"), **kwargs)
        self.add_class("w2v-training-map")
        self.button.observe(self._toggled, names="value")

    @property
    def shown(self) -> bool:
        return bool(self.button.value)

    def follow(self, model: Any) -> None:
        """Follow ``model`` (the dashboard's); the map is (re)built when shown and it has vectors."""
        with self._lock:
            if model is not self.model:
                self._drop()
            self.model = model
            if self.shown:
                self._build()

    def close(self) -> None:
        self._drop()
        self.button.close()
        self._note.close()
        super().close()

    def _toggled(self, change: dict) -> None:
        with self._lock:
            self.layout.display = "flex" if change["new"] else "none"
            if change["new"]:
                self._build()
            else:
                self._drop()

    def _build(self) -> None:
        if self.explorer is not None or self.model is None:
            return
        try:
            self.model.wv  # noqa: B018 - raises until the model has vectors
        except TrainingStateError:
            self._note.value = (
                '<div class="w2v-map-note" style="color:#777">'
                f"{html.escape('The map appears when training starts.')}</div>"
            )
            return
        from ..explorer.widget import EmbeddingExplorer

        self.explorer = EmbeddingExplorer(
            self.model, n_words=self.n_words, projection="pca", follow=True, height=self.height
        )
        self._note.value = ""
        self.children = [self._note, self.explorer]

    def _drop(self) -> None:
        explorer, self.explorer = self.explorer, None
        if explorer is not None:
            self.children = [self._note]
            explorer.close()

    # the dashboard calls this from the training thread when a run begins
    def on_train_begin(self) -> None:
        with self._lock:
            if self.shown:
                self._build()

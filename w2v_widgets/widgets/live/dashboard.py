"""``TrainingDashboard``: train a model from a notebook and watch it learn.

A settings form, Start / Pause-Resume / Stop / Reset buttons, the status line with a progress
bar, the live loss chart and the live neighbour table. Training runs in the model's
background thread, so other cells run meanwhile; the buttons only call the model's
thread-safe controls. Where no front-end renders widgets, :meth:`TrainingDashboard.start`
and :meth:`TrainingDashboard.wait` print a progress bar and the neighbour tables instead.
Displayed in a kernel, it leaves a static snapshot after it (status, loss chart as SVG,
neighbour table as text; see :mod:`.snapshot`), shown only where the widget cannot draw.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Iterable
from typing import Any

import ipywidgets as widgets
import traitlets

from ...errors import ConfigError
from ..closing import close_tree
from ..plain_text import PlainTextRepr
from .base import ENDED_STATES, FAILED, PAUSED, Controls, Follower, environment, has_view
from .console import follow
from .loss_chart import LossChart
from .map_panel import TrainingMap
from .neighbour_table import NeighbourTable
from .relay import Relay, sharing
from .settings import DEFAULTS, FIELDS, TrainingSettings
from .snapshot import SnapshotDisplay, StaticSnapshot, snapshot_markup
from .status import TrainingStatus, error_text


class TrainingDashboard(PlainTextRepr, SnapshotDisplay, Follower, widgets.VBox):
    """Controls and live views of one model's training.

    ``TrainingDashboard(model, corpus)`` trains ``model`` on ``corpus`` when Start is clicked
    (or :meth:`start` is called); ``TrainingDashboard(corpus=corpus)`` builds the model from
    the form on Start (then it is ``dash.model``); ``TrainingDashboard(model)`` only watches
    a model trained elsewhere. ``words`` and ``k`` set the neighbour table's probe words and
    its number of neighbours. The Map button shows the most frequent words on a map that moves
    as the model trains (``dash.map.explorer``, an ``EmbeddingExplorer`` with ``follow=True``).

    ``state`` and ``message`` are traitlets; each part keeps its figures in its own
    traitlets (``dash.status``, ``dash.loss_chart``, ``dash.neighbours``, ``dash.settings``),
    so another display or a page reload shows the live state.
    """

    state = traitlets.Unicode("idle").tag(sync=True)
    message = traitlets.Unicode("").tag(sync=True)

    def __init__(
        self,
        model: Any = None,
        corpus: Any = None,
        words: Iterable[str] | None = None,
        k: int = 6,
        title: str = "word2vec training",
        **kwargs: Any,
    ):
        if model is None and corpus is None:
            raise ConfigError(
                "give a model, a corpus or both: TrainingDashboard(model, corpus), "
                "TrainingDashboard(corpus=corpus) or TrainingDashboard(model)"
            )
        self.corpus = corpus
        self.title = title
        self._lock = threading.RLock()
        params = {**DEFAULTS, **(model.get_params() if model is not None else {})}
        self.settings = TrainingSettings(params)
        self.relay = Relay(self)  # one for the dashboard and its live parts
        self.relay.is_active = lambda: bool(getattr(self.model, "active", False))
        with sharing(self.relay):
            self.status = TrainingStatus()
            self.loss_chart = LossChart()
            self.neighbours = NeighbourTable(words=words, k=k)
        self.map = TrainingMap()
        self._buttons = {
            "start": widgets.Button(description="Start", icon="play", button_style="success"),
            "pause": widgets.Button(description="Pause", icon="pause"),
            "stop": widgets.Button(description="Stop", icon="stop", button_style="danger"),
            "reset": widgets.Button(description="Reset", icon="undo"),
        }
        for name, button in self._buttons.items():
            default_layout, button.layout = button.layout, widgets.Layout(width="110px")
            default_layout.close()  # else an open comm nothing reaches, per dashboard
            button.add_class(f"w2v-{name}")
            button.on_click(self._click_handler(name))
        self._message = widgets.HTML()
        self.snapshot = StaticSnapshot(self.snapshot_html, plain="TrainingDashboard: static snapshot")
        header = widgets.HTML(f'<div style="font-weight:600;font-size:14px">{html.escape(title)}</div>')
        views = widgets.HBox(
            [self.loss_chart, self.neighbours],
            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start", grid_gap="12px"),
        )
        super().__init__(
            children=[
                header,
                self.settings,
                widgets.HBox([*self._buttons.values(), self.map.button]),
                self._message,
                self.status,
                views,
                self.map,
                self.snapshot.hider,
                self.relay,
            ],
            **kwargs,
        )
        self.add_class("w2v-training-dashboard")
        self.add_class(self.snapshot.owner_class)
        self._view_count = 0  # counts the front-end views: none means print instead
        self._controls = Controls(can_start=corpus is not None)
        self.observe(self._on_message, names="message")
        self.set_model(model)

    # ------------------------------------------------------------------ the model
    @property
    def parts(self) -> list[Follower]:
        return [self.status, self.loss_chart, self.neighbours]

    def set_model(self, model: Any) -> None:
        """Follow ``model`` (every part moves to it) and show its current state."""
        with self._lock:
            for part in self.parts:
                part.follow(model)
            self.follow(model)
            self.map.follow(model)
            if model is not None:
                self.settings.set_params(model.get_params())
            self._sync_parts()

    def close(self) -> None:
        """Stop following the model and close every part."""
        names = ("status", "loss_chart", "neighbours", "settings", "map")  # absent if __init__ failed
        for part in [getattr(self, name, None) for name in names]:
            if part is not None:
                part.close()
                close_tree(part)  # the settings form's fields, layouts and styles too
        for button in getattr(self, "_buttons", {}).values():
            button.close()
        super().close()

    def _sync_parts(self) -> None:
        for part in self.parts:
            part.sync_from_model()
        self._observe_state(self.model.state if self.model is not None else "idle")

    def _model_for(self, params: dict) -> Any:
        """The model to train with ``params``: the current one (updated) or a new one."""
        if self.model is None:
            from ...training.word2vec import Word2Vec

            self.set_model(Word2Vec(**params))
            return self.model
        current = self.model.get_params()
        changed = {k: v for k, v in params.items() if current.get(k) != v}
        if changed:
            self.model.set_params(**changed)  # a structural change resets the model
            self._sync_parts()
        return self.model

    # ------------------------------------------------------------------ actions
    def start(self, block: bool | None = None) -> None:
        """Train with the form's settings (continue a stopped run; train more after a finished
        one). ``block=None`` waits (with a text progress bar) only outside a Jupyter kernel."""
        if self.corpus is None:
            raise ConfigError(
                "this dashboard has no corpus to train on; create it with "
                "TrainingDashboard(model, corpus) or TrainingDashboard(corpus=...)"
            )
        if block is None:
            block = environment() != "kernel"
        with self._lock:
            self._controls.request("start")
            try:
                params = self.settings.get_params()
                model = self._model_for(params)
                self.message = ""
                self.status.error = ""
                model.fit(self.corpus, background=True)
                self.map.follow(model)  # the map, if shown, now that the model has vectors
            except Exception as exc:
                self._controls.abandon()
                self.message = error_text(exc)
                self._update_controls()
                raise
            self._update_controls()
        if block:
            self.wait()

    def pause(self) -> None:
        """Pause after the current batch."""
        self._act("pause", lambda m: m.pause())

    def resume(self) -> None:
        """Resume a paused run."""
        self._act("resume", lambda m: m.resume())

    def stop(self) -> None:
        """Stop after the current batch (Start continues from there)."""
        self._act("stop", lambda m: m.stop())

    def reset(self) -> None:
        """Fresh weights and an empty history; the settings stay."""
        self._act("reset", lambda m: m.reset() if m is not None else None)
        with self._lock:
            self._sync_parts()
        self.snapshot.refresh()

    def _act(self, action: str, call: Any) -> None:
        with self._lock:
            self._controls.request(action)
            try:
                call(self.model)
            except Exception as exc:
                self._controls.abandon()
                self.message = error_text(exc)
                raise
            finally:
                if action == "reset" and self.model is not None:
                    self._controls.observe(self.model.state)
                self._update_controls()
            self.message = ""

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the run ends (True) or ``timeout`` passes (False); re-raises its error.

        Where no front-end shows this dashboard, print a progress bar and the neighbour
        tables meanwhile.
        """
        if self.model is None:
            return True
        if has_view(self):
            return self.model.wait(timeout)
        return follow(self.model, self.neighbours, timeout=timeout)

    # ------------------------------------------------------------------ buttons and state
    def _click_handler(self, name: str):
        def handler(_button: widgets.Button) -> None:
            try:
                if name == "start":
                    self.start(block=False)
                elif name == "pause":
                    self.resume() if self._controls.state == PAUSED else self.pause()
                else:
                    getattr(self, name)()
            except Exception as exc:  # shown in the widget, not lost in a log
                self.message = error_text(exc)

        return handler

    def _observe_state(self, state: str) -> None:
        with self._lock:
            self._controls.observe(state)
            self.state = state
            if state == FAILED and self.model is not None and self.model.error is not None:
                self.status.error = error_text(self.model.error)
            self._update_controls()

    def _update_controls(self) -> None:
        view = self._controls.view()
        with self.hold_sync():
            start = self._buttons["start"]
            start.disabled = not view.start
            start.description = view.start_label
            pause = self._buttons["pause"]
            pause.disabled = not view.pause
            pause.description = view.pause_label
            pause.icon = "play" if view.pause_label == "Resume" else "pause"
            self._buttons["stop"].disabled = not view.stop
            self._buttons["reset"].disabled = not view.reset
            self.settings.disabled = not view.settings

    def _on_message(self, change: dict) -> None:
        text = change["new"]
        self._message.value = (
            f'<div class="w2v-dashboard-message" style="color:#b71c1c">{html.escape(text)}</div>'
            if text
            else ""
        )

    def show_display_error(self, exc: BaseException) -> None:
        self.message = f"display error: {error_text(exc)}"

    def snapshot_html(self, css_class: str) -> str:
        """The static snapshot shown where the widget cannot draw: the status line, the loss
        chart (SVG drawn in the kernel) and the neighbour table as text."""
        chart = self.loss_chart
        svg = chart.snapshot_svg()
        text = [self.status.to_text()]
        if self.message:
            text.append(f"message: {self.message}")
        if self.neighbours.rows:
            text.append(self.neighbours.to_text())
        alt = f"loss chart: {len(chart.series)} intervals"
        return snapshot_markup(css_class, svg=svg, alt=alt, title=self.title, text="\n".join(text))

    def to_text(self) -> str:
        parts = [self.status.to_text()]
        if self.message:
            parts.append(f"message: {self.message}")
        if self.neighbours.rows:
            parts.append(self.neighbours.to_text())
        return "\n".join(parts)

    # ------------------------------------------------------------------ training events
    def on_state_change(self, model: Any, logs: dict) -> None:
        self.guard(self._observe_state, logs["state"])
        self.relay.touch()
        if logs["state"] in (PAUSED, *ENDED_STATES):
            self.guard(self.snapshot.refresh)

    def on_train_begin(self, model: Any, logs: dict) -> None:
        self.guard(self.map.on_train_begin)  # a run started outside the dashboard
        run = getattr(model, "distributed", None)
        if run is not None:  # a data-parallel run: this process is one rank of it
            self.message = (
                f"data-parallel run: this dashboard follows rank {run.rank} of {run.world_size} (its "
                "share's loss and words/s; the replicas agree at each sync). Pause and Stop are refused: "
                "they would stall the other ranks; end the run with Ctrl-C on torchrun."
            )

    def on_train_end(self, model: Any, logs: dict) -> None:
        state = logs.get("state", model.state)
        if state in ENDED_STATES:
            self.guard(self._observe_state, state)
            self.relay.touch()


__all__ = ["FIELDS", "TrainingDashboard"]

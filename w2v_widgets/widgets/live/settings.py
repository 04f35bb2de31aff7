"""``TrainingSettings``: a form for the main training settings of a dashboard, made from the fields
of :class:`~w2v_widgets.training.config.TrainingConfig` (their types and defaults)."""

from __future__ import annotations

import html
import math
from typing import Any

import ipywidgets as widgets
import traitlets

from ...errors import ConfigError
from ...training.config import CHOICES, setting_default
from ...training.config import setting_kind as _kind
from ..plain_text import PlainTextRepr

FIELDS = (
    "vector_size",
    "window",
    "negative",
    "min_count",
    "epochs",
    "alpha",
    "optimizer",
    "loss",
    "device",
)  # the settings on the form, in order; their types and defaults come from TrainingConfig
DEFAULTS = {name: setting_default(name) for name in FIELDS}
_HELP = {
    "vector_size": "dimension of the word vectors",
    "window": "largest distance between a centre word and a context word",
    "negative": "noise words per context word (negative sampling)",
    "min_count": "ignore words seen fewer times",
    "epochs": "passes over the corpus",
    "alpha": "learning rate",
    "optimizer": "sgd (word2vec's), adam or sparse_adam",
    "loss": "negative sampling, full softmax, or CBOW",
    "device": "auto picks a GPU when there is one",
}


def _make_field(name: str, current: Any) -> widgets.Widget:
    kind, optional = _kind(name)
    if name == "device":
        return widgets.Dropdown(options=device_options(str(current)), description=name)
    if name in CHOICES:
        return widgets.Dropdown(options=list(CHOICES[name]), description=name)
    if optional:
        return widgets.Text(placeholder="auto", description=name)
    if kind is int:
        return widgets.BoundedIntText(min=1, max=10**9, description=name)
    return widgets.FloatText(description=name)


def device_options(current: str = "auto") -> list[str]:
    """``auto``, ``cpu``, and the accelerators torch sees (plus ``current``)."""
    options = ["auto", "cpu"]
    try:
        import torch

        if torch.cuda.is_available():
            options.append("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            options.append("mps")
    except ImportError:  # pragma: no cover - torch is a dependency
        pass
    if current not in options:
        options.append(current)
    return options


def _parse_optional(name: str, text: str, kind: type) -> Any:
    text = text.strip()
    if text == "" or text.lower() == "auto":
        return None
    try:
        value = kind(text)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {what} or empty (automatic), not {text!r}") from None
    if kind is float and not math.isfinite(value):
        raise ConfigError(f"{name} must be a finite number, not {text!r}")
    return value


class TrainingSettings(PlainTextRepr, widgets.VBox):
    """The main settings as form fields; :meth:`get_params` reads them back typed.

    ``disabled`` (a traitlet) greys out every field, as the dashboard does while training.
    """

    disabled = traitlets.Bool(False).tag(sync=True)

    def __init__(self, params: dict | None = None, **kwargs: Any):
        params = {**DEFAULTS, **{k: v for k, v in (params or {}).items() if k in FIELDS}}
        style = {"description_width": "88px"}
        width = widgets.Layout(width="210px")
        self.fields: dict[str, widgets.Widget] = {name: _make_field(name, params[name]) for name in FIELDS}
        for name, field in self.fields.items():
            replaced = (field.style, field.layout)
            field.style = style
            field.layout = width
            for orphan in replaced:  # the defaults made with the field: open comms nothing reaches
                orphan.close()
            automatic = "; empty = chosen from the corpus size" if _kind(name)[1] else ""
            field.tooltip = _HELP[name] + automatic
        self._message = widgets.HTML()
        grid = widgets.GridBox(
            list(self.fields.values()),
            layout=widgets.Layout(grid_template_columns="repeat(3, 220px)", grid_gap="2px 8px"),
        )
        super().__init__(children=[grid, self._message], **kwargs)
        self.add_class("w2v-training-settings")
        self.set_params(params)
        self.observe(self._on_disabled, names="disabled")

    def _on_disabled(self, change: dict) -> None:
        for field in self.fields.values():
            field.disabled = change["new"]

    def set_params(self, params: dict) -> None:
        """Show ``params`` (keys outside :data:`FIELDS` are ignored)."""
        for name, value in params.items():
            if name not in self.fields:
                continue
            field = self.fields[name]
            kind, optional = _kind(name)
            if optional:
                field.value = "" if value is None else str(value)
            elif isinstance(field, widgets.Dropdown):
                if value not in field.options:
                    field.options = [*field.options, value]
                field.value = value
            else:
                field.value = kind(value)

    def get_params(self) -> dict:
        """The settings as typed values; raises ConfigError for an unreadable field."""
        try:
            values = {}
            for name, field in self.fields.items():
                kind, optional = _kind(name)
                values[name] = _parse_optional(name, field.value, kind) if optional else field.value
        except ConfigError as exc:
            self.show_message(str(exc))
            raise
        self.show_message("")
        return values

    def show_message(self, text: str) -> None:
        """Show (escaped) ``text`` under the form; empty clears it."""
        self._message.value = (
            f'<div class="w2v-settings-message" style="color:#b71c1c">{html.escape(text)}</div>'
            if text
            else ""
        )

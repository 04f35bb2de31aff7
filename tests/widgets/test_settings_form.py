"""One source of defaults: TrainingConfig's fields make Word2Vec's signature and the settings form."""

from __future__ import annotations

import dataclasses
import inspect

import ipywidgets as widgets

import w2v_widgets as w2v
from w2v_widgets.training.config import TrainingConfig
from w2v_widgets.widgets.live.settings import FIELDS, TrainingSettings


def test_word2vec_signature_is_the_configs_fields_and_defaults():
    signature = inspect.signature(w2v.Word2Vec)
    config = {f.name: f.default for f in dataclasses.fields(TrainingConfig)}
    params = {name: p.default for name, p in signature.parameters.items() if name != "callbacks"}
    assert params == config
    assert w2v.Word2Vec().get_params() == TrainingConfig().to_dict()


def test_the_form_shows_the_configs_defaults_and_reads_them_back_typed():
    form = TrainingSettings()
    defaults = TrainingConfig().to_dict()
    assert form.get_params() == {name: defaults[name] for name in FIELDS}
    optional = [n for n in FIELDS if "None" in str(TrainingConfig.__dataclass_fields__[n].type)]
    assert all(isinstance(form.fields[n], widgets.Text) for n in optional)
    form.set_params({"epochs": 3, "alpha": 0.02, "window": 7})
    params = form.get_params()
    assert (params["epochs"], params["alpha"], params["window"]) == (3, 0.02, 7)
    assert w2v.Word2Vec(**params).config.window == 7

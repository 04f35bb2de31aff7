"""Every widget's text/plain is short and says what it shows (widgets/plain_text.py).

A notebook reopened untrusted with no kernel prints each widget's text/plain; ipywidgets' own
(``UpdateStepper(children=(HBox(...``) was noise. Every widget class in widgets/live, teaching,
explorer and compare goes through the one shared mixin; each is built here and its text read.
"""

from __future__ import annotations

import importlib
import inspect
import pathlib

import ipywidgets
import pytest

import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from tests.support.models import small_model
from tests.support.vectors import demo_vectors
from w2v_widgets.widgets.plain_text import HINT, PLAIN_LIMIT, VIEW_MIME, PlainTextRepr, plain_summary

FOLDERS = ("live", "teaching", "explorer", "compare")
PACKAGE = pathlib.Path(w2v.__file__).parent


def _widget_classes() -> dict[str, type]:
    found = {}
    for folder in FOLDERS:
        for path in sorted((PACKAGE / "widgets" / folder).glob("*.py")):
            module = importlib.import_module(f"w2v_widgets.widgets.{folder}.{path.stem}")
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(cls, ipywidgets.DOMWidget):
                    found[name] = cls
    return found


def test_every_widget_class_uses_the_shared_plain_text():
    classes = _widget_classes()
    assert len(classes) >= 12, sorted(classes)
    assert [name for name, cls in classes.items() if not issubclass(cls, PlainTextRepr)] == []
    # the mixin comes first: ipywidgets' own _repr_mimebundle_ and __repr__ never win
    assert [n for n, cls in classes.items() if cls.__mro__[1] is not PlainTextRepr] == []


@pytest.fixture(scope="module")
def built():
    corpus = make_corpus(800)
    model = small_model(epochs=1, seed=3).fit(corpus)
    vectors = demo_vectors(300, seed=0)
    made = {
        "UpdateStepper": w2v.UpdateStepper(model, centre="cat", context=EVIL, k=3, lr=0.5),
        "AnalogyLab": w2v.AnalogyLab(vectors),
        "PairsViewer": w2v.PairsViewer(corpus, min_count=1, sample=1, window=2),
        "PMIView": w2v.PMIView(model, corpus, word="cat"),
        "TrainingDashboard": w2v.TrainingDashboard(model, corpus, words=["cat", "red"]),
        "LossChart": w2v.LossChart(model),
        "TrainingStatus": w2v.TrainingStatus(model),
        "NeighbourTable": w2v.NeighbourTable(model, words=["cat", "red"], k=3),
        "EmbeddingExplorer": w2v.EmbeddingExplorer(vectors, n_words=80, projection="pca"),
        "CompareExplorer": w2v.CompareExplorer(model.wv, model.wv, n_words=60),
    }
    from tqdm.notebook import tqdm

    from w2v_widgets.widgets.live.map_panel import TrainingMap
    from w2v_widgets.widgets.live.progress import TrainingProgress
    from w2v_widgets.widgets.live.relay import Relay
    from w2v_widgets.widgets.live.settings import TrainingSettings

    made["TrainingMap"] = TrainingMap()
    made["TrainingProgress"] = TrainingProgress(tqdm(total=10, desc="training", display=False))
    made["TrainingSettings"] = TrainingSettings()
    made["Relay"] = Relay()
    made["AnalogyLab"].ask("man", "king", "woman", "queen")
    yield made
    for widget in made.values():
        widget.close()


def test_each_widget_says_what_it_shows_in_a_short_line(built):
    assert set(built) == set(_widget_classes())  # one of each: a new widget class is tested too
    for name, widget in built.items():
        text = repr(widget)
        assert text.startswith(f"{name}") and text.endswith(HINT), text
        assert len(text) <= PLAIN_LIMIT and "\n" not in text and "children=" not in text, text
        bundle = widget._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        if VIEW_MIME in data:  # with a widget view (a kernel): the short line beside it
            assert data["text/plain"] == text, name
    assert repr(built["UpdateStepper"]).startswith(f"UpdateStepper: centre 'cat', context {EVIL!r}, lr 0.5 (")
    assert "queen" in repr(built["AnalogyLab"])
    assert repr(built["EmbeddingExplorer"]).startswith("EmbeddingExplorer: words 80, projection")
    assert "mean overlap 1" in repr(built["CompareExplorer"])
    assert "cat: " in repr(built["NeighbourTable"]) and " | red: " in repr(built["NeighbourTable"])


def test_the_hint_says_what_to_install_where():
    assert "pip install anywidget ipywidgets" in HINT and "server's environment" in HINT
    assert "restart the server" in HINT and PLAIN_LIMIT - len(HINT) >= 80  # room for the facts


def test_a_long_summary_is_cut_to_the_limit_and_keeps_the_hint():
    text = plain_summary("UpdateStepper", {"centre": "w" * 500, "words": ["a"] * 50, "n": 1234567})
    assert len(text) <= PLAIN_LIMIT and text.endswith(HINT)
    assert "'wwwwwwwwwwwwwwwwwwwwwwwwwwwww…'" in text and "['a', 'a', 'a', …]" in text and "1,234,567" in text
    long = plain_summary("X", {f"fact{i}": i for i in range(100)}, detail="first line\nsecond")
    assert len(long) == PLAIN_LIMIT and "…" in long and long.endswith(HINT)
    assert plain_summary("X", {}, detail="idle: epoch 0/3\ntable") == f"X: idle: epoch 0/3 | table {HINT}"
    assert plain_summary("X", {"a": None, "b": ""}) == f"X {HINT}"

"""Words are user data: every hostile word of tests/support/hostile.py stays inert text in every
widget's HTML, in the explorer's standalone page and in the Projector TSV export.

"Inert" is checked by parsing what would reach the browser with Python's HTML parser: no element
or attribute that the widget did not write itself (no ``<script>``, ``<img>``, ``<svg>``, no
``on...`` attribute, no ``javascript:`` URL), and the word shown as typed (its text, unescaped,
is the word). The same words in the real browser: tests/browser/ (explorer, dashboard, pairs).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import ipywidgets as widgets
import numpy as np
import pytest

import w2v_widgets as w2v
from tests.support.hostile import HOSTILE, HOSTILE_NO_SPACE
from tests.support.models import small_model
from w2v_widgets.vectors.word_vectors import WordVectors


class Inspector(HTMLParser):
    """Collects the tags, attributes and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(name, value or "") for name, value in attrs]
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def inspect(markup: str) -> Inspector:
    parser = Inspector()
    parser.feed(markup)
    parser.close()
    return parser


def assert_inert(markup: str, allowed_scripts: int = 0) -> Inspector:
    parsed = inspect(markup)
    assert parsed.tags.count("script") == allowed_scripts, "a word became a <script> element"
    for tag in ("img", "svg", "iframe", "object", "embed"):
        assert tag not in parsed.tags, f"a word became an <{tag}> element"
    for name, value in parsed.attributes:
        assert not name.startswith("on"), f"a word became an event handler: {name}={value!r}"
        assert not value.strip().lower().startswith("javascript:"), f"a javascript: URL in {name}"
    return parsed


def html_values(widget: Any) -> list[str]:
    """The HTML strings of ``widget`` and of every widget inside it."""
    found: list[str] = []
    seen: set[int] = set()

    def walk(w: Any) -> None:
        if id(w) in seen:
            return
        seen.add(id(w))
        if isinstance(w, widgets.HTML | widgets.HTMLMath):
            found.append(w.value)
        for child in getattr(w, "children", ()) or ():
            walk(child)
        for name in ("_table", "_message", "_output", "_summary", "_error_box"):
            inner = getattr(w, name, None)
            if isinstance(inner, widgets.Widget):
                walk(inner)

    walk(widget)
    return found


@pytest.fixture(scope="module")
def hostile_corpus() -> w2v.Corpus:
    base = ["the", "cat", "sat", "on", "the", "mat", "and", "the", "dog", "ran"]
    sentences = [[*base, word, "cat", word] for word in HOSTILE] * 20
    return w2v.Corpus.from_texts(sentences, name="hostile")


@pytest.fixture(scope="module")
def hostile_model(hostile_corpus) -> w2v.Word2Vec:
    return small_model(epochs=1).fit(hostile_corpus)


def test_the_list_is_one_list():
    from tests.support import corpora, vectors

    assert HOSTILE[0] == corpora.EVIL and vectors.HOSTILE is HOSTILE


def test_neighbour_table(hostile_model):
    table = w2v.NeighbourTable(hostile_model, words=HOSTILE, k=4)
    markup = table.to_html()
    text = "".join(assert_inert(markup).text)
    for word in HOSTILE:
        assert word in text, f"{word!r} is not shown as typed"
    for value in html_values(table):
        assert_inert(value)


def test_dashboard(hostile_model, hostile_corpus):
    dash = w2v.TrainingDashboard(hostile_model, hostile_corpus, words=HOSTILE[:6], k=3)
    values = html_values(dash)
    assert values, "the dashboard has no HTML parts to check"
    text = "".join("".join(assert_inert(v).text) for v in values)
    for word in HOSTILE[:6]:
        assert word in text
    dash.close()


def test_pairs_viewer(hostile_corpus):
    viewer = w2v.PairsViewer(hostile_corpus, window=3, sample=1.0, min_count=1, sentences=[0, 1, 2])
    viewer.tokens = HOSTILE
    text = "".join(assert_inert(viewer._output.value).text)
    for word in HOSTILE:
        assert word in text


def test_standalone_page(hostile_model, tmp_path):
    from w2v_widgets.widgets.explorer.widget import EmbeddingExplorer

    ex = EmbeddingExplorer(hostile_model, projection="pca")
    ex.add(*HOSTILE)
    page = ex.save_html(tmp_path / "page.html", title=HOSTILE[1]).read_text(encoding="utf-8")
    parsed = assert_inert(page, allowed_scripts=3)  # data, bundle, loader: nothing else
    assert HOSTILE[1] in "".join(parsed.text)  # the title, as typed
    data = re.search(r'<script type="application/json" id="w2v-explorer-data">(.*?)</script>', page, re.S)
    assert data is not None
    assert "<" not in data.group(1) and "\u2028" not in data.group(1)
    words = json.loads(data.group(1))["vocab"]["words"]
    assert set(HOSTILE) <= set(words)
    ex.close()


def test_projector_tsv_runs_no_formula_in_a_spreadsheet(tmp_path):
    words = [*HOSTILE, "-1.5", "+3", "plain"]
    wv = WordVectors(words, np.ones((len(words), 2)), counts=range(len(words), 0, -1))
    _, metadata = wv.save_projector_tsv(tmp_path)
    lines = metadata.read_text(encoding="utf-8").split("\n")[1:-1]  # not splitlines(): U+2028
    fields = [line.split("\t")[0] for line in lines]
    for word, field in zip(words, fields, strict=True):
        if field.startswith(("=", "+", "-", "@")):
            float(field)  # only plain numbers may start like a formula
        assert field in (word, "'" + word)  # shown as typed (a leading ' is not displayed)
    assert sum(f.startswith(("'=", "'+", "'-", "'@")) for f in fields) == 4
    assert fields[-3:] == ["-1.5", "+3", "plain"]


def test_word2vec_files_keep_hostile_words_as_data(tmp_path):
    wv = WordVectors(HOSTILE_NO_SPACE, np.arange(len(HOSTILE_NO_SPACE) * 2, dtype=np.float32).reshape(-1, 2))
    for binary in (False, True):
        path = tmp_path / f"v{int(binary)}"
        wv.save_word2vec_format(path, binary=binary)
        back = w2v.load_word2vec_format(path, binary=binary)
        assert back.index_to_key == HOSTILE_NO_SPACE

"""The page copy's contents (widgets/explorer/page_copy.py): its size budget, what it embeds, and
escaping. Whether it draws and answers in each publisher: tests/browser/test_publishers_offline.py."""

from __future__ import annotations

import base64
import html
import json
import re
import warnings
import xml.etree.ElementTree as ET

import numpy as np
import pytest

from tests.support.hostile import HOSTILE
from tests.support.vectors import demo_vectors
from w2v_widgets.errors import ConfigError
from w2v_widgets.vectors.word_vectors import WordVectors
from w2v_widgets.widgets.compare import CompareExplorer
from w2v_widgets.widgets.explorer import EmbeddingExplorer
from w2v_widgets.widgets.explorer.page_copy import PageBudgetWarning, copy_words


def payload_of(markup: str) -> dict:
    """The data block of the page held in the copy's iframe."""
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', markup).group(1))
    data = re.search(r'<script type="application/json" id="w2v-explorer-data">(.*?)</script>', page, re.S)
    return json.loads(data.group(1))


def test_budget_keyword_and_bad_values():
    assert copy_words(1500, 32, None) == 1500  # fits the 250 KB
    with pytest.warns(PageBudgetWarning, match="page_words=N"):
        assert copy_words(50_000, 100, None) == 2000
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert copy_words(50_000, 100, 5000) == 5000  # asked for: no warning
        assert copy_words(300, 100, 5000) == 300
        assert copy_words(300, 100, 0) == 0
        assert copy_words(2000, 200, None, "CompareExplorer") == 1111  # over half kept: no warning
    for bad in (-1, 2.5, True, "all"):
        with pytest.raises(ConfigError, match="page_words"):
            copy_words(300, 100, bad)


def test_copy_embeds_the_plotted_words_as_int8_and_escapes_words():
    ex = EmbeddingExplorer(demo_vectors(3000), n_words=1500, projection="pca")
    markup = ex.page_copy_markup("w2v-snapshot-c1", "w2v-snapshot-owner-c1")
    # the page is inside the srcdoc attribute: no live <script> and one image in the output
    assert "<script" not in markup and markup.count("<img") == 1 and markup.count("<iframe") == 1
    assert 'sandbox="allow-scripts"' in markup
    payload = payload_of(markup)
    assert payload["vocab"]["words"] == ex.words and payload["vocab"]["vectors"]["dtype"] == "int8"
    assert payload["vocab"]["vectors"]["shape"] == [1500, 32]
    assert "adds 0." in markup and "1,500 words, 32 dims, int8" in markup
    # the static map: valid SVG whose labels are the words as text
    uri = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', markup).group(1)
    svg = ET.fromstring(base64.b64decode(uri))
    labels = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
    assert set(labels) == set(ex.words[: ex.top_labels])
    assert all(word in ex.words for word in HOSTILE)
    assert [w for w in HOSTILE if w in labels]  # some hostile words are among the labelled


@pytest.mark.slow
def test_a_million_word_model_keeps_to_the_budget_and_says_so():
    rng = np.random.default_rng(0)
    n, dim = 1_000_000, 16
    wv = WordVectors([f"w{i}" for i in range(n)], rng.normal(size=(n, dim)).astype(np.float32))
    with pytest.warns(PageBudgetWarning, match=r"6,097 most frequent of the 50,000 plotted words"):
        ex = EmbeddingExplorer(wv, n_words=50_000, projection="pca")
    markup = ex.page_copy_markup("c", "o")
    assert payload_of(markup)["vocab"]["vectors"]["shape"] == [6097, dim]
    assert len(markup) < 810_000  # 250 KB (0.33 MB in base64), the bundle (0.13 MB), a static image
    assert "the 6,097 most frequent of 50,000 words" in markup
    assert not EmbeddingExplorer(wv, n_words=100, projection="pca", page_words=0).page_copy_wanted()


def test_compare_copy_holds_both_runs_and_only_kept_moved_words():
    a = demo_vectors(1500)
    b = WordVectors(a.index_to_key, a.vectors[:, ::-1].copy(), counts=a.counts)
    ce = CompareExplorer(a, b, n_words=1200, page_words=600)
    payload = payload_of(ce.page_copy_markup("c", "o"))
    assert payload["kind"] == "compare" and [r["words"] for r in payload["runs"]] == [ce.words[:600]] * 2
    assert {row["word"] for row in payload["state"]["_moved"]} <= set(ce.words[:600])
    assert payload["state"]["_xy_a"]["shape"] == [600, 2]


@pytest.mark.slow
def test_an_executed_notebook_copy_holds_the_finished_tsne_layout(tmp_path):
    """``jupyter nbconvert --execute`` keeps only the messages of the cell it runs, and none after
    the last: a t-SNE explorer shown in the last cell waits for its layout at the cell's end, so
    the copy in the executed notebook holds the t-SNE layout, not the PCA shown first."""
    import subprocess
    import sys

    import nbformat

    from tests.support.kernel import kernel_env
    from tests.support.notebooks import make_notebook

    cells = [
        "import w2v_widgets as w2v\nfrom tests.support.vectors import demo_vectors",
        "w2v.EmbeddingExplorer(demo_vectors(600), n_words=300, projection='tsne')",
    ]
    path = tmp_path / "lesson.ipynb"
    nbformat.write(make_notebook(cells), str(path))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--inplace",
            str(path),
        ],
        env=kernel_env(),
        check=True,
        capture_output=True,
        timeout=300,
    )
    outputs = nbformat.read(str(path), as_version=4).cells[-1].outputs
    copies = [o for o in outputs if "w2v-page-copy" in o.get("data", {}).get("text/html", "")]
    assert len(copies) == 1, outputs
    state = payload_of(copies[0].data["text/html"])["state"]
    assert state["_projection"] == "t-SNE" and len(state["_words"]) == 300

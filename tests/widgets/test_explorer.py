"""EmbeddingExplorer, Python side: state, queries, selection sync, colours, standalone page."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from types import SimpleNamespace

import numpy as np
import pytest

from tests.support.hostile import HOSTILE
from w2v_widgets.errors import ConfigError, UnknownWordError
from w2v_widgets.vectors import WordVectors, projections
from w2v_widgets.widgets.arrays import binary_to_words, words_to_binary
from w2v_widgets.widgets.explorer import layout
from w2v_widgets.widgets.explorer.colors import by_column, by_frequency
from w2v_widgets.widgets.explorer.plot import frequency_order
from w2v_widgets.widgets.explorer.standalone import quantize_rows, script_json
from w2v_widgets.widgets.explorer.widget import EmbeddingExplorer


def make_wv(n: int = 300, dim: int = 16, seed: int = 0) -> WordVectors:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(n - len(HOSTILE))] + HOSTILE
    counts = np.arange(n, 0, -1) * 3  # vocabulary order = frequency order
    return WordVectors(words, rng.normal(size=(n, dim)).astype(np.float32), counts=counts)


@pytest.fixture
def wv() -> WordVectors:
    return make_wv()


@pytest.fixture
def ex(wv) -> EmbeddingExplorer:
    return EmbeddingExplorer(wv, n_words=100, projection="pca")


def query(ex: EmbeddingExplorer, **content) -> dict:
    sent = []
    ex.send = sent.append  # what the widget would send to the front-end
    ex._messages.receive(ex, content, [])
    assert len(sent) == 1
    return sent[0]


def brute_neighbours(wv: WordVectors, word: str, k: int) -> list[tuple[str, float]]:
    unit = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    scores = unit @ unit[wv.key_to_index[word]]
    scores[wv.key_to_index[word]] = -np.inf
    best = np.argsort(-scores, kind="stable")[:k]
    return [(wv.index_to_key[i], float(scores[i])) for i in best]


# ---------------------------------------------------------------- construction and state


def test_plots_the_most_frequent_words_with_binary_arrays(wv):
    counts = np.asarray(wv.counts).copy()
    counts[250] = 10**6  # a rare-looking word that is in fact the most frequent
    wv2 = WordVectors(wv.index_to_key, wv.vectors, counts=counts)
    ex = EmbeddingExplorer(wv2, n_words=10, projection="pca")
    assert ex.words[0] == "w250" and ex.words[1:] == [f"w{i}" for i in range(9)]
    state = ex.get_state()
    assert state["_xy"]["dtype"] == "float32" and state["_xy"]["shape"] == [10, 2]
    assert isinstance(state["_xy"]["view"], memoryview)
    assert state["_codes"]["dtype"] == "int32" and state["_codes"]["shape"] == [10]
    assert ex.projection == "PCA"
    assert list(frequency_order(wv2)[:2]) == [250, 0]


def test_words_go_to_the_page_packed_as_utf8_bytes_and_ends():
    words = [*HOSTILE, "東京", "서울", "שָׁלוֹם", "مرحبا", "👩‍🔬", "a b", "w"]
    wv = WordVectors(words, np.random.default_rng(0).normal(size=(len(words), 8)).astype(np.float32))
    ex = EmbeddingExplorer(wv, n_words=None, projection="pca")
    packed = ex.get_state()["_words"]
    assert packed["utf8"]["dtype"] == "uint8" and packed["ends"]["dtype"] == "int32"
    data = bytes(packed["utf8"]["view"])
    ends = np.frombuffer(packed["ends"]["view"], np.int32).tolist()
    assert [data[a:b].decode("utf-8") for a, b in zip([0, *ends[:-1]], ends, strict=True)] == ex.words
    assert sorted(ex.words) == sorted(words) and binary_to_words(packed) == ex.words
    # a lone surrogate has no UTF-8: such a list goes as JSON strings, as before
    assert words_to_binary(["a", "\ud800"]) == ["a", "\ud800"]
    assert binary_to_words(words_to_binary([])) == []


EXPLORE_PRETRAINED = """
import sys
import numpy as np
import w2v_widgets as w2v
words = [f"w{i}" for i in range(400)]
wv = w2v.WordVectors(words, np.random.default_rng(0).standard_normal((400, 16)).astype("float32"))
ex = w2v.EmbeddingExplorer(wv, n_words=200)
assert [w for w, _ in ex.neighbours("w3", 3)] == [w for w, _ in wv.most_similar("w3", topn=3)]
print("torch" in sys.modules)
"""


def test_exploring_vectors_without_a_model_never_imports_torch():
    """Someone exploring vectors they did not train (GloVe, GoogleNews) pays no torch import
    (about 200 MB and a second): the explorer's follow mode reaches training's run control only."""
    done = subprocess.run(
        [sys.executable, "-c", EXPLORE_PRETRAINED], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-2] == "False"


def test_accepts_a_model_with_wv_and_rejects_unknown_keywords(wv):
    model = SimpleNamespace(wv=wv)
    assert EmbeddingExplorer(model, n_words=5, projection="pca").vectors is wv
    with pytest.raises(ConfigError, match=r"unexpected keyword.*color"):
        EmbeddingExplorer(wv, projection="pca", color="red")
    with pytest.raises(ConfigError, match="choose one of"):
        EmbeddingExplorer(wv, projection="mds")
    with pytest.raises(ConfigError, match="n_words"):
        EmbeddingExplorer(wv, n_words=0)
    with pytest.raises(ConfigError, match=r"EmbeddingExplorer needs a trained w2v\.Word2Vec, a WordVectors"):
        EmbeddingExplorer([1, 2, 3])


def test_explicit_layout_for_plotted_words_or_whole_vocabulary(wv):
    xy = np.column_stack([np.arange(20.0), np.zeros(20)])
    ex = EmbeddingExplorer(wv, n_words=20, projection=xy)
    assert ex.projection == "custom layout"
    assert np.all(np.diff(ex.xy[:, 0]) > 0)  # order kept, normalised
    full = np.random.default_rng(0).normal(size=(len(wv), 2))
    ex2 = EmbeddingExplorer(wv, n_words=20, projection=full)
    np.testing.assert_allclose(ex2.xy, projections.normalize_layout(full[:20]), rtol=1e-6)
    with pytest.raises(ConfigError, match=r"shape \(20, 2\)"):
        EmbeddingExplorer(wv, n_words=20, projection=np.zeros((7, 2)))


def test_tsne_shows_pca_first_then_moves_to_tsne_in_the_background(wv, monkeypatch):
    projections.clear_cache()
    ex = EmbeddingExplorer(wv, n_words=60, projection="tsne")
    assert ex.projection == "PCA"
    assert ex._progress.get("active") is True
    pca_xy = ex.xy
    assert ex.wait(120)
    assert ex.projection == "t-SNE"
    assert ex._progress == {}
    assert not np.allclose(ex.xy, pca_xy)
    # cached: a second explorer on the same vectors gets t-SNE at once
    ex2 = EmbeddingExplorer(wv, n_words=60, projection="tsne")
    assert ex2.projection == "t-SNE" and not ex2._layouts.busy
    # a large map looks its cached layout up in the worker, not in the kernel's thread
    monkeypatch.setattr(layout, "LOOKUP_AT_ONCE_BYTES", 0)
    computed = []
    monkeypatch.setitem(projections.PROJECTIONS._entries, "tsne", lambda *a, **k: computed.append(1))
    ex3 = EmbeddingExplorer(wv, n_words=60, projection="tsne")
    assert ex3.wait(30) and ex3.projection == "t-SNE" and not computed, computed
    np.testing.assert_allclose(ex3.xy, ex2.xy)  # both turned onto the same PCA map


# ---------------------------------------------------------------- queries


def test_neighbours_cover_the_whole_vocabulary_by_cosine(ex, wv):
    reply = query(ex, id="q1", type="neighbours", word="w3", k=8, reason="list")
    assert reply["id"] == "q1"
    items = reply["result"]["items"]
    want = brute_neighbours(wv, "w3", 8)
    assert [i["word"] for i in items] == [w for w, _ in want]
    np.testing.assert_allclose([i["score"] for i in items], [s for _, s in want], rtol=1e-5)
    for item in items:  # plotted index or -1 for words outside the 100 plotted
        assert item["point"] == (ex.words.index(item["word"]) if item["word"] in ex.words else -1)
    assert any(i["point"] == -1 for i in items)


def test_search_runs_most_similar_and_reports_unknown_words_with_suggestions(ex, wv):
    reply = query(ex, id="s", type="search", positive=["w1", "w5"], negative=["w2"], k=5)
    want = wv.most_similar(positive=["w1", "w5"], negative=["w2"], topn=5)
    assert [(i["word"], round(i["score"], 5)) for i in reply["result"]["items"]] == [
        (w, round(s, 5)) for w, s in want
    ]
    bad = query(ex, id="s2", type="search", positive=["w1"], negative=["w99999"], k=5)
    assert bad["id"] == "s2" and "not in the vocabulary" in bad["error"]
    assert bad["suggestions"] and all(s in wv for s in bad["suggestions"])
    assert query(ex, id="s3", type="search", positive=[], k=5)["error"]


def test_malformed_queries_are_answered_with_errors_not_exceptions(ex):
    assert query(ex, id="x", type="teleport")["error"] == "unknown query type 'teleport'"
    assert query(ex, type="ping")["id"] is None
    assert "error" in query(ex, id="y", type="neighbours", word=None)
    assert "error" in query(ex, id="z", type="search", positive="w1")
    assert query(ex, id="p", type="ping") == {"id": "p", "result": {"pong": True}}
    big = query(ex, id="k", type="neighbours", word="w1", k=10**9)
    assert len(big["result"]["items"]) == 200


def test_complete_and_add(ex, wv):
    reply = query(ex, id="c", type="complete", prefix="w12", limit=4)
    assert reply["result"]["words"] == wv.complete("w12", 4)
    reply = query(ex, id="a", type="add", word=HOSTILE[1])
    assert reply["result"] == {"word": HOSTILE[1], "point": 100}
    assert ex.words[-1] == HOSTILE[1] and ex.xy.shape == (101, 2) and len(ex._codes) == 101
    assert query(ex, id="a2", type="add", word=HOSTILE[1])["result"]["point"] == 100
    assert "not in the vocabulary" in query(ex, id="a3", type="add", word="nope")["error"]


def test_added_word_sits_at_the_similarity_weighted_mean_of_its_plotted_neighbours():
    # plotted: a (1,0), c (0,1), d (-1,0); added b = (1,1)/sqrt2: scores .707, .707, -.707
    s = np.sqrt(0.5)
    wv = WordVectors(["a", "c", "d", "b"], [[1, 0], [0, 1], [-1, 0], [s, s]], counts=[4, 3, 2, 1])
    ex = EmbeddingExplorer(wv, n_words=3, projection=np.array([[0, 0], [10, 0], [0, 10]]))
    xy = ex.xy
    ex.add("b")
    w = np.array([s, s, 1e-3])
    np.testing.assert_allclose(ex.xy[3], (w[:, None] * xy).sum(0) / w.sum(), rtol=1e-5)


def test_hover_fires_on_hover_and_callback_errors_are_shown_not_raised(ex, wv):
    events = []
    ex.on_hover(events.append)
    query(ex, id="h", type="neighbours", word="w1", k=3, reason="hover")
    query(ex, id="h2", type="neighbours", word="w2", k=3, reason="pin")
    assert [e["word"] for e in events] == ["w1"]
    assert events[0]["neighbours"] == [
        (w, pytest.approx(s, rel=1e-5)) for w, s in brute_neighbours(wv, "w1", 3)
    ]

    def broken(event):
        raise RuntimeError("boom")

    ex.on_hover(broken)
    reply = query(ex, id="h3", type="neighbours", word="w1", k=3, reason="hover")
    assert "result" in reply
    assert "boom" in ex._message["text"] and ex._message["level"] == "error"
    ex.on_hover(broken, remove=True)
    ex.on_hover(events.append, remove=True)
    query(ex, id="h4", type="neighbours", word="w1", k=3, reason="hover")
    assert len(events) == 2


# ---------------------------------------------------------------- selection sync


def test_selected_from_the_browser_reaches_python_and_on_select(ex):
    seen = []
    ex.on_select(seen.append)
    ex.set_state({"selected": ["w3", "w4", "w3"]})  # how ipywidgets applies a front-end update
    assert ex.selected == ["w3", "w4"]
    assert seen == [{"words": ["w3", "w4"]}]


def test_setting_selected_validates_and_plots_missing_words(ex):
    with pytest.raises(UnknownWordError, match="w99999"):
        ex.selected = ["w1", "w99999"]
    assert ex.selected == []
    ex.selected = ["w1", "w250"]  # w250 is in the vocabulary but not plotted
    assert "w250" in ex.words and ex.selected == ["w1", "w250"]
    ex.pinned = ["w2"]
    with pytest.raises(UnknownWordError):
        ex.pinned = ["zzz"]


def test_focus_adds_and_announces_the_word(ex):
    ex.focus("w260")
    assert "w260" in ex.words
    assert ex._focus["word"] == "w260"
    seq = ex._focus["seq"]
    ex.focus("w260")
    assert ex._focus["seq"] == seq + 1
    with pytest.raises(UnknownWordError):
        ex.focus("nope")


# ---------------------------------------------------------------- update and colours


def test_update_keeps_the_words_and_recomputes(ex, wv):
    ex.selected = ["w1"]
    ex.add("w200")
    new = WordVectors(wv.index_to_key, wv.vectors[::-1].copy(), counts=wv.counts)
    before = ex.xy
    ex.update(new)
    assert ex.vectors is new and ex.words[-1] == "w200" and len(ex.words) == 101
    assert ex.selected == ["w1"]
    assert not np.allclose(ex.xy, before)
    reply = query(ex, id="n", type="neighbours", word="w3", k=3)
    assert [i["word"] for i in reply["result"]["items"]] == [w for w, _ in brute_neighbours(new, "w3", 3)]


def test_update_with_tsne_keeps_the_layout_until_the_new_one_is_ready(wv):
    ex = EmbeddingExplorer(wv, n_words=50, projection="tsne")
    assert ex.wait(120)
    first = ex.xy
    rng = np.random.default_rng(5)
    new = WordVectors(wv.index_to_key, wv.vectors + 0.1 * rng.normal(size=wv.vectors.shape), counts=wv.counts)
    ex.update(new)
    assert np.array_equal(ex.xy, first) or not ex._layouts.busy
    assert ex.wait(120)
    assert ex.projection == "t-SNE" and not np.array_equal(ex.xy, first)


def test_color_by_frequency_cluster_and_column(ex):
    assert ex.color_by == "frequency"
    assert [e["label"] for e in ex._legend] == ["count 100–999"]  # counts 900 .. 603
    ex.color_by = "cluster"
    assert len(ex._palette) == 8 and set(np.unique(ex._codes)) <= set(range(8))
    ex.add("w210")
    assert len(ex._codes) == 101
    ex.color_by = {"w1": "noun", "w2": "verb"}
    labels = [e["label"] for e in ex._legend]
    assert labels == ["noun", "verb", "missing"]
    assert ex._codes[ex.words.index("w1")] == 0 and ex._codes[ex.words.index("w5")] == 2
    ex.color_by = list(range(101))
    assert len(ex._legend) == 7
    with pytest.raises(ConfigError, match="101 plotted words"):
        ex.color_by = [1, 2, 3]
    with pytest.raises(ConfigError, match="color_by must be"):
        ex.color_by = "rainbow"


def test_frequency_bins_by_hand():
    c = by_frequency(np.array([1, 9, 10, 99, 100, 5000]), np.arange(6))
    assert c.codes.tolist() == [0, 0, 1, 1, 2, 3]
    assert [e["label"] for e in c.legend] == [
        "count 1–9",
        "count 10–99",
        "count 100–999",
        "count 1,000–9,999",
    ]
    ranks = by_frequency(None, np.array([0, 8, 9, 150]))
    assert ranks.codes.tolist() == [0, 0, 1, 2]
    assert ranks.legend[0]["label"] == "rank 1–9"


def test_column_with_many_categories_gets_other():
    words = [f"w{i}" for i in range(30)]
    c = by_column([f"cat{i % 12}" for i in range(30)], words)
    assert [e["label"] for e in c.legend][-1] == "other"
    assert len(c.palette) == 10


# ---------------------------------------------------------------- standalone page


def _payload(html: str, element_id: str):
    m = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert m, element_id
    return json.loads(m.group(1))


def test_save_html_is_self_contained_and_escapes_hostile_words(tmp_path, wv):
    ex = EmbeddingExplorer(wv, n_words=50, projection="pca")
    ex.add(*HOSTILE)
    ex.selected = [HOSTILE[1]]
    path = ex.save_html(tmp_path / "page.html", title="<b>My</b> map")
    html = path.read_text(encoding="utf-8")
    # no network: nothing loaded from anywhere
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html)
    assert "cdn" not in html.lower()
    # the hostile words never appear raw; only our own three scripts close
    assert "<img" not in html and "<b>" not in html
    assert html.count("</script>") == 3
    assert "<title>&lt;b&gt;My&lt;/b&gt; map</title>" in html
    assert "\u2028" not in html
    data = _payload(html, "w2v-explorer-data")
    assert data["state"]["_words"][-len(HOSTILE) :] == HOSTILE and data["state"]["selected"] == [HOSTILE[1]]
    assert set(HOSTILE) <= set(data["vocab"]["words"])
    assert data["vocab"]["vectors"]["dtype"] == "float32"  # small: not quantised
    bundle = _payload(html, "w2v-explorer-bundle")
    assert "mountStandalone" in bundle


def test_large_vocabularies_are_quantised_to_int8(tmp_path):
    wv = make_wv(n=2000, dim=600)  # 1.2M values > 1M
    ex = EmbeddingExplorer(wv, n_words=20, projection="pca")
    data = _payload(ex.save_html(tmp_path / "p.html").read_text(), "w2v-explorer-data")
    assert data["vocab"]["vectors"]["dtype"] == "int8"
    limited = _payload(ex.save_html(tmp_path / "q.html", max_vocab=100).read_text(), "w2v-explorer-data")
    assert len(limited["vocab"]["words"]) == 100


def test_int8_rows_keep_cosines_within_a_percent():
    rng = np.random.default_rng(0)
    unit = projections.unit_rows(rng.normal(size=(200, 100)))
    q = quantize_rows(unit).astype(np.float64)
    q /= np.linalg.norm(q, axis=1, keepdims=True)
    assert np.abs(q @ q.T - unit @ unit.T).max() < 0.01


def test_script_json_escapes_markup_and_line_separators():
    text = script_json({"w": "</script><!--&\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"w": "</script><!--&\u2028"}


def test_slow_queries_are_logged(ex, caplog, monkeypatch):
    real = ex._queries.handle

    def slow(content):
        time.sleep(0.3)
        return real(content)

    monkeypatch.setattr(ex._queries, "handle", slow)
    with caplog.at_level("WARNING"):
        query(ex, id="s", type="ping")
    assert "slow explorer query ping" in caplog.text


def test_repr_is_a_short_summary_and_close_abandons_the_layout(wv):
    projections.clear_cache()
    ex = EmbeddingExplorer(wv, n_words=80, projection="tsne")
    assert repr(ex).startswith("EmbeddingExplorer: words 80, projection 'PCA'")
    ex.close()
    assert ex.wait(120)
    assert ex.projection == "PCA"  # the finished t-SNE was not applied to a closed widget


def test_a_whole_vocabulary_map_numbers_points_by_the_vocabularys_own_dict():
    wv = make_wv(50)
    ex = EmbeddingExplorer(wv, n_words=None, projection="pca")
    points = ex._plot.points
    assert points._shared is wv.key_to_index and not points._own  # no second dict of every word
    assert len(points) == 50 and points["w3"] == 3 and list(points) == wv.index_to_key
    wv.add_vector("late", np.ones(16, np.float32))  # the vocabulary grows; the map does not
    assert "late" not in points and len(points) == 50 and points.get("late", -1) == -1
    reply = query(ex, type="neighbours", id="q1", word="w3", k=50)
    items = {item["word"]: item["point"] for item in reply["result"]["items"]}
    assert items["late"] == -1 and items["w4"] == 4  # found over the vocabulary, no point for "late"
    # plotted now: the points get their own dict, the vocabulary's is left alone
    assert ex.add("late") == [50]
    assert points._shared is None and points["late"] == 50 and len(points) == 51
    assert wv.key_to_index["late"] == 50 and len(wv.key_to_index) == 51
    last = wv.index_to_key[49]
    assert last in points and list(points)[-2:] == [last, "late"]
    part = EmbeddingExplorer(wv, n_words=20, projection="pca")._plot.points
    assert part._shared is None and len(part) == 20 and "w20" not in part

"""CompareExplorer in the kernel: the shared frame, colours by overlap, the moved words, the
hover query over both full spaces, the runs it accepts, the standalone page and bad input."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import w2v_widgets as w2v
from tests.support.hostile import EVIL, HOSTILE
from tests.support.vectors import demo_vectors
from w2v_widgets.errors import ConfigError, UnknownWordError
from w2v_widgets.widgets.compare import CompareExplorer
from w2v_widgets.widgets.compare.frame import by_overlap


def _rotation(d: int, seed: int) -> np.ndarray:
    q, r = np.linalg.qr(np.random.default_rng(seed).normal(size=(d, d)))
    return q * np.sign(np.diag(r))


def _runs(n: int = 400, moved: tuple[str, ...] = ("w50", EVIL)) -> tuple[w2v.WordVectors, w2v.WordVectors]:
    """Run b is run a turned by a random rotation, with the ``moved`` words sent elsewhere."""
    a = demo_vectors(n)
    vectors = a.vectors @ _rotation(a.vector_size, 1).astype(np.float32)
    rng = np.random.default_rng(2)
    for word in moved:
        vectors[a.key_to_index[word]] = rng.normal(size=a.vector_size) * 3
    return a, w2v.WordVectors(a.index_to_key, vectors, counts=a.counts)


def test_a_rotated_copy_lies_on_itself_and_the_moved_words_lead_the_list():
    a, b = _runs(moved=("w250", "w260"))  # rarer than the 200 words that fit the rotation
    ce = CompareExplorer(a, b, n_words=300, n_fit=200)
    assert ce.words == a.index_to_key[:300]
    moving = [ce.words.index(w) for w in ("w250", "w260")]
    still = np.setdiff1d(np.arange(300), moving)
    np.testing.assert_allclose(ce.xy_a[still], ce.xy_b[still], atol=1e-5)  # one frame: no move
    assert np.linalg.norm(ce.xy_a[moving] - ce.xy_b[moving], axis=1).min() > 1e-3
    assert set(ce.moved[:2]) == {"w250", "w260"}
    table = ce.table
    assert list(table.columns) == ["word", "overlap", "displacement", "rank"]
    assert set(table.word[:2]) == {"w250", "w260"} and table.displacement[2] < 1e-5
    # the same figures as compare_runs, for the plotted words
    full = w2v.compare_runs(a, b, k=10, n_fit=200).set_index("word").loc[table.word]
    np.testing.assert_allclose(full.displacement, table.displacement, atol=1e-6)
    np.testing.assert_allclose(full.overlap, table.overlap)
    # colours: the moved words share few neighbours (red), unchanged words all (green)
    codes = dict(zip(ce.words, ce._codes.tolist(), strict=True))
    assert codes["w250"] == 0 and codes["paris"] == 4
    assert ce._summary["shared"] == 400 and ce._summary["only_a"] == 0


def test_the_slider_positions_interpolate_between_the_runs():
    a, b = _runs(200)
    ce = CompareExplorer(a, b, n_words=100)
    ce.t = 0.25
    np.testing.assert_allclose(ce.positions, 0.75 * ce.xy_a + 0.25 * ce.xy_b, atol=1e-6)
    with pytest.raises(ConfigError, match="between 0"):
        ce.t = 1.5


def test_overlap_colors_and_legend_by_hand():
    coloring = by_overlap(np.array([0.0, 0.2, 0.3, 0.5, 0.6, 0.8, 0.9, 1.0]), k=10)
    assert coloring.codes.tolist() == [0, 0, 1, 2, 2, 3, 4, 4]
    labels = [item["label"] for item in coloring.legend]
    assert labels == ["0–2 of 10 shared", "3–4", "5–6", "7–8", "9–10: stable"]
    two = by_overlap(np.array([0.0, 0.5, 1.0]), k=2)  # only the bins a count can reach
    assert two.codes.tolist() == [0, 2, 4]
    assert [(i["label"], i["color"]) for i in two.legend] == [
        ("0 of 2 shared", 0), ("1", 2), ("2: stable", 4),
    ]  # fmt: skip


def test_hover_query_answers_both_full_spaces_with_the_message_id():
    a = demo_vectors(300)
    words = [*a.index_to_key[:250], "only_b"]
    vectors = np.vstack([a.vectors[:250], np.ones((1, a.vector_size), np.float32)])
    b = w2v.WordVectors(words, vectors)
    ce = CompareExplorer(a, b, n_words=100)
    reply = ce._queries.handle({"id": "q7", "type": "neighbours", "word": "paris", "k": 3, "reason": "hover"})
    assert reply["id"] == "q7"
    result = reply["result"]
    assert [i["word"] for i in result["a"]] == [w for w, _ in a.most_similar("paris", topn=3)]
    assert [i["word"] for i in result["b"]] == [w for w, _ in b.most_similar("paris", topn=3)]
    assert result["a"][0]["point"] == ce.words.index(result["a"][0]["word"])
    # a word only one run has: null on the other side; neither: an error with suggestions
    far = ce._queries.handle({"id": "q8", "type": "neighbours", "word": a.index_to_key[290], "k": 2})[
        "result"
    ]
    assert (
        far["b"] is None
        and len(far["a"]) == 2
        and all(i["point"] == -1 or i["point"] < 100 for i in far["a"])
    )
    bad = ce._queries.handle({"id": "q9", "type": "neighbours", "word": "pari", "k": 2})
    assert bad["id"] == "q9" and "paris" in bad["suggestions"]
    assert "unknown query type" in ce._queries.handle({"id": "q10", "type": "add", "word": "x"})["error"]
    assert ce.neighbours("only_b", 2)["a"] is None


def test_on_hover_callback_gets_both_lists():
    a, b = _runs(200)
    ce = CompareExplorer(a, b, n_words=100)
    seen = []
    ce.on_hover(seen.append)
    query = {"type": "neighbours", "word": "king", "k": 2}
    ce._messages.receive(ce, {**query, "id": "h1", "reason": "hover"}, [])
    ce._messages.receive(ce, {**query, "id": "h2", "reason": "focus"}, [])
    assert len(seen) == 1 and seen[0]["word"] == "king"
    assert [w for w, _ in seen[0]["a"]] == [w for w, _ in seen[0]["b"]]


def test_a_storm_of_hovers_on_the_channel_is_coalesced_and_every_id_answered_once():
    a, b = _runs(200)
    ce = CompareExplorer(a, b, n_words=100)
    sent, seen = [], []
    ce.send = sent.append
    ce.on_hover(seen.append)
    for i in range(30):
        hover = {"id": f"h{i}", "type": "neighbours", "word": f"w{i}", "k": 2, "reason": "hover"}
        ce._messages.receive(ce, {**hover, "channel": "neighbours"}, [])
    assert ce._messages.dispatcher.flush(10)
    assert sorted(r["id"] for r in sent) == sorted(f"h{i}" for i in range(30))
    computed = [r for r in sent if "result" in r]
    assert computed[-1]["result"]["word"] == "w29" and len(seen) == len(computed) < 30
    ce.close()
    assert not ce._messages.dispatcher.running


def test_seeds_settings_checkpoints_and_gensim(tmp_path):
    gensim_models = pytest.importorskip("gensim.models")
    from tests.support.models import small_model

    texts = [["the", "cat", "sat", "on", "the", "mat", "the"], ["a", "dog", "sat", "on", "a", "log"]] * 40
    corpus = w2v.Corpus.from_texts(texts)
    one, two = small_model(seed=1).fit(corpus), small_model(seed=2).fit(corpus)  # two seeds
    ce = CompareExplorer(one, two, k=2)
    assert set(ce.words) == set(one.wv.index_to_key) and ce._names == ["a", "b"]
    wide = small_model(seed=1, window=10, sample=1e-3).fit(corpus)  # two settings
    assert len(CompareExplorer(small_model(seed=1, window=2).fit(corpus), wide, k=2).words) == len(one.wv)
    one.save(tmp_path / "seed1.w2v")  # a checkpoint path
    ce = CompareExplorer(tmp_path / "seed1.w2v", two, k=2)
    assert ce._names == ["seed1.w2v", "b"]
    np.testing.assert_allclose(ce.xy_a, CompareExplorer(one, two, k=2).xy_a, atol=1e-5)
    theirs = gensim_models.Word2Vec(texts, vector_size=16, window=3, min_count=1, seed=1, workers=1, epochs=2)
    ce = CompareExplorer(one, theirs.wv, k=2, names=("ours", "gensim"))  # gensim's KeyedVectors
    assert ce._names == ["ours", "gensim"] and set(ce.words) == set(theirs.wv.index_to_key)
    assert ce.words[0] == "the"  # plotted in frequency order (our counts)
    assert CompareExplorer(theirs, one, k=2).words[0] == "the"  # gensim's counts too


def test_focus_and_bad_input_say_what_to_change():
    a, b = _runs(200)
    ce = CompareExplorer(a, b, n_words=50)
    ce.focus("paris")
    assert ce._focus["word"] == "paris"
    with pytest.raises(ConfigError, match="not plotted"):
        ce.focus("w150")
    with pytest.raises(UnknownWordError):
        ce.focus("no-such-word")
    with pytest.raises(ConfigError, match="n_words"):
        CompareExplorer(a, b, n_words=1)
    with pytest.raises(ConfigError, match="k must be"):
        CompareExplorer(a, b, k=0)
    with pytest.raises(ConfigError, match="names must be two strings"):
        CompareExplorer(a, b, names=("x",))
    with pytest.raises(ConfigError, match="share 0 word"):
        CompareExplorer(a, w2v.WordVectors(["x", "y"], np.eye(2)))
    with pytest.raises(ConfigError, match="checkpoint path"):
        CompareExplorer(a, [[1.0, 2.0]])
    assert "mean overlap" in repr(ce)


def test_standalone_page_embeds_both_runs_and_keeps_words_inert(tmp_path):
    a, b = _runs(300)
    ce = CompareExplorer(a, b, n_words=200, names=(EVIL, "b"))
    path = ce.save_html(tmp_path / "compare.html", max_vocab=250)
    page = path.read_text(encoding="utf-8")
    assert '"mountCompareStandalone"' in page
    for word in HOSTILE:
        assert word not in page or not re.search(r"[<>&]", word)  # markup characters escaped
    data = page.split('id="w2v-explorer-data">', 1)[1].split("</script>", 1)[0]
    payload = json.loads(data)
    assert payload["kind"] == "compare" and len(payload["runs"]) == 2
    assert payload["state"]["_names"] == [EVIL, "b"] and payload["state"]["_words"] == ce.words
    assert len(payload["runs"][0]["words"]) == 250 and payload["runs"][0]["dim"] == a.vector_size

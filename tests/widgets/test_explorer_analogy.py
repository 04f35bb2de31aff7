"""The explorer's analogies (``ex.show_analogy``, the ``analogy`` query): answers equal gensim's
``most_similar``/``most_similar_cosmul`` on the same vectors, the question words kept in or left
out, and the answer vector's place on the map: PCA by hand, t-SNE-like layouts by neighbours."""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.hostile import EVIL, HOSTILE
from tests.support.vectors import demo_vectors
from w2v_widgets.errors import UnknownWordError
from w2v_widgets.vectors.analogies import ranked
from w2v_widgets.widgets.explorer import EmbeddingExplorer
from w2v_widgets.widgets.explorer.placement import affine_map

K = 8


@pytest.fixture(scope="module")
def wv():
    return demo_vectors(400, dim=24)


@pytest.fixture
def pca_map(wv):
    ex = EmbeddingExplorer(wv, n_words=300, projection="pca")
    yield ex
    ex.close()


def ask(ex: EmbeddingExplorer, **content) -> dict:
    reply = ex._queries.handle({"id": "t", "type": "analogy", **content})
    assert reply["id"] == "t"
    return reply


def gensim_of(wv) -> KeyedVectors:
    kv = KeyedVectors(wv.vector_size)
    kv.add_vectors(wv.index_to_key, wv.vectors)
    return kv


@pytest.mark.parametrize(
    "question", [("king", "man", "woman"), ("paris", "london", "w7"), ("w3", "w5", "w9")]
)
def test_answers_equal_gensims_most_similar_and_cosmul(pca_map, wv, question):
    a, b, c = question
    result = ask(pca_map, a=a, b=b, c=c, k=K)["result"]
    kv = gensim_of(wv)
    expected = {
        "3CosAdd": kv.most_similar(positive=[a, c], negative=[b], topn=K),
        "3CosMul": kv.most_similar_cosmul(positive=[a, c], negative=[b], topn=K),
    }
    for method, pairs in expected.items():
        items = result["answers"][method]["excluded"]
        assert [it["word"] for it in items] == [w for w, _ in pairs]
        np.testing.assert_allclose([it["score"] for it in items], [s for _, s in pairs], atol=1e-5)
    if a == "king":
        assert result["answers"]["3CosAdd"]["excluded"][0]["word"] == "queen"
    assert result["dim"] == 24 and (result["a"], result["b"], result["c"]) == question


def test_with_the_question_words_kept_in_a_question_word_often_wins():
    # random words in 200 dimensions: w3 - w5 + w9 stays closest to w3 and w9 themselves
    # (cosine about 1/sqrt(3), against about 0 +- 0.07 for the other words)
    wv = demo_vectors(300, dim=200)
    ex = EmbeddingExplorer(wv, n_words=300, projection="pca")
    result = ask(ex, a="w3", b="w5", c="w9", k=K)["result"]
    ex.close()
    included = [it["word"] for it in result["answers"]["3CosAdd"]["included"]]
    excluded = [it["word"] for it in result["answers"]["3CosAdd"]["excluded"]]
    assert set(included[:2]) == {"w3", "w9"}
    assert result["answers"]["3CosMul"]["included"][0]["word"] in {"w3", "w9"}
    assert not {"w3", "w5", "w9"} & set(excluded)
    # the kept-in list is the full ranking: the left-out list is it without the question words
    full = [w for w in included if w not in {"w3", "w5", "w9"}]
    assert excluded[: len(full)] == full
    # by hand: cosine of the winner with unit(â - b̂ + ĉ)
    u = {w: wv.get_vector(w, norm=True).astype(np.float64) for w in ("w3", "w5", "w9")}
    t = u["w3"] - u["w5"] + u["w9"]
    top = result["answers"]["3CosAdd"]["included"][0]
    assert top["score"] == pytest.approx(u[top["word"]] @ t / np.linalg.norm(t), abs=1e-5)


def test_on_a_pca_map_the_answer_vector_is_projected_exactly_as_by_hand(pca_map, wv):
    result = ask(pca_map, a="king", b="man", c="woman")["result"]
    assert result["placement"] == "linear"
    # PCA by hand: centred unit rows, top two right singular vectors, largest loading positive,
    # then the layout's normalisation (centre, 98th percentile of |coordinate| = 1)
    unit = np.array([wv.get_vector(w, norm=True) for w in pca_map.words], dtype=np.float64)
    mean = unit.mean(axis=0)
    _, _, vt = np.linalg.svd(unit - mean, full_matrices=False)
    comps = vt[:2] * np.sign(vt[:2][np.arange(2), np.abs(vt[:2]).argmax(axis=1)])[:, None]
    raw = (unit - mean) @ comps.T
    centre, scale = raw.mean(axis=0), np.percentile(np.abs(raw - raw.mean(axis=0)), 98)
    np.testing.assert_allclose((raw - centre) / scale, pca_map.xy, atol=1e-4)  # the same map
    v = wv.get_vector("king", norm=True) - wv.get_vector("man", norm=True) + wv.get_vector("woman", norm=True)
    by_hand = ((v - mean) @ comps.T - centre) / scale
    np.testing.assert_allclose(result["target"], by_hand, atol=1e-4)
    # weights 1 - 1 + 1: the parallelogram's fourth corner, exactly
    xy = {w: pca_map.xy[pca_map.words.index(w)] for w in ("king", "man", "woman")}
    np.testing.assert_allclose(result["target"], xy["king"] - xy["man"] + xy["woman"], atol=1e-4)


def test_a_rotated_and_shifted_pca_map_is_still_linear_and_a_tsne_like_one_is_not(wv):
    unit = wv.get_normed_vectors()[:300].astype(np.float64)
    rng = np.random.default_rng(1)
    w = rng.normal(size=(24, 2))
    assert affine_map(unit, unit @ w + [3, -2]) is not None
    bent = unit @ w
    bent[:, 0] = np.tanh(3 * bent[:, 0])
    assert affine_map(unit, bent) is None
    assert affine_map(unit[:20], unit[:20] @ w) is None  # too few words to tell


def test_on_a_nonlinear_map_the_vector_sits_at_its_nearest_plotted_words(wv):
    layout = np.random.default_rng(0).normal(size=(300, 2))
    ex = EmbeddingExplorer(wv, n_words=300, projection=layout)
    try:
        result = ask(ex, a="king", b="man", c="woman")["result"]
        assert result["placement"] == "neighbours"
        u = wv.get_normed_vectors()[:300].astype(np.float64)
        t = (
            wv.get_vector("king", norm=True)
            - wv.get_vector("man", norm=True)
            + wv.get_vector("woman", norm=True)
        )
        scores = u @ (t / np.linalg.norm(t))
        best = np.argsort(-scores, kind="stable")[:5]
        xy = ex.xy.astype(np.float64)
        expected = (scores[best, None] * xy[best]).sum(axis=0) / scores[best].sum()
        np.testing.assert_allclose(result["target"], expected, atol=1e-5)
    finally:
        ex.close()


def test_show_analogy_plots_the_words_sets_the_page_state_and_returns_a_table(wv):
    ex = EmbeddingExplorer(wv, n_words=50, projection="pca")
    try:
        assert "w300" not in ex.words
        table = ex.show_analogy("w300", "man", "woman", k=5, exclude_inputs=False)
        assert "w300" in ex.words  # plotted, so its arrow can be drawn
        assert ex._analogy == {"a": "w300", "b": "man", "c": "woman", "k": 5, "exclude": False, "seq": 1}
        assert list(table.columns) == ["method", "excluded", "rank", "word", "score"]
        assert len(table) == 20 and set(table.method) == {"3CosAdd", "3CosMul"}
        ex.show_analogy("king", "man", "woman")
        assert ex._analogy["seq"] == 2 and ex._analogy["k"] == ex.k
        with pytest.raises(UnknownWordError):
            ex.show_analogy("king", "man", "wmoan")
        assert ex._analogy["c"] == "woman"  # nothing changed
    finally:
        ex.close()


def test_bad_requests_are_answered_with_errors_and_hostile_words_come_back_as_data(pca_map):
    reply = ask(pca_map, a="king", b="man", c="qeen")
    assert "not in the vocabulary" in reply["error"] and "queen" in reply["suggestions"]
    assert "three words" in ask(pca_map, a="king", b=None, c="woman")["error"]
    assert "three words" in ask(pca_map, a=["king"], b="man", c="woman")["error"]
    result = ask(pca_map, a=EVIL, b=HOSTILE[1], c="woman", k=300)["result"]
    assert result["a"] == EVIL and len(result["answers"]["3CosMul"]["included"]) == 200  # k capped


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([0.0, 0.5, 1.0, -1.0, float("nan"), 2.0]), min_size=1, max_size=30),
    st.integers(0, 35),
    st.lists(st.integers(0, 29), max_size=4),
)
def test_ranked_is_the_stable_full_sort(scores, n, exclude):
    scores = np.array(scores)
    exclude = [i for i in exclude if i < len(scores)]
    order, values = ranked(scores, exclude, n)
    masked = scores.copy()
    masked[exclude] = -np.inf
    keep = [
        i for i in np.argsort(-np.nan_to_num(masked, nan=-np.inf), kind="stable") if np.isfinite(masked[i])
    ]
    assert order.tolist() == keep[:n]
    np.testing.assert_array_equal(values, masked[keep[:n]])

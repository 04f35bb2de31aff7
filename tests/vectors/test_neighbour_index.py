"""The int8 neighbour index (issue 30): same answers as the exact search, built in the background,
exact until then; the explorer's hover uses it for large vocabularies."""

from __future__ import annotations

import numpy as np
import pytest

from w2v_widgets.vectors import WordVectors
from w2v_widgets.vectors import index as neighbour_index
from w2v_widgets.vectors.index import QuantisedNeighbours, neighbour_index_for
from w2v_widgets.widgets.explorer.queries import QueryHandler


@pytest.fixture(scope="module")
def wv():
    rng = np.random.default_rng(0)
    n, d = 4000, 64
    vectors = rng.standard_normal((n, d)).astype(np.float32)
    vectors[7] = 0  # a zero vector: answers, with zero scores
    return WordVectors([f"w{i}" for i in range(n)], vectors)


def test_matches_the_exact_top_10_with_exact_scores(wv):
    index = QuantisedNeighbours(wv.get_normed_vectors(), threads=2)
    assert index.nearest(wv.get_normed_vectors()[0], 10) is None  # not built: callers answer exactly
    index.build()
    assert index.ready and index.nbytes == 4000 * 64 + 4000 * 4
    hits = []
    for i in range(0, 4000, 97):
        got, scores = index.nearest(wv.get_normed_vectors()[i], 10, exclude=i)
        exact_idx, _ = wv.nearest(np.array([i]), 10)
        assert i not in got.tolist() and len(got) == 10
        np.testing.assert_allclose(
            scores, wv.get_normed_vectors()[got] @ wv.get_normed_vectors()[i], rtol=1e-5
        )
        assert (np.diff(scores) <= 1e-7).all()
        hits.append(len(set(got.tolist()) & set(exact_idx[0].tolist())) / 10)
    assert np.mean(hits) >= 0.99
    got, scores = index.nearest(wv.get_normed_vectors()[7], 5, exclude=7)
    assert len(got) == 5 and (scores == 0).all()


def test_built_in_the_background_only_for_large_vocabularies(wv, monkeypatch):
    assert neighbour_index_for(wv) is None
    monkeypatch.setattr(neighbour_index, "QUANTISE_FROM", 1000)
    background = neighbour_index_for(wv)
    assert background is not None and background.wait(60) and background.error is None
    handler = QueryHandler(wv, {"w1": 0}, add=lambda word: -1, index=background)
    exact = QueryHandler(wv, {"w1": 0}, add=lambda word: -1)
    for word in ["w0", "w5", "w3999"]:
        ours = handler.handle({"id": "a", "type": "neighbours", "word": word, "k": 10})["result"]["items"]
        theirs = exact.handle({"id": "a", "type": "neighbours", "word": word, "k": 10})["result"]["items"]
        assert [it["word"] for it in ours] == [it["word"] for it in theirs]
        np.testing.assert_allclose([it["score"] for it in ours], [it["score"] for it in theirs], rtol=1e-5)


def test_explorer_hover_uses_the_index(wv, monkeypatch):
    from w2v_widgets.widgets.explorer import EmbeddingExplorer

    monkeypatch.setattr(neighbour_index, "QUANTISE_FROM", 1000)
    ex = EmbeddingExplorer(wv, n_words=300, projection="pca")
    try:
        assert ex._queries.index is not None and ex._queries.index.wait(60)
        exact_idx, _ = wv.nearest(np.array([wv.get_index("w11")]), 10)
        assert [w for w, _ in ex.neighbours("w11", 10)] == [wv.index_to_key[i] for i in exact_idx[0]]
    finally:
        ex.close()

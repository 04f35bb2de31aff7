"""The sign-sketch neighbour index (issue 30): its bit counts and candidate choice checked against
numpy, the same answers as the exact search when every row is a candidate, a high recall with few
candidates on vectors with structure, built in the background (exact until then), its threads
ended by close; the explorer's hover uses it for large vocabularies and closes it."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from w2v_widgets.vectors import WordVectors
from w2v_widgets.vectors import index as neighbour_index
from w2v_widgets.vectors.index import SketchNeighbours, _hamming_rows, _rows_within, neighbour_index_for
from w2v_widgets.widgets.explorer.queries import QueryHandler


@pytest.fixture(scope="module")
def wv():
    rng = np.random.default_rng(0)
    n, d = 4000, 64
    vectors = rng.standard_normal((n, d)).astype(np.float32)
    vectors[7] = 0  # a zero vector: answers, with zero scores
    return WordVectors([f"w{i}" for i in range(n)], vectors)


def test_bit_counts_and_candidates_match_numpy():
    rng = np.random.default_rng(3)
    sketch = rng.integers(0, 2**63, (500, 4), dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    query = sketch[17] ^ np.uint64(0xF0F0)
    out = np.empty(500, np.uint16)
    counts = np.zeros(258, np.int64)
    _hamming_rows(sketch, query, out, counts, 0, 500)
    expected = np.bitwise_count(sketch ^ query).sum(axis=1)
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(counts, np.bincount(expected, minlength=258))
    assert out[17] == 4 * 8  # 8 bits flipped in each of its 4 words
    want = 60
    cut = int(np.searchsorted(np.cumsum(counts), want))
    found = _rows_within(out, cut, want)
    assert len(found) == want and (np.diff(found) > 0).all()
    assert np.sort(out[found]).tolist() == np.sort(out)[:want].tolist()  # the 60 nearest by bits


def test_every_row_a_candidate_gives_the_exact_top_10_with_exact_scores(wv):
    unit = wv.get_normed_vectors()
    index = SketchNeighbours(unit, bits=128, candidates=len(unit), threads=2)
    assert index.nearest(unit[0], 10) is None  # not built: callers answer exactly
    index.build()
    assert index.ready and index.nbytes == 4000 * 16 + 64 * 128 * 4
    for i in range(0, 4000, 97):
        got, scores = index.nearest(unit[i], 10, exclude=i)
        exact_idx, exact_scores = wv.nearest(np.array([i]), 10)
        assert got.tolist() == exact_idx[0].tolist()
        np.testing.assert_allclose(scores, exact_scores[0], rtol=1e-5, atol=1e-6)
    got, scores = index.nearest(unit[7], 5, exclude=7)
    assert len(got) == 5 and 7 not in got.tolist() and (scores == 0).all()
    index.close()


def test_few_candidates_keep_the_exact_neighbours_of_structured_vectors():
    rng = np.random.default_rng(1)
    centres = rng.standard_normal((200, 64)).astype(np.float32)
    vectors = centres[np.arange(6000) % 200] + 0.6 * rng.standard_normal((6000, 64)).astype(np.float32)
    wv = WordVectors([f"w{i}" for i in range(6000)], vectors)
    index = SketchNeighbours(wv.get_normed_vectors(), bits=256, candidates=300, threads=2).build()
    hits = []
    for i in range(0, 6000, 61):
        got, _ = index.nearest(wv.get_normed_vectors()[i], 10, exclude=i)
        hits.append(len(set(got.tolist()) & set(wv.nearest(np.array([i]), 10)[0][0].tolist())) / 10)
    assert np.mean(hits) >= 0.95  # 300 of 6,000 rows re-ranked
    index.close()


def test_close_ends_the_threads_and_queries_get_none(wv):
    unit = wv.get_normed_vectors()
    index = SketchNeighbours(unit, bits=64, threads=2).build()
    assert index.nearest(unit[1], 3) is not None
    pool_threads = [t for t in threading.enumerate() if t.name.startswith("w2v-neighbours")]
    assert pool_threads
    index.close()
    for thread in pool_threads:
        thread.join(10)
    assert index.closed and not any(t.is_alive() for t in pool_threads)
    assert index.nearest(unit[1], 3) is None
    with pytest.raises(ValueError, match="multiple of 64"):
        SketchNeighbours(unit, bits=100)


def test_built_in_the_background_only_for_large_vocabularies(wv, monkeypatch):
    assert neighbour_index_for(wv) is None
    monkeypatch.setattr(neighbour_index, "INDEX_FROM", 1000)
    background = neighbour_index_for(wv)
    assert background is not None and background.wait(60) and background.error is None
    handler = QueryHandler(wv, {"w1": 0}, add=lambda word: -1, index=background)
    exact = QueryHandler(wv, {"w1": 0}, add=lambda word: -1)
    for word in ["w0", "w5", "w3999"]:  # 8,192 candidates by default: every row of 4,000
        ours = handler.handle({"id": "a", "type": "neighbours", "word": word, "k": 10})["result"]["items"]
        theirs = exact.handle({"id": "a", "type": "neighbours", "word": word, "k": 10})["result"]["items"]
        assert [it["word"] for it in ours] == [it["word"] for it in theirs]
        np.testing.assert_allclose([it["score"] for it in ours], [it["score"] for it in theirs], rtol=1e-5)
    background.close()


def test_explorer_hover_uses_the_index_and_close_ends_it(wv, monkeypatch):
    from w2v_widgets.widgets.explorer import EmbeddingExplorer

    monkeypatch.setattr(neighbour_index, "INDEX_FROM", 1000)
    ex = EmbeddingExplorer(wv, n_words=300, projection="pca")
    try:
        index = ex._queries.index
        assert index is not None and index.wait(60)
        exact_idx, _ = wv.nearest(np.array([wv.get_index("w11")]), 10)
        assert [w for w, _ in ex.neighbours("w11", 10)] == [wv.index_to_key[i] for i in exact_idx[0]]
    finally:
        ex.close()
    assert index.closed

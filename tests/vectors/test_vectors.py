"""WordVectors: hand-computed cosines, gensim KeyedVectors parity, batched queries, errors."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import torch

from w2v_widgets.errors import ConfigError, UnknownWordError
from w2v_widgets.vectors import WordVectors

gensim_kv = pytest.importorskip("gensim.models.keyedvectors")

TINY_WORDS = ["a", "b", "c", "z"]
TINY_VECTORS = [[1.0, 0.0], [1.0, 1.0], [0.0, 2.0], [0.0, 0.0]]


@pytest.fixture
def tiny() -> WordVectors:
    return WordVectors(TINY_WORDS, np.array(TINY_VECTORS), counts=[5, 7, 1, 3])


@pytest.fixture(scope="module")
def random_pair() -> tuple[WordVectors, object]:
    rng = np.random.default_rng(42)
    words = [f"w{i}" for i in range(1500)] + ["king", "queen", "man", "woman", "King", "kingdom"]
    vectors = rng.standard_normal((len(words), 24)).astype(np.float32)
    kv = gensim_kv.KeyedVectors(24)
    kv.add_vectors(words, vectors)
    return WordVectors(words, vectors), kv


def assert_same_ranking(ours, theirs, tol=1e-5):
    assert [w for w, _ in ours] == [w for w, _ in theirs]
    np.testing.assert_allclose([s for _, s in ours], [s for _, s in theirs], atol=tol)


# ---------------------------------------------------------------------- hand-computed values
def test_cosine_by_hand(tiny):
    assert tiny.similarity("a", "b") == pytest.approx(1 / math.sqrt(2), abs=1e-7)
    assert tiny.similarity("a", "c") == pytest.approx(0.0, abs=1e-7)
    assert tiny.similarity("b", "c") == pytest.approx(2 / (math.sqrt(2) * 2), abs=1e-7)
    assert tiny.distance("a", "b") == pytest.approx(1 - 1 / math.sqrt(2), abs=1e-7)
    # mean of a and c is (0.5, 1); with b = (1, 1): 1.5 / (sqrt(1.25) * sqrt(2))
    assert tiny.n_similarity(["a", "c"], ["b"]) == pytest.approx(1.5 / math.sqrt(2.5), abs=1e-6)
    assert tiny.get_vector("c", norm=True).tolist() == [0.0, 1.0]


def test_zero_vector_gives_zero_not_nan(tiny):
    assert tiny.similarity("a", "z") == 0.0
    result = tiny.most_similar("a", topn=3)
    assert result[0] == ("b", pytest.approx(1 / math.sqrt(2), abs=1e-6))
    assert not any(math.isnan(s) for _, s in result)
    sims = tiny.most_similar("z", topn=None)
    assert np.isfinite(sims).all() and (sims == 0).all()
    _, scores = tiny.nearest(np.zeros(2, dtype=np.float32), k=4)
    assert np.isfinite(scores).all()
    assert tiny.get_vector("z", norm=True).tolist() == [0.0, 0.0]


def test_container_surface(tiny):
    assert len(tiny) == 4 and "b" in tiny and "y" not in tiny and 3 not in tiny
    assert list(tiny) == TINY_WORDS
    assert tiny.index_to_key == TINY_WORDS
    assert tiny.key_to_index == {"a": 0, "b": 1, "c": 2, "z": 3}
    assert tiny.vector_size == 2
    assert tiny.vectors.dtype == np.float32 and tiny.vectors.shape == (4, 2)
    assert tiny.counts.tolist() == [5, 7, 1, 3]
    assert tiny["b"].tolist() == [1.0, 1.0]
    assert tiny[["c", "a"]].tolist() == [[0.0, 2.0], [1.0, 0.0]]
    assert tiny[[]].shape == (0, 2)
    assert tiny[1].tolist() == [1.0, 1.0]
    with pytest.raises(ValueError):
        tiny["a"][0] = 5.0  # views handed out are read-only, as in gensim
    normed = tiny.get_normed_vectors()
    assert np.shares_memory(normed, tiny.get_normed_vectors())  # cached, not recomputed
    assert not normed.flags.writeable
    tiny.vectors[0] = [3.0, 4.0]
    tiny.fill_norms(force=True)  # after editing vectors in place, as in gensim
    np.testing.assert_allclose(tiny.get_vector("a", norm=True), [0.6, 0.8])
    assert "4 words x 2 dimensions" in repr(tiny)
    assert WordVectors(TINY_WORDS, TINY_VECTORS).counts is None


def test_torch_input_is_copied_to_float32_numpy():
    tensor = torch.arange(6, dtype=torch.float64).reshape(3, 2)
    wv = WordVectors(["x", "y", "z"], tensor, counts=torch.tensor([3, 2, 1]))
    tensor[0, 0] = 100.0
    assert isinstance(wv.vectors, np.ndarray) and wv.vectors.dtype == np.float32
    assert wv["x"].tolist() == [0.0, 1.0]
    assert wv.counts.tolist() == [3, 2, 1]
    assert WordVectors(["x"], torch.ones(1, 3, dtype=torch.bfloat16)).vectors.tolist() == [[1, 1, 1]]


@pytest.mark.parametrize(
    ("words", "vectors", "counts", "message"),
    [
        (["a", "b", "a"], np.ones((3, 2)), None, "unique; repeated: 'a'"),
        (["a", "b"], np.ones((3, 2)), None, "2 words but 3 vectors"),
        (["a", "b"], [[1.0, float("nan")], [1, 1]], None, "NaN or infinity (first: 'a'"),
        (["a", "b"], [[1.0, 1.0], [1, float("inf")]], None, "NaN or infinity (first: 'b'"),
        ([], np.ones((0, 2)), None, "no words given"),
        (["a", "b"], np.ones((2, 0)), None, "0 dimensions"),
        (["a", "b"], np.ones(2), None, "2-D array"),
        (["a", 3], np.ones((2, 2)), None, "item 1 is int"),
        (["a", ""], np.ones((2, 2)), None, "empty string"),
        ("ab", np.ones((2, 2)), None, "not one string"),
        (["a", "b"], [["x", "y"], ["1", "2"]], None, "2-D array of numbers"),
        (["a", "b"], np.ones((2, 2)), [1], "one number per word"),
        (["a", "b"], np.ones((2, 2)), [1, -1], ">= 0"),
        (["a", "b"], np.ones((2, 2)), [1.5, 2], "whole numbers"),
        (["a", "b"], np.ones((2, 2)), {"a": 1}, "no entry for 1 words (first: 'b')"),
    ],
)
def test_invalid_inputs_are_config_errors(words, vectors, counts, message):
    with pytest.raises(ConfigError) as info:
        WordVectors(words, vectors, counts=counts)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_counts_mapping_is_aligned():
    wv = WordVectors(["a", "b"], np.eye(2), counts={"b": 2, "a": 9, "other": 1})
    assert wv.counts.tolist() == [9, 2]


# ---------------------------------------------------------------------- gensim parity
@pytest.mark.parametrize(
    "query",
    [
        {"positive": "king"},
        {"positive": ["king"], "topn": 3},
        {"positive": ["king", "woman"], "negative": ["man"], "topn": 5},
        {"positive": ["king", "woman"], "negative": "man", "restrict_vocab": 500},
        {"positive": [("king", 2.0), "woman"], "negative": [("man", -0.5)], "topn": 7},
        {"negative": ["queen"], "topn": 4},
        {"positive": ["w1", "w2", "w3"], "topn": 20},
        {"positive": ["King"], "topn": 1000},
    ],
)
def test_most_similar_equals_gensim(random_pair, query):
    wv, kv = random_pair
    assert_same_ranking(wv.most_similar(**query), kv.most_similar(**query))


def test_most_similar_full_array_and_vectors_equal_gensim(random_pair):
    wv, kv = random_pair
    np.testing.assert_allclose(
        wv.most_similar("queen", topn=None), kv.most_similar("queen", topn=None), atol=1e-6
    )
    np.testing.assert_allclose(
        wv.most_similar("queen", topn=None, restrict_vocab=100),
        kv.most_similar("queen", topn=None, restrict_vocab=100),
        atol=1e-6,
    )
    vec = kv["king"] - kv["man"] + 0.5 * kv["woman"]
    assert_same_ranking(wv.similar_by_vector(vec, topn=8), kv.similar_by_vector(vec, topn=8))
    assert_same_ranking(
        wv.most_similar(positive=[vec, "queen"], topn=8),
        kv.most_similar(positive=[vec, "queen"], topn=8),
    )
    assert_same_ranking(
        wv.similar_by_vector(torch.from_numpy(vec), topn=3), kv.similar_by_vector(vec, topn=3)
    )
    assert_same_ranking(wv.similar_by_word("king", topn=5), kv.similar_by_word("king", topn=5))
    assert wv.most_similar("king", topn=0) == []


@pytest.mark.parametrize(
    "query",
    [
        {"positive": ["king", "woman"], "negative": ["man"], "topn": 6},
        {"positive": "queen", "topn": 4},
        {"positive": ["w10", "w20"], "negative": ["w30", "w40"]},
    ],
)
def test_most_similar_cosmul_equals_gensim(random_pair, query):
    wv, kv = random_pair
    assert_same_ranking(wv.most_similar_cosmul(**query), kv.most_similar_cosmul(**query))


def test_other_queries_equal_gensim(random_pair):
    wv, kv = random_pair
    rng = np.random.default_rng(0)
    for _ in range(20):
        group = [f"w{i}" for i in rng.choice(1500, size=5, replace=False)]
        assert wv.doesnt_match(group) == kv.doesnt_match(group)
        assert wv.rank(group[0], group[1]) == kv.rank(group[0], group[1])
        assert wv.similarity(group[0], group[1]) == pytest.approx(
            float(kv.similarity(group[0], group[1])), abs=1e-6
        )
        assert wv.n_similarity(group[:2], group[2:]) == pytest.approx(
            float(kv.n_similarity(group[:2], group[2:])), abs=1e-6
        )
    ours = wv.rank_by_centrality(["king", "queen", "man", "w5"])
    theirs = kv.rank_by_centrality(["king", "queen", "man", "w5"])
    assert [w for _, w in ours] == [w for _, w in theirs]
    np.testing.assert_allclose(wv.get_vector("king", norm=True), kv.get_vector("king", norm=True))
    np.testing.assert_allclose(wv.get_normed_vectors(), kv.get_normed_vectors(), atol=1e-6)


def test_doesnt_match_skips_unknown_words_with_a_warning(random_pair):
    wv, kv = random_pair
    with pytest.warns(UserWarning, match="nope"):
        assert wv.doesnt_match(["king", "queen", "nope", "w3"]) == kv.doesnt_match(["king", "queen", "w3"])
    with pytest.raises(ValueError, match="none of the given words"), pytest.warns(UserWarning):
        wv.doesnt_match(["nope"])


# ---------------------------------------------------------------------- errors
def test_unknown_word_suggests_close_matches(random_pair):
    wv, _ = random_pair
    with pytest.raises(UnknownWordError) as info:
        wv["kign"]
    assert info.value.word == "kign" and "king" in info.value.suggestions
    assert "did you mean 'king'" in str(info.value)
    assert isinstance(info.value, KeyError)
    with pytest.raises(UnknownWordError) as info:
        wv.most_similar(positive=["KING", "woman"])
    assert info.value.suggestions[:2] == ["king", "King"]
    with pytest.raises(UnknownWordError) as info:
        wv.similarity("queen", "qveen")
    assert info.value.suggestions[0] == "queen"
    with pytest.raises(UnknownWordError) as info:
        wv.neighbours(["king", "zzzzzzzzzz"])
    assert info.value.suggestions == []
    with pytest.raises(UnknownWordError):
        wv.n_similarity(["king"], ["missing"])


def test_suggestions_are_fast_enough_shape_on_large_vocabularies():
    words = [f"w{i}" for i in range(100_000)]
    wv = WordVectors(words, np.ones((len(words), 2), dtype=np.float32))
    suggestions = wv.suggest("w1234x")
    assert suggestions[0] == "w1234" and len(suggestions) == 3


def test_empty_queries_raise_clear_errors(random_pair):
    wv, _ = random_pair
    with pytest.raises(ValueError, match="at least one word"):
        wv.most_similar()
    with pytest.raises(ValueError, match="at least one positive"):
        wv.most_similar_cosmul(negative=["king"])
    with pytest.raises(ValueError, match="at least one word in each list"):
        wv.n_similarity([], ["king"])
    with pytest.raises(ValueError, match="shape"):
        wv.similar_by_vector(np.ones(5))
    with pytest.raises(IndexError):
        wv.nearest([10**6])
    with pytest.raises(ValueError, match="shape"):
        wv.nearest(np.ones((2, 5)))


# ---------------------------------------------------------------------- batched queries
def test_nearest_matches_most_similar(random_pair):
    wv, kv = random_pair
    words = ["king", "queen", "w7", "w100"]
    idx, scores = wv.nearest([wv.key_to_index[w] for w in words], k=6)
    assert idx.shape == (4, 6) and idx.dtype == np.int64 and scores.dtype == np.float32
    for row, word in enumerate(words):
        expected = kv.most_similar(word, topn=6)
        assert [wv.index_to_key[i] for i in idx[row]] == [w for w, _ in expected]
        np.testing.assert_allclose(scores[row], [s for _, s in expected], atol=1e-5)
    one_idx, _ = wv.nearest(wv.key_to_index["queen"], k=6)
    assert one_idx.shape == (1, 6)
    np.testing.assert_array_equal(one_idx[0], idx[1])
    # vectors are queries as they are: the word itself comes first
    vec_idx, vec_scores = wv.nearest(wv[["king", "queen"]], k=3)
    assert vec_idx[:, 0].tolist() == [wv.key_to_index["king"], wv.key_to_index["queen"]]
    np.testing.assert_allclose(vec_scores[:, 0], 1.0, atol=1e-6)
    assert wv.nearest(wv["king"], k=1)[0].tolist() == [[wv.key_to_index["king"]]]
    with_self, _ = wv.nearest([0], k=2, exclude_self=False)
    assert with_self[0, 0] == 0
    big_idx, _ = wv.nearest([0, 1], k=10**6)
    assert big_idx.shape == (2, len(wv) - 1) and 0 not in big_idx[0] and 1 not in big_idx[1]
    empty_idx, empty_scores = wv.nearest([], k=3)
    assert empty_idx.shape == (0, 3) and empty_scores.shape == (0, 3)


def test_nearest_batches_many_queries(random_pair, monkeypatch):
    wv, _ = random_pair
    everything = np.arange(len(wv))
    idx_a, scores_a = wv.nearest(everything, k=5)
    monkeypatch.setattr("w2v_widgets.vectors.evaluation.SCORE_BLOCK", 200 * len(wv))  # 200 a block
    idx_b, scores_b = wv.nearest(everything, k=5)
    np.testing.assert_array_equal(idx_a, idx_b)
    np.testing.assert_allclose(scores_a, scores_b, atol=1e-6)
    assert (idx_a != everything[:, None]).all()
    assert (np.diff(scores_a, axis=1) <= 0).all()


def test_neighbours_dataframe(random_pair):
    wv, kv = random_pair
    frame = wv.neighbours(["king", "w5"], k=3)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["word", "rank", "neighbour", "similarity"]
    assert frame["word"].tolist() == ["king"] * 3 + ["w5"] * 3
    assert frame["rank"].tolist() == [1, 2, 3, 1, 2, 3]
    expected = kv.most_similar("king", topn=3) + kv.most_similar("w5", topn=3)
    assert frame["neighbour"].tolist() == [w for w, _ in expected]
    np.testing.assert_allclose(frame["similarity"], [s for _, s in expected], atol=1e-5)
    assert wv.neighbours("queen", k=2)["word"].tolist() == ["queen", "queen"]


# ---------------------------------------------------------------------- autocomplete
def test_complete_orders_by_count_then_index():
    words = ["the", "then", "theory", "there", "apple", "Thebes", "thé", "th"]
    wv = WordVectors(words, np.ones((8, 2)), counts=[100, 5, 5, 50, 20, 1, 7, 2])
    assert wv.complete("the") == ["the", "there", "then", "theory"]
    assert wv.complete("the", limit=2) == ["the", "there"]
    assert wv.complete("th") == ["the", "there", "thé", "then", "theory", "th"]
    assert wv.complete("thé") == ["thé"]
    assert wv.complete("x") == []
    assert wv.complete("theo") == ["theory"]
    assert wv.complete("") == ["the", "there", "apple", "thé", "then", "theory", "th", "Thebes"]
    assert wv.complete("", limit=3) == ["the", "there", "apple"]
    assert wv.complete("THE", case_sensitive=False) == ["the", "there", "then", "theory", "Thebes"]
    assert wv.complete("Th") == ["Thebes"]
    assert wv.complete("the", limit=0) == []


def test_complete_without_counts_uses_vocabulary_order():
    words = ["zeta", "zebra", "apple", "zed", "ze\U0010ffff"]
    wv = WordVectors(words, np.ones((5, 2)))
    assert wv.complete("ze") == ["zeta", "zebra", "zed", "ze\U0010ffff"]
    assert wv.complete("ze\U0010ffff") == ["ze\U0010ffff"]
    assert wv.complete("z", limit=2) == ["zeta", "zebra"]

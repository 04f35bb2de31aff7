"""AnalogyLab: 3CosAdd and 3CosMul by hand, exclusion, ranks, offsets, several models."""

from __future__ import annotations

import numpy as np
import pytest

import w2v_widgets as w2v
from tests.support.vectors import HOSTILE, demo_vectors
from w2v_widgets.widgets.teaching.analogy_lab import (
    AnalogyLab,
    analogy_scores,
    offset_cosine,
    rank_of,
    ranked,
)


def _toy() -> w2v.WordVectors:
    # a : b :: c : ?  with b - a + c = d exactly; "b" itself is close to the answer
    words = ["a", "b", "c", "d", "e"]
    vectors = np.array([[1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [0.2, 1, 0.1]], dtype=np.float32)
    return w2v.WordVectors(words, vectors)


def _unit(v):
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v)


def test_scores_by_hand():
    wv = _toy()
    unit = {w: _unit(wv[w]) for w in wv.index_to_key}
    target = _unit(unit["b"] - unit["a"] + unit["c"])
    add = analogy_scores(wv, "a", "b", "c", "3CosAdd")
    np.testing.assert_allclose(add, [unit[w] @ target for w in wv.index_to_key], atol=1e-6)

    def cos_(x, y):
        return (1 + unit[x] @ unit[y]) / 2

    mul = analogy_scores(wv, "a", "b", "c", "3CosMul")
    expected = [cos_(w, "b") * cos_(w, "c") / (cos_(w, "a") + 1e-6) for w in wv.index_to_key]
    np.testing.assert_allclose(mul, expected, rtol=1e-5)
    with pytest.raises(w2v.ConfigError, match="3CosAdd"):
        analogy_scores(wv, "a", "b", "c", "cos")


def test_ranking_with_and_without_the_question_words():
    scores = np.array([0.9, 0.8, 0.1, 0.7, 0.8])
    order, values = ranked(scores, [0], 3)
    assert order.tolist() == [1, 4, 3] and values.tolist() == [0.8, 0.8, 0.7]  # ties: vocabulary order
    assert rank_of(scores, 3, [0]) == 3 and rank_of(scores, 3, []) == 4
    assert rank_of(scores, 0, [0]) is None


def test_ask_lists_both_methods_both_ways_and_the_expected_rank():
    lab = AnalogyLab(_toy(), topn=4)
    result = lab.ask("a", "b", "c", expected="d")
    assert result.top("3CosAdd", excluded=True)[0] == "d"
    assert set(result.top("3CosAdd", True)).isdisjoint({"a", "b", "c"})
    assert len(result.top("3CosAdd", excluded=False)) == 4 and "b" in result.top("3CosAdd", False)
    assert result.expected_rank[("3CosAdd", True)] == 1
    assert set(result.answers.method) == {"3CosAdd", "3CosMul"}
    # on unit vectors b - a = (1/√2 - 1, 1/√2, 0) and d - c = (0, 1/√2, 1/√2 - 1):
    # dot 1/2, squared lengths 2 - √2 each
    assert result.offset_cosine == pytest.approx(0.5 / (2 - np.sqrt(2)), rel=1e-6)
    assert offset_cosine(lab.main, "a", "b", "c", "d") == result.offset_cosine
    assert lab.question == "a : b :: c : d"
    assert lab._inputs["a"].value == "a" and lab._inputs["expected"].value == "d"


def test_offsets_against_random_pairs_and_several_models():
    one, two = demo_vectors(400, seed=0), demo_vectors(400, seed=1)
    shuffled = w2v.WordVectors(one.index_to_key, np.random.default_rng(0).normal(size=one.vectors.shape))
    lab = AnalogyLab({"seed 0": one, "seed 1": two, "noise": shuffled}, n_random=500)
    result = lab.ask("man", "king", "woman", "queen")
    assert result.expected_rank[("3CosAdd", True)] == 1
    assert result.percentile > 0.95  # the royal offsets agree far beyond chance
    assert len(result.random_cosines) == 500 and abs(np.median(result.random_cosines)) < 0.2
    across = result.across.set_index("model")
    assert across.loc["seed 0", "answer"] == "queen" and across.loc["seed 1", "rank"] == 1
    assert across.loc["noise", "rank"] > 1  # random vectors: the expected answer is not found
    assert "w2v-al-across" in lab._output.value


def test_typing_in_the_boxes_asks_and_words_are_escaped():
    lab = AnalogyLab(demo_vectors(300))
    lab._inputs["a"].value = "man"
    lab._inputs["b"].value = HOSTILE[0]
    assert lab.result is None  # c still empty
    lab._inputs["c"].value = "woman"
    assert lab.result is not None and lab.result.question == ("man", HOSTILE[0], "woman")
    page = lab._output.value
    assert "<img" not in page and "&lt;img src=x" in page
    lab._inputs["c"].value = "womn"
    assert "not in the vocabulary" in lab._output.value
    with pytest.raises(w2v.UnknownWordError):
        lab.ask("man", "king", "nosuchword")
    with pytest.raises(w2v.ConfigError, match="topn"):
        AnalogyLab(demo_vectors(50), topn=0)
    with pytest.raises(w2v.ConfigError, match="Word2Vec, a WordVectors"):
        AnalogyLab(object())
    assert w2v.AnalogyLab is AnalogyLab

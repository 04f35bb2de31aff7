"""A model of Chinese or Korean text: the bundled (English) evaluation sets say they do not apply
instead of printing zeros, and the probe words come from the Chinese and Korean demo groups."""

from __future__ import annotations

import math

import pytest

import w2v_widgets as w2v
from w2v_widgets.data import datasets
from w2v_widgets.data.probe_words import PROBE_GROUPS, default_probe_words
from w2v_widgets.vectors.evaluation import EvaluationLanguageWarning


@pytest.fixture(scope="module")
def chinese_model() -> w2v.Word2Vec:
    corpus = datasets.load("fortunes-zh", tokenizer="chars", files=("tang300", "song100"))
    return w2v.Word2Vec(vector_size=32, epochs=3, seed=1).fit(corpus)


def test_evaluate_on_a_chinese_model_says_the_sets_are_english_and_scores_nothing(chinese_model):
    with pytest.warns(EvaluationLanguageWarning, match=r"English .* in CJK script.*n/a, not zeros"):
        table = chinese_model.wv.evaluate()
    assert (table["coverage"] == 0).all() and table["score"].map(math.isnan).all()


def test_an_english_model_gets_no_language_warning(recwarn):
    corpus = w2v.Corpus.from_texts(["the king and the queen rode to the castle of the old king"] * 50)
    w2v.Word2Vec(vector_size=8, epochs=1, min_count=1, seed=0).fit(corpus).wv.evaluate(["wordsim353"])
    assert not [w for w in recwarn if issubclass(w.category, EvaluationLanguageWarning)]


def test_probe_words_of_chinese_and_korean_vocabularies_come_from_their_groups(chinese_model):
    chinese = set(default_probe_words(chinese_model.wv.index_to_key))
    groups_zh = {w for name, words in PROBE_GROUPS.items() if name.endswith("(zh)") for w in words}
    assert len(chinese & groups_zh) >= 8, chinese
    korean = datasets.load("korean-law", tokenizer="default")
    words = [korean.words[i] for i in korean.counts.argsort()[::-1]]
    assert {"국민", "국가", "대통령", "국회"} <= set(default_probe_words(words))

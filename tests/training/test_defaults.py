"""Defaults chosen from the corpus size, and a small corpus saying what was chosen and why."""

from __future__ import annotations

import logging

import pytest

import w2v_widgets as w2v
from tests.support.corpora import make_corpus
from w2v_widgets.training.config import (
    SMALL_CORPUS,
    TrainingConfig,
    default_epochs,
    default_min_count,
    resolve_min_count,
    resolve_settings,
)

LOGGER = "w2v_widgets.training.config"


def test_min_count_grows_with_the_corpus_and_an_explicit_one_wins():
    sizes = (5_000, 49_999, 50_000, 199_999, 200_000, 1_999_999, 2_000_000, 40_000_000)
    assert [default_min_count(n) for n in sizes] == [5, 5, 10, 10, 20, 20, 50, 50]
    assert resolve_min_count(TrainingConfig(), 4_000_000) == 50
    assert resolve_min_count(TrainingConfig(min_count=3), 4_000_000) == 3
    with pytest.raises(w2v.ConfigError, match="min_count must be an integer >= 1"):
        TrainingConfig(min_count=0)


def test_epochs_shrink_as_the_corpus_grows_and_an_explicit_one_wins():
    sizes = (5_000, 1_999_999, 2_000_000, 9_999_999, 10_000_000)
    assert [default_epochs(n) for n in sizes] == [30, 30, 10, 10, 5]
    assert resolve_settings(TrainingConfig(device="cpu"), 4_000_000).epochs == 10
    assert resolve_settings(TrainingConfig(epochs=3, device="cpu"), 4_000_000).epochs == 3


def test_a_small_corpus_says_which_settings_it_chose_and_why(caplog):
    corpus = make_corpus()
    assert corpus.n_tokens < SMALL_CORPUS
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        model = w2v.Word2Vec(vector_size=10, seed=0).fit(corpus)
    messages = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(messages) == 1, messages
    text = messages[0]
    assert "small corpus" in text and f"{model.vocab.total:,} tokens" in text
    assert "epochs=30" in text and "alpha=0.025" in text and "pass epochs= and alpha=" in text
    assert model.get_params()["min_count"] is None  # left to the defaults: word2vec's 5 here
    assert min(model.vocab.counts) >= 5


def test_no_message_when_the_settings_are_given_or_the_corpus_is_large(caplog):
    with caplog.at_level(logging.WARNING, logger=LOGGER):
        resolve_settings(TrainingConfig(epochs=3, alpha=0.01, device="cpu"), 5_000)
        resolve_settings(TrainingConfig(device="cpu"), SMALL_CORPUS)
    assert [r for r in caplog.records if r.name == LOGGER] == []

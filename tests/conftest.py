"""Fixtures shared by every test folder; helpers live in tests/support/."""

import random

import pytest

import w2v_widgets as w2v

_TOPICS = {
    "animals": "cat dog horse cow sheep goat",
    "numbers": "one two three four five six",
    "colours": "red green blue yellow black white",
}


@pytest.fixture(scope="session")
def toy_corpus() -> w2v.Corpus:
    """A small synthetic corpus with three topics: words of one topic share sentences."""
    rng = random.Random(0)
    sentences = []
    for _ in range(1500):
        topic = rng.choice(list(_TOPICS.values())).split()
        sentences.append(" ".join(rng.choice(topic) for _ in range(8)))
    return w2v.Corpus.from_texts(sentences, name="toy")


@pytest.fixture(scope="session")
def sample_corpus() -> w2v.Corpus:
    return w2v.datasets.load_sample()

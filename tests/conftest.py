import random

import pytest

import w2v_widgets as w2v

_TOPICS = {
    "animals": "cat dog horse cow sheep goat",
    "numbers": "one two three four five six",
    "colours": "red green blue yellow black white",
}


SMALL_SETTINGS = {
    "vector_size": 16,
    "window": 3,
    "negative": 3,
    "min_count": 1,
    "sample": 0,
    "epochs": 2,
    "alpha": 0.05,
    "device": "cpu",
    "batch_size": 256,
}


def small_model(**kw) -> w2v.Word2Vec:
    """A model small and fast enough for unit tests of the trainer (settings overridable)."""
    return w2v.Word2Vec(**{**SMALL_SETTINGS, **kw})


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

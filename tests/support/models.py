"""Small models for unit tests of the trainer."""

import w2v_widgets as w2v

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

"""A small synthetic corpus with word groups (animals, numbers, colours...) for widget tests.

Sentences follow a few templates, so words of one group share contexts and become
neighbours within seconds of training. Deterministic for a seed. Includes the word
``EVIL`` (an HTML injection attempt) as a token so tests can check escaping.
"""

from __future__ import annotations

import random

import w2v_widgets as w2v
from tests.support.hostile import EVIL

__all__ = ["EVIL", "GROUPS", "make_corpus", "sentences"]
GROUPS = {
    "animal": ["cat", "dog", "horse", "cow", "sheep", "goat", "mouse", "rabbit"],
    "number": ["one", "two", "three", "four", "five", "six", "seven", "eight"],
    "color": ["red", "green", "blue", "yellow", "black", "white", "purple", "orange"],
    "place": ["paris", "london", "berlin", "rome", "madrid", "vienna", "lisbon", "oslo"],
}
TEMPLATES = [
    "the {animal} ate {number} {color} apples in {place}",
    "a {color} {animal} saw {number} birds near {place}",
    "in {place} the {animal} counted {number} {color} stones",
    "{number} {color} boxes were sent from {place} to the {animal}",
]


def sentences(n: int = 4000, seed: int = 0) -> list[list[str]]:
    """``n`` token lists; one in 20 carries the ``EVIL`` token."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = rng.choice(TEMPLATES).format(**{g: rng.choice(ws) for g, ws in GROUPS.items()})
        tokens = text.split()
        if i % 20 == 0:
            tokens.append(EVIL)
        out.append(tokens)
    return out


def make_corpus(n: int = 4000, seed: int = 0) -> w2v.Corpus:
    """The corpus (token lists are used as they are, so ``EVIL`` stays one token)."""
    return w2v.Corpus.from_texts(sentences(n, seed), name="live-test")

"""Synthetic word vectors with known structure for the explorer's kernel and browser tests.

``demo_vectors(n)`` returns a ``WordVectors`` whose first words are built from a few shared
directions, so that neighbours and analogies are predictable:

* capitals (``paris``, ``london``, ``berlin``, ``rome``, ``madrid``) share a *city* direction;
* ``king - man + woman`` is nearest to ``queen`` (royal/male/female/person directions);
* the hostile words of tests/support/hostile.py are ordinary frequent words.

The remaining words are random ``w<i>`` vectors. Counts fall with the index (frequency order).
"""

from __future__ import annotations

import numpy as np

from tests.support.hostile import HOSTILE
from w2v_widgets.vectors import WordVectors

__all__ = ["CITIES", "HOSTILE", "demo_vectors"]
CITIES = ["paris", "london", "berlin", "rome", "madrid"]


def demo_vectors(n: int = 2000, dim: int = 32, seed: int = 0) -> WordVectors:
    rng = np.random.default_rng(seed)
    axis = {name: rng.normal(size=dim) for name in ("city", "royal", "male", "female", "person")}
    special: dict[str, np.ndarray] = {}
    for city in CITIES:
        special[city] = 3 * axis["city"] + 0.6 * rng.normal(size=dim)
    special["king"] = axis["royal"] + axis["male"]
    special["queen"] = axis["royal"] + axis["female"]
    special["man"] = axis["male"] + axis["person"]
    special["woman"] = axis["female"] + axis["person"]
    for word in HOSTILE:
        special[word] = rng.normal(size=dim)
    words = list(special) + [f"w{i}" for i in range(n - len(special))]
    vectors = np.vstack([*special.values(), rng.normal(size=(n - len(special), dim))])
    counts = np.arange(n, 0, -1) * 10
    return WordVectors(words, vectors.astype(np.float32), counts=counts)

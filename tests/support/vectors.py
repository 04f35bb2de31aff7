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


# words of five scripts in groups (Chinese, Japanese, Korean, Arabic/Hebrew, emoji)
GROUPS = {
    "zh": ["北京", "上海", "广州", "深圳", "天津"],
    "ja": ["東京", "大阪", "京都", "ひらがな", "カタカナ"],
    "ko": ["서울", "부산", "대구", "인천", "광주"],
    "rtl": ["القاهرة", "دمشق", "بغداد", "ירושלים", "חיפה"],
    "emoji": ["🐱", "🐶", "👩\u200d💻", "🇯🇵", "❤️"],
}


# words longer than any place that shows them: shortened there, never inside a character
LONG = ["\U0001f469\u200d\U0001f4bb" * 45, "\u1112\u1161\u11ab" * 45]


def multiscript_vectors(n: int = 600, dim: int = 24, seed: int = 0) -> WordVectors:
    """Each group shares a direction, so its words are one another's nearest neighbours."""
    rng = np.random.default_rng(seed)
    words, rows = [], []
    for members in GROUPS.values():
        axis = 3 * rng.normal(size=dim)
        for word in members:
            words.append(word)
            rows.append(axis + 0.5 * rng.normal(size=dim))
    for word in [*HOSTILE, *LONG]:
        words.append(word)
        rows.append(rng.normal(size=dim))
    words += [f"w{i}" for i in range(n - len(words))]
    rows += list(rng.normal(size=(n - len(rows), dim)))
    counts = np.arange(n, 0, -1) * 10
    return WordVectors(words, np.vstack(rows).astype(np.float32), counts=counts)

"""The explorer's analogies: ``a - b + c`` (``king - man + woman``) answered over the whole
vocabulary, and where its vector lands on the map.

The answers are the top ``k`` words under 3CosAdd and 3CosMul (:mod:`w2v_widgets.vectors.analogies`,
the same maths as ``WordVectors.most_similar`` and ``most_similar_cosmul``), each with the three
question words left out (as gensim and the benchmarks do) and kept in. The answer vector
``â - b̂ + ĉ`` is placed with the map's own projection when the map is linear (PCA: exact, see
:mod:`.placement`), else at the weighted mean of its nearest plotted words (t-SNE, UMAP: an
approximation, which the page says).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ...vectors.analogies import METHODS, analogy_scores, answer_vector, ranked
from .placement import affine_map, place_by_neighbours, project_affine

if TYPE_CHECKING:
    import pandas as pd

ScoredWords = list[tuple[str, float]]


def solve(wv: Any, a: str, b: str, c: str, k: int) -> dict[str, dict[str, ScoredWords]]:
    """``{method: {"excluded": [(word, score)...], "included": [...]}}`` for ``a - b + c``: the
    top ``k`` under each method, without and with the question words."""
    question = [wv.get_index(w) for w in (a, b, c)]  # UnknownWordError (with suggestions) first
    out: dict[str, dict[str, ScoredWords]] = {}
    for method in METHODS:
        scores = analogy_scores(wv, b, a, c, method)  # b : a :: c : ?  is  a - b + c
        out[method] = {}
        for name, skip in (("excluded", question), ("included", [])):
            order, values = ranked(scores, skip, k)
            out[method][name] = [(wv.index_to_key[i], float(s)) for i, s in zip(order, values, strict=True)]
    return out


def locate(
    wv: Any, a: str, b: str, c: str, plot_unit: np.ndarray, xy: np.ndarray
) -> tuple[list[float] | None, str]:
    """Map position of ``â - b̂ + ĉ`` and how it was found: ``"linear"`` (the map's own affine
    projection, exact), ``"neighbours"`` (mean position of its nearest plotted words) or
    ``"none"`` (nothing plotted)."""
    if len(plot_unit) == 0:
        return None, "none"
    vector = answer_vector(wv, b, a, c)
    w = affine_map(plot_unit, xy)
    if w is not None:
        return project_affine(w, vector)[0].tolist(), "linear"
    norm = float(np.linalg.norm(vector))
    unit = (vector / norm if norm > 0 else vector).astype(np.float32)
    return place_by_neighbours(unit, plot_unit, xy)[0].tolist(), "neighbours"


def answers_frame(answers: dict[str, dict[str, ScoredWords]]) -> pd.DataFrame:
    """The answers as one table: ``method``, ``excluded`` (question words left out), ``rank``,
    ``word``, ``score``."""
    rows = [
        {"method": method, "excluded": name == "excluded", "rank": r + 1, "word": word, "score": score}
        for method, lists in answers.items()
        for name, items in lists.items()
        for r, (word, score) in enumerate(items)
    ]
    import pandas as pd  # here, not at import: the explorer's kernel side does not load pandas otherwise

    return pd.DataFrame(rows, columns=["method", "excluded", "rank", "word", "score"])

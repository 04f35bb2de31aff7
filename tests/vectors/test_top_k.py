"""top_rows: each row's k largest scores, equal to a full sort (ties: lower index first)."""

import numpy as np
import pytest

from w2v_widgets.vectors.top_k import GROUP, top_rows


def full_sort(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    cols = np.arange(scores.shape[1])
    order = np.array([np.lexsort((cols, -row))[:k] for row in scores]).reshape(len(scores), k)
    return order, np.take_along_axis(scores, order, axis=1)


@pytest.mark.parametrize("n", [1, 5, GROUP * 10 - 1, GROUP * 10, GROUP * 10 + 7, 100_003])
@pytest.mark.parametrize("k", [0, 1, 10, 11])
def test_top_rows_match_a_full_sort(n, k):
    rng = np.random.default_rng(n + k)
    k = min(k, n)
    scores = rng.standard_normal((6, n)).astype(np.float32)
    scores[1] = np.round(scores[1])  # many ties
    scores[2] = 0.5  # all equal
    scores[3, :: max(1, n // 3)] = -np.inf  # a word left out, as nearest() leaves out the query
    idx, values = top_rows(scores, k)
    want_idx, want_values = full_sort(scores, k)
    assert idx.dtype == np.int64 and idx.shape == values.shape == (6, k)
    assert (idx == want_idx).all() and (values == want_values).all()


def test_top_rows_of_no_rows_and_a_clear_error_for_too_large_k():
    assert top_rows(np.zeros((0, 5), np.float32), 3)[0].shape == (0, 3)
    with pytest.raises(ValueError, match="k=6"):
        top_rows(np.zeros((2, 5), np.float32), 6)

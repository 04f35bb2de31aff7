"""The explorer's query contract: the kernel's handler answers the golden requests of
``explorer_contract.json`` as recorded there (the standalone page's backend runs the same file in
``js/test/contract.test.ts``), and the golden file covers every query type of ``QUERIES``."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import traitlets

from w2v_widgets.errors import ConfigError
from w2v_widgets.vectors.word_vectors import WordVectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
from w2v_widgets.widgets.explorer.queries import MAX_K, QUERIES, BoundedK, check_k

GOLDEN = json.loads((Path(__file__).parent / "explorer_contract.json").read_text(encoding="utf-8"))
SCORE_TOLERANCE = 1e-5


def fresh_explorer() -> EmbeddingExplorer:
    vocab, plot = GOLDEN["vocabulary"], GOLDEN["plot"]
    wv = WordVectors(vocab["words"], np.array(vocab["vectors"], np.float32), counts=vocab["counts"])
    assert vocab["words"][: len(plot["words"])] == plot["words"]  # the plot is the most frequent words
    return EmbeddingExplorer(wv, n_words=len(plot["words"]), projection=np.array(plot["xy"]))


def assert_matches(actual: Any, expected: Any, where: str = "result") -> None:
    """Equal, except floats (scores) within the tolerance."""
    if isinstance(expected, float) and not isinstance(actual, bool):
        assert math.isclose(actual, expected, abs_tol=SCORE_TOLERANCE), f"{where}: {actual} != {expected}"
    elif isinstance(expected, dict):
        assert isinstance(actual, dict) and set(actual) == set(expected), f"{where}: {actual} != {expected}"
        for key in expected:
            assert_matches(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual} != {expected}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_matches(a, e, f"{where}[{i}]")
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_kernel_handler_answers_the_golden_requests(case):
    ex = fresh_explorer()
    try:
        reply = ex._queries.handle(case["request"])
        assert reply["id"] == case["request"]["id"]
        if "error_contains" in case:
            assert "result" not in reply and case["error_contains"] in reply["error"]
            assert reply.get("suggestions", []) == case.get("suggestions", reply.get("suggestions", []))
        else:
            assert "error" not in reply, reply
            assert_matches(reply["result"], case["result"])
        if "added_at" in case:
            np.testing.assert_allclose(ex.xy[-1], case["added_at"], atol=SCORE_TOLERANCE)
    finally:
        ex.close()


def test_golden_file_covers_every_query_type_and_its_scores_are_cosines():
    assert {c["request"]["type"] for c in GOLDEN["cases"]} >= set(QUERIES)
    first = GOLDEN["cases"][0]
    assert first["request"] == {"id": "n1", "type": "neighbours", "word": "king", "k": 3, "reason": "hover"}
    # king (4,1,0,1) and queen (3,3,0,1): 16 / sqrt(18 * 19), by hand
    assert math.isclose(first["result"]["items"][0]["score"], 16 / math.sqrt(18 * 19), abs_tol=1e-6)


def test_one_bound_on_k_for_the_kernel_the_page_and_the_contract():
    assert GOLDEN["max_k"] == MAX_K  # the page's backends clamp k to the widget's max_k; their tests to this
    assert check_k(1) == 1 and check_k(MAX_K) == MAX_K
    for bad in (0, MAX_K + 1, 2.5, True, "3"):
        with pytest.raises(ConfigError, match=f"k must be a whole number from 1 to {MAX_K}"):
            check_k(bad)

    class Holder(traitlets.HasTraits):
        k = BoundedK(10)

    holder = Holder()
    holder.k = 7
    with pytest.raises(ConfigError):
        holder.k = MAX_K + 1  # as the page's set would
    assert holder.k == 7

"""What the lessons say about the word groups of a model trained on the embedded corpus, as checks
shared by the notebook tests and the training-quality tests."""

from __future__ import annotations

from collections.abc import Iterable

from w2v_widgets.vectors.evaluation import WORD_GROUPS

MONTHS = set(WORD_GROUPS["months"])
NUMBERS = set(WORD_GROUPS["numbers"])


def months_gather(nearest: Iterable[str]) -> bool:
    """Most of a month's 5 nearest words are months, and all but one at most are months or numbers.

    The corpus spells its dates out digit by digit ("eight january one eight nine six"), so a
    number or two comes among january's months: at the classroom defaults its 5 nearest held 3
    to 5 months (3 at seed 1), and 5 months and numbers together, in 10 fits (seeds 0-4, and seed 0
    with the kernels built for other CPUs or on one thread). Random vectors give 0 months."""
    words = set(nearest)
    months = len(words & MONTHS)
    return months >= 3 and months + len(words & NUMBERS) >= 4

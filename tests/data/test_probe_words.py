"""Default probe words: recognisable groups first, mid-frequency content words next, never
function words; the lessons' 8 + 8 rule on request."""

from __future__ import annotations

import pytest

from w2v_widgets.data.probe_words import (
    FUNCTION_WORDS,
    PROBE_GROUPS,
    default_probe_words,
    group_probe_words,
)
from w2v_widgets.errors import ConfigError

FILLER = [f"word{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}{chr(97 + i // 676)}" for i in range(2000)]


def test_frequent_groups_give_a_word_each_in_turn_kept_together():
    months = list(PROBE_GROUPS["months"])
    vocab = ["the", "of", "and", *months, "three", "seven", "five", "red", "green", *FILLER]
    words = default_probe_words(vocab, n=6)
    assert words == ["three", "seven", "five", "january", "october", "february"]  # 3 + 3
    assert "red" not in words  # only 2 colours: not a group a learner can see
    words = default_probe_words(vocab)
    assert words[:11] == ["three", "seven", "five", *months[:8]]  # then mid-frequency words
    assert len(words) == 16 and len(set(words)) == 16 and all(w in vocab for w in words)


def test_rare_group_words_are_not_probes():
    """Words below the 2,000 most frequent (or the top 20% of a larger vocabulary) have noisy
    neighbours."""
    days = list(PROBE_GROUPS["days"])
    vocab = ["the", "three", "seven", "five", *FILLER, *days]
    assert not set(default_probe_words(vocab)) & set(days)
    assert set(days[:3]) <= set(default_probe_words([*days, *FILLER]))
    assert set(days[:3]) <= set(group_probe_words(vocab, frequent=3000))


def test_capitalised_vocabularies_are_matched():
    vocab = ["France", "Germany", "Italy", *FILLER]
    assert group_probe_words(vocab, n=2) == ["France", "Germany"]


def test_without_groups_mid_frequency_content_words_never_function_words():
    vocab = sorted(FUNCTION_WORDS) + FILLER
    words = default_probe_words(vocab, seed=1)
    ranks = [vocab.index(w) for w in words]
    assert len(words) == 16
    assert not set(words) & FUNCTION_WORDS
    assert all(len(vocab) // 4 <= r < len(vocab) * 3 // 5 for r in ranks)
    assert default_probe_words(vocab, seed=1) == words  # reproducible
    assert default_probe_words(vocab, seed=2) != words


def test_small_vocabulary_gives_what_it_has():
    vocab = ["the", "a", "of", "cat", "sat", "mat", "x1"]
    assert sorted(default_probe_words(vocab)) == ["cat", "mat", "sat"]


def test_embedded_sample_probes_are_group_words():
    from w2v_widgets import Vocabulary, datasets

    vocab = Vocabulary.from_corpus(datasets.load_sample(), min_count=5)
    words = default_probe_words(vocab.words)
    groups = {w for members in PROBE_GROUPS.values() for w in members}
    assert len(words) == 16 and set(words) <= groups
    assert {"three", "january", "france"} <= set(words)


def test_unknown_rule_is_refused():
    with pytest.raises(ConfigError, match="'groups' or 'lessons'"):
        default_probe_words(FILLER, rule="frequent")

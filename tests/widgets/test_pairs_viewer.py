"""PairsViewer: the teaching widget's Python side, checked against the engine's sampling and by hand."""

from __future__ import annotations

import html

import numpy as np
import pytest
import torch

import w2v_widgets as w2v
from tests.support.hostile import EVIL
from w2v_widgets.data import sampling
from w2v_widgets.widgets.teaching.pairs_viewer import (
    DISCARDED,
    KEPT,
    RARE,
    PairsViewer,
    draw_pairs,
    draw_to_html,
)


@pytest.fixture(scope="module")
def corpus() -> w2v.Corpus:
    common = ["the", "cat", "sat", "on", "the", "mat", "and", "the", "dog", "sat", "on", "the", "log"]
    sentences = [common] * 50 + [["the", EVIL, "cat", "sat", "on", "a", "zebra"]] * 5
    sentences.append(["only", "once"])
    return w2v.Corpus.from_texts(sentences, name="toy")


def test_no_subsampling_pairs_every_word_within_its_drawn_radius(corpus):
    # sample=1 keeps every word; the pairs follow from the drawn radii alone
    viewer = PairsViewer(corpus, window=10, sample=1.0, min_count=1, sentences=[0])
    tokens = corpus.sentence(0)
    assert viewer.dropped == []
    assert viewer.draw.status == [KEPT] * len(tokens)
    radius = viewer.draw.radius
    assert len(radius) == len(tokens) and all(1 <= r <= 10 for r in radius)
    expected = [
        [c, o] for i, c in enumerate(tokens) for j, o in enumerate(tokens) if 0 < abs(i - j) <= radius[i]
    ]
    assert viewer.pairs == expected  # centre order, contexts left to right
    assert len(viewer.draw.noise) == len(expected)
    assert all(len(row) == 5 for row in viewer.draw.noise)


def test_window_radius_bounds_the_pairs(corpus):
    viewer = PairsViewer(corpus, window=1, sample=1.0, min_count=1, sentences=[0])
    tokens = viewer.draw.centres
    assert viewer.draw.radius == [1] * len(tokens)  # drawn from 1..1
    assert viewer.pairs == [[tokens[i], tokens[j]] for i in range(len(tokens)) for j in (i - 1, i + 1)
                            if 0 <= j < len(tokens)]  # fmt: skip
    n_before = len(viewer.pairs)
    viewer.window = 3  # the slider is linked to the traitlet
    assert viewer._window.value == 3
    assert all(1 <= r <= 3 for r in viewer.draw.radius)
    assert len(viewer.pairs) >= n_before
    for centre_i, (r, ctx) in enumerate(zip(viewer.draw.radius, viewer.draw.contexts, strict=True)):
        lo, hi = max(0, centre_i - r), min(len(tokens), centre_i + r + 1)
        assert ctx == [tokens[j] for j in range(lo, hi) if j != centre_i]


def test_rare_words_drop_and_subsampling_uses_the_engine_probabilities(corpus):
    viewer = PairsViewer(corpus, window=2, sample=1e-2, min_count=5, sentences=[50])
    draw = viewer.draw
    assert draw.tokens == ["the", EVIL, "cat", "sat", "on", "a", "zebra"]
    assert "zebra" in viewer.vocab  # 5 occurrences: kept by min_count=5
    rare = PairsViewer(corpus, window=2, sample=1e-2, min_count=6, sentences=[50]).draw
    assert rare.status[-1] == RARE and rare.status[1] == RARE  # 5 occurrences < 6
    keep = sampling.keep_probability(viewer.vocab.counts, 1e-2)
    for token, status, p in zip(draw.tokens, draw.status, draw.keep_prob, strict=True):
        if status == RARE:
            assert token not in viewer.vocab and p == 0
        else:
            assert p == pytest.approx(keep[viewer.vocab.key_to_index[token]])
    assert "the" in viewer.vocab and keep[viewer.vocab.key_to_index["the"]] < 1


def test_same_seed_same_draw_resample_changes_it(corpus):
    a = PairsViewer(corpus, window=5, sample=1e-2, min_count=1, sentences=[0], seed=3)
    b = PairsViewer(corpus, window=5, sample=1e-2, min_count=1, sentences=[0], seed=3)
    assert a.pairs == b.pairs and a.draw.noise == b.draw.noise
    seen = {(tuple(map(tuple, a.pairs)), tuple(map(tuple, a.draw.noise)))}
    for _ in range(5):
        a.resample()
        seen.add((tuple(map(tuple, a.pairs)), tuple(map(tuple, a.draw.noise))))
    assert a.seed == 8 and len(seen) > 1


def test_draw_matches_the_engine_functions_called_in_trainer_order(corpus):
    vocab = w2v.Vocabulary.from_corpus(corpus, 1)
    keep = sampling.keep_probability(vocab.counts, 1e-2)
    noise = sampling.NoiseSampler(sampling.noise_distribution(vocab.counts), table_size=10_000)
    tokens = corpus.sentence(0)
    draw = draw_pairs(tokens, vocab, keep, noise, window=3, negative=4, seed=11)
    g = torch.Generator().manual_seed(11)
    ids = torch.tensor([vocab.key_to_index[t] for t in tokens])
    kept = sampling.subsample(ids, torch.as_tensor(keep), g)
    centres = ids[kept]
    radius = sampling.draw_windows(len(centres), 3, g, "cpu")
    c, o = sampling.skipgram_pairs(centres, torch.zeros(len(centres), dtype=torch.int32), radius, 3)
    ns = noise.sample((len(c), 4), g)
    assert draw.radius == radius.tolist()
    assert draw.pairs == [
        (vocab.words[i], vocab.words[j]) for i, j in zip(c.tolist(), o.tolist(), strict=True)
    ]
    assert draw.noise == [[vocab.words[i] for i in row] for row in ns.tolist()]


def test_noise_words_follow_unigram_three_quarters(corpus):
    viewer = PairsViewer(corpus, window=10, sample=1.0, min_count=1, sentences=[0])
    probs = sampling.noise_distribution(viewer.vocab.counts)
    draws = viewer.noise.sample((200_000,), torch.Generator().manual_seed(0))
    freq = np.bincount(draws.numpy(), minlength=len(probs)) / 200_000
    assert freq == pytest.approx(probs, abs=0.01)


def test_words_are_escaped_in_the_html(corpus):
    viewer = PairsViewer(corpus, window=3, sample=1.0, min_count=1, sentences=[50])
    assert EVIL in viewer.draw.tokens and [EVIL, "cat"] in viewer.pairs
    page = viewer._output.value
    assert "<img" not in page
    assert html.escape(EVIL) in page
    viewer.tokens = ["a", "<script>alert(1)</script>", '"quoted"']
    assert "<script>" not in viewer._output.value and "&lt;script&gt;" in viewer._output.value
    assert "<script>" not in draw_to_html(viewer.draw, 3, 5)


def test_typed_sentence_empty_and_all_dropped(corpus):
    viewer = PairsViewer(corpus, window=2, sample=1.0, min_count=1)
    viewer._typed.value = "The Cat sat on an unknownword"
    assert viewer.tokens == ["the", "cat", "sat", "on", "an", "unknownword"]
    assert viewer.draw.status[-1] == RARE and viewer.draw.status[-2] == RARE
    viewer.tokens = []
    assert viewer.pairs == [] and "Pick a sentence" in viewer._output.value
    viewer.set_sentence("the the the")
    viewer.sample = 1e-6  # "the" is kept with a tiny probability: almost surely all dropped
    assert set(viewer.draw.status) <= {KEPT, DISCARDED}
    if not viewer.draw.centres:
        assert "Every word was dropped" in viewer._output.value


def test_sentences_offered_and_bad_settings(corpus):
    viewer = PairsViewer(corpus, min_count=1)
    assert viewer._pick.options and viewer.tokens == corpus.sentence(viewer._pick.value)
    viewer._pick.value = viewer._pick.options[-1][1]
    assert viewer.tokens == corpus.sentence(viewer._pick.options[-1][1])
    with pytest.raises(w2v.ConfigError, match="Corpus"):
        PairsViewer(["not", "a", "corpus"])
    with pytest.raises(w2v.ConfigError, match="window"):
        PairsViewer(corpus, window=0)
    with pytest.raises(ValueError, match="formula"):
        PairsViewer(corpus, formula="nope")


def test_exported_lazily_from_the_package():
    assert w2v.PairsViewer is PairsViewer

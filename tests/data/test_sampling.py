"""Subsampling, windows and noise words against their formulas (statistical tolerances)."""

import numpy as np
import pytest
import torch

from w2v_widgets.data import sampling


def test_keep_probability_formulas_by_hand():
    counts = np.array([9000, 900, 90, 10])  # frequencies .9, .09, .009, .001
    t = 1e-3
    p = sampling.keep_probability(counts, t, "word2vec")
    expected = [(np.sqrt(f / t) + 1) * t / f for f in (0.9, 0.09, 0.009, 0.001)]
    assert p == pytest.approx(np.minimum(expected, 1.0))
    q = sampling.keep_probability(counts, t, "paper")
    assert q == pytest.approx([np.sqrt(t / 0.9), np.sqrt(t / 0.09), np.sqrt(t / 0.009), 1.0])
    assert np.all(sampling.keep_probability(counts, 0) == 1)


def test_subsampling_keeps_words_at_their_probability():
    counts = np.array([50_000, 5_000, 500, 50])
    keep = torch.as_tensor(sampling.keep_probability(counts, 1e-3))
    ids = torch.repeat_interleave(torch.arange(4), torch.as_tensor(counts))
    g = torch.Generator().manual_seed(1)
    kept = torch.zeros(4)
    rounds = 20
    for _ in range(rounds):
        kept += torch.bincount(ids[sampling.subsample(ids, keep, g)], minlength=4)
    rate = (kept / (torch.as_tensor(counts) * rounds)).numpy()
    n = counts * rounds
    sd = np.sqrt(keep.numpy() * (1 - keep.numpy()) / n)
    assert np.all(np.abs(rate - keep.numpy()) <= 5 * sd + 1e-9)


def test_noise_words_follow_unigram_to_the_three_quarters():
    counts = np.array([1000, 300, 100, 30, 10, 1])
    probs = sampling.noise_distribution(counts)
    assert probs == pytest.approx(counts**0.75 / (counts**0.75).sum())
    sampler = sampling.NoiseSampler(probs)
    g = torch.Generator().manual_seed(0)
    draws = sampler.sample((400_000,), g)
    freq = torch.bincount(draws, minlength=6).numpy() / 400_000
    sd = np.sqrt(probs * (1 - probs) / 400_000)
    assert np.all(np.abs(freq - probs) <= 5 * sd + 1e-4)


def test_window_radii_are_uniform_over_one_to_window():
    g = torch.Generator().manual_seed(0)
    r = sampling.draw_windows(100_000, 5, g, "cpu")
    assert int(r.min()) == 1 and int(r.max()) == 5
    share = torch.bincount(r, minlength=6)[1:].double() / 100_000
    assert torch.allclose(share, torch.full((5,), 0.2, dtype=torch.float64), atol=0.01)


def test_pairs_by_hand_respect_radius_and_sentences():
    tokens = torch.tensor([10, 11, 12, 13, 14, 15])
    sentence = torch.tensor([0, 0, 0, 0, 1, 1])
    radius = torch.tensor([1, 2, 1, 5, 1, 1])
    centres, contexts = sampling.skipgram_pairs(tokens, sentence, radius, window=5)
    pairs = list(zip(centres.tolist(), contexts.tolist(), strict=True))
    assert pairs == [
        (10, 11),
        (11, 10),
        (11, 12),
        (11, 13),
        (12, 11),
        (12, 13),
        (13, 10),
        (13, 11),
        (13, 12),
        (14, 15),
        (15, 14),
    ]


def test_no_pair_crosses_a_sentence_boundary_at_random():
    g = torch.Generator().manual_seed(3)
    n = 5000
    sentence = torch.sort(torch.randint(0, 400, (n,), generator=g)).values
    tokens = torch.arange(n)  # token id = position, so pairs reveal positions
    radius = sampling.draw_windows(n, 5, g, "cpu")
    centres, contexts = sampling.skipgram_pairs(tokens, sentence, radius, window=5)
    assert torch.all(sentence[centres] == sentence[contexts])
    distance = (centres - contexts).abs()
    assert torch.all((distance >= 1) & (distance <= radius[centres]))
    # every allowed pair is produced: count them independently
    expected = sum(
        1
        for i in range(n)
        for o in range(-int(radius[i]), int(radius[i]) + 1)
        if o and 0 <= i + o < n and sentence[i + o] == sentence[i]
    )
    assert len(centres) == expected

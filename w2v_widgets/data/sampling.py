"""Turning a token stream into training examples: subsampling, dynamic windows, noise words.

Everything here is vectorised torch code that runs on the training device; randomness comes from
an explicit ``torch.Generator`` so that a seed fixes the whole stream.
"""

from __future__ import annotations

import numpy as np
import torch


def keep_probability(counts: np.ndarray, sample: float, formula: str = "paper") -> np.ndarray:
    """Probability of keeping each occurrence of a word in frequent-word subsampling.

    With ``f`` the word's relative frequency and ``t = sample``:

    * ``"paper"`` (Mikolov et al. 2013, the d2l lesson; the trainer's default):
      ``min(1, sqrt(t / f))``, i.e. a discard probability of ``max(0, 1 - sqrt(t / f))``.
    * ``"word2vec"`` (the C tool and gensim): ``min(1, (sqrt(f / t) + 1) * t / f)``

    ``sample <= 0`` keeps everything.
    """
    counts = np.asarray(counts, dtype=np.float64)
    if sample <= 0:
        return np.ones_like(counts)
    f = counts / counts.sum()
    if formula == "word2vec":
        p = (np.sqrt(f / sample) + 1.0) * sample / f
    elif formula == "paper":
        p = np.sqrt(sample / f)
    else:
        raise ValueError(f"formula must be 'word2vec' or 'paper', not {formula!r}")
    return np.minimum(p, 1.0)


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """Unigram distribution raised to ``power`` and renormalised (float64)."""
    weights = np.asarray(counts, dtype=np.float64) ** power
    return weights / weights.sum()


class NoiseSampler:
    """Draws noise words from a distribution through a lookup table, as word2vec does.

    A table of ``table_size`` word ids in which each word fills a share proportional to its
    probability turns sampling into one ``randint`` and one gather (about 10x faster than
    ``torch.multinomial``). The table has at least 100 entries per word on average.
    """

    def __init__(
        self, probabilities: np.ndarray, device: torch.device | str = "cpu", table_size: int | None = None
    ):
        probabilities = np.asarray(probabilities, dtype=np.float64)
        n = len(probabilities)
        size = table_size or max(1_000_000, 100 * n)
        bounds = np.round(np.cumsum(probabilities) / probabilities.sum() * size).astype(np.int64)
        counts = np.diff(np.concatenate([[0], bounds]))
        table = np.repeat(np.arange(n, dtype=np.int64), counts)
        self.table = torch.as_tensor(table, device=device)
        self.probabilities = probabilities

    def sample(self, shape: tuple[int, ...], generator: torch.Generator) -> torch.Tensor:
        """Noise word ids of the given shape (int64)."""
        idx = torch.randint(len(self.table), shape, generator=generator, device=self.table.device)
        return self.table[idx]


def subsample(ids: torch.Tensor, keep_prob: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Boolean mask of the tokens kept by frequent-word subsampling."""
    draws = torch.rand(ids.shape, generator=generator, device=ids.device, dtype=torch.float64)
    return draws < keep_prob[ids]


def draw_windows(n: int, window: int, generator: torch.Generator, device) -> torch.Tensor:
    """Effective window radius of each centre word, uniform in ``1..window`` (dynamic windows)."""
    return torch.randint(1, window + 1, (n,), generator=generator, device=device)


def context_matrix(
    tokens: torch.Tensor, sentence: torch.Tensor, radius: torch.Tensor, window: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """Context candidates of every position: ``(contexts (L, 2W), valid (L, 2W))``.

    Column ``j`` holds the word at offset ``-W..-1, 1..W``; ``valid`` is true where the offset
    lies within the position's drawn radius and inside the same sentence.
    """
    n = tokens.shape[0]
    device = tokens.device
    offsets = torch.cat([torch.arange(-window, 0, device=device), torch.arange(1, window + 1, device=device)])
    positions = torch.arange(n, device=device)[:, None] + offsets[None, :]
    inside = (positions >= 0) & (positions < n)
    positions = positions.clamp_(0, max(n - 1, 0))
    valid = inside & (offsets.abs()[None, :] <= radius[:, None]) & (sentence[positions] == sentence[:, None])
    return tokens[positions], valid


def skipgram_pairs(
    tokens: torch.Tensor, sentence: torch.Tensor, radius: torch.Tensor, window: int
) -> tuple[torch.Tensor, torch.Tensor]:
    """All (centre, context) pairs, in centre order, contexts left to right."""
    contexts, valid = context_matrix(tokens, sentence, radius, window)
    centres = tokens[:, None].expand_as(contexts)
    return centres[valid], contexts[valid]

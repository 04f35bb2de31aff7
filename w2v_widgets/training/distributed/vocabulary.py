"""One vocabulary for all ranks: agreed from every rank's counts, equal to the one a single
process builds from the whole corpus."""

from __future__ import annotations

import hashlib
import math
import zlib

import numpy as np

from ...data.corpus import Corpus
from ...data.vocabulary import Vocabulary
from ...errors import CorpusError
from .group import all_gather, all_reduce, world


def _word_bucket(words: list[str], n_buckets: int) -> np.ndarray:
    """A stable bucket per word (Python's ``hash`` differs between processes; crc32 does not)."""
    return np.fromiter((zlib.crc32(w.encode("utf-8")) for w in words), np.int64, len(words)) % n_buckets


def agree_vocabulary(local: Corpus, min_count: int, max_size: int | None) -> Vocabulary:
    """The vocabulary of all ranks' shares together, identical on every rank and equal to the one
    :meth:`Vocabulary.from_corpus` builds from the whole corpus (same words, counts and ids)."""
    rank, _ = world()
    distinct = int(all_reduce(np.array([len(local.words)]), "max", "vocabulary count exchange")[0])
    n_buckets = min(1 << 24, 1 << max(10, math.ceil(math.log2(4 * distinct + 1))))
    bucket = _word_bucket(local.words, n_buckets)
    bucket_counts = np.bincount(bucket, weights=local.counts, minlength=n_buckets).astype(np.int64)
    bucket_counts = all_reduce(bucket_counts, "sum", "vocabulary count exchange")
    # a bucket's total bounds each of its words' counts: words under min_count there are out
    candidates = [w for w, b in zip(local.words, bucket, strict=True) if bucket_counts[b] >= min_count]
    union = sorted(set().union(*all_gather(candidates, "vocabulary word exchange")))
    index = {w: i for i, w in enumerate(local.words)}
    counts = np.zeros(len(union), np.int64)
    first = np.full(len(union), np.iinfo(np.int64).max, np.int64)
    for j, w in enumerate(union):
        i = index.get(w)
        if i is not None:
            counts[j] = local.counts[i]
            first[j] = (rank << 40) + i  # ids follow first appearance: rank-major is file order
    counts = all_reduce(counts, "sum", "vocabulary count exchange")
    first = all_reduce(first, "min", "vocabulary count exchange")
    keep = np.flatnonzero(counts >= min_count)
    keep = keep[np.lexsort((first[keep], -counts[keep]))]
    if max_size is not None:
        keep = keep[:max_size]
    if len(keep) == 0:
        raise CorpusError(
            f"no word occurs at least min_count={min_count} times in the whole corpus; lower "
            "min_count or give a larger corpus"
        )
    return Vocabulary([union[j] for j in keep], counts[keep])


def vocabulary_digest(vocab: Vocabulary) -> str:
    h = hashlib.blake2b(digest_size=16)
    h.update("\n".join(vocab.words).encode("utf-8"))
    h.update(np.ascontiguousarray(vocab.counts, np.int64).tobytes())
    return h.hexdigest()

"""Trained word vectors and the queries asked of them (gensim ``KeyedVectors``-like surface).

``WordVectors`` holds a list of unique words and an ``(n, d)`` float32 matrix, a snapshot taken
when it is built. Similarities are cosines; a zero vector has similarity 0 to everything (never
NaN). Method names, arguments and return shapes follow gensim's ``KeyedVectors`` so that
``wv.most_similar("king")`` answers what a gensim user expects.
"""

from __future__ import annotations

import bisect
import difflib
import logging
import sys
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from numbers import Integral
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import ConfigError, UnknownWordError, VectorFileError
from . import evaluation, formats, native_file
from .editing import EditableVectors, check_words
from .top_k import top_rows

if TYPE_CHECKING:
    import pandas as pd

    from .evaluation import Correlation

logger = logging.getLogger(__name__)


def _is_tensor(value: Any) -> bool:
    """Whether ``value`` is a torch tensor, without importing torch (none exists until it is)."""
    torch = sys.modules.get("torch")
    return torch is not None and isinstance(value, torch.Tensor)


def _as_float32_matrix(vectors: Any) -> np.ndarray:
    """Copy ``vectors`` (numpy, torch or nested lists) into a C-contiguous float32 array."""
    if _is_tensor(vectors):
        vectors = vectors.detach().cpu().float().numpy()
    try:
        arr = np.array(vectors, dtype=np.float32, order="C", copy=True)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"vectors must be a 2-D array of numbers ({exc})") from None
    return arr


def _as_query_array(value: Any) -> np.ndarray:
    if _is_tensor(value):
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _unit(vec: np.ndarray) -> np.ndarray:
    """``vec`` scaled to length 1 (float32); a zero vector stays zero."""
    norm = float(np.linalg.norm(vec))
    vec = np.asarray(vec, dtype=np.float32)
    return (vec / norm).astype(np.float32) if norm > 0 else vec.copy()


def _matvec(matrix: np.ndarray, vec: np.ndarray) -> np.ndarray:
    """``matrix @ vec`` on one thread: multithreaded BLAS gemv stalls for milliseconds when the
    machine's cores are busy, and a matrix-vector product is memory-bound anyway."""
    return np.einsum("ij,j->i", matrix, vec)


def _top_indices(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the ``n`` largest entries of a 1-D array, largest first."""
    n = min(n, scores.shape[0])
    if n <= 0:
        return np.empty(0, dtype=np.int64)
    if n < scores.shape[0]:
        part = np.argpartition(scores, scores.shape[0] - n)[-n:]
    else:
        part = np.arange(scores.shape[0])
    return part[np.argsort(-scores[part], kind="stable")]


class WordVectors(EditableVectors):
    """Words and their vectors, with the similarity queries of gensim's ``KeyedVectors``.

    Parameters
    ----------
    words:
        Unique, non-empty strings; their order is the vocabulary order (``restrict_vocab``
        counts from the start, so put the most frequent words first). An int instead, as in
        gensim's ``KeyedVectors(vector_size)``, makes an empty set to fill with ``add_vectors``.
    vectors:
        ``(len(words), d)`` numpy array, torch tensor or nested lists of finite numbers; copied
        and stored as ``dtype`` (float32 by default).
    counts:
        Optional corpus counts: a sequence aligned with ``words`` or a mapping word -> count.
    vector_size:
        Dimensions of an empty WordVectors (``WordVectors(vector_size=100)``).
    """

    def __init__(
        self,
        words: Sequence[str] | int | None = None,
        vectors: Any = None,
        counts: Sequence[int] | Mapping[str, int] | np.ndarray | None = None,
        *,
        vector_size: int | None = None,
        dtype: Any = np.float32,
    ):
        if isinstance(words, Integral) and not isinstance(words, bool):
            if vectors is not None:
                raise ConfigError(
                    "WordVectors(n) makes an empty set of n-dimensional vectors; to give vectors, "
                    "pass a list of words first: WordVectors(words, vectors)"
                )
            vector_size, words = int(words), None
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise ConfigError(f"dtype must be a float type (float32, float16, float64), got {dtype}")
        if words is None and vectors is None:
            if vector_size is None or vector_size < 1:
                raise ConfigError(
                    "give words and vectors, or vector_size=d (d >= 1) for an empty WordVectors to "
                    "fill with add_vectors"
                )
            self._set_table([], {}, np.empty((0, vector_size), dtype=dtype), None)
            return
        if words is None or vectors is None:
            raise ConfigError("give both words and vectors (one vector per word)")
        if isinstance(words, str):
            raise ConfigError("words must be a list of strings, not one string")
        words = list(words)
        if not words:
            raise ConfigError(
                "no words given: a WordVectors needs at least one word and vector (or "
                "WordVectors(vector_size=d) for an empty one to fill with add_vectors)"
            )
        check_words(words)
        key_to_index: dict[str, int] = {}
        duplicates: list[str] = []
        for i, word in enumerate(words):
            if key_to_index.setdefault(word, i) != i:
                duplicates.append(word)
        if duplicates:
            shown = ", ".join(repr(w) for w in duplicates[:5])
            more = f" and {len(duplicates) - 5} more" if len(duplicates) > 5 else ""
            raise ConfigError(f"words must be unique; repeated: {shown}{more}")

        arr = _as_float32_matrix(vectors)
        if arr.ndim != 2:
            raise ConfigError(f"vectors must be a 2-D array (words x dimensions), got shape {arr.shape}")
        if arr.shape[0] != len(words):
            raise ConfigError(
                f"{len(words)} words but {arr.shape[0]} vectors: give one vector (row) per word"
            )
        if arr.shape[1] == 0:
            raise ConfigError("vectors have 0 dimensions; each vector needs at least one number")
        if vector_size is not None and arr.shape[1] != vector_size:
            raise ConfigError(f"vector_size={vector_size} but the vectors have {arr.shape[1]} dimensions")
        if dtype != arr.dtype:
            arr = arr.astype(dtype)
        finite = np.isfinite(arr).all(axis=1)
        if not finite.all():
            bad = np.flatnonzero(~finite)
            raise ConfigError(
                f"{bad.size} vectors contain NaN or infinity (first: {words[bad[0]]!r} at row "
                f"{bad[0]}); training probably diverged, lower the learning rate"
            )

        self._set_table(words, key_to_index, arr, self._check_counts(counts, words))

    def _set_table(
        self, words: list[str], key_to_index: dict[str, int], vectors: np.ndarray, counts: np.ndarray | None
    ) -> None:
        self.index_to_key: list[str] = words
        self.key_to_index: dict[str, int] = key_to_index
        self.vectors: np.ndarray = vectors
        self.counts: np.ndarray | None = counts
        self._invalidate()

    def _invalidate(self) -> None:
        """Forget what is computed from the table (after any change to it)."""
        self.norms: np.ndarray | None = None
        self._normed: np.ndarray | None = None
        self._suggest_index: tuple[np.ndarray, np.ndarray] | None = None
        self._complete_index: dict[bool, tuple[list[str], np.ndarray]] = {}
        self._priority: np.ndarray | None = None

    @staticmethod
    def _check_counts(counts: Any, words: list[str]) -> np.ndarray | None:
        if counts is None:
            return None
        if isinstance(counts, Mapping):
            missing = [w for w in words if w not in counts]
            if missing:
                raise ConfigError(f"counts has no entry for {len(missing)} words (first: {missing[0]!r})")
            counts = [counts[w] for w in words]
        if _is_tensor(counts):
            counts = counts.detach().cpu().numpy()
        arr = np.asarray(counts)
        if arr.shape != (len(words),):
            raise ConfigError(f"counts must hold one number per word ({len(words)}), got shape {arr.shape}")
        if arr.dtype.kind not in "iu" and not (
            arr.dtype.kind == "f" and np.isfinite(arr).all() and (arr == np.round(arr)).all()
        ):
            raise ConfigError("counts must be whole numbers")
        arr = arr.astype(np.int64)
        if (arr < 0).any():
            raise ConfigError(f"counts must be >= 0; {words[int(np.argmin(arr))]!r} has {arr.min()}")
        return arr

    # ------------------------------------------------------------------ container protocol
    def __len__(self) -> int:
        return len(self.index_to_key)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self.key_to_index

    def __iter__(self) -> Iterator[str]:
        """Iterate over the words, in vocabulary order."""
        return iter(self.index_to_key)

    def __repr__(self) -> str:
        extra = ", with counts" if self.counts is not None else ""
        return f"WordVectors({len(self)} words x {self.vector_size} dimensions{extra})"

    def __getitem__(self, key_or_keys: Any) -> np.ndarray:
        """Vector of one word (1-D, read-only) or of a list of words (2-D copy)."""
        if isinstance(key_or_keys, str | Integral):
            return self.get_vector(key_or_keys)
        keys = list(key_or_keys)
        if not keys:
            return np.empty((0, self.vector_size), dtype=np.float32)
        return self.vectors[[self.get_index(k) for k in keys]]

    @property
    def vector_size(self) -> int:
        """Number of dimensions of each vector."""
        return int(self.vectors.shape[1])

    # ------------------------------------------------------------------ lookups
    def get_index(self, key: str | int, default: int | None = None) -> int:
        """Row of ``key`` (a word, or an int index checked against the range).

        Raises ``UnknownWordError`` (a ``KeyError``) with close matches when ``default`` is None.
        """
        if isinstance(key, str):
            index = self.key_to_index.get(key)
            if index is not None:
                return index
        elif isinstance(key, Integral) and not isinstance(key, bool):
            if 0 <= int(key) < len(self):
                return int(key)
            if default is None:
                raise IndexError(f"index {key} is out of range for {len(self)} words")
            return default
        if default is not None:
            return default
        if not isinstance(key, str):
            raise TypeError(f"a word must be a str, got {type(key).__name__} {key!r}")
        raise UnknownWordError(key, self.suggest(key))

    def has_index_for(self, key: str) -> bool:
        return key in self

    def get_vector(self, key: str | int, norm: bool = False) -> np.ndarray:
        """Vector of ``key`` (read-only view); unit length when ``norm`` (zero stays zero)."""
        index = self.get_index(key)
        source = self._unit_rows() if norm else self.vectors
        result = source[index]
        result.setflags(write=False)
        return result

    def fill_norms(self, force: bool = False) -> None:
        """Compute the cached row norms and unit vectors (again with ``force``, after editing
        ``vectors`` in place)."""
        if self._normed is None or force:
            table = self.vectors.astype(np.float32, copy=False)
            norms = np.linalg.norm(table, axis=1).astype(np.float32)
            safe = np.where(norms > 0, norms, np.float32(1.0))
            self.norms = norms
            self._normed = np.ascontiguousarray(table / safe[:, None], dtype=np.float32)

    def _unit_rows(self) -> np.ndarray:
        self.fill_norms()
        assert self._normed is not None
        return self._normed

    def get_normed_vectors(self) -> np.ndarray:
        """All vectors scaled to unit length, ``(n, d)`` float32 (read-only view of a cache
        computed once)."""
        view = self._unit_rows().view()
        view.setflags(write=False)
        return view

    # ------------------------------------------------------------------ suggestions
    def suggest(self, word: str, n: int = 3) -> list[str]:
        """Up to ``n`` vocabulary words close to ``word``: case variants first, then difflib
        matches among words with the same first letter and a similar length (the 5,000 earliest
        in vocabulary order, to stay fast on large vocabularies)."""
        if not word or n <= 0:
            return []
        if self._suggest_index is None:
            initials = np.array([w[0].casefold()[:1] for w in self.index_to_key])
            lengths = np.fromiter(map(len, self.index_to_key), dtype=np.int64, count=len(self))
            self._suggest_index = (initials, lengths)
        initials, lengths = self._suggest_index
        variants = (word.lower(), word.capitalize(), word.title(), word.upper(), word.casefold())
        found = list(dict.fromkeys(v for v in variants if v != word and v in self.key_to_index))
        # difflib's ratio 2*matches/(len(a)+len(b)) reaches its 0.6 cutoff only when the shorter
        # word is at least 0.43 times the longer; typos rarely change the length by more than 3.
        size = len(word)
        lo, hi = max(0.42 * size, size - 3), min(size / 0.42, size + 3)
        pool = np.flatnonzero((initials == word[0].casefold()[:1]) & (lengths >= lo) & (lengths <= hi))
        if pool.size == 0 and len(self) <= 20000:
            pool = np.flatnonzero((lengths >= lo) & (lengths <= hi))
        candidates = [self.index_to_key[i] for i in pool[:5000].tolist()]
        for match in difflib.get_close_matches(word, candidates, n=n + len(found), cutoff=0.6):
            if match not in found and match != word:
                found.append(match)
        return found[:n]

    # ------------------------------------------------------------------ similarity queries
    def get_mean_vector(
        self,
        keys: Sequence[Any],
        weights: Sequence[float] | np.ndarray | None = None,
        pre_normalize: bool = True,
        post_normalize: bool = False,
        ignore_missing: bool = True,
    ) -> np.ndarray:
        """Weighted mean of words (unit vectors when ``pre_normalize``) and raw vectors."""
        if len(keys) == 0:
            raise ValueError("cannot compute a mean of no words or vectors")
        weights = np.ones(len(keys)) if weights is None else np.asarray(weights, dtype=np.float64)
        if weights.shape != (len(keys),):
            raise ValueError("give one weight per word or vector")
        mean = np.zeros(self.vector_size, dtype=np.float32)
        total = 0.0
        for key, weight in zip(keys, weights, strict=True):
            if isinstance(key, str | Integral):
                if not ignore_missing or self.get_index(key, -1) >= 0:
                    mean += weight * self.get_vector(key, norm=pre_normalize)
                    total += abs(weight)
            else:
                vec = _as_query_array(key).astype(np.float32)
                if vec.shape != (self.vector_size,):
                    raise ValueError(f"a query vector must have shape ({self.vector_size},), got {vec.shape}")
                mean += weight * vec
                total += abs(weight)
        if total > 0:
            mean = (mean / total).astype(np.float32)
        return _unit(mean) if post_normalize else mean

    @staticmethod
    def _listify(value: Any) -> list[Any]:
        if value is None:
            return []
        if isinstance(value, str | Integral):
            return [value]
        if isinstance(value, np.ndarray) or _is_tensor(value):
            arr = _as_query_array(value)
            return [arr] if arr.ndim == 1 else list(arr)
        return list(value)

    def most_similar(
        self,
        positive: Any = None,
        negative: Any = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """Words nearest by cosine to the mean of ``positive`` minus ``negative`` (3CosAdd).

        Each of ``positive``/``negative`` is a word, a vector or a list of them; an item may be
        ``(word_or_vector, weight)``. Input words are left out of the answer. ``topn=None``
        returns the similarity to every word (first ``restrict_vocab`` words only if given).
        """
        if isinstance(topn, Integral) and topn < 1:
            return []
        positive = self._listify(positive)
        negative = self._listify(negative)
        items = positive + negative
        if not items:
            raise ValueError("give at least one word or vector in positive or negative")
        weights = np.concatenate((np.ones(len(positive)), -np.ones(len(negative))))
        keys: list[Any] = []
        for i, item in enumerate(items):
            if isinstance(item, tuple) and len(item) == 2 and not isinstance(item[1], str):
                keys.append(item[0])
                weights[i] = float(item[1])
            else:
                keys.append(item)
        mean = self.get_mean_vector(
            keys, weights, pre_normalize=True, post_normalize=True, ignore_missing=False
        )
        exclude = {self.get_index(k) for k in keys if isinstance(k, str | Integral)}
        end = restrict_vocab if restrict_vocab else len(self)
        dists = _matvec(self.get_normed_vectors()[:end], mean)
        if topn is None:
            return dists
        best = _top_indices(dists, topn + len(exclude))
        return [(self.index_to_key[i], float(dists[i])) for i in best if i not in exclude][:topn]

    def similar_by_vector(
        self, vector: Any, topn: int | None = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]] | np.ndarray:
        """Words nearest to a vector (nothing excluded)."""
        return self.most_similar(positive=[_as_query_array(vector)], topn=topn, restrict_vocab=restrict_vocab)

    def similar_by_key(
        self, key: str, topn: int | None = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]] | np.ndarray:
        """Words nearest to ``key``, which is left out."""
        return self.most_similar(positive=[key], topn=topn, restrict_vocab=restrict_vocab)

    def similar_by_word(
        self, word: str, topn: int | None = 10, restrict_vocab: int | None = None
    ) -> list[tuple[str, float]] | np.ndarray:
        """Words nearest to ``word``, which is left out (gensim's name for ``similar_by_key``)."""
        return self.similar_by_key(word, topn=topn, restrict_vocab=restrict_vocab)

    def most_similar_cosmul(
        self,
        positive: Any = None,
        negative: Any = None,
        topn: int | None = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]] | np.ndarray:
        """Analogy by 3CosMul (Levy & Goldberg 2014), as gensim: product of ``(1 + cos) / 2``
        over ``positive`` divided by the product over ``negative`` plus 1e-6.

        Vectors given directly are scaled to unit length first; unlike gensim,
        ``restrict_vocab`` is honoured.
        """
        if isinstance(topn, Integral) and topn < 1:
            return []
        positive = self._listify(positive)
        negative = self._listify(negative)
        if not positive:
            raise ValueError("give at least one positive word or vector")
        exclude = {self.get_index(k) for k in positive + negative if isinstance(k, str | Integral)}
        normed = self.get_normed_vectors()[: restrict_vocab if restrict_vocab else len(self)]

        def shifted(item: Any) -> np.ndarray:
            if isinstance(item, str | Integral):
                vec = self.get_vector(item, norm=True)
            else:
                vec = _unit(_as_query_array(item).astype(np.float32))
            return (1 + _matvec(normed, vec)) / 2

        dists = np.prod([shifted(x) for x in positive], axis=0) / (
            np.prod([shifted(x) for x in negative], axis=0) + 0.000001
        )
        if topn is None:
            return dists
        best = _top_indices(dists, topn + len(exclude))
        return [(self.index_to_key[i], float(dists[i])) for i in best if i not in exclude][:topn]

    def similarity(self, w1: str, w2: str) -> float:
        """Cosine similarity of two words (exactly 1 for a word and itself, 0 with a zero vector)."""
        i1, i2 = self.get_index(w1), self.get_index(w2)
        u1 = self.get_normed_vectors()[i1]
        if i1 == i2:
            return 1.0 if self.norms is not None and self.norms[i1] > 0 else 0.0
        return float(u1 @ self.get_normed_vectors()[i2])

    def distance(self, w1: str, w2: str) -> float:
        """Cosine distance, ``1 - similarity``."""
        return 1.0 - self.similarity(w1, w2)

    def n_similarity(self, ws1: Sequence[str], ws2: Sequence[str]) -> float:
        """Cosine similarity of the means of two lists of words (raw vectors averaged)."""
        if not (len(ws1) and len(ws2)):
            raise ValueError("n_similarity needs at least one word in each list")
        mean1 = self.get_mean_vector(list(ws1), pre_normalize=False, ignore_missing=False)
        mean2 = self.get_mean_vector(list(ws2), pre_normalize=False, ignore_missing=False)
        return float(_unit(mean1) @ _unit(mean2))

    def rank_by_centrality(self, words: Iterable[str], use_norm: bool = True) -> list[tuple[float, str]]:
        """``(similarity to the centroid, word)``, most central first; unknown words are skipped
        with a warning, as gensim does."""
        words = list(words)
        used = [w for w in words if w in self]
        if len(used) != len(words):
            ignored = sorted({w for w in words if w not in self}, key=str)
            warnings.warn(f"ignoring words not in the vocabulary: {ignored}", stacklevel=3)
        if not used:
            raise ValueError("none of the given words is in the vocabulary")
        vecs = np.vstack([self.get_vector(w, norm=use_norm) for w in used]).astype(np.float32)
        mean = self.get_mean_vector(list(vecs), post_normalize=True)
        dists = vecs @ mean
        return sorted(zip((float(d) for d in dists), used, strict=True), reverse=True)

    def doesnt_match(self, words: Iterable[str]) -> str:
        """The word furthest from the centroid of ``words``."""
        return self.rank_by_centrality(words)[-1][1]

    def _closer_mask(self, key1: str, key2: str) -> np.ndarray:
        """Rows (other than ``key1``'s) more similar to ``key1`` than ``key2`` is."""
        i1, i2 = self.get_index(key1), self.get_index(key2)
        sims = _matvec(self.get_normed_vectors(), self.get_normed_vectors()[i1])
        closer = sims > sims[i2]
        closer[i1] = False
        return closer

    def rank(self, key1: str, key2: str) -> int:
        """Position of ``key2`` among the words nearest to ``key1`` (1 = the nearest)."""
        return int(self._closer_mask(key1, key2).sum()) + 1

    def closer_than(self, key1: str, key2: str) -> list[str]:
        """Words nearer to ``key1`` than ``key2`` is, in vocabulary order."""
        return [self.index_to_key[i] for i in np.flatnonzero(self._closer_mask(key1, key2))]

    words_closer_than = closer_than

    def most_similar_to_given(self, key1: str, keys_list: Sequence[str]) -> str:
        """The word of ``keys_list`` most similar to ``key1``."""
        if not keys_list:
            raise ValueError("keys_list is empty: give at least one word to choose from")
        sims = [self.similarity(key1, key) for key in keys_list]
        return keys_list[int(np.argmax(sims))]

    def relative_cosine_similarity(self, wa: str, wb: str, topn: int = 10) -> float:
        """Similarity of ``wa`` and ``wb`` divided by the summed similarities of ``wa``'s ``topn``
        nearest words (Leeuwenberg et al. 2016; above 1/topn means ``wb`` is a likely synonym)."""
        sims = self.similar_by_word(wa, topn=topn)
        total = sum(sim for _, sim in sims)
        if total == 0:
            raise ZeroDivisionError(f"the {topn} nearest words of {wa!r} have similarities summing to 0")
        return self.similarity(wa, wb) / total

    @staticmethod
    def cosine_similarities(vector_1: Any, vectors_all: Any) -> np.ndarray:
        """Cosine similarity of one vector to each row of ``vectors_all`` (0 with a zero vector)."""
        v = _as_query_array(vector_1).astype(np.float64)
        table = np.atleast_2d(_as_query_array(vectors_all).astype(np.float64))
        if table.size == 0:
            return np.empty(0, dtype=np.float64)
        norms = np.linalg.norm(table, axis=1) * np.linalg.norm(v)
        dots = table @ v
        return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)

    def distances(self, word_or_vector: Any, other_words: Sequence[str] = ()) -> np.ndarray:
        """Cosine distances (``1 - similarity``) from a word or vector to ``other_words``, or to
        every word when none are given."""
        if isinstance(word_or_vector, str | Integral):
            query = self.get_vector(word_or_vector)
        else:
            query = _as_query_array(word_or_vector)
        others = self.vectors if len(other_words) == 0 else self[list(other_words)]
        return 1 - self.cosine_similarities(query, others)

    # ------------------------------------------------------------------ batched queries
    def _query_matrix(self, query: Any, exclude_self: bool) -> tuple[np.ndarray, np.ndarray | None]:
        arr = _as_query_array(query)
        if arr.dtype == np.bool_:
            raise TypeError("nearest() takes word indices (ints) or vectors (floats), not booleans")
        if arr.dtype.kind in "iu" or (arr.ndim == 1 and arr.size == 0):
            idx = arr.astype(np.int64).reshape(-1)
            if idx.size and (idx.min() < 0 or idx.max() >= len(self)):
                raise IndexError(f"word indices must be in 0..{len(self) - 1}")
            return self.get_normed_vectors()[idx], idx if exclude_self else None
        if arr.dtype.kind != "f":
            raise TypeError(f"nearest() takes word indices or float vectors, got dtype {arr.dtype}")
        vecs = np.atleast_2d(arr.astype(np.float32))
        if vecs.ndim != 2 or vecs.shape[1] != self.vector_size:
            raise ValueError(f"query vectors must have shape (q, {self.vector_size}), got {arr.shape}")
        norms = np.linalg.norm(vecs, axis=1, keepdims=True)
        return vecs / np.where(norms > 0, norms, 1), None

    def nearest(
        self, indices_or_vectors: Any, k: int = 10, exclude_self: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-``k`` cosine neighbours of many queries at once.

        ``indices_or_vectors``: an int or int array of word indices (the word itself is left out
        when ``exclude_self``), or a float ``(d,)`` / ``(q, d)`` array of vectors.
        Returns ``(indices, scores)``: ``(q, k)`` int64 and float32 arrays, best first
        (``k`` is cut to the number of candidates).
        """
        queries, self_idx = self._query_matrix(indices_or_vectors, exclude_self)
        normed = self._unit_rows()
        n = len(self)
        k = max(0, min(int(k), n - (1 if self_idx is not None else 0)))
        q = queries.shape[0]
        out_idx = np.empty((q, k), dtype=np.int64)
        out_scores = np.empty((q, k), dtype=np.float32)
        if k == 0 or q == 0:
            return out_idx, out_scores
        if q == 1:  # hover: one matrix-vector product and a partial sort
            scores = _matvec(normed, queries[0])
            if self_idx is not None:
                scores[self_idx[0]] = -np.inf
            best = _top_indices(scores, k)
            out_idx[0], out_scores[0] = best, scores[best]
            return out_idx, out_scores
        block = max(1, evaluation.SCORE_BLOCK // n)
        for start in range(0, q, block):
            stop = min(q, start + block)
            scores = queries[start:stop] @ normed.T
            if self_idx is not None:
                scores[np.arange(stop - start), self_idx[start:stop]] = -np.inf
            out_idx[start:stop], out_scores[start:stop] = top_rows(scores, k)
        return out_idx, out_scores

    def neighbours(self, words: str | Iterable[str], k: int = 10) -> pd.DataFrame:
        """Nearest ``k`` words of each word, as a DataFrame with columns
        ``word, rank, neighbour, similarity`` (rank 1 = nearest; the word itself is left out)."""
        words = [words] if isinstance(words, str) else list(words)
        idx = np.array([self.get_index(w) for w in words], dtype=np.int64)
        top, scores = self.nearest(idx, k)
        kk = top.shape[1]
        import pandas as pd

        return pd.DataFrame(
            {
                "word": np.repeat(np.array(words, dtype=object), kk),
                "rank": np.tile(np.arange(1, kk + 1), len(words)),
                "neighbour": np.array(self.index_to_key, dtype=object)[top.reshape(-1)]
                if top.size
                else np.array([], dtype=object),
                "similarity": scores.reshape(-1).astype(np.float64),
            }
        )

    # ------------------------------------------------------------------ autocomplete
    def complete(self, prefix: str, limit: int = 10, case_sensitive: bool = True) -> list[str]:
        """Vocabulary words starting with ``prefix``: most frequent first when counts exist,
        else in vocabulary order; at most ``limit``."""
        if limit <= 0:
            return []
        if self._priority is None:
            order = (
                np.lexsort((np.arange(len(self)), -self.counts))
                if self.counts is not None
                else np.arange(len(self))
            )
            priority = np.empty(len(self), dtype=np.int64)
            priority[order] = np.arange(len(self))
            self._priority = priority
        if not prefix:
            return [self.index_to_key[i] for i in np.argsort(self._priority)[:limit]]
        if case_sensitive not in self._complete_index:
            keys = self.index_to_key if case_sensitive else [w.casefold() for w in self.index_to_key]
            order = sorted(range(len(keys)), key=keys.__getitem__)
            self._complete_index[case_sensitive] = (
                [keys[i] for i in order],
                np.asarray(order, dtype=np.int64),
            )
        sorted_keys, sorted_idx = self._complete_index[case_sensitive]
        prefix = prefix if case_sensitive else prefix.casefold()
        lo = bisect.bisect_left(sorted_keys, prefix)
        if ord(prefix[-1]) < sys.maxunicode:  # words with the prefix sort before its successor
            hi = bisect.bisect_left(sorted_keys, prefix[:-1] + chr(ord(prefix[-1]) + 1), lo)
        else:
            hi = lo
            while hi < len(sorted_keys) and sorted_keys[hi].startswith(prefix):
                hi += 1
        candidates = sorted_idx[lo:hi]
        best = candidates[_top_indices(-self._priority[candidates].astype(np.float64), limit)]
        return [self.index_to_key[i] for i in best]

    # ------------------------------------------------------------------ evaluation
    def evaluate_word_analogies(
        self,
        analogies: str | Path,
        restrict_vocab: int = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
        similarity_function: str = "most_similar",
    ) -> tuple[float, list[dict[str, Any]]]:
        """Accuracy on an analogy file or a bundled set's name, e.g. ``"google-analogies"`` (see
        :func:`.evaluation.evaluate_word_analogies`; ``similarity_function="most_similar_cosmul"``
        answers by 3CosMul)."""
        return evaluation.evaluate_word_analogies(
            self, analogies, restrict_vocab, case_insensitive, dummy4unknown, similarity_function
        )

    def evaluate_word_pairs(
        self,
        pairs: str | Path,
        delimiter: str = "\t",
        encoding: str = "utf8",
        restrict_vocab: int = 300000,
        case_insensitive: bool = True,
        dummy4unknown: bool = False,
    ) -> tuple[Correlation, Correlation, float]:
        """Correlation with human judgements, from a file or a bundled set's name, e.g.
        ``"wordsim353"`` (see :func:`.evaluation.evaluate_word_pairs`)."""
        if not isinstance(encoding, str):
            raise TypeError(
                f"encoding must be a text encoding name such as 'utf8', got {encoding!r}; the third "
                "argument is encoding as in gensim, pass restrict_vocab by keyword"
            )
        return evaluation.evaluate_word_pairs(
            self, pairs, delimiter, restrict_vocab, case_insensitive, dummy4unknown, encoding
        )

    def evaluate(self, sets: Sequence[str] | None = None, restrict_vocab: int = 300000) -> pd.DataFrame:
        """Scores on the bundled evaluation sets (all of them by default), as one DataFrame with
        columns ``set, kind, metric, score, coverage``: Spearman's rho for word pairs, accuracy
        for analogies; ``coverage`` is the share of pairs or questions whose words are known."""
        return evaluation.evaluate_all(self, sets, restrict_vocab)

    # ------------------------------------------------------------------ files
    def save(self, fname: str | Path) -> Path:
        """Write words, vectors and counts in w2v-widgets' own format (a zip of JSON and
        ``.npy``; never pickle) for :meth:`load`. Atomic: a failed save leaves the old file."""
        return native_file.write_word_vectors(fname, self.index_to_key, self.vectors, self.counts)

    @classmethod
    def load(cls, fname: str | Path) -> WordVectors:
        """Read a file written by :meth:`save`. gensim's ``KeyedVectors.save`` files are pickles,
        refused by design (loading a pickle can run code): the error says how to convert."""
        words, vectors, counts = native_file.read_word_vectors(fname)
        return cls(words, vectors, counts, vector_size=int(vectors.shape[1]), dtype=vectors.dtype)

    def save_word2vec_format(
        self,
        fname: str | Path,
        fvocab: str | Path | None = None,
        binary: bool = False,
        total_vec: int | None = None,
        write_header: bool = True,
    ) -> Path:
        """Write the word2vec text or binary format (see :mod:`w2v_widgets.vectors.formats`);
        ``fvocab`` also writes ``word count`` lines, ``write_header=False`` leaves out the first
        line. Arguments as gensim's (``total_vec`` must be the number of words if given)."""
        _check_fvocab(fvocab)
        if total_vec is not None and total_vec != len(self):
            raise ConfigError(f"total_vec={total_vec} but there are {len(self)} vectors to write")
        return formats.save_word2vec_format(
            self,
            fname,
            binary=binary,
            fvocab=fvocab,
            write_header=write_header,
            counts=self._effective_counts() if fvocab is not None else None,
        )

    @classmethod
    def load_word2vec_format(
        cls,
        fname: str | Path,
        fvocab: str | Path | None = None,
        binary: bool = False,
        encoding: str = "utf8",
        unicode_errors: str = "replace",
        limit: int | None = None,
        datatype: Any = np.float32,
        no_header: bool = False,
        binary_chunk_size: int = formats.BINARY_CHUNK,
    ) -> WordVectors:
        """Read the word2vec text or binary format; arguments in gensim's order (``fvocab``: a
        ``word count`` vocabulary file for the counts; ``datatype``: e.g. ``np.float16`` to
        halve the memory); damaged files raise ``VectorFileError``. See
        :func:`.formats.read_word2vec_format`. Also the module's ``load_word2vec_format``."""
        _check_fvocab(fvocab)
        words, key_to_index, vectors = formats.read_word2vec_table(
            fname,
            binary=binary,
            limit=limit,
            unicode_errors=unicode_errors,
            no_header=no_header,
            encoding=encoding,
            binary_chunk_size=binary_chunk_size,
        )
        counts = None
        if fvocab is not None:
            known = formats.read_vocabulary_file(fvocab, unicode_errors=unicode_errors, encoding=encoding)
            missing = [w for w in words if w not in known]
            if missing:
                raise VectorFileError(
                    f"{fvocab}: no count for {len(missing)} of the {len(words)} words (first: "
                    f"{missing[0]!r}); is it the vocabulary file of {fname}?"
                )
            counts = [known[w] for w in words]
        return cls._from_table(words, key_to_index, vectors, counts, np.dtype(datatype))

    @classmethod
    def _from_table(
        cls,
        words: list[str],
        key_to_index: dict[str, int],
        vectors: np.ndarray,
        counts: Any,
        dtype: np.dtype,
    ) -> WordVectors:
        """A WordVectors that takes over checked parts (unique non-empty words, their index, finite
        C-contiguous float vectors) without copying them: a file of millions of vectors is held once."""
        if dtype.kind != "f":
            raise ConfigError(f"dtype must be a float type (float32, float16, float64), got {dtype}")
        self = cls.__new__(cls)
        table = vectors if vectors.dtype == dtype else vectors.astype(dtype)
        self._set_table(words, key_to_index, table, self._check_counts(counts, words))
        return self

    def save_projector_tsv(self, out_dir: str | Path) -> tuple[Path, Path]:
        """Write ``vectors.tsv`` and ``metadata.tsv`` for the TensorFlow Embedding Projector."""
        return formats.save_projector_tsv(self, out_dir)

    @classmethod
    def load_projector_tsv(
        cls, vectors_path: str | Path, metadata_path: str | Path | None = None
    ) -> WordVectors:
        """Read a TensorFlow Projector pair (``vectors.tsv`` and, by default beside it,
        ``metadata.tsv``), as :meth:`save_projector_tsv` writes it or the Projector exports it."""
        words, vectors, counts = formats.read_projector_tsv(vectors_path, metadata_path)
        return cls(words, vectors, counts)


def _check_fvocab(fvocab: Any) -> None:
    if isinstance(fvocab, bool):
        raise TypeError(
            f"the second argument is fvocab, a vocabulary file (as in gensim), not binary: pass "
            f"binary={fvocab} by keyword"
        )


#: Read a word2vec text or binary file into :class:`WordVectors`, as gensim's
#: ``KeyedVectors.load_word2vec_format`` (the classmethod itself, so the two cannot drift apart).
load_word2vec_format = WordVectors.load_word2vec_format

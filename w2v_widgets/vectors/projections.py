"""2-D projections of word vectors (PCA, t-SNE, UMAP when installed), cached in memory.

Every projection in :data:`PROJECTIONS` is a function ``f(unit_vectors, *, seed, init) -> (n, 2)``
that receives row-normalised float32 vectors (so Euclidean distance ranks pairs as cosine does)
and an optional starting layout; one that also takes ``progress`` is called with a
:data:`Progress` reporter (t-SNE reports its stage, fraction done and intermediate layouts, and
stops when the reporter raises :class:`LayoutCancelled`). :func:`project` normalises the rows,
calls the function, then centres and scales the layout so its 98th-percentile coordinate is 1,
and keeps the result in an in-memory LRU cache keyed by a digest of the vectors and the
settings. Third-party projections register under the entry-point group ``w2v_widgets.projections``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from ..errors import ConfigError, W2VError
from ..registry import Registry
from ..threads import workers
from .memory import release_free_memory
from .top_k import top_rows

PROJECTIONS = Registry("projections")

ProjectionFn = Callable[..., np.ndarray]
Progress = Callable[[float, str, "np.ndarray | None"], None]
"""``progress(fraction_done, stage, intermediate_layout_or_None)``; raise to stop."""

PCA_CHUNK = 65_536  # rows per block when accumulating the covariance
PCA_FIT_ROWS = 200_000  # rows the principal directions are computed from (a seeded sample above)
TSNE_KNN_SHARE = 0.1  # share of the progress bar given to t-SNE's neighbour search
TSNE_EXAGGERATION_ITER = 250
TSNE_ITER = 500
TSNE_REPORT_EVERY = 25
TSNE_LARGE = 50_000  # from this many words: fewer Annoy trees and iterations (TSNE_LARGE_*)
TSNE_LARGE_TREES = 10  # openTSNE's default is 50 (FIt-SNE's); see benchmarks/explorer_tsne.py
TSNE_LARGE_ITER = 350
TSNE_FIT_WORDS = 100_000  # above: t-SNE of the first (most frequent) rows, the others placed on it
TSNE_FIT_SHARE = 0.7  # share of the progress bar given to that t-SNE when the others are placed
TSNE_PLACE_BLOCK = 32_768  # rows placed per step (a progress report, a chance to cancel)
TSNE_NEAREST_CHUNK = 4_096  # rows scored against the cells at a time (32 MB at 2,000 cells)
TSNE_PLACE_CELLS = 2_000  # fitted rows drawn as cells of the one-level index that places the others
TSNE_PLACE_K = 5  # nearest fitted rows (within the cells searched) whose median position places a row
TSNE_PLACE_PROBES = 3  # cells searched per placed row (benchmarks/tsne_placement.py: kept 0.785, exact 0.792)


class LayoutCancelled(W2VError):
    """Raised by a progress reporter to stop a running projection."""


_CACHE_SIZE = 16
_cache: OrderedDict[Hashable, np.ndarray] = OrderedDict()
_cache_lock = threading.Lock()


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to length 1, float32; zero rows stay zero."""
    arr = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(arr, axis=1, keepdims=True)
    return np.ascontiguousarray(arr / np.where(norms > 0, norms, 1), dtype=np.float32)


def normalize_layout(xy: np.ndarray) -> np.ndarray:
    """Centre a layout on its mean and scale it so the 98th percentile of ``|coordinate|`` is 1."""
    xy = np.asarray(xy, dtype=np.float64)
    if xy.ndim != 2 or xy.shape[1] != 2:
        raise ConfigError(f"a layout must have shape (n, 2), got {xy.shape}")
    if not np.isfinite(xy).all():
        raise ConfigError("a layout must contain only finite numbers")
    if len(xy) == 0:
        return xy.astype(np.float32)
    centred = xy - xy.mean(axis=0)
    scale = float(np.percentile(np.abs(centred), 98)) if len(xy) > 1 else 0.0
    if scale <= 0:
        scale = float(np.abs(centred).max()) or 1.0
    return (centred / scale).astype(np.float32)


def align_layout(xy: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Rotate (or reflect) ``xy`` and move its centre onto ``reference``'s to best match it
    (orthogonal Procrustes, no scaling), so an updated layout moves as little as possible."""
    xy = np.asarray(xy, dtype=np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    if xy.shape != ref.shape or len(xy) < 3:
        return xy.astype(np.float32)
    a = xy - xy.mean(axis=0)
    b = ref - ref.mean(axis=0)
    u, _, vt = np.linalg.svd(a.T @ b)
    return (a @ (u @ vt) + ref.mean(axis=0)).astype(np.float32)


def _digest(arr: np.ndarray | None) -> str | None:
    if arr is None:
        return None
    arr = np.ascontiguousarray(arr)
    h = hashlib.blake2b(digest_size=16)
    h.update(str((arr.dtype.str, arr.shape)).encode())
    h.update(memoryview(arr).cast("B"))
    return h.hexdigest()


def _key(method: str, vectors: np.ndarray, seed: int, init: np.ndarray | None, params: dict) -> tuple:
    return (method, _digest(vectors), seed, _digest(init), tuple(sorted(params.items())))


def cached(
    vectors: np.ndarray,
    method: str,
    *,
    seed: int = 0,
    init: np.ndarray | None = None,
    **params: Any,
) -> np.ndarray | None:
    """The cached layout for these arguments, or None (never computes)."""
    key = _key(method, np.asarray(vectors, dtype=np.float32), seed, init, params)
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
        return None if hit is None else hit.copy()


def project(
    vectors: np.ndarray,
    method: str = "pca",
    *,
    seed: int = 0,
    init: np.ndarray | None = None,
    cache: bool = True,
    progress: Progress | None = None,
    unit: bool = False,
    **params: Any,
) -> np.ndarray:
    """Project ``(n, d)`` vectors to a normalised ``(n, 2)`` float32 layout with ``method``.

    ``init`` is an optional ``(n, 2)`` starting layout (t-SNE and UMAP start from it, which keeps
    successive layouts of a training run similar); ``params`` go to the projection function.
    ``progress`` receives the projection's reports when it gives any (see :data:`Progress`);
    ``unit=True`` says the rows are already of length 1 (no normalised copy is made).
    """
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ConfigError(f"vectors must be a 2-D array, got shape {vectors.shape}")
    if init is not None:
        init = np.asarray(init, dtype=np.float32)
        if init.shape != (len(vectors), 2):
            raise ConfigError(f"init must have shape ({len(vectors)}, 2), got {init.shape}")
    fn = PROJECTIONS.get(method)
    key = _key(method, vectors, seed, init, params)
    if cache:
        with _cache_lock:
            if key in _cache:
                _cache.move_to_end(key)
                return _cache[key].copy()
    if len(vectors) < 3:
        xy = np.zeros((len(vectors), 2), dtype=np.float32)
        xy[:, 0] = np.arange(len(vectors))
    else:
        if progress is not None and _accepts(fn, "progress"):
            params = {**params, "progress": progress}
        xy = fn(vectors if unit else unit_rows(vectors), seed=seed, init=init, **params)
        params.pop("progress", None)
    xy = normalize_layout(xy)
    if cache:
        with _cache_lock:
            _cache[key] = xy.copy()
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return xy


def neighbours_kept(unit_vectors: np.ndarray, xy: np.ndarray, k: int = 10, block: int = 2048) -> np.ndarray:
    """For each row, the share (0..1) of its ``k`` nearest rows by cosine in the full space that
    are also among its ``k`` nearest on the map (Euclidean in ``xy``): 1 where the map keeps the
    neighbourhood, 0 where it tears it apart. Exact, in blocks of ``block`` rows (an ``n x n``
    similarity is never held); meant for up to tens of thousands of points."""
    import torch

    unit = torch.from_numpy(np.array(unit_vectors, dtype=np.float32))  # a writable copy
    pos = torch.from_numpy(np.array(xy, dtype=np.float32))  # a writable copy (xy may be read-only)
    n = len(unit)
    if pos.shape != (n, 2):
        raise ConfigError(f"a layout of shape ({n}, 2) is needed, got {tuple(pos.shape)}")
    k = min(k, n - 1)
    kept = np.ones(n, dtype=np.float32)
    if k < 1:
        return kept
    for start in range(0, n, block):
        stop = min(n, start + block)
        rows = torch.arange(start, stop)
        high = unit[start:stop] @ unit.T
        high[rows - start, rows] = -torch.inf
        low = -torch.cdist(pos[start:stop], pos)
        low[rows - start, rows] = -torch.inf
        true = torch.topk(high, k, dim=1).indices
        near = torch.topk(low, k, dim=1).indices
        hits = (true[:, :, None] == near[:, None, :]).any(dim=2).sum(dim=1)
        kept[start:stop] = (hits.float() / k).numpy()
    return kept


def _accepts(fn: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def clear_cache() -> None:
    """Forget every cached layout."""
    with _cache_lock:
        _cache.clear()


def cache_size() -> int:
    with _cache_lock:
        return len(_cache)


@PROJECTIONS.register("pca")
def pca(vectors: np.ndarray, *, seed: int = 0, init: np.ndarray | None = None) -> np.ndarray:
    """The first two principal components: the covariance matrix of the rows centred on their
    exact mean (of all rows when there are at most ``PCA_FIT_ROWS``, else of that many rows drawn
    with ``seed``), its top two eigenvectors, then every row projected in float32 blocks, so a
    million rows take seconds and no centred copy. Each component's sign makes its largest
    loading positive, as scikit-learn's ``PCA``. ``init`` is ignored. BLAS runs on one thread:
    these products are small, and multithreaded BLAS on busy cores was 20 times slower here."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1, user_api="blas"):
        return _pca(np.asarray(vectors), seed)


def _pca(x: np.ndarray, seed: int) -> np.ndarray:
    n, d = x.shape
    mean = x.mean(axis=0, dtype=np.float64)
    fit = x
    if n > PCA_FIT_ROWS:
        fit = x[np.sort(np.random.default_rng(seed).choice(n, PCA_FIT_ROWS, replace=False))]
    gram = np.zeros((d, d))
    for start in range(0, len(fit), PCA_CHUNK):
        block = fit[start : start + PCA_CHUNK] - mean.astype(fit.dtype)
        gram += (block.T @ block).astype(np.float64)
    _, eigvecs = np.linalg.eigh(gram / len(fit))  # ascending eigenvalues
    components = eigvecs[:, ::-1][:, : min(2, d)].T
    signs = np.sign(components[np.arange(len(components)), np.abs(components).argmax(axis=1)])
    components = (components * np.where(signs == 0, 1, signs)[:, None]).astype(x.dtype)
    xy = np.zeros((n, 2), dtype=np.float32)
    offset = mean.astype(x.dtype) @ components.T
    for start in range(0, n, PCA_CHUNK):
        block = x[start : start + PCA_CHUNK]
        xy[start : start + len(block), : len(components)] = block @ components.T - offset
    return xy


def _tsne_perplexity(n: int, perplexity: float | None) -> float:
    perplexity = perplexity if perplexity is not None else max(1.0, min(30.0, (n - 1) / 3))
    if perplexity >= n:
        raise ConfigError(f"t-SNE's perplexity ({perplexity}) must be below the number of words ({n})")
    return perplexity


@PROJECTIONS.register("tsne")
def tsne(
    vectors: np.ndarray,
    *,
    seed: int = 0,
    init: np.ndarray | None = None,
    perplexity: float | None = None,
    progress: Progress | None = None,
) -> np.ndarray:
    """FFT-accelerated t-SNE (openTSNE: 100k words in minutes, with progress and intermediate
    layouts every 25 iterations) when installed, else scikit-learn's Barnes-Hut ``TSNE`` (no
    progress between start and end). Starts from PCA, or from ``init`` rescaled as each library
    rescales its PCA start. From ``TSNE_LARGE`` words, the neighbour search uses 10 Annoy trees
    instead of 50 (5x faster; 0.98 of the exact 10 nearest kept in benchmarks/explorer_tsne.py)
    and the optimisation 250 + 350 iterations instead of 250 + 500 (openTSNE's learning rate
    grows with the number of words, so large maps settle sooner; same measures there).

    Above ``TSNE_FIT_WORDS`` rows (openTSNE only), t-SNE runs on the first ``TSNE_FIT_WORDS``
    (the explorer passes the most frequent words first) and every other row is placed on that map
    by :func:`place_on_fitted`, in blocks that report progress and can be cancelled. openTSNE's own
    ``transform`` (and its ``prepare_partial``) took 1.6 ms a row on this machine: over an hour
    for GoogleNews's 2.9M other words (benchmarks/README.md, the explorer at 3M words)."""
    perplexity = _tsne_perplexity(len(vectors), perplexity)
    if importlib.util.find_spec("openTSNE") is not None:
        from threadpoolctl import threadpool_limits

        with threadpool_limits(_tsne_jobs(), user_api="blas"):  # no more BLAS threads than jobs
            if len(vectors) > TSNE_FIT_WORDS:
                return _tsne_fit_then_place(vectors, seed, init, perplexity, progress)
            return np.asarray(_tsne_opentsne(vectors, seed, init, perplexity, progress))
    return _tsne_sklearn(vectors, seed, init, perplexity, progress)


def _tsne_fit_then_place(
    vectors: np.ndarray, seed: int, init: np.ndarray | None, perplexity: float, progress: Progress | None
) -> np.ndarray:
    """t-SNE of the first ``TSNE_FIT_WORDS`` rows, the others placed on it (see :func:`tsne`)."""
    report = progress or (lambda fraction, stage, layout: None)
    fit = TSNE_FIT_WORDS
    rest = len(vectors) - fit

    def fit_progress(fraction: float, stage: str, layout: np.ndarray | None) -> None:
        report(TSNE_FIT_SHARE * fraction, stage, None)  # no partial map: most words are not placed yet

    fit_init = None if init is None else init[:fit]
    fitted = np.asarray(
        _tsne_opentsne(vectors[:fit], seed, fit_init, perplexity, fit_progress), dtype=np.float32
    )
    release_free_memory()  # t-SNE's working memory, before placement allocates its own
    xy = np.empty((len(vectors), 2), dtype=np.float32)
    xy[:fit] = fitted

    def place_progress(done: float) -> None:
        report(TSNE_FIT_SHARE + (1 - TSNE_FIT_SHARE) * done, f"placing {rest:,} more words", None)

    xy[fit:] = place_on_fitted(vectors[fit:], vectors[:fit], fitted, seed=seed, progress=place_progress)
    release_free_memory()
    return xy


def place_on_fitted(
    rows: np.ndarray,
    fitted: np.ndarray,
    fitted_xy: np.ndarray,
    *,
    seed: int = 0,
    probes: int | None = None,
    progress: Callable[[float], None] | None = None,
) -> np.ndarray:
    """``(n, 2)`` positions for unit ``rows`` on a map of the unit rows ``fitted``: the median
    position of each row's ``TSNE_PLACE_K`` nearest fitted rows (by cosine), searched in a
    one-level inverted index: ``TSNE_PLACE_CELLS`` fitted rows drawn with ``seed`` are the cells,
    every fitted row belongs to its nearest cell, and a row is compared with the members of its
    ``probes`` nearest cells (default ``TSNE_PLACE_PROBES``) instead of every fitted row.
    ``progress(fraction)`` is called before each block of ``TSNE_PLACE_BLOCK`` rows."""
    fitted = np.asarray(fitted, dtype=np.float32)
    n_cells = min(TSNE_PLACE_CELLS, len(fitted))
    probes = max(1, min(probes or TSNE_PLACE_PROBES, n_cells))
    cell_rows = np.sort(np.random.default_rng(seed).choice(len(fitted), n_cells, replace=False))
    cells = fitted[cell_rows]
    home = _nearest(fitted, cells, 1)[:, 0]
    order = np.argsort(home, kind="stable")
    bounds = np.searchsorted(home[order], np.arange(n_cells + 1))
    xy = np.empty((len(rows), 2), dtype=np.float32)
    k = min(TSNE_PLACE_K, len(fitted))
    for start in range(0, len(rows), TSNE_PLACE_BLOCK):
        if progress is not None:
            progress(start / len(rows))
        block = np.asarray(rows[start : start + TSNE_PLACE_BLOCK], dtype=np.float32)
        best_scores = np.full((len(block), k), -np.inf, dtype=np.float32)
        best = np.zeros((len(block), k), dtype=np.int64)
        nearest_cells = _nearest(block, cells, probes)
        for cell_of in nearest_cells.T:
            by_cell = np.argsort(cell_of, kind="stable")
            edges = np.searchsorted(cell_of[by_cell], np.arange(n_cells + 1))
            for cell in np.flatnonzero(np.diff(edges)):
                members = order[bounds[cell] : bounds[cell + 1]]
                if not len(members):
                    continue
                which = by_cell[edges[cell] : edges[cell + 1]]
                scores = np.concatenate([best_scores[which], block[which] @ fitted[members].T], axis=1)
                ids = np.concatenate(
                    [best[which], np.broadcast_to(members, (len(which), len(members)))], axis=1
                )
                top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
                best_scores[which] = np.take_along_axis(scores, top, axis=1)
                best[which] = np.take_along_axis(ids, top, axis=1)
        found = fitted_xy[best].astype(np.float32)
        missing = np.isneginf(best_scores)  # fewer than k fitted rows in the cells searched
        if missing.any():
            found[missing] = np.nan
            alone = missing.all(axis=1)  # their cells were empty (repeated vectors)
            found[alone, 0] = fitted_xy[cell_rows[nearest_cells[alone, 0]]]
            xy[start : start + len(block)] = np.nanmedian(found, axis=1)
        else:
            xy[start : start + len(block)] = np.median(found, axis=1)
    return xy


def _nearest(rows: np.ndarray, cells: np.ndarray, m: int) -> np.ndarray:
    """``(len(rows), m)``: indices of the ``m`` most similar of ``cells`` for each of ``rows``
    (unit rows: by cosine), nearest first; scored ``TSNE_NEAREST_CHUNK`` rows at a time."""
    nearest = np.empty((len(rows), m), np.int64)
    for start in range(0, len(rows), TSNE_NEAREST_CHUNK):
        scores = rows[start : start + TSNE_NEAREST_CHUNK] @ cells.T
        chunk = nearest[start : start + len(scores)]
        if m == 1:
            chunk[:, 0] = np.argmax(scores, axis=1)
        else:
            chunk[:] = top_rows(scores, m)[0]
    return nearest


def _tsne_jobs() -> int:
    """Threads for t-SNE: all the CPUs the process may use but one, which stays free for the
    kernel and the page (:func:`w2v_widgets.threads.workers`)."""
    return workers(spare=1)


def _tsne_opentsne(
    vectors: np.ndarray,
    seed: int,
    init: np.ndarray | None,
    perplexity: float,
    progress: Progress | None,
    keep_index: bool = False,
) -> Any:
    """openTSNE's ``TSNEEmbedding`` of ``vectors`` (an array). Its neighbour search is freed once
    the affinities are computed unless ``keep_index`` (openTSNE's ``transform`` needs it); large
    maps compute the affinities with :func:`_perplexity_affinities` (the same matrix, less memory)."""
    from openTSNE import TSNEEmbedding, affinity, initialization

    report = progress or (lambda fraction, stage, layout: None)
    jobs = _tsne_jobs()
    report(0.0, "finding neighbours", None)
    large = len(vectors) >= TSNE_LARGE
    method: Any = "auto"
    if large:  # Annoy with fewer trees; unless kept, its index is freed before the affinities
        from openTSNE.nearest_neighbors import Annoy

        search = Annoy if keep_index else _annoy_freed_after_search()
        method = search(
            vectors,
            k=min(len(vectors) - 1, int(3 * perplexity)),  # openTSNE's own k for this perplexity
            n_jobs=jobs,
            random_state=seed,
            knn_kwargs={"n_trees": TSNE_LARGE_TREES},
        )
    if large and not keep_index:
        affinities = _perplexity_affinities(method, perplexity, jobs)
    else:
        affinities = affinity.PerplexityBasedNN(
            vectors, perplexity=perplexity, method=method, n_jobs=jobs, random_state=seed, verbose=False
        )
        if not keep_index:
            _drop_neighbour_search(affinities)
    release_free_memory()  # the neighbour search's, before the optimisation allocates
    if init is None:
        start = initialization.pca(vectors, random_state=seed)
    else:
        start = initialization.rescale(np.asarray(init, dtype=np.float64))
    embedding = TSNEEmbedding(start, affinities, n_jobs=jobs, random_state=seed)
    iterations = TSNE_LARGE_ITER if large else TSNE_ITER
    total = TSNE_EXAGGERATION_ITER + iterations

    def reporter(done_before: int) -> Callable[[int, float, np.ndarray], bool]:
        def callback(iteration: int, error: float, layout: np.ndarray) -> bool:
            share = (done_before + iteration) / total
            report(TSNE_KNN_SHARE + (1 - TSNE_KNN_SHARE) * share, "optimising", np.asarray(layout))
            return False

        return callback

    report(TSNE_KNN_SHARE, "optimising", None)
    embedding = embedding.optimize(
        n_iter=TSNE_EXAGGERATION_ITER,
        exaggeration=12,
        momentum=0.5,
        callbacks=reporter(0),
        callbacks_every_iters=TSNE_REPORT_EVERY,
    )
    return embedding.optimize(
        n_iter=iterations,
        momentum=0.8,
        callbacks=reporter(TSNE_EXAGGERATION_ITER),
        callbacks_every_iters=TSNE_REPORT_EVERY,
    )


def _annoy_freed_after_search() -> type:
    """openTSNE's Annoy neighbour search, whose index (a copy of the rows and its trees: about
    290 MB for 100k x 300) is freed as soon as the neighbours are found, so it is not held while
    the affinity matrix is computed (the peak of a t-SNE)."""
    from openTSNE.nearest_neighbors import Annoy

    class AnnoyFreedAfterSearch(Annoy):
        def build(self) -> tuple[np.ndarray, np.ndarray]:
            found = super().build()
            self.index = None
            return found

    return AnnoyFreedAfterSearch


def _perplexity_affinities(search: Any, perplexity: float, jobs: int) -> Any:
    """openTSNE's perplexity-based affinity matrix (``PerplexityBasedNN``'s ``P``, bitwise) from
    ``search`` (an openTSNE neighbour search, not yet built), holding less at once: the distances
    are not copied, the neighbour lists are dropped once in the matrix, and the symmetric matrix
    is halved in place where openTSNE's ``(P + P.T) / 2`` makes a copy. The peak of a large
    map's t-SNE (benchmarks/explorer_tsne_scale.py)."""
    import scipy.sparse as sp
    from openTSNE import _tsne
    from openTSNE.affinity import PerplexityBasedNN, PrecomputedAffinities

    perplexity = PerplexityBasedNN.check_perplexity(perplexity, search.k)
    neighbours, distances = search.build()
    n, k = distances.shape
    conditional = _tsne.compute_gaussian_perplexity(
        np.asarray(distances, dtype=np.float64), np.array([perplexity], dtype=np.float64), num_threads=jobs
    )
    del distances
    p = sp.csr_matrix(
        (np.asarray(conditional).ravel(), neighbours.ravel(), range(0, n * k + 1, k)), shape=(n, n)
    )
    del conditional, neighbours
    p = p + p.T
    p.data /= 2
    p /= np.sum(p)
    return PrecomputedAffinities(p, normalize=False)


def _drop_neighbour_search(affinities: Any) -> None:
    """Free what openTSNE keeps of its neighbour search after computing the affinities: the Annoy
    index (a copy of the rows and its trees) and the neighbour lists. Optimising needs only the
    affinity matrix ``P``."""
    affinities.knn_index = None
    for name in ("_PerplexityBasedNN__neighbors", "_PerplexityBasedNN__distances"):
        if hasattr(affinities, name):
            setattr(affinities, name, None)


def _tsne_sklearn(
    vectors: np.ndarray, seed: int, init: np.ndarray | None, perplexity: float, progress: Progress | None
) -> np.ndarray:
    from sklearn.manifold import TSNE

    if progress is not None:
        progress(0.0, "optimising", None)
    start: Any = "pca"
    if init is not None:
        start = np.asarray(init, dtype=np.float32) - np.asarray(init, dtype=np.float32).mean(axis=0)
        std = float(np.std(start[:, 0])) or 1.0
        start = (start / std * 1e-4).astype(np.float32)
    model = TSNE(n_components=2, perplexity=perplexity, init=start, random_state=seed)
    return model.fit_transform(vectors)


def _umap(
    vectors: np.ndarray,
    *,
    seed: int = 0,
    init: np.ndarray | None = None,
    n_neighbors: int = 15,
    min_dist: float = 0.1,
) -> np.ndarray:
    """``umap.UMAP`` with cosine distance (installed with ``pip install w2v-widgets[umap]``)."""
    import umap

    start: Any = "spectral" if init is None else np.asarray(init, dtype=np.float32)
    model = umap.UMAP(
        n_components=2,
        n_neighbors=min(n_neighbors, len(vectors) - 1),
        min_dist=min_dist,
        metric="cosine",
        random_state=seed,
        init=start,
        n_jobs=1,  # seeded, umap runs one thread anyway (it warns when asked for more)
    )
    return model.fit_transform(vectors)


if importlib.util.find_spec("umap") is not None:
    PROJECTIONS.register("umap", _umap)

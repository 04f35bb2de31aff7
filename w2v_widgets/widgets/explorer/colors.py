"""Point colours of the embedding explorer: by corpus frequency, by k-means cluster (computed
with scikit-learn on the full vectors), by the map's distortion (how many of each word's true
neighbours the map keeps near it), or by a user column. Each scheme gives an int32 code per
point, a palette of CSS colours and a legend; the front-end only draws.

The palettes are mid-luminance so points read on both light and dark backgrounds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import ConfigError
from ...vectors import projections

# Tableau 10 (categorical) and a 7-step viridis trimmed at both ends (sequential).
CATEGORICAL = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
]  # fmt: skip
SEQUENTIAL = ["#3e4a89", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b"]
MISSING = "#8c8c8c"

DISTORTION_MAX = 20_000  # plotted words color_by="distortion" checks (an exact k-NN of each)


@dataclass
class Coloring:
    """Codes (one per plotted word), palette and legend (``{"label", "color"}`` dicts)."""

    codes: np.ndarray
    palette: list[str]
    legend: list[dict] = field(default_factory=list)


def _sequential(k: int) -> list[str]:
    if k <= len(SEQUENTIAL):
        picks = np.linspace(0, len(SEQUENTIAL) - 1, k).round().astype(int) if k > 1 else [3]
        return [SEQUENTIAL[i] for i in picks]
    raise ConfigError(f"at most {len(SEQUENTIAL)} sequential colours")


def by_frequency(counts: np.ndarray | None, indices: np.ndarray) -> Coloring:
    """Decades of corpus count (1–9, 10–99, ...), or of frequency rank when counts are unknown."""
    indices = np.asarray(indices, dtype=np.int64)
    if counts is not None:
        values = np.maximum(np.asarray(counts)[indices], 1)
        unit = ""
    else:
        values = indices + 1  # frequency rank (vocabulary order)
        unit = "rank "
    decade = np.floor(np.log10(values) + 1e-9).astype(int)
    present = np.unique(decade)
    merged = len(present) > len(SEQUENTIAL)
    if merged:  # fold the lowest decades into one bin
        decade = np.maximum(decade, present[-len(SEQUENTIAL)])
        present = np.unique(decade)
    codes = np.searchsorted(present, decade).astype(np.int32)
    palette = _sequential(len(present))
    if counts is None:  # rank 1 is the most frequent: same colour as the highest counts
        palette = palette[::-1]
    legend = []
    for i, d in enumerate(present):
        lo = 1 if i == 0 and merged else 10 ** int(d)
        legend.append({"label": f"{unit or 'count '}{lo:,}–{10 ** (int(d) + 1) - 1:,}", "color": i})
    return Coloring(codes, palette, legend)


def by_cluster(
    unit_vectors: np.ndarray,
    words: Sequence[str],
    n_clusters: int,
    seed: int = 0,
    init_centres: np.ndarray | None = None,
) -> tuple[Coloring, np.ndarray]:
    """k-means on unit vectors (scikit-learn); returns the colouring and the centres.

    ``init_centres`` (from a previous call) keeps cluster numbers stable across updates. The
    legend names each cluster by its three most frequent words (``words`` in frequency order).
    """
    from sklearn.cluster import KMeans, MiniBatchKMeans

    n = len(unit_vectors)
    k = max(1, min(n_clusters, len(CATEGORICAL), n))
    if init_centres is not None and init_centres.shape == (k, unit_vectors.shape[1]):
        km: Any = KMeans(n_clusters=k, init=init_centres, n_init=1, random_state=seed)
    elif n > 20000:
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=4096)
    else:
        km = KMeans(n_clusters=k, n_init=3, random_state=seed)
    labels = km.fit_predict(unit_vectors).astype(np.int32)
    legend = []
    for c in range(k):
        members = np.flatnonzero(labels == c)[:3]
        legend.append({"label": ", ".join(words[i] for i in members) or f"cluster {c}", "color": c})
    return Coloring(labels, CATEGORICAL[:k], legend), km.cluster_centers_.astype(np.float32)


DISTORTION_BINS = [(0.0, "keeps 0–2 of 10 nearest"), (0.3, "keeps 3–4"),
                   (0.5, "keeps 5–6"), (0.7, "keeps 7–8"), (0.9, "keeps 9–10: faithful")]  # fmt: skip
DISTORTION_COLORS = ["#d7191c", "#fdae61", "#c9c95a", "#a6d96a", "#1a9641"]


def by_distortion(kept: np.ndarray) -> Coloring:
    """Colour by ``neighbours_kept`` (share of the 10 true nearest words that the map keeps
    among its 10 nearest): red where the map misplaces a word, green where it is faithful."""
    kept = np.asarray(kept, dtype=np.float64)
    lows = np.array([lo for lo, _ in DISTORTION_BINS])
    codes = (np.searchsorted(lows, kept + 1e-9, side="right") - 1).clip(0, len(lows) - 1).astype(np.int32)
    legend = [{"label": label, "color": i} for i, (_, label) in enumerate(DISTORTION_BINS)]
    return Coloring(codes, list(DISTORTION_COLORS), legend)


def nearest_centre(unit_vectors: np.ndarray, centres: np.ndarray) -> np.ndarray:
    """Cluster code of points: the nearest centre by Euclidean distance, as k-means assigns."""
    d2 = (centres**2).sum(axis=1)[None, :] - 2 * unit_vectors @ centres.T
    return np.argmin(d2, axis=1).astype(np.int32)


def by_column(values: Any, words: Sequence[str]) -> Coloring:
    """Colour by user values: a sequence aligned with ``words``, or a mapping word -> value
    (a dict or a pandas Series indexed by word; missing words are grey). Numbers get up to 7
    quantile bins; anything else up to 9 categories plus "other"."""
    column = _align(values, words)
    mask = np.array([v is not None and not (isinstance(v, float) and np.isnan(v)) for v in column])
    numeric = all(isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)
                  for v in column[mask])  # fmt: skip
    if mask.any() and numeric:
        return _numeric_bins(np.array([float(v) if m else np.nan for v, m in zip(column, mask, strict=True)]))
    return _categories(column, mask)


def _align(values: Any, words: Sequence[str]) -> np.ndarray:
    if hasattr(values, "index") and hasattr(values, "get") and not isinstance(values, Mapping):
        try:  # a pandas Series: by word when its index holds the words, else by position
            by_word = any(isinstance(i, str) for i in values.index[:10])
            values = values.to_dict() if by_word else list(values)
        except TypeError:
            values = list(values)
    if isinstance(values, Mapping):
        return np.array([values.get(w) for w in words], dtype=object)
    values = list(values)
    if len(values) != len(words):
        raise ConfigError(
            f"color_by has {len(values)} values for {len(words)} plotted words: give one per word "
            "(in ex.words order) or a mapping word -> value"
        )
    return np.array(values, dtype=object)


def _numeric_bins(x: np.ndarray) -> Coloring:
    finite = x[np.isfinite(x)]
    edges = np.unique(np.quantile(finite, np.linspace(0, 1, len(SEQUENTIAL) + 1)))
    if len(edges) < 2:
        edges = np.array([finite.min(), finite.min()])
    bins = max(1, len(edges) - 1)
    codes = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, bins - 1).astype(np.int32)
    palette = _sequential(bins)
    legend = [
        {"label": f"{edges[i]:.3g}–{edges[min(i + 1, len(edges) - 1)]:.3g}", "color": i} for i in range(bins)
    ]
    missing = ~np.isfinite(x)
    if missing.any():
        codes[missing] = len(palette)
        palette = [*palette, MISSING]
        legend.append({"label": "missing", "color": len(palette) - 1})
    return Coloring(codes, palette, legend)


def _categories(column: np.ndarray, mask: np.ndarray) -> Coloring:
    labels = np.array([str(v) if m else "" for v, m in zip(column, mask, strict=True)], dtype=object)
    names, counts = np.unique(labels[mask], return_counts=True)
    order = names[np.argsort(-counts, kind="stable")]
    top = list(order[: len(CATEGORICAL) - 1]) if len(order) > len(CATEGORICAL) else list(order)
    lookup = {name: i for i, name in enumerate(top)}
    palette = CATEGORICAL[: len(top)]
    legend = [{"label": name, "color": i} for i, name in enumerate(top)]
    other = len(top)
    if len(order) > len(top):
        palette = [*palette, CATEGORICAL[-1]]
        legend.append({"label": "other", "color": other})
    codes = np.array([lookup.get(lab, other) for lab in labels], dtype=np.int32)
    if not mask.all():
        codes[~mask] = len(palette)
        palette = [*palette, MISSING]
        legend.append({"label": "missing", "color": len(palette) - 1})
    return Coloring(codes, palette, legend)


class ColorChoice:
    """What the explorer colours by (``color_by``) and what it keeps between two colourings: the
    cluster centres (cluster numbers stay stable across updates) and the column given."""

    def __init__(self, n_clusters: int, seed: int):
        self.n_clusters, self.seed = n_clusters, seed
        self.mode = "frequency"
        self.centres: np.ndarray | None = None
        self.column: dict[str, Any] | None = None

    @property
    def value(self) -> Any:
        """``color_by`` as given: a mode's name, or the column (a dict of word to value)."""
        return self.column if self.mode == "column" else self.mode

    def coloring(
        self,
        value: Any,
        words: list[str],
        refit: bool,
        *,
        unit_vectors: Callable[[], np.ndarray],
        shown_xy: Callable[[], np.ndarray],
        counts: Any,
        plot_idx: np.ndarray,
        shown: Callable[[], tuple[list, list]],
    ) -> Coloring:
        """The colours for ``color_by=value`` over the plotted ``words``: ``unit_vectors()`` of the
        plotted words, ``shown_xy()`` their positions, ``counts`` the vocabulary's, ``plot_idx``
        the plotted words' vocabulary indices, ``shown()`` the palette and legend now on the page
        (kept when clusters are not refitted)."""
        if isinstance(value, str) and value == "distortion":
            if len(words) > DISTORTION_MAX:
                raise ConfigError(
                    f'color_by="distortion" checks at most {DISTORTION_MAX:,} plotted words (an exact '
                    f"nearest-neighbour search for each), not {len(words):,}: pass a smaller n_words"
                )
            self.mode = "distortion"
            return by_distortion(projections.neighbours_kept(unit_vectors(), shown_xy()))
        if isinstance(value, str) and value == "frequency":
            self.mode = "frequency"
            return by_frequency(counts, plot_idx)
        if isinstance(value, str) and value == "cluster":
            self.mode = "cluster"
            unit = unit_vectors()
            if refit or self.centres is None:
                coloring, self.centres = by_cluster(
                    unit, words, self.n_clusters, self.seed, init_centres=self.centres
                )
                return coloring
            palette, legend = shown()
            return Coloring(nearest_centre(unit, self.centres), palette, legend)
        if isinstance(value, str):
            raise ConfigError(
                "color_by must be 'frequency', 'cluster', 'distortion' or one value per plotted word, "
                f"got {value!r}"
            )
        if not isinstance(value, Mapping) and not hasattr(value, "to_dict"):
            value = list(value)
            if len(value) != len(words):
                by_column(value, words)  # raises the explanatory ConfigError
            value = dict(zip(words, value, strict=True))
        coloring = by_column(value, words)
        self.mode = "column"
        self.column = dict(value) if isinstance(value, Mapping) else value.to_dict()
        return coloring


def coloring_for(
    explorer: Any, value: Any, words: list[str], refit: bool, xy: np.ndarray | None = None
) -> Coloring:
    """The colours for ``color_by=value`` over the explorer's plotted ``words``, placed at ``xy``
    (``None``: where they are shown now); see :meth:`ColorChoice.coloring`."""
    plot = explorer._plot
    return explorer._colors.coloring(
        value,
        words,
        refit,
        unit_vectors=plot.unit_vectors,
        shown_xy=lambda: np.asarray(explorer._xy if xy is None else xy),
        counts=getattr(plot.wv, "counts", None),
        plot_idx=plot.idx,
        shown=lambda: (list(explorer._palette), list(explorer._legend)),
    )


def show_coloring(explorer: Any, coloring: Coloring) -> None:
    """Put ``coloring`` in the explorer's synced traits (codes, palette, legend) in one message."""
    with explorer.hold_sync():
        explorer._codes = coloring.codes
        explorer._palette = coloring.palette
        explorer._legend = coloring.legend

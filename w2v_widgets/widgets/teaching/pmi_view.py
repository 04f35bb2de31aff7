"""``PMIView``: what skip-gram with negative sampling converges to.

Levy & Goldberg (2014): at its optimum, SGNS sets the score of a (word, context) pair to its
pointwise mutual information shifted by ``log k``:

    u_c · v_w  =  log( #(w, c) / (#(w) · k · P_noise(c)) )  =  PMI(w, c) - log k   (noise = unigram)

This view counts the corpus's co-occurrences the way the trainer draws its pairs (a window of
radius ``1..window`` drawn uniformly: a pair ``d`` words apart is seen with weight
``(window - d + 1) / window``), and puts the model's scores beside that target: bars for one
probe word, and a scatter over the frequent observed pairs, which tightens as training goes on.
Sliders for ``k`` and the noise exponent retrain the model (seconds on a small corpus).
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets
from scipy import sparse

from ...callbacks.base import Callback
from ...data import sampling
from ...data.corpus import Corpus
from ...errors import ConfigError, UnknownWordError
from ..plain_text import PlainTextRepr
from . import svg
from .snapshot import TeachingSnapshotDisplay, ThrottledSnapshot, teaching_markup

EXPONENTS = (0.0, 0.75, 1.0)


def cooccurrence(ids: np.ndarray, offsets: np.ndarray, vocab_size: int, window: int) -> sparse.csr_matrix:
    """Expected pair counts ``#(w, c)`` under dynamic windows, symmetric, as a sparse matrix.

    ``ids``: vocabulary ids of the whole corpus; ``offsets``: sentence boundaries (pairs never
    cross them). A pair ``d`` positions apart counts ``(window - d + 1) / window``: the chance
    that a radius drawn uniformly from ``1..window`` reaches it.
    """
    ids = np.asarray(ids, dtype=np.int64)
    sentence = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
    rows, cols, weights = [], [], []
    for d in range(1, window + 1):
        same = sentence[d:] == sentence[:-d]
        a, b = ids[:-d][same], ids[d:][same]
        w = np.full(a.shape, (window - d + 1) / window)
        rows += [a, b]
        cols += [b, a]
        weights += [w, w]
    if not rows or not sum(len(r) for r in rows):
        return sparse.csr_matrix((vocab_size, vocab_size))
    matrix = sparse.coo_matrix(
        (np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
        shape=(vocab_size, vocab_size),
    )
    return matrix.tocsr()


def pmi_table(
    counts: sparse.csr_matrix,
    noise: np.ndarray,
    k: int,
    pairs: tuple[np.ndarray, np.ndarray] | None = None,
) -> pd.DataFrame:
    """PMI of observed pairs and the SGNS optimum. One row per nonzero ``counts[w, c]`` (or per
    given ``pairs``): ``w, c, count, pmi`` = ``log(#(w,c) D / (#(w) #(c)))`` and ``shifted`` =
    ``log(#(w,c) / (#(w) k P_noise(c)))``, which equals ``pmi - log k`` for unigram noise."""
    coo = counts.tocoo()
    total = float(counts.sum())
    row_sum = np.asarray(counts.sum(axis=1)).ravel()
    col_sum = np.asarray(counts.sum(axis=0)).ravel()
    if pairs is None:
        w, c, n = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
    else:
        w, c = (np.asarray(p, dtype=np.int64) for p in pairs)
        n = np.asarray(counts[w, c]).ravel()
    with np.errstate(divide="ignore"):
        pmi = np.log(n * total / (row_sum[w] * col_sum[c]))
        shifted = np.log(n / (row_sum[w] * k * noise[c]))
    return pd.DataFrame({"w": w, "c": c, "count": n, "pmi": pmi, "shifted": shifted})


@dataclass
class CopiedTables:
    """The two tables at one moment (copies), and the training settings they came from."""

    w_in: np.ndarray
    w_out: np.ndarray
    k: int
    ns_exponent: float
    epoch: int | None


class PMIView(PlainTextRepr, TeachingSnapshotDisplay, Callback, widgets.VBox):
    """The model's scores against PMI: bars for a probe word, a scatter over frequent pairs.

    ``PMIView(model, corpus, word="the", n_words=300, min_pair_count=5, max_points=2000)``:
    ``model`` a ``Word2Vec`` with negative sampling (trained, or trained later: the view follows
    it, redrawing at each epoch's end), ``corpus`` the corpus it is trained on. :attr:`data`
    holds one row per frequent observed pair: ``word``, ``context``, ``count``, ``pmi``,
    ``shifted`` (``PMI - log k``, with the model's noise exponent) and ``score`` (``u_c·v_w``).
    :meth:`retrain` (and the Retrain button) trains again from scratch with new ``k`` / noise
    exponent, in the background. Displayed in a kernel, a static snapshot of the pictures
    follows it (see :mod:`.snapshot`), shown where the widget cannot draw.
    """

    plain_facts = ("word", "k")

    word = traitlets.Unicode()
    k = traitlets.Int(5)
    ns_exponent = traitlets.Float(0.75)
    correlation = traitlets.Float(allow_none=True)

    def __init__(
        self,
        model: Any,
        corpus: Corpus,
        word: str | None = None,
        n_words: int = 300,
        min_pair_count: float = 5.0,
        max_points: int = 2000,
        **kwargs: Any,
    ):
        if not isinstance(corpus, Corpus):
            raise ConfigError(
                f"PMIView takes the w2v_widgets.Corpus the model trains on, not {type(corpus).__name__}"
            )
        if getattr(model, "config", None) is None or not hasattr(model, "fit"):
            raise ConfigError(f"PMIView follows a w2v.Word2Vec, not a {type(model).__name__}")
        if model.config.loss != "negative":
            raise ConfigError(
                f"PMIView explains negative sampling; this model has loss={model.config.loss!r}: "
                "use w2v.Word2Vec(loss='negative')"
            )
        self.model, self.corpus = model, corpus
        self.n_words, self.min_pair_count, self.max_points = (
            int(n_words),
            float(min_pair_count),
            int(max_points),
        )
        self._counts: sparse.csr_matrix | None = None
        self._counts_key: tuple | None = None
        self._lock = threading.Lock()
        self._last_draw = 0.0
        self.data = pd.DataFrame(columns=["word", "context", "count", "pmi", "shifted", "score"])
        self._k = widgets.IntSlider(value=model.config.negative, min=1, max=15, description="k (noise)")
        self._exponent = widgets.SelectionSlider(
            options=[(f"{e:g}", e) for e in EXPONENTS],
            value=_nearest(model.config.ns_exponent),
            description="noise ^",
        )
        self._word = widgets.Text(description="probe word", continuous_update=False)
        self._retrain = widgets.Button(description="Retrain", icon="refresh", button_style="primary")
        self._message, self._bars, self._scatter = widgets.HTML(), widgets.HTML(), widgets.HTML()
        parts = {"k": self._k, "exponent": self._exponent, "word": self._word, "retrain": self._retrain}
        parts.update(message=self._message, bars=self._bars, scatter=self._scatter)
        for cls, w in parts.items():
            w.add_class(f"w2v-pmi-{cls}")
        self.offline = ThrottledSnapshot(
            self.snapshot_html, plain="PMIView: static snapshot", drawn=".w2v-pmi-message"
        )
        widgets.VBox.__init__(
            self,
            children=[
                widgets.HBox([self._word, self._k, self._exponent, self._retrain]),
                self._message,
                widgets.HBox([self._bars, self._scatter], layout=widgets.Layout(flex_flow="row wrap")),
                self.offline.hider,
            ],
            **kwargs,
        )
        self.add_class("w2v-pmi-view")
        self.add_class(self.offline.owner_class)
        widgets.link((self._k, "value"), (self, "k"))
        widgets.link((self._exponent, "value"), (self, "ns_exponent"))
        widgets.link((self._word, "value"), (self, "word"))
        self.k, self.ns_exponent = model.config.negative, _nearest(model.config.ns_exponent)
        self.word = word or ""
        self._retrain.on_click(lambda _: self.retrain(wait=False))
        self.observe(lambda _: self.refresh(), names=["word"])
        model.add_callback(self)
        self.refresh()

    # ------------------------------------------------------------------ counting
    def counts(self) -> sparse.csr_matrix:
        """Co-occurrence counts of the model's vocabulary in the corpus (cached per vocabulary)."""
        vocab = self.model.vocab
        key = (id(vocab), self.model.config.window)
        if self._counts is None or self._counts_key != key:
            ids, offsets = vocab.encode_corpus(self.corpus)
            self._counts = cooccurrence(ids, offsets, len(vocab), self.model.config.window)
            self._counts_key = key
        return self._counts

    def snapshot(self) -> CopiedTables | None:
        module = self.model.module
        if module is None or self.model.vocab is None:
            return None
        w_in = module.centre.weight.detach().to("cpu", copy=True).double().numpy()
        w_out = module.context.weight.detach().to("cpu", copy=True).double().numpy()
        done = len(self.model.epoch_losses)
        cfg = self.model.config
        return CopiedTables(w_in, w_out, cfg.negative, cfg.ns_exponent, done)

    def compute(self, snap: CopiedTables) -> pd.DataFrame:
        """The table of frequent observed pairs for one snapshot (see :attr:`data`)."""
        vocab = self.model.vocab
        counts = self.counts()
        noise = sampling.noise_distribution(vocab.counts, snap.ns_exponent)
        top = np.argsort(-np.asarray(vocab.counts), kind="stable")[: self.n_words]
        sub = counts[top][:, top].tocoo()
        keep = sub.data >= self.min_pair_count
        w, c = top[sub.row[keep]], top[sub.col[keep]]
        if len(w) > self.max_points:
            pick = np.random.default_rng(0).choice(len(w), self.max_points, replace=False)
            w, c = w[np.sort(pick)], c[np.sort(pick)]
        table = pmi_table(counts, noise, snap.k, (w, c))
        words = np.asarray(vocab.words, dtype=object)
        table.insert(0, "word", words[table.w.to_numpy()])
        table.insert(1, "context", words[table.c.to_numpy()])
        table["score"] = np.einsum("ij,ij->i", snap.w_in[table.w.to_numpy()], snap.w_out[table.c.to_numpy()])
        return table.drop(columns=["w", "c"])

    # ------------------------------------------------------------------ following training
    def on_epoch_end(self, model: Any, logs: dict) -> None:
        if time.monotonic() - self._last_draw >= 0.5 or logs.get("epoch", 0) + 1 >= logs.get("epochs", 0):
            self.refresh()

    def on_train_end(self, model: Any, logs: dict) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute from the model's current weights and redraw."""
        self._redraw()
        self.offline.request()

    def snapshot_html(self, css_class: str) -> str:
        """The static snapshot: the summary, the probe word's bars and the scatter as drawn now."""
        return teaching_markup(css_class, self._message.value, self._bars.value, self._scatter.value)

    def _redraw(self) -> None:
        with self._lock:
            self._last_draw = time.monotonic()
            snap = self.snapshot()
            if snap is None:
                self._message.value = "<i>The model has no vectors yet: train it (Retrain, or model.fit).</i>"
                return
            self.data = self.compute(snap)
            self.correlation = _correlation(self.data)
            self._bars.value = self._probe_bars(snap)
            self._scatter.value = scatter_svg(self.data, snap.k, snap.ns_exponent)
            r = "n/a" if self.correlation is None else f"{self.correlation:.3f}"
            self._message.value = (
                f"<span class='w2v-pmi-summary'>after {snap.epoch} epoch(s), k = {snap.k}, noise ∝ count^"
                f"{snap.ns_exponent:g}: {len(self.data):,} frequent observed pairs, correlation of u·v with "
                f"PMI − log k: <b>{r}</b></span>"
                + (
                    " <small>(subsampling is on: the counts ignore it)</small>"
                    if self.model.config.sample
                    else ""
                )
            )

    def _probe_bars(self, snap: CopiedTables) -> str:
        vocab = self.model.vocab
        word = self.word or vocab.words[min(10, len(vocab) - 1)]
        if word not in vocab:
            hint = UnknownWordError(word, [])
            return f"<b style='color:#c62828'>{svg.esc(hint)}</b>"
        return probe_bars_svg(word, self.counts(), snap, vocab.words, vocab.counts)

    # ------------------------------------------------------------------ retraining
    def retrain(self, k: int | None = None, ns_exponent: float | None = None, wait: bool = True) -> None:
        """Train the model again from scratch with ``k`` noise words and the noise exponent
        (defaults: the sliders); in the background unless ``wait``."""
        k = self.k if k is None else int(k)
        ns_exponent = self.ns_exponent if ns_exponent is None else float(ns_exponent)
        self.k = k
        if ns_exponent in EXPONENTS:
            self.ns_exponent = ns_exponent  # the slider shows the classroom values only
        model = self.model
        if model.active:
            model.stop()
            model.wait()
        model.set_params(negative=k, ns_exponent=ns_exponent)
        model.reset()
        self._message.value = f"<i>retraining with k = {k}, noise ∝ count^{ns_exponent:g}…</i>"
        model.fit(self.corpus, background=not wait)


def _nearest(exponent: float) -> float:
    return min(EXPONENTS, key=lambda e: abs(e - exponent))


def _correlation(data: pd.DataFrame) -> float | None:
    ok = np.isfinite(data["shifted"]) & np.isfinite(data["score"])
    if ok.sum() < 3 or data["score"][ok].std() == 0:
        return None
    return float(np.corrcoef(data["shifted"][ok], data["score"][ok])[0, 1])


def probe_bars_svg(
    word: str,
    counts: sparse.csr_matrix,
    snap: CopiedTables,
    words: list[str],
    word_counts: np.ndarray,
    n: int = 10,
) -> str:
    """For ``word``: its ``n`` most frequent contexts, with the corpus's P(c | word), the
    model's P(c | word) (``P_noise(c) e^{u·v}`` normalised over the vocabulary: what SGNS
    implies at its optimum) and the sigmoid score σ(u·v)."""
    i = words.index(word)
    row = counts.getrow(i).toarray().ravel()
    if row.sum() == 0:
        return f"<i>{svg.esc(word)} has no context in the corpus</i>"
    top = np.argsort(-row, kind="stable")[:n]
    scores = snap.w_out @ snap.w_in[i]
    noise = sampling.noise_distribution(word_counts, snap.ns_exponent)
    logits = np.log(noise) + scores
    model_p = np.exp(logits - logits.max())
    model_p /= model_p.sum()
    sigma = 1 / (1 + np.exp(-scores[top]))
    labels = [words[j] for j in top]
    corpus_p = row[top] / row.sum()
    hi = float(max(corpus_p.max(), model_p[top].max()))
    series = [("corpus P(c|w)", svg.CONTEXT, corpus_p), ("model P(c|w)", svg.INPUT, model_p[top])]
    probs = svg.hbars(labels, series, width=380, hi=hi * 1.05, css_class="w2v-pmi-probs", fmt="{:.3f}")
    sig = svg.hbars(labels, [("σ(u·v)", "#ff8f00", sigma)], width=280, row=16, css_class="w2v-pmi-sigma")
    title = f"<div class='w2v-pmi-probe'><b>{svg.esc(word)}</b>: its {len(top)} most frequent contexts</div>"
    return title + f"<div style='display:flex;gap:8px'>{probs}{sig}</div>"


def scatter_svg(data: pd.DataFrame, k: int, exponent: float, size: int = 360) -> str:
    """``u·v`` (y) against the SGNS optimum ``PMI - log k`` (x), one dot per pair, and the
    diagonal y = x where the dots lie at convergence."""
    ok = np.isfinite(data["shifted"]).to_numpy() & np.isfinite(data["score"]).to_numpy()
    x, y = data["shifted"].to_numpy()[ok], data["score"].to_numpy()[ok]
    pad, plot = 44, size - 60
    if len(x) == 0:
        return svg.svg(size, size, svg.text(20, 40, "no frequent observed pairs"), "w2v-pmi-scatter-svg")
    lo = float(min(x.min(), y.min(), 0.0))
    hi = float(max(x.max(), y.max(), 0.0))
    hi = hi if hi > lo else lo + 1

    def px(v: np.ndarray | float) -> Any:
        return pad + (np.asarray(v) - lo) / (hi - lo) * plot

    def py(v: np.ndarray | float) -> Any:
        return size - pad + 10 - (np.asarray(v) - lo) / (hi - lo) * plot

    parts = [svg.line(px(lo), py(lo), px(hi), py(hi), "#9e9e9e", dash="4,3")]
    parts.append(svg.line(pad, size - pad + 10, pad + plot, size - pad + 10, svg.NEUTRAL))
    parts.append(svg.line(pad, size - pad + 10, pad, size - pad + 10 - plot, svg.NEUTRAL))
    for tick in _ticks(lo, hi):
        parts.append(svg.text(px(tick), size - pad + 24, f"{tick:g}", "middle", svg.NEUTRAL, font_size="10"))
        parts.append(svg.text(pad - 4, py(tick) + 3, f"{tick:g}", "end", svg.NEUTRAL, font_size="10"))
    dots = "".join(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="2"/>' for a, b in zip(px(x), py(y), strict=True))
    parts.append(f'<g class="w2v-pmi-dots" fill="{svg.INPUT}" fill-opacity="0.35">{dots}</g>')
    name = "PMI − log k" if exponent == 1 else f"PMI − log k (noise ∝ count^{exponent:g})"
    parts.append(svg.text(pad + plot / 2, size - 4, f"{name}, k = {k}", "middle"))
    parts.append(svg.text(12, size / 2, "model score u·v", "middle", transform=f"rotate(-90 12 {size / 2})"))
    parts.append(
        svg.text(pad + 6, 16, "dashed: u·v = PMI − log k (the optimum)", color=svg.NEUTRAL, font_size="10")
    )
    return svg.svg(size, size, "".join(parts), "w2v-pmi-scatter-svg")


def _ticks(lo: float, hi: float) -> list[float]:
    step = 10 ** math.floor(math.log10(max(hi - lo, 1e-9) / 2))
    if (hi - lo) / step > 8:
        step *= 2
    if (hi - lo) / step > 8:
        step *= 2.5
    first = math.ceil(lo / step) * step
    return [round(first + i * step, 10) for i in range(int((hi - first) / step) + 1)]

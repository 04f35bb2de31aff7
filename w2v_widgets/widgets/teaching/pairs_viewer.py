"""``PairsViewer``: how one sentence becomes skip-gram training examples, step by step.

A teaching widget. It runs the engine's own sampling functions (:mod:`w2v_widgets.data.sampling`)
on one sentence: rare words leave with ``min_count``, frequent words are discarded at random by
subsampling, every centre word draws its window radius, the windows give (centre, context) pairs
and each pair draws noise words from unigram^0.75. Sliders change the window and the
subsampling threshold; Resample draws again. No sampling logic lives here.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
import torch
import traitlets

from ...data import sampling
from ...data.corpus import Corpus
from ...data.tokenizers import default_tokenizer
from ...data.vocabulary import Vocabulary
from ...errors import ConfigError
from ..closing import close_tree
from ..plain_text import PlainTextRepr
from .snapshot import TeachingSnapshotDisplay, ThrottledSnapshot, teaching_markup

RARE, DISCARDED, KEPT = "rare", "discarded", "kept"
_COLORS = {RARE: "#9e9e9e", DISCARDED: "#c62828", KEPT: "#1b5e20"}


@dataclass
class PairsDraw:
    """One draw for one sentence: each token's fate, then the kept words' windows and pairs."""

    tokens: list[str]
    status: list[str]  # RARE, DISCARDED or KEPT per token
    keep_prob: list[float]  # probability of keeping each token (0 for rare words)
    centres: list[str] = field(default_factory=list)  # kept words, in order
    radius: list[int] = field(default_factory=list)  # drawn window radius of each kept word
    contexts: list[list[str]] = field(default_factory=list)  # context words of each kept word
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (centre, context), engine order
    noise: list[list[str]] = field(default_factory=list)  # noise words of each pair

    @property
    def dropped(self) -> list[str]:
        return [t for t, s in zip(self.tokens, self.status, strict=True) if s != KEPT]


def draw_pairs(
    tokens: list[str],
    vocab: Vocabulary,
    keep_prob: np.ndarray,
    noise: sampling.NoiseSampler,
    window: int,
    negative: int,
    seed: int,
) -> PairsDraw:
    """Run subsampling, dynamic windows, pair extraction and noise sampling on one sentence,
    in the order the trainer does, with a generator seeded by ``seed``."""
    gen = torch.Generator().manual_seed(seed)
    in_vocab = [t in vocab for t in tokens]
    ids = torch.tensor([vocab.key_to_index[t] for t, ok in zip(tokens, in_vocab, strict=True) if ok])
    ids = ids.to(torch.int64)
    keep_t = torch.as_tensor(keep_prob)
    kept = sampling.subsample(ids, keep_t, gen)
    status, probs, j = [], [], 0
    for ok in in_vocab:
        if not ok:
            status.append(RARE)
            probs.append(0.0)
            continue
        status.append(KEPT if bool(kept[j]) else DISCARDED)
        probs.append(float(keep_t[ids[j]]))
        j += 1
    draw = PairsDraw(list(tokens), status, probs)
    centres = ids[kept]
    if len(centres) == 0:
        return draw
    sentence = torch.zeros(len(centres), dtype=torch.int32)
    radius = sampling.draw_windows(len(centres), window, gen, "cpu")
    contexts, valid = sampling.context_matrix(centres, sentence, radius, window)
    pair_centres, pair_contexts = sampling.skipgram_pairs(centres, sentence, radius, window)
    noise_ids = noise.sample((len(pair_centres), negative), gen)
    words = vocab.words
    draw.centres = [words[i] for i in centres.tolist()]
    draw.radius = radius.tolist()
    draw.contexts = [
        [words[i] for i in row[mask].tolist()] for row, mask in zip(contexts, valid, strict=True)
    ]
    draw.pairs = [
        (words[c], words[o]) for c, o in zip(pair_centres.tolist(), pair_contexts.tolist(), strict=True)
    ]
    draw.noise = [[words[i] for i in row] for row in noise_ids.tolist()]
    return draw


def _word(word: str, color: str = "inherit", strike: bool = False, title: str = "") -> str:
    style = f"color:{color};" + ("text-decoration:line-through;" if strike else "")
    tip = f' title="{html.escape(title)}"' if title else ""
    return f'<span class="w2v-pv-word" style="{style}"{tip}>{html.escape(word)}</span>'


def draw_to_html(draw: PairsDraw, window: int, negative: int, max_rows: int = 60) -> str:
    """The draw as HTML: the sentence with dropped words struck out, then one row per centre
    word (window, contexts, pairs and their noise words). Every word is escaped."""
    parts = []
    for token, status, p in zip(draw.tokens, draw.status, draw.keep_prob, strict=True):
        if status == RARE:
            tip = "below min_count: not in the vocabulary"
        else:
            tip = f"kept with probability {p:.2f}" + (" (discarded this time)" if status == DISCARDED else "")
        parts.append(_word(token, _COLORS[status], status != KEPT, tip))
    n_rare = draw.status.count(RARE)
    n_disc = draw.status.count(DISCARDED)
    summary = (
        f"{len(draw.tokens)} words: {n_rare} rare (grey), {n_disc} discarded by subsampling (red), "
        f"{len(draw.centres)} kept &rarr; <b class='w2v-pv-npairs'>{len(draw.pairs)}</b> pairs, "
        f"each with {negative} noise words"
    )
    rows = []
    pair_i = 0
    for n, (centre, r, ctx) in enumerate(zip(draw.centres, draw.radius, draw.contexts, strict=True)):
        if n >= max_rows:
            rows.append(f"<tr><td colspan='4'>&hellip; {len(draw.centres) - max_rows} more</td></tr>")
            break
        pairs_html, noise_html = [], []
        for c in ctx:
            pairs_html.append(f"({_word(centre)}, {_word(c, _COLORS[KEPT])})")
            noise_html.append(" ".join(_word(w, "#6a1b9a") for w in draw.noise[pair_i + len(noise_html)]))
        pair_i += len(ctx)
        rows.append(
            "<tr class='w2v-pv-row'>"
            f"<td><b>{_word(centre)}</b></td><td style='text-align:center'>{r} of {window}</td>"
            f"<td>{'<br>'.join(pairs_html) or '<i>no context inside the sentence</i>'}</td>"
            f"<td>{'<br>'.join(noise_html)}</td></tr>"
        )
    table = (
        "<table class='w2v-pv-table' style='border-collapse:collapse;font-size:13px'>"
        "<thead><tr><th style='text-align:left'>centre</th><th>window drawn</th>"
        "<th style='text-align:left'>(centre, context) pairs</th>"
        "<th style='text-align:left'>noise words of each pair</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    if not draw.centres:
        table = "<p><i>Every word was dropped: no centre word, no pairs. Resample or raise t.</i></p>"
    return (
        "<div class='w2v-pv-output' style='line-height:1.6'>"
        f"<div class='w2v-pv-sentence' style='font-size:15px'>{' '.join(parts)}</div>"
        f"<div class='w2v-pv-summary' style='margin:4px 0 8px 0'>{summary}</div>{table}</div>"
    )


class PairsViewer(PlainTextRepr, TeachingSnapshotDisplay, widgets.VBox):
    """Shows how one sentence of ``corpus`` turns into training pairs and noise words.

    ``PairsViewer(corpus)`` offers a few sentences of the corpus (or type your own), sliders for
    the window and the subsampling threshold, and a Resample button. ``min_count``, ``negative``
    and ``formula`` (``"paper"``, the d2l lesson's ``1 - sqrt(t/f)`` and the trainer's default,
    or ``"word2vec"``, the C tool's and gensim's) are fixed at construction. The last draw is
    in :attr:`draw`; ``pairs``,
    ``dropped``, ``window``, ``sample``, ``seed`` and ``tokens`` (the sentence shown; set it to
    show your own tokens) are traitlets. Displayed in a kernel, a static snapshot of the draw
    follows it (see :mod:`.snapshot`), shown where the widget cannot draw.
    """

    plain_facts = ("window", "sample")

    window = traitlets.Int(5)
    sample = traitlets.Float(1e-4)
    seed = traitlets.Int(0)
    tokens = traitlets.List(traitlets.Unicode())
    pairs = traitlets.List()
    dropped = traitlets.List()

    def __init__(
        self,
        corpus: Corpus,
        window: int = 5,
        sample: float = 1e-4,
        negative: int = 5,
        min_count: int = 5,
        formula: str = "paper",
        sentences: list[int] | None = None,
        seed: int = 0,
        **kwargs: Any,
    ):
        if not isinstance(corpus, Corpus):
            raise ConfigError(f"PairsViewer takes a w2v_widgets.Corpus, not a {type(corpus).__name__}")
        if not 1 <= window <= 20:
            raise ConfigError(f"window must be between 1 and 20, not {window!r}")
        if not 1e-6 <= sample <= 1:
            raise ConfigError(f"sample must be between 1e-6 and 1 for the slider, not {sample!r}")
        if negative < 1:
            raise ConfigError(f"negative must be at least 1, not {negative!r}")
        self.corpus = corpus
        self.vocab = Vocabulary.from_corpus(corpus, min_count)
        self.negative = int(negative)
        self.formula = formula
        sampling.keep_probability(self.vocab.counts[:1], 1e-4, formula)  # rejects a bad formula
        self.noise = sampling.NoiseSampler(
            sampling.noise_distribution(self.vocab.counts), table_size=max(100_000, 100 * len(self.vocab))
        )
        self.draw: PairsDraw | None = None
        choices = self._choices(sentences)
        self._pick = widgets.Dropdown(
            options=choices, description="Sentence", layout=widgets.Layout(width="95%")
        )
        self._typed = widgets.Text(
            placeholder="or type a sentence and press Enter",
            description="Your own",
            continuous_update=False,
            layout=widgets.Layout(width="95%"),
        )
        self._window = widgets.IntSlider(value=window, min=1, max=10, description="window")
        self._sample = widgets.FloatLogSlider(
            value=sample, base=10, min=-6, max=0, step=0.25, description="threshold t", readout_format=".0e"
        )
        self._resample = widgets.Button(description="Resample", icon="refresh")
        self._output = widgets.HTML()
        for w, cls in (
            (self._pick, "w2v-pv-pick"),
            (self._typed, "w2v-pv-typed"),
            (self._window, "w2v-pv-window"),
            (self._sample, "w2v-pv-sample"),
            (self._resample, "w2v-pv-resample"),
            (self._output, "w2v-pv-html"),
        ):
            w.add_class(cls)
        note = widgets.HTML(
            f"<small>vocabulary: {len(self.vocab):,} words with min_count={min_count}; "
            f"{self.negative} noise words per pair from unigram^0.75; "
            f"subsampling formula: {html.escape(formula)}</small>"
        )
        self.offline = ThrottledSnapshot(
            self.snapshot_html, plain="PairsViewer: static snapshot", drawn=".w2v-pv-html"
        )
        super().__init__(
            children=[
                self._pick,
                self._typed,
                widgets.HBox([self._window, self._sample, self._resample]),
                note,
                self._output,
                self.offline.hider,
            ],
            **kwargs,
        )
        self.add_class("w2v-pairs-viewer")
        self.add_class(self.offline.owner_class)
        self.seed = seed
        self.tokens = self.corpus.sentence(choices[0][1])[:200] if choices else []
        self.window, self.sample = window, sample
        widgets.link((self._window, "value"), (self, "window"))
        widgets.link((self._sample, "value"), (self, "sample"))
        self._pick.observe(self._on_pick, names="value")
        self._typed.observe(self._on_typed, names="value")
        self._resample.on_click(lambda _: self.resample())
        self.observe(lambda _: self.refresh(), names=["window", "sample", "seed", "tokens"])
        self.refresh()

    def _choices(self, sentences: list[int] | None) -> list[tuple[str, int]]:
        corpus = self.corpus
        if sentences is None:
            lengths = np.diff(corpus.sentence_offsets)
            good = np.flatnonzero((lengths >= 8) & (lengths <= 30))
            sentences = (good if len(good) else np.arange(corpus.n_sentences))[:12].tolist()
        choices = []
        for i in sentences:
            words = corpus.sentence(int(i))[:60]
            text = " ".join(words)
            label = text if len(text) <= 90 else text[:87] + "..."
            choices.append((f"{int(i)}: {label}", int(i)))
        return choices

    def _on_pick(self, change: dict) -> None:
        self.tokens = self.corpus.sentence(change["new"])[:200]

    def _on_typed(self, change: dict) -> None:
        if change["new"].strip():
            self.set_sentence(change["new"])

    def close(self) -> None:
        """Close the viewer and every widget it holds (sliders, buttons, the output)."""
        close_tree(self)

    def set_sentence(self, text: str) -> None:
        """Show a sentence of your own, split by the corpus readers' default tokeniser."""
        self.tokens = default_tokenizer(text)[:200]

    def resample(self) -> None:
        """Draw subsampling, windows and noise words again (a new seed)."""
        self.seed += 1

    def refresh(self) -> None:
        """Draw with the current settings and seed, and redraw the view."""
        tokens = list(self.tokens)
        if not tokens:
            self.draw = None
            self.pairs, self.dropped = [], []
            self._output.value = "<p><i>Pick a sentence or type one.</i></p>"
        else:
            keep = sampling.keep_probability(self.vocab.counts, self.sample, self.formula)
            seed = self.seed
            self.draw = draw_pairs(tokens, self.vocab, keep, self.noise, self.window, self.negative, seed)
            self.pairs = [list(p) for p in self.draw.pairs]
            self.dropped = self.draw.dropped
            self._output.value = draw_to_html(self.draw, self.window, self.negative)
        self.offline.request()

    def snapshot_html(self, css_class: str) -> str:
        """The static snapshot: the sentence, its pairs and noise words as drawn now."""
        return teaching_markup(css_class, self._output.value)

"""``AnalogyLab``: an analogy question under stress.

``a : b :: c : ?`` is answered by the word nearest to ``b - a + c``. The lab shows how much the
answer depends on choices that evaluations rarely mention: 3CosAdd against 3CosMul (Levy &
Goldberg 2014), leaving the question words out of the answers or not (with them in, ``b`` itself
often wins), the rank of the answer you expected, whether the two offsets ``b - a`` and
``? - c`` really point the same way compared with offsets between random words, and, given
several models (seeds, epochs, dimensions), the expected answer's rank in each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import ipywidgets as widgets
import numpy as np
import pandas as pd
import traitlets

from ...errors import ConfigError
from ...vectors.analogies import METHODS, analogy_scores, rank_of, ranked
from ...vectors.sources import as_word_vectors
from ...vectors.word_vectors import WordVectors
from ..plain_text import PlainTextRepr
from . import svg
from .snapshot import TeachingSnapshotDisplay, ThrottledSnapshot, teaching_markup


def offset_cosines(wv: WordVectors, n_pairs: int = 1000, n_words: int = 1000, seed: int = 0) -> np.ndarray:
    """Cosines between the offsets ``y - x`` and ``w - z`` of random word pairs (unit vectors,
    drawn from the ``n_words`` first words): what "pointing the same way" means by chance."""
    unit = wv.get_normed_vectors()[: min(n_words, len(wv))].astype(np.float64)
    rng = np.random.default_rng(seed)
    n = len(unit)
    if n < 2:
        return np.empty(0)
    x, z = rng.integers(0, n, n_pairs), rng.integers(0, n, n_pairs)
    y, w = (x + rng.integers(1, n, n_pairs)) % n, (z + rng.integers(1, n, n_pairs)) % n  # two different words
    first, second = unit[y] - unit[x], unit[w] - unit[z]
    norms = np.linalg.norm(first, axis=1) * np.linalg.norm(second, axis=1)
    ok = norms > 0
    return (first[ok] * second[ok]).sum(1) / norms[ok]


def offset_cosine(wv: WordVectors, a: str, b: str, c: str, d: str) -> float:
    """Cosine between ``b̂ - â`` and ``d̂ - ĉ`` (unit vectors)."""
    first = wv.get_vector(b, norm=True) - wv.get_vector(a, norm=True)
    second = wv.get_vector(d, norm=True) - wv.get_vector(c, norm=True)
    norm = float(np.linalg.norm(first) * np.linalg.norm(second))
    return float(first @ second / norm) if norm > 0 else 0.0


@dataclass
class AnalogyResult:
    """The answers to one question, under each method, with and without the question words."""

    question: tuple[str, str, str]
    expected: str | None
    answers: pd.DataFrame  # method, excluded, rank, word, score
    expected_rank: dict[tuple[str, bool], int | None]  # (method, excluded) -> rank
    offset_cosine: float  # between b - a and (expected or the top answer) - c
    offset_word: str
    random_cosines: np.ndarray
    across: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per model

    @property
    def percentile(self) -> float:
        """Share of random offset pairs less aligned than the question's offsets."""
        return float((self.random_cosines < self.offset_cosine).mean())

    def top(self, method: str = "3CosAdd", excluded: bool = True) -> list[str]:
        rows = self.answers[(self.answers.method == method) & (self.answers.excluded == excluded)]
        return rows.word.tolist()


class AnalogyLab(PlainTextRepr, TeachingSnapshotDisplay, widgets.VBox):
    """Ask ``a : b :: c : ?`` and see how fragile the answer is.

    ``AnalogyLab(model)``, or ``AnalogyLab({"seed 0": m0, "seed 1": m1, ...})`` to compare the
    expected answer's rank across several models (the first one is shown in detail). Models are
    ``Word2Vec``, ``WordVectors`` or gensim ``KeyedVectors``. :meth:`ask` answers from Python
    and redraws; the last answer is in :attr:`result`. ``topn`` answers are listed. Displayed
    in a kernel, a static snapshot of the answer follows it (see :mod:`.snapshot`), shown where
    the widget cannot draw.
    """

    plain_facts = ("question",)

    question = traitlets.Unicode("")

    def __init__(self, models: Any, topn: int = 10, n_random: int = 1000, **kwargs: Any):
        named = models if isinstance(models, dict) else {"model": models}
        if not named:
            raise ConfigError("give at least one model")
        self.vectors = {str(name): as_word_vectors(m, str(name)) for name, m in named.items()}
        self.main = next(iter(self.vectors.values()))
        if not 1 <= topn <= 100:
            raise ConfigError(f"topn must be between 1 and 100, not {topn!r}")
        self.topn, self.n_random = int(topn), int(n_random)
        self.result: AnalogyResult | None = None
        self._syncing = False
        self._random = offset_cosines(self.main, n_pairs=self.n_random)
        self._inputs = {
            name: widgets.Text(
                description=label, continuous_update=False, layout=widgets.Layout(width="180px")
            )
            for name, label in (("a", "a"), ("b", "is to b"), ("c", "as c"), ("expected", "is to ?"))
        }
        self._inputs["expected"].placeholder = "(optional)"
        self._ask = widgets.Button(description="Ask", icon="question", button_style="primary")
        self._output = widgets.HTML("<i>Ask a question: a is to b as c is to ?</i>")
        for name, w in self._inputs.items():
            w.add_class(f"w2v-al-{name}")
        self._ask.add_class("w2v-al-ask")
        self._output.add_class("w2v-al-output")
        self.offline = ThrottledSnapshot(
            self.snapshot_html, plain="AnalogyLab: static snapshot", drawn=".w2v-al-output"
        )
        inputs = widgets.HBox(
            [*self._inputs.values(), self._ask], layout=widgets.Layout(flex_flow="row wrap")
        )
        children = [inputs, self._output, self.offline.hider]
        super().__init__(children=children, **kwargs)
        self.add_class("w2v-analogy-lab")
        self.add_class(self.offline.owner_class)
        self._output.observe(lambda _: self.offline.request(), names="value")
        self._ask.on_click(lambda _: self._ask_from_inputs())
        for w in self._inputs.values():
            w.observe(lambda _: self._ask_from_inputs(), names="value")

    def snapshot_html(self, css_class: str) -> str:
        """The static snapshot: the answer (tables, offsets histogram) as drawn now."""
        return teaching_markup(css_class, self._output.value)

    def _ask_from_inputs(self) -> None:
        if self._syncing:
            return
        a, b, c, expected = (self._inputs[n].value.strip() for n in ("a", "b", "c", "expected"))
        if a and b and c:
            try:
                self.ask(a, b, c, expected or None)
            except KeyError as exc:
                self._output.value = f"<b style='color:#c62828'>{svg.esc(exc)}</b>"

    def ask(self, a: str, b: str, c: str, expected: str | None = None) -> AnalogyResult:
        """Answer ``a : b :: c : ?`` (e.g. ``ask("man", "king", "woman", "queen")``)."""
        wv = self.main
        question = [wv.get_index(w) for w in (a, b, c)]  # unknown words raise, with suggestions
        target = wv.get_index(expected) if expected else None
        rows, ranks = [], {}
        for method in METHODS:
            scores = analogy_scores(wv, a, b, c, method)
            for excluded in (True, False):
                skip = question if excluded else []
                order, values = ranked(scores, skip, self.topn)
                rows += [
                    {
                        "method": method,
                        "excluded": excluded,
                        "rank": i + 1,
                        "word": wv.index_to_key[j],
                        "score": s,
                    }
                    for i, (j, s) in enumerate(zip(order, values, strict=True))
                ]
                ranks[(method, excluded)] = rank_of(scores, target, skip) if target is not None else None
        answers = pd.DataFrame(rows)
        top = answers[(answers.method == "3CosAdd") & answers.excluded].word.iloc[0]
        offset_word = expected or top
        result = AnalogyResult(
            (a, b, c),
            expected,
            answers,
            ranks,
            offset_cosine(wv, a, b, c, offset_word),
            offset_word,
            self._random,
            self._across(a, b, c, expected),
        )
        self.result = result
        self.question = f"{a} : {b} :: {c} : {expected or '?'}"
        self._syncing = True  # show the question in the boxes without asking it again
        try:
            for name, value in zip(("a", "b", "c", "expected"), (a, b, c, expected or ""), strict=True):
                self._inputs[name].value = value
        finally:
            self._syncing = False
        self._output.value = result_html(result, self.topn)
        return result

    def _across(self, a: str, b: str, c: str, expected: str | None) -> pd.DataFrame:
        """Per model: the top 3CosAdd answer (question words left out) and the expected one's rank."""
        if len(self.vectors) < 2:
            return pd.DataFrame()
        rows = []
        for name, wv in self.vectors.items():
            row: dict[str, Any] = {"model": name}
            missing = [w for w in (a, b, c, expected) if w and w not in wv]
            if missing:
                row.update(answer=None, rank=None, note=f"not in its vocabulary: {', '.join(missing)}")
            else:
                scores = analogy_scores(wv, a, b, c, "3CosAdd")
                question = [wv.get_index(w) for w in (a, b, c)]
                best = ranked(scores, question, 1)[0]
                row["answer"] = wv.index_to_key[best[0]] if len(best) else None
                row["rank"] = rank_of(scores, wv.get_index(expected), question) if expected else None
                row["note"] = ""
            rows.append(row)
        return pd.DataFrame(rows)


def _answers_table(result: AnalogyResult, topn: int) -> str:
    head = "".join(
        f"<th>{m}<br><small>{'question words left out' if ex else 'all words'}</small></th>"
        for m in METHODS
        for ex in (True, False)
    )
    question = set(result.question)
    body = []
    for i in range(topn):
        cells = [f"<td style='text-align:right;color:#757575'>{i + 1}</td>"]
        for method in METHODS:
            for excluded in (True, False):
                rows = result.answers[
                    (result.answers.method == method) & (result.answers.excluded == excluded)
                ]
                if i >= len(rows):
                    cells.append("<td></td>")
                    continue
                word, score = rows.word.iloc[i], rows.score.iloc[i]
                style = "font-weight:bold;color:#2e7d32" if word == result.expected else ""
                style += ";color:#c62828" if word in question else ""
                cells.append(f"<td style='{style}'>{svg.word(word)} <small>{score:.3f}</small></td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return (
        "<style>.w2v-al-output td, .w2v-al-output th {padding: 1px 6px; white-space: nowrap}</style>"
        "<table class='w2v-al-answers' style='border-collapse:collapse;font-size:13px'>"
        f"<thead><tr><th></th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _ranks_html(result: AnalogyResult) -> str:
    if not result.expected:
        return ""
    parts = []
    for (method, excluded), rank in result.expected_rank.items():
        where = "left out" if excluded else "in"
        parts.append(f"{method}, question words {where}: <b>{rank if rank is not None else '—'}</b>")
    return f"<p class='w2v-al-ranks'>rank of <b>{svg.esc(result.expected)}</b>: " + "; ".join(parts) + "</p>"


def offsets_svg(result: AnalogyResult, width: int = 420, height: int = 150) -> str:
    """Histogram of cosines between random offsets, and the question's offsets marked."""
    bins = np.linspace(-1, 1, 41)
    hist, _ = np.histogram(result.random_cosines, bins)
    peak = max(int(hist.max()), 1)
    pad, plot_w, plot_h = 20, width - 40, height - 50

    def x_of(v: float) -> float:
        return pad + (v + 1) / 2 * plot_w

    parts = []
    for i, n in enumerate(hist):
        h = plot_h * n / peak
        parts.append(
            f'<rect x="{x_of(bins[i]):.1f}" y="{20 + plot_h - h:.1f}" width="{plot_w / 40 - 1:.1f}" '
            f'height="{h:.1f}" fill="#bdbdbd"/>'
        )
    x = x_of(result.offset_cosine)
    parts.append(svg.line(x, 14, x, 20 + plot_h, svg.NOISE, width=2))
    parts.append(svg.line(pad, 20 + plot_h, pad + plot_w, 20 + plot_h, svg.NEUTRAL))
    for tick in (-1, -0.5, 0, 0.5, 1):
        parts.append(svg.text(x_of(tick), 34 + plot_h, f"{tick:g}", "middle", svg.NEUTRAL, font_size="10"))
    a, b, c = result.question
    label = f"cos({b} − {a}, {result.offset_word} − {c}) = {result.offset_cosine:.2f}"
    anchor = "end" if x > width - 150 else "start" if x < 150 else "middle"
    parts.append(svg.text(x, 11, label, anchor, svg.NOISE))
    note = "grey: cosines between the offsets of random word pairs"
    parts.append(svg.text(pad, height - 4, note, color=svg.NEUTRAL, font_size="10"))
    return svg.svg(width, height, "".join(parts), "w2v-al-offsets")


def _across_html(result: AnalogyResult) -> str:
    if result.across.empty:
        return ""
    rows = "".join(
        f"<tr><td>{svg.word(r.model)}</td><td>{svg.word(r.answer or '—')}</td>"
        f"<td style='text-align:right'>{'' if r.rank is None or pd.isna(r.rank) else int(r.rank)}</td>"
        f"<td><small>{svg.esc(r.note)}</small></td></tr>"
        for r in result.across.itertuples()
    )
    expected = svg.word(result.expected) if result.expected else "(no expected answer given)"
    return (
        "<table class='w2v-al-across' style='border-collapse:collapse;font-size:13px;margin-top:6px'>"
        "<thead><tr><th>model</th><th>top answer (3CosAdd)</th>"
        f"<th>rank of {expected}</th><th></th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def result_html(result: AnalogyResult, topn: int) -> str:
    """The whole answer as HTML; every word escaped."""
    a, b, c = (svg.word(w) for w in result.question)
    chance = (
        "<p>the offsets point the same way more than "
        f"<b>{100 * result.percentile:.0f}%</b> of random offset pairs do</p>"
    )
    return (
        "<div class='w2v-al-question' style='font-size:15px'>"
        f"<b>{a}</b> is to <b>{b}</b> as <b>{c}</b> is to "
        f"<b>{svg.esc(result.expected or '?')}</b> &nbsp;<small>(answer ≈ {b} − {a} + {c})</small></div>"
        f"{_ranks_html(result)}<div style='display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start'>"
        f"{_answers_table(result, topn)}<div>{offsets_svg(result)}{chance}</div></div>{_across_html(result)}"
    )

"""``NeighbourTable``: the nearest neighbours of a few probe words, live while training.

The lessons' validation printout made interactive: each probe word's top-k neighbours with
their cosine similarity, the neighbours that entered the top-k since the previous update
highlighted, so a student sees groups form. The probe words can be edited at any time.
Words are user data: everything shown is HTML-escaped.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterable
from typing import Any
from unicodedata import bidirectional

import ipywidgets as widgets
import traitlets

from ...data.probe_words import default_probe_words
from ...errors import TrainingStateError
from ..plain_text import PlainTextRepr
from ..teaching import svg
from .base import LiveView, has_view

_SPLIT = re.compile(r"[\s,;]+")
FSI, PDI = "\u2068", "\u2069"  # first-strong isolate ... pop directional isolate
# right-to-left letters and the explicit direction controls
_BIDI_ISOLATED = {"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI", "PDI"}


def parse_words(text: str) -> list[str]:
    """Split on commas, semicolons and spaces; drop duplicates, keep the order (a word the box
    shows isolated, see :func:`box_text`, is read back without its isolates)."""
    seen: dict[str, None] = {}
    for word in _SPLIT.split(text.strip()):
        if len(word) > 2 and word[0] == FSI and word[-1] == PDI:
            word = word[1:-1]
        if word:
            seen.setdefault(word, None)
    return list(seen)


def box_text(words: Iterable[str]) -> str:
    """The probe words as the text box shows them. A word with a right-to-left letter or a
    direction control is wrapped in FSI...PDI: in a left-to-right box it would otherwise reorder
    its neighbours (two Arabic words read in swapped order; a right-to-left override reverses
    every word after it)."""
    return ", ".join(
        f"{FSI}{w}{PDI}" if any(bidirectional(ch) in _BIDI_ISOLATED for ch in w) else w for w in words
    )


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(str(w) for w in words if str(w).strip()))


class NeighbourTable(PlainTextRepr, LiveView, widgets.VBox):
    """Top-``k`` cosine neighbours of probe ``words``, updated while ``model`` trains.

    ``words=None`` picks words of recognisable groups (numbers, months, colours...) once the
    vocabulary exists, else mid-frequency content words
    (:func:`w2v_widgets.data.probe_words.default_probe_words`).
    ``words`` (a traitlet) can be set from Python or edited in the text box at any time;
    ``rows`` holds the last table (``word``, ``status`` and ``neighbours``: dicts of
    ``word, similarity, new``). Updates run at most once per ``refresh`` seconds.
    """

    plain_facts = ("k",)

    words = traitlets.List(traitlets.Unicode()).tag(sync=True)
    k = traitlets.Int(6).tag(sync=True)
    rows = traitlets.List().tag(sync=True)
    words_done = traitlets.Int(0).tag(sync=True)  # training progress of the last update

    def __init__(
        self,
        model: Any = None,
        words: Iterable[str] | None = None,
        k: int = 6,
        refresh: float = 1.0,
        **kwargs: Any,
    ):
        if k < 1:
            raise ValueError(f"k must be at least 1, not {k}")
        self._lock = threading.RLock()
        self._previous: dict[str, set[str]] = {}
        self._user_words = words is not None
        self._choosing_defaults = False
        self._setting_box = False
        self._box = widgets.Text(
            value="",
            placeholder="probe words, separated by spaces or commas",
            description="Probe words",
            continuous_update=False,
            layout=widgets.Layout(width="100%", margin="2px 0"),  # no side margins: fits its box
            style={"description_width": "initial"},
        )
        self._table = widgets.HTML()
        super().__init__(children=[self._box, self._table], k=int(k), **kwargs)
        self.add_class("w2v-neighbour-table")
        self.start_live(refresh)
        self.epoch_texts: dict[int, str] = {}  # epoch number -> the table as text at its end
        self._box.observe(self._on_box, names="value")
        self.observe(self._on_words, names="words")
        self.observe(lambda _: self.refresh(), names="k")
        if words is not None:
            self.words = parse_words(words) if isinstance(words, str) else _unique(words)
        self.follow(model)
        self.sync_from_model()

    # ------------------------------------------------------------------ probe words
    def _on_box(self, change: dict) -> None:
        if self._setting_box:
            return
        words = parse_words(change["new"])
        if words != self.words:
            self.words = words

    def _on_words(self, change: dict) -> None:
        if not self._choosing_defaults:
            self._user_words = True
        self._setting_box = True
        try:
            self._box.value = box_text(change["new"])
        finally:
            self._setting_box = False
        self.refresh()

    def choose_default_words(self) -> None:
        """Pick the default probe words (recognisable groups) from the model's vocabulary."""
        vocab = getattr(self.model, "vocab", None)
        if vocab is None:
            return
        try:
            seed = int(self.model.get_params().get("seed", 0))
        except Exception:  # any model without get_params
            seed = 0
        self._choosing_defaults = True
        try:
            self.words = default_probe_words(list(vocab.words), seed=seed)
        finally:
            self._choosing_defaults = False

    def sync_from_model(self) -> None:
        """Forget the previous neighbours and recompute from the model as it is now."""
        with self._lock:
            self._previous.clear()
        before = list(self.words)
        if not self._user_words and getattr(self.model, "vocab", None) is not None:
            self.choose_default_words()  # a change refreshes through the words observer
        if self.words == before:
            self.refresh()

    # ------------------------------------------------------------------ computing
    def refresh(self) -> None:
        """Recompute the neighbours now and redraw."""
        with self._lock:
            rows = self._compute()
            with self.hold_sync():
                self.rows = rows
                progress = getattr(self.model, "progress", None) or {}
                self.words_done = int(progress.get("words_done", 0))
                self._table.value = self.to_html()

    def _compute(self) -> list[dict]:
        words = list(self.words)
        if self.model is None:
            return [{"word": w, "status": "no model", "neighbours": []} for w in words]
        try:
            wv = self.model.wv
        except (TrainingStateError, AttributeError):
            return [{"word": w, "status": "no vectors yet", "neighbours": []} for w in words]
        known = [w for w in words if w in wv]
        found: dict[str, list[tuple[str, float]]] = {w: [] for w in known}
        if known:
            frame = wv.neighbours(known, self.k)
            for word, neighbour, score in zip(
                frame["word"], frame["neighbour"], frame["similarity"], strict=True
            ):
                found[word].append((str(neighbour), float(score)))
        rows = []
        for word in words:
            if word not in found:
                rows.append({"word": word, "status": "not in the vocabulary", "neighbours": []})
                continue
            before = self._previous.get(word)
            neighbours = [
                {"word": n, "similarity": s, "new": before is not None and n not in before}
                for n, s in found[word]
            ]
            self._previous[word] = {n for n, _ in found[word]}
            rows.append({"word": word, "status": "ok", "neighbours": neighbours})
        return rows

    # ------------------------------------------------------------------ drawing
    def to_html(self) -> str:
        """The table as escaped HTML."""
        rows = self.rows
        if not rows:
            hint = (
                "Probe words are chosen when training starts (8 frequent, 8 mid-frequency); "
                "type your own above at any time."
            )
            return f'<div class="w2v-nt-empty" style="color:#777">{html.escape(hint)}</div>'
        style = (
            "<style>.w2v-nt{border-collapse:collapse;font-size:12.5px;"
            "font-family:var(--jp-ui-font-family,sans-serif)}"
            ".w2v-nt td,.w2v-nt th{padding:2px 6px;border-bottom:1px solid #eee;text-align:left}"
            ".w2v-nt span,.w2v-nt bdi{white-space:nowrap}.w2v-nt th{color:#555;font-weight:600}"
            ".w2v-nt .sim{color:#888;font-size:11px;margin-left:3px}"
            ".w2v-nt .w2v-new{background:#fff1a8;font-weight:600;border-radius:2px}"
            ".w2v-nt .status{color:#999;font-style:italic}</style>"
        )
        head = "".join(f"<th>{i}</th>" for i in range(1, self.k + 1))
        lines = [f'<table class="w2v-nt"><tr><th>word</th>{head}</tr>']
        for row in rows:
            probe = f'<th class="probe">{svg.word(row["word"])}</th>'
            if row["status"] != "ok":
                lines.append(
                    f'<tr>{probe}<td class="status" colspan="{self.k}">{html.escape(row["status"])}</td></tr>'
                )
                continue
            cells = []
            for n in row["neighbours"]:
                cls = ' class="w2v-new" title="new in the top-k"' if n["new"] else ""
                cells.append(
                    f'<td>{svg.word(n["word"], cls)}<span class="sim">{n["similarity"]:.3f}</span></td>'
                )
            lines.append(f"<tr>{probe}{''.join(cells)}</tr>")
        lines.append("</table>")
        n_new = sum(n["new"] for r in rows for n in r["neighbours"])
        note = (
            f"cosine similarity; highlighted: {n_new} neighbour(s) new since the last update"
            if self.words_done
            else "cosine similarity"
        )
        caption = f'<div style="color:#888;font-size:11px">{html.escape(note)}</div>'
        return style + "".join(lines) + caption

    def to_text(self) -> str:
        """The table as plain text; new neighbours are marked with ``*``."""
        if not self.rows:
            return "neighbours: no probe words yet"
        width = max(len(r["word"]) for r in self.rows)
        out = []
        for row in self.rows:
            if row["status"] != "ok":
                out.append(f"{row['word']:>{width}}: ({row['status']})")
                continue
            cells = [f"{'*' if n['new'] else ''}{n['word']} {n['similarity']:.3f}" for n in row["neighbours"]]
            out.append(f"{row['word']:>{width}}: {', '.join(cells)}")
        return "\n".join(out)

    def show_display_error(self, exc: BaseException) -> None:
        self._table.value = (
            '<div style="color:#b71c1c">The neighbour table failed to update: '
            f"{html.escape(type(exc).__name__)}: {html.escape(str(exc))}</div>"
        )

    # ------------------------------------------------------------------ training events
    def draw(self, logs: dict) -> None:
        self.refresh()

    def begin(self, logs: dict) -> None:
        self.epoch_texts = {}
        self.sync_from_model()

    def record_epoch(self, logs: dict) -> None:
        if has_view(self):
            return
        # no view (terminal, script, nbconvert): keep each epoch's table as text for the console
        # follower, which polls and would otherwise miss epochs shorter than its poll
        self.redraw(force=True)
        self.epoch_texts[logs["epoch"] + 1] = self.to_text()

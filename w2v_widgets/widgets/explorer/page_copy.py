"""The explorer's page copy: a working copy of its standalone page left in the notebook.

An executed notebook published with nbconvert (HTML or reveal.js slides), Sphinx + myst-nb,
Jupyter Book or Quarto has no kernel, and offline no widget manager: the explorer itself is
blank there. So, like the charts' snapshots (:mod:`..live.snapshot`), the explorer and
``CompareExplorer`` are displayed as two outputs: the widget, then a ``text/html`` output that
holds the standalone page of ``save_html`` (:mod:`.standalone`) in an
``<iframe sandbox="allow-scripts" srcdoc="...">``. The page answers hover, search and
analogies from the vectors it embeds; the sandbox gives it no access to the notebook's page (a
hostile word stays text inside an opaque origin), and the iframe keeps the host's CSS and
transforms (reveal.js scales its slides) away from the map.

What each publisher keeps, and so what the copy relies on: the output's HTML verbatim with its
``<style>`` and ``<iframe srcdoc>`` (nbconvert, myst-nb, Quarto's raw HTML blocks; Jupyter
Book 2 renders outputs with JupyterLab's renderer as trusted HTML). No script runs in the host
page and no widget state is needed. Where the iframe is stripped (JupyterLab's sanitizer on an
untrusted notebook, GitHub's viewer), a static image of the map shows instead: an ``<img>`` with
an SVG data URI placed after the iframe, hidden by a sibling rule while the iframe is there.

Where the widget draws (JupyterLab, Notebook 7) the copy is hidden by a ``:has()`` rule on the
widget's first frame (``data-first-render-ms``), also in the bundle's CSS (which holds where a
sanitizer strips the copy's own ``<style>``); it shows only after ``REVEAL_DELAY`` so it does not
flash (nor take room) while the widget starts. Voila (always a kernel) never shows it. In VS Code's
notebook webview it is hidden, as the snapshots are (:func:`..live.snapshot.vscode_hiding_style`),
while the widget's output waits for its renderer and once the ipywidgets renderer has taken it,
before the widget's module has loaded. It is
refreshed (``update_display``) when a layout or a followed training run ends. A notebook executor
(nbclient: ``nbconvert --execute``, myst-nb, papermill) keeps only the messages of the cell it is
running, and nothing once the last cell ends: there the cell that shows an explorer whose t-SNE or
UMAP is still running waits for it at its end and refreshes the copy then (see
:func:`executed_by_publisher`), so the published copy holds the finished layout.

Size: by default the copy holds the most frequent plotted words whose vectors and points fit
``PAGE_BYTES`` (2,000 words at 100 dims; the bundle adds 0.15 MB), as int8 rows (1 byte a value; recall@10
against float32 measured by ``benchmarks/page_copy_recall.py``); ``page_words`` on the widget
sets how many. The added weight is shown under the copy.
"""

from __future__ import annotations

import html
import os
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ConfigError
from ...vega_process import svg_data_uri
from ..closing import close_tree
from ..live.snapshot import OUTPUT_CONTAINERS, VSCODE_OUTPUT, SnapshotDisplay, StaticSnapshot
from ..teaching.svg import esc, svg
from .standalone import embed_array, quantize_rows, standalone_page

PAGE_BYTES = 250_000  # a copy's words by default: their int8 vectors and points in this many bytes
PER_WORD = 25  # bytes a word costs beside its vector: position (8), colour (4), the word itself
REVEAL_DELAY = "1s"  # the copy shows this long after its output appears (no flash in Lab)
DRAWN = "[data-first-render-ms]"  # set on the widget's root by its first frame
COPY_CLASS = "w2v-page-copy"
FRAME_EXTRA = 72  # pixels of the page around the map: its padding and title
IMAGE_POINTS = 2000  # points drawn in the static image (about 70 bytes each)
STATIC = Path(__file__).resolve().parents[2] / "static"
PUBLISHER_WAIT_S = 600.0  # an executed cell waits at most this long for its explorer's layout


class PageBudgetWarning(UserWarning):
    """The default size budget left plotted words out of the page copy."""


def copy_words(n_plotted: int, dim: int, page_words: int | None, what: str = "explorer") -> int:
    """How many of the plotted words (most frequent first) the page copy holds.

    ``page_words``: ``None`` for the default budget (``PAGE_BYTES``: 2,000 words at 100 dims,
    about 0.33 MB once in base64; a :class:`PageBudgetWarning` says so when it leaves out more
    than half of them: a smaller shortfall, as a course notebook's 2,000-word CompareExplorer has,
    is only stated in the copy's own caption, not printed in red to every student), a number of
    words (``0``: no copy), capped at the plotted words."""
    if page_words is not None:
        if not isinstance(page_words, int) or isinstance(page_words, bool) or page_words < 0:
            raise ConfigError(
                f"page_words must be a whole number of words (0 for no page copy) or None, got {page_words!r}"
            )
        return min(page_words, n_plotted)
    n = min(n_plotted, max(1, PAGE_BYTES // (dim + PER_WORD)))
    if n < n_plotted / 2:
        warnings.warn(
            f"the {what}'s page copy (what a published notebook shows with no kernel) holds the "
            f"{n:,} most frequent of the {n_plotted:,} plotted words (their {dim}-dim int8 vectors and "
            f"points: about {n * (dim + PER_WORD) * 4 // 3 // 1000:,} KB); pass page_words=N for more or "
            "fewer (0: no copy)",
            PageBudgetWarning,
            stacklevel=3,
        )
    return n


def map_svg(
    words: Sequence[str], xy: np.ndarray, codes: np.ndarray, palette: Sequence[str], labels: int
) -> str:
    """The map as a static SVG: the first ``IMAGE_POINTS`` points (the most frequent words) in
    their colours, the first ``labels`` words named."""
    width, height, pad = 640.0, 420.0, 12.0
    xy = np.asarray(xy, dtype=np.float64).reshape(-1, 2)[:IMAGE_POINTS]
    if len(xy) == 0:
        return svg(width, height, "", "w2v-page-copy-map", "word map")
    lo, hi = xy.min(axis=0), xy.max(axis=0)
    scale = np.where(hi > lo, hi - lo, 1.0)
    px = pad + (xy[:, 0] - lo[0]) / scale[0] * (width - 2 * pad)
    py = height - pad - (xy[:, 1] - lo[1]) / scale[1] * (height - 2 * pad)
    colors = list(palette) or ["#4c78a8"]
    body = []
    for i in range(len(px) - 1, -1, -1):  # frequent words last: drawn on top
        c = colors[int(codes[i]) % len(colors)] if len(codes) > i and int(codes[i]) >= 0 else "#9e9e9e"
        body.append(f'<circle cx="{px[i]:.1f}" cy="{py[i]:.1f}" r="2.2" fill="{esc(c)}" fill-opacity="0.7"/>')
    for i in range(min(labels, len(words))):
        at = f'x="{px[i] + 3:.1f}" y="{py[i] - 3:.1f}"'
        body.append(f'<text {at} fill="#212121" font-size="11">{esc(words[i])}</text>')
    return svg(width, height, "".join(body), "w2v-page-copy-map", "word map")


def copy_markup(
    css_class: str, owner_class: str, srcdoc: str, image_uri: str, height: int, caption: str
) -> str:
    """The copy's output: a ``<style>`` (hide where the widget draws, reveal after a delay,
    hide the image while the iframe is there), the sandboxed iframe holding the page (``srcdoc``,
    already escaped for an attribute) and the map's image; ``caption`` (escaped here) under them."""
    drawn = f":root:has(.{owner_class} {DRAWN})"
    hidden = ", ".join(
        [f"{drawn} .{css_class}"] + [f"{drawn} {c}:has(.{css_class})" for c in OUTPUT_CONTAINERS]
    )
    # Voila always runs a kernel and draws the widget; it reveals the page (copies already past
    # their delay) a moment before the widgets draw: the copy is hidden there from the start
    voila = f"body[data-voila] .{css_class}"
    # VS Code's notebook webview: the copy output's own style hides it while the widget output
    # waits for its renderer or once it is a widget (StaticSnapshot.bundle); before the widget's
    # output is in the page, the copy's output element (padded, its inner div bordered) takes no
    # room either, for as long as the copy waits to be revealed
    vscode_output = f"{VSCODE_OUTPUT}:has(.{css_class})"
    style = (
        "<style>"
        f"@keyframes w2v-page-copy-reveal {{ to {{ max-height: none; visibility: visible; }} }} "
        f".{css_class} {{ max-height: 0; overflow: hidden; visibility: hidden; "
        f"animation: w2v-page-copy-reveal 0s {REVEAL_DELAY} forwards; }} "
        f".{css_class} > iframe ~ img {{ display: none; }} "
        "@keyframes w2v-page-copy-flat { from, to { padding-top: 0; padding-bottom: 0; "
        "border-top-width: 0; border-bottom-width: 0; } } "
        f"{vscode_output}, {vscode_output} > div {{ "
        f"animation: w2v-page-copy-flat 0s {REVEAL_DELAY} backwards; }} "
        f"@supports selector(:has(a)) {{ {hidden} {{ display: none !important; }} }} "
        f"{voila} {{ display: none !important; }}"
        "</style>"
    )
    return (
        f"{style}"
        f'<div class="{COPY_CLASS} {css_class}" title="a copy of the widget that works in this page, '
        'with no kernel">'
        f'<iframe sandbox="allow-scripts" title="{esc(caption)}" '
        f'style="width:100%;height:{height}px;border:0;display:block" srcdoc="{srcdoc}">'
        "</iframe>"
        f'<img src="{image_uri}" alt="{esc(caption)}" style="max-width:100%">'
        f'<div style="font-size:11px;color:#757575">{esc(caption)}</div>'
        "</div>"
    )


def weight_caption(what: str, n_words: int, n_plotted: int, dim: int, page_bytes: int) -> str:
    """The line under the copy: what it holds and the weight it adds to the page."""
    held = (
        f"{n_words:,} words"
        if n_words == n_plotted
        else f"the {n_words:,} most frequent of {n_plotted:,} words"
    )
    return f"{what}: a copy answered in this page ({held}, {dim} dims, int8); adds {page_bytes / 1e6:.2f} MB"


class PageCopy(StaticSnapshot):
    """The page copy outputs of one widget (a :class:`StaticSnapshot` whose markup is a page)."""

    def __init__(self, render: Callable[[str, str], str], plain: str):
        super().__init__(lambda css_class: render(css_class, self.owner_class), plain=plain, drawn=DRAWN)
        # an anywidget holds no children: the copy is hidden by the bundle's CSS, so the hider widget
        # is never shown; closed now, or it (with its layout and style) outlived every explorer
        close_tree(self.hider)


class PageCopyDisplay(SnapshotDisplay):
    """Mixin: the widget is displayed, then its page copy (none when ``page_words=0``).
    ``page_copy_markup(css_class, owner_class)`` makes the copy's HTML."""

    _page_copy: PageCopy | None = None

    def page_copy_markup(self, css_class: str, owner_class: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def page_copy_wanted(self) -> bool:
        return True

    def page_copy_pending(self) -> bool:
        """Whether a background layout (t-SNE, UMAP) will change the copy; then ``wait(timeout)``
        must block until it is done."""
        return False

    def snapshot_outputs(self) -> PageCopy:
        if self._page_copy is None:
            self._page_copy = PageCopy(self.page_copy_markup, plain=f"page copy of the {type(self).__name__}")
            self.add_class(self._page_copy.owner_class)  # type: ignore[attr-defined]
        return self._page_copy

    def _ipython_display_(self, **kwargs: object) -> None:
        from IPython.display import display

        from ..live.base import environment

        copy = self.snapshot_outputs() if environment() == "kernel" and self.page_copy_wanted() else None
        bundle = self._repr_mimebundle_()  # type: ignore[attr-defined]
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, None)
        display(data, metadata=metadata, raw=True)
        if copy is not None:
            copy.show()
            if self.page_copy_pending() and executed_by_publisher():
                refresh_when_cell_ends(self)

    def refresh_page_copy(self) -> None:
        """Redraw the page copies shown so far (a layout or a followed run ended)."""
        if self._page_copy is not None:
            self._page_copy.refresh()


def executed_by_publisher() -> bool:
    """Whether the running cell is executed by a notebook executor (nbclient, which nbconvert
    ``--execute``, myst-nb, papermill and Jupyter Book use), not by a person: it asks the kernel
    for no input (``allow_stdin`` false; the front-ends a person uses answer ``input()``), and it is
    not Voila's (also nbclient, but its kernel lives on: the widget shows the layout when it lands)."""
    from IPython import get_ipython

    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None or getattr(kernel, "_allow_stdin", True):
        return False
    return not (os.environ.get("VOILA_KERNEL_ID") or os.environ.get("VOILA_SERVER_URL"))


def refresh_when_cell_ends(widget: PageCopyDisplay) -> None:
    """Once the running cell's code is done, wait for ``widget``'s layout (``widget.wait``) and
    refresh its copies from this thread: the update goes out as the cell's own message, which an
    executor records (one sent from the layout thread after the cell ended is lost)."""
    from IPython import get_ipython

    shell = get_ipython()

    def finish(_result: object) -> None:
        shell.events.unregister("post_run_cell", finish)
        if widget.wait(PUBLISHER_WAIT_S):  # type: ignore[attr-defined]  # see page_copy_pending
            widget.refresh_page_copy()

    shell.events.register("post_run_cell", finish)


def head_state(state: dict[str, Any], n: int, per_point: Sequence[str]) -> dict[str, Any]:
    """``state`` with its per-point entries (``per_point``) cut to the first ``n`` points and
    ``selected`` / ``pinned`` to the words kept; arrays as embedded arrays."""
    out = dict(state)
    for key in per_point:
        out[key] = out[key][:n]
    kept = set(out["_words"])
    for key in ("selected", "pinned"):
        if key in out:
            out[key] = [w for w in out[key] if w in kept]
    return {k: embed_array(np.asarray(v)) if isinstance(v, np.ndarray) else v for k, v in out.items()}


def embedded_vectors(words: list[str], unit_vectors: np.ndarray) -> dict[str, Any]:
    """One run's words and unit vectors as the page embeds them (int8 rows)."""
    return {
        "words": words,
        "dim": int(unit_vectors.shape[1]),
        "vectors": embed_array(quantize_rows(unit_vectors)),
    }


def page_markup(
    css_class: str,
    owner_class: str,
    *,
    payload: dict,
    entry: str,
    title: str,
    height: int,
    image: str,
    what: str,
    n_words: int,
    n_plotted: int,
    dim: int,
) -> str:
    """The copy's output for a page calling the bundle's ``entry`` with ``payload``."""
    page = standalone_page(
        payload=payload,
        title=title,
        bundle=(STATIC / "explorer.js").read_text(encoding="utf-8"),
        css=(STATIC / "explorer.css").read_text(encoding="utf-8"),
        entry=entry,
    )
    srcdoc, image_uri = html.escape(page, quote=True), svg_data_uri(image)
    caption = weight_caption(what, n_words, n_plotted, dim, len(srcdoc.encode("utf-8")) + len(image_uri))
    return copy_markup(css_class, owner_class, srcdoc, image_uri, height + FRAME_EXTRA, caption)

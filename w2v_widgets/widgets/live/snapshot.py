"""Static snapshots of live chart widgets, for pages where the widgets themselves do not draw.

nbconvert's HTML of an executed notebook shows a widget with ``@jupyter-widgets/html-manager``,
which the page loads with require.js from a CDN: offline the loss chart is blank. So a widget
with a snapshot is displayed as two outputs: the widget, then an HTML snapshot (its chart as an
SVG image made in the kernel by vl-convert, and its text), kept under a display id and
refreshed with ``update_display`` when training pauses or ends (nbclient applies such updates
to the stored outputs, so an executed notebook holds the final curve).

The widget carries a hidden ``<style>`` (an ``ipywidgets.HTML`` child) that hides its own
snapshots once the widget's chart is drawn (vega's ``svg.marks`` inside the widget, found with
``:has()``). Where the chart draws (JupyterLab, Notebook 7, Voila) it shows once; where the
widget does not draw (nbconvert's page offline, a notebook reopened with no kernel and no saved
widget state) or draws without its chart (nbconvert's page online: the html-manager renders
the ipywidgets but cannot load altair's anywidget, an ES module, with require.js) the snapshot
shows. Browsers without ``:has()`` (Firefox before 121) hide the snapshot wherever the widget
draws. Its text (the dashboard's status and neighbour table) hides wherever the widget draws,
chart or not: the widget shows the same. The snapshot is a ``<div class>`` around an ``<img>``
with a data URI: JupyterLab's sanitizer (untrusted notebooks) keeps both, where it strips
inline ``<svg>`` and ``<style>``.

Rendering costs about 0.09 s for a 2,000-point curve (1.4 s for the first one in a process,
vl-convert's start): it runs at a display, at a pause or the end of a run, never on a redraw.
"""

from __future__ import annotations

import html
import itertools
import uuid
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from ...vega_process import svg_data_uri
from .base import environment

SNAPSHOT_CLASS = "w2v-snapshot"
TEXT_CLASS = "w2v-snapshot-text"
OWNER_CLASS = "w2v-snapshot-owner"
# what a drawn chart puts in the page: vega's SVG (JupyterChart's renderer is "svg")
DRAWN = "svg.marks"
# the output containers of JupyterLab / Notebook 7 / Voila / nbconvert's lab template, and of
# the classic notebook and nbconvert's classic template: collapsed too, so no empty row stays
OUTPUT_CONTAINERS = (".jp-OutputArea-child", ".output_area")
# VS Code's notebook webview (webviewPreloads.ts): a cell's outputs are the `div.output` elements of
# one `div.cell_container`, each empty until its renderer has drawn into it; vscode-jupyter's
# ipywidgets renderer adds VSCODE_WIDGET to an output it takes as a widget (the kernel holds the
# widget's state) before it loads the widget's module (webview-side/ipywidgets/renderer/index.ts)
VSCODE_CELL = "div.cell_container"
VSCODE_OUTPUT = "div.output_container > div.output"
VSCODE_WIDGET = ".cell-output-ipywidget-background"

_display_numbers = itertools.count(1)


def hiding_style(css_class: str, owner_class: str, drawn: str = DRAWN) -> str:
    """The ``<style>`` a widget (of class ``owner_class``) holds to hide its snapshots (of class
    ``css_class``) and their output rows once its chart is drawn (the selector ``drawn`` matches
    inside it; without ``:has()``, as soon as the widget itself is), and their text as soon as
    the widget is drawn."""
    targets = [f".{css_class}"] + [f"{c}:has(.{css_class})" for c in OUTPUT_CONTAINERS]
    drawn = f":root:has(.{owner_class} {drawn})"
    hide = "{ display: none !important; }"
    return (
        "<style>"
        f"@supports selector(:has(a)) {{ {', '.join(f'{drawn} {t}' for t in targets)} {hide} }} "
        f"@supports not selector(:has(a)) {{ .{css_class} {hide} }} "
        f".{css_class} .{TEXT_CLASS} {hide}"
        "</style>"
    )


def vscode_hiding_style(css_class: str) -> str:
    """The ``<style>`` a snapshot output (of class ``css_class``) carries for VS Code's notebook
    webview: the snapshot and its output element (padded) take no room while an output of its
    cell waits for its renderer (the widget's first asks the extension whether the kernel holds
    the widget; the first widget of a session also waits for the widget scripts to load) and once
    the ipywidgets renderer has taken one (it loads the widget's module next, which can take
    seconds, and the widget's own :func:`hiding_style` comes only then). With no kernel the
    widget's output falls back to its text, and the snapshot shows."""
    cell = f"{VSCODE_CELL}:has({VSCODE_WIDGET}, > {VSCODE_OUTPUT}:empty)"
    return (
        "<style>@supports selector(:has(a)) { "
        f"{cell} .{css_class}, {cell} {VSCODE_OUTPUT}:has(.{css_class}) {{ display: none !important; }} }}"
        "</style>"
    )


def snapshot_markup(
    css_class: str,
    svg: str | None = None,
    alt: str = "",
    title: str = "",
    text: str = "",
    body: str = "",
) -> str:
    """The snapshot's HTML: an optional bold ``title``, the chart ``svg`` as an image (``alt``
    its description), ``text`` (status lines, tables) as preformatted text, then ``body``:
    markup made by the package's own renderers, every word in it already escaped. Title and
    text carry ``TEXT_CLASS``. Everything shown is escaped: words are user data."""
    parts = [
        f'<div class="{SNAPSHOT_CLASS} {css_class}" '
        'title="a static copy of the widget, shown where the widget itself cannot be drawn">'
    ]
    if title:
        parts.append(
            f'<div class="{TEXT_CLASS}" style="font-weight:600;font-size:14px">{html.escape(title)}</div>'
        )
    if svg is not None:
        parts.append(f'<img src="{svg_data_uri(svg)}" alt="{html.escape(alt, quote=True)}">')
    if text:
        parts.append(f'<pre class="{TEXT_CLASS}" style="margin:4px 0">{html.escape(text)}</pre>')
    parts.append(body)
    parts.append("</div>")
    return "".join(parts)


class StaticSnapshot:
    """The snapshot outputs of one widget: shown after it, refreshed on demand.

    ``render(css_class)`` returns the snapshot's HTML (see :func:`snapshot_markup`); it runs
    once per :meth:`show` and once per :meth:`refresh` (``renders`` counts them), and only
    once the widget has been displayed in a kernel. ``hider`` is the widget to put among the
    widget's children, ``owner_class`` the class the widget must carry; ``drawn`` a selector
    that matches inside the widget once it shows what the snapshot shows.
    """

    def __init__(self, render: Callable[[str], str], plain: str = "static snapshot", drawn: str = DRAWN):
        key = uuid.uuid4().hex[:16]
        self.css_class = f"{SNAPSHOT_CLASS}-{key}"
        self.owner_class = f"{OWNER_CLASS}-{key}"
        style = hiding_style(self.css_class, self.owner_class, drawn)
        self.hider = widgets.HTML(style, layout=widgets.Layout(display="none"))
        self.hider.add_class("w2v-snapshot-hider")
        self._render = render
        self.plain = plain
        self.display_ids: list[str] = []
        self.renders = 0

    def bundle(self) -> dict[str, str]:
        """The snapshot output's mime bundle, rendered now (its markup after its style for VS Code)."""
        self.renders += 1
        markup = vscode_hiding_style(self.css_class) + self._render(self.css_class)
        return {"text/html": markup, "text/plain": f"<{self.plain}>"}

    def show(self) -> None:
        """Display a new snapshot output (under a new display id)."""
        from IPython.display import display

        display_id = f"{self.css_class}-{next(_display_numbers)}"
        self.display_ids.append(display_id)
        display(self.bundle(), raw=True, display_id=display_id)

    def refresh(self) -> None:
        """Redraw every snapshot output shown so far (nothing to do, and no cost, if none)."""
        if not self.display_ids:
            return
        from IPython.display import update_display

        bundle = self.bundle()
        for display_id in self.display_ids:
            update_display(bundle, raw=True, display_id=display_id)


class SnapshotDisplay:
    """Mixin for a widget shown with a :class:`StaticSnapshot`: ``self.snapshot`` must be set (its
    ``hider`` among the children, its ``owner_class`` added) before the widget is displayed."""

    snapshot: StaticSnapshot

    def snapshot_outputs(self) -> StaticSnapshot:
        """The :class:`StaticSnapshot` shown after the widget (``self.snapshot``)."""
        return self.snapshot

    def _ipython_display_(self, **kwargs: Any) -> None:
        from IPython.display import display

        display(self._repr_mimebundle_(), raw=True)  # type: ignore[attr-defined]
        if environment() == "kernel":
            self.snapshot_outputs().show()

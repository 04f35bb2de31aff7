"""Static snapshots of the teaching widgets, for pages where the widgets themselves do not draw.

The teaching widgets draw their pictures in the kernel (SVG from :mod:`.svg`, HTML tables) and
show them in ``ipywidgets.HTML``: widget state, which nbconvert's HTML only draws with a widget
manager from a CDN. Offline the page is blank there. So, like the live charts (see
:mod:`..live.snapshot`), each teaching widget is displayed as two outputs: the widget, then a
snapshot of its current picture under a display id, hidden by a ``<style>`` the widget holds
wherever the widget draws (its own "drawn" selector: the HTML child that holds its picture).

In the snapshot every inline ``<svg>`` becomes an ``<img>`` with a data URI (JupyterLab's
sanitizer keeps those in an untrusted notebook, where it strips inline SVG); the rest is the
widget's own markup, in which every word is already escaped.

A snapshot follows the widget's state: each redraw asks for a refresh (:meth:`ThrottledSnapshot.request`),
and refreshes run at most every ``interval`` seconds (0.5 s): the first at once, the rest
once the interval has passed, or at the end of the cell that asked, whichever comes first (so
an executed notebook always holds the final picture). A refresh reuses the strings the widget
already drew (no drawing, no vl-convert): the cost is base64 and one ``update_display``
message. Nothing runs before the widget is displayed in a kernel.
"""

from __future__ import annotations

import re
import threading
import time
import weakref
from collections.abc import Callable

from ...vega_process import svg_data_uri
from ..live.snapshot import SnapshotDisplay, StaticSnapshot, snapshot_markup

REFRESH_INTERVAL = 0.5  # seconds between two refreshes of one snapshot
_INLINE_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_SVG_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_SVG_CLASS = re.compile(r'^<svg class="([^"]*)"')

_pending: weakref.WeakSet[ThrottledSnapshot] = weakref.WeakSet()
_hooked: set[int] = set()  # ids of the IPython shells whose post_run_cell flushes them


def svg_as_images(markup: str) -> str:
    """``markup`` with every inline ``<svg>...</svg>`` replaced by an ``<img>`` showing it
    (a data URI); its ``alt`` is the SVG's ``<title>`` (already escaped) or its class."""

    def image(match: re.Match[str]) -> str:
        svg = match.group(0)
        title = _SVG_TITLE.search(svg) or _SVG_CLASS.search(svg)
        alt = title.group(1).replace('"', "&quot;") if title else "picture"
        return f'<img src="{svg_data_uri(svg)}" alt="{alt}" style="max-width:100%">'

    return _INLINE_SVG.sub(image, markup)


def teaching_markup(css_class: str, *parts: str) -> str:
    """The snapshot of a teaching widget: its pictures' markup (``parts``, made by the widgets'
    own renderers, words escaped), side by side where they fit, SVG shown as images."""
    row = "".join(f"<div>{svg_as_images(p)}</div>" for p in parts if p)
    body = f'<div style="display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start">{row}</div>'
    return snapshot_markup(css_class, body=body)


class ThrottledSnapshot(StaticSnapshot):
    """A :class:`StaticSnapshot` refreshed on request, at most every ``interval`` seconds.

    :meth:`request` refreshes at once when the last refresh is ``interval`` old, else marks the
    snapshot pending: a timer refreshes it when the interval has passed, and so does the end of
    the current cell (IPython's ``post_run_cell``), so the cell's outputs hold the last state.
    ``clock`` (seconds) is for tests.
    """

    def __init__(
        self,
        render: Callable[[str], str],
        plain: str,
        drawn: str,
        interval: float = REFRESH_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__(render, plain=plain, drawn=drawn)
        self.interval = float(interval)
        self._clock = clock
        self._last = -float("inf")
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self.pending = False

    def show(self) -> None:
        with self._lock:
            self._last = self._clock()
        super().show()
        _hook_cell_end()

    def request(self) -> None:
        """The widget's picture changed: refresh now, or within ``interval`` seconds."""
        if not self.display_ids:
            return
        with self._lock:
            wait = self._last + self.interval - self._clock()
            if wait > 0:
                self.pending = True
                _pending.add(self)
                if self._timer is None:
                    self._timer = threading.Timer(wait, self.flush)
                    self._timer.daemon = True
                    self._timer.start()
                return
            self._last = self._clock()
            self.pending = False
        self.refresh()

    def flush(self) -> None:
        """Refresh now if a request is pending (no cost otherwise)."""
        with self._lock:
            timer, self._timer = self._timer, None
            if timer is not None and timer is not threading.current_thread():
                timer.cancel()
            if not self.pending:
                return
            self.pending = False
            self._last = self._clock()
        _pending.discard(self)
        self.refresh()


def flush_pending(*_: object) -> None:
    """Refresh every snapshot with a pending request (run at the end of each cell)."""
    for snapshot in list(_pending):
        snapshot.flush()


def _hook_cell_end() -> None:
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None and id(shell) not in _hooked:
        shell.events.register("post_run_cell", flush_pending)
        _hooked.add(id(shell))


class TeachingSnapshotDisplay(SnapshotDisplay):
    """Mixin for a teaching widget shown with a :class:`ThrottledSnapshot` in ``self.offline``
    (its ``hider`` among the children, its ``owner_class`` added)."""

    offline: ThrottledSnapshot

    def snapshot_outputs(self) -> StaticSnapshot:
        return self.offline

"""``Relay``: live widgets keep updating where messages sent from a thread are lost.

The live widgets are drawn from the training thread (the dashboard's Start,
``fit(background=True)``): each draw sets traitlets there, and ipywidgets sends the change as a
comm message from that thread. Some front-ends drop comm messages sent from a thread other than
the kernel's main one (Colab: googlecolab/colabtools#3373; ipykernel 7.0.0 for a while:
ipykernel#1450), and the widgets would freeze while training runs.

So the training thread never relies on its own messages arriving. A live widget holds a hidden
``Relay`` (an anywidget of a few lines of JavaScript). Each draw from a thread calls
:meth:`Relay.touch`: it counts a *version* and sends it from that thread (a tiny custom message,
``{"version": n}``). The page asks for updates on a timer (``{"pull": seen}``, the last version it
received); the kernel handles that message on its main thread (ipykernel >= 7: the subshell
thread JupyterLab's widget messages go to), which is idle while training runs in the background,
and when the page is behind it sends the full state of every widget the
relay covers (its owner and everything the owner holds) from the main thread, then the version.
Where thread messages do arrive (JupyterLab, Notebook 7, VS Code) the page sees every version,
pulls seldom (every :data:`SLOW_PULL_MS`) and the kernel sends nothing more; where they are
lost it pulls every :data:`PULL_MS` while a run is active and every :data:`SLOW_PULL_MS` when
idle. A run started and drawn on the main thread (a blocking ``fit``) needs none of this.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets
from ipywidgets.widgets.widget_style import Style

from ..closing import held_widgets
from ..plain_text import PlainTextRepr

PULL_MS = 1000  # while a run is active and the page has not seen thread messages
SLOW_PULL_MS = 5000  # when idle, or once thread messages are known to arrive
_UNCHANGING = (widgets.Layout, Style)  # never redrawn by training: not resent

_ESM = """
export default {
  render({ model, el }) {
    el.style.display = "none";
    let seen = 0, threadsArrive = false, active = true, timer = null;
    const next = (ms) => { clearTimeout(timer); timer = setTimeout(pull, ms); };
    const interval = () =>
      threadsArrive || !active ? model.get("slow_pull_ms") : model.get("pull_ms");
    // until the answer comes (a busy kernel answers late), the next pull waits the slow interval
    const pull = () => { model.send({ pull: seen }); next(model.get("slow_pull_ms")); };
    const onMessage = (msg) => {
      if (!msg || typeof msg.version !== "number") return;
      seen = Math.max(seen, msg.version);
      if (msg.thread) threadsArrive = true;
      if (typeof msg.active === "boolean") { active = msg.active; next(interval()); }
    };
    model.on("msg:custom", onMessage);
    pull();
    return () => { clearTimeout(timer); model.off("msg:custom", onMessage); };
  },
};
"""


def _answers_requests() -> bool:
    """Whether this thread handles the front-end's requests: the main one, or one of
    ipykernel's subshells (ipykernel >= 7 handles JupyterLab's widget messages there)."""
    thread = threading.current_thread()
    return thread is threading.main_thread() or type(thread).__name__ == "SubshellThread"


_sharing = threading.local()


@contextmanager
def sharing(relay: Relay) -> Iterator[None]:
    """Live widgets built inside this block use ``relay`` (their container's) instead of their
    own, so a page runs one timer per displayed widget."""
    _sharing.relay = relay
    try:
        yield
    finally:
        _sharing.relay = None


def shared_relay() -> Relay | None:
    """The relay of the container being built (see :func:`sharing`), if any."""
    return getattr(_sharing, "relay", None)


class Relay(PlainTextRepr, anywidget.AnyWidget):
    """The hidden part of a live widget that resends its state from the kernel's main thread.

    ``owner`` is the widget whose tree it covers; ``active`` a callable saying whether a run is
    on (the page then pulls often). ``version`` counts the draws made off the main thread;
    ``pulls`` counts the page's requests, ``resends`` the times the page was behind and the state
    was sent again.
    ("Main thread" here: any thread that answers the front-end's requests.)
    """

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    pull_ms = traitlets.Int(PULL_MS).tag(sync=True)
    slow_pull_ms = traitlets.Int(SLOW_PULL_MS).tag(sync=True)

    def __init__(self, owner: widgets.Widget | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.owner = owner
        self.is_active = lambda: False
        self.version = 0
        self.pulls = 0
        self.resends = 0
        self._lock = threading.Lock()
        self.on_msg(self._on_page_message)

    def touch(self) -> None:
        """The owner's tree changed: off the main thread, count a version and announce it."""
        if _answers_requests() or self.comm is None:
            return
        with self._lock:
            self.version += 1
            version = self.version
        self.send({"version": version, "thread": True})

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if not isinstance(content, dict) or "pull" not in content:
            return
        seen = content["pull"]
        self.pulls += 1
        with self._lock:
            version = self.version
        if isinstance(seen, int) and seen < version:
            self.resend()
        self.send({"version": version, "active": bool(self.is_active())})

    def resend(self) -> None:
        """Send the full state of the owner and of every widget it holds (not this relay)."""
        owner = self.owner
        if owner is None:
            return
        self.resends += 1
        for widget in [owner, *held_widgets(owner)]:
            if widget is not self and widget.comm is not None and not isinstance(widget, _UNCHANGING):
                widget.send_state()

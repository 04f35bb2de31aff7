"""When the explorer's queries are answered: at once, or coalesced on a channel.

The front-end (``js/src/backend/protocol.ts``) marks a request that a newer one may supersede with
a ``channel`` ("neighbours" for hover and click, "complete" while typing). Such requests are
answered on a worker thread: a newer request on the same channel replaces one still waiting (the
replaced one is answered at once with an error marked ``superseded``, which the page drops as it
drops any stale reply), and a channel is answered at most once per ``min_interval`` seconds. A
storm of hovers therefore costs a bounded share of the CPU while a model trains beside it, and the
last request of every burst is still answered. Requests without a channel (add a word, cancel a
layout, Python's own calls) are answered at once, in order, on the caller's thread.

:class:`QueryMessages` is a widget's end of the plumbing: the page's custom messages (queries
carrying an ``id``) go to a dispatcher, each reply goes back with ``send``, and a reply to a
hover fires the ``on_hover`` callbacks; :func:`page_message` is a one-line notice for the page's
status line (``_message``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from ..event_callbacks import EventCallbacks

logger = logging.getLogger(__name__)

SUPERSEDED = "superseded by a newer request on the same channel"
SLOW_QUERY_S = 0.25  # a query answered slower than this is logged


class _Waiting:
    __slots__ = ("channel", "content")

    def __init__(self, content: dict, channel: str):
        self.content = content
        self.channel = channel


class QueryDispatcher:
    """Answers query messages: channel-less ones at once, channel ones coalesced on a worker.

    ``answer(content) -> reply`` computes a reply (it must not raise; one slower than
    ``SLOW_QUERY_S`` is logged as a slow ``label`` query); ``deliver(content, reply)`` sends it.
    The worker thread starts with the first channel request and ends after ``idle_exit`` seconds
    without one, or at :meth:`close`.
    """

    def __init__(
        self,
        answer: Callable[[Any], dict],
        deliver: Callable[[Any, dict], None],
        min_interval: float = 1 / 60,
        idle_exit: float = 2.0,
        label: str = "explorer",
    ):
        self._compute = answer
        self.label = label
        self._deliver = deliver
        self.min_interval = min_interval
        self.idle_exit = idle_exit
        self._cond = threading.Condition()
        self._queue: deque[_Waiting] = deque()
        self._waiting: dict[str, _Waiting] = {}  # channel -> its request still in the queue
        self._answered_at: dict[str, float] = {}
        self._busy = False
        self._closed = False
        self._thread: threading.Thread | None = None
        self.superseded = 0

    def _answer(self, content: Any) -> dict:
        t0 = time.perf_counter()
        reply = self._compute(content)
        elapsed = time.perf_counter() - t0
        if elapsed > SLOW_QUERY_S:
            kind = content.get("type") if isinstance(content, dict) else None
            logger.warning("slow %s query %s: %.0f ms", self.label, kind, elapsed * 1e3)
        return reply

    def submit(self, content: Any) -> None:
        """Answer ``content`` now, or queue it on its channel."""
        channel = content.get("channel") if isinstance(content, dict) else None
        if not isinstance(channel, str) or not channel:
            self._deliver(content, self._answer(content))
            return
        replaced = None
        with self._cond:
            if self._closed:
                replaced, item = None, None
            else:
                replaced = self._waiting.pop(channel, None)
                if replaced is not None:
                    self._queue.remove(replaced)
                    self.superseded += 1
                item = _Waiting(content, channel)
                self._waiting[channel] = item
                self._queue.append(item)
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="w2v-explorer-queries", daemon=True
                    )
                    self._thread.start()
                self._cond.notify_all()
        if item is None:  # closed: answer inline rather than leave the page waiting
            self._deliver(content, self._answer(content))
        if replaced is not None:
            self._deliver(
                replaced.content, {"id": replaced.content.get("id"), "error": SUPERSEDED, "superseded": True}
            )

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every queued request is answered; False on timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self, timeout: float = 5.0) -> None:
        """Answer what is queued, then stop the worker."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def running(self) -> bool:
        """Whether the worker thread is alive."""
        return self._thread is not None

    def _next(self) -> _Waiting | None:
        """The next request due, waiting for its channel's interval; None when the worker ends."""
        with self._cond:
            while True:
                if not self._queue:
                    if self._closed or (not self._cond.wait(self.idle_exit) and not self._queue):
                        self._thread = None
                        self._cond.notify_all()
                        return None
                    continue
                item = self._queue[0]
                due = self._answered_at.get(item.channel, -1e9) + self.min_interval
                now = time.monotonic()
                if now < due and not self._closed:
                    self._cond.wait(due - now)  # a newer request may replace it meanwhile
                    continue
                self._queue.popleft()
                del self._waiting[item.channel]
                self._busy = True
                return item

    def _run(self) -> None:
        while (item := self._next()) is not None:
            try:
                self._deliver(item.content, self._answer(item.content))
            except Exception:  # a closed comm, a failing hover callback: keep serving
                logger.exception("explorer query %r could not be answered", item.content.get("id"))
            finally:
                with self._cond:
                    self._answered_at[item.channel] = time.monotonic()
                    self._busy = False
                    self._cond.notify_all()


def page_message(level: str, text: str) -> dict:
    """A notice for the page (``level``: ``"info"`` or ``"error"``); ``seq`` makes a repeated
    notice show again."""
    return {"level": level, "text": text, "seq": time.time()}


def hover_event(result: dict) -> dict:
    """What ``on_hover`` callbacks receive from a hover's reply: ``{"word", "neighbours"}``."""
    return {"word": result["word"], "neighbours": [(i["word"], i["score"]) for i in result["items"]]}


class QueryMessages:
    """A widget's end of the message plumbing: receives ``widget``'s custom messages, answers
    them with ``answer(content)`` (at once or coalesced, see :class:`QueryDispatcher`), sends the
    replies back, and fires ``hover_callbacks`` with ``event(result)`` for a hover's reply."""

    def __init__(
        self,
        widget: Any,
        answer: Callable[[Any], dict],
        hover_callbacks: EventCallbacks,
        event: Callable[[dict], dict] = hover_event,
        label: str = "explorer",
    ):
        self.widget, self.hover_callbacks, self.event = widget, hover_callbacks, event
        self.dispatcher = QueryDispatcher(answer, self.deliver, label=label)
        widget.on_msg(self.receive)

    def receive(self, _widget: Any, content: Any, _buffers: Any) -> None:
        self.dispatcher.submit(content)  # at once, or coalesced on the request's channel

    def deliver(self, content: Any, reply: dict) -> None:
        self.widget.send(reply)
        if content.get("type") == "neighbours" and content.get("reason") == "hover" and "result" in reply:
            self.hover_callbacks.fire(self.event(reply["result"]))

    def close(self) -> None:
        self.dispatcher.close()

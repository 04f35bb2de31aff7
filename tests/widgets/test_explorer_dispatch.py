"""The explorer's query dispatcher: channel requests coalesce, nothing is answered twice or lost."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from w2v_widgets.vectors.word_vectors import WordVectors
from w2v_widgets.widgets.explorer.dispatch import SUPERSEDED, QueryDispatcher
from w2v_widgets.widgets.explorer.widget import EmbeddingExplorer


class Recorder:
    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.computed: list[str] = []
        self.replies: list[dict] = []
        self.threads: set[str] = set()
        self.lock = threading.Lock()

    def answer(self, content: dict) -> dict:
        time.sleep(self.delay)
        with self.lock:
            self.computed.append(content["id"])
        return {"id": content["id"], "result": content.get("word")}

    def deliver(self, content: dict, reply: dict) -> None:
        with self.lock:
            self.replies.append(reply)
            self.threads.add(threading.current_thread().name)


def test_requests_without_a_channel_are_answered_at_once_on_the_callers_thread():
    rec = Recorder()
    d = QueryDispatcher(rec.answer, rec.deliver)
    d.submit({"id": "a", "type": "add", "word": "x"})
    assert rec.replies == [{"id": "a", "result": "x"}]
    assert rec.threads == {threading.current_thread().name}
    assert not d.running


def test_a_burst_on_one_channel_computes_the_first_and_the_last_and_answers_every_id_once():
    rec = Recorder(delay=0.05)
    d = QueryDispatcher(rec.answer, rec.deliver, min_interval=0.0)
    for i in range(50):
        d.submit({"id": f"h{i}", "channel": "neighbours", "word": f"w{i}"})
    assert d.flush(10)
    ids = [r["id"] for r in rec.replies]
    assert sorted(ids) == sorted(f"h{i}" for i in range(50))  # every id answered, once
    assert "h49" in rec.computed  # the latest is always computed
    assert len(rec.computed) <= 3  # the worker was busy with one while the burst arrived
    superseded = [r for r in rec.replies if r.get("superseded")]
    assert len(superseded) == 50 - len(rec.computed)
    assert all(r["error"] == SUPERSEDED and r["id"] not in rec.computed for r in superseded)
    d.close()


def test_channels_are_independent_and_a_channel_is_answered_at_most_once_per_interval():
    rec = Recorder()
    d = QueryDispatcher(rec.answer, rec.deliver, min_interval=0.2)
    t0 = time.monotonic()
    d.submit({"id": "n1", "channel": "neighbours", "word": "a"})
    d.submit({"id": "c1", "channel": "complete", "word": "b"})
    assert d.flush(5)
    time.sleep(0.01)
    d.submit({"id": "n2", "channel": "neighbours", "word": "c"})  # within the interval: waits
    d.submit({"id": "n3", "channel": "neighbours", "word": "d"})  # replaces n2
    assert d.flush(5)
    elapsed = time.monotonic() - t0
    assert rec.computed[:2] == ["n1", "c1"] and rec.computed[2:] == ["n3"]
    assert elapsed >= 0.2
    assert next(r for r in rec.replies if r["id"] == "n2")["superseded"] is True
    d.close()


def test_the_worker_ends_when_idle_and_at_close():
    rec = Recorder()
    d = QueryDispatcher(rec.answer, rec.deliver, idle_exit=0.1)
    d.submit({"id": "x", "channel": "neighbours"})
    assert d.flush(5)
    deadline = time.monotonic() + 5
    while d.running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not d.running
    d.submit({"id": "y", "channel": "neighbours"})  # starts a new worker
    d.close()
    assert not d.running and [r["id"] for r in rec.replies] == ["x", "y"]
    d.submit({"id": "z", "channel": "neighbours"})  # after close: answered inline, not lost
    assert rec.replies[-1]["id"] == "z"


def test_a_failing_delivery_does_not_stop_the_worker():
    rec = Recorder()
    calls = []

    def deliver(content, reply):
        calls.append(reply["id"])
        if reply["id"] == "bad":
            raise RuntimeError("comm closed")
        rec.deliver(content, reply)

    d = QueryDispatcher(rec.answer, deliver, min_interval=0.0)
    d.submit({"id": "bad", "channel": "neighbours"})
    assert d.flush(5)
    d.submit({"id": "good", "channel": "neighbours"})
    assert d.flush(5)
    assert calls == ["bad", "good"] and rec.replies[-1]["id"] == "good"
    d.close()


@pytest.fixture
def explorer():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(300)]
    ex = EmbeddingExplorer(WordVectors(words, rng.normal(size=(300, 8)).astype(np.float32)), n_words=100)
    yield ex
    ex.close()


def test_the_explorer_coalesces_hovers_and_fires_on_hover_for_the_computed_one(explorer):
    sent, hovered = [], []
    explorer.send = sent.append
    explorer.on_hover(lambda e: hovered.append(e["word"]))
    for i in range(30):
        explorer._messages.receive(
            explorer,
            {
                "id": f"q{i}",
                "type": "neighbours",
                "word": f"w{i}",
                "reason": "hover",
                "channel": "neighbours",
            },
            [],
        )
    assert explorer._messages.dispatcher.flush(10)
    assert sorted(r["id"] for r in sent) == sorted(f"q{i}" for i in range(30))
    computed = [r for r in sent if "result" in r]
    assert computed[-1]["result"]["word"] == "w29" and hovered[-1] == "w29"
    assert len(hovered) == len(computed)
    explorer.close()
    assert not explorer._messages.dispatcher.running

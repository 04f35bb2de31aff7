"""Unit tests of the live widgets' pure parts: the redraw throttle, the controls' state
machine, the probe-word rule and the text formatting. No kernel, no clock: time is injected."""

from __future__ import annotations

import pytest

from w2v_widgets.errors import TrainingStateError
from w2v_widgets.widgets.live import Controls, Throttle, environment
from w2v_widgets.widgets.live.neighbour_table import default_probe_words, parse_words  # engine's rule
from w2v_widgets.widgets.live.status import format_count, format_duration


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------------- throttle
def test_throttle_lets_one_call_through_per_interval():
    clock = FakeClock()
    throttle = Throttle(0.5, clock=clock)
    assert throttle()  # the first call always passes
    assert not throttle()
    clock.now += 0.49
    assert not throttle()
    clock.now += 0.01  # 0.5 s after the first pass
    assert throttle()
    assert not throttle()
    assert (throttle.passed, throttle.refused) == (2, 3)


def test_throttle_at_most_twice_a_second_over_a_burst_of_events():
    clock = FakeClock()
    throttle = Throttle(0.5, clock=clock)
    passed = 0
    for _ in range(1000):  # 1000 events over 10 s
        clock.now += 0.01
        passed += throttle()
    assert passed == 20


def test_throttle_force_and_reset():
    clock = FakeClock()
    throttle = Throttle(10.0, clock=clock)
    assert throttle()
    assert throttle(force=True)  # forced: always, and starts a new interval
    clock.now += 9.9
    assert not throttle()
    throttle.reset()
    assert throttle()
    with pytest.raises(ValueError):
        Throttle(-1)


def test_throttle_stretches_its_interval_to_the_time_budget():
    clock = FakeClock()
    throttle = Throttle(0.5, budget=0.05, clock=clock)

    def slow_action() -> str:
        clock.now += 0.1  # one redraw costs 0.1 s
        return "drawn"

    assert throttle()
    assert throttle.timed(slow_action) == "drawn"
    assert throttle.interval == pytest.approx(2.0)  # 0.1 s is 5% of 2 s
    clock.now += 1.8  # 1.9 s after the pass
    assert not throttle()
    clock.now += 0.1
    assert throttle()
    throttle.timed(lambda: None)  # a cheap run brings it back to the base interval
    assert throttle.interval == 0.5
    with pytest.raises(ValueError):
        Throttle(1.0, budget=0)


# ---------------------------------------------------------------------- controls
def _enabled(controls: Controls) -> dict:
    v = controls.view()
    return {"start": v.start, "pause": v.pause, "stop": v.stop, "reset": v.reset,
            "settings": v.settings}  # fmt: skip


def test_controls_idle_allows_start_and_reset_only():
    c = Controls()
    assert _enabled(c) == {
        "start": True, "pause": False, "stop": False, "reset": True, "settings": True
    }  # fmt: skip
    assert c.view().start_label == "Start"
    assert c.view().pause_label == "Pause"


def test_controls_a_full_run_with_pause_resume_and_stop():
    c = Controls()
    c.request("start")
    # pending start: a second click cannot start a second run
    assert not c.allowed("start")
    assert _enabled(c)["settings"] is False
    with pytest.raises(TrainingStateError, match="waiting for start"):
        c.request("start")
    c.observe("running")
    assert c.pending is None
    assert _enabled(c) == {
        "start": False, "pause": True, "stop": True, "reset": False, "settings": False
    }  # fmt: skip
    c.request("pause")
    # until the trainer pauses, the toggle says Resume but is disabled
    assert c.view().pause_label == "Resume" and not c.view().pause
    assert c.allowed("stop")  # stop stays possible meanwhile
    c.observe("paused")
    assert c.view().pause and c.view().pause_label == "Resume"
    assert not c.allowed("pause") and c.allowed("resume")
    c.request("resume")
    c.observe("running")
    assert c.view().pause_label == "Pause"
    c.request("stop")
    assert not c.allowed("stop")  # no double stop
    c.observe("stopping")
    assert c.pending is None
    assert _enabled(c)["stop"] is False
    c.observe("stopped")
    assert _enabled(c) == {
        "start": True, "pause": False, "stop": False, "reset": True, "settings": True
    }  # fmt: skip
    assert c.view().start_label == "Continue"  # fit continues a stopped run


def test_controls_stop_from_paused_and_failure():
    c = Controls(state="paused")
    c.request("stop")
    c.observe("stopping")
    c.observe("stopped")
    assert c.allowed("start") and c.allowed("reset")
    c.request("start")
    c.observe("running")
    c.observe("failed")
    assert c.view().start_label == "Continue"
    c.observe("finished")
    assert c.view().start_label == "Start"
    c.observe("failed")
    assert c.allowed("start") and c.allowed("reset") and not c.allowed("stop")


def test_controls_pending_pause_ends_if_the_run_finishes_first():
    c = Controls(state="running")
    c.request("pause")
    c.observe("finished")  # the last batch came before the pause
    assert c.pending is None and c.allowed("start")


def test_controls_reset_and_abandon():
    c = Controls(state="finished")
    c.request("reset")
    c.observe("idle")
    assert c.pending is None
    c.request("start")
    c.abandon()  # the model's fit raised: the buttons unlock
    assert c.pending is None and c.allowed("start")


def test_controls_without_a_corpus_cannot_start():
    c = Controls(can_start=False)
    assert not c.allowed("start") and c.allowed("reset")
    c.observe("running")  # a run started elsewhere can still be steered
    assert c.allowed("pause") and c.allowed("stop")


def test_controls_reject_unknown_names():
    c = Controls()
    with pytest.raises(ValueError):
        c.request("explode")
    with pytest.raises(ValueError):
        c.observe("sleeping")
    with pytest.raises(ValueError):
        Controls(state="sleeping")


# ---------------------------------------------------------------------- probe words, text
def test_lessons_probe_words_follow_the_lessons_rule():
    vocab = [f"w{i}" for i in range(5000)]
    words = default_probe_words(vocab, seed=3, rule="lessons")
    ranks = [vocab.index(w) for w in words]
    assert len(words) == 16 and len(set(words)) == 16
    assert sum(r < 100 for r in ranks) == 8
    assert sum(1000 <= r < 1100 for r in ranks) == 8
    assert default_probe_words(vocab, seed=3, rule="lessons") == words  # reproducible
    # small vocabularies still give 16 distinct words
    small = [f"w{i}" for i in range(48)]
    assert len(set(default_probe_words(small, rule="lessons"))) == 16


def test_parse_words():
    assert parse_words(" king, queen;man  woman,,king ") == ["king", "queen", "man", "woman"]
    assert parse_words("") == []
    assert parse_words("<img src=x onerror=alert(1)>") == ["<img", "src=x", "onerror=alert(1)>"]


def test_formatting():
    assert format_duration(75.2) == "1:15"
    assert format_duration(3725) == "1:02:05"
    assert format_duration(None) == "–"
    assert format_duration(float("nan")) == "–"
    assert format_count(812_345) == "812k"
    assert format_count(2_500_000) == "2.50M"
    assert format_count(999) == "999"


def test_environment_outside_ipython_is_script():
    assert environment() == "script"

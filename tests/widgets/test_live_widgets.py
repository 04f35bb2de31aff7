"""The live widgets' Python side against the real trainer, in this process (no kernel).

Training is real (a small synthetic corpus); the widgets are real ipywidgets whose comm is
the no-op one used outside a kernel, so these check the traitlets a front-end would get.
"""

from __future__ import annotations

import json
import time

import pytest

import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from tests.support.waiting import StateEvents, wait_until
from w2v_widgets.widgets.live.dashboard import TrainingDashboard
from w2v_widgets.widgets.live.loss_chart import LossChart
from w2v_widgets.widgets.live.neighbour_table import NeighbourTable
from w2v_widgets.widgets.live.status import TrainingStatus

FAST = dict(vector_size=20, min_count=2, sample=0, batch_size=1024, log_every=1)


@pytest.fixture(scope="module")
def corpus() -> w2v.Corpus:
    return make_corpus()


def test_widgets_follow_a_whole_run(corpus):
    model = w2v.Word2Vec(epochs=3, **FAST)
    chart = LossChart(model, max_points=50)
    table = NeighbourTable(model, words=["cat", "one", EVIL, "nonexistent"], k=4)
    status = TrainingStatus(model)
    model.fit(corpus)
    n = len(model.history)
    assert n > 50  # enough intervals to be downsampled
    # loss chart: every interval recorded, at most max_points drawn, two epoch rules
    assert chart.points == n
    data = chart.jchart.spec["datasets"]
    assert len(data["loss"]) == 50
    assert [e["label"] for e in data["epochs"]] == ["epoch 2", "epoch 3"]
    json.dumps(chart.jchart.spec, allow_nan=False)
    assert chart.redraws < n  # throttled: not one redraw per interval
    # status: the final figures
    assert status.state == "finished"
    assert status.words_done == status.words_total == model.progress["words_total"]
    assert status.epoch + 1 == status.epochs == 3
    assert status._bar.value == 1.0
    # table: groups formed, unknown word reported, everything escaped
    rows = {r["word"]: r for r in table.rows}
    assert {n["word"] for n in rows["cat"]["neighbours"]} <= {
        "dog", "horse", "cow", "sheep", "goat", "mouse", "rabbit", "the", "a"
    }  # fmt: skip
    assert rows["nonexistent"]["status"] == "not in the vocabulary"
    assert rows[EVIL]["status"] == "ok"
    page = table._table.value
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "nonexistent" in page
    # scores are cosines, best first
    sims = [n["similarity"] for n in rows["one"]["neighbours"]]
    assert sims == sorted(sims, reverse=True) and all(-1 <= s <= 1.0001 for s in sims)


def test_neighbour_table_marks_new_neighbours_and_takes_edits(corpus):
    model = w2v.Word2Vec(epochs=1, **FAST)
    table = NeighbourTable(model)
    assert table.words == [] and "Probe words are chosen" in table._table.value
    model.fit(corpus)
    # the default probe words (recognisable groups, else mid-frequency words), from the vocabulary
    assert len(table.words) == 16
    assert set(table.words) <= set(model.vocab.words)
    # first computation after a reset marks nothing new; a changed neighbourhood does
    table.sync_from_model()
    assert not any(n["new"] for r in table.rows for n in r["neighbours"])
    table._previous["cat"] = {"zzz"}
    table.words = ["cat"]
    assert all(n["new"] for n in table.rows[0]["neighbours"])
    assert table._table.value.count('class="w2v-new"') == table.k
    # editing the text box (as a user does) changes the words and keeps them for later runs
    table._box.value = f"dog, {EVIL}"
    assert table.words == ["dog", "<img", "src=x", "onerror=alert(1)>"]
    model.fit(corpus)
    assert table.words[0] == "dog"
    assert "<img" not in table._table.value


def test_dashboard_start_pause_resume_stop_from_python(corpus):
    model = w2v.Word2Vec(epochs=500, **FAST)
    dash = TrainingDashboard(model, corpus, words=["cat", "red"])
    events = StateEvents()  # the trainer's own state events, after the dashboard's handler
    model.add_callback(events)
    buttons = dash._buttons
    assert dash.state == "idle" and not buttons["start"].disabled
    assert buttons["pause"].disabled and buttons["stop"].disabled
    dash.start(block=False)
    wait_until(lambda: model.state == "running" and dash.status.words_done > 0, what="running")
    assert dash.state == "running"
    assert buttons["start"].disabled and not buttons["pause"].disabled
    assert dash.settings.disabled and all(f.disabled for f in dash.settings.fields.values())
    # pause through the button's own handler, as a click does
    buttons["pause"].click()
    events.wait("paused")
    assert dash.state == "paused"
    assert buttons["pause"].description == "Resume" and not buttons["pause"].disabled
    done = model.progress["words_done"]
    time.sleep(0.6)
    assert model.progress["words_done"] == done
    assert dash.status.words_done == done  # the pause was drawn
    buttons["pause"].click()
    wait_until(lambda: model.progress["words_done"] > done, what="progress after resume")
    assert dash.state == "running" and buttons["pause"].description == "Pause"
    buttons["stop"].click()
    events.wait("stopped")
    assert dash.state == "stopped"
    assert not buttons["start"].disabled and buttons["start"].description == "Continue"
    assert not dash.settings.disabled
    assert dash.loss_chart.points == len(model.history)
    # continue, then stop from Python; reset empties every view
    dash.start(block=False)
    wait_until(lambda: dash.state == "running", what="running again")
    dash.stop()
    wait_until(lambda: dash.state == "stopped", what="stopped again")
    dash.reset()
    assert dash.state == "idle" and model.state == "idle"
    assert dash.loss_chart.points == 0 and dash.status.words_done == 0
    assert dash.neighbours.rows[0]["status"] == "no vectors yet"
    with pytest.raises(w2v.TrainingStateError):
        dash.resume()


def test_dashboard_shows_a_training_error(corpus):
    class Boom(w2v.Callback):
        def on_batch_end(self, model, logs):
            if logs["epoch"] == 1:
                raise RuntimeError("boom <b>bold</b>")

    model = w2v.Word2Vec(epochs=3, **FAST)
    model.add_callback(Boom())
    dash = TrainingDashboard(model, corpus)
    dash.start(block=False)
    with pytest.raises(RuntimeError, match="boom"):
        model.wait(60)
    wait_until(lambda: dash.state == "failed", what="failed")
    assert dash.status.error == "RuntimeError: boom <b>bold</b>"
    box = dash.status._error_box.value
    assert "boom &lt;b&gt;bold&lt;/b&gt;" in box and "<b>bold" not in box
    assert not dash._buttons["start"].disabled  # can continue after fixing


def test_dashboard_builds_the_model_from_the_form(corpus):
    dash = TrainingDashboard(corpus=corpus)
    assert dash.model is None
    dash.settings.fields["vector_size"].value = 12
    dash.settings.fields["epochs"].value = "1"
    dash.settings.fields["min_count"].value = "2"
    dash.settings.fields["alpha"].value = "fast"
    with pytest.raises(w2v.ConfigError, match="alpha"):
        dash.start(block=False)
    assert "alpha must be a number" in dash.message
    assert not dash._buttons["start"].disabled  # the failed start unlocked the controls
    dash.settings.fields["alpha"].value = ""
    dash.start(block=False)
    dash.model.wait(60)
    wait_until(lambda: dash.state == "finished", what="finished")
    assert dash.model.get_params()["vector_size"] == 12
    assert dash.model.wv.vector_size == 12
    # a structural change between runs resets the model (set_params) and the chart restarts
    first_points = dash.loss_chart.points
    dash.settings.fields["vector_size"].value = 8
    dash.start(block=False)
    dash.model.wait(60)
    wait_until(lambda: dash.state == "finished", what="finished again")
    assert dash.model.wv.vector_size == 8
    assert dash.loss_chart.points == len(dash.model.history) <= first_points + 1


def test_a_display_bug_does_not_stop_training(corpus, monkeypatch):
    model = w2v.Word2Vec(epochs=1, **FAST)
    chart = LossChart(model)

    def broken(logs=None) -> None:
        raise ValueError("cannot draw")

    monkeypatch.setattr(chart, "draw", broken)
    model.fit(corpus)
    assert model.state == "finished"
    assert "cannot draw" in chart._message.value


def test_dashboard_needs_a_model_or_a_corpus():
    with pytest.raises(w2v.ConfigError, match="give a model, a corpus or both"):
        TrainingDashboard()
    dash = TrainingDashboard(w2v.Word2Vec())
    assert dash._buttons["start"].disabled  # watch-only: no corpus to train on
    with pytest.raises(w2v.ConfigError, match="no corpus"):
        dash.start()


def test_loss_chart_lays_a_second_run_after_the_first(corpus):
    model = w2v.Word2Vec(epochs=2, **FAST)
    chart = LossChart(model)
    model.fit(corpus)
    first = chart.points
    model.fit(corpus)  # a finished model trains a new run from its current weights
    assert chart.points == len(model.history) > first
    data = chart.jchart.spec["datasets"]
    xs = [row["words_done"] for row in data["loss"]]
    assert xs == sorted(xs)  # runs end to end, not drawn over each other
    assert [m["label"] for m in data["epochs"]] == ["epoch 2", "run 2", "epoch 2"]
    # the static chart of the history draws the same
    static = model.history.plot().to_dict()["datasets"]
    assert static["epochs"] == data["epochs"]


def test_closing_widgets_unsubscribes_them():
    model = w2v.Word2Vec()
    dash = TrainingDashboard(model, make_corpus(200))
    chart = LossChart(model)
    assert len(model.callbacks) == 5  # status, chart, table, dashboard + the chart above
    dash.close()
    assert list(model.callbacks) == [chart]
    chart.close()
    assert len(model.callbacks) == 0

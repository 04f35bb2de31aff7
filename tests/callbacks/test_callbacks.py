"""Built-in callbacks: the recorder, and stateful callbacks saved with the model."""

from __future__ import annotations

import math

import pytest

import w2v_widgets as w2v
from tests.support.models import small_model
from w2v_widgets.callbacks import Callback, EarlyStopping, Recorder, SaveCheckpoint


class Seen(Callback):
    def __init__(self):
        self.rows_at_batch_end: list[int] = []

    def on_batch_end(self, model, logs):
        self.rows_at_batch_end.append(len(model._history))


def test_recorder_runs_first_so_callbacks_see_the_interval_recorded(toy_corpus):
    seen = Seen()
    model = small_model(epochs=1).fit(toy_corpus, callbacks=[seen])
    assert seen.rows_at_batch_end == list(range(1, len(model.history) + 1))
    assert model.progress["words_done"] == model.history["words_done"].iloc[-1]
    assert isinstance(next(iter(model._run_callbacks)), Recorder)


def test_early_stopping_state_is_saved_and_restored_with_the_model(toy_corpus, tmp_path):
    stopper = EarlyStopping(patience=3)
    model = small_model(epochs=2)
    model.fit(toy_corpus, callbacks=[stopper])
    stopper.best, stopper.wait = 0.125, 2  # as if the loss had stopped improving
    model.save(tmp_path / "m.w2v")

    loaded = type(model).load(tmp_path / "m.w2v")
    fresh = EarlyStopping(patience=3)
    loaded._restore_callback_states([fresh])
    assert (fresh.best, fresh.wait) == (0.125, 2)


def test_early_stopping_keeps_its_state_when_a_stopped_run_continues(toy_corpus, tmp_path):
    stopper = EarlyStopping(patience=5)

    class StopAfterOneEpoch(Callback):
        def on_epoch_end(self, model, logs):
            if logs["epoch"] == 0:
                model.stop()

    model = small_model(epochs=3)
    model.fit(toy_corpus, callbacks=[stopper, StopAfterOneEpoch()])
    assert model.state == "stopped" and math.isfinite(stopper.best)
    best = stopper.best
    model.save(tmp_path / "m.w2v")
    loaded = type(model).load(tmp_path / "m.w2v")
    again = EarlyStopping(patience=5)
    loaded.fit(toy_corpus, callbacks=[again])  # continues the stopped run: state restored, kept
    assert loaded.state == "finished"
    assert again.best <= best


def test_save_checkpoint_keeps_one_file_per_epoch_with_an_epoch_field(toy_corpus, tmp_path):
    saver = SaveCheckpoint(tmp_path / "run-{epoch:02d}.w2v", every_epochs=1)
    model = small_model(epochs=3).fit(toy_corpus, callbacks=[saver])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run-01.w2v", "run-02.w2v", "run-03.w2v"]
    first, last = w2v.Word2Vec.load(tmp_path / "run-01.w2v"), w2v.Word2Vec.load(tmp_path / "run-03.w2v")
    assert len(first.epoch_losses) == 1 and len(last.epoch_losses) == 3
    assert (last.wv.vectors == model.wv.vectors).all()
    table = w2v.compare_runs(tmp_path / "run-01.w2v", tmp_path / "run-03.w2v", k=3)
    assert len(table) == len(model.wv) and table.overlap.between(0, 1).all()
    with pytest.raises(w2v.ConfigError, match=r"\{epoch\}"):
        SaveCheckpoint(tmp_path / "run-{step}.w2v")

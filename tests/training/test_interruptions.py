"""Training stopped by an exception in a callback (a widget is one) or by a keyboard interrupt
(the notebook's stop button), at any point: the model stays consistent and queryable, and
``fit`` continues from where it stopped."""

from __future__ import annotations

import signal
import threading

import numpy as np
import pytest
import torch

from tests.support.models import small_model
from w2v_widgets.callbacks import Callback

EVENTS = ["on_train_begin", "on_epoch_begin", "on_batch_end", "on_epoch_end"]


class Explode(Callback):
    """Raises ``error`` at the ``after``-th call of ``event``, once."""

    def __init__(self, event: str, error: BaseException, after: int = 1):
        self.error, self.after, self.calls = error, after, 0
        setattr(self, event, self._fire)  # the instance attribute hides the no-op handler

    def _fire(self, model, logs):
        self.calls += 1
        if self.calls == self.after:
            raise self.error


@pytest.fixture
def reproducible():
    """One thread for the compiled kernel, so an interrupted run can equal an uninterrupted one."""
    previous = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    yield
    torch.use_deterministic_algorithms(previous)


def assert_queryable(model) -> None:
    assert np.isfinite(model.wv.vectors).all()
    assert len(model.wv.most_similar("one", topn=3)) == 3


@pytest.mark.parametrize(
    "error", [RuntimeError("widget broke"), KeyboardInterrupt()], ids=["error", "ctrl-c"]
)
@pytest.mark.parametrize("event", EVENTS)
def test_exception_in_a_callback_then_fit_continues_exactly(toy_corpus, reproducible, event, error):
    kw = {"log_every": 3, "epochs": 3}
    full = small_model(**kw).fit(toy_corpus)
    model = small_model(**kw)
    after = 5 if event == "on_batch_end" else 2 if event != "on_train_begin" else 1
    with pytest.raises(type(error)):
        model.fit(toy_corpus, callbacks=[Explode(event, error, after)])
    assert model.state == "failed" and model.error is error
    if event != "on_train_begin":
        assert_queryable(model)
    position = model._position.to_dict()
    model.fit(toy_corpus)  # continues: no epoch is run twice or skipped
    assert model.state == "finished"
    assert len(model.epoch_losses) == 3
    assert position["batches_done"] <= model._position.batches_done == full._position.batches_done
    assert np.array_equal(model.wv.vectors, full.wv.vectors)
    assert model.epoch_losses == pytest.approx(full.epoch_losses, rel=1e-9)


@pytest.mark.parametrize("delay", [0.001, 0.01, 0.03, 0.1, 0.2, 0.4])
def test_keyboard_interrupt_at_any_moment_keeps_the_model_usable(toy_corpus, delay):
    """SIGINT as the stop button sends it, landing wherever the main thread is at that moment."""
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread only")

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    model = small_model(epochs=4, batch_size=64)
    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, delay)
        try:
            model.fit(toy_corpus)
        except KeyboardInterrupt:
            pass
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert model.state in ("failed", "finished", "idle"), model.state
    if model.module is not None and model.vocab is not None:
        assert_queryable(model)
    model.fit(toy_corpus)
    assert model.state == "finished" and len(model.epoch_losses) in (4, 8)
    assert_queryable(model)


def test_a_background_run_that_fails_in_a_callback_continues(toy_corpus):
    model = small_model(epochs=3, log_every=2)
    model.fit(
        toy_corpus, callbacks=[Explode("on_batch_end", RuntimeError("chart broke"), 3)], background=True
    )
    with pytest.raises(RuntimeError, match="chart broke"):
        model.wait(60)
    assert model.state == "failed"
    assert_queryable(model)
    model.fit(toy_corpus, background=True)
    assert model.wait(60) and model.state == "finished" and len(model.epoch_losses) == 3

import threading

import numpy as np
import pytest
import torch

import w2v_widgets as w2v
from tests.support.models import small_model
from w2v_widgets.callbacks import Callback, EarlyStopping
from w2v_widgets.training import kernels
from w2v_widgets.training import trainer as trainer_module
from w2v_widgets.training.data_path import OneProcessData


@pytest.fixture(params=["kernel", "eager", "device"])
def deterministic(request, monkeypatch):
    """Bitwise reproducibility is an explicit mode: torch.use_deterministic_algorithms(True) runs
    the compiled kernel on one thread (Hogwild threads are not reproducible). Tests that compare
    runs bit for bit use it, on the three paths: the compiled kernel, the eager fallback, and the
    GPU's path (large damped steps, large chunks) run on the CPU."""
    if request.param in ("eager", "device"):
        monkeypatch.setenv("W2V_WIDGETS_KERNEL", request.param)
    elif not kernels.start():
        pytest.skip(f"compiled kernel unavailable: {kernels.error}")
    previous = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    yield request.param
    torch.use_deterministic_algorithms(previous)


class Recorder(Callback):
    def __init__(self):
        self.events = []
        self.batches = []
        self.epochs = []

    def on_train_begin(self, model, logs):
        self.events.append("train_begin")

    def on_epoch_begin(self, model, logs):
        self.events.append(f"epoch_begin{logs['epoch']}")

    def on_batch_end(self, model, logs):
        self.batches.append(logs)

    def on_epoch_end(self, model, logs):
        self.events.append(f"epoch_end{logs['epoch']}")
        self.epochs.append(logs)

    def on_train_end(self, model, logs):
        self.events.append(f"train_end:{logs['state']}")


@pytest.mark.parametrize("loss", ["negative", "cbow", "softmax"])
@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_each_model_learns_the_topics(toy_corpus, loss, optimizer):
    alpha = (
        {"sgd": 0.05, "adam": 0.01}[optimizer] if loss != "softmax" else {"sgd": 1.0, "adam": 0.02}[optimizer]
    )
    model = small_model(loss=loss, optimizer=optimizer, alpha=alpha, epochs=3)
    model.fit(toy_corpus)
    wv = model.wv
    losses = model.epoch_losses
    assert len(losses) == 3 and losses[-1] < losses[0]
    # nearest neighbours of a number word are number words
    nearest = [w for w, _ in wv.most_similar("three", topn=4)]
    assert set(nearest) <= {"one", "two", "four", "five", "six"}


def test_sparse_adam_trains(toy_corpus):
    model = small_model(optimizer="sparse_adam", alpha=0.01, epochs=3).fit(toy_corpus)
    assert set(w for w, _ in model.wv.most_similar("red", topn=3)) <= {
        "green",
        "blue",
        "yellow",
        "black",
        "white",
    }


def test_events_order_and_logs(toy_corpus):
    rec = Recorder()
    model = small_model(log_every=5)
    model.fit(toy_corpus, callbacks=[rec])
    assert rec.events == [
        "train_begin",
        "epoch_begin0",
        "epoch_end0",
        "epoch_begin1",
        "epoch_end1",
        "train_end:finished",
    ]
    keys = {
        "epoch",
        "epochs",
        "batch",
        "loss",
        "smoothed_loss",
        "lr",
        "words_done",
        "words_total",
        "progress",
        "epoch_fraction",
        "words_per_sec",
        "elapsed",
        "eta",
    }
    assert keys <= set(rec.batches[0])
    words = [b["words_done"] for b in rec.batches]
    assert words == sorted(words) and words[-1] == rec.batches[-1]["words_total"]
    lrs = [b["lr"] for b in rec.batches]
    assert lrs == sorted(lrs, reverse=True)  # linear decay
    assert len(model.history) == len(rec.batches)
    assert model.state == "finished"


def test_epoch_loss_is_the_true_mean_of_that_epoch(toy_corpus, deterministic):
    """The epoch loss equals the mean of per-pair losses recomputed from the trainer's own steps."""
    seen = []

    model = small_model(epochs=1)
    model.fit(toy_corpus)
    trainer_losses = model.epoch_losses
    # recompute: same seed, same path, summing per-example losses in float64
    model2 = small_model(epochs=1)
    trainer = model2._prepare(toy_corpus, OneProcessData())
    for path in (trainer.eager_path, trainer.kernel_path):
        if path is None:
            continue

        def recording_step(examples, index, lr, original=path.step):
            losses = original(examples, index, lr)
            seen.append(losses.double())
            return losses

        path.step = recording_step
    model2._train(trainer)
    expected = torch.cat(seen).mean().item()
    assert trainer_losses[0] == pytest.approx(expected, rel=1e-9)


def test_same_seed_same_vectors_different_seed_different(toy_corpus, deterministic):
    a = small_model(seed=1).fit(toy_corpus).wv.vectors
    b = small_model(seed=1).fit(toy_corpus).wv.vectors
    c = small_model(seed=2).fit(toy_corpus).wv.vectors
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)


class StopAt(Callback):
    def __init__(self, n):
        self.n, self.count = n, 0

    def on_batch_end(self, model, logs):
        self.count += 1
        if self.count == self.n:
            model.stop()


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_stop_mid_epoch_save_load_resume_matches_uninterrupted(
    toy_corpus, tmp_path, optimizer, deterministic
):
    kw = {"optimizer": optimizer, "alpha": 0.05 if optimizer == "sgd" else 0.01, "log_every": 3, "epochs": 3}
    full = small_model(**kw).fit(toy_corpus)

    part = small_model(**kw)
    part.fit(toy_corpus, callbacks=[StopAt(7)])
    assert part.state == "stopped"
    pos = part._position
    assert pos.epoch == 0 and pos.batch > 0  # really in the middle of an epoch
    part.wv.most_similar("one")  # consistent and queryable after a stop
    part.save(tmp_path / "m.w2v")
    resumed = w2v.Word2Vec.load(tmp_path / "m.w2v")
    resumed.fit(toy_corpus)
    assert resumed.state == "finished"
    assert np.array_equal(resumed.wv.vectors, full.wv.vectors)
    assert resumed.epoch_losses == pytest.approx(full.epoch_losses, rel=1e-9)


def test_fit_after_stop_continues_in_the_same_process(toy_corpus, deterministic):
    full = small_model(log_every=3).fit(toy_corpus)
    part = small_model(log_every=3)
    part.fit(toy_corpus, callbacks=[StopAt(4)])
    assert part.state == "stopped"
    part.fit(toy_corpus)
    assert np.array_equal(part.wv.vectors, full.wv.vectors)


def test_background_pause_resume_stop(toy_corpus):
    model = small_model(epochs=200, batch_size=64, log_every=1)
    states = []

    class States(Callback):
        def on_state_change(self, model, logs):
            states.append(logs["state"])

    started = threading.Event()

    class Started(Callback):
        def on_batch_end(self, model, logs):
            started.set()

    model.fit(toy_corpus, callbacks=[States(), Started()], background=True)
    assert started.wait(30)
    model.pause()
    for _ in range(100):
        if model.state == "paused":
            break
        threading.Event().wait(0.05)
    assert model.state == "paused"
    words = model.progress["words_done"]
    threading.Event().wait(0.3)
    assert model.progress["words_done"] == words  # nothing moves while paused
    model.resume()
    for _ in range(200):
        if model.progress["words_done"] != words:
            break
        threading.Event().wait(0.05)
    assert model.progress["words_done"] > words  # moving again
    model.stop()
    assert model.wait(30)
    assert model.state == "stopped"
    assert states[:3] == ["running", "paused", "running"] and states[-1] == "stopped"
    with pytest.raises(w2v.TrainingStateError):
        model.resume()


def test_fit_while_training_is_refused(toy_corpus):
    model = small_model(epochs=200, batch_size=64)
    model.fit(toy_corpus, background=True)
    try:
        with pytest.raises(w2v.TrainingStateError, match="already training"):
            model.fit(toy_corpus)
    finally:
        model.stop()
        model.wait(30)


def test_nan_loss_stops_with_an_error_naming_the_learning_rate(toy_corpus):
    model = small_model(alpha=1e6, epochs=3, log_every=1)
    with pytest.raises(w2v.TrainingDivergedError, match="learning rate"):
        model.fit(toy_corpus)
    assert model.state == "failed"
    assert np.isfinite(model.wv.vectors).all()  # last good weights kept


def test_early_stopping_asks_to_stop(toy_corpus):
    stopper = EarlyStopping(patience=1, min_delta=10.0)  # never improves by 10
    model = small_model(epochs=5)
    model.fit(toy_corpus, callbacks=[stopper])
    assert model.state == "stopped" and len(model.epoch_losses) == 2


def test_a_failing_callback_fails_the_run_visibly(toy_corpus):
    class Broken(Callback):
        def on_batch_end(self, model, logs):
            raise RuntimeError("boom")

    model = small_model()
    with pytest.raises(RuntimeError, match="boom"):
        model.fit(toy_corpus, callbacks=[Broken()])
    assert model.state == "failed" and isinstance(model.error, RuntimeError)


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"window": 0}, "window must be an integer >= 1"),
        ({"vector_size": -3}, "vector_size"),
        ({"negative": 0}, "negative"),
        ({"epochs": 0}, "epochs"),
        ({"alpha": 0}, "alpha"),
        ({"alpha": -1.0}, "alpha"),
        ({"alpha": float("nan")}, "alpha"),
        ({"loss": "hierarchical"}, "loss must be one of"),
        ({"optimizer": "rmsprop"}, "optimizer must be one of"),
        ({"device": "tpu:7"}, "device"),
        ({"sample": -1}, "sample"),
        ({"sample_formula": "cubic"}, "sample_formula"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(kw, message):
    with pytest.raises(w2v.ConfigError, match=message):
        w2v.Word2Vec(**kw)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the message when no GPU exists")
def test_cuda_without_a_gpu_is_a_clear_error():
    with pytest.raises(w2v.ConfigError, match="no CUDA GPU"):
        w2v.Word2Vec(device="cuda")


def test_corpus_of_one_word_is_refused():
    corpus = w2v.Corpus.from_texts(["hello hello hello"] * 10)
    with pytest.raises(w2v.ConfigError, match="too few"):
        small_model().fit(corpus)


def test_vocabulary_too_small_for_the_negatives():
    corpus = w2v.Corpus.from_texts(["a b c"] * 10)
    with pytest.raises(w2v.ConfigError, match="negative=5"):
        small_model(negative=5).fit(corpus)


def test_sentences_of_one_word_give_no_pairs():
    corpus = w2v.Corpus.from_texts([w for w in ["a", "b", "c", "d", "e", "f", "g", "h"]] * 5)
    with pytest.raises(w2v.CorpusError, match="no training pairs"):
        small_model(negative=2).fit(corpus)


def test_fit_takes_a_path(tmp_path):
    (tmp_path / "t.txt").write_text("the cat sat on the mat\nthe dog sat on the log\n" * 50)
    model = small_model(negative=2).fit(tmp_path / "t.txt")
    assert "cat" in model.wv


def test_fit_rejects_a_list_of_strings_with_a_hint():
    with pytest.raises(w2v.ConfigError, match="from_texts"):
        small_model().fit(["a b c"])


def test_fitting_again_after_finishing_runs_more_epochs(toy_corpus):
    model = small_model(epochs=1).fit(toy_corpus)
    before = model.wv.vectors.copy()
    model.fit(toy_corpus)
    assert model.state == "finished" and not np.array_equal(before, model.wv.vectors)


def test_the_device_path_keeps_its_chunks_when_resumed_elsewhere(toy_corpus, tmp_path, monkeypatch):
    """A run started on the GPU's path keeps its chunk layout (and so its random stream) when a
    checkpoint of it is resumed on the CPU's paths."""
    monkeypatch.setenv("W2V_WIDGETS_KERNEL", "device")
    part = small_model(log_every=3, epochs=2)
    part.fit(toy_corpus, callbacks=[StopAt(4)])
    assert part._position.chunk_tokens == trainer_module.DEVICE_CHUNK_TOKENS
    part.save(tmp_path / "m.w2v")
    monkeypatch.delenv("W2V_WIDGETS_KERNEL")
    resumed = w2v.Word2Vec.load(tmp_path / "m.w2v")
    assert resumed._position.chunk_tokens == trainer_module.DEVICE_CHUNK_TOKENS
    resumed.fit(toy_corpus)
    assert resumed.state == "finished"
    fresh = small_model(epochs=1).fit(toy_corpus)
    assert fresh._position.chunk_tokens == trainer_module.CHUNK_TOKENS


@pytest.mark.parametrize("loss", ["negative", "cbow"])
def test_the_device_path_is_stable_with_large_batches(toy_corpus, monkeypatch, loss):
    """Whole batches of 32k examples in one step (the GPU's default): plain summed updates
    diverge there; the damped step learns the topics."""
    monkeypatch.setenv("W2V_WIDGETS_KERNEL", "device")
    model = small_model(loss=loss, batch_size=32768, epochs=30, alpha=0.05, vector_size=32)
    model.fit(toy_corpus)
    assert np.isfinite(model.wv.vectors).all()
    assert model.epoch_losses[-1] < 0.8 * model.epoch_losses[0]
    nearest = {w for w, _ in model.wv.most_similar("three", topn=4)}
    assert nearest <= {"one", "two", "four", "five", "six"}


def test_device_path_batches_grow_with_the_corpus(toy_corpus, monkeypatch):
    from w2v_widgets.training.config import device_batch_size

    sizes = [device_batch_size(n) for n in (10_000, 521_061, 4_255_005, 17_005_207, 10**9)]
    assert sizes == [1024, 1024, 8192, 32768, 32768]
    monkeypatch.setenv("W2V_WIDGETS_KERNEL", "device")
    trainer = small_model(batch_size=None)._prepare(toy_corpus, OneProcessData())
    assert trainer.settings.device_path and trainer.settings.batch_size == 1024
    assert trainer.position.chunk_tokens == trainer_module.DEVICE_CHUNK_TOKENS

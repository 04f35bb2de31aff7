"""One rank of a data-parallel test run (started by :func:`tests.support.distributed.launch`):
``python -m tests.support.distributed_worker SCENARIO FILE OUT [CHECKPOINT]``.

Scenarios: ``stop`` trains 3 epochs and stops after the first; ``finish`` resumes CHECKPOINT to the
end; ``die``/``hang``: rank 1 exits/sleeps at the start of epoch 2 (checkpoints at epoch ends);
``disagree``: rank 1 asks for another window. After training each rank dumps what the tests
compare (``rank-R.npz``) and saves the model to ``model-R.w2v`` (only rank 0 may write it)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import numpy as np

from w2v_widgets import Word2Vec
from w2v_widgets.callbacks import Callback
from w2v_widgets.training.distributed.group import init_from_env, world
from w2v_widgets.training.distributed.run import EpochCheckpoint
from w2v_widgets.training.distributed.sync import SyncSchedule

SETTINGS = dict(vector_size=16, window=3, min_count=1, epochs=3, seed=1, alpha=0.025)


class AtEpochStart(Callback):
    def __init__(self, epoch: int, action):
        self.epoch, self.action = epoch, action

    def on_epoch_begin(self, model, logs):
        if logs["epoch"] == self.epoch:
            self.action(model)


def pause_from_another_thread(model) -> str:
    """What a dashboard's Pause button gets on one rank: the error's class name."""
    errors = []

    def press():
        try:
            model.pause()
        except Exception as exc:
            errors.append(type(exc).__name__)

    thread = threading.Thread(target=press)
    thread.start()
    thread.join()
    return errors[0] if errors else "paused"


def main() -> None:
    scenario, file, out = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    timeout = float(os.environ.get("W2V_TEST_PG_TIMEOUT", "60"))
    assert init_from_env(timeout), "expected a world of two or more ranks"
    rank, _ = world()
    settings = dict(SETTINGS)
    callbacks = []
    refused = []
    if scenario == "stop":
        callbacks.append(AtEpochStart(0, lambda model: refused.append(pause_from_another_thread(model))))
        callbacks.append(AtEpochStart(1, lambda model: model.stop()))
    elif scenario in ("die", "hang"):
        callbacks.append(EpochCheckpoint(out / "model.w2v"))
        if rank == 1:
            act = (lambda m: os._exit(3)) if scenario == "die" else (lambda m: time.sleep(3600))
            callbacks.append(AtEpochStart(1, act))
    elif scenario == "disagree" and rank == 1:
        settings["window"] = 5
    # finish: resume CHECKPOINT ("{rank}" in it: each rank its own file)
    model = (
        Word2Vec.load(sys.argv[4].replace("{rank}", str(rank)))
        if scenario == "finish"
        else Word2Vec(**settings)
    )
    model.fit(file, callbacks=callbacks, sync=SyncSchedule(sync_words=2000, hot_rows=8, full_per_epoch=2))
    model.save(out / f"model-{rank}.w2v")
    np.savez(
        out / f"rank-{rank}.npz",
        words=np.array(model.vocab.words),
        counts=model.vocab.counts,
        centre=model.module.centre.weight.detach().numpy(),
        context=model.module.context.weight.detach().numpy(),
        epoch=model._position.epoch,
        syncs=model.distributed.sync.stats.full_syncs + model.distributed.sync.stats.hot_syncs,
        refused=np.array(refused),
    )


if __name__ == "__main__":
    main()

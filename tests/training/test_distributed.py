"""Data-parallel training on torch.distributed: 2 ranks (subprocesses, gloo on localhost) train
one model on a small file. Byte-range shards, the agreed vocabulary, equal replicas after a full
sync, one writer, resume with another number of ranks, and runs that end with an error (a rank
killed or hung, ranks that disagree) instead of hanging."""

from __future__ import annotations

import gzip
import itertools
import random

import numpy as np
import pytest

from tests.support.corpora import GROUPS, TEMPLATES
from tests.support.distributed import launch
from tests.support.distributed_worker import SETTINGS
from w2v_widgets import Word2Vec
from w2v_widgets.data.corpus import Corpus
from w2v_widgets.data.shards import read_shard, shard_range
from w2v_widgets.data.vocabulary import Vocabulary
from w2v_widgets.errors import ConfigError, CorpusError
from w2v_widgets.training.distributed.sync import SyncSchedule, is_full_sync

pytestmark = pytest.mark.skipif(
    not __import__("torch").distributed.is_available(), reason="torch.distributed is not built in"
)
WORKER = ["-m", "tests.support.distributed_worker"]


def write_corpus(path, n: int = 1500, seed: int = 0) -> str:
    rng = random.Random(seed)
    lines = [
        rng.choice(TEMPLATES).format(**{g: rng.choice(ws) for g, ws in GROUPS.items()}) for _ in range(n)
    ]
    lines[7] = "naïve café déjà vu " + lines[7]  # multi-byte characters near a cut are never split
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def corpus_file(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus") / "small.txt")


def tokens_of(corpora) -> list[str]:
    return [w for c in corpora for s in c.sentences() for w in s]


def load_rank(folder, rank: int) -> dict:
    with np.load(folder / f"rank-{rank}.npz") as f:
        return {k: f[k] for k in f.files}


def check_ok(results) -> None:
    for r in results:
        assert r.returncode == 0, f"rank {r.rank} failed ({r.returncode}):\n{r.stderr[-3000:]}"


# ---------------------------------------------------------------------------- shards (no processes)
@pytest.mark.parametrize("layout", ["lines", "bom", "gzip", "one-long-line"])
def test_shards_split_the_file_into_every_line_once(tmp_path, layout):
    path = tmp_path / "corpus.txt"
    write_corpus(path, n=400)
    data = path.read_bytes()
    if layout == "bom":
        path.write_bytes(b"\xef\xbb\xbf" + data)
    elif layout == "gzip":
        path = tmp_path / "corpus.txt.gz"
        path.write_bytes(gzip.compress(data))
    elif layout == "one-long-line":  # no line end in 600 kB: cut at spaces past 64 KiB
        words = data.replace(b"\n", b" ")
        path.write_bytes(words * (600_000 // len(words) + 1))
    whole = Corpus.from_file(path)
    for world in (1, 2, 3, 5):
        ranges = [shard_range(path, r, world) for r in range(world)]
        assert ranges[0][0] == 0 and all(a[1] == b[0] for a, b in itertools.pairwise(ranges))
        parts = [read_shard(path, r, world) for r in range(world)]
        assert tokens_of(parts) == tokens_of([whole]), (layout, world)


def test_a_share_with_no_words_says_to_use_fewer_ranks(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_text("one line only\n")
    with pytest.raises(CorpusError, match="too small for 4 ranks"):
        read_shard(path, 3, 4)


@pytest.mark.parametrize(
    ("syncs", "full", "expected"),
    [(9, 2, [5, 9]), (8, 4, [2, 4, 6, 8]), (3, 1, [3]), (3, 10, [1, 2, 3]), (1, 2, [1])],
)
def test_full_syncs_are_evenly_spaced_and_end_the_epoch(syncs, full, expected):
    assert [k for k in range(1, syncs + 1) if is_full_sync(k, syncs, full)] == expected


def test_a_sync_schedule_out_of_range_says_which_values_work():
    with pytest.raises(ConfigError, match="full_per_epoch must be at least 1"):
        SyncSchedule(full_per_epoch=0)
    with pytest.raises(ConfigError, match="'sum' or 'average'"):
        SyncSchedule(mode="mean")


# ---------------------------------------------------------------------------- 2 ranks
@pytest.fixture(scope="module")
def stopped_run(corpus_file, tmp_path_factory):
    """2 ranks train 3 epochs and stop after the first (at its end: just synced)."""
    out = tmp_path_factory.mktemp("stopped")
    check_ok(launch(2, [*WORKER, "stop", corpus_file, str(out)], timeout=180))
    return out


def test_ranks_agree_on_the_vocabulary_of_the_whole_file(stopped_run, corpus_file):
    whole = Vocabulary.from_corpus(Corpus.from_file(corpus_file), min_count=SETTINGS["min_count"])
    for rank in (0, 1):
        dump = load_rank(stopped_run, rank)
        assert list(dump["words"]) == whole.words  # same words in the same order: same ids
        assert dump["counts"].tolist() == whole.counts.tolist()


def test_replicas_are_equal_after_a_full_sync_and_only_rank_0_writes(stopped_run):
    a, b = load_rank(stopped_run, 0), load_rank(stopped_run, 1)
    assert int(a["epoch"]) == int(b["epoch"]) == 1
    assert int(a["syncs"]) == int(b["syncs"]) > 1  # the hot rows' syncs and the epoch's full one
    np.testing.assert_array_equal(a["centre"], b["centre"])
    np.testing.assert_array_equal(a["context"], b["context"])
    assert (stopped_run / "model-0.w2v").exists()
    assert not (stopped_run / "model-1.w2v").exists()


def test_one_rank_cannot_be_paused_from_outside_the_run(stopped_run):
    """A dashboard's Pause on one rank would stall the others: it is refused with an error."""
    assert load_rank(stopped_run, 0)["refused"].tolist() == ["TrainingStateError"]


def test_resume_two_ranks_then_one(stopped_run, corpus_file):
    model = Word2Vec.load(stopped_run / "model-0.w2v")
    before = model.wv.vectors.copy()
    np.testing.assert_array_equal(before, load_rank(stopped_run, 0)["centre"])
    model.fit(corpus_file)  # the same file in one process: the run's last two epochs
    assert model.state == "finished" and model._position.epoch == SETTINGS["epochs"]
    assert len(model.epoch_losses) == SETTINGS["epochs"]
    assert not np.allclose(model.wv.vectors, before)


AT_EXIT = """
import atexit
import torch.distributed as dist
atexit.register(lambda: print("group at exit:", dist.is_initialized()))  # runs after ours (LIFO)
from w2v_widgets.training.distributed.group import init_from_env
assert init_from_env(30)
dist.barrier()
"""


def test_the_group_init_from_env_made_is_destroyed_at_exit():
    """Left to the interpreter's teardown, gloo's threads sometimes abort a finished rank (exit -6,
    "terminate called without an active exception"; once in a CI run): the group goes first."""
    results = launch(2, ["-c", AT_EXIT], timeout=120)
    check_ok(results)
    assert [r.stdout.strip() for r in results] == ["group at exit: False"] * 2


def test_resume_one_rank_then_two(corpus_file, tmp_path):
    model = Word2Vec(**SETTINGS)
    model.add_callback(_StopAtEpoch(1))
    model.fit(corpus_file)
    assert model._position.epoch == 1
    model.save(tmp_path / "one.w2v")
    check_ok(
        launch(2, [*WORKER, "finish", corpus_file, str(tmp_path), str(tmp_path / "one.w2v")], timeout=180)
    )
    a, b = load_rank(tmp_path, 0), load_rank(tmp_path, 1)
    assert int(a["epoch"]) == int(b["epoch"]) == SETTINGS["epochs"]
    np.testing.assert_array_equal(a["centre"], b["centre"])
    assert not np.allclose(a["centre"], model.wv.vectors)
    resumed = Word2Vec.load(tmp_path / "model-0.w2v")
    assert resumed._finished and len(resumed.epoch_losses) == SETTINGS["epochs"]


class _StopAtEpoch:
    def __init__(self, epoch: int):
        self.epoch = epoch

    def on_epoch_begin(self, model, logs):
        if logs["epoch"] == self.epoch:
            model.stop()


@pytest.mark.parametrize("scenario", ["die", "hang"])
def test_a_lost_rank_ends_the_run_with_an_error_and_the_checkpoint_intact(scenario, corpus_file, tmp_path):
    """Rank 1 exits (or sleeps) at the start of epoch 2: rank 0 stops at its next sync with a
    DistributedError (a hang: after the process group's 8-second timeout), not a hang."""
    results = launch(
        2,
        [*WORKER, scenario, corpus_file, str(tmp_path)],
        timeout=120,
        env={"W2V_TEST_PG_TIMEOUT": "8"},
        grace=30,
    )
    rank0 = results[0]
    assert rank0.returncode not in (0, None), rank0.stderr[-2000:]
    assert "DistributedError" in rank0.stderr and "Another rank probably died" in rank0.stderr
    saved = Word2Vec.load(tmp_path / "model.w2v")  # epoch 1's end, written atomically by rank 0
    assert saved._position.epoch == 1 and not saved._finished
    assert not (tmp_path / "rank-0.npz").exists()


def test_ranks_with_different_settings_stop_at_start_naming_the_setting(corpus_file, tmp_path):
    results = launch(2, [*WORKER, "disagree", corpus_file, str(tmp_path)], timeout=120)
    for r in results:
        assert r.returncode not in (0, None)
        assert "the ranks disagree on 'setting window' (rank 0: 3, rank 1: 5)" in r.stderr
    assert not list(tmp_path.iterdir())


def test_ranks_resuming_checkpoints_of_other_vocabularies_stop_at_start_naming_it(corpus_file, tmp_path):
    """Same settings, same epoch, but rank 1 resumes a checkpoint trained on another text."""
    other = write_corpus(tmp_path / "other.txt", n=600, seed=7)
    for rank, text in ((0, corpus_file), (1, other)):
        model = Word2Vec(**SETTINGS)
        model.add_callback(_StopAtEpoch(1))
        model.fit(text)
        model.save(tmp_path / f"checkpoint-{rank}.w2v")
    out = tmp_path / "out"
    out.mkdir()
    results = launch(
        2, [*WORKER, "finish", corpus_file, str(out), str(tmp_path / "checkpoint-{rank}.w2v")], timeout=120
    )
    for r in results:
        assert r.returncode not in (0, None)
        assert "the ranks disagree on 'resumed vocabulary'" in r.stderr, r.stderr[-2000:]
    assert not list(out.iterdir())


def test_torchrun_style_command_writes_outputs_once(corpus_file, tmp_path):
    """``python -m w2v_widgets train`` under torchrun's environment (as ``torchrun -m`` runs it)."""
    out = tmp_path / "out"
    args = ["-m", "w2v_widgets", "train", corpus_file, "--out", str(out), "--epochs", "2", "--min-count", "1"]
    results = launch(2, [*args, "--vector-size", "16"], timeout=180)
    check_ok(results)
    assert "on 2 ranks" in results[0].stdout, results[0].stdout[-2000:]
    assert results[1].stdout == "", results[1].stdout[-2000:]  # rank 1 trains quietly
    assert sorted(p.name for p in out.iterdir()) == [
        "distributed.json",
        "history.csv",
        "model.w2v",
        "vectors.txt",
    ]
    model = Word2Vec.load(out / "model.w2v")
    assert model._finished and len(model.wv) == len(
        Vocabulary.from_corpus(Corpus.from_file(corpus_file), min_count=1)
    )

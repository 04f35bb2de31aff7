"""SIGKILL at random moments of every save: the file at the path is always the previous complete
version or the new complete one, never a torn file (see tests/faults/saver.py).

A writer process saves versions B and A alternately; it is killed just before its N-th file
operation (any write, flush, fsync, close, rename... of any file: see saver.WATCHED), for N
spread over one round of saves, so kills land in every phase of a write, then after random
delays. After each kill the target is read with the library's own reader and compared with the
reference copies. ``KILLS`` kills per kind in the main run, ``SLOW_KILLS`` in the slow one.
"""

from __future__ import annotations

import functools
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import w2v_widgets as w2v
from tests.faults import saver
from tests.support.kernel import REPO_ROOT, kernel_env

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the writer is forked (POSIX only)")

KILLS = 8
SLOW_KILLS = 150


class Saver:
    """The ``saver`` process (one for the module), driven line by line."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.faults.saver", str(folder)],
            cwd=REPO_ROOT,
            env=kernel_env(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._read() == "ready"
        self.prepared: set[str] = set()

    def _read(self) -> str:
        line = self.proc.stdout.readline()
        if not line:
            raise AssertionError(f"the saver process died (exit {self.proc.wait()})")
        return line.strip()

    def _send(self, line: str) -> None:
        self.proc.stdin.write(f"{line}\n")
        self.proc.stdin.flush()

    def prepare(self, kind: str) -> Path:
        """The kind's folder, with the references and version A at the target."""
        if kind not in self.prepared:
            self._send(f"prepare {kind}")
            assert self._read() == "ok"
            self.prepared.add(kind)
        return self.folder / kind

    def start_writer(self, kind: str, die_before: int | None = None) -> int:
        self._send(f"go {kind}" if die_before is None else f"go {kind} {die_before}")
        return int(self._read())

    def operations(self, kind: str) -> int:
        self._send(f"count {kind}")
        return int(self._read())

    def reap(self, pid: int) -> int:
        self._send(f"reap {pid}")
        return int(self._read())

    def save_duration(self, kind: str, target: Path) -> float:
        """Seconds for one save, timed on a writer left to run for a moment."""
        pid = self.start_writer(kind)
        stamps = set()
        t0 = time.monotonic()
        while time.monotonic() - t0 < 2 and len(stamps) < 5:
            stamps.add(_stamp(target))
            time.sleep(0.001)
        self.kill(pid)
        return max(0.005, (time.monotonic() - t0) / max(1, len(stamps) - 1))

    def kill(self, pid: int) -> None:
        os.kill(pid, signal.SIGKILL)
        status = self.reap(pid)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, "the writer ended early"

    def close(self) -> None:
        self._send("quit")
        self.proc.wait(timeout=30)


@pytest.fixture(scope="module")
def saver_process(tmp_path_factory):
    s = Saver(tmp_path_factory.mktemp("kill"))
    yield s
    s.close()


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat() if path.is_file() else (path / "metadata.tsv").stat()
    except FileNotFoundError:
        return ()
    return (st.st_ino, st.st_mtime_ns)


# ----------------------------------------------------------------- what "complete" means per kind
def _same_vectors(a: np.ndarray, refs: list[np.ndarray]) -> bool:
    return any(a.shape == r.shape and np.array_equal(a, r) for r in refs)


@functools.cache
def _reference_vectors(folder: Path) -> list[np.ndarray]:
    return [w2v.Word2Vec.load(folder / f"ref-{v}.w2v").wv.vectors for v in "ab"]


@functools.cache
def _reference_bytes(path: Path) -> bytes:
    return path.read_bytes()


def check_model(folder: Path, target: Path) -> None:
    loaded = w2v.Word2Vec.load(target)
    assert _same_vectors(loaded.wv.vectors, _reference_vectors(folder)), "the model file is neither version"


def check_checkpoint(folder: Path, target: Path) -> None:
    loaded = w2v.Word2Vec.load(target)  # whole, readable, and its tables are finite
    assert np.isfinite(loaded.wv.vectors).all()
    assert loaded.wv.vectors.shape == _reference_vectors(folder)[0].shape


def check_word2vec(folder: Path, target: Path) -> None:
    binary = target.suffix == ".bin"
    got = w2v.load_word2vec_format(target, binary=binary)  # the reader accepts it...
    assert np.isfinite(got.vectors).all()
    assert target.read_bytes() in [_reference_bytes(folder / f"ref-{v}{target.suffix}") for v in "ab"]


def check_projector(folder: Path, target: Path) -> None:
    for name in ("vectors.tsv", "metadata.tsv"):  # each whole (test_disk_full: a failed save keeps the pair)
        got = (target / name).read_bytes()
        assert got in [_reference_bytes(folder / f"ref-{v}" / name) for v in "ab"], f"{name} is torn"


def check_html(folder: Path, target: Path) -> None:
    got = target.read_bytes()
    assert got in [_reference_bytes(folder / f"ref-{v}.html") for v in "ab"], "the page is torn"


def check_dataset(folder: Path, target: Path) -> None:
    for name, ref in (("data.zip", "zip"), ("data.txt", "txt")):
        path = target / name
        if path.exists():  # the first download may have been killed before its rename
            got = path.read_bytes()
            assert got in [_reference_bytes(folder / f"ref-{v}.{ref}") for v in "ab"], f"{name} is torn"


CHECKS = {
    "model": check_model,
    "checkpoint": check_checkpoint,
    "word2vec": check_word2vec,
    "word2vec-binary": check_word2vec,
    "projector": check_projector,
    "html": check_html,
    "dataset": check_dataset,
}


def kill_many(s: Saver, kind: str, kills: int, seed: int = 0) -> None:
    """``kills`` kills before file operations spread over a round, then a few at random times."""
    rng = random.Random(seed)
    folder = s.prepare(kind)
    target = folder / saver.TARGETS[kind]
    CHECKS[kind](folder, target)
    operations = s.operations(kind)
    points = sorted({1 + int(x) for x in np.linspace(0, operations - 1, kills)})
    for i, n in enumerate(points):
        status = s.reap(s.start_writer(kind, die_before=n))
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        _check_after_kill(kind, folder, target, f"before file operation {n} of {operations} ({i + 1})")
    span = 2 * s.save_duration(kind, target)
    for i in range(max(1, kills // 8)):
        delay = rng.uniform(0, span)
        pid = s.start_writer(kind)
        time.sleep(delay)
        s.kill(pid)
        _check_after_kill(kind, folder, target, f"{delay * 1000:.0f} ms into the writer ({i + 1})")


def _check_after_kill(kind: str, folder: Path, target: Path, when: str) -> None:
    try:
        CHECKS[kind](folder, target)
    except Exception as exc:
        raise AssertionError(f"a kill {when} left a bad {kind} file: {exc}") from exc


@pytest.mark.parametrize("kind", saver.KINDS)
def test_killed_save_leaves_a_whole_file(kind, saver_process):
    kill_many(saver_process, kind, KILLS)


@pytest.mark.slow
@pytest.mark.parametrize("kind", saver.KINDS)
def test_killed_save_leaves_a_whole_file_many_times(kind, saver_process):
    kill_many(saver_process, kind, SLOW_KILLS, seed=1)


def test_a_checkpoint_written_under_fire_resumes(saver_process):
    kill_many(saver_process, "checkpoint", 3, seed=2)
    model = w2v.Word2Vec.load(saver_process.folder / "checkpoint" / "model.w2v")
    model.fit(saver.corpus())
    assert model.state == "finished" and np.isfinite(model.wv.vectors).all()

"""A full disk or a missing permission during a save: a clear ``SaveError``, the previous file
intact, no temporary file left, and the training state intact and resumable.

The full disk is real: a 1 MB tmpfs mounted for the test (needs root, as on our machines; skipped
elsewhere) and filled up after the first checkpoint. ``RLIMIT_FSIZE`` in a subprocess (any user)
gives the "file too large" variant. Permission denied: a read-only folder, with the subprocess
dropping root's privileges first when run as root (root ignores permissions).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

import w2v_widgets as w2v
from tests.support.kernel import kernel_env
from tests.support.models import small_model
from w2v_widgets.callbacks import Callback, SaveCheckpoint

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX resource limits and mounts")


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str = "1m"):
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mounted.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


class FillDiskAfterFirstEpoch(Callback):
    """Fills the disk once the first checkpoint is saved (it comes after SaveCheckpoint)."""

    def __init__(self, folder: Path):
        self.filler = folder / "filler"

    def on_epoch_end(self, model, logs):
        if logs["epoch"] == 0:
            with open(self.filler, "wb", buffering=0) as f, contextlib.suppress(OSError):
                while True:
                    f.write(b"\0" * 4096)


def _temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


@posix_only
def test_full_disk_during_a_periodic_checkpoint(tmp_path, toy_corpus):
    with tiny_disk(tmp_path / "disk") as disk:
        path = disk / "model.w2v"
        saver = SaveCheckpoint(path, every_epochs=1)
        model = small_model(epochs=3)
        with pytest.raises(w2v.SaveError) as caught:
            model.fit(toy_corpus, callbacks=[saver, FillDiskAfterFirstEpoch(disk)])
        message = str(caught.value)
        assert str(path) in message and "disk is full" in message and "unchanged" in message
        assert isinstance(caught.value, OSError) and caught.value.errno == 28  # ENOSPC
        assert model.state == "failed" and len(model.epoch_losses) == 2
        assert np.isfinite(model.wv.vectors).all() and model.wv.most_similar("one", topn=2)
        assert _temp_files(disk) == []
        previous = w2v.Word2Vec.load(path)  # the first epoch's checkpoint, whole
        assert previous._position.epoch == 1 and not previous._finished

        (disk / "filler").unlink()  # space again: the same run goes on and its checkpoint is saved
        model.fit(toy_corpus, callbacks=[saver])
        assert model.state == "finished" and len(model.epoch_losses) == 3
        saved = w2v.Word2Vec.load(path)
        assert saved._finished and np.array_equal(saved.wv.vectors, model.wv.vectors)


_SUBPROCESS = r"""
import os, resource, signal, sys
import w2v_widgets as w2v
source, target, mode = sys.argv[1:4]
model = w2v.Word2Vec.load(source)
if mode == "fsize":
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    limit = os.path.getsize(target) // 2
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
elif os.geteuid() == 0:
    os.setgid(65534)
    os.setuid(65534)  # nobody: root would ignore the folder's permissions
try:
    model.save(target)
except w2v.SaveError as exc:
    print("SaveError", exc.errno, exc)
    try:
        model.wv.save_word2vec_format(target + ".txt")
    except w2v.SaveError as exc:
        print("SaveError", exc.errno, exc)
else:
    print("saved")
"""


@pytest.fixture
def saved_model(toy_corpus):
    folder = Path(tempfile.mkdtemp(prefix="w2v-denied-"))  # under /tmp: reachable for nobody
    folder.chmod(0o755)
    model = small_model(epochs=1).fit(toy_corpus)
    source = folder / "source.w2v"
    model.save(source)
    source.chmod(0o644)
    yield model, folder
    folder.chmod(0o755)
    for p in folder.iterdir():
        p.unlink()
    folder.rmdir()


def _run(source: Path, target: Path, mode: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", _SUBPROCESS, str(source), str(target), mode],
        cwd="/",
        env=kernel_env({"PYTHONDONTWRITEBYTECODE": "1"}),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@posix_only
def test_file_too_large_keeps_the_previous_file(saved_model):
    model, folder = saved_model
    target = folder / "model.w2v"
    model.save(target)
    before = target.read_bytes()
    out = _run(folder / "source.w2v", target, "fsize")
    assert out.startswith("SaveError 27 ") and "larger than this system allows" in out and str(target) in out
    assert target.read_bytes() == before and w2v.Word2Vec.load(target)
    assert _temp_files(folder) == []


@posix_only
def test_permission_denied_names_the_folder_and_keeps_the_file(saved_model):
    model, folder = saved_model
    target = folder / "model.w2v"
    model.save(target)
    target.chmod(0o644)
    before = target.read_bytes()
    folder.chmod(0o555)
    out = _run(folder / "source.w2v", target, "denied")
    lines = out.splitlines()
    assert len(lines) == 2, out
    for line in lines:
        assert line.startswith("SaveError 13 ") and "permission denied" in line
        assert "choose a folder you can write to" in line
    assert "the previous file there is unchanged" in lines[0] and "nothing was written" in lines[1]
    assert target.read_bytes() == before
    assert _temp_files(folder) == []


def test_save_error_is_an_oserror_with_the_errno():
    err = w2v.SaveError(28, "could not save 'x'")
    assert isinstance(err, OSError) and isinstance(err, w2v.W2VError) and err.errno == 28


@posix_only
def test_full_disk_on_the_second_file_of_a_projector_pair_replaces_neither(tmp_path):
    rng = np.random.default_rng(0)
    with tiny_disk(tmp_path / "disk") as disk:
        old = w2v.WordVectors(["a", "b"], rng.normal(size=(2, 4)).astype(np.float32))
        vectors_path, metadata_path = old.save_projector_tsv(disk)
        before = vectors_path.read_bytes(), metadata_path.read_bytes()
        # vectors.tsv (~0.3 MB) fits on the 1 MB disk; metadata.tsv (~0.8 MB) does not fit beside it
        words = [f"{i:06d}" + "x" * 400 for i in range(2000)]
        new = w2v.WordVectors(words, rng.normal(size=(2000, 15)).astype(np.float32))
        with pytest.raises(w2v.SaveError) as caught:
            new.save_projector_tsv(disk)
        assert "metadata.tsv" in str(caught.value) and "disk is full" in str(caught.value)
        assert (vectors_path.read_bytes(), metadata_path.read_bytes()) == before  # the old pair, whole
        assert _temp_files(disk) == []

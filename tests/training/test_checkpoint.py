import zipfile

import numpy as np
import pytest

import w2v_widgets as w2v
from w2v_widgets.training.checkpoints import read_checkpoint, write_checkpoint


@pytest.fixture(scope="module")
def trained(toy_corpus):
    return w2v.Word2Vec(vector_size=8, window=2, negative=2, min_count=1, epochs=1, device="cpu").fit(
        toy_corpus
    )


def test_round_trip_keeps_everything(trained, tmp_path):
    trained.save(tmp_path / "m.w2v")
    loaded = w2v.Word2Vec.load(tmp_path / "m.w2v")
    assert loaded.get_params() == trained.get_params()
    assert loaded.vocab.words == trained.vocab.words
    assert np.array_equal(loaded.wv.vectors, trained.wv.vectors)
    assert loaded.history.equals(trained.history)
    assert loaded.epoch_losses == trained.epoch_losses


def test_checkpoint_holds_no_pickle(trained, tmp_path):
    trained.save(tmp_path / "m.w2v")
    with zipfile.ZipFile(tmp_path / "m.w2v") as zf:
        names = zf.namelist()
        assert "state.json" in names and all(n == "state.json" or n.endswith(".npy") for n in names)
        for name in names:
            if name.endswith(".npy"):
                assert b"'descr': '|O'" not in zf.read(name)[:128]


@pytest.mark.parametrize("keep", [0, 10, 200, 0.5])
def test_truncated_checkpoint_is_a_clear_error(trained, tmp_path, keep):
    trained.save(tmp_path / "m.w2v")
    data = (tmp_path / "m.w2v").read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else keep
    (tmp_path / "cut.w2v").write_bytes(data[:cut])
    with pytest.raises(w2v.CheckpointError, match="truncated or corrupted"):
        w2v.Word2Vec.load(tmp_path / "cut.w2v")


def test_corrupted_member_is_detected(trained, tmp_path):
    trained.save(tmp_path / "m.w2v")
    data = bytearray((tmp_path / "m.w2v").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (tmp_path / "bad.w2v").write_bytes(bytes(data))
    with pytest.raises(w2v.CheckpointError):
        w2v.Word2Vec.load(tmp_path / "bad.w2v")


def test_pickled_arrays_are_refused(tmp_path):
    """A crafted checkpoint with an object array must not be unpickled."""
    import io

    payload = io.BytesIO()
    np.save(payload, np.array([{"evil": 1}], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(tmp_path / "evil.w2v", "w") as zf:
        zf.writestr(
            "state.json",
            '{"format": "w2v-widgets-checkpoint", "version": 1, "state": {"x": {"__array__": "a0.npy"}}}',
        )
        zf.writestr("a0.npy", payload.getvalue())
    with pytest.raises(w2v.CheckpointError):
        read_checkpoint(tmp_path / "evil.w2v")


def test_other_files_and_versions_are_refused(tmp_path):
    write_checkpoint(tmp_path / "ok.w2v", {"a": np.arange(3)})
    assert list(read_checkpoint(tmp_path / "ok.w2v")["a"]) == [0, 1, 2]
    with zipfile.ZipFile(tmp_path / "v9.w2v", "w") as zf:
        zf.writestr("state.json", '{"format": "w2v-widgets-checkpoint", "version": 9, "state": {}}')
    with pytest.raises(w2v.CheckpointError, match="version 9"):
        read_checkpoint(tmp_path / "v9.w2v")
    (tmp_path / "text.w2v").write_text("hello")
    with pytest.raises(w2v.CheckpointError):
        w2v.Word2Vec.load(tmp_path / "text.w2v")
    with pytest.raises(FileNotFoundError):
        w2v.Word2Vec.load(tmp_path / "missing.w2v")


def test_save_is_atomic_and_leaves_no_temp_files(trained, tmp_path):
    trained.save(tmp_path / "m.w2v")
    trained.save(tmp_path / "m.w2v")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.w2v"]

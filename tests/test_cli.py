import subprocess
import sys

import w2v_widgets as w2v
from w2v_widgets.cli import main


def test_train_a_file_writes_vectors_and_a_checkpoint(tmp_path, capsys):
    text = "the cat sat on the mat\nthe dog sat on the log\na cat and a dog\n" * 60
    (tmp_path / "t.txt").write_text(text)
    code = main(
        [
            "train",
            str(tmp_path / "t.txt"),
            "--out",
            str(tmp_path / "out"),
            "--min-count",
            "1",
            "--negative",
            "3",
            "--epochs",
            "2",
            "--vector-size",
            "10",
            "--probe",
            "cat",
            "dog",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "cat ->" in out and "dog ->" in out
    wv = w2v.WordVectors.load_word2vec_format(tmp_path / "out" / "vectors.txt")
    assert "cat" in wv and wv.vector_size == 10
    model = w2v.Word2Vec.load(tmp_path / "out" / "model.w2v")
    assert model.vocab.words == wv.index_to_key


def test_errors_are_one_clear_line_not_a_traceback(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "w2v_widgets.cli",
            "train",
            str(tmp_path / "empty.txt"),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("w2v-widgets: error:") and "no words" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "w2v_widgets.cli",
            "train",
            str(tmp_path / "nope.txt"),
            "--out",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "not found" in proc.stderr

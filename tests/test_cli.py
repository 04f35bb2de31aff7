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


DEMO_FAST = ["--epochs", "1", "--vector-size", "10", "--window", "1", "--sample", "1e-5"]
DEMO_FAST += ["--min-count", "20", "--n-words", "60", "--projection", "pca"]


def test_demo_trains_evaluates_and_writes_vectors_checkpoint_and_page(tmp_path, capsys):
    eval_dir = tmp_path / "eval"
    eval_dir.mkdir()
    pairs = (
        "# Word 1\tWord 2\tHuman (mean)\none\ttwo\t8.0\nking\tqueen\t8.5\ncity\tfood\t1.0\nwar\tarmy\t7.0\n"
    )
    (eval_dir / "wordsim353.tsv").write_text(pairs)
    (eval_dir / "simlex999.txt").write_text(pairs)
    (eval_dir / "questions-words.txt").write_text(": family\nking queen man woman\nhe she his her\n")
    out = tmp_path / "demo"
    code = main(["demo", "--out", str(out), "--eval-dir", str(eval_dir), *DEMO_FAST])
    text = capsys.readouterr().out
    assert code == 0
    assert "embedded Wikipedia sample" in text
    assert text.count(" -> ") == 16  # the lessons' 16 probe words
    assert "wordsim353.tsv: Spearman" in text and "simlex999.txt: Spearman" in text
    assert "questions-words.txt: analogy accuracy" in text
    wv = w2v.WordVectors.load_word2vec_format(out / "vectors.txt")
    assert wv.vector_size == 10 and "the" in wv
    assert w2v.Word2Vec.load(out / "model.w2v").vocab.words == wv.index_to_key
    page = (out / "explorer.html").read_text()
    assert page.startswith("<!") and "w2v-widgets demo" in page
    assert (out / "explorer.html").resolve().as_uri() in text
    assert "jupyter lab" in text and "notebooks" in text.splitlines()[-1]


def test_demo_without_evaluation_files_says_so(tmp_path, capsys, monkeypatch):
    import w2v_widgets.cli as cli

    monkeypatch.setattr(cli, "find_eval_dir", lambda explicit=None: None)
    code = main(["demo", "--out", str(tmp_path / "d"), *DEMO_FAST])
    assert code == 0
    assert "evaluation skipped" in capsys.readouterr().out
    assert (tmp_path / "d" / "explorer.html").is_file()


def test_demo_eval_dir_lookup(tmp_path, monkeypatch):
    import w2v_widgets.cli as cli

    assert main(["demo", "--eval-dir", str(tmp_path / "missing")]) == 2
    monkeypatch.setenv(cli.EVAL_DIR_ENV, str(tmp_path))
    assert cli.find_eval_dir() == tmp_path
    assert cli.find_eval_dir(str(tmp_path)) == tmp_path
    parser_defaults = cli.build_parser().parse_args(["demo"])
    assert parser_defaults.out == "w2v-demo" and parser_defaults.projection == "tsne"

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
    out = tmp_path / "demo"
    code = main(["demo", "--out", str(out), *DEMO_FAST])
    text = capsys.readouterr().out
    assert code == 0
    assert "embedded sample: Wikipedia and five of Shakespeare's plays" in text
    assert text.count(" -> ") == 16  # 16 probe words
    assert "three ->" in text and "january ->" in text  # recognisable groups, not function words
    # the bundled evaluation sets, nothing outside the package
    lines = {line.split()[0]: line.split() for line in text.splitlines() if line.startswith("  ")}
    for name, metric in (
        ("wordsim353", "spearman"),
        ("simlex999", "spearman"),
        ("google-analogies", "accuracy"),
    ):
        assert lines[name][1] == metric
        float(lines[name][2])  # a number, not n/a: the sample covers these sets
    assert "skipped" not in text
    wv = w2v.WordVectors.load_word2vec_format(out / "vectors.txt")
    assert wv.vector_size == 10 and "the" in wv
    assert w2v.Word2Vec.load(out / "model.w2v").vocab.words == wv.index_to_key
    page = (out / "explorer.html").read_text()
    assert page.startswith("<!") and "w2v-widgets demo" in page
    assert (out / "explorer.html").resolve().as_uri() in text
    assert "w2v-widgets course" in text.splitlines()[-1] and "jupyter lab" in text.splitlines()[-1]


def test_train_evaluates_bundled_sets_and_files_by_name(tmp_path, capsys):
    text = "king queen man woman one two three four\n" * 80
    (tmp_path / "t.txt").write_text(text)
    (tmp_path / "mine.tsv").write_text("king\tqueen\t9\none\ttwo\t8\nman\tfour\t1\n")
    args = ["train", str(tmp_path / "t.txt"), "--out", str(tmp_path / "o"), "--min-count", "1"]
    args += ["--epochs", "1", "--vector-size", "8", "--eval-pairs", "wordsim353", str(tmp_path / "mine.tsv")]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "wordsim353: Spearman" in out and "mine.tsv: Spearman" in out
    bad = ["train", str(tmp_path / "t.txt"), "--out", str(tmp_path / "o"), "--eval-pairs", "wordsim"]
    assert main([*bad, "--epochs", "1", "--min-count", "1"]) == 2
    err = capsys.readouterr().err
    assert "did you mean 'wordsim353'" in err and "simlex999" in err


def test_demo_parser_defaults():
    import w2v_widgets.cli as cli

    parser_defaults = cli.build_parser().parse_args(["demo"])
    assert parser_defaults.out == "w2v-demo" and parser_defaults.projection == "tsne"

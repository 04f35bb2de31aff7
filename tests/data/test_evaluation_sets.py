"""The evaluation sets bundled in the package: listed, readable, licensed, found by name."""

from __future__ import annotations

import gzip
import os

import pytest

import w2v_widgets as w2v
from w2v_widgets.data.datasets.evaluation import EVALUATION_SETS, evaluation_set_path
from w2v_widgets.errors import UnknownEvaluationSetError


def _lines(path) -> list[str]:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8").splitlines()


def test_listing_names_kinds_sizes_licences_and_sources():
    table = w2v.datasets.evaluation_sets()
    assert list(table.columns) == ["name", "kind", "size", "licence", "source", "description"]
    assert {"wordsim353", "simlex999", "google-analogies", "ws353-similarity", "men"} <= set(table.name)
    assert set(table.kind) == {"pairs", "analogies"}
    assert table.licence.str.len().min() > 10 and table.source.str.len().min() > 10


@pytest.mark.parametrize("name", list(EVALUATION_SETS))
def test_each_file_holds_the_declared_number_of_well_formed_items(name):
    info = EVALUATION_SETS[name]
    lines = [ln for ln in _lines(info.path) if ln.strip() and not ln.startswith("#")]
    if info.kind == "pairs":
        rows = [ln.split("\t") for ln in lines]
        assert all(len(r) == 3 and float(r[2]) >= 0 for r in rows)
    else:
        rows = [ln.split() for ln in lines if not ln.startswith(": ")]
        assert all(len(r) == 4 for r in rows)
    assert len(rows) == info.size


def test_licences_and_sources_are_stated_beside_the_data():
    readme = (evaluation_set_path("wordsim353").parent / "README.md").read_text()
    for info in EVALUATION_SETS.values():
        assert info.file in readme
    for word in ("Finkelstein", "SimLex", "Bruni", "Luong", "Agirre", "Apache", "Mikolov"):
        assert word in readme


def test_names_resolve_files_pass_through_and_wrong_names_list_the_sets(tmp_path):
    assert evaluation_set_path("simlex999").is_file()
    mine = tmp_path / "mine.tsv"
    mine.write_text("a\tb\t1\n")
    assert evaluation_set_path(mine) == mine and evaluation_set_path(str(mine)) == mine
    with pytest.raises(UnknownEvaluationSetError, match=r"did you mean 'simlex999'.*wordsim353") as info:
        evaluation_set_path("simlex")
    assert isinstance(info.value, FileNotFoundError)
    with pytest.raises(UnknownEvaluationSetError, match="bundled analogies set, not pairs"):
        evaluation_set_path("google-analogies", "pairs")
    with pytest.raises(UnknownEvaluationSetError, match="no file"):
        evaluation_set_path(str(tmp_path / "missing.tsv"))


def test_a_file_named_like_a_set_in_the_working_folder_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wordsim353").write_text("a\tb\t1\n")
    assert evaluation_set_path("wordsim353") == tmp_path.joinpath("wordsim353").relative_to(tmp_path)
    assert os.fspath(evaluation_set_path("simlex999")).endswith("simlex999.tsv")

"""gensim's own KeyedVectors tests, run against WordVectors (see gensim_suite.py)."""

from __future__ import annotations

import ast
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytest.importorskip("gensim")

from tests.vectors import gensim_suite

# What we refuse by design: gensim's pickle files (KeyedVectors.save / Word2Vec.save), in both
# directions. Any other failure is a regression.
REFUSED_BY_DESIGN = {
    "test_gensim_keyedvectors.Gensim320Test.test",  # loads a gensim 3.2 pickle
    "test_gensim_word2vec.TestWord2VecModel.test_persistence",  # loads model.wv.save()'s pickle
    "test_gensim_word2vec.TestWord2VecModel.test_persistence_from_file",  # same
    # our save() is not a pickle, so gensim's Word2Vec.load fails with UnpicklingError, not the
    # AttributeError it expects from a KeyedVectors pickle
    "test_gensim_word2vec.TestWord2VecModel."
    "test_persistence_word2vec_format_combination_with_standard_persistence",
}


def test_generated_modules_bind_keyed_vectors_to_word_vectors(tmp_path: Path) -> None:
    kept = gensim_suite.generate(tmp_path)
    assert sum(map(len, kept.values())) == 48
    assert len(kept["test_gensim_keyedvectors.py"]) == 33
    for name in kept:
        code = (tmp_path / name).read_text()
        tree = ast.parse(code)
        dotted = {gensim_suite._dotted(n) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert not dotted & {"gensim.models.KeyedVectors", "keyedvectors.KeyedVectors"}
        assert "KeyedVectors = _WordVectors" in code
    # the trainer's tests are left out, the vector tests kept
    word2vec = kept["test_gensim_word2vec.py"]
    assert "TestWord2VecModel::test_too_short_binary_word2vec_format" in word2vec
    assert "TestWord2VecModel::test_training" not in word2vec


@pytest.mark.slow
def test_gensim_keyedvectors_suite_passes_on_word_vectors(tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    gensim_suite.generate(suite)
    report = tmp_path / "report.xml"
    (suite / "pytest.ini").write_text("[pytest]\n")  # no configuration found above tmp_path applies
    options = ["-c", str(suite / "pytest.ini"), "--rootdir", str(suite), "-p", "no:cacheprovider"]
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *options, f"--junitxml={report}", str(suite)],
        cwd=suite,
        capture_output=True,
        text=True,
        timeout=900,
    )
    cases = ET.parse(report).getroot().iter("testcase")
    results = {}
    for case in cases:
        failed = case.find("failure") is not None or case.find("error") is not None
        classname = case.get("classname", "")
        classname = classname[classname.find("test_gensim_") :]  # module.Class, whatever the rootdir
        results[f"{classname}.{case.get('name')}"] = (
            "skipped" if case.find("skipped") is not None else ("failed" if failed else "passed")
        )
    passed = sorted(k for k, v in results.items() if v == "passed")
    failed = sorted(k for k, v in results.items() if v != "passed")
    print(f"gensim's KeyedVectors tests on WordVectors: {len(passed)}/{len(results)} pass")
    assert len(results) == 48, run.stdout[-3000:]
    assert set(failed) <= REFUSED_BY_DESIGN, (
        f"unexpected failures: {set(failed) - REFUSED_BY_DESIGN}\n{run.stdout[-6000:]}"
    )
    assert len(passed) >= 44

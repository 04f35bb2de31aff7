"""``w2v-widgets course DIR``: the course notebooks travel in the wheel and are written out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from w2v_widgets.cli import main
from w2v_widgets.course import write_course

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))


def test_course_writes_the_notebooks_and_keeps_existing_ones(tmp_path, capsys):
    assert main(["course", str(tmp_path / "course")]) == 0
    assert sorted(p.name for p in (tmp_path / "course").iterdir()) == NOTEBOOKS
    assert json.loads((tmp_path / "course" / NOTEBOOKS[0]).read_text())["cells"]
    assert f"jupyter lab {tmp_path / 'course'}" in capsys.readouterr().out
    (tmp_path / "course" / NOTEBOOKS[0]).write_text("mine")
    assert main(["course", str(tmp_path / "course")]) == 2  # a clear error, nothing overwritten
    assert "pass --force" in capsys.readouterr().err
    assert (tmp_path / "course" / NOTEBOOKS[0]).read_text() == "mine"
    assert len(write_course(tmp_path / "course", overwrite=True)) == len(NOTEBOOKS)
    assert (tmp_path / "course" / NOTEBOOKS[0]).read_text() != "mine"


@pytest.mark.slow
def test_the_wheel_carries_the_course(tmp_path):
    """Built with ``pip wheel`` (hatchling from the test extra, no download), installed into a
    folder outside the checkout, run from there: the command writes every notebook."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        cwd=tmp_path,
    )
    (wheel,) = tmp_path.glob("w2v_widgets-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    course = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("w2v_widgets/course/"))
    assert [n for n in course if n.endswith(".ipynb")] == NOTEBOOKS
    assert "README.md" in course  # the teacher's guide travels with the notebooks
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True,
    )
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import w2v_widgets.cli as cli; "
        "assert cli.__file__.startswith(sys.argv[1]), cli.__file__; sys.exit(cli.main(['course', 'out']))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, "-c", script, str(target)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == NOTEBOOKS

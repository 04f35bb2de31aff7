"""``w2v-widgets doctor``: its JSON against what the machine says, and a server environment
without the widgets' front-ends reported with the fix (real processes, a real venv)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import textwrap
from importlib import metadata
from pathlib import Path

import pytest

from tests.support.kernel import kernel_env
from w2v_widgets import doctor

KEYS = {"python", "packages", "threads", "memory", "jupyter", "jit_cache", "problems"}


def run_doctor(prefix: list[str] = (), **env: str) -> tuple[int, dict]:
    variables = kernel_env(env)
    for name in ("W2V_WIDGETS_THREADS", "OMP_NUM_THREADS"):
        variables.pop(name, None)
    out = subprocess.run(
        [*prefix, sys.executable, "-m", "w2v_widgets", "doctor", "--json"],
        env=variables,
        capture_output=True,
        text=True,
        timeout=180,
    )
    return out.returncode, json.loads(out.stdout)


@pytest.mark.skipif(shutil.which("taskset") is None, reason="needs taskset (util-linux)")
def test_json_matches_the_machine_and_threads_drop_under_taskset():
    rc, report = run_doctor(["taskset", "-c", "0"])
    assert set(report) == KEYS
    assert report["packages"]["torch"] == metadata.version("torch")
    assert report["packages"]["w2v-widgets"] == metadata.version("w2v-widgets")
    t = report["threads"]
    assert (t["trainer"], t["trainer_background"], t["tsne"], t["torch"], t["affinity_cpus"]) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert (
        t["machine_cpus"] == os.cpu_count()
        and "may use 1 CPU (its affinity mask; the machine has" in t["reason"]
    )
    total = int(
        next(x for x in Path("/proc/meminfo").read_text().splitlines() if x.startswith("MemTotal")).split()[1]
    )
    assert report["memory"]["machine_total_mb"] == round(total * 1024 / 2**20)
    assert 0 < report["memory"]["available_mb"] <= report["memory"]["machine_total_mb"]
    # this venv is the server's here (`jupyter` on PATH): both front-ends are installed in it
    for ext in report["jupyter"]["extensions"].values():
        assert ext["found"] and Path(ext["found"], "package.json").is_file()
    assert report["jit_cache"]["state"] in ("compiled", "empty")
    assert rc == (1 if report["problems"] else 0)


def test_plain_output_names_the_threads_and_their_reason():
    report = doctor.diagnose()
    text = doctor.format_report(report)
    assert f"threads: the trainer runs {report['threads']['trainer']}" in text
    assert report["threads"]["reason"] in text
    assert ("no problems found" in text) == (not report["problems"])


def test_a_server_environment_without_the_front_ends_is_reported_with_the_fix(tmp_path):
    """A Jupyter server (a process named jupyter-lab) in another venv, whose data folders hold no
    labextension: doctor, run below it as a notebook's ``!w2v-widgets doctor`` is, finds that
    server's Python and names both missing front-ends and the pip command for that Python."""
    server = tmp_path / "server-env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(server)], check=True, timeout=120)
    python = server / "bin" / "python"
    script = server / "bin" / "jupyter-lab"
    script.write_text(
        f"#!{python}\n"
        + textwrap.dedent(
            f"""\
            import subprocess, sys
            out = subprocess.run([{sys.executable!r}, "-m", "w2v_widgets", "doctor", "--json"])
            sys.exit(out.returncode)
            """
        )
    )
    script.chmod(0o755)
    empty = tmp_path / "empty-data"
    empty.mkdir()
    # the server's venv reads jupyter_core from this one's site-packages; its own prefix is empty
    env = kernel_env({"JUPYTER_DATA_DIR": str(empty)})
    env["PYTHONPATH"] = os.pathsep.join([env["PYTHONPATH"], sysconfig.get_paths()["purelib"]])
    env.pop("JUPYTER_PATH", None)
    out = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=180)
    report = json.loads(out.stdout)
    jupyter = report["jupyter"]
    assert jupyter["server_python"] == str(python)
    assert "jupyter-lab" in jupyter["found_by"] and jupyter["error"] is None
    assert str(empty / "labextensions") in jupyter["labextension_dirs"]
    assert all(ext["found"] is None for ext in jupyter["extensions"].values())
    fixes = [p["fix"] for p in report["problems"] if "front-end" in p["problem"]]
    where = (
        "(in the server's environment, then restart the server; on a JupyterHub, in the single-user servers' "
        "image)"
    )
    assert fixes == [
        f"{python} -m pip install {package}   {where}" for package in ("jupyterlab_widgets", "anywidget")
    ]
    assert out.returncode == 1


def test_a_disabled_kernel_is_reported_with_the_fix(monkeypatch):
    monkeypatch.setenv("W2V_WIDGETS_KERNEL", "eager")
    report = doctor.diagnose()
    assert report["jit_cache"]["state"] == "disabled"
    assert report["jit_cache"]["disabled_reason"] == "W2V_WIDGETS_KERNEL=eager"
    fixes = [p["fix"] for p in report["problems"] if "JIT kernel is off" in p["problem"]]
    assert len(fixes) == 1 and "unset W2V_WIDGETS_KERNEL" in fixes[0]

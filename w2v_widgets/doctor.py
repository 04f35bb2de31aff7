"""``w2v-widgets doctor``: what a teacher checks on a shared server (a JupyterHub), and the fixes.

:func:`diagnose` gathers, without training anything: the package versions; the threads the
trainer will use and why (:mod:`.threads`); the memory available (the machine's and the
cgroup's limit); whether the *Jupyter server's* environment has the widgets' front-ends (the
JupyterLab extensions of ipywidgets and anywidget: a kernel's packages do not give the page
its JavaScript); and the state of the kernel's JIT cache. Each problem comes with the exact
command that fixes it. :func:`format_report` writes it for a terminal.

The server's environment is found from the processes above this one (a notebook's ``!w2v-widgets
doctor`` runs under its kernel, under the server), else from ``jupyter`` on ``PATH``, else it is
this Python's; ``--server-python`` names it. Its extension folders are those its own
``jupyter_core`` lists (``jupyter --paths``), with the server's environment variables.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from . import cgroups, threads

PACKAGES = (
    "w2v-widgets", "torch", "numpy", "numba", "llvmlite", "pandas", "altair", "vl-convert-python",
    "ipywidgets", "anywidget", "ipykernel", "jupyterlab", "notebook", "openTSNE", "scikit-learn",
    "umap-learn",
)  # fmt: skip
# the front-ends the page needs: JupyterLab extension folder -> the Python package that ships it
FRONT_ENDS = {"@jupyter-widgets/jupyterlab-manager": "jupyterlab_widgets", "anywidget": "anywidget"}
SERVERS = ("jupyter-lab", "jupyter-notebook", "jupyter-server", "jupyterhub-singleuser", "jupyter-labhub")
# the largest course notebook kernel's peak measured (10, with kiwipiepy's Korean model: 800 MB,
# the others 480-650 MB; README, "Teaching with a JupyterHub")
STUDENT_PEAK_MB = 850
MiB = 2**20
_PATHS_CODE = "import json, jupyter_core.paths as p; print(json.dumps(p.jupyter_path('labextensions')))"


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _meminfo() -> dict[str, int]:
    try:
        lines = Path("/proc/meminfo").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v.split()[0]) * 1024 for k, _, v in (line.partition(":") for line in lines) if v.strip()}


def memory() -> dict:
    """The machine's memory and the cgroup's limit, in MB; ``available_mb`` is the smaller."""
    info = _meminfo()
    limit, used = cgroups.memory_limit(), cgroups.memory_usage()
    out = {
        "machine_total_mb": round(info["MemTotal"] / MiB) if "MemTotal" in info else None,
        "machine_available_mb": round(info["MemAvailable"] / MiB) if "MemAvailable" in info else None,
        "cgroup_limit_mb": round(limit.value / MiB) if limit else None,
        "cgroup_limit_file": limit.source if limit else None,
        "cgroup_used_mb": round(used / MiB) if used is not None else None,
    }
    room = [out["machine_available_mb"]]
    if limit is not None:
        room.append(round((limit.value - (used or 0)) / MiB))
    room = [r for r in room if r is not None]
    out["available_mb"] = min(room) if room else None
    return out


def thread_report() -> dict:
    """The trainer's threads (alone and in the background), t-SNE's and torch's, and why."""
    from .training import kernels  # torch: imported only when doctor runs

    plan = threads.budget()
    return {
        "trainer": kernels.threads(),
        "trainer_background": kernels.threads(background=True),
        "tsne": threads.workers(spare=1),
        "torch": min(plan.threads, _torch_threads()),
        **plan.as_dict(),
    }


def _torch_threads() -> int:
    import torch

    return torch.get_num_threads()


def _ancestors() -> list[tuple[int, list[str], dict[str, str]]]:
    """(pid, argv, environment) of the processes above this one (Linux /proc; empty elsewhere)."""
    out, pid = [], os.getppid()
    while pid > 1:
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")[:-1]
            raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace").split("\0")
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        env = dict(item.split("=", 1) for item in raw if "=" in item)
        out.append((pid, argv, env))
        pid = int(stat.rpartition(")")[2].split()[1])
    return out


def _is_server(argv: list[str]) -> bool:
    names = [os.path.basename(a) for a in argv[:3]]
    if any(n in SERVERS for n in names):
        return True
    joined = " ".join(argv[:4])
    return any(f"-m {m}" in joined for m in ("jupyterlab", "jupyter_server", "notebook")) or (
        "jupyter" in names and any(a in ("lab", "notebook", "server") for a in argv[1:4])
    )


def _python_of(argv: list[str], env: dict[str, str]) -> str | None:
    """The Python that runs ``argv``: its first word if that is a Python, else the script's
    ``#!`` line."""
    first = argv[0] if "/" in argv[0] else shutil.which(argv[0], path=env.get("PATH"))
    if first is None:
        return None
    if os.path.basename(first).startswith("python"):
        return first
    try:
        line = Path(first).read_bytes()[:300].split(b"\n")[0].decode()
    except OSError:
        return None
    words = line[2:].split() if line.startswith("#!") else []
    if words and os.path.basename(words[0]) == "env" and len(words) > 1:
        return shutil.which(words[1], path=env.get("PATH"))
    return words[0] if words else None


def find_server() -> tuple[str, dict[str, str], str]:
    """(Python, environment, how it was found) of the Jupyter server's environment."""
    for pid, argv, env in _ancestors():
        if argv and _is_server(argv):
            python = _python_of(argv, env)
            if python:
                return python, env, f"the Jupyter server running this (process {pid}: {' '.join(argv[:3])})"
    jupyter = shutil.which("jupyter")
    if jupyter:
        python = _python_of([jupyter], dict(os.environ))
        if python:
            return python, dict(os.environ), f"`jupyter` on PATH ({jupyter})"
    return sys.executable, dict(os.environ), "this Python (no Jupyter server above it, no `jupyter` on PATH)"


def front_ends(server_python: str | None = None) -> dict:
    """Whether the server's environment has each widget front-end, and where it looked."""
    if server_python:
        python, env, how = server_python, dict(os.environ), "--server-python"
    else:
        python, env, how = find_server()
    report: dict = {"server_python": python, "found_by": how, "labextension_dirs": None, "extensions": {}}
    try:
        out = subprocess.run([python, "-c", _PATHS_CODE], env=env, capture_output=True, text=True, timeout=60)
        dirs = json.loads(out.stdout) if out.returncode == 0 else None
        report["error"] = None if dirs is not None else (out.stderr.strip().splitlines() or ["failed"])[-1]
    except (OSError, subprocess.TimeoutExpired, ValueError) as exc:
        dirs, report["error"] = None, f"{type(exc).__name__}: {exc}"
    report["labextension_dirs"] = dirs
    for name in FRONT_ENDS:
        found = [Path(d) / name for d in dirs or [] if (Path(d) / name / "package.json").is_file()]
        version = None
        if found:
            version = json.loads((found[0] / "package.json").read_text()).get("version")
        report["extensions"][name] = {"found": str(found[0]) if found else None, "version": version}
    return report


def jit_cache() -> dict:
    """Where the kernel's machine code is cached and whether it is there (without loading it)."""
    from .training import kernels

    reason = kernels.disabled_reason()
    directory = kernels.cache_dir() if reason is None else None
    files = sorted(directory.glob("jit.*.nb[ic]")) if directory and directory.is_dir() else []
    writable = bool(directory) and os.access(directory if directory.is_dir() else directory.parent, os.W_OK)
    state = "disabled" if reason else ("compiled" if files else "empty")
    return {
        "state": state,
        "directory": str(directory) if directory else None,
        "files": len(files),
        "writable": writable,
        "disabled_reason": reason,
    }


def problems(report: dict) -> list[dict]:
    """Each problem found, with the command that fixes it."""
    found = []
    fe = report["jupyter"]
    for name, ext in fe["extensions"].items():
        if ext["found"] is None:
            package = FRONT_ENDS[name]
            found.append(
                {
                    "problem": f"the Jupyter server's environment ({fe['server_python']}) has no {name} "
                    "front-end: students see 'Loading widget...' or an empty box instead of the widgets",
                    "fix": f"{fe['server_python']} -m pip install {package}   (in the server's environment, "
                    "then restart the server; on a JupyterHub, in the single-user servers' image)",
                }
            )
    if fe.get("error"):
        found.append(
            {
                "problem": f"could not ask {fe['server_python']} for its extension folders: {fe['error']}",
                "fix": "run `jupyter labextension list` in the server's environment and look for "
                + " and ".join(FRONT_ENDS),
            }
        )
    mem = report["memory"]
    if mem["available_mb"] is not None and mem["available_mb"] < STUDENT_PEAK_MB:
        where = (
            f"the cgroup's limit ({mem['cgroup_limit_file']})" if mem["cgroup_limit_mb"] else "the machine"
        )
        found.append(
            {
                "problem": f"{mem['available_mb']} MB available in {where}: a course notebook's kernel "
                f"needs up to {STUDENT_PEAK_MB} MB",
                "fix": "give each student at least 1 GB: c.Spawner.mem_limit = '1G' in jupyterhub_config.py",
            }
        )
    cache = report["jit_cache"]
    if cache["state"] == "empty":
        fix = f"{sys.executable} -c 'from w2v_widgets.training import kernels; kernels.start()'"
        if not cache["writable"]:
            fix = f"NUMBA_CACHE_DIR=/a/shared/writable/folder {fix}   (the same for the kernels)"
        found.append(
            {
                "problem": "the kernel's JIT cache is empty: each student's first training compiles it (a "
                "few seconds of CPU each)",
                "fix": fix + "   (once, as the environment's owner)",
            }
        )
    if cache["state"] == "disabled":
        found.append(
            {
                "problem": f"the JIT kernel is off ({cache['disabled_reason']}): training runs the slower "
                "eager path",
                "fix": f"{sys.executable} -m pip install numba   (or unset W2V_WIDGETS_KERNEL)",
            }
        )
    return found


def diagnose(server_python: str | None = None) -> dict:
    """Everything ``doctor`` reports, as a JSON-ready dict (keys: python, packages, threads,
    memory, jupyter, jit_cache, problems)."""
    report = {
        "python": {"version": sys.version.split()[0], "executable": sys.executable},
        "packages": {name: _version(name) for name in PACKAGES},
        "threads": thread_report(),
        "memory": memory(),
        "jupyter": front_ends(server_python),
        "jit_cache": jit_cache(),
    }
    report["problems"] = problems(report)
    return report


def format_report(report: dict) -> str:
    """The report as lines for a terminal."""
    t, m, j, c = report["threads"], report["memory"], report["jupyter"], report["jit_cache"]
    cgroup = "none"
    if m["cgroup_limit_mb"]:
        cgroup = f"{m['cgroup_limit_mb']} MB, {m['cgroup_used_mb']} MB used, {m['cgroup_limit_file']}"
    lines = [f"python {report['python']['version']} ({report['python']['executable']})", "packages:"]
    lines += [f"  {name:18} {version or '-- not installed'}" for name, version in report["packages"].items()]
    lines += [
        f"threads: the trainer runs {t['trainer']} ({t['trainer_background']} in the background), t-SNE "
        f"{t['tsne']}, torch {t['torch']}",
        f"  why: {t['reason']}",
        "  (W2V_WIDGETS_THREADS=N sets them exactly; OMP_NUM_THREADS caps them)",
        f"memory: {m['available_mb']} MB available (machine: {m['machine_available_mb']} of "
        f"{m['machine_total_mb']} MB free; cgroup limit: {cgroup})",
        f"jupyter server's environment: {j['server_python']}",
        f"  found by: {j['found_by']}",
    ]
    for name, ext in j["extensions"].items():
        state = f"{ext['version']} in {ext['found']}" if ext["found"] else "MISSING"
        lines.append(f"  {name}: {state}")
    lines.append(f"JIT cache: {c['state']} ({c['files']} files in {c['directory']})")
    if report["problems"]:
        lines.append(f"{len(report['problems'])} problem(s):")
        for p in report["problems"]:
            lines += [f"  - {p['problem']}", f"    fix: {p['fix']}"]
    else:
        lines.append("no problems found")
    return "\n".join(lines)

"""What the benchmark scripts share: the import path set once (the checkout and this folder, so
``w2v_widgets``, ``tests.support`` and the other scripts import from the checkout), where a named
corpus is, and the machine and load a figure was measured on."""

from __future__ import annotations

import os
import platform
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO / "benchmarks"
for _folder in (BENCHMARKS, REPO):
    if str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

CORPORA_ENV = "W2V_CORPORA"  # a folder holding the named corpora (gcide.txt.gz, ...)


def corpus_file(name_or_path: str) -> Path:
    """The file of a benchmark corpus: ``sample`` (the embedded one), a path to a text file, or a
    name looked up as ``NAME.txt.gz`` or ``NAME.txt`` in the folder ``$W2V_CORPORA``."""
    if name_or_path == "sample":
        from w2v_widgets.data.datasets.builtin import sample_path

        return sample_path()
    path = Path(name_or_path).expanduser()
    if path.is_file():
        return path
    folder = os.environ.get(CORPORA_ENV)
    if folder and "/" not in name_or_path:
        for suffix in (".txt.gz", ".txt"):
            if (Path(folder) / f"{name_or_path}{suffix}").is_file():
                return Path(folder) / f"{name_or_path}{suffix}"
    where = f"${CORPORA_ENV} is {folder!r}" if folder else f"${CORPORA_ENV} is not set"
    raise SystemExit(
        f"no corpus {name_or_path!r}: give the path of a text file (.txt or .gz), or set {CORPORA_ENV} to "
        f"the folder holding {name_or_path}.txt.gz ({where})"
    )


def machine() -> str:
    """The CPU model, core count and load average, for the record."""
    model = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            model = next(
                (line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), model
            )
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}"


def load() -> str:
    """The load averages (1, 5, 15 minutes) and the core count."""
    return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores"

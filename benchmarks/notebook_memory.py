"""Memory a student: each course notebook's kernel peak, run top to bottom in a fresh kernel.

    python benchmarks/notebook_memory.py [NOTEBOOK ...] [--cells] [--json] [--param NAME=VALUE ...]

Each notebook (all of ``notebooks/*.ipynb`` by default; or the names or stems given) runs with
nbclient in the notebooks folder, exactly as a student runs it (its own parameters, unless
``--param`` overrides one, e.g. ``--param EPOCHS=1``), in a fresh ``python3`` kernel. A last cell
reads the kernel's peak resident memory, ``VmHWM`` in ``/proc/self/status`` (Linux only);
``--env NAME=VALUE`` sets a variable in the kernel's environment (e.g. ``MALLOC_ARENA_MAX=2``). With
``--cells`` a probe cell after every code cell records the kernel's resident memory (``VmRSS``)
and peak there, and the table lists the cells that raised the peak by 10 MB or more, with their
first line: where the memory goes, and the cells that first imported one of the heavy modules
(``WATCHED``: pandas, pyarrow, altair, numba, torch._dynamo...) with the module that imported
it; the chart helper process's peak (vl-convert, see ``w2v_widgets/vega_process.py``) where a
probe saw it running. The last probe also reads ``/proc/self/smaps_rollup``: the kernel's
private memory at the end (USS: what one more student adds; libraries' shared pages not counted)
and its proportional share (PSS: shared pages divided among the processes mapping them, so it
depends on what else runs on the machine). ``--without MODULE`` hides an
installed module from the kernel (it imports as if absent), to measure an environment without
it: ``--without pyarrow`` is w2v-widgets' own dependencies, since pandas imports pyarrow
(about 60 MB) whenever it is installed. Prints one row a notebook (MB = 2**20 bytes), or JSON.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import tempfile
import time
from pathlib import Path

import nbformat
from _common import REPO  # benchmarks/ is the script's folder: on sys.path (sets it up)

from tests.support.notebooks import load_notebook, outputs_text, run_notebook, with_parameters

NOTEBOOKS = REPO / "notebooks"
TAG = "w2v-memory-probe"
# heavy imports a probe names, with the module that first imported each (the frame above the import)
WATCHED = (
    "pandas", "pyarrow", "altair", "sklearn", "scipy", "numba", "llvmlite", "torch._dynamo", "sympy",
    "openTSNE", "umap", "vl_convert", "kiwipiepy", "jieba", "sudachipy", "gensim", "matplotlib",
)  # fmt: skip
PROBE = f"""\
import sys as _w2v_sys
class _W2VImportWatch:
    watched = {WATCHED!r}
    seen = {{}}
    def find_spec(self, name, path=None, target=None):
        if name in self.watched and name not in self.seen and name not in _w2v_sys.modules:
            frame = _w2v_sys._getframe(1)
            while frame and (
                "importlib" in frame.f_code.co_filename or frame.f_code.co_filename.startswith("<frozen")
            ):
                frame = frame.f_back
            self.seen[name] = frame.f_globals.get("__name__", "?") if frame else "?"
        return None
_w2v_sys.meta_path.insert(0, _W2VImportWatch())
def _{TAG.replace("-", "_")}(cell):
    import sys
    def vm(pid):
        with open(f"/proc/{{pid}}/status") as status:
            fields = dict(line.split(":", 1) for line in status if line.startswith("Vm"))
        return {{name: int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM")}}
    me = vm("self")
    probe = {{"cell": cell, "rss_mb": me["VmRSS"], "hwm_mb": me["VmHWM"]}}
    probe["imported"] = {{n: by for n, by in _W2VImportWatch.seen.items() if n in sys.modules}}
    if cell is None:  # the last probe: private (USS) and proportional (PSS) memory
        with open("/proc/self/smaps_rollup") as rollup:
            kb = {{line.split(":")[0]: int(line.split()[1]) for line in rollup if line.endswith("kB\\n")}}
        probe["uss_mb"] = (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024
        probe["pss_mb"] = kb["Pss"] / 1024
    helper = sys.modules.get("w2v_widgets.vega_process")
    pid = helper and helper.helper_pid()
    if pid:  # the chart helper process (vl-convert), while it runs
        try:
            probe["helper_rss_mb"], probe["helper_hwm_mb"] = vm(pid)["VmRSS"], vm(pid)["VmHWM"]
        except (OSError, KeyError):
            pass
    return probe
"""
REPORT_MARK = "w2v-memory:"


def probe_cell(source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = [TAG]
    return cell


def instrument(nb: nbformat.NotebookNode, per_cell: bool) -> nbformat.NotebookNode:
    """A copy of ``nb`` with a probe after every code cell (``per_cell``) and a last report cell."""
    fn = f"_{TAG.replace('-', '_')}"
    cells = [probe_cell(PROBE + f"_w2v_memory = [{fn}(-1)]")]
    for index, cell in enumerate(nb.cells):
        cells.append(cell)
        if per_cell and cell.cell_type == "code":
            cells.append(probe_cell(f"_w2v_memory.append({fn}({index}))"))
    cells.append(
        probe_cell(
            f"import json\n_w2v_memory.append({fn}(None))\nprint({REPORT_MARK!r}, json.dumps(_w2v_memory))"
        )
    )
    out = nbformat.from_dict(nb)
    out.cells = cells
    return out


def first_line(nb: nbformat.NotebookNode, index: int) -> str:
    lines = [
        line for line in nb.cells[index].source.splitlines() if line.strip() and not line.startswith("#")
    ]
    return (lines[0] if lines else nb.cells[index].source.splitlines()[0])[:70]


def measure(path: Path, per_cell: bool, params: dict, env: dict | None = None) -> dict:
    nb = load_notebook(path)
    if params:
        nb = with_parameters(nb, **params)
    start = time.perf_counter()
    executed = run_notebook(instrument(nb, per_cell), timeout=1800, cwd=path.parent, env=env)
    seconds = time.perf_counter() - start
    report = outputs_text(executed, len(executed.cells) - 1).split(REPORT_MARK, 1)[1]
    probes = json.loads(report)
    helper = [p for p in probes if "helper_hwm_mb" in p]
    rises, before, imported = [], probes[0]["hwm_mb"], probes[0]["imported"]
    for p in probes[1:-1]:
        new = {name: by for name, by in p["imported"].items() if name not in imported}
        if p["hwm_mb"] - before >= 10 or new:
            rises.append(
                {
                    "cell": p["cell"],
                    "peak_rise_mb": round(p["hwm_mb"] - before),
                    "source": first_line(nb, p["cell"]),
                    "imported": new,
                }
            )
        before, imported = p["hwm_mb"], p["imported"]
    return {
        "notebook": path.stem,
        "peak_mb": round(probes[-1]["hwm_mb"]),
        "start_mb": round(probes[0]["rss_mb"]),
        "end_rss_mb": round(probes[-1]["rss_mb"]),
        "end_uss_mb": round(probes[-1]["uss_mb"]),
        "end_pss_mb": round(probes[-1]["pss_mb"]),
        "seconds": round(seconds, 1),
        # the chart helper's peak, and the kernel's + its resident memory, where a probe saw it
        "helper_peak_mb": round(max(p["helper_hwm_mb"] for p in helper)) if helper else None,
        "with_helper_mb": round(max(p["rss_mb"] + p["helper_rss_mb"] for p in helper)) if helper else None,
        **({"rises": rises} if per_cell else {}),
    }


def hide_modules(names: list[str]) -> str:
    """A folder of packages named ``names`` whose import fails as if they were not installed."""
    folder = Path(tempfile.mkdtemp(prefix="w2v-hidden-"))
    for name in names:
        (folder / name).mkdir()
        (folder / name / "__init__.py").write_text(
            f"raise ImportError('{name} hidden by notebook_memory.py')\n"
        )
    return str(folder)


def find(names: list[str]) -> list[Path]:
    every = sorted(NOTEBOOKS.glob("*.ipynb"))
    if not names:
        return every
    chosen = []
    for name in names:
        hits = [p for p in every if p.name == name or p.stem == name or p.stem.startswith(name)]
        if len(hits) != 1:
            raise SystemExit(f"{name!r} names {len(hits)} notebooks of {[p.stem for p in every]}")
        chosen.append(hits[0])
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="names or stems (default: every course notebook)")
    parser.add_argument("--cells", action="store_true", help="record memory after every cell")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--param", action="append", default=[], metavar="NAME=VALUE", help="override a parameter"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="an environment variable for the kernel",
    )
    parser.add_argument(
        "--without", action="append", default=[], metavar="MODULE", help="hide an installed module"
    )
    args = parser.parse_args()
    env = dict(item.partition("=")[::2] for item in args.env)
    if args.without:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(REPO), hide_modules(args.without), os.environ.get("PYTHONPATH", "")]
        )
    params = {}
    for item in args.param:
        name, _, value = item.partition("=")
        params[name] = ast.literal_eval(value)
    rows = []
    for path in find(args.notebooks):
        row = measure(path, args.cells, params, env)
        rows.append(row)
        if not args.json:
            print(
                f"{row['notebook']:36} peak {row['peak_mb']:5} MB  (after start {row['start_mb']} MB, "
                f"at the end {row['end_rss_mb']} MB: private {row['end_uss_mb']}, PSS {row['end_pss_mb']}; "
                f"{row['seconds']} s)",
                flush=True,
            )
            if row["helper_peak_mb"]:
                print(
                    f"    chart helper peak {row['helper_peak_mb']} MB, kernel + helper at most "
                    f"{row['with_helper_mb']} MB",
                    flush=True,
                )
            for rise in row.get("rises", []):
                print(f"    cell {rise['cell']:3} +{rise['peak_rise_mb']:4} MB  {rise['source']}", flush=True)
                if rise["imported"]:
                    names = ", ".join(f"{name} (by {by})" for name, by in rise["imported"].items())
                    print(f"              imports {names}", flush=True)
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()

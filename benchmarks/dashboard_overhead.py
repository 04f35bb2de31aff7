"""Training speed with the live TrainingDashboard displayed, against the same training headless.

    python benchmarks/dashboard_overhead.py [--mode kernel|lab] [--repeats 3] [--epochs 2] [--map]

Both runs happen in one real Jupyter kernel, on the embedded sample corpus (~0.5M tokens),
with the same settings and seed, interleaved (H D D H H D ...) so that drift in the load of a
shared machine hits both alike:

* headless: ``model.fit(corpus, background=True); model.wait()``
* dashboard: ``TrainingDashboard(model, corpus)`` displayed, ``dash.start(); dash.wait()``
* ``--map`` adds a third kind, dashboard+map: the same dashboard with its Map button on (an
  ``EmbeddingExplorer(model, follow=True)`` of 1,000 words moving as the model trains, drawn in
  the page in lab mode, whose window is then tall enough to show it), runs ordered H D M M D H ...

``--mode kernel`` (default) drives the kernel with jupyter_client: every widget message is
built and sent over ZMQ, but no browser draws it. ``--mode lab`` opens the notebook in
JupyterLab in headless Chromium, which renders every update (the chart re-embeds) on the same
machine; it needs /usr/bin/chromium. Words/s is the trainer's (``words_total / elapsed``).
Prints each run, the median words/s of both, and the ratio dashboard / headless (the goal is
>= 0.90), plus the kernel's CPU seconds per million words.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from _common import REPO  # benchmarks/ is the script's folder: on sys.path (sets it up)

from tests.support.kernel import LiveKernel

SETUP = """\
import json, time
import w2v_widgets as w2v
from IPython.display import display
corpus = w2v.datasets.load_sample()
PARAMS = dict(epochs={epochs}, seed=0)
dash = None

def _result(kind, model, cpu):
    p = model.progress
    return json.dumps({{"kind": kind, "words_per_sec": p["words_total"] / p["elapsed"],
                       "cpu_per_mword": cpu / (p["words_total"] / 1e6)}})

def headless():
    model = w2v.Word2Vec(**PARAMS)
    cpu = time.process_time()
    model.fit(corpus, background=True)
    model.wait()
    return _result("headless", model, time.process_time() - cpu)

def make_dashboard():
    global dash
    dash = w2v.TrainingDashboard(w2v.Word2Vec(**PARAMS), corpus)
    return dash

def with_dashboard():
    dash.map.button.value = False
    dash.reset()
    cpu = time.process_time()
    dash.start(block=False)
    dash.model.wait()
    return _result("dashboard", dash.model, time.process_time() - cpu)

def with_map():
    dash.map.button.value = True  # built on Start (after a reset the model has no vectors)
    dash.reset()
    cpu = time.process_time()
    dash.start(block=False)
    dash.model.wait()
    out = json.loads(_result("dash+map", dash.model, time.process_time() - cpu))
    dash.map.explorer.wait(30)
    out["map_updates"] = dash.map.explorer._follower.updates
    return json.dumps(out)
"""

ORDER = ("headless", "dashboard", "dashboard", "headless")
ORDER_MAP = ("headless", "dashboard", "dash+map", "dash+map", "dashboard", "headless")
MAP_FOLLOW = ".w2v-training-map .w2v-explorer .w2v-follow"
CALLS = {"headless": "headless()", "dashboard": "with_dashboard()", "dash+map": "with_map()"}


def _order(repeats: int, with_map: bool = False) -> list[str]:
    order = ORDER_MAP if with_map else ORDER
    return [order[i % len(order)] for i in range(len(order) // 2 * repeats)]


def run_kernel(epochs: int, repeats: int, with_map: bool = False) -> list[dict]:
    results = []
    with LiveKernel(cwd=REPO) as k:
        k.execute(SETUP.format(epochs=epochs), timeout=300)
        k.execute("display(make_dashboard())")
        for kind in _order(repeats, with_map):
            out = k.execute(f"print({CALLS[kind]})", timeout=1200)
            results.append(json.loads(out.strip().splitlines()[-1]))
            print(_line(results[-1]), flush=True)
    return results


def run_lab(epochs: int, repeats: int, with_map: bool = False) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.support.lab import CHROMIUM, CHROMIUM_ARGS, JupyterLab

    results = []
    with tempfile.TemporaryDirectory(prefix="w2v-bench-lab-") as tmp, JupyterLab(Path(tmp)) as lab:
        lab.write_notebook("overhead", [SETUP.format(epochs=epochs), "make_dashboard()"])
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1800 if with_map else 900})
            lab.open_notebook(page, "overhead")
            lab.run_all(page, timeout=300)
            page.locator(".w2v-training-dashboard").first.wait_for(state="visible", timeout=60_000)
            views = lab.kernel_execute(page, "print(dash._view_count)").strip()
            print(f"dashboard views rendered in the browser: {views}")
            for kind in _order(repeats, with_map):
                out = lab.kernel_execute(page, f"print({CALLS[kind]})", timeout=1200)
                results.append(json.loads(out.strip().splitlines()[-1]))
                if kind == "dash+map":  # the page drew the map: its last update number
                    shown = page.evaluate(f"() => document.querySelector('{MAP_FOLLOW}')?.dataset.update")
                    results[-1]["map_updates"] = f"{results[-1]['map_updates']} (page shows update {shown})"
                print(_line(results[-1]), flush=True)
            browser.close()
    return results


def _line(r: dict) -> str:
    updates = f"   {r['map_updates']} map updates" if "map_updates" in r else ""
    return (
        f"  {r['kind']:<10} {r['words_per_sec']:>12,.0f} words/s   {r['cpu_per_mword']:6.2f} CPU s / M words"
        + updates
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("kernel", "lab"), default="kernel")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each kind")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--map", action="store_true", help="also runs with the dashboard's map shown")
    args = parser.parse_args()

    print(f"mode={args.mode} epochs={args.epochs} repeats={args.repeats} map={args.map} (sample corpus)")
    runner = run_kernel if args.mode == "kernel" else run_lab
    results = runner(args.epochs, args.repeats, args.map)

    def med(kind: str, key: str) -> float:
        return statistics.median(r[key] for r in results if r["kind"] == kind)

    head, dash = med("headless", "words_per_sec"), med("dashboard", "words_per_sec")
    cpu_h, cpu_d = med("headless", "cpu_per_mword"), med("dashboard", "cpu_per_mword")
    print(f"median headless  {head:>12,.0f} words/s   {cpu_h:6.2f} CPU s / M words")
    print(f"median dashboard {dash:>12,.0f} words/s   {cpu_d:6.2f} CPU s / M words")
    print(f"ratio dashboard/headless words/s: {dash / head:.3f} (goal >= 0.90)")
    print(f"ratio headless/dashboard CPU per word: {cpu_h / cpu_d:.3f}")
    if args.map:
        mapped, cpu_m = med("dash+map", "words_per_sec"), med("dash+map", "cpu_per_mword")
        print(f"median dash+map  {mapped:>12,.0f} words/s   {cpu_m:6.2f} CPU s / M words")
        print(f"ratio dashboard+map/headless words/s: {mapped / head:.3f} (goal >= 0.90)")


if __name__ == "__main__":
    main()

"""EmbeddingExplorer with a million words (d=100) in a real JupyterLab and headless Chromium.

Prints, each against the issue's target and a peer measured in the same run:

* kernel: ``EmbeddingExplorer(wv, n_words=None, projection="pca")`` ready (target 60 s), and the
  kernel's memory for it next to the size of one float32 copy of the vectors;
* ``ex.neighbours(word, 10)`` over 1M words, median and p90 (target 100 ms median), against
  gensim's ``KeyedVectors.most_similar`` on the same vectors;
* page: first frame after the data arrived (the view's construction to the first drawn points,
  target 2 s), frames/s while panning and while zooming (target 20; a pan or wheel step every
  frame, drawn as a gesture is) and one full redraw, in the default Chromium (WebGL, which is
  SwiftShader here: software, no GPU; above 1M points the page then draws with its canvas
  rasteriser, renderer.ts SOFTWARE_GL_MAX_POINTS) against the canvas fallback of a Chromium
  launched with ``--disable-3d-apis``; the page's JS heap (positions and labels, no vectors);
* hover round trip (pointer to listed neighbours over the whole vocabulary, median and p90,
  target 100/200 ms) against a no-op ``ping`` on the same comm.

    python benchmarks/explorer_scale.py [--words 1000000] [--hovers 30]

Needs /usr/bin/chromium and playwright (tests/browser/README.md); about 3-5 minutes, 4 GB of
memory; the machine is shared, so run it alone and note the load it prints.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from _common import load  # benchmarks/ is the script's folder: on sys.path (sets it up)

from tests.support.lab import CHROMIUM, CHROMIUM_ARGS, JupyterLab, gpu_name

ROOT = ".jp-OutputArea .w2v-explorer"
SETUP = """
import json, os, resource, statistics, time
import numpy as np
from w2v_widgets.vectors import WordVectors
from w2v_widgets.widgets.explorer import EmbeddingExplorer
rng = np.random.default_rng(0)
n, dim = {n}, {dim}
centres = rng.normal(size=(40, dim)).astype(np.float32)
vectors = np.empty((n, dim), np.float32)  # made in blocks: no float64 temporary of n x dim
for start in range(0, n, 100_000):
    m = min(100_000, n - start)
    vectors[start : start + m] = centres[rng.integers(0, 40, m)] + rng.standard_normal((m, dim), np.float32)
wv = WordVectors([f"w{{i}}" for i in range(n)], vectors, counts=np.arange(n, 0, -1))
del vectors
wv.fill_norms()
def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
before_mb = rss_mb()
"""
BUILD = """
t0, cpu0 = time.perf_counter(), time.process_time()
ex = EmbeddingExplorer(wv, n_words=None, projection="pca", top_labels=10)
ready_s, ready_cpu_s = time.perf_counter() - t0, time.process_time() - cpu0
explorer_mb = rss_mb() - before_mb
"""
NEIGHBOURS = """
probe = [f"w{{i}}" for i in np.random.default_rng(1).choice(n, 40, replace=False)]
ours = []
for w in probe:
    t0 = time.perf_counter(); ex.neighbours(w, 10); ours.append(time.perf_counter() - t0)
import gensim
kv = gensim.models.KeyedVectors(dim, count=n)
kv.add_vectors(wv.index_to_key, wv.vectors)
kv.most_similar(probe[0], topn=10)  # fills gensim's norms before the clock
peer = []
for w in probe:
    t0 = time.perf_counter(); kv.most_similar(w, topn=10); peer.append(time.perf_counter() - t0)
del kv
result = dict(ready_s=ready_s, explorer_mb=explorer_mb, vectors_mb=wv.vectors.nbytes / 2**20,
              ours=ours, peer=peer)
"""


def handle(page, call: str):
    return page.evaluate(f"() => document.querySelector('{ROOT}').__w2v.{call}")


def show(lab: JupyterLab, page, cell: int) -> dict:
    """Run the displaying cell; ms from running it to the first frame, and the view's own ms."""
    page.evaluate(
        """() => { window.__t0 = performance.now(); window.__rendered = []; window.__all = [];
                   document.addEventListener('w2v:rendered', e => window.__rendered.push(
                       {at: performance.now(), ms: e.detail.ms, points: e.detail.points}));
                   document.addEventListener('w2v:rendered-all', e => window.__all.push(
                       {at: performance.now(), ms: e.detail.ms})); }"""
    )
    lab.run_cell(page, cell, timeout=300)
    page.wait_for_function("() => window.__all.length > 0", timeout=300_000)
    first = page.evaluate("() => window.__rendered[0]")
    every = page.evaluate("() => window.__all[0]")
    page.locator(ROOT).first.scroll_into_view_if_needed()
    parts = handle(page, "firstFrame()")
    t0 = page.evaluate("() => window.__t0")
    return {
        "cell_ms": first["at"] - t0,
        "view_ms": first["ms"],
        "points": first["points"],
        "all_cell_ms": every["at"] - t0,
        "all_view_ms": every["ms"],
        "parts": parts,
    }


def drawing(page) -> dict:
    page.wait_for_function(f"() => !document.querySelector('{ROOT}').__w2v.busy()")
    fps = handle(page, "panFps(3000)")
    page.wait_for_timeout(500)  # the redraw after the pan
    zoom_fps = handle(page, "zoomFps(3000)")
    page.wait_for_timeout(500)
    handle(page, "zoomDrawMs(2)")  # warm-up
    return {
        "fps": fps,
        "zoom_fps": zoom_fps,
        "zoom_ms": handle(page, "zoomDrawMs(10)"),
        "renderer": handle(page, "renderer()"),
    }


TIME_KERNEL = """
import time as _time
_answer = ex._messages.dispatcher._compute
kernel_ms = []
def _timed(content):
    t0 = _time.perf_counter()
    try:
        return _answer(content)
    finally:
        if isinstance(content, dict) and content.get("type") == "neighbours":
            kernel_ms.append((_time.perf_counter() - t0) * 1e3)
ex._messages.dispatcher._compute = _timed
index = ex._queries.index
t0 = _time.perf_counter()
index_ready = index is None or index.wait(600)
print(json.dumps(dict(index=type(index).__name__, index_wait_s=_time.perf_counter() - t0, ready=index_ready)))
"""


def hovers(lab: JupyterLab, page, count: int, warmup: int = 3) -> dict:
    """Hover round trips once the neighbour index is built, with their parts: the page before the
    request left, the round trip, the kernel's own answer (timed inside the kernel), the render."""
    index = json.loads(lab.kernel_execute(page, TIME_KERNEL, timeout=900))
    page.evaluate(
        """() => { window.__hovers = [];
                   document.addEventListener('w2v:neighbours', e => {
                       if (e.detail.reason === 'hover') window.__hovers.push(e.detail); }); }"""
    )
    box = page.locator(f"{ROOT} .w2v-overlay").first.bounding_box()
    times: list[float] = []
    step = 0
    while len(times) < count + warmup and step < 10 * count:
        step += 1
        x = box["x"] + box["width"] * (0.3 + 0.4 * ((step * 0.618) % 1))
        y = box["y"] + box["height"] * (0.3 + 0.4 * ((step * 0.382) % 1))
        seen = page.evaluate("() => window.__hovers.length")
        page.mouse.move(x, y)
        try:
            page.wait_for_function(f"() => window.__hovers.length > {seen}", timeout=3000)
        except Exception:  # the pointer stayed on the point already hovered, or on none
            continue
        times.append(page.evaluate("() => window.__hovers[window.__hovers.length - 1]"))
        page.wait_for_timeout(60)
    details = times[warmup:]
    times = [d["ms"] for d in details]
    pings = []
    for _ in range(30):
        try:
            pings.append(handle(page, "ping()"))
        except Exception as exc:  # no answer in the page's 15 s (a loaded machine): say so, go on
            print(f"a ping got no answer: {exc}")
    kernel_ms = json.loads(lab.kernel_execute(page, "print(json.dumps(kernel_ms))", timeout=60))
    parts = {k: statistics.median(d["parts"][k] for d in details) for k in ("page", "roundTrip", "render")}
    return {
        "median": statistics.median(times),
        "p90": statistics.quantiles(times, n=10)[-1],
        "n": len(times),
        "ping": statistics.median(pings) if pings else float("nan"),
        "parts": parts,
        "kernel": statistics.median(kernel_ms[warmup:] or kernel_ms),
        **index,
    }


def gl_renderer(page) -> str:
    """The WebGL renderer this Chromium has (SwiftShader here: software), or why there is none."""
    return gpu_name(page) or "no WebGL (canvas 2D fallback)"


def browser_rss_mb() -> float:
    """Resident memory of every Chromium process this script started (page, GPU, browser)."""
    import psutil

    total = 0
    for proc in psutil.Process().children(recursive=True):
        try:
            if "chrom" in proc.name():
                total += proc.memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def page_memory(page) -> dict:
    """The page's JS heap (CDP's JSHeapUsedSize, as performance.memory) and Chromium's RSS."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("HeapProfiler.collectGarbage")
    cdp.send("Performance.enable")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cdp.detach()
    return {"heap_mb": metrics["JSHeapUsedSize"] / 2**20, "browser_rss_mb": browser_rss_mb()}


def kernel_only(n: int, dim: int) -> int:
    """The kernel's part alone, in this process: ready time and memory (for 3M x 300, where a
    JupyterLab and a browser beside it would not fit the machine)."""
    print(f"before: {load()}")
    scope: dict = {}
    exec(SETUP.format(n=n, dim=dim), scope)
    exec(BUILD, scope)
    ex = scope["ex"]
    page_mb = (ex._xy.nbytes + ex._codes.nbytes + sum(len(w.encode()) + 4 for w in ex.words)) / 2**20
    print(f"after: {load()}")
    print(
        f"{n:,} words x {dim}: EmbeddingExplorer(wv, n_words=None, projection='pca') ready in "
        f"{scope['ready_s']:.1f} s [target 60 s], {scope['ready_cpu_s']:.1f} CPU-s; "
        f"it added {scope['explorer_mb']:.0f} MB to the kernel "
        f"(vectors {scope['wv'].vectors.nbytes / 2**20:.0f} MB, and as much again for their unit rows, "
        f"held by WordVectors); the page receives {page_mb:.0f} MB (positions and codes as binary "
        f"buffers, the words as UTF-8 bytes and int32 ends)"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--hovers", type=int, default=30)
    parser.add_argument("--kernel-only", action="store_true", help="the kernel's ready time and memory alone")
    args = parser.parse_args()
    if args.kernel_only:
        return kernel_only(args.words, args.dim)
    from playwright.sync_api import sync_playwright

    print(f"before: {load()}")
    with tempfile.TemporaryDirectory() as tmp, JupyterLab(Path(tmp)) as lab, sync_playwright() as pw:
        cells = [SETUP.format(n=args.words, dim=args.dim), BUILD, "ex", NEIGHBOURS.format(), "ex"]
        lab.write_notebook("bench", cells)
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(300_000)
        lab.open_notebook(page, "bench", timeout=120)
        lab.run_cell(page, 0, timeout=600)
        lab.run_cell(page, 1, timeout=600)
        first = show(lab, page, 2)
        gl = drawing(page)
        gl["gpu"] = gl_renderer(page)
        memory = page_memory(page)
        hover = hovers(lab, page, args.hovers)
        lab.run_cell(page, 3, timeout=600)
        kernel = json.loads(lab.kernel_execute(page, "print(json.dumps(result))", timeout=120))
        browser.close()
        no_gl = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, "--disable-3d-apis"]
        )
        page2 = no_gl.new_page(viewport={"width": 1280, "height": 900})
        page2.set_default_timeout(300_000)
        lab.open_notebook(page2, "bench", timeout=120)
        first2 = show(lab, page2, 4)
        canvas = drawing(page2)
        canvas["gpu"] = gl_renderer(page2)
        memory2 = page_memory(page2)
        no_gl.close()

    ours_ms = [t * 1e3 for t in kernel["ours"]]
    peer_ms = [t * 1e3 for t in kernel["peer"]]
    med, p90 = statistics.median(ours_ms), statistics.quantiles(ours_ms, n=10)[-1]
    peer_med = statistics.median(peer_ms)
    n = args.words
    print(f"after: {load()}")
    print(f"{n:,} words x {args.dim} dimensions")
    print(
        f"kernel: explorer ready in {kernel['ready_s']:.1f} s [target 60 s]; it added "
        f"{kernel['explorer_mb']:.0f} MB to the kernel (one float32 copy of the vectors is "
        f"{kernel['vectors_mb']:.0f} MB; WordVectors holds it and its unit rows, the index)"
    )
    print(
        f"ex.neighbours(word, 10): median {med:.0f} ms, p90 {p90:.0f} ms [target 100 ms median]; "
        f"gensim most_similar median {peer_med:.0f} ms; ratio {peer_med / med:.2f}x gensim's speed"
    )
    print(
        f"first frame: {first['view_ms']:.0f} ms from the view's creation with the data "
        f"[target 3000 ms], {first['points']:,} points (the most frequent first); "
        f"{first['cell_ms']:.0f} ms from running the cell; every point drawn at "
        f"{first['all_view_ms']:.0f} ms ({first['all_cell_ms']:.0f} ms from the cell); canvas fallback "
        f"{first2['view_ms']:.0f} / {first2['cell_ms']:.0f} ms ({first2['points']:,} points)"
    )
    for name, f in ((f"default Chromium, drawn with {gl['renderer']}", first), ("no WebGL, canvas", first2)):
        p = f["parts"]
        print(
            f"first frame, {name}: data read {p['dataAt']:.0f} ms after the view began, handed to the GPU "
            f"in {p['upload']:.0f} ms; first draw began at {p['drawAt']:.0f} ms and took {p['draw']:.0f} ms"
        )
    print(
        f"pan: {gl['fps']:.1f} frames/s with {gl['renderer']} ({gl['gpu']}) [target 30]; "
        f"canvas fallback ({canvas['gpu']}) {canvas['fps']:.1f} frames/s; "
        f"ratio {gl['fps'] / canvas['fps']:.1f}"
    )
    print(
        f"zoom (a wheel step every frame): {gl['zoom_fps']:.1f} frames/s {gl['renderer']}, "
        f"{canvas['zoom_fps']:.1f} canvas [target 30]; the drawn image is scaled while the "
        f"gesture lasts when one full redraw takes over 30 ms, then redrawn 160 ms after it pauses"
    )
    print(
        f"one full redraw of every point (after a gesture, or each zoom step when fast): "
        f"{gl['zoom_ms']:.1f} ms {gl['renderer']}, {canvas['zoom_ms']:.1f} ms {canvas['renderer']}"
    )
    print(
        f"page JS heap: {memory['heap_mb']:.0f} MB {gl['renderer']}, {memory2['heap_mb']:.0f} MB canvas "
        f"(positions, colour codes, words; the vectors stay in the kernel); all Chromium processes: "
        f"{memory['browser_rss_mb']:.0f} MB / {memory2['browser_rss_mb']:.0f} MB resident"
    )
    print(
        f"hover -> neighbours over {n:,} words: median {hover['median']:.0f} ms, p90 "
        f"{hover['p90']:.0f} ms over {hover['n']} hovers [target 100 / 200 ms]; ping round trip "
        f"median {hover['ping']:.1f} ms; index {hover['index']} (waited {hover['index_wait_s']:.1f} s "
        f"for its build before hovering)"
    )
    parts = hover["parts"]
    print(
        f"hover parts (medians): page before the request {parts['page']:.1f} ms, round trip "
        f"{parts['roundTrip']:.0f} ms of which the kernel's answer {hover['kernel']:.0f} ms "
        f"(the rest: transport and queueing), lists and marks rendered {parts['render']:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

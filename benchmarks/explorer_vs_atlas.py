"""Our EmbeddingExplorer beside Apple's Embedding Atlas widget on the same 1M points in JupyterLab.

Both show the same words at the same 2-D positions (the PCA layout of 1M clustered vectors,
d=100, as ``explorer_scale.py`` makes them), each in its own notebook and kernel and its own
fresh headless Chromium (Debian's, WebGL by SwiftShader: no GPU here), one after the other, with
every request that would leave the machine aborted and listed (Embedding Atlas must run offline).
Printed for each:

* kernel: seconds to build the widget and the memory it adds to the kernel (RSS);
* first frame: from running the displaying cell to the first screenshot of the widget's largest
  canvas with points on it (the same pixel test for both), and ours' own ``w2v:rendered`` event;
* hover: from a pointer move over the points to the first change of the widget's text showing a
  word (ours: the hovered word's neighbours over the whole vocabulary, a kernel query; Embedding
  Atlas: its tooltip with the hovered point's text), median and p90;
* frames/s while dragging the map (``requestAnimationFrame`` callbacks during a 3 s drag);
* the page's JS heap (CDP, after a garbage collection) and the RSS of all Chromium processes.

    python benchmarks/explorer_vs_atlas.py [--words 1000000] [--hovers 20] [--atlas-path DIR]

Needs ``pip install embedding-atlas``, /usr/bin/chromium and playwright; about 3 GB of memory.
Embedding Atlas 0.23 and later draw only with WebGPU and ask for the ``shader-f16`` feature, which
a Chromium without a GPU does not offer (SwiftShader's WebGPU adapter lacks it): they draw nothing
here. 0.22.0 is the last release that falls back to WebGL 2; to measure it beside a newer one in
the venv, install it into a folder of its own and pass that folder as ``--atlas-path``:
``pip install --no-deps --target DIR embedding-atlas==0.22.0`` (its dependencies are the newer
release's). The script prints the version measured and what its renderer said on the console.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import tempfile
import time
from pathlib import Path

from _common import load  # benchmarks/ is the script's folder: on sys.path (sets it up)
from explorer_scale import SETUP, browser_rss_mb, gl_renderer, page_memory

from tests.support.lab import CHROMIUM, CHROMIUM_ARGS, JupyterLab
from tests.support.offline import block_network

OURS = """
import importlib.metadata
version = importlib.metadata.version("w2v-widgets")
t0 = time.perf_counter()
widget = EmbeddingExplorer(wv, n_words=None, projection="pca", top_labels=10)
ready_s = time.perf_counter() - t0
added_mb = rss_mb() - before_mb
"""
ATLAS = """
import sys
sys.path[:0] = {atlas_path!r}
import importlib.metadata
import pandas as pd
from embedding_atlas.widget import EmbeddingAtlasWidget
version = importlib.metadata.version("embedding-atlas")  # the first on sys.path: --atlas-path's
from w2v_widgets.vectors import projections
xy = projections.project(wv.get_normed_vectors(), "pca", unit=True)  # the same layout as ours
words = list(wv.index_to_key)
del wv
import gc; gc.collect()
before_mb = rss_mb()
t0 = time.perf_counter()
frame = pd.DataFrame({{"x": xy[:, 0], "y": xy[:, 1], "word": words}})
widget = EmbeddingAtlasWidget(frame, x="x", y="y", text="word")
ready_s = time.perf_counter() - t0
added_mb = rss_mb() - before_mb
"""
RESULT = "print(json.dumps(dict(ready_s=ready_s, added_mb=added_mb, version=version)))"
WORDS = ("webgpu", "webgl", "adapter", "shader-f16")  # console lines about the renderer

COUNT_PIXELS = """async (b64) => {
    const blob = await (await fetch('data:image/png;base64,' + b64)).blob();
    const img = await createImageBitmap(blob);
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    const counts = new Map();
    for (let i = 0; i < d.length; i += 4) {
        const key = (d[i] >> 4) << 8 | (d[i + 1] >> 4) << 4 | (d[i + 2] >> 4);
        counts.set(key, (counts.get(key) || 0) + 1);
    }
    const background = Math.max(...counts.values());
    return 1 - background / (d.length / 4);
}"""
# Embedding Atlas renders inside a shadow root: look through open shadow roots too.
DEEP = """
const deepAll = (root, sel, acc = []) => {
    root.querySelectorAll(sel).forEach(e => acc.push(e));
    root.querySelectorAll('*').forEach(e => { if (e.shadowRoot) deepAll(e.shadowRoot, sel, acc); });
    return acc;
};
const deepText = (root) => {
    let text = root.innerText ?? root.textContent ?? '';
    root.querySelectorAll('*').forEach(e => { if (e.shadowRoot) text += ' ' + deepText(e.shadowRoot); });
    return text;
};
const lastOutput = () =>
    [...document.querySelectorAll('.jp-Notebook .jp-Cell')].pop().querySelector('.jp-OutputArea');
"""
LARGEST_CANVAS = (
    """() => {"""
    + DEEP
    + """
    const out = lastOutput();
    const canvases = deepAll(out, 'canvas').filter(c => c.getBoundingClientRect().width > 100);
    canvases.sort((a, b) => b.width * b.height - a.width * a.height);
    if (!canvases.length) return null;
    canvases[0].scrollIntoView({block: 'center'});
    const r = canvases[0].getBoundingClientRect();
    const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, window.innerHeight);
    if (bottom - top < 50) return null;
    return {x: r.x, y: top, width: r.width, height: bottom - top};
}"""
)
WATCH_TEXT = (
    """() => {"""
    + DEEP
    + """
    window.__pointerAt = 0; window.__answers = [];
    document.addEventListener('pointermove', () => { window.__pointerAt = performance.now(); }, true);
    const out = lastOutput();
    let last = (deepText(out).match(/\\bw\\d+\\b/g) || []).join(' ');
    const seen = () => {
        const found = (deepText(out).match(/\\bw\\d+\\b/g) || []).join(' ');
        if (found && found !== last && window.__pointerAt) {
            window.__answers.push(performance.now() - window.__pointerAt);
        }
        last = found;
    };
    const watch = {subtree: true, childList: true, characterData: true};
    for (const root of [out, ...deepAll(out, '*').filter(e => e.shadowRoot).map(e => e.shadowRoot)])
        new MutationObserver(seen).observe(root, watch);
}"""
)
DRAG_FPS = """(ms) => {
    window.__fps = null; let frames = 0; const t0 = performance.now();
    const tick = () => { frames++;
        if (performance.now() - t0 < ms) requestAnimationFrame(tick);
        else window.__fps = frames * 1000 / (performance.now() - t0); };
    requestAnimationFrame(tick);
}"""


def first_frame(lab: JupyterLab, page, cell: int, share: float = 0.005) -> dict:
    """ms from running the displaying cell to a screenshot of the widget's largest canvas with
    more than ``share`` of its pixels off the background colour (and ours' own event)."""
    page.evaluate(
        """() => { window.__rendered = [];
                   document.addEventListener('w2v:rendered', e => window.__rendered.push(e.detail.ms)); }"""
    )
    t0 = time.perf_counter()
    lab.run_cell(page, cell, timeout=600)
    while time.perf_counter() - t0 < 300:
        box = page.evaluate(LARGEST_CANVAS)
        if box is not None:
            png = page.screenshot(clip=box)
            if page.evaluate(COUNT_PIXELS, base64.b64encode(png).decode()) > share:
                break
        page.wait_for_timeout(100)
    else:
        page.screenshot(path=f"{tempfile.gettempdir()}/explorer_vs_atlas_no_frame.png")
        print("no points drawn within 300 s")
        t0 = float("nan")
    return {
        "pixels_ms": (time.perf_counter() - t0) * 1e3,
        "own_ms": page.evaluate("() => window.__rendered[0]"),
    }


def hovers(page, count: int, warmup: int = 3) -> dict:
    page.evaluate(WATCH_TEXT)
    box = page.evaluate(LARGEST_CANVAS)
    if box is None:
        return {"median": float("nan"), "p90": float("nan"), "n": 0}
    times: list[float] = []
    step = 0
    while len(times) < count + warmup and step < 10 * count:
        step += 1
        seen = page.evaluate("() => window.__answers.length")
        page.mouse.move(
            box["x"] + box["width"] * (0.3 + 0.4 * ((step * 0.618) % 1)),
            box["y"] + box["height"] * (0.3 + 0.4 * ((step * 0.382) % 1)),
        )
        try:
            page.wait_for_function(f"() => window.__answers.length > {seen}", timeout=3000)
        except Exception:  # on the point already shown, or on none
            continue
        times.append(page.evaluate(f"() => window.__answers[{seen}]"))
        page.wait_for_timeout(300)
    times = times[warmup:]
    if len(times) < 2:
        return {"median": float("nan"), "p90": float("nan"), "n": len(times)}
    return {"median": statistics.median(times), "p90": statistics.quantiles(times, n=10)[-1], "n": len(times)}


def drag_fps(page) -> float:
    box = page.evaluate(LARGEST_CANVAS)
    if box is None:
        return float("nan")
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(DRAG_FPS, 3000)
    i = 0
    while page.evaluate("() => window.__fps") is None:
        page.mouse.move(x + 40 * ((i // 10) % 2 * 2 - 1) * (i % 10) / 10, y, steps=2)
        i += 1
    page.mouse.up()
    return page.evaluate("() => window.__fps")


def measure(lab: JupyterLab, pw, name: str, cells: list[str], hover_count: int, args: list[str]) -> dict:
    lab.write_notebook(name, cells)
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *args])
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(300_000)
    left = block_network(page)
    said: list[str] = []  # what the page's renderers said on the console (WebGPU, WebGL)
    page.on("console", lambda m: said.append(m.text) if any(w in m.text.lower() for w in WORDS) else None)
    lab.open_notebook(page, name, timeout=120)
    lab.run_cell(page, 0, timeout=900)
    lab.run_cell(page, 1, timeout=900)
    kernel = json.loads(lab.kernel_execute(page, RESULT, timeout=60))
    shown = first_frame(lab, page, 2)
    page.wait_for_timeout(3000)  # settle (Embedding Atlas computes its labels after the first frame)
    result = {
        **kernel,
        **shown,
        "fps": drag_fps(page),
        "hover": hovers(page, hover_count),
        **page_memory(page),
        "gpu": gl_renderer(page),
        "left": left,
        "said": list(dict.fromkeys(said))[:6],
    }
    page.screenshot(path=f"{tempfile.gettempdir()}/explorer_vs_atlas_{name}.png")
    browser.close()
    lab.shutdown_kernels()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--hovers", type=int, default=20)
    parser.add_argument(
        "--webgpu",
        action="store_true",
        help="give both browsers SwiftShader's WebGPU adapter (Embedding Atlas draws only with WebGPU)",
    )
    parser.add_argument(
        "--atlas-path",
        action="append",
        default=[],
        help="a folder put first on the Embedding Atlas kernel's sys.path (another release, e.g. "
        "0.22.0, installed there with pip install --no-deps --target)",
    )
    args = parser.parse_args()
    extra = ["--enable-unsafe-webgpu", "--use-webgpu-adapter=swiftshader", "--enable-unsafe-swiftshader"]
    extra = extra if args.webgpu else []
    from playwright.sync_api import sync_playwright

    setup = SETUP.format(n=args.words, dim=args.dim)
    print(f"before: {load()}")
    with tempfile.TemporaryDirectory() as tmp, JupyterLab(Path(tmp)) as lab, sync_playwright() as pw:
        ours = measure(lab, pw, "ours", [setup, OURS, "widget"], args.hovers, extra)
        print(f"ours done: {load()}")
        atlas_cell = ATLAS.format(atlas_path=[str(Path(p).resolve()) for p in args.atlas_path])
        atlas = measure(lab, pw, "atlas", [setup, atlas_cell, "widget"], args.hovers, extra)
    print(f"after: {load()}; Chromium's WebGL: {ours['gpu']}; the browsers left {browser_rss_mb():.0f} MB")
    print(f"{args.words:,} points (words x {args.dim} dimensions, PCA layout), JupyterLab, headless Chromium")
    rows = [
        ("widget built in the kernel (s)", "ready_s", "{:.1f}"),
        ("memory it adds to the kernel (MB)", "added_mb", "{:.0f}"),
        ("first frame from running the cell (ms, pixels)", "pixels_ms", "{:.0f}"),
        ("frames/s while dragging (rAF)", "fps", "{:.1f}"),
        ("page JS heap (MB)", "heap_mb", "{:.0f}"),
        ("all Chromium processes (MB RSS)", "browser_rss_mb", "{:.0f}"),
    ]
    print(f"| | ours (w2v-widgets {ours['version']}) | Embedding Atlas {atlas['version']} |\n|---|---|---|")
    for label, key, fmt in rows:
        print(f"| {label} | {fmt.format(ours[key])} | {fmt.format(atlas[key])} |")
    for name, r in (("ours", ours), ("atlas", atlas)):
        h = r["hover"]
        print(
            f"hover -> answer shown ({name}): median {h['median']:.0f} ms, p90 {h['p90']:.0f} ms, n={h['n']}"
        )
    print(f"ours' own first-frame event: {ours['own_ms']:.0f} ms from the view's creation")
    for name, r in (("ours", ours), ("atlas", atlas)):
        print(f"requests that tried to leave the machine ({name}): {r['left'] or 'none'}")
        print(f"its renderer on the console ({name}): {r['said'] or 'nothing'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

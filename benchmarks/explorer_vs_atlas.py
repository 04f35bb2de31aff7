"""Our EmbeddingExplorer beside Apple's Embedding Atlas widget on the same 1M points in JupyterLab.

Both show the same words at the same 2-D positions (the PCA layout of 1M clustered vectors,
d=100, as ``explorer_scale.py`` makes them; Embedding Atlas is given that layout as its x and y
columns), each in its own notebook and kernel and its own fresh headless Chromium (Debian's, WebGL
by SwiftShader: no GPU here), with every request that would leave the machine aborted and listed
(Embedding Atlas must run offline). Printed for each:

* kernel: seconds to build the widget, the memory it adds to the kernel and the kernel's RSS after
  the hovers (Embedding Atlas answers the page's SQL with DuckDB in the kernel);
* first frame: from running the displaying cell to the first screenshot of the middle half of the
  widget's largest canvas with over 2% of its pixels off the background (the same pixel test for
  both; screenshots kept), and ours' own ``w2v:rendered`` event; then how long Embedding Atlas's
  "Generating labels..." lasts (both are measured after it);
* hover: from a pointer move over the points to the first change of a word shown in the widget
  (ours: the hovered word's label; Embedding Atlas: its tooltip with the hovered point's text),
  and for ours to the hovered word's neighbours over the whole vocabulary listed (a kernel query),
  median and p90;
* frames/s while dragging the map (``requestAnimationFrame`` callbacks during a 3 s drag);
* the page's JS heap (CDP, after a garbage collection) and the RSS of all Chromium processes.

    python benchmarks/explorer_vs_atlas.py [--words 1000000] [--hovers 20] [--only ours|atlas]
        [--atlas-path DIR] [--webgpu null-adapter|disabled|swiftshader|default]

Needs ``pip install embedding-atlas``, /usr/bin/chromium and playwright; about 3 GB of memory.
Embedding Atlas 0.23 and later draw only with WebGPU and ask for the ``shader-f16`` feature, which
a Chromium without a GPU does not offer (SwiftShader's WebGPU adapter lacks it): they draw nothing
here ("WebGPU is unavailable. This view requires a browser with WebGPU support."). 0.22.0 is the
last release that falls back to WebGL 2 when it gets no WebGPU adapter; install it into a folder
of its own and pass that folder as ``--atlas-path``: ``pip install --no-deps --target DIR
embedding-atlas==0.22.0`` (its dependencies are the newer release's). By default (``--webgpu
null-adapter``) both browsers get a script, run before the page's, that makes
``navigator.gpu.requestAdapter`` resolve to null, so Embedding Atlas 0.22 takes its WebGL 2 path
(ours draws with WebGL anyway): both widgets then draw with WebGL on SwiftShader, the CPU. This
changes the browser only, not either package. The script prints the version measured and what
its renderer said on the console; ``--only`` measures one widget, for alternating runs each in a
fresh process.
"""

from __future__ import annotations

import argparse
import base64
import json
import statistics
import tempfile
import threading
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
KERNEL_RSS = "print(json.dumps(dict(kernel_rss_mb=rss_mb())))"
WORDS = ("webgpu", "webgl", "adapter", "shader-f16")  # console lines about the renderer

COUNT_PIXELS = """async (b64) => {
    const blob = await (await fetch('data:image/png;base64,' + b64)).blob();
    const img = await createImageBitmap(blob);
    const c = new OffscreenCanvas(img.width, img.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, img.width, img.height).data;
    let drawn = 0;  // pixels off both maps' white background (a map full of points is one colour)
    for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) drawn++;
    return drawn / (d.length / 4);
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
    window.__pointerAt = 0; window.__answers = []; window.__neighbours = [];
    document.addEventListener('pointermove', () => { window.__pointerAt = performance.now(); }, true);
    document.addEventListener('w2v:neighbours', e => {  // ours: the hovered word's neighbours listed
        if (e.detail.reason === 'hover') window.__neighbours.push(performance.now() - window.__pointerAt);
    });
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
LABELLED = (
    """() => {"""
    + DEEP
    + """
    return !deepText(lastOutput()).includes('Generating labels');
}"""
)
DRAG_FPS = """(ms) => {
    window.__fps = null; let frames = 0; const t0 = performance.now();
    const tick = () => { frames++;
        if (performance.now() - t0 < ms) requestAnimationFrame(tick);
        else window.__fps = frames * 1000 / (performance.now() - t0); };
    requestAnimationFrame(tick);
}"""


# How each browser is given (or denied) WebGPU: Chromium's flags and a script run before the page's.
# Embedding Atlas 0.22 draws with WebGPU when it gets a device and with WebGL 2 otherwise; in a
# Chromium without a GPU the only WebGPU adapter is SwiftShader's, which lacks the ``shader-f16``
# feature Embedding Atlas asks for, so "null-adapter" (the default) makes
# ``navigator.gpu.requestAdapter`` resolve to null and Embedding Atlas takes its WebGL 2 path.
# Ours draws with WebGL either way: both widgets then draw with WebGL on SwiftShader (the CPU).
NULL_ADAPTER = """if (self.GPU && GPU.prototype.requestAdapter) {
    Object.defineProperty(GPU.prototype, 'requestAdapter', {value: async () => null});
}"""
SWIFTSHADER_WEBGPU = [
    "--enable-unsafe-webgpu",
    "--use-webgpu-adapter=swiftshader",
    "--enable-unsafe-swiftshader",
]
WEBGPU = {
    "null-adapter": ([], NULL_ADAPTER),  # navigator.gpu there, requestAdapter() gives null
    "disabled": (["--disable-features=WebGPU"], None),  # no navigator.gpu at all
    "swiftshader": (SWIFTSHADER_WEBGPU, None),  # SwiftShader's WebGPU adapter (no shader-f16)
    "default": ([], None),  # this Chromium as it is: "No available adapters"
}


def centre(box: dict) -> dict:
    """The middle half of a box each way: the map's points without the widgets' own controls and
    status lines drawn over its edges (Embedding Atlas's colour menu and point count)."""
    return {
        "x": box["x"] + box["width"] / 4,
        "y": box["y"] + box["height"] / 4,
        "width": box["width"] / 2,
        "height": box["height"] / 2,
    }


def drawn_share(page, box: dict, path: str | None = None) -> float:
    """The share of the middle half of ``box`` (a screenshot) that is not white (the background)."""
    png = page.screenshot(clip=centre(box), path=path)
    return page.evaluate(COUNT_PIXELS, base64.b64encode(png).decode())


def first_frame(lab: JupyterLab, page, cell: int, path: str, share: float = 0.02) -> dict:
    """ms from running the displaying cell to a screenshot of the middle of the widget's largest
    canvas with more than ``share`` of its pixels off the background colour (and ours' own event)."""
    page.evaluate(
        """() => { window.__rendered = []; window.__renderedAll = [];
                   document.addEventListener('w2v:rendered', e => window.__rendered.push(e.detail));
                   document.addEventListener('w2v:rendered-all',
                                             e => window.__renderedAll.push(e.detail)); }"""
    )
    t0 = time.perf_counter()
    lab.run_cell(page, cell, timeout=600)
    drawn = 0.0
    while time.perf_counter() - t0 < 300:
        box = page.evaluate(LARGEST_CANVAS)
        if box is not None:
            drawn = drawn_share(page, box)
            if drawn > share:
                page.screenshot(clip=box, path=path)  # the map when the test first saw points
                break
        page.wait_for_timeout(100)
    else:
        page.screenshot(path=f"{tempfile.gettempdir()}/explorer_vs_atlas_no_frame.png")
        print("no points drawn within 300 s")
        t0 = float("nan")
    return {
        "pixels_ms": (time.perf_counter() - t0) * 1e3,
        "drawn_share": drawn,
        "own": page.evaluate("() => window.__rendered[0] ?? null"),
    }


def hovers(page, count: int, warmup: int = 3) -> dict:
    """Pointer moves over the map: ms to the first change of a word shown in the widget (ours: the
    hovered word's label on the map; Embedding Atlas: its tooltip) and, for ours, to its neighbours
    over the whole vocabulary listed (a kernel query; ``w2v:neighbours``)."""
    page.evaluate(WATCH_TEXT)
    box = page.evaluate(LARGEST_CANVAS)
    if box is None:
        return {**spread([]), "neighbours": spread([])}
    times: list[float] = []
    listed: list[float] = []
    step = 0
    while len(times) < count + warmup and step < 10 * count:
        step += 1
        seen, seen_listed = page.evaluate("() => [window.__answers.length, window.__neighbours.length]")
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
        if page.evaluate(f"() => window.__neighbours.length > {seen_listed}"):
            listed.append(page.evaluate(f"() => window.__neighbours[{seen_listed}]"))
    return {**spread(times[warmup:]), "neighbours": spread(listed[warmup:])}


def spread(times: list[float]) -> dict:
    """Median, p90 and count of a list of ms (NaN below two)."""
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


class PeakBrowserMemory:
    """The largest RSS of all Chromium processes, sampled every 0.5 s on a thread until stopped."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.5):
            self.peak = max(self.peak, browser_rss_mb())

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak


def measure(lab: JupyterLab, pw, name: str, cells: list[str], hover_count: int, webgpu: str) -> dict:
    lab.write_notebook(name, cells)
    args, init_script = WEBGPU[webgpu]
    browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, *args])
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    if init_script:
        page.add_init_script(init_script)
    page.set_default_timeout(300_000)
    left = block_network(page)
    said: list[str] = []  # what the page's renderers said on the console (WebGPU, WebGL)
    page.on("console", lambda m: said.append(m.text) if any(w in m.text.lower() for w in WORDS) else None)
    peak = PeakBrowserMemory()
    lab.open_notebook(page, name, timeout=120)
    lab.run_cell(page, 0, timeout=900)
    lab.run_cell(page, 1, timeout=900)
    kernel = json.loads(lab.kernel_execute(page, RESULT, timeout=60))
    shots = [
        f"{tempfile.gettempdir()}/explorer_vs_atlas_{name}_{when}.png" for when in ("first", "map", "end")
    ]
    shown = first_frame(lab, page, 2, shots[0])
    t0 = time.perf_counter()  # Embedding Atlas computes its labels after the first frame: wait for them
    try:
        page.wait_for_function(LABELLED, timeout=300_000)
        shown["labels_ms"] = (time.perf_counter() - t0) * 1e3
    except Exception:  # still labelling after 300 s: measure beside it
        shown["labels_ms"] = float("nan")
        print(f"{name}: still generating labels 300 s after the first frame")
    page.wait_for_timeout(3000)  # settle
    shown["own_all"] = page.evaluate("() => window.__renderedAll[0] ?? null")  # ours: every point drawn
    box = page.evaluate(LARGEST_CANVAS)
    if box is not None:  # the map as it stands before the gestures, and its share of drawn pixels
        page.screenshot(clip=box, path=shots[1])
        shown["map_css_px"] = f"{box['width']:.0f} x {box['height']:.0f}"
        shown["settled_share"] = drawn_share(page, box)
    result = {
        **kernel,
        **shown,
        "fps": drag_fps(page),
        "hover": hovers(page, hover_count),
        **page_memory(page),
        "browser_peak_mb": peak.stop(),
        **json.loads(lab.kernel_execute(page, KERNEL_RSS, timeout=60)),
        "gpu": gl_renderer(page),
        "left": left,
        "said": list(dict.fromkeys(said))[:6],
        "screenshots": shots,
    }
    page.screenshot(path=shots[2])
    browser.close()
    lab.shutdown_kernels()
    return result


ROWS = [
    ("widget built in the kernel (s)", "ready_s", "{:.1f}"),
    ("memory it adds to the kernel (MB)", "added_mb", "{:.0f}"),
    ("kernel RSS after the hovers (MB)", "kernel_rss_mb", "{:.0f}"),
    ("first frame from running the cell (ms, pixels)", "pixels_ms", "{:.0f}"),
    ("pixels off the background, middle of the map, settled", "settled_share", "{:.3f}"),
    ("labels done after the first frame (ms)", "labels_ms", "{:.0f}"),
    ("the map's canvas on screen (CSS px)", "map_css_px", "{}"),
    ("frames/s while dragging (rAF)", "fps", "{:.1f}"),
    ("page JS heap (MB)", "heap_mb", "{:.0f}"),
    ("all Chromium processes (MB RSS)", "browser_rss_mb", "{:.0f}"),
    ("all Chromium processes, peak (MB RSS, sampled every 0.5 s)", "browser_peak_mb", "{:.0f}"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--hovers", type=int, default=20)
    parser.add_argument(
        "--only",
        choices=("ours", "atlas"),
        help="measure one widget (alternate runs, each in a fresh process)",
    )
    parser.add_argument(
        "--webgpu",
        choices=tuple(WEBGPU),
        default="null-adapter",
        help="how both browsers get WebGPU: null-adapter (requestAdapter resolves to null: Embedding Atlas "
        "0.22 draws with WebGL 2), disabled (--disable-features=WebGPU), swiftshader (SwiftShader's "
        "adapter, which lacks shader-f16), default (none here)",
    )
    parser.add_argument(
        "--atlas-path",
        action="append",
        default=[],
        help="a folder put first on the Embedding Atlas kernel's sys.path (another release, e.g. "
        "0.22.0, installed there with pip install --no-deps --target)",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    setup = SETUP.format(n=args.words, dim=args.dim)
    atlas_cell = ATLAS.format(atlas_path=[str(Path(p).resolve()) for p in args.atlas_path])
    cells = {"ours": [setup, OURS, "widget"], "atlas": [setup, atlas_cell, "widget"]}
    names = [args.only] if args.only else ["ours", "atlas"]
    results = {}
    with tempfile.TemporaryDirectory() as tmp, JupyterLab(Path(tmp)) as lab, sync_playwright() as pw:
        for name in names:
            print(f"{name}: before {load()}", flush=True)
            cpu0 = time.process_time()
            results[name] = measure(lab, pw, name, cells[name], args.hovers, args.webgpu)
            print(f"{name}: after {load()}; this script's CPU {time.process_time() - cpu0:.1f} s", flush=True)
    first = results[names[0]]
    print(
        f"Chromium's WebGL: {first['gpu']}; WebGPU: {args.webgpu}; "
        f"the browsers left {browser_rss_mb():.0f} MB"
    )
    print(f"{args.words:,} points (words x {args.dim} dimensions, PCA layout), JupyterLab, headless Chromium")
    label = {"ours": "ours (w2v-widgets {})", "atlas": "Embedding Atlas {}"}
    print("| | " + " | ".join(label[n].format(results[n]["version"]) for n in names) + " |")
    print("|---" * (len(names) + 1) + "|")
    for text, key, fmt in ROWS:
        print(
            f"| {text} | " + " | ".join(fmt.format(results[n].get(key, float("nan"))) for n in names) + " |"
        )
    for name, r in results.items():
        h = r["hover"]
        print(f"hover -> word shown ({name}): median {h['median']:.0f} ms, p90 {h['p90']:.0f} ms, n={h['n']}")
        if h["neighbours"]["n"]:
            nb = h["neighbours"]
            print(
                f"hover -> neighbours listed ({name}): median {nb['median']:.0f} ms, p90 {nb['p90']:.0f} ms, "
                f"n={nb['n']}"
            )
        print(f"requests that tried to leave the machine ({name}): {r['left'] or 'none'}")
        print(f"its renderer on the console ({name}): {r['said'] or 'nothing'}")
        print(f"screenshots ({name}): {', '.join(r['screenshots'])}")
    if "ours" in results:
        own, own_all = results["ours"]["own"], results["ours"]["own_all"]
        print(
            f"ours' own first-frame event: {own['ms']:.0f} ms from the view's creation "
            f"({own['points']:,} points of {own.get('total', own['points']):,}); every point drawn: "
            + (f"{own_all['ms']:.0f} ms" if own_all else "the first frame (or not within the run)")
        )
    print("json: " + json.dumps({n: {k: v for k, v in r.items() if k != "said"} for n, r in results.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

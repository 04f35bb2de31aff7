"""Every widget alive in a published notebook, with no kernel and no network.

One notebook (executed once per module, as ``jupyter nbconvert --execute`` does) trains a tiny
model and shows a ``LossChart``, a ``TrainingDashboard``, an ``UpdateStepper``, an
``EmbeddingExplorer`` and a ``CompareExplorer``. Each publisher that can be built offline here
builds it: nbconvert's HTML, nbconvert's reveal.js slides (reveal.js and require.js served from
their npm packages, js/node_modules) and Sphinx + myst-nb (Jupyter Book 1's engine). Each page
is opened in Chromium with every request that leaves the machine aborted: the charts and the
stepper show their snapshots; the explorer's and the compare view's page copies
(widgets/explorer/page_copy.py) draw their maps and answer in the page: search focuses a word,
``king - man + woman`` gives ``queen``, hover lists neighbours (where the page is not scaled),
the slider morphs run a into run b and a moved word lists its neighbours in both runs. Hostile
words stay text. Screenshots: test-artifacts/publish-*.png.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.support.hostile import EVIL
from tests.support.lab import screenshot
from tests.support.offline import assert_no_request_left, block_network, open_nbconvert_html, open_offline

pytestmark = [pytest.mark.browser, pytest.mark.slow]

EXPLORER = ".w2v-explorer:not(.w2v-compare)"  # the compare view's root is also a .w2v-explorer
PUBLISHER_ASSETS = re.compile(r"fonts\.googleapis\.com|/jquery/|/mermaid/")
REPO = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO / "js" / "node_modules"
CELLS = [
    """\
import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from tests.support.vectors import demo_vectors
from tests.browser.test_compare_lab import RUNS
corpus = make_corpus(800)
model = w2v.Word2Vec(vector_size=16, window=2, min_count=1, sample=0, epochs=3, alpha=0.05,
                     batch_size=1024, log_every=1).fit(corpus)""",
    "w2v.LossChart(model)",
    "w2v.TrainingDashboard(model, words=['cat', 'one'])",
    "stepper = w2v.UpdateStepper(model, centre='cat', context=EVIL, k=3, lr=0.5)\nstepper",
    "w2v.EmbeddingExplorer(demo_vectors(3000), n_words=1500, projection='pca', height=440)",
    "exec(RUNS)  # runs a and b (test_compare_lab)\n"
    "w2v.CompareExplorer(a, b, n_words=1200, names=('seed 0', 'seed 1 <b>'), height=440)",
]
# the snapshots drawn (visible: on every slide but the present one, reveal.js hides them)
SNAPSHOTS_SHOWN = """(slides) => Array.from(document.querySelectorAll('.w2v-snapshot'))
    .filter(s => slides || s.getBoundingClientRect().height > 0)
    .filter(s => Array.from(s.querySelectorAll('img')).every(i => i.complete && i.naturalWidth > 0)).length"""


@pytest.fixture(scope="module")
def executed():
    from tests.support.notebooks import run_notebook

    return run_notebook(CELLS, timeout=180)


def frame_with(page: Any, selector: str, timeout: float = 30) -> Any:
    """The page copy's frame that has drawn ``selector``'s first frame (scrolled into view:
    Chromium draws no frame in an off-screen cross-origin iframe)."""
    deadline = page.evaluate("Date.now()") + timeout * 1000
    while page.evaluate("Date.now()") < deadline:
        for frame in page.frames[1:]:
            try:
                if frame.evaluate(f"() => !!document.querySelector('{selector}')"):
                    frame.frame_element().scroll_into_view_if_needed()
                    if frame.evaluate(f"() => !!document.querySelector('{selector}').dataset.firstRenderMs"):
                        return frame
            except Exception:  # a frame still loading
                pass
        page.wait_for_timeout(200)
    raise AssertionError(f"no page copy drew {selector}")


def want_neighbours(word: str, k: int = 10) -> list[str]:
    """``word``'s nearest among the page copy's words (the 1,500 most frequent), in float32."""
    from tests.support.vectors import demo_vectors

    wv = demo_vectors(3000)
    words = wv.index_to_key[:1500]
    unit = wv.get_normed_vectors()[:1500]
    scores = unit @ unit[words.index(word)]
    order = [i for i in np.argsort(-scores, kind="stable") if words[i] != word]
    return [words[i] for i in order[:k]]


def check_explorer(page: Any, frame: Any, hover: bool) -> None:
    root = frame.locator(".w2v-explorer")
    handle = "document.querySelector('.w2v-explorer').__w2v"
    if hover:
        for word in ("paris", EVIL):
            frame.wait_for_function(f"() => !{handle}.busy()")
            pt = frame.evaluate(f"(w) => {handle}.clientPoint(w)", word)
            box = frame.frame_element().bounding_box()
            page.mouse.move(box["x"] + pt["x"] + 30, box["y"] + pt["y"] + 30)
            page.mouse.move(box["x"] + pt["x"], box["y"] + pt["y"], steps=3)
            root.locator(".w2v-neighbours-title", has_text=f"Nearest to {word}").wait_for()
        frame.wait_for_function(f"() => !{handle}.busy()")
    root.locator(".w2v-input").fill("king - man + woman")
    root.locator(".w2v-input").press("Enter")
    first = root.locator('.w2v-analogy-list[data-method="3CosAdd"] .w2v-item').first
    first.wait_for()
    assert first.get_attribute("title") == "queen"
    root.locator(".w2v-input").fill("paris")
    root.locator(".w2v-input").press("Enter")
    frame.wait_for_function(f"() => {handle}.focused() === 'paris'")
    root.locator(".w2v-neighbours-title", has_text="Nearest to paris").wait_for()
    got = root.locator(".w2v-neighbours .w2v-item").evaluate_all("b => b.map(x => x.title)")
    want = want_neighbours("paris")
    assert got[:4] == want[:4] and len(set(got) & set(want)) >= 8, (got, want)  # int8 vectors


def check_compare(frame: Any, scaled: bool) -> None:
    root = frame.locator(".w2v-compare")
    handle = "document.querySelector('.w2v-compare').__w2v"
    root.locator(".w2v-morph").focus()
    frame.page.keyboard.press("End")
    frame.wait_for_function(f"() => {handle}.t() === 1")
    moved = root.locator(".w2v-moved .w2v-item").evaluate_all("b => b.map(x => x.title)")
    assert set(moved[:3]) == {"w700", "w800", EVIL}
    item = root.locator(".w2v-moved .w2v-item").nth(moved.index(EVIL))
    if scaled:  # a reveal.js slide is scaled: Playwright's click point misses inside its iframe
        item.evaluate("b => b.click()")
    else:
        item.click()
    frame.wait_for_function(f"(w) => {handle}.focused() === w", arg=EVIL)
    root.locator(".w2v-neighbours-title", has_text=f"Nearest to {EVIL}").wait_for()
    for side in "ab":
        assert root.locator(f".w2v-nb-{side} .w2v-item").count() == 10


def check_page(page: Any, left: list[str], dialogs: list[str], name: str, hover: bool = True) -> None:
    page.wait_for_function(f"() => ({SNAPSHOTS_SHOWN})({str(not hover).lower()}) >= 3", timeout=30_000)
    explorer = frame_with(page, EXPLORER)
    screenshot(page.locator(".w2v-page-copy").nth(0), f"publish-{name}-explorer")
    check_explorer(page, explorer, hover)
    screenshot(page.locator(".w2v-page-copy").nth(0), f"publish-{name}-explorer-answered")
    if not hover:  # slides: the compare view is on the next slide (keys to reveal.js, not the copy)
        page.evaluate("() => document.activeElement.blur()")
        page.keyboard.press("ArrowRight")
        page.wait_for_timeout(800)
    compare = frame_with(page, ".w2v-compare")
    check_compare(compare, scaled=not hover)
    screenshot(page.locator(".w2v-page-copy").nth(1), f"publish-{name}-compare")
    assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    for frame in (explorer, compare):
        assert frame.evaluate("() => document.querySelectorAll('img[src=x], b').length") == 0
    # the static images stay hidden while the iframes are there
    assert page.evaluate("() => Array.from(document.querySelectorAll('.w2v-page-copy > img'))"
                         ".filter(i => i.getBoundingClientRect().height > 0).length") == 0  # fmt: skip
    assert dialogs == []
    # reveal.js's theme fonts and nbconvert's jquery and mermaid: the publishers' own assets
    assert_no_request_left([u for u in left if not PUBLISHER_ASSETS.search(u)])


def watch_dialogs(page: Any) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    return dialogs


def without_widget_state(nb: Any) -> Any:
    """``nb`` as saved with "Save Widget State Automatically" off: no ``metadata.widgets`` (the
    models' state); the widget-view outputs keep only their model ids, which point at nothing."""
    import copy

    nb = copy.deepcopy(nb)
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata.pop("widgets")
    views = [
        o["data"]["application/vnd.jupyter.widget-view+json"]
        for cell in nb.cells
        for o in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(views) >= 5 and all(set(v) <= {"model_id", "version_major", "version_minor"} for v in views)
    return nb


@pytest.mark.parametrize("widget_state", ["saved", "not-saved"])
def test_nbconvert_html(page, tmp_path, executed, widget_state):
    """nbconvert's HTML of the executed notebook, with its widget state and (bad input) without."""
    nb = executed if widget_state == "saved" else without_widget_state(executed)
    dialogs = watch_dialogs(page)
    left = open_nbconvert_html(page, nb, tmp_path / "course.html")
    if widget_state == "not-saved":  # no state, so nbconvert loads no widget manager
        html = (tmp_path / "course.html").read_text(encoding="utf8")
        assert "widget-state+json" not in html and "embed-amd" not in html
    name = "nbconvert" if widget_state == "saved" else "nbconvert-no-state"
    check_page(page, left, dialogs, name)
    screenshot(page, f"publish-{name}")


def test_nbconvert_slides(page, tmp_path, executed):
    """reveal.js slides (one slide a cell), reveal.js and require.js copied next to the page."""
    import copy

    from nbconvert import SlidesExporter

    reveal, requirejs = NODE_MODULES / "reveal.js", NODE_MODULES / "requirejs" / "require.js"
    assert reveal.is_dir() and requirejs.is_file(), "run `npm ci` in js/ (reveal.js, requirejs)"
    shutil.copytree(reveal / "dist", tmp_path / "reveal.js" / "dist")
    shutil.copytree(reveal / "plugin", tmp_path / "reveal.js" / "plugin")
    shutil.copy(requirejs, tmp_path / "require.js")
    nb = copy.deepcopy(executed)
    for cell in nb.cells:
        cell.metadata["slideshow"] = {"slide_type": "slide"}
    exporter = SlidesExporter(reveal_url_prefix="reveal.js", require_js_url="require.js")
    body, _ = exporter.from_notebook_node(nb)
    path = tmp_path / "course.slides.html"
    path.write_text(body, encoding="utf8")
    dialogs = watch_dialogs(page)
    left = block_network(page)
    page.goto(path.as_uri())
    page.wait_for_function("() => document.querySelector('.reveal.ready, .reveal .slides section.present')")
    for _ in range(4):  # to the explorer's slide
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(800)  # reveal's transition
    check_page(page, left, dialogs, "slides", hover=False)  # the slide is scaled: no mouse geometry
    screenshot(page, "publish-slides")


def test_sphinx_myst_nb(page, tmp_path, executed):
    """Sphinx + myst-nb (Jupyter Book 1's engine) on the executed notebook, not re-executed."""
    import nbformat

    pytest.importorskip("myst_nb")
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(executed, str(src / "course.ipynb"))
    (src / "conf.py").write_text('extensions = ["myst_nb"]\nnb_execution_mode = "off"\n', encoding="utf8")
    (src / "index.md").write_text("# Course\n\n```{toctree}\ncourse\n```\n", encoding="utf8")
    out = tmp_path / "html"
    subprocess.run([sys.executable, "-m", "sphinx", "-q", "-b", "html", str(src), str(out)], check=True)
    dialogs = watch_dialogs(page)
    left = block_network(page)
    page.goto((out / "course.html").as_uri())
    check_page(page, left, dialogs, "myst-nb")
    screenshot(page, "publish-myst-nb")


@pytest.mark.parametrize("widget", ["explorer", "compare"])
def test_save_html_page_answers_in_a_sandboxed_iframe(page, tmp_path, widget):
    """An LMS embeds the page in ``<iframe sandbox="allow-scripts">`` (no same-origin, so no
    storage), served over HTTP: it still draws and answers (the explorer: hover, analogy,
    search; the compare view: the slider, a moved word's neighbours in both runs)."""
    import functools
    import http.server
    import threading

    from tests.browser.test_compare_lab import RUNS
    from tests.support.vectors import demo_vectors
    from w2v_widgets.widgets.compare import CompareExplorer
    from w2v_widgets.widgets.explorer import EmbeddingExplorer

    if widget == "explorer":
        shown = EmbeddingExplorer(demo_vectors(3000), n_words=1500, projection="pca", page_words=0)
    else:
        runs: dict[str, Any] = {}
        exec(RUNS, runs)  # runs a and b, as in the notebook
        names = ("seed 0", "seed 1 <b>")
        shown = CompareExplorer(runs["a"], runs["b"], n_words=1200, names=names, page_words=0)
    shown.save_html(tmp_path / "widget.html")
    (tmp_path / "lesson.html").write_text(
        '<h1>Lesson</h1><iframe sandbox="allow-scripts" src="widget.html" '
        'style="width:1200px;height:700px">'
        "</iframe>",
        encoding="utf8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        dialogs = watch_dialogs(page)
        left = block_network(page)
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/lesson.html")
        frame = frame_with(page, EXPLORER if widget == "explorer" else ".w2v-compare")
        assert frame.evaluate("() => window.origin") == "null"  # sandboxed: an opaque origin
        if widget == "explorer":
            check_explorer(page, frame, hover=True)
        else:
            check_compare(frame, scaled=False)
            assert frame.evaluate("() => document.querySelectorAll('img[src=x], b').length") == 0
        screenshot(page, "publish-sandboxed-iframe" + ("" if widget == "explorer" else "-compare"))
        assert dialogs == [] and left == []
    finally:
        server.shutdown()
        server.server_close()


LIVE_CELLS = [
    "import w2v_widgets as w2v\nfrom tests.browser.test_compare_lab import RUNS\nexec(RUNS)",
    "w2v.EmbeddingExplorer(a, n_words=1500, projection='pca', height=440)",
    "w2v.CompareExplorer(a, b, n_words=1200, height=440)",
]
# an explorer following a run in the background (updates about once a second), stopped 12 s after the
# explorer is made (making it can take longer than that on a loaded machine):
# its end refreshes the copy (update_display), which must stay hidden too
FOLLOW_CELLS = [
    "import threading\nimport w2v_widgets as w2v\nfrom tests.support.corpora import make_corpus\n"
    "from tests.support.models import small_model\nmodel = small_model(epochs=400, alpha=0.02)",
    "model.fit(make_corpus(3000), background=True)\n"
    "ex = w2v.EmbeddingExplorer(model, follow=True, n_words=45, height=440)\n"
    "threading.Timer(12, model.stop).start()\nex",
]
# from the first output on: when a page copy (or its output row, beyond its padding) takes room, until
# `widgets` widgets have drawn (and, with `follow`, the followed run has ended) and 2 s more have passed;
# also how many copy elements were seen (a refresh replaces the copy's markup) and followed updates
NEVER_SHOWN = """async ([widgets, follow]) => {
    const t0 = performance.now(); let shown = [], drawnAt = null, copies = 0, updates = 0;
    const seen = new Set();
    const room = e => !!e && e.getBoundingClientRect().height > 0;
    while (performance.now() - t0 < 170000) {
        const all = Array.from(document.querySelectorAll('.w2v-page-copy'));
        copies = all.length;
        for (const c of all) {
            seen.add(c);
            if (room(c)) shown.push('copy ' + Math.round(performance.now() - t0));
            const row = c.closest('.jp-OutputArea-child');
            // an empty row's padding (7 px in Voila for ~0.1 s before the widgets draw) is not a copy shown
            const t = Math.round(performance.now() - t0);
            if (row && row.getBoundingClientRect().height > 8) shown.push('row ' + t);
        }
        const drawn = document.querySelectorAll(
            '.w2v-explorer[data-first-render-ms], .w2v-compare[data-first-render-ms]').length;
        const run = document.querySelector('.w2v-follow');
        updates = Math.max(updates, +(run?.dataset.update ?? 0));
        const ended = !follow || run?.dataset.active === 'false';
        if (drawn === widgets && copies === widgets && ended && drawnAt === null) drawnAt = performance.now();
        const done = drawnAt !== null && performance.now() - drawnAt > 2000;
        if (done) return [shown, copies, seen.size, updates];
        await new Promise(r => setTimeout(r, 50));
    }
    return ['timed out', shown, copies, seen.size, updates];
}"""


@pytest.mark.parametrize("ui", ["lab", "notebook", "voila", "lab-follow"])
def test_page_copies_never_show_where_the_widgets_draw(lab, page, ui):
    """Sampled every 50 ms: no copy takes room while the widgets start and draw; in ``lab-follow``
    also while the explorer follows a training run and when its end refreshes the copy."""
    follow = ui == "lab-follow"
    cells = FOLLOW_CELLS if follow else LIVE_CELLS
    left = open_offline(lab, page, f"page_copy_{ui}", cells, ui="lab" if follow else ui)
    if ui == "voila":
        page.wait_for_function("() => document.body")
    found = page.evaluate(NEVER_SHOWN, [1 if follow else 2, follow])
    print(ui, "shown, copies, copy elements seen, followed updates:", found)
    assert found[:2] == [[], 1 if follow else 2]
    if follow:  # it followed the run (updates drawn), and the run's end replaced the copy
        assert found[3] >= 2 and found[2] >= 2, found
    screenshot(page, f"publish-live-{ui}")
    assert_no_request_left(left)


def test_reopened_untrusted_notebook_shows_each_map_once(lab, page, executed):
    """The executed notebook opened in JupyterLab with no cell run (untrusted: the sanitizer
    strips the copy's iframe and style): each map shows once, as the widget restored from the
    saved state or as the copy's static image."""
    import nbformat

    left = block_network(page)
    nbformat.write(executed, str(lab.root_dir / "publish_reopened.ipynb"))
    lab.open_notebook(page, "publish_reopened")
    page.wait_for_timeout(4000)  # widgets restored from the saved state draw by then
    counts = page.evaluate(
        """() => { const room = e => e.getBoundingClientRect().height > 0;
        const maps = '.w2v-explorer[data-first-render-ms], .w2v-compare[data-first-render-ms]';
        const images = Array.from(document.querySelectorAll('.w2v-page-copy > img'));
        const shown = images.filter(i => room(i) && i.naturalWidth > 0).length;
        return [document.querySelectorAll(maps).length, shown,
                document.querySelectorAll('.w2v-page-copy iframe').length]; }"""
    )
    print("reopened: widgets drawn, copy images shown, iframes kept =", counts)
    screenshot(page, "publish-lab-reopened")
    assert counts[0] + counts[1] == 2 and counts[2] == 0, counts
    assert_no_request_left(left)


@pytest.mark.parametrize("renderer", ["myst-innerhtml", "quarto-raw-html"])
def test_copy_keeps_working_as_jupyter_book_2_and_quarto_insert_it(page, tmp_path, executed, renderer):
    """Neither can be built here (see the README). Jupyter Book 2's theme renders an output with
    JupyterLab's rendermime as trusted HTML: ``innerHTML`` set by a script (thebe's passive
    renderer); Quarto writes a ``text/html`` output as a raw HTML block inside
    ``div.cell-output-display``. The notebook's outputs that stand in for the widgets (the loss
    chart's, dashboard's and stepper's snapshots, the explorer's and compare view's page copies),
    each inserted that way, show; the copies draw and answer."""
    from w2v_widgets.widgets.explorer.standalone import script_json

    outputs = [
        o["data"]["text/html"]
        for cell in executed.cells
        for o in cell.get("outputs", [])
        if re.search(r"w2v-snapshot|w2v-page-copy", o.get("data", {}).get("text/html", ""))
    ]
    copies = [m for m in outputs if "w2v-page-copy" in m]
    assert len(copies) == 2 and len(outputs) == 5, [m[:80] for m in outputs]
    if renderer == "myst-innerhtml":
        body = (
            '<div class="output"></div>'
            * len(outputs)
            + f'<script type="application/json" id="o">{script_json(outputs)}</script><script>'
            "const markups = JSON.parse(document.getElementById('o').textContent);"
            "document.querySelectorAll('.output').forEach((div, i) => { div.innerHTML = markups[i]; });"
            "</script>"
        )
    else:
        body = "".join(f'<div class="cell-output cell-output-display">\n{m}\n</div>' for m in outputs)
    path = tmp_path / "page.html"
    path.write_text(f"<!DOCTYPE html><html><body><h1>Course</h1>{body}</body></html>", encoding="utf8")
    dialogs = watch_dialogs(page)
    left = block_network(page)
    page.goto(path.as_uri())
    # the three snapshots shown, each with its images drawn
    page.wait_for_function(f"() => ({SNAPSHOTS_SHOWN})(false) === 3", timeout=30_000)
    assert page.evaluate("() => Array.from(document.querySelectorAll('.w2v-snapshot'))"
                         ".filter(s => s.querySelector('img')).length") == 3  # fmt: skip
    check_explorer(page, frame_with(page, EXPLORER), hover=True)
    screenshot(page, f"publish-{renderer}")
    compare = frame_with(page, ".w2v-compare")
    check_compare(compare, scaled=False)
    screenshot(page.locator(".w2v-page-copy").nth(1), f"publish-{renderer}-compare")
    for frame in page.frames[1:]:
        assert frame.evaluate("() => document.querySelectorAll('img[src=x], b').length") == 0
    assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    assert dialogs == [] and left == []


# VS Code's notebook webview, reproduced (VS Code and its Jupyter extension cannot be installed here;
# read in microsoft/vscode and microsoft/vscode-jupyter, see the README): one document holds every
# cell's outputs, a cell's as `div.cell_container > div.output_container > div.output` (webviewPreloads.ts:
# OutputCell, OutputContainer, OutputElement, padded; an output's element stays empty until its renderer
# has drawn into it; the editor places the containers, here they flow); extensions/ipynb orders a
# bundle's items 'application/vnd.*' first, then 'text/html', ..., 'text/plain' (deserializers.ts,
# orderOfMimeTypes): the widget output goes to the ipywidgets renderer, the copy's and the snapshot's
# to the built-in renderer, whose renderHTML sets a new div's innerHTML and appends it
# (extensions/notebook-renderers/src/index.ts, trusted workspace only); vscode-jupyter's ipywidgets
# renderer waits for its init (the first widget of a session: the widget scripts, polled every 500 ms),
# then, the kernel holding the widget's state, adds `cell-output-ipywidget-background` to the output and
# loads the widget's module (from a CDN: seconds) and renders the view into it; with no kernel it falls
# back to the next renderer (text/plain) in the same element (webview-side/ipywidgets/renderer/index.ts);
# anywidget puts the widget's CSS in the head. Each cell here: `mark_ms` after the start the widget
# output is marked (with a kernel) or gets its text (without); `widget_ms` after it, the view draws:
# the explorer or compare view drawn by the real bundle (its standalone mount, not the anywidget
# view), a snapshot widget as the view the kernel's widget state holds: its hider's <style> (from the
# saved state) and what its "drawn" selector looks for (the chart's SVG, the stepper's plane).
VSCODE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><style>
#container div.output.remove-padding { padding-left: 0; padding-right: 0; }
#container div.output>div { padding-left: 8px; padding-right: 8px; box-sizing: border-box;
  border-width: 1px; border-style: solid; border-color: transparent; }
div.output { width: 900px; padding: 4px 4px 4px 8px; }
</style></head><body class="vscode-light"><div id="container"></div>
<script type="application/json" id="d">__DATA__</script>
<script type="module">
const data = JSON.parse(document.getElementById('d').textContent);
const container = document.getElementById('container');
const output = (cell, id) => {
  const box = document.createElement('div'), out = document.createElement('div');
  box.className = 'output_container';
  out.className = 'output';
  out.id = id;
  box.appendChild(out);
  cell.appendChild(box);
  return out;
};
let bundle = null;
data.cells.forEach((c, i) => {
  const cell = document.createElement('div');
  cell.className = 'cell_container';
  container.appendChild(cell);
  const widget = output(cell, 'widget-' + i), copy = output(cell, 'copy-' + i);
  copy.classList.add('remove-padding');  // renderHTML
  const element = document.createElement('div');
  element.innerHTML = c.copy;
  copy.appendChild(element);
  setTimeout(() => {
    if (!data.kernel) {  // no kernel: the renderer falls back to text/plain
      const text = document.createElement('pre');
      text.textContent = c.repr;
      widget.appendChild(text);
      return;
    }
    widget.className += ' cell-output-ipywidget-background';
    setTimeout(async () => {
      const view = document.createElement('div');
      view.className = 'lm-Widget ' + c.owner;
      if (c.entry) {
        if (bundle === null) {
          const style = document.createElement('style');
          style.textContent = data.css;
          document.head.appendChild(style);
          bundle = import(URL.createObjectURL(new Blob([data.bundle], { type: 'text/javascript' })));
        }
        widget.appendChild(view);
        (await bundle)[c.entry](view, c.payload);
      } else {
        view.innerHTML = c.view;
        widget.appendChild(view);
        view.dataset.drawn = 'true';
      }
    }, data.widget_ms);
  }, data.mark_ms);
});
if (data.kernel) window.w2vRoom = (__SAMPLER__)(data.cells.length);  // from this first frame on
</script></body></html>"""
# sampled at every frame from the page's start (its script's) until every widget has drawn and 2 s more:
# for each copy or snapshot, and each output element holding one, that took room, the first and last
# time (ms) it was seen taking room; then when all had drawn, when sampling ended and how many frames
NOTHING_TAKES_ROOM = """(n) => new Promise(done => {
    let shown = {}, drawnAt = null, frames = 0;
    const room = (e, key, t) => {
        if (e.getBoundingClientRect().height > 0) shown[key] = [shown[key]?.[0] ?? t, t]; };
    const sample = () => {
        const t = Math.round(performance.now()); frames++;
        for (const c of document.querySelectorAll('.w2v-page-copy, .w2v-snapshot'))
            room(c, c.className.split(' ')[0] + ' in ' + c.closest('.output').id, t);
        for (const out of document.querySelectorAll('.output[id^=copy]')) room(out, 'output ' + out.id, t);
        const drawn = document.querySelectorAll('[data-first-render-ms], [data-drawn]').length;
        if (drawnAt === null && drawn >= n) drawnAt = t;
        if ((drawnAt !== null && t - drawnAt > 2000) || t > 60000) done([shown, drawnAt, t, frames]);
        else requestAnimationFrame(sample);
    };
    sample();
})"""
# the snapshot widgets' cells (source start) and what each draws once its module has loaded
VSCODE_SNAPSHOT_CELLS = {
    "w2v.LossChart": "chart",
    "w2v.TrainingDashboard": "chart",
    "stepper = w2v.UpdateStepper": "w2v-us-plane",
}


def vscode_cells(executed: Any) -> list[dict[str, Any]]:
    """Each widget's cell as the VS Code page draws it: the copy or snapshot output's markup (as the
    notebook holds it), the class of the widget it belongs to, and what its view draws."""
    import base64

    from tests.widgets.test_page_copy import payload_of

    models = executed.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    cells = []
    for cell in executed.cells[1:]:
        markup = next(o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {}))
        key = re.search(r'class="w2v-(?:snapshot|page-copy) w2v-snapshot-(\w+)"', markup).group(1)
        owner = f"w2v-snapshot-owner-{key}"
        name = re.search(r"w2v[.](\w+)[(]", cell.source).group(1)
        entry = {"copy": markup, "owner": owner, "repr": f"<{name}>"}
        if "w2v-page-copy" in markup:
            mount = "mountCompareStandalone" if "CompareExplorer" in cell.source else "mountStandalone"
            entry |= {"payload": payload_of(markup), "entry": mount}
        else:
            drawn = next(v for k, v in VSCODE_SNAPSHOT_CELLS.items() if cell.source.startswith(k))
            hider = next(
                m["state"]["value"]
                for m in models.values()
                if "w2v-snapshot-hider" in m["state"].get("_dom_classes", ())
                and f"w2v-snapshot-{key}" in m["state"]["value"]
            )
            if drawn == "chart":  # vega's SVG, as the snapshot's image shows it
                uri = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', markup).group(1)
                picture = base64.b64decode(uri).decode("utf8")
                assert re.match(r'<svg[^>]*class="marks"', picture), picture[:200]
            else:
                picture = next(
                    f'<div class="{drawn}">{m["state"]["value"]}</div>'
                    for m in models.values()
                    if drawn in m["state"].get("_dom_classes", ())
                )
            entry["view"] = f'<div style="display:none">{hider}</div>{picture}'
        cells.append(entry)
    assert [bool(c.get("entry")) for c in cells] == [False] * 3 + [True] * 2, [c["repr"] for c in cells]
    return cells


@pytest.mark.parametrize("kernel", ["widget-renders", "no-kernel"])
def test_copies_and_snapshots_in_vs_code_notebook_webview(page, tmp_path, executed, kernel):
    """VS Code's mechanism (above) for the notebook's five widgets (loss chart, dashboard, stepper:
    snapshots; explorer, compare: page copies), each widget output marked 1.5 s after the start
    (later than the copies' reveal delay) and drawn 2.5 s after that: no copy, no snapshot and no
    output element holding one takes room (sampled every 50 ms until 2 s after the last widget
    drew). Opened with no kernel, the widget outputs fall back to text: the snapshots show with
    their images loaded, the copies show and answer."""
    from w2v_widgets.widgets.explorer.page_copy import STATIC
    from w2v_widgets.widgets.explorer.standalone import script_json

    data = {
        "cells": vscode_cells(executed),
        "kernel": kernel == "widget-renders",
        "css": (STATIC / "explorer.css").read_text(encoding="utf-8"),
        "bundle": (STATIC / "explorer.js").read_text(encoding="utf-8"),
        "mark_ms": 1500,
        "widget_ms": 2500,
    }
    path = tmp_path / "vscode.html"
    page_html = VSCODE_PAGE.replace("__SAMPLER__", NOTHING_TAKES_ROOM).replace("__DATA__", script_json(data))
    path.write_text(page_html, encoding="utf8")
    dialogs = watch_dialogs(page)
    left = block_network(page)
    page.goto(path.as_uri())
    if kernel == "widget-renders":
        found = page.evaluate("() => window.w2vRoom")
        print("VS Code, widgets drawn: took room (first, last ms), all drawn at, until, frames:", found)
        assert found[0] == {} and found[1] >= 4000 and found[3] > 100, found
        screenshot(page, "publish-vscode-widgets")
    else:
        page.wait_for_function(f"() => ({SNAPSHOTS_SHOWN})(false) === 3", timeout=30_000)
        # each snapshot's output element takes room; the dashboard's text (status, neighbours) shows
        rooms = page.evaluate("() => Array.from(document.querySelectorAll('.w2v-snapshot'))"
                              ".map(s => s.closest('.output').getBoundingClientRect().height)")  # fmt: skip
        assert len(rooms) == 3 and min(rooms) > 100, rooms
        assert "finished" in page.locator(".w2v-snapshot pre.w2v-snapshot-text").inner_text()
        screenshot(page, "publish-vscode-no-kernel-snapshots")
        check_explorer(page, frame_with(page, EXPLORER), hover=True)
        screenshot(page.locator(".w2v-page-copy").nth(0), "publish-vscode-no-kernel")
        check_compare(frame_with(page, ".w2v-compare"), scaled=False)
        screenshot(page.locator(".w2v-page-copy").nth(1), "publish-vscode-compare-no-kernel")
        for frame in page.frames[1:]:
            assert frame.evaluate("() => document.querySelectorAll('img[src=x], b').length") == 0
        assert page.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    assert dialogs == [] and left == []

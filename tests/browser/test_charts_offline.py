"""The package's charts draw with no network in JupyterLab, Notebook 7, Voila and nbconvert.

One notebook trains a tiny model, shows ``model.history.plot()`` (an SVG made in the kernel),
a ``LossChart`` widget (altair's JupyterChart with vega bundled) and a ``TrainingDashboard``
(which holds another). Every request that is not to 127.0.0.1 is aborted and recorded: none
may be made, and every chart must be drawn, once: each chart widget leaves a static snapshot
after it, which the widget hides wherever it draws.
nbconvert's HTML of the executed notebook (widget state stored, stock ``HTMLExporter``) loads
its widget manager from a CDN, so offline the widgets are blank there: the snapshots must show
the loss curves instead. Screenshots go to test-artifacts/ (offline-charts-*.png).
"""

from __future__ import annotations

import re

import pytest

from tests.support.lab import screenshot
from tests.support.offline import (
    assert_no_request_left,
    block_network,
    open_nbconvert_html,
    open_offline,
)

pytestmark = pytest.mark.browser

NOTEBOOK = "offline_charts"
CELLS = [
    """\
import w2v_widgets as w2v
from tests.support.corpora import make_corpus
model = w2v.Word2Vec(vector_size=20, min_count=2, sample=0, epochs=3, batch_size=1024,
                     log_every=1).fit(make_corpus())""",
    "model.history.plot(title='offline history')",
    "w2v.LossChart(model)",
    "w2v.TrainingDashboard(model, words=['cat', 'one'])",
]
# the static snapshots of the two chart widgets (widgets/live/snapshot.py): how many are in
# the page, how many are visible, and how many output rows holding one take room
SNAPSHOTS = """() => { const all = Array.from(document.querySelectorAll('.w2v-snapshot'));
    const seen = e => e && e.getBoundingClientRect().height > 0;
    return [all.length, all.filter(seen).length,
            all.filter(e => seen(e.closest('.jp-OutputArea-child'))).length]; }"""
# the snapshots' images, loaded, with the vertices of each line in the SVG they show
SNAPSHOT_LINES = """() => Array.from(document.querySelectorAll('.w2v-snapshot img'))
    .filter(i => i.complete && i.naturalWidth > 200 && i.getBoundingClientRect().height > 100)
    .map(i => { const svg = atob(i.src.split(',')[1]);
        const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
        return Array.from(doc.querySelectorAll('.mark-line path'))
            .map(p => ((p.getAttribute('d') || '').match(/L/g) || []).length + 1); })"""
# the loss lines of the LossChart (vega's SVG renderer), with at least 2 vertices
LIVE_LINES = """() => Array.from(document.querySelectorAll('.w2v-loss-chart .mark-line path'))
    .filter(p => ((p.getAttribute('d') || '').match(/L/g) || []).length >= 1).length"""
# the history chart: an SVG from the kernel, shown as an image (Jupyter front-ends) or inline
# (nbconvert), drawn by the browser at its real size (the widgets' snapshot images are not it)
HISTORY_IMAGE = """() => Array.from(document.querySelectorAll('img'))
    .filter(i => i.src.startsWith('data:image/svg+xml') && i.complete && i.naturalWidth > 200)
    .filter(i => !i.closest('.w2v-snapshot'))
    .length + Array.from(document.querySelectorAll('svg.marks'))
    .filter(s => s.getBoundingClientRect().width > 200 && s.querySelector('.mark-line path')).length"""
# the history chart shown: as above, visible, and not one of the loss charts' drawings; its
# bundle's text/html (an <img>) is what every front-end picks, so it must show exactly once
HISTORY_SHOWN = """() => Array.from(document.querySelectorAll('img'))
    .filter(i => i.src.startsWith('data:image/svg+xml') && i.complete && i.naturalWidth > 200)
    .filter(i => i.getBoundingClientRect().height > 0 && !i.closest('.w2v-snapshot'))
    .length + Array.from(document.querySelectorAll('svg.marks'))
    .filter(s => s.getBoundingClientRect().width > 200 && s.querySelector('.mark-line path'))
    .filter(s => !s.closest('.w2v-loss-chart')).length"""
# a failure of our charts (not the front-ends' own noise, e.g. Notebook 7's settings warnings)
CHART_ERROR = re.compile(r"Error loading script|vega|altair|anywidget|w2v", re.I)


def _check_drawn(page, console: list[str], left: list[str], name: str, live: bool = True) -> None:
    page.wait_for_function(HISTORY_IMAGE, timeout=180_000)
    assert page.evaluate(HISTORY_SHOWN) == 1, "model.history.plot() must show exactly once"
    if live:
        page.wait_for_function(LIVE_LINES + " >= 4", timeout=60_000)  # 2 lines x (chart, dashboard)
        # each chart once: the snapshots are in the page, hidden by the widgets that drew
        page.wait_for_function(f"() => ({SNAPSHOTS})()[0] >= 2", timeout=60_000)
        assert page.evaluate(SNAPSHOTS)[1:] == [0, 0], "a snapshot shows beside its drawn widget"
    screenshot(page, f"offline-charts-{name}")
    assert_no_request_left(left)
    errors = [m for m in console if m.startswith(("error", "pageerror")) and CHART_ERROR.search(m)]
    assert errors == [], errors


@pytest.mark.parametrize("ui", ["lab", "notebook"])
def test_charts_draw_offline_in_lab_and_notebook7(lab, page, console, ui):
    left = open_offline(lab, page, f"{NOTEBOOK}_{ui}", CELLS, ui=ui)
    _check_drawn(page, console, left, ui)


def test_charts_draw_offline_in_voila(lab, page, console):
    left = open_offline(lab, page, f"{NOTEBOOK}_voila", CELLS, ui="voila")
    _check_drawn(page, console, left, "voila")


@pytest.fixture(scope="module")
def executed():
    """The notebook executed by nbclient (as ``jupyter nbconvert --execute`` does)."""
    from tests.support.notebooks import run_notebook

    return run_notebook(CELLS, timeout=180)


def test_charts_draw_offline_in_nbconvert_html(page, console, tmp_path, executed):
    nb = executed
    assert "application/vnd.jupyter.widget-state+json" in nb.metadata["widgets"]  # stored by nbclient
    path = tmp_path / "offline_charts.html"
    left = open_nbconvert_html(page, nb, path)
    html = path.read_text(encoding="utf8")
    assert "vega@" not in html and "cdn.jsdelivr.net/npm/vega" not in html
    # the widgets are there as views of the stored state, but nothing draws them offline
    views = page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count()
    assert views >= 2
    _check_drawn(page, console, left, "nbconvert", live=False)
    # both chart widgets' snapshots show their loss curves: lines through many points
    page.wait_for_function(f"() => ({SNAPSHOT_LINES})().length >= 2", timeout=30_000)
    lines = page.evaluate(SNAPSHOT_LINES)
    assert len(lines) == 2 and all(max(vertices) > 10 for vertices in lines), lines
    assert page.evaluate(SNAPSHOTS) == [2, 2, 2]
    status = page.locator(".w2v-snapshot pre")  # the dashboard's status and neighbours as text
    assert status.count() == 1 and status.is_visible() and "finished" in status.inner_text()
    assert page.locator(".w2v-loss-chart").count() == 0  # no widget drew: nothing shown twice
    screenshot(page.locator(".w2v-snapshot").nth(1), "offline-charts-nbconvert-dashboard")


# loss charts shown: snapshot images drawn with a size, and live charts drawn with their lines
CHARTS_SHOWN = """() => [
    Array.from(document.querySelectorAll('.w2v-snapshot img'))
        .filter(i => i.complete && i.naturalWidth > 200 && i.getBoundingClientRect().height > 100).length,
    Array.from(document.querySelectorAll('.w2v-loss-chart'))
        .filter(c => c.getBoundingClientRect().height > 100 && c.querySelector('.mark-line path')).length]"""


def test_executed_notebook_reopened_in_lab_shows_each_chart_once(lab, page, console, executed):
    """An executed notebook opened in JupyterLab (untrusted: its HTML goes through the
    sanitizer), no cell run: each loss chart shows once, as a widget or as its snapshot, and
    the history chart once (Lab renders no untrusted image/svg+xml: its text/html <img> shows)."""
    import nbformat

    left = block_network(page)
    nbformat.write(executed, str(lab.root_dir / f"{NOTEBOOK}_reopened.ipynb"))
    lab.open_notebook(page, f"{NOTEBOOK}_reopened")
    page.wait_for_function(f"() => ({CHARTS_SHOWN})().reduce((a, b) => a + b) >= 2", timeout=60_000)
    page.wait_for_timeout(2000)  # a widget restored late would show a chart twice
    shown = page.evaluate(CHARTS_SHOWN)
    print("reopened: snapshots shown, widgets drawn =", shown)
    screenshot(page, "offline-charts-lab-reopened")
    assert sum(shown) == 2, shown
    assert page.evaluate(HISTORY_SHOWN) == 1, "model.history.plot() must show exactly once"
    assert_no_request_left(left)


SQUARE = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200"><rect width="300" height="200"/></svg>'
)


def test_snapshot_hides_only_once_its_widget_has_drawn_the_chart(page):
    """The hiding rule on its own, in Chromium: a widget drawn without its chart (nbconvert's
    page online, where the html-manager cannot load altair's anywidget) keeps the snapshot."""
    from w2v_widgets.widgets.live.snapshot import StaticSnapshot, snapshot_markup

    snap = StaticSnapshot(lambda css: snapshot_markup(css, svg=SQUARE, text="status line"))
    row = '<div class="jp-OutputArea-child">{}</div>'
    page.set_content(
        row.format(f'<div class="{snap.owner_class}">{snap.hider.value}<div class="chart"></div></div>')
        + row.format(snap.bundle()["text/html"])
    )
    assert page.evaluate(SNAPSHOTS) == [1, 1, 1]  # the widget is there, its chart is not
    text = page.locator(".w2v-snapshot pre")
    assert text.count() == 1 and not text.is_visible()  # its text is in the widget already
    page.evaluate("document.querySelector('.chart').innerHTML = '<svg class=\"marks\"></svg>'")
    assert page.evaluate(SNAPSHOTS) == [1, 0, 0]  # drawn: the snapshot and its row are hidden


# counts, at every animation frame, the snapshots seen (a flash while vega re-embeds the chart)
WATCH_FLASHES = """() => { window.w2vFlashes = 0; window.w2vFrames = 0;
    const watch = () => { window.w2vFrames++;
        for (const e of document.querySelectorAll('.w2v-snapshot'))
            if (e.getBoundingClientRect().height > 0) window.w2vFlashes++;
        requestAnimationFrame(watch); };
    requestAnimationFrame(watch); }"""


def test_snapshot_never_flashes_while_the_chart_redraws_in_lab(lab, page, console):
    lab.write_notebook(
        f"{NOTEBOOK}_live",
        [
            "import time\nimport w2v_widgets as w2v\nfrom tests.support.corpora import make_corpus\n"
            # each epoch lasts at least 0.1 s, so 40 epochs give the chart (refresh 0.2 s) about
            # 20 redraws on any CPU: CI's once finished the whole fit in 5
            "class Paced(w2v.Callback):\n    def on_epoch_end(self, model, logs):\n        time.sleep(0.1)\n"
            "model = w2v.Word2Vec(vector_size=20, min_count=2, sample=0, epochs=40, batch_size=1024,"
            " log_every=1, callbacks=[Paced()])",
            "chart = w2v.LossChart(model, refresh=0.2)\nchart",
        ],
    )
    lab.open_notebook(page, f"{NOTEBOOK}_live")
    lab.run_all(page, timeout=120)
    page.wait_for_function("() => document.querySelector('.w2v-loss-chart svg.marks')", timeout=60_000)
    page.evaluate(WATCH_FLASHES)
    out = lab.kernel_execute(page, "model.fit(make_corpus()); print(chart.redraws)", timeout=120)
    page.wait_for_timeout(1000)  # the last redraw and the snapshot's update reach the page
    flashes, frames = page.evaluate("[window.w2vFlashes, window.w2vFrames]")
    print(f"redraws {out.split()[-1]}, frames {frames}, flashes {flashes}")
    assert int(out.split()[-1]) > 10 and frames > 50  # the chart redrew, the page was watched all along
    assert flashes == 0, f"the snapshot showed in {flashes} of {frames} frames"
    page.wait_for_function(LIVE_LINES + " >= 2", timeout=30_000)
    assert page.evaluate(SNAPSHOTS)[1:] == [0, 0]

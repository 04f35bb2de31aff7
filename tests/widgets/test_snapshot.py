"""The static snapshots of the live charts (widgets/live/snapshot.py), in this process.

What a page shows where the widget cannot draw: an escaped HTML snapshot whose image is the
chart drawn in the kernel, hidden by a style the widget itself holds. The kernel side
(display ids, updates at the end of training) is in test_live_kernel.py; the pages in
tests/browser/test_charts_offline.py.
"""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from w2v_widgets.widgets.closing import held_widgets
from w2v_widgets.widgets.live.dashboard import TrainingDashboard
from w2v_widgets.widgets.live.loss_chart import LossChart
from w2v_widgets.widgets.live.snapshot import (
    StaticSnapshot,
    hiding_style,
    snapshot_markup,
    svg_data_uri,
    vscode_hiding_style,
)

FAST = dict(vector_size=20, min_count=2, sample=0, batch_size=1024, log_every=1)


class Elements(HTMLParser):
    """Every start tag of a fragment, with its attributes, and the text."""

    def __init__(self, markup: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def image_svg(markup: str) -> str:
    """The SVG inside the snapshot's single ``<img>``."""
    images = [attrs for tag, attrs in Elements(markup).tags if tag == "img"]
    assert len(images) == 1
    prefix = "data:image/svg+xml;base64,"
    assert images[0]["src"].startswith(prefix)
    return base64.b64decode(images[0]["src"][len(prefix) :]).decode("utf8")


def line_vertices(svg: str) -> list[int]:
    """Vertices of each line mark's path in vega's SVG (``M`` then one ``L`` per vertex)."""
    paths = re.findall(r'<g class="mark-line[^"]*"[^>]*>(.*?)</g>', svg, flags=re.S)
    return [d.count("L") + 1 for group in paths for d in re.findall(r' d="([^"]*)"', group)]


@pytest.fixture(scope="module")
def trained() -> w2v.Word2Vec:
    return w2v.Word2Vec(epochs=2, **FAST).fit(make_corpus())


def test_markup_escapes_what_it_shows_and_carries_the_class():
    markup = snapshot_markup("w2v-snapshot-abc", svg="<svg></svg>", alt=f'a"{EVIL}', title=EVIL, text=EVIL)
    parsed = Elements(markup)
    assert [tag for tag, _ in parsed.tags] == ["div", "div", "img", "pre"]
    assert parsed.tags[0][1]["class"].split() == ["w2v-snapshot", "w2v-snapshot-abc"]
    assert parsed.tags[2][1]["alt"] == f'a"{EVIL}'
    assert parsed.tags[1][1]["class"] == parsed.tags[3][1]["class"] == "w2v-snapshot-text"
    assert parsed.text.count(EVIL) == 2  # title and text, as text, not markup
    assert "<script" not in markup and image_svg(markup) == "<svg></svg>"
    # no chart: text only
    assert [tag for tag, _ in Elements(snapshot_markup("c", text="no points")).tags] == ["div", "pre"]


def test_hiding_style_hides_snapshots_and_rows_once_the_owner_has_drawn():
    style = hiding_style("w2v-snapshot-abc", "w2v-snapshot-owner-abc")
    assert style.startswith("<style>") and style.endswith("</style>")
    with_has, without = re.findall(r"@supports (.*?) \{ (.*?) \{ display: none !important; \} \}", style)
    # the text (the widget shows the same) hides wherever the widget draws, chart or not
    assert style.endswith(" .w2v-snapshot-abc .w2v-snapshot-text { display: none !important; }</style>")
    assert with_has[0] == "selector(:has(a))" and without[0] == "not selector(:has(a))"
    drawn = ":root:has(.w2v-snapshot-owner-abc svg.marks)"
    assert [s.strip() for s in with_has[1].split(",")] == [
        f"{drawn} .w2v-snapshot-abc",
        f"{drawn} .jp-OutputArea-child:has(.w2v-snapshot-abc)",
        f"{drawn} .output_area:has(.w2v-snapshot-abc)",
    ]
    assert without[1] == ".w2v-snapshot-abc"  # no :has(): hidden wherever the widget draws


def test_svg_data_uri_round_trips_non_ascii():
    svg = "<svg><text>größe – 語</text></svg>"
    uri = svg_data_uri(svg)
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf8") == svg


def test_a_snapshot_renders_only_when_shown_or_refreshed_after_a_display():
    calls = []
    snap = StaticSnapshot(lambda css: calls.append(css) or f'<div class="{css}"></div>')
    snap.refresh()  # never displayed: nothing to update, nothing rendered
    assert calls == [] and snap.renders == 0
    assert snap.css_class.startswith("w2v-snapshot-") and snap.css_class in snap.hider.value
    assert snap.owner_class in snap.hider.value and snap.owner_class != snap.css_class
    assert snap.hider.layout.display == "none"  # takes no room; its <style> still applies
    bundle = snap.bundle()
    assert calls == [snap.css_class] and snap.renders == 1
    # the markup after its style for VS Code's notebook webview (tests/browser/test_publishers_offline.py)
    style = vscode_hiding_style(snap.css_class)
    assert bundle["text/html"] == style + f'<div class="{snap.css_class}"></div>'
    assert StaticSnapshot(lambda css: "").css_class != snap.css_class


def test_loss_chart_snapshot_is_the_curve_drawn_in_the_kernel(trained):
    chart = LossChart(trained)
    assert chart.snapshot.hider in held_widgets(chart)
    assert chart.snapshot.owner_class in chart._dom_classes
    markup = chart.snapshot_html(chart.snapshot.css_class)
    assert chart.snapshot.css_class in Elements(markup).tags[0][1]["class"]
    svg = image_svg(markup)
    vertices = line_vertices(svg)
    # per-interval and smoothed lines, each through every drawn point
    assert sorted(vertices)[-2:] == [chart.points] * 2 and chart.points > 10
    assert f"{len(trained.history)} intervals" in Elements(markup).tags[1][1]["alt"]
    # an untrained model: text, no image
    empty = LossChart(w2v.Word2Vec(**FAST))
    assert "<img" not in empty.snapshot_html("c") and "no points yet" in empty.snapshot_html("c")


def test_training_with_an_undisplayed_chart_renders_no_snapshot():
    model = w2v.Word2Vec(epochs=2, **FAST)
    chart = LossChart(model, refresh=0)
    model.fit(make_corpus())
    assert chart.redraws > 5  # every interval redrawn (refresh=0) ...
    assert chart.snapshot.renders == 0  # ... and no SVG drawn: nothing was displayed


def test_dashboard_snapshot_has_status_chart_and_escaped_neighbours(trained):
    dash = TrainingDashboard(trained, words=["cat", EVIL], k=3)
    assert dash.snapshot.hider in held_widgets(dash)
    assert dash.snapshot.owner_class in dash._dom_classes
    assert dash.snapshot.css_class != dash.loss_chart.snapshot.css_class
    markup = dash.snapshot_html(dash.snapshot.css_class)
    text = "".join(Elements(markup).text)
    assert text.startswith("word2vec training") and "finished" in text
    assert "cat:" in text and EVIL in text and EVIL not in markup  # escaped in the markup
    assert max(line_vertices(image_svg(markup))) == dash.loss_chart.points

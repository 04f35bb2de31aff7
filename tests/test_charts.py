"""Charts that display with no network: ``model.history.plot()`` is an SVG made in the kernel."""

from __future__ import annotations

import base64
import re

import altair as alt
import pytest

from w2v_widgets.charts import StaticChart, static_chart
from w2v_widgets.training.history import TrainingHistory


@pytest.fixture(scope="module")
def history() -> TrainingHistory:
    rows = [
        {"epoch": e, "words_done": e * 4000 + i * 100, "loss": 3 - 0.01 * i, "smoothed_loss": 3 - 0.01 * i}
        for e in (1, 2)
        for i in range(1, 40)
    ]
    return TrainingHistory.from_records(rows, params={"loss": "negative", "window": 5})


def test_history_plot_displays_as_svg_without_any_script(history):
    chart = history.plot()
    assert isinstance(chart, StaticChart) and isinstance(chart, alt.LayerChart)
    bundle = chart._repr_mimebundle_()
    svg = bundle["image/svg+xml"]
    assert svg.startswith("<svg") and "mark-line" in svg and re.search(r">epoch \d+<", svg)
    assert "<script" not in svg  # nothing to fetch from a CDN
    assert "StaticChart" in bundle["text/plain"]
    # text/html is the same SVG as an <img> (a data URI), nothing else: JupyterLab renders no
    # image/svg+xml in an untrusted notebook but keeps this image through its sanitizer
    html = bundle["text/html"]
    match = re.fullmatch(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="[^"<>]*">', html)
    assert match and base64.b64decode(match.group(1)).decode("utf8") == svg


def test_a_renderer_the_user_enabled_is_respected(history):
    with alt.renderers.enable("mimetype"):
        bundle = history.plot()._repr_mimebundle_()
    bundle = bundle[0] if isinstance(bundle, tuple) else bundle
    assert any(k.startswith("application/vnd.vegalite") for k in bundle)
    assert "image/svg+xml" not in bundle


def test_static_chart_keeps_altair_behaviour(history):
    chart = history.plot().properties(width=300)
    assert isinstance(chart, StaticChart)
    assert chart.to_dict()["width"] == 300
    with pytest.raises(TypeError, match="LayerChart"):
        static_chart(alt.Chart().mark_point())


def test_labels_that_fit_keep_the_first_words_and_drop_the_ones_they_would_cover():
    from w2v_widgets.charts import labels_that_fit

    xy = [[0, 0], [0.001, 0], [1, 1], [0.5, 0.5], [0.99, 0]]
    words = ["first", "covered", "top", "middle", "offtheedgeword"]
    # 100 x 100 px: "covered" sits on "first"; the last is too long to fit the right edge
    assert labels_that_fit(xy, words, 100, 100, font_size=10) == [0, 3]
    # at 1000 px "b" still sits on "a" (1 px apart), "c" starts past the right edge
    assert labels_that_fit(xy, ["a", "b", "c", "d", "e"], 1000, 1000, font_size=10) == [0, 3, 4]

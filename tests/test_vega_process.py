"""vl-convert runs in a helper process: the kernel draws SVG charts without its JavaScript engine."""

from __future__ import annotations

import subprocess
import sys
import time

import altair as alt
import pytest
import vl_convert

from tests.support.kernel import kernel_env
from w2v_widgets import charts, vega_process

SPEC = {
    "data": {"values": [{"x": 1, "y": 2}, {"x": 2, "y": 5}]},
    "mark": "line",
    "encoding": {"x": {"field": "x", "type": "quantitative"}, "y": {"field": "y", "type": "quantitative"}},
}


def test_the_helper_draws_what_vl_convert_draws_and_exits_when_idle(monkeypatch):
    monkeypatch.setattr(vega_process, "IDLE_SECONDS", 3.0)
    vega_process.stop()
    svg = charts.chart_svg(SPEC)
    first = vega_process.helper_pid()
    assert first is not None
    assert charts.chart_svg(SPEC) == svg and vega_process.helper_pid() == first  # reused
    deadline = time.monotonic() + 30
    while vega_process.helper_pid() is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert vega_process.helper_pid() is None  # ended by itself: its memory is returned
    assert charts.chart_svg(SPEC) == svg  # a later chart starts a new one
    assert vega_process.helper_pid() not in (None, first)
    vega_process.stop()
    assert vega_process.helper_pid() is None
    version = charts.vl_version_for_vl_convert()
    assert svg == vl_convert.vegalite_to_svg(SPEC, vl_version=version)  # the same drawing


def test_a_bad_specification_raises_with_vl_convert_message():
    with pytest.raises(ValueError, match=r"vl_convert\.vegalite_to_svg: .+"):
        charts.chart_svg({"mark": "nonsense-mark", "data": {"values": []}})
    assert charts.chart_svg(SPEC).startswith("<svg")  # the helper still answers


def test_the_svg_renderer_and_offline_chart_leave_no_javascript_engine_in_the_process():
    # a fresh process: the notebooks' renderer, a chart drawn, the offline JupyterChart's bundle
    code = """
import sys
import altair as alt
import w2v_widgets as w2v
w2v.use_svg_charts()
chart = alt.Chart(alt.Data(values=[{"a": 1, "b": 2}])).mark_point().encode(x="a:Q", y="b:Q")
bundle = chart._repr_mimebundle_()
bundle = bundle[0] if isinstance(bundle, tuple) else bundle
assert bundle["image/svg+xml"].startswith("<svg"), bundle
from w2v_widgets.charts import enable_offline_jupyter_chart
enable_offline_jupyter_chart()
esm = alt.JupyterChart._esm
assert alt.JupyterChart._is_offline and len(esm) > 100_000 and "https://esm.sh" not in esm, len(esm)
assert "vl_convert" not in sys.modules
print("ok", alt.renderers.active)
"""
    out = subprocess.run(
        [sys.executable, "-c", code], env=kernel_env(), capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["ok", charts.SVG_RENDERER]


def test_the_renderer_passes_altairs_locale_options():
    spec = (
        alt.Chart(alt.Data(values=[{"a": 1234.5}]))
        .mark_text()
        .encode(text=alt.Text("a:Q", format=",.1f"))
        .to_dict()
    )
    german = charts.svg_renderer(spec, format_locale="de-DE")["image/svg+xml"]
    assert "1.234,5" in german and "1,234.5" in charts.svg_renderer(spec)["image/svg+xml"]

"""Smoke test of the whole browser path: JupyterLab + ipywidgets + anywidget + altair offline."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.support.kernel import REPO_ROOT, CellError
from tests.support.lab import screenshot

pytestmark = pytest.mark.browser

IPYWIDGETS_CELL = """\
import ipywidgets as w
btn = w.Button(description="Add one")
num = w.IntText(value=0, description="count")
btn.on_click(lambda _: setattr(num, "value", num.value + 1))
btn.add_class("smoke-button")
num.add_class("smoke-int")
w.HBox([btn, num])
"""

ANYWIDGET_CELL = '''\
import anywidget
import traitlets


class Echo(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const canvas = document.createElement("canvas");
      canvas.width = 160;
      canvas.height = 80;
      canvas.className = "echo-canvas";
      const ctx = canvas.getContext("2d");
      ctx.fillStyle = "rgb(220, 40, 40)";
      ctx.fillRect(0, 0, 160, 80);
      const label = document.createElement("span");
      label.className = "echo-label";
      const show = () => { label.textContent = model.get("echo"); };
      let clicks = 0;
      canvas.addEventListener("click", () => {
        clicks += 1;
        model.send({ kind: "click", n: clicks });
      });
      model.on("change:echo", show);
      show();
      el.append(canvas, label);
      return () => model.off("change:echo", show);
    }
    export default { render };
    """
    echo = traitlets.Unicode("").tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.on_msg(self._on_msg)

    def _on_msg(self, _widget, content, _buffers):
        if content.get("kind") == "click":
            self.echo = f"echo {content['n']}"


echo = Echo()
echo
'''

ALTAIR_CELL = """\
import altair as alt
import pandas as pd

alt.JupyterChart.enable_offline()
df = pd.DataFrame({"x": [1, 2, 3, 4], "y": [3, 1, 4, 1]})
jchart = alt.JupyterChart(alt.Chart(df).mark_point(size=200).encode(x="x", y="y"))
jchart
"""


def test_widgets_round_trip_in_jupyterlab(lab, page, console):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))

    lab.write_notebook("smoke", [IPYWIDGETS_CELL, ANYWIDGET_CELL, ALTAIR_CELL])
    lab.open_notebook(page, "smoke")
    lab.run_all(page)

    # the kernel behind the page imports w2v_widgets from this checkout
    out = lab.kernel_execute(page, "import w2v_widgets; print(list(w2v_widgets.__path__)[0])")
    assert out.strip() == str(REPO_ROOT / "w2v_widgets")

    # ipywidgets: a click in the browser runs the Python callback, the IntText view updates
    page.locator(".smoke-button").click()
    page.wait_for_function("() => document.querySelector('.smoke-int input')?.value === '1'", timeout=15_000)
    assert lab.kernel_execute(page, "print(num.value)").strip() == "1"

    # anywidget: the ES module drew on its canvas; a click goes to Python and comes back
    canvas = page.locator("canvas.echo-canvas")
    canvas.wait_for(state="visible")
    pixel = canvas.evaluate("c => Array.from(c.getContext('2d').getImageData(5, 5, 1, 1).data)")
    assert pixel == [220, 40, 40, 255]
    canvas.click()
    page.locator(".echo-label").filter(has_text="echo 1").wait_for()
    canvas.click()
    page.locator(".echo-label").filter(has_text="echo 2").wait_for()
    assert lab.kernel_execute(page, "print(echo.echo)").strip() == "echo 2"

    # altair JupyterChart, offline: vega-embed renders an SVG or a canvas with the points
    chart_cell = page.locator(".jp-Notebook .jp-Cell").nth(2)
    drawing = chart_cell.locator(".vega-embed svg, .vega-embed canvas").first
    drawing.wait_for(state="visible", timeout=30_000)
    box = drawing.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 50

    screenshot(page, "smoke-jupyterlab")
    screenshot(chart_cell.locator(".jp-OutputArea"), "smoke-altair-chart")

    hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1"}, f"requests left the machine: {hosts}"
    errors = [m for m in console if m.startswith(("error", "pageerror"))]
    assert not [m for m in errors if "anywidget" in m.lower() or "vega" in m.lower()], errors


def test_cell_error_and_single_cell(lab, page):
    lab.write_notebook("errors", ["x = 20", "x = x + 1\nprint(x)", "raise ValueError('boom')"])
    lab.open_notebook(page, "errors")
    lab.run_cell(page, 0)
    lab.run_cell(page, 1)
    assert lab.kernel_execute(page, "print(x)").strip() == "21"
    with pytest.raises(CellError, match="ValueError: boom") as info:
        lab.run_cell(page, 2)
    assert "raise ValueError" in info.value.source
    with pytest.raises(CellError, match="NameError"):
        lab.kernel_execute(page, "undefined_name")
    # run_all stops at the failing cell and raises with its traceback
    with pytest.raises(CellError, match="ValueError: boom"):
        lab.run_all(page)
    assert lab.kernel_execute(page, "print(x)").strip() == "21"

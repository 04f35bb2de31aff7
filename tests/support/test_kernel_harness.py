"""Smoke tests of the kernel harness (tests/kernel_utils.py): a real python3 kernel."""

from __future__ import annotations

import time

import pytest

from tests.support.kernel import REPO_ROOT, CellError, LiveKernel
from tests.support.notebooks import outputs_text, run_notebook

pytestmark = pytest.mark.kernel


def test_run_notebook_widgets_and_repo_import(tmp_path):
    nb = run_notebook(
        [
            "import pathlib, w2v_widgets\nprint(pathlib.Path(list(w2v_widgets.__path__)[0]).parent)",
            "import ipywidgets as w, anywidget, altair as alt\n"
            "b = w.Button(description='go'); t = w.IntText(3)\n"
            "b.on_click(lambda _: setattr(t, 'value', t.value + 1))\n"
            "b.click(); b.click()\nprint(t.value)",
            "import os; open('made.txt', 'w').write(os.getcwd())\nw.VBox([b, t])",
        ],
        cwd=tmp_path,
    )
    assert outputs_text(nb, 0).strip() == str(REPO_ROOT)
    assert outputs_text(nb, 1).strip() == "5"
    # the widget view is in the outputs, and the kernel ran in cwd
    data = nb.cells[2].outputs[0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in data
    assert (tmp_path / "made.txt").read_text() == str(tmp_path)


def test_run_notebook_raises_with_cell_traceback():
    with pytest.raises(CellError) as info:
        run_notebook(["x = 1", "def f():\n    return 1 / 0\nf()", "print('never')"])
    err = info.value
    assert err.index == 1
    assert err.ename == "ZeroDivisionError"
    assert "return 1 / 0" in err.traceback
    assert "\x1b[" not in err.traceback
    assert "def f():" in str(err)


def test_live_kernel_runs_cells_while_a_thread_works():
    with LiveKernel() as k:
        assert k.execute("print(6 * 7)").strip() == "42"
        assert k.execute("6 * 7").strip() == "42"
        # background work in the kernel (as training will be), other cells run meanwhile
        k.execute(
            "import threading, time\n"
            "progress = []\n"
            "stop = threading.Event()\n"
            "def work():\n"
            "    while not stop.is_set():\n"
            "        progress.append(1); time.sleep(0.01)\n"
            "th = threading.Thread(target=work); th.start()"
        )
        first = int(k.execute("time.sleep(0.2); print(len(progress))"))
        second = int(k.execute("time.sleep(0.2); print(len(progress))"))
        assert 0 < first < second
        k.execute("stop.set(); th.join()")
        # submit/collect: queued requests finish in order, each with its own output
        a = k.submit("print('a')")
        b = k.submit("print('b')")
        assert k.collect(b).strip() == "b"
        assert k.collect(a).strip() == "a"
        with pytest.raises(CellError, match="NameError"):
            k.execute("undefined_name")
        # the kernel survives an error and an interrupt
        msg = k.submit("time.sleep(30)")
        time.sleep(0.3)
        k.interrupt()
        with pytest.raises(CellError, match="KeyboardInterrupt"):
            k.collect(msg, timeout=10)
        assert k.execute("print('alive')").strip() == "alive"


def test_live_kernel_timeout_reports_partial_output():
    with LiveKernel() as k:
        msg = k.submit("import time\nprint('started', flush=True)\ntime.sleep(30)")
        with pytest.raises(TimeoutError, match="started"):
            k.collect(msg, timeout=2)
        k.interrupt()

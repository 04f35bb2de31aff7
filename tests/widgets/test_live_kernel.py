"""The live training widgets in a real kernel (nbclient / jupyter_client), and outside one.

* LiveKernel: training runs in the background while other cells execute; start, pause,
  resume and stop from Python and through the buttons' handlers.
* run_notebook: a notebook run with no front-end (as nbconvert does) prints a progress bar
  and the neighbour tables instead of failing.
* A plain script and a terminal IPython get the same text.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest

from tests.support.kernel import REPO_ROOT, LiveKernel, kernel_env
from tests.support.notebooks import outputs_text, run_notebook
from tests.widgets.test_snapshot import image_svg, line_vertices

pytestmark = pytest.mark.kernel

SETUP = """\
import time
import w2v_widgets as w2v
from IPython.display import display
from tests.support.corpora import make_corpus
corpus = make_corpus()
FAST = dict(vector_size=20, min_count=2, sample=0, batch_size=1024, log_every=1)
from tests.support.waiting import wait_until as until
"""


def test_training_runs_in_the_background_while_cells_execute():
    with LiveKernel(cwd=REPO_ROOT) as k:
        k.execute(SETUP, timeout=120)
        shown = k.execute(
            "model = w2v.Word2Vec(epochs=1000, **FAST)\n"
            "dash = w2v.TrainingDashboard(model, corpus, words=['cat', 'red'])\n"
            "dash"
        )
        assert shown.startswith("TrainingDashboard: idle: epoch 0/")  # text/plain next to the widget view
        # start returns at once in a kernel: the cell ends while training goes on
        k.execute("dash.start()\nuntil(lambda: model.state == 'running')")
        first = int(k.execute("until(lambda: model.progress); print(model.progress['words_done'])"))
        # an unrelated cell runs meanwhile
        assert k.execute("print(sum(i * i for i in range(200_000)))").strip() == str(
            sum(i * i for i in range(200_000))
        )
        second = int(k.execute("time.sleep(0.5); print(model.progress['words_done'])"))
        assert second > first
        assert k.execute("print(dash.state, dash.status.state)").split() == ["running"] * 2
        # pause: the state follows within a second, and words done stop advancing
        k.execute("dash.pause(); until(lambda: dash.state == 'paused', timeout=1)")
        a = k.execute("print(model.progress['words_done'])")
        b = k.execute("time.sleep(0.5); print(model.progress['words_done'], dash.status.words_done)")
        assert b.split() == [a.strip(), a.strip()]
        assert k.execute("print(dash._buttons['pause'].description)").strip() == "Resume"
        # resume through the button's handler (what a click runs)
        k.execute(
            "dash._buttons['pause'].click()\n"
            f"until(lambda: model.progress['words_done'] > {a.strip()}, timeout=5)"
        )
        assert k.execute("print(dash.state)").strip() == "running"
        # stop through the button; the run can be continued
        k.execute("dash._buttons['stop'].click(); until(lambda: dash.state == 'stopped', timeout=1)")
        out = k.execute(
            "print(model.state, dash._buttons['start'].description, dash.loss_chart.points > 0,"
            " len(dash.neighbours.rows))"
        )
        assert out.split() == ["stopped", "Continue", "True", "2"]
        # the same dashboard displayed again is the same widget (its state is in traitlets)
        again = k.execute("print(dash.model_id == dash.model_id, dash.status.words_done > 0)")
        assert again.split() == ["True", "True"]


def test_standalone_widgets_follow_training_started_elsewhere():
    with LiveKernel(cwd=REPO_ROOT) as k:
        k.execute(SETUP, timeout=120)
        k.execute(
            "model = w2v.Word2Vec(epochs=2, **FAST)\n"
            "chart = w2v.LossChart(model)\n"
            "table = w2v.NeighbourTable(model, words=['cat', 'one'], k=3)\n"
            "display(chart, table)\n"
            "model.fit(corpus, background=True)"
        )
        k.execute("model.wait(120)", timeout=150)
        out = k.execute(
            "print(chart.points == len(model.history), len(chart.jchart.spec['datasets']['loss']))"
            "\nprint(len(table.rows[0]['neighbours']))"
        )
        assert out.split()[0] == "True" and int(out.split()[1]) > 0
        assert out.split()[2] == "3"
        code = "import altair as alt; print(isinstance(model.history.plot(), alt.LayerChart))"
        assert k.execute(code).strip() == "True"  # an altair chart (a StaticChart: drawn offline as SVG)


def test_a_notebook_run_without_front_end_prints_progress_and_tables():
    nb = run_notebook(
        [
            SETUP,
            "model = w2v.Word2Vec(epochs=2, **FAST)\n"
            "dash = w2v.TrainingDashboard(model, corpus, words=['cat', 'one'])\ndash",
            "dash.start()\ndash.wait()",
            "w2v.NeighbourTable(model, words=['red', 'paris'], k=3)",
            "w2v.LossChart(model)",
            "model.history.plot()",
            "print(dash.snapshot.renders, dash.loss_chart.redraws)",
        ],
        cwd=REPO_ROOT,
        timeout=300,
    )
    # the dashboard's output: a widget view with a text fallback
    data = nb.cells[1].outputs[0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in data
    assert data["text/plain"].startswith("TrainingDashboard: idle:")  # one short line (plain_text.py)
    trained = outputs_text(nb, 2)
    assert "after epoch 1:" in trained
    assert "training finished:" in trained
    assert "word" in trained and "/2" in trained  # the progress bar (words, epoch 1/2 ...)
    assert "cat:" in trained and "one:" in trained
    assert "red:" in outputs_text(nb, 3) and "paris:" in outputs_text(nb, 3)
    assert "intervals" in outputs_text(nb, 4)
    plot = nb.cells[5].outputs[0]["data"]
    # drawn offline in the kernel: an SVG, no script to fetch from a CDN
    assert plot["image/svg+xml"].startswith("<svg") and "mark-line" in plot["image/svg+xml"]
    # each chart widget is followed by its static snapshot (for nbconvert's HTML offline);
    # the dashboard's, shown before training, was updated when training finished
    for cell in (1, 4):
        view, snapshot = nb.cells[cell].outputs
        assert "application/vnd.jupyter.widget-view+json" in view["data"]
        assert snapshot["output_type"] == "display_data" and snapshot["metadata"] == {}
        svg = image_svg(snapshot["data"]["text/html"])
        assert max(line_vertices(svg)) > 10
    # the widget holds the style that hides its snapshot wherever its chart draws
    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    styles = [m["state"].get("value", "") for m in state.values() if m["model_name"] == "HTMLModel"]
    for cell in (1, 4):
        css = re.search(
            r'class="w2v-snapshot (w2v-snapshot-\w+)"', nb.cells[cell].outputs[1]["data"]["text/html"]
        )
        assert any(s.startswith("<style>") and f".{css.group(1)} {{ display: none" in s for s in styles)
    # SVG drawn twice for the dashboard (its display, the end of training), never per redraw
    renders, redraws = map(int, outputs_text(nb, 6).split())
    assert renders == 2 and redraws > 2


SCRIPT = """\
import w2v_widgets as w2v
from IPython.display import display
from tests.support.corpora import make_corpus

model = w2v.Word2Vec(epochs=2, vector_size=20, min_count=2, sample=0, batch_size=1024)
dash = w2v.TrainingDashboard(model, make_corpus(), words=["cat", "<img src=x>"])
display(dash)
dash.start()  # blocks outside a kernel, printing progress
print("STATE", model.state)
display(w2v.NeighbourTable(model, words=["red"], k=2))
print(w2v.LossChart(model))
model.history.plot().save("loss.json")
"""


def test_a_plain_script_gets_a_progress_bar_and_printed_tables(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(SCRIPT)
    proc = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=kernel_env(),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith("idle: epoch 0/")
    assert "training finished:" in out and "STATE finished" in out
    assert "cat:" in out and "<img src=x>: (not in the vocabulary)" in out
    assert "red:" in out and "intervals" in out
    assert "word" in proc.stdout + proc.stderr  # the tqdm bar
    spec = json.loads((tmp_path / "loss.json").read_text())
    assert len(spec["datasets"]["loss"]) > 0


def test_terminal_ipython_shows_text_not_a_widget(tmp_path):
    code = textwrap.dedent(
        """\
        import w2v_widgets as w2v
        from tests.support.corpora import make_corpus
        model = w2v.Word2Vec(epochs=1, vector_size=20, min_count=2)
        table = w2v.NeighbourTable(model, words=["cat"])
        print(w2v.widgets.live.environment())
        table
        """
    )
    proc = subprocess.run(
        [sys.executable, "-m", "IPython", "--simple-prompt", "--no-banner", "--quick"],
        input=code,
        cwd=REPO_ROOT,
        env=kernel_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "terminal" in proc.stdout
    assert "cat: (no vectors yet)" in proc.stdout
    assert "widget-view" not in proc.stdout

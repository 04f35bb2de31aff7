"""The static snapshots of the teaching widgets (widgets/teaching/snapshot.py), in this process.

What a page shows where a teaching widget cannot draw (nbconvert's HTML offline): the widget's
current picture, its SVG as images, every word escaped; refreshed when the widget redraws, at
most every ``interval`` seconds (a fake clock here: no timing), the last request never lost.
The kernel side (the stored outputs hold the last picture) is in test_teaching_kernel.py, the
pages in tests/browser/test_teaching_offline.py.
"""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest

import w2v_widgets as w2v
from tests.support.corpora import EVIL, make_corpus
from tests.support.models import small_model
from tests.support.vectors import demo_vectors
from tests.widgets.test_snapshot import Elements
from w2v_widgets.widgets.closing import held_widgets
from w2v_widgets.widgets.teaching import snapshot as teaching
from w2v_widgets.widgets.teaching import svg
from w2v_widgets.widgets.teaching.snapshot import ThrottledSnapshot, svg_as_images, teaching_markup

PREFIX = "data:image/svg+xml;base64,"


def images(markup: str) -> list[str]:
    """The SVG documents shown by the markup's ``<img>`` elements."""
    sources = [attrs["src"] for tag, attrs in Elements(markup).tags if tag == "img"]
    assert all(s.startswith(PREFIX) for s in sources)
    return [base64.b64decode(s[len(PREFIX) :]).decode("utf8") for s in sources]


def test_inline_svg_becomes_an_image_of_the_same_svg_and_words_stay_escaped():
    picture = svg.svg(100, 50, svg.text(5, 20, EVIL), "w2v-x", title=f"about {EVIL}")
    markup = svg_as_images(f"<p>{svg.esc(EVIL)}</p>{picture}<b>after</b>")
    assert "<svg" not in markup and images(markup) == [picture]
    ET.fromstring(picture)  # a valid XML document: an <img> draws nothing otherwise
    parsed = Elements(markup)
    assert [tag for tag, _ in parsed.tags] == ["p", "img", "b"]
    assert parsed.tags[1][1]["alt"] == f"about {EVIL}"  # the title, as text
    assert EVIL in "".join(parsed.text) and EVIL not in markup
    no_title = svg_as_images(svg.svg(10, 10, "", "w2v-y"))
    assert Elements(no_title).tags[0][1]["alt"] == "w2v-y"


def test_teaching_markup_wraps_the_parts_in_the_snapshot_class():
    markup = teaching_markup("w2v-snapshot-abc", "<i>one</i>", "", svg.svg(10, 10, ""))
    parsed = Elements(markup)
    assert parsed.tags[0][1]["class"].split() == ["w2v-snapshot", "w2v-snapshot-abc"]
    assert [tag for tag, _ in parsed.tags][2:] == ["div", "i", "div", "img"]  # the empty part left out


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_requests_refresh_at_most_every_interval_and_the_last_is_never_lost(capsys):
    clock = Clock()
    snap = ThrottledSnapshot(lambda css: f"<div class='{css}'></div>", "t", ".x", interval=0.5, clock=clock)
    snap.request()  # never displayed: nothing to refresh, nothing rendered
    assert snap.renders == 0 and not snap.pending
    snap.show()  # outside a kernel IPython prints the bundle; in one it is a display_data
    assert snap.renders == 1 and len(snap.display_ids) == 1
    clock.now += 0.1
    snap.request()
    clock.now += 0.1
    snap.request()
    assert snap.renders == 1 and snap.pending  # within the interval: waiting, one timer
    assert snap in teaching._pending
    teaching.flush_pending()  # what the end of a cell runs
    assert snap.renders == 2 and not snap.pending and snap not in teaching._pending
    snap.flush()
    assert snap.renders == 2  # nothing pending: no cost
    clock.now += 0.6
    snap.request()
    assert snap.renders == 3 and not snap.pending  # the interval passed: at once
    clock.now += 0.2
    snap.request()
    clock.now += 0.4
    snap.flush()  # as the timer does when the interval has passed
    assert snap.renders == 4 and not snap.pending
    capsys.readouterr()


@pytest.fixture(scope="module")
def model() -> w2v.Word2Vec:
    return small_model(epochs=1, seed=3).fit(make_corpus(800))


def _check_wiring(widget) -> None:
    snap = widget.offline
    assert snap.hider in held_widgets(widget) and snap.owner_class in widget._dom_classes
    assert widget.snapshot_outputs() is snap


def test_update_stepper_snapshot_is_its_picture_now(model):
    stepper = w2v.UpdateStepper(model, centre="cat", context=EVIL, k=2, seed=4)
    _check_wiring(stepper)
    assert ".w2v-us-plane svg" in stepper.offline.hider.value
    stepper.step()
    markup = stepper.snapshot_html(stepper.offline.css_class)
    assert images(markup) == [stepper._plane.value, stepper._bars.value]
    for picture in images(markup):
        ET.fromstring(picture)
    text = "".join(Elements(markup).text)
    assert "1 step(s) taken" in text and "<img src=x" not in markup.replace(PREFIX, "")
    assert EVIL not in markup and f"u {svg.esc(EVIL)} (⊥" in images(markup)[0]  # the plane's label


def test_pmi_view_snapshot_before_and_after_training():
    model = w2v.Word2Vec(vector_size=16, window=2, min_count=1, sample=0, epochs=2, alpha=0.05, device="cpu")
    view = w2v.PMIView(model, make_corpus(600), word="cat")
    _check_wiring(view)
    assert "no vectors yet" in view.snapshot_html("c") and "<img" not in view.snapshot_html("c")
    model.fit(view.corpus)
    markup = view.snapshot_html("c")
    pictures = images(markup)
    assert len(pictures) == 3 and pictures[-1] == view._scatter.value  # two bar charts, the scatter
    assert "correlation of u·v" in "".join(Elements(markup).text)


def test_analogy_lab_and_pairs_viewer_snapshots_escape_words():
    vectors = demo_vectors(300, seed=0)
    lab = w2v.AnalogyLab(vectors)
    _check_wiring(lab)
    assert "Ask a question" in lab.snapshot_html("c")
    lab.ask("man", "king", "woman", "queen")
    markup = lab.snapshot_html("c")
    assert len(images(markup)) == 1 and "queen" in "".join(Elements(markup).text)
    viewer = w2v.PairsViewer(make_corpus(300), min_count=1, sample=1)
    _check_wiring(viewer)
    viewer.tokens = ["the", "cat", EVIL, "sat"]
    markup = viewer.snapshot_html("c")
    assert markup.count(svg.esc(EVIL)) >= 1 and EVIL not in markup
    assert "pairs" in "".join(Elements(markup).text)

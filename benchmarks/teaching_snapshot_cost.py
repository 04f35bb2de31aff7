"""What a teaching widget's static snapshot costs the kernel, against the widget's own redraw.

    python benchmarks/teaching_snapshot_cost.py [--repeats 7]

A teaching widget (UpdateStepper, PMIView, AnalogyLab, PairsViewer) displayed in a kernel is
followed by a static snapshot of its picture (widgets/teaching/snapshot.py), refreshed after
its redraws, at most every 0.5 s. A snapshot reuses the markup the widget just drew (its SVG
turned into base64 <img> data URIs): no drawing. For each widget, on the embedded sample corpus
(the first 4,000 sentences, as notebook 07 does; one epoch), prints the median redraw, the
median snapshot (the HTML made; the update_display message adds its sending), their ratio and
the snapshot's size. No kernel: the widgets' comms are the no-op ones.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import w2v_widgets as w2v


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    sample = w2v.datasets.load_sample()
    corpus = w2v.Corpus.from_texts([sample.sentence(i) for i in range(4000)], name="first 4,000")
    model = w2v.Word2Vec(vector_size=50, window=2, sample=0, epochs=1, seed=0).fit(corpus)
    stepper = w2v.UpdateStepper(model, centre="france", context="spain", k=5)
    view = w2v.PMIView(model, corpus, word="city")
    lab = w2v.AnalogyLab(model)
    viewer = w2v.PairsViewer(corpus)
    widgets = {
        "UpdateStepper (step)": (stepper, stepper.step),
        "PMIView (refresh)": (view, view.refresh),
        "AnalogyLab (ask)": (lab, lambda: lab.ask("one", "two", "three", "four")),
        "PairsViewer (resample)": (viewer, viewer.resample),
    }
    print(f"{corpus.n_tokens:,} tokens, {len(model.wv):,} words; medians of {args.repeats}")
    print(f"{'widget':24} {'redraw s':>9} {'snapshot s':>11} {'ratio':>7} {'KiB':>6}")
    for name, (widget, redraw) in widgets.items():
        snap = widget.offline
        redraw_s = median_seconds(redraw, args.repeats)
        snapshot_s = median_seconds(snap.bundle, args.repeats)
        size = len(snap.bundle()["text/html"]) / 1024
        print(f"{name:24} {redraw_s:9.4f} {snapshot_s:11.4f} {snapshot_s / redraw_s:7.3f} {size:6.0f}")


if __name__ == "__main__":
    main()

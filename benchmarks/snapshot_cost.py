"""What a LossChart's static snapshot costs the kernel, against one live redraw.

    python benchmarks/snapshot_cost.py [--points 2000] [--repeats 7]

A snapshot (widgets/live/snapshot.py: the chart drawn as SVG by vl-convert, base64 in an
<img>) runs when the chart is displayed and when training pauses or ends; a redraw (chart data
downsampled and sent in the JupyterChart's spec) runs up to twice a second during training.
Prints the first snapshot of the process (vl-convert's start), the median of the next ones, the
median redraw, and their ratio. No kernel: the widget's comm is the no-op one.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from w2v_widgets.widgets.live.loss_chart import LossChart


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=2000, help="intervals on the curve (all drawn)")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    chart = LossChart(max_points=args.points)
    rng = np.random.default_rng(0)
    words = np.arange(1, args.points + 1) * 1000.0
    loss = 2.2 + 2.0 * np.exp(-words / (words[-1] / 20)) + rng.normal(0, 0.05, args.points)
    for i, (w, v) in enumerate(zip(words, loss, strict=True)):
        chart.series.append(w, i * 3 // args.points, v, v)
    css = chart.snapshot.css_class
    first = timed(lambda: chart.snapshot_html(css))
    snapshots = [timed(lambda: chart.snapshot_html(css)) for _ in range(args.repeats)]
    redraws = [timed(chart.draw) for _ in range(args.repeats)]
    size = len(chart.snapshot_html(css))
    snap, redraw = statistics.median(snapshots), statistics.median(redraws)
    print(f"{args.points:,} points, {args.repeats} repeats; snapshot HTML {size / 1024:.0f} KiB")
    print(f"first snapshot (vl-convert starts)  {first:7.3f} s")
    print(f"snapshot, median                    {snap:7.3f} s")
    print(f"redraw, median                      {redraw:7.3f} s")
    print(f"snapshot / redraw                   {snap / redraw:7.1f} x")


if __name__ == "__main__":
    main()

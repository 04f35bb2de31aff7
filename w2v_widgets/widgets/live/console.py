"""The widgets' plain-text fallback: where no front-end renders widgets (a terminal, a
script, a notebook run by nbconvert), follow training with a progress bar and printed tables.

:func:`follow` runs in the calling thread and polls the model, so everything it prints goes
to the caller's output (a background thread's prints could land in another cell).
"""

from __future__ import annotations

import contextlib
import sys
import time
from typing import Any, TextIO

from tqdm.std import tqdm

from .status import error_text, format_duration


def follow(
    model: Any,
    table: Any = None,
    timeout: float | None = None,
    file: TextIO | None = None,
    poll: float = 0.5,
) -> bool:
    """Show a text progress bar until ``model``'s background run ends; True if it ended.

    At the end of each epoch (and of the run) the neighbour ``table`` (a NeighbourTable),
    if given, is printed. Ctrl-C stops training cleanly, then raises KeyboardInterrupt.
    Returns False when ``timeout`` seconds pass first (training goes on).
    """
    out = file if file is not None else sys.stdout
    deadline = None if timeout is None else time.monotonic() + timeout
    bar = tqdm(
        total=0,
        unit="word",
        unit_scale=True,
        file=out,
        mininterval=poll,
        dynamic_ncols=False,
        ncols=100,
        leave=True,
    )
    epochs_shown: set[int] = set()
    error: BaseException | None = None
    done = False
    try:
        while True:
            wait = poll if deadline is None else max(0.0, min(poll, deadline - time.monotonic()))
            try:
                done = model.wait(wait)
            except BaseException as exc:  # the run failed: shown below
                if isinstance(exc, KeyboardInterrupt):
                    raise
                error, done = exc, True
            progress = dict(getattr(model, "progress", {}) or {})
            _update_bar(bar, progress)
            texts = dict(getattr(table, "epoch_texts", None) or {})  # filled at each epoch's end
            for epoch in sorted(set(texts) - epochs_shown):
                epochs_shown.add(epoch)
                bar.clear()
                print(f"after epoch {epoch}:", file=out)
                print(texts[epoch], file=out)
                bar.refresh()
            if done or (deadline is not None and time.monotonic() >= deadline):
                break
    except KeyboardInterrupt:
        bar.close()
        print("interrupted: stopping training...", file=out)
        model.stop()
        with contextlib.suppress(BaseException):  # already interrupting
            model.wait(30)
        raise
    bar.close()
    if not done:
        return False
    print(summary(model, error), file=out)
    if table is not None:
        print(_refreshed_text(table), file=out)
    return True


def _update_bar(bar: tqdm, progress: dict) -> None:
    total = int(progress.get("words_total", 0) or 0)
    if total and bar.total != total:
        bar.total = total
    done = int(progress.get("words_done", 0) or 0)
    if done != bar.n:
        bar.n = done
        postfix = {}
        if progress.get("epochs"):
            postfix["epoch"] = f"{progress.get('epoch', 0) + 1}/{progress['epochs']}"
        if progress.get("loss") is not None:
            postfix["loss"] = f"{progress['loss']:.4f}"
        if progress.get("lr") is not None:
            postfix["lr"] = f"{progress['lr']:.3g}"
        bar.set_postfix(postfix, refresh=False)
        bar.refresh()


def _refreshed_text(table: Any) -> str:
    try:
        table.refresh()
    except Exception as exc:  # never lose the summary over a table
        return f"(neighbour table unavailable: {error_text(exc)})"
    return table.to_text()


def summary(model: Any, error: BaseException | None = None) -> str:
    """One line on how the run ended."""
    state = getattr(model, "state", "?")
    progress = dict(getattr(model, "progress", {}) or {})
    words = progress.get("words_done", 0)
    elapsed = format_duration(progress.get("elapsed"))
    line = f"training {state}: {words:,} words in {elapsed}"
    if progress.get("loss") is not None:
        line += f", last loss {progress['loss']:.4f}"
    error = error if error is not None else getattr(model, "error", None)
    if error is not None:
        line += f"\nerror: {error_text(error)}"
    return line

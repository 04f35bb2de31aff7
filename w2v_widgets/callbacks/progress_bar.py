"""A tqdm progress bar (notebook-aware through ``tqdm.auto``) as a training callback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import Callback

NotebookView = Callable[[Any], Any]
"""Makes the view of a ``tqdm.notebook`` bar: ``view(bar)`` has ``show()``, ``final_text`` and
``finish(leave)``. The widgets layer, above this one, has it: the package sets
:attr:`ProgressBar.notebook_view` (``w2v_widgets/__init__.py``)."""


def _notebook_bar(tqdm: type) -> bool:
    """Whether ``tqdm.auto`` chose the notebook (ipywidgets) bar."""
    from tqdm.notebook import tqdm as notebook_tqdm

    return issubclass(tqdm, notebook_tqdm)


class ProgressBar(Callback):
    """Shows words done, words/s, loss and learning rate; says so when training stops early.

    In a notebook the bar is tqdm's widget followed by a static text copy of its last line,
    hidden wherever the widget draws: nbconvert's HTML offline shows the final bar as text.
    ``notebook_view`` (a class attribute, or an argument) makes that view; None shows tqdm's bar.
    """

    notebook_view: NotebookView | None = None

    def __init__(self, leave: bool = True, notebook_view: NotebookView | None = None, **tqdm_kwargs: Any):
        self.leave = leave
        self.notebook_view = notebook_view or ProgressBar.notebook_view  # the class's, unbound
        self.tqdm_kwargs = tqdm_kwargs
        self.bar = None
        self.view = None

    def on_train_begin(self, model: Any, logs: dict) -> None:
        from tqdm.auto import tqdm

        done = int(model.progress.get("words_done", 0)) if model.progress else 0
        settings = dict(
            total=logs["words_total"],
            initial=done,
            unit="word",
            unit_scale=True,
            leave=self.leave,
            desc="training",
            mininterval=0.2,
        )
        self.view = None
        if _notebook_bar(tqdm) and self.notebook_view is not None:
            self.bar = tqdm(**settings, display=False, **self.tqdm_kwargs)
            if hasattr(self.bar, "container"):  # absent when disabled
                self.view = self.notebook_view(self.bar)
                self.view.show()
        else:
            self.bar = tqdm(**settings, **self.tqdm_kwargs)

    def on_batch_end(self, model: Any, logs: dict) -> None:
        if self.bar is None:
            return
        self.bar.update(max(0, logs["words_done"] - self.bar.n))
        self.bar.set_postfix(
            epoch=f"{logs['epoch'] + 1}/{logs['epochs']}",
            loss=f"{logs['smoothed_loss']:.3f}",
            lr=f"{logs['lr']:.2g}",
            refresh=False,
        )

    def on_train_end(self, model: Any, logs: dict) -> None:
        if self.bar is None:
            return
        if logs["state"] == "finished":
            self.bar.update(self.bar.total - self.bar.n)
        else:
            self.bar.set_description(f"training {logs['state']}")
        if self.view is not None:
            self.view.final_text = str(self.bar)
        self.bar.close()
        if self.view is not None:  # the text left in nbconvert's HTML, where the bar is blank
            self.view.finish(self.leave)
            self.view = None
        self.bar = None

"""Old module paths (before the layer folders of 0.2) keep importing: ``w2v_widgets.models`` is
``w2v_widgets.training.models``, and so on. Nothing new should use them."""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
from types import ModuleType

OLD_PATHS = {
    "text": "data.text",
    "corpus": "data.corpus",
    "vocab": "data.vocabulary",
    "sampling": "data.sampling",
    "datasets": "data.datasets",
    "datasets.builtin": "data.datasets.builtin",
    "datasets.download": "data.datasets.download",
    "config": "training.config",
    "models": "training.models",
    "trainer": "training.trainer",
    "control": "training.control",
    "history": "training.history",
    "checkpoint": "training.checkpoints",
    "word2vec": "training.word2vec",
    "kernels": "training.kernels",
    "progress": "callbacks.progress_bar",
    "probes": "callbacks.probes",
    "stopping": "callbacks.early_stopping",
    "formats": "vectors.formats",
    "evaluation": "vectors.evaluation",
    "projections": "vectors.projections",
    "widgets.console": "widgets.live.console",
    "widgets.dashboard": "widgets.live.dashboard",
    "widgets.loss_chart": "widgets.live.loss_chart",
    "widgets.neighbor_table": "widgets.live.neighbor_table",
    "widgets.status": "widgets.live.status",
    "widgets.settings": "widgets.live.settings",
    "widgets.explorer_colors": "widgets.explorer.colors",
    "widgets.explorer_layout": "widgets.explorer.layout",
    "widgets.explorer_queries": "widgets.explorer.queries",
    "widgets.explorer_standalone": "widgets.explorer.standalone",
    "widgets.pairs_viewer": "widgets.teaching.pairs_viewer",
}


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str):
        self.target = target

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module(self.target)

    def exec_module(self, module: ModuleType) -> None:
        """The target module is already executed."""


class _AliasFinder(importlib.abc.MetaPathFinder):
    def __init__(self, package: str):
        self.prefix = package + "."
        self.package = package

    def find_spec(self, fullname: str, path=None, target=None):
        if not fullname.startswith(self.prefix):
            return None
        new = OLD_PATHS.get(fullname[len(self.prefix) :])
        if new is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _AliasLoader(f"{self.package}.{new}"))


def install(package: str) -> None:
    """Let ``package.<old path>`` import its new module (once per interpreter)."""
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.append(_AliasFinder(package))

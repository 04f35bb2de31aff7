"""Ready-made corpora: ``load("sample")``, ``load("ptb")``, ``load("text8")``, Chinese and Korean
text read from installed packages (``load("fortunes-zh")``, ``load("korean-law")``), and plug-ins; the
bundled evaluation sets: ``evaluation_sets()``.

Each dataset is a function returning a :class:`~w2v_widgets.Corpus`. Third-party packages add
their own through the entry-point group ``w2v_widgets.datasets``, e.g. in ``pyproject.toml``::

    [project.entry-points."w2v_widgets.datasets"]
    shakespeare = "my_package.data:load_shakespeare"

after which ``w2v_widgets.datasets.load("shakespeare")`` works. Such a loader may reuse
:func:`fetch` and :func:`extract_member` for a cached, verified download.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...registry import Registry
from .builtin import load_ptb, load_sample, load_text8, sample_path
from .download import cache_dir, download, extract_member, fetch
from .evaluation import evaluation_set_path, evaluation_sets
from .installed import load_fortunes_zh, load_korean_law

if TYPE_CHECKING:
    from ..corpus import Corpus

__all__ = [
    "DATASETS",
    "cache_dir",
    "download",
    "evaluation_set_path",
    "evaluation_sets",
    "extract_member",
    "fetch",
    "load",
    "load_fortunes_zh",
    "load_korean_law",
    "load_ptb",
    "load_sample",
    "load_text8",
    "names",
    "sample_path",
]

DATASETS = Registry("datasets")
DATASETS.register("sample", load_sample)
DATASETS.register("ptb", load_ptb)
DATASETS.register("text8", load_text8)
DATASETS.register("fortunes-zh", load_fortunes_zh)
DATASETS.register("korean-law", load_korean_law)


def load(name: str, **kwargs: Any) -> Corpus:
    """Load the dataset registered as ``name``; keywords go to its loader.

    Unknown names raise :class:`~w2v_widgets.errors.ConfigError` listing the known ones.
    """
    return DATASETS.get(name)(**kwargs)


def names() -> list[str]:
    """Names of every dataset available: built-in and from installed plug-ins."""
    return DATASETS.names()

"""Small registries that third-party packages extend through entry points.

A registry maps a name to a factory. Built-in entries are registered in code; others come from
the entry-point group ``w2v_widgets.<kind>`` of any installed distribution, e.g. in its
``pyproject.toml``::

    [project.entry-points."w2v_widgets.datasets"]
    shakespeare = "my_package.data:load_shakespeare"
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Any

from .errors import ConfigError


class Registry:
    """Name → callable, filled by ``register`` and lazily by entry points."""

    def __init__(self, kind: str):
        self.kind = kind
        self.group = f"w2v_widgets.{kind}"
        self._entries: dict[str, Callable[..., Any]] = {}
        self._loaded_entry_points = False

    def register(self, name: str, factory: Callable[..., Any] | None = None):
        """Register ``factory`` under ``name``; usable as a decorator."""

        def add(func: Callable[..., Any]) -> Callable[..., Any]:
            self._entries[name] = func
            return func

        return add(factory) if factory is not None else add

    def _load_entry_points(self) -> None:
        if self._loaded_entry_points:
            return
        self._loaded_entry_points = True
        for ep in entry_points(group=self.group):
            if ep.name not in self._entries:
                self._entries[ep.name] = _LazyEntryPoint(ep)

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(self._entries)

    def get(self, name: str) -> Callable[..., Any]:
        self._load_entry_points()
        try:
            entry = self._entries[name]
        except KeyError:
            raise ConfigError(
                f"unknown {self.kind[:-1] if self.kind.endswith('s') else self.kind} {name!r}; "
                f"choose one of: {', '.join(self.names())}"
            ) from None
        if isinstance(entry, _LazyEntryPoint):
            entry = self._entries[name] = entry.load()
        return entry

    def __contains__(self, name: object) -> bool:
        self._load_entry_points()
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())


class _LazyEntryPoint:
    def __init__(self, ep: Any):
        self.ep = ep

    def load(self) -> Callable[..., Any]:
        return self.ep.load()

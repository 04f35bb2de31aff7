"""The package's layout: layers import downwards only, no import cycles, small folders, and the
module paths of 0.1 still import."""

from __future__ import annotations

import ast
import importlib
import pathlib
import subprocess
import sys

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "w2v_widgets"
ENGINE = ("data", "training", "callbacks", "vectors")


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: pathlib.Path, modules: set[str]) -> set[str]:
    """Modules of the package imported at module level (outside functions and TYPE_CHECKING):
    ``from .x import y`` imports module ``x.y`` if there is one, else ``x`` itself."""
    tree = ast.parse(path.read_text())
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef):
                break
            if isinstance(sub, ast.ImportFrom) and sub.level:
                base = package.split(".")
                base = base[: len(base) - sub.level + 1]
                target = ".".join([*base, sub.module] if sub.module else base)
            elif isinstance(sub, ast.ImportFrom) and (sub.module or "").startswith("w2v_widgets"):
                target = sub.module
            else:
                continue
            for alias in sub.names:
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    names = set(modules)
    return {name: {m for m in _imports(path, names) if m != name} & names for name, path in modules.items()}


def test_no_import_cycles():
    edges = _graph()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in edges.get(node, ()):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node)


def test_the_engine_never_imports_widgets():
    for name, targets in _graph().items():
        if name.split(".")[1:2] and name.split(".")[1] in ENGINE:
            assert not [t for t in targets if t.startswith("w2v_widgets.widgets")], name
    heavy = ("ipywidgets", "anywidget", "w2v_widgets.widgets")
    code = f"import sys, w2v_widgets; print(sorted(m for m in sys.modules if m.startswith({heavy!r})))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_no_folder_holds_more_than_twelve_modules():
    for folder in [PACKAGE, *[p for p in PACKAGE.rglob("*") if p.is_dir() and p.name != "__pycache__"]]:
        modules = [p for p in folder.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 12, (folder, len(modules))


@pytest.mark.parametrize(
    "old, name",
    [
        ("w2v_widgets.models", "SkipGramNegativeSampling"),
        ("w2v_widgets.sampling", "keep_probability"),
        ("w2v_widgets.vectors", "WordVectors"),
        ("w2v_widgets.evaluation", "evaluate_word_pairs"),
        ("w2v_widgets.formats", "save_word2vec_format"),
        ("w2v_widgets.config", "TrainingConfig"),
        ("w2v_widgets.widgets.explorer", "EmbeddingExplorer"),
        ("w2v_widgets.widgets.dashboard", "TrainingDashboard"),
        ("w2v_widgets.callbacks", "Checkpoint"),
        ("w2v_widgets.datasets", "load_sample"),
    ],
)
def test_module_paths_of_0_1_still_import(old, name):
    assert getattr(importlib.import_module(old), name) is not None

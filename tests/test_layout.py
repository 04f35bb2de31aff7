"""The package's layout: layers import downwards only (deferred imports included), no import
cycles, small folders, one name per thing."""

from __future__ import annotations

import ast
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
    """Modules of the package that ``path`` imports anywhere, inside functions too (deferred
    imports still tie the layers), except under ``if TYPE_CHECKING:``; ``from .x import y``
    imports module ``x.y`` if there is one, else ``x`` itself."""
    tree = ast.parse(path.read_text())
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    skipped = {
        id(sub)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for sub in ast.walk(node)
    }
    found: set[str] = set()
    for sub in ast.walk(tree):
        if id(sub) in skipped:
            continue
        if isinstance(sub, ast.ImportFrom) and sub.level:
            base = package.split(".")
            base = base[: len(base) - sub.level + 1]
            target = ".".join([*base, sub.module] if sub.module else base)
        elif isinstance(sub, ast.ImportFrom) and (sub.module or "").startswith("w2v_widgets"):
            target = sub.module
        elif isinstance(sub, ast.Import):
            found.update(a.name for a in sub.names if a.name.startswith("w2v_widgets"))
            continue
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


# The layers, bottom up: a module imports modules of its own layer or of a layer below it. The
# package's top-level helper modules (errors, atomic, npy, registry, charts) sit at the bottom;
# the command line, the doctor it runs (which inspects every layer) and the package root (which
# wires the layers together) at the top.
LAYERS = {"base": 0, "data": 1, "vectors": 2, "callbacks": 3, "training": 4, "widgets": 5, "top": 6}
TOP = {"w2v_widgets", "w2v_widgets.cli", "w2v_widgets.doctor", "w2v_widgets.__main__"}
# Imports that may point up, each with its reason. Empty: none today.
UPWARD_ALLOWED: set[tuple[str, str]] = set()


def _layer(module: str) -> str:
    if module in TOP:
        return "top"
    part = module.split(".")[1]
    return part if part in LAYERS else "base"


def test_imports_point_down_only():
    upward = sorted(
        (name, target)
        for name, targets in _graph().items()
        for target in targets
        if LAYERS[_layer(target)] > LAYERS[_layer(name)] and (name, target) not in UPWARD_ALLOWED
    )
    assert not upward, "imports pointing up a layer: " + ", ".join(f"{a} -> {b}" for a, b in upward)


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


# Second names that stay, each with its reason.
SECOND_NAMES_ALLOWED = [
    "vectors/word_vectors.py: words_closer_than = closer_than",  # gensim KeyedVectors' name too
]


def test_no_import_hook_and_no_second_name():
    """One name per thing: importing the package adds no import hook (old module paths), and no
    module binds a second public name to one of its classes or functions (``Old = New``)."""
    code = "import sys; n = len(sys.meta_path); import w2v_widgets; print(len(sys.meta_path) - n)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "0"
    aliases = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for scope in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.ClassDef))]:
            defined = {n.name for n in scope.body if isinstance(n, ast.ClassDef | ast.FunctionDef)}
            for node in scope.body:
                if (
                    isinstance(node, ast.Assign)
                    and isinstance(node.value, ast.Name)
                    and node.value.id in defined
                    and any(isinstance(t, ast.Name) and not t.id.startswith("_") for t in node.targets)
                ):
                    aliases.append(f"{path.relative_to(PACKAGE)}: {ast.unparse(node)}")
    assert sorted(aliases) == SECOND_NAMES_ALLOWED


def test_no_two_classes_share_a_name():
    seen: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ClassDef):
                seen.setdefault(node.name, []).append(_module_name(path))
    assert not {k: v for k, v in seen.items() if len(v) > 1}


# The spelling of code names (CONTRIBUTING.md): "neighbour", British, everywhere; "color", as in
# CSS, SVG, WebGL and altair, whose keywords these names meet. Names of other libraries stay.
# umap's keyword, openTSNE's module and its private neighbour list
FOREIGN_NAMES = {"n_neighbors", "nearest_neighbors", "_PerplexityBasedNN__neighbors"}


def _python_names(path: pathlib.Path) -> set[str]:
    import io
    import tokenize

    tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
    return {t.string for t in tokens if t.type == tokenize.NAME}


def _typescript_names(path: pathlib.Path) -> set[str]:
    import re

    code = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    code = re.sub(r"//[^\n]*", "", code)
    code = re.sub(
        r"\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'", '""', code
    )  # strings: words shown, not names
    return set(re.findall(r"[A-Za-z_$][\w$]*", code))


def test_one_spelling_in_code_names():
    root = PACKAGE.parent
    files = [*root.glob("w2v_widgets/**/*.py"), *root.glob("tests/**/*.py"), *root.glob("benchmarks/*.py")]
    found = {(p, n) for p in files for n in _python_names(p)}
    found |= {(p, n) for p in root.glob("js/src/**/*.ts") for n in _typescript_names(p)}
    wrong = sorted(
        f"{p.relative_to(root)}: {n}"
        for p, n in found
        if n not in FOREIGN_NAMES and ("neighbor" in n.lower() or "colour" in n.lower())
    )
    assert not wrong, wrong


def test_a_one_process_fit_never_enters_the_data_parallel_code():
    """``fit`` in one process asks the process group its size and goes no further into
    ``training/distributed/``: the data-parallel run wraps the one-process path, not the reverse."""
    code = (
        "import sys, w2v_widgets as w2v\n"
        "model = w2v.Word2Vec(vector_size=8, epochs=1, min_count=1, device='cpu')\n"
        "model.fit(w2v.Corpus.from_texts(['a b c d e f g h i j'] * 20))\n"
        "print(sorted(m for m in sys.modules if m.startswith('w2v_widgets.training.distributed.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['w2v_widgets.training.distributed.group']"


def test_benchmarks_set_their_import_path_in_one_place():
    """The benchmark scripts share their set-up (``benchmarks/_common.py``: the import path,
    ``machine()``, ``load()``, ``corpus_file()``); none edits ``sys.path`` or copies those helpers."""
    benchmarks = PACKAGE.parent / "benchmarks"
    for path in sorted(benchmarks.glob("*.py")):
        if path.name == "_common.py":
            continue
        tree = ast.parse(path.read_text())
        edits = [n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and ast.unparse(n) == "sys.path"]
        assert not edits, f"{path.name} edits sys.path: import _common instead"
        defined = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        copies = [name for name in defined if name in ("machine", "load")]
        assert not copies, f"{path.name} defines {copies}: use _common's"


def test_the_explorer_loads_no_chart_or_dataframe_library():
    """The explorer needs neither altair nor pandas to show a map (its analogy table imports
    pandas when asked for): at 3M words their ~110 MB counted in the kernel's peak, and their
    import took 1.8 of the explorer's 2.9 s."""
    code = (
        "import sys, numpy as np\n"
        "from w2v_widgets.vectors import WordVectors\n"
        "from w2v_widgets.widgets.explorer import EmbeddingExplorer\n"
        "wv = WordVectors([f'w{i}' for i in range(300)], np.random.default_rng(0).normal(size=(300, 8)))\n"
        "ex = EmbeddingExplorer(wv, n_words=None, projection='pca', page_words=50)\n"
        "ex._repr_mimebundle_()\n"
        "print(sorted(m for m in ('altair', 'pandas', 'vl_convert') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"

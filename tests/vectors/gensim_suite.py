"""Generate gensim's own KeyedVectors tests with ``KeyedVectors`` bound to our ``WordVectors``.

Nothing of gensim is committed here: at test time the installed gensim's ``test_keyedvectors.py``,
``test_glove2word2vec.py`` and the vector tests of ``test_word2vec.py`` are read, rewritten with
``ast`` and written to a temporary folder. The rewrite only renames: every reference to gensim's
``KeyedVectors`` class (``KeyedVectors``, ``keyedvectors.KeyedVectors``,
``gensim.models.KeyedVectors``...) becomes ``WordVectors``, and a gensim-trained model's vectors
being evaluated (``model.wv.evaluate_*``) are first copied into a ``WordVectors``. Expected values,
tolerances and test bodies stay gensim's. Tests of other gensim classes are left out.

Run it by hand: ``python tests/vectors/gensim_suite.py OUT_DIR`` writes the files and prints the
pytest command.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import gensim

GENSIM_TESTS = Path(gensim.__file__).resolve().parent / "test"

# test_word2vec.py mostly tests gensim's trainer; these are its tests of the vectors: every test
# that calls KeyedVectors, and the two evaluations of a trained model's vectors.
_WORD2VEC_EVALUATIONS = {"test_evaluate_word_analogies", "test_evaluate_word_pairs"}

PRELUDE = """
# --- added by tests/vectors/gensim_suite.py: KeyedVectors is w2v-widgets' WordVectors ---------
from w2v_widgets.vectors import WordVectors as _WordVectors

KeyedVectors = _WordVectors


def _load_word2vec_format(cls, fname, fvocab=None, binary=False, encoding="utf8",
                          unicode_errors="strict", limit=None, datatype=None, no_header=False,
                          binary_chunk_size=100 * 1024):
    import numpy as _np
    return cls.load_word2vec_format(
        fname, fvocab, binary=binary, encoding=encoding, unicode_errors=unicode_errors,
        limit=limit, datatype=datatype or _np.float32, no_header=no_header,
        binary_chunk_size=binary_chunk_size,
    )


def _as_word_vectors(gensim_kv):
    counts = [gensim_kv.get_vecattr(k, "count") for k in gensim_kv.index_to_key]
    return _WordVectors(list(gensim_kv.index_to_key), gensim_kv.vectors, counts)


def log_capture(*args, **kwargs):  # testfixtures' decorator, used only by tests left out here
    return lambda f: f
# ------------------------------------------------------------------------------------------------
"""

_KV_CHAINS = {
    "KeyedVectors",
    "keyedvectors.KeyedVectors",
    "models.KeyedVectors",
    "gensim.models.KeyedVectors",
    "gensim.models.keyedvectors.KeyedVectors",
}
_LOADER_CHAINS = {"gensim.models.keyedvectors._load_word2vec_format", "keyedvectors._load_word2vec_format"}


def _dotted(node: ast.AST) -> str | None:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class _BindToWordVectors(ast.NodeTransformer):
    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        dotted = _dotted(node)
        if dotted in _KV_CHAINS:
            return ast.copy_location(ast.Name("KeyedVectors", ast.Load()), node)
        if dotted in _LOADER_CHAINS:
            return ast.copy_location(ast.Name("_load_word2vec_format", ast.Load()), node)
        # model.wv.evaluate_*(...) -> _as_word_vectors(model.wv).evaluate_*(...)
        if (
            node.attr.startswith("evaluate_")
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "wv"
        ):
            wrapped = ast.Call(ast.Name("_as_word_vectors", ast.Load()), [node.value], [])
            return ast.copy_location(ast.Attribute(wrapped, node.attr, node.ctx), node)
        self.generic_visit(node)
        return node


def _uses_keyed_vectors(func: ast.FunctionDef) -> bool:
    return any(isinstance(n, ast.Attribute | ast.Name) and _dotted(n) in _KV_CHAINS for n in ast.walk(func))


def _keep_test(filename: str, func: ast.FunctionDef) -> bool:
    if filename != "test_word2vec.py":
        return True
    return func.name in _WORD2VEC_EVALUATIONS or _uses_keyed_vectors(func)


def rewrite(filename: str, source: str) -> tuple[str, list[str]]:
    """The rewritten module and the ids (``Class::test``) of the tests it keeps."""
    tree = ast.parse(source)
    kept: list[str] = []
    body: list[ast.stmt] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.ImportFrom) and stmt.module == "testfixtures":
            continue  # replaced by the prelude's stub
        if isinstance(stmt, ast.If) and "__main__" in ast.unparse(stmt.test):
            continue
        if isinstance(stmt, ast.ClassDef):
            members = []
            for member in stmt.body:
                if isinstance(member, ast.FunctionDef) and member.name.startswith("test"):
                    if not _keep_test(filename, member):
                        continue
                    kept.append(f"{stmt.name}::{member.name}")
                members.append(member)
            stmt.body = members
            if not any(f"{stmt.name}::" in k for k in kept):
                continue
        body.append(stmt)
    last_import = max(i for i, s in enumerate(body) if isinstance(s, ast.Import | ast.ImportFrom))
    prelude = ast.parse(PRELUDE).body
    tree.body = body[: last_import + 1] + prelude + body[last_import + 1 :]
    tree = _BindToWordVectors().visit(tree)
    ast.fix_missing_locations(tree)
    header = f"# Generated from gensim {gensim.__version__}'s {filename} by tests/vectors/gensim_suite.py\n"
    return header + ast.unparse(tree) + "\n", kept


FILES = ("test_keyedvectors.py", "test_word2vec.py", "test_glove2word2vec.py")


def generate(out_dir: Path) -> dict[str, list[str]]:
    """Write the rewritten modules (``test_gensim_<name>.py``) to ``out_dir``; returns the kept test
    ids per written file name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {}
    for filename in FILES:
        code, kept = rewrite(filename, (GENSIM_TESTS / filename).read_text(encoding="utf-8"))
        target = out_dir / f"test_gensim_{filename.removeprefix('test_')}"
        target.write_text(code, encoding="utf-8")
        written[target.name] = kept
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "gensim-suite")
    tests = generate(out)
    print(f"{sum(map(len, tests.values()))} tests written to {out}")
    print(f"run: python -m pytest -p no:cacheprovider {out}")

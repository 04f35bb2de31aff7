"""Every path the docs name in backticks exists: README.md, CONTRIBUTING.md, docs/ and
tests/browser/README.md are maps of the tree, and a map that names a file that moved misleads."""

from __future__ import annotations

import pathlib
import re
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = [
    "README.md",
    "CONTRIBUTING.md",
    *sorted(p.relative_to(ROOT).as_posix() for p in ROOT.glob("docs/*.md")),
]
DOCS.append("tests/browser/README.md")
SUFFIXES = (
    ".py",
    ".md",
    ".ts",
    ".sh",
    ".json",
    ".gz",
    ".txt",
    ".tsv",
    ".ipynb",
    ".toml",
    ".css",
    ".mjs",
    ".js",
)
# Paths named in backticks that are not in the tree, each with its reason.
NOT_IN_THE_TREE = {
    "w2v-demo/",  # the folder `w2v-widgets demo` writes
    "test-artifacts/",  # the folder the browser tests write their screenshots to
    "~/.cache/w2v-widgets",  # the download cache, in the user's home
    "/usr/bin/chromium",  # Debian's Chromium, which the browser tests drive
    # files of VS Code and vscode-jupyter that README quotes (how they render a notebook's outputs)
    "deserializers.ts",
    "extensions/notebook-renderers/src/index.ts",
    "webviewPreloads.ts",
    "webview-side/ipywidgets/renderer/index.ts",
    "vectors.txt",  # the files `w2v-widgets train` writes
    "history.csv",
    "distributed.json",
    "model.w2v",
}
# Where a path may be relative to, besides the repository and the document's folder.
BASES = ["w2v_widgets", "js/src", "js"]


def _tracked() -> set[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    files = set(out.split())
    return files | {str(pathlib.PurePosixPath(f).parent) for f in files}


def named_paths(text: str) -> set[str]:
    """Backticked spans that look like a path: no spaces, and a slash or a file suffix."""
    found = set()
    for span in re.findall(r"`([^`\n]+)`", text):
        span = span.split("::")[0].rstrip(".,:;")
        if " " in span or "://" in span or span.startswith(("-", "$", "w2v.", "text/", "image/")):
            continue
        if not re.fullmatch(r"[\w.~/*-]+", span):
            continue
        last = span.rstrip("/").rpartition("/")[2]
        if span.endswith(SUFFIXES) or ("/" in span and "." not in last.lstrip(".")) or span.endswith("/"):
            found.add(span)
    return found


@pytest.mark.parametrize("doc", [d for d in DOCS if (ROOT / d).exists()])
def test_backticked_paths_exist(doc):
    tracked = _tracked()
    basenames = {pathlib.PurePosixPath(f).name for f in tracked}
    here = pathlib.PurePosixPath(doc).parent
    missing = []
    for path in sorted(named_paths((ROOT / doc).read_text())):
        bare = path.rstrip("/")
        places = [bare, (here / bare).as_posix(), *(f"{base}/{bare}" for base in BASES)]
        if path in NOT_IN_THE_TREE or any(p in tracked for p in places):
            continue
        if "/" not in bare and bare in basenames:  # a file named alone, where the text says which folder
            continue
        if "*" in bare and any(pathlib.PurePosixPath(f).match(bare) for f in tracked):
            continue
        missing.append(path)
    assert not missing, f"{doc} names paths not in the tree: {missing}"


def test_the_check_finds_paths():
    text = (
        "`w2v_widgets/callbacks.py`, `a b`, `x = 1`, `docs/`, `text/plain`, `vectors/projections.PROJECTIONS`"
    )
    assert named_paths(text) == {"w2v_widgets/callbacks.py", "docs/"}


MACHINE_PATHS = re.compile(r"/work/|/home/\w|/Users/\w|\.\./shared/|[A-Z]:\\\\Users")


def test_no_path_of_a_machine_in_tracked_files():
    """Corpora and tools are found through arguments or environment variables, never a path of
    the machine a file was written on."""
    found = []
    for name in sorted(_tracked()):
        path = ROOT / name
        skipped = (".gz", ".png", ".zip", "package-lock.json", "explorer.js", "tests/test_doc_paths.py")
        if not path.is_file() or name.endswith(skipped):
            continue
        text = path.read_text(errors="replace")
        found += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if MACHINE_PATHS.search(line)]
    assert not found, found

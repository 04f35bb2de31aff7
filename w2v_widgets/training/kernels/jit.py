"""The skip-gram kernel in numba: machine code from LLVM at first use, no C compiler needed.

numba ships wheels with LLVM for Linux, macOS (arm64, x86) and Windows, so this path is the same
on every machine a student brings. The compiled code is cached on disk (``cache=True``: next to
this file, or in numba's per-user cache directory where the package is read-only), so only the
first use on a machine pays the compile (a few seconds); later processes load it in a fraction
of a second.

The update is word2vec's skip-gram with negative sampling in word2vec C's orientation (the
context word's input row predicts the centre word), with the noise words drawn once per centre
and shared by all its contexts (as Intel's pWord2Vec): the centre's ``m = 1 + negative`` output
rows are copied once into a small private block that stays in L1 cache while the window's
contexts are applied to it one after another, each exactly as word2vec applies a pair (with
``negative = 5`` the six dot products take one pass over the context row, and the six rows and
the context row are updated in one fused pass); the block's change is added back to the tables
once. That reads ``c + m`` table rows per centre instead of word2vec's ``c x (m + 1)``. Those rows
lie scattered over tables larger than the cache, so each centre asks the cache for the next
centres' rows (and their noise words' places in the noise table) while it computes.
Randomness (subsampling, radii, noise words) is drawn inside the kernel from generators seeded by
``(seed, position)``, so any cut of a chunk into calls gives the same result. Threads claim
blocks of centres through an atomic counter and update the shared tables without locks
(Hogwild, as word2vec C); one thread is bitwise reproducible.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic

BLOCK = 32  # centre positions a thread claims at a time
SIGMOID_MAX = 8.0  # sigmoid and softplus by interpolated tables on [-8, 8]
TABLE_SIZE = 2048

_U = np.uint64


def function_tables() -> tuple[np.ndarray, np.ndarray]:
    """Sigmoid and softplus sampled on ``TABLE_SIZE + 2`` points of [-8, 8] (float32)."""
    x = -SIGMOID_MAX + 2.0 * SIGMOID_MAX * np.arange(TABLE_SIZE + 2) / TABLE_SIZE
    return (1 / (1 + np.exp(-x))).astype(np.float32), np.log1p(np.exp(x)).astype(np.float32)


@intrinsic
def _fetch_add(typingctx, counter, value):
    """Atomically add ``value`` to ``counter[0]`` (a 1-d int64 array); return the old value."""
    if not (isinstance(counter, types.Array) and counter.dtype == types.int64):
        return None
    if not isinstance(value, types.Integer):
        return None
    sig = types.int64(counter, value)

    def codegen(context, builder, signature, args):
        array, amount = args
        data = context.make_array(signature.args[0])(context, builder, array).data
        amount = context.cast(builder, amount, signature.args[1], types.int64)
        return builder.atomic_rmw("add", data, amount, "monotonic")

    return sig, codegen


@intrinsic
def _prefetch(typingctx, array, index):
    """Ask the cache for the line holding ``array.flat[index]`` (a C-contiguous array), to read
    soon: a hint that never faults and changes no result (LLVM's ``llvm.prefetch``)."""
    if not (isinstance(array, types.Array) and array.layout == "C" and isinstance(index, types.Integer)):
        return None
    sig = types.void(array, index)

    def codegen(context, builder, signature, args):
        data = context.make_array(signature.args[0])(context, builder, args[0]).data
        at = context.cast(builder, args[1], signature.args[1], types.intp)
        byte_pointer, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32])
        prefetch = builder.module.declare_intrinsic("llvm.prefetch", [byte_pointer], fnty)
        read, keep_in_all_levels, data_cache = (ir.Constant(i32, v) for v in (0, 3, 1))
        address = builder.bitcast(builder.gep(data, [at]), byte_pointer)
        builder.call(prefetch, [address, read, keep_in_all_levels, data_cache])
        return context.get_dummy_value()

    return sig, codegen


@njit(inline="always")
def _splitmix64(z):
    z = z + _U(0x9E3779B97F4A7C15)
    z = (z ^ (z >> _U(30))) * _U(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U(27))) * _U(0x94D049BB133111EB)
    return z ^ (z >> _U(31))


@njit(inline="always")
def _next_draw(state, size):
    """One step of a centre's noise generator (a 64-bit LCG): the new state, and the draw, its high
    32 bits scaled to ``0..size-1`` (an index into the noise table)."""
    state = state * _U(6364136223846793005) + _U(1442695040888963407)
    return state, ((state >> _U(32)) * size) >> _U(32)


@njit(inline="always")
def _prefetch_row(rows, row):
    """Ask the cache for every 64-byte line (16 float32) of ``rows[row]``."""
    d = rows.shape[1]
    for j in range(0, d, 16):
        _prefetch(rows, row * d + j)


@njit(inline="always")
def _lookup(table, x):
    """Linear interpolation in a function table at ``x`` in [-8, 8)."""
    pos = (x + np.float32(SIGMOID_MAX)) * np.float32(TABLE_SIZE / (2 * SIGMOID_MAX))
    i = int(pos)
    w = pos - np.float32(i)
    return table[i] + w * (table[i + 1] - table[i])


@njit(nogil=True, cache=True)
def prepare_chunk(ids, sentence, keep_prob, window, seed, out_tokens, out_sentence, out_radius):
    """Subsample (keep token ``i`` with ``keep_prob[ids[i]]``) and draw radii in ``1..window``
    from a generator seeded by ``(seed, i)``; write the kept tokens; return how many."""
    useed = _U(seed)
    uwindow = _U(window)
    m = 0
    for i in range(ids.shape[0]):
        x = _splitmix64(useed + _U(2) * _U(i))
        u = np.float64(x >> _U(11)) * (1.0 / 9007199254740992.0)
        if u >= keep_prob[ids[i]]:
            continue
        y = _splitmix64(useed + _U(2) * _U(i) + _U(1))
        out_tokens[m] = ids[i]
        out_sentence[m] = sentence[i]
        out_radius[m] = 1 + np.int64(((y >> _U(32)) * uwindow) >> _U(32))
        m += 1
    return m


@njit(nogil=True, cache=True)
def pair_offsets(tokens, sentence, radius, lo, hi):
    """``offsets[p - lo]``: the first loss slot of centre ``p``; the last entry is the pair count."""
    n = tokens.shape[0]
    offsets = np.zeros(hi - lo + 1, np.int64)
    for p in range(lo, hi):
        r = radius[p]
        c = 0
        for o in range(-r, r + 1):
            q = p + o
            if o != 0 and q >= 0 and q < n and sentence[q] == sentence[p]:
                c += 1
        offsets[p - lo + 1] = offsets[p - lo] + c
    return offsets


# reassociation lets LLVM vectorise the sums; no "nnan"/"ninf": a NaN loss must stay visible
_FASTMATH = {"nsz", "arcp", "contract", "afn", "reassoc"}


@njit(nogil=True, cache=True, fastmath=_FASTMATH, boundscheck=False)
def sgns_worker(
    w_in,
    w_out,
    tokens,
    sentence,
    radius,
    table,
    lo,
    hi,
    window,
    negative,
    lr,
    seed,
    offsets,
    losses,
    counter,
    sigmoid,
    softplus,
):
    """Claim blocks of centres from ``counter`` until ``hi``; train each centre's window.
    Returns the number of positions this thread trained."""
    n = tokens.shape[0]
    d = w_in.shape[1]
    max_ctx = 2 * window  # radii are at most window
    m_max = negative + 1
    ctx = np.empty(max(1, max_ctx), np.int64)
    tgt = np.empty(m_max, np.int64)
    u = np.empty((m_max, d), np.float32)  # the targets' output rows, updated context by context
    u0 = np.empty((m_max, d), np.float32)  # the same rows as read: the write-back adds u - u0
    fl = np.empty(m_max, np.float32)
    gl = np.empty(m_max, np.float32)
    useed = _U(seed)
    tsize = _U(table.shape[0])
    lr32 = np.float32(lr)
    top = np.float32(SIGMOID_MAX)
    done = 0
    while True:
        b = _fetch_add(counter, BLOCK)
        if b >= hi:
            break
        b_end = min(b + BLOCK, hi)
        for p in range(b, b_end):
            # the rows the next centres will read are scattered over tables larger than the cache:
            # ask for them ahead (1.5-1.8x on one thread), first where p + 2's noise words sit in
            # the noise table, then p + 1's noise words' and centre's output rows, its new context
            q = p + 2
            if q < n:
                state = _splitmix64(useed + _U(q))
                for _ in range(negative):
                    state, draw = _next_draw(state, tsize)
                    _prefetch(table, draw)
            q = p + 1
            if q < n:
                state = _splitmix64(useed + _U(q))
                for _ in range(negative):
                    state, draw = _next_draw(state, tsize)
                    _prefetch_row(w_out, table[draw])
                _prefetch_row(w_out, tokens[q])
                if q + window < n:
                    _prefetch_row(w_in, tokens[q + window])
            r = radius[p]
            s = sentence[p]
            nc = 0
            for o in range(-r, r + 1):
                q = p + o
                if o != 0 and q >= 0 and q < n and sentence[q] == s:
                    ctx[nc] = tokens[q]
                    nc += 1
            if nc == 0:
                continue
            centre = tokens[p]
            tgt[0] = centre
            m = 1
            state = _splitmix64(useed + _U(p))
            for _ in range(negative):
                state, draw = _next_draw(state, tsize)
                word = table[draw]
                if word != centre:  # as word2vec and gensim: a noise word is never the positive
                    tgt[m] = word
                    m += 1
            for t in range(m):
                row = tgt[t]
                for j in range(d):
                    u[t, j] = w_out[row, j]
                    u0[t, j] = u[t, j]
            slot = offsets[p - lo]
            for c in range(nc):  # each context in turn, as word2vec, against the current block
                row = ctx[c]
                if m == 6:  # negative = 5: the six dot products in one pass over the input row
                    a0 = a1 = a2 = a3 = a4 = a5 = np.float32(0.0)
                    for j in range(d):
                        vj = w_in[row, j]
                        a0 += vj * u[0, j]
                        a1 += vj * u[1, j]
                        a2 += vj * u[2, j]
                        a3 += vj * u[3, j]
                        a4 += vj * u[4, j]
                        a5 += vj * u[5, j]
                    fl[0], fl[1], fl[2], fl[3], fl[4], fl[5] = a0, a1, a2, a3, a4, a5
                else:
                    for t in range(m):
                        acc = np.float32(0.0)
                        for j in range(d):
                            acc += w_in[row, j] * u[t, j]
                        fl[t] = acc
                loss = np.float32(0.0)
                for t in range(m):
                    x = fl[t]
                    z = -x if t == 0 else x  # this target's loss is softplus(z)
                    if not x > -top:  # also NaN: the loss stays NaN and the trainer stops
                        sig = np.float32(0.0)
                    elif x >= top:
                        sig = np.float32(1.0)
                    else:
                        sig = _lookup(sigmoid, x)
                    if z <= -top:
                        sp = np.float32(0.0)
                    elif not z < top:
                        sp = z
                    else:
                        sp = _lookup(softplus, z)
                    loss += sp
                    gl[t] = ((np.float32(1.0) if t == 0 else np.float32(0.0)) - sig) * lr32
                losses[slot + c] = loss
                if m == 6:  # negative = 5: one fused pass (v += sum g u with the old u; u += g v)
                    g0, g1, g2, g3, g4, g5 = gl[0], gl[1], gl[2], gl[3], gl[4], gl[5]
                    for j in range(d):
                        vj = w_in[row, j]
                        ee = (
                            g0 * u[0, j]
                            + g1 * u[1, j]
                            + g2 * u[2, j]
                            + g3 * u[3, j]
                            + g4 * u[4, j]
                            + g5 * u[5, j]
                        )
                        u[0, j] += g0 * vj
                        u[1, j] += g1 * vj
                        u[2, j] += g2 * vj
                        u[3, j] += g3 * vj
                        u[4, j] += g4 * vj
                        u[5, j] += g5 * vj
                        w_in[row, j] = vj + ee
                else:
                    for j in range(d):
                        vj = w_in[row, j]
                        ee = np.float32(0.0)
                        for t in range(m):
                            ee += gl[t] * u[t, j]
                            u[t, j] += gl[t] * vj
                        w_in[row, j] = vj + ee
            for t in range(m):  # add the block's change (Hogwild: other threads' steps are kept)
                row = tgt[t]
                for j in range(d):
                    w_out[row, j] += u[t, j] - u0[t, j]
        done += b_end - b
    return done


FUNCTIONS = ("prepare_chunk", "pair_offsets", "sgns_worker")


def warm_up(tables: tuple[np.ndarray, np.ndarray], functions: tuple[str, ...] = FUNCTIONS) -> None:
    """Call the named functions once on four tokens of one sentence (radius 1, a 1 x 4 table),
    with the argument types training passes: each loads its machine code from numba's cache or
    compiles it. ``tables``: :func:`function_tables`."""
    ids = np.zeros(4, np.int64)
    sentence = np.zeros(4, np.int32)
    radius = np.ones(4, np.int64)
    if "prepare_chunk" in functions:
        out = (np.empty(4, np.int64), np.empty(4, np.int32), np.empty(4, np.int64))
        prepare_chunk(ids, sentence, np.ones(1), 1, 1, *out)
    if "pair_offsets" in functions:
        pair_offsets(ids, sentence, radius, 0, 4)
    if "sgns_worker" in functions:
        offsets = np.array([0, 1, 3, 5, 6], np.int64)  # pair_offsets of those tokens: 1, 2, 2, 1 contexts
        w = np.zeros((1, 4), np.float32)
        losses = np.empty(int(offsets[-1]), np.float32)
        counter = np.zeros(1, np.int64)
        args = (w, w.copy(), ids, sentence, radius, ids, 0, 4, 1, 1, 0.01, 1, offsets, losses, counter)
        sgns_worker(*args, *tables)

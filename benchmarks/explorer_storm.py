"""The explorer's kernel side under a storm of hover and search messages while the model trains.

    python benchmarks/explorer_storm.py [--rate 1000] [--seconds 60] [--words 20000]

One process plays the kernel: a ``Word2Vec`` trains in its background thread on a synthetic
Zipf corpus while the main thread (the kernel's shell thread) feeds the ``EmbeddingExplorer`` on
that model ``--rate`` custom messages a second for ``--seconds`` through the widget's own message
handler (``_messages.receive``, as the comm calls it), alternating hover-neighbour queries and search
completions, each with its id and its channel as the page sends them. Replies are captured from
``send``. A request that a newer one on its channel replaces before it is computed is answered at
once as ``superseded`` (``w2v_widgets/widgets/explorer/dispatch.py``); the others are computed.

Reported: training words/s during the storm against the same model's words/s alone just before
(the ratio should stay >= 0.9), messages answered (each id exactly once), reply latency (median,
p99), and the process's RSS at the start and end of the storm (flat means no growth). Stale
replies are dropped in the front-end (``js/src/backend/protocol.ts``: a reply whose channel has a
newer request is discarded): here the script replays that rule on the replies it receives and
counts the ones a front-end would have dropped.
"""

from __future__ import annotations

import argparse
import collections
import resource
import statistics
import time

import numpy as np

import w2v_widgets as w2v
from w2v_widgets.widgets.explorer.widget import EmbeddingExplorer


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def zipf_corpus(words: int, tokens: int, seed: int = 0) -> w2v.Corpus:
    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(words)])
    weights = 1 / np.arange(1, words + 1)
    ids = rng.choice(words, size=tokens, p=weights / weights.sum())
    return w2v.Corpus.from_texts([list(vocab[ids[i : i + 20]]) for i in range(0, tokens, 20)])


def words_per_second(model: w2v.Word2Vec, seconds: float) -> float:
    start_words, t0 = model.progress.get("words_done", 0), time.perf_counter()
    time.sleep(seconds)
    return (model.progress.get("words_done", 0) - start_words) / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rate", type=int, default=1000, help="messages a second")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--words", type=int, default=20_000, help="vocabulary size")
    parser.add_argument("--baseline", type=float, default=15, help="seconds of training alone")
    args = parser.parse_args()

    corpus = zipf_corpus(args.words, 2_000_000)
    model = w2v.Word2Vec(vector_size=100, min_count=1, epochs=1000, log_every=1)
    model.fit(corpus, background=True)
    while not model.progress:
        time.sleep(0.05)
    explorer = EmbeddingExplorer(model, n_words=2000, projection="pca")
    explorer.wait(60)
    replies: list[tuple[float, dict]] = []
    sent: dict[str, tuple[float, str, int]] = {}  # id -> (time, channel, seq)
    seq: collections.Counter[str] = collections.Counter()
    stale = stale_computed = 0

    def capture(content: dict, buffers=None) -> None:
        nonlocal stale, stale_computed
        replies.append((time.perf_counter(), content))
        _, channel, s = sent[content["id"]]
        stale += s != seq[channel]  # the front-end's rule: a newer request on the channel wins
        stale_computed += s != seq[channel] and "result" in content

    explorer.send = capture  # type: ignore[method-assign]
    vocab = model.wv.index_to_key

    time.sleep(2)  # warm
    alone = words_per_second(model, args.baseline)

    rss0 = rss_mb()
    rng = np.random.default_rng(1)
    interval = 1 / args.rate
    start_words, t0 = model.progress["words_done"], time.perf_counter()
    n = 0
    rss_samples = []
    while (now := time.perf_counter()) - t0 < args.seconds:
        due = int((now - t0) / interval)  # messages due by now: catch up if behind
        while n < due and time.perf_counter() - t0 < args.seconds:
            word = vocab[int(rng.integers(len(vocab)))]
            if n % 2 == 0:
                channel, content = "hover", {"type": "neighbours", "word": word, "k": 10, "reason": "hover"}
            else:
                channel, content = "search", {"type": "complete", "prefix": word[:3], "limit": 10}
            seq[channel] += 1
            qid = f"q{n}"
            content["id"] = qid
            content["channel"] = "neighbours" if channel == "hover" else "complete"  # as the page sends
            sent[qid] = (time.perf_counter(), channel, seq[channel])
            explorer._messages.receive(explorer, content, [])
            n += 1
        if n % 1000 == 0:
            rss_samples.append(rss_mb())
        time.sleep(max(0.0, interval - (time.perf_counter() - now)))
    storm_seconds = time.perf_counter() - t0
    during = (model.progress["words_done"] - start_words) / storm_seconds
    rss1 = rss_mb()
    explorer._messages.dispatcher.flush(10)  # the last request of each channel is still answered
    model.stop()
    model.wait(60)

    answered = collections.Counter(r["id"] for _, r in replies if isinstance(r, dict) and "id" in r)
    superseded = [r for _, r in replies if r.get("superseded")]
    errors = [r for _, r in replies if "error" in r and not r.get("superseded")]
    latencies = sorted(t - sent[r["id"]][0] for t, r in replies if r.get("id") in sent and "result" in r)
    last = {
        channel: max((q for q, (_, c, _) in sent.items() if c == channel), key=lambda q: int(q[1:]))
        for channel in seq
    }
    last_answered = all(any(r.get("id") == q and "result" in r for _, r in replies) for q in last.values())
    print(
        f"storm: {n:,} messages in {storm_seconds:.1f} s ({n / storm_seconds:,.0f}/s asked {args.rate}/s), "
        f"vocabulary {len(vocab):,}"
    )
    print(
        f"answered: {len(answered):,} ids, each once: {set(answered.values()) == {1}}, "
        f"unanswered {n - len(answered)}, errors {len(errors)}"
    )
    print(
        f"computed: {n - len(superseded):,}; superseded by a newer request on the channel (answered at once, "
        f"not computed): {len(superseded):,}; the last request of each channel answered: {last_answered}"
    )
    print(
        f"computed reply latency: median {statistics.median(latencies) * 1e3:.2f} ms, "
        f"p99 {latencies[int(0.99 * (len(latencies) - 1))] * 1e3:.2f} ms"
    )
    print(f"stale replies a front-end would drop: {stale:,} ({stale_computed:,} of them computed)")
    print(
        f"training: {alone:,.0f} words/s alone, {during:,.0f} during the storm: ratio {during / alone:.2f} "
        f"({'>= 0.9' if during / alone >= 0.9 else 'BELOW 0.9'})"
    )
    print(
        f"RSS: {rss0:.0f} MB at the start, {rss1:.0f} MB at the end "
        f"(min {min(rss_samples or [rss0]):.0f}, max {max(rss_samples or [rss1]):.0f})"
    )


if __name__ == "__main__":
    main()

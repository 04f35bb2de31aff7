"""Kiwi's options (kiwipiepy), memory against morphemes, on notebook 10's Korean corpus.

    python benchmarks/kiwi_memory.py

Each option set runs in a fresh process: ``Kiwi(**options)``, then every line of the korean-law
corpus (KoNLPy's constitution and bills: ``pip install konlpy``) tokenised. Prints the peak
resident memory (VmHWM, MB) above the process's before ``Kiwi()``, after ``Kiwi()`` and after
tokenising, the resident memory left once the model is deleted, the morphemes (tokens, distinct),
and how many lines' morphemes differ from Kiwi's defaults. The tokenizer "kiwi" uses the lightest
set whose morphemes do not differ (``w2v_widgets/data/tokenizers.py``).
"""

from __future__ import annotations

import json
import subprocess
import sys

from _common import REPO, load  # benchmarks/ is the script's folder: on sys.path

OPTIONS = [
    {},
    {"load_typo_dict": False},
    {"load_multi_dict": False},
    {"load_multi_dict": False, "load_typo_dict": False},
    {"load_multi_dict": False, "load_default_dict": False},
]

CHILD = """
import gc, json, sys
from w2v_widgets.data.datasets.installed import konlpy_corpus_paths
def vm(field):
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(field)) / 1024
lines = [line for path in konlpy_corpus_paths() for line in open(path, encoding="utf-8") if line.strip()]
import kiwipiepy
start = vm("VmRSS")
kiwi = kiwipiepy.Kiwi(**json.loads(sys.argv[1]))
built = vm("VmHWM")
morphemes = [[(t.form, t.tag) for t in kiwi.tokenize(line)] for line in lines]
tokenised = vm("VmHWM")
del kiwi
gc.collect()
print(json.dumps({"kiwi_mb": built - start, "peak_mb": tokenised - start, "left_mb": vm("VmRSS") - start,
                  "morphemes": morphemes}))
"""


def main() -> None:
    print(f"kiwipiepy {__import__('importlib.metadata').metadata.version('kiwipiepy')}; {load()}")
    reference = None
    for options in OPTIONS:
        out = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(options)],
            capture_output=True,
            text=True,
            check=True,
            cwd=REPO,
        )
        row = json.loads(out.stdout.strip().splitlines()[-1])
        morphemes = row.pop("morphemes")
        reference = reference or morphemes
        tokens = [form for line in morphemes for form, _ in line]
        differ = sum(a != b for a, b in zip(morphemes, reference, strict=True))
        print(
            f"{json.dumps(options):58} Kiwi() +{row['kiwi_mb']:4.0f} MB, tokenised +{row['peak_mb']:4.0f} MB "
            f"(peak), +{row['left_mb']:4.0f} MB left once deleted; {len(tokens):,} tokens, "
            f"{len(set(tokens)):,} distinct; {differ} of {len(morphemes):,} lines differ from the defaults'",
            flush=True,
        )


if __name__ == "__main__":
    main()

"""Tokenizers' speed in tokens/s, each in a fresh process, against the default tokenizer measured
in the same run on the same text (the ratio is the claim; absolute figures move with the machine).

    python benchmarks/tokenizers.py --zh FILE --ko FILE [--ja FILE] [--repeat 3]

FILE: UTF-8 text, one sentence or line a line (e.g. Debian's fortunes-zh `chinese` file; KoNLPy's
`kobill` bills concatenated). Without --ja, a few Japanese sentences written here, repeated, are
used. Prints a table: language, tokenizer, load seconds, tokens, tokens/s, ratio to default.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

JAPANESE = (
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。"
    "東京は日本の首都であり、多くの人々が電車で通勤している。"
    "私は昨日、友達と一緒に図書館へ行って本を三冊借りました。"
    "春になると桜が咲き、公園には花見をする家族がたくさん集まる。\n"
)

CHILD = r"""
import json, sys, time
from w2v_widgets.data.text import iter_text_pieces
from w2v_widgets.data.tokenizers import get_tokenizer
path, name = sys.argv[1], sys.argv[2]
pieces = [text for text, _ in iter_text_pieces(path)]
start = time.perf_counter()
tokenize = get_tokenizer(name)
tokenize("warm up")
loaded = time.perf_counter()
n = sum(len(tokenize(text)) for text in pieces)
done = time.perf_counter()
print(json.dumps({"load_s": loaded - start, "tokens": n, "seconds": done - loaded}))
"""

PLAN = {
    "zh": ["default", "chars", "jieba"],
    "ko": ["default", "chars", "kiwi"],
    "ja": ["default", "chars", "sudachi"],
}


def measure(path: str, name: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, path, name], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--zh", required=True)
    parser.add_argument("--ko", required=True)
    parser.add_argument("--ja")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each (alternating); the best is kept")
    args = parser.parse_args()
    files = {"zh": args.zh, "ko": args.ko, "ja": args.ja}
    if files["ja"] is None:
        files["ja"] = str(Path(tempfile.mkdtemp()) / "ja.txt")
        Path(files["ja"]).write_text(JAPANESE * 2000, encoding="utf-8")
    print(f"{'lang':<4} {'tokenizer':<10} {'load s':>7} {'tokens':>9} {'tokens/s':>11} {'vs default':>10}")
    for lang, names in PLAN.items():
        best: dict[str, dict] = {}
        for _ in range(args.repeat):
            for name in names:  # alternate, so load on the machine hits each alike
                r = measure(files[lang], name)
                if name not in best or r["seconds"] < best[name]["seconds"]:
                    best[name] = r
        base = best["default"]["tokens"] / best["default"]["seconds"]
        for name in names:
            r = best[name]
            rate = r["tokens"] / r["seconds"]
            print(
                f"{lang:<4} {name:<10} {r['load_s']:7.2f} {r['tokens']:9,d} {rate:11,.0f} {rate / base:10.3f}"
            )


if __name__ == "__main__":
    main()

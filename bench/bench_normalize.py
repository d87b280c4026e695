"""The golden tables' scores, normalize's throughput, and how long the example issue takes.

    /work/venv/bin/python bench/bench_normalize.py [FILE] [--lang fr] [--repeat 20]

Prints, per language, the score of each golden-table category (tests/data/normalize_golden_*.tsv)
and the throughput over the table's sentences (sentences per second, warm, median of 5 runs,
plain ``normalize`` and ``normalize_with_map``); then the median time of a warm ``normalize``
call over the whole example text (target: < 200 ms), the first (cold) call, and the ratio
against baselines measured in the same run on the same text: a plain ``str.split`` pass and
a single regex substitution (so a slower or faster machine shows in both numbers alike).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE.parent))

from audio_edition.normalize import normalize, normalize_with_map  # noqa: E402
from tests.golden import LANGS, load, score, table  # noqa: E402

DEFAULT = HERE.parent / "tests" / "fixtures" / "seed" / "mammam-ia-2025-11-12.txt"


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("file", nargs="?", default=str(DEFAULT))
    ap.add_argument("--lang", default="fr")
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args()
    text = Path(args.file).read_text(encoding="utf-8")

    for lang in LANGS:
        rows = load(lang)
        print(table(score(rows, normalize), lang))
        for name, fn in (("normalize", normalize), ("normalize_with_map", normalize_with_map)):
            def run_all(fn=fn, rows=rows) -> None:
                for r in rows:
                    fn(r.written, r.lang)
            run_all()  # warm: rules compiled, caches filled
            t = timed(run_all, 5)
            print(f"{lang}: {name:<19} {len(rows) / t:8,.0f} sentences/s  ({len(rows)} sentences)")
        print()

    t0 = time.perf_counter()
    normalize(text, args.lang)
    cold = time.perf_counter() - t0
    warm = timed(lambda: normalize(text, args.lang), args.repeat)
    split = timed(lambda: " ".join(text.split()), args.repeat)
    one_regex = re.compile(r"(?<![\w,.])\d+(?:,\d+)?")
    regex = timed(lambda: one_regex.sub(lambda m: "n", text), args.repeat)

    print(f"text: {args.file} ({len(text)} chars, {len(text.split())} words, lang={args.lang})")
    print(f"normalize, first call (compiles rules): {cold * 1000:7.1f} ms")
    print(f"normalize, warm (median of {args.repeat}):     {warm * 1000:7.1f} ms   (target < 200 ms)")
    print(f"baseline str.split pass:               {split * 1000:7.3f} ms   normalize = {warm / split:,.0f}x")
    print(f"baseline one regex substitution:       {regex * 1000:7.3f} ms   normalize = {warm / regex:,.0f}x")
    print("OK" if warm < 0.2 else "SLOW: over the 200 ms target")


if __name__ == "__main__":
    main()

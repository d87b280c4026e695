"""Regenerating the feed (and the pages) of a 1000-episode show (target: <= 2 s), and ``check`` on it (<= 5 s).

    PYTHONPATH=src python bench/bench_feed.py [--episodes 1000] [--runs 3]

The show is fabricated once in a temporary directory: a real small MP3 (bundled ffmpeg)
copied per episode, its transcripts, chapters and a valid ``episode.json`` (the same
files ``build`` writes, from ``tests/fakes/episodes.py``). Prints the median of each stage:
``write_feed`` (read every record, feedgen, atomic write), ``write_site`` once nothing
changed (it only rewrites pages whose HTML changed) and ``check_out``. Not a test: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from audio_edition.check import check_out
from audio_edition.config import parse_config
from audio_edition.feed import write_feed
from audio_edition.site import write_site
from tests.fakes.episodes import BASE_URL, make_show

CONFIG = parse_config({"show": {"title": "Bench", "owner_email": "bench@example.org", "base_url": BASE_URL}})


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--episodes", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        t0 = time.perf_counter()
        make_show(out, args.episodes, seconds=2.0)
        write_feed(out, CONFIG, BASE_URL)
        write_site(out, CONFIG, BASE_URL)
        print(f"fabricated {args.episodes} episodes in {time.perf_counter() - t0:.1f} s")
        feed = timed(lambda: write_feed(out, CONFIG, BASE_URL), args.runs)
        site = timed(lambda: write_site(out, CONFIG, BASE_URL), args.runs)
        report = check_out(out)
        check = timed(lambda: check_out(out), args.runs)
        print(f"write_feed: {feed:.2f} s (target <= 2 s); feed.xml {(out / 'feed.xml').stat().st_size / 1e6:.1f} MB")
        print(f"write_site (nothing changed): {site:.2f} s")
        print(f"check: {check:.2f} s (target <= 5 s); {report.episodes} items, {len(report.problems)} problems")
        for line in report.problems[:5]:
            print("  ", line)


if __name__ == "__main__":
    main()

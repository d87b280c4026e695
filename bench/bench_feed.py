"""Regenerating the feed (and the pages) of a 1000-episode show (target: <= 2 s), and ``check`` on it (<= 5 s).

    PYTHONPATH=src python bench/bench_feed.py [--episodes 1000] [--runs 3]

The show is fabricated once in a temporary directory: a real small MP3 (bundled ffmpeg)
copied per episode, its transcripts, chapters and a valid ``episode.json`` (the same
files ``build`` writes, from ``tests/fakes/episodes.py``). Prints the median of each stage:
``write_feed`` (read every record, feedgen, atomic write), ``write_site`` once nothing
changed (it only rewrites pages whose HTML changed) and ``check_out``, wall and CPU time
(the CPU figure is what an idle machine's wall time
would be, roughly; check's feedparser runs in a second process). Not a test: timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def timed(fn, runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time (this process and its children) of ``fn``."""
    walls, cpus = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), _cpu()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(_cpu() - c0)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


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
        print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time grows with it; CPU does not)")
        print(f"write_feed: {feed[0]:.2f} s wall, {feed[1]:.2f} s CPU (target <= 2 s); "
              f"feed.xml {(out / 'feed.xml').stat().st_size / 1e6:.1f} MB")
        print(f"write_site (nothing changed): {site[0]:.2f} s wall, {site[1]:.2f} s CPU")
        print(f"check: {check[0]:.2f} s wall, {check[1]:.2f} s CPU (target <= 5 s); {report.episodes} items, "
              f"{len(report.problems)} problems")
        for line in report.problems[:5]:
            print("  ", line)


if __name__ == "__main__":
    main()

"""``audio-edition cache``: see and trim the segment cache.

    audio-edition cache info  [--out DIR | --cache-dir DIR] [--json]
    audio-edition cache prune [--older-than DAYS] [--all] [--out DIR | --cache-dir DIR]

The cache lives in ``<out>/.audio-edition/cache`` (``--out`` as given to ``build``).
A click group; the main CLI registers it with ``cli.add_command(cache)``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from . import fsutil
from .engines.cache import SegmentCache


def _human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"  # pragma: no cover


def _age(ts: float | None) -> str:
    if ts is None:
        return "-"
    days = (time.time() - ts) / 86400
    return "today" if days < 1 else f"{days:.0f} day{'s' if days >= 1.5 else ''} ago"


def _cache_of(out_dir: Path, cache_dir: Path | None) -> SegmentCache:
    return SegmentCache(cache_dir if cache_dir is not None else fsutil.cache_dir(out_dir))


_dir_options = [
    click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
                 show_default=True, help="The build's --out directory (its cache is OUT/.audio-edition/cache)."),
    click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                 help="The cache directory itself (overrides --out)."),
]


def _with_dirs(f):
    for opt in reversed(_dir_options):
        f = opt(f)
    return f


@click.group("cache")
def cache():
    """Inspect or trim the segment cache that lets a rebuild skip unchanged segments."""


@cache.command("info")
@_with_dirs
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def info(out_dir, cache_dir, as_json):
    """How many segments are cached, for which engines, and how much disk they take."""
    c = _cache_of(out_dir, cache_dir)
    i = c.info()
    if as_json:
        click.echo(json.dumps(i.to_dict(), ensure_ascii=False, indent=2))
        return
    engines = ", ".join(f"{n} {e}" for e, n in sorted(i.by_engine.items())) or "none"
    click.echo(f"cache:     {c.root}")
    click.echo(f"segments:  {i.entries} ({engines}), {i.audio_seconds / 60:.1f} min of audio")
    click.echo(f"size:      {_human(i.bytes)}")
    click.echo(f"last used: newest {_age(i.newest_use)}, oldest {_age(i.oldest_use)}")
    if i.orphans:
        click.echo(f"leftovers: {i.orphans} file(s), {_human(i.orphan_bytes)} (audio-edition cache prune removes them)")


@cache.command("prune")
@_with_dirs
@click.option("--older-than", "days", type=click.FloatRange(min=0), metavar="DAYS",
              help="Also remove segments not used by any build for DAYS days.")
@click.option("--all", "everything", is_flag=True,
              help="Remove every cached segment (the next build re-synthesizes all).")
def prune(out_dir, cache_dir, days, everything):
    """Remove leftovers of interrupted builds, and old or all segments.

    Without options only leftovers go (temporary files, half-written entries); cached
    segments stay. A segment counts as used each time a build reads it.
    """
    if days is not None and everything:
        click.echo("audio-edition: error: --older-than and --all do not go together", err=True)
        sys.exit(2)
    c = _cache_of(out_dir, cache_dir)
    res = c.prune(older_than_days=days, everything=everything)
    click.echo(f"removed {res.removed} segment(s) and {res.orphans} leftover file(s), "
               f"freed {_human(res.freed_bytes)} in {c.root}")

"""``audio-edition cache info`` and ``cache prune``."""

from __future__ import annotations

import json
import os
import time

from click.testing import CliRunner

from audio_edition.cli_cache import cache
from audio_edition.engines.cache import SegmentCache
from audio_edition.engines.runner import SynthJob, synthesize_all


def fill(out_dir):
    jobs = [SynthJob(index=i, role="story", text=t, voice="fr") for i, t in enumerate(["Un.", "Deux.", "Trois."])]
    return synthesize_all(jobs, engine_name="espeak", cache_dir=out_dir / ".audio-edition" / "cache")


def run(*args):
    return CliRunner().invoke(cache, [str(a) for a in args], catch_exceptions=False)


def test_info_reports_segments_engines_and_size(tmp_path):
    fill(tmp_path)
    res = run("info", "--out", tmp_path)
    assert res.exit_code == 0
    assert "segments:  3 (3 espeak)" in res.output
    assert "KB" in res.output
    data = json.loads(run("info", "--out", tmp_path, "--json").output)
    assert data["entries"] == 3 and data["by_engine"] == {"espeak": 3}


def test_info_on_an_empty_cache(tmp_path):
    res = run("info", "--cache-dir", tmp_path / "none")
    assert res.exit_code == 0 and "segments:  0 (none)" in res.output


def test_prune_older_than_and_all(tmp_path):
    segs = fill(tmp_path)
    old = time.time() - 10 * 86400
    os.utime(segs[0].audio_path[:-4] + ".json", (old, old))
    res = run("prune", "--out", tmp_path, "--older-than", "7")
    assert res.exit_code == 0
    assert res.output.startswith("removed 1 segment(s) and 0 leftover file(s)")
    assert SegmentCache(tmp_path / ".audio-edition" / "cache").info().entries == 2
    res = run("prune", "--out", tmp_path, "--all")
    assert res.output.startswith("removed 2 segment(s)")
    assert SegmentCache(tmp_path / ".audio-edition" / "cache").info().entries == 0


def test_prune_rejects_contradictory_options(tmp_path):
    res = run("prune", "--out", tmp_path, "--all", "--older-than", "3")
    assert res.exit_code == 2 and "do not go together" in res.output

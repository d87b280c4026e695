"""The quality gate catches a silent and a clipped segment, and an episode off its loudness target."""

from __future__ import annotations

import json

import numpy as np

from audio_edition import quality
from audio_edition.config import SoundSection
from audio_edition.mix import MixSettings, render_mp3
from audio_edition.sound.library import load_show_sound
from audio_edition.timeline import produced_timeline

from .conftest import run_cli
from .test_mix import script, speechlike, write_wav

TINY = """<html lang="en"><head><title>Tiny Weekly #1</title>
<meta property="article:published_time" content="2025-01-02"></head><body><article><h1>Tiny Weekly #1</h1>
<p>Hello readers, two short stories this week.</p>
<h2><a href="https://example.org/a">Robots learn to fold laundry</a></h2>
<p>A lab taught a robot to fold shirts in under a minute, using a camera and a soft gripper.</p>
<h2><a href="https://example.org/b">A faster train between two cities</a></h2>
<p>The new line cuts the journey to forty minutes and opens next spring.</p></article></body></html>"""


def _gate(tmp_path, sources, seconds):
    sc = script(*["intro", "story", "story", "outro"][: len(sources)])
    sound = load_show_sound(SoundSection(), loudness=-16.0)
    tl = produced_timeline(sc, seconds, sources, sound.cues, pause=0.7)
    out = tmp_path / "ep.mp3"
    mixed = render_mp3(tl, out, MixSettings(channels=2, loudness=-16.0, bitrate="128k"), sound.samples)
    return quality.check(sc, tl, mixed, out, loudness=-16.0, tolerance=1.0, true_peak=-1.0)


def test_gate_passes_a_good_episode_and_records_its_figures(tmp_path):
    good = write_wav(tmp_path / "g.wav", speechlike(4, seed=1))
    rep = _gate(tmp_path, [good, good, good], [4.0, 4.0, 4.0])
    assert rep.passed, rep.problems
    f = rep.figures
    assert abs(f["loudness_lufs"] + 16) <= 1 and f["true_peak_dbtp"] <= -1
    assert len(f["segments"]) == 3 and all(s["chars_per_second"] for s in f["segments"])
    json.dumps(f)  # goes into episode.json as is


def test_gate_names_a_silent_segment(tmp_path):
    good = write_wav(tmp_path / "g.wav", speechlike(4, seed=1))
    silent = write_wav(tmp_path / "s.wav", np.zeros(22050 * 4))
    rep = _gate(tmp_path, [good, silent, good], [4.0, 4.0, 4.0])
    assert not rep.passed
    assert any("segment 2 (story" in p and "silent" in p for p in rep.problems), rep.problems


def test_gate_names_a_clipped_segment(tmp_path):
    good = write_wav(tmp_path / "g.wav", speechlike(4, seed=1))
    clipped = write_wav(tmp_path / "c.wav", np.clip(speechlike(4, seed=2) * 8, -1, 1))
    rep = _gate(tmp_path, [good, good, clipped], [4.0, 4.0, 4.0])
    assert any(p.startswith("segment 3 (story") and "clipped" in p for p in rep.problems), rep.problems


def test_gate_catches_an_implausible_speech_rate(tmp_path):
    good = write_wav(tmp_path / "g.wav", speechlike(4, seed=1))
    padded = write_wav(tmp_path / "p.wav", speechlike(30, seed=3))  # 40 characters in 30 s
    rep = _gate(tmp_path, [good, padded, good], [4.0, 30.0, 4.0])
    assert any("segment 2" in p and "characters per second" in p for p in rep.problems), rep.problems


def test_voice_only_build_and_the_gate_on_the_command_line(tmp_path):
    src = tmp_path / "tiny.html"
    src.write_text(TINY, encoding="utf-8")
    strict = tmp_path / "audio-edition.toml"
    strict.write_text("[sound]\ntolerance = 0.0\n", encoding="utf-8")  # no file is ever exactly on target
    out = tmp_path / "out"
    proc = run_cli("build", src, "--engine", "espeak", "--out", out, "--config", strict, "--no-music")
    assert proc.returncode == 1
    assert "quality gate" in proc.stderr and "loudness" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (out / "episodes").exists() or not any((out / "episodes").iterdir())
    assert not (out / "feed.xml").exists()
    # --no-quality-gate: the same problem is a warning, the voice-only episode is built (from the cache)
    proc = run_cli("build", src, "--engine", "espeak", "--out", out, "--config", strict, "--no-music",
                   "--no-quality-gate")
    assert proc.returncode == 0, proc.stderr
    assert "warning:" in proc.stderr and "loudness" in proc.stderr
    (mp3,) = out.glob("episodes/*/*.mp3")
    from mutagen.mp3 import MP3

    from audio_edition.mix import measure

    info = MP3(mp3).info
    assert (info.channels, info.bitrate) == (1, 64000)
    m = measure(mp3, true_peak=True)
    assert abs(m.loudness + 19) <= 1 and m.peak <= -1
    record = json.loads(mp3.with_name("episode.json").read_text())
    assert record["channels"] == 1 and record["quality"]["passed"] is False
    assert record["quality"]["problems"]

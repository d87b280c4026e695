"""The mixer, measured from the MP3 it writes (decoded by ffmpeg): ducking, looping, loudness, true peak."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from audio_edition.config import SoundSection
from audio_edition.ffmpeg import ffmpeg_exe
from audio_edition.mix import MixSettings, measure, render_mp3
from audio_edition.models import Script, Segment
from audio_edition.sound.library import load_show_sound
from audio_edition.sound.meter import (
    LoudnessMeter,
    TruePeakLimiter,
    integrated_loudness,
    true_peak,
)
from audio_edition.timeline import produced_timeline

RATE = 44100


def write_wav(path: Path, x: np.ndarray, rate: int = 22050) -> str:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(np.clip(np.rint(x * 32767), -32768, 32767).astype("<i2").tobytes())
    return str(path)


def speechlike(seconds: float, rate: int = 22050, level: float = 0.3, seed: int = 0) -> np.ndarray:
    """Bursts of harmonic tone at syllable rate with pauses: a crest factor like speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    f0 = 140 + 30 * np.sin(2 * np.pi * 0.7 * t)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voiced = sum(np.sin(k * phase) / k for k in range(1, 12))
    syllables = (np.sin(2 * np.pi * 4.0 * t) > -0.2) * (rng.random(len(t)) > -1)
    return (level * voiced * syllables * (0.6 + 0.4 * np.sin(2 * np.pi * 0.3 * t))).astype(np.float32)


def script(*roles: str) -> Script:
    return Script(title="T", language="en", published="2025-01-02",
                  segments=tuple(Segment(role=r, title=f"{r}{i}", text="x" * 40, spoken="x" * 40, voice="v")
                                 for i, r in enumerate(roles)))


def decode(mp3: Path) -> np.ndarray:
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(RATE),
                          "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0


def db(x: np.ndarray) -> float:
    return 20 * np.log10(max(float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))), 1e-10))


def window(x: np.ndarray, a: float, b: float) -> np.ndarray:
    return x[int(a * RATE): int(b * RATE)]


def only(**roles) -> SoundSection:
    off = {r: False for r in ("intro", "sting", "section", "outro", "bed")}
    return SoundSection(**{**off, **roles})


def test_bed_is_ducked_at_least_10_db_under_speech(tmp_path):
    # silent voices: what the MP3 holds under them is the bed alone
    silent = write_wav(tmp_path / "silent.wav", np.zeros(22050 * 8))
    sc = script("intro", "story", "outro")
    sound = load_show_sound(only(bed={}), loudness=-16.0)
    tl = produced_timeline(sc, [8.0, 8.0, 8.0], [silent] * 3, sound.cues, pause=0.7)
    out = tmp_path / "duck.mp3"
    render_mp3(tl, out, MixSettings(channels=2, loudness=-16.0, bitrate="128k"), sound.samples)
    x = decode(out)
    beds = [p for p in tl.placements if p.kind == "bed"]
    voices = list(tl.voices())
    assert len(beds) == 2
    # the outro bed plays alone in the pause before the outro voice, then goes down under it
    bed, voice = beds[1], voices[2]
    pause = db(window(x, bed.start + bed.fade_in, voice.start - 0.2))
    under = db(window(x, voice.start + 0.5, voice.end - 0.5))
    assert pause > -45
    assert pause - under >= 10


def test_a_short_bed_loops_over_a_long_span_and_never_pumps(tmp_path):
    noise = np.random.default_rng(5).standard_normal(int(2.5 * RATE)).astype(np.float32) * 0.1  # a steady bed
    bed_file = tmp_path / "bed.wav"
    write_wav(bed_file, noise, RATE)
    voice = write_wav(tmp_path / "v.wav", np.zeros(22050 * 12))
    sc = script("intro", "story")
    sound = load_show_sound(only(bed={"file": str(bed_file), "fade_in": 0.5, "fade_out": 0.5}), loudness=-16.0)
    tl = produced_timeline(sc, [12.0, 1.0], [voice, voice], sound.cues, pause=0.7)
    bed = next(p for p in tl.placements if p.kind == "bed")
    assert bed.duration > 3 * 2.5
    out = tmp_path / "loop.mp3"
    render_mp3(tl, out, MixSettings(channels=2, loudness=-16.0, bitrate="128k"), sound.samples,
               loop_crossfade=sound.loop_crossfade)
    x = decode(out)
    v = tl.voice_for(0)
    levels = [db(window(x, t, t + 0.25)) for t in np.arange(v.start + 0.5, v.end - 0.5, 0.25)]
    assert min(levels) > -70  # never a gap where the loop restarts
    assert max(levels) - min(levels) < 1.5  # no jump at the loop points, no pumping under the voice


@pytest.mark.parametrize("channels, target", [(1, -19.0), (2, -16.0)])
def test_loudness_target_and_true_peak_of_the_file(tmp_path, channels, target):
    a = write_wav(tmp_path / "a.wav", speechlike(20, level=0.9, seed=1))  # hot, peaky
    b = write_wav(tmp_path / "b.wav", speechlike(15, rate=24000, level=0.05, seed=2), rate=24000)  # quiet engine
    sc = script("intro", "story")
    cues = load_show_sound(SoundSection(), loudness=target) if channels == 2 else load_show_sound(
        SoundSection(), loudness=target, music=False)
    tl = produced_timeline(sc, [20.0, 15.0], [a, b], cues.cues, pause=0.7)
    out = tmp_path / "ep.mp3"
    res = render_mp3(tl, out, MixSettings(channels=channels, loudness=target, bitrate="128k" if channels == 2
                                          else "64k"), cues.samples)
    m = measure(out, true_peak=True)  # ffmpeg's own meter
    assert abs(m.loudness - target) <= 1.0
    assert m.peak <= -1.0
    assert abs(m.duration - tl.duration) < 0.1
    # the two voices are level-matched: a 25 dB difference at the source is gone
    x = decode(out)
    va, vb = [p for p in tl.voices()]
    la = integrated_loudness(window(x, va.start, va.end), RATE)
    lb = integrated_loudness(window(x, vb.start, vb.end), RATE)
    assert abs(la - lb) < 1.5
    assert res.segments[0].gain < 0 < res.segments[1].gain


def test_meter_agrees_with_pyloudnorm_and_streams():
    pyln = pytest.importorskip("pyloudnorm")
    rng = np.random.default_rng(3)
    x = rng.standard_normal((RATE * 12, 2)) * 0.05
    x[RATE * 4: RATE * 6] *= 0.001
    ref = pyln.Meter(RATE).integrated_loudness(x)
    assert abs(integrated_loudness(x, RATE) - ref) < 0.2
    meter = LoudnessMeter(RATE, 2)
    for part in np.array_split(x, 37):
        meter.add(part)
    assert meter.integrated() == pytest.approx(integrated_loudness(x, RATE), abs=1e-6)


def test_limiter_holds_the_oversampled_peak_whatever_the_block_size():
    rng = np.random.default_rng(4)
    x = rng.standard_normal((RATE * 3, 2)) * 0.5  # peaks far over full scale
    outs = []
    for parts in (3, 17):
        lim = TruePeakLimiter(-2.0, RATE, 2)
        got = [y for p in np.array_split(x, parts) if (y := lim.process(p)) is not None]
        got.append(lim.flush())
        outs.append(np.concatenate(got))
    assert outs[0].shape == x.shape
    assert np.allclose(outs[0], outs[1], atol=1e-6)
    assert true_peak(outs[0]) <= -1.9
    quiet = x * 0.01  # far below the ceiling: untouched
    lim = TruePeakLimiter(-2.0, RATE, 2)
    got = [y for p in np.array_split(quiet, 4) if (y := lim.process(p)) is not None] + [lim.flush()]
    assert np.array_equal(np.concatenate(got), quiet)

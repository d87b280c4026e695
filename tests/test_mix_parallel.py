"""The DSP without scipy, checked against scipy; the encode split across cores, checked by decoding the MP3."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from audio_edition import mix
from audio_edition.config import SoundSection
from audio_edition.ffmpeg import ffmpeg_exe
from audio_edition.mix import MixSettings, cut_points, measure, render_mp3
from audio_edition.sound import meter
from audio_edition.sound.library import load_show_sound
from audio_edition.timeline import produced_timeline

from .test_mix import script, speechlike, write_wav

signal = pytest.importorskip("scipy.signal")  # the reference (a test dependency through pyloudnorm)
RATE = 44100


@pytest.mark.parametrize("rate", [44100, 22050, 24000, 48000])
def test_block_iir_is_the_k_weighting_recursion(rate):
    (sb, sa), (hb, ha) = meter.k_weighting(rate)
    sos = np.array([np.r_[sb, sa], np.r_[hb, ha]])
    x = (np.random.default_rng(rate).standard_normal((rate * 3 + 45, 2)) * 0.3).astype(np.float32)
    ref = signal.sosfilt(sos, x.astype(np.float64), axis=0)
    f = meter.k_filter(rate)
    state, out = f.zeros(2), []
    for part in np.array_split(x, 11):  # blocks of any length: the state carries across
        y, state = f(part, state)
        out.append(y.T)
    assert np.abs(np.concatenate(out) - ref).max() < 1e-5


def test_upsampling_and_true_peak_agree_with_scipy():
    rng = np.random.default_rng(5)
    x = signal.resample_poly(rng.standard_normal(22050 * 2), 1, 2).astype(np.float32)  # band-limited to 5.5 kHz
    up = meter.resample(x, 2, 1)
    ref = signal.resample_poly(x, 2, 1)
    assert len(up) == len(ref) and np.abs(up - ref).max() < 0.02 * np.abs(ref).max()
    t = np.arange(RATE) / RATE
    for f in (997, 6000, 12000, 15000):
        tone = (0.5 * np.sin(2 * np.pi * f * t + 0.4)).astype(np.float32)[:, None]
        ref_tp = 20 * np.log10(np.abs(signal.resample_poly(tone, 16, 1, axis=0)).max())
        assert abs(meter.true_peak(tone) - ref_tp) < 0.25, f


def test_limiter_gain_matches_the_filters_it_replaces():
    from scipy.ndimage import minimum_filter1d, uniform_filter1d

    rng = np.random.default_rng(2)
    for trial in range(10):
        need = np.ones(44100 + 528)
        for i in rng.integers(0, len(need), rng.integers(1, 40)):
            need[i: i + 30] = rng.uniform(0.5, 1.0)
        if trial % 2:
            need[:4], need[-4:] = 0.6, 0.7  # the ends repeat their values
        ref = uniform_filter1d(minimum_filter1d(need, 265, mode="nearest"), 265, mode="nearest")
        assert np.abs(meter.smooth_gain(need, 265, 264, 44100) - ref[264: 264 + 44100]).max() < 1e-9


def _decode(path) -> np.ndarray:
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "s16le", "-ac", "2", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<i2").reshape(-1, 2).astype(np.int32)


@pytest.fixture(scope="module")
def long_episode(tmp_path_factory):
    d = tmp_path_factory.mktemp("parallel")
    voices = [write_wav(d / f"v{i}.wav", speechlike(36, seed=i)) for i in range(6)]
    sound = load_show_sound(SoundSection(), loudness=-16.0)
    tl = produced_timeline(script("intro", "story", "story", "story", "story", "outro"), [36.0] * 6, voices,
                           sound.cues, pause=0.7)
    settings = MixSettings(channels=2, loudness=-16.0, bitrate="128k")
    one = render_mp3(tl, d / "one.mp3", settings, sound.samples, parts=1)
    two = render_mp3(tl, d / "two.mp3", settings, sound.samples, parts=2)
    return d, tl, one, two


def test_cuts_fall_on_the_frame_grid_in_silence(long_episode):
    _, tl, _, _ = long_episode
    [cut] = cut_points(tl, 2)
    assert cut % mix.MP3_FRAME == 0
    t = cut / RATE
    quiet = mix.SPLIT_QUIET / RATE
    for p in tl.placements:
        if p.kind != "silence":
            assert p.end <= t - quiet or p.start >= t + quiet, p
    assert 0.3 < t / tl.duration < 0.7


def test_parts_encoded_side_by_side_join_into_one_continuous_mp3(long_episode):
    from mutagen.mp3 import MP3

    d, tl, one, two = long_episode
    a, b = _decode(d / "one.mp3"), _decode(d / "two.mp3")
    frames = round(tl.duration * RATE)
    assert len(a) == len(b) == frames == two.frames  # gapless: the LAME tag's delay and padding are right
    [cut] = cut_points(tl, 2)
    assert np.array_equal(a[: cut - 4096], b[: cut - 4096])  # the first part is the same encode
    assert np.abs(b[cut - 3000: cut + 3000]).max() == 0  # the join is in silence: no click
    after = (a[cut + 4096:] - b[cut + 4096:]).astype(np.float64)
    assert np.sqrt(np.mean(after ** 2)) < 0.01 * np.sqrt(np.mean(a.astype(np.float64) ** 2))  # codec noise only
    m1, m2 = measure(d / "one.mp3", true_peak=True), measure(d / "two.mp3", true_peak=True)
    assert abs(m1.loudness - m2.loudness) <= 0.1 and m2.peak <= -1.0
    assert abs(two.loudness - one.loudness) < 0.1
    assert MP3(str(d / "two.mp3")).info.length == pytest.approx(MP3(str(d / "one.mp3")).info.length, abs=0.03)
    assert sorted(p.name for p in d.iterdir() if "part" in p.name) == []  # no part left behind


def _crc16_arc(data: bytes) -> int:  # written independently of the code under test: table-driven, byte by byte
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
        table.append(c)
    crc = 0
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


def test_joined_header_is_a_valid_xing_and_lame_tag(long_episode):
    from mutagen.mp3 import MP3

    d, tl, _, _ = long_episode
    data = (d / "two.mp3").read_bytes()
    at = data.find(b"Info")
    assert 0 < at < 100
    first = 144000 * 128 // 44100 + ((data[2] >> 1) & 1)  # the header frame's length (128 kbps, 44.1 kHz)
    frames = int.from_bytes(data[at + 8: at + 12], "big")
    assert int.from_bytes(data[at + 12: at + 16], "big") == len(data)
    assert frames * 1152 >= round(tl.duration * RATE)
    toc = list(data[at + 16: at + 116])
    assert toc == sorted(toc) and toc[0] == 0 and toc[-1] > 240  # a seek table that walks the whole file
    lame = at + 8 + 4 + 4 + 100 + 4
    assert data[lame: lame + 4] in (b"Lavc", b"LAME")
    assert int.from_bytes(data[lame + 34: lame + 36], "big") == _crc16_arc(data[: lame + 34])
    assert int.from_bytes(data[lame + 32: lame + 34], "big") == _crc16_arc(data[first:])  # the music CRC
    assert int.from_bytes(data[lame + 21: lame + 24], "big") >> 12 == mix.LAME_DELAY
    assert MP3(str(d / "two.mp3")).info.length == pytest.approx(frames * 1152 / RATE, abs=1e-6)


def test_fast_crc_is_crc16_arc():
    from audio_edition import mp3frames

    rng = np.random.default_rng(9)
    for n in (0, 1, 63, 64, 65, 1000, 4097):
        data = rng.integers(0, 256, n, dtype=np.uint8).tobytes()
        assert mp3frames.crc16_arc(data) == _crc16_arc(data), n
    a, b = rng.integers(0, 256, 777, dtype=np.uint8).tobytes(), rng.integers(0, 256, 1500, dtype=np.uint8).tobytes()
    assert mp3frames.crc_shift(mp3frames.crc16_arc(a), len(b)) ^ mp3frames.crc16_arc(b) == _crc16_arc(a + b)


def test_a_short_episode_or_one_without_silence_is_encoded_whole(tmp_path):
    sound = load_show_sound(SoundSection(), loudness=-16.0)
    v = write_wav(tmp_path / "v.wav", speechlike(8))
    tl = produced_timeline(script("intro", "story", "outro"), [8.0] * 3, [v] * 3, sound.cues, pause=0.7)
    assert mix.encode_parts(tl.duration) == 1
    assert cut_points(tl, 1) == []


def test_parts_mixed_in_processes_or_in_turn_give_the_same_bytes(long_episode, tmp_path, monkeypatch):
    d, tl, _, two = long_episode
    sound = load_show_sound(SoundSection(), loudness=-16.0)
    settings = MixSettings(channels=2, loudness=-16.0, bitrate="128k")
    monkeypatch.setattr(mix.threading, "active_count", lambda: 1)  # forked mixing processes
    forked = render_mp3(tl, tmp_path / "forked.mp3", settings, sound.samples, parts=2)
    monkeypatch.setattr(mix.threading, "active_count", lambda: 2)  # another thread runs: mixed in turn, here
    in_turn = render_mp3(tl, tmp_path / "turn.mp3", settings, sound.samples, parts=2)
    assert (tmp_path / "forked.mp3").read_bytes() == (tmp_path / "turn.mp3").read_bytes()
    assert forked.loudness == pytest.approx(in_turn.loudness) and forked.frames == in_turn.frames
    assert set(forked.segments) == set(in_turn.segments) == set(two.segments)

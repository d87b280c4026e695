"""Segments → one loudness-normalized MP3, with each segment's start and end time.

The timeline's voices are written to a WAV stream one at a time (pydub per segment, never
the whole episode in memory), each where the timeline places it; ffmpeg then measures loudness and encodes
the MP3 at the target loudness (two-pass ``loudnorm``, -16 LUFS by default).
"""

from __future__ import annotations

import re
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import AudioError
from .ffmpeg import pydub_audio_segment, run
from .timeline import Timeline

MIX_RATE = 44100
TARGET_LUFS = -16.0
TRUE_PEAK = -1.5


def _load_segment(path: str):
    try:
        seg = pydub_audio_segment().from_wav(path)
    except Exception as exc:  # pydub raises many types for a bad file
        raise AudioError(f"cannot read synthesized audio {path}: {exc}") from None
    return seg.set_channels(1).set_sample_width(2).set_frame_rate(MIX_RATE)


def render(timeline: Timeline, out_wav: str | Path, on_segment: Callable[[int], None] | None = None) -> None:
    """Write ``timeline`` as a mono WAV, one voice at a time (never the whole episode in memory).

    Each voice is written from its placement's first sample to its last: padded with
    silence or trimmed by the sample or two a resampling may add, so the audio is exactly
    where the timeline says and chapters and captions can trust its times.
    """
    written = 0
    with wave.open(str(out_wav), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(MIX_RATE)

        def silence_to(frame: int) -> None:
            nonlocal written
            if frame > written:
                out.writeframes(b"\x00\x00" * (frame - written))
                written = frame

        for p in timeline.voices():
            first, last = round(p.start * MIX_RATE), round(p.end * MIX_RATE)
            silence_to(first)
            data = _load_segment(p.source).raw_data[: (last - first) * 2]
            out.writeframes(data)
            written += len(data) // 2
            silence_to(last)
            if on_segment and p.segment is not None:
                on_segment(p.segment)
        silence_to(round(timeline.duration * MIX_RATE))


_INTEGRATED = re.compile(r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS", re.S)
_PEAK = re.compile(r"Sample peak:\s*Peak:\s*(-?[\d.]+|-inf) dBFS", re.S)
_TIME = re.compile(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Measure:
    loudness: float  # integrated, LUFS (-inf for silence)
    peak: float  # sample peak, dBFS
    duration: float  # seconds actually decoded


def measure(path: str | Path, af: str | None = None) -> Measure:
    """Decode ``path`` fully (through filter ``af`` if given) with an EBU R128 meter.

    Returns integrated loudness, sample peak and the duration actually decoded, which
    also proves the file decodes to its end.
    """
    chain = f"{af}," if af else ""
    proc = run(["-i", str(path), "-vn", "-af", chain + "ebur128=framelog=quiet:peak=sample", "-f", "null", "-"],
               f"measuring {Path(path).name}")
    text = proc.stderr.decode("utf-8", "replace")
    i = _INTEGRATED.findall(text)
    p = _PEAK.findall(text)
    t = _TIME.findall(text)
    if not i or not t:
        raise AudioError(f"ffmpeg could not measure {path}")
    h, m, sec = t[-1]
    return Measure(loudness=float(i[-1]), peak=float(p[-1]) if p else 0.0,
                   duration=int(h) * 3600 + int(m) * 60 + float(sec))


def _gain_chain(gain: float) -> str:
    limit = 10 ** (TRUE_PEAK / 20)
    return f"volume={gain:.2f}dB,alimiter=limit={limit:.3f}:level=false:attack=5:release=50"


def loudness_chain(in_wav: str | Path, loudness: float = TARGET_LUFS, tolerance: float = 0.3) -> str:
    """The filter (gain + -1.5 dBFS limiter) that brings ``in_wav`` to ``loudness`` LUFS.

    The limiter lowers loudness a little where speech peaks, so the gain is refined on the
    PCM (a fast pass each) until the result is within ``tolerance`` LU of the target.
    """
    before = measure(in_wav)
    if before.loudness == float("-inf"):
        raise AudioError("the mixed episode is silent: no audio to encode")
    gain = loudness - before.loudness
    for _ in range(4):
        got = measure(in_wav, _gain_chain(gain)).loudness
        if abs(got - loudness) <= tolerance:
            break
        gain += loudness - got
    return _gain_chain(gain)


def encode_mp3(in_wav: str | Path, out_mp3: str | Path, bitrate: str = "96k",
               loudness: float = TARGET_LUFS) -> Measure:
    """Bring the mix to ``loudness`` LUFS and encode it as MP3.

    Returns the measure of the encoded file (loudness, peak, decoded duration).
    """
    af = loudness_chain(in_wav, loudness)
    run(["-i", str(in_wav), "-af", af, "-ar", str(MIX_RATE), "-ac", "1",
         "-codec:a", "libmp3lame", "-b:a", bitrate,
         # lame -q 7: twice as fast as the default, no audible difference on speech
         "-compression_level", "7", "-f", "mp3", str(out_mp3)], "encoding the MP3")
    return measure(out_mp3)


def measure_loudness(path: str | Path) -> float:
    """Integrated loudness (LUFS) of any audio file."""
    return measure(path).loudness

"""The quality gate after the render: prove each segment and the episode sound right.

Per voice segment: not silent, a speech rate plausible for its text (characters of spoken
text per second of audio), no clipping. For the episode: integrated loudness within the
tolerance of its target, true peak at most the limit, and the encoded file lasting what the
timeline says (the sum of its parts) and holding the bytes its bitrate needs for that long.

The loudness and true peak are the mixer's own measurements of the PCM it fed the encoder
(BS.1770 while mixing, one pass): a second decode of the whole file would cost a third of the
build. The file's level is that of the PCM less what the MP3 quantizer takes
(``mix.CODEC_LOSS``, measured); the tests decode the files and check it independently.
A failure is a ``QualityError`` naming the segment; ``build --no-quality-gate`` turns it
into a warning. Every figure goes to ``episode.json``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .config import kbps
from .errors import AudioError
from .mix import CODEC_LOSS, MixResult
from .models import Script
from .timeline import Timeline

SILENT_LUFS = -60.0  # a segment quieter than this says nothing
MIN_CPS, MAX_CPS = 4.0, 40.0  # characters per second: slower is a stall or padding, faster a truncation
MIN_TEXT = 25  # characters: shorter texts are too short to judge a rate
CLIP_LIMIT = 3  # samples in full-scale runs tolerated per segment
DURATION_SLACK = 0.1  # s: the MP3's frame padding


class QualityError(AudioError):
    """The rendered episode failed the quality gate."""


@dataclass
class Report:
    figures: dict[str, Any] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems


def _label(script: Script, i: int) -> str:
    seg = script.segments[i]
    title = f" “{seg.title[:50]}”" if seg.title else ""
    return f"segment {i + 1} ({seg.role}{title})"


def mp3_duration(path: str | Path) -> float:
    """The MP3's duration as a player reads it (the Xing/LAME header's frame count)."""
    from mutagen.mp3 import MP3, HeaderNotFoundError

    try:
        info = MP3(str(path)).info
        if info is None:
            raise HeaderNotFoundError("no MPEG frame")
        return float(info.length)
    except (HeaderNotFoundError, OSError) as exc:
        raise QualityError(f"the encoded MP3 {Path(path).name} cannot be read: {exc}") from None


@dataclass(frozen=True)
class FileMeasure:
    loudness: float  # LUFS, integrated
    true_peak: float  # dBTP, 4x oversampled
    duration: float  # seconds of audio


def measure_file(path: str | Path, channels: int, rate: int = 44100) -> FileMeasure:
    """Decode the encoded file once (ffmpeg → PCM pipe) and meter it: what a listener gets.

    The MP3 codec changes the level a little (its quantizer loses ~0.4 dB at 128 kbps), so
    the figures the gate judges come from the file, not from the mix.
    """
    import subprocess

    import numpy as np

    from .ffmpeg import ffmpeg_exe
    from .sound.meter import LoudnessMeter, TruePeakLimiter

    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path), "-f", "s16le",
           "-ac", str(channels), "-ar", str(rate), "pipe:1"]
    meter = LoudnessMeter(rate, channels)
    peaks = TruePeakLimiter(-1.0, rate, channels, limit=False)  # measures only; oversamples peaks above -5.4 dBFS
    frames = 0
    try:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise QualityError(f"cannot run ffmpeg to measure {Path(path).name}: {exc}") from None
    assert proc.stdout is not None
    step = rate * channels * 2  # one second of PCM
    while True:
        data = proc.stdout.read(step)
        if not data:
            break
        x = np.frombuffer(data[: len(data) // (2 * channels) * 2 * channels], dtype="<i2")
        block = x.reshape(-1, channels).astype(np.float32) / 32768.0
        frames += len(block)
        meter.add(block)
        peaks.process(block)
    peaks.flush()
    if proc.wait() != 0 or not frames:
        raise QualityError(f"the encoded MP3 {Path(path).name} does not decode")
    return FileMeasure(loudness=meter.integrated(), true_peak=peaks.max_peak_db, duration=frames / rate)


def min_bytes(duration: float, bitrate: str) -> int:
    """The fewest bytes a CBR MP3 of ``duration`` at ``bitrate`` (\"128k\") holds (2 % under its nominal size)."""
    rate = kbps(bitrate)
    return int(duration * rate * 1000 / 8 * 0.98) if rate else 0


def check(script: Script, timeline: Timeline, mix: MixResult, mp3: str | Path, *, loudness: float,
          tolerance: float, true_peak: float, bitrate: str = "") -> Report:
    """Every check; the report lists each failure as one line naming what failed."""
    rep = Report()
    segs: list[dict[str, Any]] = []
    for p in timeline.voices():
        i = p.segment
        if i is None:
            continue
        level = mix.segments.get(i)
        if level is None:
            continue
        chars = len(script.segments[i].spoken.strip())
        cps = chars / level.duration if level.duration > 0 else float("inf")
        segs.append({"segment": i + 1, "role": script.segments[i].role, **level.to_dict(),
                     "chars_per_second": round(cps, 1) if math.isfinite(cps) else None})
        if math.isinf(level.loudness) or level.loudness < SILENT_LUFS:
            rep.problems.append(f"{_label(script, i)} is silent ({_fmt(level.loudness)} LUFS)")
            continue
        if chars >= MIN_TEXT and not MIN_CPS <= cps <= MAX_CPS:
            rep.problems.append(f"{_label(script, i)} speaks {cps:.1f} characters per second for its "
                                f"{chars} characters (plausible: {MIN_CPS:g}-{MAX_CPS:g}): audio truncated or padded?")
        if level.clipped > CLIP_LIMIT:
            rep.problems.append(f"{_label(script, i)} is clipped ({level.clipped} samples at full scale)")
    duration = mp3_duration(mp3)
    got = FileMeasure(loudness=mix.loudness - CODEC_LOSS, true_peak=mix.true_peak, duration=mix.duration)
    size = Path(mp3).stat().st_size
    rep.figures = {
        "passed": True,
        "loudness_lufs": _num(got.loudness), "loudness_target": loudness, "tolerance_lu": tolerance,
        "true_peak_dbtp": _num(got.true_peak), "true_peak_limit": true_peak,
        "mix_loudness_lufs": _num(mix.loudness), "mix_true_peak_dbtp": _num(mix.true_peak),
        "limited_share": round(mix.limited, 4), "mix_correction_db": round(mix.correction, 2),
        "duration": round(duration, 3), "encoded_duration": round(got.duration, 3), "size": size,
        "timeline_duration": round(timeline.duration, 3),
        "segments": segs,
    }
    if not abs(got.loudness - loudness) <= tolerance:
        rep.problems.append(f"episode loudness {_fmt(got.loudness)} LUFS is outside {loudness:g} ±{tolerance:g} LU")
    if got.true_peak > true_peak:
        rep.problems.append(f"episode true peak {got.true_peak:.2f} dBTP is above {true_peak:g} dBTP")
    for what, d in (("header", duration), ("encoded audio", got.duration)):
        if abs(d - timeline.duration) > DURATION_SLACK:
            rep.problems.append(f"the MP3's {what} lasts {d:.2f}s but its parts add up to {timeline.duration:.2f}s")
    need = min_bytes(duration, bitrate)
    if need and size < need:
        rep.problems.append(f"the MP3 holds {size} bytes, fewer than {need} for {duration:.1f}s at {bitrate}: "
                            "truncated")
    rep.figures["passed"] = rep.passed
    rep.figures["problems"] = list(rep.problems)
    return rep


def _num(x: float) -> float | None:
    return None if math.isinf(x) or math.isnan(x) else round(x, 2)


def _fmt(x: float) -> str:
    return "-inf" if math.isinf(x) else f"{x:.1f}"

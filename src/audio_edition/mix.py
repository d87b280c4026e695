"""Timeline → one loudness-normalized MP3, streamed block by block into a single ffmpeg encode.

One pass over the audio: each voice segment is read once from the cache (level-matched by
its BS.1770 loudness, resampled to 44.1 kHz), the music comes level-matched from the sound
kit, and the mixer renders one-second blocks from the timeline's placements: voices, themes
and stings with their fades, the bed looped and ducked under every voice by an envelope
computed per 10 ms from the voice placements (look-ahead attack, slow release: it is down
before the first word and never pumps between words). Each block goes through a 4x
oversampled true-peak limiter and a loudness meter, then as 16-bit PCM into ffmpeg's stdin
(libmp3lame, Xing/LAME header). Nothing holds the whole episode: memory is the current
block, the voices playing now and the kit.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import subprocess
import tempfile
import threading
import wave
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy as np

from .errors import AudioError
from .ffmpeg import ffmpeg_exe, run
from .mp3frames import LAME_DELAY, MP3_FRAME, join_parts
from .sound.meter import LoudnessMeter, TruePeakLimiter, gated_loudness, gating_blocks
from .sound.meter import resample as meter_resample
from .timeline import Placement, Timeline

MIX_RATE = 44100
TARGET_LUFS = -16.0
BLOCK = MIX_RATE  # frames per mixed block (1 s)
DUCK_STEP = 0.01  # the bed's gain envelope: one value per 10 ms
DUCK_ATTACK = 0.04  # s, time constant going down (starts DUCK_AHEAD before the voice)
DUCK_AHEAD = 0.15
DUCK_RELEASE = 0.35  # s, time constant coming back up
PEAK_MARGIN = 1.0  # dB kept under the true-peak limit before the encoder (MP3 adds overshoot)
LAME_QUALITY = 7  # libmp3lame's -q: its fast psychoacoustic model (-q 5 costs 40 % more, no audible gain on speech)
CODEC_LOSS = 0.4  # dB libmp3lame's quantizer takes from the level at <= 128 kbps (measured: 0.4-0.45)


@dataclass(frozen=True)
class MixSettings:
    channels: int = 1  # 2 when music is mixed
    loudness: float = TARGET_LUFS  # integrated target, LUFS
    true_peak: float = -1.0  # dBTP the file must stay under
    bitrate: str = "64k"
    duck: float = 14.0  # dB the bed goes down under speech


@dataclass(frozen=True)
class SegmentLevel:
    """What the mixer measured of one voice segment's source audio."""

    segment: int
    loudness: float  # LUFS of the source (before level matching); -inf when silent
    gain: float  # dB applied to reach the speech level
    peak: float  # sample peak of the source, dBFS
    clipped: int  # samples in runs of 3+ at full scale (clipping)
    duration: float  # seconds of source audio

    def to_dict(self) -> dict:
        return {"loudness": _num(self.loudness), "gain": round(self.gain, 2), "peak": _num(self.peak),
                "clipped": self.clipped, "duration": round(self.duration, 3)}


@dataclass
class MixResult:
    loudness: float  # integrated loudness of the encoded PCM, LUFS
    true_peak: float  # 4x-oversampled peak of the encoded PCM, dBTP
    frames: int
    rate: int
    channels: int
    limited: float  # share of the episode the limiter touched
    correction: float = 0.0  # dB applied to the whole mix to put the episode on target
    segments: dict[int, SegmentLevel] = field(default_factory=dict)

    @property
    def duration(self) -> float:
        return self.frames / self.rate


def _num(x: float) -> float | None:
    return None if math.isinf(x) or math.isnan(x) else round(x, 2)


# --- sources -----------------------------------------------------------------------------

def read_wav(path: str, raw: bool = False) -> tuple[np.ndarray, int]:
    """A mono 16-bit WAV (the segment cache's format) as float32 in [-1, 1) (int16 with ``raw``) and its rate."""
    try:
        with wave.open(path, "rb") as w:
            if w.getsampwidth() != 2:
                raise AudioError(f"synthesized audio {path} is not 16-bit PCM")
            rate, channels = w.getframerate(), w.getnchannels()
            data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(f"cannot read synthesized audio {path}: {exc}") from None
    if channels > 1:
        data = data.reshape(-1, channels).mean(axis=1).astype("<i2")
    if raw:
        return data, rate
    return data.astype(np.float32) / np.float32(32768.0), rate


def clipped_samples(x: np.ndarray, run: int = 3) -> int:
    """Samples in runs of ``run`` or more at (or within a hair of) full scale (float, or int16)."""
    hot = (x >= 32735) | (x <= -32736) if x.dtype == np.int16 else np.abs(x) >= 0.999
    if not hot.any():
        return 0
    edges = np.diff(np.concatenate([[0], hot.view(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    lengths = ends - starts
    return int(lengths[lengths >= run].sum())


def resample(x: np.ndarray, rate: int, to: int = MIX_RATE) -> np.ndarray:
    if rate == to:
        return x
    return meter_resample(x, to, rate).astype(np.float32)


def _fade(offset: np.ndarray, length: int, fade_in: int, fade_out: int) -> np.ndarray | None:
    """Raised-cosine fade gains at positions ``offset`` (frames into a placement of ``length``)."""
    if not fade_in and not fade_out:
        return None
    g = np.ones(len(offset), dtype=np.float32)
    if fade_in:
        m = offset < fade_in
        g[m] *= 0.5 - 0.5 * np.cos(np.pi * offset[m] / fade_in)
    if fade_out:
        left = length - offset
        m = left < fade_out
        g[m] *= 0.5 - 0.5 * np.cos(np.pi * np.clip(left[m], 0, None) / fade_out)
    return g


class _Playing:
    """A placement being rendered: frames [start, end) of the mix, its samples on demand."""

    def __init__(self, p: Placement, start: int, end: int) -> None:
        self.p, self.start, self.end = p, start, end

    def samples(self, a: int, b: int) -> np.ndarray:  # frames [a, b) of the mix, shape (b - a, ch) or (b - a,)
        raise NotImplementedError


class _Voice(_Playing):
    """A voice segment, resampled lazily block by block (memory: its source samples, not 44.1 kHz floats).

    Each block is resampled from the source with enough context on both sides that the
    result is the same as resampling the whole segment at once (the polyphase filter spans
    about 10 source samples), on the grid of the whole segment.
    """

    CONTEXT = 64  # source samples of context around a block

    def __init__(self, p: Placement, start: int, end: int, target: float, rate: int, loud: float,
                 correction: float) -> None:
        super().__init__(p, start, end)
        src, src_rate = read_wav(p.source, raw=True)  # int16: 2 bytes a source sample while it plays
        peak = max(abs(int(src.max())), abs(int(src.min()))) / 32768.0 if len(src) else 0.0
        gain = 0.0 if math.isinf(loud) else target - loud + p.gain + correction
        self.level = SegmentLevel(segment=p.segment if p.segment is not None else -1, loudness=loud, gain=gain,
                                  peak=20 * math.log10(peak) if peak > 0 else float("-inf"),
                                  clipped=clipped_samples(src), duration=len(src) / src_rate)
        self.src = src
        self.scale = np.float32(10 ** (gain / 20) / 32768.0)
        g = math.gcd(src_rate, rate)
        self.up, self.down = rate // g, src_rate // g
        self.out_len = -(-len(src) * self.up // self.down)  # what resampling the whole segment gives

    def samples(self, a: int, b: int) -> np.ndarray:
        oa, ob = a - self.start, b - self.start  # output frames within the placement
        out = np.zeros(ob - oa, dtype=np.float32)
        hi = min(ob, self.out_len)  # past the source's end (a sample of rounding): silence
        if hi <= oa:
            return out
        if self.up == self.down == 1:
            out[: hi - oa] = self.src[oa:hi] * self.scale
            return out
        up, down = self.up, self.down
        i0 = max(0, (oa * down // up - self.CONTEXT) // down * down)
        i1 = min(len(self.src), -(-hi * down // up) + self.CONTEXT)
        y = meter_resample(self.src[i0:i1] * self.scale, up, down)
        first = i0 * up // down
        # at the true end of the source, resample_poly's own length matches the whole-segment grid
        piece = y[oa - first: hi - first]
        out[: len(piece)] = piece
        return out


class _Music(_Playing):
    def __init__(self, p: Placement, start: int, end: int, sound: np.ndarray, rate: int,
                 duck: np.ndarray | None = None, loop_crossfade: float = 0.0, correction: float = 0.0) -> None:
        super().__init__(p, start, end)
        self.sound = sound
        self.gain = p.gain + correction
        self.fi, self.fo = round(p.fade_in * rate), round(p.fade_out * rate)
        self.duck = duck  # dB per DUCK_STEP from `start`, or None
        self.rate = rate
        self.loop: np.ndarray | None = None
        n, span = len(sound), end - start
        if span > n and p.kind == "bed":  # a bed shorter than its span loops (with a crossfade)
            x = min(round(loop_crossfade * rate), n // 4)
            if x:
                t = np.linspace(0, np.pi / 2, x, dtype=np.float32)[:, None]
                head = sound[:x] * np.sin(t) + sound[n - x:] * np.cos(t)
                self.loop = np.concatenate([head, sound[x: n - x]])
            else:
                self.loop = sound
        # the first pass plays the sound up to where the crossfade begins, then the loop repeats
        self.tape = None if self.loop is None else np.concatenate([sound[: len(self.loop)], self.loop])
        # the ducking as linear gains per DUCK_STEP (interpolated between steps: no power per sample)
        self.duck_gain = None if duck is None else np.power(10.0, duck / 20)

    def _frames(self, o0: int, o1: int) -> np.ndarray:
        """The sound's frames for frames ``o0 .. o1`` of the placement: copied slices, not a gather."""
        ch = self.sound.shape[1]
        if self.loop is None:
            out = np.zeros((o1 - o0, ch), dtype=np.float32)
            k = max(0, min(o1, len(self.sound)) - o0)
            out[:k] = self.sound[o0: o0 + k]
            return out
        assert self.tape is not None
        straight = len(self.loop)  # frame o is tape[o] up to 2 * straight, then the loop again
        pieces, o = [], o0
        while o < o1:
            i = o if o < 2 * straight else straight + (o - straight) % straight
            k = min(o1 - o, 2 * straight - i)
            pieces.append(self.tape[i: i + k])
            o += k
        return pieces[0].copy() if len(pieces) == 1 else np.concatenate(pieces)

    def samples(self, a: int, b: int) -> np.ndarray:
        o0, o1 = a - self.start, b - self.start
        out = self._frames(o0, o1)
        out *= np.float32(10 ** (self.gain / 20))
        length = self.end - self.start
        fading = (self.fi and o0 < self.fi) or (self.fo and o1 > length - self.fo)
        g = _fade(np.arange(o0, o1), length, self.fi, self.fo) if fading else None
        if self.duck_gain is not None:
            steps = np.arange(o0, o1) / (DUCK_STEP * self.rate)
            d = np.interp(steps, np.arange(len(self.duck_gain)), self.duck_gain).astype(np.float32)
            g = d if g is None else g * d
        if g is not None:
            out *= g[:, None]
        return out


def duck_envelope(start: float, end: float, voices: list[tuple[float, float]], depth: float) -> np.ndarray:
    """The bed's extra gain (dB) per 10 ms over [start, end): -depth under speech, 0 in pauses.

    Computed from the voice placements (not from the audio), so it stays down through the
    short pauses between words; it goes down with a look-ahead and comes back up slowly.
    """
    k = math.ceil((end - start) / DUCK_STEP) + 2
    t = start + np.arange(k) * DUCK_STEP + DUCK_AHEAD
    active = np.zeros(k, dtype=bool)
    for v0, v1 in voices:
        if v1 > start - 1 and v0 < end + 1:
            active |= (t >= v0) & (t < v1)
    target = np.where(active, -depth, 0.0)
    down, up = 1 - math.exp(-DUCK_STEP / DUCK_ATTACK), 1 - math.exp(-DUCK_STEP / DUCK_RELEASE)
    out = np.empty(k)
    g = target[0]
    for i, want in enumerate(target.tolist()):
        g += (want - g) * (down if want < g else up)
        out[i] = g
    return out


def _sub_powers(path: str) -> np.ndarray:
    x, src_rate = read_wav(path)
    meter = LoudnessMeter(src_rate, 1)
    for i in range(0, len(x), 10 * src_rate):  # in 10 s pieces: the filter's work arrays stay small
        meter.add(x[i: i + 10 * src_rate])
    return meter.sub_powers()


def _voice_powers(paths: list[str]) -> list[np.ndarray]:
    """Each voice file's K-weighted 100 ms powers, measured in threads (the filter's products release the GIL)."""
    workers = min(len(paths), os.cpu_count() or 1, 4)
    if workers <= 1:
        return [_sub_powers(p) for p in paths]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers, thread_name_prefix="measure") as pool:  # joined before any fork
        return list(pool.map(_sub_powers, paths))


def plan_loudness(timeline: Timeline, settings: MixSettings, sounds: Mapping[str, np.ndarray],
                  rate: int = MIX_RATE) -> tuple[dict[int, float], float]:
    """Each voice's loudness, and the one correction (dB) that puts the whole episode on target.

    Voices are matched to the speech level, but how loud the episode measures also depends
    on how much of it is music at its own gains (a short issue is mostly theme). The
    episode's K-weighted power per 100 ms is predicted from its parts (each voice's and
    sound's own sub-block powers, times its gain, fades and ducking; parts add as
    uncorrelated powers) and gated like BS.1770; the gap to the target becomes one gain
    applied to everything in the stream: the final gain, applied once, in the one pass.
    """
    ch = settings.channels
    speech = settings.loudness - 10 * math.log10(ch) + CODEC_LOSS
    n_sub = int(timeline.duration * 10) + 2
    acc = np.zeros(n_sub)
    levels: dict[int, float] = {}
    placed = list(timeline.voices())
    for p, sub in zip(placed, _voice_powers([p.source for p in placed]), strict=True):
        loud = gated_loudness(gating_blocks(sub))
        levels[p.segment if p.segment is not None else -1] = loud
        if math.isinf(loud):
            continue
        i0 = round(p.start * 10)
        k = max(0, min(len(sub), n_sub - i0, int(p.duration * 10)))
        acc[i0: i0 + k] += sub[:k] * 10 ** ((speech - loud + p.gain) / 10) * ch
    voices = [(v.start, v.end) for v in timeline.voices()]
    own: dict[str, np.ndarray] = {}
    for p in timeline.placements:
        role = p.role
        if p.kind not in ("jingle", "sting", "bed") or role is None or role not in sounds or ch == 1:
            continue
        if role not in own:
            meter = LoudnessMeter(rate, 2)
            meter.add(sounds[role])
            own[role] = meter.sub_powers()
        sub = own[role]
        if not len(sub):
            continue
        m = int(p.duration * 10)
        idx = np.arange(m)
        src = idx % len(sub) if p.kind == "bed" else np.minimum(idx, len(sub) - 1)
        power = np.where((idx < len(sub)) | (p.kind == "bed"), sub[src], 0.0) * 10 ** (p.gain / 10)
        offs = ((idx + 0.5) * rate / 10).astype(np.int64)
        fade = _fade(offs, round(p.duration * rate), round(p.fade_in * rate), round(p.fade_out * rate))
        if fade is not None:
            power = power * fade.astype(np.float64) ** 2
        if p.kind == "bed":
            duck = duck_envelope(p.start, p.end, voices, settings.duck)
            db = np.interp((idx + 0.5) * 0.1 / DUCK_STEP, np.arange(len(duck)), duck)
            power = power * 10 ** (db / 10)
        i0 = round(p.start * 10)
        k = max(0, min(m, n_sub - i0))
        acc[i0: i0 + k] += power[:k]
    predicted = gated_loudness(gating_blocks(acc))
    correction = 0.0 if math.isinf(predicted) else settings.loudness + CODEC_LOSS - predicted
    return levels, max(-20.0, min(20.0, correction))


# --- encoder -----------------------------------------------------------------------------

class Mp3Encoder:
    """One ffmpeg process reading 16-bit PCM on stdin, writing the MP3 (with a Xing/LAME header).

    ``raw=True`` writes bare MPEG frames (no header: a part of an episode encoded in parallel,
    joined by ``join_parts``); ``reservoir=False`` makes every frame self-contained (no bit
    reservoir), which a part that starts at a cut needs.
    """

    def __init__(self, out_mp3: str | Path, rate: int, channels: int, bitrate: str, *, raw: bool = False,
                 reservoir: bool = True) -> None:
        self.out = Path(out_mp3)
        self._err = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()/abort()
        cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error",
               "-f", "s16le", "-ar", str(rate), "-ac", str(channels), "-i", "pipe:0",
               "-codec:a", "libmp3lame", "-b:a", bitrate, "-compression_level", str(LAME_QUALITY),
               "-reservoir", "1" if reservoir else "0",
               "-write_xing", "0" if raw else "1", "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3",
               str(self.out)]
        try:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=self._err)
        except OSError as exc:
            raise AudioError(f"cannot run ffmpeg to encode the MP3: {exc}") from None
        _widen_pipe(self.proc.stdin)

    def write(self, pcm: np.ndarray) -> None:
        scaled = pcm * np.float32(32767.0)
        np.rint(scaled, out=scaled)
        np.clip(scaled, -32768, 32767, out=scaled)
        data = scaled.astype("<i2")
        try:
            assert self.proc.stdin is not None
            self.proc.stdin.write(data.data.cast("B"))  # the array's bytes, not a copy
        except (BrokenPipeError, OSError):
            self.close()

    def close(self) -> None:
        try:
            if self.proc.stdin and not self.proc.stdin.closed:
                self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise AudioError("ffmpeg timed out while encoding the MP3") from None
        if code != 0:
            self._err.seek(0)
            lines = [ln for ln in self._err.read().decode("utf-8", "replace").splitlines() if ln.strip()]
            raise AudioError(f"ffmpeg failed while encoding the MP3: {lines[-1] if lines else 'exit ' + str(code)}")
        self._err.close()

    def abort(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._err.close()


# --- the mix -----------------------------------------------------------------------------

SPLIT_MIN = 120.0  # s: a shorter episode is encoded in one piece
SPLIT_PRE, SPLIT_POST = 2 * MP3_FRAME, 4 * MP3_FRAME  # frames each part's encoder hears beyond its cut
SPLIT_QUIET = 4 * MP3_FRAME  # frames of digital silence a cut needs on each side


def _widen_pipe(stream) -> None:
    """A 1 MiB pipe to the encoder (Linux), so encoders fed in turn do not wait on each other."""
    try:
        import fcntl

        fcntl.fcntl(stream.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError, ValueError, AttributeError):
        pass


def encode_parts(duration: float) -> int:
    """How many encoders run side by side: one per core (up to 4), for an episode long enough to gain."""
    if duration < SPLIT_MIN:
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def cut_points(timeline: Timeline, parts: int, rate: int = MIX_RATE) -> list[int]:
    """Frames where the episode can be cut into ``parts`` pieces encoded in parallel.

    A cut is a multiple of the MP3 frame (1152 samples) in the middle of a gap where nothing
    plays (no voice, no music: digital silence), at least ``SPLIT_QUIET`` frames from either
    end of it, and the nearest such place to each ``k / parts`` of the episode. Where no gap
    qualifies there is no cut there (fewer parts).
    """
    total = round(timeline.duration * rate)
    busy = sorted((round(p.start * rate), round(p.end * rate)) for p in timeline.placements if p.kind != "silence")
    gaps, t = [], 0
    for a, b in busy:
        if a > t:
            gaps.append((t, a))
        t = max(t, b)
    if t < total:
        gaps.append((t, total))
    spots = []
    for a, b in gaps:
        lo = -(-(a + SPLIT_QUIET + LAME_DELAY + MP3_FRAME) // MP3_FRAME) * MP3_FRAME
        hi = (b - SPLIT_QUIET) // MP3_FRAME * MP3_FRAME
        if lo <= hi:
            mid = ((a + b) // 2) // MP3_FRAME * MP3_FRAME
            spots.append(min(max(mid, lo), hi))
    cuts: list[int] = []
    margin = round(30 * rate)  # no piece shorter than 30 s
    for k in range(1, parts):
        want = total * k // parts
        ok = [c for c in spots if margin <= c <= total - margin and all(abs(c - d) >= margin for d in cuts)]
        if ok:
            cuts.append(min(ok, key=lambda c: abs(c - want)))
    return sorted(cuts)


class _Part:
    """The frames [lo, hi) of the episode, mixed, limited, metered and fed to one encoder.

    The encoder also hears up to ``SPLIT_PRE`` frames before ``lo`` and ``SPLIT_POST`` after
    ``hi`` (silence, at a cut), so the frames kept on each side of a cut are complete.
    """

    def __init__(self, lo: int, hi: int, total: int, order: list[Placement], make, target: Path, encoder,
                 limiter: TruePeakLimiter, meter: LoudnessMeter) -> None:
        self.lo, self.hi = lo, hi
        self.feed_lo = max(0, lo - SPLIT_PRE)
        self.feed_hi = min(total, hi + SPLIT_POST)
        self.pos = self.feed_lo
        self.make = make  # placement -> _Playing, or None for silence
        self.order = [p for p in order if round(p.end * MIX_RATE) > self.feed_lo
                      and round(p.start * MIX_RATE) < self.feed_hi]
        self.nxt = 0
        self.playing: list[_Playing] = []
        self.target = target
        self._open = encoder  # () -> Mp3Encoder, called by the process that mixes the part
        self.encoder: Mp3Encoder | None = None
        self.limiter, self.meter = limiter, meter
        self.queued: list[int] = []  # start frames of the blocks inside the limiter (one block of delay)
        self.frames = 0
        self.done = False

    def step(self, channels: int, on_voice_done) -> None:
        if self.encoder is None:
            self.encoder = self._open()
        if self.pos >= self.feed_hi:
            self._emit(self.limiter.flush())
            self.done = True
            return
        b0 = self.pos
        b1 = min(self.feed_hi, b0 + BLOCK)
        while self.nxt < len(self.order) and round(self.order[self.nxt].start * MIX_RATE) < b1:
            item = self.make(self.order[self.nxt])
            self.nxt += 1
            if item is not None:
                self.playing.append(item)
        block = np.zeros((b1 - b0, channels), dtype=np.float32)
        for item in self.playing:
            a, b = max(item.start, b0), min(item.end, b1)
            if b <= a:
                continue
            x = item.samples(a, b)
            if x.ndim == 1:
                block[a - b0: b - b0] += x[:, None]
            elif channels == 1:
                block[a - b0: b - b0, 0] += x.mean(axis=1)
            else:
                block[a - b0: b - b0] += x[:, :channels]
        for item in [i for i in self.playing if i.end <= b1]:
            self.playing.remove(item)
            on_voice_done(item)
        self.queued.append(b0)
        self.pos = b1
        self._emit(self.limiter.process(block))

    def figures(self) -> tuple[np.ndarray, int, int, float]:
        """What the part measured: its 100 ms powers, frames, limited frames and true peak."""
        return self.meter.sub_powers(), self.frames, self.limiter.limited_frames, self.limiter.max_peak_db

    def _emit(self, block: np.ndarray | None) -> None:
        if block is None:
            return
        b0 = self.queued.pop(0)
        assert self.encoder is not None
        self.encoder.write(block)
        a, b = max(b0, self.lo), min(b0 + len(block), self.hi)
        if b > a:  # only the part's own frames count (not what its encoder hears beyond the cuts)
            self.meter.add(block[a - b0: b - b0])
            self.frames += b - a


def _run_part(pc: _Part, channels: int, conn, levels: dict) -> None:
    """In a forked process: mix one part into its encoder; report finished voices, then the figures."""
    try:
        while not pc.done:
            pc.step(channels, lambda item: conn.send(("voice", item.p.segment)) if isinstance(item, _Voice) else None)
        assert pc.encoder is not None
        pc.encoder.close()
        conn.send(("done", pc.figures(), levels))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent as one line
        if pc.encoder is not None:
            pc.encoder.abort()
        conn.send(("error", str(exc) if isinstance(exc, AudioError) else f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _mix_side_by_side(pieces: list[_Part], channels: int, on_segment, levels: dict) -> list[tuple]:
    """Each part mixed in its own forked process (with its own encoder): the mixer's work on every core.

    Returns each part's (sub-block powers, frames, limited frames, true peak); a part's error
    is raised here as an ``AudioError``; voices finished are passed to ``on_segment``.
    """
    import multiprocessing
    from multiprocessing.connection import Connection, wait

    ctx = multiprocessing.get_context("fork")
    procs: list = []
    conns: list = []
    results: dict[int, tuple] = {}
    try:
        for pc in pieces:
            parent, child = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_run_part, args=(pc, channels, child, levels), daemon=True)
            proc.start()
            child.close()
            procs.append(proc)
            conns.append(parent)
        open_conns: dict[Any, int] = {c: i for i, c in enumerate(conns)}
        while open_conns:
            for c in wait(list(open_conns)):
                try:
                    msg: tuple[Any, ...] = cast(Connection, c).recv()
                except EOFError:
                    i = open_conns.pop(c)
                    if i not in results:
                        raise AudioError("a mixing process stopped without a word") from None
                    continue
                if msg[0] == "voice":
                    if on_segment and msg[1] is not None:
                        on_segment(msg[1])
                elif msg[0] == "done":
                    results[open_conns[c]] = msg[1]
                    levels.update(msg[2])  # what the child measured of the voices it read
                else:
                    raise AudioError(msg[1])
        for proc in procs:
            proc.join()
    except BaseException:
        for proc in procs:
            if proc.is_alive():
                proc.kill()
            proc.join()
        raise
    return [results[i] for i in range(len(pieces))]


def render_mp3(timeline: Timeline, out_mp3: str | Path, settings: MixSettings,
               sounds: Mapping[str, np.ndarray] | None = None, *, loop_crossfade: float = 1.0,
               on_segment: Callable[[int], None] | None = None, parts: int | None = None) -> MixResult:
    """Mix ``timeline`` and encode it to ``out_mp3`` in one streamed pass; return what was measured.

    ``sounds`` maps a music role to its level-matched samples (float32, frames × 2, 44.1 kHz);
    music placements whose role has no sound are an error. Voices are matched to the speech
    level that puts the episode at ``settings.loudness`` (a mono voice in both channels of a
    stereo mix counts twice in BS.1770, hence the -3 dB there).

    An episode of ``SPLIT_MIN`` or more is cut in silent gaps into ``parts`` pieces (default:
    one per core, ``encode_parts``), each mixed in a forked process of its own into its own
    encoder (in turn, block by block, in this process when another thread runs); their frames
    are joined at the cuts into one MP3 (``join_parts``): the encoder is the longest stage and
    uses one core.
    """
    rate, ch = MIX_RATE, settings.channels
    sounds = sounds or {}
    speech = settings.loudness - 10 * math.log10(ch) + CODEC_LOSS
    loudness_of, correction = plan_loudness(timeline, settings, sounds)
    total = round(timeline.duration * rate)
    order = sorted(timeline.placements, key=lambda p: p.start)
    voices = [(p.start, p.end) for p in timeline.voices()]
    levels: dict[int, SegmentLevel] = {}
    for p in order:
        if p.kind not in ("voice", "silence") and (p.role is None or p.role not in sounds):
            raise AudioError(f"no sound for the {p.role} placed at {p.start:.1f}s")

    def make(p: Placement) -> _Playing | None:
        s, e = round(p.start * rate), min(total, round(p.end * rate))
        if p.kind == "silence" or e <= s:
            return None
        if p.kind == "voice":
            v = _Voice(p, s, e, speech, rate, loudness_of[p.segment if p.segment is not None else -1], correction)
            levels[v.level.segment] = v.level
            return v
        assert p.role is not None
        duck = duck_envelope(p.start, p.end, voices, settings.duck) if p.kind == "bed" else None
        return _Music(p, s, e, sounds[p.role], rate, duck, loop_crossfade, correction)

    def voice_done(item: _Playing) -> None:
        if isinstance(item, _Voice) and on_segment and item.p.segment is not None:
            on_segment(item.p.segment)

    cuts = cut_points(timeline, parts if parts is not None else encode_parts(timeline.duration), rate)
    bounds = [0, *cuts, total]
    out = Path(out_mp3)
    pieces: list[_Part] = []
    try:
        for i in range(len(bounds) - 1):
            single = len(bounds) == 2
            target = out if single else out.with_name(f".{out.name}.part{i}")
            # the first part keeps its header (its LAME tag names the encoder); the others are bare frames
            encoder = functools.partial(Mp3Encoder, target, rate, ch, settings.bitrate, raw=i > 0, reservoir=i == 0)
            pieces.append(_Part(bounds[i], bounds[i + 1], total, order, make, target, encoder,
                                TruePeakLimiter(settings.true_peak - PEAK_MARGIN, rate, ch), LoudnessMeter(rate, ch)))
        if len(pieces) > 1 and threading.active_count() == 1:  # forking is safe: no other thread
            figures = _mix_side_by_side(pieces, ch, on_segment, levels)
        else:
            while not all(pc.done for pc in pieces):
                for pc in pieces:  # in turn: every encoder has work
                    if not pc.done:
                        pc.step(ch, voice_done)
            for pc in pieces:
                if pc.encoder is not None:
                    pc.encoder.close()
            figures = [pc.figures() for pc in pieces]
        if len(pieces) > 1:
            join_parts([(pc.target, pc.lo - pc.feed_lo, pc.hi - pc.feed_lo if pc.hi < total else None)
                        for pc in pieces], out, total)
    except BaseException:
        for pc in pieces:
            if pc.encoder is not None:
                pc.encoder.abort()
        raise
    finally:
        if len(pieces) > 1:
            for pc in pieces:
                with contextlib.suppress(OSError):
                    pc.target.unlink()
    subs = np.concatenate([f[0] for f in figures])
    frames = sum(f[1] for f in figures)
    limited = sum(f[2] for f in figures)
    peak = max((f[3] for f in figures), default=float("-inf"))
    return MixResult(loudness=gated_loudness(gating_blocks(subs)), true_peak=peak, frames=frames, rate=rate,
                     channels=ch, limited=limited / max(frames, 1), segments=levels, correction=correction)


# --- measuring a file (ffmpeg's own meter: independent of the mixer) ----------------------

_INTEGRATED = re.compile(r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf) LUFS", re.DOTALL)
_PEAK = re.compile(r"(?:Sample|True) peak:\s*Peak:\s*(-?[\d.]+|-inf) dBFS", re.DOTALL)
_TIME = re.compile(r"time=(\d+):(\d+):(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class Measure:
    loudness: float  # integrated, LUFS (-inf for silence)
    peak: float  # sample peak, dBFS (true peak, dBTP, with true_peak=True)
    duration: float  # seconds actually decoded


def measure(path: str | Path, af: str | None = None, true_peak: bool = False) -> Measure:
    """Decode ``path`` fully (through filter ``af`` if given) with ffmpeg's EBU R128 meter.

    Returns integrated loudness, peak (sample, or true peak with ``true_peak``) and the
    duration actually decoded, which also proves the file decodes to its end.
    """
    chain = f"{af}," if af else ""
    kind = "true" if true_peak else "sample"
    proc = run(["-i", str(path), "-vn", "-af", chain + f"ebur128=framelog=quiet:peak={kind}", "-f", "null", "-"],
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

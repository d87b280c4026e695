"""Loudness (ITU-R BS.1770-4 / EBU R128) and true peak, measured from samples with numpy.

``LoudnessMeter`` is fed blocks as they stream through the mix (K-weighting filter state
carries across blocks; 100 ms sub-blocks make the 400 ms, 75 %-overlapping gating blocks),
so an episode is measured while it is mixed, never by a second pass. ``TruePeakLimiter``
keeps the 4x-oversampled peak of the stream under a ceiling with a short look-ahead.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly, sosfilt

ABS_GATE = -70.0  # LUFS
REL_GATE = -10.0  # LU


def k_weighting(rate: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The two biquads of BS.1770 (high shelf, then high pass) at ``rate``, from their analog design."""
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    shelf_b = np.array([(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0])
    shelf_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    f0, q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * f0 / rate)
    a0 = 1 + k / q + k * k
    hp_b = np.array([1.0, -2.0, 1.0])
    hp_a = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return (shelf_b, shelf_a), (hp_b, hp_a)


class LoudnessMeter:
    """Integrated loudness of a stream of blocks (frames × channels, float, full scale 1.0)."""

    def __init__(self, rate: int, channels: int) -> None:
        self.rate = rate
        self.channels = channels
        (sb, sa), (hb, ha) = k_weighting(rate)
        self._sos = np.array([np.r_[sb, sa], np.r_[hb, ha]])
        self._z = np.zeros((2, 2, channels))  # (sections, state, channels)
        self._step = rate // 10  # 100 ms
        self._pending = np.zeros((0, channels))
        self._sub: list[float] = []  # mean square (summed over channels) of each 100 ms sub-block

    def add(self, block: np.ndarray) -> None:
        if block.ndim == 1:
            block = block[:, None]
        if not len(block):
            return
        y, self._z = sosfilt(self._sos, block, axis=0, zi=self._z)
        if len(self._pending):
            y = np.concatenate([self._pending, y])
        n = len(y) // self._step
        if n:
            head = y[: n * self._step]
            sq = np.square(head[:, 0])
            for c in range(1, self.channels):
                sq += np.square(head[:, c])
            self._sub.extend(sq.reshape(n, self._step).mean(axis=1).tolist())
        self._pending = y[n * self._step:]

    def sub_powers(self) -> np.ndarray:
        """K-weighted mean-square power (summed over channels) of each 100 ms sub-block so far."""
        return np.asarray(self._sub)

    def blocks(self) -> np.ndarray:
        """Mean-square power of each 400 ms gating block (hop 100 ms)."""
        return gating_blocks(self.sub_powers())

    def integrated(self) -> float:
        return gated_loudness(self.blocks())


@functools.lru_cache(maxsize=16)
def _fir(up: int, down: int, dtype: str) -> np.ndarray:
    from scipy.signal import firwin

    m = max(up, down)
    return firwin(20 * m + 1, 1.0 / m, window=("kaiser", 5.0)).astype(dtype)


def resample(x: np.ndarray, up: int, down: int, axis: int = 0) -> np.ndarray:
    """``scipy.signal.resample_poly`` with its default filter, designed once per ratio (not per call)."""
    g = math.gcd(up, down)
    up, down = up // g, down // g
    if up == down == 1:
        return x
    return resample_poly(x, up, down, axis=axis, window=_fir(up, down, x.dtype.str))


def gating_blocks(sub: np.ndarray) -> np.ndarray:
    """400 ms block powers (hop 100 ms) from 100 ms sub-block powers."""
    if len(sub) < 4:
        return np.zeros(0)
    c = np.concatenate([[0.0], np.cumsum(sub)])
    return (c[4:] - c[:-4]) / 4


def _lufs(power: np.ndarray | float) -> np.ndarray | float:
    with np.errstate(divide="ignore"):
        return -0.691 + 10 * np.log10(power)


def gated_loudness(block_power: np.ndarray) -> float:
    """BS.1770 two-stage gating over 400 ms block powers; -inf for silence."""
    if not len(block_power):
        return float("-inf")
    loud = block_power[_lufs(block_power) > ABS_GATE]
    if not len(loud):
        return float("-inf")
    rel = _lufs(loud.mean()) + REL_GATE
    kept = loud[_lufs(loud) > rel]
    return float(_lufs(kept.mean())) if len(kept) else float("-inf")


def integrated_loudness(samples: np.ndarray, rate: int) -> float:
    """Integrated loudness (LUFS) of a whole array (frames, or frames × channels)."""
    meter = LoudnessMeter(rate, 1 if samples.ndim == 1 else samples.shape[1])
    meter.add(samples)
    return meter.integrated()


def true_peak(samples: np.ndarray) -> float:
    """4x-oversampled peak (dBTP) of a whole array."""
    x = samples if samples.ndim == 2 else samples[:, None]
    if not len(x):
        return float("-inf")
    peak = float(np.max(np.abs(resample_poly(x, 4, 1, axis=0)))) if len(x) > 16 else float(np.max(np.abs(x)))
    peak = max(peak, float(np.max(np.abs(x))))
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def _chmax(a: np.ndarray) -> np.ndarray:
    """Max of |a| over the last axis (channels), without numpy's slow small-axis reduction."""
    out = np.abs(a[..., 0])
    for c in range(1, a.shape[-1]):
        np.maximum(out, np.abs(a[..., c]), out=out)
    return out


CHUNK = 256  # frames: only chunks whose sample peak is near the ceiling are oversampled


def _oversampled_peaks(x: np.ndarray, pad: int, hot_level: float, inner: np.ndarray | None = None) -> np.ndarray:
    """Per-frame true-peak estimate of ``x[pad:-pad]`` (max over channels and 4 sub-sample phases).

    Frames in chunks whose sample peak is under ``hot_level`` keep their sample peak: the
    interpolation only runs where an inter-sample peak could matter.
    """
    if inner is None:
        inner = _chmax(x[pad: len(x) - pad])
    n = len(inner)
    out = inner.copy()
    n_chunks = -(-n // CHUNK)
    padded = np.zeros(n_chunks * CHUNK, dtype=inner.dtype)
    padded[:n] = inner
    hot = np.flatnonzero(padded.reshape(n_chunks, CHUNK).max(axis=1) >= hot_level)
    if not len(hot):
        return out
    half = 16  # context frames each side: resample_poly's filter spans 10 source frames
    span = CHUNK + 2 * half
    starts = pad + hot * CHUNK - half  # x has `pad` >= half frames around inner
    idx = np.clip(starts[:, None] + np.arange(span)[None, :], 0, len(x) - 1)
    up = resample(x[idx], 4, 1, axis=1)  # (hot, 4 * span, ch)
    up = up[:, 4 * half: 4 * (half + CHUNK)].reshape(len(hot), CHUNK, 4, x.shape[1])
    best = _chmax(np.abs(up).max(axis=2))
    flat = np.zeros(n_chunks * CHUNK)
    flat.reshape(n_chunks, CHUNK)[hot] = best
    return np.maximum(out, flat[:n])


class TruePeakLimiter:
    """Streaming look-ahead limiter on the 4x-oversampled peak.

    ``process(block)`` returns the previous block limited (one block of delay: the next
    block is the look-ahead), ``flush()`` the last one. The gain is the minimum of what each
    peak needs over ±``look`` seconds, smoothed by a moving average of the same width, so it
    is already down when a peak arrives and never changes abruptly (no clicks, no pumping on
    single peaks). Blocks whose sample peak is far below the ceiling skip the oversampling.
    """

    PAD = 32  # context frames for the interpolation filter

    def __init__(self, ceiling_db: float, rate: int, channels: int, look: float = 0.003, limit: bool = True) -> None:
        self.ceiling = 10 ** (ceiling_db / 20)
        self.limit = limit  # False: only measure the true peak (oversampling frames above ceiling - 4.4 dB)
        self.channels = channels
        self.look = max(1, int(look * rate))
        self.reach = 2 * self.look + self.PAD
        self._prev = np.zeros((0, channels), dtype=np.float32)  # tail of the block before `cur`
        self._cur: np.ndarray | None = None
        self.max_peak = 0.0  # the largest true peak after limiting (estimate on limited frames)
        self.limited_frames = 0

    def _needed(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Gain each frame of ``x[PAD:-PAD]`` needs (1 where it is under the ceiling)."""
        inner = x[self.PAD: len(x) - self.PAD]
        sample = _chmax(inner) if len(inner) else np.zeros(0)
        hot = self.ceiling * 0.6  # more than 4.4 dB of headroom: no inter-sample peak reaches the ceiling
        if not len(sample) or sample.max() < hot:
            return np.ones(len(inner)), sample
        peaks = _oversampled_peaks(x, self.PAD, hot, sample)
        with np.errstate(divide="ignore"):
            need = np.minimum(1.0, self.ceiling / np.maximum(peaks, 1e-12))
        return need, peaks

    def _limit(self, cur: np.ndarray, nxt: np.ndarray) -> np.ndarray:
        r = self.reach
        ctx = np.concatenate([self._prev[-r:] if len(self._prev) >= r else
                              np.vstack([np.zeros((r - len(self._prev), self.channels), np.float32), self._prev]),
                              cur, nxt[:r] if len(nxt) >= r else
                              np.vstack([nxt, np.zeros((r - len(nxt), self.channels), np.float32)])])
        need, peaks = self._needed(ctx)  # for frames [-2*look, n + 2*look) around cur
        if need.min() >= 1.0 or not self.limit:
            self.max_peak = max(self.max_peak, float(peaks[2 * self.look: 2 * self.look + len(cur)].max(initial=0)))
            return cur
        w = 2 * self.look + 1
        gain = uniform_filter1d(minimum_filter1d(need, w, mode="nearest"), w, mode="nearest")
        gain = np.minimum(gain, need)  # float rounding never lets a peak through
        g = gain[2 * self.look: 2 * self.look + len(cur)]
        p = peaks[2 * self.look: 2 * self.look + len(cur)]
        self.limited_frames += int(np.count_nonzero(g < 0.9999))
        self.max_peak = max(self.max_peak, float((p * g).max(initial=0)))
        return cur * g[:, None]

    def process(self, block: np.ndarray) -> np.ndarray | None:
        if self._cur is None:
            self._cur = block
            return None
        out = self._limit(self._cur, block)
        self._prev = self._cur
        self._cur = block
        return out

    def flush(self) -> np.ndarray | None:
        if self._cur is None:
            return None
        out = self._limit(self._cur, np.zeros((0, self.channels)))
        self._cur = None
        return out

    @property
    def max_peak_db(self) -> float:
        return 20 * math.log10(self.max_peak) if self.max_peak > 0 else float("-inf")

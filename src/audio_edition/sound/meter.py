"""Loudness (ITU-R BS.1770-4 / EBU R128) and true peak, measured from samples with numpy.

``LoudnessMeter`` is fed blocks as they stream through the mix (K-weighting filter state
carries across blocks; 100 ms sub-blocks make the 400 ms, 75 %-overlapping gating blocks),
so an episode is measured while it is mixed, never by a second pass. ``TruePeakLimiter``
keeps the 4x-oversampled peak of the stream under a ceiling with a short look-ahead.

Everything here is numpy (no scipy import on the build's path: it cost 0.6 s a process).
The K-weighting IIR runs as matrix products over short blocks (``BlockIIR``: exact, the same
recursion), the 4x interpolation and the 2x voice resampling are windowed-sinc polyphase
filters applied as shifted multiply-adds.
"""

from __future__ import annotations

import functools
import math

import numpy as np

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


def _state_space(sections: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """``s' = A s + B x, y = C s + D x`` of a cascade of biquads (transposed direct form II), by probing one step."""
    order = 2 * len(sections)

    def step(state: np.ndarray, x: float) -> tuple[float, np.ndarray]:
        new = np.empty(order)
        for k, (b, a) in enumerate(sections):
            z1, z2 = state[2 * k], state[2 * k + 1]
            y = b[0] * x + z1
            new[2 * k] = b[1] * x - a[1] * y + z2
            new[2 * k + 1] = b[2] * x - a[2] * y
            x = y
        return x, new

    a_mat = np.empty((order, order))
    c = np.empty(order)
    for i in range(order):
        c[i], a_mat[:, i] = step(np.eye(order)[i], 0.0)
    d, b_vec = step(np.zeros(order), 1.0)
    return a_mat, b_vec, c, d


class BlockIIR:
    """An IIR filter (a cascade of biquads) run as matrix products: the same recursion, block by block.

    The input is cut into blocks of ``L`` samples. Within a block the output is the block
    convolved with the first ``L`` samples of the impulse response (an L x L Toeplitz product)
    plus the response to the state at the block's start; the states at the block starts follow
    ``s[k+1] = A^L s[k] + Γ x[k]``, solved ``G`` blocks at a time (one small product per group,
    a Python step per group). Exact up to float rounding; channels are filtered together.
    """

    L = 32
    G = 32

    def __init__(self, sections: list[tuple[np.ndarray, np.ndarray]]) -> None:
        a, b, c, d = _state_space(sections)
        self.a, self.b, self.c, self.d = a, b, c, d
        n, L, G = len(b), self.L, self.G
        powers = [np.eye(n)]  # A^0 .. A^L
        for _ in range(L):
            powers.append(a @ powers[-1])
        h = np.array([d] + [c @ powers[m - 1] @ b for m in range(1, L)])
        i, j = np.indices((L, L))
        self.t = np.where(i >= j, h[np.clip(i - j, 0, L - 1)], 0.0).T.astype(np.float32)  # x @ t
        self.o = np.array([c @ powers[i] for i in range(L)]).T  # states @ o: (n, L)
        self.gam = np.array([powers[L - 1 - j] @ b for j in range(L)])  # x @ gam: (L, n)
        phi = powers[L]
        ph = [np.eye(n)]
        for _ in range(G):
            ph.append(phi @ ph[-1])
        self.phi_g = ph[G].T
        self.p = np.array([ph[G - 1 - g].T for g in range(G)])  # (G, n, n): u @ p[g]
        w = np.zeros((G, n, G, n))
        for ii in range(G):
            for ll in range(ii):
                w[ll, :, ii, :] = ph[ii - 1 - ll].T
        self.w = w.reshape(G * n, G * n)
        self.m = np.concatenate([ph[ii].T for ii in range(G)], axis=1)  # (n, G n)
        self.p_flat = self.p.reshape(G * n, n)
        self.gam32 = self.gam.astype(np.float32)
        self.o32 = self.o.astype(np.float32)
        self.order = n

    def zeros(self, channels: int) -> np.ndarray:
        return np.zeros((channels, self.order))

    def __call__(self, x: np.ndarray, state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Filter ``x`` (frames x channels) from ``state`` (channels x order).

        Returns the output channels first (channels x frames, float32) and the new state.
        """
        frames, ch = x.shape
        L, G, n = self.L, self.G, self.order
        nb = frames // L
        out = np.empty((ch, frames), dtype=np.float32)
        s = state
        if nb:
            xb = np.ascontiguousarray(x[: nb * L].T, dtype=np.float32).reshape(ch, nb, L)
            nsb = -(-nb // G)
            ur = np.zeros((ch, nsb * G, n))
            ur[:, :nb] = xb @ self.gam32  # each block's inputs' share of the state at its end
            ur = ur.reshape(ch, nsb, G * n)
            v = ur @ self.p_flat
            starts = np.empty((ch, nsb + 1, n))
            starts[:, 0] = s
            for j in range(nsb):
                starts[:, j + 1] = starts[:, j] @ self.phi_g + v[:, j]
            states = (ur @ self.w + starts[:, :nsb] @ self.m).reshape(ch, nsb * G, n)
            s = states[:, nb] if nb < nsb * G else starts[:, nsb]
            y = xb @ self.t
            y += states[:, :nb].astype(np.float32) @ self.o32
            out[:, : nb * L] = y.reshape(ch, nb * L)
        for k in range(nb * L, frames):  # the last samples of a block that is not a multiple of L
            xk = x[k].astype(np.float64)
            out[:, k] = s @ self.c + self.d * xk
            s = s @ self.a.T + xk[:, None] * self.b[None, :]
        return out, np.array(s, copy=True)


@functools.lru_cache(maxsize=8)
def k_filter(rate: int) -> BlockIIR:
    return BlockIIR(list(k_weighting(rate)))


class LoudnessMeter:
    """Integrated loudness of a stream of blocks (frames × channels, float, full scale 1.0)."""

    def __init__(self, rate: int, channels: int) -> None:
        self.rate = rate
        self.channels = channels
        self._filter = k_filter(rate)
        self._z = self._filter.zeros(channels)
        self._step = rate // 10  # 100 ms
        self._pending = np.zeros(0)
        self._sub: list[float] = []  # mean square (summed over channels) of each 100 ms sub-block

    def add(self, block: np.ndarray) -> None:
        if block.ndim == 1:
            block = block[:, None]
        if not len(block):
            return
        y, self._z = self._filter(block, self._z)
        sq = np.square(y[0])  # K-weighted power summed over channels
        for c in range(1, len(y)):
            sq += np.square(y[c])
        if len(self._pending):
            sq = np.concatenate([self._pending, sq])
        n = len(sq) // self._step
        if n:
            self._sub.extend(sq[: n * self._step].reshape(n, self._step).mean(axis=1, dtype=np.float64).tolist())
        self._pending = sq[n * self._step:]

    def sub_powers(self) -> np.ndarray:
        """K-weighted mean-square power (summed over channels) of each 100 ms sub-block so far."""
        return np.asarray(self._sub)

    def blocks(self) -> np.ndarray:
        """Mean-square power of each 400 ms gating block (hop 100 ms)."""
        return gating_blocks(self.sub_powers())

    def integrated(self) -> float:
        return gated_loudness(self.blocks())


def _sinc_phases(up: int, taps: int, beta: float) -> np.ndarray:
    """Windowed-sinc interpolation filters: row ``p`` gives the value ``p/up`` of a sample past each sample.

    Row ``p`` (1 <= p < up) holds ``taps`` coefficients for the source samples ``m - taps/2 + 1 ...
    m + taps/2``; row 0 is the sample itself (a Nyquist filter: the sinc is 0 at the other
    samples). Kaiser window, each row normalised to unit gain at DC.
    """
    half = taps // 2
    d = np.arange(-half + 1, half + 1)  # source offsets k - m
    rows = np.zeros((up, taps))
    rows[0, half - 1] = 1.0
    for p in range(1, up):
        t = d - p / up  # distance of each source sample from the interpolated point
        w = np.i0(beta * np.sqrt(np.clip(1 - (t / (half + 0.5)) ** 2, 0, None))) / np.i0(beta)
        h = np.sinc(t) * w
        rows[p] = h / h.sum()
    return rows


TP_TAPS = 12  # per phase, as the 48-tap filter of BS.1770-4 Annex 2
_TP = _sinc_phases(4, TP_TAPS, 5.0).astype(np.float32)
_UP2_TAPS = 24
_UP2 = _sinc_phases(2, _UP2_TAPS, 6.0)[1].astype(np.float32)


FIR_ROW = 32  # output samples per row of a filter run as a matrix product


@functools.lru_cache(maxsize=4)
def _fir_matrix(coeffs: tuple[float, ...], rows: int) -> np.ndarray:
    """``window @ this`` gives ``rows`` outputs of the FIR ``coeffs`` from a window of ``rows + taps - 1`` inputs."""
    taps = len(coeffs)
    m = np.zeros((rows + taps - 1, rows), dtype=np.float32)
    for i in range(rows):
        m[i: i + taps, i] = coeffs
    return m


def _upsample2(x: np.ndarray) -> np.ndarray:
    """2x upsampling along axis 0 on ``resample_poly``'s grid (output 2m is input m; zeros past the ends).

    The odd outputs (half a sample after each input) are the FIR ``_UP2`` run as one matrix product.
    """
    n, rows, taps = len(x), FIR_ROW, _UP2_TAPS
    half = taps // 2
    xf = x.astype(np.float32, copy=False)
    cols = xf.reshape(n, -1).T  # channels first
    n_rows = -(-n // rows)
    padded = np.zeros((len(cols), n_rows * rows + taps), dtype=np.float32)
    padded[:, half: half + n] = cols
    st = padded.strides
    windows = np.lib.stride_tricks.as_strided(padded[:, 1:], shape=(len(cols), n_rows, rows + taps - 1),
                                              strides=(st[0], rows * st[1], st[1]), writeable=False)
    odd = np.matmul(windows, _fir_matrix(tuple(_UP2.tolist()), rows)).reshape(len(cols), -1)[:, :n]
    out = np.empty((2 * n,) + x.shape[1:], dtype=np.float32)
    out[0::2] = xf
    out[1::2] = odd.T.reshape((n,) + x.shape[1:])
    return out


def resample(x: np.ndarray, up: int, down: int, axis: int = 0) -> np.ndarray:
    """Polyphase resampling by ``up/down``: 2x in numpy (espeak's 22.05 kHz to 44.1 kHz), other ratios with scipy.

    scipy is imported only for a ratio other than 1 or 2 (a 24 kHz edge voice, say).
    """
    g = math.gcd(up, down)
    up, down = up // g, down // g
    if up == down == 1:
        return x
    if up == 2 and down == 1 and axis == 0:
        return _upsample2(x)
    from scipy.signal import resample_poly

    return resample_poly(x, up, down, axis=axis, window=_fir(up, down, x.dtype.str)).astype(np.float32)


@functools.lru_cache(maxsize=16)
def _fir(up: int, down: int, dtype: str) -> np.ndarray:
    """``resample_poly``'s default filter, designed once per ratio (not per call)."""
    from scipy.signal import firwin

    m = max(up, down)
    return firwin(20 * m + 1, 1.0 / m, window=("kaiser", 5.0)).astype(dtype)


TP_ROW = 32  # interpolated frames per row of the true-peak matrix product


@functools.lru_cache(maxsize=2)
def _tp_matrix(rows: int) -> np.ndarray:
    """The 3 interpolated phases of ``rows`` frames as one product: window (rows + taps - 1) @ this.

    Column ``(p - 1) * rows + i`` is phase ``p`` after frame ``i`` of the row; the window starts
    ``TP_TAPS // 2 - 1`` frames before the row's first frame.
    """
    width = rows + TP_TAPS - 1
    m = np.zeros((width, 3 * rows), dtype=np.float32)
    for p in range(1, 4):
        for i in range(rows):
            m[i: i + TP_TAPS, (p - 1) * rows + i] = _TP[p]
    return m


def _sliding_min(rows: np.ndarray, w: int) -> np.ndarray:
    """Minimum of every ``w`` consecutive values along axis 1 ('valid' windows), O(n) (van Herk / Gil-Werman)."""
    n_rows, r = rows.shape
    k = -(-r // w)
    full = np.full((n_rows, k * w), np.inf)
    full[:, :r] = rows
    blocks = full.reshape(n_rows, k, w)
    prefix = np.minimum.accumulate(blocks, axis=2).reshape(n_rows, -1)
    suffix = np.minimum.accumulate(blocks[:, :, ::-1], axis=2)[:, :, ::-1].reshape(n_rows, -1)
    return np.minimum(suffix[:, : r - w + 1], prefix[:, w - 1: r])


def _sliding_mean(rows: np.ndarray, w: int) -> np.ndarray:
    """Mean of every ``w`` consecutive values along axis 1 ('valid' windows)."""
    c = np.zeros((rows.shape[0], rows.shape[1] + 1))
    np.cumsum(rows, axis=1, out=c[:, 1:])
    return (c[:, w:] - c[:, :-w]) / w


GAIN_CHUNK = 512  # frames: the limiter's gain is computed only in chunks near a frame that needs it


def smooth_gain(need: np.ndarray, w: int, start: int, count: int) -> np.ndarray:
    """The limiter's gain at ``need[start:start+count]``: the mean over ``w`` of the minimum over ``w`` of ``need``.

    Windows are centred; ``need`` repeats its end values beyond its ends. Only chunks with a
    value under 1 within reach are computed (elsewhere the gain is exactly 1), all at once.
    """
    h = w // 2
    size = max(GAIN_CHUNK, 2 * h)  # a gain reaches 2h frames: a chunk's neighbours cover its reach
    gain = np.ones(count)
    n_chunks = -(-count // size)
    lo = start + np.arange(n_chunks) * size
    # a chunk is computed when a value under 1 lies in it or in a neighbour
    a0 = max(0, start - size)
    hit = np.zeros(n_chunks + 2, dtype=bool)  # chunk k + 1 of `hit` is chunk k of the gain
    hit[(np.flatnonzero(need[a0: start + (n_chunks + 1) * size] < 1.0) + a0 - (start - size)) // size] = True
    active = np.flatnonzero(hit[:-2] | hit[1:-1] | hit[2:])
    if not len(active):
        return gain
    idx = np.clip(lo[active, None] - 2 * h + np.arange(size + 4 * h)[None, :], 0, len(need) - 1)
    rows = _sliding_mean(_sliding_min(need[idx], w), w)  # (active, size)
    flat = np.ones(n_chunks * size)
    flat.reshape(n_chunks, size)[active] = rows
    gain[:] = flat[:count]
    return gain


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
    lead = TP_TAPS // 2
    padded = np.concatenate([np.zeros((lead, x.shape[1])), x, np.zeros((lead, x.shape[1]))]).astype(np.float32)
    peak = float(np.max(_oversampled_peaks(padded, lead, 0.0)))
    return 20 * math.log10(peak) if peak > 0 else float("-inf")


def _chmax(a: np.ndarray) -> np.ndarray:
    """Max of |a| over the last axis (channels), without numpy's slow small-axis reduction."""
    out = np.abs(a[..., 0])
    for c in range(1, a.shape[-1]):
        np.maximum(out, np.abs(a[..., c]), out=out)
    return out


def _oversampled_peaks(x: np.ndarray, pad: int, hot_level: float, inner: np.ndarray | None = None) -> np.ndarray:
    """Per-frame true-peak estimate of ``x[pad:-pad]`` (max over channels, the sample and 3 sub-sample phases).

    ``x`` is frames x channels with ``pad >= TP_TAPS // 2`` frames of context each side. Only
    rows of ``TP_ROW`` frames whose sample peak, or a neighbour's, reaches ``hot_level`` are
    interpolated (one matrix product for all of them); the others keep their sample peak.
    """
    if inner is None:
        inner = _chmax(x[pad: len(x) - pad])
    n, rows = len(inner), TP_ROW
    out = inner.astype(np.float32, copy=True)
    n_rows = -(-n // rows)
    loud = np.zeros(n_rows, dtype=bool)
    loud[np.flatnonzero(inner >= hot_level) // rows] = True  # (a max over each row is a slow small-axis reduce)
    hot = loud.copy()  # a row's last phases reach into the next row's samples, its first frame the previous row's
    hot[1:] |= loud[:-1]
    hot[:-1] |= loud[1:]
    which = np.flatnonzero(hot)
    if not len(which):
        return out
    lead, width = TP_TAPS // 2 - 1, rows + TP_TAPS - 1
    xt = np.zeros((x.shape[1], len(x) + rows), dtype=np.float32)  # channels first, room for the last row
    xt[:, : len(x)] = x.T
    st = xt.strides
    windows = np.lib.stride_tricks.as_strided(xt[:, pad - lead:], shape=(x.shape[1], n_rows, width),
                                              strides=(st[0], rows * st[1], st[1]), writeable=False)
    y = np.matmul(windows[:, which], _tp_matrix(rows))  # (channels, hot rows, 3 phases x rows)
    np.abs(y, out=y)
    best = y[0, :, :rows]  # the maxima of every channel's 3 phases, pairwise in place (a reduce over small
    for c in range(x.shape[1]):  # strided axes is several times slower)
        for p in range(1 if c == 0 else 0, 3):
            np.maximum(best, y[c, :, p * rows: (p + 1) * rows], out=best)
    flat = np.zeros(n_rows * rows, dtype=np.float32)
    flat.reshape(n_rows, rows)[which] = best
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
        need = np.ones(len(peaks))
        over = np.flatnonzero(peaks > self.ceiling)  # few frames: the gain is worked out only there
        need[over] = self.ceiling / peaks[over]
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
        inside = slice(2 * self.look, 2 * self.look + len(cur))
        g = np.minimum(smooth_gain(need, w, inside.start, len(cur)), need[inside])  # rounding never lets a peak by
        p = peaks[inside]
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

"""The default sound kit, made by code: deterministic, no third-party audio to license.

Every sound is additive synthesis in D major at 44.1 kHz stereo: soft electric-piano chords
(a few harmonics with an exponential decay), bell notes (slightly inharmonic partials) for
the melody and stings, and a pad (detuned harmonics, slow attack, slow tremolo) for the bed.
Left and right are detuned by a few cents for width. The bed is rendered circularly, so it
loops without a seam. Same code, same samples: the kit's version is part of the mix key.
"""

from __future__ import annotations

import functools
import math

import numpy as np

RATE = 44100
VERSION = "kit-2"  # kit-2: the same sounds computed in float32
ROLES = ("intro", "sting", "section", "outro", "bed")


def _hz(midi: float) -> float:
    return 440.0 * 2 ** ((midi - 69) / 12)


# MIDI note numbers
D2, A2, B2, G2, FS2 = 38, 45, 47, 43, 42
D3, E3, FS3, G3, A3, B3 = 50, 52, 54, 55, 57, 59
CS4, D4, E4, FS4, G4, A4, B4 = 61, 62, 64, 66, 67, 69, 71
CS5, D5, E5, FS5, G5, A5 = 73, 74, 76, 78, 79, 81

CHORDS = {  # voicings around the middle of the keyboard
    "D": (D3, FS3, A3, D4), "Bm": (B2, FS3, B3, D4), "G": (G2, G3, B3, D4), "A": (A2, E3, A3, CS4),
    "Em": (E3, G3, B3, E4), "Dadd9": (D3, A3, E4, FS4),
}


_BLOCK = 2048  # frames: a partial is computed as blocks of one precomputed cycle table


def _partial(freq: float, n: int, phase: float, decay: float) -> np.ndarray:
    """``sin(2π·freq·t + phase)·exp(-t/decay)`` for ``n`` frames, without a sine per sample.

    ``t = t0 + τ`` per block: the sine and the decay of the block offsets ``t0`` and of the
    in-block times ``τ`` are computed once, and the angle-addition formula combines them, so
    a sample costs a few multiply-adds instead of a ``sin`` and an ``exp`` (same values to
    float32 rounding: the kit is float32).
    """
    nb = -(-n // _BLOCK)
    w = 2 * np.pi * freq
    tau = np.arange(_BLOCK) / RATE
    t0 = np.arange(nb) * (_BLOCK / RATE)
    a = w * t0 + phase
    env0 = np.exp(-t0 / decay) if math.isfinite(decay) else np.ones(nb)
    env = np.exp(-tau / decay) if math.isfinite(decay) else np.ones(_BLOCK)
    f32 = np.float32
    out = (np.sin(a) * env0).astype(f32)[:, None] * (np.cos(w * tau) * env).astype(f32)[None, :]
    out += (np.cos(a) * env0).astype(f32)[:, None] * (np.sin(w * tau) * env).astype(f32)[None, :]
    return out.reshape(-1)[:n]


@functools.lru_cache(maxsize=128)  # the themes and stings share chords: a note is made once (read-only)
def _note(freq: float, dur: float, *, partials: tuple[tuple[float, float, float], ...], attack: float,
          detune_cents: float = 3.0, length: float | None = None) -> np.ndarray:
    """One note, stereo: partials are (ratio, amplitude, decay time constant in s)."""
    n = round((length or dur) * RATE)
    t = np.arange(n) / RATE
    out = np.zeros((2, n), dtype=np.float32)
    env_attack = np.minimum(1.0, t / max(attack, 1e-4))
    release = np.clip((dur - t) / 0.08 + 1.0, 0.0, 1.0) if length else 1.0  # soft cut after `dur`
    for ch, cents in enumerate((-detune_cents, detune_cents)):
        f = freq * 2 ** (cents / 1200)
        for ratio, amp, decay in partials:
            if f * ratio > RATE / 2.2:
                continue
            out[ch] += np.float32(amp) * _partial(f * ratio, n, ch * 0.3, decay)
    note = (out * (env_attack * release).astype(np.float32)).T
    note.setflags(write=False)
    return note


def _keys(midi: int, dur: float, length: float | None = None) -> np.ndarray:
    return _note(_hz(midi), dur, attack=0.006, length=length,
                 partials=((1, 1.0, 1.6), (2, 0.45, 0.8), (3, 0.18, 0.45), (4, 0.08, 0.3)))


def _bell(midi: int, dur: float) -> np.ndarray:
    return _note(_hz(midi), dur, attack=0.003, detune_cents=2.0,
                 partials=((1, 1.0, 1.2), (2.0, 0.35, 0.6), (3.01, 0.2, 0.35), (4.2, 0.12, 0.2), (5.43, 0.05, 0.12)))


def _mallet(midi: int, dur: float) -> np.ndarray:
    return _note(_hz(midi), dur, attack=0.002, detune_cents=1.5,
                 partials=((1, 1.0, 0.5), (4.0, 0.25, 0.08), (10.0, 0.06, 0.02)))


def _bass(midi: int, dur: float) -> np.ndarray:
    return _note(_hz(midi), dur, attack=0.01, detune_cents=0.0, length=dur,
                 partials=((1, 1.0, 2.5), (2, 0.3, 1.0), (3, 0.1, 0.5)))


def _place(buf: np.ndarray, sound: np.ndarray, at: float, gain: float = 1.0) -> None:
    i = round(at * RATE)
    j = min(len(buf), i + len(sound))
    if j > i:
        buf[i:j] += gain * sound[: j - i]


def _chord(buf: np.ndarray, name: str, at: float, dur: float, gain: float = 0.25, strum: float = 0.012) -> None:
    for k, midi in enumerate(CHORDS[name]):
        _place(buf, _keys(midi, dur, length=dur + 1.5), at + k * strum, gain)


def _finish(buf: np.ndarray, fade: float = 0.05) -> np.ndarray:
    """Fade the last ``fade`` s, remove DC, peak at -3 dBFS (the mix level-matches it anyway)."""
    n = int(fade * RATE)
    if n:
        buf[-n:] *= np.linspace(1.0, 0.0, n)[:, None]
    buf -= buf.mean(axis=0)
    peak = np.abs(buf).max()
    return (buf * (0.707 / peak)).astype(np.float32) if peak > 0 else buf.astype(np.float32)


def _intro() -> np.ndarray:
    """~7 s: D – Bm – G – A under a rising bell melody, resolving on a ringing D chord."""
    beat = 0.6
    buf = np.zeros((int(8.2 * RATE), 2))
    for k, name in enumerate(("D", "Bm", "G", "A")):
        _chord(buf, name, k * 2 * beat, 2 * beat)
        _place(buf, _bass({"D": D2, "Bm": B2, "G": G2, "A": A2}[name], 2 * beat), k * 2 * beat, 0.35)
    melody = [(A4, 0), (D5, 1), (FS5, 2), (E5, 3.5), (D5, 4), (B4, 5), (CS5, 6), (E5, 7)]
    for midi, b in melody:
        _place(buf, _bell(midi, 1.2), b * beat, 0.22)
    end = 8 * beat
    _chord(buf, "Dadd9", end, 3.0, gain=0.28, strum=0.03)
    _place(buf, _bass(D2, 3.2), end, 0.4)
    _place(buf, _bell(FS5, 2.5), end + 0.05, 0.2)
    _place(buf, _bell(A5, 2.5), end + 0.45, 0.12)
    return _finish(buf, fade=0.8)


def _sting() -> np.ndarray:
    """~1.7 s: two bell notes a fifth apart over a soft D chord."""
    buf = np.zeros((int(1.7 * RATE), 2))
    _chord(buf, "D", 0.0, 1.3, gain=0.12, strum=0.02)
    _place(buf, _bell(A4, 1.2), 0.0, 0.35)
    _place(buf, _bell(E5, 1.2), 0.16, 0.3)
    _place(buf, _bell(A5, 1.2), 0.32, 0.12)
    return _finish(buf, fade=0.4)


def _section() -> np.ndarray:
    """~2.1 s: a mallet arpeggio up the D chord with a low D: a different colour from the story sting."""
    buf = np.zeros((int(2.1 * RATE), 2))
    for k, midi in enumerate((D4, FS4, A4, D5, FS5)):
        _place(buf, _mallet(midi, 0.8), k * 0.11, 0.3)
    _place(buf, _bass(D2, 1.6), 0.0, 0.3)
    _chord(buf, "G", 0.55, 1.0, gain=0.08, strum=0.0)
    _chord(buf, "D", 0.55, 1.2, gain=0.1, strum=0.02)
    return _finish(buf, fade=0.5)


def _outro() -> np.ndarray:
    """~7.5 s: G – A – Bm – G – A, a falling melody, and a long final D chord."""
    beat = 0.6
    buf = np.zeros((int(8.0 * RATE), 2))
    for k, name in enumerate(("G", "A", "Bm", "A")):
        _chord(buf, name, k * 2 * beat, 2 * beat, gain=0.22)
        _place(buf, _bass({"G": G2, "A": A2, "Bm": B2}[name], 2 * beat), k * 2 * beat, 0.3)
    for midi, b in [(D5, 0), (B4, 1), (CS5, 2), (E5, 3), (FS5, 4), (E5, 5), (D5, 6), (CS5, 7)]:
        _place(buf, _bell(midi, 1.2), b * beat, 0.2)
    end = 8 * beat
    _chord(buf, "D", end, 3.2, gain=0.28, strum=0.04)
    _place(buf, _bass(D2, 3.2), end, 0.35)
    _place(buf, _bell(D5, 3.0), end + 0.05, 0.22)
    return _finish(buf, fade=1.2)


def _bed() -> np.ndarray:
    """16 s loop: a soft pad on D – Bm – G – A (4 s each), rendered circularly (seamless loop)."""
    n = 16 * RATE
    buf = np.zeros((n, 2))
    t = np.arange(int(5.5 * RATE)) / RATE
    env = np.minimum(1.0, t / 1.2) * np.clip((5.5 - t) / 1.5, 0.0, 1.0)  # slow swell, overlapping release
    for k, name in enumerate(("D", "Bm", "G", "A")):
        for midi in CHORDS[name][:3]:
            note = np.zeros((len(t), 2))
            for ch, cents in enumerate((-4.0, 4.0)):
                f = _hz(midi + 12) * 2 ** (cents / 1200)
                for h, amp in ((1, 1.0), (2, 0.3), (3, 0.12), (4, 0.05)):
                    note[:, ch] += amp * _partial(f * h, len(t), 0.7 * ch + midi, math.inf)
            note *= env[:, None] * 0.12
            start = (k * 4 * RATE - int(0.6 * RATE)) % n
            head = min(len(note), n - start)  # the note wraps round the loop's end
            buf[start: start + head] += note[:head]
            buf[: len(note) - head] += note[head:]
    tt = np.arange(n) / RATE
    buf *= (1.0 + 0.08 * np.sin(2 * np.pi * tt / 8.0))[:, None]  # slow tremolo, 2 cycles per loop
    buf -= buf.mean(axis=0)
    return (buf * (0.5 / np.abs(buf).max())).astype(np.float32)


_MAKERS = {"intro": _intro, "sting": _sting, "section": _section, "outro": _outro, "bed": _bed}


@functools.cache
def default_sound(role: str) -> np.ndarray:
    """The default kit's sound for ``role``: float32 stereo at 44.1 kHz (read-only, cached)."""
    out = _MAKERS[role]()
    out.setflags(write=False)
    return out

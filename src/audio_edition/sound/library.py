"""A show's sounds, ready for the timeline and the mixer: decoded, level-matched, described.

Each role's sound is the show's own file (decoded through the bundled ffmpeg) or the
generated default kit; it is measured (BS.1770) and scaled so that ``gain = 0`` is the
episode's speech level, so a loud jingle and a quiet one sit the same against the voices.
"""

from __future__ import annotations

import math
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..config import SOUND_ROLES, SoundSection
from ..errors import AudioError
from ..ffmpeg import ffmpeg_exe
from ..timeline import Cue
from . import kit
from .meter import integrated_loudness
from .settings import RoleSpec, key_of, mark_decoded, role_specs, sound_material

RATE = kit.RATE
MAX_SECONDS = 600  # a jingle or a bed longer than 10 minutes is cut there
AUDIO_SUFFIXES = (".mp3", ".wav", ".ogg", ".oga", ".flac", ".m4a", ".aac", ".opus")


@dataclass(frozen=True)
class ShowSound:
    cues: dict[str, Cue | None]  # what the timeline places (None: role off)
    samples: dict[str, np.ndarray] = field(default_factory=dict)  # level-matched, frames × 2, 44.1 kHz
    key: str = ""  # changes whenever the sound of the episode would
    loop_crossfade: float = 1.0  # seconds where a bed loops (0 for the seamless default bed)

    @property
    def enabled(self) -> bool:
        return any(self.cues.values())


def decode(path: Path, where: str) -> np.ndarray:
    """A show's sound file as float32 stereo at 44.1 kHz; a one-line error naming the key and file."""
    if not path.is_file():
        raise AudioError(f"{where}: {path} not found")
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-loglevel", "error", "-i", str(path), "-vn", "-t",
           str(MAX_SECONDS), "-f", "f32le", "-ac", "2", "-ar", str(RATE), "pipe:1"]
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise AudioError(f"{where}: cannot decode {path}: {exc}") from None
    data = np.frombuffer(proc.stdout, dtype="<f4")
    if proc.returncode != 0 or len(data) < RATE // 5:  # under 0.1 s of audio: not a sound
        raise AudioError(f"{where}: {path} is not an audio file ffmpeg can decode "
                         f"(mp3, wav, ogg, flac or m4a)")
    x = data[: len(data) // 2 * 2].reshape(-1, 2).copy()
    if not np.isfinite(x).all() or float(np.abs(x).max()) < 1e-4:
        raise AudioError(f"{where}: {path} is silent")
    return x


def _default(role: str, cache_dir: Path | None) -> np.ndarray:
    """The generated kit's sound, kept in the cache so a build does not synthesise it again."""
    if cache_dir is None:
        return kit.default_sound(role)
    path = cache_dir / "sound" / kit.VERSION / f"{role}.npy"
    try:
        x = np.load(path, allow_pickle=False)
        if x.dtype == np.float32 and x.ndim == 2 and x.shape[1] == 2:
            return x
    except (OSError, ValueError):
        pass
    x = kit.default_sound(role)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{role}.", suffix=".npy", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, x, allow_pickle=False)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written only costs the synthesis next time
    return x


def load_show_sound(section: SoundSection, *, loudness: float, cache_dir: Path | None = None,
                    music: bool = True) -> ShowSound:
    """Every role's sound for a show (nothing when ``music`` is off or ``[sound] enabled = false``).

    ``loudness`` is the episode's target: a sound at ``gain = 0`` is as loud as the speech.
    """
    material = sound_material(section, loudness=loudness, music=music)
    if material is None:
        return ShowSound(cues={r: None for r in SOUND_ROLES}, key="voice-only")
    specs = role_specs(section)
    cues: dict[str, Cue | None] = {}
    samples: dict[str, np.ndarray] = {}
    own_bed = False
    for role in SOUND_ROLES:
        spec: RoleSpec | None = specs[role]
        if spec is None:
            cues[role] = None
            continue
        if spec.file is not None:
            x = decode(spec.file, f"sound.{role}.file")
            own_bed = own_bed or role == "bed"
        else:
            x = _default(role, cache_dir)
        measured = integrated_loudness(x, RATE)
        scale = 10 ** ((loudness - measured) / 20) if not math.isinf(measured) else 1.0
        samples[role] = (x * np.float32(scale)).astype(np.float32)
        samples[role].setflags(write=False)
        cues[role] = Cue(duration=len(x) / RATE, source=spec.label, gain=spec.gain, fade_in=spec.fade_in,
                         fade_out=spec.fade_out, overlap=spec.overlap)
    mark_decoded(material, cache_dir)
    return ShowSound(cues=cues, samples=samples, key=key_of(material), loop_crossfade=1.0 if own_bed else 0.0)

"""``[sound]`` settings → what each sound role plays, with its gain, fades and overlap.

The table lives in ``audio-edition.toml`` or in the voice profile (the show config wins, key
by key); ``config.SoundSection`` checks the keys and types, this module fills in each role's
defaults and resolves its file against the file that named it.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import SOUND_ROLES, SoundSection, _section
from ..errors import AudioError
from ..fsutil import file_sha256

# gain: dB against the speech level (music is level-matched like the voices before this gain)
# overlap: intro: seconds of its tail the voice starts over; sting/section: seconds before the
# sting ends that the next voice starts; outro: seconds before the last words end that it
# starts; bed: seconds the bed extends before and after the voice it lies under.
DEFAULTS = {
    "intro": {"gain": -3.0, "fade_in": 0.0, "fade_out": 1.5, "overlap": 1.5},
    "sting": {"gain": -7.0, "fade_in": 0.0, "fade_out": 0.3, "overlap": 0.15},
    "section": {"gain": -6.0, "fade_in": 0.0, "fade_out": 0.3, "overlap": 0.15},
    "outro": {"gain": -3.0, "fade_in": 0.0, "fade_out": 2.0, "overlap": 0.0},
    "bed": {"gain": -11.0, "fade_in": 1.5, "fade_out": 2.0, "overlap": 1.0},
}


@dataclass(frozen=True)
class RoleSpec:
    role: str
    file: Path | None  # None: the generated default kit
    gain: float
    fade_in: float
    fade_out: float
    overlap: float

    @property
    def label(self) -> str:
        return str(self.file) if self.file else f"default kit ({self.role})"


def sound_from_table(data: Any, where: str, base_dir: Path | None = None) -> SoundSection:
    """Validate a ``[sound]`` table (from a config or a voice profile); files made absolute."""
    section = _section(SoundSection, data, "sound", where)
    return resolve_files(section, base_dir)


def resolve_files(section: SoundSection, base_dir: Path | None) -> SoundSection:
    changes: dict[str, Any] = {}
    for role in SOUND_ROLES:
        table = getattr(section, role)
        if table is not False and isinstance(table.get("file"), str):
            p = Path(table["file"]).expanduser()
            if not p.is_absolute() and base_dir is not None:
                p = base_dir / p
            changes[role] = {**table, "file": str(p)}
    return replace(section, **changes) if changes else section


def merged(profile_sound: SoundSection | None, config_sound: SoundSection, config_raw: dict | None) -> SoundSection:
    """The show config's ``[sound]`` keys over the voice profile's (key by key, role table by role table)."""
    if profile_sound is None:
        return config_sound
    given = (config_raw or {}).get("sound") or {}
    changes = {}
    for key in given:
        value = getattr(config_sound, key)
        base = getattr(profile_sound, key)
        if key in SOUND_ROLES and isinstance(value, dict) and isinstance(base, dict):
            value = {**base, **value}
        changes[key] = value
    return replace(profile_sound, **changes)


def role_specs(section: SoundSection) -> dict[str, RoleSpec | None]:
    """Each role's spec, or None where the show turned the role off (``bed = false``)."""
    out: dict[str, RoleSpec | None] = {}
    for role in SOUND_ROLES:
        table = getattr(section, role)
        if table is False:
            out[role] = None
            continue
        values = {**DEFAULTS[role], **{k: v for k, v in table.items() if k != "file"}}
        file = Path(table["file"]) if table.get("file") else None
        out[role] = RoleSpec(role=role, file=file, **{k: float(v) for k, v in values.items()})
    return out


_VERSION_LINE = re.compile(r"^VERSION(?:\s*:\s*str)?\s*=\s*[\"']([^\"'\n]+)[\"']", re.MULTILINE)


def kit_version() -> str:
    """The default kit's ``VERSION``, read from its source when the kit is not imported yet.

    The kit computes its samples with numpy; a warm rebuild needs only its version (for the
    render key), so it does not pay for importing numpy. A kit module that no longer spells
    its version as a plain string is imported instead.
    """
    if "audio_edition.sound.kit" not in sys.modules:
        try:
            m = _VERSION_LINE.search(Path(__file__).with_name("kit.py").read_text(encoding="utf-8"))
        except OSError:
            m = None
        if m:
            return m.group(1)
    from . import kit

    return str(kit.VERSION)


def sound_material(section: SoundSection, *, loudness: float, music: bool = True) -> dict[str, object] | None:
    """What the sounds of an episode depend on: kit version, files' hashes, each role's settings
    (None: no music). Computed without decoding a sample; a missing file is a one-line error."""
    if not music or not section.enabled:
        return None
    specs = role_specs(section)
    material: dict[str, object] = {"kit": kit_version(), "loudness": loudness}
    for role in SOUND_ROLES:
        spec = specs[role]
        if spec is None:
            continue
        if spec.file is not None:
            if not spec.file.is_file():
                raise AudioError(f"sound.{role}.file: {spec.file} not found")
            material[role] = [str(spec.file), file_sha256(spec.file)]
        else:
            material[role] = "default"
        material[f"{role}.spec"] = [spec.gain, spec.fade_in, spec.fade_out, spec.overlap]
    return material


def sound_key(section: SoundSection, *, loudness: float, music: bool = True) -> str:
    """A hash of :func:`sound_material`: changes whenever the sound of the episode would
    (``library.load_show_sound`` loads the samples under this same key)."""
    material = sound_material(section, loudness=loudness, music=music)
    return key_of(material)


def key_of(material: dict[str, object] | None) -> str:
    if material is None:
        return "voice-only"
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _digests(material: dict[str, object] | None) -> list[str]:
    """The SHA-256 of each of the show's own files in ``material``."""
    return [v[1] for v in (material or {}).values() if isinstance(v, list) and len(v) == 2
            and isinstance(v[1], str) and len(v[1]) == 64]


def _marker(cache_dir: Path, digest: str) -> Path:
    return cache_dir / "sound" / "decoded" / digest


def decoded_before(material: dict[str, object] | None, cache_dir: Path | None) -> bool:
    """Whether every own file of ``material`` (by content) has been decoded by an earlier build:
    then it needs no check before synthesis, only its samples when mixing."""
    if cache_dir is None:
        return not _digests(material)
    return all(_marker(cache_dir, d).exists() for d in _digests(material))


def mark_decoded(material: dict[str, object] | None, cache_dir: Path | None) -> None:
    """Remember that the own files of ``material`` decode (a marker per content hash)."""
    if cache_dir is None:
        return
    for d in _digests(material):
        path = _marker(cache_dir, d)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError:
            pass  # unwritable cache: the file is decoded again before the next build's synthesis

"""``[sound]`` settings → what each sound role plays, with its gain, fades and overlap.

The table lives in ``audio-edition.toml`` or in the voice profile (the show config wins, key
by key); ``config.SoundSection`` checks the keys and types, this module fills in each role's
defaults and resolves its file against the file that named it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import SOUND_ROLES, SoundSection, _section

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

"""Show configuration: ``audio-edition.toml`` → a typed ``ShowConfig``.

The file is optional; every key has a default. Errors name the file and the key.

    [show]
    name = "MAMMAM IA!"          # announced in intro and outro; feed title
    language = "fr"              # default when the issue does not say
    read_sponsors = false        # read sponsored blocks as an announced ad break
    read_captions = false        # read figure captions

    [feed]
    title = "MAMMAM IA! (édition audio)"
    description = "..."
    author = "..."
    email = "..."
    base_url = "https://example.org/podcast/"   # where --out is published
    image = "cover.jpg"
    category = "Technology"
    explicit = false

    [audio]
    pause_ms = 700               # silence between segments
    bitrate = "96k"

    [sound]                      # jingles, stings, music bed, loudness (see SoundSection)
    enabled = true
    bed = { file = "bed.mp3", gain = -14 }
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "audio-edition.toml"


@dataclass
class ShowSection:
    name: str | None = None
    language: str = "fr"
    read_sponsors: bool = False
    read_captions: bool = False
    image: str | None = None  # the show's cover: JPEG/PNG, RGB, square, 1400-3000 px (default: generated)


@dataclass
class FeedSection:
    title: str | None = None
    description: str | None = None
    author: str | None = None
    email: str | None = None
    base_url: str | None = None
    image: str | None = None
    category: str = "Technology"
    explicit: bool = False


@dataclass
class AudioSection:
    pause_ms: int = 700
    bitrate: str = "96k"


SOUND_ROLES = ("intro", "sting", "section", "outro", "bed")
SOUND_ROLE_KEYS = {"file": str, "gain": float, "fade_in": float, "fade_out": float, "overlap": float}


@dataclass
class SoundSection:
    """``[sound]``: the show's sound identity (also accepted as ``[sound]`` in the voice profile).

    A role table (``intro``, ``sting``, ``section``, ``outro``, ``bed``) may give ``file``
    (mp3/wav/ogg/flac/m4a; default: the generated kit), ``gain`` (dB against the speech level),
    ``fade_in``, ``fade_out`` and ``overlap`` (seconds the voice may start over its tail), or
    ``false`` to leave that role out.
    """

    enabled: bool = True
    loudness_stereo: float = -16.0  # LUFS, AES TD1008, with music
    loudness_mono: float = -19.0  # LUFS, voice-only
    tolerance: float = 1.0  # LU: the quality gate's window around the target
    true_peak: float = -1.0  # dBTP, measured 4x oversampled
    bitrate_stereo: str = "128k"
    bitrate_mono: str = "64k"
    duck: float = 14.0  # dB the bed goes down under speech
    intro: dict = field(default_factory=dict)
    sting: dict = field(default_factory=dict)
    section: dict = field(default_factory=dict)
    outro: dict = field(default_factory=dict)
    bed: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        for role in SOUND_ROLES:
            table = getattr(self, role)
            if table is False:
                continue
            for key, value in table.items():
                if key not in SOUND_ROLE_KEYS:
                    raise ConfigError(f"unknown key sound.{role}.{key} (known: {', '.join(SOUND_ROLE_KEYS)})")
                want = SOUND_ROLE_KEYS[key]
                ok = isinstance(value, str) if want is str else (
                    isinstance(value, (int, float)) and not isinstance(value, bool))
                if not ok:
                    raise ConfigError(f"sound.{role}.{key} must be {'a path' if want is str else 'a number'}, "
                                      f"got {value!r}")
                if key in ("fade_in", "fade_out", "overlap") and not 0 <= value <= 30:
                    raise ConfigError(f"sound.{role}.{key} must be between 0 and 30 seconds, got {value}")
        if not 0 <= self.duck <= 40:
            raise ConfigError(f"sound.duck must be between 0 and 40 dB, got {self.duck}")


@dataclass
class ShowConfig:
    show: ShowSection = field(default_factory=ShowSection)
    feed: FeedSection = field(default_factory=FeedSection)
    audio: AudioSection = field(default_factory=AudioSection)
    sound: SoundSection = field(default_factory=SoundSection)
    path: Path | None = None  # the file it came from, for relative paths
    raw: dict[str, Any] = field(default_factory=dict)

    def resolve(self, relative: str | None) -> Path | None:
        """A path from the config, relative to the config file's directory."""
        if not relative:
            return None
        p = Path(relative)
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p


def _section(cls, data: Any, name: str, where: str):
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    known = {f.name: f for f in fields(cls)}
    values = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(f"{where}: unknown key {name}.{key} (known: {', '.join(sorted(known))})")
        default = getattr(cls(), key)
        expected = type(default) if default is not None else str
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if expected is dict and value is False:
            pass  # a role table turned off: [sound] bed = false
        elif expected is int and isinstance(value, bool) or not isinstance(value, expected):
            raise ConfigError(f"{where}: {name}.{key} must be {expected.__name__}, got {value!r}")
        values[key] = value
    try:
        return cls(**values)
    except ConfigError as exc:  # a table's own checks ([sound] roles) name the key, we name the file
        raise ConfigError(f"{where}: {exc}") from None


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Parse a TOML file; every failure is a one-line ConfigError naming ``what`` and the path."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{what} not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None


def load_config(path: str | Path | None = None, *, search_dir: str | Path | None = None) -> ShowConfig:
    """Read ``path``, or ``audio-edition.toml`` in ``search_dir`` if present, else defaults."""
    if path is None:
        candidate = Path(search_dir or ".") / CONFIG_NAME
        if not candidate.is_file():
            return ShowConfig()
        path = candidate
    path = Path(path)
    data = read_toml(path, "config file")
    sections = {"show": ShowSection, "feed": FeedSection, "audio": AudioSection, "sound": SoundSection}
    cfg = ShowConfig(path=path, raw=data)
    for name, cls in sections.items():
        if name in data:
            setattr(cfg, name, _section(cls, data[name], name, str(path)))
    return cfg

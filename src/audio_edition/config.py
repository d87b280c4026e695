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


@dataclass
class ShowConfig:
    show: ShowSection = field(default_factory=ShowSection)
    feed: FeedSection = field(default_factory=FeedSection)
    audio: AudioSection = field(default_factory=AudioSection)
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
        if expected is int and isinstance(value, bool) or not isinstance(value, expected):
            raise ConfigError(f"{where}: {name}.{key} must be {expected.__name__}, got {value!r}")
        values[key] = value
    return cls(**values)


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
    sections = {"show": ShowSection, "feed": FeedSection, "audio": AudioSection}
    cfg = ShowConfig(path=path, raw=data)
    for name, cls in sections.items():
        if name in data:
            setattr(cfg, name, _section(cls, data[name], name, str(path)))
    return cfg

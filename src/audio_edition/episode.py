"""The episode record: what ``episode.json`` holds, typed and validated on load.

``build`` writes it (last, once every other file of the episode is complete); ``feed``,
``check`` and ``publish`` read these files alone. A damaged record is an
``EpisodeRecordError`` naming the file, never a crash of whoever reads it.
"""

from __future__ import annotations

import json
import types
import typing
from dataclasses import MISSING, asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import AudioEditionError

RECORD = "episode.json"
TRANSCRIPTS = {"text/vtt": "transcript.vtt", "application/x-subrip": "transcript.srt", "text/html": "transcript.html"}


class EpisodeRecordError(AudioEditionError):
    """An ``episode.json`` is missing, unreadable or not a valid record."""


@dataclass(frozen=True)
class SegmentRecord:
    role: str
    title: str
    start: float
    end: float
    engine: str = ""
    voice: str = ""
    attempts: int = 0
    cached: bool = False
    synthesized: bool = True
    duration: float = 0.0
    fallback: bool = False
    fallback_reason: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class SkippedRecord:
    kind: str
    text: str


@dataclass(frozen=True)
class Episode:
    slug: str
    title: str
    audio: str  # the MP3's file name, in the episode's directory
    duration: float  # seconds, decoded from the final MP3
    size: int  # bytes of the final MP3
    guid: str  # never changes across rebuilds of the same issue
    show: str = ""
    date: str | None = None  # YYYY-MM-DD, from the newsletter
    language: str = "fr"
    source: str = ""
    source_kind: str = "file"  # file | url | feed | email
    url: str | None = None  # the original issue
    audio_url: str = ""
    transcript: str = "transcript.vtt"
    transcripts: dict[str, str] = field(default_factory=lambda: dict(TRANSCRIPTS))
    chapters: str = "chapters.json"
    loudness_lufs: float | None = None
    true_peak_dbtp: float | None = None
    channels: int = 1
    bitrate: str = ""
    engine: str = ""
    fallback_engine: str | None = None
    voice_profile: str = ""
    voices: tuple[str, ...] = ()
    report: str = ""
    built_at: str = ""
    generator: str = ""
    mix_key: str = ""
    summary: str = ""
    image: str | None = None  # the episode artwork's file name, if any
    number: int | None = None  # itunes:episode: given once, when the episode is first built, then kept
    episode_type: str = "full"  # itunes:episodeType: full, trailer or bonus
    segments: tuple[SegmentRecord, ...] = ()
    skipped: tuple[SkippedRecord, ...] = ()
    quality: dict[str, Any] = field(default_factory=dict)  # the quality gate's figures
    synthesis: dict[str, Any] = field(default_factory=dict)  # concurrency used, retries, chunks

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["voices"] = list(self.voices)
        return d

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: Any, where: str = RECORD) -> Episode:
        if not isinstance(data, dict):
            raise EpisodeRecordError(f"{where}: not an episode record (expected a JSON object)")
        values = _typed(cls, data, where)
        values["segments"] = tuple(_typed(SegmentRecord, s, f"{where}: segments[{i}]", build=True)
                                   for i, s in enumerate(values.get("segments") or ()))
        values["skipped"] = tuple(_typed(SkippedRecord, s, f"{where}: skipped[{i}]", build=True)
                                  for i, s in enumerate(values.get("skipped") or ()))
        if "voices" in values:
            values["voices"] = tuple(values["voices"])
        return cls(**values)


_NESTED = {"segments", "skipped"}


def _allowed(tp: Any) -> tuple[type, ...]:
    """The runtime types a JSON value may have for annotation ``tp``."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        out: tuple[type, ...] = ()
        for arg in typing.get_args(tp):
            out += _allowed(arg)
        return out
    if tp is type(None):
        return (type(None),)
    if tp is float:
        return (int, float)
    if origin is tuple or tp is tuple:
        return (list, tuple)
    if origin is dict or tp is dict:
        return (dict,)
    return (tp,) if isinstance(tp, type) else (object,)


def _typed(cls: Any, data: Any, where: str, build: bool = False) -> Any:
    if not isinstance(data, dict):
        raise EpisodeRecordError(f"{where}: expected an object")
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name not in data:
            if f.default is MISSING and f.default_factory is MISSING:
                raise EpisodeRecordError(f"{where}: missing field {name!r}")
            continue
        value = data[name]
        allowed = _allowed(hints[name])
        if name not in _NESTED and (not isinstance(value, allowed) or (
                isinstance(value, bool) and bool not in allowed and object not in allowed)):
            raise EpisodeRecordError(f"{where}: field {name!r} has the wrong type ({type(value).__name__})")
        values[name] = value
    return cls(**values) if build else values


def load_episode(path: str | Path) -> Episode:
    """Read and validate one ``episode.json``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EpisodeRecordError(f"{path}: missing") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise EpisodeRecordError(f"{path}: cannot read: {exc}") from None
    except ValueError as exc:
        raise EpisodeRecordError(f"{path}: not valid JSON ({exc})") from None
    return Episode.from_dict(data, str(path))


@dataclass(frozen=True)
class StoredEpisode:
    """A valid record and the directory it lives in (with its MP3's size and mtime on disk)."""

    episode: Episode
    directory: Path
    size: int
    mtime: float


def scan_episodes(out_dir: str | Path) -> tuple[list[StoredEpisode], list[str]]:
    """Every valid episode under ``out_dir/episodes``, oldest first, and one problem line per bad one."""
    stored: list[StoredEpisode] = []
    problems: list[str] = []
    for path in sorted((Path(out_dir) / "episodes").glob(f"*/{RECORD}")):
        try:
            ep = load_episode(path)
        except EpisodeRecordError as exc:
            problems.append(str(exc))
            continue
        mp3 = path.parent / ep.audio
        try:
            st = mp3.stat()
        except OSError:
            problems.append(f"{path}: its audio {ep.audio} is missing")
            continue
        stored.append(StoredEpisode(ep, path.parent, st.st_size, st.st_mtime))
    stored.sort(key=lambda s: (s.episode.date or "", s.mtime))
    return stored, problems

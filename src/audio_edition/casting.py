"""Voice casting: a show's voice profile → who reads each segment, per engine.

A profile (``voices/<show>.toml``, or the built-in ``fr`` / ``en`` ones) gives the show's
language, its default engine, and for each role the voice, rate and pitch per engine::

    [profile]
    name = "MAMMAM IA!"
    language = "fr"
    engine = "edge"

    [roles.host]                      # intro and transitions
    edge = { voice = "fr-FR-DeniseNeural", rate = 0, pitch = 0 }
    espeak = { voice = "fr+f3" }

    [roles.stories]
    edge = { voice = "fr-FR-HenriNeural" }
    espeak = { voice = "fr+m3", rate = -5 }

    [lexicon.words]                   # the show's pronunciations (or: [lexicon] file = "lexicon.toml")
    "MAMMAM" = "Mamame"

Roles are ``host`` (required), ``stories``, ``sections``, ``outro`` and ``sponsor``; a role
left out is read by the host. Segment roles map onto them: intro and transition → host,
story → stories, section → sections, outro → outro, sponsor → sponsor.

Which profile: ``build --voices FILE``, else ``[voices] profile`` in the show's
``audio-edition.toml``, else the built-in profile of the issue's language.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

from .config import read_toml
from .engines import ENGINES
from .engines.edge import is_edge_voice
from .errors import ConfigError
from .models import Segment
from .normalize import lexicon_from_profile
from .normalize.lexicon import combine, lexicon_from_config

CAST_ROLES = ("host", "stories", "sections", "outro", "sponsor")
SEGMENT_ROLE = {"intro": "host", "transition": "host", "story": "stories", "section": "sections",
                "outro": "outro", "sponsor": "sponsor"}
BUILTIN_LANGUAGES = ("fr", "en")
RATE_RANGE = (-50, 100)
PITCH_RANGE = (-50, 50)


@dataclass(frozen=True)
class VoiceChoice:
    voice: str
    rate: int = 0
    pitch: int = 0


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    language: str
    engine: str
    roles: Mapping[str, Mapping[str, VoiceChoice]] = field(default_factory=dict)
    source: str = ""  # the file, or "built-in fr"
    lexicon: Any = None  # the show's pronunciation lexicon ([lexicon] table or lexicon.file), if any
    sound: Any = None  # the show's [sound] table (a config.SoundSection, files resolved), if any

    def cast_role(self, role: str) -> str:
        """The profile role that reads a segment role (or a profile role itself)."""
        cast = SEGMENT_ROLE.get(role, role)
        if cast not in CAST_ROLES:
            raise ConfigError(f"unknown role {role!r} (known: {', '.join(sorted(SEGMENT_ROLE))})")
        return cast if cast in self.roles else "host"

    def choice(self, role: str, engine: str | None = None) -> VoiceChoice:
        """Voice, rate and pitch for ``role`` (segment or profile role) on ``engine``."""
        engine = engine or self.engine
        cast = self.cast_role(role)
        per_engine = self.roles[cast]
        if engine not in per_engine:
            raise ConfigError(f"{self.source}: no {engine} voice for role {cast} "
                              f"(add roles.{cast}.{engine} = {{ voice = \"...\" }})")
        return per_engine[engine]

    def voice_for(self, engine: str | None = None) -> Callable[[str], str]:
        """``role → voice name`` for ``engine``: what ``script.build_script(voice_for=...)`` takes."""
        return lambda role: self.choice(role, engine).voice

    def engines(self) -> list[str]:
        """Engines every role can be read with."""
        return [e for e in ENGINES if all(e in per for per in self.roles.values())]


def _where(source: str, key: str) -> str:
    return f"{source}: {key}"


def _int(value: Any, source: str, key: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(f"{_where(source, key)} must be a whole number of percent, got {value!r}")
    if not lo <= value <= hi:
        raise ConfigError(f"{_where(source, key)} must be between {lo} and {hi}, got {value}")
    return value


def _choice(data: Any, source: str, key: str, engine: str) -> VoiceChoice:
    if isinstance(data, str):
        data = {"voice": data}
    if not isinstance(data, dict):
        raise ConfigError(f"{_where(source, key)} must be a table like {{ voice = \"...\" }}")
    unknown = set(data) - {"voice", "rate", "pitch"}
    if unknown:
        raise ConfigError(f"{_where(source, key)}: unknown key {sorted(unknown)[0]} (known: pitch, rate, voice)")
    voice = data.get("voice")
    if not isinstance(voice, str) or not voice.strip():
        raise ConfigError(f"{_where(source, key + '.voice')} must be a voice name")
    if engine == "edge" and not is_edge_voice(voice):
        raise ConfigError(f"{_where(source, key + '.voice')}: {voice!r} is not an edge voice name "
                          f"(like fr-FR-DeniseNeural; list them with: audio-edition voices --engine edge)")
    if engine == "espeak" and is_edge_voice(voice):
        raise ConfigError(f"{_where(source, key + '.voice')}: {voice!r} is an edge voice, not an espeak one "
                          f"(like fr+f3; list them with: audio-edition voices --engine espeak)")
    return VoiceChoice(voice=voice.strip(),
                       rate=_int(data.get("rate", 0), source, key + ".rate", *RATE_RANGE),
                       pitch=_int(data.get("pitch", 0), source, key + ".pitch", *PITCH_RANGE))


def parse_profile(data: dict, source: str) -> VoiceProfile:
    """Validate a profile's TOML data; errors name the source and the key."""
    unknown = set(data) - {"profile", "roles", "lexicon", "sound"}
    if unknown:
        raise ConfigError(f"{source}: unknown table [{sorted(unknown)[0]}] (known: lexicon, profile, roles, sound)")
    head = data.get("profile", {})
    if not isinstance(head, dict):
        raise ConfigError(f"{source}: [profile] must be a table")
    unknown = set(head) - {"name", "language", "engine"}
    if unknown:
        raise ConfigError(f"{source}: unknown key profile.{sorted(unknown)[0]} (known: engine, language, name)")
    language = head.get("language")
    if not isinstance(language, str) or not language.strip():
        raise ConfigError(f"{source}: profile.language is required (e.g. \"fr\")")
    engine = head.get("engine", "edge")
    if engine not in ENGINES:
        raise ConfigError(f"{source}: profile.engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    name = head.get("name", Path(source).stem)
    if not isinstance(name, str):
        raise ConfigError(f"{source}: profile.name must be a string")
    roles_data = data.get("roles")
    if not isinstance(roles_data, dict) or "host" not in roles_data:
        raise ConfigError(f"{source}: [roles.host] is required (the voice of the intro and transitions)")
    roles: dict[str, dict[str, VoiceChoice]] = {}
    for role, per_engine in roles_data.items():
        if role not in CAST_ROLES:
            raise ConfigError(f"{source}: unknown role roles.{role} (known: {', '.join(CAST_ROLES)})")
        if not isinstance(per_engine, dict) or not per_engine:
            raise ConfigError(f"{source}: roles.{role} must give a voice per engine, e.g. "
                              f"edge = {{ voice = \"...\" }}")
        roles[role] = {}
        for eng, choice in per_engine.items():
            if eng not in ENGINES:
                raise ConfigError(f"{source}: unknown engine roles.{role}.{eng} (known: {', '.join(ENGINES)})")
            roles[role][eng] = _choice(choice, source, f"roles.{role}.{eng}", eng)
    if engine not in roles["host"]:
        raise ConfigError(f"{source}: roles.host has no {engine} voice, but profile.engine is {engine}")
    sound = None
    if "sound" in data:
        from .sound.settings import sound_from_table

        sound = sound_from_table(data["sound"], source, Path(source).parent if Path(source).is_file() else None)
    return VoiceProfile(name=name, language=language.strip(), engine=engine, roles=roles, source=source, sound=sound)


def load_profile(path: str | Path) -> VoiceProfile:
    path = Path(path)
    data = read_toml(path, "voice profile")
    profile = parse_profile(data, str(path))
    lexicon = lexicon_from_profile(data, path)
    return replace(profile, lexicon=lexicon) if lexicon is not None else profile


def builtin_profile(language: str = "fr") -> VoiceProfile:
    """The shipped profile for ``language`` (``fr`` or ``en``; other languages get ``en``)."""
    lang = (language or "fr").split("-")[0].lower()
    lang = lang if lang in BUILTIN_LANGUAGES else "en"
    text = (resources.files("audio_edition") / "data" / "voices" / f"{lang}.toml").read_text(encoding="utf-8")
    return parse_profile(tomllib.loads(text), f"built-in {lang} profile")


def profile_path_from_config(config) -> Path | None:
    """``[voices] profile = "voices/show.toml"`` in the show config, relative to that file."""
    raw = getattr(config, "raw", None) or {}
    section = raw.get("voices")
    if section is None:
        return None
    where = str(getattr(config, "path", None) or "audio-edition.toml")
    if not isinstance(section, dict):
        raise ConfigError(f"{where}: [voices] must be a table")
    unknown = set(section) - {"profile"}
    if unknown:
        raise ConfigError(f"{where}: unknown key voices.{sorted(unknown)[0]} (known: profile)")
    value = section.get("profile")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: voices.profile must be a path to a voice profile (TOML)")
    return config.resolve(value) if hasattr(config, "resolve") else Path(value)


def resolve_profile(voices_file: str | Path | None = None, config=None, language: str | None = None) -> VoiceProfile:
    """``--voices FILE``, else the config's ``[voices] profile``, else the built-in one for ``language``;
    its lexicon on top of the ``[lexicon]`` of ``audio-edition.toml``."""
    profile = _resolve_profile(voices_file, config, language)
    show_lexicon = lexicon_from_config(config) if config is not None else None
    if show_lexicon is None:
        return profile
    return replace(profile, lexicon=combine(profile.lexicon, show_lexicon))


def _resolve_profile(voices_file, config, language) -> VoiceProfile:
    if voices_file:
        return load_profile(voices_file)
    from_config = profile_path_from_config(config) if config is not None else None
    if from_config is not None:
        return load_profile(from_config)
    if language is None and config is not None:
        language = getattr(getattr(config, "show", None), "language", None)
    return builtin_profile(language or "fr")


def jobs_for_segments(segments: Iterable[Segment], profile: VoiceProfile, engine: str | None = None,
                      fallback_engine: str | None = None):
    """One ``SynthJob`` per segment, voiced by ``profile`` on ``engine`` (default: the profile's).

    With ``fallback_engine``, each job also carries that engine's voice for its role.
    """
    from .engines.runner import SynthJob

    engine = engine or profile.engine
    jobs = []
    others: dict[str, VoiceProfile] = {}
    for i, seg in enumerate(segments):
        voices = profile
        lang = getattr(seg, "language", None)  # a segment in another language: a voice of that language
        if lang and lang != profile.language and lang in BUILTIN_LANGUAGES:
            voices = others.setdefault(lang, builtin_profile(lang))
        c = voices.choice(seg.role, engine)
        fb = voices.choice(seg.role, fallback_engine) if fallback_engine and fallback_engine != engine else None
        jobs.append(SynthJob(
            index=i, role=seg.role, text=seg.spoken, voice=c.voice, rate=c.rate, pitch=c.pitch, title=seg.title,
            fallback_voice=fb.voice if fb else None, fallback_rate=fb.rate if fb else None,
            fallback_pitch=fb.pitch if fb else None,
        ))
    return jobs

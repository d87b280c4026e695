"""Show configuration: ``audio-edition.toml`` → a typed ``ShowConfig``, from one schema.

The schema is the section dataclasses below, registered in ``SECTIONS``: each field is a key
with its type, default and one-line doc (``key(...)``). ``load_config`` validates a file
against it, ``audio-edition init`` writes a commented file from it and the README's table
is generated from it (``schema_markdown``), so the three never disagree. A new table is a
dataclass and one line in ``SECTIONS``.

Errors are one line naming the file and the key, with the closest valid name when the key
or table looks misspelt. The file is optional; every key has a default.

``[feed]`` (before 0.2) still loads: its keys moved to ``[show]`` (``email`` became
``owner_email``); setting one in both tables is an error naming the new key.
"""

from __future__ import annotations

import copy
import difflib
import functools
import json
import re
import tomllib
import types
import typing
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "audio-edition.toml"
DESCRIPTION_MAX_BYTES = 4000  # Apple Podcasts' limit for a show description
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def key(default: Any, doc: str, *, example: Any = None, choices: tuple[str, ...] | None = None,
        check: Callable[[Any], str | None] | None = None, init: bool = False) -> Any:
    """One config key: its default, its doc line, and optionally allowed values or a check.

    ``check(value)`` returns an error phrase ("must be ...") or None. ``example`` is what
    ``init`` and the docs show; ``init=True`` puts the key in ``init``'s questions.
    """
    meta = {"doc": doc, "example": example, "choices": choices, "check": check, "init": init}
    if isinstance(default, (list, dict)):
        return field(default_factory=functools.partial(copy.copy, default), metadata=meta)
    return field(default=default, metadata=meta)


@lru_cache(maxsize=1)
def apple_categories() -> dict[str, tuple[str, ...]]:
    """Apple Podcasts' categories and their subcategories (``data/apple-podcast-categories.json``)."""
    text = (resources.files("audio_edition") / "data" / "apple-podcast-categories.json").read_text(encoding="utf-8")
    return {k: tuple(v) for k, v in json.loads(text).items() if not k.startswith("_")}


def _closest(word: str, candidates: typing.Iterable[str]) -> str | None:
    candidates = list(candidates)
    lowered = {c.lower(): c for c in candidates}
    if word.lower() in lowered:
        return lowered[word.lower()]
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    if match:
        return lowered[match[0]]
    starts = [c for low, c in lowered.items() if len(word) >= 3 and low.startswith(word.lower())]
    return starts[0] if len(starts) == 1 else None


def _suggest(word: str, candidates: typing.Iterable[str], fmt: str = "{}") -> str:
    candidates = sorted(candidates)
    best = _closest(word, candidates)
    if best is not None:
        return f"did you mean {fmt.format(best)}?"
    return "known: " + ", ".join(fmt.format(c) for c in candidates)


def _check_description(value: str) -> str | None:
    n = len(value.encode("utf-8"))
    if n > DESCRIPTION_MAX_BYTES:
        return f"must be at most {DESCRIPTION_MAX_BYTES} bytes (Apple's limit), got {n}"
    return None


def _check_language(value: str) -> str | None:
    return None if _LANGUAGE.fullmatch(value) else "must be a language code such as \"fr\" or \"en-US\""


def _check_email(value: str) -> str | None:
    return None if _EMAIL.fullmatch(value) else "must be an e-mail address"


def _check_http(value: str) -> str | None:
    return None if re.match(r"https?://[^/\s]+", value) else "must be an http:// or https:// URL"


def _check_base_url(value: str) -> str | None:
    return None if re.match(r"(https?://[^/\s]+|file:///)", value) else \
        "must be the http(s):// URL where --out is published"


def _check_category(value: str) -> str | None:
    cats = apple_categories()
    if value in cats:
        return None
    return f"is not an Apple Podcasts category ({_suggest(value, cats, '{!r}')})"


def _check_image(value: str) -> str | None:
    if "://" in value:
        return _check_http(value)
    return None if value.lower().endswith((".jpg", ".jpeg", ".png")) else "must be a .jpg or .png file or URL"


@dataclass
class ShowSection:
    """The podcast: what the intro says and what the feed tells podcast apps and directories."""

    name: str | None = key(None, "show name announced in the intro and outro (default: the newsletter's name)",
                           example="MAMMAM IA!", init=True)
    title: str | None = key(None, "podcast title in the feed and on the page (default: name)",
                            example="MAMMAM IA! (édition audio)")
    description: str | None = key(None, f"what the show is about, at most {DESCRIPTION_MAX_BYTES} bytes",
                                  example="L’actualité de l’IA, chaque semaine, à écouter.",
                                  check=_check_description, init=True)
    author: str | None = key(None, "who makes the show (itunes:author; default: name)", example="L’équipe MAMMAM IA",
                             init=True)
    owner_name: str | None = key(None, "the feed owner's name, for directories (default: author)",
                                 example="Jeanne Martin")
    owner_email: str | None = key(None, "the feed owner's e-mail: directories write to it; it locks the feed "
                                  "(podcast:locked) to its owner", example="podcast@example.org",
                                  check=_check_email, init=True)
    language: str = key("fr", "language code, used when the issue does not say", check=_check_language, init=True)
    category: str = key("Technology", "Apple Podcasts category", check=_check_category, init=True)
    subcategory: str | None = key(None, "Apple Podcasts subcategory of category", example="Tech News")
    explicit: bool = key(False, "the show contains explicit content")
    image: str | None = key(None, "show artwork (square JPEG or PNG, 1400-3000 px), relative to this file, or a "
                            "URL; published as cover.jpg beside feed.xml", example="cover.jpg")
    link: str | None = key(None, "the show's website (default: base_url)", example="https://example.org/",
                           check=_check_http)
    copyright: str | None = key(None, "copyright line", example="© 2025 MAMMAM IA")
    type: str = key("episodic", "how apps list episodes: newest first, or in order", choices=("episodic", "serial"))
    base_url: str | None = key(None, "public URL where --out is published (feed links; default: a file:// URL)",
                               example="https://example.org/podcast/", check=_check_base_url, init=True)
    read_sponsors: bool = key(False, "read sponsored blocks as an announced ad break")
    read_captions: bool = key(False, "read figure captions")


def kbps(bitrate: str | int) -> int | None:
    """The kilobits a second of a bitrate as the config writes it (``"128k"``, ``"128"``, 128); None if none."""
    m = re.match(r"^\s*(\d+)\s*k?", str(bitrate))
    return int(m.group(1)) if m else None


@dataclass
class AudioSection:
    """The episode's audio."""

    pause_ms: int = key(700, "silence between segments, in milliseconds")
    bitrate: str = key("96k", "MP3 bitrate (mono)", check=lambda v: None if re.fullmatch(r"\d{2,3}k", v)
                       else "must be a bitrate such as \"96k\"")


SOUND_ROLES = ("intro", "sting", "section", "outro", "bed")
SOUND_ROLE_KEYS = {"file": str, "gain": float, "fade_in": float, "fade_out": float, "overlap": float}
_ROLE_DOC = ("a table: file (mp3/wav/ogg/flac/m4a; default: the generated kit), gain (dB against the speech "
             "level), fade_in, fade_out, overlap (seconds); or false to leave the role out")


@dataclass
class SoundSection:
    """The show's sound identity: jingles, stings, music bed, loudness (also [sound] in the voice profile)."""

    enabled: bool = key(True, "mix the theme, stings and bed (false: a voice-only mix, as --no-music)")
    loudness_stereo: float = key(-16.0, "integrated loudness with music, LUFS (AES TD1008)")
    loudness_mono: float = key(-19.0, "integrated loudness of a voice-only mix, LUFS (AES TD1008)")
    tolerance: float = key(1.0, "LU around the target the quality gate accepts")
    true_peak: float = key(-1.0, "highest true peak, dBTP (measured 4x oversampled)")
    bitrate_stereo: str = key("128k", "MP3 bitrate with music (stereo 44.1 kHz)")
    bitrate_mono: str = key("64k", "MP3 bitrate of a voice-only mix (mono)")
    duck: float = key(14.0, "dB the bed goes down under speech")
    intro: dict | bool = key({}, "theme before the host speaks: " + _ROLE_DOC)
    sting: dict | bool = key({}, "between stories: " + _ROLE_DOC)
    section: dict | bool = key({}, "before a recurring section: " + _ROLE_DOC)
    outro: dict | bool = key({}, "after the last words: " + _ROLE_DOC)
    bed: dict | bool = key({}, "music under the intro and the outro, ducked under the voice: " + _ROLE_DOC)

    def __post_init__(self) -> None:
        for role in SOUND_ROLES:
            table = getattr(self, role)
            if table is True:
                setattr(self, role, {})
                continue
            if table is False:
                continue
            for k, value in table.items():
                if k not in SOUND_ROLE_KEYS:
                    raise ConfigError(f"unknown key sound.{role}.{k} "
                                      f"({_suggest(k, SOUND_ROLE_KEYS, f'sound.{role}.{{}}')})")
                want = SOUND_ROLE_KEYS[k]
                ok = isinstance(value, str) if want is str else (
                    isinstance(value, (int, float)) and not isinstance(value, bool))
                if not ok:
                    raise ConfigError(f"sound.{role}.{k} must be {'a path' if want is str else 'a number'}, "
                                      f"got {value!r}")
                if k in ("fade_in", "fade_out", "overlap") and not 0 <= value <= 30:
                    raise ConfigError(f"sound.{role}.{k} must be between 0 and 30 seconds, got {value}")
        if not 0 <= self.duck <= 40:
            raise ConfigError(f"sound.duck must be between 0 and 40 dB, got {self.duck}")


@dataclass
class VoicesSection:
    """Who reads what (see Voice profiles)."""

    profile: str | None = key(None, "voice profile (TOML), relative to this file", example="voices/mammam-ia.toml",
                              check=lambda v: None if v else "must be a path to a voice profile (TOML)")


@lru_cache(maxsize=1)
def template_keys() -> frozenset[str]:
    """Every key of the built-in spoken templates (``data/templates/*.toml``)."""
    base = resources.files("audio_edition") / "data" / "templates"
    out: set[str] = set()
    for entry in base.iterdir():
        if entry.name.endswith(".toml"):
            out.update(tomllib.loads(entry.read_text(encoding="utf-8")))
    return frozenset(out)


@dataclass
class TemplatesSection:
    """Spoken templates that override data/templates/<lang>.toml; [templates.<lang>] for one language."""

    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_table(cls, data: dict[str, Any], where: str) -> TemplatesSection:
        known = template_keys()

        def check(table: dict[str, Any], prefix: str) -> None:
            for k, v in table.items():
                if k not in known:
                    raise ConfigError(f"{where}: unknown key {prefix}.{k} ({_suggest(k, known, prefix + '.{}')})")
                if not (isinstance(v, str) or isinstance(v, list) and all(isinstance(x, str) for x in v)):
                    raise ConfigError(f"{where}: {prefix}.{k} must be a string or a list of strings, got {v!r}")

        for k, v in data.items():
            if isinstance(v, dict):
                if not _LANGUAGE.fullmatch(k):
                    raise ConfigError(f"{where}: [templates.{k}] must be named after a language code such as fr")
                check(v, f"templates.{k}")
            else:
                check({k: v}, "templates")
        return cls(values=dict(data))


@dataclass
class LexiconSection:
    """The show's pronunciations, as in a voice profile: [lexicon.words], [lexicon.patterns], [lexicon.espeak] / [lexicon.edge], or file = "lexicon.toml"."""  # noqa: E501

    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_table(cls, data: dict[str, Any], where: str) -> LexiconSection:
        from .normalize.lexicon import lexicon_from_data

        if "file" not in data:
            lexicon_from_data(data, f"{where}: [lexicon]")  # a bad entry is an error naming it, at load
        return cls(values=dict(data))


# The schema: every table of audio-edition.toml, in the order init and the docs show them.
SECTIONS: dict[str, type] = {
    "show": ShowSection,
    "audio": AudioSection,
    "sound": SoundSection,
    "voices": VoicesSection,
    "templates": TemplatesSection,
    "lexicon": LexiconSection,
}

# Tables of earlier versions, still read: old key → new "table.key".
LEGACY: dict[str, dict[str, str]] = {
    "feed": {"title": "show.title", "description": "show.description", "author": "show.author",
             "email": "show.owner_email", "base_url": "show.base_url", "image": "show.image",
             "category": "show.category", "explicit": "show.explicit"},
}


class ShowConfig:
    """The typed config: one attribute per table of ``SECTIONS`` (``config.show.title``...)."""

    def __init__(self, path: Path | None = None, raw: dict[str, Any] | None = None, **sections: Any) -> None:
        unknown = set(sections) - set(SECTIONS)
        if unknown:
            raise TypeError(f"unknown config section {min(unknown)!r}")
        self.path = path  # the file it came from, for relative paths
        self.raw = raw if raw is not None else {}
        self._sections = {name: sections.get(name) or cls() for name, cls in SECTIONS.items()}

    def __getattr__(self, name: str) -> Any:
        sections = self.__dict__.get("_sections", {})
        if name in sections:
            return sections[name]
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"ShowConfig(path={self.path!r}, {self._sections!r})"

    def resolve(self, relative: str | None) -> Path | None:
        """A path from the config, relative to the config file's directory."""
        if not relative:
            return None
        p = Path(relative)
        if not p.is_absolute() and self.path is not None:
            p = self.path.parent / p
        return p

    @property
    def feed_title(self) -> str | None:
        return self.show.title or self.show.name


# --- validation --------------------------------------------------------------------------

def _type_name(tp: Any) -> str:
    names = {str: "a string", int: "an integer", float: "a number", bool: "true or false (a boolean)",
             dict: "a table"}
    args = [a for a in typing.get_args(tp) if a is not type(None)] if _is_union(tp) else [tp]
    if typing.get_origin(args[0]) is list:
        return "a list of strings"
    return names.get(args[0], getattr(args[0], "__name__", str(args[0])))


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (typing.Union, types.UnionType)


def _type_ok(tp: Any, value: Any) -> bool:
    if _is_union(tp):
        return any(_type_ok(a, value) for a in typing.get_args(tp) if a is not type(None))
    if tp is bool:
        return isinstance(value, bool)
    if tp is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if tp is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typing.get_origin(tp) is list:
        return isinstance(value, list) and all(isinstance(x, str) for x in value)
    if tp is dict or typing.get_origin(tp) is dict:
        return isinstance(value, dict)  # a sub-table; its section checks its keys (__post_init__)
    return isinstance(value, tp)


def _section(cls: type, data: Any, name: str, where: str) -> Any:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: [{name}] must be a table")
    if hasattr(cls, "from_table"):
        return cls.from_table(data, where)
    hints = typing.get_type_hints(cls)
    known = {f.name: f for f in fields(cls)}
    values = {}
    for k, value in data.items():
        if k not in known:
            raise ConfigError(f"{where}: unknown key {name}.{k} ({_suggest(k, known, name + '.{}')})")
        f = known[k]
        if not _type_ok(hints[k], value):
            raise ConfigError(f"{where}: {name}.{k} must be {_type_name(hints[k])}, got {value!r}")
        choices = f.metadata.get("choices")
        if choices and value not in choices:
            raise ConfigError(f"{where}: {name}.{k} must be one of {', '.join(choices)}, got {value!r}")
        check = f.metadata.get("check")
        problem = check(value) if check and value is not None else None
        if problem:
            raise ConfigError(f"{where}: {name}.{k} {problem}")
        if hints[k] is float and isinstance(value, int):
            value = float(value)  # gain = -14 means -14.0
        values[k] = value
    try:
        return cls(**values)
    except ConfigError as exc:  # a section's own checks (__post_init__) name the key; we add the file
        raise ConfigError(f"{where}: {exc}") from None


def _check_show(show: ShowSection, where: str) -> None:
    if show.subcategory is not None:
        subs = apple_categories().get(show.category, ())
        if show.subcategory not in subs:
            hint = _suggest(show.subcategory, subs, "{!r}") if subs else "it has none"
            raise ConfigError(f"{where}: show.subcategory {show.subcategory!r} is not a subcategory of "
                              f"{show.category!r} ({hint})")


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


def parse_config(data: dict[str, Any], where: str = CONFIG_NAME, path: Path | None = None) -> ShowConfig:
    """Validate a parsed TOML document against the schema."""
    data = dict(data)
    for old, moves in LEGACY.items():
        if old not in data:
            continue
        table = data.pop(old)
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: [{old}] must be a table")
        for k, v in table.items():
            if k not in moves:
                raise ConfigError(f"{where}: unknown key {old}.{k} ({_suggest(k, moves, old + '.{}')} "
                                  f"[{old}] is now part of [show])")
            new_table, new_key = moves[k].split(".")
            target = data.setdefault(new_table, {})
            if not isinstance(target, dict):
                break  # reported below as "[show] must be a table"
            if new_key in target:
                raise ConfigError(f"{where}: {old}.{k} and {moves[k]} are both set: keep {moves[k]}")
            target = data[new_table] = dict(target)
            target[new_key] = v
    sections = {}
    for name, value in data.items():
        if name not in SECTIONS:
            raise ConfigError(f"{where}: unknown table [{name}] ({_suggest(name, SECTIONS, '[{}]')})")
        sections[name] = _section(SECTIONS[name], value, name, where)
    cfg = ShowConfig(path=path, raw=data, **sections)
    _check_show(cfg.show, where)
    return cfg


def load_config(path: str | Path | None = None, *, search_dir: str | Path | None = None) -> ShowConfig:
    """Read ``path``, or ``audio-edition.toml`` in ``search_dir`` if present, else defaults."""
    if path is None:
        candidate = Path(search_dir or ".") / CONFIG_NAME
        if not candidate.is_file():
            return ShowConfig()
        path = candidate
    path = Path(path)
    return parse_config(read_toml(path, "config file"), str(path), path)


# --- the schema as docs and as a commented file ------------------------------------------

@dataclass(frozen=True)
class KeyDoc:
    table: str
    name: str
    type: str
    default: Any
    doc: str
    example: Any = None
    choices: tuple[str, ...] | None = None
    init: bool = False


def schema() -> list[KeyDoc]:
    """Every key of every table, in file order."""
    out = []
    for table, cls in SECTIONS.items():
        if hasattr(cls, "from_table"):
            continue
        hints = typing.get_type_hints(cls)
        for f in fields(cls):
            # a field has a default or a default_factory (key() gives every field one of them)
            default = f.default if f.default is not MISSING else f.default_factory()  # type: ignore[operator]
            out.append(KeyDoc(table, f.name, _toml_type(hints[f.name]), default, f.metadata.get("doc", ""),
                              f.metadata.get("example"), f.metadata.get("choices"), f.metadata.get("init", False)))
    return out


def _toml_type(tp: Any) -> str:
    args = [a for a in typing.get_args(tp) if a is not type(None)] if _is_union(tp) else [tp]
    tp = args[0]
    if typing.get_origin(tp) is list:
        return "list of strings"
    if tp is dict or typing.get_origin(tp) is dict:
        return "table"
    return {str: "string", int: "integer", float: "number", bool: "boolean"}.get(tp, getattr(tp, "__name__", str(tp)))


def toml_value(value: Any) -> str:
    """A Python value as TOML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }" if value else "{}"
    return json.dumps(str(value), ensure_ascii=False)


def schema_markdown() -> str:
    """The README's table of every key, generated from the schema."""
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for k in schema():
        default = "—" if k.default is None else f"`{toml_value(k.default)}`"
        doc = k.doc + (f" ({' or '.join(k.choices)})" if k.choices else "")
        rows.append(f"| `{k.table}.{k.name}` | {k.type} | {default} | {doc.replace('|', '/')} |")
    for table, cls in SECTIONS.items():
        if hasattr(cls, "from_table"):
            rows.append(f"| `[{table}]` | table | — | {(cls.__doc__ or '').strip()} |")
    return "\n".join(rows)


def commented_config(values: dict[str, dict[str, Any]] | None = None) -> str:
    """A complete ``audio-edition.toml``: the keys in ``values`` set, every other key commented out."""
    values = values or {}
    lines = ["# audio-edition show config. Every key is optional; see the README's Configuration table.", ""]
    current = None
    for k in schema():
        if k.table != current:
            if current is not None:
                lines.append("")
            cls = SECTIONS[k.table]
            lines.append(f"# {(cls.__doc__ or '').strip().splitlines()[0]}")
            lines.append(f"[{k.table}]")
            current = k.table
        doc = k.doc + (f" ({' or '.join(k.choices)})" if k.choices else "")
        if k.table in values and values[k.table].get(k.name) is not None:
            lines.append(f"{k.name} = {toml_value(values[k.table][k.name])}  # {doc}")
        else:
            shown = k.default if k.default is not None else k.example
            if shown is None:
                shown = ""
            lines.append(f"# {k.name} = {toml_value(shown)}  # {doc}")
    lines += ["", "# Spoken templates: any key of src/audio_edition/data/templates/<lang>.toml", "# [templates]",
              '# first_story = ["On attaque avec notre premier sujet."]', ""]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m audio_edition.config: the README's table, to paste between its markers
    print(schema_markdown())

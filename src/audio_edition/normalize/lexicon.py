"""Pronunciation lexicons, at two levels.

1. The normalization lexicon: written words → the engine-neutral spoken text, applied
   before the general rules (``normalize``). It holds what any careful reader says
   differently from what is written ("ChatGPT" → "Chat G P T", "S&P" → "S and P"), never
   a respelling for one engine.
2. The engine lexicons: the neutral spoken text → what one engine must receive to say it
   right, applied as the very last step inside the engine adapter
   (``apply_engine_lexicon``, called at the start of each engine's ``synthesize``).
   espeak-ng gets its respellings there ("Chat G P T" → "Tchatte G P T", "Nvidia" →
   "Ènvidia"); the neural edge voices say names as written and get (almost) none.
   Built-in ones are text files, one entry a line (``data/lexicon-<engine>-<lang>.txt``)::

       # comment
       Chat G P T = Tchatte G P T
       nvidia = Ènvidia

   A show adds to them in its lexicon: ``[lexicon.espeak]`` / ``[lexicon.edge]`` tables
   of ``"neutral form" = "what this engine receives"``.

A show's lexicon is TOML (a file of its own, or a ``[lexicon]`` table in the show's voice
profile, which may also name a file with ``lexicon.file = "lexicon.toml"``)::

    [words]                         # whole words → what every voice says
    ChatGPT = "Chat G P T"          # a key holding a capital matches that exact case
    nvidia = "Nvidia"               # an all-lowercase key matches any case (NVIDIA, Nvidia)

    [patterns]                      # Python regular expressions → replacement, in order
    '\\bRTX (\\d{2})(\\d{2})\\b' = 'R T X \\1 \\2'

    [acronyms]
    letters = ["MAI", "OCDE"]       # always spelled letter by letter
    words = ["ONU", "OTAN"]         # always read as a word

    [espeak]                        # only what espeak-ng receives (keys: the neutral spoken form)
    Kessel = "Kèssel"

Whole words: a key matches only where it is not glued to another letter or digit
("Copilot" matches "Copilot," and "Copilot-5", not "Copilote"). A case-insensitive match
at the start of a sentence keeps its capital ("nvidia" rule on "NVIDIA" → "Ènvidia").
Patterns run before words. The show's lexicon wins over the built-in one
(``data/lexicon-<lang>.toml``) for the same key; both are applied.

A spoken form must not contain its own key (normalizing twice would rewrite it again):
``load_lexicon`` refuses such an entry, naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from ..config import read_toml
from ..errors import ConfigError
from .engine import Rewrite
from .spans import tracked_sub

ENGINE_NAMES = ("edge", "espeak")  # the engines a lexicon may hold a table for
_RIGHT = r"(?![\w])"
_WORDCHAR = re.compile(r"\w")


@dataclass(eq=False)
class Lexicon:
    words: dict[str, str] = field(default_factory=dict)
    patterns: list[tuple[str, str]] = field(default_factory=list)
    letters: frozenset[str] = frozenset()
    as_words: frozenset[str] = frozenset()
    source: str = "<lexicon>"
    engines: dict[str, dict[str, str]] = field(default_factory=dict)  # engine → {neutral: engine form}
    rule: str = "lexicon"  # the rule name ``explain`` shows

    def __post_init__(self) -> None:
        self._compiled: tuple | None = None

    def __bool__(self) -> bool:  # an empty lexicon is still a lexicon
        return True

    def over(self, base: Lexicon) -> Lexicon:
        """This lexicon on top of ``base``: same-key entries of ``self`` win."""
        mine_folded = {k.casefold() for k in self.words if k.islower()}
        words = {k: v for k, v in base.words.items()
                 if k not in self.words and k.casefold() not in mine_folded}
        words.update(self.words)
        mine_patterns = {p for p, _ in self.patterns}
        patterns = list(self.patterns) + [(p, r) for p, r in base.patterns if p not in mine_patterns]
        letters = (base.letters - self.as_words) | self.letters
        as_words = (base.as_words - self.letters) | self.as_words
        engines = {e: dict(w) for e, w in base.engines.items()}
        for e, w in self.engines.items():
            engines.setdefault(e, {}).update(w)
        return Lexicon(words, patterns, frozenset(letters), frozenset(as_words),
                       f"{self.source} + {base.source}", engines)

    # -- applying ---------------------------------------------------------------------

    def _compile(self) -> tuple:
        if self._compiled is None:
            exact = {k: v for k, v in self.words.items() if not k.islower()}
            folded = {k.casefold(): v for k, v in self.words.items() if k.islower()}
            exact_re = _alternation(exact, 0)
            folded_re = _alternation(folded, re.IGNORECASE)
            pats = [(re.compile(p), r, p) for p, r in self.patterns]
            self._compiled = (exact, exact_re, folded, folded_re, pats)
        return self._compiled

    def apply(self, text: str, record: list[Rewrite] | None = None, tracker=None) -> str:
        exact, exact_re, folded, folded_re, pats = self._compile()
        rule = self.rule

        def sub(pattern: re.Pattern, fn, text: str) -> str:
            return pattern.sub(fn, text) if tracker is None else tracked_sub(pattern, fn, text, tracker)

        for pat, repl, _src in pats:
            def rec(m: re.Match, repl=repl) -> str:
                out = m.expand(repl)
                if record is not None and out != m.group(0):
                    record.append(Rewrite(m.group(0), out, rule))
                return out
            text = sub(pat, rec, text)

        def exact_sub(m: re.Match) -> str:
            if m.start() and _WORDCHAR.match(m.string, m.start() - 1):
                return m.group(0)  # glued to a word before it
            out = exact[m.group(0)]
            if record is not None and out != m.group(0):
                record.append(Rewrite(m.group(0), out, rule))
            return out

        def folded_sub(m: re.Match) -> str:
            written = m.group(0)
            if m.start() and _WORDCHAR.match(m.string, m.start() - 1):
                return written
            out = folded[written.casefold()]
            if written[:1].isupper() and out[:1].islower():
                out = out[:1].upper() + out[1:]
            if record is not None and out != written:
                record.append(Rewrite(written, out, rule))
            return out

        if exact_re is not None:
            text = sub(exact_re, exact_sub, text)
        if folded_re is not None:
            text = sub(folded_re, folded_sub, text)
        return text


def _alternation(mapping: Mapping[str, str], flags: int) -> re.Pattern | None:
    if not mapping:
        return None
    keys = sorted(mapping, key=len, reverse=True)
    # no lookbehind first: the regex engine scans much faster from a literal; the replacement
    # checks the character before instead
    return re.compile("(?:" + "|".join(re.escape(k) for k in keys) + ")" + _RIGHT, flags)


# -- loading ------------------------------------------------------------------------------

def _str_table(data: Any, where: str, name: str) -> dict[str, str]:
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: [{name}] must be a table of \"written\" = \"spoken\"")
    out = {}
    for key, value in data.items():
        if not isinstance(value, str):
            raise ConfigError(f"{where}: {name}.{key} must be a string (the spoken form), got {value!r}")
        if not key.strip():
            raise ConfigError(f"{where}: {name} has an empty key")
        out[key] = value
    return out


def _str_list(data: Any, where: str, key: str) -> frozenset[str]:
    if not isinstance(data, list) or not all(isinstance(x, str) and x for x in data):
        raise ConfigError(f"{where}: {key} must be a list of strings, e.g. [\"ONU\", \"OTAN\"]")
    return frozenset(data)


def lexicon_from_data(data: Mapping[str, Any], where: str) -> Lexicon:
    """A lexicon from parsed TOML (top level of a lexicon file, or a profile's [lexicon])."""
    known = {"words", "patterns", "acronyms", *ENGINE_NAMES}
    for key in data:
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r} in a lexicon (known: acronyms, "
                              f"{', '.join(ENGINE_NAMES)}, patterns, words)")
    engines = {e: _str_table(data[e], where, e) for e in ENGINE_NAMES if e in data}
    words = _str_table(data.get("words", {}), where, "words")
    patterns_table = _str_table(data.get("patterns", {}), where, "patterns")
    patterns: list[tuple[str, str]] = []
    for pat, repl in patterns_table.items():
        try:
            compiled = re.compile(pat)
            compiled.sub(repl, "")  # checks the replacement's group references
        except re.error as exc:
            raise ConfigError(f"{where}: patterns.{pat!r} is not a valid regular expression "
                              f"or replacement: {exc}") from None
        patterns.append((pat, repl))
    acr = data.get("acronyms", {})
    if not isinstance(acr, dict):
        raise ConfigError(f"{where}: [acronyms] must be a table with letters = [...] and words = [...]")
    for key in acr:
        if key not in ("letters", "words"):
            raise ConfigError(f"{where}: unknown key acronyms.{key} (known: letters, words)")
    letters = _str_list(acr.get("letters", []), where, "acronyms.letters")
    as_words = _str_list(acr.get("words", []), where, "acronyms.words")
    both = letters & as_words
    if both:
        raise ConfigError(f"{where}: acronyms {sorted(both)[0]!r} is both in letters and in words")
    for key, spoken in words.items():
        single = Lexicon({key: spoken})
        if single.apply(spoken) != spoken:
            raise ConfigError(f"{where}: words.{key}: the spoken form {spoken!r} contains the word itself, "
                              f"so normalizing twice would rewrite it again")
    return Lexicon(words, patterns, letters, as_words, where, engines)


def load_lexicon(path: str | Path) -> Lexicon | None:
    """Read a lexicon file, or the ``[lexicon]`` table of a voice profile.

    In a profile, ``[lexicon]`` holds the lexicon itself (``[lexicon.words]``...) and/or
    ``file = "path"`` naming a lexicon file, relative to the profile.
    """
    path = Path(path)
    data = read_toml(path, "lexicon")
    if "profile" in data or "roles" in data or "lexicon" in data:
        return lexicon_from_profile(data, path)  # None: a profile without [lexicon] (callers: "no lexicon")
    return lexicon_from_data(data, str(path))


def lexicon_from_profile(data: Mapping[str, Any], path: str | Path) -> Lexicon | None:
    """The lexicon of a voice profile's parsed TOML (None if it has no [lexicon] table)."""
    path = Path(path)
    section = data.get("lexicon")
    if section is None:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [lexicon] must be a table")
    inline = {k: v for k, v in section.items() if k != "file"}
    lex = lexicon_from_data(inline, f"{path} [lexicon]")
    file = section.get("file")
    if file is not None:
        if not isinstance(file, str) or not file:
            raise ConfigError(f"{path}: lexicon.file must be a path to a lexicon (TOML)")
        target = Path(file)
        if not target.is_absolute():
            target = path.parent / target
        named = lexicon_from_data(read_toml(target, "lexicon"), str(target))
        lex = lex.over(named)
    return lex


def lexicon_from_config(config: Any) -> Lexicon | None:
    """The ``[lexicon]`` table of the show's ``audio-edition.toml`` (a ShowConfig), if any:
    the same keys as in a voice profile, ``file`` relative to the config file."""
    raw = getattr(config, "raw", None) or {}
    if "lexicon" not in raw:
        return None
    path = getattr(config, "path", None) or Path("audio-edition.toml")
    return lexicon_from_profile(raw, path)


def combine(first: Lexicon | None, then: Lexicon | None) -> Lexicon | None:
    """``first`` on top of ``then`` (either may be None)."""
    if first is None or then is None:
        return first if then is None else then
    return first.over(then)


@lru_cache(maxsize=8)
def default_lexicon(lang: str = "fr") -> Lexicon:
    """The built-in lexicon of ``lang`` (an empty one for a language without)."""
    lang = (lang or "fr").split("-")[0].lower()
    res = resources.files("audio_edition") / "data" / f"lexicon-{lang}.toml"
    if not res.is_file():
        return Lexicon(source=f"built-in {lang} lexicon (none)")
    data = tomllib.loads(res.read_text(encoding="utf-8"))
    return lexicon_from_data(data, f"built-in lexicon-{lang}.toml")


def as_lexicon(value: Any) -> Lexicon | None:
    """What ``normalize(lexicon=...)`` accepts: None, a Lexicon, a path, or a {written: spoken} dict."""
    if value is None or isinstance(value, Lexicon):
        return value
    if isinstance(value, (str, Path)):
        return _cached_file(str(value), Path(value).stat().st_mtime_ns if Path(value).exists() else 0)
    if isinstance(value, Mapping):
        return _cached_dict(tuple(sorted(value.items())))
    raise TypeError(f"lexicon must be a Lexicon, a path or a dict, not {type(value).__name__}")


@lru_cache(maxsize=16)
def _cached_dict(items: tuple) -> Lexicon:
    return lexicon_from_data({"words": dict(items)}, "<dict lexicon>")


@lru_cache(maxsize=16)
def _cached_file(path: str, _mtime: int) -> Lexicon | None:
    return load_lexicon(path)


# -- engine lexicons: the last step inside each engine adapter ----------------------------

def parse_entries(text: str, where: str) -> dict[str, str]:
    """An engine lexicon file: one ``neutral form = engine form`` a line, ``#`` comments.

    A malformed line is a ConfigError naming the file and the line number.
    """
    out: dict[str, str] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            shown = line if len(line) <= 60 else line[:57] + "..."
            raise ConfigError(f"{where}:{n}: expected 'written = spoken', got {shown!r}")
        if key in out:
            raise ConfigError(f"{where}:{n}: {key!r} is already given on an earlier line")
        out[key] = value
    return out


def voice_language(lang_or_voice: str | None) -> str:
    """'fr', 'fr-FR', 'fr+f3', 'fr-FR-DeniseNeural' → 'fr'."""
    head = (lang_or_voice or "fr").replace("_", "-").split("+")[0].split("-")[0].lower()
    return head or "fr"


def _builtin_engine_text(engine: str, lang: str) -> tuple[str, str] | None:
    res = resources.files("audio_edition") / "data" / f"lexicon-{engine}-{lang}.txt"
    if not res.is_file():
        return None
    return res.read_text(encoding="utf-8"), f"built-in lexicon-{engine}-{lang}.txt"


@lru_cache(maxsize=16)
def builtin_engine_lexicon(engine: str, lang: str) -> dict[str, str]:
    """The shipped entries of ``engine`` for ``lang`` (empty if none)."""
    found = _builtin_engine_text(engine, voice_language(lang))
    return parse_entries(*found) if found else {}


@lru_cache(maxsize=64)
def engine_lexicon(engine: str, lang: str, show: Lexicon | None = None) -> Lexicon:
    """The words ``engine`` gets rewritten for ``lang``: the built-in file, then the show's table."""
    lang = voice_language(lang)
    words = dict(builtin_engine_lexicon(engine, lang))
    mine = (show.engines.get(engine, {}) if show is not None else {})
    folded = {k.casefold() for k in mine if k.islower()}
    words = {k: v for k, v in words.items() if k not in mine and k.casefold() not in folded}
    words.update(mine)
    return Lexicon(words=words, source=f"{engine} lexicon ({lang})", rule=f"{engine} lexicon")


def apply_engine_lexicon(text: str, engine: str, lang_or_voice: str | None, show: Any = None,
                         record: list[Rewrite] | None = None) -> str:
    """What ``engine`` receives for the neutral spoken ``text``: its lexicon applied, last.

    ``lang_or_voice`` is a language or a voice name of that engine (``fr+f3``,
    ``fr-FR-DeniseNeural``); ``show`` the show's lexicon (its ``[lexicon.<engine>]`` table).
    """
    if not text:
        return text
    return engine_lexicon(engine, voice_language(lang_or_voice), as_lexicon(show)).apply(text, record)


def engine_span_map(spoken: str, engine: str, lang_or_voice: str | None, show: Any = None):
    """The span map between the neutral ``spoken`` text and what ``engine`` receives for it
    (its ``written`` side is ``spoken``): engine word boundaries map back through it."""
    from .spans import SpanMap, Tracker

    tracker = Tracker(spoken)
    received = engine_lexicon(engine, voice_language(lang_or_voice), as_lexicon(show)).apply(spoken, None, tracker)
    return SpanMap(spoken, received, tuple(tracker.pieces))


def engine_lexicon_tag(engine: str, show: Any = None) -> str:
    """A short digest of every entry ``engine`` may apply (built-in files and the show's table):
    part of the engine's version string, so the audio cache misses when a lexicon changes."""
    import hashlib

    h = hashlib.sha256()
    root = resources.files("audio_edition") / "data"
    for res in sorted((r for r in root.iterdir() if r.name.startswith(f"lexicon-{engine}-")), key=lambda r: r.name):
        h.update(res.name.encode() + b"\0" + res.read_bytes())
    show = as_lexicon(show)
    if show is not None:
        for k, v in sorted(show.engines.get(engine, {}).items()):
            h.update(f"{k}\0{v}\n".encode())
    return f"lexicon {h.hexdigest()[:12]}"

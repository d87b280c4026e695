"""Pronunciation lexicons: a show's own words, applied before the general rules.

A lexicon is TOML (a file of its own, or a ``[lexicon]`` table in the show's voice
profile, which may also name a file with ``lexicon.file = "lexicon.toml"``)::

    [words]                         # whole words → what the voice says
    ChatGPT = "Tchatte G P T"         # a key holding a capital matches that exact case
    nvidia = "Ènvidia"              # an all-lowercase key matches any case (NVIDIA, Nvidia)

    [patterns]                      # Python regular expressions → replacement, in order
    '\\bRTX (\\d{2})(\\d{2})\\b' = 'R T X \\1 \\2'

    [acronyms]
    letters = ["MAI", "OCDE"]       # always spelled letter by letter
    words = ["ONU", "OTAN"]         # always read as a word

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
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from ..config import read_toml
from ..errors import ConfigError
from .engine import Rewrite

_RIGHT = r"(?![\w])"
_WORDCHAR = re.compile(r"\w")


@dataclass(eq=False)
class Lexicon:
    words: dict[str, str] = field(default_factory=dict)
    patterns: list[tuple[str, str]] = field(default_factory=list)
    letters: frozenset[str] = frozenset()
    as_words: frozenset[str] = frozenset()
    source: str = "<lexicon>"

    def __post_init__(self) -> None:
        self._compiled: tuple | None = None

    def __bool__(self) -> bool:  # an empty lexicon is still a lexicon
        return True

    def over(self, base: "Lexicon") -> "Lexicon":
        """This lexicon on top of ``base``: same-key entries of ``self`` win."""
        mine_folded = {k.casefold() for k in self.words if k.islower()}
        words = {k: v for k, v in base.words.items()
                 if k not in self.words and not (k.casefold() in mine_folded)}
        words.update(self.words)
        mine_patterns = {p for p, _ in self.patterns}
        patterns = list(self.patterns) + [(p, r) for p, r in base.patterns if p not in mine_patterns]
        letters = (base.letters - self.as_words) | self.letters
        as_words = (base.as_words - self.letters) | self.as_words
        return Lexicon(words, patterns, frozenset(letters), frozenset(as_words),
                       f"{self.source} + {base.source}")

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

    def apply(self, text: str, record: list[Rewrite] | None = None) -> str:
        exact, exact_re, folded, folded_re, pats = self._compile()
        for pat, repl, src in pats:
            if record is None:
                text = pat.sub(repl, text)
            else:
                def rec(m: re.Match, repl=repl) -> str:
                    out = m.expand(repl)
                    if out != m.group(0):
                        record.append(Rewrite(m.group(0), out, "lexicon"))
                    return out
                text = pat.sub(rec, text)

        def exact_sub(m: re.Match) -> str:
            if m.start() and _WORDCHAR.match(m.string, m.start() - 1):
                return m.group(0)  # glued to a word before it
            out = exact[m.group(0)]
            if record is not None and out != m.group(0):
                record.append(Rewrite(m.group(0), out, "lexicon"))
            return out

        def folded_sub(m: re.Match) -> str:
            written = m.group(0)
            if m.start() and _WORDCHAR.match(m.string, m.start() - 1):
                return written
            out = folded[written.casefold()]
            if written[:1].isupper() and out[:1].islower():
                out = out[:1].upper() + out[1:]
            if record is not None and out != written:
                record.append(Rewrite(written, out, "lexicon"))
            return out

        if exact_re is not None:
            text = exact_re.sub(exact_sub, text)
        if folded_re is not None:
            text = folded_re.sub(folded_sub, text)
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
    known = {"words", "patterns", "acronyms"}
    for key in data:
        if key not in known:
            raise ConfigError(f"{where}: unknown key {key!r} in a lexicon (known: acronyms, patterns, words)")
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
    return Lexicon(words, patterns, letters, as_words, where)


def load_lexicon(path: str | Path) -> Lexicon:
    """Read a lexicon file, or the ``[lexicon]`` table of a voice profile.

    In a profile, ``[lexicon]`` holds the lexicon itself (``[lexicon.words]``...) and/or
    ``file = "path"`` naming a lexicon file, relative to the profile.
    """
    path = Path(path)
    data = read_toml(path, "lexicon")
    if "profile" in data or "roles" in data or "lexicon" in data:
        return lexicon_from_profile(data, path)
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
def _cached_file(path: str, _mtime: int) -> Lexicon:
    return load_lexicon(path)

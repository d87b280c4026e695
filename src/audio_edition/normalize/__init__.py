"""Written text → spoken text, per language.

    spoken = normalize(text, lang="fr", lexicon=None)

turns newsletter French (and basic English) into plain words a voice reads correctly:
numbers, money, percents, dates and times, ordinals and Roman numerals, units,
abbreviations, acronyms and model names, URLs and e-mail addresses, emoji and
decorative symbols. No SSML: edge voices take none, espeak reads symbols badly.

The result is engine-neutral: what a careful reader says, names said as words kept as
written (Nvidia, Copilot, YouTube), initialisms spelled ("Chat G P T"). Respellings for one
engine are applied later, inside that engine (``apply_engine_lexicon``).
The show's lexicon (``load_lexicon``) and the built-in one (``default_lexicon``) are
applied before the general rules. ``explain`` lists each rewrite with its rule;
``speakability_issues`` lists what a voice would still stumble on.

Normalizing twice changes nothing, and no digit survives in French or English output.
For other languages only the language-neutral rules run (emoji, URLs, quotes, spaces).

Readings chosen where the obvious one is not what a presenter says (tests/data holds them all):

- letters are spelled with spaces, "G P T", "A W S" (edge and espeak both say a lone capital's
  name); pronounceable capitals are written as a word, "Nasa", "Gempix"; "MAI" is spelled
  (Microsoft AI), 3-letter capitals are spelled unless the lexicon says otherwise;
- numbers use the traditional spelling num2words gives ("vingt et un"); decimals read their
  fraction as a number ("deux virgule quatre-vingt-dix-neuf"); "1,5 million" stays
  "un virgule cinq million"; versions use "point" ("Gemini deux point cinq");
- money reads the cents after the unit ("un euro cinquante"), with "et N centimes" under ten
  ("cent cinq euros et trois centimes"); "=" is "soit" between words, "égale" between numbers;
- "4K" is "quatre K"; "100K" and "k" are "mille"; "70B" is "soixante-dix B";
- ranges use "à" ("vingt-deux à vingt-cinq ans", "deux mille vingt-quatre à deux mille vingt-cinq");
  "les années 1990" is "les années quatre-vingt-dix";
- "S&P" is "S and P", "&" elsewhere "et"; ">" between words "plus que", before a number
  "plus de"; "etc." is "et cetera" (espeak gets "ètcétéra" from its lexicon); "cf." is "voir";
- URLs are read as their site ("lemonde point F R"), handles and hashtags without @ or #.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from . import en, fr
from .common import NEUTRAL, decoration_rules, nfkc, nfkc_tracked, spacing_rules, tidy_rules, unicode_rules, web_rules
from .engine import Rewrite, Rule, Step, run
from .lexicon import (
    Lexicon,
    apply_engine_lexicon,
    as_lexicon,
    default_lexicon,
    engine_lexicon_tag,
    lexicon_from_data,
    lexicon_from_profile,
    load_lexicon,
)
from .spans import SpanMap, Tracker
from .speakability import SpeakabilityIssue, UnspeakableError, check_speakable, script_issues, speakability_issues

__all__ = [
    "normalize", "explain", "Rewrite", "Lexicon", "load_lexicon", "default_lexicon", "lexicon_from_data",
    "lexicon_from_profile", "speakability_issues", "script_issues", "check_speakable", "SpeakabilityIssue",
    "UnspeakableError", "diff_rows", "format_diff", "LANGUAGES", "apply_engine_lexicon", "engine_lexicon_tag",
    "for_engine", "normalize_with_map", "SpanMap",
]

LANGUAGES = ("fr", "en")


def _lang(lang: str | None) -> str:
    return (lang or "fr").replace("_", "-").split("-")[0].lower()


@lru_cache(maxsize=32)
def _pipeline(lang: str, show: Lexicon | None, region: str = "") -> tuple:
    base = default_lexicon(lang)
    lex = show.over(base) if show is not None else base
    words = {"fr": fr.WORDS, "en": en.WORDS}.get(lang, NEUTRAL)
    steps: list[Rule | Step] = []
    steps += unicode_rules(words)
    steps.append(Step("unicode", lambda text, record: nfkc(text), nfkc_tracked))
    steps += spacing_rules()
    steps += decoration_rules()
    steps += web_rules(words)
    steps.append(Step("lexicon", lex.apply, lex.apply))
    if lang == "fr":
        steps += fr.rules_fr(fr.reader_for(lex.letters, lex.as_words))
    elif lang == "en":
        steps += en.rules_en(day_first=region in en.DAY_FIRST_REGIONS)
    steps += tidy_rules()
    return tuple(steps)


def _region(lang: str | None) -> str:
    parts = (lang or "").replace("_", "-").lower().split("-")
    return parts[1] if len(parts) > 1 else ""


def _steps(lang: str | None, lexicon: Any) -> tuple:
    region = _region(lang)
    lang = _lang(lang)
    if lang not in LANGUAGES:
        lang = "xx"  # language-neutral rules only
    if lang != "en" or region not in en.DAY_FIRST_REGIONS:
        region = ""
    return _pipeline(lang, as_lexicon(lexicon), region)


# A removal can bring two words together that a rule reads differently ("Dr # XIV"): the
# rules run again on their own output until it no longer changes (in practice one extra
# pass, cheap since the digit rules skip a text without digits).
MAX_PASSES = 4


def _fixpoint(text: str, steps: tuple, record: list[Rewrite] | None, tracker: Tracker | None = None) -> str:
    out = run(text, steps, record, tracker)
    for _ in range(MAX_PASSES - 1):
        again = run(out, steps, record, tracker)
        if again == out:
            break
        out = again
    return out


def normalize(text: str, lang: str = "fr", lexicon=None) -> str:
    """The spoken form of ``text`` (``lexicon``: a Lexicon, a lexicon file path, a dict, or None)."""
    if not text:
        return ""
    return _fixpoint(text, _steps(lang, lexicon), None)


def normalize_with_map(text: str, lang: str = "fr", lexicon=None) -> tuple[str, SpanMap]:
    """``normalize(text)`` and the span map between ``text`` and it (same rules, same result)."""
    if not text:
        return "", SpanMap.identity("")
    tracker = Tracker(text)
    spoken = _fixpoint(text, _steps(lang, lexicon), None, tracker)
    return spoken, SpanMap(text, spoken, tuple(tracker.pieces))


def for_engine(text: str, engine: str, lang: str = "fr", lexicon=None) -> str:
    """What ``engine`` receives for the written ``text``: ``normalize``, then its engine lexicon."""
    return apply_engine_lexicon(normalize(text, lang, lexicon), engine, lang, lexicon)


def explain(text: str, lang: str = "fr", lexicon=None) -> list[Rewrite]:
    """Each rewrite ``normalize`` makes, in order: written (as the rule saw it) → spoken, rule."""
    record: list[Rewrite] = []
    if text:
        _fixpoint(text, _steps(lang, lexicon), record)
    return record


def diff_rows(text: str, lang: str = "fr", lexicon=None) -> list[tuple[str, str]]:
    """(written line, spoken line) for each line of ``text`` whose spoken form differs."""
    rows = []
    for line in text.splitlines():
        if not line.strip():
            continue
        spoken = normalize(line, lang, lexicon)
        if spoken != line.strip():
            rows.append((line.strip(), spoken))
    return rows


def format_diff(rows: list[tuple[str, str]], width: int = 100) -> str:
    """Written and spoken side by side, wrapped to ``width`` columns: 'written │ spoken'."""
    import textwrap

    col = max(20, (width - 3) // 2)
    out = []
    for written, spoken in rows:
        left = textwrap.wrap(written, col) or [""]
        right = textwrap.wrap(spoken, col) or [""]
        for i in range(max(len(left), len(right))):
            a = left[i] if i < len(left) else ""
            b = right[i] if i < len(right) else ""
            out.append(f"{a:<{col}} │ {b}".rstrip())
    return "\n".join(out)

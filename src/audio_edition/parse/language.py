"""The language of each passage, so that an English abstract in a French issue (or a Chinese
quotation in an English one) is normalized — and can be voiced — in its own language.

Two steps, so that a one-language issue costs nothing: a cheap screen (the script a passage is
written in; stop-word counts for Latin-script passages of eight words or more), then, only
for a passage the screen flags, lingua's detector (offline, built for short texts; see the
README) restricted to the issue's language and the candidate, which must agree with high
confidence. A passage gets a language only when it differs from the issue's; ``None`` means
"the issue's language".
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .meta import STOPWORDS

MIN_WORDS = 8  # shorter Latin-script passages (names, titles) keep the language
CONFIDENCE = 0.8
SCREEN_CHARS = 400
_WORD = re.compile(r"[^\W\d_]+", re.U)
_SCRIPTS = (  # (language, characters of its script); kana before han: Japanese mixes both
    ("ja", re.compile(r"[\u3040-\u30ff]")),
    ("ko", re.compile(r"[\uac00-\ud7af]")),
    ("zh", re.compile(r"[\u4e00-\u9fff]")),
    ("ru", re.compile(r"[\u0400-\u04ff]")),
    ("ar", re.compile(r"[\u0600-\u06ff]")),
    ("el", re.compile(r"[\u0370-\u03ff]")),
    ("he", re.compile(r"[\u0590-\u05ff]")),
)


_NON_LATIN = re.compile(r"[\u0370-\u03ff\u0400-\u04ff\u0590-\u06ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
# stop word → the languages it belongs to, so a passage is counted in one pass over its words
_STOP_INDEX: dict[str, tuple[str, ...]] = {}
for _lang, _words in STOPWORDS.items():
    for _w in _words:
        _STOP_INDEX[_w] = _STOP_INDEX.get(_w, ()) + (_lang,)


def _script_language(text: str) -> str | None:
    if not _NON_LATIN.search(text):
        return None
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    for lang, chars in _SCRIPTS:
        if len(chars.findall(text)) >= max(2, 0.3 * letters):
            return lang
    return None


def _stopword_candidate(text: str, doc_lang: str) -> str | None:
    words = _WORD.findall(text[:SCREEN_CHARS].lower())  # the opening words tell; a long paragraph costs no more
    if len(words) < MIN_WORDS:
        return None
    scores: Counter = Counter()
    for w in words:
        for lang in _STOP_INDEX.get(w, ()):
            scores[lang] += 1
    if not scores:
        return None
    best = max(scores, key=scores.__getitem__)
    own = scores.get(doc_lang, 0)
    if best != doc_lang and scores[best] >= 3 and scores[best] >= 2 * own + 1:
        return best
    return None


@lru_cache(maxsize=16)
def _detector(languages: tuple[str, ...]):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    langs = []
    for code in languages:
        try:
            langs.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
        except (AttributeError, ValueError):
            continue
    if len(langs) < 2:
        return None
    return LanguageDetectorBuilder.from_languages(*langs).build()


def _confirmed(text: str, doc_lang: str, candidate: str) -> bool:
    detector = _detector(tuple(sorted({doc_lang, candidate, "en", "fr"})))
    if detector is None:
        return False
    values = detector.compute_language_confidence_values(text)
    if not values:
        return False
    top = values[0]
    return top.language.iso_code_639_1.name.lower() == candidate and top.value >= CONFIDENCE


def passage_language(text: str, doc_lang: str) -> str | None:
    """The language of ``text`` when it is clearly not ``doc_lang``, else ``None``."""
    if not text:
        return None
    by_script = _script_language(text)
    if by_script is not None:
        return by_script if by_script != doc_lang else None
    candidate = _stopword_candidate(text, doc_lang)
    if candidate is None:
        return None
    return candidate if _confirmed(text, doc_lang, candidate) else None

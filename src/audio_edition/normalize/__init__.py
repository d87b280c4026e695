"""Written text → spoken text, per language.

``normalize(text, lang="fr", lexicon=None) -> str`` is the whole interface the pipeline
uses. (First version: whitespace, emoji and decorative symbols only; issue 5 brings the
full French and English rules.)
"""

from __future__ import annotations

import re
import unicodedata

_EMOJI = re.compile(
    "[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u20E3\u200D\U000E0020-\U000E007F]"
)
_SPACES = re.compile(r"[^\S\n]+")
_LINES = re.compile(r"\s*\n\s*")


def normalize(text: str, lang: str = "fr", lexicon=None) -> str:
    text = unicodedata.normalize("NFC", text)
    text = _EMOJI.sub(" ", text)
    return _LINES.sub("\n", _SPACES.sub(" ", text)).strip()

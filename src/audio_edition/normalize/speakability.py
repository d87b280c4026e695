"""Speakability: what is left in a normalized text that a voice would stumble on.

After ``normalize``, a French or English text should hold only letters, spaces and plain
punctuation. A token still holding a digit or a symbol (``%``, ``€``, ``@``, ``#``, ``|``,
``{``...) is reported; ``audio-edition script`` lists them per segment and
``audio-edition build --strict`` refuses to build while any is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import AudioEditionError

# what a voice reads without a stumble: letters, apostrophes, hyphens, plain punctuation
_OK_CHAR = re.compile(r"[^\W\d_]|[\s.,;:!?'()\-]")
_TOKEN = re.compile(r"\S+")
_LANGS_WITH_RULES = ("fr", "en")


def speakability_issues(spoken: str, lang: str = "fr") -> list[str]:
    """The tokens of ``spoken`` a voice would stumble on (each once, in order of appearance).

    For a language without rules here, digits are left to the voice and only symbols count.
    """
    check_digits = (lang or "fr").split("-")[0].lower() in _LANGS_WITH_RULES
    seen: dict[str, None] = {}
    for m in _TOKEN.finditer(spoken):
        tok = m.group(0)
        for c in tok:
            if c.isdigit():
                if check_digits:
                    seen.setdefault(tok.strip(".,;:!?()"), None)
                    break
                continue
            if not _OK_CHAR.match(c):
                seen.setdefault(tok.strip(".,;:!?()"), None)
                break
    return list(seen)


@dataclass(frozen=True)
class SpeakabilityIssue:
    segment: int  # 1-based, as ``script`` numbers segments
    role: str
    title: str
    token: str

    def __str__(self) -> str:
        return f"segment {self.segment} ({self.role} — {self.title}): {self.token!r}"


class UnspeakableError(AudioEditionError):
    """``build --strict``: the script still holds tokens a voice would stumble on."""


def script_issues(segments: Iterable, lang: str) -> list[SpeakabilityIssue]:
    """Every issue of a script's segments (anything with ``role``, ``title`` and ``spoken``)."""
    out = []
    for i, seg in enumerate(segments, 1):
        for tok in speakability_issues(seg.spoken, lang):
            out.append(SpeakabilityIssue(i, seg.role, seg.title, tok))
    return out


def check_speakable(segments: Iterable, lang: str) -> None:
    """Raise ``UnspeakableError`` naming the segments and tokens if any is left (for --strict)."""
    issues = script_issues(segments, lang)
    if issues:
        shown = "; ".join(str(i) for i in issues[:5])
        more = f" (and {len(issues) - 5} more)" if len(issues) > 5 else ""
        raise UnspeakableError(f"{len(issues)} unspeakable token(s) left after normalization: {shown}{more}")

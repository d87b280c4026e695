"""The rule engine: an ordered list of precompiled regex rules, each with a name.

A rule rewrites every match of its pattern; ``run`` applies the rules in order and, when
asked, records each rewrite (written → spoken, rule name) for ``explain``. Rules marked
``quiet`` (whitespace tidying) are not recorded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .spans import replace_all, tracked_sub

Replacement = str | Callable[[re.Match], str]


@dataclass(frozen=True)
class Rewrite:
    """One rewrite made by normalization: the text as the rule saw it, what it became, which rule."""

    written: str
    spoken: str
    rule: str

    def __str__(self) -> str:
        return f"{self.written!r} → {self.spoken!r}  [{self.rule}]"


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern
    repl: Replacement
    quiet: bool = False
    gate: re.Pattern | None = None  # the rule is skipped when the text holds no match of this

    def apply(self, text: str, record: list[Rewrite] | None = None, tracker=None) -> str:
        if self.gate is not None and self.gate.search(text) is None:
            return text
        repl = self.repl
        if record is None or self.quiet:
            if tracker is not None:
                return tracked_sub(self.pattern, repl, text, tracker)
            return self.pattern.sub(repl, text)
        name = self.name

        def recording(m: re.Match) -> str:
            out = repl(m) if callable(repl) else m.expand(repl)
            if out != m.group(0):
                record.append(Rewrite(m.group(0), out, name))
            return out

        if tracker is not None:
            return tracked_sub(self.pattern, recording, text, tracker)
        return self.pattern.sub(recording, text)


def rule(name: str, pattern: str, repl: Replacement, flags: int = 0, quiet: bool = False,
         gate: str | None = None) -> Rule:
    return Rule(name, re.compile(pattern, flags), repl, quiet, re.compile(gate) if gate else None)


DIGIT = re.compile(r"\d")


_NEGATIVE_LOOKAROUND = re.compile(r"\(\?<?!(?:[^()\\]|\\.)*\)")
_NEGATED_CLASS = re.compile(r"\[\^(?:[^\]\\]|\\.)*\]")


def needs_digit(pattern: str) -> bool:
    """Can this regex match only where the text holds a digit? (a \\d outside negative lookarounds)"""
    return "\\d" in _NEGATED_CLASS.sub("", _NEGATIVE_LOOKAROUND.sub("", pattern))


def digit_gated(rules: list) -> list:
    """The same rules; those that need a digit are skipped at once on a text without one
    (most of a second normalization pass, since French output holds no digit)."""
    out = []
    for r in rules:
        if isinstance(r, Rule) and r.gate is None and needs_digit(r.pattern.pattern):
            r = Rule(r.name, r.pattern, r.repl, r.quiet, DIGIT)
        out.append(r)
    return out


class Step:
    """A rewrite that is not one regex (e.g. the lexicon): a callable text, record → text.

    ``tracked`` (text, record, tracker) → text does the same while telling the span map
    where it changed the text; without it, the change is found by comparing the texts.
    """

    def __init__(self, name: str, fn: Callable[[str, list[Rewrite] | None], str],
                 tracked: Callable | None = None) -> None:
        self.name = name
        self.fn = fn
        self.tracked = tracked

    def apply(self, text: str, record: list[Rewrite] | None = None, tracker=None) -> str:
        if tracker is None:
            return self.fn(text, record)
        if self.tracked is not None:
            return self.tracked(text, record, tracker)
        return replace_all(text, self.fn(text, record), tracker)


def run(text: str, rules: Iterable[Rule | Step], record: list[Rewrite] | None = None, tracker=None) -> str:
    if tracker is None:
        for r in rules:
            text = r.apply(text, record)
        return text
    for r in rules:
        text = r.apply(text, record, tracker)
    return text

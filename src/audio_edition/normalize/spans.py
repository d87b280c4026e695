"""The span map: which piece of the written text each piece of the spoken text says.

``normalize_with_map`` runs the same rules as ``normalize`` and follows every rewrite: a
``Tracker`` keeps the current text cut into pieces, each either a copy of the written text
(character for character) or a rewrite (atomic: "trente-huit milliards de dollars" says
"38 milliards $", as a whole). ``SpanMap.to_written(start, end)`` maps a span of the spoken
text back to the written one, widened to whole written tokens, so a caption built from the
engine's word boundaries shows the newsletter's own words and never half a token.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

# (current start, current end, written start, written end, copy?)
Piece = tuple[int, int, int, int, bool]


class Tracker:
    """Follows a text through rewrites: every piece of the current text → its written span."""

    def __init__(self, text: str) -> None:
        self.pieces: list[Piece] = [(0, len(text), 0, len(text), True)] if text else []
        self.written_len = len(text)

    def apply(self, old: str, edits: list[tuple[int, int, str]]) -> None:
        """``edits`` (start, end, replacement) on ``old``, in order, not overlapping."""
        if not edits:
            return
        pieces = self.pieces
        starts = [p[0] for p in pieces]
        # 1. a rewrite touching part of an earlier rewrite takes all of it (rewrites are atomic)
        groups: list[list] = []  # [start, end, parts, end of the last edit]
        for s, e, repl in edits:
            ws, we = s, e
            i = max(0, bisect_right(starts, s) - 1)
            while i < len(pieces) and pieces[i][0] <= e:
                cs, ce, _, _, ident = pieces[i]
                if not ident and ce > cs and ((cs < e and ce > s) or (s == e and cs < s < ce)):
                    ws, we = min(ws, cs), max(we, ce)
                i += 1
            if groups and ws < groups[-1][1]:
                g = groups[-1]
                g[2] += [old[g[3]:s], repl]
                g[1], g[3] = max(g[1], we), e
            else:
                groups.append([ws, we, [old[ws:s], repl], e])
        # 2. copies are cut where a rewrite starts or ends
        cuts = sorted({x for g in groups for x in (g[0], g[1])})
        split: list[Piece] = []
        for cs, ce, os_, oe, ident in pieces:
            if ident and ce - cs > 1:
                k = bisect_right(cuts, cs)
                while k < len(cuts) and cuts[k] < ce:
                    x = cuts[k]
                    split.append((cs, x, os_, os_ + (x - cs), True))
                    os_, cs = os_ + (x - cs), x
                    k += 1
            split.append((cs, ce, os_, oe, ident))
        # 3. each rewrite becomes one piece spanning the written text of what it replaced
        out: list[Piece] = []
        shift = 0
        i, n = 0, len(split)
        for gs, ge, parts, last_end in groups:
            repl = "".join(parts) + old[last_end:ge]
            while i < n and split[i][1] <= gs:
                cs, ce, os_, oe, ident = split[i]
                out.append((cs + shift, ce + shift, os_, oe, ident))
                i += 1
            lo = hi = None
            while i < n and split[i][0] < ge:
                os_, oe = split[i][2], split[i][3]
                lo = os_ if lo is None else min(lo, os_)
                hi = oe if hi is None else max(hi, oe)
                i += 1
            if lo is None or hi is None:  # an insertion: it says nothing written, at the written position here
                lo = hi = out[-1][3] if out else (split[i][2] if i < n else 0)
            out.append((gs + shift, gs + shift + len(repl), lo, hi, False))
            shift += len(repl) - (ge - gs)
        while i < n:
            cs, ce, os_, oe, ident = split[i]
            out.append((cs + shift, ce + shift, os_, oe, ident))
            i += 1
        self.pieces = out


def tracked_sub(pattern: re.Pattern, repl: Callable[[re.Match], str] | str, text: str,
                tracker: Tracker) -> str:
    """``pattern.sub(repl, text)``, each change handed to ``tracker``."""
    edits: list[tuple[int, int, str]] = []

    def fn(m: re.Match) -> str:
        out = repl(m) if callable(repl) else m.expand(repl)
        if out != m.group(0):
            edits.append((m.start(), m.end(), out))
        return out

    new = pattern.sub(fn, text)
    tracker.apply(text, edits)
    return new


def replace_all(old: str, new: str, tracker: Tracker) -> str:
    """An opaque rewrite: the common head and tail stay copies, the middle one rewrite."""
    if old == new:
        return new
    a = 0
    limit = min(len(old), len(new))
    while a < limit and old[a] == new[a]:
        a += 1
    b = 0
    while b < limit - a and old[-1 - b] == new[-1 - b]:
        b += 1
    tracker.apply(old, [(a, len(old) - b, new[a:len(new) - b])])
    return new


_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True)
class SpanMap:
    """Spans of ``spoken`` ↔ spans of ``written`` (the text given to ``normalize``)."""

    written: str
    spoken: str
    pieces: tuple[Piece, ...]

    @classmethod
    def identity(cls, text: str) -> SpanMap:
        return cls(text, text, ((0, len(text), 0, len(text), True),) if text else ())

    def to_written(self, start: int, end: int, whole_tokens: bool = True) -> tuple[int, int]:
        """The written span that ``spoken[start:end]`` says (widened to whole written tokens)."""
        lo: int | None = None
        hi: int | None = None
        for cs, ce, os_, oe, ident in self.pieces:
            if ce <= start and not (cs == ce == start):
                continue
            if cs >= end and not (cs == ce == end == start):
                break
            if ce == cs:
                continue  # a deleted piece: said by nothing
            if ident:
                a, b = os_ + max(0, start - cs), os_ + min(ce, end) - cs
            else:
                a, b = os_, oe
            lo = a if lo is None else min(lo, a)
            hi = b if hi is None else max(hi, b)
        if lo is None or hi is None:
            return (0, 0)
        return self.widen(lo, hi) if whole_tokens else (lo, hi)

    def widen(self, lo: int, hi: int) -> tuple[int, int]:
        """``[lo, hi)`` grown to whole whitespace-separated tokens of the written text."""
        w = self.written
        while lo < hi and w[lo].isspace():
            lo += 1
        while hi > lo and w[hi - 1].isspace():
            hi -= 1
        if lo == hi:
            return lo, hi
        while lo > 0 and not w[lo - 1].isspace():
            lo -= 1
        while hi < len(w) and not w[hi].isspace():
            hi += 1
        return lo, hi

    def written_text(self, start: int, end: int) -> str:
        """The written words said by ``spoken[start:end]``, spaces collapsed."""
        a, b = self.to_written(start, end)
        return " ".join(self.written[a:b].split())

"""Transcripts: WebVTT and SRT cues timed on the voice's boundaries, and an HTML page of the
written text by chapter, for readers who want to read along or search.

Cues show the newsletter's own words ("OpenAI signe avec AWS pour 38 milliards $"), not
what the voice was given ("Open A I ... trente-huit milliards de dollars"): the engine's
word boundaries are on the text it received; they are found in it, mapped back through
the engine lexicon's span map to the neutral spoken text, then through the normalizer's
span map (``Segment.spans``) to the written text (``cues_for``). A cue never splits a
written token: "2025", said "deux mille vingt-cinq", is in one cue. Without boundaries,
cues are timed by sentence, in proportion to their spoken length.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .models import Boundary

MAX_WORDS = 12
MAX_CUE_SECONDS = 6.0


def _ts(seconds: float, sep: str = ".") -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def cues(segments: Iterable[tuple[float, Sequence[Boundary], float]]) -> list[tuple[float, float, str]]:
    """(segment start, its boundaries, its end) → (start, end, text) cues on the episode clock."""
    out: list[tuple[float, float, str]] = []
    for seg_start, boundaries, seg_end in segments:
        words: list[Boundary] = []
        for b in boundaries:
            if not b.text.strip():
                continue
            words.append(b)
            phrase_end = b.text.rstrip().endswith((".", "!", "?", ":", ";"))
            span = (b.offset + b.duration) - words[0].offset
            if len(words) >= MAX_WORDS or phrase_end or span >= MAX_CUE_SECONDS:
                out.append(_cue(seg_start, words, seg_end))
                words = []
        if words:
            out.append(_cue(seg_start, words, seg_end))
    return out


def _cue(seg_start: float, words: list[Boundary], seg_end: float) -> tuple[float, float, str]:
    start = seg_start + words[0].offset
    end = min(seg_start + words[-1].offset + max(words[-1].duration, 0.2), seg_end)
    return (start, max(end, start + 0.2), " ".join(w.text.strip() for w in words))


_SENTENCE = re.compile(r"[^.!?…\n]*(?:[.!?…]+|\n|$)")
_PHRASE_END = (".", "!", "?", ":", ";", "…")


def _locate(boundaries: Sequence[Boundary], text: str) -> list[tuple[Boundary, int, int]]:
    """Each boundary with its span in ``text`` (the text the engine received), in order;
    a boundary not found where expected takes an empty span at the current position."""
    out = []
    cursor = 0
    for b in boundaries:
        word = b.text.strip()
        if not word:
            continue
        at = text.find(word, cursor)
        if at < 0 or at - cursor > 200 + len(word):  # not there: the engine rewrote it
            out.append((b, cursor, cursor))
            continue
        out.append((b, at, at + len(word)))
        cursor = at + len(word)
    return out


def cues_for(spans: Any, boundaries: Sequence[Boundary], seg_start: float, seg_end: float,
             engine_map: Any = None) -> list[tuple[float, float, str]]:
    """Cues (start, end, written words) of one segment on the episode clock.

    ``spans``: the segment's ``normalize.SpanMap`` (written ↔ neutral spoken text);
    ``engine_map``: the SpanMap neutral spoken ↔ what the engine received (its engine
    lexicon), None if the engine received the spoken text itself; ``boundaries``: the
    engine's, offsets from the segment's start.
    """
    if spans is None:
        return cues([(seg_start, boundaries, seg_end)])
    received = engine_map.spoken if engine_map is not None else spans.spoken
    located = _locate([b for b in boundaries if b.text.strip()], received)
    if not located or all(a == b for _, a, b in located):
        return _sentence_cues(spans, seg_start, seg_end)
    words: list[tuple[Boundary, int, int]] = []  # boundary, written span
    last = (0, 0)
    for b, a, e in located:
        if e > a:
            if engine_map is not None:
                a, e = engine_map.to_written(a, e, whole_tokens=False)
            ws, we = spans.to_written(a, e)
            if we > ws:
                last = (ws, we)
                words.append((b, ws, we))
                continue
        words.append((b, last[1], last[1]))  # nothing written of its own: joins the cue it is in
    out: list[tuple[float, float, str]] = []
    group: list[tuple[Boundary, int, int]] = []
    for i, item in enumerate(words):
        group.append(item)
        hi = max(w[2] for w in group)
        nxt = words[i + 1] if i + 1 < len(words) else None
        if nxt is not None and nxt[1] < hi:
            continue  # the next word says the same written token: never split it
        first, lastb = group[0][0], item[0]
        span = (lastb.offset + lastb.duration) - first.offset
        phrase_end = spans.written[:hi].rstrip().endswith(_PHRASE_END)
        if nxt is None or len(group) >= MAX_WORDS or phrase_end or span >= MAX_CUE_SECONDS:
            cue = _written_cue(spans.written, group, seg_start, seg_end)
            if cue is not None:
                out.append(cue)
            group = []
    return out


def _written_cue(written: str, group, seg_start: float, seg_end: float) -> tuple[float, float, str] | None:
    lo = min(w[1] for w in group)
    hi = max(w[2] for w in group)
    text = " ".join(written[lo:hi].split())
    if not text:
        return None
    first, last = group[0][0], group[-1][0]
    start = seg_start + first.offset
    end = min(seg_start + last.offset + max(last.duration, 0.2), seg_end)
    return (start, max(end, start + 0.2), text)


def _sentence_cues(spans: Any, seg_start: float, seg_end: float) -> list[tuple[float, float, str]]:
    """No usable boundaries: one cue per spoken sentence, timed in proportion to its length."""
    spoken = spans.spoken
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(spoken) if spoken[m.start():m.end()].strip()]
    total = sum(e - a for a, e in sentences) or 1
    out = []
    t = seg_start
    length = max(0.0, seg_end - seg_start)
    prev_hi = 0
    for a, e in sentences:
        d = length * (e - a) / total
        ws, we = spans.to_written(a, e)
        ws = max(ws, prev_hi)
        text = " ".join(spans.written[ws:we].split())
        if text:
            out.append((t, t + max(d, 0.2), text))
            prev_hi = we
        t += d
    return out


def written_cues(segments: Sequence[Any], placed: Sequence[Any], synth: Sequence[Any],
                 lexicon: Any = None) -> list[tuple[float, float, str]]:
    """The episode's cues in the newsletter's words: for each segment (with ``spans`` and
    ``spoken``), its placement (``start``, ``end``) and its audio (``boundaries``,
    ``engine``, ``voice``); ``lexicon`` is the show's (for its engine tables)."""
    from .normalize.lexicon import engine_span_map

    out: list[tuple[float, float, str]] = []
    for seg, p, r in zip(segments, placed, synth, strict=False):
        spans = getattr(seg, "spans", None)
        engine_map = None
        if spans is not None and getattr(r, "engine", None):
            engine_map = engine_span_map(spans.spoken, r.engine, r.voice, lexicon)
        out.extend(cues_for(spans, r.boundaries, p.start, p.end, engine_map))
    return _no_overlap(out)


def _no_overlap(cue_list: list[tuple[float, float, str]]) -> list[tuple[float, float, str]]:
    """A cue ends when the next one starts (a word's minimum length may reach past it)."""
    out = []
    for i, (start, end, text) in enumerate(cue_list):
        if i + 1 < len(cue_list) and cue_list[i + 1][0] > start:
            end = min(end, cue_list[i + 1][0])
        out.append((start, end, text))
    return out


LINE_CHARS = 42  # a caption line longer than this is split in two balanced lines


def _lines(text: str) -> str:
    """One line, or two of about equal length split at the space nearest the middle."""
    if len(text) <= LINE_CHARS or " " not in text:
        return text
    middle = len(text) // 2
    spaces = [i for i, c in enumerate(text) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return text[:cut] + "\n" + text[cut + 1:]


def to_vtt(cue_list: Sequence[tuple[float, float, str]]) -> str:
    lines = ["WEBVTT", ""]
    for i, (start, end, text) in enumerate(cue_list, 1):
        safe = text.replace("-->", "→")
        lines += [str(i), f"{_ts(start)} --> {_ts(end)}", _lines(safe), ""]
    return "\n".join(lines)


def to_srt(cue_list: Sequence[tuple[float, float, str]]) -> str:
    lines = []
    for i, (start, end, text) in enumerate(cue_list, 1):
        lines += [str(i), f"{_ts(start, ',')} --> {_ts(end, ',')}", _lines(text), ""]
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


def to_html(title: str, language: str, show: str, date: str | None,
            parts: Sequence[tuple[str, str, str, float, str | None]]) -> str:
    """A standalone, accessible page: (role, title, written text, start, url) per segment.

    Transitions are left out (they only announce the next part); every other segment is a
    section with its heading, its start time and the newsletter's own words.
    """
    e = html.escape
    fr = language.startswith("fr")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{e(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)} — {e('transcription' if fr else 'transcript')}</title>",
        "<style>body{max-width:42rem;margin:2rem auto;padding:0 1rem;font:1.1rem/1.6 system-ui,sans-serif}"
        "time{color:#555;font-size:.9rem}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{e(title)}</h1>",
        f"<p>{e(show)}{(' — ' + e(date)) if date else ''}</p>",
    ]
    for role, seg_title, text, start, url in parts:
        if role == "transition":
            continue
        out.append("<section>")
        heading = e(seg_title)
        if url and url.startswith(("http://", "https://")):
            heading = f'<a href="{e(url)}">{heading}</a>'
        out.append(f"<h2>{heading} <time datetime=\"PT{int(start)}S\">{_clock(start)}</time></h2>")
        paras = [p for p in text.splitlines() if p.strip()]
        if paras and paras[0].strip().rstrip(" .") == seg_title.strip().rstrip(" ."):
            paras = paras[1:]  # the story's own title line: already the heading
        for para in paras:
            if para.strip():
                out.append(f"<p>{e(para.strip())}</p>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>", ""]
    return "\n".join(out)

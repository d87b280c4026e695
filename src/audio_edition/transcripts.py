"""Transcripts: WebVTT and SRT cues timed on the voice's boundaries, and an HTML page of the
written text by chapter, for readers who want to read along or search.
"""

from __future__ import annotations

import html
from typing import Iterable, Sequence

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


def to_vtt(cue_list: Sequence[tuple[float, float, str]]) -> str:
    lines = ["WEBVTT", ""]
    for i, (start, end, text) in enumerate(cue_list, 1):
        safe = text.replace("-->", "→")
        lines += [str(i), f"{_ts(start)} --> {_ts(end)}", safe, ""]
    return "\n".join(lines)


def to_srt(cue_list: Sequence[tuple[float, float, str]]) -> str:
    lines = []
    for i, (start, end, text) in enumerate(cue_list, 1):
        lines += [str(i), f"{_ts(start, ',')} --> {_ts(end, ',')}", text, ""]
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

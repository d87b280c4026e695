"""Transcripts from timed boundaries: WebVTT cues, one per short phrase."""

from __future__ import annotations

from typing import Iterable, Sequence

from .models import Boundary

MAX_WORDS = 12
MAX_CUE_SECONDS = 6.0


def _ts(seconds: float) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


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

"""The one source of times: every placement in the episode's audio, built once per render.

``Script`` + the synthesized audio of each segment (+ later the sound kit) → ``Timeline``.
The mixer renders it; chapters, captions, tags and ``episode.json`` read their times from it.
Nothing else computes a start or an end.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Sequence

from .models import Script

KINDS = ("voice", "jingle", "sting", "bed", "silence")


@dataclass(frozen=True)
class Placement:
    """One item of the episode's audio, from ``start`` to ``end`` seconds.

    ``segment`` is the index of the script segment a voice placement reads (or that a
    sting announces); ``story`` the index of the chapter-bearing segment (story, section,
    intro, outro) it belongs to.
    """

    kind: str  # one of KINDS
    start: float
    end: float
    source: str = ""  # audio file (voice: the cached WAV; music: the kit file); "" for silence
    gain: float = 0.0  # dB applied when mixing
    segment: int | None = None
    story: int | None = None
    role: str | None = None  # sound role for music (intro, sting, section, outro, bed) or the segment's role

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass(frozen=True)
class Timeline:
    placements: tuple[Placement, ...]
    duration: float  # total length of the episode's audio, seconds

    def voices(self) -> Iterator[Placement]:
        return (p for p in self.placements if p.kind == "voice")

    def voice_for(self, segment: int) -> Placement:
        for p in self.placements:
            if p.kind == "voice" and p.segment == segment:
                return p
        raise KeyError(segment)

    def of_kind(self, *kinds: str) -> list[Placement]:
        return [p for p in self.placements if p.kind in kinds]


CHAPTER_ROLES = ("intro", "story", "section", "outro", "sponsor")


def story_index(script: Script) -> list[int | None]:
    """For each segment, the index of the chapter-bearing segment it belongs to.

    A transition belongs to the story it announces (the next chapter-bearing segment).
    """
    owners: list[int | None] = [None] * len(script.segments)
    pending: list[int] = []
    last: int | None = None
    for i, seg in enumerate(script.segments):
        if seg.role in CHAPTER_ROLES:
            for j in pending:
                owners[j] = i
            pending = []
            owners[i] = i
            last = i
        else:
            pending.append(i)
    for j in pending:
        owners[j] = last
    return owners


def voice_timeline(script: Script, durations: Sequence[float], sources: Sequence[str], *, pause: float,
                   lead_in: float = 0.3, tail: float = 0.8, sample_rate: int = 44100) -> Timeline:
    """Voices one after another with ``pause`` seconds between them (the voice-only show).

    Times are whole samples at ``sample_rate``, so the render is sample-exact.
    """
    if len(durations) != len(script.segments) or len(sources) != len(script.segments):
        raise ValueError("one duration and one source per segment")
    owners = story_index(script)

    def frames(t: float) -> int:
        return round(t * sample_rate)

    placements: list[Placement] = []
    pos = frames(lead_in)
    placements.append(Placement("silence", 0.0, pos / sample_rate))
    for i, (seg, dur, src) in enumerate(zip(script.segments, durations, sources)):
        if i:
            gap = frames(pause)
            placements.append(Placement("silence", pos / sample_rate, (pos + gap) / sample_rate))
            pos += gap
        n = frames(dur)
        placements.append(Placement("voice", pos / sample_rate, (pos + n) / sample_rate, source=src, segment=i,
                                    story=owners[i], role=seg.role))
        pos += n
    end = pos + frames(tail)
    placements.append(Placement("silence", pos / sample_rate, end / sample_rate))
    return Timeline(placements=tuple(placements), duration=end / sample_rate)

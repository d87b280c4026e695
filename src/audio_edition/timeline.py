"""The one source of times: every placement in the episode's audio, built once per render.

``Script`` + the synthesized audio of each segment (+ later the sound kit) → ``Timeline``.
The mixer renders it; chapters, captions, tags and ``episode.json`` read their times from it.
Nothing else computes a start or an end.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

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
    fade_in: float = 0.0  # seconds, music only
    fade_out: float = 0.0

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
    for i, (seg, dur, src) in enumerate(zip(script.segments, durations, sources, strict=False)):
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


@dataclass(frozen=True)
class Cue:
    """A sound the timeline may place: its length and how it meets the voice (from ``[sound]``)."""

    duration: float  # seconds of the sound file (a bed loops or is cut to its span)
    source: str = ""
    gain: float = 0.0
    fade_in: float = 0.0
    fade_out: float = 0.0
    overlap: float = 0.0


STING_FOR = {"story": "sting", "sponsor": "sting", "section": "section"}


def produced_timeline(script: Script, durations: Sequence[float], sources: Sequence[str],
                      cues: Mapping[str, Cue | None], *, pause: float, tail: float = 0.6,
                      sample_rate: int = 44100) -> Timeline:
    """The produced show: theme, voices, stings between chapters, a bed under intro and outro.

    - ``intro`` starts at 0; the host starts ``overlap`` seconds before the theme ends.
    - Where a new story (``sting``) or recurring section (``section``) chapter begins, the
      sting starts half a pause after the last words and the next voice starts ``overlap``
      seconds before the sting ends; the sting belongs to the chapter it opens, so the
      chapter starts where the sting starts.
    - ``bed`` lies under the intro voice (fading in under the theme's tail) and under the
      outro voice (starting alone in the pause before it, so the show breathes), extending
      ``overlap`` seconds around the voice; the mixer ducks it under every voice.
    - ``outro`` starts after the last words (``overlap`` seconds before they end).
    Roles missing from ``cues`` are left out; with no cues at all this is the voice-only show.
    Times are whole samples.
    """
    if len(durations) != len(script.segments) or len(sources) != len(script.segments):
        raise ValueError("one duration and one source per segment")
    if not any(cues.values()):
        return voice_timeline(script, durations, sources, pause=pause, sample_rate=sample_rate)
    owners = story_index(script)
    rate = sample_rate

    def fr(t: float) -> int:
        return round(t * rate)

    def music(kind: str, role: str, start: int, length: int, cue: Cue, **where) -> Placement:
        return Placement(kind, start / rate, (start + length) / rate, source=cue.source, gain=cue.gain,
                         role=role, fade_in=min(cue.fade_in, length / rate), fade_out=min(cue.fade_out, length / rate),
                         **where)

    placements: list[Placement] = []
    intro, bed, outro = cues.get("intro"), cues.get("bed"), cues.get("outro")
    half = fr(pause / 2)
    if intro:
        n = fr(intro.duration)
        placements.append(music("jingle", "intro", 0, n, intro, segment=0, story=owners[0] if owners else None))
        pos = max(fr(0.3), n - fr(min(intro.overlap, intro.duration)))
    else:
        pos = fr(0.3)
    voices: list[tuple[int, int]] = []
    outro_bed_start: int | None = None  # the bed starts alone in the pause before the outro voice
    prev_end = 0
    for i, (seg, dur, src) in enumerate(zip(script.segments, durations, sources, strict=False)):
        if i:
            opens = owners[i] != owners[i - 1]
            owner = owners[i]
            chapter_role = script.segments[owner].role if owner is not None else ""
            sting = cues.get(STING_FOR.get(chapter_role, "")) if opens else None
            if opens and chapter_role == "outro" and bed:
                outro_bed_start = prev_end + half
                pos = outro_bed_start + max(fr(min(bed.fade_in + bed.overlap, 6.0)), fr(pause) - half)
            elif sting:
                s0 = prev_end + half
                n = fr(sting.duration)
                placements.append(music("sting", STING_FOR[chapter_role], s0, n, sting, segment=i, story=owners[i]))
                pos = max(s0 + n - fr(min(sting.overlap, sting.duration)), prev_end + fr(pause))
            else:
                pos = prev_end + fr(pause)
        n = fr(dur)
        placements.append(Placement("voice", pos / rate, (pos + n) / rate, source=src, segment=i, story=owners[i],
                                    role=seg.role))
        voices.append((pos, pos + n))
        prev_end = pos + n
    end = prev_end + fr(tail)
    roles = [seg.role for seg in script.segments]
    outro_start: int | None = None
    if outro and voices:
        outro_start = max(voices[-1][0], prev_end + fr(0.25) - fr(outro.overlap))
        n = fr(outro.duration)
        last = len(voices) - 1
        placements.append(music("jingle", "outro", outro_start, n, outro, segment=last, story=owners[last]))
        end = max(end, outro_start + n + fr(0.5))
    if bed and voices:
        over = fr(bed.overlap)
        if roles[0] == "intro":
            v0, v1 = voices[0]
            b0 = max(0, v0 - over - fr(bed.fade_in))
            placements.append(music("bed", "bed", b0, v1 + over - b0, bed, segment=0, story=owners[0]))
        if "outro" in roles and (k := len(roles) - 1 - roles[::-1].index("outro")) > 0:
            v0, v1 = voices[k]
            b0 = outro_bed_start if outro_bed_start is not None else max(0, v0 - over - fr(bed.fade_in))
            b1 = v1 + over if outro_start is None else max(v1 + over, outro_start + fr(bed.fade_out))
            placements.append(music("bed", "bed", b0, b1 - b0, bed, segment=k, story=owners[k]))
            end = max(end, b1)
    placements.sort(key=lambda p: (p.start, p.kind != "voice"))
    return Timeline(placements=tuple(placements), duration=end / rate)

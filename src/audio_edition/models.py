"""Plain data passed between the pipeline stages.

Every stage takes and returns these small dataclasses; ``to_dict`` gives the JSON shape
that ``script --format json`` prints and that ``episode.json`` stores.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

ROLES = ("intro", "story", "section", "transition", "outro", "sponsor")


@dataclass(frozen=True)
class Issue:
    """One newsletter issue as read from a source, before parsing."""

    id: str  # stable identifier within the source (file name, feed guid, URL)
    source: str  # what the user gave: path, URL, or "feed.xml#item-guid"
    raw_html: str
    url: str | None = None  # canonical web URL when known
    published: str | None = None  # ISO date hint from the container (feed, e-mail)
    title: str | None = None  # title hint from the container (feed item, e-mail subject)
    feed_meta: dict[str, Any] = field(default_factory=dict)  # publication name, language...


@dataclass(frozen=True)
class Block:
    """One readable block of a story: a paragraph, a list item, or a labelled sub-part.

    ``label`` holds a spoken sub-heading ("Le résumé", "Les détails") when the block
    starts with one; ``text`` is the rest.
    """

    text: str
    label: str | None = None
    kind: str = "paragraph"  # paragraph | item | heading | caption
    language: str | None = None  # the passage's language when it is not the issue's ("en" in a French issue)

    def full_text(self) -> str:
        if self.label:
            return f"{self.label} : {self.text}" if self.text else f"{self.label}."
        return self.text


@dataclass(frozen=True)
class Story:
    title: str
    blocks: tuple[Block, ...]
    url: str | None = None
    kind: str = "story"  # story | section | sponsor (only kept when the show reads sponsors)


@dataclass(frozen=True)
class Skipped:
    kind: str  # sponsor | poll | subscribe | share | footer | navigation | related | hidden | boilerplate | ...
    text: str


@dataclass(frozen=True)
class Document:
    title: str
    language: str = "fr"
    published: str | None = None  # YYYY-MM-DD
    subtitle: str | None = None
    author: str | None = None
    publication: str | None = None
    url: str | None = None
    greeting: str | None = None
    intro: tuple[str, ...] = ()
    toc: tuple[str, ...] = ()
    stories: tuple[Story, ...] = ()  # stories and extra sections (kind="section"), in reading order
    skipped: tuple[Skipped, ...] = ()
    platform: str = "generic"
    warnings: tuple[str, ...] = ()
    closing: tuple[str, ...] = ()  # sign-off after the last story ("C'est tout pour cette semaine !")
    cadence: str | None = None  # daily | weekly | fortnightly | monthly | other (known not weekly) | None (unknown)

    @property
    def main_stories(self) -> tuple[Story, ...]:
        return tuple(s for s in self.stories if s.kind == "story")

    @property
    def sections(self) -> tuple[Story, ...]:
        return tuple(s for s in self.stories if s.kind == "section")


@dataclass(frozen=True)
class Segment:
    role: str  # one of ROLES
    title: str
    text: str  # written text
    spoken: str  # what the voice reads (normalized)
    voice: str  # voice-casting role name or concrete voice
    url: str | None = None
    # normalize.SpanMap: spans of ``spoken`` ↔ spans of the text it was normalized from (for captions)
    spans: Any = field(default=None, compare=False, repr=False)
    # the segment's language when it is not the script's (a story written in English in a French issue)
    language: str | None = None
    # the language of each line of ``spoken`` when lines differ (None: the segment's); normalize follows it
    passages: tuple[str | None, ...] = field(default=(), compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(replace(self, spans=None)).items() if k not in ("spans", "passages")}
        if d["url"] is None and self.role not in ("story", "section"):
            del d["url"]  # stories and sections always say whether they have a chapter link
        if d["language"] is None:
            del d["language"]
        return d


@dataclass(frozen=True)
class Script:
    title: str
    language: str
    published: str | None
    segments: tuple[Segment, ...]
    skipped: tuple[Skipped, ...] = ()
    publication: str | None = None
    source: str | None = None
    url: str | None = None
    warnings: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.title,
            "language": self.language,
            "published": self.published,
            "segments": [s.to_dict() for s in self.segments],
            "skipped": [asdict(s) for s in self.skipped],
        }
        if self.publication:
            out["publication"] = self.publication
        if self.source:
            out["source"] = self.source
        if self.url:
            out["url"] = self.url
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


@dataclass(frozen=True)
class Boundary:
    """A timed piece of the spoken text: offset and duration in seconds."""

    offset: float
    duration: float
    text: str
    kind: str = "word"  # word | sentence


@dataclass(frozen=True)
class SynthResult:
    audio_path: str  # WAV (PCM s16) file, mono
    sample_rate: int
    duration: float  # seconds
    boundaries: tuple[Boundary, ...]
    engine: str
    voice: str
    attempts: int = 1
    cached: bool = False
    fallback: bool = False

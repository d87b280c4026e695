"""ID3 tags for the episode MP3: title, show, date, language, cover (APIC), chapters (CHAP + CTOC)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TLAN,
    TPE1,
    WXXX,
    CTOCFlags,
    Frame,
    ID3NoHeaderError,
)

from .errors import OutputError


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds
    end: float
    url: str | None = None
    role: str = "story"

    def to_dict(self) -> dict:
        d = {"startTime": round(self.start, 3), "endTime": round(self.end, 3), "title": self.title}
        if self.url:
            d["url"] = self.url
        return d


def write_tags(
    mp3_path: str | Path,
    *,
    title: str,
    show: str,
    date: str | None,
    language: str,
    chapters: list[Chapter],
    comment: str | None = None,
    url: str | None = None,
    cover: bytes | None = None,
) -> None:
    """Replace the MP3's ID3 tags; chapters become CHAP frames (title, story URL as WXXX) under a CTOC."""
    try:
        try:
            tags = ID3(str(mp3_path))
        except ID3NoHeaderError:
            tags = ID3()
        tags.delete(str(mp3_path)) if tags else None
        tags = ID3()
        tags.add(TIT2(encoding=3, text=title))
        tags.add(TPE1(encoding=3, text=show))
        tags.add(TALB(encoding=3, text=show))
        tags.add(TCON(encoding=3, text="Podcast"))
        tags.add(TLAN(encoding=3, text=_iso639_2(language)))
        if date:
            tags.add(TDRC(encoding=3, text=date))
        if comment:
            tags.add(COMM(encoding=3, lang=_iso639_2(language), desc="", text=comment))
        if url:
            tags.add(WXXX(encoding=3, desc="newsletter", url=url))
        if cover:
            tags.add(APIC(encoding=3, mime="image/jpeg", type=3, desc="Cover", data=cover))
        ids = []
        for i, ch in enumerate(chapters):
            cid = f"chp{i}"
            ids.append(cid)
            sub: list[Frame] = [TIT2(encoding=3, text=ch.title)]
            if ch.url:
                sub.append(WXXX(encoding=3, desc="", url=ch.url))
            tags.add(CHAP(element_id=cid, start_time=round(ch.start * 1000), end_time=round(ch.end * 1000),
                          start_offset=0xFFFFFFFF, end_offset=0xFFFFFFFF, sub_frames=sub))
        if ids:
            toc_title = TIT2(encoding=3, text="Chapitres" if language == "fr" else "Chapters")
            tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                          child_element_ids=ids, sub_frames=[toc_title]))
        tags.save(str(mp3_path), v2_version=3)
    except OSError as exc:
        raise OutputError(f"cannot tag {mp3_path}: {exc}") from None


_ISO = {"fr": "fre", "en": "eng", "de": "ger", "es": "spa", "it": "ita", "pt": "por", "nl": "dut"}


def _iso639_2(lang: str) -> str:
    return _ISO.get((lang or "")[:2].lower(), "und")

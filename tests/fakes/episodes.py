"""Fabricated episodes: a real small MP3 (bundled ffmpeg) and a valid record per episode.

Much cheaper than building: feed, check, site, serve and publish tests get a several-episode
``--out`` directory in well under a second. The files are what ``build`` writes (same names,
same record type); only the speech is a tone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from audio_edition.episode import RECORD, TRANSCRIPTS, Episode, SegmentRecord
from audio_edition.ffmpeg import ffmpeg_exe
from audio_edition.fsutil import atomic_write_text
from audio_edition.mix import measure

BASE_URL = "https://podcast.example.org/show/"


@lru_cache(maxsize=32)
def _tone(seconds: float, cache_dir: str) -> tuple[Path, float]:
    path = Path(cache_dir) / f"tone-{seconds:.1f}.mp3"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
                    "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame", "-b:a", "48k", str(path)], check=True)
    return path, measure(path).duration  # decoded to its end


def tone_mp3(seconds: float, cache_dir: Path) -> tuple[Path, float]:
    """A real MP3 tone of ``seconds`` and its decoded duration (made once per directory)."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    return _tone(round(seconds, 1), str(cache_dir))


def _vtt(chapters: list[tuple[str, float, float]]) -> str:
    def ts(t: float) -> str:
        ms = round(t * 1000)
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"
    lines = ["WEBVTT", ""]
    for i, (title, start, end) in enumerate(chapters, 1):
        lines += [str(i), f"{ts(start)} --> {ts(end)}", f"{title}.", ""]
    return "\n".join(lines)


def _srt(chapters: list[tuple[str, float, float]]) -> str:
    return "\n".join(b.replace(".", ",", 1) if "-->" in b else b for b in _vtt(chapters).split("\n")[2:])


def make_episode(out: Path, n: int, *, seconds: float = 3.0, language: str = "fr", title: str | None = None,
                 url: str | None = None, stories: list[tuple[str, str | None]] | None = None,
                 date: str | None = None, number: int | None = None, guid: str | None = None) -> Path:
    """Episode ``n`` under ``out/episodes/``: MP3, transcripts, chapters and episode.json. Returns its directory."""
    title = title or f"Lettre numéro {n}"
    date = date or f"2025-{1 + (n - 1) // 28 % 12:02d}-{1 + (n - 1) % 28:02d}"
    slug = f"{date}-lettre-{n}"
    ep_dir = out / "episodes" / slug
    ep_dir.mkdir(parents=True, exist_ok=True)
    mp3 = ep_dir / f"{slug}.mp3"
    tone, duration = tone_mp3(seconds, out.parent / "tones")
    shutil.copyfile(tone, mp3)
    stories = stories if stories is not None else [(f"Sujet {n}.{k}", f"https://news.example.org/{n}/{k}")
                                                   for k in (1, 2)]
    third = duration / (len(stories) + 1)
    chapters = [("Introduction", 0.0, third)] + [(t, third * (k + 1), third * (k + 2)) for k, (t, _) in
                                                 enumerate(stories)]
    atomic_write_text(ep_dir / TRANSCRIPTS["text/vtt"], _vtt(chapters))
    atomic_write_text(ep_dir / TRANSCRIPTS["application/x-subrip"], _srt(chapters))
    atomic_write_text(ep_dir / TRANSCRIPTS["text/html"], f"<!doctype html><html lang='{language}'><head><meta "
                      f"charset='utf-8'><title>{title}</title></head><body><h1>{title}</h1></body></html>")
    chapter_doc = {"version": "1.2.0", "chapters": [
        {"startTime": round(s, 3), "endTime": round(e, 3), "title": t} for t, s, e in chapters]}
    atomic_write_text(ep_dir / "chapters.json", json.dumps(chapter_doc))
    segments = [SegmentRecord(role="intro", title="Introduction", start=0.0, end=round(third, 3))] + [
        SegmentRecord(role="story", title=t, start=round(third * (k + 1), 3), end=round(third * (k + 2), 3), url=u)
        for k, (t, u) in enumerate(stories)]
    ep = Episode(slug=slug, title=title, audio=mp3.name, duration=round(duration, 3), size=mp3.stat().st_size,
                 guid=guid or f"urn:uuid:00000000-0000-4000-8000-{n:012d}", show="La Lettre", date=date,
                 language=language, url=url if url is not None else f"https://news.example.org/issues/{n}",
                 audio_url=f"{BASE_URL}episodes/{slug}/{mp3.name}", built_at=f"{date}T07:00:00Z",
                 summary=f"Au sommaire : {' ; '.join(t for t, _ in stories)}", segments=tuple(segments),
                 number=number if number is not None else n)
    atomic_write_text(ep_dir / RECORD, ep.to_json())
    return ep_dir


def make_show(out: Path, count: int = 3, **kw) -> list[Path]:
    """``count`` episodes, one a day from 2025-01-01."""
    return [make_episode(out, n, **kw) for n in range(1, count + 1)]

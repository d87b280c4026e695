"""``feed.xml`` from every ``episodes/*/episode.json``: RSS 2.0 + iTunes + Podcasting 2.0.

feedgen writes the RSS and iTunes tags; the ``podcast:`` namespace (transcript, chapters,
guid, locked) is added through feedgen's own extension mechanism (``register_extension``).
The feed is rebuilt from the episode files alone, so it never drifts from what is on disk.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from . import __version__
from .config import ShowConfig
from .episode import StoredEpisode, scan_episodes
from .errors import OutputError
from .fsutil import atomic_write_bytes

PODCAST_NS = "https://podcastindex.org/namespace/1.0"


class PodcastIndexExtension(BaseExtension):
    """Channel-level Podcasting 2.0 tags: podcast:guid, podcast:locked."""

    def __init__(self):
        self.__guid = None
        self.__locked = None

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def podcast_guid(self, value=None):
        if value is not None:
            self.__guid = value
        return self.__guid

    def podcast_locked(self, value=None):
        if value is not None:
            self.__locked = value
        return self.__locked

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self.__guid:
            etree.SubElement(channel, f"{{{PODCAST_NS}}}guid").text = self.__guid
        if self.__locked is not None:
            etree.SubElement(channel, f"{{{PODCAST_NS}}}locked").text = "yes" if self.__locked else "no"
        return rss_feed


class PodcastIndexEntryExtension(BaseEntryExtension):
    """Item-level Podcasting 2.0 tags: podcast:transcript, podcast:chapters."""

    def __init__(self):
        self.__transcripts: list[dict] = []
        self.__chapters: dict | None = None

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def podcast_transcript(self, url, type_, language=None, rel=None):
        t = {"url": url, "type": type_}
        if language:
            t["language"] = language
        if rel:
            t["rel"] = rel
        self.__transcripts.append(t)

    def podcast_chapters(self, url, type_="application/json+chapters"):
        self.__chapters = {"url": url, "type": type_}

    def extend_rss(self, entry):
        for t in self.__transcripts:
            etree.SubElement(entry, f"{{{PODCAST_NS}}}transcript", attrib=t)
        if self.__chapters:
            etree.SubElement(entry, f"{{{PODCAST_NS}}}chapters", attrib=self.__chapters)
        return entry


def episode_url(base_url: str, slug: str, name: str) -> str:
    return f"{base_url.rstrip('/')}/episodes/{quote(slug)}/{quote(name)}"


def _duration_hms(seconds: float) -> str:
    s = int(round(seconds))
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _pubdate(date: str | None, fallback: float) -> datetime:
    if date:
        try:
            return datetime.fromisoformat(date[:10]).replace(hour=6, tzinfo=timezone.utc)
        except ValueError:
            pass
    return datetime.fromtimestamp(fallback, tz=timezone.utc)


def load_episodes(out_dir: Path) -> list[StoredEpisode]:
    """Every valid episode, oldest first; a damaged one is left out, never crashes the feed."""
    return scan_episodes(out_dir)[0]


def build_feed(out_dir: str | Path, config: ShowConfig, base_url: str, default_title: str | None = None,
               language: str | None = None) -> bytes:
    out_dir = Path(out_dir)
    episodes = load_episodes(out_dir)
    show = config.feed.title or config.show.name or (episodes[-1].episode.show if episodes else None) or default_title or "audio-edition"
    lang = language or (episodes[-1].episode.language if episodes else None) or config.show.language
    fg = FeedGenerator()
    fg.load_extension("podcast")  # iTunes tags
    fg.register_extension("podcastindex", PodcastIndexExtension, PodcastIndexEntryExtension)
    fg.title(show)
    fg.link(href=base_url.rstrip("/") + "/", rel="alternate")
    description = config.feed.description or (
        f"Édition audio de la newsletter {show}." if lang == "fr" else f"Audio edition of the {show} newsletter.")
    fg.description(description)
    fg.language(lang)
    fg.generator("audio-edition", __version__)
    fg.lastBuildDate(datetime.now(timezone.utc))
    fg.podcast.itunes_summary(description)
    fg.podcast.itunes_author(config.feed.author or show)
    fg.podcast.itunes_explicit("yes" if config.feed.explicit else "no")
    fg.podcast.itunes_type("episodic")
    try:
        fg.podcast.itunes_category(config.feed.category)
    except ValueError:
        fg.podcast.itunes_category("Technology")
    if config.feed.author or config.feed.email:
        fg.podcast.itunes_owner(name=config.feed.author or show, email=config.feed.email or "")
    if config.feed.image:
        fg.podcast.itunes_image(config.feed.image if "://" in config.feed.image else
                                f"{base_url.rstrip('/')}/{quote(Path(config.feed.image).name)}")
    fg.podcastindex.podcast_guid(str(uuid.uuid5(uuid.NAMESPACE_URL, base_url.rstrip("/") + "/feed.xml")))
    fg.podcastindex.podcast_locked(False)
    for stored in episodes:
        ep = stored.episode
        slug = ep.slug
        fe = fg.add_entry()  # prepends: newest first, as podcast apps expect
        fe.title(ep.title)
        fe.guid(ep.guid, permalink=False)
        fe.pubDate(_pubdate(ep.date, stored.mtime))
        summary = ep.summary or ep.title
        fe.description(summary)
        if ep.url:
            fe.link(href=ep.url)
        fe.enclosure(episode_url(base_url, slug, ep.audio), str(stored.size), "audio/mpeg")
        fe.podcast.itunes_duration(_duration_hms(ep.duration))
        fe.podcast.itunes_summary(summary)
        fe.podcast.itunes_explicit("yes" if config.feed.explicit else "no")
        fe.podcast.itunes_episode_type("full")
        for mime, name in ep.transcripts.items():
            if (stored.directory / name).is_file():
                fe.podcastindex.podcast_transcript(episode_url(base_url, slug, name), mime, language=ep.language,
                                                   rel="captions" if mime in ("text/vtt", "application/x-subrip") else None)
        if ep.chapters:
            fe.podcastindex.podcast_chapters(episode_url(base_url, slug, ep.chapters))
    return fg.rss_str(pretty=True)


def write_feed(out_dir: str | Path, config: ShowConfig, base_url: str, **kw) -> Path:
    out_dir = Path(out_dir)
    data = build_feed(out_dir, config, base_url, **kw)
    target = out_dir / "feed.xml"
    try:
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc}") from None
    return target

"""``feed.xml`` from every ``episodes/*/episode.json``: RSS 2.0 + iTunes + Podcasting 2.0.

feedgen writes the RSS tags and most iTunes ones. What it lacks or gets wrong goes through its
own extension mechanism (``register_extension``): ``itunes:explicit`` as Apple documents it
(``true``/``false``, feedgen only knows ``yes``/``no``), ``itunes:category`` from Apple's
current list (feedgen validates against the 2018 one), and the ``podcast:`` namespace
(guid, locked, transcript, chapters). The feed is rebuilt from the episode records alone,
newest first, so it never drifts from what is on disk, and written atomically.
"""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from . import __version__
from .config import ShowConfig
from .episode import Episode, StoredEpisode, scan_episodes
from .errors import OutputError
from .fsutil import atomic_write_bytes

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
FEED_NAME = "feed.xml"
COVER_NAME = "cover.jpg"  # the show artwork, beside feed.xml
# Podcasting 2.0: podcast:guid is a UUIDv5 of the feed URL (no scheme, no trailing slash) in this namespace
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
SAFE_SCHEMES = ("http", "https")
CAPTION_TYPES = ("text/vtt", "application/x-subrip")


class ShowExtension(BaseExtension):
    """Channel tags feedgen lacks or writes wrong: itunes:explicit/category/image, podcast:guid/locked.

    (feedgen's itunes_image silently drops a URL that does not end in .jpg or .png, .jpeg
    and query strings included.)
    """

    def __init__(self):
        self.__image: str | None = None
        self.__explicit: bool | None = None
        self.__category: tuple[str, str | None] | None = None
        self.__guid: str | None = None
        self.__locked: str | None = None  # the owner's e-mail: locked to them

    def extend_ns(self):
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def show(self, *, explicit: bool, category: str, subcategory: str | None, guid: str,
             locked_owner: str | None, image: str | None) -> None:
        self.__image = image
        self.__explicit = explicit
        self.__category = (category, subcategory)
        self.__guid = guid
        self.__locked = locked_owner

    def extend_rss(self, rss_feed):
        channel = rss_feed[0]
        if self.__image:
            etree.SubElement(channel, f"{{{ITUNES_NS}}}image", href=self.__image)
        if self.__category:
            cat = etree.SubElement(channel, f"{{{ITUNES_NS}}}category", attrib={'text': self.__category[0]})
            if self.__category[1]:
                etree.SubElement(cat, f"{{{ITUNES_NS}}}category", attrib={'text': self.__category[1]})
        if self.__explicit is not None:
            etree.SubElement(channel, f"{{{ITUNES_NS}}}explicit").text = "true" if self.__explicit else "false"
        if self.__guid:
            etree.SubElement(channel, f"{{{PODCAST_NS}}}guid").text = self.__guid
        if self.__locked is not None:
            etree.SubElement(channel, f"{{{PODCAST_NS}}}locked", owner=self.__locked).text = "yes"
        else:
            etree.SubElement(channel, f"{{{PODCAST_NS}}}locked").text = "no"
        return rss_feed


class ShowEntryExtension(BaseEntryExtension):
    """Item tags: itunes:image (see ShowExtension), podcast:transcript, podcast:chapters."""

    def __init__(self):
        self.__image: str | None = None
        self.__transcripts: list[dict] = []
        self.__chapters: dict | None = None

    def extend_ns(self):
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def podcast_transcript(self, url, type_, language=None, rel=None):
        t = {"url": url, "type": type_}
        if language:
            t["language"] = language
        if rel:
            t["rel"] = rel
        self.__transcripts.append(t)

    def podcast_chapters(self, url, type_="application/json+chapters"):
        self.__chapters = {"url": url, "type": type_}

    def itunes_image(self, url: str) -> None:
        self.__image = url

    def extend_rss(self, entry):
        if self.__image:
            etree.SubElement(entry, f"{{{ITUNES_NS}}}image", href=self.__image)
        for t in self.__transcripts:
            etree.SubElement(entry, f"{{{PODCAST_NS}}}transcript", attrib=t)
        if self.__chapters:
            etree.SubElement(entry, f"{{{PODCAST_NS}}}chapters", attrib=self.__chapters)
        return entry


def episode_url(base_url: str, slug: str, name: str) -> str:
    return f"{base_url.rstrip('/')}/episodes/{quote(slug)}/{quote(name)}"


def feed_url(base_url: str) -> str:
    return f"{base_url.rstrip('/')}/{FEED_NAME}"


def podcast_guid(url: str) -> str:
    """Podcasting 2.0 ``podcast:guid``: UUIDv5 of the feed URL without its scheme and trailing slash."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an absolute http(s) link; never a javascript:, data: or file: one."""
    if not url:
        return None
    url = re.sub(r"[\x00-\x20\x7f]", "", url)
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in SAFE_SCHEMES and parts.netloc else None


def artwork_url(out_dir: Path, config: ShowConfig, base_url: str) -> str | None:
    """The show artwork: ``cover.jpg`` beside the feed when it exists or is to be written, else an image URL."""
    image = config.show.image
    if (out_dir / COVER_NAME).is_file() or (image and "://" not in image):
        return f"{base_url.rstrip('/')}/{COVER_NAME}"
    return safe_url(image)


def show_title(config: ShowConfig, episodes: list[StoredEpisode], default: str | None = None) -> str:
    return config.feed_title or (episodes[-1].episode.show if episodes else None) or default or "audio-edition"


def show_description(config: ShowConfig, title: str, language: str) -> str:
    if config.show.description:
        return config.show.description
    if language == "fr":
        return f"Édition audio de la newsletter {title}."
    return f"Audio edition of the {title} newsletter."


def _duration_hms(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def pubdate(date: str | None, fallback: float) -> datetime:
    if date:
        try:
            return datetime.fromisoformat(date[:10]).replace(hour=6, tzinfo=UTC)
        except ValueError:
            pass
    return datetime.fromtimestamp(fallback, tz=UTC)


def _built(ep: Episode) -> datetime | None:
    try:
        return datetime.fromisoformat(ep.built_at)
    except ValueError:
        return None


def stories(ep: Episode) -> list[tuple[str, str | None]]:
    """(title, safe link) of each story and section the episode reads."""
    return [(s.title, safe_url(s.url)) for s in ep.segments if s.role in ("story", "section")]


def show_notes(ep: Episode) -> str:
    """The item's ``content:encoded``: the stories with their links, and where the episode comes from.

    Every piece of text comes from the newsletter, so all of it is escaped and only http(s)
    links are written.
    """
    esc = html.escape
    fr = ep.language.startswith("fr")
    parts = []
    items = stories(ep)
    if items:
        parts.append(f"<p>{'Au sommaire :' if fr else 'In this episode:'}</p>")
        lis = [f'<li><a href="{esc(url)}">{esc(title)}</a></li>' if url else f"<li>{esc(title)}</li>"
               for title, url in items]
        parts.append("<ul>" + "".join(lis) + "</ul>")
    origin = safe_url(ep.url)
    name = esc(ep.title)
    issue = f'<a href="{esc(origin)}">{name}</a>' if origin else f"« {name} »" if fr else f"“{name}”"
    parts.append(f"<p>Édition audio de la lettre {issue}.</p>" if fr else f"<p>Audio edition of the issue {issue}.</p>")
    return "\n".join(parts)


def load_episodes(out_dir: Path) -> list[StoredEpisode]:
    """Every valid episode, oldest first; a damaged one is left out, never crashes the feed."""
    return scan_episodes(out_dir)[0]


def build_feed(out_dir: str | Path, config: ShowConfig, base_url: str, default_title: str | None = None,
               language: str | None = None, episodes: list[StoredEpisode] | None = None) -> bytes:
    out_dir = Path(out_dir)
    if episodes is None:
        episodes = load_episodes(out_dir)
    base = base_url.rstrip("/")
    show = config.show
    title = show_title(config, episodes, default_title)
    configured = isinstance(config.raw.get("show"), dict) and "language" in config.raw["show"]
    lang = language or (show.language if configured or not episodes else episodes[-1].episode.language)
    fg = FeedGenerator()
    fg.load_extension("podcast")  # iTunes tags
    fg.register_extension("show", ShowExtension, ShowEntryExtension)
    fg.title(title)
    self_url = feed_url(base_url)
    fg.link(href=self_url, rel="self", type="application/rss+xml")
    fg.link(href=safe_url(show.link) or base + "/", rel="alternate")  # after self: feedgen's <link> is the last
    description = show_description(config, title, lang)
    fg.description(description)
    fg.language(lang)
    fg.generator("audio-edition", __version__, "https://pypi.org/project/audio-edition/")
    built = [b for b in (_built(s.episode) for s in episodes) if b is not None]
    fg.lastBuildDate(max(built) if built else datetime.now(UTC))
    if show.copyright:
        fg.copyright(show.copyright)
    author = show.author or show.name or title
    fg.podcast.itunes_author(author)
    fg.podcast.itunes_summary(description)
    fg.podcast.itunes_type(show.type)
    if show.owner_email:
        fg.podcast.itunes_owner(name=show.owner_name or author, email=show.owner_email)
    cover = artwork_url(out_dir, config, base_url)
    if cover:
        fg.image(url=cover, title=title, link=safe_url(show.link) or base + "/")
    fg.show.show(explicit=show.explicit, category=show.category, subcategory=show.subcategory,
                 guid=podcast_guid(self_url), locked_owner=show.owner_email, image=cover)
    for stored in episodes:
        ep = stored.episode
        slug = ep.slug
        fe = fg.add_entry()  # prepends: newest first, as podcast apps expect
        fe.title(ep.title)
        fe.guid(ep.guid, permalink=False)
        fe.pubDate(pubdate(ep.date, stored.mtime))
        fe.description(ep.summary or ep.title)
        fe.content(show_notes(ep))
        link = safe_url(ep.url)
        if link:
            fe.link(href=link)
        fe.enclosure(episode_url(base_url, slug, ep.audio), str(stored.size), "audio/mpeg")
        fe.podcast.itunes_duration(_duration_hms(ep.duration))
        fe.podcast.itunes_episode_type(ep.episode_type)
        if ep.number is not None:
            fe.podcast.itunes_episode(ep.number)
        image = episode_url(base_url, slug, ep.image) if ep.image and (stored.directory / ep.image).is_file() else cover
        if image:
            fe.show.itunes_image(image)
        for mime, name in ep.transcripts.items():
            if (stored.directory / name).is_file():
                fe.show.podcast_transcript(episode_url(base_url, slug, name), mime, language=ep.language,
                                           rel="captions" if mime in CAPTION_TYPES else None)
        if ep.chapters and (stored.directory / ep.chapters).is_file():
            fe.show.podcast_chapters(episode_url(base_url, slug, ep.chapters))
    return fg.rss_str(pretty=True)


def write_feed(out_dir: str | Path, config: ShowConfig, base_url: str, **kw) -> Path:
    out_dir = Path(out_dir)
    data = build_feed(out_dir, config, base_url, **kw)
    target = out_dir / FEED_NAME
    try:
        if target.is_file() and target.read_bytes() == data:
            return target  # unchanged: keep its mtime, so Last-Modified and caches stay valid (hourly cron)
        atomic_write_bytes(target, data)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc}") from None
    return target

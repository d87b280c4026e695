"""``audio-edition check``: is what ``--out`` holds a show podcast apps and directories accept?

Reads ``feed.xml`` as a directory would and compares it with the files beside it: the tags
Apple and Podcasting 2.0 require, unique guids, every enclosure present with its exact
length, durations that match the MP3s, the artwork (JPEG or PNG, square, 1400-3000 px),
transcripts and chapters that parse, and podcastparser and feedparser each seeing every
episode with its enclosure. One line per problem; an empty list means the show is fine.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from .episode import scan_episodes
from .feed import FEED_NAME, ITUNES_NS, PODCAST_NS, podcast_guid
from .site import load_chapters, parse_vtt

ATOM_NS = "http://www.w3.org/2005/Atom"
DURATION_TOLERANCE = 1.5  # seconds between itunes:duration and the decoded MP3
ARTWORK_MIN, ARTWORK_MAX = 1400, 3000  # Apple's artwork sizes, in pixels
PARALLEL_FROM = 200  # items from which feedparser runs in a process of its own
_IT = f"{{{ITUNES_NS}}}"
P = f"{{{PODCAST_NS}}}"


@dataclass
class Report:
    episodes: int = 0
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, what: str) -> None:
        self.problems.append(f"{where}: {what}")


def image_size(data: bytes) -> tuple[str, int, int, int] | None:
    """(format, width, height, colour channels) of a JPEG or PNG, from its header; None if neither."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        w, h = struct.unpack(">II", data[16:24])
        return "png", w, h, {0: 1, 2: 3, 3: 3, 4: 2, 6: 4}.get(data[25], 3)
    if data[:2] != b"\xff\xd8":
        return None
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
            h, w = struct.unpack(">HH", data[i + 5:i + 9])
            return "jpeg", w, h, data[i + 9]
        i += 2 + length
    return None


def _duration(text: str | None) -> float | None:
    if not text:
        return None
    try:
        parts = [float(p) for p in text.strip().split(":")]
    except ValueError:
        return None
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return total


def _srt_ok(text: str) -> bool:
    blocks = [b for b in text.replace("\r\n", "\n").strip().split("\n\n") if b.strip()]
    return bool(blocks) and all(len(b.split("\n")) >= 2 and "-->" in b.split("\n")[1] and
                                b.split("\n")[0].strip().isdigit() for b in blocks)


class _Local:
    """Maps URLs under the feed's base URL to files under ``--out``."""

    def __init__(self, out_dir: Path, base: str | None):
        self.out_dir = out_dir
        self.base = base

    def path(self, url: str | None) -> Path | None:
        if not url or not self.base or not url.startswith(self.base):
            return None
        rel = unquote(urlsplit(url).path[len(urlsplit(self.base).path):])
        if any(p in ("..", "") for p in rel.split("/")):
            return None
        return self.out_dir / rel


def check_out(out_dir: str | Path) -> Report:
    out_dir = Path(out_dir)
    report = Report()
    feed = out_dir / FEED_NAME
    try:
        data = feed.read_bytes()
    except OSError:
        report.add(str(feed), "missing (run audio-edition build first)")
        return report
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as exc:
        report.add(str(feed), f"not valid XML ({exc})")
        return report
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        report.add(str(feed), "not an RSS feed (no <rss><channel>)")
        return report
    where = str(feed)
    feedparser_result = _start_feedparser(data)
    base = _check_channel(channel, where, report)
    local = _Local(out_dir, base)
    _check_artwork(channel, local, where, report)
    items = channel.findall("item")
    report.episodes = len(items)
    guids: dict[str, int] = {}
    enclosures: set[str] = set()
    for n, item in enumerate(items, 1):
        _check_item(item, n, local, where, report, guids, enclosures)
    records, damaged = scan_episodes(out_dir)
    for line in damaged:
        report.problems.append(line)
    for stored in records:
        url_path = f"episodes/{stored.episode.slug}/{stored.episode.audio}"
        if base and not any(e.endswith(url_path) for e in enclosures):
            report.add(str(stored.directory), "episode is not in feed.xml (run audio-edition build to rebuild it)")
    _check_parsers(data, base, len(items), where, report, feedparser_result)
    return report


def _check_channel(channel, where: str, report: Report) -> str | None:
    required = {"title": "title", "link": "link", "description": "description", "language": "language",
                f"{_IT}author": "itunes:author", f"{_IT}explicit": "itunes:explicit", f"{_IT}type": "itunes:type",
                f"{P}guid": "podcast:guid"}
    for tag, name in required.items():
        el = channel.find(tag)
        if el is None or not (el.text or "").strip():
            report.add(where, f"channel has no <{name}>")
    explicit = channel.findtext(f"{_IT}explicit")
    if explicit is not None and explicit.strip() not in ("true", "false"):
        report.add(where, f"<itunes:explicit> is {explicit.strip()!r}: Apple wants true or false")
    if channel.find(f"{_IT}category") is None:
        report.add(where, "channel has no <itunes:category>")
    if not channel.findtext(f"{_IT}owner/{_IT}email"):
        report.add(where, "channel has no <itunes:owner> e-mail (set [show] owner_email)")
    if channel.find(f"{_IT}image") is None:
        report.add(where, "channel has no <itunes:image> (Apple refuses a show without artwork: set [show] image)")
    self_link = next((el.get("href") for el in channel.findall(f"{{{ATOM_NS}}}link") if el.get("rel") == "self"),
                     None)
    if not self_link:
        report.add(where, 'channel has no <atom:link rel="self">')
        return None
    if not self_link.startswith(("http://", "https://")):
        report.add(where, f"the feed's address is {self_link.split(':')[0]}: (set [show] base_url or --base-url to "
                   "where --out is published)")
    guid = channel.findtext(f"{P}guid")
    if guid and guid.strip() != podcast_guid(self_link):
        report.add(where, f"<podcast:guid> {guid.strip()} is not the UUIDv5 of the feed URL")
    return self_link[: -len(FEED_NAME)] if self_link.endswith(FEED_NAME) else None


def _check_artwork(channel, local: _Local, where: str, report: Report) -> None:
    el = channel.find(f"{_IT}image")
    if el is None:
        return
    href = el.get("href")
    path = local.path(href)
    if path is None:
        return  # elsewhere on the web: not checked offline
    try:
        data = path.read_bytes()
    except OSError:
        report.add(where, f"the artwork {href} is missing ({path})")
        return
    size = image_size(data[:65536])
    if size is None:
        report.add(str(path), "artwork is not a JPEG or PNG image")
        return
    fmt, w, h, channels = size
    if fmt == "jpeg" and channels == 4:
        report.add(str(path), "artwork is a CMYK JPEG: Apple wants RGB")
    if w != h:
        report.add(str(path), f"artwork is {w}×{h}: Apple wants a square image")
    elif not ARTWORK_MIN <= w <= ARTWORK_MAX:
        report.add(str(path), f"artwork is {w}×{h}: Apple wants {ARTWORK_MIN} to {ARTWORK_MAX} pixels a side")


def _check_item(item, n: int, local: _Local, where: str, report: Report, guids: dict[str, int],
                enclosures: set[str]) -> None:
    title = item.findtext("title") or ""
    at = f"{where}: item {n} ({title[:50] or 'no title'})"
    if not title.strip():
        report.problems.append(f"{at}: no <title>")
    guid = (item.findtext("guid") or "").strip()
    if not guid:
        report.problems.append(f"{at}: no <guid>")
    elif guid in guids:
        report.problems.append(f"{at}: guid {guid} is also item {guids[guid]}'s")
    else:
        guids[guid] = n
    if not item.findtext("pubDate"):
        report.problems.append(f"{at}: no <pubDate>")
    enc = item.find("enclosure")
    if enc is None or not enc.get("url"):
        report.problems.append(f"{at}: no <enclosure>")
        return
    url = enc.get("url")
    enclosures.add(url)
    if enc.get("type") != "audio/mpeg":
        report.problems.append(f"{at}: enclosure type is {enc.get('type')!r}, not audio/mpeg")
    path = local.path(url)
    duration = _duration(item.findtext(f"{_IT}duration"))
    if duration is None:
        report.problems.append(f"{at}: no <itunes:duration>")
    if path is None:
        if local.base:
            report.problems.append(f"{at}: enclosure {url} is not under the feed's base URL {local.base}")
        return
    try:
        size = path.stat().st_size
    except OSError:
        report.problems.append(f"{at}: enclosure file is missing ({path})")
        return
    if str(size) != enc.get("length"):
        report.problems.append(f"{at}: enclosure length is {enc.get('length')} but {path.name} has {size} bytes")
    if duration is not None:
        actual = _mp3_duration(path)
        if actual is None:
            report.problems.append(f"{at}: {path.name} is not a readable MP3")
        elif abs(actual - duration) > DURATION_TOLERANCE:
            report.problems.append(f"{at}: <itunes:duration> is {duration:.0f}s but {path.name} lasts {actual:.0f}s")
    for t in item.findall(f"{P}transcript"):
        _check_transcript(t.get("url"), t.get("type"), local, at, report)
    chapters = item.find(f"{P}chapters")
    if chapters is not None:
        cpath = local.path(chapters.get("url"))
        if cpath is not None:
            try:
                starts = [float(c["startTime"]) for c in load_chapters(cpath)]
                if starts != sorted(starts):
                    report.problems.append(f"{at}: chapters are not in order ({cpath.name})")
                elif duration is not None and starts and starts[-1] > duration + DURATION_TOLERANCE:
                    report.problems.append(f"{at}: a chapter starts after the end of the episode ({cpath.name})")
            except (OSError, ValueError) as exc:
                report.problems.append(f"{at}: chapters {cpath.name} do not parse ({exc})")


def _check_transcript(url: str | None, mime: str | None, local: _Local, at: str, report: Report) -> None:
    path = local.path(url)
    if path is None:
        return
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        report.problems.append(f"{at}: transcript {path.name} is missing or unreadable ({exc.__class__.__name__})")
        return
    ok = True
    if mime == "text/vtt":
        try:
            ok = bool(parse_vtt(text))
        except ValueError:
            ok = False
    elif mime == "application/x-subrip":
        ok = _srt_ok(text)
    elif mime == "text/html":
        ok = "<html" in text.lower() and "</html>" in text.lower()
    if not ok:
        report.problems.append(f"{at}: transcript {path.name} does not parse as {mime}")


def _mp3_duration(path: Path) -> float | None:
    from mutagen import MutagenError
    from mutagen.mp3 import MP3

    try:
        info = MP3(path).info
        return info.length if info is not None else None
    except (MutagenError, OSError):
        return None


def feedparser_view(data: bytes) -> tuple[str | None, int]:
    """(why feedparser cannot read it, or None; how many entries it sees with an enclosure)."""
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)  # entries, not HTML
    failure = str(parsed.get("bozo_exception")) if parsed.get("bozo") and not parsed.entries else None
    return failure, sum(1 for e in parsed.entries if e.get("enclosures"))


def _start_feedparser(data: bytes) -> Callable[[], tuple[str | None, int]]:
    """feedparser is the slowest step on a big show: run it in another process meanwhile."""
    if data.count(b"<item>") < PARALLEL_FROM:
        return lambda: feedparser_view(data)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        future = pool.submit(feedparser_view, data)
    except (OSError, RuntimeError):
        return lambda: feedparser_view(data)

    def result() -> tuple[str | None, int]:
        try:
            return future.result()
        except Exception:  # noqa: BLE001 (the helper process died: parse here instead)
            return feedparser_view(data)
        finally:
            pool.shutdown()
    return result


def _check_parsers(data: bytes, base: str | None, count: int, where: str, report: Report,
                   feedparser_result: Callable[[], tuple[str | None, int]]) -> None:
    """What two real podcast clients' parsers see: every item, each with its enclosure."""
    import io

    import podcastparser

    try:
        pod = podcastparser.parse(f"{base or 'http://localhost/'}{FEED_NAME}", io.BytesIO(data), max_episodes=0)
        seen = [e for e in pod.get("episodes", []) if e.get("enclosures")]
        if len(seen) != count:
            report.add(where, f"podcastparser sees {len(seen)} episodes with audio, not {count}")
    except Exception as exc:  # noqa: BLE001 (any failure of a third-party parser is a finding)
        report.add(where, f"podcastparser cannot read it ({exc})")
    failure, seen_fp = feedparser_result()
    if failure:
        report.add(where, f"feedparser cannot read it ({failure})")
    elif seen_fp != count:
        report.add(where, f"feedparser sees {seen_fp} episodes with audio, not {count}")

"""SOURCE → ``Issue``s. The only stage that reads input files or the network.

A SOURCE is one of:

- a local HTML file (``.html``, ``.htm``, ``.xhtml``, or anything that sniffs as HTML);
- an ``.eml`` e-mail file: its HTML part (quoted-printable, base64 and charsets decoded by
  the standard ``email`` package), the ``Subject`` as title and the ``Date`` as publication date;
- a newsletter's RSS or Atom feed, as a file or URL: one issue per item, from
  ``content:encoded`` / Atom ``content`` (else the item's description or summary);
- a directory: every issue in it (HTML, e-mail and feed files), oldest first;
- an ``http(s)://`` URL of a web post or feed, fetched with a timeout, a size cap, a capped
  number of redirects, only http/https, and only HTML or feed content types.

Nothing here follows a link found inside the content. Feeds are parsed by lxml with entity
expansion, DTD loading and network access all off, so a "billion laughs" feed expands nothing.
"""

from __future__ import annotations

import codecs
import email
import email.policy
import email.utils
import http.client
import os
import re
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import cast

import lxml.etree

from .errors import SourceError, redact
from .models import Issue
from .parse.meta import author_from_sender, cadence_from_gaps, publication_from_sender

MAX_BYTES = 50 * 1024 * 1024  # what we read from a file or a URL at most (AUDIO_EDITION_MAX_SOURCE_MB)
FETCH_TIMEOUT = 20.0  # seconds, for the whole download of a URL
MAX_REDIRECTS = 5
MAX_NAME = 200  # characters of a feed's title kept as the publication's name
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
EML_SUFFIXES = {".eml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
ISSUE_SUFFIXES = HTML_SUFFIXES | EML_SUFFIXES | FEED_SUFFIXES
HTML_TYPES = {"text/html", "application/xhtml+xml"}
FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
              "application/rdf+xml", "application/feed+json"}

_MAGIC = [  # signatures of files people rename to .html by mistake
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"RIFF", "a RIFF (WebP/WAV) file"), (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"), (b"ID3", "an MP3 file"), (b"\x00\x00\x00", "a binary file"),
    (b"\x7fELF", "an executable"),
]
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)
_HTML_TAG = re.compile(r"<(html|body|p|div|h[1-6]|table|article|main|section|span|br|a|ul|li)\b", re.I)


# --- decoding ------------------------------------------------------------------------------

def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Decode stray non-UTF-8 bytes as cp1252: a UTF-8 label on a Windows-1252 file."""
    if not isinstance(exc, UnicodeDecodeError):  # only ever used for decoding
        raise exc
    chunk = exc.object[exc.start:exc.end]
    return chunk.decode("cp1252", errors="replace"), exc.end


codecs.register_error("audio_edition_cp1252", _cp1252_fallback)


def _norm_charset(name: str | None) -> str | None:
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    # browsers read latin-1 and ascii labels as windows-1252 (WHATWG encoding standard)
    return "cp1252" if name in ("latin-1", "iso8859-1", "ascii") else name


def _looks_binary(data: bytes) -> str | None:
    head = data[:16]
    for magic, what in _MAGIC:
        if head.startswith(magic) and what:
            return what
    sample = data[:8192]
    if b"\x00" in sample:
        return "binary data"
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.05:
        return "binary data"
    return None


def _detect_and_decode(data: bytes) -> str:
    """No BOM, no declared charset: UTF-8 when it is (most mail and web), a few stray bytes in
    UTF-8 read as cp1252 (text pasted from Word), else what charset-normalizer finds."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for ch in text if ch > "\x7f") - invalid
    if valid and valid * 2 >= invalid:  # real UTF-8 sequences as well as strays: UTF-8 with strays
        return data.decode("utf-8", errors="audio_edition_cp1252")
    import charset_normalizer

    results = charset_normalizer.from_bytes(data[:200000])
    best = results.best()
    # on short texts a Baltic or Central European code page often scores as well as windows-1252
    # for French or English words; the web's default for undeclared pages wins a near tie
    western = next((r for r in results if r.encoding == "cp1252"), None)
    if best is not None and western is not None and western.chaos <= best.chaos + 0.05:
        best = western
    if best is not None and best.encoding:
        try:
            return data.decode(best.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("cp1252", errors="replace")


def decode_bytes(data: bytes, where: str, declared: str | None = None) -> str:
    """Bytes → text: BOM first, then the declared charset (HTTP, MIME, ``<meta>``, XML
    declaration), then detection (UTF-8, else charset-normalizer)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="audio_edition_cp1252")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return data.decode("utf-32", errors="replace")
    charset = _norm_charset(declared)
    if charset is None:
        m = _XML_ENCODING.search(data[:512]) or _META_CHARSET.search(data[:8192])
        charset = _norm_charset(m.group(1).decode("ascii", "replace")) if m else None
    if charset is None:
        return _detect_and_decode(data)
    if charset == "utf-8" or charset.startswith("utf-16") and b"\x00" not in data[:1024]:
        return data.decode("utf-8", errors="audio_edition_cp1252")
    try:
        return data.decode(charset)
    except (UnicodeDecodeError, LookupError):
        return data.decode("utf-8", errors="audio_edition_cp1252")


def decode_html(data: bytes, where: str, declared: str | None = None, require_tags: bool = True) -> str:
    if not data.strip():
        raise SourceError(f"{where}: the file is empty")
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        what = _looks_binary(data)
        if what:
            raise SourceError(f"{where}: {what}, not an HTML document (binary content)")
    text = decode_bytes(data, where, declared)
    if not text.strip():
        raise SourceError(f"{where}: the file is empty")
    if require_tags and not _HTML_TAG.search(text[:200000]):
        raise SourceError(f"{where}: not an HTML document (no HTML tags found)")
    return text


# --- dates ---------------------------------------------------------------------------------

def parse_date(value: str | None) -> str | None:
    """Any feed or e-mail date (RFC 822, ISO 8601) → ``YYYY-MM-DD``; ``None`` if unreadable."""
    if not value:
        return None
    value = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m:
        return m.group(0)
    try:
        dt = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return dt.date().isoformat() if dt else None


def parse_since(value: str) -> date:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise SourceError(f"--since {value!r}: not a date (expected YYYY-MM-DD)") from None


# --- e-mail --------------------------------------------------------------------------------

def _plain_to_html(text: str) -> str:
    import html

    paras = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "<html><body>" + "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in paras) + "</body></html>"


_HTML_PART = re.compile(rb"(?im)^content-type:[ \t]*text/html")
_FIELD = re.compile(rb"^[!-9;-~]+:")


def _mend_folding(data: bytes) -> bytes:
    """Indent header lines that are not ``Name: value`` (continuations that lost their indent)."""
    lines = data.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if not line.strip():
            break
        if i and not _FIELD.match(line) and line[:1] not in (b" ", b"\t"):
            lines[i] = b" " + line
    return b"".join(lines)


def read_eml(data: bytes, where: str, source: str | None = None, ident: str = "") -> Issue:
    """An e-mail (RFC 822 / MIME) → one ``Issue`` from its HTML part."""
    if not data.strip():
        raise SourceError(f"{where}: the file is empty")
    what = _looks_binary(data)
    if what:
        raise SourceError(f"{where}: {what}, not an e-mail message (binary content)")
    try:
        msg = email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:  # the email package raises many kinds on broken headers
        raise SourceError(f"{where}: not a readable e-mail message ({exc})") from None
    if not msg.keys():
        raise SourceError(f"{where}: not an e-mail message (no headers)")
    part = msg.get_body(preferencelist=("html",))
    if part is None and _HTML_PART.search(data):
        # an HTML part is there but the headers broke early (a folded line that lost its indent,
        # as some archives store mail): mend the folding once, rather than read MIME aloud
        msg = email.message_from_bytes(_mend_folding(data), policy=email.policy.default)
        part = msg.get_body(preferencelist=("html",))
        if part is None:
            raise SourceError(f"{where}: the e-mail holds an HTML part that cannot be reached (broken MIME headers)")
    plain = None
    if part is None:
        plain = msg.get_body(preferencelist=("plain",))
        if plain is None:
            raise SourceError(f"{where}: the e-mail has no HTML or text part")
    chosen = part or plain
    assert chosen is not None  # checked above: an HTML or a plain part
    payload = cast("bytes | None", chosen.get_payload(decode=True)) or b""  # a leaf part: bytes
    charset = chosen.get_content_charset()
    if plain is not None:
        html_text = _plain_to_html(decode_bytes(payload, where, charset))
    else:
        html_text = decode_html(payload, f"{where} (HTML part)", charset)

    def header(name: str) -> str | None:
        try:
            value = msg.get(name)
        except Exception:
            return None
        return " ".join(str(value).split()) if value else None

    published = None
    raw_date = header("Date")
    if raw_date:
        try:
            dt = email.utils.parsedate_to_datetime(raw_date)
            published = dt.date().isoformat()
        except (TypeError, ValueError, IndexError):
            published = parse_date(raw_date)
    sender = header("From")
    name = email.utils.parseaddr(sender)[0] if sender else ""
    author = author_from_sender(name)
    name = publication_from_sender(name)
    meta = {"source_kind": "email"}
    if name:
        meta["publication"] = name
    if author:
        meta["author"] = author  # "Jane from Acme": Acme is the publication, Jane its author
    list_id = header("List-Id")
    if list_id:
        meta["list_id"] = list_id
    return Issue(id=ident or Path(where).stem, source=source or where, raw_html=html_text, url=None,
                 published=published, title=header("Subject"), feed_meta=meta)


# --- feeds ---------------------------------------------------------------------------------

_NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "atom": "http://www.w3.org/2005/Atom",
    "rss1": "http://purl.org/rss/1.0/",
}


def looks_like_feed(text: str) -> bool:
    head = re.sub(r"<\?xml[^>]*\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(\[.*?\])?\s*>", "", text[:65536], flags=re.S).lstrip()
    return bool(re.match(r"<(rss|feed|rdf:RDF)\b", head))


def _text(el) -> str | None:
    """Text of an element; entity references are left out, never expanded."""
    if el is None:
        return None
    value = "".join(el.itertext(tag=lxml.etree.Element)) if len(el) else (el.text or "")
    value = value.strip()
    return value or None


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el, *names: str):
    for name in names:
        for child in el:
            if _local(child.tag) == name.split(":")[-1] and (
                    ":" not in name or child.tag.startswith("{" + _NS[name.split(":")[0]])):
                return child
    return None


def _atom_content(el) -> str | None:
    if el is None:
        return None
    if el.get("type") == "xhtml":
        return "".join(lxml.etree.tostring(c, encoding="unicode") for c in el) or _text(el)
    return el.text or _text(el)


def _parse_xml(text: str, where: str):
    """A feed's XML → its root element, parsed as safely as defusedxml would.

    No entity is ever expanded (a "billion laughs" stays a few bytes: its references are
    left out of the text), no DTD or external entity is loaded (an ``<!ENTITY x SYSTEM
    "file:///etc/passwd">`` reads nothing), nothing is fetched, and ``huge_tree`` stays off,
    so libxml2's limits on depth and text size hold. Unlike defusedxml the feed is still
    read: a few real feeds declare harmless entities such as ``&nbsp;``.
    """
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                                  recover=True, remove_comments=True, remove_pis=True, dtd_validation=False,
                                  attribute_defaults=False)
    # the text is decoded already (by its declared encoding): a declaration left in would make lxml
    # decode the UTF-8 bytes below a second time as windows-1252 or ISO-8859-1
    text = re.sub(r"^\ufeff?\s*<\?xml\b[^>]*\?>", "", text, count=1)
    try:
        return lxml.etree.fromstring(text.encode("utf-8"), parser=parser)
    except (lxml.etree.XMLSyntaxError, ValueError) as exc:
        raise SourceError(f"{where}: not a readable RSS or Atom feed ({exc})") from None


def read_feed(text: str, where: str, base: str, latest: int | None = None, since: date | None = None) -> list[Issue]:
    """An RSS 2.0 / RSS 1.0 / Atom feed → one ``Issue`` per item, oldest first."""
    root = _parse_xml(text, where)
    if root is None:
        raise SourceError(f"{where}: not a readable RSS or Atom feed")
    kind = _local(root.tag)
    meta: dict = {"source_kind": "feed", "feed": base}
    entries = []
    if kind == "feed":  # Atom
        meta["publication"] = _text(_child(root, "title"))
        lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
        items = [c for c in root if _local(c.tag) == "entry"]
        for it in items:
            link = None
            for ln in it:
                if _local(ln.tag) == "link" and ln.get("rel", "alternate") == "alternate":
                    link = ln.get("href")
                    break
            content = _atom_content(_child(it, "content")) or _atom_content(_child(it, "summary"))
            entries.append({
                "title": _text(_child(it, "title")), "link": link, "guid": _text(_child(it, "id")),
                "date": _text(_child(it, "published")) or _text(_child(it, "updated")),
                "content": content,
                "author": _text(_child(_child(it, "author"), "name")) if _child(it, "author") is not None else None,
                "summary": _text(_child(it, "summary")),
                "lang": it.get("{http://www.w3.org/XML/1998/namespace}lang") or lang,
            })
    elif kind in ("rss", "RDF"):
        channel = _child(root, "channel")
        if channel is None:
            raise SourceError(f"{where}: RSS feed without a <channel>")
        meta["publication"] = _text(_child(channel, "title"))
        lang = _text(_child(channel, "language")) or _text(_child(channel, "dc:language"))
        items = [c for c in (channel if kind == "rss" else root) if _local(c.tag) == "item"]
        for it in items:
            content = _child(it, "content:encoded")
            desc = _child(it, "description")
            entries.append({
                "title": _text(_child(it, "title")), "link": _text(_child(it, "link")),
                "guid": _text(_child(it, "guid")),
                "date": _text(_child(it, "pubDate")) or _text(_child(it, "dc:date")),
                "content": (content.text if content is not None else None) or (desc.text if desc is not None else None),
                "author": _text(_child(it, "dc:creator")) or _text(_child(it, "author")),
                "summary": _text(desc) if content is not None else None,
                "lang": lang,
            })
    else:
        raise SourceError(f"{where}: not an RSS or Atom feed (root element <{kind}>)")
    if meta.get("publication") and len(meta["publication"]) > MAX_NAME:
        # a channel title is announced in every intro and outro: a 100 000-character one is an attack
        meta["publication"] = meta["publication"][:MAX_NAME].rsplit(" ", 1)[0].strip() or meta["publication"][:MAX_NAME]
    if meta.get("publication") is None:
        meta.pop("publication")
    if not entries:
        raise SourceError(f"{where}: the feed has no items")

    issues = []
    for n, e in enumerate(entries):
        content = e["content"]
        if not content or not content.strip():
            continue
        if not _HTML_TAG.search(content[:100000]):
            content = _plain_to_html(content)
        guid = e["guid"] or e["link"] or f"item-{n + 1}"
        item_meta = dict(meta)
        if e["lang"]:
            item_meta["language"] = e["lang"]
        if e["author"]:
            item_meta["author"] = e["author"]
        if e["summary"]:
            item_meta["summary"] = e["summary"]
        issues.append(Issue(id=guid, source=f"{base}#{guid}", raw_html=content, url=e["link"],
                            published=parse_date(e["date"]), title=e["title"], feed_meta=item_meta))
    if not issues:
        raise SourceError(f"{where}: no item of the feed has any content to read")
    # oldest first: feeds list newest first, but do not trust that
    if all(i.published for i in issues):
        issues.sort(key=lambda i: i.published or "")  # all set: the `or` is for the type checker
        days: list[float] = [(date.fromisoformat(b.published or "") - date.fromisoformat(a.published or "")).days
                for a, b in zip(issues, issues[1:], strict=False)]
        cadence = cadence_from_gaps(days)
        if cadence:  # what the dates show beats what the words suggest
            issues = [replace(i, feed_meta={**i.feed_meta, "cadence": cadence}) for i in issues]
    else:
        issues.reverse()
    return select(issues, latest=latest, since=since, where=where)


def select(issues: list[Issue], latest: int | None = None, since: date | None = None, where: str = "") -> list[Issue]:
    if since is not None:
        # an issue whose date is unknown here is kept: better read twice than silently dropped
        kept = [i for i in issues if not _sort_key(i) or _sort_key(i) >= since.isoformat()]
        if not kept:
            raise SourceError(f"{where}: no issue published on or after {since.isoformat()}")
        issues = kept
    if latest is not None:
        if latest < 1:
            raise SourceError(f"--latest must be at least 1, got {latest}")
        issues = issues[-latest:]
    return issues


# --- files and directories ----------------------------------------------------------------

def size_limit() -> int:
    """The largest source read, in bytes: ``AUDIO_EDITION_MAX_SOURCE_MB`` (default 50 MB)."""
    raw = os.environ.get("AUDIO_EDITION_MAX_SOURCE_MB", "").strip()
    if not raw:
        return MAX_BYTES
    try:
        mb = float(raw)
    except ValueError:
        raise SourceError(f"AUDIO_EDITION_MAX_SOURCE_MB={raw!r}: not a number of megabytes") from None
    if mb <= 0:
        raise SourceError(f"AUDIO_EDITION_MAX_SOURCE_MB={raw!r}: must be more than 0")
    return int(mb * 1024 * 1024)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def _read_bytes(path: Path) -> bytes:
    """A regular file's bytes, at most ``max_bytes()``: a FIFO, a device (``/dev/zero``), a
    socket or a directory is refused without being read, so nothing ever waits or fills memory."""
    limit = size_limit()
    try:
        # O_NONBLOCK: opening a FIFO never waits for a writer; fstat then says what it is
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else
                    "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else
                    "a directory" if stat.S_ISDIR(st.st_mode) else "not a regular file")
            raise SourceError(f"{path}: is {kind}, not a file (give an issue's HTML, .eml or feed file)")
        if st.st_size > limit:
            raise SourceError(f"{path}: file is {_mb(st.st_size)}, larger than the {_mb(limit)} limit "
                              "(AUDIO_EDITION_MAX_SOURCE_MB)")
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:  # it grew while we read
            raise SourceError(f"{path}: larger than the {_mb(limit)} limit (AUDIO_EDITION_MAX_SOURCE_MB)")
        return data
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def _looks_like_eml(data: bytes) -> bool:
    head = data[:2048].lstrip()
    return bool(re.match(rb"(?:[A-Za-z][A-Za-z0-9-]*:[^\n]*\r?\n(?:[ \t][^\n]*\r?\n)*){2,}", head)) and \
        bool(re.search(rb"^(from|subject|date|mime-version|content-type):", head, re.I | re.M)) and \
        not re.match(rb"\s*<", head)


def from_bytes(data: bytes, where: str, *, source: str | None = None, ident: str = "", hint: str = "",
               declared: str | None = None, url: str | None = None, latest: int | None = None,
               since: date | None = None) -> list[Issue]:
    """Bytes of any supported kind (HTML, e-mail, feed) → issues. ``hint`` is a suffix or MIME type."""
    source = source or where
    if not data.strip():
        raise SourceError(f"{where}: the file is empty")
    known = HTML_SUFFIXES | HTML_TYPES | FEED_SUFFIXES | FEED_TYPES
    if hint in EML_SUFFIXES or hint == "message/rfc822" or (hint not in known and _looks_like_eml(data)):
        return select([read_eml(data, where, source=source, ident=ident)], latest=latest, since=since, where=where)
    text = decode_html(data, where, declared, require_tags=False)
    if looks_like_feed(text):
        return read_feed(text, where, base=source, latest=latest, since=since)
    if not _HTML_TAG.search(text[:200000]):
        what = "an RSS or Atom feed" if hint in FEED_SUFFIXES | FEED_TYPES else "an HTML document"
        raise SourceError(f"{where}: not {what} (no HTML tags found)")
    issue = Issue(id=ident or Path(where).stem, source=source, raw_html=text, url=url,
                  feed_meta={"source_kind": "url" if url else "file"})
    return select([issue], latest=latest, since=since, where=where)


def read_file(path: Path, latest: int | None = None, since: date | None = None) -> list[Issue]:
    data = _read_bytes(path)
    return from_bytes(data, str(path), ident=path.stem, hint=path.suffix.lower(), latest=latest, since=since)


_DATE_SNIFF = re.compile(
    r"""(?:article:published_time|datePublished|pubdate|"date")["']?\s*(?:content=|:)\s*["']?(\d{4}-\d{2}-\d{2})"""
    r"""|<time[^>]+datetime=["'](\d{4}-\d{2}-\d{2})""", re.I)


def _sort_key(issue: Issue) -> str:
    if issue.published:
        return issue.published
    m = _DATE_SNIFF.search(issue.raw_html[:300000])
    return (m.group(1) or m.group(2)) if m else ""


def read_directory(path: Path, latest: int | None = None, since: date | None = None) -> list[Issue]:
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in ISSUE_SUFFIXES
                   and not p.name.startswith("."))
    if not files:
        raise SourceError(f"{path}: directory holds no issue files (.html, .eml, .xml feeds)")
    issues: list[Issue] = []
    for p in files:
        issues.extend(read_file(p))
    # oldest first: by publication date when every issue has one, else by file name
    keys = [_sort_key(i) for i in issues]
    if all(keys):
        order = sorted(range(len(issues)), key=lambda n: (keys[n], n))
        issues = [replace(issues[n], published=issues[n].published or keys[n]) for n in order]
    return select(issues, latest=latest, since=since, where=str(path))


# --- URLs ----------------------------------------------------------------------------------

class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        scheme = urllib.parse.urlsplit(newurl).scheme.lower()
        if scheme not in ("http", "https"):
            raise SourceError(f"{redact(req.full_url)}: redirected to a {scheme or 'relative'}: URL, "
                              "only http and https are fetched")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class _Body:
    """The response body, decompressed as it arrives, never past ``limit`` bytes or ``deadline``.

    A gzip or deflate "bomb" (a few KB that inflate to gigabytes) stops at the limit: the
    decompressor is asked for at most what may still be kept.
    """

    def __init__(self, encoding: str, limit: int, shown: str) -> None:
        self.limit, self.shown = limit, shown
        self.chunks: list[bytes] = []
        self.total = 0
        if encoding in ("", "identity"):
            self.inflate = None
        elif encoding in ("gzip", "x-gzip"):
            self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self.inflate = zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header
            self.raw_deflate_tried = False
        else:
            raise SourceError(f"{shown}: the server sent content encoded as {encoding!r}, which is not read")
        self.encoding = encoding

    def _keep(self, data: bytes) -> None:
        self.total += len(data)
        if self.total > self.limit:
            raise SourceError(f"{self.shown}: larger than the {_mb(self.limit)} limit"
                              + (" once decompressed" if self.inflate is not None else ""))
        self.chunks.append(data)

    def feed(self, chunk: bytes) -> None:
        if self.inflate is None:
            self._keep(chunk)
            return
        data = chunk
        while data:
            try:
                out = self.inflate.decompress(data, self.limit - self.total + 1)
            except zlib.error:
                if self.encoding == "deflate" and self.total == 0 and not self.raw_deflate_tried:
                    self.raw_deflate_tried = True  # "deflate" sent without its zlib header
                    self.inflate = zlib.decompressobj(-zlib.MAX_WBITS)
                    continue
                raise SourceError(f"{self.shown}: the {self.encoding} content is corrupt") from None
            self._keep(out)
            data = self.inflate.unconsumed_tail
            if self.inflate.eof:
                break

    def bytes(self) -> bytes:
        return b"".join(self.chunks)


def fetch(url: str, *, timeout: float = FETCH_TIMEOUT,
          max_bytes: int | None = None) -> tuple[bytes, str, str | None, str]:
    """GET ``url`` → (body, content type, charset, final URL), within the limits.

    http and https only (also after redirects, at most MAX_REDIRECTS of them); ``timeout``
    bounds the whole download, not only each read, so a server dripping a byte a second
    cannot hold the build; at most ``max_bytes`` (default: ``size_limit()``) are kept, after
    gzip/deflate decompression. Credentials in the URL never appear in a message.
    """
    limit = max_bytes if max_bytes is not None else size_limit()
    shown = redact(url)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise SourceError(f"{shown}: only http:// and https:// URLs are fetched")
    auth = None
    if parts.username is not None or parts.password is not None:
        # https://user:pass@host/: urllib would read "user:pass@host" as the host name; send
        # the credentials as Basic auth instead, to this host only (never on a redirect)
        import base64

        userinfo = f"{urllib.parse.unquote(parts.username or '')}:{urllib.parse.unquote(parts.password or '')}"
        auth = "Basic " + base64.b64encode(userinfo.encode("utf-8")).decode("ascii")
        netloc = parts.hostname or ""
        if ":" in netloc:
            netloc = f"[{netloc}]"
        if parts.port:
            netloc += f":{parts.port}"
        url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    opener = urllib.request.build_opener(_LimitedRedirects())
    req = urllib.request.Request(url, headers={
        "User-Agent": "audio-edition (newsletter to podcast)",
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                  "application/xml;q=0.9,*/*;q=0.1",
        "Accept-Encoding": "gzip, deflate",
    })
    if auth is not None:
        req.add_unredirected_header("Authorization", auth)
    deadline = time.monotonic() + timeout
    try:
        with opener.open(req, timeout=timeout) as resp:
            ctype = resp.headers.get_content_type().lower()
            charset = resp.headers.get_content_charset()
            final = resp.geturl()
            if ctype not in HTML_TYPES | FEED_TYPES | {"text/plain"}:
                raise SourceError(f"{shown}: content type {ctype} is neither a web page nor a feed")
            length = resp.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > limit:
                raise SourceError(f"{shown}: {_mb(int(length))}, larger than the {_mb(limit)} limit")
            body = _Body((resp.headers.get("Content-Encoding") or "").strip().lower(), limit, shown)
            while True:
                if time.monotonic() > deadline:
                    raise TimeoutError
                chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
                if not chunk:
                    break
                body.feed(chunk)
    except SourceError:
        raise
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            if "not allowed" in str(exc.msg):  # urllib refuses e.g. a redirect to file:// or ftp://
                raise SourceError(f"{shown}: redirected to a non-http URL, only http and https are "
                                  "fetched") from None
            raise SourceError(f"{shown}: too many redirects (more than {MAX_REDIRECTS})") from None
        raise SourceError(f"{shown}: HTTP error {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, SourceError):
            raise reason from None
        if isinstance(reason, TimeoutError):
            raise SourceError(f"{shown}: timed out after {timeout:g} s") from None
        raise SourceError(f"{shown}: cannot fetch ({redact(str(reason))})") from None
    except TimeoutError:
        raise SourceError(f"{shown}: timed out after {timeout:g} s") from None
    except OSError as exc:
        raise SourceError(f"{shown}: cannot fetch ({redact(str(exc.strerror or exc))})") from None
    except (ValueError, http.client.HTTPException) as exc:
        raise SourceError(f"{shown}: cannot fetch ({redact(str(exc)) or type(exc).__name__})") from None
    return body.bytes(), ctype, charset, final


def read_url(url: str, latest: int | None = None, since: date | None = None) -> list[Issue]:
    data, ctype, charset, final = fetch(url)
    shown = redact(url)  # what episode.json, the feed and messages may say: no credentials
    return from_bytes(data, shown, source=shown, ident=shown, hint=ctype, declared=charset, url=redact(final),
                      latest=latest, since=since)


# --- entry point ---------------------------------------------------------------------------

def load(source: str, *, latest: int | None = None, since: str | date | None = None) -> list[Issue]:
    """Read every issue a SOURCE holds, oldest first (``latest``: keep the newest N;
    ``since``: keep issues published on or after that date)."""
    since_d = parse_since(since) if isinstance(since, str) else since
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        return read_url(source, latest=latest, since=since_d)
    path = Path(source)
    if path.is_dir():
        return read_directory(path, latest=latest, since=since_d)
    if not path.exists():
        raise SourceError(f"{path}: no such file or directory")
    return read_file(path, latest=latest, since=since_d)


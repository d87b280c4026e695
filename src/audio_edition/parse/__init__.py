"""HTML → ``Document``: title, date, intro, table of contents, stories, skipped blocks.

``parse_issue(issue, read_captions=False) -> Document`` is the whole interface. The HTML is
loaded without network or entity expansion, cleaned of everything never read, flattened
into reading-order blocks, and then grouped into intro, stories and sections.
"""

from __future__ import annotations

import json
import re

from ..errors import ParseError
from ..models import Block, Document, Issue, Skipped, Story
from .blocks import RawBlock, clean_text, flatten
from .clean import load_html, strip_unread
from .skip import SPONSOR_LABEL, classify, is_ad_link

CONTENT_SELECTORS = [
    "#content-blocks", ".beehiiv__body", ".available-content", ".body.markup", ".gh-content",
    ".post-content", ".entry-content", ".email-body", "article", "main", "[role=main]", "body",
]
CHROME_TAGS = {"nav": "navigation", "header": "navigation", "footer": "footer", "aside": "related"}

_KEYCAP = re.compile(r"^\s*(?:[0-9#*]\ufe0f?\u20e3|\U0001F51F)")
_NUMBERED = re.compile(r"^\s*(?:#?\d{1,3}\s*[.)\-–—:]\s+|#\d{1,3}\s+)")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u20E3\u200D]")
_TOC_INTRO = re.compile(r"(sommaire|au programme|au menu|in (this|today['’]s) (issue|edition)|today['’]s topics|"
                        r"what['’]s inside|dans cette (édition|lettre|newsletter))", re.I)
_TOC_BULLET = re.compile(r"^\s*(👉|→|➡️?|•|–|-|\*|\d{1,2}[.)])\s*")
_GREETING = re.compile(r"^(salut|bonjour|bonsoir|coucou|hello|hi|hey|dear|chers?|chères?|bienvenue|welcome)\b", re.I)
_SECTION_HINT = re.compile(r"(de la semaine|du jour|du mois|of the week|of the day|outil|tool|vidéo|video|"
                           r"en bref|in brief|à retenir|quick hits|links?|liens)", re.I)
_CAPTION_CLASS = re.compile(r"(image__source|caption|credit)", re.I)


def strip_decoration(text: str) -> str:
    """Remove emoji, keycaps and numbering marks around a heading or TOC entry."""
    text = _KEYCAP.sub("", text)
    text = _EMOJI.sub("", text)
    text = _TOC_BULLET.sub("", text)
    return clean_text(text)


def _meta(root, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = root.xpath(f'//meta[@{attr}="{name}"]/@content')
            if found and found[0].strip():
                return found[0].strip()
    return None


def _json_ld(root) -> dict:
    for node in root.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(node.text or "")
        except ValueError:
            continue
        if isinstance(data, list):
            data = next((d for d in data if isinstance(d, dict)), {})
        if isinstance(data, dict):
            return data
    return {}


def _date(value: str | None) -> str | None:
    if not value:
        return None
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})", value)
    return m.group(0) if m else None


def _content_root(root):
    for sel in CONTENT_SELECTORS:
        found = root.cssselect(sel)
        if found:
            return found[0]
    return root


def _heading_like(b: RawBlock) -> bool:
    """A heading tag, or a bold one-line paragraph that reads as a title."""
    if b.level:
        return True
    return b.bold and b.label is None and len(b.text) < 140 and bool(_KEYCAP.match(b.text) or _NUMBERED.match(b.text))


def parse_issue(issue: Issue, read_captions: bool = False) -> Document:
    where = issue.source
    root = load_html(issue.raw_html, where)
    ld = _json_ld(root)
    title_tag = root.find(".//title")
    h1 = root.xpath("//h1")
    title = (
        (clean_text(h1[0].text_content()) if h1 else None)
        or issue.title
        or _meta(root, "og:title", "twitter:title")
        or (ld.get("headline") if isinstance(ld.get("headline"), str) else None)
        or (clean_text(title_tag.text_content()) if title_tag is not None else None)
    )
    if issue.title and title and title != issue.title and not h1:
        title = issue.title
    published = (
        _date(issue.published)
        or _date(_meta(root, "article:published_time", "datePublished", "date"))
        or _date(ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None)
        or _date(next(iter(root.xpath("//time/@datetime")), None))
    )
    lang = (root.get("lang") or issue.feed_meta.get("language") or "fr").split("-")[0].lower() or "fr"
    publication = issue.feed_meta.get("publication") or _meta(root, "og:site_name", "application-name")
    url = issue.url or _meta(root, "og:url") or next(iter(root.xpath('//link[@rel="canonical"]/@href')), None)
    subtitle = _meta(root, "og:description", "description")
    author = _meta(root, "author")

    skipped_raw: list[tuple[str, str]] = []
    body = root.find("body")
    if body is None:
        body = root
    strip_unread(body, skipped_raw)
    content = _content_root(body)
    # page chrome that sits inside the content root
    for tag, kind in CHROME_TAGS.items():
        for el in list(content.iter(tag)):
            text = clean_text(el.text_content())
            if text:
                skipped_raw.append((kind, text))
            if el.getparent() is not None:
                el.getparent().remove(el)

    blocks = flatten(content)
    if not blocks:
        raise ParseError(f"{where}: no readable text found in the HTML")

    # the title and subtitle are read by the intro template, not as blocks
    drop = {t for t in (title, subtitle) if t}
    blocks = [b for b in blocks if not (b.level and b.text in drop) and b.text != title]

    kinds: list[str | None] = []
    for b in blocks:
        kind = classify(b)
        if kind is None and not read_captions and (b.tag == "figcaption" or _CAPTION_CLASS.search(b.classes)):
            kind = "caption"
        kinds.append(kind)

    # extend: a sponsor label or ad heading makes its whole section sponsored; a poll
    # question right before a poll is part of it
    n = len(blocks)
    for i, b in enumerate(blocks):
        if kinds[i] == "poll" and i > 0 and kinds[i - 1] is None and blocks[i - 1].bold:
            kinds[i - 1] = "poll"
    i = 0
    while i < n:
        b = blocks[i]
        sponsor_here = kinds[i] == "sponsor"
        if sponsor_here and (_heading_like(b) or SPONSOR_LABEL.match(b.text)):
            start = i
            j = i + 1
            if not _heading_like(b) and j < n and _heading_like(blocks[j]):
                j += 1  # the label's heading
            while j < n and not (_heading_like(blocks[j]) and classify(blocks[j]) is None):
                j += 1
            for k in range(start, j):
                kinds[k] = "sponsor"
            i = j
            continue
        if sponsor_here and not _heading_like(b):
            # an ad link inside a section: the whole section (back to its heading) is sponsored
            start = i
            while start > 0 and not _heading_like(blocks[start]):
                start -= 1
            if _heading_like(blocks[start]) and start > 0:
                j = i + 1
                while j < n and not _heading_like(blocks[j]):
                    j += 1
                for k in range(start, j):
                    kinds[k] = "sponsor"
                i = j
                continue
        i += 1

    skipped = [Skipped(kind=k, text=t) for k, t in skipped_raw]
    kept: list[RawBlock] = []
    for b, kind in zip(blocks, kinds):
        if kind is None:
            kept.append(b)
        elif kind != "caption" or True:
            skipped.append(Skipped(kind=kind, text=(f"{b.label} : {b.text}" if b.label else b.text)))

    # split into the intro (before the first heading) and headed parts
    first_heading = next((i for i, b in enumerate(kept) if _heading_like(b)), len(kept))
    intro_blocks = kept[:first_heading]
    greeting = None
    intro: list[str] = []
    toc: list[str] = []
    in_toc = False
    digest: list[tuple[str, list[RawBlock]]] = []
    for b in intro_blocks:
        full = f"{b.label} : {b.text}".strip(" :") if b.label else b.text
        if greeting is None and not intro and not toc and len(b.text) < 160 and _GREETING.match(strip_decoration(b.text)):
            greeting = strip_decoration(b.text).rstrip(",;: ")
            continue
        if _TOC_INTRO.search(full) and len(full) < 120:
            in_toc = True
            continue
        if in_toc and (b.tag == "li" or _TOC_BULLET.match(b.text)):
            toc.append(strip_decoration(b.text))
            continue
        in_toc = False
        if b.bold and b.label and not b.text:
            digest.append((b.label, []))  # "Si tu as une minute :" then its items
            continue
        if digest and b.tag == "li":
            digest[-1][1].append(b)
            continue
        intro.append(full)

    parts: list[Story] = []
    for label, items in digest:
        if items:
            parts.append(Story(title=label, blocks=tuple(Block(text=i.text, kind="item") for i in items), kind="section"))

    current: tuple[RawBlock, list[RawBlock]] | None = None
    groups: list[tuple[RawBlock, list[RawBlock]]] = []
    for b in kept[first_heading:]:
        if _heading_like(b):
            current = (b, [])
            groups.append(current)
        elif current is not None:
            current[1].append(b)
    numbered = any(_KEYCAP.match(h.text) or _NUMBERED.match(h.text) for h, _ in groups)
    for heading, body_blocks in groups:
        if not body_blocks:
            continue  # a kicker such as "Si tu as quinze minutes ?" introduces the next heading
        is_numbered = bool(_KEYCAP.match(heading.text) or _NUMBERED.match(heading.text))
        if numbered:
            kind = "story" if is_numbered else "section"
        else:
            kind = "section" if _SECTION_HINT.search(heading.text) else "story"
        story_url = None
        for b in body_blocks:
            for href in b.links:
                if href.startswith(("http://", "https://")) and not is_ad_link(href):
                    story_url = href
                    break
            if story_url:
                break
        parts.append(
            Story(
                title=strip_decoration(heading.text),
                blocks=tuple(
                    Block(text=b.text, label=b.label, kind="item" if b.tag == "li" else "paragraph")
                    for b in body_blocks
                ),
                url=story_url,
                kind=kind,
            )
        )
    if not parts and not intro:
        raise ParseError(f"{where}: found no stories or text to read")
    return Document(
        title=title or "Sans titre",
        language=lang,
        published=published,
        subtitle=subtitle,
        author=author,
        publication=publication,
        url=url,
        greeting=greeting,
        intro=tuple(intro),
        toc=tuple(toc),
        stories=tuple(parts),
        skipped=tuple(skipped),
        platform="beehiiv" if "beehiiv" in issue.raw_html[:200000] else "generic",
    )

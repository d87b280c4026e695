"""HTML → ``Document``: title, date, intro, table of contents, stories, skipped blocks.

``parse_issue(issue, read_captions=False, read_sponsors=False) -> Document`` is the whole
interface. In order:

1. ``clean.load_html``: parse without network or entity expansion, bounded in depth and size;
2. ``platforms.detect``: beehiiv, Substack, Ghost, Mailchimp, Buttondown, else generic;
3. ``meta``: title, date, language, author, publication from the container, the platform's
   header markup, ``<meta>``/JSON-LD, visible bylines, the words themselves;
4. ``clean.strip_unread`` then the platform's chrome selectors: never-read elements go,
   each recorded under ``skipped`` with its kind;
5. ``blocks.flatten`` the post body into reading-order blocks, ``skip.classify`` and
   ``skip.refine`` them (sponsors, polls, calls to action...);
6. ``structure.layout_issue``: header, greeting, intro, TOC, stories, sections, closing.
"""

from __future__ import annotations

import re

from ..errors import ParseError
from ..models import Document, Issue, Skipped
from . import platforms
from .blocks import RawBlock, clean_text, flatten
from .clean import _remove, _skip_subtree, css_hidden_classes, load_html, strip_unread
from .meta import (date_in_text, iso_date, json_ld, ld_name, meta_content, norm, pick_language,
                   strip_site_suffix)
from .skip import SPONSOR_START, TEMPLATE_VAR, classify, refine, strip_template_vars, undecorate
from .structure import layout_issue, strip_decoration

CHROME_TAGS = {"nav": "navigation", "header": "header", "footer": "footer", "aside": "related"}
_CAPTION_CLASS = re.compile(r"(image__source|caption|credit|legend|wp-caption-text)", re.I)
_NOT_TITLES = re.compile(r"^(untitled|sans titre|newsletter|home|accueil|\*\|.*\|\*|\{\{.*\}\})$", re.I)
_ISSUE_ONLY = re.compile(r"^.{0,50}?[\s—–:|·-]*\b(issue|num[ée]ro|n°|no\.|nº|#|[ée]dition|vol\.?|letter|lettre)\s*#?\d+\s*$",
                         re.I)
_FWD = re.compile(r"^\s*((fwd?|tr|re|fw)\s*:\s*)+", re.I)
UNREAD_KINDS_HIDDEN_FROM_LIST = {"image", "separator"}
UNTITLED = {"fr": "Sans titre", "en": "Untitled"}


def _attached(el, root) -> bool:
    top = el
    while top.getparent() is not None:
        top = top.getparent()
    return top is root


def _text_of(el) -> str:
    return clean_text(el.text_content()) if el is not None else ""


def _remove_chrome(body, content, platform: platforms.Platform, skipped: list[tuple[str, str]]) -> None:
    """Remove the platform's and common chrome (never the content root or its ancestors)."""
    protected = {content}
    p = content.getparent()
    while p is not None:
        protected.add(p)
        p = p.getparent()
    html_root = body.getroottree().getroot()
    matches: list = []
    for selector, kind in platform.selectors["skip"]:
        matches.extend((el, kind) for el in selector(body))
    it = body.iter()
    for el in it:  # the common rules, in one pass; a matched element's subtree is not visited
        if not isinstance(el.tag, str) or el in protected:
            continue
        kind = platforms.common_kind(el)
        if kind:
            matches.append((el, kind))
            _skip_subtree(it, el)
    for el, kind in matches:
        if el in protected or not _attached(el, html_root):
            continue
        text = _spaced_text(el)
        if kind == "button":  # a call-to-action box: say which kind when its words tell
            kind = "sponsor" if SPONSOR_START.match(undecorate(text)) else \
                classify(RawBlock(tag="p", text=text)) or "button"
        if text:
            skipped.append((kind, text[:500]))
        if kind in ("poll", "sponsor"):
            # leave a marker: a poll's question or a sponsor's label sits just before it
            marker = el.makeelement("hr", {"class": f"ae-skipped-{kind}"})
            marker.tail = el.tail
            el.addprevious(marker)
            el.tail = None
        _remove(el)
    for tag, kind in CHROME_TAGS.items():
        for el in list(content.iter(tag)):
            if el is content or not _attached(el, html_root):
                continue
            text = _text_of(el)
            if text:
                skipped.append((kind, text[:500]))
            _remove(el)


_LEAFY = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "div", "span", "li", "a", "time", "small"}
_BLOCKISH = {"p", "div", "td", "table", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "section"}
_COPYRIGHT = re.compile(r"(?:(?:copyright\s*)?(?:©|\(c\))|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?,?\s*([^\n.,|·\d]{2,40}?)"
                        r"\s*(?=\s\d|[.,|·]\s|[.,|·]?$|\s+-\s+|\s+all rights|\s+tous droits)", re.I)


def _texts_outside(body, content, limit: int = 60) -> tuple[list[str], list[str]]:
    """Short visible texts before and after the content root: an e-mail's header and footer
    cells, a page's masthead. Used for the date, the publication's name, and the skipped list."""
    before: list[str] = []
    after: list[str] = []
    if content is body:
        return before, after
    out = before
    inside = False
    for el in body.iter():
        if el is content:
            inside = True
            continue
        if inside:
            if content in el.iterancestors():
                continue
            inside = False
            out = after
        if len(out) >= limit or not isinstance(el.tag, str) or el.tag.lower() not in _LEAFY:
            continue
        if any(isinstance(c.tag, str) and c.tag.lower() in _BLOCKISH for c in el):
            continue
        text = _spaced_text(el)
        if text and len(text.split()) <= 60 and (not out or out[-1] != text) and not \
                (out and text in out[-1]):
            out.append(text)
    return before, after


def _spaced_text(el) -> str:
    return clean_text(" ".join(el.itertext()))


_ISSUE_PREFIX = re.compile(r"^(.{2,40}?)\s*(?:#|n°|no\.|nº|issue|numéro|édition|edition|vol\.)\s*\d+", re.I)
_SUBSCRIBED_TO = re.compile(r"(?:subscribed to|signed up for|abonn[ée]e?s? [àa]|inscrite? [àa]) "
                            r"([A-ZÀ-Ý][^.,!;:()\n]{1,40}?)(?:\s*[.,!;:(]|\s+(?:on|via|sur|par|because)\b|$)")


# "© 2022 Andrew Methven Unsubscribe": the footer's links run on after the name
_TRAILING_CTA = re.compile(r"(\s+(unsubscribe|se d[ée]sabonner|d[ée]sabonnement|d[ée]sinscription|manage|g[ée]rer|"
                           r"preferences|pr[ée]f[ée]rences|privacy|view online|voir en ligne))+\s*$", re.I)


def _guess_publication(titles: list[str | None], footer_texts: list[str]) -> str | None:
    """The newsletter's name when nothing declares it: "Tiny Tools #203: ..." in the title,
    "© 2025 MAMMAM IA!" or "you subscribed to Tiny Tools" in the footer."""
    for title in titles:
        m = _ISSUE_PREFIX.match(title or "")
        if m and 1 <= len(m.group(1).split()) <= 5:
            return m.group(1).strip(" -–—:·|")
    for text in footer_texts:
        m = _COPYRIGHT.search(text)
        name = _TRAILING_CTA.sub("", m.group(1)).strip() if m else ""
        if name and len(name.split()) <= 5:
            return name
    for text in footer_texts:
        m = _SUBSCRIBED_TO.search(text)
        if m and len(m.group(1).split()) <= 5:
            return m.group(1).strip()
    return None


def _cards_as_lines(body, platform: platforms.Platform) -> None:
    """Link cards (title, description, site, thumbnail) become one paragraph each, "Title.
    Description.", when there are several: a list of posts. A lone card is an aside, left to
    the platform's skip rules."""
    for card_sel, title_sel, desc_sel in platform.selectors["cards"]:
        cards = card_sel(body)
        if len(cards) < 2:
            continue
        for card in cards:
            title = next((_text_of(t) for t in title_sel(card)), "")
            desc = next((_text_of(d) for d in desc_sel(card)), "")
            if not title:
                continue
            line = card.makeelement("p", {})
            line.text = title if not desc else f"{title.rstrip('.!?')}. {desc}"
            line.tail = card.tail
            card.addprevious(line)
            card.tail = None
            _remove(card)


def _content_root(body, platform: platforms.Platform):
    total = len(_text_of(body)) or 1
    for p in (platform, platforms.GENERIC) if platform is not platforms.GENERIC else (platform,):
        for sel in p.selectors["content"]:
            for el in sel(body)[:3]:
                if len(_text_of(el)) >= 0.25 * total:
                    return el
    return body


def parse_issue(issue: Issue, read_captions: bool = False, read_sponsors: bool = False,
                default_language: str = "fr") -> Document:
    where = issue.source
    root = load_html(issue.raw_html, where)
    platform = platforms.detect(issue.raw_html)
    ld = json_ld(root)
    hidden_classes = css_hidden_classes(root)

    # --- metadata from <head> and the container ------------------------------------------------
    site = (issue.feed_meta.get("publication") or meta_content(root, "og:site_name", "application-name")
            or ld_name(ld.get("publisher")))
    og_title = meta_content(root, "og:title", "twitter:title")
    title_tag = next(iter(root.iter("title")), None)
    tag_title = _text_of(title_tag) or None
    html_lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    declared_lang = [html_lang, issue.feed_meta.get("language"), meta_content(root, "content-language", "og:locale",
                                                                                "language", "dc.language")]
    meta_date = iso_date(meta_content(root, "article:published_time", "og:published_time", "datePublished",
                                      "date", "dc.date", "dcterms.created", "publish-date", "pubdate",
                                      "sailthru.date", "parsely-pub-date"))
    ld_date = iso_date(ld.get("datePublished") if isinstance(ld.get("datePublished"), str) else None)
    url = next((u for u in (issue.url, meta_content(root, "og:url"),
                            next(iter(root.xpath('//link[@rel="canonical"]/@href')), None))
                if isinstance(u, str) and re.match(r"(?i)https?://[^/\s]", u.strip())), None)  # never javascript:/file:
    meta_subtitle = meta_content(root, "og:description", "description", "twitter:description")
    author = (issue.feed_meta.get("author") or meta_content(root, "author", "article:author")
              or ld_name(ld.get("author")))
    if author and author.startswith(("http://", "https://")):
        author = None

    body = root.find("body")
    if body is None:
        body = root
    skipped_raw: list[tuple[str, str]] = []
    preheader = strip_unread(body, skipped_raw, hidden_classes)

    # --- platform header markup (after hidden parts are gone) ----------------------------------
    el = platform.first(body, "title")
    h1 = _text_of(el) or None
    sub_el = platform.first(body, "subtitle")
    subtitle = _text_of(sub_el) or None
    date_el = platform.first(body, "date")
    platform_date = None
    if date_el is not None:
        platform_date = iso_date(date_el.get("datetime")) or date_in_text(_text_of(date_el))
    author = author or (_text_of(platform.first(body, "author")) or None)
    publication = site or (_text_of(platform.first(body, "publication")) or None)

    is_web = bool(og_title or ld)
    if issue.title:
        title = _FWD.sub("", issue.title).strip()
    elif is_web:
        og = strip_site_suffix(og_title, site) if og_title else None
        if h1 and (not og or norm(h1) == norm(og) or norm(h1) in norm(og)):
            title = h1
        else:
            title = og or (ld.get("headline") if isinstance(ld.get("headline"), str) else None) or h1
    else:
        # an e-mail: its <title> is the subject, unless it only says "Newsletter — Issue 31"
        tt = strip_site_suffix(tag_title, site) if tag_title else None
        if tt and len(tt.split()) >= 2 and not _NOT_TITLES.match(tt) and not TEMPLATE_VAR.search(tt) \
                and not (h1 and _ISSUE_ONLY.match(tt)):
            title = tt
        else:
            title = h1 or tt
    if not title and tag_title:
        title = tag_title
    title = clean_text(title) if title else None
    if subtitle is None:
        subtitle = issue.feed_meta.get("summary") if len(issue.feed_meta.get("summary") or "") < 400 else None
    subtitle = subtitle or meta_subtitle or preheader

    # --- content ---------------------------------------------------------------------------------
    content = _content_root(body, platform)
    _cards_as_lines(body, platform)
    n_hidden = len(skipped_raw)
    _remove_chrome(body, content, platform, skipped_raw)
    before, after = _texts_outside(body, content)
    header_texts = [t for k, t in skipped_raw[n_hidden:] if k == "header" and len(t.split()) <= 20] + before
    # outside the post body: say what it is when the words tell, else header / footer
    skipped_raw.extend((classify(RawBlock(tag="p", text=t)) or "header", t) for t in before)
    skipped_raw.extend((classify(RawBlock(tag="p", text=t)) or "footer", t) for t in after)
    blocks = flatten(content)
    for b in blocks:
        if TEMPLATE_VAR.search(b.text):
            stripped = strip_template_vars(b.text)
            if re.search(r"\w", stripped):  # "Bonjour {{first_name}}," → "Bonjour,"
                b.text = stripped
        if b.label and TEMPLATE_VAR.search(b.label):
            b.label = strip_template_vars(b.label) or None
    if not any(b.text for b in blocks):
        raise ParseError(f"{where}: no readable text found in the HTML")

    kinds: list[str | None] = []
    for b in blocks:
        kind = None if b.separator else classify(b)
        if kind is None and (b.tag in ("figcaption", "caption") or _CAPTION_CLASS.search(b.classes)):
            kind = None if read_captions else "caption"
            if read_captions:
                b.tag = "figcaption"
        kinds.append(kind)
    refine(blocks, kinds)

    skipped = [Skipped(kind=k, text=t) for k, t in skipped_raw]
    kept: list[RawBlock] = []
    sponsor_run: list[RawBlock] | None = None
    for b, kind in zip(blocks, kinds):
        if kind == "sponsor" and read_sponsors:
            if sponsor_run is None:
                sponsor_run = []
                kept.append(RawBlock(tag="sponsor", text="sponsor", run=sponsor_run))
            sponsor_run.append(b)
            continue
        sponsor_run = None
        if kind is None:
            kept.append(b)
        elif kind not in UNREAD_KINDS_HIDDEN_FROM_LIST and (b.text or b.label):
            skipped.append(Skipped(kind=kind, text=b.full_text()))

    visible_text = " ".join(b.full_text() for b in kept[:400])
    lang = pick_language(declared_lang, visible_text, default_language)
    layout = layout_issue(kept, title=title, subtitle=subtitle, preheader=preheader, author=author,
                          publication=publication, lang=lang)
    skipped.extend(layout.skipped)
    if not layout.parts and not layout.intro and not layout.greeting:
        raise ParseError(f"{where}: found no stories or text to read")
    # the page's own metadata before the platform's date markup, which a related-post card may also carry
    published = (iso_date(issue.published) or meta_date or ld_date or platform_date or layout.date_hint
                 or next((d for d in (date_in_text(t, lang) for t in header_texts if len(t.split()) <= 20) if d), None)
                 or next((d for d in (date_in_text(s.text, lang) for s in skipped if s.kind == "byline") if d), None)
                 or iso_date(next(iter(root.xpath("//time/@datetime")), None)))
    if not publication:
        publication = _guess_publication([title, tag_title], [t for k, t in skipped_raw if k in ("footer", "header")]
                                         + [s.text for s in skipped if s.kind == "footer"])
    if not title:
        first = next((s.title for s in layout.parts), None)
        title = first or UNTITLED.get(lang, UNTITLED["en"])
    return Document(
        title=title,
        language=lang,
        published=published,
        subtitle=subtitle,
        author=author or layout.author_hint,
        publication=publication,
        url=url,
        greeting=layout.greeting,
        intro=tuple(layout.intro),
        toc=tuple(layout.toc),
        stories=tuple(layout.parts),
        skipped=tuple(skipped),
        platform=platform.name,
        warnings=tuple(layout.warnings),
        closing=tuple(layout.closing),
    )


__all__ = ["parse_issue", "strip_decoration"]

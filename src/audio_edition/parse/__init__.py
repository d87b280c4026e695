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
from dataclasses import replace

from ..errors import ParseError
from ..models import Document, Issue, Skipped, Story
from . import platforms
from .blocks import INVISIBLE_SIZE, RawBlock, clean_text, flatten
from .clean import _remove, _skip_subtree, css_hidden_classes, load_html, strip_unread
from .language import passage_language
from .meta import (
    date_in_text,
    detect_cadence,
    iso_date,
    json_ld,
    ld_name,
    meta_content,
    norm,
    pick_language,
    publication_from_sender,
    strip_site_suffix,
)
from .skip import SPONSOR_START, TEMPLATE_VAR, classify, refine, strip_template_vars, undecorate
from .structure import layout_issue, strip_decoration

CHROME_TAGS = {"nav": "navigation", "header": "header", "footer": "footer", "aside": "related"}
_CAPTION_CLASS = re.compile(r"(image__source|caption|credit|legend|wp-caption-text)", re.I)
_NOT_TITLES = re.compile(r"^(untitled|sans titre|newsletter|home|accueil|\*\|.*\|\*|\{\{.*\}\})$", re.I)
_ISSUE_ONLY = re.compile(r"^.{0,50}?[\s—–:|·-]*\b(issue|num[ée]ro|n°|no\.|nº|#|[ée]dition|vol\.?|letter|lettre)"
                         r"\s*#?\d+\s*$",
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
        kind = platforms.common_kind(el) or ("button" if platforms.is_button(el) else None)
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
_COPYRIGHT = re.compile(r"(?:(?:copyright\s*)?(?:©|\(c\))|copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?\s*)?,?\s*"
                        r"([^\n.,|·\d]{2,40}?)"
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


_MONTH_ONLY = re.compile(r"^(janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[ûu]t|septembre|octobre|novembre|"
                         r"d[ée]cembre|january|february|march|april|may|june|july|august|september|october|"
                         r"november|december)(\s+\d{4})?\s*$", re.I)


def _guess_publication(titles: list[str | None], footer_texts: list[str]) -> str | None:
    """The newsletter's name when nothing declares it: "Tiny Tools #203: ..." in the title,
    "© 2025 MAMMAM IA!" or "you subscribed to Tiny Tools" in the footer."""
    for title in titles:
        m = _ISSUE_PREFIX.match(title or "")
        name = m.group(1).strip(" -–—:·|") if m else ""
        if name and 1 <= len(name.split()) <= 5:
            return name
        # "La Gazette du Vélo – novembre", "Harbour Town Bulletin - March 2025": the name, then the date
        m = re.match(r"^(.{3,50}?)\s+[-–—|]\s+(.+)$", title or "")
        if m and 1 <= len(m.group(1).split()) <= 6 and (date_in_text(m.group(2)) or _MONTH_ONLY.match(m.group(2))):
            return m.group(1).strip()
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


_FORWARD_ATTR = re.compile(r"(^|\s)(gmail_attr|moz-forward-header|divRplyFwdMsg|forwarded-header)(\s|$)", re.I)
_FORWARD_LINE = re.compile(r"^\s*-{3,}\s*(forwarded message|message transf[ée]r[ée]|original message|"
                           r"message d['’]origine|message original)\s*-{3,}|^\s*(d[ée]but du message "
                           r"r[ée]exp[ée]di[ée]|"
                           r"begin forwarded message)\s*:", re.I)
_FORWARD_FIELD = re.compile(r"(?:^|\s)(de|from|date|envoy[ée]|sent|subject|objet|sujet)\s*:\s*(.*?)"
                            r"(?=\s(?:de|from|date|envoy[ée]|sent|subject|objet|sujet|to|[àa]|cc)\s*:|$)", re.I)


def _forwarded(body, skipped: list[tuple[str, str]]) -> dict[str, str]:
    """An issue forwarded by a reader (Gmail, Apple Mail, Outlook, Thunderbird): the mail
    client's header gives the newsletter's sender, date and subject, and the forwarder's own
    note above it is not the newsletter's. Removes both; returns the header's fields."""
    attr = None
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        if _FORWARD_ATTR.search(el.get("class") or el.get("id") or ""):
            attr = el
            break
        if el.text and "-----" in el.text and _FORWARD_LINE.match(el.text) or \
                el.text and ("message" in el.text.lower()) and _FORWARD_LINE.match(el.text):
            attr = el
            break
    if attr is None:
        return {}
    text = _spaced_text(attr)
    fields: dict[str, str] = {}
    for name, value in _FORWARD_FIELD.findall(text):
        key = {"de": "from", "envoyé": "date", "envoye": "date", "sent": "date", "objet": "subject",
               "sujet": "subject"}.get(name.lower(), name.lower())
        fields.setdefault(key, value.strip())
    # the forwarder's note: everything before the header that is not one of its ancestors
    node = attr
    while node is not None and node is not body:
        parent = node.getparent()
        for sib in list(node.itersiblings(preceding=True)):
            note = _spaced_text(sib)
            if note:
                skipped.append(("forward-note", note[:500]))
            _remove(sib)
        if parent is not None and parent.text and parent.text.strip():
            skipped.append(("forward-note", clean_text(parent.text)[:500]))
            parent.text = None
        node = parent
    skipped.append(("boilerplate", text[:500]))
    _remove(attr)
    return fields


def _content_root(body, platform: platforms.Platform):
    total = len(_text_of(body)) or 1
    for p in (platform, platforms.GENERIC) if platform is not platforms.GENERIC else (platform,):
        for sel in p.selectors["content"]:
            for el in sel(body)[:3]:
                if len(_text_of(el)) >= 0.25 * total:
                    return el
    return body


def _with_languages(story: Story, lang: str) -> Story:
    """Each block of a story tagged with its language when it is not the issue's."""
    blocks = []
    changed = False
    for b in story.blocks:
        other = passage_language(b.full_text(), lang)
        if other:
            b = replace(b, language=other)
            changed = True
        blocks.append(b)
    return replace(story, blocks=tuple(blocks)) if changed else story


_LOGIN_WORDS = re.compile(
    r"\b(sign[- ]?in|log[- ]?in|se connecter|connectez-vous|connexion|identifiez-vous|mot de passe|password|"
    r"create an account|cr[ée]er un compte|subscribe to (read|continue)|abonnez-vous pour lire|r[ée]serv[ée]e? aux "
    r"(abonn[ée]s|membres)|for (paid )?subscribers only|members only|this (post|article) is for (paid )?subscribers)\b",
    re.I)
LOGIN_WALL_WORDS = 150  # a sign-in page says little else; a real issue that mentions logging in says much more


def _login_wall(root, where: str) -> None:
    """A sign-in or paywall page saved instead of the issue: one line saying so."""
    password = bool(root.xpath("//input[translate(@type,'PASSWORD','password')='password']"))
    if not password and not _LOGIN_WORDS.search(root.text_content()):
        return
    body = root.find("body")
    text = clean_text(" ".join((body if body is not None else root).itertext()))
    words = len(text.split())
    if (password and words < LOGIN_WALL_WORDS) or (words < 60 and len(_LOGIN_WORDS.findall(text)) >= 2):
        what = "a sign-in form" if password else "a sign-in or subscribers-only page"
        raise ParseError(f"{where}: {what}, not a newsletter issue ({words} words: "
                         f"{text[:60].rstrip()}…); save the issue itself: the e-mail, or the page once signed in")


def parse_issue(issue: Issue, read_captions: bool = False, read_sponsors: bool = False,
                default_language: str = "fr") -> Document:
    where = issue.source
    root = load_html(issue.raw_html, where)
    _login_wall(root, where)
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
    forwarded = _forwarded(body, skipped_raw)
    if forwarded.get("from"):
        sender = re.sub(r"\s*<[^>]*>\s*$|\s*\S+@\S+\s*$", "", forwarded["from"]).strip(" \"'")
        site = publication_from_sender(sender) or site
    if forwarded.get("date") and date_in_text(forwarded["date"]):
        issue = replace(issue, published=date_in_text(forwarded["date"]))

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
    title: str | None
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
        if tt and h1 and norm(tt) != norm(h1) and norm(tt).startswith(norm(h1)) and \
                re.match(r"^\s*[|·•—–-]\s*\S", tt[len(h1):] if tt.startswith(h1) else "-x"):
            tt = h1  # "Issue 41: Tiny databases | Data Gardening": the page's title is the heading and the site
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
    blocks = []
    for b in flatten(content):
        if b.size is not None and b.size < INVISIBLE_SIZE and b.text:
            skipped_raw.append(("hidden", b.full_text()[:500]))  # text set at one or two pixels
        else:
            blocks.append(b)
    for b in blocks:
        if TEMPLATE_VAR.search(b.text):
            stripped = strip_template_vars(b.text)
            if re.search(r"\w", stripped):  # "Bonjour {{first_name}}," → "Bonjour,"
                b.text = stripped
        if b.label and TEMPLATE_VAR.search(b.label):
            b.label = strip_template_vars(b.label) or None
    if not any(b.text for b in blocks):
        raise ParseError(f"{where}: an empty page (no readable text in the HTML)")

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
    for b, kind in zip(blocks, kinds, strict=False):
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
                 # a post header that holds title, byline and date in one box ("Sarah Morel · 2 oct. 2025")
                 or next((d for d in (date_in_text(" ".join(t.split()[:60]), lang) for k, t in skipped_raw
                                      if k == "header") if d), None)
                 or iso_date(next(iter(root.xpath("//time/@datetime")), None)))
    if not publication:
        publication = _guess_publication([title, tag_title], [t for k, t in skipped_raw if k in ("footer", "header")]
                                         + [s.text for s in skipped if s.kind == "footer"])
    parts = [_with_languages(story, lang) for story in layout.parts]
    # what the letter says of itself, furniture included ("How did you like today's newsletter?")
    said = [title or "", subtitle or "", *layout.intro, *layout.closing, *(t for _, t in skipped_raw),
            *(x.text for x in skipped)]
    cadence = issue.feed_meta.get("cadence") or detect_cadence(said)
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
        stories=tuple(parts),
        skipped=tuple(skipped),
        platform=platform.name,
        warnings=tuple(layout.warnings),
        closing=tuple(layout.closing),
        cadence=cadence,
    )


__all__ = ["parse_issue", "strip_decoration"]

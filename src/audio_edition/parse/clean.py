"""Load HTML safely and drop everything that is never read.

lxml's HTML parser never fetches anything and never expands entities declared in a DTD.
libxml2 stops at 256 levels of nesting (the rest of the document would silently vanish), so
a document that hits the limit is re-parsed after its excess nesting is flattened. Big
inputs are first stripped of what is never read anyway (scripts, styles, comments, inline
``data:`` images); what remains must fit ``MAX_PARSE_CHARS`` so memory stays bounded.

``strip_unread`` removes ``<script>``, ``<style>``, ``<template>``, ``<noscript>``, forms and
media, comments, and anything hidden (``hidden``, ``aria-hidden="true"``, ``display:none``,
``visibility:hidden``, zero-size e-mail preheaders).
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ..errors import ParseError

MAX_PARSE_CHARS = 8 * 1024 * 1024  # HTML left after stripping scripts, styles and inline images
BIG_INPUT = 2 * 1024 * 1024  # above this, strip the never-read parts with regexes before parsing
MAX_DEPTH = 200

NEVER_READ_TAGS = {"script", "style", "template", "noscript", "svg", "iframe", "form", "button", "input",
                   "select", "textarea", "object", "embed", "canvas", "video", "audio", "map", "dialog",
                   "link", "meta", "title", "base", "math", "picture", "source"}
_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0(?![.\d]*[1-9])|mso-hide\s*:\s*all|"
    r"opacity\s*:\s*0(?:\.0+)?\s*(?:!important\s*)?(?:;|$)", re.I)
_HIDDEN_CLASS = re.compile(r"(^|\s)(hidden|d-none|sr-only|visually-hidden|screen-reader-text|preheader|"
                           r"preview-text|mcnPreviewText|email-preheader|is-hidden|u-hidden)(\s|$)", re.I)
_STRIP_BIG = re.compile(
    r"<script\b(?![^>]*application/ld\+json)[^>]*>.*?</script\s*>|<style\b[^>]*>.*?</style\s*>|<!--.*?-->|"
    r"""(?<=\s)(?:src|srcset|href|style|data-[\w-]+)\s*=\s*(?:"data:[^"]*"|'data:[^']*')""",
    re.I | re.S)
_DEPTH_ERROR = "Excessive depth"
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
         "track", "wbr", "keygen", "command"}
_KEEP_DEEP = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li"}  # blocks that never nest in themselves
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\b[^>]*?(/?)>")


def _flatten_depth(html: str, limit: int = MAX_DEPTH) -> str:
    """Drop opening and closing tags nested deeper than ``limit`` (text is kept)."""
    out: list[str] = []
    pos = 0
    stack: list[tuple[str, bool]] = []  # (tag name, dropped)
    for m in _TAG.finditer(html):
        closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
        if name in _VOID or selfclose:
            continue
        if not closing:
            if len(stack) >= limit and name not in _KEEP_DEEP:
                out.append(html[pos:m.start()])
                pos = m.end()
                stack.append((name, True))
            else:
                stack.append((name, False))
            continue
        for k in range(len(stack) - 1, -1, -1):
            if stack[k][0] == name:
                dropped = stack[k][1]
                del stack[k:]
                if dropped:
                    out.append(html[pos:m.start()])
                    pos = m.end()
                break
    out.append(html[pos:])
    return "".join(out)


def _parse(raw_html: str):
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True,
                                  huge_tree=False, default_doctype=False)
    root = lxml.html.document_fromstring(raw_html, parser=parser)
    errors = [e.message for e in parser.error_log if _DEPTH_ERROR in (e.message or "")]
    return root, bool(errors)


def load_html(raw_html: str, where: str) -> lxml.html.HtmlElement:
    if not raw_html or not raw_html.strip():
        raise ParseError(f"{where}: the file is empty")
    if len(raw_html) > BIG_INPUT:
        raw_html = _STRIP_BIG.sub("", raw_html)
        if len(raw_html) > MAX_PARSE_CHARS:
            raise ParseError(f"{where}: too large to read as one issue ({len(raw_html) / (1024 * 1024):.0f} MB of "
                             f"HTML once scripts, styles and inline images are removed; the limit is "
                             f"{MAX_PARSE_CHARS // (1024 * 1024)} MB)")
    if "\x00" in raw_html:
        raw_html = raw_html.replace("\x00", "")
    try:
        root, too_deep = _parse(raw_html)
        if too_deep:
            root, _ = _parse(_flatten_depth(raw_html))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(f"{where}: not readable as HTML ({exc})") from None
    if root is None:
        raise ParseError(f"{where}: not readable as HTML")
    if "m_" in raw_html:
        _unprefix_gmail_classes(root)
    return root


_GMAIL_PREFIX = re.compile(r"(?<![\w-])m_-?\d+_?(?=[A-Za-z])")


def _unprefix_gmail_classes(root) -> None:
    """An issue forwarded from Gmail has every class renamed ``m_<digits>post-header``: give
    them back their platform names, so that the platform's markup is recognised."""
    for el in root.iter():
        cls = el.get("class") if isinstance(el.tag, str) else None
        if cls and "m_" in cls:
            el.set("class", _GMAIL_PREFIX.sub("", cls))


_MEDIA = re.compile(r"@(media|supports)[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_CLASS = re.compile(r"^\s*[a-z0-9]*\.([A-Za-z_][\w-]*)\s*$")


def css_hidden_classes(root) -> frozenset[str]:
    """Classes that a page's own ``<style>`` hides unconditionally (``.x { display: none }``)."""
    found: set[str] = set()
    for style in root.iter("style"):
        css = _MEDIA.sub("", style.text or "")
        for selectors, body in _RULE.findall(css):
            if not _HIDDEN_STYLE.search(body):
                continue
            for sel in selectors.split(","):
                m = _SIMPLE_CLASS.match(sel)
                if m:
                    found.add(m.group(1))
    return frozenset(found)


def is_hidden(el, hidden_classes: frozenset[str] = frozenset()) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").strip().lower() == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    cls = el.get("class")
    if not cls:
        return False
    if _HIDDEN_CLASS.search(cls):
        return True
    return bool(hidden_classes) and any(c in hidden_classes for c in cls.split())


def _remove(el) -> None:
    """Remove ``el`` but keep its tail text, which belongs to the parent."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail and el.tail.strip():
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def strip_unread(root, skipped: list | None = None, hidden_classes: frozenset[str] = frozenset()) -> str | None:
    """Remove never-read elements in place (iteratively: no recursion limit).

    Returns the text of the first hidden block when it comes before any visible text: an
    e-mail preheader, which often repeats the subtitle.
    """
    doomed = []
    preheader = None
    seen_text = False
    it = root.iter()
    for el in it:
        if not isinstance(el.tag, str):  # comments, processing instructions, entities
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if tag in NEVER_READ_TAGS or tag == "head":
            doomed.append(el)
            _skip_subtree(it, el)
            continue
        if tag not in ("html", "body") and is_hidden(el, hidden_classes):
            text = " ".join(el.text_content().split())
            text = re.sub("[\u200b-\u200f\u2060\ufeff\u034f\u00ad]", "", text).strip()
            if text:
                if preheader is None and not seen_text:
                    preheader = text
                if skipped is not None:
                    skipped.append(("hidden", text[:500]))
            doomed.append(el)
            _skip_subtree(it, el)
            continue
        if not seen_text and el.text and el.text.strip() and tag not in ("html", "body"):
            seen_text = True
    for el in doomed:
        _remove(el)
    return preheader


def _skip_subtree(it, el) -> None:
    """Advance the ``root.iter()`` iterator past ``el``'s descendants."""
    last = None
    for last in el.iterdescendants():
        pass
    if last is None:
        return
    for node in it:
        if node is last:
            return

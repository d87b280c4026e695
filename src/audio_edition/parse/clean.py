"""Load HTML safely and drop everything that is never read.

lxml's HTML parser never fetches anything and never expands entities declared in a DTD.
libxml2 stops at 256 levels of nesting (the rest of the document would silently vanish), so
a document that hits the limit is re-parsed after its excess nesting is flattened. Big
inputs are first stripped of what is never read anyway (scripts, styles, comments, inline
``data:`` images); what remains must fit ``MAX_PARSE_CHARS`` so memory stays bounded.

``strip_unread`` removes ``<script>``, ``<style>``, ``<template>``, ``<noscript>``, forms and
media, comments, and anything hidden (``hidden``, ``aria-hidden="true"``, ``display:none``,
``visibility:hidden``, zero-size e-mail preheaders). Nothing of that kind may take the issue
with it: an embed left open (``<iframe>``, ``<object>``, ``<video>``...) is closed where it
opens, and a form or ``<noscript>`` that holds headings or many words is unwrapped, not removed.
An XML declaration before the HTML is dropped (the text is already decoded).
"""

from __future__ import annotations

import bisect
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
# elements that, left unclosed (as e-mail HTML often leaves an embedded player), make libxml2 swallow
# everything after them: as raw text (iframe, textarea...) or as children removed with them
WRAPPERS = ("iframe", "object", "embed", "video", "audio", "noscript", "noembed", "noframes", "canvas",
            "textarea", "select", "button", "map", "dialog", "picture", "title")
# HTML5 void elements libxml2 does not know, so it makes all that follows their children
VOID5 = ("source", "track", "wbr", "keygen")
_WRAPPER_OPEN = re.compile(r"<(" + "|".join(WRAPPERS + VOID5) + r")\b[^>]*?(/?)>", re.I)
_CONTENT_TAG = re.compile(r"<(?:p|h[1-6]|div|table|tr|td|li|ul|ol|article|section|blockquote)\b", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
FALLBACK_WORDS = 40  # a player's fallback text ("your browser does not support video") is shorter


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


def _wrapped_is_content(inner: str) -> bool:
    """What sits between ``<iframe>`` and ``</iframe>`` is content, not a fallback, when it holds
    headings or several blocks or many words: the element was left open and its closer is another's."""
    if re.search(r"<h[1-6]\b", inner, re.I) or len(_CONTENT_TAG.findall(inner)) >= 2:
        return True
    return len(_ANY_TAG.sub(" ", inner).split()) > FALLBACK_WORDS


def close_wrappers(html: str) -> str:
    """Close right after its opening tag every embed-like element (``WRAPPERS``) that is not
    closed, or whose "content" is really the rest of the issue; a short fallback stays inside."""
    opens: dict[str, list[int]] = {}
    matches = list(_WRAPPER_OPEN.finditer(html))
    for m in matches:
        opens.setdefault(m.group(1).lower(), []).append(m.start())
    closes = {name: [c.start() for c in re.finditer(rf"</{name}\s*>", html, re.I)] for name in opens}
    out: list[str] = []
    pos = 0
    for m in matches:
        if m.start() < pos:
            continue
        name = m.group(1).lower()
        after = closes[name]
        k = bisect.bisect_left(after, m.end())
        close = after[k] if k < len(after) else None
        reopened = False
        if close is not None:
            nxt = bisect.bisect_right(opens[name], m.start())
            reopened = nxt < len(opens[name]) and opens[name][nxt] < close
        if m.group(2) or name in VOID5 or close is None or reopened or _wrapped_is_content(html[m.end():close]):
            out.append(html[pos:m.end()] + f"</{name}>")
            pos = m.end()
        else:
            end = html.index(">", close) + 1
            out.append(html[pos:end])
            pos = end
    out.append(html[pos:])
    return "".join(out)


_XML_DECLARATION = re.compile(r"^\s*<\?xml\b[^>]*\?>", re.I)


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
    if raw_html.startswith("\ufeff"):
        raw_html = raw_html[1:]
    # an XHTML e-mail template's <?xml ... encoding="utf-8"?>: the text is already decoded
    raw_html = _XML_DECLARATION.sub("", raw_html, count=1)
    if _WRAPPER_OPEN.search(raw_html):
        raw_html = close_wrappers(raw_html)
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


UNWRAP_WHEN_CONTENT = {"form", "noscript", "object", "embed", "video", "audio", "canvas", "picture", "map", "dialog"}


def _holds_content(el) -> bool:
    """A never-read wrapper that holds the issue itself (an ASP.NET page's <form>, an article in
    <noscript>): headings, or more words than any sign-up form or player fallback."""
    if next(el.iter("h1", "h2", "h3", "h4", "h5", "h6"), None) is not None:
        return True
    words = 0
    stack = [el]
    while stack and words <= FALLBACK_WORDS:  # the words a reader would see: no <select> options, no script
        node = stack.pop()
        words += len((node.tail or "").split()) if node is not el else 0
        if not isinstance(node.tag, str) or (node is not el and node.tag.lower() in NEVER_READ_TAGS):
            continue
        words += len((node.text or "").split())
        stack.extend(node)
    return words > FALLBACK_WORDS


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
    unwrap = []
    preheader = None
    seen_text = False
    it = root.iter()
    for el in it:
        if not isinstance(el.tag, str):  # comments, processing instructions, entities
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if tag in UNWRAP_WHEN_CONTENT and _holds_content(el):
            unwrap.append(el)  # a <form> or <noscript> around the whole issue: its controls still go
            continue
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
    for el in unwrap:
        if el.getparent() is not None:
            el.drop_tag()
    return preheader


def _skip_subtree(it, el) -> None:
    """Advance the ``root.iter()`` iterator past ``el``'s descendants."""
    last = None
    for last in el.iterdescendants():  # noqa: B007 - the loop only finds the last descendant
        pass
    if last is None:
        return
    for node in it:
        if node is last:
            return

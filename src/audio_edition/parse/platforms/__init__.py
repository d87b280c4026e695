"""Newsletter platforms: what each one's markup says about content, chrome and metadata.

Each platform module defines one ``Platform``: how to recognise it (``cues``: regexes over
the raw HTML, each worth one point), where its post content lives, which of its elements
are never read (CSS selector → skipped kind), and where its title, subtitle, byline, date
and author sit. ``detect`` picks the best-scoring platform, else ``generic``; the rest of
the parser is the same for every platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from lxml.cssselect import CSSSelector


@dataclass(frozen=True)
class Platform:
    name: str
    cues: tuple[str, ...] = ()  # regexes over the raw HTML; one point each
    content: tuple[str, ...] = ()  # CSS selectors of the post body, best first
    skip: tuple[tuple[str, str], ...] = ()  # (CSS selector, skipped kind), removed before reading
    title: tuple[str, ...] = ()
    subtitle: tuple[str, ...] = ()
    byline: tuple[str, ...] = ()  # elements holding author and date, removed from the content
    date: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    publication: tuple[str, ...] = ()
    # link cards read as one line "Title. Description." when several make a list of posts:
    # (card selector, title selector, description selector)
    cards: tuple[tuple[str, str, str], ...] = ()
    min_score: int = 1

    def score(self, raw: str) -> int:
        return sum(1 for c in self._cues if c.search(raw))

    @cached_property
    def _cues(self):
        return [re.compile(c, re.I) for c in self.cues]

    @cached_property
    def selectors(self) -> dict[str, list]:
        def comp(sels):
            return [CSSSelector(s) for s in sels]
        return {
            "content": comp(self.content), "title": comp(self.title), "subtitle": comp(self.subtitle),
            "byline": comp(self.byline), "date": comp(self.date), "author": comp(self.author),
            "publication": comp(self.publication),
            "skip": [(CSSSelector(s), kind) for s, kind in self.skip],
            "cards": [tuple(CSSSelector(x) for x in card) for card in self.cards],
        }

    def first(self, root, what: str):
        for sel in self.selectors[what]:
            found = sel(root)
            if found:
                return found[0]
        return None


# Chrome every platform shares, matched in one pass over the tree (much faster than one CSS
# selector per rule): (kind, substrings of class or id, whole class tokens, ids, attributes,
# roles, aria-label substrings). Platform selectors run first and win.
COMMON_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...],
                          tuple[str, ...], tuple[str, ...]], ...] = (
    ("sponsor", ("sponsor", "advert", "ad-slot", "ad-unit", "adsbygoogle", "native-ad", "ad_network", "paid-content",
                 "partner-content"), ("ad", "ads"), (), ("data-sponsor", "data-ad"), (), ()),
    ("poll", ("poll",), (), (), ("data-poll-id",), (), ()),
    ("share", ("share-button", "sharebutton", "social-share", "share-links", "sharing", "social-links", "social-icons",
               "follow-us", "reactions", "like-button", "post-ufi"), ("share",), (), (), (), ()),
    ("subscribe", ("subscribe-form", "subscription-form", "newsletter-signup", "signup-form", "subscribe-widget",
                   "subscribe-box", "subscribe-cta", "upgrade-cta", "paywall", "subscribe-footer"), (), (), (), (), ()),
    ("comment", ("comments", "comment-section"), (), ("comments",), (), (), ()),
    ("related", ("related-posts", "relatedposts", "related-articles", "related-stories", "read-next", "keep-reading",
                 "more-posts", "recommended", "recommendations", "post-card", "readmore", "read-more"), (), (), (), (),
     ()),
    ("navigation", ("breadcrumb", "navbar", "site-nav", "site-header"), (), (), (), ("navigation",),
     ("readcrumb", "ariane")),
    ("footer", ("site-footer", "page-footer", "email-footer", "unsubscribe", "cookie", "consent", "gdpr"), (), (),
     (), ("contentinfo",), ()),
    # a pull quote repeats a sentence of the article, set large: read once, in the article
    ("pullquote", ("pullquote", "pull-quote", "pull_quote"), (), (), (), (), ()),
    # the header a mail client adds to a forwarded issue ("---------- Forwarded message ---------")
    ("boilerplate", ("gmail_attr", "divrplyfwdmsg", "moz-forward-header", "forwarded-header"), (), (), (), (), ()),
    # footnote marks and bodies (Markdown renderers, Ghost, Substack, WordPress): a "¹" read in the
    # middle of a sentence, or the notes read as a story, is noise to a listener
    ("footnote", ("footnote", "fnref", "fn:", "fn-", "easy-footnote"), ("fn",), (), (), ("doc-noteref", "doc-endnotes"),
     ()),
)


def common_kind(el) -> str | None:
    """The kind of chrome ``el`` is by the common rules, or ``None``."""
    attrs = el.attrib
    if not attrs:
        return None
    data = tuple(sorted(a for a in attrs if a in _DATA_ATTRS))
    return _common_kind(attrs.get("class"), attrs.get("id"), attrs.get("role"), attrs.get("aria-label"), data)


_DATA_ATTRS = frozenset(a for rule in COMMON_RULES for a in rule[4])


@lru_cache(maxsize=4096)
def _common_kind(cls: str | None, ident: str | None, role: str | None, aria: str | None,
                 attrs: tuple[str, ...]) -> str | None:
    if not (cls or ident or role or aria or attrs):
        return None
    key = f"{cls or ''} {ident or ''}".lower()
    tokens = key.split()
    for kind, subs, toks, ids, attr_names, roles, arias in COMMON_RULES:
        if key.strip() and (any(s in key for s in subs) or any(t in tokens for t in toks)
                            or (ident and ident.lower() in ids)):
            return kind
        if attr_names and any(a in attrs for a in attr_names):
            return kind
        if role and role.lower() in roles:
            return kind
        if aria and any(a in aria.lower() for a in arias):
            return kind
    return None


_BUTTON_CLASS = re.compile(r"(^|[\s_-])(btn|button|cta)([\s_-]|$)", re.I)
_BG = re.compile(r"(?<![\w-])background(-color)?\s*:\s*"
                 r"(?!\s*(none|transparent|#fff\b|#ffffff\b|white\b|inherit))", re.I)
_PAD = re.compile(r"(?<![\w-])padding(-(top|left|right|bottom))?\s*:\s*[1-9]", re.I)
_BORDER = re.compile(r"(?<![\w-])border(-radius)?\s*:\s*[1-9]", re.I)
MAX_BUTTON_WORDS = 7


def is_button(el) -> bool:
    """A call-to-action link drawn as a button ("Lire la suite", "Register here", "Try it free"):
    a short link with a button's class or role, or styled as one (a filled, padded box), or alone
    in a filled table cell. Never a title, never read."""
    if not isinstance(el.tag, str) or el.tag.lower() != "a" or not el.get("href"):
        return False
    words = len(el.text_content().split())
    if not 1 <= words <= MAX_BUTTON_WORDS:
        return False
    if (el.get("role") or "").lower() == "button" or _BUTTON_CLASS.search(el.get("class") or ""):
        return True
    style = el.get("style") or ""
    if (_PAD.search(style) and (_BG.search(style) or _BORDER.search(style))
            and "inline-block" in style.replace(" ", "") or _PAD.search(style) and _BG.search(style)):
        return True
    cell = el.getparent()
    if cell is not None and cell.tag in ("td", "th") and (cell.get("bgcolor") or _BG.search(cell.get("style") or "")):
        rest = "".join(t for t in cell.itertext()).split()
        return len(rest) == words
    return False


def _load() -> list[Platform]:
    from . import beehiiv, buttondown, ghost, mailchimp, substack

    return [beehiiv.PLATFORM, substack.PLATFORM, ghost.PLATFORM, mailchimp.PLATFORM, buttondown.PLATFORM]


GENERIC = Platform(
    name="generic",
    content=("article [itemprop=articleBody]", "[itemprop=articleBody]", ".post-content", ".entry-content",
             ".article-content", ".article-body", ".post-body", ".newsletter-content", ".email-body",
             "article", "main", "[role=main]", "#content", ".content"),
    title=("article h1", "main h1", "h1"),
    subtitle=(".subtitle", ".post-subtitle", ".dek", ".standfirst", ".excerpt", ".lede"),
    byline=(".byline", ".post-meta", ".article-meta", ".entry-meta", ".meta"),
    date=("time[datetime]",),
    author=("[rel=author]", ".author-name", ".author", "[itemprop=author]"),
)


def detect(raw: str) -> Platform:
    """The platform whose cues best match ``raw`` HTML, else ``GENERIC``."""
    head = raw[:150_000] + raw[-50_000:] if len(raw) > 200_000 else raw
    best, best_score = GENERIC, 0
    for p in _load():
        s = p.score(head)
        if s >= p.min_score and s > best_score:
            best, best_score = p, s
    return best

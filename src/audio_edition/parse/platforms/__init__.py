"""Newsletter platforms: what each one's markup says about content, chrome and metadata.

Each platform module defines one ``Platform``: how to recognise it (``cues``: regexes over
the raw HTML, each worth one point), where its post content lives, which of its elements
are never read (CSS selector → skipped kind), and where its title, subtitle, byline, date
and author sit. ``detect`` picks the best-scoring platform, else ``generic``; the rest of
the parser is the same for every platform.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

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
        }

    def first(self, root, what: str):
        for sel in self.selectors[what]:
            found = sel(root)
            if found:
                return found[0]
        return None


# chrome that every platform shares; platform lists come first
COMMON_SKIP: tuple[tuple[str, str], ...] = (
    ("[class*=sponsor], [id*=sponsor], [data-sponsor], [data-ad], [class*=advert], [id*=advert], "
     "[class~=ad], [class~=ads], [class*=ad-slot], [class*=ad-unit], [class*=adsbygoogle], "
     "[class*=native-ad], [class*=ad_network], [class*=paid-content], [class*=partner-content]", "sponsor"),
    ("[class*=poll], [id*=poll], [data-poll-id]", "poll"),
    ("[class*=share-button], [class*=sharebutton], [class*=social-share], [class*=share-links], "
     "[class~=share], [class*=sharing], [class*=social-links], [class*=social-icons], [class*=follow-us]",
     "share"),
    ("[class*=subscribe-form], [class*=subscription-form], [class*=newsletter-signup], [class*=signup-form], "
     "[class*=subscribe-widget], [class*=subscribe-box], [class*=subscribe-cta], [class*=upgrade-cta], "
     "[class*=paywall], [class*=subscribe-footer]", "subscribe"),
    ("[class*=comments], [id=comments], [class*=comment-section]", "comment"),
    ("[class*=related-posts], [class*=relatedposts], [class*=related-articles], [class*=related-stories], [class*=read-next], [class*=keep-reading], "
     "[class*=more-posts], [class*=recommended], [class*=recommendations], [class*=post-card], "
     "[class*=readmore], [class*=read-more]", "related"),
    ("[class*=breadcrumb], [aria-label*=readcrumb], [aria-label*=Ariane], [role=navigation], "
     "[class*=navbar], [class*=site-nav], [class*=site-header]", "navigation"),
    ("[class*=site-footer], [class*=page-footer], [role=contentinfo], [class*=email-footer], "
     "[class*=unsubscribe]", "footer"),
    ("[class*=reactions], [class*=like-button], [class*=post-ufi]", "share"),
    ("[class*=cookie], [id*=cookie], [class*=consent], [id*=consent], [class*=gdpr]", "footer"),
)


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


class _LazySkip:
    """``COMMON_SKIP`` compiled on first use."""

    _compiled: list | None = None

    def __iter__(self):
        if _LazySkip._compiled is None:
            _LazySkip._compiled = [(CSSSelector(s), kind) for s, kind in COMMON_SKIP]
        return iter(_LazySkip._compiled)


GENERIC_SKIP = _LazySkip()


def detect(raw: str) -> Platform:
    """The platform whose cues best match ``raw`` HTML, else ``GENERIC``."""
    head = raw[:400_000] + raw[-100_000:] if len(raw) > 500_000 else raw
    best, best_score = GENERIC, 0
    for p in _load():
        s = p.score(head)
        if s >= p.min_score and s > best_score:
            best, best_score = p, s
    return best


def by_name(name: str) -> Platform:
    for p in _load():
        if p.name == name:
            return p
    return GENERIC

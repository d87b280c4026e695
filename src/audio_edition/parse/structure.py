"""Readable blocks → the shape of an issue: header, greeting, intro, table of contents,
stories, extra sections, closing words.

Stories are found from heading tags, keycap-emoji or numbered lines (1️⃣, "1.", "#1 —"),
blocks that match a table-of-contents entry, and — when an issue has no usable headings —
bold one-line paragraphs. Which heading rank holds the stories is decided per issue:
numbered headings win; otherwise the rank with the most distinct titled parts (repeated
sub-headings such as "Why it matters" do not count). Shallower headings with text are extra
sections; deeper ones are spoken sub-headings inside their story; headings with nothing
under them (kickers such as "Si tu as quinze minutes ?") are not read.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from ..models import Block, Skipped, Story
from .blocks import RawBlock, clean_text
from .meta import date_in_text, norm
from .skip import is_ad_link

KEYCAP = re.compile(r"^\s*(?:[0-9#*]\ufe0f?\u20e3|\U0001F51F)")
NUMBERED = re.compile(r"^\s*(?:#\s?\d{1,3}\b\s*[.):\-–—]?\s*|\d{1,3}\s*[.)]\s+|\d{1,3}\s*[-–—/|]\s+|"
                      r"(?:n[°o]|no\.)\s?\d{1,3}\s*[-–—:.]\s*)", re.I)
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\uFE0F\u20E3\u200D\u2190-\u21FF"
                   "\u25A0-\u25FF\U000E0000-\U000E007F]")
BULLET = re.compile(r"^\s*(?:👉|👇|➡️?|→|▶️?|►|•|·|‣|–|—|-|\*|✅|✔️?|🔹|🔸|▪️?|\d{1,2}\s*[.)]|[>›»+](?=\s))\s*")
TOC_INTRO = re.compile(
    r"^(voici |voil[àa] )?(le |au |notre )?(sommaire|au programme|au menu|programme|menu)\b|"
    r"(au|le) sommaire|au programme (de|cette|aujourd)|dans (cette|ce|la) "
    r"(édition|[ée]dition|lettre|newsletter|num[ée]ro)|"
    r"(ce que|ce qu['’]on) (vous|te) (r[ée]serve|propose)|"
    r"^(in|inside) (this|today['’]s|this week['’]s) (issue|edition|email|newsletter|letter)|"
    r"^(here['’]s |here is )?what['’]s (inside|in (this|today['’]s|this week['’]s) (issue|edition|email))|"
    r"^(today['’]s|this week['’]s) (topics|menu|rundown|lineup|agenda|stories)|^table of contents|"
    r"^(on the menu|the menu|contents|what we['’]re covering|in today['’]s (issue|edition|email|newsletter))",
    re.I)
GREETING = re.compile(
    r"^(salut|bonjour|bonsoir|coucou|hello|hi|hey|yo|hola|dear|chers?|ch[èe]res?|bienvenue|welcome|"
    r"good (morning|afternoon|evening)|greetings|howdy|hallo|guten (morgen|tag)|liebe|ciao|buongiorno|"
    r"buenos d[ií]as|querid[oa]s?|bom dia|ol[áa])\b", re.I)
SECTION_HINT = re.compile(
    r"\b(de la semaine|du jour|du mois|de la quinzaine|of the (week|day|month)|outils?|tools?|vid[ée]o|video|"
    r"en bref|in brief|briefly|[àa] retenir|quick (hits|links|bites|takes)|lightning round|links?|liens|"
    r"[àa] lire|reading list|what we['’]re reading|nos lectures|around the web|sur le web|elsewhere|ailleurs|"
    r"en vrac|le reste|everything else|the rest|citation|quote|chiffre|number of the|stat of|meme|bonus|agenda|"
    r"[ée]v[ée]nements|events|jobs|emplois|offres d['’]emploi|m[èe]me de|pour finir|to wrap up|one more thing|"
    r"podcast|livre|book|coup de c(œ|oe)ur|pick|picks|recommandations?|ressources|resources|tweet|chart)\b",
    re.I)
SUBHEAD_HINT = re.compile(
    r"^(le r[ée]sum[ée]|r[ée]sum[ée]|les d[ée]tails|d[ée]tails|pourquoi c['’]est important|pourquoi [çc]a compte|"
    r"en clair|le contexte|contexte|notre avis|mon avis|ce qu['’]il faut retenir|la suite|et apr[èe]s|"
    r"why it matters|the details|details|the big picture|big picture|zoom (in|out)|what['’]s next|our take|"
    r"the bottom line|bottom line|context|background|key takeaways?|takeaways?|tl;?dr|the gist|go deeper|"
    r"what (happened|it means)|between the lines|yes,? but|the catch|[àa] quoi [çc]a sert|comment l['’]utiliser|"
    r"how to use it|how it works|comment [çc]a marche)\b", re.I)
SIGNOFF = re.compile(
    r"^(c['’]est tout|c['’]est fini|voil[àa],? c['’]est tout|voil[àa] pour (cette|aujourd)|"
    r"[àa] la semaine prochaine|au mois prochain|[àa] l['’]ann[ée]e prochaine|[àa] (tr[èe]s )?bient[ôo]t|[àa] "
    r"demain|[àa] lundi|[àa] mardi|[àa] mercredi|"
    r"[àa] jeudi|[àa] vendredi|bonnes? (semaine|journ[ée]e|lecture|fin de semaine|soir[ée]e|fin de "
    r"journ[ée]e|week-end|quinzaine|plantations|f[êe]tes|vacances)|"
    r"merci (de (nous |m['’])?(avoir )?lu|pour (ta|votre) lecture|d['’][êe]tre l[àa])|on se retrouve|rendez-vous (la "
    r"semaine|demain|lundi)|"
    r"that['’]s (it|all|a wrap)|see you\b|until next\b|till next\b|[àa] la prochaine|[àa] \w+ prochaine?\b|"
    r"thanks (for|again for) reading|thank you for reading|have a (great|nice|good|lovely)|talk (to you )?soon|"
    r"take care|stay (curious|tuned)|bisous|la bise|ciao|cheers[,!.]?\s*$|best[,!.]?\s*$|"
    r"à plus[,!.]?\s*$|catch you)", re.I)
BYLINE = re.compile(r"^(par|by|de|von|por|di)\s+\S|min(ute)?s? (de lecture|read|à lire)|temps de lecture|reading time|"
                    r"^(num[ée]ro|issue|[ée]dition|edition|no\.|n[°o]|vol\.|volume|#)\s*\d+", re.I)
_SHARE_LINK = re.compile(r"(twitter\.com/intent|x\.com/intent|facebook\.com/sharer|linkedin\.com/share|"
                         r"mailto:|/subscribe\b|/share\b|\.(png|jpe?g|gif|webp|svg)(\?|$)|^#|^javascript:)", re.I)


# "(4 minute read)", "(lecture : 5 min)", "· 3 min de lecture" after a title
READ_TIME = re.compile(r"\s*[(\[]?\s*(?:\d{1,3}\s*(?:-\s*)?(?:minutes?|mins?|min\.?)\s*(?:read|de lecture|lecture)|"
                       r"(?:temps de )?lecture\s*:?\s*\d{1,3}\s*min(?:utes?)?\.?|reading "
                       r"time:?\s*\d{1,3}\s*min(?:utes?)?)"
                       r"\s*[)\]]?\s*$", re.I)


def strip_decoration(text: str) -> str:
    """Remove emoji, keycaps, bullets and numbering marks around a heading or TOC entry."""
    text = KEYCAP.sub("", text)
    text = EMOJI.sub("", text)
    text = BULLET.sub("", text)
    text = NUMBERED.sub("", text)
    text = READ_TIME.sub("", text)
    return clean_text(text).strip(" :–—-|·•")


@lru_cache(maxsize=8192)
def _normed(text: str) -> str:
    return norm(strip_decoration(text))


def similar(a: str, b: str) -> bool:
    """Do a TOC entry and a heading name the same story? (decoration, case and punctuation
    ignored; containment or strong word overlap)"""
    na, nb = _normed(a), _normed(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    if len(short) >= 12 and short in long_:
        return True
    ta, tb = set(na.split()), set(nb.split())
    small = min(len(ta), len(tb))
    return small >= 3 and len(ta & tb) / small >= 0.75


def numbered(b: RawBlock) -> bool:
    return bool(KEYCAP.match(b.text) or NUMBERED.match(b.text))


@dataclass
class Layout:
    greeting: str | None = None
    intro: list[str] = field(default_factory=list)
    toc: list[str] = field(default_factory=list)
    parts: list[Story] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    date_hint: str | None = None
    author_hint: str | None = None


def _same(a: str | None, b: str | None) -> bool:
    na, nb = norm(a), norm(b)
    if not na or not nb:
        return False
    if na == nb:
        return True
    short, long_ = sorted((na, nb), key=len)
    return len(short) >= 30 and long_.startswith(short)


def trim_header(blocks: list[RawBlock], layout: Layout, *, title: str | None, subtitle: str | None,
                preheader: str | None, author: str | None, publication: str | None, lang: str) -> list[RawBlock]:
    """Drop the issue's header (title, subtitle, byline, issue number) from the top."""
    i = 0
    while i < len(blocks) and i < 12:
        b = blocks[i]
        text = b.full_text()
        words = len(text.split())
        if b.separator:
            i += 1
            continue
        kind = None
        if title and (_same(text, title) or (b.level and norm(title) and norm(text) in norm(title))):
            kind = "title"
        elif _same(text, subtitle) or _same(text, preheader):
            kind = "subtitle"
        elif words <= 16 and not GREETING.match(strip_decoration(text)) and (
                date_in_text(text, lang) or BYLINE.search(text)
                or (author and norm(author) in norm(text)) or (publication and norm(text) == norm(publication))):
            kind = "byline"
            layout.date_hint = layout.date_hint or date_in_text(text, lang)
            if not author:
                m = re.search(r"(?:^|·|\||—|-)\s*(?:par|by)\s+([^·|—]+)", text, re.I)
                if m:
                    layout.author_hint = clean_text(m.group(1))
        if kind is None:
            break
        layout.skipped.append(Skipped("header", text))
        i += 1
    return blocks[i:]


def _toc_item(b: RawBlock) -> bool:
    if b.level or len(b.text.split()) > 30:
        return False
    if b.tag == "li" or BULLET.match(b.text) or KEYCAP.match(b.text) or NUMBERED.match(b.text):
        return True
    return bool(b.links) and all(h.startswith("#") for h in b.links)


def find_toc(blocks: list[RawBlock], limit: int) -> tuple[int, int, list[str]] | None:
    """(start, end, entries) of a table of contents among the first ``limit`` blocks."""
    for i in range(min(limit, len(blocks))):
        b = blocks[i]
        text = strip_decoration(b.full_text())
        if len(text.split()) > 12 or not TOC_INTRO.search(text):
            continue
        if b.text and b.label and not b.level:
            # "Au sommaire : A, B et C" on one line
            entries = [e.strip() for e in re.split(r"\s*[;•·|]\s*", b.text) if e.strip()]
            if len(entries) >= 2:
                return i, i + 1, entries
        j = i + 1
        entries = []
        while j < len(blocks) and _toc_item(blocks[j]):
            entries.append(strip_decoration(blocks[j].text if not blocks[j].label else blocks[j].full_text()))
            j += 1
        if entries:
            return i, j, [e for e in entries if e]
    # a list of in-page links before the first heading (Substack/Ghost TOC without a title)
    i = 0
    while i < min(limit, len(blocks)):
        j = i
        while j < len(blocks) and blocks[j].tag == "li" and blocks[j].links and \
                all(h.startswith("#") for h in blocks[j].links):
            j += 1
        if j - i >= 2:
            return i, j, [strip_decoration(b.text) for b in blocks[i:j]]
        i = j + 1
    return None


def _is_label_like(text: str) -> bool:
    t = strip_decoration(text)
    return bool(SUBHEAD_HINT.match(t)) or t.endswith(":")


def _story_url(heading: RawBlock | None, body: list[RawBlock]) -> str | None:
    candidates = []
    if heading is not None:
        candidates.extend(heading.links)
    for b in body:
        candidates.extend(b.links)
    for href in candidates:
        if href.startswith(("http://", "https://")) and not is_ad_link(href) and not _SHARE_LINK.search(href):
            return href
    return None


def _sponsor_part(marker: RawBlock) -> Story:
    """A sponsored run kept for an announced ad break (``read_sponsors``)."""
    run: list[RawBlock] = marker.run or []
    heading = next((b for b in run if b.level or (b.bold and not b.label)), None)
    body = [b for b in run if b is not heading and (b.text or b.label)]
    title = strip_decoration(heading.text) if heading is not None else "Sponsor"
    return Story(title=title, blocks=tuple(_to_block(b) for b in body), url=_story_url(heading, body),
                 kind="sponsor")


ESSAY_WORDS = 150


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _is_tag_line(b: RawBlock) -> bool:
    text = strip_decoration(b.full_text())
    if _CJK.search(text):  # no spaces between words: a sentence of Chinese is not a three-word tag
        return len(_CJK.findall(text)) <= 4 and text[-1] not in "。！？」）"
    return bool(text) and len(text.split()) <= 3 and not b.label and text[-1] not in ".!?…:;,»\"”)" \
        and not any(ch.isdigit() for ch in text)


def _to_block(b: RawBlock) -> Block:
    kind = "item" if b.tag == "li" else "caption" if b.tag == "figcaption" else "paragraph"
    return Block(text=b.text, label=b.label, kind=kind)


DISPLAY_RATIO = 1.2  # a line set this much larger than the issue's body text is a headline


def display_size(blocks: list[RawBlock]) -> float | None:
    """The smallest font size of a headline in an e-mail that sets its type inline: the body
    text's size (the size most words are in) times ``DISPLAY_RATIO``; ``None`` without sizes."""
    words: Counter = Counter()
    for b in blocks:
        if b.size and b.size >= 5 and b.text:
            words[round(b.size)] += len(b.text.split())
    if not words or sum(words.values()) < 40:
        return None
    body = words.most_common(1)[0][0]
    return max(body * DISPLAY_RATIO, 15.0)


def layout_issue(blocks: list[RawBlock], *, title: str | None, subtitle: str | None, preheader: str | None,
                 author: str | None, publication: str | None, lang: str) -> Layout:
    layout = Layout()
    blocks = trim_header(blocks, layout, title=title, subtitle=subtitle, preheader=preheader, author=author,
                         publication=publication, lang=lang)
    n = len(blocks)

    # --- heading candidates -------------------------------------------------------------------
    def tag_rank(b: RawBlock) -> int:
        return b.level or 7

    cand: dict[int, int] = {}  # index → rank
    forced: set[int] = set()
    for i, b in enumerate(blocks):
        if b.separator or not b.text:
            continue
        if b.level:
            cand[i] = b.level
        elif b.tag != "li" and len(b.text) < 160 and numbered(b) and b.label is None and \
                (b.bold or (len(b.text.split()) <= 16 and not b.text.rstrip().endswith((".", ",", ";")))):
            cand[i] = 7

    first_cand = min(cand, default=n)
    toc = find_toc(blocks, max(first_cand + 1, 1) if cand else min(n, 60))
    toc_span = range(0)
    if toc is not None:
        start, end, entries = toc
        toc_span = range(start, end)
        layout.toc = entries
        for k in toc_span:
            cand.pop(k, None)
        # every TOC entry names a story: a block after the TOC with that text is its heading
        for entry in entries:
            if any(similar(entry, blocks[k].text) for k in cand if k >= end):
                continue
            for k in range(end, n):
                b = blocks[k]
                if (b.level or b.bold or len(b.text) < 160) and b.tag != "li" and similar(entry, b.full_text()):
                    cand[k] = cand.get(k, 7 if numbered(b) else 8)
                    forced.add(k)
                    break

    def has_body(i: int) -> bool:
        j = i + 1
        while j < n and (blocks[j].separator or not blocks[j].text and not blocks[j].label):
            j += 1
        return j < n and j not in cand

    # no usable headings: bold one-line paragraphs, or lines set larger than the text, are the titles
    titled = [i for i in cand if has_body(i) and i not in toc_span and i not in forced and blocks[i].level]
    display = display_size(blocks)
    bold_titles = [i for i, b in enumerate(blocks)
                   if i not in cand and i not in toc_span and not b.separator and (i > 0 or b.link_only)
                   and (b.bold or display is not None and (b.size or 0) >= display) and b.label is None
                   and b.tag != "li" and 1 <= len(b.text.split()) <= 20
                   and len(b.text) < 140 and not b.text.endswith(("?", ":", "…", ".")) and not GREETING.match(b.text)]
    # a digest (TLDR, Kotlin Weekly...): headings name categories, each over several linked bold titles
    linked_titles = [i for i in bold_titles if blocks[i].link_only and has_body(i)]
    heads_over_titles = bool(titled) and all(i + 1 in linked_titles for i in titled)
    if len(titled) < 2 or (len(linked_titles) >= 3 and (len(linked_titles) >= 2 * len(titled) or
                                                        len(linked_titles) > len(titled) and heads_over_titles)):
        for i in bold_titles:
            cand[i] = 8

    # pseudo-headings with nothing under them are text (a list of steps written "1. ...")
    for i in sorted(cand):
        if cand[i] >= 7 and i not in forced and not has_body(i):
            nxt = i + 1
            if nxt in cand and cand[nxt] >= 7:
                del cand[i]
    for i in sorted(cand, reverse=True):  # the last of such a run
        if cand[i] >= 7 and i not in forced and not has_body(i) and (i - 1) not in cand:
            prev = i - 1
            if prev >= 0 and not blocks[prev].level and numbered(blocks[prev]) and numbered(blocks[i]):
                del cand[i]

    # --- which rank holds the stories -----------------------------------------------------------
    with_body = [i for i in sorted(cand) if has_body(i)]
    numbered_heads = [i for i in with_body if numbered(blocks[i])]
    texts = Counter(norm(strip_decoration(blocks[i].text)) for i in with_body)
    last_numbered = max(numbered_heads, default=-1)
    if len(numbered_heads) >= 2:
        story_rank = Counter(cand[i] for i in numbered_heads).most_common(1)[0][0]
        numbered_mode = True
    else:
        numbered_mode = False
        counts: Counter = Counter()
        for i in with_body:
            t = blocks[i].text
            if texts[norm(strip_decoration(t))] > 1 or _is_label_like(t):
                continue
            counts[cand[i]] += 1
        if counts:
            best = max(counts.values())
            story_rank = min(r for r, c in counts.items() if c == best)
        else:
            story_rank = min(cand.values(), default=2)

    # with a table of contents that names the stories, other headings of their rank are sections
    toc_ranks = {cand[i] for i in forced} | {cand[i] for i in cand if layout.toc and
                                                 any(similar(e, blocks[i].text) for e in layout.toc)}
    toc_mode = len(forced | {i for i in cand
                             if layout.toc and any(similar(e, blocks[i].text) for e in layout.toc)}) >= 2

    def in_toc(i: int) -> bool:
        return i in forced or any(similar(e, blocks[i].text) for e in layout.toc)

    # a section hint ("de la semaine", "tool"...) only tells sections apart from stories when
    # some headings of the story rank do not carry it
    hints_apply = any(not SECTION_HINT.search(blocks[i].text) for i in with_body if cand[i] == story_rank)

    def role(i: int) -> str:
        b = blocks[i]
        r = cand[i]
        if i in forced:
            return "story"
        if toc_mode and r in toc_ranks and has_body(i) and not in_toc(i) and not _is_label_like(b.text) \
                and texts[norm(strip_decoration(b.text))] <= 1 and (not numbered_mode or not numbered(b)):
            return "section"
        if not has_body(i):
            return "kicker"
        if numbered_mode:
            if numbered(b) and r == story_rank:
                return "story"
            if _is_label_like(b.text) or texts[norm(strip_decoration(b.text))] > 1:
                return "label"
            if r < story_rank or (r == story_rank and not numbered(b)):
                return "section"
            if r == 8 and story_rank == 7 and (i > last_numbered or SECTION_HINT.search(b.text)):
                return "section"  # a bold title after the numbered ones: "Stat of the week"
            return "label"
        if r == story_rank:
            label_like = texts[norm(strip_decoration(b.text))] > 1 or _is_label_like(b.text)
            if label_like:
                return "label"
            return "section" if hints_apply and SECTION_HINT.search(b.text) else "story"
        if r < story_rank:
            return "section"
        return "label"

    roles: dict[int, str] = {}
    last_part: int | None = None
    promoted_rank: int | None = None
    for i in sorted(cand):
        r = role(i)
        if r == "label" and last_part is not None and has_body(i) and (
                blocks[i].path[: len(blocks[last_part].path)] != blocks[last_part].path
                or cand[i] == promoted_rank):
            # a deeper heading in a box of its own (an e-mail block), or a sibling of one: a section
            r = "section"
            promoted_rank = cand[i]
        elif r in ("story", "section"):
            promoted_rank = None
        if r in ("story", "section"):
            last_part = i
        roles[i] = r
    first_part = min((i for i, r in roles.items() if r in ("story", "section")), default=n)

    # --- intro --------------------------------------------------------------------------------
    intro_blocks = [(i, b) for i, b in enumerate(blocks[:first_part]) if i not in toc_span]
    digest: list[tuple[str, list[RawBlock]]] = []
    in_digest = False
    intro_raw: list[RawBlock] = []
    for k, (i, b) in enumerate(intro_blocks):
        if b.separator:
            continue
        if b.tag == "sponsor":
            layout.parts.append(_sponsor_part(b))
            continue
        if roles.get(i) == "kicker":
            layout.skipped.append(Skipped("heading", b.text))
            continue
        full = b.full_text()
        if layout.greeting is None and not layout.intro and len(full.split()) <= 12 and \
                GREETING.match(strip_decoration(full)):
            layout.greeting = strip_decoration(full).rstrip(",;:!. ")
            continue
        if b.label and not b.text and b.bold and k + 1 < len(intro_blocks) and intro_blocks[k + 1][1].tag == "li":
            digest.append((b.label, []))  # "Si tu as une minute :" then its items
            in_digest = True
            continue
        if in_digest and b.tag == "li":
            digest[-1][1].append(b)
            continue
        in_digest = False
        layout.intro.append(full)
        intro_raw.append(b)
    for label, items in digest:
        if items:
            layout.parts.append(Story(title=label, blocks=tuple(_to_block(b) for b in items), kind="section"))

    # --- stories and sections -------------------------------------------------------------------
    current: dict | None = None
    parts: list[dict] = []
    for i in range(first_part, n):
        b = blocks[i]
        if b.separator or i in toc_span:
            continue
        r = roles.get(i, "")  # "": no role
        if b.tag == "sponsor":
            parts.append({"sponsor": b})
            continue
        if r in ("story", "section"):
            current = {"heading": b, "kind": r, "body": [], "blocks": []}
            parts.append(current)
            continue
        if r == "kicker":
            layout.skipped.append(Skipped("heading", b.text))
            continue
        if current is None:
            continue
        if r == "label":
            current["blocks"].append(Block(text="", label=strip_decoration(b.text).rstrip(" :"), kind="heading"))
            current["body"].append(b)
            continue
        current["blocks"].append(_to_block(b))
        current["body"].append(b)

    # a tag or category badge just before the next title ("Articles", "Tests", "LLM") closes
    # nothing: it labels what follows or the item above, and reads as a stray word
    real = [p for p in parts if "sponsor" not in p]
    for p in real[:-1]:
        while p["body"] and _is_tag_line(p["body"][-1]) and len(p["body"]) > 1:
            layout.skipped.append(Skipped("heading", p["body"][-1].full_text()))
            p["body"].pop()
            p["blocks"].pop()

    # closing words at the end of the last part ("C'est tout pour cette semaine !")
    if real:
        last = real[-1]
        for k, (raw, _blk) in enumerate(zip(last["body"], last["blocks"], strict=False)):
            if k > 0 and SIGNOFF.match(strip_decoration(raw.full_text())) and len(last["body"]) - k <= 6:
                layout.closing = [x.full_text() for x in last["body"][k:] if x.text or x.label]
                last["body"], last["blocks"] = last["body"][:k], last["blocks"][:k]
                break

    for p in parts:
        if "sponsor" in p:
            layout.parts.append(_sponsor_part(p["sponsor"]))
            continue
        if not p["blocks"]:
            continue
        layout.parts.append(Story(title=strip_decoration(p["heading"].text) or p["heading"].text,
                                  blocks=tuple(p["blocks"]), url=_story_url(p["heading"], p["body"]),
                                  kind=p["kind"]))

    # --- an essay: a long text with no stories after it (or a short part only) is itself the story,
    # titled by the issue, so that it gets a chapter of its own and the intro stays a welcome
    intro_words = sum(len(t.split()) for t in layout.intro)
    part_words = sum(len(b.full_text().split()) for s in layout.parts for b in s.blocks)
    if title and not layout.toc and intro_words >= ESSAY_WORDS and intro_words > 2 * part_words:
        layout.parts.insert(0, Story(title=title, blocks=tuple(_to_block(b) for b in intro_raw)))
        layout.intro = []

    # --- table of contents ↔ stories -------------------------------------------------------------
    for entry in layout.toc:
        if not any(similar(entry, s.title) for s in layout.parts):
            layout.warnings.append(f"table of contents entry {entry!r} matches no story")
    return layout

"""Flatten an HTML content tree into a reading-order list of ``RawBlock``s.

A newsletter, whatever its platform, reads as a sequence of headings, paragraphs and list
items; nesting (tables in e-mails, divs on the web) only gets in the way. The walk is
iterative, so 10 000 nested divs cost nothing special.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LEAF_BLOCKS = HEADINGS | {"p", "li", "blockquote", "figcaption", "pre", "dt", "dd"}
BLOCK_CHILDREN = LEAF_BLOCKS | {"div", "ul", "ol", "table", "section", "article", "figure", "tr", "td", "dl"}
_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200e\u200f\u2060\ufeff\u034f\u00ad]")


def clean_text(text: str) -> str:
    return _WS.sub(" ", _ZERO_WIDTH.sub("", text)).strip()


@dataclass
class RawBlock:
    tag: str  # h1..h6, p, li, ...
    text: str
    label: str | None = None  # leading bold "Le résumé :" → "Le résumé"
    bold: bool = False  # the whole block is bold/strong
    links: list[str] = field(default_factory=list)
    classes: str = ""  # classes of the block and its ancestors, space-joined
    element_id: str | None = None

    @property
    def level(self) -> int:
        return int(self.tag[1]) if self.tag in HEADINGS else 0


def _has_block_child(el) -> bool:
    for child in el:
        if isinstance(child.tag, str) and child.tag.lower() in BLOCK_CHILDREN:
            return True
    return False


def _bold_prefix(el) -> tuple[str | None, bool]:
    """(label, whole_block_bold) from a leading <b>/<strong>."""
    text_all = clean_text(el.text_content())
    if not text_all:
        return None, False
    lead = (el.text or "").strip()
    first = None
    for child in el:
        if isinstance(child.tag, str):
            first = child
            break
    if lead or first is None or first.tag.lower() not in ("b", "strong"):
        # a link wrapping a bold title counts too
        if first is not None and not lead and first.tag.lower() == "a":
            inner = [c for c in first if isinstance(c.tag, str)]
            if inner and inner[0].tag.lower() in ("b", "strong"):
                bold_text = clean_text(first.text_content())
                return None, bold_text == text_all
        return None, False
    bold_text = clean_text(first.text_content())
    if bold_text == text_all:
        m = re.fullmatch(r"(.{2,80}?)\s*[:：]\s*", bold_text)
        return (m.group(1) if m else None), True
    m = re.fullmatch(r"(.{2,80}?)\s*[:：]\s*", bold_text)
    if m:
        return m.group(1), False
    return None, False


def flatten(root) -> list[RawBlock]:
    blocks: list[RawBlock] = []
    # iterative pre-order walk carrying ancestor classes
    stack = [(root, "", False)]
    while stack:
        el, inherited, in_li = stack.pop()
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        cls = (inherited + " " + (el.get("class") or "")).strip()
        if tag in LEAF_BLOCKS and not (tag in ("li", "blockquote", "dd") and _has_block_child(el)):
            text = clean_text(el.text_content())
            if text:
                label, bold = _bold_prefix(el)
                if label:
                    rest = text
                    # drop the label and its colon from the text
                    m = re.match(re.escape(label) + r"\s*[:：]\s*", text)
                    if m:
                        rest = text[m.end():]
                    text = rest
                links = [a.get("href") for a in el.iter("a") if a.get("href")]
                blocks.append(RawBlock(tag="li" if in_li and tag == "p" else tag, text=text, label=label,
                                       bold=bold, links=links,
                                       classes=cls, element_id=el.get("id")))
            continue
        # loose text directly inside a container (e.g. <td>Hello</td>)
        if tag in ("td", "div", "section", "article", "body", "main", "center") and not _has_block_child(el):
            text = clean_text(el.text_content())
            if text:
                label, bold = _bold_prefix(el)
                links = [a.get("href") for a in el.iter("a") if a.get("href")]
                blocks.append(RawBlock(tag="p", text=text, label=label, bold=bold, links=links, classes=cls))
            continue
        children = [c for c in el if isinstance(c.tag, str)]
        for child in reversed(children):
            stack.append((child, cls, in_li or tag == "li"))
    return blocks

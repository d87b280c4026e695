"""Flatten an HTML content tree into a reading-order list of ``RawBlock``s.

A newsletter, whatever its platform, reads as a sequence of headings, paragraphs and list
items; nesting (tables in e-mails, divs on the web) only gets in the way. Both walks (over
blocks, and over the inline content of one block) are iterative, so 10 000 nested elements
cost nothing special.

Besides its text, each block keeps the cues later stages need: whether it is entirely bold
(a pseudo-heading), a leading bold label ("Le résumé :"), its links, the classes of its
ancestors, the path of containers it sits in (to tell where a sponsored box ends), and
horizontal rules as separator blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
LEAF_BLOCKS = HEADINGS | {"p", "li", "blockquote", "figcaption", "pre", "dt", "dd", "caption"}
CONTAINERS = {"div", "section", "article", "main", "body", "td", "th", "table", "tbody", "thead", "tfoot", "tr",
              "ul", "ol", "dl", "figure", "center", "header", "footer", "aside", "nav", "html", "details",
              "summary", "address", "hgroup", "font", "span"}
BLOCK_TAGS = (LEAF_BLOCKS | CONTAINERS | {"hr"}) - {"span", "font"}
UNIT_TAGS = {"div", "section", "article", "aside", "td", "th", "table", "figure", "blockquote"}
_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u034f\u00ad\u2800\u180e]")
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(bold|bolder|[6-9]00)", re.I)
_NORMAL_WEIGHT = re.compile(r"font-weight\s*:\s*(normal|lighter|[1-4]00)\b", re.I)
_FONT_SIZE = re.compile(r"(?<![\w-])font-size\s*:\s*(\d+(?:\.\d+)?)\s*(px|pt|em|rem|%)?", re.I)
_FONT_SHORTHAND = re.compile(r"(?<![\w-])font\s*:[^;]*?\b(\d+(?:\.\d+)?)(px|pt)\b", re.I)
INVISIBLE_SIZE = 3.0  # px: text set this small is not meant to be read (padding for preheaders, tracking text)
_HTML_FONT_SIZE = {"1": 10.0, "2": 13.0, "3": 16.0, "4": 18.0, "5": 24.0, "6": 32.0, "7": 48.0}
_WORDY = re.compile(r"\w", re.U)
_AD_IMAGE = re.compile(r"/ad_network/|/advertis|/sponsor", re.I)
BR = object()
_SPONSOR_ALT = re.compile(r"^\W*(sponsor|sponsoris|publicit|partenaire|partenariat|partner|advert|annonce|promoted|"
                          r"presented by|together with|pr[ée]sent[ée]e? par|en partenariat)", re.I)
_LINE_MARK = re.compile(r"^\s*(?:[•·‣▪►▶➡→👉✅✔🔹🔸–—*-]|\d{1,2}[.)]\s|[0-9#]\ufe0f?\u20e3|#\d)")


_UNKNOWN_ENTITY = re.compile(r"&[A-Za-z][\w.-]{0,30};")


_ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u034f\u00ad\u2800\u180e"


def clean_text(text: str) -> str:
    """Collapse spaces, drop zero-width characters and entity references left unexpanded."""
    if "&" in text:
        text = _UNKNOWN_ENTITY.sub("", text)
    for ch in _ZERO_WIDTH_CHARS:
        if ch in text:
            text = text.replace(ch, "")
    if _CONTROL.search(text):  # a bell or an escape in a title breaks the feed's XML and the tags
        text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass
class RawBlock:
    tag: str  # h1..h6, p, li, hr (separator), img (ad image marker), ...
    text: str
    label: str | None = None  # leading bold "Le résumé :" → "Le résumé"
    bold: bool = False  # the whole block is bold/strong
    links: list[str] = field(default_factory=list)
    classes: str = ""  # classes and ids of the block and its ancestors, space-joined
    element_id: str | None = None
    path: tuple[int, ...] = ()  # ids of the container elements around the block, outermost first
    link_only: bool = False  # all its text sits inside links
    link_text: str = ""  # text inside links
    heading_link: str | None = None  # href of a link wrapping the whole block
    run: list | None = None  # tag "sponsor": the sponsored blocks it stands for (read_sponsors)
    size: float | None = None  # font size in px from the inline styles around it (e-mail typography)

    @property
    def level(self) -> int:
        return int(self.tag[1]) if self.tag in HEADINGS else 0

    @property
    def separator(self) -> bool:
        return self.tag == "hr"

    def full_text(self) -> str:
        if self.label:
            return f"{self.label} : {self.text}" if self.text else self.label
        return self.text


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _is_block(el) -> bool:
    """A block element, or an inline one wrapping blocks (``<a><h3>..</h3><p>..</p></a>``)."""
    tag = _tag(el)
    if tag in BLOCK_TAGS:
        return True
    if not tag:
        return False
    # an unknown or inline wrapper (<x-player><o:p><h2>...) is a block when a block sits anywhere
    # inside it; a bounded look, so deep inline nesting costs nothing special
    for n, node in enumerate(el.iterdescendants()):
        if n > 200:
            break
        if _tag(node) in BLOCK_TAGS:
            return True
    return False


def _has_block_child(el) -> bool:
    for child in el:
        if isinstance(child.tag, str) and _is_block(child):
            return True
    return False


def _bold_el(el) -> bool:
    tag = _tag(el)
    if tag in ("b", "strong") or tag in HEADINGS:
        return True
    style = el.get("style")
    return bool(style and _BOLD_STYLE.search(style))


def _style_of(el, size: float | None, bold: bool) -> tuple[float | None, bool]:
    """The font size (px) and weight an element gives its text, from its inline style (e-mail
    templates set typography on the cell or the <div>, not with heading tags)."""
    style = el.get("style")
    if style:
        m = _FONT_SIZE.search(style) or _FONT_SHORTHAND.search(style)
        if m:
            value, unit = float(m.group(1)), (m.group(2) or "px").lower()
            if unit == "pt":
                size = value * 4 / 3
            elif unit in ("em", "rem"):
                size = value * (size or 16.0) if unit == "em" else value * 16.0
            elif unit == "%":
                size = value / 100 * (size or 16.0)
            else:
                size = value
            # "font-size:0" on a layout cell hides the gaps between its children, which set their own;
            # text left at such a size is invisible (``INVISIBLE_SIZE``)
        if _BOLD_STYLE.search(style):
            bold = True
        elif _NORMAL_WEIGHT.search(style):
            bold = False
    if _tag(el) == "font" and el.get("size") in _HTML_FONT_SIZE:
        size = _HTML_FONT_SIZE[el.get("size")]
    return size, bold


def inline_pieces(lead: str | None, nodes, bold: bool = False, href: str | None = None,
                  size: float | None = None) -> list:
    """Inline content → [(text, bold, href, size) | BR], walking without recursion."""
    out: list = []
    if lead:
        out.append((lead, bold, href, size))
    stack: list = []
    for node in reversed(list(nodes)):
        stack.append(("tail", node.tail, bold, href, size))
        stack.append(("enter", node, bold, href, size))
    while stack:
        kind, item, b, h, z = stack.pop()
        if kind == "tail":
            if item:
                out.append((item, b, h, z))
            continue
        el = item
        tag = _tag(el)
        if not tag:
            continue
        if tag == "br":
            out.append(BR)
            continue
        if tag == "img":
            src = el.get("src") or ""
            alt = clean_text(el.get("alt") or "")
            if alt and len(alt.split()) <= 6 and _SPONSOR_ALT.match(alt):
                out.append(("", b, "label-image:" + alt, z))  # a "Sponsorisé" badge drawn as an image
            elif _AD_IMAGE.search(src):
                out.append(("", b, "ad-image:" + src, z))
            continue
        nz, nb = _style_of(el, z, b)
        nb = nb or tag in ("b", "strong") or tag in HEADINGS
        nh = h
        if tag == "a" and el.get("href"):
            nh = el.get("href")
        if el.text:
            out.append((el.text, nb, nh, nz))
        for child in reversed(list(el)):
            stack.append(("tail", child.tail, nb, nh, nz))
            stack.append(("enter", child, nb, nh, nz))
    return out


def _segments(pieces: list) -> list[list]:
    """Split inline pieces into lines of text at a double ``<br>``, or at a single one that
    ends a bold line (a title written as ``<b>Title</b><br>Text``)."""
    segs: list[list] = [[]]
    i = 0
    n = len(pieces)
    while i < n:
        p = pieces[i]
        if p is BR:
            j = i
            while j + 1 < n and (pieces[j + 1] is BR or (pieces[j + 1][0].strip() == "" and not pieces[j + 1][2])):
                j += 1
            brs = sum(1 for k in range(i, j + 1) if pieces[k] is BR)
            cur = segs[-1]
            words = [q for q in cur if q[0].strip()]
            bold_line = bool(words) and all(q[1] for q in words if _WORDY.search(q[0])) and \
                len("".join(q[0] for q in words)) < 160
            nxt = next((q for q in pieces[j + 1:] if q is not BR and q[0].strip()), None)
            bullet_line = nxt is not None and bool(_LINE_MARK.match(nxt[0])) and bool(words) and \
                bool(_LINE_MARK.match("".join(q[0] for q in cur).lstrip()))
            # "<a>First story</a><br><a>Second story</a>": a list of links, one a line
            link_line = bool(words) and nxt is not None and bool(nxt[2]) and all(q[2] for q in words) and \
                len({q[2] for q in words}) == 1
            if brs >= 2 or bold_line or bullet_line or link_line:
                segs.append([])
            else:
                cur.append((" ", False, None))
            i = j + 1
            continue
        segs[-1].append(p)
        i += 1
    return [s for s in segs if any(q[0].strip() or (q[2] or "").startswith(("ad-image:", "label-image:")) for q in s)]


_LABEL = re.compile(r"^(.{2,80}?)\s*[:：]\s*$", re.S)


_SITE_ONLY = re.compile(r"^\s*(?:https?://)?(?:www\.)?(?:[\w-]+\.)+[a-z]{2,12}/?\s*$", re.I)


def _drop_trailing_site(pieces: list) -> list:
    """"... the summary. blog.jetbrains.com": a closing link whose text is only its site is not read."""
    k = len(pieces)
    while k and not pieces[k - 1][0].strip():
        k -= 1
    if k and pieces[k - 1][2] and _SITE_ONLY.match(pieces[k - 1][0]) and \
            any(_WORDY.search(p[0]) for p in pieces[:k - 1]):
        return pieces[:k - 1]
    return pieces


def block_from_pieces(tag: str, pieces: list, classes: str, element_id: str | None, path: tuple[int, ...],
                      in_li: bool, size: float | None = None) -> RawBlock | None:
    pieces = _drop_trailing_site(pieces)
    text = clean_text("".join(p[0] for p in pieces))
    if text and not _WORDY.search(text):
        text = ""  # emoji or punctuation only: decoration
    links = []
    for p in pieces:
        if p[2] and p[2] not in links:
            links.append(p[2])
    if not text:
        label = next((h[len("label-image:"):] for h in links if h.startswith("label-image:")), None)
        if label:
            return RawBlock(tag="p", text=label, classes=classes, path=path, size=size)
        if any((h or "").startswith("ad-image:") for h in links):
            return RawBlock(tag="img", text="", links=links, classes=classes, path=path)
        return None
    wordy = [p for p in pieces if _WORDY.search(p[0])]
    whole_bold = bool(wordy) and all(p[1] for p in wordy)
    sizes = {p[3] for p in wordy if len(p) > 3}
    if len(sizes) == 1:
        size = sizes.pop()
    links = [h for h in links if not h.startswith("label-image:")]
    linked = [p for p in wordy if p[2] and not p[2].startswith("ad-image:")]
    link_only = bool(wordy) and len(linked) == len(wordy)
    link_text = clean_text(" ".join(p[0] for p in linked))
    heading_link = linked[0][2] if link_only and len({p[2] for p in linked}) == 1 else None
    label = None
    body = text
    if whole_bold:
        m = _LABEL.match(text)
        if m and tag not in HEADINGS:
            label, body = clean_text(m.group(1)), ""
    else:
        # a leading bold run ending with a colon: "Le résumé : ..."
        lead = []
        for p in pieces:
            if p[1] or not p[0].strip() or not _WORDY.search(p[0]):
                lead.append(p[0])
                if not p[1] and _WORDY.search(p[0]):
                    break
            else:
                break
        lead_text = clean_text("".join(lead))
        m = re.match(r"^(.{2,80}?)\s*[:：]", lead_text)
        if m and text.startswith(lead_text[: m.end()]):
            label = clean_text(m.group(1))
            body = clean_text(text[m.end():].lstrip(" :：\u00a0"))
    return RawBlock(tag="li" if in_li and tag == "p" else tag, text=body, label=label, bold=whole_bold,
                    links=links, classes=classes, element_id=element_id, path=path, link_only=link_only,
                    link_text=link_text, heading_link=heading_link, size=size)


_NUMBERISH = re.compile(r"^[\s€$£¥%+\-−–.,:/()\d]*\d[\s€$£¥%+\-−–.,:/()\dkKmMbB]*$")
_LAYOUT_INSIDE = ("table", "div", "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "img", "blockquote")


def data_table_rows(table) -> list[str] | None:
    """A data table (header cells, or a grid of short cells with numbers) → one line per row,
    each value with its column's header: "Area: North Quay; Recycling: Monday". ``None`` for a
    layout table, which stays transparent."""
    if (table.get("role") or "").lower() in ("presentation", "none"):
        return None
    rows = [tr for tr in table.iter("tr") if next(tr.iterancestors("table"), None) is table]
    if len(rows) < 2:
        return None
    grid: list[list[str]] = []
    header_row = False
    for n, tr in enumerate(rows):
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag.lower() in ("td", "th")]
        for c in cells:
            if any(isinstance(d.tag, str) and d.tag.lower() in _LAYOUT_INSIDE for d in c.iterdescendants()):
                return None  # blocks or images in cells: a layout table
        texts = [clean_text(" ".join(c.itertext())) for c in cells]
        if n == 0:
            header_row = bool(cells) and all(c.tag.lower() == "th" for c in cells)
        grid.append(texts)
    widths = {len(r) for r in grid}
    if len(widths) != 1 or widths.pop() < 2:
        return None
    cells = [t for r in grid for t in r]
    if sum(len(t.split()) for t in cells) > 12 * len(cells):
        return None
    numeric = sum(1 for t in cells if _NUMBERISH.match(t))
    if not header_row and (len(grid) < 3 or numeric < 0.3 * len(cells)):
        return None
    header = grid[0] if header_row or numeric else None
    body = grid[1:] if header else grid
    if header and not any(header):
        header = None
    lines = []
    for r in body:
        if header:
            parts = [f"{h}: {v}" if h else v for h, v in zip(header, r, strict=False) if v]
        else:
            parts = [v for v in r if v]
        if parts:
            lines.append("; ".join(parts) + ".")
    return lines


def flatten(root) -> list[RawBlock]:
    """Reading-order blocks under ``root`` (an lxml element), iteratively."""
    blocks: list[RawBlock] = []
    counter = 0
    # stack items: ("el", element, classes, in_li, path, style) | ("run", pieces, classes, in_li, path, style);
    # style is the (font size, bold) the containers give their text
    stack: list = [("el", root, "", False, (), (None, False))]
    while stack:
        kind, obj, inherited, in_li, path, style = stack.pop()
        if kind == "run":
            for seg in _segments(obj):
                b = block_from_pieces("p", seg, inherited, None, path, in_li, style[0])
                if b is not None:
                    blocks.append(b)
            continue
        el = obj
        tag = _tag(el)
        if not tag:
            continue
        own = " ".join(filter(None, (el.get("class"), el.get("id"))))
        cls = f"{inherited} {own}".strip() if own else inherited
        if tag == "hr":
            blocks.append(RawBlock(tag="hr", text="", classes=cls, path=path))
            continue
        size, bold = _style_of(el, *style)
        if tag == "table":
            rows = data_table_rows(el)
            if rows is not None:
                for row in rows:
                    blocks.append(RawBlock(tag="li", text=row, classes=cls, path=path, size=size))
                continue
        if tag in HEADINGS or tag == "p" or not _has_block_child(el):
            # a heading is one line whatever it wraps (Substack puts anchor <div>s in <h2>)
            pieces = inline_pieces(el.text, el, bold=bold or tag in ("b", "strong"), size=size)
            if tag in HEADINGS:  # a line break inside a heading is a space
                segs = [[(" ", False, None) if p is BR else p for p in pieces]]
            else:
                segs = _segments(pieces)
            for seg in segs:
                b = block_from_pieces(tag if tag in LEAF_BLOCKS else "p", seg, cls, el.get("id"), path,
                                      in_li or tag == "li", size)
                if b is not None:
                    blocks.append(b)
            continue
        if tag in UNIT_TAGS:
            counter += 1
            child_path = path + (counter,)
        else:
            child_path = path
        child_li = in_li or tag == "li"
        child_style = (size, bold)
        # children in order; inline runs between block children become anonymous blocks
        items: list = []
        run_nodes: list = []
        lead = el.text
        for child in el:
            if isinstance(child.tag, str) and _is_block(child):
                if lead or run_nodes:
                    items.append(("run", inline_pieces(lead, run_nodes, bold=bold, size=size), cls, child_li,
                                  child_path, child_style))
                lead, run_nodes = None, []
                items.append(("el", child, cls, child_li, child_path, child_style))
                if child.tail and child.tail.strip():
                    lead = child.tail
            else:
                run_nodes.append(child)
        if lead or run_nodes:
            items.append(("run", inline_pieces(lead, run_nodes, bold=bold, size=size), cls, child_li, child_path,
                          child_style))
        stack.extend(reversed(items))
    return blocks

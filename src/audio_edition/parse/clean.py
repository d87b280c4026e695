"""Load HTML safely and drop everything that is never read.

lxml's HTML parser never fetches anything and never expands external entities; we also
remove ``<script>``, ``<style>``, ``<template>``, ``<noscript>``, comments, and anything
hidden (``hidden``, ``aria-hidden="true"``, ``display:none``, ``visibility:hidden``).
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from ..errors import ParseError

NEVER_READ_TAGS = {"script", "style", "template", "noscript", "head", "svg", "iframe", "form",
                   "button", "input", "select", "textarea", "object", "embed", "canvas", "video", "audio"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|max-height\s*:\s*0|mso-hide\s*:\s*all", re.I)
_HIDDEN_CLASS = re.compile(r"(^|\s)(hidden|sr-only|visually-hidden|preheader)(\s|$)", re.I)


def load_html(raw_html: str, where: str) -> lxml.html.HtmlElement:
    if not raw_html or not raw_html.strip():
        raise ParseError(f"{where}: the file is empty")
    parser = lxml.html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True,
                                  recover=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(raw_html, parser=parser)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ParseError(f"{where}: not readable as HTML ({exc})") from None
    if root is None:
        raise ParseError(f"{where}: not readable as HTML")
    return root


def is_hidden(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden", "").lower() == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    cls = el.get("class")
    return bool(cls and _HIDDEN_CLASS.search(cls))


def strip_unread(root, skipped: list | None = None) -> None:
    """Remove never-read elements in place (iteratively: no recursion limit)."""
    doomed = []
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments, processing instructions, entities
            doomed.append(el)
            continue
        tag = el.tag.lower()
        if tag in NEVER_READ_TAGS and tag != "head":
            doomed.append(el)
        elif tag != "html" and tag != "body" and is_hidden(el):
            if skipped is not None:
                text = " ".join(el.text_content().split())
                if text:
                    skipped.append(("hidden", text))
            doomed.append(el)
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        # keep the tail text, which belongs to the parent
        if el.tail and el.tail.strip():
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)

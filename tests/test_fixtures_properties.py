"""Properties every fixture's script must have, whatever the platform: no sponsor or
boilerplate phrase is read, every table-of-contents entry has its story, stories keep their
order, and nothing hidden is ever read."""

from __future__ import annotations

import re
import unicodedata

import lxml.html
import pytest

from audio_edition import sources
from audio_edition.parse import parse_issue
from audio_edition.parse.clean import is_hidden
from audio_edition.script import build_script

from .conftest import FIXTURES

INPUTS = sorted(p for p in (FIXTURES / "platforms").iterdir() if not p.name.endswith(".json")) + [
    FIXTURES / "mammam-ia" / n for n in ("web.html", "email.html", "email.eml", "rss.xml")]

NEVER = re.compile(
    r"sponsoris[ée]\b|publicit[ée]\b|en partenariat avec|pr[ée]sent[ée] par|merci [àa] notre sponsor|\bsponsored\b|"
    r"presented by|in partnership with|together with|lire en ligne|view (this email )?in (your )?browser|"
    r"read online|unsubscribe|d[ée]sabonner|d[ée]sinscri|update your preferences|mettre [àa] jour (tes|vos) pr[ée]f|"
    r"\{\{|\}\}|\*\||\|\*|%%|(powered by|propuls[ée] par) "
    r"(beehiiv|substack|ghost|buttondown|wordpress|mailchimp)|abonne-toi|abonnez-vous|\bsubscribe\b|s['’]abonner|"
    r"partager sur|share on|leave a comment|ajouter un commentaire|lire aussi|read more|keep reading|"
    r"continuer la lecture|tous droits r[ée]serv[ée]s|all rights reserved|pour participer aux sondages|"
    r"forwarded this|transf[ée]r[ée] cette lettre", re.I)


def _no_xml_declaration(html: str) -> str:
    """lxml refuses a decoded string that declares its encoding, as XHTML e-mails do."""
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", html)


def scripts_for(path):
    out = []
    for issue in sources.load(str(path)):
        doc = parse_issue(issue)
        out.append((issue, doc, build_script(doc)))
    return out


@pytest.fixture(scope="module", params=INPUTS, ids=lambda p: f"{p.parent.name}/{p.name}")
def fixture_scripts(request):
    return scripts_for(request.param)


def read_texts(script):
    return [t for s in script.segments for t in (s.title, s.text, s.spoken)]


def squash(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[^\w]+", " ", text).strip()


TEMPLATE = re.compile(r"\{\{|\}\}|\*\||\|\*|%%")


def test_no_sponsor_or_boilerplate_phrase_is_read(fixture_scripts):
    """No read line is such a phrase, starts with one, or is a short line holding one (a story
    may well say "la publicité mise sur..." in the middle of a paragraph)."""
    for _issue, _doc, script in fixture_scripts:
        for text in read_texts(script):
            assert not TEMPLATE.search(text), text
            for line in text.split("\n"):
                plain = re.sub(r"^[\W_]+", "", line)
                m = NEVER.search(plain)
                if m and (m.start() == 0 or len(plain.split()) <= 12):
                    pytest.fail(f"{m.group(0)!r} read in: {line[:200]!r}")


def test_every_toc_entry_has_a_story(fixture_scripts):
    for _issue, doc, script in fixture_scripts:
        assert not script.warnings, script.warnings
        if doc.toc:
            stories = [squash(s.title) for s in doc.stories]
            for entry in doc.toc:
                assert any(set(squash(entry).split()) & set(t.split()) for t in stories), entry


def test_stories_keep_their_order(fixture_scripts):
    for issue, _doc, script in fixture_scripts:
        source = squash(lxml.html.document_fromstring(_no_xml_declaration(issue.raw_html)).text_content())
        at = 0
        for seg in script.segments:
            if seg.role not in ("story", "section"):
                continue
            key = squash(seg.title)
            found = source.find(key, at)
            assert found >= 0, f"{seg.title!r} not found after position {at}"
            at = found


def hidden_sentences(raw_html: str) -> list[str]:
    root = lxml.html.document_fromstring(_no_xml_declaration(raw_html))
    out = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag not in ("html", "body") and is_hidden(el):
            for sentence in re.split(r"(?<=[.!?])\s+", " ".join(el.text_content().split())):
                sentence = re.sub("[\u200b-\u200f\u034f\u00ad]", "", sentence).strip()
                if len(sentence.split()) >= 4:
                    out.append(sentence)
    return out


def test_hidden_text_is_never_read(fixture_scripts):
    for issue, _doc, script in fixture_scripts:
        texts = [squash(t) for t in read_texts(script)]
        for sentence in hidden_sentences(issue.raw_html):
            key = squash(sentence)
            assert not any(key in t for t in texts), sentence


def test_every_story_and_section_has_text_and_a_title(fixture_scripts):
    for _issue, _doc, script in fixture_scripts:
        parts = [s for s in script.segments if s.role in ("story", "section")]
        assert parts
        for seg in parts:
            assert seg.title.strip() and len(seg.text.split()) > len(seg.title.split())

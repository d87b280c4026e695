"""Bad and hostile input: a clear one-line error or a correct script, never a traceback, a
RecursionError, an expanded entity, unbounded memory, or text that was hidden."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio_edition.errors import AudioEditionError, ParseError
from audio_edition.models import Issue
from audio_edition.parse import parse_issue
from audio_edition.script import build_script

from .conftest import SRC, run_cli


def issue(html: str) -> Issue:
    return Issue(id="t", source="test.html", raw_html=html)


def all_text(script) -> str:
    return "\n".join(s.title + "\n" + s.text + "\n" + s.spoken for s in script.segments)


def test_ten_thousand_nested_divs_keep_their_text():
    html = ("<html><body><p>Bonjour à tous, voici la lettre.</p>" + "<div>" * 10_000
            + "<h2>Titre profond</h2><p>Le texte au fond des divs.</p>" + "</div>" * 10_000
            + "<h2>Après les divs</h2><p>Le texte qui suit est lu aussi.</p></body></html>")
    script = build_script(parse_issue(issue(html)))
    text = all_text(script)
    assert "Le texte au fond des divs." in text and "Le texte qui suit est lu aussi." in text


def test_ten_thousand_nested_inline_elements():
    html = "<p>Bonjour, " + "<span><b>" * 5000 + "texte très imbriqué" + "</b></span>" * 5000 + ".</p>"
    doc = parse_issue(issue(html))
    assert "texte très imbriqué" in " ".join(doc.intro) + (doc.greeting or "")


def test_html_entities_declared_in_a_doctype_are_not_expanded():
    html = ('<!DOCTYPE html [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            "<html><body><h1>Titre</h1><p>Bonjour &b; et la suite du texte de la lettre.</p></body></html>")
    script = build_script(parse_issue(issue(html)))
    assert "AAAA" not in all_text(script)


def test_never_read_elements_and_hidden_text():
    html = """<html><head><style>.ghost{display:none} p{color:red}</style><script>var x = "SCRIPT_TEXT";</script></head>
    <body><p>Bonjour à tous,</p>
    <noscript>NOSCRIPT_TEXT</noscript><template><p>TEMPLATE_TEXT</p></template><!-- COMMENT_TEXT -->
    <p hidden>HIDDEN_ATTR_TEXT</p><p aria-hidden="true">ARIA_TEXT</p><p style="display: none">STYLE_TEXT</p>
    <div style="visibility:hidden">VISIBILITY_TEXT</div><p class="ghost">CSS_CLASS_TEXT</p>
    <span style="display:none;max-height:0;overflow:hidden">PREHEADER_TEXT</span>
    <h2>Un sujet</h2><p>Le texte du sujet, bien visible.</p><img alt="ALT_TEXT" src="x.png">
    <svg><text>SVG_TEXT</text></svg><form><label>FORM_TEXT</label><input value="INPUT_TEXT"></form></body></html>"""
    script = build_script(parse_issue(issue(html)))
    text = all_text(script)
    assert "Le texte du sujet, bien visible." in text
    for needle in ("SCRIPT_TEXT", "NOSCRIPT_TEXT", "TEMPLATE_TEXT", "COMMENT_TEXT", "HIDDEN_ATTR_TEXT", "ARIA_TEXT",
                   "STYLE_TEXT", "VISIBILITY_TEXT", "CSS_CLASS_TEXT", "PREHEADER_TEXT", "ALT_TEXT", "SVG_TEXT",
                   "FORM_TEXT", "INPUT_TEXT", "color:red"):
        assert needle not in text


def test_five_hundred_stories():
    parts = "".join(f"<h2>{n}. Sujet numéro {n}</h2><p>Le texte du sujet {n}.</p><p>Suite du sujet {n}.</p>"
                    for n in range(1, 501))
    html = f"<html><body><h1>Édition géante</h1><p>Bonjour,</p>{parts}</body></html>"
    script = build_script(parse_issue(issue(html)))
    stories = [s for s in script.segments if s.role == "story"]
    assert len(stories) == 500
    assert [s.title for s in stories[:3]] == ["Sujet numéro 1", "Sujet numéro 2", "Sujet numéro 3"]
    assert "Suite du sujet 500." in stories[-1].text


@pytest.mark.parametrize("html", ["", "   \n ", "<html><body></body></html>", "<p>   </p>", "<div><img src=x></div>",
                                  "<script>alert(1)</script>"])
def test_nothing_to_read_is_a_parse_error(html):
    with pytest.raises(ParseError) as err:
        parse_issue(issue(html))
    assert "test.html" in str(err.value) and "\n" not in str(err.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(list("<>/=\"'&;#!-[]{}|*%ab pdivh1l2 \n\u00e9\u200b\U0001F600")), max_size=300))
def test_any_markup_soup_gives_a_document_or_a_parse_error(soup):
    try:
        doc = parse_issue(issue(soup))
    except AudioEditionError:
        return
    build_script(doc)


_WORDS = st.sampled_from(["Bonjour", "OpenAI lève 38 milliards $", "Sponsorisé", "1.", "1️⃣", "Le résumé :",
                          "Lire en ligne", "  ", "—", "Titre du sujet", "», «", "1 = bof // 5 = top", "20 %"])
_INLINE = ["b", "strong", "a", "span", "em", "sup", "i", "u", "font"]
_BLOCK = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "div", "li", "ul", "td", "blockquote", "section"]


def _wrap(tag: str, kids: list[str]) -> str:
    attrs = " href='https://x.fr/a'" if tag == "a" else ""
    return f"<{tag}{attrs}>" + "".join(kids) + f"</{tag}>"


def _element(children):
    return st.builds(_wrap, st.sampled_from(_INLINE + _BLOCK), st.lists(children, max_size=4))


_LEAF = st.one_of(_WORDS, st.sampled_from(["<br>", "<br/><br/>", "<hr>", "<img src='x.png' alt='image'>"]))
_TREE = st.recursive(_LEAF, _element, max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TREE, min_size=1, max_size=8))
def test_any_tree_of_newsletter_markup_gives_a_script_or_a_parse_error(parts):
    """Well-formed but arbitrary nesting (a <br> inside a heading, a heading inside a link...)."""
    html = "<html><body>" + "".join(parts) + "</body></html>"
    try:
        doc = parse_issue(issue(html))
    except AudioEditionError:
        return
    build_script(doc)


def _peak_child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def test_fifty_megabyte_page_is_refused_in_bounded_memory(tmp_path):
    para = "<p>Un paragraphe de texte ordinaire, pour remplir la page, avec un emoji 🚀.</p>\n"
    path = tmp_path / "huge.html"
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("<html><body>")
        chunk = para * 1000
        written = 0
        while written < 50_000_000:
            fh.write(chunk)
            written += len(chunk.encode())
        fh.write("</body></html>")
    code = ("import resource, subprocess, sys; p = subprocess.run([sys.executable, '-m', 'audio_edition', 'script', "
            f"{str(path)!r}], capture_output=True, text=True); print(p.returncode); print(p.stderr.strip()); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"})
    status, stderr, peak_kb = proc.stdout.strip().split("\n")
    assert status == "1"
    assert stderr.startswith("audio-edition: error:") and "MB" in stderr and "limit" in stderr
    assert "Traceback" not in stderr
    assert int(peak_kb) / 1024 < 500


def test_big_page_of_mostly_inline_images_is_read(tmp_path):
    image = "data:image/png;base64," + "iVBORw0KGgo" * 200_000  # ~2.2 MB per image
    body = "".join(f'<img src="{image}"><h2>Sujet {n}</h2><p>Texte du sujet {n}.</p>' for n in range(1, 6))
    path = tmp_path / "images.html"
    path.write_text(f"<html><body><p>Bonjour à tous,</p>{body}</body></html>")
    proc = run_cli("script", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    stories = [s for s in json.loads(proc.stdout)["segments"] if s["role"] == "story"]
    assert [s["title"] for s in stories] == [f"Sujet {n}" for n in range(1, 6)]


def test_image_renamed_html_through_the_cli(tmp_path):
    path = tmp_path / "photo.html"
    path.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 10)
    proc = run_cli("script", path)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "JPEG" in proc.stderr and "Traceback" not in proc.stderr

"""Inputs that used to lose content, read through the CLI as a user would: an XHTML e-mail with
an XML declaration, an embed left open before a story, a feed in windows-1252 or ISO-8859-1, a
page with no declared charset, a <form> around the whole issue."""

from __future__ import annotations

import json

import pytest

from .conftest import run_cli

STORIES = """<h2>Le premier sujet</h2><p>Les résultats dépassent déjà toutes les prévisions de l’été.</p>
{between}
<h2>Le second sujet</h2><p>Une crème brûlée à la française, élue meilleure recette de l’année.</p>
<h2>Le troisième sujet</h2><p>Le château ouvre ses portes aux élèves dès la rentrée.</p>"""


def script_of(path) -> dict:
    proc = run_cli("script", path, "--format", "json")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def read_aloud(script: dict) -> str:
    return "\n".join(s["title"] + "\n" + s["text"] for s in script["segments"])


def story_titles(script: dict) -> list[str]:
    return [s["title"] for s in script["segments"] if s["role"] == "story"]


@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1", "windows-1252"])
def test_xhtml_with_an_xml_declaration_is_read_whole(tmp_path, encoding):
    page = (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
            '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
            '<html xmlns="http://www.w3.org/1999/xhtml" lang="fr"><head><title>La lettre du château</title></head>'
            f'<body><table><tr><td>{STORIES.format(between="")}</td></tr></table></body></html>')
    path = tmp_path / "xhtml.html"
    path.write_bytes(page.replace("’", "'").encode(encoding))
    script = script_of(path)
    assert story_titles(script) == ["Le premier sujet", "Le second sujet", "Le troisième sujet"]
    assert "crème brûlée à la française" in read_aloud(script)


@pytest.mark.parametrize("embed", [
    '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315" frameborder="0" allowfullscreen>',
    '<object data="https://player.example.com/ep12.swf" type="application/x-shockwave-flash" width="400">'
    '<param name="movie" value="ep12.swf">',
    '<embed src="https://player.example.com/ep12.swf" type="application/x-shockwave-flash">',
    '<video controls poster="https://cdn.example.com/p.jpg"><source src="https://cdn.example.com/v.mp4">',
    '<audio controls src="https://cdn.example.com/podcast.mp3">',
    '<noscript><img src="https://track.example.com/open.gif" width="1" height="1">',
    '<canvas id="chart" width="300" height="150">',
    '<x-player data-id="12"><o:p>',
])
def test_an_embed_left_open_never_swallows_the_stories_after_it(tmp_path, embed):
    path = tmp_path / "issue.html"
    path.write_text(f'<html lang="fr"><body>{STORIES.format(between=embed)}</body></html>', encoding="utf-8")
    script = script_of(path)
    assert story_titles(script) == ["Le premier sujet", "Le second sujet", "Le troisième sujet"]
    assert "Le château ouvre ses portes" in read_aloud(script)


def test_a_closed_player_keeps_its_fallback_unread(tmp_path):
    between = ('<video controls><source src="v.mp4"><p>Votre navigateur ne lit pas la vidéo.</p></video>'
               '<iframe src="https://www.youtube.com/embed/abc">Activez les iframes</iframe>')
    path = tmp_path / "issue.html"
    path.write_text(f'<html lang="fr"><body>{STORIES.format(between=between)}</body></html>', encoding="utf-8")
    script = script_of(path)
    text = read_aloud(script)
    assert len(story_titles(script)) == 3
    assert "navigateur" not in text and "Activez" not in text


def test_a_form_around_the_whole_issue_is_read_but_a_signup_form_is_not(tmp_path):
    page = ('<html lang="fr"><body><form id="aspnetForm" method="post"><input type="hidden" name="vs" value="x">'
            f'{STORIES.format(between="")}</form>'
            '<form action="/subscribe"><label>Votre adresse e-mail</label><input name="email">'
            '<button>Je m’inscris</button></form></body></html>')
    path = tmp_path / "issue.html"
    path.write_text(page, encoding="utf-8")
    script = script_of(path)
    assert len(story_titles(script)) == 3
    assert "Votre adresse e-mail" not in read_aloud(script)


RSS = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Café Hebdo</title><link>https://cafe.example.fr/</link><language>fr</language>
<item><title>L’été arrive à la rédaction</title><guid>https://cafe.example.fr/ete</guid>
<pubDate>Mon, 02 Jun 2025 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[{stories}]]></content:encoded></item></channel></rss>"""


@pytest.mark.parametrize("encoding", ["windows-1252", "ISO-8859-1"])
def test_a_feed_in_a_western_charset_keeps_its_accents(tmp_path, encoding):
    stories = STORIES.format(between="")
    if encoding == "ISO-8859-1":  # no curly apostrophe in latin-1
        stories = stories.replace("’", "'")
    rss = RSS.format(encoding=encoding, stories=stories)
    if encoding == "ISO-8859-1":
        rss = rss.replace("’", "'")
    path = tmp_path / "feed.xml"
    path.write_bytes(rss.encode(encoding))
    script = script_of(path)
    text = read_aloud(script)
    assert script["title"].replace("'", "’") == "L’été arrive à la rédaction"
    assert script["publication"] == "Café Hebdo"
    assert "crème brûlée à la française" in text and "Le troisième sujet" in text
    assert "Ã" not in text


def test_a_page_without_a_declared_charset_is_detected(tmp_path):
    page = (f'<html lang="fr"><body>{STORIES.format(between="")}'
            '<p>Nous étions très émus par vos réponses : à la prochaine édition, chères lectrices.</p></body></html>')
    path = tmp_path / "issue.html"
    path.write_bytes(page.replace("’", "'").encode("iso-8859-1"))
    text = read_aloud(script_of(path))
    assert "crème brûlée à la française" in text and "\ufffd" not in text

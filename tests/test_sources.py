"""SOURCE → issues: files and their charsets, e-mails, feeds, directories and URLs (served
by a local http.server started here; never the real network)."""

from __future__ import annotations

import http.server
import threading
import time
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from audio_edition import sources
from audio_edition.errors import SourceError
from audio_edition.parse import parse_issue

from .conftest import FIXTURES

PAGE = """<html><head><meta charset="{charset}"><title>Essai</title></head>
<body><h1>Essai</h1><p>Bonjour à tous, voici l’été et ses crème brûlées.</p></body></html>"""


# --- files and charsets -------------------------------------------------------------------

@pytest.mark.parametrize("data,expected", [
    (PAGE.format(charset="utf-8").encode("utf-8"), "l’été et ses crème brûlées"),
    (PAGE.format(charset="windows-1252").encode("cp1252"), "l’été et ses crème brûlées"),
    (PAGE.format(charset="iso-8859-1").encode("cp1252"), "l’été et ses crème brûlées"),  # latin-1 label, cp1252 bytes
    (PAGE.format(charset="utf-8").encode("cp1252"), "l’été et ses crème brûlées"),  # mislabelled
    (b"\xef\xbb\xbf" + PAGE.format(charset="utf-8").encode("utf-8"), "l’été et ses crème brûlées"),  # BOM
    (PAGE.format(charset="utf-16").encode("utf-16"), "l’été et ses crème brûlées"),  # UTF-16 with BOM
    (PAGE.format(charset="utf-16").encode("utf-16-be").join([b"\xfe\xff", b""]), "l’été et ses crème brûlées"),
])
def test_charsets(tmp_path, data, expected):
    path = tmp_path / "issue.html"
    path.write_bytes(data)
    [issue] = sources.load(str(path))
    assert expected in issue.raw_html


def test_mixed_utf8_with_stray_cp1252_bytes(tmp_path):
    path = tmp_path / "issue.html"
    path.write_bytes("<p>déjà vu</p>".encode() + "<p>café crème</p>".encode("cp1252"))
    [issue] = sources.load(str(path))
    assert "déjà vu" in issue.raw_html and "café crème" in issue.raw_html


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"),
    (b" \n\t ", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    (b"\xff\xd8\xff\xe0" + bytes(300), "JPEG"),
    (b"%PDF-1.7\n" + bytes(range(256)), "PDF"),
    (b"no markup in here at all, just words\n", "not an HTML document"),
])
def test_not_an_issue(tmp_path, data, needle):
    path = tmp_path / "issue.html"
    path.write_bytes(data)
    with pytest.raises(SourceError) as err:
        sources.load(str(path))
    assert needle in str(err.value) and str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_source():
    with pytest.raises(SourceError, match="no such file"):
        sources.load("/nonexistent/issue.html")


# --- e-mail --------------------------------------------------------------------------------

def make_eml(html: str, *, charset="utf-8", cte="quoted-printable", subject="Le sujet du jour",
             date="Tue, 04 Mar 2025 07:30:00 +0100", sender="La Lettre <bonjour@example.org>") -> bytes:
    msg = EmailMessage(policy=policy.SMTP)
    msg["From"] = sender
    msg["To"] = "lecteur@example.org"
    msg["Subject"] = subject
    msg["Date"] = date
    msg.set_content("version texte", charset=charset, cte=cte)
    msg.add_alternative(html, subtype="html", charset=charset, cte=cte)
    return msg.as_bytes()


@pytest.mark.parametrize("charset,cte", [("utf-8", "quoted-printable"), ("utf-8", "base64"),
                                         ("iso-8859-1", "quoted-printable"), ("windows-1252", "8bit")])
def test_eml_html_part(tmp_path, charset, cte):
    html = "<html><body><p>Bonjour, voilà l’édition spéciale « été ».</p></body></html>"
    if charset == "iso-8859-1":
        html = html.replace("’", "'").replace("« ", '"').replace(" »", '"')
    path = tmp_path / "issue.eml"
    path.write_bytes(make_eml(html, charset=charset, cte=cte, subject="Édition spéciale été"))
    [issue] = sources.load(str(path))
    assert "édition spéciale" in issue.raw_html
    assert issue.title == "Édition spéciale été"
    assert issue.published == "2025-03-04"
    assert issue.feed_meta["publication"] == "La Lettre"


def test_eml_whose_header_folding_was_lost_still_gives_its_html(tmp_path):
    """Archives sometimes store mail with folded header lines un-indented: the headers then end
    early and the MIME parts would be read as text. The folding is mended instead."""
    raw = make_eml("<html><body><p>Bonjour, la lettre de mars.</p></body></html>")
    broken = (b"Received: from mx.example.org (mx.example.org [10.0.0.1])\r\n"
              b"by work-mx.example.org (Postfix) with ESMTP id 4C8B1\r\n" + raw)
    path = tmp_path / "broken.eml"
    path.write_bytes(broken)
    [issue] = sources.load(str(path))
    assert "Bonjour, la lettre de mars." in issue.raw_html and "ESMTP" not in issue.raw_html
    assert issue.title == "Le sujet du jour"


@pytest.mark.parametrize("sender,publication", [
    ("Jérôme Marin / Cafétech <cafetech@substack.com>", "Cafétech"),
    ("L'équipe Tech.Rocks <news@tech.rocks>", "Tech.Rocks"),
    ("The Morning Brew Team <crew@morningbrew.com>", "Morning Brew"),
    ("Dan at The Sunday Ledger <dan@ledger.example>", "The Sunday Ledger"),
    ("Kotlin Weekly <news@kotlinweekly.net>", "Kotlin Weekly"),
])
def test_eml_sender_names_the_publication(tmp_path, sender, publication):
    path = tmp_path / "issue.eml"
    path.write_bytes(make_eml("<p>Bonjour, la lettre de mars.</p>", sender=sender))
    [issue] = sources.load(str(path))
    assert issue.feed_meta["publication"] == publication


@pytest.mark.parametrize("sender,publication,author", [
    ("Jane from Acme Weekly <jane@acme.example>", "Acme Weekly", "Jane"),
    ("Léa de chez Bidule <lea@bidule.example>", "Bidule", "Léa"),
    ("Kotlin Weekly <news@kotlinweekly.net>", "Kotlin Weekly", None),
])
def test_eml_sender_gives_publication_and_author_apart(tmp_path, sender, publication, author):
    path = tmp_path / "issue.eml"
    path.write_bytes(make_eml("<h2>Un sujet</h2><p>Bonjour, la lettre de mars, avec un texte assez long.</p>",
                              sender=sender))
    [issue] = sources.load(str(path))
    doc = parse_issue(issue)
    assert (doc.publication, doc.author) == (publication, author)


def test_eml_without_html_part_reads_the_text(tmp_path):
    msg = EmailMessage()
    msg["Subject"] = "Texte seul"
    msg["Date"] = "Wed, 05 Mar 2025 08:00:00 +0000"
    msg.set_content("Bonjour à tous,\n\nVoici la lettre en texte brut.\n\nÀ bientôt.")
    path = tmp_path / "plain.eml"
    path.write_bytes(msg.as_bytes())
    [issue] = sources.load(str(path))
    doc = parse_issue(issue)
    assert doc.greeting == "Bonjour à tous"
    assert "Voici la lettre en texte brut." in doc.intro


def test_eml_sniffed_without_suffix(tmp_path):
    path = tmp_path / "message"
    path.write_bytes(make_eml("<p>Bonjour tout le monde, la lettre arrive.</p>"))
    [issue] = sources.load(str(path))
    assert issue.title == "Le sujet du jour"


# --- feeds ---------------------------------------------------------------------------------

def rss(items: list[tuple[str, str, str]], lang: str | None = "fr") -> str:
    body = "".join(
        f"<item><title>{t}</title><link>https://ex.org/{n}</link><guid>g{n}</guid><pubDate>{d}</pubDate>"
        f"<content:encoded><![CDATA[<p>Bonjour,</p><h2>Sujet {n}</h2><p>{t} : le texte du "
        f"sujet.</p>]]></content:encoded></item>"
        for n, (t, d, _) in enumerate(items))
    language = f"<language>{lang}</language>" if lang else ""
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>La Lettre</title>'
            f"{language}{body}</channel></rss>")


ITEMS = [("Troisième", "Wed, 19 Mar 2025 08:00:00 +0000", ""), ("Deuxième", "Wed, 12 Mar 2025 08:00:00 +0000", ""),
         ("Première", "Wed, 05 Mar 2025 08:00:00 +0000", "")]


def test_rss_items_oldest_first_with_metadata(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text(rss(ITEMS), encoding="utf-8")
    issues = sources.load(str(path))
    assert [i.title for i in issues] == ["Première", "Deuxième", "Troisième"]
    assert [i.published for i in issues] == ["2025-03-05", "2025-03-12", "2025-03-19"]
    assert issues[0].source == f"{path}#g2" and issues[0].url == "https://ex.org/2"
    assert issues[0].feed_meta["publication"] == "La Lettre" and issues[0].feed_meta["language"] == "fr"


def test_rss_latest_and_since(tmp_path):
    path = tmp_path / "feed.rss"
    path.write_text(rss(ITEMS), encoding="utf-8")
    assert [i.title for i in sources.load(str(path), latest=2)] == ["Deuxième", "Troisième"]
    assert [i.title for i in sources.load(str(path), since="2025-03-12")] == ["Deuxième", "Troisième"]
    with pytest.raises(SourceError, match="on or after 2026-01-01"):
        sources.load(str(path), since="2026-01-01")
    with pytest.raises(SourceError, match="not a date"):
        sources.load(str(path), since="last week")


def test_atom_feed(tmp_path):
    atom = ("""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en"><title>The Letter</title>
<entry><title>Issue one</title><id>urn:1</id><link rel="alternate" href="https://ex.org/1"/>
<published>2025-02-01T08:00:00Z</published><author><name>Jo</name></author>
<content type="html">&lt;p&gt;Hello friends,&lt;/p&gt;&lt;h2&gt;A story&lt;/h2&gt;"""
            """&lt;p&gt;Some words about it.&lt;/p&gt;</content></entry>
</feed>""")
    path = tmp_path / "feed.atom"
    path.write_text(atom, encoding="utf-8")
    [issue] = sources.load(str(path))
    assert issue.title == "Issue one" and issue.published == "2025-02-01" and issue.url == "https://ex.org/1"
    doc = parse_issue(issue)
    assert doc.language == "en" and doc.greeting == "Hello friends"


def test_feed_entities_are_never_expanded(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>'
              '<rss version="2.0"><channel><title>&d;</title><item><title>Titre &d;</title>'
              '<description>&lt;p&gt;Bonjour à tous, voici la lettre.&lt;/p&gt;</description></item></channel></rss>')
    path = tmp_path / "laughs.xml"
    path.write_text(laughs, encoding="utf-8")
    [issue] = sources.load(str(path))
    assert "aaaa" not in (issue.title or "") and "aaaa" not in issue.raw_html
    assert "aaaa" not in str(issue.feed_meta)


# --- directories ---------------------------------------------------------------------------

def test_directory_oldest_first_by_date_then_name(tmp_path):
    (tmp_path / "b.html").write_text('<html><head><meta property="article:published_time" content="2025-01-01">'
                                     "</head><body><p>Bonjour, la lettre de janvier.</p></body></html>")
    (tmp_path / "a.html").write_text('<html><head><meta property="article:published_time" content="2025-02-01">'
                                     "</head><body><p>Bonjour, la lettre de février.</p></body></html>")
    (tmp_path / "c.eml").write_bytes(make_eml("<p>Bonjour, la lettre de mars.</p>", date="Sat, 01 Mar 2025 08:00:00 "
                                                                                         "+0000"))
    (tmp_path / "notes.txt").write_text("ignored")
    issues = sources.load(str(tmp_path))
    assert [Path(i.source).name for i in issues] == ["b.html", "a.html", "c.eml"]
    assert [i.title for i in sources.load(str(tmp_path), latest=1)] == ["Le sujet du jour"]


def test_empty_directory(tmp_path):
    with pytest.raises(SourceError, match="holds no issue files"):
        sources.load(str(tmp_path))


# --- URLs ----------------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}
    hits: list = []

    def do_GET(self):  # noqa: N802
        Handler.hits.append(self.path)
        route = Handler.routes.get(self.path.split("?")[0])
        if route is None:
            self.send_response(404)
            self.end_headers()
            return
        status, headers, body = route
        if callable(body):
            body = body()
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args):
        pass


@pytest.fixture()
def server():
    Handler.routes = {}
    Handler.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", Handler
    httpd.shutdown()
    httpd.server_close()


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_url_web_page_and_no_link_is_followed(server):
    base, h = server
    page = (f'<html><head><link rel="stylesheet" href="{base}/trap.css"></head><body><h1>La lettre</h1>'
            f'<p>Bonjour à tous,</p><h2>Un sujet</h2><p>Le texte et <a href="{base}/trap">un lien</a>.</p>'
            f'<img src="{base}/trap.png"><iframe src="{base}/trap-frame"></iframe></body></html>')
    h.routes["/post"] = (200, HTML, page.encode())
    [issue] = sources.load(f"{base}/post")
    doc = parse_issue(issue)
    assert doc.stories[0].title == "Un sujet"
    assert issue.url == f"{base}/post"
    assert h.hits == ["/post"]  # nothing found in the content was fetched


def test_url_feed(server):
    base, h = server
    h.routes["/feed"] = (200, {"Content-Type": "application/rss+xml"}, rss(ITEMS).encode())
    issues = sources.load(f"{base}/feed", latest=1)
    assert [i.title for i in issues] == ["Troisième"]
    assert issues[0].source == f"{base}/feed#g0"


def test_url_redirects_are_capped(server):
    base, h = server
    for n in range(10):
        h.routes[f"/r{n}"] = (302, {"Location": f"{base}/r{n + 1}"}, b"")
    with pytest.raises(SourceError, match="redirect"):
        sources.load(f"{base}/r0")
    h.routes["/ok1"] = (301, {"Location": f"{base}/ok2"}, b"")
    h.routes["/ok2"] = (200, HTML, PAGE.format(charset="utf-8").encode())
    [issue] = sources.load(f"{base}/ok1")
    assert issue.url == f"{base}/ok2"


def test_url_redirect_to_another_scheme_is_refused(server):
    base, h = server
    h.routes["/evil"] = (302, {"Location": "file:///etc/passwd"}, b"")
    with pytest.raises(SourceError, match="only http and https"):
        sources.load(f"{base}/evil")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/issue.html", "gopher://x/"])
def test_other_schemes_are_refused(url):
    with pytest.raises(SourceError, match="http"):
        sources.load(url)


def test_url_content_type_and_status(server):
    base, h = server
    h.routes["/image"] = (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n")
    with pytest.raises(SourceError, match="image/png"):
        sources.load(f"{base}/image")
    with pytest.raises(SourceError, match="404"):
        sources.load(f"{base}/missing")


def test_url_size_cap(server, monkeypatch):
    base, h = server
    monkeypatch.setattr(sources, "MAX_BYTES", 1000)
    h.routes["/big"] = (200, HTML, b"<p>" + b"x" * 5000 + b"</p>")  # no Content-Length: counted while reading
    with pytest.raises(SourceError, match="limit"):
        sources.fetch(f"{base}/big", max_bytes=1000)


def test_url_timeout(server):
    base, h = server

    def slow():
        time.sleep(3)
        return b"<p>late</p>"

    h.routes["/slow"] = (200, HTML, slow)
    started = time.monotonic()
    with pytest.raises(SourceError, match="timed out|cannot fetch"):
        sources.fetch(f"{base}/slow", timeout=0.5)
    assert time.monotonic() - started < 2.5


def test_unreachable_host():
    with pytest.raises(SourceError, match="cannot fetch"):
        sources.fetch("http://127.0.0.1:9/", timeout=2)


def test_fixture_eml_matches_bare_email_html():
    [eml] = sources.load(str(FIXTURES / "mammam-ia" / "email.eml"))
    [bare] = sources.load(str(FIXTURES / "mammam-ia" / "email.html"))
    assert eml.published == "2025-11-12"
    assert "Chers Dancing Queens" in eml.raw_html and "Chers Dancing Queens" in bare.raw_html

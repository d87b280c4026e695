"""The feed as podcast clients read it: feedparser and podcastparser see every field on a
several-episode show; untrusted text is escaped; every output is readable by a web server."""

from __future__ import annotations

import json
import stat
import uuid
from pathlib import Path

import feedparser
import podcastparser
import pytest
from lxml import etree

from audio_edition.config import parse_config
from audio_edition.feed import build_feed, write_feed

from .fakes.episodes import BASE_URL, make_episode, make_show

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
PODCAST = "{https://podcastindex.org/namespace/1.0}"
SHOW = {"show": {"title": "La Lettre (audio)", "description": "Chaque semaine, la lettre à écouter.",
                 "author": "L’équipe", "owner_name": "Jeanne Martin", "owner_email": "podcast@example.org",
                 "language": "fr", "category": "News", "subcategory": "Tech News", "explicit": False,
                 "copyright": "© 2025 La Lettre", "type": "episodic", "link": "https://lettre.example.org/",
                 "base_url": BASE_URL}}


@pytest.fixture
def show(tmp_path) -> Path:
    out = tmp_path / "out"
    make_show(out, 4)
    (out / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0fake")  # issue 11 writes the real artwork
    write_feed(out, parse_config(SHOW), BASE_URL)
    return out


def test_feedparser_sees_every_channel_and_item_field(show):
    d = feedparser.parse((show / "feed.xml").read_bytes())
    assert not d.bozo, d.bozo_exception
    f = d.feed
    assert f.title == "La Lettre (audio)" and f.link == "https://lettre.example.org/"
    assert f.subtitle == "Chaque semaine, la lettre à écouter." and f.language == "fr"
    assert f.rights == "© 2025 La Lettre"
    channel = etree.parse(str(show / "feed.xml")).getroot().find("channel")
    assert channel.findtext(f"{ITUNES}author") == "L’équipe"
    assert f.image.href == BASE_URL + "cover.jpg"
    assert f.publisher_detail.email == "podcast@example.org" and f.publisher_detail.name == "Jeanne Martin"
    assert [t.term for t in f.tags] == ["News", "Tech News"]
    assert f.podcast_locked["owner"] == "podcast@example.org"
    assert any(link.rel == "self" and link.href == BASE_URL + "feed.xml" for link in f.links)
    assert [e.title for e in d.entries] == [f"Lettre numéro {n}" for n in (4, 3, 2, 1)]  # newest first
    for e, n in zip(d.entries, (4, 3, 2, 1), strict=False):
        mp3 = next((show / "episodes").glob(f"*-lettre-{n}/*.mp3"))
        [enc] = e.enclosures
        assert enc.href == f"{BASE_URL}episodes/{mp3.parent.name}/{mp3.name}"
        assert int(enc.length) == mp3.stat().st_size and enc.type == "audio/mpeg"
        assert e.link == f"https://news.example.org/issues/{n}"
        assert e.id == f"urn:uuid:00000000-0000-4000-8000-{n:012d}" and e.guidislink is False
        assert e.published_parsed[:3] == (2025, 1, n)
        assert e.itunes_duration == "00:00:03" and e.itunes_episode == str(n) and e.itunes_episodetype == "full"
        assert e.image.href == BASE_URL + "cover.jpg"
        notes = e.content[0].value
        assert f'<a href="https://news.example.org/{n}/1">Sujet {n}.1</a>' in notes
        assert (f'Édition audio de la lettre <a href="https://news.example.org/issues/{n}">'
                f'Lettre numéro {n}</a>') in notes


def test_podcastparser_sees_every_episode_with_its_transcripts_and_chapters(show):
    with open(show / "feed.xml", "rb") as fh:
        pod = podcastparser.parse(BASE_URL + "feed.xml", fh)
    assert pod["title"] == "La Lettre (audio)" and pod["cover_url"] == BASE_URL + "cover.jpg"
    assert pod["type"] == "episodic"
    assert len(pod["episodes"]) == 4
    for ep in pod["episodes"]:
        slug = ep["enclosures"][0]["url"].split("/")[-2]
        assert ep["total_time"] == 3 and ep["number"] in (1, 2, 3, 4)
        assert ep["enclosures"][0]["file_size"] == (show / "episodes" / slug / f"{slug}.mp3").stat().st_size
        assert ep["guid"].startswith("urn:uuid:")
    root = etree.parse(str(show / "feed.xml")).getroot()
    for item in root.iter("item"):
        kinds = {t.get("type"): t.get("url") for t in item.findall(f"{PODCAST}transcript")}
        assert set(kinds) == {"text/vtt", "application/x-subrip", "text/html"}
        assert all(u.startswith(BASE_URL + "episodes/") for u in kinds.values())
        assert item.find(f"{PODCAST}chapters").get("type") == "application/json+chapters"


def test_podcast_guid_and_lock_follow_the_podcasting_2_spec(show):
    channel = etree.parse(str(show / "feed.xml")).getroot().find("channel")
    ns = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
    assert channel.findtext(f"{PODCAST}guid") == str(uuid.uuid5(ns, "podcast.example.org/show/feed.xml"))
    locked = channel.find(f"{PODCAST}locked")
    assert locked.text == "yes" and locked.get("owner") == "podcast@example.org"
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    assert channel.findtext(f"{ITUNES}type") == "episodic"
    # the example of the Podcasting 2.0 spec
    from audio_edition.feed import podcast_guid
    assert podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml") == "917393e3-1b1e-5cef-ace4-edaa54e1f810"


def test_explicit_true_serial_type_and_a_show_without_owner(tmp_path):
    out = tmp_path / "out"
    make_show(out, 1)
    root = etree.fromstring(build_feed(out, parse_config({"show": {"explicit": True, "type": "serial"}}), BASE_URL))
    ch = root.find("channel")
    assert ch.findtext(f"{ITUNES}explicit") == "true" and ch.findtext(f"{ITUNES}type") == "serial"
    assert ch.find(f"{ITUNES}owner") is None and ch.findtext(f"{PODCAST}locked") == "no"
    assert ch.find(f"{ITUNES}image") is None  # no artwork anywhere: check reports it


def test_hostile_titles_and_links_are_escaped_and_never_scripts(tmp_path):
    out = tmp_path / "out"
    make_episode(out, 1, title="<script>alert(1)</script> & co", url="javascript:alert(1)",
                 stories=[("<img src=x onerror=alert(1)>", "javascript:alert(2)"),
                          ("Data", "data:text/html,<b>x</b>"), ("File", "file:///etc/passwd"),
                          ("Fine", "https://ok.example/a?b=1&c=\"2\"")])
    data = build_feed(out, parse_config({}), BASE_URL)
    d = feedparser.parse(data)
    notes = d.entries[0].content[0].value
    lowered = notes.lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert "javascript:" not in lowered and "data:" not in lowered and "file:" not in lowered
    assert "&lt;img src=x onerror=alert(1)&gt;" in notes
    assert 'href="https://ok.example/a?b=1&amp;c=&quot;2&quot;"' in notes
    assert "link" not in d.entries[0] or not d.entries[0].link.startswith("javascript")
    assert d.entries[0].title == "<script>alert(1)</script> & co"  # text, escaped in the XML


def test_a_damaged_record_is_left_out_not_fatal(tmp_path):
    out = tmp_path / "out"
    make_show(out, 2)
    next((out / "episodes").glob("*-lettre-1/episode.json")).write_text("{not json", encoding="utf-8")
    d = feedparser.parse(build_feed(out, parse_config({}), BASE_URL))
    assert [e.title for e in d.entries] == ["Lettre numéro 2"]


def test_regenerating_an_unchanged_show_gives_the_same_bytes(show):
    before = (show / "feed.xml").read_bytes()
    mtime = (show / "feed.xml").stat().st_mtime_ns
    write_feed(show, parse_config(SHOW), BASE_URL)
    assert (show / "feed.xml").read_bytes() == before  # lastBuildDate is the newest episode's, not now
    assert (show / "feed.xml").stat().st_mtime_ns == mtime  # not even rewritten


def test_feed_and_pages_are_readable_by_a_web_server_running_as_another_user(tmp_path):
    from audio_edition.site import write_site

    out = tmp_path / "out"
    make_show(out, 1)
    write_feed(out, parse_config({}), BASE_URL)
    write_site(out, parse_config({}), BASE_URL)
    for p in out.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        if p.is_dir():
            assert mode & 0o005 == 0o005, (p, oct(mode))
        else:
            assert mode & 0o004, (p, oct(mode))


def test_example_build_outputs_are_world_readable_and_listed(example_build):
    for p in example_build.rglob("*"):  # --out itself is pytest's (0700)
        if ".audio-edition" in p.relative_to(example_build).parts:
            continue
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & (0o005 if p.is_dir() else 0o004), (p, oct(mode))
    record = json.loads(next(example_build.glob("episodes/*/episode.json")).read_text())
    assert record["number"] == 1 and record["episode_type"] == "full"
    assert (example_build / "index.html").is_file()
    assert (example_build / "episodes" / record["slug"] / "index.html").is_file()


def test_an_artwork_url_feedgen_would_drop_is_written(tmp_path):
    out = tmp_path / "out"
    make_show(out, 1)
    url = "https://cdn.example.org/art/cover.jpeg?size=3000"
    d = feedparser.parse(build_feed(out, parse_config({"show": {"image": url}}), BASE_URL))
    assert d.feed.image.href == url and d.entries[0].image.href == url

"""Real builds and the feed: guids and numbers survive ``build --force``; a second build adds an
item and leaves the others as they were; build --publish sends the result."""

from __future__ import annotations

import json
import shutil

import feedparser
import pytest
from lxml import etree

from .conftest import EXAMPLE, run_cli

BASE = "https://podcast.example.org/mammam/"
SMALL = """<!DOCTYPE html><html lang="fr"><head><title>Lettre n°2</title>
<meta property="og:site_name" content="La Lettre Test"/>
<meta property="article:published_time" content="2025-12-01T06:00:00Z"/></head>
<body><article><h1>Une seule nouvelle</h1>
<h2><a href="https://example.org/a">Un modèle ouvert</a></h2><p>Un modèle est publié, et il est gratuit.</p>
<h2><a href="https://example.org/b">Une puce</a></h2><p>Une nouvelle puce sort ce mois-ci.</p>
</article></body></html>"""


def _items(feed: bytes) -> dict[str, bytes]:
    root = etree.fromstring(feed)
    return {item.findtext("guid"): etree.tostring(item) for item in root.iter("item")}


@pytest.mark.slow
def test_force_keeps_guids_a_new_issue_adds_one_item_and_publish_sends_it(example_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(example_build, out)  # with its segment cache: no synthesis below for the example
    record_path = next(out.glob("episodes/*/episode.json"))
    before = json.loads(record_path.read_text())
    feed_before = (out / "feed.xml").read_bytes()

    proc = run_cli("build", EXAMPLE, "--engine", "espeak", "--out", out, "--base-url", BASE, "--force")
    assert proc.returncode == 0, proc.stderr
    after = json.loads(record_path.read_text())
    assert after["built_at"] >= before["built_at"] and after["mix_key"] == before["mix_key"]
    assert (after["guid"], after["number"]) == (before["guid"], before["number"])
    assert list(_items((out / "feed.xml").read_bytes())) == list(_items(feed_before))

    issue = tmp_path / "lettre-2.html"
    issue.write_text(SMALL, encoding="utf-8")
    dest = tmp_path / "www"
    proc = run_cli("build", issue, "--engine", "espeak", "--out", out, "--base-url", BASE, "--publish", dest)
    assert proc.returncode == 0, proc.stderr
    feed = (out / "feed.xml").read_bytes()
    items = _items(feed)
    old = _items(feed_before)
    assert len(items) == 2 and set(old) < set(items)
    [guid] = old
    assert items[guid] == old[guid]  # the existing episode's item is byte for byte the same
    d = feedparser.parse(feed)
    assert d.entries[0].title == "Une seule nouvelle" and d.entries[0].itunes_episode == "2"
    assert (dest / "feed.xml").read_bytes() == feed and next(dest.glob("episodes/*nouvelle*/*.mp3")).is_file()
    assert not (dest / ".audio-edition").exists()
    check = run_cli("check", "--out", out)  # no config: only what the show must still say about itself
    problems = [line.split(": ", 1)[1] for line in check.stdout.splitlines()]
    # the generated cover.jpg is the show's artwork, so only the owner's e-mail is missing
    assert problems == ["channel has no <itunes:owner> e-mail (set [show] owner_email)"]

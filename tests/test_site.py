"""The show's pages: structure a screen reader relies on, escaped text, and a real headless
chromium (Debian's chromium + chromium-driver through selenium) playing an episode served by
``serve``: a chapter seeks the player, the captions track loads."""

from __future__ import annotations

import shutil
import time

import pytest
from lxml import html as lxml_html

from audio_edition.config import parse_config
from audio_edition.feed import write_feed
from audio_edition.serve import serve_in_thread
from audio_edition.site import parse_vtt, write_site

from .fakes.episodes import BASE_URL, make_episode, make_show

CONFIG = parse_config({"show": {"title": "La Lettre", "description": "Chaque semaine.", "base_url": BASE_URL}})


@pytest.fixture
def site(tmp_path):
    out = tmp_path / "out"
    make_show(out, 2, seconds=9.0)
    (out / "cover.jpg").write_bytes(b"\xff\xd8\xff\xe0 cover")
    write_feed(out, CONFIG, BASE_URL)
    write_site(out, CONFIG, BASE_URL)
    return out


def page(path):
    return lxml_html.fromstring(path.read_bytes())


def test_index_lists_every_episode_with_subscribe_links_and_landmarks(site):
    doc = page(site / "index.html")
    assert doc.get("lang") == "fr"
    assert [h.text_content() for h in doc.iter("h1")] == ["La Lettre"]
    assert doc.find(".//header") is not None and doc.find(".//main") is not None and doc.find(".//nav") is not None
    links = {a.text_content(): a.get("href") for a in doc.find(".//nav").iter("a")}
    assert links["Flux RSS"] == "feed.xml"
    assert links["Apple Podcasts"] == "podcast://podcast.example.org/show/feed.xml"
    episodes = [a.get("href") for a in doc.xpath("//main//h3/a")]
    assert episodes == [f"episodes/{p.name}/" for p in sorted((site / "episodes").iterdir(), reverse=True)]
    assert all(img.get("alt") for img in doc.iter("img"))
    assert doc.xpath("//a[@class='skip']/@href") == ["#main"]


def test_episode_page_has_player_captions_chapters_and_transcript(site):
    ep = min((site / "episodes").iterdir())
    doc = page(ep / "index.html")
    audio = doc.get_element_by_id("player")
    assert audio.get("src") == f"{ep.name}.mp3"
    track = audio.find("track")
    assert (track.get("kind"), track.get("src"), track.get("srclang")) == ("captions", "transcript.vtt", "fr")
    headings = [h.tag for h in doc.iter("h1", "h2", "h3")]
    assert headings[0] == "h1" and headings.count("h1") == 1 and "h3" not in headings
    chapter_buttons = doc.xpath("//section[@aria-labelledby='chapters-title']//button")
    assert [float(b.get("data-start")) for b in chapter_buttons] == [0.0, 3.0, 6.0]
    assert all(b.get("type") == "button" and b.get("aria-label") for b in chapter_buttons)
    cues = parse_vtt((ep / "transcript.vtt").read_text())
    lines = doc.xpath("//div[@class='transcript']/p")
    assert [p.text_content().split(" ", 1)[1] for p in lines] == [c[3] for c in cues]
    assert doc.xpath("//a[contains(., 'Lire la lettre')]/@href") == ["https://news.example.org/issues/1"]


def test_hostile_text_is_escaped_and_script_links_dropped(tmp_path):
    out = tmp_path / "out"
    make_episode(out, 1, title="<script>alert(1)</script>", url="javascript:alert(1)",
                 stories=[("<b onmouseover=x>", "javascript:alert(2)")])
    write_site(out, parse_config({}), BASE_URL)
    for p in (out / "index.html", next(out.glob("episodes/*/index.html"))):
        text = p.read_text()
        assert "<script>alert" not in text and "javascript:" not in text and "<b onmouseover" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_pages_are_only_rewritten_when_they_change(site):
    ep_page = next(site.glob("episodes/*/index.html"))
    before = ep_page.stat().st_mtime_ns
    time.sleep(0.01)
    write_site(site, CONFIG, BASE_URL)
    assert ep_page.stat().st_mtime_ns == before


def _driver(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    if not binary or not driver_path:
        pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(driver_path), options=options)


def test_in_a_real_browser_a_chapter_seeks_the_player_and_captions_load(site, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    server, thread = serve_in_thread(site)
    driver = _driver(tmp_path)
    try:
        ep = min((site / "episodes").iterdir()).name
        driver.get(f"{server.url}episodes/{ep}/")
        wait = WebDriverWait(driver, 20)
        wait.until(lambda d: d.execute_script("return document.getElementById('player').readyState >= 1"))
        assert driver.execute_script("return document.getElementById('player').duration") == pytest.approx(9, abs=0.3)
        buttons = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby='chapters-title'] button")
        buttons[2].click()
        wait.until(lambda d: d.execute_script("return document.getElementById('player').currentTime") >= 5.9)
        # keyboard: focus the second chapter and press Enter
        buttons[1].send_keys(Keys.ENTER)
        wait.until(lambda d: 2.9 <= d.execute_script("return document.getElementById('player').currentTime") < 5.9)
        wait.until(lambda d: d.execute_script(
            "var t = document.querySelector('#player track'); return t.readyState === 2 && t.track.cues.length"))
        cues = driver.execute_script("return Array.from(document.querySelector('#player track').track.cues)"
                                     ".map(function (c) { return c.text; })")
        assert cues == [c[3] for c in parse_vtt((site / "episodes" / ep / "transcript.vtt").read_text())]
        assert driver.execute_script("return document.activeElement.tagName") == "BUTTON"
    finally:
        driver.quit()
        server.shutdown()
        server.server_close()
        thread.join(5)

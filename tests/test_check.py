"""``audio-edition check`` finds what a directory would refuse, one line per problem."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from audio_edition.check import check_out, image_size
from audio_edition.config import parse_config
from audio_edition.episode import load_episode
from audio_edition.feed import write_feed
from audio_edition.ffmpeg import ffmpeg_exe

from .conftest import run_cli
from .fakes.episodes import BASE_URL, make_episode, make_show

CONFIG = parse_config({"show": {"title": "La Lettre", "owner_email": "podcast@example.org", "image": "cover.jpg"}})


def jpeg(path: Path, w: int, h: int) -> Path:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c=navy:s={w}x{h}",
                    "-frames:v", "1", str(path)], check=True)
    return path


@pytest.fixture
def show(tmp_path) -> Path:
    out = tmp_path / "out"
    make_show(out, 3)
    jpeg(out / "cover.jpg", 1400, 1400)
    write_feed(out, CONFIG, BASE_URL)
    return out


def test_a_good_show_has_no_problem(show):
    report = check_out(show)
    assert report.problems == [] and report.episodes == 3
    proc = run_cli("check", "--out", show)
    assert proc.returncode == 0 and "3 episodes" in proc.stdout


def _ep(show: Path, n: int) -> Path:
    return next((show / "episodes").glob(f"*-lettre-{n}"))


def test_wrong_length_missing_file_and_duplicate_guid_are_each_one_line(show):
    mp3 = next(_ep(show, 1).glob("*.mp3"))
    mp3.write_bytes(mp3.read_bytes() + b"\0" * 100)  # the feed still says the old length
    (_ep(show, 2) / "transcript.srt").unlink()
    feed = (show / "feed.xml").read_text(encoding="utf-8")
    feed = feed.replace("urn:uuid:00000000-0000-4000-8000-000000000003",
                        "urn:uuid:00000000-0000-4000-8000-000000000001")
    (show / "feed.xml").write_text(feed, encoding="utf-8")
    problems = check_out(show).problems
    assert any("enclosure length is" in p and f"{mp3.stat().st_size} bytes" in p for p in problems), problems
    assert any("transcript.srt is missing" in p for p in problems), problems
    assert any("guid urn:uuid:00000000-0000-4000-8000-000000000001 is also item" in p for p in problems), problems
    proc = run_cli("check", "--out", show)
    assert proc.returncode == 1
    assert len(proc.stdout.strip().splitlines()) == len(problems) and "Traceback" not in proc.stderr


def test_missing_audio_and_duration_that_lies(show):
    ep2 = _ep(show, 2)
    next(ep2.glob("*.mp3")).unlink()
    ep3 = _ep(show, 3)
    record = json.loads((ep3 / "episode.json").read_text())
    record["duration"] = 60.0
    (ep3 / "episode.json").write_text(json.dumps(record))
    write_feed(show, CONFIG, BASE_URL)  # feed now says 00:01:00 for a 3 s MP3, and drops the one with no audio
    problems = check_out(show).problems
    assert any("its audio" in p and "missing" in p for p in problems), problems
    assert any("<itunes:duration> is 60s" in p and "lasts 3s" in p for p in problems), problems


@pytest.mark.parametrize("make,expected", [
    (lambda p: jpeg(p, 1400, 1000), "square"),
    (lambda p: jpeg(p, 600, 600), "1400 to 3000"),
    (lambda p: p.write_bytes(b"GIF89a not a jpeg"), "not a JPEG or PNG"),
    (lambda p: p.unlink(), "missing"),
])
def test_bad_cover(show, make, expected):
    make(show / "cover.jpg")
    problems = check_out(show).problems
    assert len(problems) == 1 and expected in problems[0], problems


def test_missing_owner_and_artwork_and_a_file_url(tmp_path):
    out = tmp_path / "out"
    make_episode(out, 1)
    write_feed(out, parse_config({}), out.resolve().as_uri() + "/")
    problems = check_out(out).problems
    text = "\n".join(problems)
    assert "no <itunes:owner> e-mail" in text and "no <itunes:image>" in text
    assert "the feed's address is file:" in text


def test_bad_chapters_and_vtt(show):
    (_ep(show, 1) / "chapters.json").write_text('{"chapters": "none"}')
    (_ep(show, 2) / "transcript.vtt").write_text("not a vtt")
    problems = check_out(show).problems
    assert any("chapters chapters.json do not parse" in p for p in problems), problems
    assert any("transcript.vtt does not parse as text/vtt" in p for p in problems), problems


def test_no_feed_is_one_line(tmp_path):
    proc = run_cli("check", "--out", tmp_path)
    assert proc.returncode == 1 and "feed.xml: missing" in proc.stdout


def test_image_size_reads_jpeg_and_png_headers(tmp_path):
    assert image_size(jpeg(tmp_path / "a.jpg", 1500, 1500).read_bytes()) == ("jpeg", 1500, 1500, 3)
    png = tmp_path / "a.png"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=32x16", "-frames:v", "1",
                    str(png)], check=True)
    assert image_size(png.read_bytes()) [:3] == ("png", 32, 16)
    assert image_size(b"nope") is None


def test_records_stay_valid(show):
    assert load_episode(_ep(show, 1) / "episode.json").number == 1


@pytest.mark.parametrize("parallel_from", [1, 10_000])  # feedparser in its own process, or in this one
def test_an_item_without_audio_is_seen_by_both_parsers(show, monkeypatch, parallel_from):
    from audio_edition import check

    monkeypatch.setattr(check, "PARALLEL_FROM", parallel_from)
    feed = (show / "feed.xml").read_text(encoding="utf-8")
    feed = re.sub(r"<enclosure [^>]*lettre-2\.mp3[^>]*/>", "", feed)
    (show / "feed.xml").write_text(feed, encoding="utf-8")
    problems = check.check_out(show).problems
    assert any("item 2 (Lettre numéro 2): no <enclosure>" in p for p in problems), problems
    assert any("podcastparser sees 2 episodes with audio, not 3" in p for p in problems), problems
    assert any("feedparser sees 2 episodes with audio, not 3" in p for p in problems), problems
    assert any("episode is not in feed.xml" in p for p in problems), problems


def test_a_cmyk_cover_is_flagged(show):
    data = bytearray((show / "cover.jpg").read_bytes())
    sof = next(i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] in (0xC0, 0xC1, 0xC2))
    assert data[sof + 9] == 3
    data[sof + 9] = 4  # what a CMYK JPEG's frame header says
    (show / "cover.jpg").write_bytes(bytes(data))
    assert any("CMYK" in p for p in check_out(show).problems)

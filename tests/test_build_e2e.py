"""End to end: the example issue becomes a tagged MP3, chapters, transcript and a feed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import feedparser
import podcastparser
from mutagen.id3 import ID3

from audio_edition.mix import measure

from .conftest import EXAMPLE, run_cli

TITLE = "L’IA a des yeux, des dollars et un goût douteux pour Noël"
SLUG = "2025-11-12-lia-a-des-yeux-des-dollars-et-un-gout-douteux-pour-noel"
STORY_TITLES = [
    "MAI-Image-1 : Microsoft lâche son générateur d’images maison",
    "Nano Banana 2 : l’IA photo pro qui tient dans la poche",
    "$38 milliards : OpenAI signe avec Amazon Web Services",
    "Emploi en chute, Bourse en plein boom : l’IA n’y serait pour rien, selon un économiste",
    "Coca-Cola et l’IA : un Noël sous acide visuel",
]
NEVER_READ = ["NordVPN", "Black Friday", "2,99€/mois", "Sponsorisé", "La pub Coca-Cola créée par IA",
              "pour participer aux sondages", "Si on t’a transféré cette lettre", "Powered by beehiiv"]


def episode_dir(out: Path) -> Path:
    return out / "episodes" / SLUG


def test_layout(example_build):
    d = episode_dir(example_build)
    for name in (f"{SLUG}.mp3", "episode.json", "chapters.json", "transcript.vtt", "transcript.srt",
                 "transcript.html"):
        assert (d / name).is_file(), name
    assert (example_build / "feed.xml").is_file()
    # nothing half-written is left under the output
    leftovers = [p for p in example_build.rglob("*") if ".tmp" in p.name]
    assert leftovers == []


def test_mp3_decodes_and_lasts_what_the_text_implies(example_build):
    d = episode_dir(example_build)
    episode = json.loads((d / "episode.json").read_text())
    m = measure(d / f"{SLUG}.mp3")  # a full decode with the bundled ffmpeg
    words = sum(len(s["text"].split()) for s in json.loads(run_cli("script", EXAMPLE, "--format", "json").stdout)["segments"])
    # espeak speaks ~150-200 words a minute; the example is well over 2 000 words
    assert words > 2000
    assert words / 260 * 60 < m.duration < words / 100 * 60
    assert m.duration > 5 * 60
    assert abs(m.duration - episode["duration"]) < 0.5
    # steady loudness for listeners
    assert -17.5 < m.loudness < -14.5


def test_id3_title_and_chapters(example_build):
    d = episode_dir(example_build)
    tags = ID3(d / f"{SLUG}.mp3")
    assert str(tags["TIT2"]) == TITLE
    assert str(tags["TPE1"]) == "MAMMAM IA!"
    assert str(tags["TDRC"]) == "2025"[:4] or str(tags["TDRC"]).startswith("2025-11-12")
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    titles = [str(c.sub_frames["TIT2"]) for c in chaps]
    for story in STORY_TITLES:
        assert story in titles
    # chapters tile the episode in order
    for a, b in zip(chaps, chaps[1:]):
        assert a.end_time == b.start_time
    assert chaps[0].start_time == 0
    assert tags.getall("CTOC")[0].child_element_ids == [c.element_id for c in chaps]
    chapters_json = json.loads((d / "chapters.json").read_text())
    assert [c["title"] for c in chapters_json["chapters"]] == titles


def test_feed_parses_in_podcast_clients(example_build):
    feed_path = example_build / "feed.xml"
    mp3 = episode_dir(example_build) / f"{SLUG}.mp3"
    size = mp3.stat().st_size

    parsed = feedparser.parse(feed_path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == 1
    entry = parsed.entries[0]
    assert entry.title == TITLE
    enclosure = entry.enclosures[0]
    assert int(enclosure["length"]) == size
    assert enclosure["href"] == f"https://podcast.example.org/mammam/episodes/{SLUG}/{SLUG}.mp3"

    with open(feed_path, "rb") as fh:
        pod = podcastparser.parse("https://podcast.example.org/mammam/feed.xml", fh)
    assert len(pod["episodes"]) == 1
    ep = pod["episodes"][0]
    assert ep["title"] == TITLE
    assert ep["enclosures"][0]["file_size"] == size
    assert ep["enclosures"][0]["mime_type"] == "audio/mpeg"
    assert ep["total_time"] > 5 * 60
    feed_text = feed_path.read_text()
    assert feed_text.count("<podcast:transcript") == 3 and "podcast:chapters" in feed_text


def test_transcript_is_valid_vtt_in_time_order(example_build):
    vtt = (episode_dir(example_build) / "transcript.vtt").read_text()
    assert vtt.startswith("WEBVTT")
    times = re.findall(r"(\d\d):(\d\d):(\d\d\.\d{3}) --> (\d\d):(\d\d):(\d\d\.\d{3})", vtt)
    assert len(times) > 100
    starts = [int(h) * 3600 + int(m) * 60 + float(s) for h, m, s, *_ in times]
    assert starts == sorted(starts)
    assert "Chers Dancing Queens et Super Troupers" in vtt


def test_spoken_script_reads_stories_not_ads(example_build):
    episode = json.loads((episode_dir(example_build) / "episode.json").read_text())
    story_titles = [s["title"] for s in episode["segments"] if s["role"] == "story"]
    assert story_titles == STORY_TITLES
    script = json.loads(run_cli("script", EXAMPLE, "--format", "json").stdout)
    spoken = "\n".join(s["title"] + "\n" + s["text"] + "\n" + s["spoken"] for s in script["segments"])
    for phrase in NEVER_READ:
        assert phrase not in spoken, phrase
    kinds = {s["kind"] for s in script["skipped"]}
    assert {"sponsor", "poll"} <= kinds


def test_rebuild_reuses_cache_and_keeps_files(example_build, tmp_path):
    mp3 = episode_dir(example_build) / f"{SLUG}.mp3"
    before = mp3.stat().st_mtime_ns
    proc = run_cli("build", EXAMPLE, "--engine", "espeak", "--out", example_build,
                   "--base-url", "https://podcast.example.org/mammam/")
    assert proc.returncode == 0, proc.stderr
    assert "0 synthesized" in proc.stdout
    assert mp3.stat().st_mtime_ns == before  # nothing changed: nothing rewritten

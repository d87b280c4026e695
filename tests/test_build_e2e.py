"""End to end: the example issue becomes a tagged MP3, chapters, transcript and a feed."""

from __future__ import annotations

import itertools
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
    segments = json.loads(run_cli("script", EXAMPLE, "--format", "json").stdout)["segments"]
    words = sum(len(s["text"].split()) for s in segments)
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
    for a, b in itertools.pairwise(chaps):
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


# --- the produced show: measured from the MP3 with ffmpeg, independently of the mixer ------

def _pcm(mp3: Path):
    """The MP3 decoded by the bundled ffmpeg: (mono-summed float samples, 44100)."""
    import subprocess

    import numpy as np

    from audio_edition.ffmpeg import ffmpeg_exe

    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", "44100",
                          "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0, 44100


def _db(x) -> float:
    import numpy as np

    rms = float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) if len(x) else 0.0
    return 20 * np.log10(rms) if rms > 0 else float("-inf")


def _cue_times(vtt: str) -> list[tuple[float, float]]:
    out = []
    for m in re.finditer(r"(\d\d):(\d\d):(\d\d\.\d{3}) --> (\d\d):(\d\d):(\d\d\.\d{3})", vtt):
        h, mi, s, h2, m2, s2 = m.groups()
        out.append((int(h) * 3600 + int(mi) * 60 + float(s), int(h2) * 3600 + int(m2) * 60 + float(s2)))
    return out


def test_broadcast_loudness_and_true_peak_measured_by_ffmpeg(example_build):
    mp3 = episode_dir(example_build) / f"{SLUG}.mp3"
    m = measure(mp3, true_peak=True)  # ffmpeg ebur128=peak=true: 4x oversampled
    assert -17.0 <= m.loudness <= -15.0  # AES TD1008 stereo: -16 LUFS ±1 LU
    assert m.peak <= -1.0
    episode = json.loads((episode_dir(example_build) / "episode.json").read_text())
    assert abs(episode["loudness_lufs"] - m.loudness) < 0.3
    assert episode["quality"]["passed"] is True and episode["quality"]["problems"] == []
    assert episode["channels"] == 2 and episode["bitrate"] == "128k"


def test_stereo_128k_with_a_xing_header(example_build):
    from mutagen.mp3 import MP3

    mp3 = episode_dir(example_build) / f"{SLUG}.mp3"
    info = MP3(mp3).info
    assert (info.channels, info.sample_rate, info.bitrate) == (2, 44100, 128000)
    head = mp3.read_bytes()[: 200_000]
    assert b"Info" in head or b"Xing" in head  # frame count for apps' duration and seeking
    assert b"LAME" in head or b"Lavc" in head
    assert abs(info.length - measure(mp3).duration) < 0.1


def test_theme_before_the_first_word_and_after_the_last(example_build):
    d = episode_dir(example_build)
    x, rate = _pcm(d / f"{SLUG}.mp3")
    cues = _cue_times((d / "transcript.vtt").read_text())
    first, last = cues[0][0], max(c[1] for c in cues)
    assert first > 3.0  # the host does not open the show: the theme does
    assert _db(x[int(0.2 * rate): int((first - 0.3) * rate)]) > -35
    tail = x[int((last + 0.5) * rate):]
    assert len(tail) > 3 * rate and _db(tail[: 3 * rate]) > -40  # the outro theme after the last words


def test_stings_sound_in_the_gaps_between_chapters(example_build):
    d = episode_dir(example_build)
    x, rate = _pcm(d / f"{SLUG}.mp3")
    cues = _cue_times((d / "transcript.vtt").read_text())
    chapters = json.loads((d / "chapters.json").read_text())["chapters"]
    checked = 0
    for ch in chapters[1:]:
        if ch.get("url") is None and ch["title"] != "Si tu as une minute":
            continue  # the outro chapter opens on the bed, checked by the theme test
        before = max(c[1] for c in cues if c[1] <= ch["startTime"] + 0.05)
        after = min(c[0] for c in cues if c[0] >= ch["startTime"] - 0.05)
        assert after - before > 0.5
        assert _db(x[int(before * rate) + 2205: int(after * rate) - 2205]) > -40, ch["title"]
        checked += 1
    assert checked >= 5


def test_chap_frames_match_chapters_json_and_start_at_their_sting(example_build):
    d = episode_dir(example_build)
    tags = ID3(d / f"{SLUG}.mp3")
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    doc = json.loads((d / "chapters.json").read_text())["chapters"]
    assert len(chaps) == len(doc)
    for c, j in zip(chaps, doc, strict=False):
        assert abs(c.start_time / 1000 - j["startTime"]) <= 0.5 and abs(c.end_time / 1000 - j["endTime"]) <= 0.5
        if j.get("url"):
            assert c.sub_frames.getall("WXXX")[0].url == j["url"]
    cues = _cue_times((d / "transcript.vtt").read_text())
    for j in doc[1:]:  # the sting (or the bed) opens the chapter before the first word of it
        first_word = min(c[0] for c in cues if c[0] >= j["startTime"] - 0.01)
        assert first_word - j["startTime"] > 0.3


def test_cover_is_embedded_and_written_beside_the_feed(example_build):
    import io

    from PIL import Image

    d = episode_dir(example_build)
    apic = ID3(d / f"{SLUG}.mp3").getall("APIC")
    assert len(apic) == 1 and apic[0].mime == "image/jpeg"
    with Image.open(io.BytesIO(apic[0].data)) as img:
        assert img.size[0] == img.size[1] >= 1400 and img.mode == "RGB"
    with Image.open(example_build / "cover.jpg") as img:
        assert img.format == "JPEG" and img.size == (3000, 3000)

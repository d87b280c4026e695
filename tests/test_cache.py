"""The segment cache: content-addressed, atomic, self-healing when an entry is damaged."""

from __future__ import annotations

import json
import os
import time
import wave

import pytest

from audio_edition.engines.cache import SegmentCache, cache_key
from audio_edition.engines.runner import SynthJob, synthesize_all
from audio_edition.models import Boundary, SynthResult

TEXTS = ["Premier segment de test.", "Deuxième segment, un peu plus long que le premier.", "Troisième et dernier."]


def jobs(texts=TEXTS, voice="fr"):
    return [SynthJob(index=i, role="story", text=t, voice=voice) for i, t in enumerate(texts)]


def build(cache_dir, texts=TEXTS):
    return synthesize_all(jobs(texts), engine_name="espeak", cache_dir=cache_dir)


def write_wav(path, seconds=0.5, rate=24000):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\x01\x00" * int(seconds * rate))


def put(cache, key, tmp_path, seconds=0.5):
    src = tmp_path / f"src-{key}.wav"
    write_wav(src, seconds)
    result = SynthResult(str(src), 24000, seconds, (Boundary(0.1, 0.2, "mot"),), "edge", "fr-FR-DeniseNeural",
                         attempts=2)
    return cache.put(key, src, result)


def test_key_changes_with_everything_the_audio_depends_on():
    base = dict(text="Bonjour.", engine="edge", engine_version="edge-tts 7.3.1", voice="fr-FR-DeniseNeural",
                rate=0, pitch=0, output_format="wav")
    k = cache_key(**base)
    assert len(k) == 64 and k == cache_key(**base)
    for field, other in [("text", "Bonjour !"), ("engine", "espeak"), ("engine_version", "edge-tts 8"),
                         ("voice", "fr-FR-HenriNeural"), ("rate", 10), ("pitch", -5), ("output_format", "mp3")]:
        assert cache_key(**{**base, field: other}) != k, field


def test_put_then_get_round_trips(tmp_path):
    cache = SegmentCache(tmp_path / "c")
    stored = put(cache, "ab" + "0" * 62, tmp_path)
    assert not stored.cached and stored.attempts == 2
    assert not (tmp_path / f"src-{'ab' + '0' * 62}.wav").exists()  # moved, not copied
    hit = cache.get("ab" + "0" * 62)
    assert hit.cached and hit.attempts == 0
    assert hit.audio_path == stored.audio_path
    assert hit.boundaries == (Boundary(0.1, 0.2, "mot"),)
    assert hit.duration == pytest.approx(0.5)


@pytest.mark.parametrize("damage", ["truncate", "flip", "delete_wav", "garbage_json", "empty_json"])
def test_a_damaged_entry_is_detected_and_remade(tmp_path, damage):
    cache_dir = tmp_path / "cache"
    first = build(cache_dir)
    victim = first[1]
    wav = victim.audio_path
    meta = wav[:-4] + ".json"
    if damage == "truncate":
        with open(wav, "r+b") as fh:
            fh.truncate(os.path.getsize(wav) // 2)
    elif damage == "flip":
        with open(wav, "r+b") as fh:
            fh.seek(os.path.getsize(wav) - 100)
            byte = fh.read(1)
            fh.seek(-1, 1)
            fh.write(bytes([byte[0] ^ 0xFF]))
    elif damage == "delete_wav":
        os.unlink(wav)
    elif damage == "garbage_json":
        with open(meta, "w") as fh:
            fh.write("{not json")
    else:
        open(meta, "w").close()
    again = build(cache_dir)
    assert [s.cached for s in again] == [True, False, True]
    assert again[1].audio_path == wav
    with wave.open(wav) as w:  # remade whole
        assert w.getnframes() / w.getframerate() == pytest.approx(victim.duration, abs=0.05)
    assert [b.text for b in again[1].boundaries] == [b.text for b in victim.boundaries]
    third = build(cache_dir)
    assert all(s.cached for s in third)


def test_an_interrupted_write_leaves_no_entry(tmp_path):
    cache = SegmentCache(tmp_path)
    key = "cd" + "1" * 62
    wav, meta = cache.paths(key)
    wav.parent.mkdir(parents=True)
    write_wav(wav)  # the WAV made it, the JSON marker never did
    assert cache.get(key) is None
    assert cache.info().entries == 0 and cache.info().orphans == 1


def test_info_counts_entries_engines_and_size(tmp_path):
    cache = SegmentCache(tmp_path)
    build(tmp_path)
    put(cache, "ef" + "2" * 62, tmp_path)
    info = cache.info()
    assert info.entries == 4
    assert info.by_engine == {"espeak": 3, "edge": 1}
    assert info.bytes == sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file() and p.parent != tmp_path)
    assert info.audio_seconds > 0.5
    assert info.orphans == 0


def test_prune_older_than_removes_entries_unused_for_that_long(tmp_path):
    cache = SegmentCache(tmp_path)
    segs = build(tmp_path)
    old = time.time() - 40 * 86400
    for s in segs[:2]:
        os.utime(s.audio_path[:-4] + ".json", (old, old))
    # a hit counts as a use: segment 2 is "touched" by this lookup
    assert cache.get(segs[1].key) is not None
    res = cache.prune(older_than_days=30)
    assert res.removed == 1
    assert [cache.get(s.key) is not None for s in segs] == [False, True, True]


def test_prune_without_age_only_clears_orphans_and_old_temp_files(tmp_path):
    cache = SegmentCache(tmp_path)
    build(tmp_path)
    orphan = tmp_path / "aa" / ("aa" + "3" * 62 + ".wav")
    orphan.parent.mkdir(exist_ok=True)
    write_wav(orphan)
    fresh_tmp = cache.temp_wav()  # a build in progress may be writing this one
    stale_tmp = cache.temp_wav()
    os.utime(stale_tmp, (time.time() - 7200,) * 2)
    res = cache.prune()
    assert res.removed == 0 and res.orphans == 2
    assert not orphan.exists() and not stale_tmp.exists() and fresh_tmp.exists()
    assert cache.info().entries == 3


def test_prune_everything(tmp_path):
    cache = SegmentCache(tmp_path)
    build(tmp_path)
    res = cache.prune(everything=True)
    assert res.removed == 3 and res.freed_bytes > 0
    assert cache.info().entries == 0
    assert not [p for p in tmp_path.iterdir() if len(p.name) == 2]


def test_entries_record_what_synthesized_them(tmp_path):
    (seg,) = synthesize_all(jobs(TEXTS[:1]), engine_name="espeak", cache_dir=tmp_path)
    meta = json.loads(open(seg.audio_path[:-4] + ".json", encoding="utf-8").read())
    assert meta["engine"] == "espeak" and meta["voice"] == "fr" and meta["text"] == TEXTS[0]
    assert meta["role"] == "story" and meta["key"] == seg.key

"""The typed timeline and the episode record: one source of times, a validated episode.json."""

from __future__ import annotations

import json

import pytest

from audio_edition.build import chapters_from
from audio_edition.episode import Episode, EpisodeRecordError, load_episode, scan_episodes
from audio_edition.models import Script, Segment
from audio_edition.timeline import voice_timeline


def _script(*roles: str) -> Script:
    return Script(title="T", language="fr", published="2025-11-12",
                  segments=tuple(Segment(role=r, title=f"{r}{i}", text="x", spoken="x", voice="v")
                                 for i, r in enumerate(roles)))


def test_voice_timeline_is_sample_exact_and_ordered():
    script = _script("intro", "transition", "story", "outro")
    tl = voice_timeline(script, [1.0, 0.5, 2.0, 1.0], ["a", "b", "c", "d"], pause=0.7, sample_rate=44100)
    voices = list(tl.voices())
    assert [p.segment for p in voices] == [0, 1, 2, 3]
    for a, b in zip(voices, voices[1:], strict=False):
        assert b.start - a.end == pytest.approx(0.7, abs=1 / 44100)
    assert tl.duration == pytest.approx(voices[-1].end + 0.8, abs=1 / 44100)
    # every time is a whole sample
    assert all(abs(p.start * 44100 - round(p.start * 44100)) < 1e-6 for p in tl.placements)


def test_transition_opens_the_chapter_it_announces():
    script = _script("intro", "transition", "story", "transition", "story", "outro")
    tl = voice_timeline(script, [1, 1, 3, 1, 3, 1], list("abcdef"), pause=0.5)
    chapters = chapters_from(script, tl)
    assert [c.title for c in chapters] == ["intro0", "story2", "story4", "outro5"]
    assert chapters[0].start == 0.0
    assert chapters[1].start == pytest.approx(tl.voice_for(1).start)  # the transition's start
    assert chapters[-1].end == pytest.approx(tl.duration)
    assert all(a.end == b.start for a, b in zip(chapters, chapters[1:], strict=False))


def _record(**over) -> dict:
    ep = Episode(slug="s", title="T", audio="s.mp3", duration=12.5, size=100, guid="g")
    return {**ep.to_dict(), **over}


def test_record_round_trips(tmp_path):
    path = tmp_path / "episode.json"
    path.write_text(json.dumps(_record(segments=[{"role": "intro", "title": "i", "start": 0, "end": 1.5}])))
    ep = load_episode(path)
    assert ep.duration == 12.5 and ep.segments[0].end == 1.5
    assert Episode.from_dict(ep.to_dict()) == ep


@pytest.mark.parametrize("bad, needle", [
    ({"duration": "long"}, "'duration'"),
    ({"size": True}, "'size'"),
    ({"segments": [{"role": "intro"}]}, "segments[0]"),
])
def test_bad_record_names_the_field(tmp_path, bad, needle):
    path = tmp_path / "episode.json"
    path.write_text(json.dumps(_record(**bad)))
    with pytest.raises(EpisodeRecordError) as info:
        load_episode(path)
    assert needle in str(info.value) and str(path) in str(info.value)


def test_scan_reports_damaged_records_and_keeps_the_rest(tmp_path):
    good = tmp_path / "episodes" / "good"
    good.mkdir(parents=True)
    (good / "episode.json").write_text(json.dumps(_record(slug="good", audio="good.mp3")))
    (good / "good.mp3").write_bytes(b"x" * 100)
    bad = tmp_path / "episodes" / "bad"
    bad.mkdir()
    (bad / "episode.json").write_text('{"slug": "bad", "title": ')
    stored, problems = scan_episodes(tmp_path)
    assert [s.episode.slug for s in stored] == ["good"]
    assert len(problems) == 1 and "bad" in problems[0] and "JSON" in problems[0]

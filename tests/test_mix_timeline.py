"""The produced timeline: where the theme, stings, bed and outro sit against the voices."""

from __future__ import annotations

import itertools

import pytest

from audio_edition.build import chapters_from
from audio_edition.timeline import Cue, produced_timeline, voice_timeline

from .test_mix import script

CUES = {"intro": Cue(7.0, "i", overlap=1.5), "sting": Cue(1.7, "s", overlap=0.15),
        "section": Cue(2.1, "x", overlap=0.15), "outro": Cue(7.5, "o"), "bed": Cue(16.0, "b", fade_in=1.5,
                                                                               fade_out=2.0, overlap=1.0)}
ROLES = ("intro", "transition", "section", "transition", "story", "transition", "story", "outro")


def _tl(**over):
    sc = script(*ROLES)
    cues = {**CUES, **over}
    return sc, produced_timeline(sc, [20, 1, 10, 1, 12, 1, 12, 5], list("abcdefgh"), cues, pause=0.7)


def test_theme_opens_and_the_host_starts_over_its_tail():
    _, tl = _tl()
    intro = next(p for p in tl.placements if p.role == "intro" and p.kind == "jingle")
    host = tl.voice_for(0)
    assert intro.start == 0.0
    assert host.start == pytest.approx(intro.end - 1.5, abs=1e-4)


def test_a_sting_opens_each_story_and_section_chapter():
    sc, tl = _tl()
    stings = [p for p in tl.placements if p.kind == "sting"]
    assert [p.role for p in stings] == ["section", "sting", "sting"]
    chapters = chapters_from(sc, tl)
    assert [c.title for c in chapters] == ["intro0", "section2", "story4", "story6", "outro7"]
    for sting, chapter in zip(stings, chapters[1:4], strict=False):
        assert chapter.start == pytest.approx(sting.start)  # the chapter starts where its sting starts
        announced = tl.voice_for(sting.segment)
        assert sting.start < announced.start < sting.end  # the voice comes in over the sting's tail
        assert sting.start > tl.voice_for(sting.segment - 1).end  # after the last words of the chapter before


def test_bed_under_intro_and_outro_and_the_outro_theme_after_the_last_words():
    sc, tl = _tl()
    beds = [p for p in tl.placements if p.kind == "bed"]
    assert len(beds) == 2
    intro_v, outro_v = tl.voice_for(0), tl.voice_for(7)
    assert beds[0].start < intro_v.start and beds[0].end > intro_v.end
    assert beds[1].start < outro_v.start - 1.0  # heard alone in the pause before the outro
    theme = next(p for p in tl.placements if p.role == "outro" and p.kind == "jingle")
    assert theme.start >= outro_v.end
    assert tl.duration >= theme.end
    assert chapters_from(sc, tl)[-1].start == pytest.approx(beds[1].start)


def test_without_cues_it_is_the_voice_only_show():
    sc = script(*ROLES)
    args = (sc, [20, 1, 10, 1, 12, 1, 12, 5], list("abcdefgh"))
    assert produced_timeline(*args, {r: None for r in CUES}, pause=0.7) == voice_timeline(*args, pause=0.7)


def test_roles_turned_off_are_left_out():
    _, tl = _tl(sting=None, bed=None)
    assert {p.role for p in tl.placements if p.kind != "voice"} == {"intro", "section", "outro"}
    times = [(p.start, p.end) for p in tl.voices()]
    assert all(b[0] - a[1] >= 0.7 - 1e-6 for a, b in itertools.pairwise(times))

"""Voice casting: profiles → who reads each segment, per engine; errors name the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_edition.casting import (
    builtin_profile,
    jobs_for_segments,
    load_profile,
    parse_profile,
    resolve_profile,
)
from audio_edition.config import load_config
from audio_edition.engines.espeak import EspeakEngine
from audio_edition.errors import ConfigError
from audio_edition.models import Segment

ROOT = Path(__file__).resolve().parent.parent
SHOW_ORDER = ["intro", "transition", "story", "transition", "story", "section", "sponsor", "outro"]


def segments(roles=SHOW_ORDER):
    return [Segment(role=r, title=f"{r} {i}", text=f"Texte {i}.", spoken=f"Texte {i}.", voice="")
            for i, r in enumerate(roles)]


def test_french_default_alternates_two_neural_voices():
    p = builtin_profile("fr")
    assert (p.language, p.engine) == ("fr", "edge")
    assert [p.choice(r).voice for r in SHOW_ORDER] == [
        "fr-FR-DeniseNeural", "fr-FR-DeniseNeural", "fr-FR-HenriNeural", "fr-FR-DeniseNeural",
        "fr-FR-HenriNeural", "fr-FR-DeniseNeural", "fr-FR-HenriNeural", "fr-FR-DeniseNeural"]
    assert [p.choice(r, "espeak").voice for r in ("intro", "story")] == ["fr+f3", "fr+m3"]


def test_english_default_and_other_languages():
    p = builtin_profile("en")
    assert [p.choice(r).voice for r in ("intro", "story")] == ["en-US-AriaNeural", "en-US-GuyNeural"]
    assert builtin_profile("de").language == "en"
    assert builtin_profile("fr-CA").language == "fr"


@pytest.mark.parametrize("profile", [builtin_profile("fr"), builtin_profile("en"),
                                     load_profile(ROOT / "voices" / "mammam-ia.toml")],
                         ids=["fr", "en", "mammam-ia"])
def test_every_shipped_espeak_voice_speaks(profile, tmp_path):
    engine = EspeakEngine()
    for role in ("host", "stories", "sections", "outro", "sponsor"):
        c = profile.choice(role, "espeak")
        assert engine.synthesize("Bonjour.", c.voice, c.rate, c.pitch, str(tmp_path / "a.wav")).duration > 0.1
    assert profile.engines() == ["espeak", "edge"]


def test_show_profile_for_mammam_ia():
    p = load_profile(ROOT / "voices" / "mammam-ia.toml")
    assert p.name == "MAMMAM IA!"
    assert p.choice("outro").rate == -5
    assert p.choice("sponsor").voice == "fr-FR-HenriNeural"


def test_roles_left_out_are_read_by_the_host():
    p = parse_profile({"profile": {"language": "fr"},
                       "roles": {"host": {"edge": {"voice": "fr-FR-EloiseNeural"}, "espeak": "fr"}}}, "x.toml")
    assert {p.choice(r).voice for r in SHOW_ORDER} == {"fr-FR-EloiseNeural"}
    assert p.choice("story", "espeak").voice == "fr"


def test_jobs_carry_voice_rate_pitch_and_the_fallback_voice():
    p = load_profile(ROOT / "voices" / "mammam-ia.toml")
    jobs = jobs_for_segments(segments(), p, fallback_engine="espeak")
    assert [j.index for j in jobs] == list(range(len(SHOW_ORDER)))
    story = jobs[2]
    assert (story.voice, story.rate, story.fallback_voice, story.fallback_rate) == ("fr-FR-HenriNeural", 0, "fr+m3", -5)
    assert jobs[-1].rate == -5 and jobs[-1].title == "outro 7" and jobs[-1].text == "Texte 7."
    offline = jobs_for_segments(segments(), p, engine="espeak")
    assert offline[2].voice == "fr+m3" and offline[2].fallback_voice is None


def test_voices_file_beats_the_config_which_beats_the_language(tmp_path):
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "show.toml").write_text(
        '[profile]\nlanguage = "fr"\nname = "Show"\n[roles.host]\nedge = { voice = "fr-FR-EloiseNeural" }\n',
        encoding="utf-8")
    (tmp_path / "audio-edition.toml").write_text('[show]\nlanguage = "en"\n[voices]\nprofile = "voices/show.toml"\n',
                                                 encoding="utf-8")
    config = load_config(tmp_path / "audio-edition.toml")
    assert resolve_profile(config=config).name == "Show"
    assert resolve_profile(ROOT / "voices" / "mammam-ia.toml", config=config).name == "MAMMAM IA!"
    (tmp_path / "audio-edition.toml").write_text('[show]\nlanguage = "en"\n', encoding="utf-8")
    assert resolve_profile(config=load_config(tmp_path / "audio-edition.toml")).language == "en"
    assert resolve_profile(language="fr").source == "built-in fr profile"


BAD = [
    ('[profile]\nlanguage = "fr"\ncolour = "red"\n[roles.host]\nedge = "fr-FR-DeniseNeural"',
     "x.toml: unknown key profile.colour"),
    ('[profile]\nengine = "edge"\n[roles.host]\nedge = "fr-FR-DeniseNeural"', "profile.language is required"),
    ('[profile]\nlanguage = "fr"\nengine = "polly"\n[roles.host]\nedge = "fr-FR-DeniseNeural"',
     "profile.engine must be one of espeak, edge"),
    ('[profile]\nlanguage = "fr"\n[roles.stories]\nedge = "fr-FR-HenriNeural"', "[roles.host] is required"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\nedge = { voice = "fr-FR-DeniseNeural", rate = 300 }',
     "roles.host.edge.rate must be between -50 and 100, got 300"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\nedge = { voice = "fr-FR-DeniseNeural", pitch = "high" }',
     "roles.host.edge.pitch must be a whole number"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\nedge = { voice = "fr+f3" }', "'fr+f3' is not an edge voice"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\nedge = "fr-FR-DeniseNeural"\nespeak = "fr-FR-DeniseNeural"',
     "roles.host.espeak.voice: 'fr-FR-DeniseNeural' is an edge voice"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\nedge = "fr-FR-DeniseNeural"\n[roles.narrator]\nedge = "x"',
     "unknown role roles.narrator"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\npolly = "Celine"', "unknown engine roles.host.polly"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\nespeak = "fr"', "roles.host has no edge voice"),
    ('[profile]\nlanguage = "fr"\n[roles.host]\nedge = { voice = "fr-FR-DeniseNeural", speed = 2 }',
     "roles.host.edge: unknown key speed"),
    ("[profile\n", "invalid TOML"),
]


@pytest.mark.parametrize("text,message", BAD, ids=[m for _, m in BAD])
def test_bad_profiles_fail_with_the_key_named(tmp_path, text, message):
    path = tmp_path / "x.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_profile(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_profile_file(tmp_path):
    with pytest.raises(ConfigError, match="voice profile not found: .*nope.toml"):
        load_profile(tmp_path / "nope.toml")


def test_a_profile_without_the_requested_engine_says_what_to_add():
    p = parse_profile({"profile": {"language": "fr"}, "roles": {"host": {"edge": "fr-FR-DeniseNeural"}}}, "x.toml")
    with pytest.raises(ConfigError, match=r'no espeak voice for role host \(add roles.host.espeak'):
        p.choice("intro", "espeak")

"""Engine lexicons: respellings reach only the engine they are for, as its last text step."""

from __future__ import annotations

import wave

import pytest

from audio_edition.errors import ConfigError
from audio_edition.normalize import (
    apply_engine_lexicon,
    for_engine,
    load_lexicon,
    normalize,
)
from audio_edition.normalize.lexicon import (
    builtin_engine_lexicon,
    engine_lexicon_tag,
    parse_entries,
)

WRITTEN = "ChatGPT, Copilot, Nvidia, YouTube, Midjourney, DeepSeek, des fruits, etc."


def test_espeak_gets_its_respellings_edge_and_the_neutral_text_get_none():
    neutral = normalize(WRITTEN)
    assert neutral == "Chat G P T, Copilot, Nvidia, YouTube, Midjourney, DeepSeek, des fruits, et cetera."
    espeak = for_engine(WRITTEN, "espeak")
    assert espeak == "Tchatte G P T, Copilote, Ènvidia, You Tube, Midjourné, Dipsik, des fruits, ètcétéra."
    assert for_engine(WRITTEN, "edge") == neutral


def test_the_lexicon_follows_the_voice_language():
    assert apply_engine_lexicon("Chat G P T", "espeak", "fr+f3") == "Tchatte G P T"
    assert apply_engine_lexicon("Chat G P T", "espeak", "en-us") == "Chat G P T"  # no French respelling
    assert apply_engine_lexicon("Chat G P T", "edge", "fr-FR-DeniseNeural") == "Chat G P T"


def test_whole_words_only_and_case_rules():
    # "chat" (a cat) is not "Chat G P T"; an all-lowercase key matches any case
    assert apply_engine_lexicon("un chat G P T", "espeak", "fr") == "un chat G P T"
    assert apply_engine_lexicon("NVIDIA et nvidia", "espeak", "fr") == "Ènvidia et Ènvidia"
    assert apply_engine_lexicon("Copilote", "espeak", "fr") == "Copilote"


def test_a_show_adds_per_engine_entries_in_its_profile(tmp_path):
    profile = tmp_path / "show.toml"
    profile.write_text('[profile]\nname = "S"\nlanguage = "fr"\nengine = "espeak"\n\n[roles.host]\nespeak = { voice = '
                       '"fr" }\n\n'
                       '[lexicon.espeak]\nKessel = "Kèssel"\nCopilot = "Co pilote"\n\n'
                       '[lexicon.edge]\nKessel = "Kessèl"\n', encoding="utf-8")
    lex = load_lexicon(profile)
    assert normalize("Kessel et Copilot", "fr", lex) == "Kessel et Copilot"  # the neutral text is untouched
    assert for_engine("Kessel et Copilot", "espeak", "fr", lex) == "Kèssel et Co pilote"
    assert for_engine("Kessel et Copilot", "edge", "fr", lex) == "Kessèl et Copilot"
    # the cache key changes with the show's engine table, not with the other engine's
    assert engine_lexicon_tag("espeak", lex) != engine_lexicon_tag("espeak")


def test_builtin_files_parse_and_are_not_empty_for_espeak():
    assert builtin_engine_lexicon("espeak", "fr")["Chat G P T"] == "Tchatte G P T"
    assert builtin_engine_lexicon("edge", "fr") == {}


@pytest.mark.parametrize("content, line", [
    ("Nvidia = Ènvidia\nthis line has no equals sign\n", 2),
    ("# c\n\n = nothing before\n", 3),
    ("Nvidia =\n", 1),
    ("a = b\na = c\n", 2),
])
def test_a_malformed_entry_is_one_error_naming_the_line(content, line):
    with pytest.raises(ConfigError) as err:
        parse_entries(content, "lexicon-espeak-fr.txt")
    assert f"lexicon-espeak-fr.txt:{line}:" in str(err.value)
    assert "\n" not in str(err.value)


def test_espeak_receives_the_respelled_text(tmp_path):
    """The hook is inside the adapter: the boundaries espeak returns are on its own text."""
    from audio_edition.engines.espeak import EspeakEngine

    out = tmp_path / "x.wav"
    result = EspeakEngine().synthesize("Chat G P T et Nvidia.", "fr", 0, 0, str(out))
    words = [b.text for b in result.boundaries]
    assert words[0] == "Tchatte" and "Ènvidia." in words
    with wave.open(str(out)) as w:
        assert w.getnframes() > 0


def test_the_show_config_lexicon_reaches_the_script_and_the_engine(tmp_path):
    """[lexicon] in audio-edition.toml: neutral words for every engine, [lexicon.espeak] for espeak only;
    the voice profile's own entries win over it."""
    from audio_edition.casting import resolve_profile
    from audio_edition.config import load_config

    (tmp_path / "audio-edition.toml").write_text(
        '[show]\nname = "S"\n\n[lexicon.words]\nKsl = "Kessel"\n\n[lexicon.espeak]\nKessel = "Kèssel"\n',
        encoding="utf-8")
    config = load_config(search_dir=tmp_path)
    profile = resolve_profile(None, config, "fr")
    assert normalize("Ksl arrive", "fr", profile.lexicon) == "Kessel arrive"
    assert for_engine("Ksl arrive", "espeak", "fr", profile.lexicon) == "Kèssel arrive"
    assert for_engine("Ksl arrive", "edge", "fr", profile.lexicon) == "Kessel arrive"
    voices = tmp_path / "voices.toml"
    voices.write_text('[profile]\nname = "S"\nlanguage = "fr"\nengine = "espeak"\n\n[roles.host]\nespeak = { voice = '
                      '"fr" }\n\n'
                      '[lexicon.espeak]\nKessel = "Késsel"\n', encoding="utf-8")
    profile = resolve_profile(voices, config, "fr")
    assert for_engine("Ksl arrive", "espeak", "fr", profile.lexicon) == "Késsel arrive"


def test_voices_preview_takes_the_build_path(tmp_path, monkeypatch):
    """written → neutral spoken text → the engine's lexicon, inside the engine: what espeak receives."""
    import audio_edition.engines.espeak as espeak_mod
    from audio_edition.cli_voices import preview_voice

    received = []
    real = espeak_mod.apply_engine_lexicon

    def spy(text, *args, **kwargs):
        out = real(text, *args, **kwargs)
        received.append((text, out))
        return out

    monkeypatch.setattr(espeak_mod, "apply_engine_lexicon", spy)
    preview_voice("fr", "ChatGPT coûte 20 €.", engine="espeak", out=tmp_path / "p.mp3", cache_dir=tmp_path)
    assert received == [("Chat G P T coûte vingt euros.", "Tchatte G P T coûte vingt euros.")]
    assert (tmp_path / "p.mp3").stat().st_size > 0

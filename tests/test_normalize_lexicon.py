"""Pronunciation lexicons: the show's words come first, errors name the file and the key."""

from __future__ import annotations

import pytest

from audio_edition.errors import ConfigError
from audio_edition.normalize import default_lexicon, explain, load_lexicon, normalize


def write(tmp_path, text, name="lexicon.toml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_the_spoken_text_is_engine_neutral_names_as_written_initialisms_spelled():
    assert normalize("ChatGPT, Copilot et NVIDIA") == "Chat G P T, Copilot et Nvidia"
    assert normalize("YouTube, Midjourney, iPhone et DeepSeek") == "YouTube, Midjourney, iPhone et DeepSeek"
    assert "ONU" in default_lexicon("fr").as_words


def test_show_words_apply_before_the_general_rules_and_win_over_the_default(tmp_path):
    lex = load_lexicon(write(tmp_path, '[words]\nChatGPT = "Tchat G P T"\nMAMMAM = "Mamamia"\n'))
    assert normalize("ChatGPT chez MAMMAM", "fr", lex) == "Tchat G P T chez Mamamia"
    assert normalize("ChatGPT", "fr") == "Chat G P T"  # the default is untouched


def test_case_rules_capital_key_is_exact_lowercase_key_matches_any_case(tmp_path):
    lex = load_lexicon(write(tmp_path, '[words]\nApple = "Apeule"\nllama = "lama"\n'))
    assert normalize("Apple, apple, LLAMA, Llama", "fr", lex) == "Apeule, apple, Lama, Lama"


def test_whole_words_only(tmp_path):
    lex = load_lexicon(write(tmp_path, '[words]\nbot = "robot"\n'))
    assert normalize("un bot, un robot, un bottin", "fr", lex) == "un robot, un robot, un bottin"


def test_patterns_run_in_order_with_groups(tmp_path):
    lex = load_lexicon(write(tmp_path, "[patterns]\n'\\bPixel (\\d+)a\\b' = 'Pixel \\1 A'\n"))
    assert normalize("le Pixel 9a", "fr", lex) == "le Pixel neuf A"


def test_acronym_lists_decide_spelled_or_read(tmp_path):
    lex = load_lexicon(write(tmp_path, '[acronyms]\nletters = ["NASA"]\nwords = ["AWS"]\n'))
    assert normalize("NASA et AWS", "fr", lex) == "N A S A et Aws"


def test_a_voice_profile_can_hold_the_lexicon_or_name_a_file(tmp_path):
    write(tmp_path, '[words]\nGemini = "Djémini"\n', "extra.toml")
    profile = write(tmp_path, '[profile]\nname = "Show"\nlanguage = "fr"\n\n[roles.host]\n'
                              'edge = { voice = "fr-FR-DeniseNeural" }\n\n[lexicon]\nfile = "extra.toml"\n\n'
                              '[lexicon.words]\nBing = "Bingue"\n', "show.toml")
    lex = load_lexicon(profile)
    assert normalize("Gemini sur Bing", "fr", lex) == "Djémini sur Bingue"


def test_a_dict_or_a_path_is_accepted_as_lexicon(tmp_path):
    assert normalize("Bing", "fr", {"Bing": "Bingue"}) == "Bingue"
    assert normalize("Bing", "fr", str(write(tmp_path, '[words]\nBing = "Bingue"\n'))) == "Bingue"


def test_explain_names_the_lexicon():
    assert any(r.rule == "lexicon" and r.written == "ChatGPT" for r in explain("ChatGPT"))


@pytest.mark.parametrize("content, words", [
    ('[words]\nChatGPT = 3\n', ["words.ChatGPT", "string"]),
    ('[sounds]\na = "b"\n', ["unknown key", "sounds"]),
    ("[patterns]\n'(' = 'x'\n", ["patterns", "("]),
    ("[patterns]\n'a' = '\\2'\n", ["patterns", "'a'"]),
    ('[acronyms]\nletters = "AWS"\n', ["acronyms.letters"]),
    ('[acronyms]\nletters = ["AWS"]\nwords = ["AWS"]\n', ["AWS", "both"]),
    ('[words]\nIA = "IA IA"\n', ["words.IA", "twice"]),
    ('[words\n', ["invalid TOML"]),
])
def test_a_bad_lexicon_is_a_config_error_naming_the_file_and_the_key(tmp_path, content, words):
    path = write(tmp_path, content)
    with pytest.raises(ConfigError) as err:
        load_lexicon(path)
    message = str(err.value)
    assert str(path) in message
    for w in words:
        assert w in message


def test_a_missing_lexicon_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_lexicon(tmp_path / "nope.toml")

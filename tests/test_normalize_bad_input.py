"""Bad input: a clean result or a one-line error naming the line, never a traceback or a hang.

Each case runs under a hang guard (SIGALRM, generous: a guard, not a timing; speed is measured
in bench/bench_normalize.py).
"""

from __future__ import annotations

import contextlib
import re
import signal

import pytest

from audio_edition.errors import ConfigError
from audio_edition.normalize import for_engine, load_lexicon, normalize, normalize_with_map, speakability_issues
from audio_edition.normalize.lexicon import parse_entries

HANG_GUARD = 30  # seconds


@contextlib.contextmanager
def no_hang(seconds: int = HANG_GUARD):
    def fire(*_):
        raise TimeoutError(f"no result after {seconds} s: a hang")
    old = signal.signal(signal.SIGALRM, fire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def clean(text: str, lang: str) -> str:
    """normalize, the span map and both engines' text: same result, encodable, nothing hostile left."""
    with no_hang():
        out = normalize(text, lang)
        spoken, spans = normalize_with_map(text, lang)
        espeak = for_engine(text, "espeak", lang)
        edge = for_engine(text, "edge", lang)
    assert spoken == out
    for s in (out, espeak, edge):
        s.encode("utf-8")  # what the engines do with it: no lone surrogate can be left
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]", s)
    if spans.pieces:
        assert spans.pieces[-1][1] == len(spoken)
    return out


LANGS = ["fr", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_control_characters_and_terminal_escapes_are_dropped(lang):
    out = clean("Bonjour\x00 le\x07 monde\x1b[31m rouge\x1b[0m\x7f fin\x0c.", lang)
    assert out == "Bonjour le monde rouge fin."


@pytest.mark.parametrize("lang", LANGS)
def test_unpaired_surrogates_are_dropped(lang):
    out = clean("Un texte \ud83d cassé \udc00 ici.", lang)
    assert out == "Un texte cassé ici."


@pytest.mark.parametrize("lang", LANGS)
def test_a_10000_digit_number_is_read_digit_by_digit(lang):
    out = clean("Le code " + "7" * 10_000 + " est long.", lang)
    word = {"fr": "sept", "en": "seven"}[lang]
    assert out.count(word) == 10_000 and not re.search(r"\d", out)


@pytest.mark.parametrize("lang", LANGS)
def test_a_huge_grouped_number_is_read_digit_by_digit_too(lang):
    out = clean("Soit " + " ".join(["123"] * 3000) + " unités.", lang)
    assert not re.search(r"\d", out)


@pytest.mark.parametrize("lang", LANGS)
def test_5000_emoji_vanish(lang):
    assert clean("Wow " + "🚀" * 5000 + " fin.", lang) == "Wow fin."


@pytest.mark.parametrize("lang", LANGS)
def test_an_8000_character_url_is_reduced_to_its_site(lang):
    out = clean("Voir https://example.com/" + "a" * 8000 + " ici.", lang)
    assert out == {"fr": "Voir example point com ici.", "en": "Voir example dot com ici."}[lang]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("text", [
    "a." * 5000, "-" * 8000, "1-" * 5000, "(" * 5000 + ")" * 5000, "A" * 8000, "ABC DEF " * 2000,
    "a/" * 5000, "@" * 5000, "x@y.com " * 500, "1,2,3," * 3000, "1:2:" * 3000, "&" * 5000, "#a" * 4000,
    "XIV " * 3000, "%" * 5000, "$" * 3000 + "€5 " * 1000, "1.2.3." * 3000, "1h" * 4000, "«“'" * 3000,
    "\u00a0\u202f" * 5000, "e\u0301" * 5000, "\n" * 10_000 + "x", " " * 20_000 + "x", "\t\n " * 5000,
], ids=lambda t: repr(t[:8]))
def test_pathological_text_gives_a_clean_result(lang, text):
    out = clean(text, lang)
    issues = speakability_issues(out, lang)
    assert all(len(i) < 200 or not re.search(r"\d", i) for i in issues)


def test_a_malformed_lexicon_line_is_one_error_naming_the_line(tmp_path):
    with pytest.raises(ConfigError) as err:
        parse_entries("Nvidia = Ènvidia\n\n# ok\nun mot sans signe égal\n", "lexicon-espeak-fr.txt")
    assert str(err.value).startswith("lexicon-espeak-fr.txt:4: ")
    assert "\n" not in str(err.value)


def test_a_malformed_show_lexicon_is_one_error_naming_the_key(tmp_path):
    path = tmp_path / "show.toml"
    path.write_text('[espeak]\nKessel = 3\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_lexicon(path)
    assert "espeak.Kessel" in str(err.value) and "\n" not in str(err.value)


def test_the_cli_prints_one_line_for_a_bad_lexicon(tmp_path):
    from click.testing import CliRunner

    from audio_edition.cli_normalize import normalize_command

    path = tmp_path / "lex.toml"
    path.write_text('[words\n', encoding="utf-8")
    result = CliRunner().invoke(normalize_command, ["--lexicon", str(path), "--engine", "espeak", "Texte"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "invalid TOML" in lines[0]

"""'audio-edition normalize', speakability report and the written/spoken diff."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from audio_edition.cli_normalize import normalize_command
from audio_edition.normalize import (
    UnspeakableError,
    check_speakable,
    diff_rows,
    format_diff,
    script_issues,
    speakability_issues,
)


def run(*args, input=None):
    return CliRunner().invoke(normalize_command, list(args), input=input)


def test_prints_the_spoken_form():
    r = run("Le 3 novembre 2025, OpenAI signe 38 milliards $ avec AWS.")
    assert r.exit_code == 0
    assert r.output == ("Le trois novembre deux mille vingt-cinq, Open A I signe trente-huit milliards "
                        "de dollars avec A W S.\n")


def test_explain_lists_written_spoken_and_rule():
    r = run("--explain", "Basique : 2,99€/mois (-74%)")
    assert r.exit_code == 0
    lines = r.output.splitlines()
    assert lines[0] == "Basique : deux euros quatre-vingt-dix-neuf par mois (moins soixante-quatorze pour cent)"
    assert any("'2,99€/mois'" in line and "'deux euros quatre-vingt-dix-neuf par mois'" in line
               and line.endswith("[money]") for line in lines)
    assert any(line.endswith("[percent]") for line in lines)


def test_reads_standard_input_with_a_dash_and_takes_a_language():
    r = run("--lang", "en", "-", input="$2.99 on 12/25/2025\n")
    assert r.output.strip() == "two dollars and ninety-nine cents on December twenty-fifth, twenty twenty-five"


def test_lexicon_option(tmp_path):
    lex = tmp_path / "lex.toml"
    lex.write_text('[words]\nBing = "Bingue"\n', encoding="utf-8")
    assert run("--lexicon", str(lex), "Bing").output == "Bingue\n"


def test_a_bad_lexicon_is_one_error_line_and_exit_1(tmp_path):
    lex = tmp_path / "lex.toml"
    lex.write_text('[words]\nBing = 3\n', encoding="utf-8")
    r = run("--lexicon", str(lex), "Bing")
    assert r.exit_code == 1
    assert "audio-edition: error:" in r.output and "words.Bing" in r.output


def test_speakability_flags_digits_and_symbols_only():
    assert speakability_issues("Il reste 3 places à 5€ | ok.", "fr") == ["3", "5€", "|"]
    assert speakability_issues("Bonjour, l'I A (trois) : c'est-à-dire... oui !", "fr") == []
    assert speakability_issues("Tengo 3 gatos", "es") == []  # the voice reads its own digits
    assert speakability_issues("Tengo 3 gatos €", "es") == ["€"]


def test_script_issues_name_the_segment_and_strict_fails():
    segments = [SimpleNamespace(role="intro", title="Bonjour", spoken="Bonjour."),
                SimpleNamespace(role="story", title="GPT", spoken="G P T 5 arrive.")]
    issues = script_issues(segments, "fr")
    assert [(i.segment, i.role, i.token) for i in issues] == [(2, "story", "5")]
    assert "segment 2 (story — GPT)" in str(issues[0])
    with pytest.raises(UnspeakableError, match="segment 2"):
        check_speakable(segments, "fr")
    check_speakable(segments[:1], "fr")  # nothing left: no error


def test_diff_shows_only_lines_that_change_side_by_side():
    rows = diff_rows("Bonjour.\nLe prix : 2,99€/mois.\n", "fr")
    assert rows == [("Le prix : 2,99€/mois.", "Le prix : deux euros quatre-vingt-dix-neuf par mois.")]
    text = format_diff(rows, width=60)
    first = text.splitlines()[0]
    assert first.startswith("Le prix : 2,99€/mois.") and "│ Le prix : deux euros" in first

"""The span map: normalize_with_map gives normalize's exact text, and a map that covers it."""

from __future__ import annotations

from pathlib import Path

import pytest

from audio_edition.normalize import normalize, normalize_with_map

DATA = Path(__file__).parent / "data"


def golden_rows():
    for name, lang in (("normalize_golden_fr.tsv", "fr"), ("normalize_golden_en.tsv", "en")):
        path = DATA / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#") and "\t" in line:
                yield lang, line.split("\t")[0]


ROWS = list(golden_rows())


def test_same_text_as_normalize_and_a_map_covering_it():
    assert len(ROWS) > 100
    for lang, written in ROWS:
        spoken, spans = normalize_with_map(written, lang)
        assert spoken == normalize(written, lang), written
        pos = 0
        for cs, ce, ws, we, copy in spans.pieces:
            assert cs == pos and ce >= cs, written  # contiguous over the spoken text
            assert 0 <= ws <= we <= len(written), written
            if copy:
                assert spoken[cs:ce] == written[ws:we], written
            pos = ce
        assert pos == len(spoken), written


@pytest.mark.parametrize("written, word, shown", [
    ("OpenAI signe pour 38 milliards $.", "trente-huit", "38 milliards $."),
    ("Le 3 novembre 2025, à 14h30.", "quatorze", "14h30."),
    ("Chez ChatGPT, etc.", "cetera.", "etc."),
    ("L’IA de Google", "I", "L’IA"),
    ("Voir https://www.lemonde.fr/article/123 ici", "lemonde", "https://www.lemonde.fr/article/123"),
    ("du café ☕ et\u00a0du thé", "thé", "thé"),
])
def test_a_spoken_word_maps_back_to_its_whole_written_token(written, word, shown):
    spoken, spans = normalize_with_map(written, "fr")
    at = spoken.index(word)
    assert spans.written_text(at, at + len(word)) == shown

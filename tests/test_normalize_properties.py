"""Properties: normalizing twice changes nothing; no digit survives in French output."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audio_edition.normalize import normalize, speakability_issues

# pieces of newsletter text that exercise the rules, glued together at random
PIECES = [
    "1er", "1re", "2e", "3ème", "XIV", "XXIe", "siècle", "Louis", "€", "$", "£", "%", "-", "+", "GPT-5",
    "GPT-4o", "M.", "Mme", "Dr", "etc.", "h", "km/h", "s", ",", "/", "2,5", "1 000", "70\u202f000", "années",
    "le", "du", "n°", "#", "@", "https://a.com/x", "contact@a.fr", "«", "»", "—", "–", "·", "x", "×", "K",
    "4K", "IA", "AWS", "NASA", "ChatGPT", "…", "Md$", "M€", "k€", "milliards", "(", ")", "°C", "Go", "=",
    ">", "<", "&", "S&P", "500", "1990", "2025", "14h30", "9 h", "25/12/2025", "3/4", "mi-", "1,50",
    "0,05", "-74%", "+17,9 %", "~44 %", "J-3", "p.", "cf.", "MAI-Image-1", "DALL-E", "iPhone", "'", "’",
    "\n", "Ier", "II", "Ve", "CV", "X", "o1", "v2", "2.5", "1.000.000", "12:30", "²", "½", "1️⃣", "👉",
    "2nd", "pts", "‰", "±", "≈", "x86", "24/7", "C++", "R&D", "LA GRANDE", "NOUVELLE EST", "·es",
]
NOISE = "0123456789 ,.-+%€$/:hkKMx×eIVXLCDMaAbB'’«»—–~=><&@#°²·…()\n"

texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(alphabet=NOISE, max_size=6)), max_size=12).map(" ".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(texts)
def test_french_is_idempotent_and_digit_free(text):
    once = normalize(text, "fr")
    assert normalize(once, "fr") == once
    assert not re.search(r"\d", once)


@SETTINGS
@given(texts)
def test_english_is_idempotent_and_digit_free(text):
    once = normalize(text, "en")
    assert normalize(once, "en") == once
    assert not re.search(r"\d", once)


@SETTINGS
@given(st.text(max_size=40))
def test_any_unicode_text_normalizes_without_error(text):
    once = normalize(text, "fr")
    assert normalize(once, "fr") == once


SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_fb75e6390470ca7e.txt"


def test_the_example_issue_is_speakable_and_stable():
    text = SEED.read_text(encoding="utf-8") if SEED.is_file() else "MAI-Image-1 : 38 milliards $ (-74%)"
    spoken = normalize(text, "fr")
    assert speakability_issues(spoken, "fr") == []
    assert normalize(spoken, "fr") == spoken

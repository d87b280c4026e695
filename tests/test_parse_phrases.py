"""The furniture phrase files (``data/phrases/<lang>.toml``) are the whole matcher: every phrase
in them, in a short block, is never read (with or without its accents), and a story paragraph
that happens to contain one is still read."""

from __future__ import annotations

import tomllib
import unicodedata
from importlib import resources

import pytest

from audio_edition.models import Issue
from audio_edition.parse import parse_issue

STORY = "<p>" + "Un paragraphe de nouvelles assez long pour être lu comme un vrai sujet par la voix. " * 3 + "</p>"


def phrase_cases():
    base = resources.files("audio_edition") / "data" / "phrases"
    for entry in sorted(base.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            for kind, table in tomllib.loads(entry.read_text(encoding="utf-8")).items():
                for phrase in table["phrases"]:
                    yield pytest.param(kind, phrase, id=f"{entry.name}:{phrase}")


def accented(text: str) -> str:
    """A few accents put back ("cet e-mail a ete envoye a" → "cet e-mail a été envoyé à")."""
    return text.replace("ete envoye a", "été envoyé à").replace("telecharg", "télécharg").replace("transfer", "transfér")


def parse(body: str):
    html = f'<html lang="fr"><body><h2>Premier sujet</h2>{STORY}<h2>Second sujet</h2>{STORY}{body}</body></html>'
    return parse_issue(Issue(id="t", source="t.html", raw_html=html))


def read(doc) -> str:
    return " ".join([*doc.intro, *doc.closing] + [b.full_text() for s in doc.stories for b in s.blocks]).lower()


@pytest.mark.parametrize("kind,phrase", list(phrase_cases()))
def test_every_phrase_of_the_files_is_furniture(kind, phrase):
    for written in {phrase, accented(phrase)}:
        doc = parse(f"<p>Nouvelles du club. {written.capitalize()} ici.</p>")
        assert "nouvelles du club" not in read(doc), (written, read(doc))
        assert any("nouvelles du club" in s.text.lower() for s in doc.skipped)


def test_the_phrases_match_without_their_accents():
    for text in ("Telechargez l'application pour lire hors ligne.", "Téléchargez l’application pour lire hors ligne."):
        doc = parse(f"<p>{text}</p>")
        assert "hors ligne" not in read(doc)


def test_a_story_that_uses_a_phrase_is_still_read():
    long_story = ("<h2>Les banques et la TVA</h2><p>Le gouvernement veut changer le numéro de TVA des entreprises "
                  "étrangères : " + "les fédérations professionnelles dénoncent une réforme précipitée et coûteuse. "
                  * 4 + "</p>")
    doc = parse(long_story)
    assert "réforme précipitée" in read(doc)


def test_the_folding_is_the_one_the_matcher_uses():
    text = unicodedata.normalize("NFKD", "Transférez-lui").encode("ascii", "ignore").decode()
    doc = parse(f"<p>Un ami ? {text} cet e-mail</p>")
    assert "un ami" not in read(doc)

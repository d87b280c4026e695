"""Transcripts for readers: timed captions and an HTML page of the written text."""

from __future__ import annotations

from html.parser import HTMLParser

from audio_edition.models import Boundary
from audio_edition.transcripts import cues, to_html, to_srt, to_vtt


def test_cues_follow_the_episode_clock_and_phrases():
    words = [Boundary(0.0, 0.3, "Bonjour"), Boundary(0.3, 0.3, "à"), Boundary(0.6, 0.4, "tous."),
             Boundary(1.0, 0.5, "Deuxième"), Boundary(1.5, 0.5, "phrase.")]
    got = cues([(10.0, words, 13.0)])
    assert got == [(10.0, 11.0, "Bonjour à tous."), (11.0, 12.0, "Deuxième phrase.")]
    assert "00:00:10.000 --> 00:00:11.000\nBonjour à tous." in to_vtt(got)
    assert "00:00:10,000 --> 00:00:11,000\nBonjour à tous." in to_srt(got)


def test_html_transcript_escapes_untrusted_text_and_skips_transitions():
    page = to_html("<script>alert(1)</script> Titre", "fr", "Show & Co", "2025-11-12", [
        ("intro", "Intro", "Bonjour <b>tous</b>.", 0.0, None),
        ("transition", "Premier sujet.", "Premier sujet.", 5.0, None),
        ("story", "Un sujet", "Un sujet\nLe résumé : du texte.", 7.0, "javascript:alert(1)"),
        ("story", "Autre", "Autre\nSuite.", 65.0, "https://example.org/a?b=1&c=2"),
    ])
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>" not in page and "Show &amp; Co" in page
    assert "Premier sujet" not in page  # transitions only announce the next part
    assert "javascript:" not in page  # only http(s) links become links
    assert 'href="https://example.org/a?b=1&amp;c=2"' in page
    assert page.count("<h2>") == 3 and "1:05" in page
    assert page.count("Un sujet") == 1  # the story's title line is its heading, not repeated

    class Check(HTMLParser):
        pass

    Check().feed(page)  # well-formed enough to parse
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page

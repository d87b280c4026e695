"""Transcripts for readers: timed captions and an HTML page of the written text."""

from __future__ import annotations

import itertools
import re
from html.parser import HTMLParser

import pytest

from audio_edition.models import Boundary
from audio_edition.normalize import normalize_with_map
from audio_edition.normalize.lexicon import apply_engine_lexicon, engine_span_map
from audio_edition.transcripts import (
    cues,
    cues_for,
    to_html,
    to_srt,
    to_vtt,
    written_cues,
)
from tests.fakes.fixtures import edge_service  # noqa: F401  (fixture)


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


# --- captions in the newsletter's own words -------------------------------------------------

WRITTEN = ("OpenAI signe avec AWS pour 38 milliards $ le 3 novembre 2025. ChatGPT compte 800 millions "
           "d'utilisateurs, etc. Nvidia vend des GPU à 30 000 $ pièce.")


def even_boundaries(text: str, step: float = 0.25) -> list[Boundary]:
    """A voice that says every whitespace token of ``text`` in ``step`` seconds (as espeak reports)."""
    return [Boundary(i * step, step, m.group(0)) for i, m in enumerate(re.finditer(r"\S+", text))]


def _tokens(text: str) -> list[str]:
    return text.split()


def test_cues_show_the_written_words_not_the_spoken_ones():
    spoken, spans = normalize_with_map(WRITTEN, "fr")
    assert "trente-huit" in spoken
    got = cues_for(spans, even_boundaries(spoken), 5.0, 60.0)
    shown = " ".join(text for _, _, text in got)
    assert "38 milliards $" in shown and "ChatGPT" in shown and "30 000 $" in shown
    assert "trente-huit" not in shown and "Chat G P T" not in shown and "Open A I" not in shown
    assert _tokens(shown) == _tokens(WRITTEN)  # every written token once, in order, none split


def test_cues_are_timed_on_the_voice_and_in_order():
    spoken, spans = normalize_with_map(WRITTEN, "fr")
    words = even_boundaries(spoken)
    got = cues_for(spans, words, 5.0, 5.0 + 0.25 * len(words))
    assert got[0][0] == 5.0
    assert all(a[0] < a[1] <= b[0] + 1e-9 for a, b in itertools.pairwise(got))
    # the cue holding "2025" starts when the voice starts "deux mille vingt-cinq"
    year = next(c for c in got if "2025" in c[2])
    first_word = spoken.split().index("deux")
    assert year[0] <= 5.0 + 0.25 * first_word < year[1]


def test_a_cue_never_splits_a_written_token_even_at_the_word_limit():
    # one written token said as many spoken words: 1 234 567 → "un million deux cent trente-quatre mille..."
    text = "Il y a 1234567 et 7654321 et encore 9876543 habitants."
    spoken, spans = normalize_with_map(text, "fr")
    got = cues_for(spans, even_boundaries(spoken), 0.0, 100.0)
    for _, _, cue in got:
        for tok in cue.split():
            assert tok in text.split()
    assert _tokens(" ".join(c[2] for c in got)) == _tokens(text)


def test_espeak_boundaries_on_its_respelled_text_map_back_to_the_written_words():
    from audio_edition.engines.espeak import EspeakEngine

    written = "ChatGPT et Nvidia signent avec YouTube, etc."
    spoken, spans = normalize_with_map(written, "fr")
    received = apply_engine_lexicon(spoken, "espeak", "fr")
    assert "Tchatte" in received and "Ènvidia" in received

    class R:  # what the runner returns for a segment
        engine, voice = "espeak", "fr"
        boundaries = tuple(even_boundaries(received))

    class Seg:
        pass

    seg = Seg()
    seg.spans, seg.spoken = spans, spoken

    class P:
        start, end = 0.0, 10.0

    got = written_cues([seg], [P()], [R()])
    shown = " ".join(c[2] for c in got)
    assert shown == written
    assert engine_span_map(spoken, "espeak", "fr").spoken == received
    # and the real engine: its boundaries are on the text it received
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        result = EspeakEngine().synthesize(spoken, "fr", 0, 0, f"{tmp}/x.wav")
    R.boundaries = result.boundaries
    got = written_cues([seg], [P()], [R()])
    assert " ".join(c[2] for c in got) == written


def test_without_boundaries_cues_are_timed_by_sentence():
    _, spans = normalize_with_map(WRITTEN, "fr")
    got = cues_for(spans, [], 10.0, 40.0)
    assert [c[2] for c in got] == ["OpenAI signe avec AWS pour 38 milliards $ le 3 novembre 2025.",
                                   "ChatGPT compte 800 millions d'utilisateurs, etc.",
                                   "Nvidia vend des GPU à 30 000 $ pièce."]
    assert got[0][0] == pytest.approx(10.0) and got[-1][1] == pytest.approx(40.0)
    assert all(a[1] <= b[0] + 1e-9 for a, b in itertools.pairwise(got))


def test_sentence_boundaries_give_one_cue_per_sentence():
    spoken, spans = normalize_with_map(WRITTEN, "fr")
    sentences = [s.strip() for s in re.findall(r"[^.]+\.", spoken)]
    bounds = [Boundary(i * 3.0, 3.0, s, "sentence") for i, s in enumerate(sentences)]
    got = cues_for(spans, bounds, 0.0, 9.0)
    assert got[0][2] == "OpenAI signe avec AWS pour 38 milliards $ le 3 novembre 2025."
    assert got[1][0] == 3.0


def _vtt_cues(vtt: str) -> list[tuple[str, str, str]]:
    blocks = [b for b in vtt.split("\n\n") if "-->" in b]
    out = []
    for b in blocks:
        lines = b.strip().splitlines()
        i = next(k for k, ln in enumerate(lines) if "-->" in ln)
        start, end = lines[i].split(" --> ")
        out.append((start, end, " ".join(lines[i + 1:])))
    return out


def test_the_example_captions_show_the_newsletter_words(example_build):
    ep = next((example_build / "episodes").iterdir())
    vtt = (ep / "transcript.vtt").read_text(encoding="utf-8")
    srt = (ep / "transcript.srt").read_text(encoding="utf-8")
    text = " ".join(c[2] for c in _vtt_cues(vtt))
    assert "OpenAI" in text and "38 milliards" in text and "ChatGPT" in text
    for spoken_only in ("Open A I", "trente-huit", "Chat G P T", "Tchatte", "Ènvidia", "G P U"):
        assert spoken_only not in text, spoken_only
        assert spoken_only not in srt, spoken_only
    cues_ = _vtt_cues(vtt)
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(cues_))  # in time order


EDGE_ISSUE = """<!DOCTYPE html><html lang="fr"><head><title>Lettre n°8</title>
<meta property="article:published_time" content="2025-11-03T06:00:00Z"/></head>
<body><article><h1>Deux nouvelles</h1>
<h2>1. Un gros contrat</h2><p>OpenAI signe avec AWS pour 38 milliards $ le 3 novembre 2025.</p>
<h2>2. Un assistant</h2><p>ChatGPT compte 800 millions d'utilisateurs, etc.</p>
</article></body></html>"""


def test_edge_captions_show_the_written_words(tmp_path, edge_service):  # noqa: F811  (the fixture)
    from audio_edition.build import BuildOptions, build

    from .fakes.fixtures import fast_edge_options

    src = tmp_path / "lettre.html"
    src.write_text(EDGE_ISSUE, encoding="utf-8")
    out = tmp_path / "out"
    build([str(src)], BuildOptions(out_dir=out, engine="edge", engine_options=fast_edge_options()))
    vtt = next((out / "episodes").glob("*/transcript.vtt")).read_text(encoding="utf-8")
    text = " ".join(c[2] for c in _vtt_cues(vtt))
    assert "OpenAI signe avec AWS pour 38 milliards $ le 3 novembre 2025." in text
    assert "ChatGPT compte 800 millions d'utilisateurs, etc." in text
    assert "trente-huit" not in text and "Chat G P T" not in text

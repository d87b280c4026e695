"""The offline engine under concurrency: espeak's global state must never mix two texts."""

from __future__ import annotations

import re
import threading
import wave

import pytest

from audio_edition.engines.espeak import EspeakEngine, list_espeak_voices
from audio_edition.errors import SynthesisError

TEXTS = [f"Segment {n} : {w} parle d'intelligence artificielle." for n, w in
         zip(["un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit"],
             ["Alice", "Bernard", "Chloé", "David", "Émilie", "François", "Gaëlle", "Hugo"], strict=False)]


def words(text):
    return re.findall(r"\w+", text.lower())


def test_concurrent_calls_never_mix_audio_or_boundaries(tmp_path):
    engine = EspeakEngine()
    sequential = [engine.synthesize(t, "fr", 0, 0, str(tmp_path / f"s{i}.wav")) for i, t in enumerate(TEXTS)]
    results: dict[int, object] = {}
    barrier = threading.Barrier(len(TEXTS))

    def run(i):
        barrier.wait()
        for round_ in range(3):
            results[i, round_] = engine.synthesize(TEXTS[i], "fr+f3" if i % 2 else "fr", 0, 0,
                                                   str(tmp_path / f"c{i}-{round_}.wav"))

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(TEXTS))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for (i, _round), r in results.items():
        assert [w for b in r.boundaries for w in words(b.text)] == words(TEXTS[i])
        assert r.duration == pytest.approx(sequential[i].duration, rel=0.08)
        with wave.open(r.audio_path) as w:
            assert w.getnframes() / w.getframerate() == pytest.approx(r.duration)


def test_rate_and_pitch_are_mapped(tmp_path):
    engine = EspeakEngine()
    normal = engine.synthesize(TEXTS[0], "fr", 0, 0, str(tmp_path / "a.wav"))
    fast = engine.synthesize(TEXTS[0], "fr", 50, 0, str(tmp_path / "b.wav"))
    assert fast.duration < normal.duration * 0.8


def test_unknown_espeak_voice_is_one_line_error(tmp_path):
    with pytest.raises(SynthesisError, match="unknown voice 'xx-nope'"):
        EspeakEngine().synthesize("Bonjour.", "xx-nope", 0, 0, str(tmp_path / "a.wav"))


def test_listed_voices_and_variants_are_accepted_by_the_engine(tmp_path):
    voices = list_espeak_voices()
    by_id = {v["id"]: v for v in voices}
    assert by_id["fr"]["language"] == "fr-fr" and by_id["en-US"]["language"] == "en-us"
    variants = {v["id"] for v in list_espeak_voices(variants=True)}
    assert {"+f3", "+m3"} <= variants
    engine = EspeakEngine()
    for voice in [v["id"] for v in voices if v["language"][:2] in ("fr", "en")] + ["fr+f3", "en-US+m3"]:
        assert engine.synthesize("Bonjour.", voice, 0, 0, str(tmp_path / "v.wav")).duration > 0.1, voice


def test_boundaries_are_the_texts_words_even_with_elisions_and_compounds(tmp_path):
    # espeak's own word events stop at apostrophes (d'intelligence → "d") and split
    # compounds (GPT-4o → 3 events); the boundaries must still be the text's tokens
    text = "Il parle d'intelligence et d'amour, l'été à 10 h 30 ; GPT-4o coûte 3,5 € aujourd'hui."
    result = EspeakEngine().synthesize(text, "fr", 0, 0, str(tmp_path / "a.wav"))
    assert [b.text for b in result.boundaries] == text.split()
    offsets = [b.offset for b in result.boundaries]
    assert offsets == sorted(offsets) and result.boundaries[-1].offset < result.duration

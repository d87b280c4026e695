"""The edge engine against a fake of the service on 127.0.0.1, through the unmodified client.

Every fault the real service shows (403, 429, a connection dropped or reset mid-audio, a
stalled stream, no audio) is either retried into complete audio or ends in a one-line
error; a truncated stream is never returned as a result.
"""

from __future__ import annotations

import asyncio
import time
import wave

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.engines import get_engine
from audio_edition.engines.edge import (
    EdgeEngine,
    backoff_delay,
    closest_voices,
    completeness_problem,
    deadline_for,
    split_text,
)
from audio_edition.errors import SynthesisError
from audio_edition.models import Boundary
from tests.fakes.edge_service import FakeEdgeService, plan_words, voice_entry

TEXT = ("Bonjour à tous, et bienvenue dans l'édition audio de la semaine. "
        "Trois nouvelles ont retenu notre attention : un modèle, une loi, et un outil.")


@pytest.fixture
def service(monkeypatch):
    svc = FakeEdgeService(speed=100).start()  # 20x (realistic) in the pacing test and the bench
    svc.patch(monkeypatch)
    yield svc
    svc.stop()


@pytest.fixture
def sleeps():
    return []


@pytest.fixture
def engine(tmp_path, sleeps):
    async def record_sleep(delay: float) -> None:
        sleeps.append(delay)

    return EdgeEngine(attempts=5, backoff=0.5, backoff_max=8, deadline=1.5, deadline_per_char=0.002,
                      cache_dir=tmp_path / "cache", sleep=record_sleep, rng=lambda: 1.0)


def synth(engine, tmp_path, text=TEXT, voice="fr-FR-DeniseNeural", rate=0, pitch=0, name="out.wav"):
    out = tmp_path / name
    return engine.synthesize(text, voice, rate, pitch, str(out)), out


def expected_duration(text: str, rate: int = 0) -> float:
    words, total = plan_words(text, 1 + rate / 100)
    return total


def wav_info(path):
    with wave.open(str(path), "rb") as w:
        return w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes() / w.getframerate()


def test_clean_synthesis_gives_complete_wav_and_word_boundaries(service, engine, tmp_path):
    result, out = synth(engine, tmp_path, rate=10, pitch=10)
    channels, width, rate, duration = wav_info(out)
    assert (channels, width, rate) == (1, 2, 44100)  # decoded at the mixer's rate
    assert result.duration == pytest.approx(duration)
    assert result.duration == pytest.approx(expected_duration(TEXT, 10), abs=0.05)
    assert [b.text for b in result.boundaries][:4] == ["Bonjour", "à", "tous", "et"]
    assert result.boundaries[-1].text == "outil"
    assert result.boundaries[-1].offset + result.boundaries[-1].duration <= result.duration
    assert result.attempts == 1 and result.engine == "edge" and result.voice == "fr-FR-DeniseNeural"
    (req,) = service.syntheses()
    assert (req.voice, req.rate, req.pitch, req.boundary) == ("fr-FR-DeniseNeural", "+10%", "+15Hz", "WordBoundary")


def test_get_engine_builds_the_edge_engine():
    assert get_engine("edge").name == "edge"


def test_one_403_is_absorbed_by_the_clients_own_retry(service, engine, tmp_path):
    service.add_fault("403", times=1)
    result, _ = synth(engine, tmp_path)
    # edge_tts adjusts its clock skew from the 403's Date header and reconnects once itself
    assert [r.outcome for r in service.requests] == ["403", "ok"]
    assert result.attempts == 1


def test_repeated_403_is_retried_with_backoff(service, engine, tmp_path, sleeps):
    service.add_fault("403", times=2)
    result, _ = synth(engine, tmp_path)
    assert [r.outcome for r in service.requests] == ["403", "403", "ok"]
    assert result.attempts == 2
    assert sleeps == [0.5]


def test_429_is_retried_with_exponential_backoff(service, engine, tmp_path, sleeps):
    service.add_fault("429", times=3)
    result, out = synth(engine, tmp_path)
    assert result.attempts == 4
    assert sleeps == [0.5, 1.0, 2.0]
    assert wav_info(out)[3] == pytest.approx(expected_duration(TEXT), abs=0.05)


@pytest.mark.parametrize("kind", ["drop", "reset"])
@pytest.mark.parametrize("metadata", ["interleaved", "upfront"])
def test_stream_cut_mid_audio_is_never_accepted(service, engine, tmp_path, kind, metadata):
    service.metadata = metadata
    service.add_fault(kind, times=2, at=0.6)
    result, out = synth(engine, tmp_path)
    assert [r.outcome for r in service.requests] == [kind, kind, "ok"]
    assert result.attempts == 3
    assert wav_info(out)[3] == pytest.approx(expected_duration(TEXT), abs=0.05)
    assert result.boundaries[-1].text == "outil"


def test_cut_in_the_last_word_is_caught(service, engine, tmp_path):
    # all boundaries arrive first, then audio stops inside the last word
    service.metadata = "upfront"
    service.add_fault("drop", times=1, at=0.93)
    result, out = synth(engine, tmp_path)
    assert result.attempts == 2
    assert wav_info(out)[3] == pytest.approx(expected_duration(TEXT), abs=0.05)


def test_stalled_stream_hits_the_deadline_and_is_retried(service, engine, tmp_path):
    service.add_fault("stall", times=1, at=0.3)
    start = time.monotonic()
    result, _ = synth(engine, tmp_path)
    elapsed = time.monotonic() - start
    assert result.attempts == 2
    assert [r.outcome for r in service.requests] == ["stall", "ok"]
    assert elapsed < deadline_for(TEXT, 1.5, 0.002) + 2


def test_no_audio_for_an_existing_voice_is_retried(service, engine, tmp_path):
    service.add_fault("noaudio", times=2)
    result, _ = synth(engine, tmp_path)
    assert result.attempts == 3


def test_persistent_truncation_ends_in_one_line_error_and_no_file(service, engine, tmp_path, sleeps):
    service.add_fault("drop", times=None, at=0.5)
    with pytest.raises(SynthesisError) as info:
        synth(engine, tmp_path)
    msg = str(info.value)
    assert "\n" not in msg
    assert "failed 5 times" in msg and "incomplete audio" in msg and "fr-FR-DeniseNeural" in msg
    assert info.value.attempts == 5
    assert len(service.syntheses(None)) == 5
    assert sleeps == [0.5, 1.0, 2.0, 4.0]
    assert not list(tmp_path.glob("out.wav*"))


def test_backoff_is_capped(service, tmp_path, sleeps):
    async def record(delay):
        sleeps.append(delay)

    engine = EdgeEngine(attempts=6, backoff=1, backoff_max=3, deadline=1, sleep=record, rng=lambda: 1.0,
                        cache_dir=tmp_path)
    service.add_fault("429", times=None)
    with pytest.raises(SynthesisError, match=r"handshake refused \(HTTP 429\)"):
        synth(engine, tmp_path)
    assert sleeps == [1, 2, 3, 3, 3]


def test_unknown_voice_names_it_and_the_closest_voices_at_once(service, engine, tmp_path):
    with pytest.raises(SynthesisError) as info:
        synth(engine, tmp_path, voice="fr-FR-DenisNeural")
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith("edge voice fr-FR-DenisNeural does not exist")
    assert "closest fr-FR voices: fr-FR-DeniseNeural" in msg
    assert "en-US" not in msg and "fr-CA" not in msg
    assert len(service.syntheses(None)) == 1  # no pointless retries
    assert service.voice_list_calls == 1


def test_voice_list_is_cached_for_a_day(service, tmp_path):
    eng1 = EdgeEngine(cache_dir=tmp_path)
    eng2 = EdgeEngine(cache_dir=tmp_path)
    assert asyncio.run(eng1.voice_exists("fr-FR-HenriNeural")) is True
    assert asyncio.run(eng2.voice_exists("fr-FR-Nope")) is False
    assert service.voice_list_calls == 1
    assert (tmp_path / "voices" / "edge.json").is_file()


def test_not_an_edge_voice_name_fails_before_any_request(service, engine, tmp_path):
    with pytest.raises(SynthesisError, match="not an edge voice name"):
        synth(engine, tmp_path, voice="fr+f3")
    assert service.handshakes == 0


def test_long_text_is_split_at_sentences_and_joined(service, tmp_path):
    engine = EdgeEngine(max_chars=200, deadline=2, cache_dir=tmp_path)
    sentences = [f"Phrase numéro {i}, qui parle d'intelligence artificielle et de podcasts." for i in range(12)]
    text = " ".join(sentences)
    result, out = synth(engine, tmp_path, text=text)
    requests = service.syntheses()
    assert len(requests) == 6
    assert all(len(r.text) <= 200 and r.text.endswith("podcasts.") for r in requests)
    assert wav_info(out)[3] == pytest.approx(result.duration)
    assert result.duration == pytest.approx(sum(expected_duration(r.text) for r in requests), abs=0.1)
    offsets = [b.offset for b in result.boundaries]
    assert offsets == sorted(offsets)
    assert completeness_problem(text, result.boundaries, result.duration) is None
    assert not [p for p in tmp_path.iterdir() if ".part" in p.name]


def test_split_pieces_retry_alone(service, tmp_path):
    engine = EdgeEngine(max_chars=120, deadline=2, backoff=0.001, cache_dir=tmp_path)
    text = "Première phrase, assez courte pour tenir. " * 2 + "Deuxième morceau qui échoue une fois. " * 2
    service.add_fault("drop", times=1, match="Deuxième")
    result, _ = synth(engine, tmp_path, text=text)
    outcomes = sorted((r.text.startswith("Deuxième"), r.outcome) for r in service.syntheses(None))
    assert outcomes == [(False, "ok"), (True, "drop"), (True, "ok")]  # only the failed piece again
    assert result.attempts == 2  # one retry in the whole segment
    assert completeness_problem(text, result.boundaries, result.duration) is None


def test_a_piece_that_keeps_failing_cancels_its_siblings_and_leaves_nothing(service, tmp_path):
    service.speed = 1.5  # the good pieces would stream for about 5 s each
    engine = EdgeEngine(max_chars=120, attempts=2, deadline=20, backoff=0.001, cache_dir=tmp_path)
    text = "Un morceau qui échoue toujours, dès le départ. " + "Un morceau long qui prend son temps. " * 6
    service.add_fault("noaudio", times=None, match="échoue")
    start = time.monotonic()
    with pytest.raises(SynthesisError, match="failed 2 times"):
        synth(engine, tmp_path, text=text)
    assert time.monotonic() - start < 1.5  # the slow siblings were cancelled, not awaited
    assert sorted(p.name for p in tmp_path.iterdir()) == ["voices"]


def test_pieces_share_the_limit_on_requests_in_flight(service, tmp_path):
    service.latency = 0.1
    engine = EdgeEngine(max_chars=100, deadline=5, cache_dir=tmp_path)
    text = "Une phrase de longueur moyenne pour remplir un morceau. " * 8

    async def limited():
        engine.limiter = asyncio.Semaphore(2)
        return await engine.asynthesize(text, "fr-FR-DeniseNeural", 0, 0, str(tmp_path / "out.wav"))

    asyncio.run(limited())
    reqs = service.syntheses()
    assert len(reqs) == 8
    events = sorted([(r.started, 1) for r in reqs] + [(r.ended, -1) for r in reqs])
    live = peak = 0
    for _, d in events:
        live += d
        peak = max(peak, live)
    assert peak == 2


def test_sentence_boundaries(service, tmp_path):
    engine = EdgeEngine(boundary="sentence", cache_dir=tmp_path)
    result, _ = synth(engine, tmp_path)
    assert [b.kind for b in result.boundaries] == ["sentence", "sentence"]
    assert result.boundaries[1].text.endswith("outil")
    assert service.syntheses()[0].boundary == "SentenceBoundary"


def test_a_service_without_word_boundaries_switches_the_engine_to_sentences(service, engine, tmp_path):
    service.word_boundaries = False
    result, _ = synth(engine, tmp_path)
    assert [r.boundary for r in service.syntheses()] == ["WordBoundary", "SentenceBoundary"]
    assert result.attempts == 2 and [b.kind for b in result.boundaries] == ["sentence", "sentence"]
    synth(engine, tmp_path, text="Une autre phrase.", name="b.wav")
    assert service.syntheses()[-1].boundary == "SentenceBoundary"  # no more wasted requests
    assert len(service.syntheses(None)) == 3


def test_latency_and_real_time_pacing_are_honoured(monkeypatch, tmp_path):
    with FakeEdgeService(speed=20, latency=0.15) as svc:
        svc.patch(monkeypatch)
        start = time.monotonic()
        result, _ = synth(EdgeEngine(cache_dir=tmp_path), tmp_path)
        elapsed = time.monotonic() - start
    assert elapsed >= 0.15 + result.duration / 20 * 0.9


# --- pure functions ------------------------------------------------------------------------

def test_completeness_accepts_full_coverage_and_names_what_is_missing():
    words, total = plan_words(TEXT)
    bounds = [Boundary(w.offset, w.duration, w.text) for w in words]
    assert completeness_problem(TEXT, bounds, total) is None
    problem = completeness_problem(TEXT, bounds[:-2], total)
    assert "2 of" in problem and "unspoken" in problem
    assert "audio stops" in completeness_problem(TEXT, bounds, bounds[-1].offset)
    assert completeness_problem(TEXT, [], total) == "no word or sentence boundaries"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["IA", "modèle", "l'outil", "2025", "données", "Paris,", "vite."]),
                min_size=1, max_size=40), st.data())
def test_any_truncation_of_the_stream_is_detected(words, data):
    text = " ".join(words)
    planned, total = plan_words(text)
    bounds = [Boundary(w.offset, w.duration, w.text) for w in planned]
    assert completeness_problem(text, bounds, total) is None
    # a stream cut at time t delivers the boundaries that started before t and audio up to t
    cut = data.draw(st.floats(min_value=0.0, max_value=bounds[-1].offset + bounds[-1].duration - 0.1))
    seen = [b for b in bounds if b.offset < cut]
    assert completeness_problem(text, seen, cut) is not None


@given(st.text(alphabet="abc éà.,!? ", min_size=0, max_size=600), st.integers(min_value=100, max_value=300))
def test_split_text_keeps_every_word_in_order_within_the_limit(text, limit):
    pieces = split_text(text, limit)
    assert " ".join(pieces).split() == text.split()
    for p in pieces:
        assert len(p) <= limit or " " not in p


def test_split_pieces_have_similar_sizes():
    text = " ".join(f"Phrase {i} qui parle de modèles et de données." for i in range(45))  # ~2100 chars
    pieces = split_text(text, 1500)
    assert len(pieces) == 2
    assert abs(len(pieces[0]) - len(pieces[1])) < 150


def test_split_prefers_sentence_ends():
    text = "Une phrase. " * 30
    pieces = split_text(text, 100)
    assert all(p.endswith("phrase.") for p in pieces)


def test_backoff_delay_has_jitter_and_honours_retry_after():
    assert backoff_delay(1, 1, 30, rng=lambda: 0.0) == 0.5
    assert backoff_delay(3, 1, 30, rng=lambda: 1.0) == 4
    assert backoff_delay(10, 1, 30, rng=lambda: 1.0) == 30
    assert backoff_delay(1, 1, 30, rng=lambda: 0.0, retry_after=7) == 7
    assert backoff_delay(1, 1, 30, rng=lambda: 0.0, retry_after=500) == 30


def test_deadline_scales_with_text_length():
    assert deadline_for("x" * 1000, 20, 0.03) == pytest.approx(50)
    assert deadline_for("x" * 100, 20, 0.03) < deadline_for("x" * 1000, 20, 0.03)


def test_closest_voices_stay_in_the_locale():
    voices = [voice_entry("fr-FR", "DeniseNeural", "Female"), voice_entry("fr-FR", "HenriNeural", "Male"),
              voice_entry("fr-CA", "SylvieNeural", "Female"), voice_entry("en-US", "GuyNeural", "Male")]
    assert closest_voices("fr-FR-HenryNeural", voices)[0] == "fr-FR-HenriNeural"
    assert set(closest_voices("fr-FR-HenryNeural", voices)) == {"fr-FR-HenriNeural", "fr-FR-DeniseNeural"}
    # no fr-BE voice at all: the other French voices, never English ones
    assert set(closest_voices("fr-BE-GerardNeural", voices)) == {
        "fr-CA-SylvieNeural", "fr-FR-DeniseNeural", "fr-FR-HenriNeural"}


def test_voice_list_older_than_a_day_is_fetched_again_and_a_stale_one_serves_offline(service, monkeypatch,
                                                                                      tmp_path):
    import os

    from audio_edition.engines.edge import list_voices

    cache_file = tmp_path / "voices" / "edge.json"
    asyncio.run(list_voices(cache_file))
    two_days_ago = time.time() - 2 * 86400
    os.utime(cache_file, (two_days_ago, two_days_ago))
    asyncio.run(list_voices(cache_file))
    assert service.voice_list_calls == 2
    os.utime(cache_file, (two_days_ago, two_days_ago))
    monkeypatch.setattr("edge_tts.voices.VOICE_LIST", "http://127.0.0.1:9/voices/list?x=1")  # offline
    voices = asyncio.run(list_voices(cache_file))
    assert any(v["ShortName"] == "fr-FR-DeniseNeural" for v in voices)
    cache_file.unlink()
    with pytest.raises(SynthesisError, match="cannot fetch edge's voice list"):
        asyncio.run(list_voices(cache_file))

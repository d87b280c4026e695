"""The runner: cache in front, bounded concurrency, fallback, resume after a failure, report."""

from __future__ import annotations

import os
import re
import wave
from dataclasses import replace

import pytest

from audio_edition.engines.cache import SegmentCache
from audio_edition.engines.runner import (
    SegmentAudio,
    SynthJob,
    default_fallback_voice,
    summarize,
    synthesize_all,
)
from audio_edition.errors import SynthesisError, UsageError
from audio_edition.models import SynthResult
from tests.fakes.fixtures import edge_service, fast_edge_options  # noqa: F401  (fixture)

TEXTS = [
    "Bonjour et bienvenue dans l'édition audio de la semaine.",
    "Première histoire : un nouveau modèle de langage ouvert.",
    "Deuxième histoire : l'Europe adopte une loi sur l'intelligence artificielle.",
    "Troisième histoire : un outil pour résumer vos réunions.",
    "C'est tout pour aujourd'hui, à la semaine prochaine !",
]
ROLES = ["intro", "story", "story", "story", "outro"]


def edge_jobs(texts=TEXTS):
    return [SynthJob(index=i, role=ROLES[i % len(ROLES)], text=t, title=f"Titre {i + 1}",
                     voice="fr-FR-HenriNeural" if ROLES[i % len(ROLES)] == "story" else "fr-FR-DeniseNeural",
                     fallback_voice="fr")
            for i, t in enumerate(texts)]


def espeak_jobs(texts=TEXTS):
    return [SynthJob(index=i, role="story", text=t, voice="fr") for i, t in enumerate(texts)]


def run_edge(jobs, cache_dir, **kw):
    kw.setdefault("engine_options", fast_edge_options())
    return synthesize_all(jobs, engine_name="edge", cache_dir=cache_dir, **kw)


def test_edge_build_then_rebuild_synthesizes_nothing(edge_service, tmp_path):
    first = run_edge(edge_jobs(), tmp_path)
    assert [s.job.index for s in first] == [0, 1, 2, 3, 4]
    assert all(not s.cached and s.attempts == 1 and s.engine == "edge" for s in first)
    assert [s.voice for s in first] == ["fr-FR-DeniseNeural", "fr-FR-HenriNeural", "fr-FR-HenriNeural",
                                        "fr-FR-HenriNeural", "fr-FR-DeniseNeural"]
    for s in first:
        with wave.open(s.audio_path) as w:
            assert w.getnframes() / w.getframerate() == pytest.approx(s.duration)
    assert summarize(first) == "5 segments: 0 cached, 5 synthesized, 0 fallbacks, 0 retries"

    second = run_edge(edge_jobs(), tmp_path)
    assert len(edge_service.syntheses()) == 5  # nothing new reached the service
    assert all(s.cached and s.attempts == 0 for s in second)
    assert [s.audio_path for s in second] == [s.audio_path for s in first]
    assert [s.boundaries for s in second] == [s.boundaries for s in first]
    assert summarize(second) == "5 segments: 5 cached, 0 synthesized, 0 fallbacks, 0 retries"


def test_editing_one_paragraph_resynthesizes_exactly_that_segment(edge_service, tmp_path):
    run_edge(edge_jobs(), tmp_path)
    edited = list(TEXTS)
    edited[2] = edited[2].replace("une loi", "un règlement")
    again = run_edge(edge_jobs(edited), tmp_path)
    assert [s.cached for s in again] == [True, True, False, True, True]
    assert [r.text for r in edge_service.syntheses()][-1] == edited[2]
    assert len(edge_service.syntheses()) == 6


def test_retries_are_counted_in_the_report(edge_service, tmp_path):
    edge_service.add_fault("drop", times=2, match="Troisième")
    segs = run_edge(edge_jobs(), tmp_path)
    assert [s.attempts for s in segs] == [1, 1, 1, 3, 1]
    assert segs[3].report() == {"engine": "edge", "voice": "fr-FR-HenriNeural", "attempts": 3, "cached": False,
                                "synthesized": True, "duration": round(segs[3].duration, 3), "fallback": False}
    assert summarize(segs) == "5 segments: 0 cached, 5 synthesized, 0 fallbacks, 2 retries"


def test_failure_stops_the_build_naming_the_segment_and_a_rerun_resumes(edge_service, tmp_path):
    edge_service.add_fault("drop", times=None, match="Troisième")
    with pytest.raises(SynthesisError) as info:
        run_edge(edge_jobs(), tmp_path, concurrency=1)
    msg = str(info.value)
    assert "\n" not in msg
    assert msg.startswith("segment 4 (story “Titre 4”): edge (fr-FR-HenriNeural) failed 3 times: incomplete audio")
    assert "the 3 segment(s) made before stopping are cached: run again to resume" in msg
    # one worker, longest segment first: 3, 1, 2 were made and cached, 4 failed, 5 never started
    assert [r.text for r in edge_service.syntheses()] == [TEXTS[2], TEXTS[0], TEXTS[1]]
    assert SegmentCache(tmp_path).info().entries == 3

    edge_service.clear_faults()
    before = len(edge_service.syntheses())
    segs = run_edge(edge_jobs(), tmp_path, concurrency=1)
    assert [r.text for r in edge_service.syntheses()[before:]] == [TEXTS[3], TEXTS[4]]
    assert [s.cached for s in segs] == [True, True, True, False, False]


def test_longest_segments_start_first(edge_service, tmp_path):
    texts = ["Court.", "Un segment nettement plus long que les autres, avec plusieurs mots.", "Moyen, assez."]
    run_edge(edge_jobs(texts), tmp_path, concurrency=1)
    assert [r.text for r in edge_service.syntheses()] == [texts[1], texts[2], texts[0]]


def test_segments_in_flight_when_one_fails_finish_and_are_cached(edge_service, tmp_path):
    edge_service.speed = 5  # each good segment streams for about a second...
    edge_service.add_fault("noaudio", times=None, match="Première")  # ...while this one fails at once
    with pytest.raises(SynthesisError) as info:
        run_edge(edge_jobs(), tmp_path, concurrency=3, engine_options=fast_edge_options(attempts=1))
    assert "segment 2 (story “Titre 2”)" in str(info.value)
    assert "the 2 segment(s) made before stopping are cached" in str(info.value)
    # segments 1 and 3 were in flight and completed; 4 and 5 were never started
    assert sorted(r.text for r in edge_service.syntheses()) == sorted([TEXTS[0], TEXTS[2]])
    assert SegmentCache(tmp_path).info().entries == 2


def test_fallback_engine_synthesizes_the_failing_segment_offline_and_records_it(edge_service, tmp_path):
    edge_service.add_fault("stall", times=None, match="Première", at=0.2)
    segs = run_edge(edge_jobs(), tmp_path, fallback_engine="espeak",
                    engine_options=fast_edge_options(deadline=0.3))
    fb = segs[1]
    assert fb.fallback and fb.engine == "espeak" and fb.voice == "fr" and not fb.cached
    assert fb.attempts == 3
    assert "timed out" in fb.report()["fallback_reason"]
    assert fb.report()["fallback"] is True
    assert [s.engine for s in segs] == ["edge", "espeak", "edge", "edge", "edge"]
    assert summarize(segs) == "5 segments: 0 cached, 5 synthesized, 1 fallback, 2 retries"
    with wave.open(fb.audio_path) as w:
        assert w.getnframes() > 0

    # the service is back: the next build gets the neural voice again
    edge_service.clear_faults()
    again = run_edge(edge_jobs(), tmp_path, fallback_engine="espeak")
    assert [s.engine for s in again] == ["edge"] * 5
    assert [s.cached for s in again] == [True, False, True, True, True]


def _peak_in_flight(reqs) -> int:
    """The most requests the fake service had open at once, from its own timestamps."""
    events = sorted([(r.started, 1) for r in reqs] + [(r.ended, -1) for r in reqs])
    live = peak = 0
    for _, d in events:
        live += d
        peak = max(peak, live)
    return peak


def test_bounded_concurrency(edge_service, tmp_path):
    edge_service.latency = 0.15
    texts = [f"Segment numéro {i}, une phrase assez courte." for i in range(9)]
    run_edge(edge_jobs(texts), tmp_path, concurrency=3)
    peak = _peak_in_flight(edge_service.syntheses())
    assert peak == 3  # three at a time: never more, and not one after the other


@pytest.mark.parametrize("bad", [0, 9, -1])
def test_concurrency_is_bounded_to_1_8(tmp_path, bad):
    with pytest.raises(UsageError, match="between 1 and 8"):
        synthesize_all(espeak_jobs(), engine_name="espeak", cache_dir=tmp_path, concurrency=bad)


def test_espeak_jobs_are_cached_and_reported(tmp_path):
    progress = []
    segs = synthesize_all(espeak_jobs(), engine_name="espeak", cache_dir=tmp_path, concurrency=4,
                          on_progress=lambda done, total, seg: progress.append((done, total, seg.job.index)))
    assert [p[:2] for p in progress] == [(i, 5) for i in range(1, 6)]
    assert sorted(p[2] for p in progress) == [0, 1, 2, 3, 4]
    assert all(s.engine == "espeak" and not s.cached for s in segs)
    again = synthesize_all(espeak_jobs(), engine_name="espeak", cache_dir=tmp_path)
    assert all(s.cached for s in again)


def test_same_text_and_voice_is_synthesized_once(edge_service, tmp_path):
    texts = ["Passons à la suite.", "Une histoire.", "Passons à la suite.", "Une autre.", "Passons à la suite."]
    jobs = [SynthJob(index=i, role="transition", text=t, voice="fr-FR-DeniseNeural") for i, t in enumerate(texts)]
    segs = run_edge(jobs, tmp_path)
    assert len(edge_service.syntheses()) == 3
    assert [s.cached for s in segs] == [False, False, True, False, True]
    assert segs[0].audio_path == segs[2].audio_path == segs[4].audio_path


def test_without_fallback_an_unknown_voice_stops_the_build(edge_service, tmp_path):
    jobs = edge_jobs()[:2] + [SynthJob(index=2, role="story", text="Bonjour.", voice="fr-FR-GastonNeural")]
    with pytest.raises(SynthesisError) as info:
        run_edge(jobs, tmp_path)
    assert "segment 3 (story): edge voice fr-FR-GastonNeural does not exist" in str(info.value)


def test_default_fallback_voice_follows_the_language():
    assert default_fallback_voice("fr-FR-DeniseNeural") == "fr"
    assert default_fallback_voice("en-GB-SoniaNeural") == "en-gb"
    assert default_fallback_voice("en-US-GuyNeural") == "en-us"


def test_summary_wording():
    job = SynthJob(0, "intro", "x", "fr")
    r = SynthResult("a.wav", 24000, 1.0, (), "edge", "v", attempts=2)
    seg = SegmentAudio(job, r, "k", attempts=2)
    assert summarize([seg]) == "1 segment: 0 cached, 1 synthesized, 0 fallbacks, 1 retry"


# --- chunks, adaptive concurrency, worker processes ---------------------------------------------

LONG = "\n".join(
    " ".join(f"Paragraphe {p}, phrase {s} : le laboratoire publie la version {p * 10 + s} de son modèle." for s in
             range(4)) for p in range(8))


def test_a_long_segment_is_spoken_as_chunks_in_parallel_and_joined_into_one_wav(edge_service, tmp_path):
    edge_service.latency = 0.1
    jobs = [SynthJob(index=0, role="story", text=LONG, voice="fr-FR-HenriNeural"),
            SynthJob(index=1, role="outro", text="Au revoir.", voice="fr-FR-DeniseNeural")]
    segs = run_edge(jobs, tmp_path, engine_options=fast_edge_options(chunk_chars=(300, 800)))
    reqs = [r for r in edge_service.syntheses() if r.voice == "fr-FR-HenriNeural"]
    assert len(reqs) >= 3  # one request per chunk...
    assert max(r.started for r in reqs) < min(r.ended for r in reqs)  # ...all in flight at once
    assert " ".join(" ".join(r.text.split()) for r in sorted(reqs, key=lambda r: LONG.index(r.text[:40]))) == \
        " ".join(LONG.split())
    seg = segs[0]
    with wave.open(seg.audio_path) as w:
        assert w.getnframes() / w.getframerate() == pytest.approx(seg.duration, abs=1e-6)
    spoken = [w for b in seg.boundaries for w in re.findall(r"\w+", b.text)]
    assert spoken == re.findall(r"\w+", LONG)  # every word once, in order, across the joins
    offsets = [b.offset for b in seg.boundaries]
    assert offsets == sorted(offsets) and offsets[-1] < seg.duration
    assert segs.synthesis["chunks"] == len(reqs) + 1
    assert segs.synthesis["concurrency"]["peak"] >= len(reqs) - 1


def test_editing_one_paragraph_of_a_long_segment_resynthesizes_one_chunk(edge_service, tmp_path):
    options = fast_edge_options(chunk_chars=(300, 800))
    job = SynthJob(index=0, role="story", text=LONG, voice="fr-FR-HenriNeural")
    first = run_edge([job], tmp_path, engine_options=options)
    n = len(edge_service.syntheses())
    edited = LONG.replace("version 53 ", "version 53 bis ")
    again = run_edge([replace(job, text=edited)], tmp_path, engine_options=options)
    new = edge_service.syntheses()[n:]
    assert len(new) == 1 and "53 bis" in new[0].text
    assert not again[0].cached and again.synthesis["chunks_synthesized"] == 1
    assert again[0].audio_path != first[0].audio_path
    assert "bis" in [b.text for b in again[0].boundaries]
    warm = run_edge([replace(job, text=edited)], tmp_path, engine_options=options)
    assert warm[0].cached and len(edge_service.syntheses()) == n + 1


def test_throttling_halves_the_requests_in_flight_and_the_build_says_so(edge_service, tmp_path):
    edge_service.latency = 0.05
    edge_service.add_fault("429", times=2)
    texts = [f"Segment numéro {i}, une phrase assez courte pour un seul morceau." for i in range(16)]
    segs = run_edge(edge_jobs(texts), tmp_path, concurrency=8)
    conc = segs.synthesis["concurrency"]
    assert conc["ceiling"] == 8 and 6 <= conc["start"] <= 8
    assert conc["backoffs"] >= 1 and conc["lowest"] <= conc["start"] // 2
    assert conc["pushback"].get("HTTP 429", 0) >= 1
    assert all(not s.cached for s in segs) and len(edge_service.syntheses()) == 16


def test_requests_in_flight_never_pass_the_ceiling(edge_service, tmp_path):
    edge_service.latency = 0.15
    texts = [f"Segment numéro {i}, une phrase assez courte." for i in range(30)]
    segs = run_edge(edge_jobs(texts), tmp_path, concurrency=8)
    peak = _peak_in_flight(edge_service.syntheses())
    assert 6 <= peak <= 8
    assert segs.synthesis["concurrency"]["peak"] == peak


def test_espeak_in_worker_processes_speaks_each_text_as_in_process(tmp_path):
    from audio_edition.engines.espeak import EspeakEngine

    texts = [LONG, *TEXTS]
    segs = synthesize_all(espeak_jobs(texts), engine_name="espeak", cache_dir=tmp_path / "c", concurrency=4,
                          engine_options={"chunk_chars": (300, 800)})
    cpus = len(os.sched_getaffinity(0))
    if cpus > 1:  # one worker process per core, no more than the ceiling
        assert segs.synthesis["workers"] == {"count": min(4, cpus), "processes": True}
    engine = EspeakEngine()
    for i, t in enumerate(TEXTS, start=1):
        ref = engine.synthesize(t, "fr", 0, 0, str(tmp_path / f"ref{i}.wav"))
        # espeak is not sample-deterministic from call to call, so: the same words, about as long
        assert [b.text for b in segs[i].boundaries] == [b.text for b in ref.boundaries] == t.split()
        assert segs[i].duration == pytest.approx(ref.duration, rel=0.03)
        with wave.open(segs[i].audio_path) as w:
            assert w.getnframes() / w.getframerate() == pytest.approx(segs[i].duration)
    spoken = [b.text for b in segs[0].boundaries]
    assert spoken == LONG.split()


def test_a_chunk_that_keeps_failing_makes_its_whole_segment_fall_back_in_one_voice(edge_service, tmp_path):
    options = fast_edge_options(chunk_chars=(300, 800), deadline=0.3)
    edge_service.add_fault("stall", times=None, match="Paragraphe 5", at=0.2)
    job = SynthJob(index=0, role="story", text=LONG, voice="fr-FR-HenriNeural", fallback_voice="fr")
    [seg] = run_edge([job], tmp_path, fallback_engine="espeak", engine_options=options)
    assert seg.fallback and seg.engine == "espeak" and seg.voice == "fr"
    assert [b.text for b in seg.boundaries] == LONG.split()  # the whole text, by one voice
    good = [r for r in edge_service.syntheses() if "Paragraphe 5" not in r.text]
    assert good  # the chunks that worked were made and cached: the next build reuses them
    edge_service.clear_faults()
    n = len(edge_service.syntheses())
    [again] = run_edge([job], tmp_path, fallback_engine="espeak", engine_options=options)
    assert again.engine == "edge" and not again.fallback
    assert all("Paragraphe 5" in r.text for r in edge_service.syntheses()[n:])


def test_segments_are_handed_on_in_script_order_as_soon_as_their_prefix_is_ready(edge_service, tmp_path):
    texts = ["Court.", LONG, "Moyen, assez.", "Encore un."]
    run_edge(edge_jobs(texts[:1]), tmp_path)  # the first is a cache hit next time
    seen, progress = [], []
    segs = run_edge(edge_jobs(texts), tmp_path, on_ready=lambda seg: seen.append((seg.job.index, len(progress))),
                    on_progress=lambda done, total, seg: progress.append(seg.job.index),
                    engine_options=fast_edge_options(chunk_chars=(300, 800)))
    assert [i for i, _ in seen] == [0, 1, 2, 3]
    assert seen[0][1] == 1  # the cache hit went on at once, before anything was synthesized
    for i, n_done in seen:  # each went on the moment it and all before it were done, not later
        first = min(n for n in range(len(progress) + 1) if set(progress[:n]) >= set(range(i + 1)))
        assert n_done == first
    assert [s.job.index for s in segs] == [0, 1, 2, 3]


def test_on_work_is_called_once_before_the_first_request_and_never_when_all_is_cached(edge_service, tmp_path):
    calls = []

    def on_work():
        calls.append(len(edge_service.syntheses()))  # requests the service had seen by then

    run_edge(edge_jobs(), tmp_path, on_work=on_work)
    assert calls == [0]
    run_edge(edge_jobs(), tmp_path, on_work=on_work)  # every segment cached: nothing to prepare for
    assert calls == [0]

"""A flaky service: the fake edge service with every fault at 20 % (403 and 429 on the
handshake, a reset and a drop mid-audio, a stall, no audio, a 503 voice list), seeded. The
build completes with retries, no truncated segment reaches the mix (each segment's audio is
at least as long as the word boundaries the service sent for its text, measured from the
WAV), and episode.json records the retries. With the service down and --fallback-engine
espeak the build completes on espeak and says so once."""

from __future__ import annotations

import json
import wave
from pathlib import Path

import pytest

from audio_edition.build import BuildOptions, Reporter, build
from audio_edition.mix import measure
from tests.fakes.edge_service import FakeEdgeService, plan_words
from tests.fakes.fixtures import fast_edge_options
from tests.test_resilience import ISSUE, SLUG, _issue


class Lines(Reporter):
    def __init__(self) -> None:
        self.lines: list[str] = []

    def log(self, message: str) -> None:
        self.lines.append(message)


@pytest.fixture
def flaky_service(monkeypatch):
    svc = FakeEdgeService(speed=100).start()
    svc.patch(monkeypatch)
    svc.flaky(rate=0.2, seed=16)
    yield svc
    svc.stop()


def _wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def test_flaky_service_build_completes_with_whole_segments(tmp_path, flaky_service):
    out = tmp_path / "out"
    opts = fast_edge_options(attempts=25, deadline=1.0)
    [result] = build([str(_issue(tmp_path))], BuildOptions(out_dir=out, engine="edge", concurrency=1,
                                                            engine_options=opts))
    outcomes = [r.outcome for r in flaky_service.requests]
    # every kind of fault did strike during this build
    for kind in ("403", "429", "drop", "reset", "stall", "noaudio"):
        assert kind in outcomes, (kind, outcomes)
    assert flaky_service.voice_list_calls >= 1
    record = json.loads((out / "episodes" / SLUG / "episode.json").read_text())
    segments = record["segments"]
    assert all(s["engine"] == "edge" and not s["fallback"] for s in segments)
    retries = sum(s["attempts"] - 1 for s in segments if s["attempts"])
    assert retries > 0 and f"{retries} retr" in record["report"]
    # each segment's audio, from the cache, against the service's own timing of its text
    ok = {" ".join(r.text.split()): r for r in flaky_service.syntheses("ok")}
    entries = [json.loads(p.read_text()) for p in (out / ".audio-edition" / "cache").glob("??/*.json")]
    assert len(entries) >= len(segments) - 1  # the outro may share the intro's text: one entry
    for meta in entries:
        req = ok[" ".join(meta["text"].split())]
        factor = 1 + int(req.rate.rstrip("%")) / 100 if req.rate else 1.0
        words, _total = plan_words(req.text, max(0.3, factor))
        last_word_end = words[-1].offset + words[-1].duration
        wav = next((out / ".audio-edition" / "cache").glob(f"??/{meta['key']}.wav"))
        assert _wav_seconds(wav) >= last_word_end, (meta["text"][:40], _wav_seconds(wav), last_word_end)
    assert abs(measure(result.mp3).duration - record["duration"]) < 0.5


def test_flaky_service_is_deterministic(tmp_path, monkeypatch):
    """The same seed gives the same faults in the same order (one request at a time)."""
    runs = []
    for n in range(2):
        svc = FakeEdgeService(speed=100).start()
        try:
            svc.patch(monkeypatch)
            svc.flaky(rate=0.2, seed=7)
            (tmp_path / str(n)).mkdir()
            build([str(_issue(tmp_path / str(n), ISSUE))],
                  BuildOptions(out_dir=tmp_path / f"out{n}", engine="edge", concurrency=1,
                               engine_options=fast_edge_options(attempts=25, deadline=0.5)))
            runs.append([r.outcome for r in svc.requests])
        finally:
            svc.stop()
    assert runs[0] == runs[1]


def test_service_down_falls_back_to_espeak_and_says_so_once(tmp_path, monkeypatch):
    svc = FakeEdgeService(speed=100).start()
    svc.patch(monkeypatch)
    svc.stop()  # nothing listens there any more
    out = tmp_path / "out"
    reporter = Lines()
    [result] = build([str(_issue(tmp_path))], BuildOptions(out_dir=out, engine="edge", fallback_engine="espeak",
                                                            engine_options=fast_edge_options()), reporter)
    record = json.loads((out / "episodes" / SLUG / "episode.json").read_text())
    assert all(s["engine"] == "espeak" and s["fallback"] for s in record["segments"])
    said = [ln for ln in reporter.lines if "spoken by espeak instead of edge" in ln]
    assert len(said) == 1, reporter.lines
    assert f"{len(record['segments'])} of {len(record['segments'])} segments" in said[0]
    assert measure(result.mp3).duration > 5

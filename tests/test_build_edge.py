"""A whole build with the edge engine against the fake service: neural voices cast per
role, a fault that outlasts the retries either stops the build loudly (previous episode
and feed untouched) or falls back to espeak and says so in episode.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from audio_edition.build import BuildOptions, build
from audio_edition.errors import SynthesisError
from audio_edition.mix import measure
from tests.fakes.fixtures import edge_service, fast_edge_options  # noqa: F401  (fixture)
from tests.fakes.issues import ISSUE


def _issue(tmp_path: Path, text: str = ISSUE) -> Path:
    path = tmp_path / "lettre.html"
    path.write_text(text, encoding="utf-8")
    return path


def _episode(out: Path) -> dict:
    [path] = list((out / "episodes").glob("*/episode.json"))
    return json.loads(path.read_text())


def test_edge_build_casts_neural_voices(tmp_path, edge_service):
    out = tmp_path / "out"
    [result] = build([str(_issue(tmp_path))], BuildOptions(out_dir=out, engine="edge",
                                                            engine_options=fast_edge_options()))
    episode = _episode(out)
    voices = {s["role"]: s["voice"] for s in episode["segments"]}
    assert voices["intro"] == "fr-FR-DeniseNeural"
    assert voices["story"] == "fr-FR-HenriNeural"
    assert all(s["engine"] == "edge" and not s["fallback"] for s in episode["segments"])
    assert episode["report"].endswith("0 fallbacks, 0 retries")
    m = measure(result.mp3)
    assert abs(m.duration - episode["duration"]) < 0.5
    assert m.duration > sum(s["duration"] for s in episode["segments"])  # pauses between segments


def test_failing_segment_stops_the_build_and_keeps_the_previous_episode(tmp_path, edge_service):
    out = tmp_path / "out"
    src = _issue(tmp_path)
    build([str(src)], BuildOptions(out_dir=out, engine="edge", engine_options=fast_edge_options()))
    feed_before = (out / "feed.xml").read_bytes()
    mp3 = next((out / "episodes").glob("*/*.mp3"))
    mp3_before = mp3.read_bytes()
    # the issue is edited: one story changes, and the service refuses it every time
    src.write_text(ISSUE.replace("gratuit", "gratuit pour tous"), encoding="utf-8")
    edge_service.add_fault("noaudio", times=None, match="gratuit pour tous")
    with pytest.raises(SynthesisError, match=r"segment \d+ \(story “Un modèle ouvert”\)"):
        build([str(src)], BuildOptions(out_dir=out, engine="edge", engine_options=fast_edge_options()))
    assert (out / "feed.xml").read_bytes() == feed_before
    assert mp3.read_bytes() == mp3_before
    # the service recovers: only the missing segment is synthesized
    edge_service.clear_faults()
    before = len(edge_service.syntheses())
    [result] = build([str(src)], BuildOptions(out_dir=out, engine="edge", engine_options=fast_edge_options()))
    assert len(edge_service.syntheses()) - before == 1
    assert result.summary.startswith("8 segments: 7 cached, 1 synthesized")


def test_fallback_engine_is_used_and_recorded(tmp_path, edge_service):
    out = tmp_path / "out"
    edge_service.add_fault("noaudio", times=None, voice="fr-FR-HenriNeural")
    build([str(_issue(tmp_path))], BuildOptions(out_dir=out, engine="edge", fallback_engine="espeak",
                                                engine_options=fast_edge_options()))
    episode = _episode(out)
    stories = [s for s in episode["segments"] if s["role"] == "story"]
    assert stories and all(s["fallback"] and s["engine"] == "espeak" for s in stories)
    hosts = [s for s in episode["segments"] if s["role"] == "intro"]
    assert hosts[0]["engine"] == "edge" and not hosts[0]["fallback"]
    assert "3 fallbacks" in episode["report"]


def _long_issue() -> str:
    """ISSUE with a story of eight paragraphs (about 3,500 characters): longer than one request."""
    paragraphs = "".join(
        f"<p>Paragraphe {n} : le laboratoire explique comment son modèle apprend à partir de données publiques, "
        f"pourquoi il a choisi une licence ouverte et ce que cela change pour les équipes qui veulent l'utiliser. "
        f"Les chercheurs détaillent aussi les limites connues, les coûts de calcul et les prochaines étapes "
        f"prévues pour la version {n + 2} du projet.</p>" for n in range(1, 9))
    return ISSUE.replace("<p>Un laboratoire publie un modèle de langage ouvert et gratuit.</p>",
                         "<p>Un laboratoire publie un modèle de langage ouvert et gratuit.</p>" + paragraphs)


def test_edge_build_sends_a_long_story_as_bounded_chunks_joined_to_the_right_length(tmp_path, edge_service):
    from tests.fakes.edge_service import FRAME_SECONDS, plan_words

    out = tmp_path / "out"
    [result] = build([str(_issue(tmp_path, _long_issue()))], BuildOptions(out_dir=out, engine="edge",
                                                                          engine_options=fast_edge_options()))
    episode = _episode(out)
    synthesis = episode["synthesis"]
    lo, hi = synthesis["chunk_chars"]
    requests = edge_service.syntheses()
    assert synthesis["chunks"] == synthesis["chunks_synthesized"] == len(requests) > len(episode["segments"])
    assert max(len(r.text) for r in requests) <= hi + 100  # the engine's lexicon may respell a few words
    story = max(episode["segments"], key=lambda s: s["duration"])
    assert sum("Paragraphe" in r.text for r in requests) >= 3  # the long story went out as several requests
    assert story["synthesized"] and not story["fallback"]
    # Joined sample-exact: the segments last what the service streamed, not a sample more or less
    # (the fake streams whole 24 ms MP3 frames, decoded at 44.1 kHz: a millisecond of rounding each).
    streamed = sum(round(plan_words(r.text)[1] / FRAME_SECONDS) * FRAME_SECONDS for r in requests)
    spoken = sum(s["duration"] for s in episode["segments"])
    assert abs(spoken - streamed) <= 0.001 * len(requests)
    m = measure(result.mp3)  # the MP3 decodes to its end, as long as the episode says
    assert abs(m.duration - episode["duration"]) < 0.1 and m.duration > spoken

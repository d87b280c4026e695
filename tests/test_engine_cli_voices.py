"""``audio-edition voices``: list edge and espeak voices, preview one as an MP3."""

from __future__ import annotations

import json
import subprocess
import wave

import pytest
from click.testing import CliRunner

from audio_edition.cli_voices import voices
from audio_edition.engines.edge import ffmpeg_exe
from tests.fakes.fixtures import edge_service  # noqa: F401  (fixture)


def run(*args, cwd=None):
    return CliRunner().invoke(voices, [str(a) for a in args], catch_exceptions=False)


def mp3_seconds(path, tmp_path):
    wav = tmp_path / "decoded.wav"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(path), str(wav)], check=True)
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def test_lists_edge_voices_of_a_language_and_caches_the_list_for_a_day(edge_service, tmp_path):
    res = run("--lang", "fr", "--cache-dir", tmp_path)
    assert res.exit_code == 0, res.output
    names = [line.split()[0] for line in res.output.splitlines()]
    assert "fr-FR-DeniseNeural" in names and "fr-CA-SylvieNeural" in names
    assert not any(n.startswith("en-") for n in names)
    res = run("--lang", "fr-FR", "--json", "--cache-dir", tmp_path)
    rows = json.loads(res.output)
    assert {r["language"] for r in rows} == {"fr-FR"}
    assert edge_service.voice_list_calls == 1  # the second listing came from the cache
    run("--lang", "fr", "--refresh", "--cache-dir", tmp_path)
    assert edge_service.voice_list_calls == 2


def test_edge_list_offline_says_how_to_list_offline_voices(monkeypatch, tmp_path):
    monkeypatch.setattr("edge_tts.voices.VOICE_LIST", "http://127.0.0.1:9/voices/list?x=1")
    res = run("--cache-dir", tmp_path)
    assert res.exit_code == 1
    assert res.output.startswith("audio-edition: error: cannot fetch edge's voice list")
    assert "audio-edition voices --engine espeak" in res.output
    assert len(res.output.strip().splitlines()) == 1
    assert "cannot connect to 127.0.0.1" in res.output and "SSLContext" not in res.output


def test_lists_espeak_voices(tmp_path):
    res = run("--engine", "espeak", "--lang", "fr")
    assert res.exit_code == 0
    first = [line.split()[0] for line in res.output.splitlines() if line and not line.startswith("variants")]
    assert "fr" in first and "fr-BE" in first
    assert "fr+f3" in res.output


def test_preview_espeak_writes_an_mp3(tmp_path):
    out = tmp_path / "sample.mp3"
    res = run("preview", "fr+m3", "Bonjour, ceci est un essai de voix.", "--out", out)
    assert res.exit_code == 0, res.output
    assert str(out) in res.output
    assert mp3_seconds(out, tmp_path) > 1.5


def test_preview_edge_voice_through_the_service(edge_service, tmp_path):
    out = tmp_path / "henri.mp3"
    res = run("--cache-dir", tmp_path, "preview", "fr-FR-HenriNeural", "--out", out, "--rate", "10")
    assert res.exit_code == 0, res.output
    (req,) = edge_service.syntheses()
    assert req.voice == "fr-FR-HenriNeural" and req.rate == "+10%"
    assert req.text.startswith("Bonjour ! Voici la voix")  # a French sample for a French voice
    assert mp3_seconds(out, tmp_path) > 3


def test_preview_unknown_edge_voice_suggests_close_ones(edge_service, tmp_path):
    res = run("--cache-dir", tmp_path, "preview", "fr-FR-HenryNeural", "--out", tmp_path / "x.mp3")
    assert res.exit_code == 1
    assert "edge voice fr-FR-HenryNeural does not exist" in res.output
    assert "fr-FR-HenriNeural" in res.output
    assert not (tmp_path / "x.mp3").exists()


@pytest.mark.parametrize("voice", ["xx-nope"])
def test_preview_unknown_espeak_voice(voice, tmp_path):
    res = run("preview", voice, "--out", tmp_path / "x.mp3")
    assert res.exit_code == 1 and "unknown voice 'xx-nope'" in res.output

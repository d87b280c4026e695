"""The normalize stage inside the pipeline: spoken text, --diff, speakability warnings,
build --strict, and a show's lexicon from its voice profile."""

from __future__ import annotations

import json
import re

from .conftest import EXAMPLE, run_cli

ISSUE = """<!DOCTYPE html><html lang="fr"><head><title>Lettre</title></head><body><article>
<h1>La lettre des maths</h1><p>Bonjour à tous,</p><p>Cette semaine, deux nouvelles.</p>
<h2>1. Un symbole</h2><p>Le signe ∑ fait son grand retour, à 38 % des voix.</p>
<h2>2. Une revue</h2><p>La revue Mammam publie son n°1.</p>
</article></body></html>"""


def _issue(tmp_path):
    path = tmp_path / "maths.html"
    path.write_text(ISSUE, encoding="utf-8")
    return path


def test_spoken_text_is_normalized_french():
    script = json.loads(run_cli("script", EXAMPLE, "--format", "json").stdout)
    spoken = "\n".join(s["spoken"] for s in script["segments"])
    assert "trente-huit milliards de dollars" in spoken
    assert "soixante-dix mille clips" in spoken
    assert "plus dix-sept virgule neuf pour cent" in spoken
    assert not re.search(r"\d", spoken)  # no digit reaches the voice
    # the written text keeps what the newsletter wrote
    assert any("70 000 clips" in s["text"] for s in script["segments"])


def test_diff_shows_written_and_spoken_side_by_side():
    proc = run_cli("script", EXAMPLE, "--diff")
    assert proc.returncode == 0, proc.stderr
    rows = [ln for ln in proc.stdout.splitlines() if "│" in ln]
    assert any("70 000 clips" in ln.split("│")[0] and "soixante-dix mille" in ln.split("│")[1] for ln in rows)


def test_script_reports_unspeakable_tokens_with_their_segment(tmp_path):
    src = _issue(tmp_path)
    text = run_cli("script", src)
    assert text.returncode == 0
    assert re.search(r"unspeakable segment \d+ \(story — Un symbole\): '∑'", text.stdout)
    js = run_cli("script", src, "--format", "json")
    json.loads(js.stdout)  # stdout stays clean JSON
    assert "∑" in js.stderr and "Un symbole" in js.stderr


def test_build_strict_refuses_unspeakable_text(tmp_path):
    src = _issue(tmp_path)
    out = tmp_path / "out"
    proc = run_cli("build", src, "--engine", "espeak", "--out", out, "--strict")
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "∑" in proc.stderr and "Un symbole" in proc.stderr
    assert not (out / "episodes").exists()
    ok = run_cli("build", src, "--engine", "espeak", "--out", out)  # without --strict it builds
    assert ok.returncode == 0, ok.stderr


def test_show_lexicon_from_the_voice_profile(tmp_path):
    profile = tmp_path / "maths.toml"
    profile.write_text("""
[profile]
name = "Maths"
language = "fr"
engine = "espeak"

[roles.host]
espeak = { voice = "fr+f3" }

[lexicon.words]
Mammam = "Mamame"
""", encoding="utf-8")
    script = json.loads(run_cli("script", _issue(tmp_path), "--voices", profile, "--format", "json").stdout)
    story = next(s for s in script["segments"] if s["title"] == "Une revue")
    assert "Mamame" in story["spoken"] and "numéro un" in story["spoken"]
    assert "Mammam" in story["text"]

"""A rebuild with nothing changed touches nothing and loads no audio stack; a changed sound or cover re-renders.

The warm path is judged from outside: the MP3's bytes and mtime, what the CLI says, and which
modules the build process imported (``sys.modules`` of a real CLI run, not timings).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import struct
import subprocess
import sys
import wave
from pathlib import Path

from .conftest import SRC, run_cli
from .test_quality import TINY

HEAVY = ("numpy", "scipy", "PIL")

# The CLI in a fresh process; prints, last, the top-level packages it imported.
_PROBE = """
import json, sys
from audio_edition.cli import main
code = 0
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def build_probed(*args) -> tuple[int, set[str], str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", _PROBE, "build", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300, stdin=subprocess.DEVNULL)
    last = json.loads(proc.stdout.strip().splitlines()[-1])
    return last["code"], set(last["modules"]), proc.stdout + proc.stderr


def tone(path: Path, hz: float, seconds: float = 1.5) -> Path:
    """A stereo 44.1 kHz WAV: a jingle any decoder reads."""
    rate = 44100
    frames = b"".join(struct.pack("<hh", v, v) for v in (
        int(12000 * math.sin(2 * math.pi * hz * i / rate) * min(1.0, (rate * seconds - i) / 2000))
        for i in range(int(rate * seconds))))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    return path


def the_mp3(out: Path) -> Path:
    [mp3] = list((out / "episodes").glob("*/*.mp3"))
    return mp3


def digest(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


def test_a_warm_rebuild_rewrites_nothing_and_imports_no_audio_stack(tmp_path):
    src = tmp_path / "tiny.html"
    src.write_text(TINY, encoding="utf-8")
    out = tmp_path / "out"
    cold = run_cli("build", src, "--engine", "espeak", "--out", out)
    assert cold.returncode == 0, cold.stderr
    mp3 = the_mp3(out)
    before = digest(mp3), digest(out / "cover.jpg"), (mp3.parent / "episode.json").read_bytes()

    code, modules, said = build_probed(src, "--engine", "espeak", "--out", out)
    assert code == 0, said
    assert "0 synthesized" in said and "audio unchanged" in said
    assert (digest(mp3), digest(out / "cover.jpg"), (mp3.parent / "episode.json").read_bytes()) == before
    assert not modules & set(HEAVY), f"a warm rebuild imported {sorted(modules & set(HEAVY))}"
    assert (out / "feed.xml").is_file()


def test_own_jingle_warm_then_changed_then_broken(tmp_path):
    src = tmp_path / "tiny.html"
    src.write_text(TINY, encoding="utf-8")
    jingle = tone(tmp_path / "theme.wav", 440)
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[sound]\nintro = { file = "theme.wav" }\n', encoding="utf-8")
    out = tmp_path / "out"
    args = (src, "--engine", "espeak", "--out", out, "--config", cfg)
    assert run_cli("build", *args).returncode == 0
    mp3 = the_mp3(out)
    first = digest(mp3)

    # the same jingle: it was decoded by the first build, so the warm rebuild does not decode it again
    code, modules, said = build_probed(*args)
    assert code == 0 and "audio unchanged" in said, said
    assert digest(mp3) == first and not modules & set(HEAVY)

    # another jingle under the same name: the episode is mixed again
    tone(jingle, 660)
    proc = run_cli("build", *args)
    assert proc.returncode == 0, proc.stderr
    assert "audio unchanged" not in proc.stdout and digest(mp3)[0] != first[0]
    second = digest(mp3)

    # a jingle that is no audio at all: one line naming the key, before anything is rewritten
    jingle.write_text("this is not audio at all " * 50)
    proc = run_cli("build", *args)
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and "sound.intro.file" in line and "not an audio file" in line
    assert digest(mp3) == second


def test_a_new_show_name_makes_a_new_cover_and_a_new_mix(tmp_path):
    src = tmp_path / "tiny.html"
    src.write_text(TINY, encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("build", src, "--engine", "espeak", "--out", out).returncode == 0
    mp3 = the_mp3(out)
    cover, audio = digest(out / "cover.jpg"), digest(mp3)
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[show]\nname = "A Different Show"\n', encoding="utf-8")
    proc = run_cli("build", src, "--engine", "espeak", "--out", out, "--config", cfg)
    assert proc.returncode == 0, proc.stderr
    assert "audio unchanged" not in proc.stdout
    assert digest(out / "cover.jpg")[0] != cover[0] and digest(mp3)[0] != audio[0]  # the APIC frame too
    from PIL import Image

    with Image.open(out / "cover.jpg") as img:
        assert img.format == "JPEG" and img.size[0] == img.size[1] >= 1400


def test_the_kit_version_in_the_key_is_the_kits_own_read_without_numpy():
    code = ("import json, sys; from audio_edition.sound.settings import kit_version; v = kit_version();"
            "light = 'numpy' not in sys.modules; from audio_edition.sound import kit;"
            "print(json.dumps([v, kit.VERSION, light]))")
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    read, actual, light = json.loads(proc.stdout)
    assert read == actual and light

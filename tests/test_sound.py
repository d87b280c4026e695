"""The sound kit and the [sound] config: a deterministic default kit, previews, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from audio_edition.config import load_config
from audio_edition.errors import ConfigError
from audio_edition.mix import measure
from audio_edition.sound import kit
from audio_edition.sound.meter import integrated_loudness

from .conftest import run_cli
from .test_quality import TINY


def test_default_kit_is_deterministic_and_sounds():
    for role in kit.ROLES:
        a = kit._MAKERS[role]()  # made again, not the cached copy
        b = kit.default_sound(role)
        assert np.array_equal(a, b), role
        assert a.dtype == np.float32 and a.shape[1] == 2
        assert 1.0 < len(a) / kit.RATE < 20.0
        assert integrated_loudness(a, kit.RATE) > -30
        assert np.abs(a).max() <= 1.0
        assert not np.array_equal(a[:, 0], a[:, 1])  # stereo, not two copies of mono
    # the bed loops without a seam: its end leads into its start
    bed = kit.default_sound("bed")
    assert np.abs(bed[-1] - bed[0]).max() < 0.02


def test_sounds_preview_writes_each_role(tmp_path):
    proc = run_cli("sounds", "preview", "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    for role in kit.ROLES:
        m = measure(tmp_path / f"{role}.mp3")
        assert m.duration > 1.0 and m.loudness > -40, role
    proc = run_cli("sounds", "preview", "sting", "--out", tmp_path / "one")
    assert proc.returncode == 0 and [p.name for p in (tmp_path / "one").iterdir()] == ["sting.mp3"]


@pytest.mark.parametrize("toml, needle", [
    ("[sound]\nvolume = 3\n", "sound.volume"),
    ("[sound]\nintro = { gain = \"loud\" }\n", "sound.intro.gain"),
    ("[sound]\nbed = { speed = 2 }\n", "sound.bed.speed"),
    ("[sound]\nenabled = \"yes\"\n", "sound.enabled"),
])
def test_bad_sound_keys_name_the_key(tmp_path, toml, needle):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(cfg)
    assert needle in str(info.value) and str(cfg) in str(info.value)


def test_sound_numbers_accept_integers(tmp_path):
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text("[sound]\nloudness_stereo = -16\nsting = { gain = -6, file = \"s.wav\" }\n", encoding="utf-8")
    c = load_config(cfg)
    assert c.sound.loudness_stereo == -16.0 and c.sound.sting["gain"] == -6


@pytest.mark.parametrize("make, needle", [
    (lambda p: None, "not found"),
    (lambda p: p.write_text("this is not audio at all " * 50), "not an audio file"),
])
def test_a_bad_jingle_stops_the_build_before_anything_is_written(tmp_path, make, needle):
    src = tmp_path / "tiny.html"
    src.write_text(TINY, encoding="utf-8")
    jingle = tmp_path / "theme.mp3"
    make(jingle)
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[sound]\nintro = { file = "theme.mp3" }\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("build", src, "--engine", "espeak", "--out", out, "--config", cfg)
    assert proc.returncode == 1
    line = proc.stderr.strip()
    assert len(line.splitlines()) == 1 and "sound.intro.file" in line and str(jingle) in line and needle in line
    assert not (out / "episodes").exists() and not (out / "feed.xml").exists()


def test_voice_profile_may_carry_the_sound(tmp_path):
    from audio_edition.casting import load_profile

    prof = tmp_path / "show.toml"
    prof.write_text('[profile]\nlanguage = "en"\nengine = "espeak"\n[roles.host]\nespeak = { voice = "en" }\n'
                    '[sound]\nduck = 18\nbed = { file = "music/bed.ogg", gain = -10 }\n', encoding="utf-8")
    p = load_profile(prof)
    assert p.sound.duck == 18 and p.sound.bed["file"] == str(tmp_path / "music" / "bed.ogg")

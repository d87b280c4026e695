"""Cover art: a generated default legible as a thumbnail, a producer's image checked with a clear error."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from audio_edition.cover import check_image, default_cover, embedded
from audio_edition.errors import ConfigError

from .conftest import run_cli
from .test_quality import TINY


def test_default_cover_is_a_square_jpeg_legible_at_55_px():
    data = default_cover("MAMMAM IA!")
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and img.mode == "RGB" and img.size == (3000, 3000)
        thumb = np.asarray(img.convert("L").resize((55, 55), Image.LANCZOS)).astype(float)
    # the name survives the thumbnail: bright letters on a dark ground over a large part of the middle
    middle = thumb[15:40, 3:52]
    bright = middle > 170
    assert bright.mean() > 0.08
    assert np.median(thumb) < 80
    assert default_cover("MAMMAM IA!") == data  # deterministic
    assert default_cover("Another show") != data


def test_long_names_fit(tmp_path):
    data = default_cover("The Extraordinarily Long Weekly Newsletter About Everything Under The Sun")
    with Image.open(io.BytesIO(data)) as img:
        assert img.size == (3000, 3000)


def _image(path, size, fmt="PNG", mode="RGB"):
    Image.new(mode, size, (200, 30, 30) if mode == "RGB" else 0).save(path, fmt)
    return path


@pytest.mark.parametrize("size, fmt, mode, needle", [
    ((500, 300), "PNG", "RGB", "must be square"),
    ((1000, 1000), "PNG", "RGB", "1400 to 3000 px"),
    ((1400, 1400), "GIF", "L", "not a JPEG or PNG"),
    ((1400, 1400), "JPEG", "CMYK", "must be RGB"),
])
def test_bad_cover_names_the_key(tmp_path, size, fmt, mode, needle):
    path = tmp_path / "cover.img"
    if mode == "CMYK":
        Image.new("CMYK", size).save(path, fmt)
    else:
        _image(path, size, fmt, mode)
    with pytest.raises(ConfigError) as info:
        check_image(path)
    assert "show.image" in str(info.value) and needle in str(info.value) and str(path) in str(info.value)


def test_not_an_image(tmp_path):
    path = tmp_path / "cover.jpg"
    path.write_text("hello")
    with pytest.raises(ConfigError, match="show.image: .* is not an image"):
        check_image(path)


def test_png_cover_becomes_jpeg_and_embeds_at_1400(tmp_path):
    data = check_image(_image(tmp_path / "c.png", (2000, 2000)))
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "JPEG" and img.size == (2000, 2000)
    with Image.open(io.BytesIO(embedded(data))) as img:
        assert img.size == (1400, 1400)


def test_a_bad_cover_stops_the_build(tmp_path):
    src = tmp_path / "tiny.html"
    src.write_text(TINY, encoding="utf-8")
    _image(tmp_path / "art.png", (500, 300))
    cfg = tmp_path / "audio-edition.toml"
    cfg.write_text('[show]\nimage = "art.png"\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("build", src, "--engine", "espeak", "--out", out, "--config", cfg)
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "show.image" in proc.stderr and "500×300" in proc.stderr
    assert not (out / "episodes").exists() and not (out / "cover.jpg").exists()

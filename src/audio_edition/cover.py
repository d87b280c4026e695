"""The show's cover art: the producer's ``[show] image``, checked, or a generated default.

Podcast directories want a square JPEG or PNG, RGB, 1400 to 3000 px. A given image is
checked with Pillow (one line naming the key otherwise); without one, a 3000×3000 JPEG with
the show's name, large enough to read as a 55 px thumbnail. The same JPEG is written as
``cover.jpg`` beside ``feed.xml`` (the show artwork the feed points at) and embedded in each
episode's MP3 (APIC, at 1400 px to keep episodes small).
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import textwrap
from pathlib import Path

from .errors import ConfigError

COVER_NAME = "cover.jpg"
MIN_PX, MAX_PX = 1400, 3000
DEFAULT_PX = 3000
EMBED_PX = 1400


def _pil():
    from PIL import Image, ImageDraw, ImageFont

    return Image, ImageDraw, ImageFont


def check_image(path: Path, key: str = "show.image") -> bytes:
    """Validate ``path`` as podcast artwork; return it as JPEG bytes (a PNG is converted)."""
    Image, _, _ = _pil()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{key}: {path} not found") from None
    except OSError as exc:
        raise ConfigError(f"{key}: cannot read {path}: {exc.strerror or exc}") from None
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
            fmt, mode, (w, h) = img.format, img.mode, img.size
            if fmt not in ("JPEG", "PNG"):
                raise ConfigError(f"{key}: {path} is {fmt}, not a JPEG or PNG image")
            if mode not in ("RGB", "RGBA", "P", "L") or mode == "RGBA" and img.getextrema()[3][0] < 255:
                raise ConfigError(f"{key}: {path} must be RGB (it is {mode}{' with transparency' * (mode == 'RGBA')})")
            if w != h:
                raise ConfigError(f"{key}: {path} is {w}×{h}: podcast artwork must be square")
            if not MIN_PX <= w <= MAX_PX:
                raise ConfigError(f"{key}: {path} is {w}×{h}: podcast artwork must be {MIN_PX} to {MAX_PX} px")
            if fmt == "JPEG" and mode == "RGB":
                return data
            buf = io.BytesIO()
            img.convert("RGB").save(buf, "JPEG", quality=90)
            return buf.getvalue()
    except ConfigError:
        raise
    except Exception:  # noqa: BLE001 - Pillow raises many types for a file that is not an image
        raise ConfigError(f"{key}: {path} is not an image (JPEG or PNG)") from None


def _palette(name: str) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """A background and an accent derived from the show name: each show its own colours."""
    hue = int(hashlib.sha256(name.encode("utf-8")).hexdigest()[:4], 16) / 0xFFFF

    def rgb(h: float, lum: float, sat: float) -> tuple[int, int, int]:
        r, g, b = colorsys.hls_to_rgb(h % 1.0, lum, sat)
        return round(r * 255), round(g * 255), round(b * 255)

    return rgb(hue, 0.16, 0.55), rgb(hue + 0.08, 0.62, 0.85)


def _font(size: int):
    _, _, ImageFont = _pil()
    for name in ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def _fit(draw, lines: list[str], width: int, height: int, px: int) -> int:
    """The largest font size (a step of 8 %) at which ``lines`` fit ``width`` × ``height``."""
    size = px // 3
    while size > px // 40:
        font = _font(size)
        boxes = [draw.textbbox((0, 0), ln, font=font) for ln in lines]
        tall = sum(b[3] - b[1] for b in boxes) + (len(lines) - 1) * size // 4
        if max(b[2] - b[0] for b in boxes) <= width and tall <= height:
            return size
        size = int(size * 0.92)
    return size


def default_cover(name: str, px: int = DEFAULT_PX) -> bytes:
    """A square JPEG: the show name in large white letters on a deep colour, with an accent bar and waves."""
    Image, ImageDraw, _ = _pil()
    name = " ".join((name or "Podcast").split()) or "Podcast"
    bg, accent = _palette(name)
    img = Image.new("RGB", (px, px), bg)
    draw = ImageDraw.Draw(img)
    margin = px // 12
    width = px - 2 * margin
    # the wrapping into at most 3 lines that allows the largest letters
    best: tuple[int, list[str]] = (0, [name])
    seen: set[tuple[str, ...]] = set()
    for cols in range(len(name), 0, -1):
        lines = textwrap.wrap(name, cols, break_long_words=len(name.split()) == 1 and cols < len(name)) or [name]
        if len(lines) > 3 or tuple(lines) in seen:
            continue
        seen.add(tuple(lines))
        size = _fit(draw, lines, width, int(px * 0.55), px)
        if size > best[0]:
            best = (size, lines)
    size, lines = best
    font = _font(size)
    boxes = [draw.textbbox((0, 0), ln, font=font) for ln in lines]
    tall = sum(b[3] - b[1] for b in boxes) + (len(lines) - 1) * size // 4
    y = (px - tall) // 2 - px // 20
    for ln, b in zip(lines, boxes, strict=False):
        draw.text(((px - (b[2] - b[0])) // 2 - b[0], y - b[1]), ln, font=font, fill=(255, 255, 255))
        y += b[3] - b[1] + size // 4
    bar = px // 60
    draw.rectangle([margin, px - margin - bar, px - margin, px - margin], fill=accent)
    # a row of sound-wave bars above the accent line
    n = 24
    step = width / n
    for k in range(n):
        h = int((0.25 + 0.75 * abs(((k * 7) % 11) - 5) / 5) * px / 14)
        x0 = int(margin + k * step + step * 0.25)
        draw.rectangle([x0, px - margin - 2 * bar - h, int(x0 + step * 0.5), px - margin - 2 * bar], fill=accent)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=88, optimize=True)
    return buf.getvalue()


def show_cover(image: str | None, name: str, resolve=None) -> bytes:
    """The show's artwork as JPEG bytes: ``[show] image`` checked, or the generated default."""
    if image:
        path = resolve(image) if resolve else Path(image)
        return check_image(Path(path))
    return default_cover(name)


def embedded(jpeg: bytes, px: int = EMBED_PX) -> bytes:
    """The artwork for an MP3's APIC frame: the same image at ``px`` (already smaller: as is)."""
    Image, _, _ = _pil()
    with Image.open(io.BytesIO(jpeg)) as img:
        if img.size[0] <= px:
            return jpeg
        small = img.convert("RGB").resize((px, px), Image.LANCZOS)
    buf = io.BytesIO()
    small.save(buf, "JPEG", quality=88, optimize=True)
    return buf.getvalue()

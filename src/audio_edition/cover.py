"""The show's cover art: the producer's ``[show] image``, checked, or a generated default.

Podcast directories want a square JPEG or PNG, RGB, 1400 to 3000 px. A given image is
checked with Pillow (one line naming the key otherwise); without one, a 3000×3000 JPEG with
the show's name, large enough to read as a 55 px thumbnail. The same JPEG is written as
``cover.jpg`` beside ``feed.xml`` (the show artwork the feed points at) and embedded in each
episode's MP3 (APIC, at 1400 px to keep episodes small).
"""

from __future__ import annotations

import colorsys
import contextlib
import hashlib
import io
import textwrap
from pathlib import Path

from .errors import ConfigError, OutputError
from .fsutil import atomic_write_bytes

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


def _cached(cache_dir: Path, name: str, make) -> bytes:
    """``make()``'s bytes, kept in ``<cache_dir>/cover/<name>``: made once, read after."""
    path = cache_dir / "cover" / name
    try:
        data = path.read_bytes()
        if data[:2] == b"\xff\xd8":  # a JPEG (written atomically: whole or absent)
            return data
    except OSError:
        pass
    data = make()
    with contextlib.suppress(OutputError):  # a cache that cannot be written only costs the work next time
        atomic_write_bytes(path, data)
    return data


def _material(image: str | None, name: str, resolve=None) -> str | None:
    """What the artwork depends on (this module's code included), or None if its file cannot be read."""
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
    if image:
        path = Path(resolve(image) if resolve else image)
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None  # check_image says why, in one line
        return f"image:{digest}:{code}"
    return f"default:{DEFAULT_PX}:{' '.join((name or '').split())}:{code}"


class Artwork:
    """The show's artwork (:func:`show_cover`), made once per content and kept in the build cache.

    ``jpeg`` is the cover.jpg; ``embedded`` the APIC frame's, made only when an MP3 is tagged;
    ``digest`` identifies it for the render key. A warm rebuild reads the cached JPEG instead
    of generating or re-checking it.
    """

    def __init__(self, image: str | None, name: str, resolve=None, cache_dir: Path | None = None) -> None:
        material = _material(image, name, resolve) if cache_dir is not None else None
        if material is None or cache_dir is None:
            self._key = None
            self.jpeg = show_cover(image, name, resolve)
        else:
            self._key = hashlib.sha256(material.encode("utf-8")).hexdigest()
            self.cache_dir = cache_dir
            self.jpeg = _cached(cache_dir, f"{self._key}.jpg", lambda: show_cover(image, name, resolve))
        self.digest = hashlib.sha256(self.jpeg).hexdigest()
        self._embedded: bytes | None = None

    @property
    def embedded(self) -> bytes:
        if self._embedded is None:
            if self._key is None:
                self._embedded = embedded(self.jpeg)
            else:
                self._embedded = _cached(self.cache_dir, f"{self._key}-{EMBED_PX}.jpg", lambda: embedded(self.jpeg))
        return self._embedded


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

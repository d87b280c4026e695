"""SOURCE → ``Issue``s. The only stage that reads input files or the network.

First version: a local HTML file, or a directory of them (oldest first by name).
"""

from __future__ import annotations

from pathlib import Path

from .errors import SourceError
from .models import Issue

MAX_BYTES = 50 * 1024 * 1024
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}


def decode_html(data: bytes, where: str) -> str:
    if not data.strip():
        raise SourceError(f"{where}: the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\x00" in data[:4096]:
        raise SourceError(f"{where}: binary data, not an HTML file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    head = text[:4096].lower()
    if "<" not in head or not any(tag in text[:200000].lower() for tag in ("<html", "<body", "<p", "<div", "<h1", "<h2", "<table", "<article")):
        raise SourceError(f"{where}: not an HTML document (no HTML tags found)")
    return text


def read_file(path: Path) -> Issue:
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SourceError(f"{path}: file is {size // (1024 * 1024)} MB, larger than the {MAX_BYTES // (1024 * 1024)} MB limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a directory") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return Issue(id=path.stem, source=str(path), raw_html=decode_html(data, str(path)))


def load(source: str) -> list[Issue]:
    """Read every issue a SOURCE holds, oldest first."""
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in HTML_SUFFIXES and p.is_file())
        if not files:
            raise SourceError(f"{path}: directory holds no .html files")
        return [read_file(p) for p in files]
    if not path.exists():
        raise SourceError(f"{path}: no such file or directory")
    return [read_file(path)]

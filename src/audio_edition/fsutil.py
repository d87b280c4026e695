"""Filesystem helpers: the only place that writes final output paths.

Every output is written to a temporary file in the destination directory, flushed and
fsynced, then renamed over the final name, so a build that dies half-way never leaves a
half-written file under a final name.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .errors import output_error

SLUG_MAX = 80
STATE_DIR = ".audio-edition"  # under --out: cache/, staging/, lock — the one definition
CACHE_DIR = Path(STATE_DIR) / "cache"  # relative to --out (the default when there is no --out)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """The SHA-256 of a file's bytes, read a MiB at a time."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def state_dir(out_dir: str | os.PathLike[str]) -> Path:
    return Path(out_dir) / STATE_DIR


def cache_dir(out_dir: str | os.PathLike[str]) -> Path:
    """The segment cache of the build whose ``--out`` is ``out_dir``."""
    return Path(out_dir) / CACHE_DIR


@contextlib.contextmanager
def os_errors(where: str | os.PathLike[str], needs: int | None = None) -> Iterator[None]:
    """Turn any ``OSError`` raised inside into the one-line ``OutputError`` a user can act on."""
    try:
        yield
    except OSError as exc:
        raise output_error(exc, where, needs) from None


def _umask() -> int:
    """The process umask, read without changing it (Linux), else by the set-and-restore dance."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a plain ``open()`` would give a new file: 0644 under the usual umask 022."""
    return 0o666 & ~_umask()


def slugify(text: str, max_len: int = SLUG_MAX) -> str:
    """ASCII, lower-case, dash-separated slug; never empty, never a path."""
    norm = unicodedata.normalize("NFKD", text)
    ascii_text = norm.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > max_len:
        slug = slug[:max_len].rstrip("-")
        cut = slug.rfind("-")
        if cut > max_len // 2:
            slug = slug[:cut]
    return slug or "episode"


def episode_slug(title: str, published: str | None) -> str:
    """``YYYY-MM-DD-title-slug``, at most SLUG_MAX characters."""
    date = published[:10] if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published[:10]) else None
    if date:
        return f"{date}-{slugify(title, SLUG_MAX - len(date) - 1)}"
    return slugify(title, SLUG_MAX)


@contextlib.contextmanager
def atomic_path(final: str | os.PathLike[str], suffix: str | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``final``; on success rename it over ``final``.

    On any exception the temporary file is removed and ``final`` is untouched.
    """
    final = Path(final)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f".{final.name}.", suffix=suffix or f".tmp{final.suffix}", dir=final.parent
        )
        os.close(fd)
        os.chmod(tmp, file_mode())  # mkstemp makes it 0600: a web server running as another user could not read it
    except OSError as exc:
        raise output_error(exc, final) from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb+") as fh:
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp_path, final)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def atomic_write_bytes(final: str | os.PathLike[str], data: bytes) -> None:
    try:
        with atomic_path(final) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        raise output_error(exc, final) from None


def atomic_write_text(final: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(final, text.encode("utf-8"))


def check_writable_dir(path: str | os.PathLike[str]) -> Path:
    """Create ``path`` if needed and prove it is writable, or raise OutputError."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", dir=p)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise output_error(exc, p) from None
    return p

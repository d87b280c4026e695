"""Where a build works before anything is final: the lock, the staging area, the clean-up.

Layout under ``--out``::

    .audio-edition/lock                  who builds here: {"pid", "host", "started"}
    .audio-edition/staging/<slug>/       an episode being rendered
    .audio-edition/staging/.replaced-<slug>/   the previous version, during the swap
    .audio-edition/cache/tmp/            synthesis temporaries (see engines/cache.py)

An episode is rendered whole into ``staging/<slug>/`` and moved into ``episodes/<slug>`` by
one directory rename (:meth:`Stage.commit`): the old directory is renamed aside into
staging, the new one renamed in, the old one removed. A build killed at any moment leaves
either the old episode or the new one in ``episodes/`` — the single window where neither is
there (between the two renames) is repaired by :func:`recover` at the next start, which puts
the old one back. The feed is written after the episodes.

At start, once the lock is held (so no live build owns them), :func:`recover` removes what
dead builds left: staging directories, synthesis temporaries in the cache, mix work
directories and hidden atomic-write temporaries under ``episodes/`` and ``--out``.
"""

from __future__ import annotations

import contextlib
import datetime
import errno
import fcntl
import json
import os
import re
import shutil
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .config import kbps
from .errors import OutputError, output_error
from .fsutil import cache_dir, state_dir

LOCK = "lock"
STAGING = "staging"
REPLACED = ".replaced-"
CACHE_TMP = "tmp"  # engines/cache.py: TMP_DIR
MIX_WORK = "mix-"  # build.py: tempfile.mkdtemp(prefix="mix-", dir=state dir)
# atomic_path's temporaries: ".<name>.<random>.tmp<suffix>" (fsutil.atomic_path)
_ATOMIC_TMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp(\.[A-Za-z0-9]+)?$")


# --- the lock ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Holder:
    """What the lock file says about the build holding it."""

    pid: int | None
    host: str | None
    started: str | None

    def describe(self) -> str:
        parts = [f"PID {self.pid}" if self.pid else "an unknown process"]
        if self.host:
            parts.append(f"on {self.host}")
        if self.started:
            parts.append(f"started {self.started}")
        return " ".join(parts)

    def alive(self) -> bool | None:
        """True/False when it can be told (same host), None otherwise."""
        if not self.pid or self.host != socket.gethostname():
            return None
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        except OSError:
            return None
        return True


def _read_holder(fd: int) -> Holder | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
        data = json.loads(raw.decode("utf-8")) if raw.strip() else None
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    pid = data.get("pid")
    return Holder(pid=pid if isinstance(pid, int) else None, host=str(data.get("host") or "") or None,
                  started=str(data.get("started") or "") or None)


def _write_holder(fd: int) -> None:
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "started": now}).encode("utf-8")
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data + b"\n")
    os.fsync(fd)


@dataclass
class Lock:
    path: Path
    stale: Holder | None = None  # the dead build whose lock was taken over, if any


@contextlib.contextmanager
def build_lock(out_dir: str | os.PathLike[str]) -> Iterator[Lock]:
    """Hold ``--out``'s build lock, or raise OutputError naming the build that holds it.

    The lock is an ``flock`` on ``.audio-edition/lock`` (released by the kernel when its
    holder dies, even by SIGKILL) and the file says who holds it. A lock left by a dead
    build is taken over; ``Lock.stale`` then describes it.
    """
    out_dir = Path(out_dir)
    state = state_dir(out_dir)
    path = state / LOCK
    try:
        state.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)  # never truncate: the holder's record is in it
    except OSError as exc:
        raise output_error(exc, state) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            who = holder.describe() if holder else "another process"
            raise OutputError(f"another build is running in {out_dir} ({who}; lock: {path})") from None
        except OSError as exc:
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL):
                raise output_error(exc, path) from None
            # a file system without flock (some network shares): trust the record
            holder = _read_holder(fd)
            if holder is not None and holder.alive():
                raise OutputError(f"another build is running in {out_dir} ({holder.describe()}; "
                                  f"lock: {path})") from None
        previous = _read_holder(fd)
        stale = previous if previous is not None and previous.pid != os.getpid() else None
        try:
            _write_holder(fd)
        except OSError as exc:
            raise output_error(exc, path) from None
        yield Lock(path, stale)
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # released cleanly: nothing stale to report next time
    finally:
        os.close(fd)


# --- clean-up of dead builds -----------------------------------------------------------------

def staging_root(out_dir: str | os.PathLike[str]) -> Path:
    return state_dir(out_dir) / STAGING


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    return True


def recover(out_dir: str | os.PathLike[str]) -> list[str]:
    """Repair and clean what dead builds left; call only while holding the lock.

    Returns one line per repaired episode (an old version put back after a swap was cut
    short); removed debris is not reported.
    """
    out_dir = Path(out_dir)
    notes: list[str] = []
    root = staging_root(out_dir)
    episodes = out_dir / "episodes"
    with contextlib.suppress(FileNotFoundError):
        for entry in sorted(root.iterdir()):
            if entry.name.startswith(REPLACED):
                slug = entry.name[len(REPLACED):]
                final = episodes / slug
                if not final.exists():
                    # killed between "old aside" and "new in": the old version goes back
                    episodes.mkdir(parents=True, exist_ok=True)
                    os.rename(entry, final)
                    notes.append(f"{slug}: an interrupted update was rolled back to the previous episode")
                    continue
            _remove(entry)
    state = state_dir(out_dir)
    with contextlib.suppress(FileNotFoundError):
        for entry in state.iterdir():
            if entry.name.startswith(MIX_WORK) and entry.is_dir():
                _remove(entry)
    tmp = cache_dir(out_dir) / CACHE_TMP
    with contextlib.suppress(FileNotFoundError):
        for entry in tmp.iterdir():
            _remove(entry)
    # hidden atomic-write temporaries of dead builds (older versions rendered in place)
    dirs = [out_dir]
    with contextlib.suppress(FileNotFoundError):
        dirs.extend(d for d in episodes.iterdir() if d.is_dir() and not d.is_symlink())
    for d in dirs:
        with contextlib.suppress(OSError):
            for f in d.iterdir():
                if _ATOMIC_TMP.match(f.name) and f.is_file():
                    _remove(f)
        if d is not out_dir:
            with contextlib.suppress(OSError):
                d.rmdir()  # only if the debris was all it held
    return notes


# --- one episode, staged ---------------------------------------------------------------------

class Stage:
    """An episode's staging directory and the final directory it replaces when committed."""

    def __init__(self, out_dir: Path, slug: str) -> None:
        self.out_dir = out_dir
        self.slug = slug
        self.dir = staging_root(out_dir) / slug
        self.final = out_dir / "episodes" / slug
        self.committed = False

    def commit(self) -> Path:
        """Move the staged episode into ``episodes/`` (see the module docstring)."""
        aside = staging_root(self.out_dir) / f"{REPLACED}{self.slug}"
        self.final.parent.mkdir(parents=True, exist_ok=True)
        _fsync_dir(self.dir)
        if aside.exists():
            _remove(aside)
        had_old = self.final.exists()
        if had_old:
            os.rename(self.final, aside)
        os.rename(self.dir, self.final)
        self.committed = True
        _fsync_dir(self.final.parent)
        if had_old:
            _remove(aside)
        return self.final


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def staged(out_dir: str | os.PathLike[str], slug: str, needs: int | None = None) -> Iterator[Stage]:
    """A fresh ``staging/<slug>/``; removed on the way out unless committed.

    Any ``OSError`` inside becomes the one-line OutputError (``needs``: the episode's
    estimated size, for a full disk).
    """
    stage = Stage(Path(out_dir), slug)
    try:
        try:
            if stage.dir.exists():
                _remove(stage.dir)
            stage.dir.mkdir(parents=True)
            yield stage
        except OSError as exc:
            raise output_error(exc, stage.out_dir, needs) from None
    finally:
        if not stage.committed:
            with contextlib.suppress(OSError):
                _remove(stage.dir)


# --- free space ----------------------------------------------------------------------------

CHARS_PER_SECOND = 10.0  # speech is ~14 characters a second; err on the long side
MIX_BYTES_PER_SECOND = 44100 * 2  # the mix's mono 16-bit WAV (mix.MIX_RATE)
SEGMENT_BYTES_PER_SECOND = 24000 * 2  # a cached segment's mono 16-bit WAV
MARGIN = 4 * 1024 * 1024  # transcripts, chapters, tags, the feed


def estimate_bytes(chars: int, segments: int, bitrate: str | int = "64k") -> int:
    """Disk an episode of ``chars`` spoken characters needs while it is built (cache, mix, MP3)."""
    rate = kbps(bitrate) or 128
    seconds = chars / CHARS_PER_SECOND + 1.5 * segments
    return int(seconds * (MIX_BYTES_PER_SECOND + SEGMENT_BYTES_PER_SECOND + rate * 1000 / 8)) + MARGIN


def check_space(out_dir: str | os.PathLike[str], needs: int, what: str = "this episode") -> None:
    """Raise OutputError before rendering when ``out_dir`` has less than ``needs`` bytes free."""
    where = state_dir(out_dir)
    try:
        free = shutil.disk_usage(where if where.exists() else out_dir).free
    except OSError:
        return  # cannot tell: the writes themselves will say
    if free < needs:
        raise OutputError(f"not enough space in {out_dir}: {what} needs about {needs / 2**20:.0f} MB, "
                          f"{free / 2**20:.0f} MB free: free some space or choose another --out")

"""Content-addressed segment cache: synthesized audio survives the build that made it.

The key is a hash of everything the audio depends on — spoken text, engine, engine version,
voice, rate, pitch, output format — so an unchanged segment is never synthesized twice and
a changed one never reuses stale audio. Layout under the cache root (by default
``.audio-edition/cache/``)::

    ab/abcdef….wav    the audio (mono 16-bit WAV)
    ab/abcdef….json   what the engine returned (duration, boundaries…) + size and sha256

The WAV is moved into place first, the JSON (the commit marker) last, both atomically, so
an interrupted build leaves either a whole entry or an orphan WAV that nothing reads. A
lookup checks the entry against its JSON (size, sha256, WAV header, duration): a corrupt or
truncated entry is deleted and reported as a miss, so it is made again. A hit refreshes the
JSON's modification time, which ``prune --older-than`` reads as "last used".
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
import time
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import OutputError
from ..fsutil import CACHE_DIR, atomic_write_text, file_sha256
from ..models import Boundary, SynthResult

DEFAULT_CACHE_DIR = CACHE_DIR  # relative: the cache of a build run with --out .
SCHEMA = 1
TMP_DIR = "tmp"


def cache_key(text: str, engine: str, engine_version: str, voice: str, rate: int, pitch: int,
              output_format: str) -> str:
    material = json.dumps({
        "schema": SCHEMA, "text": text, "engine": engine, "engine_version": engine_version,
        "voice": voice, "rate": int(rate), "pitch": int(pitch), "format": output_format,
    }, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def key_for(engine, text: str, voice: str, rate: int, pitch: int) -> str:
    """The cache key of ``text`` spoken by ``engine`` (anything with name and version)."""
    fmt = getattr(engine, "output_format", "wav-s16le-mono")
    return cache_key(text, engine.name, engine.version, voice, rate, pitch, fmt)


@dataclass
class CacheInfo:
    root: str
    entries: int = 0
    bytes: int = 0
    audio_seconds: float = 0.0
    by_engine: dict[str, int] = field(default_factory=dict)
    oldest_use: float | None = None  # epoch seconds
    newest_use: float | None = None
    orphans: int = 0  # WAV without JSON, JSON without WAV, leftover temp files
    orphan_bytes: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PruneResult:
    removed: int = 0  # entries
    freed_bytes: int = 0
    orphans: int = 0


class SegmentCache:
    def __init__(self, root: str | os.PathLike[str] = DEFAULT_CACHE_DIR) -> None:
        self.root = Path(root)

    # -- paths --

    def paths(self, key: str) -> tuple[Path, Path]:
        d = self.root / key[:2]
        return d / f"{key}.wav", d / f"{key}.json"

    def temp_wav(self) -> Path:
        """A fresh, empty temporary path inside the cache (same filesystem: rename is atomic)."""
        d = self.root / TMP_DIR
        try:
            d.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix="synth-", suffix=".wav", dir=d)
            os.close(fd)
        except OSError as exc:
            raise OutputError(f"cannot write to the segment cache {self.root}: {exc.strerror or exc}") from None
        return Path(tmp)

    # -- lookup --

    def get(self, key: str) -> SynthResult | None:
        """The cached result for ``key``, or None (missing, corrupt or truncated: removed)."""
        wav_path, meta_path = self.paths(key)
        if not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("schema") != SCHEMA or meta.get("key") != key:
                raise ValueError("foreign entry")
            st = wav_path.stat()
            if st.st_size != meta["size"]:
                raise ValueError("size differs")
            with wave.open(str(wav_path), "rb") as w:
                if w.getnchannels() != 1 or w.getsampwidth() != 2 or w.getframerate() != meta["sample_rate"]:
                    raise ValueError("not mono 16-bit at the recorded rate")
                duration = w.getnframes() / w.getframerate()
            if abs(duration - meta["duration"]) > 0.002 or duration <= 0:
                raise ValueError("duration differs")
            if file_sha256(wav_path) != meta["sha256"]:
                raise ValueError("checksum differs")
            result = SynthResult(
                audio_path=str(wav_path), sample_rate=meta["sample_rate"], duration=duration,
                boundaries=tuple(Boundary(**b) for b in meta["boundaries"]), engine=meta["engine"],
                voice=meta["voice"], attempts=0, cached=True, fallback=bool(meta.get("fallback", False)),
            )
        except (OSError, ValueError, KeyError, TypeError, EOFError, wave.Error):
            self.discard(key)
            return None
        with contextlib.suppress(OSError):
            os.utime(meta_path)  # last use, for prune --older-than
        return result

    def discard(self, key: str) -> None:
        for p in self.paths(key):
            with contextlib.suppress(OSError):
                p.unlink()

    # -- store --

    def put(self, key: str, wav_tmp: str | os.PathLike[str], result: SynthResult, **extra) -> SynthResult:
        """Move the engine's WAV ``wav_tmp`` into the cache under ``key``; return the cached result.

        ``result.attempts`` and ``result.fallback`` are kept in the returned result (this
        build's facts); the entry records them too, for ``cache info``.
        """
        wav_path, meta_path = self.paths(key)
        src = Path(wav_tmp)
        try:
            wav_path.parent.mkdir(parents=True, exist_ok=True)
            with open(src, "rb+") as fh:
                os.fsync(fh.fileno())
            size = src.stat().st_size
            digest = file_sha256(src)
            os.replace(src, wav_path)
        except OSError as exc:
            raise OutputError(f"cannot write to the segment cache {self.root}: {exc.strerror or exc}") from None
        meta = {
            "schema": SCHEMA, "key": key, "engine": result.engine, "voice": result.voice,
            "sample_rate": result.sample_rate, "duration": result.duration, "size": size, "sha256": digest,
            "boundaries": [asdict(b) for b in result.boundaries], "attempts": result.attempts,
            "fallback": result.fallback, "created": time.time(), **extra,
        }
        atomic_write_text(meta_path, json.dumps(meta, ensure_ascii=False))
        return SynthResult(audio_path=str(wav_path), sample_rate=result.sample_rate, duration=result.duration,
                           boundaries=result.boundaries, engine=result.engine, voice=result.voice,
                           attempts=result.attempts, cached=False, fallback=result.fallback)

    # -- maintenance --

    def _entry_dirs(self):
        if not self.root.is_dir():
            return []
        return [d for d in self.root.iterdir() if d.is_dir() and len(d.name) == 2
                and all(c in "0123456789abcdef" for c in d.name)]

    def _scan(self):
        """(complete entries as (key, wav, meta), orphan paths)."""
        entries, orphans = [], []
        for d in self._entry_dirs():
            names = {p.name: p for p in d.iterdir()}
            for name, p in names.items():
                if name.endswith(".json"):
                    key = name[:-5]
                    wav = names.get(f"{key}.wav")
                    if wav is not None:
                        entries.append((key, wav, p))
                    else:
                        orphans.append(p)
                elif name.endswith(".wav"):
                    if f"{name[:-4]}.json" not in names:
                        orphans.append(p)
                else:
                    orphans.append(p)  # leftover atomic-write temp files
        tmp = self.root / TMP_DIR
        if tmp.is_dir():
            orphans.extend(p for p in tmp.iterdir())
        return entries, orphans

    def info(self) -> CacheInfo:
        out = CacheInfo(root=str(self.root))
        entries, orphans = self._scan()
        for _key, wav, meta_path in entries:
            try:
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                used = meta_path.stat().st_mtime
                size = wav.stat().st_size + meta_path.stat().st_size
            except (OSError, ValueError):
                out.orphans += 1
                continue
            out.entries += 1
            out.bytes += size
            out.audio_seconds += float(meta.get("duration", 0.0))
            engine = str(meta.get("engine", "?"))
            out.by_engine[engine] = out.by_engine.get(engine, 0) + 1
            out.oldest_use = used if out.oldest_use is None else min(out.oldest_use, used)
            out.newest_use = used if out.newest_use is None else max(out.newest_use, used)
        for p in orphans:
            with contextlib.suppress(OSError):
                out.orphan_bytes += p.stat().st_size
        out.orphans += len(orphans)
        out.bytes += out.orphan_bytes
        return out

    def prune(self, older_than_days: float | None = None, *, everything: bool = False,
              now: float | None = None) -> PruneResult:
        """Remove orphans and temp files; entries unused for ``older_than_days``; or everything.

        Temp files younger than an hour are left alone: a build may be writing them.
        """
        now = time.time() if now is None else now
        res = PruneResult()
        entries, orphans = self._scan()
        for p in orphans:
            try:
                st = p.stat()
                if not everything and now - st.st_mtime < 3600 and (p.parent.name == TMP_DIR or p.name.startswith(".")):
                    continue
                if p.is_dir():
                    shutil.rmtree(p)
                else:
                    p.unlink()
                res.orphans += 1
                res.freed_bytes += st.st_size
            except OSError:
                continue
        for _key, wav, meta_path in entries:
            try:
                used = meta_path.stat().st_mtime
                if not everything and (older_than_days is None or now - used < older_than_days * 86400):
                    continue
                size = wav.stat().st_size + meta_path.stat().st_size
                meta_path.unlink()  # the marker first: a half-pruned entry is an orphan, never a hit
                wav.unlink()
            except OSError:
                continue
            res.removed += 1
            res.freed_bytes += size
        for d in self._entry_dirs():
            with contextlib.suppress(OSError):
                d.rmdir()  # only if empty
        return res

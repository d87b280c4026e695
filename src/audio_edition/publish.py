"""Put ``--out`` where listeners reach it: an S3-compatible bucket or a directory.

Order matters: media and sidecars (MP3s, transcripts, chapters, records, episode pages,
artwork) go first, ``feed.xml`` and ``index.html`` last, so the feed never points at a file
that is not there yet; a failure on the way stops before the feed, which stays the old one.
Only what changed is sent: a file whose size and hash (MD5, the ETag of a single-part S3
upload; SHA-256 for a directory) match the destination is skipped. ``.audio-edition/``
(cache, staging, lock) and hidden temporary files never leave the machine.

S3 credentials come from boto3's standard chain (environment, ``~/.aws`` files, profile,
instance role) and are never printed or written anywhere.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import AudioEditionError, OutputError, UsageError
from .fsutil import atomic_path

LAST = ("feed.xml", "index.html")  # at the root, published after everything else
CONTENT_TYPES = {
    ".mp3": "audio/mpeg", ".xml": "application/rss+xml", ".vtt": "text/vtt", ".srt": "application/x-subrip",
    ".json": "application/json", ".html": "text/html; charset=utf-8", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".png": "image/png",
}
SHORT_CACHE = "public, max-age=300"  # the feed and the pages change with every episode
LONG_CACHE = "public, max-age=604800"  # media and sidecars only change on build --force


class PublishError(AudioEditionError):
    """An upload or a copy failed; what was published before it stays as it was."""


@dataclass(frozen=True)
class LocalFile:
    key: str  # path relative to --out, with /
    path: Path
    size: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(Path(self.key).suffix.lower(), "application/octet-stream")

    @property
    def cache_control(self) -> str:
        return SHORT_CACHE if self.key.endswith((".xml", ".html")) else LONG_CACHE


@dataclass
class PublishResult:
    destination: str
    uploaded: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    bytes_sent: int = 0

    def summary(self) -> str:
        mb = self.bytes_sent / 1_000_000
        return (f"published to {self.destination}: {len(self.uploaded)} files sent ({mb:.1f} MB), "
                f"{len(self.unchanged)} unchanged")


def files_to_publish(out_dir: Path) -> list[LocalFile]:
    """Every file of ``--out`` to publish, in upload order (the feed and the index last)."""
    files = []
    for dirpath, dirnames, filenames in os.walk(out_dir):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))  # .audio-edition/ and the like
        for name in sorted(filenames):
            if name.startswith("."):
                continue  # temporary files of atomic writes
            path = Path(dirpath) / name
            key = path.relative_to(out_dir).as_posix()
            files.append(LocalFile(key, path, path.stat().st_size))
    return sorted(files, key=lambda f: (f.key in LAST, LAST.index(f.key) if f.key in LAST else 0, f.key))


def _digest(path: Path, algo: str) -> str:
    h = hashlib.new(algo, usedforsecurity=False)  # change detection, not security
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Destination:
    """Where files go: ``describe``, ``existing`` (key → (size, hash)), ``put``."""

    hash_algo = "sha256"

    def describe(self) -> str:
        raise NotImplementedError

    def existing(self) -> dict[str, tuple[int, str | None]]:
        raise NotImplementedError

    def put(self, f: LocalFile) -> None:
        raise NotImplementedError


class DirectoryDestination(Destination):
    def __init__(self, path: Path):
        self.path = path

    def describe(self) -> str:
        return str(self.path)

    def existing(self) -> dict[str, tuple[int, str | None]]:
        out: dict[str, tuple[int, str | None]] = {}
        if not self.path.is_dir():
            return out
        for f in files_to_publish(self.path):
            out[f.key] = (f.size, None)  # hashed lazily, only when the sizes match
        return out

    def matches(self, f: LocalFile) -> bool:
        return _digest(self.path / f.key, "sha256") == _digest(f.path, "sha256")

    def put(self, f: LocalFile) -> None:
        target = self.path / f.key
        try:
            with atomic_path(target) as tmp:
                shutil.copyfile(f.path, tmp)
        except OSError as exc:
            raise PublishError(f"cannot copy {f.key} to {target.parent}: {exc.strerror or exc}") from None


class S3Destination(Destination):
    hash_algo = "md5"

    def __init__(self, url: str, endpoint_url: str | None = None, client: Any = None):
        rest = url[len("s3://"):]
        self.bucket, _, prefix = rest.partition("/")
        if not self.bucket:
            raise UsageError(f"no bucket in {url!r}: write s3://BUCKET/PREFIX")
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.url = url
        if client is None:
            try:
                import boto3
            except ImportError:
                raise UsageError("publishing to s3:// needs boto3: pip install boto3") from None
            client = boto3.client("s3", endpoint_url=endpoint_url)
        self.client = client

    def describe(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    def _error(self, exc: Exception, what: str) -> PublishError:
        from botocore.exceptions import ClientError

        if isinstance(exc, ClientError):
            err = exc.response.get("Error", {})
            return PublishError(f"{what} in s3://{self.bucket}: {err.get('Code', '?')} "
                                f"{err.get('Message', '')}".strip())
        name = type(exc).__name__
        if name in ("NoCredentialsError", "PartialCredentialsError"):
            return PublishError(f"{what}: no AWS credentials found (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, "
                                "or AWS_PROFILE)")
        return PublishError(f"{what} in s3://{self.bucket}: {name}: {str(exc).splitlines()[0] if str(exc) else ''}")

    def existing(self) -> dict[str, tuple[int, str | None]]:
        from botocore.exceptions import BotoCoreError, ClientError

        out: dict[str, tuple[int, str | None]] = {}
        try:
            for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
                for obj in page.get("Contents", []):
                    etag = obj.get("ETag", "").strip('"')
                    out[obj["Key"][len(self.prefix):]] = (obj["Size"], etag if "-" not in etag else None)
        except (BotoCoreError, ClientError) as exc:
            raise self._error(exc, "cannot list the objects") from None
        return out

    def put(self, f: LocalFile) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            with open(f.path, "rb") as fh:
                self.client.put_object(Bucket=self.bucket, Key=self.prefix + f.key, Body=fh,
                                       ContentType=f.content_type, CacheControl=f.cache_control)
        except (BotoCoreError, ClientError) as exc:
            raise self._error(exc, f"cannot upload {f.key}") from None
        except OSError as exc:
            raise PublishError(f"cannot read {f.path}: {exc.strerror or exc}") from None


def destination(dest: str, endpoint_url: str | None = None, client: Any = None) -> Destination:
    if dest.startswith("s3://"):
        return S3Destination(dest, endpoint_url, client)
    if "://" in dest:
        raise UsageError(f"cannot publish to {dest!r}: give s3://BUCKET/PREFIX or a directory")
    if endpoint_url:
        raise UsageError("--endpoint-url is for s3:// destinations")
    return DirectoryDestination(Path(dest))


def publish(out_dir: str | Path, dest: str, *, endpoint_url: str | None = None, client: Any = None,
            on_progress: Callable[[int, int, str], None] | None = None) -> PublishResult:
    """Send what changed in ``out_dir`` to ``dest``; the feed and the index last."""
    out_dir = Path(out_dir)
    if not (out_dir / "feed.xml").is_file():
        raise OutputError(f"nothing to publish: {out_dir / 'feed.xml'} is missing (run audio-edition build first)")
    target = destination(dest, endpoint_url, client)
    if isinstance(target, DirectoryDestination):
        dest_path, out_path = target.path.resolve(), out_dir.resolve()
        if dest_path == out_path or out_path in dest_path.parents or dest_path in out_path.parents:
            raise UsageError(f"cannot publish {out_dir} to {dest}: one is inside the other")
    files = files_to_publish(out_dir)
    there = target.existing()
    result = PublishResult(target.describe())
    todo = []
    for f in files:
        size, remote_hash = there.get(f.key, (None, None))
        if size == f.size and _unchanged(target, f, remote_hash):
            result.unchanged.append(f.key)
        else:
            todo.append(f)
    for i, f in enumerate(todo, 1):
        target.put(f)
        result.uploaded.append(f.key)
        result.bytes_sent += f.size
        if on_progress:
            on_progress(i, len(todo), f.key)
    return result


def _unchanged(target: Destination, f: LocalFile, remote_hash: str | None) -> bool:
    if isinstance(target, DirectoryDestination):
        return target.matches(f)
    return remote_hash is not None and remote_hash == _digest(f.path, target.hash_algo)

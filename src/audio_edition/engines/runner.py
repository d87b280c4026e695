"""Synthesize every segment of an episode: cache in front, bounded concurrency, fallback, report.

``synthesize_all(jobs, engine_name=..., cache_dir=...)`` is what the build calls:

1. every job's cache key is computed and looked up first (hits cost no network at all);
2. the misses go, longest first, to at most ``concurrency`` workers (default 3, at most 8)
   sharing one event loop; an async engine (edge) streams concurrently, a blocking one (espeak) runs in a
   thread — espeak serializes itself with a process-wide lock;
3. each result is moved into the cache the moment it is complete, so a build that stops
   half-way keeps everything it made and the next run resumes;
4. a segment that still fails after the engine's retries is synthesized by
   ``fallback_engine`` if one is given (and recorded as a fallback); otherwise no new
   segment is started, those in flight finish (and are cached), and the build stops with a
   one-line SynthesisError naming the segment.

Audio lives in cache files, never in memory: a ``SegmentAudio`` holds a path, the
boundaries and a few report fields, so memory stays flat with episode length.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from ..errors import AudioEditionError, SynthesisError, UsageError
from ..models import Boundary, SynthResult
from . import get_engine
from .cache import DEFAULT_CACHE_DIR, SegmentCache, key_for

DEFAULT_CONCURRENCY = 3
MAX_CONCURRENCY = 8


@dataclass(frozen=True)
class SynthJob:
    """One segment to speak. ``index`` is its position in the script (0-based)."""

    index: int
    role: str
    text: str  # the spoken (normalized) text
    voice: str
    rate: int = 0
    pitch: int = 0
    title: str = ""  # for error messages
    fallback_voice: str | None = None  # voice for the fallback engine (default: from the voice's language)
    fallback_rate: int | None = None
    fallback_pitch: int | None = None

    def label(self) -> str:
        title = f" “{self.title[:60]}”" if self.title else ""
        return f"segment {self.index + 1} ({self.role}{title})"


@dataclass(frozen=True)
class SegmentAudio:
    """A job's audio (a WAV in the cache) and what the build report says about it."""

    job: SynthJob
    result: SynthResult
    key: str
    attempts: int = 0  # requests made to the primary engine in this build (0: cache hit)
    fallback_reason: str | None = None

    @property
    def audio_path(self) -> str:
        return self.result.audio_path

    @property
    def duration(self) -> float:
        return self.result.duration

    @property
    def boundaries(self) -> tuple[Boundary, ...]:
        return self.result.boundaries

    @property
    def cached(self) -> bool:
        return self.result.cached

    @property
    def fallback(self) -> bool:
        return self.fallback_reason is not None

    @property
    def engine(self) -> str:
        return self.result.engine

    @property
    def voice(self) -> str:
        return self.result.voice

    @property
    def retries(self) -> int:
        return max(0, self.attempts - 1)

    def report(self) -> dict:
        """The per-segment fields of episode.json."""
        out = {
            "engine": self.engine,
            "voice": self.voice,
            "attempts": self.attempts,
            "cached": self.cached,
            "synthesized": not self.cached,
            "duration": round(self.duration, 3),
            "fallback": self.fallback,
        }
        if self.fallback_reason:
            out["fallback_reason"] = self.fallback_reason
        return out


def summarize(segments: Sequence[SegmentAudio]) -> str:
    """``42 segments: 40 cached, 2 synthesized, 0 fallbacks, 3 retries``."""
    n = len(segments)
    cached = sum(1 for s in segments if s.cached)
    fallbacks = sum(1 for s in segments if s.fallback)
    retries = sum(s.retries for s in segments)
    return (f"{n} segment{'s' if n != 1 else ''}: {cached} cached, {n - cached} synthesized, "
            f"{fallbacks} fallback{'s' if fallbacks != 1 else ''}, {retries} retr{'ies' if retries != 1 else 'y'}")


def check_concurrency(concurrency: int) -> int:
    if not isinstance(concurrency, int) or not 1 <= concurrency <= MAX_CONCURRENCY:
        raise UsageError(f"concurrency must be between 1 and {MAX_CONCURRENCY}, not {concurrency!r}")
    return concurrency


_LOCALE = re.compile(r"^([a-z]{2,3})-([A-Z]{2})-")


def default_fallback_voice(voice: str) -> str:
    """An espeak voice for an edge voice's language: ``fr-FR-…`` → ``fr``, ``en-GB-…`` → ``en-gb``."""
    m = _LOCALE.match(voice)
    if not m:
        return voice
    lang, region = m.group(1), m.group(2).lower()
    return {"en": f"en-{'gb' if region == 'gb' else 'us'}", "pt": f"pt-{'br' if region == 'br' else 'pt'}"}.get(lang, lang)


ProgressCallback = Callable[[int, int, SegmentAudio], None]


def synthesize_all(jobs: Sequence[SynthJob], **options) -> list[SegmentAudio]:
    """Audio for every job, in job order: ``asynthesize_all`` run to completion (same options)."""
    return asyncio.run(asynthesize_all(jobs, **options))


async def asynthesize_all(
    jobs: Sequence[SynthJob],
    *,
    engine_name: str = "edge",
    cache_dir: str | os.PathLike[str] = DEFAULT_CACHE_DIR,
    concurrency: int = DEFAULT_CONCURRENCY,
    fallback_engine: str | None = None,
    on_progress: ProgressCallback | None = None,
    engine_options: dict | None = None,
    engine=None,
    fallback=None,
) -> list[SegmentAudio]:
    """Audio for every job, in job order. See the module docstring.

    ``engine`` / ``fallback`` may be given as instances (tests); otherwise they are built
    from ``engine_name`` / ``fallback_engine`` with ``engine_options``.
    ``on_progress(done, total, segment)`` is called as each segment is ready (cache hits
    first), in the caller's thread.
    """
    check_concurrency(concurrency)
    cache = SegmentCache(cache_dir)
    options = {"cache_dir": Path(cache_dir), **(engine_options or {})}
    if engine is None:
        engine = get_engine(engine_name, **options)
    if fallback is None and fallback_engine and fallback_engine != engine.name:
        fallback = get_engine(fallback_engine, **options)
    if fallback is not None and fallback.name == engine.name:
        fallback = None

    for eng in (engine, fallback):
        if eng is not None and hasattr(eng, "limiter"):
            eng.limiter = asyncio.Semaphore(concurrency)  # requests in flight, pieces included

    total = len(jobs)
    results: list[SegmentAudio | None] = [None] * total
    done = 0

    def finish(i: int, seg: SegmentAudio) -> None:
        nonlocal done
        results[i] = seg
        done += 1
        if on_progress is not None:
            on_progress(done, total, seg)

    # 1. cache hits, and one synthesis per distinct key
    keys = [key_for(engine, j.text, j.voice, j.rate, j.pitch) for j in jobs]
    todo: dict[str, list[int]] = {}
    for i, (job, key) in enumerate(zip(jobs, keys)):
        if key in todo:
            todo[key].append(i)
            continue
        hit = cache.get(key)
        if hit is not None:
            finish(i, SegmentAudio(job, hit, key))
        else:
            todo[key] = [i]

    # 2. the misses, at most `concurrency` at a time
    # Longest first: the workers then finish at about the same time (a long story started
    # last would otherwise run alone at the end). Results still come back in script order.
    queue = sorted(todo.items(), key=lambda kv: (len(jobs[kv[1][0]].text), -kv[1][0]))  # pop() = longest
    failures: list[tuple[int, SynthesisError]] = []
    stop = False

    async def run(eng, job: SynthJob, voice: str, rate: int, pitch: int, key: str) -> SynthResult:
        tmp = cache.temp_wav()
        try:
            if hasattr(eng, "asynthesize"):
                result = await eng.asynthesize(job.text, voice, rate, pitch, str(tmp))
            else:
                result = await asyncio.to_thread(eng.synthesize, job.text, voice, rate, pitch, str(tmp))
            return await asyncio.to_thread(cache.put, key, tmp, result, text=job.text, role=job.role)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    async def one(key: str, indexes: list[int]) -> None:
        job = jobs[indexes[0]]
        try:
            result = await run(engine, job, job.voice, job.rate, job.pitch, key)
            seg = SegmentAudio(job, result, key, attempts=result.attempts)
        except SynthesisError as exc:
            attempts = getattr(exc, "attempts", 1)
            if fallback is None:
                failures.append((indexes[0], exc))
                return
            fb_voice = job.fallback_voice or default_fallback_voice(job.voice)
            fb_rate = job.rate if job.fallback_rate is None else job.fallback_rate
            fb_pitch = job.pitch if job.fallback_pitch is None else job.fallback_pitch
            fb_key = key_for(fallback, job.text, fb_voice, fb_rate, fb_pitch)
            hit = cache.get(fb_key)
            try:
                result = hit if hit is not None else await run(fallback, job, fb_voice, fb_rate, fb_pitch, fb_key)
            except SynthesisError as fb_exc:
                failures.append((indexes[0], SynthesisError(f"{exc}; fallback {fallback.name} failed too: {fb_exc}")))
                return
            result = replace(result, fallback=True)
            seg = SegmentAudio(job, result, fb_key, attempts=attempts, fallback_reason=str(exc))
        finish(indexes[0], seg)
        for i in indexes[1:]:  # the same text and voice elsewhere in the episode
            finish(i, SegmentAudio(jobs[i], replace(seg.result, cached=True, attempts=0), seg.key))

    async def worker() -> None:
        nonlocal stop
        while queue and not stop:
            key, indexes = queue.pop()
            await one(key, indexes)
            if failures:
                stop = True  # finish what is in flight (it gets cached), start nothing new

    workers = [asyncio.create_task(worker()) for _ in range(min(concurrency, len(queue)) or 0)]
    try:
        await asyncio.gather(*workers)
    except BaseException:
        for w in workers:
            w.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(*workers, return_exceptions=True)
        raise

    if failures:
        failures.sort(key=lambda f: f[0])
        index, exc = failures[0]
        made = sum(1 for r in results if r is not None and not r.cached)
        more = f" ({len(failures) - 1} other segment(s) failed too)" if len(failures) > 1 else ""
        kept = f"; the {made} segment(s) made before stopping are cached: run again to resume" if made else ""
        err = SynthesisError(f"{jobs[index].label()}: {exc}{more}{kept}")
        err.segment = index
        raise err
    missing = [i for i, r in enumerate(results) if r is None]
    if missing:  # pragma: no cover - a bug, not a user error
        raise AudioEditionError(f"internal error: segments {missing} were never synthesized")
    return results  # type: ignore[return-value]

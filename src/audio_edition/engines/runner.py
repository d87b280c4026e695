"""Synthesize every segment of an episode: cache in front, chunks in parallel, fallback, report.

``synthesize_all(jobs, engine_name=..., cache_dir=...)`` is what the build calls:

1. every segment is cut into chunks at paragraph and sentence ends (``chunks.chunk_text``,
   bounds from the engine's ``chunk_chars``); the segment's cache key (one chunk: the chunk's
   own; several: a hash of the chunks' keys) is looked up first, then each chunk's, so a
   warm rebuild costs no network at all and an edited paragraph re-synthesizes one chunk;
2. the missing chunks go, longest first, to the workers sharing one event loop. An async
   engine (edge) streams concurrently under an :class:`AdaptiveLimiter` (start at 8, AIMD,
   never past ``concurrency``, default 8); a blocking engine that can run in processes
   (espeak: one libespeak-ng per process) runs in a pool of worker processes, one per core;
3. each chunk is moved into the cache the moment it is complete, and a segment's chunks are
   joined sample-exact into one WAV, cached under the segment's key, so a build that stops
   half-way keeps everything it made and the next run resumes;
4. a segment one of whose chunks still fails after the engine's retries is synthesized whole
   by ``fallback_engine`` if one is given (and recorded as a fallback); otherwise no new
   chunk is started, those in flight finish (and are cached), and the build stops with a
   one-line SynthesisError naming the segment.

The list returned also carries ``synthesis``: what this run did (chunks, concurrency used,
pushback seen), recorded under ``synthesis`` in ``episode.json``.

Audio lives in cache files, never in memory: a ``SegmentAudio`` holds a path, the
boundaries and a few report fields, so memory stays flat with episode length.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import AudioEditionError, SynthesisError, UsageError
from ..models import Boundary, SynthResult
from . import get_engine
from .cache import DEFAULT_CACHE_DIR, SegmentCache, key_for
from .chunks import chunk_text, join_wavs, shift_boundaries
from .concurrency import DEFAULT_START, AdaptiveLimiter

DEFAULT_CONCURRENCY = 8  # the ceiling: an online engine starts lower and adapts
MAX_CONCURRENCY = 8
DEFAULT_CHUNK_CHARS = (300, 1500)  # (min, max) characters per chunk, unless the engine says otherwise


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
    regional = {"en": f"en-{'gb' if region == 'gb' else 'us'}", "pt": f"pt-{'br' if region == 'br' else 'pt'}"}
    return regional.get(lang, lang)


ProgressCallback = Callable[[int, int, SegmentAudio], None]


class SynthBatch(list):
    """The segments' audio in job order, and ``synthesis``: what the run did, for episode.json."""

    synthesis: dict

    def __init__(self, items=(), synthesis: dict | None = None) -> None:
        super().__init__(items)
        self.synthesis = synthesis or {}


def synthesize_all(jobs: Sequence[SynthJob], **options) -> SynthBatch:
    """Audio for every job, in job order: ``asynthesize_all`` run to completion (same options)."""
    return asyncio.run(asynthesize_all(jobs, **options))


def segment_key(chunk_keys: Sequence[str]) -> str:
    """A segment's cache key: its one chunk's, or (several chunks) a hash of theirs, in order."""
    if len(chunk_keys) == 1:
        return chunk_keys[0]
    return hashlib.sha256(("joined:" + ",".join(chunk_keys)).encode()).hexdigest()


@dataclass
class _Plan:
    """A distinct segment to make: its chunks and what has come back for each."""

    key: str
    indexes: list[int]  # every job with this key (the same text and voice said twice)
    chunks: list[str]
    chunk_keys: list[str]
    results: list[SynthResult | None] = field(default_factory=list)
    made: list[bool] = field(default_factory=list)  # synthesized in this run (not a cache hit)
    failed: bool = False

    def remaining(self) -> int:
        return sum(r is None for r in self.results)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _process_pool(workers: int):
    """Worker processes for a blocking engine. ``fork`` when this process runs no other thread
    (cheap, and safe then); otherwise ``forkserver`` (a fork with threads can inherit a held lock)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if threading.active_count() == 1 else "forkserver"
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))


async def asynthesize_all(
    jobs: Sequence[SynthJob],
    *,
    engine_name: str = "edge",
    cache_dir: str | os.PathLike[str] = DEFAULT_CACHE_DIR,
    concurrency: int = DEFAULT_CONCURRENCY,
    fallback_engine: str | None = None,
    on_progress: ProgressCallback | None = None,
    on_ready: Callable[[SegmentAudio], None] | None = None,
    engine_options: dict | None = None,
    engine=None,
    fallback=None,
    on_work: Callable[[], None] | None = None,
) -> SynthBatch:
    """Audio for every job, in job order. See the module docstring.

    ``engine`` / ``fallback`` may be given as instances (tests); otherwise they are built
    from ``engine_name`` / ``fallback_engine`` with ``engine_options``.
    ``on_ready(segment)`` is called for each segment in script order, as soon as it and
    every segment before it are ready: a mixer can start on the episode's head while its
    tail is still being synthesized.
    ``on_progress(done, total, segment)`` is called as each segment is ready (cache hits
    first), in the caller's thread. ``on_work()`` is called once when there are chunks to
    synthesize, before the first request, or with worker processes just after the first
    submit has forked them all (so a thread it starts is safe): the build prepares the mixer
    beside the synthesis. ``engine_options`` may also hold ``start_concurrency`` (requests in
    flight at first, default 8) and ``chunk_chars`` ((min, max) per chunk).
    """
    check_concurrency(concurrency)
    started = time.perf_counter()
    cache = SegmentCache(cache_dir)
    extra = dict(engine_options or {})
    start = int(extra.pop("start_concurrency", DEFAULT_START))
    chunk_chars = extra.pop("chunk_chars", None)
    options = {"cache_dir": Path(cache_dir), **extra}
    if engine is None:
        engine = get_engine(engine_name, **options)
    if fallback is None and fallback_engine and fallback_engine != engine.name:
        fallback = get_engine(fallback_engine, **options)
    if fallback is not None and fallback.name == engine.name:
        fallback = None
    lo, hi = chunk_chars or getattr(engine, "chunk_chars", DEFAULT_CHUNK_CHARS)

    limiter = None
    for eng in (engine, fallback):
        if eng is not None and hasattr(eng, "limiter"):
            eng.limiter = AdaptiveLimiter(concurrency, start)  # requests in flight, pieces included
            limiter = limiter or eng.limiter

    total = len(jobs)
    results: list[SegmentAudio | None] = [None] * total
    done = 0

    ready_upto = 0  # results[:ready_upto] have gone to on_ready

    def finish(i: int, seg: SegmentAudio) -> None:
        nonlocal done, ready_upto
        results[i] = seg
        done += 1
        if on_progress is not None:
            on_progress(done, total, seg)
        while on_ready is not None and ready_upto < total and (ready := results[ready_upto]) is not None:
            ready_upto += 1
            on_ready(ready)

    # 1. segment hits; one plan per distinct segment key
    plans: dict[str, _Plan] = {}
    hits: dict[str, SynthResult | None] = {}

    def lookup(key: str) -> SynthResult | None:
        if key not in hits:
            hits[key] = cache.get(key)
        return hits[key]

    n_chunks = 0
    for i, job in enumerate(jobs):
        chunks = chunk_text(job.text, lo, hi) or [job.text]
        chunk_keys = [key_for(engine, c, job.voice, job.rate, job.pitch) for c in chunks]
        key = segment_key(chunk_keys)
        if key in plans:
            plans[key].indexes.append(i)
            continue
        hit = lookup(key)
        if hit is not None:
            finish(i, SegmentAudio(job, hit, key))
            continue
        n_chunks += len(chunks)
        plans[key] = _Plan(key, [i], chunks, chunk_keys, [None] * len(chunks), [False] * len(chunks))

    # 2. chunk hits (an edited segment keeps its untouched chunks); one synthesis per distinct chunk
    work: dict[str, list[tuple[_Plan, int]]] = {}
    for plan in plans.values():
        for pos, ck in enumerate(plan.chunk_keys):
            hit = lookup(ck) if len(plan.chunks) > 1 else None  # one chunk: its key just missed
            if hit is not None:
                plan.results[pos] = hit
            else:
                work.setdefault(ck, []).append((plan, pos))
    ready = [p for p in plans.values() if p.remaining() == 0]  # every chunk cached, only the join missing

    # Longest first: the workers then finish at about the same time (a long chunk started last
    # would otherwise run alone at the end). Results still come back in script order.
    def order(ck: str):
        plan, pos = work[ck][0]
        return (len(plan.chunks[pos]), -plan.indexes[0], -pos)

    queue = sorted(work, key=order)  # pop() = longest
    failures: list[tuple[int, SynthesisError]] = []
    stop = False
    made_chunks = 0

    pool = None
    beside_started = False
    workers = min(concurrency, len(queue))
    if not hasattr(engine, "asynthesize") and getattr(engine, "processes", False):
        workers = min(workers, _cpus())
        if workers > 1:
            pool = _process_pool(workers)
    loop = asyncio.get_running_loop()

    async def speak(eng, text: str, voice: str, rate: int, pitch: int, tmp: Path) -> SynthResult:
        nonlocal beside_started
        if hasattr(eng, "asynthesize"):
            return await eng.asynthesize(text, voice, rate, pitch, str(tmp))
        if pool is not None and eng is engine:
            fut = loop.run_in_executor(pool, eng.synthesize, text, voice, rate, pitch, str(tmp))
            if on_work is not None and not beside_started:
                # the first submit forked every worker (fork pools spawn all at once): a thread is safe now
                beside_started = True
                on_work()
            return await fut
        return await asyncio.to_thread(eng.synthesize, text, voice, rate, pitch, str(tmp))

    async def store(key: str, tmp: Path, result: SynthResult, text: str, job: SynthJob) -> SynthResult:
        try:
            return await asyncio.to_thread(cache.put, key, tmp, result, text=text, role=job.role)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    async def run(eng, text: str, voice: str, rate: int, pitch: int, key: str, job: SynthJob) -> SynthResult:
        tmp = cache.temp_wav()
        try:
            result = await speak(eng, text, voice, rate, pitch, tmp)
        except BaseException:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise
        return await store(key, tmp, result, text, job)

    def deliver(plan: _Plan, seg: SegmentAudio) -> None:
        finish(plan.indexes[0], seg)
        for i in plan.indexes[1:]:  # the same text and voice elsewhere in the episode
            finish(i, SegmentAudio(jobs[i], replace(seg.result, cached=True, attempts=0), seg.key))

    async def complete(plan: _Plan) -> None:
        """Every chunk is there: the segment's audio is the chunk itself, or the chunks joined."""
        job = jobs[plan.indexes[0]]
        parts: list[SynthResult] = plan.results  # type: ignore[assignment]
        made = [p for p, m in zip(parts, plan.made, strict=False) if m]
        if len(parts) == 1:
            result = parts[0]
        else:
            tmp = cache.temp_wav()
            try:
                frames, rate = await asyncio.to_thread(join_wavs, [p.audio_path for p in parts], str(tmp))
                boundaries = shift_boundaries([(p.boundaries, round(p.duration * p.sample_rate)) for p in parts], rate)
                joined = SynthResult(str(tmp), rate, frames / rate, boundaries, engine=parts[0].engine,
                                     voice=parts[0].voice, attempts=1 + sum(p.attempts - 1 for p in made))
                result = await asyncio.to_thread(cache.put, plan.key, tmp, joined, text=job.text, role=job.role,
                                                 chunks=plan.chunk_keys)
            finally:
                with contextlib.suppress(OSError):
                    tmp.unlink()
            if not made:  # joined from cached chunks: nothing was synthesized
                result = replace(result, cached=True, attempts=0)
        deliver(plan, SegmentAudio(job, result, plan.key, attempts=result.attempts if made else 0))

    async def fail(plan: _Plan, exc: SynthesisError) -> None:
        if plan.failed:
            return
        plan.failed = True
        job = jobs[plan.indexes[0]]
        attempts = getattr(exc, "attempts", 1)
        if fallback is None:
            failures.append((plan.indexes[0], exc))
            return
        fb_voice = job.fallback_voice or default_fallback_voice(job.voice)
        fb_rate = job.rate if job.fallback_rate is None else job.fallback_rate
        fb_pitch = job.pitch if job.fallback_pitch is None else job.fallback_pitch
        fb_key = key_for(fallback, job.text, fb_voice, fb_rate, fb_pitch)
        hit = cache.get(fb_key)
        try:
            result = hit if hit is not None else await run(fallback, job.text, fb_voice, fb_rate, fb_pitch, fb_key,
                                                           job)
        except SynthesisError as fb_exc:
            failures.append((plan.indexes[0], SynthesisError(f"{exc}; fallback {fallback.name} failed too: {fb_exc}")))
            return
        result = replace(result, fallback=True)
        deliver(plan, SegmentAudio(job, result, fb_key, attempts=attempts, fallback_reason=str(exc)))

    background: set[asyncio.Task] = set()

    async def one(ck: str) -> None:
        nonlocal made_chunks
        users = [(plan, pos) for plan, pos in work[ck] if not plan.failed]
        if not users:
            return  # its segment already failed (and fell back, or stops the build)
        plan, pos = users[0]
        job = jobs[plan.indexes[0]]
        tmp = cache.temp_wav()
        try:
            result = await speak(engine, plan.chunks[pos], job.voice, job.rate, job.pitch, tmp)
        except BaseException as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if not isinstance(exc, SynthesisError):
                raise
            for p, _ in users:
                await fail(p, exc)
            return
        made_chunks += 1
        # Caching and joining happen beside the next request: this worker goes back to the queue.
        task = asyncio.create_task(deliver_chunk(ck, users, tmp, result, job))
        background.add(task)
        task.add_done_callback(background.discard)

    async def deliver_chunk(ck: str, users, tmp: Path, result: SynthResult, job: SynthJob) -> None:
        stored = await store(ck, tmp, result, users[0][0].chunks[users[0][1]], job)
        for p, i in users:
            p.results[i] = stored
            p.made[i] = True
            if p.remaining() == 0 and not p.failed:
                await complete(p)

    async def worker() -> None:
        nonlocal stop
        while queue and not stop:
            await one(queue.pop())
            if failures:
                stop = True  # finish what is in flight (it gets cached), start nothing new

    if on_work is not None and queue and pool is None:
        on_work()
    tasks = [asyncio.create_task(worker()) for _ in range(workers)]
    try:
        for plan in ready:
            await complete(plan)
        await asyncio.gather(*tasks)
        while background:
            await asyncio.gather(*list(background))
    except BaseException:
        for w in [*tasks, *background]:
            w.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(*tasks, *background, return_exceptions=True)
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    if failures:
        failures.sort(key=lambda f: f[0])
        index, exc = failures[0]
        made = sum(1 for r in results if r is not None and not r.cached)
        more = f" ({len(failures) - 1} other segment(s) failed too)" if len(failures) > 1 else ""
        kept = f"; the {made} segment(s) made before stopping are cached: run again to resume" if made else ""
        err = SynthesisError(f"{jobs[index].label()}: {exc}{more}{kept}")
        err.segment = index  # type: ignore[attr-defined]  # ad hoc: SynthesisError declares no fields
        raise err
    missing = [i for i, r in enumerate(results) if r is None]
    if missing:  # pragma: no cover - a bug, not a user error
        raise AudioEditionError(f"internal error: segments {missing} were never synthesized")
    synthesis: dict = {"engine": engine.name, "chunk_chars": [lo, hi], "chunks": n_chunks,
                       "chunks_synthesized": made_chunks, "seconds": round(time.perf_counter() - started, 2)}
    if limiter is not None:
        synthesis["concurrency"] = limiter.report()
    elif made_chunks:
        synthesis["workers"] = {"count": workers, "processes": pool is not None}
    return SynthBatch(results, synthesis)

"""Production engine: Microsoft Edge's online neural voices through the ``edge_tts`` client.

The service throttles (429), refuses handshakes (403), drops connections mid-stream — the
client then returns *truncated audio without an exception* — and stalls (aiohttp disables
the read timeout on websockets, so a stalled stream would hang forever). So every attempt:

- uses a fresh ``edge_tts.Communicate`` (a Communicate streams only once);
- runs under a deadline around the whole stream (``asyncio.wait_for``), scaled with the
  text's length (``deadline + deadline_per_char × characters``);
- is decoded to WAV by the bundled ffmpeg as it streams in (the MP3 never touches the disk), at
  the mixer's 44.1 kHz in that same call (the only resampling edge's audio goes through), then
  checked for completeness: the audio must
  cover the last boundary and the boundaries must cover the text. An incomplete result is
  a failed attempt, never a result.

Failed attempts are retried with exponential backoff and jitter (5 attempts by default) on
handshake errors (403, 429, 5xx), dropped connections, timeouts, ``NoAudioReceived`` and
incomplete audio. A voice that does not exist ends the segment at once with a one-line
error naming it and the closest voices of its locale. Long texts are split at sentence
boundaries and synthesized piece by piece (each piece with its own retries), then joined.

Audio never stays in memory: MP3 chunks stream to a temporary file beside ``out_path``.
Concurrency across segments belongs to the runner (``engines/runner.py``), which calls
:meth:`EdgeEngine.asynthesize` from one event loop and bounds the requests in flight with
``engine.limiter`` (the pieces of a long text share that bound).
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import errno
import json
import os
import random
import re
import time
import unicodedata
import wave
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import cast

from ..errors import SynthesisError, UsageError
from ..ffmpeg import ffmpeg_exe
from ..fsutil import CACHE_DIR, atomic_write_text
from ..models import Boundary, SynthResult
from ..normalize.lexicon import apply_engine_lexicon, engine_lexicon_tag
from .chunks import join_wavs, split_text
from .concurrency import AdaptiveLimiter

STREAM_RATE = 24000  # edge's audio-24khz-48kbitrate-mono-mp3
# The WAV it is decoded to, in the same ffmpeg call that decodes the stream: the mixer's rate
# (mix.MIX_RATE), so the mixer plays edge's audio without resampling it again.
SAMPLE_RATE = 44100
TICKS_PER_SECOND = 10_000_000
VOICE_LIST_MAX_AGE = 24 * 3600  # the voice list is cached for a day
DEFAULT_CACHE_DIR = CACHE_DIR  # fsutil's one definition

# What TTSConfig in edge_tts accepts as a short name: lang-REGION[-Sub]-NameNeural.
_EDGE_VOICE = re.compile(r"^([a-z]{2,})-([A-Z]{2,})-(.+Neural)$")
_WORD = re.compile(r"\w+")


class Incomplete(Exception):
    """An attempt returned audio that does not cover the text: a silent truncation."""


class NoBoundaries(Incomplete):
    """Audio came, but not one boundary of the kind asked for."""


def edge_version() -> str:
    try:
        import edge_tts

        return f"edge-tts {edge_tts.__version__}"
    except ImportError:  # pragma: no cover - a dependency of the package
        return "edge-tts (missing)"


def is_edge_voice(voice: str) -> bool:
    return bool(_EDGE_VOICE.match(voice or ""))


def edge_rate(rate: int) -> str:
    """Relative rate in percent → edge's prosody rate (``+10%``)."""
    return f"{int(rate):+d}%"


def edge_pitch(pitch: int) -> str:
    """Relative pitch in percent → edge's prosody pitch in Hz (about 1.5 Hz per percent)."""
    return f"{round(int(pitch) * 1.5):+d}Hz"


def deadline_for(text: str, base: float, per_char: float) -> float:
    return base + per_char * len(text)


def backoff_delay(attempt: int, base: float, cap: float, rng: Callable[[], float] = random.random,
                  retry_after: float | None = None) -> float:
    """Delay before attempt ``attempt + 1``: exponential, capped, with jitter in [50 %, 100 %]."""
    delay = min(cap, base * 2 ** (attempt - 1)) * (0.5 + 0.5 * rng())
    if retry_after is not None:
        delay = max(delay, min(cap, retry_after))
    return delay


# --- completeness --------------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WORD.findall(folded)


def completeness_problem(text: str, boundaries: tuple[Boundary, ...] | list[Boundary], duration: float,
                         tolerance: float = 0.08) -> str | None:
    """Why this result is incomplete, or None if it covers the text.

    - the audio must last at least until the end of the last boundary (``tolerance`` s);
    - the boundaries, matched in order against the words of the text, must reach its last
      word: a stream cut after some boundaries leaves the text's tail uncovered.
    """
    words = _tokens(text)
    if not words:
        return None if duration > 0 else "no audio"
    if duration <= 0:
        return "no audio"
    if not boundaries:
        return "no word or sentence boundaries"
    last = max(b.offset + b.duration for b in boundaries)
    if duration + tolerance < last:
        return f"audio stops at {duration:.2f}s but the last boundary ends at {last:.2f}s"
    pos = 0  # next unmatched word of the text
    window = 40
    for b in boundaries:
        for tok in _tokens(b.text):
            try:
                j = words.index(tok, pos, min(len(words), pos + window))
            except ValueError:
                continue  # the service may say something the text does not spell out
            pos = j + 1
    if pos < len(words):
        said = " ".join(words[max(0, pos - 3):pos]) or "nothing"
        return f"boundaries stop after “{said}”, {len(words) - pos} of {len(words)} words unspoken"
    return None


# --- ffmpeg --------------------------------------------------------------------------------

# the one definition of the ffmpeg path is audio_edition.ffmpeg.ffmpeg_exe (imported above)


async def decode_mp3(src: str | Path, dst: str | Path, sample_rate: int = SAMPLE_RATE, timeout: float = 120) -> float:
    """Decode an MP3 to mono 16-bit WAV with the bundled ffmpeg; return its duration."""
    proc = await asyncio.create_subprocess_exec(
        ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-i", str(src), "-vn",
        "-ac", "1", "-ar", str(sample_rate), "-c:a", "pcm_s16le", "-f", "wav", str(dst),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    try:
        _, err = await asyncio.wait_for(proc.communicate(), timeout)
    except (TimeoutError, asyncio.CancelledError):
        with contextlib.suppress(ProcessLookupError):
            proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
        raise Incomplete(f"ffmpeg could not decode the audio ({lines[-1] if lines else proc.returncode})")
    try:
        with wave.open(str(dst), "rb") as w:
            return w.getnframes() / w.getframerate()
    except (OSError, EOFError, wave.Error) as exc:
        raise Incomplete(f"decoded audio is unreadable: {exc}") from None


class StreamDecoder:
    """The bundled ffmpeg decoding MP3 bytes to a mono 16-bit WAV as they arrive.

    Started before the request, fed while the audio streams in, finished right after: the
    MP3 is decoded once, on the fly, and never written to disk.
    """

    def __init__(self, dst: str | Path, sample_rate: int = SAMPLE_RATE) -> None:
        """Start ffmpeg (in the background: the request does not wait for the process)."""
        self.dst = str(dst)
        self.broken = False
        self.proc: asyncio.subprocess.Process | None = None
        self._spawn = asyncio.ensure_future(asyncio.create_subprocess_exec(
            ffmpeg_exe(), "-hide_banner", "-nostdin", "-v", "error", "-y", "-f", "mp3", "-i", "pipe:0", "-vn",
            "-ac", "1", "-ar", str(sample_rate), "-c:a", "pcm_s16le", "-f", "wav", self.dst,
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        ))

    async def _started(self) -> asyncio.subprocess.Process:
        if self.proc is None:
            self.proc = await self._spawn
        return self.proc

    async def write(self, data: bytes) -> None:
        proc = await self._started()
        if self.broken:
            return
        assert proc.stdin is not None  # spawned with stdin=PIPE
        try:
            proc.stdin.write(data)
            await proc.stdin.drain()
        except (BrokenPipeError, ConnectionResetError):
            self.broken = True  # ffmpeg gave up: finish() says why

    async def finish(self, timeout: float = 120) -> float:
        """Close the input, wait for the WAV; return its duration (Incomplete if undecodable)."""
        proc = await self._started()
        assert proc.stdin is not None and proc.stderr is not None  # spawned with stdin=PIPE, stderr=PIPE
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            proc.stdin.close()
        try:
            err = await asyncio.wait_for(proc.stderr.read(), timeout)
            await asyncio.wait_for(proc.wait(), timeout)
        except BaseException:
            await self.kill()
            raise
        if proc.returncode != 0:
            lines = [ln for ln in err.decode("utf-8", "replace").splitlines() if ln.strip()]
            raise Incomplete(f"ffmpeg could not decode the audio ({lines[-1] if lines else proc.returncode})")
        try:
            with wave.open(self.dst, "rb") as w:
                return w.getnframes() / w.getframerate()
        except (OSError, EOFError, wave.Error) as exc:
            raise Incomplete(f"decoded audio is unreadable: {exc}") from None

    async def kill(self) -> None:
        if self.proc is None:
            try:
                self.proc = await self._spawn
            except Exception:  # noqa: BLE001 - it never started: nothing to kill
                return
        if self.proc.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.proc.kill()
            await self.proc.wait()


def concat_wavs(parts: list[str], out_path: str) -> float:
    """Join mono 16-bit WAVs of one sample rate into ``out_path``, sample-exact; return duration."""
    frames, rate = join_wavs(parts, out_path)
    return frames / (rate or SAMPLE_RATE)


# --- voice list ----------------------------------------------------------------------------

async def fetch_voice_list() -> list[dict]:
    import edge_tts

    return cast(list[dict], await edge_tts.list_voices())  # edge_tts's Voice TypedDicts, used as plain dicts


async def list_voices(cache_file: str | Path | None = None, *, max_age: float = VOICE_LIST_MAX_AGE,
                      refresh: bool = False) -> list[dict]:
    """Edge's voice list, cached in ``cache_file`` for ``max_age`` seconds.

    A stale cache is still used when the service cannot be reached; with neither, raises
    SynthesisError.
    """
    path = Path(cache_file) if cache_file else DEFAULT_CACHE_DIR / "voices" / "edge.json"
    cached = None
    with contextlib.suppress(OSError, ValueError):
        cached = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(cached, list):
            cached = None
    if cached is not None and not refresh:
        with contextlib.suppress(OSError):
            if time.time() - path.stat().st_mtime < max_age:
                return cached
    try:
        voices = await fetch_voice_list()
    except Exception as exc:  # network, TLS, HTTP, JSON: all mean "no fresh list"
        if cached is not None:
            return cached
        raise SynthesisError(f"cannot fetch edge's voice list ({_describe(exc)}); are you online?") from None
    with contextlib.suppress(Exception):
        atomic_write_text(path, json.dumps(voices, ensure_ascii=False))
    return voices


def closest_voices(voice: str, voices: list[dict], n: int = 3) -> list[str]:
    """Existing voices of ``voice``'s locale (else language), the most similar names first."""
    m = _EDGE_VOICE.match(voice)
    locale = f"{m.group(1)}-{m.group(2)}" if m else voice.split("-")[0]
    lang = locale.split("-")[0]
    names = [v["ShortName"] for v in voices if v.get("Locale") == locale] or [
        v["ShortName"] for v in voices if str(v.get("Locale", "")).split("-")[0] == lang]
    close = difflib.get_close_matches(voice, names, n=n, cutoff=0.0)
    return close or sorted(names)[:n]


def unknown_voice_message(voice: str, voices: list[dict]) -> str:
    close = closest_voices(voice, voices)
    m = _EDGE_VOICE.match(voice)
    where = f"{m.group(1)}-{m.group(2)}" if m else "its language"
    if close:
        return f"edge voice {voice} does not exist (any more); closest {where} voices: {', '.join(close)}"
    return f"edge voice {voice} does not exist and edge has no {where} voice (see: audio-edition voices)"


# --- the engine ----------------------------------------------------------------------------

def _describe(exc: BaseException) -> str:
    """One line for an attempt's failure."""
    import aiohttp

    if isinstance(exc, aiohttp.WSServerHandshakeError):
        return f"handshake refused (HTTP {exc.status})"
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"HTTP {exc.status}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = getattr(exc.os_error, "strerror", None) or exc.os_error
        return f"cannot connect to {exc.host} ({reason})"
    if isinstance(exc, asyncio.TimeoutError):
        return "timed out (stalled stream)"
    if isinstance(exc, Incomplete):
        return f"incomplete audio: {exc}"
    name = type(exc).__name__
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{name}: {text}" if text else name


def _retry_after(exc: BaseException) -> float | None:
    headers = getattr(exc, "headers", None)
    if not headers:
        return None
    with contextlib.suppress(TypeError, ValueError):
        return float(headers.get("Retry-After"))
    return None


LOCAL_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.ENOTDIR, errno.EISDIR, errno.EMFILE,
                errno.ENFILE}


def _retryable(exc: BaseException) -> bool:
    import aiohttp
    from edge_tts import exceptions as ex

    if isinstance(exc, aiohttp.ClientResponseError):  # includes WSServerHandshakeError
        return exc.status in (403, 408, 429) or exc.status >= 500
    if isinstance(exc, OSError) and exc.errno in LOCAL_ERRNOS:
        return False  # our disk, not the service: retrying cannot help (the build maps it to one line)
    return isinstance(exc, (
        aiohttp.ClientError, OSError, asyncio.TimeoutError, Incomplete, ex.NoAudioReceived,
        ex.WebSocketError, ex.UnexpectedResponse, ex.UnknownResponse, ex.SkewAdjustmentError,
    ))


def _pushback(exc: BaseException) -> str | None:
    """The service pushing back (throttle, refusal, reset, stall), as a short reason; else None."""
    import aiohttp

    if isinstance(exc, aiohttp.ClientResponseError):
        if exc.status in (403, 429) or exc.status >= 500:
            return f"HTTP {exc.status}"
        return None
    if isinstance(exc, asyncio.TimeoutError):
        return "timeout"
    if isinstance(exc, (aiohttp.ClientError, ConnectionError)):
        return "connection reset"
    if isinstance(exc, Incomplete) and not isinstance(exc, NoBoundaries):
        return "stream cut"
    return None


def _service_error(exc: BaseException) -> bool:
    """A failure the service or the client reported (not a bug of ours): fatal, but one line."""
    import aiohttp
    from edge_tts import exceptions as ex

    return isinstance(exc, (aiohttp.ClientResponseError, ex.EdgeTTSException))


class EdgeEngine:
    """Microsoft Edge neural voices, with retries, deadlines and a completeness check.

    Options (all keyword, all with production defaults; tests shrink the delays):

    - ``attempts`` (5): tries per text piece before giving up;
    - ``backoff`` (1.0 s), ``backoff_max`` (30 s): exponential backoff with jitter;
    - ``deadline`` (20 s) + ``deadline_per_char`` (0.03 s): bound on one whole attempt;
    - ``max_chars`` (1500): longer texts are split at sentence boundaries;
    - ``boundary`` ("word" or "sentence"): the boundaries asked of the service; if it sends
      audio without a single word boundary, the engine asks for sentences from then on;
    - ``cache_dir``: where the voice list is cached (``<cache_dir>/voices/edge.json``);
    - ``check_completeness`` (True): never turn this off in production.
    """

    name = "edge"
    # (min, max) characters per chunk the runner sends as one request: about 40 to 100 s of
    # speech, so a long story streams as several requests in parallel, each long enough that
    # the request's own latency is a few per cent of it (measured against the fake at 150 ms
    # and 20x: 300-800 made 43 requests and took 9.1 s, 600-1500 made 30 and took 8.8 s; 200-500, 9.5 s)
    chunk_chars = (600, 1500)
    output_format = f"wav-s16le-mono-{SAMPLE_RATE}"

    def __init__(self, *, attempts: int = 5, backoff: float = 1.0, backoff_max: float = 30.0,
                 deadline: float = 20.0, deadline_per_char: float = 0.03, max_chars: int = 1500,
                 boundary: str = "word", cache_dir: str | Path | None = None, connect_timeout: int = 10,
                 check_completeness: bool = True, sleep: Callable[[float], Awaitable[None]] | None = None,
                 rng: Callable[[], float] = random.random, lexicon=None, **_ignored) -> None:
        if attempts < 1:
            raise UsageError("edge: attempts must be at least 1")
        if boundary not in ("word", "sentence"):
            raise UsageError(f"edge: boundary must be 'word' or 'sentence', not {boundary!r}")
        if max_chars < 100:
            raise UsageError("edge: max_chars must be at least 100")
        self.lexicon = lexicon  # the show's lexicon: its [lexicon.edge] table adds to the built-in one
        self.version = f"{edge_version()}; {engine_lexicon_tag(self.name, lexicon)}"
        self.attempts = attempts
        self.backoff = backoff
        self.backoff_max = backoff_max
        self.deadline = deadline
        self.deadline_per_char = deadline_per_char
        self.max_chars = max_chars
        self.boundary = boundary
        self.boundary_now = boundary  # becomes "sentence" if the service sends no word boundaries
        self.output_format = f"{EdgeEngine.output_format};{boundary}-boundaries"
        self.cache_dir = Path(cache_dir) if cache_dir else DEFAULT_CACHE_DIR
        self.connect_timeout = connect_timeout
        self.check_completeness = check_completeness
        self._sleep = sleep or asyncio.sleep
        self._rng = rng
        self._voices: list[dict] | None = None
        # Bounds requests in flight across everything this engine does; the runner sets it
        # to an AdaptiveLimiter (tests: an asyncio.Semaphore) inside its event loop.
        self.limiter: AdaptiveLimiter | asyncio.Semaphore | None = None

    # -- public API --

    def synthesize(self, text: str, voice: str, rate: int, pitch: int, out_path: str) -> SynthResult:
        """Blocking form of :meth:`asynthesize` (not from inside a running event loop)."""
        return asyncio.run(self.asynthesize(text, voice, rate, pitch, out_path))

    async def asynthesize(self, text: str, voice: str, rate: int, pitch: int, out_path: str) -> SynthResult:
        """Synthesize ``text`` into the WAV ``out_path``; raise SynthesisError after the retries.

        The raised error carries ``attempts`` (how many requests were made).
        """
        text = apply_engine_lexicon(text, self.name, voice, self.lexicon)  # the very last text step
        if not text.strip():
            raise SynthesisError("edge: nothing to say (empty text)")
        if not is_edge_voice(voice):
            raise SynthesisError(f"edge: {voice!r} is not an edge voice name (they look like "
                                 f"fr-FR-DeniseNeural; espeak voices need --engine espeak)")
        pieces = split_text(text, self.max_chars)
        if len(pieces) == 1:
            return await self._piece(pieces[0], voice, rate, pitch, out_path)
        out = Path(out_path)
        parts = [str(out.with_name(f"{out.name}.part{i}.wav")) for i in range(len(pieces))]
        # Pieces go out concurrently; each request still takes a permit from `limiter`,
        # so the total number of requests in flight never exceeds the runner's bound.
        tasks = [asyncio.ensure_future(self._piece(piece, voice, rate, pitch, part))
                 for piece, part in zip(pieces, parts, strict=False)]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            failed = [e for t in tasks if t.done() and not t.cancelled() and (e := t.exception()) is not None]
            if failed:
                raise failed[0]
            results = [t.result() for t in tasks]
            duration = concat_wavs(parts, str(out))
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for p in parts:
                with contextlib.suppress(OSError):
                    os.unlink(p)
        boundaries: list[Boundary] = []
        shift = 0.0
        for r in results:
            boundaries.extend(Boundary(b.offset + shift, b.duration, b.text, b.kind) for b in r.boundaries)
            shift += r.duration
        retries = sum(r.attempts - 1 for r in results)
        return SynthResult(audio_path=str(out), sample_rate=SAMPLE_RATE, duration=duration,
                           boundaries=tuple(boundaries), engine=self.name, voice=voice, attempts=1 + retries)

    async def voice_exists(self, voice: str) -> bool | None:
        """True/False from edge's (cached) voice list; None if the list is unavailable."""
        try:
            voices = await self.voices()
        except SynthesisError:
            return None
        return any(v.get("ShortName") == voice for v in voices)

    async def voices(self, refresh: bool = False) -> list[dict]:
        if self._voices is None or refresh:
            self._voices = await list_voices(self.cache_dir / "voices" / "edge.json", refresh=refresh)
        return self._voices

    # -- one piece, with retries --

    async def _piece(self, text: str, voice: str, rate: int, pitch: int, out_path: str) -> SynthResult:
        deadline = deadline_for(text, self.deadline, self.deadline_per_char)
        failures: list[str] = []
        checked_voice = False
        decoder: StreamDecoder | None = None
        try:
            for attempt in range(1, self.attempts + 1):
                decoder = None
                try:
                    limiter = self.limiter
                    decoder = StreamDecoder(out_path)  # spawned while waiting for a slot and the first byte
                    async with limiter or contextlib.nullcontext():
                        boundaries, first_byte = await asyncio.wait_for(
                            self._stream(text, voice, rate, pitch, decoder), deadline)
                    if limiter is not None and hasattr(limiter, "success"):
                        limiter.success(first_byte)
                    duration = await decoder.finish()
                    if self.check_completeness:
                        problem = completeness_problem(text, boundaries, duration)
                        if problem:
                            raise (NoBoundaries if not boundaries and duration > 0 else Incomplete)(problem)
                    return SynthResult(audio_path=str(out_path), sample_rate=SAMPLE_RATE, duration=duration,
                                       boundaries=tuple(boundaries), engine=self.name, voice=voice,
                                       attempts=attempt)
                except Exception as exc:
                    if decoder is not None:
                        await decoder.kill()
                    reason = _pushback(exc)
                    if reason and self.limiter is not None and hasattr(self.limiter, "throttled"):
                        self.limiter.throttled(reason)
                    if not _retryable(exc):
                        if _service_error(exc):
                            err = SynthesisError(f"edge ({voice}): {_describe(exc)}")
                            err.attempts = attempt  # type: ignore[attr-defined]  # ad hoc, read by getattr
                            raise err from None
                        raise
                    failures.append(_describe(exc))
                    if isinstance(exc, NoBoundaries) and self.boundary_now == "word":
                        # The service has been seen to stop sending WordBoundary events; sentence
                        # boundaries still prove completeness. Switch for the rest of this build.
                        self.boundary_now = "sentence"
                    from edge_tts.exceptions import NoAudioReceived

                    if isinstance(exc, NoAudioReceived) and not checked_voice:
                        checked_voice = True
                        if await self.voice_exists(voice) is False:
                            err = SynthesisError(unknown_voice_message(voice, await self.voices()))
                            err.attempts = attempt  # type: ignore[attr-defined]  # ad hoc, read by getattr
                            raise err from None
                    if attempt < self.attempts:
                        await self._sleep(backoff_delay(attempt, self.backoff, self.backoff_max, self._rng,
                                                        _retry_after(exc)))
        except BaseException:
            if decoder is not None:
                with contextlib.suppress(Exception):
                    await asyncio.shield(decoder.kill())
            with contextlib.suppress(OSError):
                os.unlink(out_path)  # never leave a clipped sentence behind
            raise
        with contextlib.suppress(OSError):
            os.unlink(out_path)
        last = failures[-1] if failures else "unknown error"
        distinct = sorted(set(failures), key=failures.index)
        detail = last if len(distinct) == 1 else f"{last} (earlier: {'; '.join(distinct[:-1][:3])})"
        err = SynthesisError(f"edge ({voice}) failed {self.attempts} times: {detail}")
        err.attempts = self.attempts  # type: ignore[attr-defined]  # ad hoc, read by getattr
        raise err

    async def _stream(self, text: str, voice: str, rate: int, pitch: int,
                      sink: StreamDecoder) -> tuple[list[Boundary], float | None]:
        """One attempt: a fresh Communicate, its audio streamed into ``sink`` (the decoder).

        Returns the boundaries and the seconds until the first audio arrived."""
        import edge_tts

        comm = edge_tts.Communicate(
            text, voice, rate=edge_rate(rate), pitch=edge_pitch(pitch),
            boundary="WordBoundary" if self.boundary_now == "word" else "SentenceBoundary",
            connect_timeout=self.connect_timeout, receive_timeout=max(1, int(self.deadline)),
        )
        boundaries: list[Boundary] = []
        sent = time.monotonic()
        first_byte = None
        async with contextlib.aclosing(comm.stream()) as stream:
            async for chunk in stream:
                kind = chunk.get("type")
                if kind == "audio":
                    if first_byte is None:
                        first_byte = time.monotonic() - sent
                    await sink.write(chunk["data"])
                elif kind in ("WordBoundary", "SentenceBoundary"):
                    boundaries.append(Boundary(
                        offset=chunk["offset"] / TICKS_PER_SECOND,
                        duration=chunk["duration"] / TICKS_PER_SECOND,
                        text=chunk["text"],
                        kind="word" if kind == "WordBoundary" else "sentence",
                    ))
        return boundaries, first_byte

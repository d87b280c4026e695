"""A fake of Microsoft Edge's read-aloud TTS service, on 127.0.0.1, for tests and benchmarks.

It speaks the protocol the real ``edge_tts`` client speaks (read from edge_tts/communicate.py
and voices.py), so tests drive the *unmodified* client against it:

- ``GET  /voices/list?trustedclienttoken=…&Sec-MS-GEC=…`` → the voice list (JSON);
- ``GET  /edge/v1?TrustedClientToken=…&ConnectionId=…&Sec-MS-GEC=…`` → websocket. The client
  sends a ``Path:speech.config`` text message, then ``Path:ssml`` with the SSML; the service
  answers ``turn.start``, ``audio.metadata`` JSON (boundary offsets in 100-ns ticks), binary
  frames ``<2-byte header length><headers incl. Path:audio>`` followed by MP3 bytes, an empty
  audio frame, then ``turn.end``.

The audio is real MP3 (24 kHz mono 48 kbit/s CBR, the format the client asks for): a prefix of
a tone encoded once per process by the bundled ffmpeg, cut at frame boundaries (144 bytes =
24 ms each), as long as the word timings say. So the decoded duration matches the boundaries,
and a truncated stream decodes to truncated audio, exactly as with the real service.

Audio is streamed at ``speed`` × real time (default 20×, roughly the real service) after
``latency`` seconds per request. Faults are injected per request with :meth:`add_fault`:

==========  ================================================================================
``403``     refuse the websocket handshake with 403 (the client retries once internally)
``429``     refuse the handshake with 429 Too Many Requests (``Retry-After: 0``)
``drop``    close the websocket cleanly part-way through the audio (the client then returns
            the truncated audio *without* an exception)
``reset``   abort the TCP connection part-way through the audio
``stall``   stop sending part-way through the audio, without closing
``noaudio`` answer ``turn.start`` / ``turn.end`` with no audio (the client raises NoAudioReceived)
``503``     answer the voice list with 503 Service Unavailable
==========  ================================================================================

A flaky service: :meth:`flaky` gives every fault kind a probability per request (the issue's
"each fault at 20 %"), drawn from a ``random.Random`` seeded per request from ``seed`` and the
request's number, so a run with one request at a time is exactly reproducible.

Voices absent from the voice list also get no audio, like the real service.

In another process: ``python -m tests.fakes.edge_service --speed 20 --latency 0.15`` prints the URLs
to patch as one JSON line; ``GET /stats`` returns what it saw.

Usage::

    with FakeEdgeService(speed=20, latency=0.15) as svc, svc.patched():
        await edge_tts.Communicate("Bonjour", "fr-FR-DeniseNeural").save("a.mp3")
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import struct
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.sax.saxutils import unescape

from aiohttp import WSMsgType, web

FRAME_SECONDS = 576 / 24000  # one MPEG-2 layer III frame at 24 kHz
TICKS = 10_000_000  # 100-ns ticks per second

FAULT_KINDS = ("403", "429", "drop", "reset", "stall", "noaudio", "503")
HANDSHAKE_FAULTS = ("403", "429")
STREAM_FAULTS = ("drop", "reset", "stall", "noaudio")
VOICE_LIST_FAULTS = ("503",)

DEFAULT_VOICES = [
    ("fr-FR", "DeniseNeural", "Female"),
    ("fr-FR", "HenriNeural", "Male"),
    ("fr-FR", "EloiseNeural", "Female"),
    ("fr-FR", "RemyMultilingualNeural", "Male"),
    ("fr-FR", "VivienneMultilingualNeural", "Female"),
    ("fr-CA", "SylvieNeural", "Female"),
    ("fr-CA", "AntoineNeural", "Male"),
    ("fr-BE", "CharlineNeural", "Female"),
    ("en-US", "AriaNeural", "Female"),
    ("en-US", "GuyNeural", "Male"),
    ("en-US", "JennyNeural", "Female"),
    ("en-US", "EmmaMultilingualNeural", "Female"),
    ("en-GB", "SoniaNeural", "Female"),
    ("en-GB", "RyanNeural", "Male"),
    ("de-DE", "KatjaNeural", "Female"),
]


def voice_entry(locale: str, name: str, gender: str) -> dict:
    lang, region = locale.split("-", 1)
    return {
        "Name": f"Microsoft Server Speech Text to Speech Voice ({locale}, {name})",
        "ShortName": f"{locale}-{name}",
        "Gender": gender,
        "Locale": locale,
        "SuggestedCodec": "audio-24khz-48kbitrate-mono-mp3",
        "FriendlyName": f"Microsoft {name[:-6]} Online (Natural) - {lang} ({region})",
        "Status": "GA",
        "VoiceTag": {"ContentCategories": ["General"], "VoicePersonalities": ["Friendly", "Positive"]},
    }


# --- audio -----------------------------------------------------------------------------------

_base_lock = threading.Lock()
_base_frames: list[bytes] = []


def _ffmpeg() -> str:
    import imageio_ffmpeg

    return imageio_ffmpeg.get_ffmpeg_exe()


def _split_frames(data: bytes) -> list[bytes]:
    """Cut an MPEG-2 layer III 24 kHz stream into its frames (by parsing each header)."""
    frames, i = [], 0
    rates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]  # kbit/s, MPEG-2 L3
    while i + 4 <= len(data):
        h = struct.unpack(">I", data[i : i + 4])[0]
        if (h >> 21) & 0x7FF != 0x7FF:
            raise ValueError(f"lost MP3 frame sync at byte {i}")
        bitrate = rates[(h >> 12) & 0xF] * 1000
        padding = (h >> 9) & 1
        size = 72 * bitrate // 24000 + padding
        frames.append(data[i : i + size])
        i += size
    return frames


def mp3_frames(seconds: float) -> list[bytes]:
    """At least ``seconds`` of real MP3 frames (24 kHz mono 48 kbit/s CBR), encoded once."""
    global _base_frames
    need = int(seconds / FRAME_SECONDS) + 2
    with _base_lock:
        if len(_base_frames) < need:
            duration = max(120.0, need * FRAME_SECONDS * 2)
            # A 180 Hz tone with a 3 Hz tremolo: clearly audible, not silence, cheap to encode.
            proc = subprocess.run(
                [_ffmpeg(), "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
                 f"sine=frequency=180:sample_rate=24000:duration={duration:.3f}",
                 "-af", "tremolo=f=3:d=0.6", "-ac", "1", "-ar", "24000", "-c:a", "libmp3lame",
                 "-b:a", "48k", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", "-"],
                capture_output=True, check=True,
            )
            _base_frames = _split_frames(proc.stdout)
        return _base_frames


# --- speech timing model ---------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    text: str
    offset: float  # seconds
    duration: float


_TOKEN = re.compile(r"\S+")
_EDGE_PUNCT = "«»“”\"'()[]{}.,;:!?…—–-"


def plan_words(text: str, rate_factor: float = 1.0) -> tuple[list[Word], float]:
    """Word timings for ``text`` (about 14 characters a second at rate 0) and total duration."""
    t = 0.1 / rate_factor
    words: list[Word] = []
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        core = token.strip(_EDGE_PUNCT)
        if core:
            d = (0.08 + 0.062 * len(core)) / rate_factor
            words.append(Word(core, t, d))
            t += d
        t += 0.04 / rate_factor
        if token[-1] in ",;:":
            t += 0.15 / rate_factor
        elif token[-1] in ".!?…":
            t += 0.35 / rate_factor
    return words, t + 0.25 / rate_factor


# --- faults and records ----------------------------------------------------------------------

@dataclass
class Fault:
    kind: str
    times: int | None = 1  # None: forever
    match: str | None = None  # only requests whose text contains this (stream faults)
    voice: str | None = None  # only requests for this voice (stream faults)
    at: float = 0.5  # fraction of the audio sent before a drop / reset / stall
    used: int = 0

    def applies(self, text: str | None, voice: str | None) -> bool:
        if self.times is not None and self.used >= self.times:
            return False
        if self.kind in HANDSHAKE_FAULTS or self.kind in VOICE_LIST_FAULTS:
            return True
        if self.match is not None and (text is None or self.match not in text):
            return False
        if self.voice is not None and voice != self.voice:
            return False
        return True


@dataclass
class Request:
    """One websocket connection attempt as the fake saw it."""

    n: int
    outcome: str = "pending"  # ok | 403 | 429 | drop | reset | stall | noaudio | unknown-voice | cancelled
    text: str | None = None
    voice: str | None = None
    rate: str | None = None
    pitch: str | None = None
    boundary: str | None = None  # WordBoundary | SentenceBoundary
    audio_bytes: int = 0
    started: float = 0.0
    ended: float = 0.0


@dataclass
class FakeEdgeService:
    speed: float = 20.0  # audio streamed at this multiple of real time
    latency: float = 0.0  # seconds before the first answer to each SSML request
    chunk_seconds: float = 0.25  # audio per binary message
    metadata: str = "interleaved"  # interleaved | upfront (all boundaries before any audio)
    word_boundaries: bool = True  # False: like a service that stopped sending WordBoundary events
    voices: list[dict] = field(default_factory=lambda: [voice_entry(*v) for v in DEFAULT_VOICES])
    host: str = "127.0.0.1"
    port: int = 0
    requests: list[Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    voice_list_calls: int = 0
    rates: dict[str, float] = field(default_factory=dict)  # fault kind → probability per request
    seed: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._draws = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._stopping: asyncio.Event | None = None

    # -- control (from any thread) --

    def add_fault(self, kind: str, times: int | None = 1, *, match: str | None = None,
                  voice: str | None = None, at: float = 0.5) -> Fault:
        if kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {kind!r}: one of {FAULT_KINDS}")
        fault = Fault(kind, times, match, voice, at)
        with self._lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        with self._lock:
            self.faults.clear()
            self.rates = {}

    def flaky(self, rate: float = 0.2, seed: int = 16, kinds: tuple[str, ...] = FAULT_KINDS) -> None:
        """Every fault in ``kinds`` strikes each request with probability ``rate``, seeded."""
        unknown = set(kinds) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown faults {sorted(unknown)}: one of {FAULT_KINDS}")
        with self._lock:
            self.rates = {k: rate for k in kinds}
            self.seed = seed
            self._draws = 0

    def _random_fault(self, stage: str) -> Fault | None:
        """A fault drawn from ``rates`` for one request at ``stage`` (under the lock)."""
        kinds = {"handshake": HANDSHAKE_FAULTS, "stream": STREAM_FAULTS, "voices": VOICE_LIST_FAULTS}[stage]
        live = [k for k in kinds if self.rates.get(k)]
        if not live:
            return None
        self._draws += 1
        rng = random.Random(f"{self.seed}:{stage}:{self._draws}")
        for kind in live:  # each kind independently: a request meets it with its own probability
            if rng.random() < self.rates[kind]:
                return Fault(kind, times=None, at=rng.uniform(0.1, 0.9))
        return None

    def syntheses(self, outcome: str | None = "ok") -> list[Request]:
        """SSML requests (optionally only those with ``outcome``)."""
        with self._lock:
            return [r for r in self.requests if r.text is not None and (outcome is None or r.outcome == outcome)]

    @property
    def handshakes(self) -> int:
        with self._lock:
            return len(self.requests)

    @property
    def base(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def wss_url(self) -> str:
        return f"ws://{self.base}/edge/v1?TrustedClientToken=6A5AA1D4EAFF4E9FB37E23D68491D6F4"

    @property
    def voice_list_url(self) -> str:
        return f"http://{self.base}/voices/list?trustedclienttoken=6A5AA1D4EAFF4E9FB37E23D68491D6F4"

    @contextlib.contextmanager
    def patched(self) -> Iterator[FakeEdgeService]:
        """Point the real edge_tts client at this fake (where its modules read the URLs)."""
        import edge_tts.communicate
        import edge_tts.voices

        saved = edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST
        edge_tts.communicate.WSS_URL = self.wss_url
        edge_tts.voices.VOICE_LIST = self.voice_list_url
        try:
            yield self
        finally:
            edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST = saved

    def patch(self, monkeypatch) -> None:
        """pytest flavour of :meth:`patched`."""
        monkeypatch.setattr("edge_tts.communicate.WSS_URL", self.wss_url)
        monkeypatch.setattr("edge_tts.voices.VOICE_LIST", self.voice_list_url)

    def start(self) -> FakeEdgeService:
        mp3_frames(1.0)  # encode the tone before anyone measures anything
        ready = threading.Event()
        error: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start())
            except BaseException as exc:  # pragma: no cover - reported to start()
                error.append(exc)
                ready.set()
                return
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-edge-service", daemon=True)
        self._thread.start()
        ready.wait(10)
        if error:
            raise error[0]
        return self

    def stop(self) -> None:
        if self._loop is None or self._thread is None:
            return
        self._loop.call_soon_threadsafe(self._stopping.set)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._thread = None

    def __enter__(self) -> FakeEdgeService:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- server --

    async def _start(self) -> None:
        self._stopping = asyncio.Event()
        app = web.Application()
        app.router.add_get("/edge/v1", self._ws)
        app.router.add_get("/voices/list", self._voice_list)
        app.router.add_get("/stats", self._stats)
        self._runner = web.AppRunner(app, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    def _take_fault(self, stage: str, text: str | None = None, voice: str | None = None) -> Fault | None:
        with self._lock:
            for f in self.faults:
                f_stage = ("handshake" if f.kind in HANDSHAKE_FAULTS else
                           "voices" if f.kind in VOICE_LIST_FAULTS else "stream")
                if f_stage == stage and f.applies(text, voice):
                    f.used += 1
                    return f
            return self._random_fault(stage)

    async def _stats(self, request: web.Request) -> web.Response:
        """What the fake saw, for a client in another process (the benchmark)."""
        with self._lock:
            reqs = [{"n": r.n, "outcome": r.outcome, "chars": len(r.text or ""), "voice": r.voice,
                     "audio_bytes": r.audio_bytes} for r in self.requests]
        return web.json_response({"requests": reqs, "voice_list_calls": self.voice_list_calls})

    async def _voice_list(self, request: web.Request) -> web.Response:
        with self._lock:
            self.voice_list_calls += 1
        fault = self._take_fault("voices")
        if fault is not None:
            return web.Response(status=503, text="Service Unavailable")
        if "Sec-MS-GEC" not in request.query:
            return web.Response(status=403, text="missing Sec-MS-GEC")
        return web.json_response(self.voices)

    async def _ws(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            rec = Request(n=len(self.requests) + 1, started=time.monotonic())
            self.requests.append(rec)
        try:
            return await self._serve(request, rec)
        except (asyncio.CancelledError, ConnectionError):
            if rec.outcome == "pending":
                rec.outcome = "cancelled"
            raise
        finally:
            rec.ended = time.monotonic()

    async def _serve(self, request: web.Request, rec: Request) -> web.StreamResponse:
        if "Sec-MS-GEC" not in request.query or "ConnectionId" not in request.query:
            rec.outcome = "403"
            return web.Response(status=403, text="missing Sec-MS-GEC token")
        fault = self._take_fault("handshake")
        if fault is not None:
            rec.outcome = fault.kind
            if fault.kind == "403":
                return web.Response(status=403, text="Forbidden")  # aiohttp adds a Date header
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": "0"})

        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)

        config = await ws.receive(timeout=10)
        if config.type != WSMsgType.TEXT or "Path:speech.config" not in config.data:
            await ws.close(code=1002, message=b"expected speech.config")
            rec.outcome = "protocol-error"
            return ws
        word_boundary = '"wordBoundaryEnabled":"true"' in config.data
        ssml_msg = await ws.receive(timeout=10)
        if ssml_msg.type != WSMsgType.TEXT or "Path:ssml" not in ssml_msg.data:
            await ws.close(code=1002, message=b"expected ssml")
            rec.outcome = "protocol-error"
            return ws
        head, _, ssml = ssml_msg.data.partition("\r\n\r\n")
        request_id = re.search(r"X-RequestId:(\w+)", head).group(1)
        voice, rate, pitch, text = _parse_ssml(ssml)
        rec.voice, rec.rate, rec.pitch, rec.text = voice, rate, pitch, text
        rec.boundary = "WordBoundary" if word_boundary else "SentenceBoundary"

        if self.latency:
            await asyncio.sleep(self.latency)
        known = any(v["ShortName"] == voice for v in self.voices)
        fault = self._take_fault("stream", text, voice)

        async def send_text(path: str, body: str) -> None:
            await ws.send_str(
                f"X-RequestId:{request_id}\r\nContent-Type:application/json; charset=utf-8\r\n"
                f"Path:{path}\r\n\r\n{body}"
            )

        async def send_audio(data: bytes) -> None:
            headers = f"X-RequestId:{request_id}\r\n"
            if data:
                headers += "Content-Type:audio/mpeg\r\n"
            headers += f"X-StreamId:{uuid.uuid4().hex.upper()}\r\nPath:audio\r\n"
            h = headers.encode()
            await ws.send_bytes(struct.pack(">H", len(h)) + h + data)

        await send_text("turn.start", '{"context":{"serviceTag":"fake"}}')
        if not known or (fault is not None and fault.kind == "noaudio"):
            rec.outcome = "unknown-voice" if not known else "noaudio"
            await send_text("turn.end", "{}")
            await ws.close()
            return ws

        rate_factor = 1 + int(rate.rstrip("%")) / 100 if rate else 1.0
        words, total = plan_words(text, max(0.3, rate_factor))
        marks = _sentences(text, words) if not word_boundary else [
            (w.text, w.offset, w.duration) for w in words
        ]
        frames = mp3_frames(total)[: max(1, round(total / FRAME_SECONDS))]
        audio_seconds = len(frames) * FRAME_SECONDS
        cut = None
        if fault is not None:
            cut = max(1, int(len(frames) * fault.at))

        if word_boundary and not self.word_boundaries:
            marks = []
        pending = list(marks)
        per_chunk = max(1, round(self.chunk_seconds / FRAME_SECONDS))
        t0 = time.monotonic()
        sent = 0
        if self.metadata == "upfront":
            for m in pending:
                await send_text("audio.metadata", _metadata(rec.boundary, *m))
            pending = []
        while sent < len(frames):
            if cut is not None and sent >= cut:
                rec.outcome = fault.kind
                if fault.kind == "drop":
                    await ws.close()
                elif fault.kind == "reset":
                    request.transport.abort()
                else:  # stall: keep the socket open, send nothing more
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(self._stopping.wait(), timeout=None)
                return ws
            end = min(len(frames), sent + per_chunk)
            if cut is not None:
                end = min(end, cut)
            chunk_end_time = end * FRAME_SECONDS
            while pending and pending[0][1] < chunk_end_time:
                await send_text("audio.metadata", _metadata(rec.boundary, *pending.pop(0)))
            data = b"".join(frames[sent:end])
            await send_audio(data)
            rec.audio_bytes += len(data)
            sent = end
            # pace: audio up to `sent` must not leave before sent_seconds / speed
            due = t0 + sent * FRAME_SECONDS / self.speed
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
        for m in pending:
            await send_text("audio.metadata", _metadata(rec.boundary, *m))
        await send_audio(b"")
        await send_text("turn.end", "{}")
        rec.outcome = "ok"
        assert audio_seconds >= (marks[-1][1] + marks[-1][2] if marks else 0)
        await ws.close()
        return ws


def _metadata(kind: str, text: str, offset: float, duration: float) -> str:
    return json.dumps({"Metadata": [{"Type": kind, "Data": {
        "Offset": round(offset * TICKS), "Duration": round(duration * TICKS),
        "text": {"Text": text, "Length": len(text), "BoundaryType": kind},
    }}]}, ensure_ascii=False)


def _sentences(text: str, words: list[Word]) -> list[tuple[str, float, float]]:
    """SentenceBoundary marks: consecutive words up to one ending a sentence."""
    out, current = [], []
    ends = [m.group(0)[-1] in ".!?…" for m in _TOKEN.finditer(text) if m.group(0).strip(_EDGE_PUNCT)]
    for w, end in zip(words, ends, strict=False):
        current.append(w)
        if end:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return [(" ".join(w.text for w in s), s[0].offset, s[-1].offset + s[-1].duration - s[0].offset) for s in out]


_VOICE = re.compile(r"<voice name='Microsoft Server Speech Text to Speech Voice \(([^,]+), ([^)]+)\)'>")
_PROSODY = re.compile(r"<prosody pitch='([^']*)' rate='([^']*)' volume='([^']*)'>(.*)</prosody>", re.S)


def _parse_ssml(ssml: str) -> tuple[str, str, str, str]:
    v = _VOICE.search(ssml)
    p = _PROSODY.search(ssml)
    if not v or not p:
        raise ValueError(f"unexpected SSML: {ssml[:200]}")
    locale, name = v.group(1), v.group(2)
    return f"{locale}-{name}", p.group(2), p.group(1), unescape(p.group(4))


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - used by bench/
    """``python -m tests.fakes.edge_service [--speed 20] [--latency 0.15]``: serve until killed.

    Prints one JSON line with the URLs to patch into edge_tts, then serves; GET /stats
    returns what it saw.
    """
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--speed", type=float, default=20.0)
    ap.add_argument("--latency", type=float, default=0.0)
    ap.add_argument("--warm", type=float, default=600.0, help="seconds of MP3 to encode before serving")
    args = ap.parse_args(argv)
    mp3_frames(args.warm)
    svc = FakeEdgeService(port=args.port, speed=args.speed, latency=args.latency).start()
    print(json.dumps({"wss_url": svc.wss_url, "voice_list_url": svc.voice_list_url,
                      "stats_url": f"http://{svc.base}/stats"}), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        svc.stop()


if __name__ == "__main__":  # pragma: no cover
    main()


__all__ = ["FakeEdgeService", "Fault", "Request", "plan_words", "mp3_frames", "voice_entry", "DEFAULT_VOICES",
           "FAULT_KINDS"]

"""Offline engine: libespeak-ng from the espeakng-loader wheel, driven through ctypes.

espeak-ng keeps global state (one voice, one callback, one output buffer), so every call
holds a process-wide lock: concurrent callers are serialized and never mix their audio.
Parallelism comes from processes instead: the engine pickles (it holds only its version) and
the runner runs it in a pool of worker processes, each with its own libespeak-ng.
The audio is written straight to PCM WAV, never through an MP3.
"""

from __future__ import annotations

import bisect
import ctypes
import re
import threading
import wave
from array import array
from typing import TypedDict

from ..errors import SynthesisError
from ..models import Boundary, SynthResult
from ..normalize.lexicon import apply_engine_lexicon, engine_lexicon_tag

# espeak_AUDIO_OUTPUT
_AUDIO_OUTPUT_SYNCHRONOUS = 2
# espeak_EVENT_TYPE
_EV_LIST_TERMINATED, _EV_WORD, _EV_SENTENCE, _EV_END, _EV_MSG_TERMINATED = 0, 1, 2, 5, 6
# espeak_PARAMETER
_RATE, _VOLUME, _PITCH = 1, 2, 3
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_OK = 0

DEFAULT_WPM = 175  # espeak's default rate, words per minute
DEFAULT_PITCH = 50  # espeak's 0-100 pitch scale


class _EventId(ctypes.Union):
    _fields_ = [("number", ctypes.c_int), ("name", ctypes.c_char_p), ("string", ctypes.c_char * 8)]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", _EventId),
    ]


_CALLBACK = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))

_lock = threading.Lock()
_lib = None
_sample_rate = 0
_version = "unknown"


class _State(TypedDict):
    pcm: array[int]  # 16-bit samples
    words: list[tuple[int, int, int]]  # (text position, length, audio ms) of each word event


_current: _State | None = None  # state of the synthesis in progress (guarded by _lock)


def _on_synth(wav, numsamples, events):
    state = _current
    if state is None:
        return 0
    if numsamples > 0 and wav:
        state["pcm"].frombytes(ctypes.string_at(wav, numsamples * 2))
    i = 0
    while True:
        ev = events[i]
        if ev.type == _EV_LIST_TERMINATED:
            break
        if ev.type == _EV_WORD:
            state["words"].append((ev.text_position, ev.length, ev.audio_position))
        i += 1
    return 0


_callback_ref = _CALLBACK(_on_synth)  # keep a reference: ctypes must not free it


def _load():
    global _lib, _sample_rate, _version
    if _lib is not None:
        return _lib
    try:
        import espeakng_loader
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise SynthesisError("the espeak engine needs the espeakng-loader package "
                             "(pip install espeakng-loader)") from exc
    try:
        lib = ctypes.CDLL(espeakng_loader.get_library_path())
        data = espeakng_loader.get_data_path().encode()
    except (OSError, RuntimeError) as exc:
        raise SynthesisError(f"cannot load libespeak-ng from espeakng-loader: {exc}") from exc
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetSynthCallback.argtypes = [_CALLBACK]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_Synth.argtypes = [
        ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
        ctypes.c_uint, ctypes.POINTER(ctypes.c_uint), ctypes.c_void_p,
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Info.argtypes = [ctypes.POINTER(ctypes.c_char_p)]
    rate = lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, data, 0)
    if rate <= 0:
        raise SynthesisError("libespeak-ng failed to initialise (espeak_Initialize returned an error)")
    lib.espeak_SetSynthCallback(_callback_ref)
    _version = (lib.espeak_Info(None) or b"unknown").decode(errors="replace")
    _sample_rate = rate
    _lib = lib
    return lib


class _Voice(ctypes.Structure):
    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, language\0)* then \0
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


def _languages(ptr: int | None) -> list[str]:
    out: list[str] = []
    if not ptr:
        return out
    i = 0
    while True:
        priority = ctypes.string_at(ptr + i, 1)[0]
        if priority == 0:
            break
        lang = ctypes.string_at(ptr + i + 1)
        out.append(lang.decode(errors="replace"))
        i += 2 + len(lang)
    return out


def list_espeak_voices(variants: bool = False) -> list[dict]:
    """espeak-ng's voices (``id`` is what ``--voice`` takes), or its variants (``+f3``...)."""
    with _lock:
        lib = _load()
        lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
        lib.espeak_ListVoices.argtypes = [ctypes.POINTER(_Voice)]
        spec = None
        if variants:
            spec_value = _Voice()
            spec_value.languages = ctypes.cast(ctypes.c_char_p(b"variant"), ctypes.c_void_p)
            spec = ctypes.pointer(spec_value)
        arr = lib.espeak_ListVoices(spec)
        voices = []
        i = 0
        while arr and arr[i]:
            v = arr[i].contents
            langs = _languages(v.languages)
            ident = (v.identifier or b"").decode(errors="replace")
            voices.append({
                # the identifier's base name is what espeak_SetVoiceByName accepts ("fr", "en-US")
                "id": ("+" if variants else "") + ident.rsplit("/", 1)[-1],
                "name": (v.name or b"").decode(errors="replace"),
                "language": langs[0] if langs else "",
                "languages": langs,
                "gender": {1: "Male", 2: "Female"}.get(v.gender, ""),
                "identifier": ident,
            })
            i += 1
    return voices


def espeak_version() -> str:
    with _lock:
        _load()
        return _version


def _token_boundaries(text: str, words: list[tuple[int, int, int]], duration: float) -> tuple[Boundary, ...]:
    """One boundary per whitespace-separated token of ``text``, timed by espeak's word events.

    espeak splits and merges words its own way (numbers become several words, elisions
    one), so its events are mapped back onto the text's own tokens, punctuation kept.
    """
    tokens = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", text)]
    if not tokens:
        return ()
    starts = [t[0] for t in tokens]
    first_time: list[float | None] = [None] * len(tokens)
    for pos, _length, audio_ms in words:
        idx = bisect.bisect_right(starts, max(0, pos - 1)) - 1
        if 0 <= idx < len(tokens) and first_time[idx] is None:
            first_time[idx] = audio_ms / 1000.0
    # tokens espeak gave no event for (symbols, merged words) take the previous time
    last = 0.0
    times: list[float] = []
    for t in first_time:
        if t is None or t < last:
            times.append(last)
        else:
            last = t
            times.append(t)
    out = []
    for i, (_start, word) in enumerate(tokens):
        offset = times[i]
        end = times[i + 1] if i + 1 < len(tokens) else duration
        out.append(Boundary(offset=offset, duration=max(0.0, end - offset), text=word))
    return tuple(out)


class EspeakEngine:
    """Offline, deterministic, fast: the engine for tests and offline builds."""

    name = "espeak"
    processes = True  # the runner may synthesize in worker processes, one libespeak-ng each
    chunk_chars = (600, 3000)  # (min, max) per chunk: fast enough that chunks only balance the workers

    def __init__(self, lexicon=None, **_options) -> None:
        self.lexicon = lexicon  # the show's lexicon: its [lexicon.espeak] table adds to the built-in one
        self.version = f"espeak-ng {espeak_version()}; {engine_lexicon_tag(self.name, lexicon)}"

    def synthesize(self, text: str, voice: str, rate: int, pitch: int, out_path: str) -> SynthResult:
        global _current
        text = apply_engine_lexicon(text, self.name, voice, self.lexicon)  # the very last text step
        if not text.strip():
            raise SynthesisError("espeak: nothing to say (empty text)")
        wpm = max(80, min(450, round(DEFAULT_WPM * (1 + rate / 100))))
        pitch_value = max(0, min(100, round(DEFAULT_PITCH + pitch / 2)))
        data = text.encode("utf-8") + b"\0"
        with _lock:
            lib = _load()
            if lib.espeak_SetVoiceByName((voice or "fr").encode()) != _OK:
                raise SynthesisError(f"espeak: unknown voice {voice!r} (try 'fr', 'en', 'fr+f3')")
            lib.espeak_SetParameter(_RATE, wpm, 0)
            lib.espeak_SetParameter(_PITCH, pitch_value, 0)
            state: _State = {"pcm": array("h"), "words": []}
            _current = state
            try:
                buf = ctypes.create_string_buffer(data)
                err = lib.espeak_Synth(buf, len(data), 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
                lib.espeak_Synchronize()
            finally:
                _current = None
            sample_rate = _sample_rate
        if err != _OK:
            raise SynthesisError(f"espeak: synthesis failed (error {err})")
        pcm = state["pcm"]
        if len(pcm) == 0:
            raise SynthesisError("espeak: produced no audio")
        with wave.open(out_path, "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(sample_rate)
            w.writeframes(pcm.tobytes())
        duration = len(pcm) / sample_rate
        boundaries = _token_boundaries(text, state["words"], duration)
        return SynthResult(
            audio_path=str(out_path),
            sample_rate=sample_rate,
            duration=duration,
            boundaries=tuple(boundaries),
            engine=self.name,
            voice=voice or "fr",
        )

"""Text-to-speech engines behind one interface.

``Engine.synthesize(text, voice, rate, pitch, out_path) -> SynthResult`` writes a mono
16-bit WAV to ``out_path`` and returns its duration and timed boundaries. ``rate`` and
``pitch`` are relative percentages (``0`` = the voice's default, ``+10`` = 10 % faster or
higher), mapped by each engine to its own scale.
"""

from __future__ import annotations

from typing import Protocol

from ..errors import UsageError
from ..models import SynthResult

ENGINES = ("espeak", "edge")


class Engine(Protocol):
    name: str
    version: str

    def synthesize(
        self, text: str, voice: str, rate: int, pitch: int, out_path: str
    ) -> SynthResult: ...


def get_engine(name: str, **options) -> Engine:
    """Return an engine instance by name, or raise UsageError naming the known ones."""
    if name == "espeak":
        from .espeak import EspeakEngine

        return EspeakEngine(**options)
    if name == "edge":
        from .edge import EdgeEngine

        return EdgeEngine(**options)
    raise UsageError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")

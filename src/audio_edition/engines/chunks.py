"""A segment's text in chunks of bounded length, and their audio joined back sample-exact.

Long segments set the critical path of a build (one request streams a whole story while the
other workers sit idle), so the runner synthesizes each segment as chunks, in parallel, and
caches each chunk on its own. Chunks are whole paragraphs (lines of the spoken text), a
paragraph longer than the bound cut at sentence ends, and where a chunk ends is decided by
the content (a hash of the next paragraph's first words), not by counting characters from
the start: so editing one paragraph changes the chunk that holds it, not every chunk after it.

:func:`join_wavs` concatenates the chunks' WAVs without adding or removing a sample: the
segment lasts exactly the sum of its chunks, and boundaries shift by whole samples.
"""

from __future__ import annotations

import re
import wave
import zlib
from array import array
from collections.abc import Sequence

from ..errors import SynthesisError
from ..models import Boundary

_SENTENCE_END = re.compile(r"(?<=[.!?…])[»”\")\]]*\s+")
_CLAUSE_END = re.compile(r"(?<=[,;:])\s+")

FADE_SECONDS = 0.003  # at a join whose samples are not near zero: a 3 ms ramp on each side
_QUIET = 256  # |sample| below this (about -42 dBFS) joins without a ramp
_HEADING = 60  # a line shorter than this ("Les détails.") introduces what follows: no cut after it


def split_text(text: str, max_chars: int) -> list[str]:
    """Split ``text`` into pieces of at most ``max_chars`` and similar sizes, at sentence ends
    when possible.

    A sentence longer than ``max_chars`` is cut at clause punctuation, then at spaces; a
    single word longer than ``max_chars`` is kept whole. Joining the pieces with spaces
    gives the text back (modulo whitespace).
    """
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return [text] if text else []
    sentences = [s for s in _SENTENCE_END.split(text) if s]
    units: list[str] = []
    for s in sentences:
        if len(s) <= max_chars:
            units.append(s)
            continue
        for clause in _CLAUSE_END.split(s):
            if len(clause) <= max_chars:
                units.append(clause)
            else:
                units.extend(clause.split(" "))
    # As many pieces as needed, of similar sizes (they are synthesized concurrently, so the
    # longest one sets the pace): pack up to a balanced target, never beyond max_chars.
    left = -(-len(text) // max_chars)  # pieces still to make
    remaining = len(text)
    pieces: list[str] = []
    current = ""
    for u in units:
        grown = len(current) + 1 + len(u)
        ideal = remaining / left
        if current and (grown > max_chars or (left > 1 and abs(len(current) - ideal) <= abs(grown - ideal))):
            pieces.append(current)
            remaining -= len(current) + 1
            left = max(1, left - 1)
            current = u
        else:
            current = f"{current} {u}" if current else u
    if current:
        pieces.append(current)
    return pieces


def _opening(unit: str) -> int:
    """A stable hash of a unit's first words: where content-defined cuts fall."""
    return zlib.crc32(" ".join(unit.casefold().split()[:4]).encode("utf-8"))


def chunk_text(text: str, min_chars: int, max_chars: int, spacing: int = 3) -> list[str]:
    """``text`` as the chunks it is synthesized in (see the module docstring).

    The units are the paragraphs (a paragraph longer than ``max_chars`` cut at sentence ends
    into pieces of similar sizes). A chunk ends before a unit whose opening words hash to a
    multiple of ``spacing`` (content-defined: about one cut every ``spacing`` paragraphs) once
    it holds ``min_chars // 3`` characters and unless it ends on a heading-like short line;
    and it ends wherever the next unit would take it past ``max_chars``. An edit inside a
    paragraph moves no content-defined cut, so it changes the chunk that holds it (and, if
    it pushes that chunk past ``max_chars``, the chunks up to the next such cut).

    A text that needs no cut comes back unchanged, as one chunk (its cache key is then the
    segment's own). Empty paragraphs are dropped; the words and their order are kept.
    """
    if min_chars > max_chars:
        raise ValueError("min_chars must not exceed max_chars")
    paragraphs = [p.strip() for p in text.split("\n") if p.strip()]
    if not paragraphs:
        return []
    if len(text) <= min_chars or (len(paragraphs) == 1 and len(text) <= max_chars):
        return [text]
    units: list[str] = []
    for p in paragraphs:
        units.extend(split_text(p, max_chars) if len(p) > max_chars else [p])
    chunks: list[str] = []
    current = ""
    for u in units:
        if current:
            too_long = len(current) + 1 + len(u) > max_chars
            tail = current.rsplit("\n", 1)[-1]
            cut = (len(current) >= min_chars // 3 and len(tail) >= _HEADING and _opening(u) % spacing == 0)
            if too_long or cut:
                chunks.append(current)
                current = ""
        current = f"{current}\n{u}" if current else u
    if current:
        chunks.append(current)
    return chunks


def _ramp(samples: array, fade_in: bool) -> None:
    n = len(samples)
    for i in range(n):
        k = (i + 1) / (n + 1)
        samples[i] = int(samples[i] * (k if fade_in else 1 - k))


def join_wavs(parts: Sequence[str], out_path: str, block_frames: int = 1 << 16) -> tuple[int, int]:
    """Concatenate mono 16-bit WAVs of one sample rate into ``out_path``; return (frames, rate).

    Not a sample is added or dropped. Where a join would step from or to a loud sample (a
    click), the last and first :data:`FADE_SECONDS` around it are ramped, in place.
    """
    total = 0
    rate = 0
    tail: array | None = None  # the previous part's last samples, written once the next part is seen
    with wave.open(out_path, "wb") as out:
        for p in parts:
            with wave.open(p, "rb") as w:
                if w.getnchannels() != 1 or w.getsampwidth() != 2:
                    raise SynthesisError(f"cannot join {p}: not mono 16-bit audio")
                if not rate:
                    rate = w.getframerate()
                    out.setnchannels(1)
                    out.setsampwidth(2)
                    out.setframerate(rate)
                elif w.getframerate() != rate:
                    raise SynthesisError(f"cannot join pieces at {w.getframerate()} Hz and {rate} Hz")
                fade = max(1, round(FADE_SECONDS * rate))
                n = w.getnframes()
                head = array("h", w.readframes(min(fade, n)))
                if tail is not None:
                    if (tail and abs(tail[-1]) >= _QUIET) or (head and abs(head[0]) >= _QUIET):
                        _ramp(tail, fade_in=False)
                        _ramp(head, fade_in=True)
                    out.writeframes(tail.tobytes())
                rest = n - len(head)
                keep = max(0, rest - fade)  # frames after the head written now; the last `fade` wait
                if keep == 0:
                    tail = head  # a part shorter than two ramps: it all waits (not ramped twice)
                    tail.frombytes(w.readframes(rest))
                else:
                    out.writeframes(head.tobytes())
                    while keep > 0:
                        frames = w.readframes(min(block_frames, keep))
                        if not frames:
                            break
                        out.writeframes(frames)
                        keep -= len(frames) // 2
                    tail = array("h", w.readframes(fade))
                total += n
        if tail is not None:
            out.writeframes(tail.tobytes())
    return total, rate


def shift_boundaries(parts: Sequence[tuple[Sequence[Boundary], int]], rate: int) -> tuple[Boundary, ...]:
    """The boundaries of joined parts, each given as (its boundaries, its length in frames)."""
    out: list[Boundary] = []
    frames = 0
    for boundaries, n in parts:
        shift = frames / rate
        out.extend(Boundary(b.offset + shift, b.duration, b.text, b.kind) for b in boundaries)
        frames += n
    return tuple(out)

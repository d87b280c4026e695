"""MPEG-1 Layer III frames: find them, join parts encoded side by side, write one Xing/LAME header.

A part of an episode encoded in parallel is a stream of frames on the same 1152-sample grid
as the whole; ``join_parts`` keeps each part's frames between its cuts and writes them behind
the first part's Xing/LAME frame with its fields made true for the whole file: frame and byte
counts, the seek table, the encoder padding (so players trim exactly the episode's samples),
the music length and CRC, and the tag's own CRC. One part is in memory at a time.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import AudioError

MP3_FRAME = 1152  # samples per MPEG-1 Layer III frame
LAME_DELAY = 576  # the encoder delay libmp3lame's frames carry (the LAME tag's delay field)
_BITRATES = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_RATES = (44100, 48000, 32000)


def mp3_frames(data: bytes | memoryview) -> list[tuple[int, int]]:
    """(offset, length) of every MPEG-1 Layer III frame of a bare frame stream."""
    out, i, n = [], 0, len(data)
    while i + 4 <= n:
        h = int.from_bytes(data[i: i + 4], "big")
        if (h >> 21) & 0x7FF != 0x7FF or (h >> 17) & 0xF != 0xD or (h >> 12) & 0xF in (0, 15) or (h >> 10) & 3 == 3:
            raise AudioError(f"the encoder wrote no MPEG-1 Layer III frame at byte {i}")
        length = 144000 * _BITRATES[(h >> 12) & 0xF] // _RATES[(h >> 10) & 3] + ((h >> 9) & 1)
        out.append((i, length))
        i += length
    return out


# --- CRC-16/ARC (the LAME tag's checksums), fast: rows in parallel, combined by GF(2) shifts -----

def _table() -> np.ndarray:
    t = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xA001 if c & 1 else c >> 1
        t[i] = c
    return t


_T = _table()


def _byte_matrix() -> np.ndarray:
    """The CRC state's change over one zero byte, as a 16 x 16 matrix over GF(2)."""
    m = np.zeros((16, 16), dtype=np.uint8)
    for j in range(16):
        v = 1 << j
        w = (v >> 8) ^ int(_T[v & 0xFF])
        for i in range(16):
            m[i, j] = (w >> i) & 1
    return m


def _matmul2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a.astype(np.int64) @ b.astype(np.int64)) & 1).astype(np.uint8)


def _power(m: np.ndarray, n: int) -> np.ndarray:
    r = np.eye(16, dtype=np.uint8)
    while n:
        if n & 1:
            r = _matmul2(m, r)
        m = _matmul2(m, m)
        n >>= 1
    return r


def _tables(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lookup tables applying ``m`` to a state's low and high byte."""
    bits = ((np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1).astype(np.int64)
    weights = (1 << np.arange(16)).astype(np.int64)
    lo = ((bits @ m[:, :8].T.astype(np.int64)) & 1) @ weights
    hi = ((bits @ m[:, 8:].T.astype(np.int64)) & 1) @ weights
    return lo.astype(np.uint32), hi.astype(np.uint32)


def crc_shift(crc: int, nbytes: int) -> int:
    """The CRC of ``data + bytes(nbytes)`` from the CRC of ``data``: what ``crc16_arc(a + b)`` needs of ``a``."""
    lo, hi = _tables(_power(_byte_matrix(), nbytes))
    return int(lo[crc & 0xFF] ^ hi[crc >> 8])


def crc16_arc(data: bytes | memoryview, row: int = 64) -> int:
    """CRC-16/ARC of ``data``: rows of ``row`` bytes run side by side, then joined pairwise."""
    n = len(data)
    if n == 0:
        return 0
    k = -(-n // row)
    buf = np.zeros(k * row, dtype=np.uint8)
    buf[k * row - n:] = np.frombuffer(data, dtype=np.uint8)  # leading zeros leave a zero-init CRC as it is
    state = np.zeros(k, dtype=np.uint32)
    for col in np.ascontiguousarray(buf.reshape(k, row).T):
        state = (state >> 8) ^ _T[(state ^ col) & 0xFF]
    m = _power(_byte_matrix(), row)
    while len(state) > 1:
        if len(state) % 2:
            state = np.concatenate([np.zeros(1, np.uint32), state])
        lo, hi = _tables(m)
        a, b = state[0::2], state[1::2]
        state = lo[a & 0xFF] ^ hi[a >> 8] ^ b
        m = _matmul2(m, m)
    return int(state[0])


# --- the header and the join ----------------------------------------------------------------

def lame_tag(data: bytes | bytearray, xing: int) -> int:
    """Where the LAME tag after the Xing/Info tag at ``xing`` starts."""
    flags = int.from_bytes(data[xing + 4: xing + 8], "big")
    return xing + 8 + 4 * bool(flags & 1) + 4 * bool(flags & 2) + 100 * bool(flags & 4) + 4 * bool(flags & 8)


def join_parts(parts: list[tuple[Path, int, int | None]], out: Path, samples: int) -> None:
    """One MP3 from parts encoded side by side: ``(file, first kept sample, end sample or None)`` each.

    The first part starts with its Xing/LAME frame (it needs all four fields: frames, bytes,
    seek table, quality); the others are bare frames without bit reservoir, so the first frame
    kept after a cut stands alone (and at a cut there is only silence). Cuts are multiples of
    the frame on one grid: frame ``k`` of a part is frame ``k`` of the whole, shifted by a
    whole number of frames.
    """
    header = bytearray()
    tag = -1  # where the Xing/Info tag stands in the header frame
    ends: list[int] = []  # cumulative audio bytes after each kept frame
    crc = 0
    audio = 0
    with open(out, "wb") as fh:
        for n, (path, first, end) in enumerate(parts):  # one part in memory at a time
            data = path.read_bytes()
            frames = mp3_frames(data)
            if n == 0:
                header = bytearray(data[: frames[0][1]] if frames else b"")
                tag = max(header.find(b"Info"), header.find(b"Xing"))
                if tag < 0:
                    raise AudioError(f"the first encoded part of {out.name} has no Xing header")
                frames = frames[1:]
                fh.write(header)  # rewritten below with the whole file's figures
            a = first // MP3_FRAME
            b = len(frames) if end is None else end // MP3_FRAME
            if b > len(frames) or a >= b:
                raise AudioError(f"an encoded part of {out.name} is shorter than its cut")
            keep = memoryview(data)[frames[a][0]: frames[b - 1][0] + frames[b - 1][1]]
            base = frames[a][0]
            ends.extend(audio + o + ln - base for o, ln in frames[a:b])
            crc = crc_shift(crc, len(keep)) ^ crc16_arc(keep)
            audio += len(keep)
            fh.write(keep)
            del keep, data, frames
        flags = int.from_bytes(header[tag + 4: tag + 8], "big")
        if flags & 7 != 7:
            raise AudioError(f"the Xing header of {out.name} lacks its frame count, byte count or seek table")
        at = lame_tag(header, tag)
        count = len(ends)
        size = len(header) + audio
        delay = int.from_bytes(header[at + 21: at + 24], "big") >> 12  # the first part's encoder delay
        pad = count * MP3_FRAME - delay - samples
        if not 0 <= pad < 4096 or at + 36 > len(header):
            raise AudioError(f"the joined MP3 {out.name} holds {count} frames for {samples} samples")
        header[tag + 8: tag + 12] = count.to_bytes(4, "big")
        header[tag + 12: tag + 16] = size.to_bytes(4, "big")
        toc = [0] + [min(255, 256 * (len(header) + ends[i * count // 100]) // size) for i in range(1, 100)]
        header[tag + 16: tag + 116] = bytes(toc)
        header[at + 21: at + 24] = ((delay << 12) | pad).to_bytes(3, "big")
        header[at + 28: at + 32] = size.to_bytes(4, "big")  # music length, as ffmpeg writes it: the whole file
        header[at + 32: at + 34] = crc.to_bytes(2, "big")  # music CRC: the audio frames after this one
        header[at + 34: at + 36] = crc16_arc(bytes(header[: at + 34])).to_bytes(2, "big")
        fh.seek(0)
        fh.write(header)

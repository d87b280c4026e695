"""The floor of an offline build: espeak-ng speaking the text straight into one MP3 encode.

    python bench/floor_espeak.py JOBS.json OUT.mp3 [--channels 2] [--bitrate 128k] [--rate 44100]

``JOBS.json`` is a list of ``{"text", "voice", "rate", "pitch"}`` (the segments a build would
speak, with their voices). Each text is synthesized by libespeak-ng (the library the espeak
engine drives, same rate and pitch mapping) in one process, one after the other, and its PCM
is written as it comes to the stdin of one ffmpeg encoding the MP3 with the encoder settings
of a build (the same channels, bitrate, sample rate and lame quality, ``mix.LAME_QUALITY``;
``python -m bench`` passes the channels and bitrate of the episode it built). No pauses, no loudness, no
tags, no cache, no parsing: the least work that turns this text into this MP3.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from audio_edition import mix
from audio_edition.engines import espeak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("jobs", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--bitrate", default="128k")
    ap.add_argument("--channels", type=int, default=2)
    ap.add_argument("--rate", type=int, default=44100, help="sample rate of the MP3")
    args = ap.parse_args()
    jobs = json.loads(args.jobs.read_text(encoding="utf-8"))

    import imageio_ffmpeg

    lib = espeak._load()
    enc = subprocess.Popen(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-v", "error", "-y", "-f", "s16le", "-ar",
         str(espeak._sample_rate), "-ac", "1", "-i", "-", "-ar", str(args.rate), "-ac", str(args.channels),
         "-codec:a", "libmp3lame", "-b:a", args.bitrate, "-compression_level", str(mix.LAME_QUALITY),
         "-f", "mp3", str(args.out)],
        stdin=subprocess.PIPE)
    sink = enc.stdin

    @espeak._CALLBACK
    def on_audio(wav, numsamples, _events):
        if numsamples > 0 and wav:
            sink.write(ctypes.string_at(wav, numsamples * 2))
        return 0

    lib.espeak_SetSynthCallback(on_audio)
    for job in jobs:
        wpm = max(80, min(450, round(espeak.DEFAULT_WPM * (1 + job.get("rate", 0) / 100))))
        pitch = max(0, min(100, round(espeak.DEFAULT_PITCH + job.get("pitch", 0) / 2)))
        if lib.espeak_SetVoiceByName(job.get("voice", "fr").encode()) != espeak._OK:
            sys.exit(f"floor: unknown espeak voice {job.get('voice')!r}")
        lib.espeak_SetParameter(espeak._RATE, wpm, 0)
        lib.espeak_SetParameter(espeak._PITCH, pitch, 0)
        data = job["text"].encode("utf-8") + b"\0"
        buf = ctypes.create_string_buffer(data)
        lib.espeak_Synth(buf, len(data), 0, espeak._POS_CHARACTER, 0, espeak._CHARS_UTF8, None, None)
        lib.espeak_Synchronize()
    sink.close()
    return enc.wait()


if __name__ == "__main__":
    sys.exit(main())

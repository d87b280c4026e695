"""Benchmark: mix + encode of the example episode vs one plain ffmpeg encode of the same audio.

1. The example issue is scripted and synthesised offline with espeak into a segment cache
   (once; cache hits after that) and its produced timeline built (theme, stings, bed).
2. **mix + encode**: ``mix.render_mp3`` — every voice read and level-matched, the music
   mixed and ducked, the true-peak limiter and loudness meter, one streamed 128k stereo
   encode — median of N runs.
3. **plain encode**: the very PCM the mixer produced (captured once to a raw file), encoded
   by one ``ffmpeg -f s16le -i raw -b:a 128k`` with the mixer's encoder settings — median of N.
4. The quality gate's measurement of the file (one decode + meter) is timed on its own.

    python bench/bench_mix.py [--runs 3] [--no-music] [--work DIR]

Prints one table; the ratio is what matters on a noisy machine. Exits 1 if mix + encode
takes more than 1.5× the plain encode.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src")]

from audio_edition import mix, quality
from audio_edition.build import load_scripts
from audio_edition.casting import jobs_for_segments
from audio_edition.config import ShowConfig
from audio_edition.engines.runner import synthesize_all
from audio_edition.ffmpeg import ffmpeg_exe
from audio_edition.sound.library import load_show_sound
from audio_edition.timeline import produced_timeline

EXAMPLE = ROOT / "examples" / "mammam-ia.html"
TARGET_RATIO = 1.5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-music", action="store_true")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "audio-edition-bench-mix")
    args = ap.parse_args()
    config = ShowConfig()
    music = not args.no_music
    sec = config.sound
    settings = mix.MixSettings(channels=2 if music else 1, loudness=sec.loudness_stereo if music else
                               sec.loudness_mono, true_peak=sec.true_peak,
                               bitrate=sec.bitrate_stereo if music else sec.bitrate_mono, duck=sec.duck)
    item = load_scripts([str(EXAMPLE)], config, "espeak")[0]
    cache = args.work / "cache"
    t0 = time.perf_counter()
    synth = synthesize_all(jobs_for_segments(item.script.segments, item.profile, "espeak"), engine_name="espeak",
                           cache_dir=cache)
    synth_s = time.perf_counter() - t0
    sound = load_show_sound(sec, loudness=settings.loudness, cache_dir=cache, music=music)
    tl = produced_timeline(item.script, [r.duration for r in synth], [r.audio_path for r in synth], sound.cues,
                           pause=config.audio.pause_ms / 1000)
    out = args.work / "episode.mp3"
    raw = args.work / "episode.pcm"

    # capture the mixer's PCM once, for the plain encode
    original = mix.Mp3Encoder.write
    with open(raw, "wb") as fh:
        def capture(self, pcm):
            import numpy as np

            fh.write(np.clip(np.rint(pcm * 32767.0), -32768, 32767).astype("<i2").tobytes())
            original(self, pcm)

        mix.Mp3Encoder.write = capture
        try:
            mixed = mix.render_mp3(tl, out, settings, sound.samples, loop_crossfade=sound.loop_crossfade)
        finally:
            mix.Mp3Encoder.write = original

    cpu: dict[str, list[float]] = {}

    def timed(fn, row: str = "") -> float:
        """Wall time; CPU time (this process and its ffmpeg children) is kept per row too."""
        r0, c0 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        fn()
        wall = time.perf_counter() - t
        r1, c1 = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        used = sum(getattr(b, f) - getattr(a, f) for a, b in ((r0, r1), (c0, c1)) for f in ("ru_utime", "ru_stime"))
        cpu.setdefault(row, []).append(used)
        return wall

    mix_times = [timed(lambda: mix.render_mp3(tl, out, settings, sound.samples,
                                              loop_crossfade=sound.loop_crossfade), "mix") for _ in range(args.runs)]
    plain_cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "s16le", "-ar", "44100",
                 "-ac", str(settings.channels), "-i", str(raw), "-codec:a", "libmp3lame", "-b:a", settings.bitrate,
                 "-compression_level", "5", "-f", "mp3", str(args.work / "plain.mp3")]
    plain_times = [timed(lambda: subprocess.run(plain_cmd, check=True), "plain") for _ in range(args.runs)]
    measure_times = [timed(lambda: quality.measure_file(out, settings.channels), "gate") for _ in range(args.runs)]
    got = quality.measure_file(out, settings.channels)
    m, p, q = statistics.median(mix_times), statistics.median(plain_times), statistics.median(measure_times)
    ratio = m / p
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"episode: {tl.duration / 60:.1f} min, {'stereo with music' if music else 'mono voice-only'}, "
          f"{settings.bitrate}; synthesis (espeak, cache) {synth_s:.1f} s")
    med = {k: statistics.median(v) for k, v in cpu.items()}
    print(f"{'row':<34}{'wall s':>8}{'cpu s':>8}{'wall runs':>22}")
    for label, wall, key, runs in (("mix + encode (render_mp3)", m, "mix", mix_times),
                                   ("plain ffmpeg encode of the PCM", p, "plain", plain_times),
                                   ("gate: decode + meter the file", q, "gate", measure_times)):
        print(f"{label:<34}{wall:>8.2f}{med[key]:>8.2f}{'  ' + ' '.join(f'{t:.2f}' for t in runs):>22}")
    print(f"ratio mix+encode / plain encode: wall {ratio:.2f}, cpu {med['mix'] / med['plain']:.2f} "
          f"(target <= {TARGET_RATIO} wall: {'met' if ratio <= TARGET_RATIO else 'MISSED'})")
    print(f"file: {got.loudness:.2f} LUFS, {got.true_peak:.2f} dBTP (mix: {mixed.loudness:.2f} LUFS, "
          f"{mixed.true_peak:.2f} dBTP); peak RSS of this process {rss:.0f} MB")
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the edge engine's synthesis of the example issue vs one edge-tts CLI call.

Runs against the fake edge service (tests/fakes/edge_service.py) in its own process, with
150 ms latency per request and audio streamed at 20× real time (roughly the real service):

1. **sequential CLI** — one ``edge-tts --file … --write-media …`` call (the real edge-tts
   CLI, URLs patched to the fake) on the episode's whole spoken text;
2. **cold build** — every segment of the example issue through ``synthesize_all`` with the
   ``edge`` engine at the default concurrency, into an empty segment cache;
3. **warm rebuild** — the same again: nothing changed, so nothing is synthesized;
4. **one paragraph edited** — one story's text changed: exactly one segment is synthesized.

The spoken script comes from ``audio-edition script examples/mammam-ia.html --format json``
(or ``--script FILE`` holding that JSON). What is timed is the synthesis stage of a build
(cache lookups, network, MP3 → WAV decoding, cache writes); mixing and encoding the
episode come after it and cost the same whichever engine spoke.

    python bench/bench_edge.py [--script script.json] [--speed 20] [--latency 0.15]

Exits 1 if a target is missed: cold ≥ 2.5× faster than the CLI, warm ≤ 10 % of cold with 0
segments synthesized, the edit re-synthesizes exactly 1 segment.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
import wave
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from audio_edition.casting import jobs_for_segments, load_profile
from audio_edition.engines.edge import ffmpeg_exe
from audio_edition.engines.runner import DEFAULT_CONCURRENCY, summarize, synthesize_all
from audio_edition.models import Segment

EXAMPLE = ROOT / "examples" / "mammam-ia.html"
PROFILE = ROOT / "voices" / "mammam-ia.toml"

CLI_SHIM = (
    "import sys, edge_tts.communicate as c, edge_tts.voices as v;"
    "c.WSS_URL = sys.argv[1]; v.VOICE_LIST = sys.argv[2];"
    "sys.argv = ['edge-tts'] + sys.argv[3:];"
    "from edge_tts.util import main; main()"
)


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), e.get("PYTHONPATH", "")])
    e["NO_PROXY"] = e["no_proxy"] = "127.0.0.1,localhost"
    return e


def load_segments(script_file: Path | None) -> list[Segment]:
    if script_file is None:
        proc = subprocess.run([sys.executable, "-m", "audio_edition", "script", str(EXAMPLE), "--format", "json"],
                              capture_output=True, text=True, env=env(), cwd=ROOT, check=False)
        if proc.returncode != 0:
            sys.exit(f"bench: cannot get the example's script ({proc.stderr.strip()[-300:]}); "
                     f"pass --script FILE with the output of 'audio-edition script … --format json'")
        data = json.loads(proc.stdout)
    else:
        data = json.loads(script_file.read_text(encoding="utf-8"))
    return [Segment(role=s["role"], title=s["title"], text=s["text"], spoken=s["spoken"], voice=s.get("voice", ""))
            for s in data["segments"]]


def start_fake(speed: float, latency: float) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-m", "tests.fakes.edge_service", "--speed", str(speed),
                             "--latency", str(latency), "--warm", "900"],
                            stdout=subprocess.PIPE, text=True, env=env(), cwd=ROOT)
    line = proc.stdout.readline()
    if not line:
        proc.kill()
        sys.exit("bench: the fake edge service did not start")
    return proc, json.loads(line)


def fake_stats(urls: dict) -> dict:
    with urllib.request.urlopen(urls["stats_url"], timeout=10) as r:
        return json.loads(r.read())


def mp3_seconds(path: Path) -> float:
    wav = path.with_suffix(".wav")
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-i", str(path), str(wav)], check=True)
    with wave.open(str(wav)) as w:
        return w.getnframes() / w.getframerate()


def main() -> int:
    ap = argparse.ArgumentParser(description="edge engine benchmark against the fake service")
    ap.add_argument("--script", type=Path, help="JSON from 'audio-edition script … --format json'")
    ap.add_argument("--speed", type=float, default=20.0, help="fake streams at this multiple of real time")
    ap.add_argument("--latency", type=float, default=0.15, help="fake latency per request, seconds")
    ap.add_argument("--concurrency", type=int, default=DEFAULT_CONCURRENCY)
    ap.add_argument("--json", type=Path, help="also write the figures here")
    args = ap.parse_args()

    segments = load_segments(args.script)
    profile = load_profile(PROFILE)
    jobs = jobs_for_segments(segments, profile, engine="edge")
    text = "\n\n".join(s.spoken for s in segments)
    print(f"example: {len(segments)} segments, {len(text)} characters spoken; "
          f"fake: {args.latency * 1000:.0f} ms latency, {args.speed:g}× real time", flush=True)

    fake, urls = start_fake(args.speed, args.latency)
    import edge_tts.communicate
    import edge_tts.voices

    edge_tts.communicate.WSS_URL = urls["wss_url"]
    edge_tts.voices.VOICE_LIST = urls["voice_list_url"]
    figures: dict = {"segments": len(segments), "characters": len(text), "latency": args.latency,
                     "speed": args.speed, "concurrency": args.concurrency}
    try:
        with tempfile.TemporaryDirectory(prefix="bench-edge-") as tmp:
            tmp = Path(tmp)
            # 1. one sequential edge-tts CLI call on the same spoken text
            (tmp / "episode.txt").write_text(text, encoding="utf-8")
            t = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", CLI_SHIM, urls["wss_url"], urls["voice_list_url"],
                                   "--file", str(tmp / "episode.txt"), "--voice", "fr-FR-DeniseNeural",
                                   "--write-media", str(tmp / "cli.mp3")], env=env(), capture_output=True, text=True,
                                  check=False)
            figures["cli_seconds"] = time.perf_counter() - t
            if proc.returncode != 0:
                sys.exit(f"bench: edge-tts CLI failed: {proc.stderr.strip()[-500:]}")
            figures["cli_requests"] = len(fake_stats(urls)["requests"])
            figures["audio_seconds"] = mp3_seconds(tmp / "cli.mp3")
            print(f"sequential edge-tts CLI : {figures['cli_seconds']:6.2f} s  "
                  f"({figures['cli_requests']} requests, {figures['audio_seconds'] / 60:.1f} min of audio)", flush=True)

            cache = tmp / "cache"
            n0 = len(fake_stats(urls)["requests"])

            def build(js):
                t = time.perf_counter()
                segs = synthesize_all(js, engine_name="edge", cache_dir=cache, concurrency=args.concurrency)
                return segs, time.perf_counter() - t

            # 2. cold build
            segs, figures["cold_seconds"] = build(jobs)
            n1 = len(fake_stats(urls)["requests"])
            figures["cold_synthesized"] = sum(not s.cached for s in segs)
            figures["cold_requests"] = n1 - n0
            figures["cold_audio_seconds"] = sum(s.duration for s in segs)
            figures["speedup_vs_cli"] = figures["cli_seconds"] / figures["cold_seconds"]
            print(f"cold build (edge, c={args.concurrency}) : {figures['cold_seconds']:6.2f} s  "
                  f"({summarize(segs)}; {n1 - n0} requests) → {figures['speedup_vs_cli']:.2f}× faster than the CLI",
                  flush=True)

            # 3. warm rebuild: nothing changed
            segs, figures["warm_seconds"] = build(jobs)
            n2 = len(fake_stats(urls)["requests"])
            figures["warm_synthesized"] = sum(not s.cached for s in segs)
            figures["warm_requests"] = n2 - n1
            figures["warm_ratio"] = figures["warm_seconds"] / figures["cold_seconds"]
            print(f"warm rebuild            : {figures['warm_seconds']:6.2f} s  ({summarize(segs)}; "
                  f"{n2 - n1} requests) = {figures['warm_ratio'] * 100:.1f} % of cold", flush=True)

            # 4. one paragraph edited
            k = next(i for i, j in enumerate(jobs) if j.role == "story")
            edited = list(jobs)
            edited[k] = replace(jobs[k], text=jobs[k].text.replace(". ", ". Et ceci est une phrase ajoutée. ", 1))
            segs, figures["edit_seconds"] = build(edited)
            n3 = len(fake_stats(urls)["requests"])
            figures["edit_synthesized"] = sum(not s.cached for s in segs)
            figures["edit_requests"] = n3 - n2
            print(f"one paragraph edited    : {figures['edit_seconds']:6.2f} s  ({summarize(segs)}; "
                  f"{n3 - n2} request(s))", flush=True)
    finally:
        fake.terminate()
        fake.wait(10)

    checks = {
        "cold build ≥ 2.5× faster than the sequential CLI": figures["speedup_vs_cli"] >= 2.5,
        "warm rebuild synthesizes 0 segments": figures["warm_synthesized"] == 0 and figures["warm_requests"] == 0,
        "warm rebuild ≤ 10 % of the cold build": figures["warm_ratio"] <= 0.10,
        "one edited paragraph re-synthesizes exactly 1 segment": figures["edit_synthesized"] == 1,
    }
    figures["checks"] = checks
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())

"""The performance table: every row measured in this run against its baseline, median of three.

    python -m bench [--runs 3] [--only edge,offline,warm,edit,long,feed,normalize,parse] [--json FILE]

Rows (whole builds are the real CLI in a fresh process, process start to feed written):

- **edge build**: ``audio-edition build EXAMPLE --engine edge`` against the fake edge service
  (tests/fakes/edge_service.py, 150 ms latency per request, audio at 20× real time), cold cache,
  vs one sequential ``edge-tts --file`` call (the real edge-tts CLI) on the same spoken text
  against the same fake. Target ≤ 0.25×.
- **offline build**: ``--engine espeak``, cold cache, vs ``bench/floor_espeak.py`` (espeak-ng
  speaking the same texts with the same voices straight into one MP3 encode of the same
  channels, sample rate, bitrate and lame quality as the episode the build wrote). Target ≤ 1.2×.
- **warm rebuild**: the offline build again, nothing changed: no synthesis, no mixing, no
  encoding (the MP3 is not rewritten). Target ≤ 1 s.
- **one edit**: one sentence added to one paragraph of the issue: one chunk re-synthesized.
- **60-minute episode**: a generated issue of about an hour (espeak), peak RSS of the build
  process and the processes it waited for. Target < 400 MB.
- **feed of 1000 episodes**: ``bench/bench_feed.py`` if present, else 1000 copies of the
  example's ``episode.json`` and one ``write_feed``. Target ≤ 2 s.
- **normalize** (the example's text, target < 200 ms) and **parse** (a generated 1 MB issue,
  target ≥ 1 MB/s) throughput, in this process.

Each figure is the median of ``--runs`` runs; ratios hold on a noisy machine, absolute times
less so. Exit status 0 when every target is met.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "mammam-ia.html"
BENCH = ROOT / "bench"
ROWS = ("edge", "offline", "warm", "edit", "long", "feed", "normalize", "parse")


def env() -> dict:
    e = dict(os.environ)
    e["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), e.get("PYTHONPATH", "")])
    e["NO_PROXY"] = e["no_proxy"] = "127.0.0.1,localhost"
    e.pop("AUDIO_EDITION_CONFIG", None)
    return e


@dataclass
class Run:
    seconds: float
    max_rss_kb: int
    stdout: str
    stderr: str


def run(cmd: list[str], timeout: float = 1800, cwd: Path | None = None) -> Run:
    """Run ``cmd``; wall time and peak RSS of it and of the processes it waited for (wait4)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env(), cwd=cwd or ROOT)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = Run(seconds, usage.ru_maxrss, out.read().decode("utf-8", "replace"),
                     err.read().decode("utf-8", "replace"))
    if proc.returncode != 0:
        tail = (result.stderr.strip() or result.stdout.strip())[-600:]
        raise RuntimeError(f"{' '.join(map(str, cmd[:6]))}… exited {proc.returncode}: {tail}")
    return result


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "audio_edition", *args]


def episode_of(out: Path) -> dict:
    records = sorted((out / "episodes").glob("*/episode.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(records[-1].read_text(encoding="utf-8"))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def median(values: list[float]) -> float:
    return statistics.median(values)


# --- inputs --------------------------------------------------------------------------------

def spoken_jobs(source: Path) -> list[dict]:
    """The segments a default espeak build of ``source`` speaks: text, voice, rate, pitch."""
    sys.path[:0] = [str(ROOT / "src")]
    from audio_edition.build import load_scripts
    from audio_edition.casting import jobs_for_segments
    from audio_edition.config import ShowConfig

    [prepared] = load_scripts([str(source)], ShowConfig(), "espeak")
    jobs = jobs_for_segments(prepared.script.segments, prepared.profile, "espeak")
    return [{"text": j.text, "voice": j.voice, "rate": j.rate, "pitch": j.pitch} for j in jobs]


WORDS = ["modèle", "réseau", "données", "calcul", "agent", "image", "texte", "voix", "outil", "marché", "startup",
         "laboratoire", "recherche", "europe", "règlement", "puce", "serveur", "énergie", "usage", "client", "éditeur",
         "plateforme", "version", "assistant", "code", "sécurité", "licence", "annonce", "équipe", "produit",
         "service", "prix", "public", "étude"]
VERBS = ["publie", "annonce", "lance", "teste", "améliore", "ouvre", "réduit", "accélère", "explique", "présente",
         "relance"]


def long_issue(minutes: float, seed: int = 7) -> str:
    """A newsletter issue of about ``minutes`` minutes of espeak speech (about 16 characters of HTML a second)."""
    rng = random.Random(seed)
    target = int(minutes * 60 * 16)
    stories, size, n = [], 0, 0
    while size < target:
        n += 1
        paragraphs = []
        for _ in range(rng.randint(3, 6)):
            sentences = []
            for _ in range(rng.randint(2, 5)):
                words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
                sentences.append(f"Le {words[0]} {rng.choice(VERBS)} {' '.join(words[1:])} {rng.randint(2, 990)} fois.")
            p = " ".join(sentences)
            paragraphs.append(f"<p>{p}</p>")
            size += len(p)
        title = f"<h2>{n}. Nouvelle {n} : le {rng.choice(WORDS)} {rng.choice(VERBS)}</h2>\n"
        stories.append(title + "\n".join(paragraphs))
    return ("<!DOCTYPE html><html lang=\"fr\"><head><title>La Lettre Longue</title>"
            "<meta property=\"og:site_name\" content=\"La Lettre Longue\"/>"
            "<meta property=\"article:published_time\" content=\"2025-10-01T06:00:00Z\"/></head>"
            "<body><article><h1>Une heure de nouvelles</h1><p>Bonjour à toutes et à tous.</p>\n"
            + "\n".join(stories) + "\n</article></body></html>")


def edited(html: str, n: int) -> str:
    """``html`` with one sentence added to its longest paragraph (a different one for each ``n``)."""
    import re

    best = max(re.finditer(r"<p[^>]*>([^<]{200,})</p>", html), key=lambda m: len(m.group(1)), default=None)
    if best is None:
        raise RuntimeError("no paragraph to edit in the example")
    at = best.end(1)
    return html[:at] + f" Et voici une phrase ajoutée, la numéro {n + 1}." + html[at:]


# --- the fake edge service -------------------------------------------------------------------

class Fake:
    def __init__(self, speed: float = 20.0, latency: float = 0.15) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.fakes.edge_service", "--speed", str(speed),
                                      "--latency", str(latency), "--warm", "900"],
                                     stdout=subprocess.PIPE, text=True, env=env(), cwd=ROOT)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.kill()
            raise RuntimeError("the fake edge service did not start")
        self.urls = json.loads(line)

    def shim(self, program: str, *args: str) -> list[str]:
        return [sys.executable, str(BENCH / "edge_shim.py"), self.urls["wss_url"], self.urls["voice_list_url"],
                program, *args]

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


# --- the rows ------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    measured: str
    baseline: str
    ratio: str
    target: str
    met: bool
    note: str = ""


def row_edge(runs: int, work: Path, text: str) -> Row:
    fake = Fake()
    try:
        txt = work / "spoken.txt"
        txt.write_text(text, encoding="utf-8")
        cli_times, build_times, synth = [], [], {}
        for i in range(runs):
            cli_times.append(run(fake.shim("edge-tts", "--file", str(txt), "--voice", "fr-FR-DeniseNeural",
                                           "--write-media", str(work / f"cli{i}.mp3"))).seconds)
            out = work / f"edge{i}"
            build_times.append(run(fake.shim("audio-edition", "build", str(EXAMPLE), "--engine", "edge",
                                             "--out", str(out))).seconds)
            synth = episode_of(out).get("synthesis", {})
            shutil.rmtree(out, ignore_errors=True)
    finally:
        fake.close()
    c, b = median(cli_times), median(build_times)
    conc = synth.get("concurrency", {})
    note = (f"synthesis stage {synth.get('seconds', '?')} s ({synth.get('seconds', 0) / c:.2f}× the CLI), "
            f"{synth.get('chunks', '?')} chunks; in flight: start {conc.get('start', '?')}, peak "
            f"{conc.get('peak', '?')}"
            f", backoffs {conc.get('backoffs', '?')}" if synth else "")
    return Row("edge build (fake, 150 ms, 20×)", f"{b:.1f} s", f"edge-tts CLI {c:.1f} s", f"{b / c:.2f}×", "≤ 0.25×",
               b / c <= 0.25, note)


def row_offline(runs: int, work: Path, jobs_file: Path, outs: list[Path], state: dict) -> Row:
    floors, builds, synth = [], [], []
    for i in range(runs):
        out = work / f"offline{i}"
        builds.append(run(cli("build", str(EXAMPLE), "--engine", "espeak", "--out", str(out))).seconds)
        outs.append(out)
        record = episode_of(out)  # the floor encodes what the build encoded: same channels and bitrate
        floors.append(run([sys.executable, str(BENCH / "floor_espeak.py"), str(jobs_file), str(work / f"floor{i}.mp3"),
                           "--channels", str(record["channels"]), "--bitrate", record["bitrate"]]).seconds)
        seconds = record.get("synthesis", {}).get("seconds")
        if seconds is not None:
            synth.append(seconds)
    f, b = median(floors), median(builds)
    state["cold"] = b
    note = f"synthesis stage {median(synth):.1f} s; the rest of the build {b - median(synth):.1f} s" if synth else ""
    return Row("offline build (espeak)", f"{b:.1f} s", f"floor {f:.1f} s", f"{b / f:.2f}×", "≤ 1.2×", b / f <= 1.2,
               note)


def row_warm(runs: int, out: Path, cold: float) -> Row:
    [mp3] = list((out / "episodes").glob("*/*.mp3"))
    before = (sha(mp3), mp3.stat().st_mtime_ns)
    times = [run(cli("build", str(EXAMPLE), "--engine", "espeak", "--out", str(out))).seconds for _ in range(runs)]
    after = (sha(mp3), mp3.stat().st_mtime_ns)
    w = median(times)
    untouched = before == after
    return Row("warm rebuild (nothing changed)", f"{w:.2f} s", f"cold build {cold:.1f} s", f"{w / cold:.2f}×",
               "≤ 1 s, MP3 untouched", w <= 1.0 and untouched, "" if untouched else "the MP3 was rewritten")


def row_edit(runs: int, work: Path, out: Path, cold: float) -> Row:
    html = EXAMPLE.read_text(encoding="utf-8")
    times, chunks = [], []
    for i in range(runs):
        src = work / "edited" / EXAMPLE.name  # same file name: same episode
        src.parent.mkdir(exist_ok=True)
        src.write_text(edited(html, i), encoding="utf-8")
        times.append(run(cli("build", str(src), "--engine", "espeak", "--out", str(out))).seconds)
        syn = episode_of(out).get("synthesis", {})
        made = syn.get("chunks_synthesized")
        if made is None:
            made = sum(1 for s in episode_of(out)["segments"] if s.get("synthesized"))
        chunks.append(made)
    t = median(times)
    return Row("one edited paragraph (espeak)", f"{t:.1f} s", f"cold build {cold:.1f} s", f"{t / cold:.2f}×",
               "1 chunk re-synthesized", all(c == 1 for c in chunks), f"chunks synthesized: {chunks}")


def row_long(work: Path) -> Row:
    src = work / "long.html"
    src.write_text(long_issue(60), encoding="utf-8")
    out = work / "long"
    r = run(cli("build", str(src), "--engine", "espeak", "--out", str(out)))
    minutes = episode_of(out).get("duration", 0) / 60
    mb = r.max_rss_kb / 1024
    shutil.rmtree(out, ignore_errors=True)
    return Row(f"{minutes:.0f}-minute episode: peak RSS", f"{mb:.0f} MB", f"build {r.seconds:.0f} s", "", "< 400 MB",
               mb < 400 and minutes >= 55)


def row_feed(runs: int, work: Path, built: Path) -> Row:
    script = BENCH / "bench_feed.py"
    if script.exists():
        times, ok = [], True
        for _ in range(runs):
            try:
                times.append(run([sys.executable, str(script)]).seconds)
            except RuntimeError:
                ok = False
        t = median(times) if times else float("nan")
        return Row("feed of 1000 episodes", f"{t:.2f} s", "bench/bench_feed.py", "", "its own targets", ok,
                   "process time of bench_feed.py, exit status = met")
    [record] = list((built / "episodes").glob("*/episode.json"))
    base = json.loads(record.read_text(encoding="utf-8"))
    mp3 = record.parent / base["audio"]
    out = work / "feed"
    for i in range(1000):
        d = dict(base)
        slug = f"{i:04d}-{base['slug']}"[:120]
        d.update(slug=slug, guid=f"bench-{i}", title=f"{base['title']} ({i})",
                 date=f"20{10 + i // 365 % 15:02d}-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
                 audio_url=base.get("audio_url", "").replace(base["slug"], slug))
        ep = out / "episodes" / slug
        ep.mkdir(parents=True)
        (ep / "episode.json").write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
        try:  # the feed lists an episode whose audio exists
            os.link(mp3, ep / base["audio"])
        except OSError:
            (ep / base["audio"]).symlink_to(mp3)
    code = ("import sys, time; from audio_edition.feed import write_feed; from audio_edition.config import ShowConfig;"
            "write_feed(sys.argv[1], ShowConfig(), 'https://example.org/')")
    times = [run([sys.executable, "-c", code, str(out)]).seconds for _ in range(runs)]
    items = (out / "feed.xml").read_text(encoding="utf-8").count("<item>")
    t = median(times)
    return Row("feed of 1000 episodes", f"{t:.2f} s", "", "", "≤ 2 s, 1000 items", t <= 2.0 and items == 1000,
               f"{items} items")


def row_normalize(runs: int) -> Row:
    sys.path[:0] = [str(ROOT / "src")]
    from audio_edition.normalize import normalize

    seed = ROOT / "tests" / "fixtures" / "seed" / "mammam-ia-2025-11-12.txt"
    text = seed.read_text(encoding="utf-8") if seed.exists() else EXAMPLE.read_text(encoding="utf-8")
    normalize(text, "fr")  # rules compiled
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        normalize(text, "fr")
        times.append(time.perf_counter() - t)
    t = median(times)
    split = median([_timed(lambda: " ".join(text.split())) for _ in range(runs)])
    return Row("normalize (example text)", f"{t * 1000:.0f} ms", f"str.split {split * 1000:.2f} ms",
               f"{len(text) / t / 1000:.0f} kchar/s", "< 200 ms", t < 0.2)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def row_parse(runs: int) -> Row:
    sys.path[:0] = [str(ROOT / "src")]
    from audio_edition.models import Issue
    from audio_edition.parse import parse_issue

    html = long_issue(950)  # about 1 MB of newsletter HTML
    mb = len(html.encode("utf-8")) / 1e6
    parse_issue(Issue(id="warm-up", source="warm-up", raw_html=EXAMPLE.read_text(encoding="utf-8")))
    times = [_timed(lambda: parse_issue(Issue(id="long", source="long.html", raw_html=html))) for _ in range(runs)]
    t = median(times)
    return Row(f"parse ({mb:.1f} MB generated issue)", f"{t * 1000:.0f} ms", "", f"{mb / t:.1f} MB/s", "≥ 1 MB/s",
               mb / t >= 1.0)


# --- the table -----------------------------------------------------------------------------

def table(rows: list[Row]) -> str:
    head = ("row", "measured", "baseline (same run)", "ratio", "target", "met")
    cells = [head] + [(r.name, r.measured, r.baseline, r.ratio, r.target, "met" if r.met else "NOT MET") for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(head))]
    lines = []
    for n, c in enumerate(cells):
        lines.append("| " + " | ".join(v.ljust(w) for v, w in zip(c, widths, strict=False)) + " |")
        if n == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"- {r.name}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + notes)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per figure (the median is shown)")
    ap.add_argument("--only", default=",".join(ROWS), help=f"comma-separated rows among {', '.join(ROWS)}")
    ap.add_argument("--json", type=Path, help="also write the rows here")
    args = ap.parse_args(argv)
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    unknown = set(wanted) - set(ROWS)
    if unknown:
        ap.error(f"unknown rows: {', '.join(sorted(unknown))}")

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        work = Path(tmp)
        jobs = spoken_jobs(EXAMPLE)
        jobs_file = work / "jobs.json"
        jobs_file.write_text(json.dumps(jobs, ensure_ascii=False), encoding="utf-8")
        text = "\n\n".join(j["text"] for j in jobs)
        print(f"example: {EXAMPLE.name}, {len(jobs)} segments, {len(text)} characters spoken; "
              f"{args.runs} run(s) per figure", file=sys.stderr, flush=True)

        def step(name: str, fn, *a):
            t = time.perf_counter()
            print(f"… {name}", file=sys.stderr, flush=True)
            try:
                rows.append(fn(*a))
            except Exception as exc:  # noqa: BLE001 - one broken row must not hide the others
                why = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
                rows.append(Row(name, "failed", "", "", "", False, why))
            print(f"  {name}: {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)

        if "edge" in wanted:
            step("edge", row_edge, args.runs, work, text)
        outs: list[Path] = []
        state: dict = {}
        needs_offline = {"offline", "warm", "edit", "feed"} & set(wanted)
        if needs_offline:
            step("offline", row_offline, args.runs if "offline" in wanted else 1, work, jobs_file, outs, state)
            if "offline" not in wanted:
                rows.pop()
        cold = state.get("cold", float("nan"))
        if outs and "warm" in wanted:
            step("warm", row_warm, args.runs, outs[0], cold)
        if outs and "edit" in wanted:
            step("edit", row_edit, args.runs, work, outs[-1], cold)
        if "long" in wanted:
            step("long", row_long, work)
        if outs and "feed" in wanted:
            step("feed", row_feed, args.runs, work, outs[0])
        if "normalize" in wanted:
            step("normalize", row_normalize, max(args.runs, 5))
        if "parse" in wanted:
            step("parse", row_parse, max(args.runs, 5))

    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2), encoding="utf-8")
    return 0 if all(r.met for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

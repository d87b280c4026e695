"""How long parsing + scripting takes on a 1 MB issue (target: under 1 s), and normalizing;
with ``--corpus``, how well the fixture corpus is read.

    PYTHONPATH=src python bench/bench_parse.py [--size-mb 1] [--runs 5]
    PYTHONPATH=src python bench/bench_parse.py --corpus

``--corpus`` runs ``audio-edition script SOURCE --format json`` on every fixture with an
expected script (``tests/fixtures/platforms/*.expected.json`` and the four forms of
``tests/fixtures/mammam-ia``) and prints, per issue and in total: stories found (expected
stories and sections whose title is read, in order), furniture read (``never_read`` phrases
that are read aloud), content lost (``contains``, intro and table-of-contents phrases that are
not read), and whether the strict checker passes. Exits 1 when any issue fails.

Two 1 MB issues are built in memory:

- ``realistic``: the example beehiiv web page with its five stories repeated until the page
  weighs 1 MB (real markup: inline styles, images, links, labelled sub-parts, a sponsor);
- ``dense``: bare paragraphs of text with a numbered heading every 20 paragraphs (the worst
  case per byte: almost every byte is text to classify).

Prints, for each, the median time of ``sources.decode → parse_issue → draft_script`` (the
parse and script stages) and, separately, of ``speak`` (the normalize stage, written →
spoken French over every segment), whose own target is per issue (bench_normalize.py).
Not a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from audio_edition.models import Issue  # noqa: E402
from audio_edition.parse import parse_issue  # noqa: E402
from audio_edition.script import draft_script, speak  # noqa: E402
from audio_edition.sources import decode_html  # noqa: E402

WEB = ROOT / "tests" / "fixtures" / "mammam-ia" / "web.html"


def realistic(size: int) -> bytes:
    page = WEB.read_text(encoding="utf-8")
    start = page.index('<h3 class="heading" style="text-align:left;" id="1-story">')
    end = page.index('<h2 class="heading" style="text-align:left;"><b>❤️')
    stories = page[start:end]
    copies = []
    n = 0
    while len(page.encode()) + sum(len(c.encode()) for c in copies) < size:
        n += 1
        copies.append(re.sub(r"([1-5])️⃣", lambda m, n=n: f"{(n - 1) * 5 + int(m.group(1))}. ", stories))
    return (page[:start] + "".join(copies) + page[end:]).encode("utf-8")


def dense(size: int) -> bytes:
    para = "<p>Paragraphe de texte assez long pour ressembler à une vraie lettre, avec des mots et des phrases.</p>\n"
    out = ["<html lang='fr'><body><h1>Une très grosse lettre</h1><p>Bonjour à tous,</p>"]
    total, i = 0, 0
    while total < size:
        chunk = (f"<h2>{i // 20 + 1}. Sujet numéro {i // 20 + 1}</h2>" if i % 20 == 0 else "") + para
        out.append(chunk)
        total += len(chunk.encode())
        i += 1
    out.append("</body></html>")
    return "".join(out).encode("utf-8")


def run(name: str, data: bytes, runs: int) -> float:
    times, normalize_times = [], []
    for _ in range(runs):
        started = time.perf_counter()
        issue = Issue(id=name, source=name, raw_html=decode_html(data, name))
        doc = parse_issue(issue)
        script = draft_script(doc)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        speak(script)
        normalize_times.append(time.perf_counter() - started)
    median = statistics.median(times)
    stories = sum(1 for s in script.segments if s.role == "story")
    spoken_kb = sum(len(s.spoken) for s in script.segments) / 1000
    print(f"{name:>10}: {len(data) / 1e6:5.2f} MB, {stories:4d} stories, {len(script.segments):5d} segments: "
          f"parse + script median {median * 1000:6.0f} ms over {runs} runs (min {min(times) * 1000:.0f} ms); "
          f"normalize {spoken_kb:.0f} kB of text: median {statistics.median(normalize_times) * 1000:.0f} ms")
    return median


FIXTURES = ROOT / "tests" / "fixtures"


def corpus_cases() -> list[tuple[str, Path, Path, list[str]]]:
    """(name, source, expected, checker flags) for every fixture with an expected script."""
    cases = []
    for expected in sorted((FIXTURES / "platforms").glob("*.expected.json")):
        name = expected.name[: -len(".expected.json")]
        source = next(p for p in expected.parent.iterdir() if p.name.startswith(name + ".") and p != expected)
        import json
        flags = json.loads(expected.read_text(encoding="utf-8")).get("check_flags", [])
        cases.append((name, source, expected, flags))
    mammam = FIXTURES / "mammam-ia"
    for form in ("web.html", "email.html", "email.eml", "rss.xml"):  # e-mail links are tracking redirects
        cases.append((f"mammam-ia/{form}", mammam / form, mammam / "expected.json",
                      ["--no-urls"] if form.startswith("email") else []))
    cases.append(("mammam-ia/rss.xml (older)", mammam / "rss.xml", mammam / "expected-rss-older.json", []))
    return cases


def measure(source: Path, expected: Path, flags: list[str], checker) -> dict:
    import json
    import os
    import subprocess

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "audio_edition", "script", str(source), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=300)
    exp = json.loads(expected.read_text(encoding="utf-8"))
    wanted = exp["stories"] + exp.get("sections", [])
    phrases = [p for w in wanted for p in w.get("contains", [])] + exp.get("intro_contains", []) + exp.get("toc", [])
    if proc.returncode != 0:
        return {"stories": 0, "wanted": len(wanted), "furniture": 0, "never": len(exp.get("never_read", [])),
                "lost": len(phrases), "phrases": len(phrases), "ok": False, "error": proc.stderr.strip()}
    scripts = checker.load_scripts_text(proc.stdout)
    norm = checker.norm
    script = next((x for x in scripts if norm(x.get("title")) == norm(exp["title"])), scripts[0])
    segs = script.get("segments") or []
    parts = [x for x in segs if x.get("role") in ("story", "section")]
    found, at = 0, 0
    for want in wanted:  # in reading order, story or section alike
        hit = next((k for k in range(at, len(parts)) if checker.title_matches(parts[k].get("title", ""),
                                                                             want["title"])), None)
        if hit is not None:
            found, at = found + 1, hit + 1
    every = " \n ".join(norm(x.get("title", "")) + " \n " + norm(x.get("text", "")) + " \n " + norm(x.get("spoken", ""))
                        for x in segs)
    written = " \n ".join(norm(x.get("text", "")) for x in segs)
    furniture = [p for p in exp.get("never_read", []) if norm(p) in every]
    lost = [p for p in phrases if norm(p) not in written]
    problems = checker.check(exp, script, urls="--no-urls" not in flags, lenient_roles="--lenient-roles" in flags)
    return {"stories": found, "wanted": len(wanted), "furniture": len(furniture),
            "never": len(exp.get("never_read", [])), "lost": len(lost), "phrases": len(phrases),
            "ok": not problems, "problems": problems,
            "furniture_read": furniture, "lost_phrases": lost}


def corpus() -> int:
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_script", FIXTURES / "check_script.py")
    checker = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(checker)

    def load_scripts_text(raw: str):
        import json
        try:
            data = json.loads(raw)
            return data if isinstance(data, list) else [data]
        except json.JSONDecodeError:
            return [json.loads(line) for line in raw.splitlines() if line.strip()]

    checker.load_scripts_text = load_scripts_text
    totals = dict.fromkeys(("stories", "wanted", "furniture", "never", "lost", "phrases"), 0)
    failed = 0
    print(f"{'issue':<34} {'stories':>9} {'furniture read':>15} {'content lost':>13}  check")
    for name, source, expected, flags in corpus_cases():
        r = measure(source, expected, flags, checker)
        for k in totals:
            totals[k] += r[k]
        failed += not r["ok"]
        print(f"{name:<34} {r['stories']:>4}/{r['wanted']:<4} {r['furniture']:>7}/{r['never']:<7} "
              f"{r['lost']:>6}/{r['phrases']:<6}  {'ok' if r['ok'] else 'FAIL'}")
        for line in ([r["error"]] if "error" in r else r["problems"]):
            print(f"    {line}")
    n = len(corpus_cases())
    print(f"{'total (' + str(n) + ' issues)':<34} {totals['stories']:>4}/{totals['wanted']:<4} "
          f"{totals['furniture']:>7}/{totals['never']:<7} {totals['lost']:>6}/{totals['phrases']:<6}  "
          f"{n - failed}/{n} ok")
    return 1 if failed else 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=1.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", action="store_true", help="measure the fixture corpus instead of the speed")
    args = ap.parse_args()
    if args.corpus:
        return corpus()
    size = int(args.size_mb * 1024 * 1024)
    worst = max(run("realistic", realistic(size), args.runs), run("dense", dense(size), args.runs))
    print(f"target < 1000 ms per 1 MB issue: {'ok' if worst < 1.0 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

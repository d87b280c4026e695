"""How long parsing + scripting takes on a 1 MB issue (target: under 1 s), and normalizing.

    PYTHONPATH=src python bench/bench_parse.py [--size-mb 1] [--runs 5]

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
        copies.append(re.sub(r"([1-5])️⃣", lambda m: f"{(n - 1) * 5 + int(m.group(1))}. ", stories))
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size-mb", type=float, default=1.0)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    size = int(args.size_mb * 1024 * 1024)
    worst = max(run("realistic", realistic(size), args.runs), run("dense", dense(size), args.runs))
    print(f"target < 1000 ms per 1 MB issue: {'ok' if worst < 1.0 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

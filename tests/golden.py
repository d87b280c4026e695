"""Reading the golden tables (tests/data/normalize_golden_<lang>.tsv) and scoring them.

One sentence a line: written TAB spoken. ``# --- name ---`` starts a category; other ``#``
lines are comments. Shared by the golden test and ``bench/bench_normalize.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
LANGS = ("fr", "en")
THRESHOLD = 0.95
_CATEGORY = re.compile(r"^#\s*---\s*(.+?)\s*-*\s*$")


@dataclass(frozen=True)
class Row:
    lang: str
    category: str
    line: int
    written: str
    spoken: str


def load(lang: str) -> list[Row]:
    path = DATA / f"normalize_golden_{lang}.tsv"
    rows = []
    category = "general"
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = _CATEGORY.match(line)
        if m:
            category = m.group(1)
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            raise ValueError(f"{path.name}:{n}: needs exactly a written and a spoken column (one TAB)")
        rows.append(Row(lang, category, n, cols[0], cols[1]))
    return rows


def score(rows: list[Row], normalize) -> dict[str, tuple[int, int, list[tuple[Row, str]]]]:
    """category → (passed, total, failures as (row, got))."""
    out: dict[str, tuple[int, int, list]] = {}
    for row in rows:
        got = normalize(row.written, row.lang)
        passed, total, fails = out.get(row.category, (0, 0, []))
        if got == row.spoken:
            passed += 1
        else:
            fails = fails + [(row, got)]
        out[row.category] = (passed, total + 1, fails)
    return out


def table(scores: dict[str, tuple[int, int, list]], lang: str) -> str:
    width = max((len(c) for c in scores), default=10)
    lines = [f"{lang}: {'category':<{width}}  passed  score"]
    for cat, (p, t, _) in scores.items():
        lines.append(f"{lang}: {cat:<{width}}  {p:>3}/{t:<3} {100 * p / t:5.1f}%")
    p = sum(v[0] for v in scores.values())
    t = sum(v[1] for v in scores.values())
    lines.append(f"{lang}: {'all':<{width}}  {p:>3}/{t:<3} {100 * p / max(t, 1):5.1f}%")
    return "\n".join(lines)

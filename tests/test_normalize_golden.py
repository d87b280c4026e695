"""The golden table: realistic newsletter sentences and every acceptable spoken form.

tests/data/normalize_golden_fr.tsv: one sentence a line, TAB, then the accepted spoken
forms (TAB-separated). '# lang: en' switches the rows that follow to English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audio_edition.normalize import normalize

DATA = Path(__file__).parent / "data" / "normalize_golden_fr.tsv"
SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "mammam-ia-2025-11-12.txt"  # copy of shared/seed


def load_rows() -> list[tuple[int, str, str, list[str]]]:
    rows = []
    lang = "fr"
    for n, line in enumerate(DATA.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("# lang:"):
            lang = line.split(":", 1)[1].strip()
            continue
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        assert len(cols) >= 2, f"{DATA.name}:{n}: needs a written and a spoken column"
        rows.append((n, lang, cols[0], cols[1:]))
    return rows


ROWS = load_rows()


def test_the_table_is_big_enough():
    assert len(ROWS) >= 150
    assert sum(1 for _, lang, _, _ in ROWS if lang == "fr") >= 150


@pytest.mark.parametrize("n, lang, written, accepted", ROWS, ids=[f"L{r[0]}-{r[1]}" for r in ROWS])
def test_golden(n, lang, written, accepted):
    assert normalize(written, lang) in accepted


def _seed_items(text: str) -> set[str]:
    """Every number, symbol and acronym of the seed, as a token of its text."""
    items = set()
    for tok in text.split():
        core = tok.strip(".,;:!?()«»“”\"'’…")
        if not core:
            continue
        has_digit = any(c.isdigit() for c in core)
        has_symbol = any(c in "€$£%&@#×~=>+°/" for c in core)
        has_caps = re.search(r"[A-Z]{2}", core) is not None
        if has_digit or has_symbol or has_caps:
            items.add(core)
    return items


def test_every_number_symbol_and_acronym_of_the_example_issue_is_in_the_table():
    written = "\n".join(w.replace("’", "'") for _, _, w, _ in ROWS)
    missing = sorted(item for item in _seed_items(SEED.read_text(encoding="utf-8"))
                     if item.replace("’", "'") not in written)
    assert missing == []

"""The golden tables: newsletter sentences and the one spoken form a careful reader uses.

tests/data/normalize_golden_fr.tsv and normalize_golden_en.tsv, one sentence a line
(written TAB spoken), grouped in categories. Each category must score 95% or more; the
test prints the score of every category (``pytest -s``) and lists the misses on failure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from audio_edition.normalize import normalize

from .golden import LANGS, THRESHOLD, load, score, table

SEED = Path(__file__).resolve().parent / "fixtures" / "seed" / "mammam-ia-2025-11-12.txt"  # copy of shared/seed
MINIMUM = {"fr": 400, "en": 300}


@pytest.mark.parametrize("lang", LANGS)
def test_the_table_is_big_enough(lang):
    assert len(load(lang)) >= MINIMUM[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_every_category_reads_at_least_95_percent_right(lang):
    scores = score(load(lang), normalize)
    print("\n" + table(scores, lang))
    low = {cat: (p, t, fails) for cat, (p, t, fails) in scores.items() if p / t < THRESHOLD}
    report = "\n".join(f"[{cat}] {p}/{t}: line {row.line}: {row.written!r}\n    got:  {got!r}\n    want: {row.spoken!r}"
                       for cat, (p, t, fails) in low.items() for row, got in fails)
    assert not low, f"categories under {THRESHOLD:.0%}:\n{report}"


def test_the_spoken_forms_are_already_spoken():
    """Normalizing a spoken form changes nothing (the table holds no digit left to read)."""
    for lang in LANGS:
        for row in load(lang):
            assert not re.search(r"\d", row.spoken), f"{lang}:{row.line}: digit in the spoken form"


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
    written = "\n".join(r.written.replace("’", "'") for r in load("fr"))
    missing = sorted(item for item in _seed_items(SEED.read_text(encoding="utf-8"))
                     if item.replace("’", "'") not in written)
    assert missing == []

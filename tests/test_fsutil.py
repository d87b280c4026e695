"""Slugs and atomic writes: untrusted titles never reach the filesystem as paths, and a
failed write never damages the previous file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audio_edition.fsutil import atomic_path, atomic_write_text, episode_slug, slugify


def test_slug_of_french_title():
    assert episode_slug("L’IA a des yeux, des dollars et un goût douteux pour Noël", "2025-11-12") == \
        "2025-11-12-lia-a-des-yeux-des-dollars-et-un-gout-douteux-pour-noel"


@pytest.mark.parametrize("title", ["../../etc/passwd", "..", "/", "a/b\\c", "$(rm -rf ~)", "🎄🎄", "", "CON", "\x00"])
def test_hostile_titles_give_safe_slugs(title):
    slug = episode_slug(title, "2025-11-12")
    assert slug.startswith("2025-11-12-")
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")


@given(st.text(max_size=400), st.one_of(st.none(), st.text(max_size=30)))
def test_slug_is_always_short_ascii_and_not_a_path(title, date):
    slug = episode_slug(title, date)
    assert 0 < len(slug) <= 80
    assert set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    assert slug not in (".", "..")


def test_long_title_cut_at_a_word():
    slug = slugify("un " * 100)
    assert len(slug) <= 80 and not slug.endswith("-")


def test_failed_atomic_write_keeps_previous_file(tmp_path):
    target = tmp_path / "feed.xml"
    atomic_write_text(target, "old feed")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half a new fe")
            raise RuntimeError("build died")
    assert target.read_text() == "old feed"
    assert [p.name for p in tmp_path.iterdir()] == ["feed.xml"]

"""Chunks of a segment: bounded, in order, stable under an edit; their audio joined without a sample added,
dropped or clicking; the adaptive bound on requests in flight."""

from __future__ import annotations

import asyncio
import re
import wave
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_edition.engines.chunks import chunk_text, join_wavs, shift_boundaries
from audio_edition.engines.concurrency import AdaptiveLimiter
from audio_edition.models import Boundary


def paragraphs(n: int, sentences: int = 4) -> list[str]:
    return [" ".join(f"Paragraphe {p}, phrase {s} : le modèle numéro {p * 10 + s} avance encore un peu." for s in
                     range(sentences)) for p in range(n)]


def words(text: str) -> list[str]:
    return re.findall(r"\S+", text)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet="abcdé .,!?", min_size=0, max_size=900), min_size=1, max_size=12),
       st.integers(min_value=50, max_value=300), st.integers(min_value=300, max_value=900))
def test_chunks_keep_every_word_in_order_within_the_bound(paras, lo, hi):
    text = "\n".join(paras)
    chunks = chunk_text(text, lo, hi)
    assert [w for c in chunks for w in words(c)] == words(text)
    if len(chunks) > 1:
        for c in chunks:
            assert len(c) <= hi or len(words(c)) == 1


def test_a_short_text_is_one_chunk_unchanged():
    text = "Bonjour.\nUne ligne de plus."
    assert chunk_text(text, 300, 800) == [text]


def test_headings_ride_with_what_follows_and_long_paragraphs_are_cut_at_sentences():
    text = "Les détails.\n" + "\n".join(paragraphs(3)) + "\n" + " ".join(paragraphs(6))
    chunks = chunk_text(text, 300, 800)
    assert chunks[0].startswith("Les détails.\nParagraphe 0")
    assert all(len(c) <= 800 for c in chunks)
    assert all(c.rstrip().endswith(".") for c in chunks)  # cut at sentence ends


@pytest.mark.parametrize("size", [150, 270, 420])
def test_editing_one_paragraph_changes_the_chunk_that_holds_it(size):
    n = 30
    paras = [p[:size].rsplit(" ", 1)[0] + "." for p in paragraphs(n, sentences=8)]
    before = chunk_text("\n".join(paras), 300, 800)
    assert len(before) > 4
    changed = []
    for which in range(n):
        edited = list(paras)
        edited[which] = edited[which].replace(" le ", " le tout nouveau, ", 1)
        after = chunk_text("\n".join(edited), 300, 800)
        assert [w for c in after for w in words(c)] == words("\n".join(edited))
        changed.append(len(set(after) - set(before)))
    assert max(changed) <= 3  # a chunk pushed past the bound moves its neighbour, never the whole text
    assert sorted(changed)[n // 2] == 1  # usually exactly one


def write_wav(path, samples, rate=24000):
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(array("h", samples).tobytes())


def read_wav(path):
    with wave.open(str(path)) as w:
        return w.getframerate(), array("h", w.readframes(w.getnframes()))


def test_join_is_sample_exact_when_the_edges_are_quiet(tmp_path):
    parts = [[0] * 50 + [1000, -1000] * 300 + [0] * 80, [3] * 10 + [2000] * 400 + [0] * 90, [0] * 7]
    paths = []
    for i, p in enumerate(parts):
        paths.append(str(tmp_path / f"{i}.wav"))
        write_wav(paths[-1], p)
    frames, rate = join_wavs(paths, str(tmp_path / "out.wav"))
    got_rate, got = read_wav(tmp_path / "out.wav")
    assert (frames, rate, got_rate) == (sum(map(len, parts)), 24000, 24000)
    assert list(got) == [s for p in parts for s in p]


def test_a_loud_join_is_ramped_not_clicked_and_keeps_its_length(tmp_path):
    a, b = [12000] * 2000, [-12000] * 2000
    write_wav(tmp_path / "a.wav", a)
    write_wav(tmp_path / "b.wav", b)
    join_wavs([str(tmp_path / "a.wav"), str(tmp_path / "b.wav")], str(tmp_path / "out.wav"))
    _, got = read_wav(tmp_path / "out.wav")
    assert len(got) == 4000
    steps = [abs(got[i + 1] - got[i]) for i in range(len(got) - 1)]
    assert max(steps) < 24000 / 20  # raw, the join would step by 24000 in one sample
    assert got[0] == 12000 and got[-1] == -12000  # only the few ms around the join move
    assert list(got[:1900]) == a[:1900] and list(got[2100:]) == b[100:]


def test_join_refuses_mixed_sample_rates(tmp_path):
    write_wav(tmp_path / "a.wav", [0] * 10, 24000)
    write_wav(tmp_path / "b.wav", [0] * 10, 22050)
    with pytest.raises(Exception, match="22050 Hz"):
        join_wavs([str(tmp_path / "a.wav"), str(tmp_path / "b.wav")], str(tmp_path / "out.wav"))


def test_boundaries_shift_by_whole_samples():
    b = (Boundary(0.1, 0.2, "un"),)
    out = shift_boundaries([(b, 24000), (b, 12001), (b, 10)], 24000)
    assert [x.offset for x in out] == pytest.approx([0.1, 1.1, 0.1 + 36001 / 24000])
    assert [x.text for x in out] == ["un"] * 3


def test_limiter_halves_on_pushback_grows_back_and_never_passes_the_ceiling():
    now = [0.0]
    lim = AdaptiveLimiter(8, start=6, cooldown=1.0, clock=lambda: now[0])
    assert lim.limit == 6
    lim.throttled("HTTP 429")
    lim.throttled("HTTP 429")  # the same burst: one cut
    assert lim.limit == 3 and lim.backoffs == 1
    now[0] = 5.0
    lim.success(first_byte=10.0)  # a first byte that slow is pushback too
    assert lim.limit == 1
    for _ in range(100):
        lim.success(first_byte=0.1)
    assert lim.limit == 8
    assert lim.report()["pushback"] == {"HTTP 429": 2, "slow first byte": 1}
    assert lim.report()["lowest"] == 1
    assert AdaptiveLimiter(2, start=6).limit == 2


def test_limiter_bounds_what_is_in_flight_and_wakes_waiters_in_order():
    async def scenario():
        lim = AdaptiveLimiter(4, start=2)
        live, peak, order = 0, 0, []

        async def job(i):
            nonlocal live, peak
            async with lim:
                live += 1
                peak = max(peak, live)
                order.append(i)
                await asyncio.sleep(0.01)
                live -= 1
            lim.success()

        await asyncio.gather(*(job(i) for i in range(12)))
        return peak, order, lim

    peak, order, lim = asyncio.run(scenario())
    assert order == list(range(12))
    assert 2 <= peak <= 4 and lim.peak == peak and lim.in_flight == 0

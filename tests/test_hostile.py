"""Hostile input, each case bounded in time: the files under tests/fixtures/hostile/ (one
``NAME.ext`` and its ``NAME.expect.json`` per case: add a case by adding two files), and the
cases too big or too special to commit, made here: a FIFO, a directory, /dev/zero, a 200 MB
file, HTML nested 100 000 deep, a feed with 10 000 items.

Each case runs the real CLI in a subprocess with a time limit, under an audit hook that
records every file opened and every connection made, so "never reads a local file" and
"never fetched" are measured, not assumed.

An expectation holds: ``exit`` (0, 1 or "any": never a traceback), ``stderr`` (a substring
of the one error line), ``title`` (a substring of the script's title), ``build`` (build the
episode with espeak and check the feed, slug and tags), ``never`` (strings that must appear
in no output), ``no_open`` (paths that must never be opened).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from mutagen.id3 import ID3

from tests.conftest import FIXTURES, SRC

HOSTILE = FIXTURES / "hostile"
CASES = sorted(p for p in HOSTILE.iterdir() if not p.name.endswith(".expect.json") and not p.name.startswith("."))
TIME_LIMIT = 90  # seconds, per case (a case that hangs fails instead of blocking the suite)

_AUDIT = r"""
import atexit, json, os, sys
_log = {"open": [], "connect": []}
def _hook(event, args):
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        _log["open"].append(os.fsdecode(args[0]))
    elif event == "socket.connect":
        _log["connect"].append(repr(args[1]))
sys.addaudithook(_hook)
@atexit.register
def _dump():
    with open(os.environ["HOSTILE_AUDIT"], "w") as fh:
        json.dump(_log, fh)
import runpy
sys.argv = ["audio-edition", *sys.argv[1:]]
runpy.run_module("audio_edition", run_name="__main__")
"""


def run_audited(*args: str, tmp_path: Path, env: dict | None = None) -> tuple[subprocess.CompletedProcess, dict]:
    audit = tmp_path / "audit.json"
    full_env = dict(os.environ, PYTHONPATH=str(SRC), HOSTILE_AUDIT=str(audit), **(env or {}))
    proc = subprocess.run([sys.executable, "-c", _AUDIT, *map(str, args)], capture_output=True, text=True,
                          env=full_env, timeout=TIME_LIMIT, stdin=subprocess.DEVNULL, cwd=tmp_path)
    log = json.loads(audit.read_text()) if audit.exists() else {"open": [], "connect": []}
    return proc, log


def check_error_line(proc: subprocess.CompletedProcess, needle: str = "") -> None:
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("audio-edition: error: "), proc.stderr
    assert needle in lines[0], (needle, lines[0])


def outputs(out: Path) -> dict[str, bytes]:
    """Every text output under --out (feed, pages, episode.json, transcripts, chapters), and the MP3s' tags."""
    found = {}
    for p in out.rglob("*"):
        if not p.is_file() or ".audio-edition" in p.relative_to(out).parts or p.suffix in (".jpg", ".png"):
            continue  # the cover is an image, not text
        found[str(p.relative_to(out))] = ID3(p).pprint().encode() if p.suffix == ".mp3" else p.read_bytes()
    return found


def check_built(out: Path) -> list[str]:
    """The feed parses, every slug is a safe name, every MP3's tags load; returns the titles."""
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    titles = []
    for d in (out / "episodes").iterdir():
        assert set(d.name) <= set("abcdefghijklmnopqrstuvwxyz0123456789-") and 0 < len(d.name) <= 80, d.name
        record = json.loads((d / "episode.json").read_text())
        tags = ID3(d / record["audio"])
        title = str(tags["TIT2"])
        assert title and all(c >= " " for c in title)
        titles.append(record["title"])
        json.loads((d / "chapters.json").read_text())
    assert len(feed.entries) == len(titles)
    for entry in feed.entries:
        assert entry.title in titles
    return titles


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_hostile_fixture(case, tmp_path):
    expect = json.loads(case.with_name(case.name.rsplit(".", 1)[0] + ".expect.json").read_text())
    out = tmp_path / "out"
    if expect.get("build"):
        proc, log = run_audited("build", case, "--engine", "espeak", "--out", out,
                                "--base-url", "https://pod.example.org/show/", tmp_path=tmp_path)
    else:
        proc, log = run_audited("script", case, "--format", "json", tmp_path=tmp_path)
    assert "Traceback" not in proc.stderr, proc.stderr
    code = expect.get("exit", 0)
    if code != "any":
        assert proc.returncode == code, proc.stderr
    else:
        assert proc.returncode in (0, 1), proc.stderr
    if proc.returncode == 1:
        check_error_line(proc, expect.get("stderr", ""))
    if proc.returncode == 0 and expect.get("title"):
        doc = json.loads(proc.stdout)
        docs = doc if isinstance(doc, list) else [doc]
        assert any(expect["title"] in d["title"] for d in docs), [d["title"] for d in docs]
    produced = proc.stdout.encode() + b"".join(outputs(out).values() if out.exists() else [])
    if proc.returncode == 0 and expect.get("build"):
        check_built(out)
    for needle in expect.get("never", []):
        assert needle.encode() not in produced, needle
        assert json.dumps(needle)[1:-1].encode() not in produced, needle
    for path in expect.get("no_open", []):
        assert not [p for p in log["open"] if p.startswith(path)], (path, log["open"])
    assert log["connect"] == []  # nothing in a file makes the build touch the network


# --- made at test time ---------------------------------------------------------------------

def test_fifo_is_refused_without_waiting(tmp_path):
    fifo = tmp_path / "issue.html"
    os.mkfifo(fifo)
    proc, _ = run_audited("script", fifo, tmp_path=tmp_path)
    check_error_line(proc, "named pipe (FIFO)")


def test_fifo_in_a_directory_is_skipped(tmp_path):
    d = tmp_path / "issues"
    d.mkdir()
    os.mkfifo(d / "stuck.html")
    (d / "ok.html").write_text((HOSTILE / "title-emoji.html").read_text())
    proc, _ = run_audited("script", d, "--format", "json", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_dev_zero_and_a_symlink_to_it_are_refused(tmp_path):
    proc, log = run_audited("script", "/dev/zero", tmp_path=tmp_path)
    check_error_line(proc, "is a device")
    link = tmp_path / "zero.html"
    link.symlink_to("/dev/zero")
    proc, _ = run_audited("script", link, tmp_path=tmp_path)
    check_error_line(proc, "is a device")


def test_a_directory_named_like_a_file_is_read_as_a_directory(tmp_path):
    d = tmp_path / "issue.html"
    d.mkdir()
    proc, _ = run_audited("script", d, tmp_path=tmp_path)
    check_error_line(proc, "holds no issue files")


def test_200_mb_file_is_refused_without_being_read(tmp_path):
    big = tmp_path / "big.html"
    with open(big, "wb") as fh:  # sparse: 200 MB on paper, nothing on disk
        fh.write(b"<html><body><p>")
        fh.truncate(200 * 1024 * 1024)
    proc, _ = run_audited("script", big, tmp_path=tmp_path)
    check_error_line(proc, "200 MB, larger than the 50 MB limit")
    small = tmp_path / "small.html"
    small.write_text((HOSTILE / "title-emoji.html").read_text() + "<!--" + "x" * 300_000 + "-->")
    proc, _ = run_audited("script", small, tmp_path=tmp_path, env={"AUDIO_EDITION_MAX_SOURCE_MB": "0.2"})
    check_error_line(proc, "larger than the 205 KB limit (AUDIO_EDITION_MAX_SOURCE_MB)")
    proc, _ = run_audited("script", small, tmp_path=tmp_path, env={"AUDIO_EDITION_MAX_SOURCE_MB": "1"})
    assert proc.returncode == 0, proc.stderr


def test_html_nested_100000_deep(tmp_path):
    deep = tmp_path / "deep.html"
    deep.write_text("<html><head><title>Deep</title></head><body><article><h1>Deep nesting</h1>"
                    "<p>Hello and welcome to this week's letter.</p><h2>A story</h2><p>It happened.</p>"
                    + "<div>" * 100_000 + "<p>At the bottom of the well.</p>" + "</div>" * 100_000
                    + "</article></body></html>")
    proc, _ = run_audited("script", deep, "--format", "json", tmp_path=tmp_path)
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr, proc.stderr[-2000:]
    if proc.returncode == 1:
        check_error_line(proc)
    else:
        assert json.loads(proc.stdout)["title"]


def test_feed_with_10000_items(tmp_path):
    items = "".join(
        f"<item><title>Issue {n}</title><link>https://ex.org/{n}</link><guid>g{n}</guid>"
        f"<pubDate>{['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][n % 7]}, 01 Jan 2024 00:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Hello readers, this is issue {n}.&lt;/p&gt;&lt;h2&gt;Story {n}&lt;/h2&gt;"
        f"&lt;p&gt;Something happened in issue {n}.&lt;/p&gt;</description></item>" for n in range(10_000))
    feed = tmp_path / "feed.xml"
    feed.write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>{items}</channel></rss>')
    proc, _ = run_audited("script", feed, "--format", "json", "--latest", "2", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) == 2

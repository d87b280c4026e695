"""``serve`` through a real HTTP client: ranges, HEAD, MIME types, nothing outside --out."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys

import pytest

from audio_edition.config import parse_config
from audio_edition.feed import write_feed
from audio_edition.serve import serve_in_thread
from audio_edition.site import write_site

from .conftest import SRC
from .fakes.episodes import BASE_URL, make_show


@pytest.fixture
def served(tmp_path):
    out = tmp_path / "out"
    make_show(out, 2)
    write_feed(out, parse_config({}), BASE_URL)
    write_site(out, parse_config({}), BASE_URL)
    (out / ".audio-edition").mkdir()
    (out / ".audio-edition" / "lock").write_text("secret")
    (tmp_path / "outside.txt").write_text("outside")
    server, thread = serve_in_thread(out)
    yield out, server
    server.shutdown()
    server.server_close()
    thread.join(5)


def get(server, path, method="GET", headers=None):
    host, port = server.server_address[:2]
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.putrequest(method, path, skip_accept_encoding=True)  # raw path: no client-side normalisation of ../
    for k, v in (headers or {}).items():
        conn.putheader(k, v)
    conn.endheaders()
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    return resp, body


def mp3_path(out):
    mp3 = next((out / "episodes").glob("*/*.mp3"))
    return mp3, "/" + mp3.relative_to(out).as_posix()


def test_range_is_answered_206_with_the_right_bytes(served):
    out, server = served
    mp3, url = mp3_path(out)
    data = mp3.read_bytes()
    resp, body = get(server, url, headers={"Range": "bytes=100-199"})
    assert resp.status == 206 and body == data[100:200]
    assert resp.getheader("Content-Range") == f"bytes 100-199/{len(data)}"
    assert resp.getheader("Content-Type") == "audio/mpeg" and resp.getheader("Accept-Ranges") == "bytes"
    resp, body = get(server, url, headers={"Range": "bytes=-10"})
    assert resp.status == 206 and body == data[-10:]
    resp, body = get(server, url, headers={"Range": f"bytes={len(data) - 5}-"})
    assert resp.status == 206 and body == data[-5:]
    resp, _ = get(server, url, headers={"Range": f"bytes={len(data) + 10}-"})
    assert resp.status == 416 and resp.getheader("Content-Range") == f"bytes */{len(data)}"
    resp, body = get(server, url)
    assert resp.status == 200 and body == data


def test_head_gives_the_length_without_a_body(served):
    out, server = served
    mp3, url = mp3_path(out)
    resp, body = get(server, url, method="HEAD")
    assert resp.status == 200 and body == b"" and int(resp.getheader("Content-Length")) == mp3.stat().st_size


@pytest.mark.parametrize("path", ["/../outside.txt", "/episodes/../../outside.txt", "/%2e%2e/outside.txt",
                                  "/.audio-edition/lock", "/episodes/%2E%2E/%2E%2E/outside.txt", "/nope.mp3"])
def test_nothing_outside_out_or_hidden_is_served(served, path):
    _, server = served
    resp, body = get(server, path)
    assert resp.status == 404 and b"secret" not in body and b"outside" not in body


def test_a_symlink_out_of_out_is_not_followed(served, tmp_path):
    out, server = served
    os.symlink(tmp_path / "outside.txt", out / "link.txt")
    resp, _ = get(server, "/link.txt")
    assert resp.status == 404


def test_mime_types_and_the_feed_points_at_this_server(served):
    out, server = served
    resp, body = get(server, "/feed.xml")
    assert resp.getheader("Content-Type") == "application/rss+xml"
    host, port = server.server_address[:2]
    assert f"http://{host}:{port}/episodes/".encode() in body and BASE_URL.encode() not in body
    ep = next((out / "episodes").glob("*")).name
    for name, mime in [("transcript.vtt", "text/vtt"), ("transcript.srt", "application/x-subrip"),
                       ("chapters.json", "application/json"), ("", "text/html")]:
        resp, _ = get(server, f"/episodes/{ep}/{name}")
        assert resp.status == 200 and resp.getheader("Content-Type").split(";")[0] == mime, name
    resp, _ = get(server, f"/episodes/{ep}")
    assert resp.status == 301 and resp.getheader("Location") == f"/episodes/{ep}/"


def test_the_command_prints_the_feed_url_and_serves_it(tmp_path):
    out = tmp_path / "out"
    make_show(out, 1)
    write_feed(out, parse_config({}), BASE_URL)
    env = dict(os.environ, PYTHONPATH=str(SRC), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "audio_edition", "serve", "--out", str(out), "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = ""
        while "Feed:" not in line:
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
        url = re.search(r"http://[^ ]+/feed\.xml", line).group(0)
        host, port = re.match(r"http://([^:/]+):(\d+)/", url).groups()
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        conn.request("GET", "/feed.xml")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.terminate()
        proc.wait(10)

"""Hostile HTTP sources, from a local http.server on 127.0.0.1: gzip and deflate bombs, a
redirect chain longer than 5, redirects to file:, a server slower than the timeout (also one
that drips a byte at a time, which a per-read timeout never catches), a 500, and credentials
in the URL that must never reach a message."""

from __future__ import annotations

import gzip
import http.server
import threading
import time
import zlib

import pytest

from audio_edition import sources
from audio_edition.errors import SourceError, redact
from tests.conftest import run_cli

PAGE = (b"<html><head><title>Over HTTP</title></head><body><article><h1>Over HTTP</h1>"
        b"<p>Hello and welcome to this week's letter.</p><h2>A story</h2><p>Something happened.</p>"
        b'<p><a href="file:///etc/passwd">a file</a> <a href="/secret">another page</a></p></article></body></html>')
BOMB_SIZE = 160 * 1024 * 1024  # 160 MB of zeros once inflated (from ~160 KB): well past the 50 MB cap


def _bomb(kind: str) -> bytes:
    comp = zlib.compressobj(9, zlib.DEFLATED, {"gzip": 31, "deflate": 15, "raw": -15}[kind])
    block = b"\0" * (1 << 20)
    out = [comp.compress(b"<html><body><p>")]
    out += [comp.compress(block) for _ in range(BOMB_SIZE >> 20)]
    out.append(comp.flush())
    return b"".join(out)


BOMBS: dict[str, bytes] = {}


class Handler(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, body: bytes, ctype: str = "text/html; charset=utf-8", status: int = 200, **headers):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Handler.hits.append(self.path)
        p = self.path.split("?")[0]
        if p == "/page":
            self._send(PAGE)
        elif p == "/page.gz":
            self._send(gzip.compress(PAGE), Content_Encoding="gzip")
        elif p in ("/bomb.gz", "/bomb.deflate", "/bomb.raw"):
            kind = p.rsplit(".", 1)[1]
            kind = {"gz": "gzip"}.get(kind, kind)
            self._send(BOMBS[kind], Content_Encoding="deflate" if kind == "raw" else kind)
        elif p == "/brotli":
            self._send(b"\x0b\x02\x80", Content_Encoding="br")
        elif p.startswith("/hop"):
            n = int(p[4:])
            self.send_response(302)
            self.send_header("Location", f"/hop{n + 1}" if n < 20 else "/page")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif p == "/to-file":
            self.send_response(301)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif p == "/slow":
            time.sleep(3)
            self._send(PAGE)
        elif p == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for b in PAGE * 10:
                try:
                    self.wfile.write(bytes([b]))
                    self.wfile.flush()
                except OSError:
                    return
                time.sleep(0.05)
        elif p == "/error":
            self._send(b"<h1>boom</h1>", status=500)
        else:
            self._send(b"not here", status=404)


@pytest.fixture(scope="module")
def server():
    for kind in ("gzip", "deflate", "raw"):
        BOMBS[kind] = _bomb(kind)
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_bombs_are_small_on_the_wire(server):
    assert all(len(b) < BOMB_SIZE / 500 for b in BOMBS.values())


@pytest.mark.parametrize("path", ["/bomb.gz", "/bomb.deflate", "/bomb.raw"])
def test_compression_bombs_stop_at_the_size_cap(server, path):
    t0 = time.monotonic()
    with pytest.raises(SourceError, match="larger than the 50 MB limit once decompressed"):
        sources.load(server + path)
    assert time.monotonic() - t0 < 30


def test_compressed_page_is_read(server):
    [issue] = sources.load(server + "/page.gz")
    assert "Over HTTP" in issue.raw_html


def test_unknown_content_encoding_is_refused(server):
    with pytest.raises(SourceError, match="encoded as 'br'"):
        sources.load(server + "/brotli")


def test_more_than_five_redirects(server):
    with pytest.raises(SourceError, match="too many redirects"):
        sources.load(server + "/hop0")
    Handler.hits.clear()
    [issue] = sources.load(server + "/hop16")  # 4 hops then the page
    assert issue.url.endswith("/page")


def test_redirect_to_a_local_file_is_refused(server):
    with pytest.raises(SourceError, match="only http and https"):
        sources.load(server + "/to-file")


def test_slower_than_the_timeout(server):
    t0 = time.monotonic()
    with pytest.raises(SourceError, match="timed out after 1 s"):
        sources.fetch(server + "/slow", timeout=1)
    assert time.monotonic() - t0 < 2.5


def test_a_dripping_server_is_cut_at_the_total_timeout(server):
    t0 = time.monotonic()
    with pytest.raises(SourceError, match="timed out after 1 s"):
        sources.fetch(server + "/drip", timeout=1)
    assert time.monotonic() - t0 < 2.5


def test_server_error_is_one_line(server):
    proc = run_cli("script", server + "/error", timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [f"audio-edition: error: {server}/error: HTTP error 500 "
                                                "Internal Server Error"]


def test_links_in_fetched_content_are_never_followed(server):
    Handler.hits.clear()
    proc = run_cli("script", server + "/page", timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert Handler.hits == ["/page"]
    assert "root:x" not in proc.stdout


def test_credentials_in_a_url_never_reach_a_message(server):
    host = server.split("//", 1)[1]
    url = f"http://alice:s3cr3t-pass@{host}/error?token=tok-123456&page=2"
    proc = run_cli("script", url, timeout=60)
    assert proc.returncode == 1
    for secret in ("s3cr3t-pass", "tok-123456", "alice"):
        assert secret not in proc.stderr, proc.stderr
    assert "HTTP error 500" in proc.stderr and "page=2" in proc.stderr


@pytest.mark.parametrize(("text", "secrets"), [
    ("https://AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI%2FK7MDENG@s3.example.com/b",
     ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI"]),
    ("s3://bucket/key?X-Amz-Signature=abcdef0123&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20250101",
     ["abcdef0123", "AKIAIOSFODNN7EXAMPLE"]),
    ("cannot publish: aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCY rejected", ["wJalrXUtnFEMI"]),
    ('{"token": "ghp_abcdefghijklmnop", "ok": 1}', ["ghp_abcdefghijklmnop"]),
    ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig", ["eyJhbGciOiJIUzI1NiJ9"]),
    ("https://example.org/feed?api_key=K3Y&x=1", ["K3Y"]),
])
def test_redact(text, secrets):
    out = redact(text)
    for s in secrets:
        assert s not in out, out
    assert "***" in out


def test_redact_keeps_ordinary_text():
    text = "https://example.org/feed.xml?page=2: HTTP error 500 Internal Server Error"
    assert redact(text) == text


def test_credentials_never_reach_episode_json_the_feed_or_the_tags(server, tmp_path):
    host = server.split("//", 1)[1]
    out = tmp_path / "out"
    url = f"http://alice:s3cr3t-pass@{host}/page?token=tok-123456"
    proc = run_cli("build", url, "--engine", "espeak", "--out", out, "--base-url", "https://pod.example.org/",
                   timeout=120)
    assert proc.returncode == 0, proc.stderr
    blobs = [proc.stdout.encode(), proc.stderr.encode()]
    for p in out.rglob("*"):
        if p.is_file() and ".audio-edition" not in p.relative_to(out).parts:
            blobs.append(p.read_bytes())  # the MP3's ID3 tags are plain bytes in it too
    assert len(blobs) > 6
    for secret in (b"s3cr3t-pass", b"tok-123456", b"alice"):
        assert not any(secret in b for b in blobs), secret

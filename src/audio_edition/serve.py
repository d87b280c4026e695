"""A static server for ``--out``: what a podcast app or a browser on the same network needs.

GET and HEAD, one ``Range`` answered ``206`` with ``Content-Range`` (``416`` when it lies
outside the file), the MIME types podcast apps check, and nothing outside ``--out``: a path
with ``..``, a hidden name (``.audio-edition/``, temporary files) or a symlink that leads
out is a 404. The feed and the pages carry the public ``base_url``; served here, that
address is replaced by the one the client used, so a phone that subscribes to the printed
URL downloads the episodes from this machine.
"""

from __future__ import annotations

import email.utils
import re
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import OutputError

MIME = {
    ".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".xml": "application/rss+xml", ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8", ".json": "application/json", ".html": "text/html; charset=utf-8",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".css": "text/css", ".js": "text/javascript",
    ".txt": "text/plain; charset=utf-8",
}
REWRITTEN = (".xml", ".html")  # files that hold the public base URL
_SELF = re.compile(rb'<atom:link href="([^"]+?)feed\.xml"[^>]*rel="self"')
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")
_HOST = re.compile(r"[A-Za-z0-9.-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")
CHUNK = 64 * 1024


def content_type(path: Path) -> str:
    return MIME.get(path.suffix.lower(), "application/octet-stream")


class OutHandler(BaseHTTPRequestHandler):
    server_version = "audio-edition"
    root: Path  # set on the subclass made by make_server
    quiet = False

    def do_GET(self) -> None:
        self._serve(head=False)

    def do_HEAD(self) -> None:
        self._serve(head=True)

    def log_message(self, format: str, *args) -> None:
        if not self.quiet:
            super().log_message(format, *args)

    def _resolve(self) -> Path | None:
        raw = urlsplit(self.path).path
        parts = unquote(raw).split("/")
        if any(p in ("..", ".") or p.startswith(".") or "\\" in p or "\x00" in p for p in parts if p):
            return None
        target = self.root.joinpath(*[p for p in parts if p])
        try:
            real = target.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if real != self.root and self.root not in real.parents:
            return None  # a symlink out of --out
        return real

    def _not_found(self, head: bool) -> None:
        body = b"not found\n"
        self.send_response(HTTPStatus.NOT_FOUND)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _serve(self, head: bool) -> None:
        path = self._resolve()
        if path is None:
            return self._not_found(head)
        if path.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
            if not path.is_file():
                return self._not_found(head)
        if not path.is_file():
            return self._not_found(head)
        try:
            st = path.stat()
            body = self._rewritten(path) if path.suffix.lower() in REWRITTEN else None
        except OSError:
            return self._not_found(head)
        size = len(body) if body is not None else st.st_size
        start, end = 0, size - 1
        status = HTTPStatus.OK
        header = self.headers.get("Range")
        if header:
            m = _RANGE.fullmatch(header.strip())
            if m and (m.group(1) or m.group(2)):
                a, b = m.groups()
                if a:
                    start, end = int(a), min(int(b), size - 1) if b else size - 1
                else:
                    start, end = max(0, size - int(b)), size - 1
                if start >= size or start > end:
                    self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = HTTPStatus.PARTIAL_CONTENT
        length = end - start + 1 if size else 0
        self.send_response(status)
        self.send_header("Content-Type", content_type(path))
        self.send_header("Content-Length", str(length))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Last-Modified", email.utils.formatdate(st.st_mtime, usegmt=True))
        if path.suffix.lower() in REWRITTEN:
            self.send_header("Cache-Control", "no-cache")
        if status == HTTPStatus.PARTIAL_CONTENT:
            self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.end_headers()
        if head or not length:
            return
        try:
            if body is not None:
                self.wfile.write(body[start:end + 1])
                return
            with open(path, "rb") as fh:
                fh.seek(start)
                remaining = length
                while remaining:
                    chunk = fh.read(min(CHUNK, remaining))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    remaining -= len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the player closed the connection (seeking does that)

    def _rewritten(self, path: Path) -> bytes:
        """The file with the public base URL replaced by the address this client used."""
        data = path.read_bytes()
        public = self.server.public_base  # type: ignore[attr-defined]
        host = self.headers.get("Host") or ""
        if public and _HOST.fullmatch(host):  # never echo a forged Host header into a page
            data = data.replace(public.encode("utf-8"), f"http://{host}/".encode())
        return data


def public_base(out_dir: Path) -> str | None:
    """The base URL the feed was built with (from its atom:link rel="self")."""
    try:
        with open(out_dir / "feed.xml", "rb") as fh:
            m = _SELF.search(fh.read(64 * 1024))
    except OSError:
        return None
    return m.group(1).decode("utf-8") if m else None


def lan_address() -> str:
    """This machine's address on the local network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))
            return s.getsockname()[0]
        except OSError:
            return "127.0.0.1"


class OutServer(ThreadingHTTPServer):
    daemon_threads = True
    public_base: str | None = None

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        host = host.decode() if isinstance(host, bytes) else str(host)  # socketserver types it str | bytes
        if host in ("0.0.0.0", "::"):
            host = lan_address()
        return f"http://{host}:{port}/"


def make_server(out_dir: str | Path, host: str = "127.0.0.1", port: int = 8000, quiet: bool = False) -> OutServer:
    root = Path(out_dir).resolve()
    if not root.is_dir():
        raise OutputError(f"nothing to serve: {out_dir} is not a directory")
    handler = type("Handler", (OutHandler,), {"root": root, "quiet": quiet})
    try:
        server = OutServer((host, port), handler)
    except OSError as exc:
        raise OutputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    server.public_base = public_base(root)
    return server


def serve_in_thread(out_dir: str | Path, host: str = "127.0.0.1", port: int = 0) -> tuple[OutServer, threading.Thread]:
    """Start a quiet server on a free port in a daemon thread (tests, the browser check)."""
    server = make_server(out_dir, host, port, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


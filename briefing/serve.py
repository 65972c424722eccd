"""`briefing serve`: the output folder over HTTP, with Range requests, and the archive page."""

from __future__ import annotations

import io
import logging
import os
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from briefing.errors import OutputError
from briefing.publish.archive import scan
from briefing.publish.page import INDEX, index_html

log = logging.getLogger(__name__)

CHUNK = 64 * 1024  # big enough to stream an MP3 quickly, small enough to stay responsive
MIME = {
    ".mp3": "audio/mpeg",
    ".m3u": "audio/x-mpegurl",
    ".xml": "application/rss+xml; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".srt": "application/x-subrip; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".html": "text/html; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
}
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class ArchiveHandler(BaseHTTPRequestHandler):
    """GET and HEAD for files under `root`; everything else is refused."""

    root: Path  # set on the subclass make_server builds
    title = "Morning Briefing"
    language = "en"
    server_version = "briefing"
    protocol_version = "HTTP/1.1"  # keep-alive: players open many small range requests

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def _serve(self, body: bool) -> None:
        path = self._resolve(urlsplit(self.path).path)
        if path is None:
            self._error(HTTPStatus.NOT_FOUND)
            return
        if path == self.root or path == self.root / INDEX:
            # always fresh from the manifests, even between daily runs
            page = index_html(scan(self.root), self.title, self.language).encode("utf-8")
            self._send_bytes(page, MIME[".html"], body)
            return
        if not path.is_file():
            self._error(HTTPStatus.NOT_FOUND)
            return
        self._send_file(path, body)

    def _resolve(self, url_path: str) -> Path | None:
        """The file a URL path names, or None if it would leave the root or is hidden."""
        parts = unquote(url_path).split("/")
        if any(p in ("..", ".") or p.startswith(".") or "\\" in p or "\x00" in p for p in parts):
            return None
        candidate = self.root.joinpath(*[p for p in parts if p])
        try:
            resolved = candidate.resolve()
        except (OSError, ValueError):
            return None
        if resolved != self.root and self.root not in resolved.parents:
            return None  # a symlink pointing out of the archive
        return resolved

    def _error(self, status: HTTPStatus) -> None:
        text = f"{status.value} {status.phrase}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(text)

    def _send_bytes(self, data: bytes, mime: str, body: bool) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _send_file(self, path: Path, body: bool) -> None:
        mime = MIME.get(path.suffix.lower(), "application/octet-stream")
        try:
            fh = path.open("rb")
        except OSError:
            self._error(HTTPStatus.NOT_FOUND)
            return
        with fh:
            size = os.fstat(fh.fileno()).st_size
            span = self._range(size)
            if isinstance(span, str):  # "unsatisfiable"
                self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
                self.send_header("Content-Range", f"bytes */{size}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if span is None:
                start, end = 0, size - 1
                self.send_response(HTTPStatus.OK)
            else:
                start, end = span
                self.send_response(HTTPStatus.PARTIAL_CONTENT)
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            length = max(0, end - start + 1)
            self.send_header("Content-Type", mime)
            self.send_header("Content-Length", str(length))
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Last-Modified", self.date_time_string(int(path.stat().st_mtime)))
            self.end_headers()
            if body and length:
                fh.seek(start)
                _copy(fh, self.wfile, length)

    def _range(self, size: int) -> tuple[int, int] | str | None:
        """(first, last) byte of a single Range, None for the whole file, or 'unsatisfiable'."""
        header = self.headers.get("Range")
        if not header:
            return None
        match = RANGE.match(header.strip())
        if not match or (not match.group(1) and not match.group(2)):
            return None  # several ranges or a form we do not know: the whole file is allowed
        first, last = match.groups()
        if not first:  # "bytes=-500": the last 500 bytes
            suffix = int(last)
            if suffix == 0 or size == 0:
                return "unsatisfiable"
            return max(0, size - suffix), size - 1
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        if start >= size or (last and int(last) < start):
            return "unsatisfiable"
        return start, end


def _copy(src: IO[bytes], dst: IO[bytes] | io.BufferedIOBase, length: int) -> None:
    remaining = length
    try:
        while remaining > 0:
            chunk = src.read(min(CHUNK, remaining))
            if not chunk:
                break
            dst.write(chunk)
            remaining -= len(chunk)
    except (BrokenPipeError, ConnectionResetError):
        pass  # players hang up after the bytes they wanted; not an error


def make_server(output_dir: Path, host: str = "127.0.0.1", port: int = 8000, *,
                title: str = "Morning Briefing", language: str = "en") -> ThreadingHTTPServer:
    """An HTTP server for output_dir (not yet serving: call serve_forever). Port 0 picks one."""
    if not output_dir.is_dir():
        raise OutputError(f"{output_dir} is not a folder: run `briefing daily` first, "
                          "or give --output-dir")
    handler = type("Handler", (ArchiveHandler,),
                   {"root": output_dir.resolve(), "title": title, "language": language})
    try:
        server = ThreadingHTTPServer((host, port), handler)
    except OSError as exc:
        raise OutputError(f"cannot listen on {host}:{port}: {exc.strerror}; "
                          "try another --port") from None
    server.daemon_threads = True
    return server


__all__ = ["ArchiveHandler", "make_server"]

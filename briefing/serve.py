"""`briefing serve`: the output folder over HTTP, with Range requests, the page and the feed.

The page and feed.xml are made per request, their links from the address the client used
(checked against the address the connection really arrived at), so a phone on the LAN
gets links it can follow; `public_url` in the config overrides that. Idle connections
time out and connections are capped; a client that hangs up or sends a silly header
costs one log line, never a traceback.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from briefing.config import Config
from briefing.errors import OutputError
from briefing.publish.archive import scan
from briefing.publish.feed import COVER, FEED, build_feed
from briefing.publish.page import INDEX, csp, index_html

log = logging.getLogger(__name__)

CHUNK = 64 * 1024  # big enough to stream an MP3 quickly, small enough to stay responsive
# A connection that sends nothing for this long is closed: players reconnect for their
# next range request in well under a second, a forgotten socket held a thread for ever.
IDLE_TIMEOUT_S = 30
# Above this many open connections new ones get a 503: a household's phones and players
# open a few each; 200 concurrent downloads must still work (issue 17's held cases).
MAX_CONNECTIONS = 256
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
# The digits are capped: Python refuses to parse an int of more than 4,300 digits, and no
# file has more than 18 digits of bytes; a longer number is simply beyond any file.
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
BEYOND_ANY_FILE = 10**18
HOST = re.compile(r"^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$")


class ArchiveHandler(BaseHTTPRequestHandler):
    """GET and HEAD for files under `root`; everything else is refused."""

    root: Path  # set on the subclass make_server builds
    config: Config = Config()
    names: frozenset[str] = frozenset()  # this machine's own names (hostname, hostname.local)
    lan: str | None = None  # the folder's URL on the network, when the server listens there
    server_version = "briefing"
    protocol_version = "HTTP/1.1"  # keep-alive: players open many small range requests
    timeout = IDLE_TIMEOUT_S

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def handle(self) -> None:
        try:
            super().handle()
        except (ConnectionError, TimeoutError) as exc:  # gone mid-answer: theirs to retry
            log.info("%s hung up: %s", self.address_string(), exc.__class__.__name__)
            self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        log.info("%s %s", self.address_string(), format % args)

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", csp())
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def served_url(self) -> str:
        """The folder URL this client reached us at: its Host header when that names the
        address the connection arrived at (or this machine), else that address itself."""
        local = self.connection.getsockname()
        ip, port = ipaddress.ip_address(local[0].split("%")[0]), int(local[1])
        if ip.version == 6 and ip.ipv4_mapped:  # an IPv4 client of a server on "::"
            ip = ip.ipv4_mapped
        literal = f"[{ip}]" if ip.version == 6 else str(ip)
        match = HOST.match(self.headers.get("Host", "").strip())
        if match and (match.group(2) is None or int(match.group(2)) == port):
            host = match.group(1).lower().rstrip(".")
            bare = host.strip("[]")
            try:
                same = ipaddress.ip_address(bare) == ip
            except ValueError:
                same = host in self.names or (host == "localhost" and ip.is_loopback)
            if same:
                literal = host
        return f"http://{literal}:{port}/"

    def _serve(self, body: bool) -> None:
        path = self._resolve(urlsplit(self.path).path)
        if path is None:
            self._error(HTTPStatus.NOT_FOUND)
            return
        if path == self.root or path == self.root / INDEX:
            # always fresh from the manifests, even between daily runs
            page = index_html(scan(self.root), self.config, self.served_url(), self.lan)
            self._send_bytes(page.encode("utf-8"), MIME[".html"], body)
            return
        if path == self.root / FEED:
            feed = build_feed(scan(self.root), self.config, self.served_url())
            self._send_bytes(feed, MIME[".xml"], body)
            return
        if path == self.root / COVER and not path.is_file() and not self.config.cover_image:
            from briefing.publish.cover import cover_png  # `make` alone writes no cover

            self._send_bytes(cover_png(self.config.title), MIME[".png"], body)
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
            suffix = _number(last)
            if suffix == 0 or size == 0:
                return "unsatisfiable"
            return max(0, size - suffix), size - 1
        start = _number(first)
        end = min(_number(last), size - 1) if last else size - 1
        if start >= size or (last and _number(last) < start):
            return "unsatisfiable"
        return start, end


def _number(digits: str) -> int:
    return int(digits) if len(digits) <= 18 else BEYOND_ANY_FILE


def _copy(src: IO[bytes], dst: Any, length: int) -> None:
    remaining = length
    while remaining > 0:
        chunk = src.read(min(CHUNK, remaining))
        if not chunk:
            break
        dst.write(chunk)
        remaining -= len(chunk)


class ArchiveServer(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS of them; errors in one line."""

    daemon_threads = True
    max_connections = MAX_CONNECTIONS
    # the listen backlog: socketserver's 5 made a burst of 200 players wait for SYN retries
    # (1, 3, 7 s...) on a busy machine; connections beyond the cap get their 503 at once
    request_queue_size = 128

    def server_activate(self) -> None:
        super().server_activate()
        self._slots = threading.BoundedSemaphore(self.max_connections)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._slots.acquire(blocking=False):
            log.warning("%s refused: %d connections open already", client_address[0],
                        self.max_connections)
            try:
                request.settimeout(1)
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n"
                                b"Retry-After: 5\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        import sys

        exc = sys.exc_info()[1]
        log.error("%s: %s: %s", client_address[0], type(exc).__name__, exc)


def machine_names() -> frozenset[str]:
    """Names of this machine a LAN client may use (no DNS lookup: that could leave it)."""
    name = socket.gethostname().lower().rstrip(".")
    short = name.split(".")[0]
    return frozenset(n for n in (name, short, f"{short}.local") if n)


def lan_address(bound_host: str) -> str | None:
    """The address a phone on the LAN reaches a server bound to `bound_host` at, or None.

    For 0.0.0.0 it asks the routing table which local address faces the network: a UDP
    socket's connect() chooses the source address and sends nothing.
    """
    try:
        ip = ipaddress.ip_address(bound_host)
    except ValueError:  # a name the user gave: theirs to know, unless it is this machine's
        local = bound_host.lower() in ("", "localhost") or bound_host.endswith(".localhost")
        return None if local else bound_host
    if ip.is_loopback:
        return None
    if not ip.is_unspecified:
        return str(ip)
    family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
    probe = "2001:db8::1" if ip.version == 6 else "192.0.2.1"  # documentation addresses
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as sock:
            sock.connect((probe, 9))
            found = ipaddress.ip_address(sock.getsockname()[0])
    except OSError:
        return None
    return None if found.is_loopback or found.is_unspecified else str(found)


def make_server(output_dir: Path, host: str = "127.0.0.1", port: int = 8000, *,
                config: Config | None = None, max_connections: int = MAX_CONNECTIONS,
                idle_timeout_s: float = IDLE_TIMEOUT_S) -> ThreadingHTTPServer:
    """An HTTP server for output_dir (not yet serving: call serve_forever). Port 0 picks one."""
    from briefing.publish.archive import check_archive_folder

    if not output_dir.is_dir():
        raise OutputError(f"{output_dir} is not a folder: run `briefing daily` first, "
                          "or give --output-dir")
    check_archive_folder(output_dir)
    handler: type[ArchiveHandler] = type("Handler", (ArchiveHandler,), {
        "root": output_dir.resolve(), "config": config or Config(), "names": machine_names(),
        "timeout": idle_timeout_s})
    kind = type("Server", (ArchiveServer,), {
        "max_connections": max_connections,
        "address_family": socket.AF_INET6 if ":" in host else socket.AF_INET})
    try:
        server = kind((host, port), handler)
    except OSError as exc:
        raise OutputError(f"cannot listen on {host}:{port}: {exc.strerror}; "
                          "try another --port") from None
    lan = lan_address(host)
    if lan:
        literal = f"[{lan}]" if ":" in lan else lan
        handler.lan = f"http://{literal}:{server.server_address[1]}/"
    return server


__all__ = ["ArchiveHandler", "lan_address", "make_server"]

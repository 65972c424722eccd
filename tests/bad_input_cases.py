"""Helpers for the bad-input matrix: the real CLI in a subprocess, tree snapshots, a local
HTTP server with failing routes, and test-only synthesizers registered as plugins."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

from briefing.models import Voice
from briefing.tts.backends.espeak import EspeakSynthesizer
from briefing.tts.backends.pyttsx3 import Pyttsx3Synthesizer, _worker_main

ROOT = Path(__file__).resolve().parents[1]
RUN_MARK = "BRIEFING_BAD_INPUT_RUN"  # set in every child's environment, to find stray workers
MARKER = "Zanzibar"  # a segment holding this word is the one the faulty synthesizers hang on
HANG_TIMEOUT_S = 2.0  # pyttsx3's per-segment time-out in the hang tests; the real one is 20 s
STALL_S = 120.0  # how long the stalling worker sleeps: longer than any signal test waits

Snapshot = dict[str, tuple[str, int, int]]


# --- running the CLI ---------------------------------------------------------------------

def cli_env(home: Path, plugins: Path | None = None, **extra: str) -> dict[str, str]:
    """Our BRIEFING_HOME, none of the caller's BRIEFING_* variables, plugins on the path."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env.pop("PYTHONPATH", None)
    env["BRIEFING_HOME"] = str(home)
    paths = [str(plugins)] if plugins else []
    env["PYTHONPATH"] = os.pathsep.join([*paths, str(ROOT)])
    env.update(extra)
    return env


def run_cli(
    args: list[str],
    *,
    cwd: Path,
    env: Mapping[str, str],
    timeout: float = 60,
    preexec_fn: Callable[[], None] | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[str]:
    """`python -m briefing ARGS`, as a scheduler would run it (no TTY, output captured)."""
    return subprocess.run(
        [sys.executable, "-m", "briefing", *args],
        cwd=cwd, env=dict(env), capture_output=True, text=True, timeout=timeout,
        preexec_fn=preexec_fn, input=stdin.decode("latin-1") if stdin is not None else None,
    )


def start_cli(args: list[str], *, cwd: Path, env: Mapping[str, str]) -> subprocess.Popen[str]:
    """The CLI in the background, with Ctrl-C working as in a terminal."""
    return subprocess.Popen(
        [sys.executable, "-m", "briefing", *args], cwd=cwd, env=dict(env),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        preexec_fn=default_sigint,
    )


def default_sigint() -> None:
    # A shell without job control starts background jobs with SIGINT ignored, and Python
    # keeps an inherited "ignore": the child would never see our SIGINT.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def error_line(proc: subprocess.CompletedProcess[str], *, allow_log: bool = False) -> str:
    """The one "Error: ..." line on stderr (log lines allowed only when asked), checked."""
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines, "nothing on stderr"
    errors = [ln for ln in lines if ln.startswith("Error: ")]
    assert len(errors) == 1 and lines[-1] == errors[0], proc.stderr
    others = lines[:-1]
    if allow_log:
        assert all(ln.startswith(("WARNING: ", "INFO: ")) for ln in others), proc.stderr
    else:
        assert not others, proc.stderr
    assert len(errors[0]) < 1000, "one line, not a dump"
    return errors[0]


def stray_processes(mark: str) -> list[int]:
    """Processes (ours, the workers) whose environment carries RUN_MARK=mark."""
    found = []
    needle = f"{RUN_MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().split(") ", 1)[1][:1]
        except OSError:
            continue
        if needle in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- the output dir ----------------------------------------------------------------------

def snapshot(root: Path) -> Snapshot:
    """Every file and folder under root: kind, size and mtime (ns), by relative path."""
    if not root.exists():
        return {}
    out: Snapshot = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        kind = "dir" if path.is_dir() else "link" if path.is_symlink() else "file"
        out[str(path.relative_to(root))] = (kind, 0 if kind == "dir" else st.st_size,
                                            st.st_mtime_ns)
    return out


def limit_file_size(max_bytes: int) -> Callable[[], None]:
    """A preexec_fn: RLIMIT_FSIZE, so any write past max_bytes fails as on a full disk."""
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))

    return apply


def limit_memory(max_bytes: int) -> Callable[[], None]:
    """A preexec_fn: RLIMIT_AS, so an unbounded read fails fast instead of eating the machine."""
    import resource

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))

    return apply


# --- inputs made here --------------------------------------------------------------------

PROSE = (
    "The council approved the new bridge on Tuesday after a long debate. "
    "Work will begin in the spring and should take two years to finish. "
    "Residents said they were pleased that the river crossing would finally be rebuilt.\n"
)


def png_bytes() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(b"IEND", b""))


def pdf_bytes() -> bytes:
    return (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n"
            b"%%EOF\n")


def zip_bytes() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", PROSE)
    return buffer.getvalue()


def entity_bomb() -> str:
    entities = "".join(
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    return (
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol0 "lol">' + entities + "]>"
        '<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>'
        "<description>&lol9;</description></item></channel></rss>"
    )


def rss(items: list[tuple[str, str, str]], title: str = "Local news") -> str:
    """An RSS 2.0 feed of (title, link, description) items; empty parts are left out."""
    import html

    body = ""
    for item_title, link, text in items:
        body += "<item>"
        body += f"<title>{html.escape(item_title)}</title>" if item_title else ""
        body += f"<link>{html.escape(link)}</link>" if link else ""
        body += f"<description>{html.escape(text)}</description>" if text else ""
        body += "</item>"
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{html.escape(title)}</title><link>http://127.0.0.1/</link>"
            f"<description>test</description>{body}</channel></rss>")


# --- a local server with every way a link can fail ---------------------------------------

HUGE_BYTES = 1024**3  # the "1 GB" page: streamed lazily, never held anywhere
# Responses http.client cannot parse, as servers (or things that are not servers) send them.
MALFORMED = {
    "/bad-status": b"HTTP/1.1 OK-ish\r\n\r\nhello",
    "/bad-chunks": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: "
                   b"chunked\r\nConnection: close\r\n\r\nzz-not-hex\r\n<p>hi</p>\r\n0\r\n\r\n",
    "/many-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150))
                     + b"\r\nbody",
}  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pages: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        try:
            if path in self.pages:
                content_type, body = self.pages[path]
                self._send(200, body, content_type)
            elif path == "/404":
                self._send(404, b"<html><body>Not found</body></html>")
            elif path == "/slow":
                time.sleep(30)  # far past the client's time-out
                self._send(200, PROSE.encode())
            elif path == "/drip":  # a byte every half second: each read is in time
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(120):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            elif path == "/drip-headers":  # a header line every 0.5 s: no read ever times out
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                for i in range(120):
                    self.wfile.write(f"X-Slow-{i}: {i}\r\n".encode())
                    self.wfile.flush()
                    time.sleep(0.5)
                self._send(200, PROSE.encode())
            elif path in MALFORMED:
                self.wfile.write(MALFORMED[path])
                self.close_connection = True
            elif path.startswith("/loop"):
                hop = int(path[5:] or 0) + 1
                self.send_response(302)
                self.send_header("Location", f"/loop{hop}")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif path in ("/huge", "/huge-declared"):
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                if path == "/huge-declared":
                    self.send_header("Content-Length", str(HUGE_BYTES))
                self.send_header("Connection", "close")
                self.end_headers()
                block = b"<p>" + b"word " * 13106 + b"</p>\n"  # ~64 kB
                sent = 0
                while sent < HUGE_BYTES:
                    self.wfile.write(block)
                    sent += len(block)
            else:
                self._send(404, b"no such test page")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading: that is the point of the size cap

    def _send(self, status: int, body: bytes, content_type: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def local_server(pages: Mapping[str, tuple[str, bytes]]) -> Iterator[str]:
    """Serve `pages` plus /404, /slow, /loop, /huge, MALFORMED... on 127.0.0.1; yield the base."""
    handler = type("Handler", (_Handler,), {"pages": dict(pages)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- test-only synthesizers, registered through the briefing.synthesizers entry points -----

PLUGINS = {
    "pyttsx3-hang": "HangingPyttsx3",
    "pyttsx3-hang-broken-fallback": "HangingBrokenFallback",
    "pyttsx3-stall": "StallingPyttsx3",
    "no-voices": "NoVoices",
}


def install_plugins(where: Path) -> Path:
    """A *.dist-info on `where` declaring our synthesizers; put `where` on PYTHONPATH."""
    info = where / "briefing_bad_input_synths-0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: briefing-bad-input-synths\nVersion: 0\n")
    lines = [f"{name} = tests.bad_input_cases:{attr}" for name, attr in PLUGINS.items()]
    (info / "entry_points.txt").write_text("[briefing.synthesizers]\n" + "\n".join(lines) + "\n")
    return where


class _HangOn:
    """A worker's pipe that never delivers a request holding MARKER (the engine 'hangs')."""

    def __init__(self, conn: Any, seconds: float) -> None:
        self._conn = conn
        self._seconds = seconds

    def send(self, message: Any) -> None:
        self._conn.send(message)

    def recv(self) -> Any:
        message = self._conn.recv()
        if isinstance(message, tuple) and MARKER in str(message[1]):
            time.sleep(self._seconds)
        return message


def hanging_worker(conn: Any, voice_id: str, rate: int, pitch: int) -> None:
    _worker_main(_HangOn(conn, 3600), voice_id, rate, pitch)  # type: ignore[arg-type]


def stalling_worker(conn: Any, voice_id: str, rate: int, pitch: int) -> None:
    _worker_main(_HangOn(conn, STALL_S), voice_id, rate, pitch)  # type: ignore[arg-type]


class HangingPyttsx3(Pyttsx3Synthesizer):
    """The real pyttsx3 backend whose engine hangs on the MARKER segment: a short time-out,
    one retry, then the real espeak-ng fallback."""

    worker_target = staticmethod(hanging_worker)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(timeout_s=HANG_TIMEOUT_S, retries=1, **kwargs)


class _BrokenEspeak(EspeakSynthesizer):
    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        from briefing.errors import EngineError

        if MARKER in text:
            raise EngineError("espeak-ng failed on this segment (test fault)")
        super().synthesize(text, wav_path, voice)


class HangingBrokenFallback(HangingPyttsx3):
    """As HangingPyttsx3, and the fallback fails on the same segment."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(fallback=_BrokenEspeak(), **kwargs)


class StallingPyttsx3(Pyttsx3Synthesizer):
    """Stalls on the MARKER segment for STALL_S, inside the time-out: a long run to signal."""

    worker_target = staticmethod(stalling_worker)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(timeout_s=STALL_S * 2, **kwargs)


class NoVoices(EspeakSynthesizer):
    """An engine that installed without its voice data."""

    def voices(self) -> list[Any]:
        return []

"""`briefing serve`: Range requests, MIME types, the archive page, nothing outside the folder."""

from __future__ import annotations

import http.client
import logging
import os
import re
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree

from briefing.config import Config
from briefing.errors import OutputError
from briefing.serve import make_server
from tests.episodes import fake_episode

pytestmark = pytest.mark.network


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[int, Path, Path]]:
    out = tmp_path / "output"
    mp3 = fake_episode(out, "2026-01-02", "solar")
    (tmp_path / "secret.txt").write_text("not for the network")
    (out / ".hidden").write_text("staging")
    server = make_server(out, "127.0.0.1", 0, config=Config(title="Town <News>"))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.server_address[1], out, mp3
    finally:
        server.shutdown()
        server.server_close()


def get(port: int, path: str, headers: dict[str, str] | None = None,
        method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request(method, path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_range_request_gets_206_and_exactly_those_bytes(site):
    port, _, mp3 = site
    data = mp3.read_bytes()
    status, headers, body = get(port, "/2026-01-02/solar.mp3", {"Range": "bytes=100-1099"})
    assert status == 206
    assert body == data[100:1100]
    assert headers["content-range"] == f"bytes 100-1099/{len(data)}"
    assert headers["content-type"] == "audio/mpeg"
    assert headers["accept-ranges"] == "bytes"
    status, headers, body = get(port, "/2026-01-02/solar.mp3", {"Range": "bytes=-500"})
    assert status == 206 and body == data[-500:]
    status, _, body = get(port, "/2026-01-02/solar.mp3", {"Range": f"bytes={len(data) - 10}-"})
    assert status == 206 and body == data[-10:]
    status, headers, _ = get(port, "/2026-01-02/solar.mp3", {"Range": f"bytes={len(data)}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{len(data)}"
    status, headers, body = get(port, "/2026-01-02/solar.mp3")
    assert status == 200 and body == data and int(headers["content-length"]) == len(data)
    status, headers, body = get(port, "/2026-01-02/solar.mp3", method="HEAD")
    assert status == 200 and body == b"" and int(headers["content-length"]) == len(data)


@pytest.mark.parametrize("path", [
    "/..%2fsecret.txt", "/..%2F..%2Fsecret.txt", "/%2e%2e/secret.txt", "/../secret.txt",
    "/2026-01-02/..%2f..%2fsecret.txt", "/..\\secret.txt", "/.hidden", "/2026-01-02/%00.mp3",
    "/2026-01-02", "/missing.mp3", "//etc/passwd",
])
def test_nothing_outside_the_output_dir(site, path: str):
    port, _, _ = site
    status, _, body = get(port, path)
    assert status == 404, path
    assert b"not for the network" not in body


def test_a_symlink_out_of_the_folder_is_refused(site, tmp_path: Path):
    port, out, _ = site
    os.symlink(tmp_path / "secret.txt", out / "link.txt")
    assert get(port, "/link.txt")[0] == 404


def test_mime_types_and_index_page(site):
    port, _, _ = site
    assert get(port, "/2026-01-02/solar.vtt")[1]["content-type"].startswith("text/vtt")
    assert get(port, "/2026-01-02/solar.json")[1]["content-type"] == "application/json"
    status, headers, body = get(port, "/")
    assert status == 200 and headers["content-type"].startswith("text/html")
    page = body.decode()
    assert "<title>Town &lt;News&gt;</title>" in page
    assert 'src="2026-01-02/solar.mp3"' in page and 'src="2026-01-02/solar.vtt"' in page
    assert "<details class=\"transcript-box\"><summary>Transcript</summary>" in page  # folded
    assert re.search(r'data-seek="2\.000">Solar &amp; the town</a>', page)
    assert get(port, "/index.html")[2] == body
    assert get(port, "/feed.xml", method="POST")[0] == 501


def test_cli_serve_binds_localhost_and_answers_ranges(tmp_path: Path):
    out = tmp_path / "output"
    mp3 = fake_episode(out, "2026-01-02", "solar")
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", "--output-dir", str(out), "--port", "0"],
        stderr=subprocess.PIPE, text=True, env={**os.environ},
    )
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        match = re.search(r"http://localhost:(\d+)/", line)
        assert match, line
        port = int(match.group(1))
        status, _, body = get(port, "/2026-01-02/solar.mp3", {"Range": "bytes=0-99"})
        assert status == 206 and body == mp3.read_bytes()[:100]
        assert get(port, "/..%2f..%2fetc%2fpasswd")[0] == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _serving(out: Path, **options) -> tuple[Any, int]:
    server = make_server(out, options.pop("host", "127.0.0.1"), 0, **options)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    return server, server.server_address[1]


def _enclosures(xml: bytes) -> list[str]:
    return [e.get("url") for e in ElementTree.fromstring(xml).iter("enclosure")]


@pytest.mark.parametrize(("host", "expected"), [
    ("127.0.0.1:{port}", "http://127.0.0.1:{port}/"),
    ("localhost:{port}", "http://localhost:{port}/"),
    ("LOCALHOST.:{port}", "http://localhost:{port}/"),
    ("evil.example:{port}", "http://127.0.0.1:{port}/"),  # not us: the address it came to
    ("127.0.0.1:1", "http://127.0.0.1:{port}/"),  # not our port
    ("10.0.0.1:{port}", "http://127.0.0.1:{port}/"),  # not the address it came to
    ("", "http://127.0.0.1:{port}/"),
    ("a b<script>", "http://127.0.0.1:{port}/"),
])
def test_feed_links_follow_the_address_the_client_used(site, host: str, expected: str):
    port, _, _ = site
    status, headers, body = get(port, "/feed.xml", {"Host": host.format(port=port)})
    assert status == 200 and headers["content-type"].startswith("application/rss+xml")
    base = expected.format(port=port)
    assert _enclosures(body) == [base + "2026-01-02/solar.mp3"]
    page = get(port, "/", {"Host": host.format(port=port)})[2].decode()
    assert f'value="{base}feed.xml"' in page


def test_public_url_wins_over_the_address_used(tmp_path: Path):
    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "solar")
    server, port = _serving(out, config=Config(public_url="https://pod.example/x/"))
    try:
        body = get(port, "/feed.xml")[2]
        assert _enclosures(body) == ["https://pod.example/x/2026-01-02/solar.mp3"]
        page = get(port, "/")[2].decode()
        assert 'value="https://pod.example/x/feed.xml"' in page
        assert 'href="podcast://pod.example/x/feed.xml"' in page
        assert '<svg role="img" aria-label="QR code of the feed address"' in page
        # the cover a `make`-only archive lacks is drawn on the fly
        status, _headers, cover = get(port, "/cover.png")
        assert status == 200 and cover.startswith(b"\x89PNG")
    finally:
        server.shutdown()
        server.server_close()


def test_every_answer_carries_the_content_security_policy(site):
    port, _, _ = site
    for path in ("/", "/feed.xml", "/2026-01-02/solar.mp3", "/missing"):
        headers = get(port, path)[1]
        policy = headers["content-security-policy"]
        assert "default-src 'none'" in policy and "script-src 'sha256-" in policy, path
        assert "unsafe-inline" not in policy
        assert headers["x-content-type-options"] == "nosniff"


def test_a_huge_range_number_is_one_log_line(site, caplog: pytest.LogCaptureFixture):
    port, _, mp3 = site
    size = mp3.stat().st_size
    with caplog.at_level(logging.INFO, logger="briefing"):
        status, headers, _ = get(port, "/2026-01-02/solar.mp3",
                                 {"Range": "bytes=" + "9" * 5000 + "-"})
        assert status == 416 and headers["content-range"] == f"bytes */{size}"
        status, headers, body = get(port, "/2026-01-02/solar.mp3",
                                    {"Range": "bytes=10-" + "9" * 5000})
        assert status == 206 and body == mp3.read_bytes()[10:]
        status, _, body = get(port, "/2026-01-02/solar.mp3", {"Range": "bytes=-" + "9" * 5000})
        assert status == 206 and body == mp3.read_bytes()
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def test_a_client_hanging_up_mid_answer_is_one_line(tmp_path: Path,
                                                    caplog: pytest.LogCaptureFixture):
    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "long", seconds=600)  # ~4.8 MB: more than socket buffers
    for n in range(80):  # and a page of ~80 episodes, larger than them too
        fake_episode(out, f"2025-{1 + n // 28:02d}-{1 + n % 28:02d}", f"e{n}", seconds=1,
                     story="A story with a long title " * 8)
    server, port = _serving(out)
    try:
        with caplog.at_level(logging.INFO, logger="briefing"):
            for path in ("/2026-01-02/long.mp3", "/"):
                sock = socket.create_connection(("127.0.0.1", port), timeout=10)
                sock.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                sock.recv(1000)
                # hang up hard (RST), with most of the answer unsent
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.close()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and sum(
                    "hung up" in r.getMessage() for r in caplog.records) < 2:
                time.sleep(0.05)
        hung = [r for r in caplog.records if "hung up" in r.getMessage()]
        assert len(hung) == 2, [r.getMessage() for r in caplog.records]
        assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
        assert get(port, "/2026-01-02/long.mp3", {"Range": "bytes=0-9"})[0] == 206  # still up
    finally:
        server.shutdown()
        server.server_close()


def test_idle_connections_time_out_and_connections_are_capped(tmp_path: Path):
    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "solar")
    server, port = _serving(out, max_connections=2, idle_timeout_s=1.0)
    try:
        idle = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(2)]
        time.sleep(0.2)
        third = socket.create_connection(("127.0.0.1", port), timeout=10)
        assert third.recv(100).startswith(b"HTTP/1.1 503")
        third.close()
        started = time.monotonic()
        for sock in idle:  # closed by the server after the idle timeout
            assert sock.recv(100) == b""
            sock.close()
        assert time.monotonic() - started < 5
        time.sleep(0.2)
        assert get(port, "/2026-01-02/solar.mp3", {"Range": "bytes=0-9"})[0] == 206
    finally:
        server.shutdown()
        server.server_close()


def test_two_hundred_concurrent_downloads(site):
    port, _, mp3 = site
    data = mp3.read_bytes()
    results: list[bool] = []

    def download() -> None:
        status, _, body = get(port, "/2026-01-02/solar.mp3")
        results.append(status == 200 and body == data)

    threads = [threading.Thread(target=download) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert results.count(True) == 200


def test_a_server_on_every_ipv6_and_ipv4_address_links_back_to_the_one_used(tmp_path: Path):
    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "solar")
    try:
        server, port = _serving(out, host="::")
    except OutputError as exc:
        pytest.skip(f"no IPv6 here: {exc}")
    try:
        conn = http.client.HTTPConnection("127.0.0.2", port, timeout=10)
        conn.request("GET", "/feed.xml")
        body = conn.getresponse().read()
        conn.close()
        assert _enclosures(body) == [f"http://127.0.0.2:{port}/2026-01-02/solar.mp3"]
        conn = http.client.HTTPConnection("::1", port, timeout=10)
        conn.request("GET", "/feed.xml")
        body = conn.getresponse().read()
        conn.close()
        assert _enclosures(body) == [f"http://[::1]:{port}/2026-01-02/solar.mp3"]
    finally:
        server.shutdown()
        server.server_close()

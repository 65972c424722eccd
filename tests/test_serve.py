"""`briefing serve`: Range requests, MIME types, the archive page, nothing outside the folder."""

from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing.serve import make_server
from tests.episodes import fake_episode

pytestmark = pytest.mark.network


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[int, Path, Path]]:
    out = tmp_path / "output"
    mp3 = fake_episode(out, "2026-01-02", "solar")
    (tmp_path / "secret.txt").write_text("not for the network")
    (out / ".hidden").write_text("staging")
    server = make_server(out, "127.0.0.1", 0, title="Town <News>")
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

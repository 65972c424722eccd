"""Subscribing from a phone, as the phone sees it but inside loopback: `serve --host 0.0.0.0`,
the feed fetched through 127.0.0.2, every enclosure downloaded through the feed's own URLs;
the QR code printed for the LAN address encodes exactly the feed's URL.

Traffic stays in 127.0.0.0/8: the machine's network address is printed, never contacted.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

import podcastparser
import pytest
import segno
from click.testing import CliRunner

from briefing.cli import cli
from briefing.publish import qr
from tests.episodes import fake_episode

pytestmark = pytest.mark.network


def fetch(url: str) -> bytes:
    assert url.startswith(("http://127.", "http://localhost")), url  # never off loopback
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def _matrix_from_compact(text: str) -> list[list[bool]]:
    """Dark modules back from segno's half-block text (two rows a line, light as blocks)."""
    top = {"█": False, "▀": False, "▄": True, " ": True}
    bottom = {"█": False, "▀": True, "▄": False, " ": True}
    rows = []
    for line in text.rstrip("\n").split("\n"):
        rows.append([top[ch] for ch in line])
        rows.append([bottom[ch] for ch in line])
    return rows


def _expected_matrix(url: str, border: int = 2) -> list[list[bool]]:
    code = segno.make(url, error="m", micro=False)
    width = code.symbol_size(border=border)[0]
    rows = [[bool(v) for v in row] for row in code.matrix_iter(border=border)]
    if len(rows) % 2:  # the last line's lower half is beyond the code: printed as dark
        rows.append([True] * width)
    return rows


def test_the_terminal_qr_code_encodes_the_feed_url():
    url = "http://192.0.2.7:8123/feed.xml"
    out = io.StringIO()
    qr.terminal(url, out, colours=False)
    assert _matrix_from_compact(out.getvalue()) == _expected_matrix(url)
    assert _matrix_from_compact(out.getvalue()) != _expected_matrix(url + "x")


def test_serve_beyond_loopback_prints_the_lan_feed_and_its_qr_code(tmp_path: Path, monkeypatch):
    from briefing import serve

    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "solar")
    monkeypatch.setattr(serve, "lan_address", lambda host: "192.0.2.7")

    def stop(self, poll_interval: float = 0.5) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(serve.ArchiveServer, "serve_forever", stop)
    result = CliRunner().invoke(cli, ["serve", "-d", str(out), "--host", "0.0.0.0",
                                      "--port", "0"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    port = re.search(r"http://0\.0\.0\.0:(\d+)/", lines[0]).group(1)
    feed = f"http://192.0.2.7:{port}/feed.xml"
    assert lines[1] == f"Subscribe from a phone on this network: {feed}"
    code = "\n".join(line for line in lines if line and set(line) <= set("█▀▄ ")) + "\n"
    assert _matrix_from_compact(code) == _expected_matrix(feed)
    assert "anyone on this network can listen in" in result.output
    assert "Stopped." in result.output


def test_a_phone_subscribes_through_another_address(tmp_path: Path):
    out = tmp_path / "output"
    for day, slug in (("2026-01-01", "first"), ("2026-01-02", "second story")):
        fake_episode(out, day, slug, seconds=4)
    config = tmp_path / "briefing.toml"
    config.write_text('[briefing]\ntitle = "Town News"\noutput_dir = "output"\n')
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefing", "serve", "--config", str(config),
         "--host", "0.0.0.0", "--port", "0"],
        stderr=subprocess.PIPE, text=True, env={**os.environ}, cwd="/",  # another folder
    )
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        match = re.search(r"Serving (\S+) at http://0\.0\.0\.0:(\d+)/", first)
        assert match, first
        assert Path(match.group(1)) == out  # the config's folder, not the current one
        base = f"http://127.0.0.2:{match.group(2)}/"
        xml = fetch(base + "feed.xml")
        show = podcastparser.parse(base + "feed.xml", io.BytesIO(xml))
        assert show["title"] == "Town News" and len(show["episodes"]) == 2
        assert show["cover_url"] == base + "cover.png"
        assert fetch(show["cover_url"]).startswith(b"\x89PNG")
        for episode in show["episodes"]:
            (enclosure,) = episode["enclosures"]
            assert enclosure["url"].startswith(base)
            data = fetch(enclosure["url"])
            relative = enclosure["url"].removeprefix(base).replace("%20", " ")
            assert data == (out / relative).read_bytes()
            assert len(data) == enclosure["file_size"]
        for url in re.findall(r'url="([^"]+\.(?:vtt|srt|chapters\.json))"', xml.decode()):
            assert url.startswith(base)
            relative = url.removeprefix(base).replace("%20", " ")
            assert fetch(url) == (out / relative).read_bytes()
        page = fetch(base).decode()
        assert f'value="{base}feed.xml"' in page
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_page_opened_on_this_machine_shows_the_code_for_phones(tmp_path: Path,
                                                                     monkeypatch):
    import threading

    from briefing import serve

    out = tmp_path / "output"
    fake_episode(out, "2026-01-02", "solar")
    monkeypatch.setattr(serve, "lan_address", lambda host: "192.0.2.7")  # printed, not used
    server = serve.make_server(out, "0.0.0.0", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        port = server.server_address[1]
        page = fetch(f"http://127.0.0.1:{port}/").decode()
        phone = f"http://192.0.2.7:{port}/feed.xml"
        assert f"From a phone on this network: <code>{phone}</code>" in page
        assert 'aria-label="QR code of the feed address on this network"' in page
        assert f'value="http://127.0.0.1:{port}/feed.xml"' in page  # this machine's own
    finally:
        server.shutdown()
        server.server_close()


def test_lan_address():
    from briefing.serve import lan_address

    assert lan_address("127.0.0.1") is None and lan_address("::1") is None
    assert lan_address("localhost") is None
    assert lan_address("192.168.1.5") == "192.168.1.5"
    assert lan_address("nas.example") == "nas.example"
    found = lan_address("0.0.0.0")  # the routing table's choice: no packet is sent
    assert found is None or not found.startswith("127.")

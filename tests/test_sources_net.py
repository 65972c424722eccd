"""URLs and feeds served from a local ThreadingHTTPServer on 127.0.0.1: never the network."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from briefing.errors import SourceError
from briefing.sources import fetch, load

pytestmark = pytest.mark.network
DATA = Path(__file__).parent / "data" / "sources"
ARTICLE = (DATA / "article.html").read_bytes()
SEEN_AGENTS: list[str] = []


def feed_xml(base: str) -> bytes:
    items = [
        ("Good link", f"{base}/article.html", "2024-03-05", ""),
        (
            "Missing page",
            f"{base}/missing",
            "2024-03-04",
            "The missing story has its own text here.",
        ),
        ("Slow page", f"{base}/slow", "2024-03-03", "The slow story falls back to its summary."),
        ("Loop page", f"{base}/loop", "2024-03-02", "The looping story falls back to its summary."),
        ("Huge page", f"{base}/huge", "2024-03-01", "The huge story falls back to its summary."),
    ]
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>{_rfc822(d)}</pubDate>"
        f"<description>{s}</description></item>"
        for t, link, d, s in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local</title>'
        f"<link>{base}/</link><description>test</description>{body}</channel></rss>"
    ).encode()


def _rfc822(day: str) -> str:
    from datetime import datetime
    from email.utils import format_datetime

    return format_datetime(datetime.fromisoformat(day).replace(tzinfo=UTC), usegmt=True)


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes, content_type: str = "text/html") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        SEEN_AGENTS.append(self.headers.get("User-Agent", ""))
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        path = self.path
        if path == "/article.html":
            self._send(200, ARTICLE, "text/html; charset=utf-8")
        elif path == "/feed":
            self._send(200, feed_xml(base), "application/rss+xml")
        elif path == "/feed-as-html":  # a feed served with the wrong content type: sniffed
            self._send(200, feed_xml(base), "text/html")
        elif path == "/slow":
            time.sleep(2)
            self._send(200, ARTICLE)
        elif path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(path)}")
            self.end_headers()
        elif path == "/to-file":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()
        elif path == "/huge":  # streamed without a Content-Length, far beyond the cap
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"word " * 2000 + b"</p>"
            try:
                for _ in range(2000):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/latin1":
            text = "<html><head><title>Café</title></head><body><article>" + (
                "<p>Le café de la gare a rouvert ses portes lundi matin, à la grande joie des "
                "habitués du quartier qui attendaient ce moment depuis des mois.</p>" * 3
            )
            self._send(200, (text + "</article></body></html>").encode("latin-1"),
                       "text/html; charset=ISO-8859-1")  # fmt: skip
        else:
            self._send(404, b"<html><body>Not found</body></html>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def small_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "TIMEOUT_S", 0.5)
    monkeypatch.setattr(fetch, "MAX_BYTES", 200_000)


def test_page_url(server: str) -> None:
    [article] = load(f"{server}/article.html")
    assert article.title == "City library extends its opening hours"
    assert article.url == f"{server}/article.html"
    assert article.source == f"{server}/article.html"
    assert article.author == "Maria Jensen"
    assert SEEN_AGENTS[-1].startswith("briefing/")


def test_declared_http_charset(server: str) -> None:
    [article] = load(f"{server}/latin1")
    assert "Le café de la gare" in article.text
    assert article.language == "fr"


def test_feed_url_fetches_items_and_falls_back(server: str) -> None:
    articles = load(f"{server}/feed", max_stories=5, allow_private_links=True)
    assert [a.title for a in articles] == [
        "Good link", "Missing page", "Slow page", "Loop page", "Huge page"
    ]  # fmt: skip
    assert "heat pump" in articles[0].text  # fetched and extracted
    assert articles[1].text == "The missing story has its own text here."  # 404 -> summary
    assert articles[2].text == "The slow story falls back to its summary."  # time-out
    assert articles[3].text == "The looping story falls back to its summary."  # redirect loop
    assert articles[4].text == "The huge story falls back to its summary."  # size cap
    assert all(a.source == f"{server}/feed" for a in articles)


def test_feed_sniffed_despite_content_type(server: str) -> None:
    assert len(load(f"{server}/feed-as-html", max_stories=1, allow_private_links=True)) == 1


def test_feed_url_offline_flag_refuses_network(server: str) -> None:
    with pytest.raises(SourceError, match="offline"):
        load(f"{server}/feed", offline=True)


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing", "HTTP 404"),
        ("/slow", "timed out after 0.5 s"),
        ("/loop", "redirect"),
        ("/huge", "MB cap"),
        ("/to-file", "refused"),
    ],
)
def test_url_failures_say_which_and_why(server: str, path: str, reason: str) -> None:
    url = f"{server}{path}"
    with pytest.raises(SourceError) as error:
        load(url)
    message = str(error.value)
    assert "\n" not in message
    assert reason in message
    assert path in message


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/story"
    with pytest.raises(SourceError) as error:
        load(url)
    assert "connection refused" in str(error.value) and url in str(error.value)


def test_fetch_enforces_cap_while_streaming(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "MAX_BYTES", 50_000)
    start = time.monotonic()
    with pytest.raises(SourceError, match="cap"):
        fetch.fetch(f"{server}/huge")
    assert time.monotonic() - start < 5  # stopped early, did not download 20 MB

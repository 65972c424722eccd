"""Hostile and broken servers on 127.0.0.1: malformed HTTP, drip-fed headers, SSRF from feeds,
DNS rebinding, TLS to a pinned address. Never the network."""

from __future__ import annotations

import logging
import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefing.errors import BlockedAddressError, SourceError
from briefing.sources import connection, fetch, load
from briefing.sources.guard import Reach

pytestmark = pytest.mark.network
DATA = Path(__file__).parent / "data"
ARTICLE = (DATA / "sources" / "article.html").read_bytes()
TLS = DATA / "tls"
PUBLIC_STAND_IN = "93.184.216.34"  # a public address the tests map to 127.0.0.1 when connecting

Script = Callable[[socket.socket, "Server"], None]


def ok(body: bytes, content_type: str = "text/html; charset=utf-8") -> bytes:
    return (f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body


def raw(data: bytes) -> Script:
    return lambda sock, server: sock.sendall(data)


def drip_headers(sock: socket.socket, server: Server) -> None:
    """A valid response whose headers come one line every 0.2 s for 12 s, then the page."""
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
    for i in range(60):
        time.sleep(0.2)
        sock.sendall(f"X-Slow-{i}: {i}\r\n".encode())
    sock.sendall(ok(ARTICLE).split(b"\r\n", 1)[1])


def redirect(location: str) -> Script:
    return raw(f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n"
               "Connection: close\r\n\r\n".encode())  # fmt: skip


SCRIPTS: dict[str, Script] = {
    "/article.html": raw(ok(ARTICLE)),
    "/bad-status": raw(b"HTTP/1.1 OK-ish\r\n\r\nhello"),
    "/not-http": raw(b"SSH-2.0-OpenSSH_9.6\r\n"),
    "/bad-chunks": raw(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked"
                       b"\r\n\r\nzz-not-hex\r\n<p>hello</p>\r\n0\r\n\r\n"),
    "/cut-chunks": raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                       b"400\r\n<p>only a few bytes of the promised 1024"),
    "/many-headers": raw(b"HTTP/1.1 200 OK\r\n"
                         + b"".join(b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\nbody"),
    "/long-header": raw(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70000 + b"\r\n\r\nbody"),
    "/hang-up": raw(b""),
    "/drip-headers": drip_headers,
}


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        super().__init__((host, 0), _Handler)
        self.tls = tls
        self.paths: list[str] = []
        self.hosts: list[str] = []
        self.names: list[str] = []  # TLS server names (SNI) clients asked for
        self.scripts = dict(SCRIPTS)

    @property
    def base(self) -> str:
        return f"http://{self.server_address[0]}:{self.server_address[1]}"

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class _Handler(socketserver.BaseRequestHandler):
    server: Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        try:
            if self.server.tls is not None:
                sock = self.server.tls.wrap_socket(sock, server_side=True)
            head = b""
            while b"\r\n\r\n" not in head and len(head) < 65536:
                data = sock.recv(4096)
                if not data:
                    return
                head += data
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            host = next((ln.split(":", 1)[1].strip() for ln in lines[1:]
                         if ln.lower().startswith("host:")), "")  # fmt: skip
            self.server.paths.append(path)
            self.server.hosts.append(host)
            script = self.server.scripts.get(path, raw(b"HTTP/1.1 404 Not Found\r\n"
                                                       b"Content-Length: 0\r\n\r\n"))
            script(sock, self.server)
        except (OSError, ssl.SSLError):
            pass  # the client gave up: that is what several tests are about
        finally:
            sock.close()


def serve(server: Server) -> Iterator[Server]:
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    yield from serve(Server())


@pytest.fixture
def public_stand_in(monkeypatch: pytest.MonkeyPatch, server: Server) -> list[tuple[str, int]]:
    """Connections to PUBLIC_STAND_IN reach the local server: a "public" host, kept local."""
    real = socket.create_connection
    seen: list[tuple[str, int]] = []

    def connect(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        seen.append(address)
        if address[0] == PUBLIC_STAND_IN:
            address = ("127.0.0.1", address[1])
        assert address[0].startswith("127."), f"test traffic must stay local: {address}"
        return real(address, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(connection.socket, "create_connection", connect)
    return seen


def feed(links: list[tuple[str, str]]) -> bytes:
    items = "".join(f"<item><title>{title}</title><link>{link}</link><description>The feed's "
                    f"own words about {title.lower()} are read instead.</description></item>"
                    for title, link in links)  # fmt: skip
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local'
            f"</title><link>http://127.0.0.1/</link>{items}</channel></rss>").encode()


# --- malformed responses: one line each, never an http.client traceback ----------------

@pytest.mark.parametrize(("path", "needle"), [
    ("/bad-status", "bad status line"),
    ("/not-http", "bad status line"),
    ("/bad-chunks", "chunked"),
    ("/cut-chunks", "cut short"),
    ("/many-headers", "more than 100 headers"),
    ("/long-header", "too long"),
    ("/hang-up", "closed the connection"),
])  # fmt: skip
def test_malformed_responses_are_one_line_source_errors(
    server: Server, path: str, needle: str
) -> None:
    url = server.base + path
    with pytest.raises(SourceError) as error:
        fetch.fetch(url, timeout=5)
    message = str(error.value)
    assert message.startswith(f"could not fetch {url}: ") and needle in message
    assert "\n" not in message and len(message) < 300


def test_a_malformed_link_in_a_feed_is_skipped_like_a_404(server: Server) -> None:
    server.scripts["/feed"] = raw(ok(feed([
        ("Good story", f"{server.base}/article.html"),
        ("Broken story", f"{server.base}/bad-chunks"),
        ("Chatty story", f"{server.base}/many-headers"),
    ]), "application/rss+xml"))  # fmt: skip
    good, broken, chatty = load(f"{server.base}/feed", allow_private_links=True)
    assert "heat pump" in good.text
    assert broken.text == "The feed's own words about broken story are read instead."
    assert chatty.text == "The feed's own words about chatty story are read instead."


# --- one deadline per URL -------------------------------------------------------------

def test_headers_fed_one_line_at_a_time_do_not_outlast_the_deadline(server: Server) -> None:
    # every line arrives well within any per-read time-out; only a deadline over the whole
    # fetch stops it (else the page arrives, whole, after 12 s)
    with pytest.raises(SourceError, match="timed out after 1 s"):
        fetch.fetch(f"{server.base}/drip-headers", timeout=1)


def test_the_deadline_spans_redirect_hops(server: Server) -> None:
    server.scripts["/hop"] = redirect("/drip-headers")
    with pytest.raises(SourceError, match="timed out after 1 s") as error:
        fetch.fetch(f"{server.base}/hop", timeout=1)
    assert f"{server.base}/hop" in str(error.value)


# --- SSRF: a feed's links reach only public addresses -----------------------------------

def test_a_local_feed_linking_to_a_local_page_is_refused_by_default(
    server: Server, caplog: pytest.LogCaptureFixture
) -> None:
    server.scripts["/feed"] = raw(ok(feed([("Inside story", f"{server.base}/article.html")]),
                                     "application/rss+xml"))  # fmt: skip
    with caplog.at_level(logging.INFO, logger="briefing"):
        [article] = load(f"{server.base}/feed")  # the feed itself: typed, so it may be local
    assert article.text == "The feed's own words about inside story are read instead."
    assert server.paths == ["/feed"]  # the page was never asked for
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "127.0.0.1 is a loopback address" in warnings[0].getMessage()
    assert "allow_private_feed_links" in warnings[0].getMessage()


def test_the_switch_lets_feed_links_reach_local_pages(server: Server) -> None:
    server.scripts["/feed"] = raw(ok(feed([("Inside story", f"{server.base}/article.html")]),
                                     "application/rss+xml"))  # fmt: skip
    [article] = load(f"{server.base}/feed", allow_private_links=True)
    assert "heat pump" in article.text
    assert server.paths == ["/feed", "/article.html"]


def test_a_feed_file_on_disk_is_held_to_the_same_rule(server: Server, tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_bytes(feed([("Inside story", f"{server.base}/article.html")]))
    [article] = load(str(path))
    assert article.text.startswith("The feed's own words")
    assert server.paths == []


def test_a_public_feed_link_may_not_redirect_inside(
    server: Server, public_stand_in: list[tuple[str, int]]
) -> None:
    resolve = {"news.example": [PUBLIC_STAND_IN], "intranet.example": ["10.1.2.3"]}
    server.scripts["/jump"] = redirect(f"{server.base}/article.html")
    server.scripts["/jump-by-name"] = redirect(f"http://intranet.example:{server.port}/x")
    for path, needle in (("/jump", "127.0.0.1 is a loopback address"),
                         ("/jump-by-name", "intranet.example is 10.1.2.3, a private address")):
        url = f"http://news.example:{server.port}{path}"
        with pytest.raises(BlockedAddressError) as error:
            fetch.fetch(url, reach=Reach.PUBLIC, resolve=lambda h, p, s: resolve[h], timeout=5)
        assert f"could not fetch {url}: it redirects to" in str(error.value)
        assert needle in str(error.value)
    assert server.paths == ["/jump", "/jump-by-name"]  # neither target was asked for
    assert [a[0] for a in public_stand_in] == [PUBLIC_STAND_IN, PUBLIC_STAND_IN]


def test_a_typed_public_url_may_not_redirect_inside_but_a_typed_local_one_may(
    server: Server, public_stand_in: list[tuple[str, int]]
) -> None:
    server.scripts["/jump"] = redirect(f"{server.base}/article.html")
    public = f"http://news.example:{server.port}/jump"
    with pytest.raises(BlockedAddressError, match="a public page"):
        fetch.fetch(public, resolve=lambda h, p, s: [PUBLIC_STAND_IN], timeout=5)
    assert server.paths == ["/jump"]
    page = fetch.fetch(f"{server.base}/jump", timeout=5)  # the user's own server, typed
    assert page.body == ARTICLE and page.url == f"{server.base}/article.html"


def test_the_connection_goes_to_the_address_that_was_checked(
    server: Server, public_stand_in: list[tuple[str, int]]
) -> None:
    # DNS rebinding: the name answers public when checked and loopback ever after; the
    # fetch must ask once and connect to the answer it checked
    answers = iter([[PUBLIC_STAND_IN]])
    asked: list[str] = []

    def rebinding(host: str, port: int, seconds: float) -> list[str]:
        asked.append(host)
        return next(answers, ["127.0.0.1"])

    url = f"http://rebind.example:{server.port}/article.html"
    page = fetch.fetch(url, reach=Reach.PUBLIC, resolve=rebinding, timeout=5)
    assert page.body == ARTICLE
    assert asked == ["rebind.example"]
    assert public_stand_in == [(PUBLIC_STAND_IN, server.port)]
    assert server.hosts == [f"rebind.example:{server.port}"]  # the Host header keeps the name


@pytest.fixture
def tls_server() -> Iterator[Server]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "news.example.pem", TLS / "news.example.key")
    server = Server(tls=context)
    context.sni_callback = lambda sock, name, ctx: server.names.append(name or "")  # type: ignore[func-returns-value]
    yield from serve(server)


def test_tls_to_the_pinned_address_checks_the_name(tls_server: Server) -> None:
    trust = ssl.create_default_context(cafile=str(TLS / "news.example.pem"))
    local = {"news.example": ["127.0.0.1"], "other.example": ["127.0.0.1"]}
    url = f"https://news.example:{tls_server.port}/article.html"
    page = fetch.fetch(url, resolve=lambda h, p, s: local[h], tls=trust, timeout=5)
    assert page.body == ARTICLE
    assert tls_server.names == ["news.example"]  # SNI carries the name, not 127.0.0.1
    assert tls_server.hosts == [f"news.example:{tls_server.port}"]
    wrong = f"https://other.example:{tls_server.port}/article.html"
    with pytest.raises(SourceError, match="TLS error") as error:
        fetch.fetch(wrong, resolve=lambda h, p, s: local[h], tls=trust, timeout=5)
    assert "other.example" in str(error.value)


@pytest.mark.parametrize(("url", "needle"), [
    ("http://[::1", "not a valid URL"), ("http://[not-an-address]/", "not a valid URL"),
    ("http://x:99999/", "port"), ("http://" + "a" * 64 + ".example/", "host name is not valid"),
])  # fmt: skip
def test_urls_that_cannot_be_fetched_are_one_line(url: str, needle: str) -> None:
    # (none of these reaches the network: each fails before any lookup)
    with pytest.raises(SourceError) as error:
        fetch.fetch(url, timeout=2)
    assert "\n" not in str(error.value) and needle in str(error.value)


def test_a_redirect_to_a_broken_url_is_one_line(server: Server) -> None:
    server.scripts["/odd"] = redirect("http://[::1/x")
    with pytest.raises(SourceError, match="not a URL"):
        fetch.fetch(f"{server.base}/odd", timeout=5)

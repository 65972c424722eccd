"""Fetch an http(s) URL: one deadline, a size cap, vetted and bounded redirects, a User-Agent."""

from __future__ import annotations

import http.client
import ipaddress
import os
import socket
import ssl
import urllib.parse
from dataclasses import dataclass

from briefing import __version__
from briefing.errors import SourceError
from briefing.sources.connection import Deadline, PinnedHTTPConnection, PinnedHTTPSConnection
from briefing.sources.guard import Reach, Resolver, refusal, system_resolver, vet

TIMEOUT_S = 15.0  # a whole fetch, connect to last byte: a news page that takes longer is down
MAX_BYTES = 5 * 1024 * 1024  # the longest real article pages are ~2 MB; beyond that is not a story
MAX_REDIRECTS = 5  # http->https->www->canonical is 3; more than 5 is a loop
CHUNK = 64 * 1024
USER_AGENT = f"briefing/{__version__} (+https://github.com/briefing; offline news podcast maker)"
ALLOWED_SCHEMES = ("http", "https")
HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
    "Accept-Encoding": "identity",
    "Connection": "close",
}


@dataclass(frozen=True)
class Response:
    """What a fetch gave: the final URL after redirects, the body and its content type."""

    url: str
    body: bytes
    content_type: str


def check_url(url: str) -> str:
    """Return `url` if it is an http(s) URL with a host, else raise SourceError naming it."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError as error:  # "http://[::1" and the like
        raise SourceError(f"{url}: not a valid URL ({error}): check it") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise SourceError(f"{url}: {shown} URLs are refused: give an http:// or https:// URL")
    if not parts.hostname:
        raise SourceError(f"{url}: the URL has no host: give a full http(s)://host/path URL")
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked for it
    except ValueError:
        raise SourceError(f"{url}: the URL's port is not a number from 0 to 65535") from None
    return url.strip()


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    reach: Reach = Reach.TYPED,
    resolve: Resolver = system_resolver,
    tls: ssl.SSLContext | None = None,
) -> Response:
    """GET `url`; SourceError saying which URL and why when it cannot be had.

    `reach` says which addresses the URL and its redirects may lead to (guard.Reach);
    one deadline of `timeout` seconds covers the lookups, connections, headers and bodies
    of every hop.
    """
    url = check_url(url)
    timeout = _default_timeout() if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    deadline = Deadline(timeout)
    current = url
    try:
        for hop in range(MAX_REDIRECTS + 1):
            origin = url if hop else ""
            connection, response = _request(current, reach, deadline, resolve, tls, origin)
            try:
                target = _redirect_target(current, response)
                if target is None:
                    return _read(url, current, response, max_bytes)
            finally:
                connection.close()
            if hop == MAX_REDIRECTS:
                break
            check_redirect(url, target)
            if reach is Reach.TYPED and not _is_private(connection.address):
                # The user's URL was public: its redirects may not lead into a private network.
                reach = Reach.PUBLIC
            current = target
        raise SourceError(
            f"could not fetch {url}: more than {MAX_REDIRECTS} redirects (a redirect loop?)"
        )
    except TimeoutError:
        raise SourceError(f"could not fetch {url}: timed out after {timeout:g} s") from None
    except http.client.HTTPException as error:
        raise SourceError(f"could not fetch {url}: {_malformed(error)}") from None
    except UnicodeError:  # a host name IDNA cannot encode (a label over 63 characters...)
        raise SourceError(f"could not fetch {url}: the host name is not valid: check it") from None
    except OSError as error:  # ConnectionError, ssl.SSLError, socket.gaierror are OSErrors
        raise SourceError(f"could not fetch {url}: {_reason(error, timeout)}") from None


def check_redirect(url: str, target: str) -> None:
    """SourceError unless a redirect from `url` leads to another http(s) URL."""
    if urllib.parse.urlsplit(target).scheme.lower() not in ALLOWED_SCHEMES:
        raise SourceError(
            f"could not fetch {url}: redirect to {target} refused: only http(s) is followed"
        )
    check_url(target)


def _request(
    url: str,
    reach: Reach,
    deadline: Deadline,
    resolve: Resolver,
    tls: ssl.SSLContext | None,
    origin: str,
) -> tuple[PinnedHTTPConnection, http.client.HTTPResponse]:
    """Send the GET to a vetted address of the URL's host; the response with its headers read."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme.lower() == "https"
    port = parts.port or (443 if secure else 80)
    addresses = vet(url, host, port, reach=reach, seconds=deadline.remaining(),
                    resolve=resolve, origin=origin)  # fmt: skip
    target = _request_target(parts)
    failure: OSError | None = None
    for address in addresses:  # like socket.create_connection: the first that answers
        connection: PinnedHTTPConnection
        if secure:
            connection = PinnedHTTPSConnection(host, port, address=address, deadline=deadline,
                                               context=tls)  # fmt: skip
        else:
            connection = PinnedHTTPConnection(host, port, address=address, deadline=deadline)
        try:
            connection.request("GET", target, headers=HEADERS)
            return connection, connection.getresponse()
        except (ConnectionError, socket.gaierror) as error:
            connection.close()
            failure = error
        except BaseException:
            connection.close()
            raise
    assert failure is not None
    raise failure


def _request_target(parts: urllib.parse.SplitResult) -> str:
    """Path and query as HTTP wants them: non-ASCII and spaces percent-encoded, no fragment."""
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    return urllib.parse.quote(target, safe="/%:@!$&'()*+,;=-._~?")


def _redirect_target(url: str, response: http.client.HTTPResponse) -> str | None:
    if response.status not in (301, 302, 303, 307, 308):
        return None
    location = response.getheader("Location") or ""
    if not location.strip():
        return None  # a redirect with nowhere to go is read as what it is: an error page
    try:
        return urllib.parse.urljoin(url, location.strip())
    except ValueError:
        raise SourceError(
            f"could not fetch {url}: it redirects to {_shown(location)}, which is not a URL"
        ) from None


def _read(url: str, final: str, response: http.client.HTTPResponse, max_bytes: int) -> Response:
    if not 200 <= response.status < 300:
        reason = " ".join(str(response.reason or "").split())[:80]
        raise SourceError(f"could not fetch {url}: HTTP {response.status} {reason}".rstrip())
    declared = response.getheader("Content-Length")
    if declared and declared.strip().isdigit() and int(declared) > max_bytes:
        raise SourceError(_too_big(url, max_bytes))
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read1(CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(_too_big(url, max_bytes))
        chunks.append(chunk)
    return Response(url=final, body=b"".join(chunks),
                    content_type=response.getheader("Content-Type") or "")  # fmt: skip


def _is_private(address: str) -> bool:
    return bool(refusal(ipaddress.ip_address(address)))


def _malformed(error: http.client.HTTPException) -> str:
    """One line for a response http.client could not parse."""
    if isinstance(error, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(error, http.client.IncompleteRead):
        what = "the body was cut short (or its chunked encoding is broken)"
    elif isinstance(error, http.client.LineTooLong):
        what = "a line of the response is too long"
    elif isinstance(error, http.client.BadStatusLine):
        what = f"bad status line {_shown(str(error))}"
    elif isinstance(error, http.client.InvalidURL):
        return f"not a valid URL ({_shown(str(error))}): check it"
    else:
        what = _shown(str(error)) or type(error).__name__
    return f"malformed HTTP response: {what}"


def _shown(text: str) -> str:
    """A server's text made safe for one line of our message."""
    text = " ".join(text.encode("ascii", "backslashreplace").decode().split())
    return text if len(text) <= 80 else text[:77] + "..."


def _default_timeout() -> float:
    """TIMEOUT_S, or $BRIEFING_FETCH_TIMEOUT seconds (slow links; tests use a short one)."""
    raw = os.environ.get("BRIEFING_FETCH_TIMEOUT", "")
    if not raw:
        return TIMEOUT_S
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value <= 600:
        raise SourceError(
            f"BRIEFING_FETCH_TIMEOUT={raw!r} is not a number of seconds between 0 and 600: "
            "fix it or unset it"
        )
    return value


def _too_big(url: str, max_bytes: int) -> str:
    return f"could not fetch {url}: larger than the {max_bytes / (1024 * 1024):.3g} MB cap"


def _reason(reason: object, timeout: float) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"timed out after {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused (is the server up?)"
    if isinstance(reason, socket.gaierror):
        return "host not found (check the URL, or use --offline)"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error ({reason.reason or reason})"
    text = str(getattr(reason, "strerror", None) or reason)
    return text.splitlines()[0] if text else "unknown network error"

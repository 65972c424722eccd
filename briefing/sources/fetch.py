"""Fetch an http(s) URL with urllib: time-out, size cap, bounded redirects, a real User-Agent."""

from __future__ import annotations

import os
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO

from briefing import __version__
from briefing.errors import SourceError

TIMEOUT_S = 15.0  # a whole fetch, connect to last byte: a news page that takes longer is down
MAX_BYTES = 5 * 1024 * 1024  # the longest real article pages are ~2 MB; beyond that is not a story
MAX_REDIRECTS = 5  # http->https->www->canonical is 3; more than 5 is a loop
CHUNK = 64 * 1024
USER_AGENT = f"briefing/{__version__} (+https://github.com/briefing; offline news podcast maker)"
ALLOWED_SCHEMES = ("http", "https")


@dataclass(frozen=True)
class Response:
    """What a fetch gave: the final URL after redirects, the body and its content type."""

    url: str
    body: bytes
    content_type: str


def check_url(url: str) -> str:
    """Return `url` if it is an http(s) URL with a host, else raise SourceError naming it."""
    parts = urllib.parse.urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"{scheme}:" if scheme else "no scheme"
        raise SourceError(f"{url}: {shown} URLs are refused: give an http:// or https:// URL")
    if not parts.hostname:
        raise SourceError(f"{url}: the URL has no host: give a full http(s)://host/path URL")
    return url.strip()


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Re-checks every hop's scheme; the hop limits are set per call in fetch()."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        # Each hop re-checks the scheme: a redirect to file:// or ftp:// is refused too.
        check_url(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, timeout: float | None = None, max_bytes: int | None = None) -> Response:
    """GET `url`; SourceError saying which URL and why when it cannot be had."""
    url = check_url(url)
    timeout = _default_timeout() if timeout is None else timeout
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    # A subclass per call so a monkeypatched MAX_REDIRECTS applies; max_repeats is urllib's
    # loop detector (the same URL seen this often).
    limits = {"max_redirections": MAX_REDIRECTS, "max_repeats": MAX_REDIRECTS}
    opener = urllib.request.build_opener(type("_Bounded", (_Redirects,), limits)())
    request = urllib.request.Request(
        url,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
            "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.5",
            "Accept-Encoding": "identity",
        },
    )
    deadline = time.monotonic() + timeout
    try:
        with opener.open(request, timeout=timeout) as response:
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise SourceError(_too_big(url, max_bytes))
            chunks: list[bytes] = []
            size = 0
            while True:
                if time.monotonic() > deadline:
                    raise SourceError(f"could not fetch {url}: timed out after {timeout:g} s")
                chunk = response.read1(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise SourceError(_too_big(url, max_bytes))
                chunks.append(chunk)
            return Response(
                url=response.geturl(),
                body=b"".join(chunks),
                content_type=response.headers.get("Content-Type", ""),
            )
    except urllib.error.HTTPError as error:
        if error.code in (301, 302, 303, 307, 308):
            target = urllib.parse.urljoin(url, error.headers.get("Location", "") or "")
            if urllib.parse.urlsplit(target).scheme.lower() not in ALLOWED_SCHEMES:
                raise SourceError(
                    f"could not fetch {url}: redirect to {target} refused: only http(s) is followed"
                ) from None
            raise SourceError(
                f"could not fetch {url}: more than {MAX_REDIRECTS} redirects (a redirect loop?)"
            ) from None
        raise SourceError(f"could not fetch {url}: HTTP {error.code} {error.reason}") from None
    except urllib.error.URLError as error:
        raise SourceError(f"could not fetch {url}: {_reason(error.reason, timeout)}") from None
    except TimeoutError:
        raise SourceError(f"could not fetch {url}: timed out after {timeout:g} s") from None
    except (ConnectionError, OSError) as error:
        raise SourceError(f"could not fetch {url}: {_reason(error, timeout)}") from None


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

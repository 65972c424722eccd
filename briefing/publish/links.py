"""What may be published about a source: http(s) links only, a file by its name, never a path."""

from __future__ import annotations

import re
from pathlib import PurePath
from urllib.parse import urlsplit, urlunsplit

STDIN_NAME = "standard input"


def public_url(url: str) -> str:
    """`url` if it is an http(s) link a listener could follow (credentials dropped), else "".

    A feed is written by strangers: `javascript:`, `data:` or `file:` links must never reach
    an href on the page or in the feed.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = parts.hostname
        port = parts.port  # ValueError for a port that is not a number
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not host:
        return ""
    if any(ch.isspace() or ord(ch) < 32 for ch in text):
        return ""
    netloc = host if ":" not in host else f"[{host}]"
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+:")  # two letters at least: not C:\\


def source_name(source: str) -> str:
    """How a published file names a source: its public link, or a file's name (no folders);
    "" for a link that must not be published (`javascript:`, `file:`, `ftp:`...)."""
    link = public_url(source)
    if link:
        return link
    if source.strip() == "-":
        return STDIN_NAME
    if _SCHEME.match(source.strip()):
        return ""
    return PurePath(source.replace("\\", "/")).name

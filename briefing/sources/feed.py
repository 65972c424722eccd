"""RSS 0.9x/2.0, RSS 1.0/RDF and Atom feeds -> their newest items; XML bombs refused."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from typing import Any

from briefing.errors import SourceError

# An internal DTD subset is where entities are declared; news feeds never need one, and
# refusing it before feedparser sees the bytes stops billion-laughs and external entities.
# (no "<" inside: a DOCTYPE never holds one, and each try then stops at the next "<")
_INTERNAL_SUBSET = re.compile(rb"<!DOCTYPE[^<>\[]*\[", re.I)
_ENTITY = re.compile(rb"<!ENTITY", re.I)
_FEED_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|feed|RDF)[\s>/]", re.I)
SNIFF_BYTES = 2048  # the root element sits after the prolog, stylesheets and comments


@dataclass(frozen=True)
class FeedItem:
    """One item as the feed gives it; `html` is its content:encoded or summary."""

    title: str
    link: str
    author: str
    date: str  # ISO 8601, "" when the item has none
    language: str  # the item's or the feed's declared language
    html: str
    site_name: str  # the feed's title
    sort_key: float  # seconds since the epoch, 0 when undated


def looks_like_feed(data: bytes) -> bool:
    """True when the bytes open like an RSS, RDF or Atom document."""
    head = _utf8_head(data)
    return bool(_FEED_ROOT.search(head)) and not re.search(rb"<html[\s>]", head, re.I)


def _utf8_head(data: bytes) -> bytes:
    """The first bytes as UTF-8, whatever the feed's encoding (UTF-16 included), for sniffing."""
    head = data[: SNIFF_BYTES * 4]
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(head) > 1 and b"\x00" in head[:4]):
        for encoding in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return head.decode(encoding, errors="ignore").encode("utf-8")
            except UnicodeError:
                continue
    return head


def parse_feed(data: bytes, *, source: str, max_items: int) -> list[FeedItem]:
    """The newest `max_items` items of the feed in `data`, newest first where dated."""
    import feedparser

    head = _utf8_head(data)
    if any(
        pattern.search(chunk) for pattern in (_INTERNAL_SUBSET, _ENTITY) for chunk in (head, data)
    ):
        raise SourceError(
            f"{source}: the feed declares XML entities (a DOCTYPE with an internal subset), "
            "which briefing refuses as unsafe: ask the publisher for a plain feed"
        )
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    entries: list[Any] = list(parsed.entries)
    if parsed.bozo and not entries:
        reason = str(parsed.get("bozo_exception", "")).splitlines()[0:1]
        detail = f" ({reason[0]})" if reason and reason[0] else ""
        raise SourceError(f"{source}: not a readable RSS/Atom feed: malformed XML{detail}")
    if not entries:
        raise SourceError(f"{source}: the feed has no items: check the feed URL or try later")
    feed = parsed.feed
    feed_language = str(feed.get("language", "") or "")
    site_name = _plain(str(feed.get("title", "") or ""))
    items = [_item(entry, feed_language, site_name) for entry in entries]
    if any(item.sort_key for item in items):
        # Newest first; sorted() is stable, so undated items keep their feed order at the end.
        items = sorted(items, key=lambda item: -item.sort_key)
    return items[:max_items]


def _item(entry: Any, feed_language: str, site_name: str) -> FeedItem:
    html = ""
    for content in entry.get("content", []) or []:
        value = str(content.get("value", "") or "")
        if len(value) > len(html):
            html = value
    summary = str(entry.get("summary", "") or "")
    if len(summary) > len(html):
        html = summary
    parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
    sort_key = float(calendar.timegm(parsed_time)) if parsed_time else 0.0
    date = ""
    if parsed_time:
        date = "{:04d}-{:02d}-{:02d}".format(*parsed_time[:3])
    language = ""
    for detail in ("title_detail", "summary_detail"):
        language = language or str((entry.get(detail) or {}).get("language", "") or "")
    return FeedItem(
        title=_plain(str(entry.get("title", "") or "")),
        link=str(entry.get("link", "") or ""),
        author=_plain(str(entry.get("author", "") or "")),
        date=date,
        language=language or feed_language,
        html=html,
        site_name=site_name,
        sort_key=sort_key,
    )


def _plain(text: str) -> str:
    """Titles may hold markup or entities; speak only their text."""
    import html as html_lib

    text = re.sub(r"<[^<>]+>", " ", text)
    return re.sub(r"\s+", " ", html_lib.unescape(text)).strip()

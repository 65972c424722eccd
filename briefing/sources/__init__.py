"""Sources -> Articles: a path, "-" (stdin), an http(s) URL, or a feed; one Article per story."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import BinaryIO

from briefing.clean.language import detect_language
from briefing.errors import BlockedAddressError, EmptyArticleError, SourceError
from briefing.models import Article
from briefing.paths import MAX_FILE_BYTES, read_capped, too_big
from briefing.sources import fetch as _fetch
from briefing.sources.decode import binary_kind, decode
from briefing.sources.feed import FeedItem, looks_like_feed, parse_feed
from briefing.sources.guard import Reach
from briefing.sources.html import (
    Extracted,
    extract_html,
    html_to_text,
    might_hold_prose,
    require_article,
)
from briefing.sources.prose import NO_SENTENCES, has_sentence, require_prose
from briefing.sources.text import read_markdown, read_text

__all__ = ["MAX_FILE_BYTES", "load", "load_all", "read_capped"]

log = logging.getLogger(__name__)

# Pages above this size are first checked for a sentence anywhere in their text: the
# extractors take seconds on megabytes, and smaller pages get extraction's own, more
# telling message ("an app shell, or a page that needs JavaScript?").
PRECHECK_CHARS = 256 * 1024
# Feed items read past the newest max_stories, to stand in for items that give no story
# (a dead item, a gallery with no words): a bounded few, so a feed of galleries costs a
# few page fetches more, not the whole feed.
SPARE_ITEMS = 3
_SUFFIX_KIND = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".rss": "feed", ".atom": "feed", ".xml": "feed", ".rdf": "feed",
}  # fmt: skip
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
# Schemes named so "javascript:alert(1)" is refused as a URL rather than looked up as a file.
_URL_SCHEMES = {"http", "https", "file", "ftp", "ftps", "javascript", "data", "mailto", "sftp",
                "ssh", "gopher", "ws", "wss", "about", "vbscript"}  # fmt: skip


def load_all(
    sources: Sequence[str],
    *,
    max_stories: int = 5,
    offline: bool = False,
    stdin: BinaryIO | None = None,
    allow_private_links: bool = False,
) -> list[Article]:
    """Articles from every source, in the order given (a feed contributes several)."""
    articles: list[Article] = []
    for source in sources:
        articles.extend(load(source, max_stories=max_stories, offline=offline, stdin=stdin,
                             allow_private_links=allow_private_links))  # fmt: skip
    return articles


def load(
    source: str,
    *,
    max_stories: int = 5,
    offline: bool = False,
    stdin: BinaryIO | None = None,
    allow_private_links: bool = False,
    skip_link: Callable[[str], bool] | None = None,
    keep: Callable[[Article], bool] | None = None,
) -> list[Article]:
    """One Article per story in `source`: a file, "-" for stdin, an http(s) URL, or a feed.

    The kind is read from the suffix, else sniffed from the content. Feeds give their
    newest `max_stories` items; each item's link is fetched and extracted unless
    `offline`, falling back to the item's own content. A feed's links may reach only
    public addresses unless `allow_private_links` (the URL given as `source` may be
    private: it is the user's). A feed item whose link `skip_link` names is not fetched
    and takes its place among the newest; one that fails, or that `keep` refuses (a gallery
    with nothing to read), gives its place to the next item (at most SPARE_ITEMS more).
    Texts come back decoded but not cleaned (clean.py runs next). Raises SourceError /
    EmptyArticleError with one line naming the source and what to do.
    """
    links = Reach.ANY if allow_private_links else Reach.PUBLIC
    if source == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = read_capped(stream, "standard input")
        return _from_bytes(data, source="-", kind="", max_stories=max_stories, offline=offline,
                           links=links, skip_link=skip_link, keep=keep)
    scheme = _SCHEME.match(source.strip())
    if scheme and (scheme.group(1).lower() in _URL_SCHEMES or "://" in source):
        if offline:
            raise SourceError(f"{source}: is a URL and --offline is set: save the page and give "
                              "the file, or drop --offline")  # fmt: skip
        response = _fetch.fetch(source, reach=Reach.TYPED)
        kind = _kind_of_response(response)
        articles = _from_bytes(
            response.body,
            source=source,
            kind=kind,
            max_stories=max_stories,
            offline=offline,
            links=links,
            content_type=response.content_type,
            skip_link=skip_link,
            keep=keep,
        )
        return [_with(a, url=a.url or response.url) for a in articles]
    return _from_path(source, max_stories=max_stories, offline=offline, links=links,
                      skip_link=skip_link, keep=keep)


def _from_path(source: str, *, max_stories: int, offline: bool, links: Reach,
               skip_link: Callable[[str], bool] | None = None,
               keep: Callable[[Article], bool] | None = None) -> list[Article]:
    path = Path(source).expanduser()
    if not path.exists():
        raise SourceError(f"{source}: no such file: check the path")
    if path.is_dir():
        raise SourceError(f"{source}: is a directory: give the files in it, e.g. {source}/*.txt")
    if not path.is_file():
        raise SourceError(f"{source}: not a regular file: give a .txt, .md, .html or feed file")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SourceError(too_big(source, size))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat()
    except OSError as error:
        raise SourceError(
            f"{source}: cannot read it ({error.strerror}): check permissions"
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(too_big(source, len(data)))
    kind = _SUFFIX_KIND.get(path.suffix.lower(), "")
    return _from_bytes(data, source=source, kind=kind, max_stories=max_stories, offline=offline,
                       links=links, skip_link=skip_link, keep=keep)


def _kind_of_response(response: _fetch.Response) -> str:
    content_type = response.content_type.lower()
    if looks_like_feed(response.body):
        return "feed"
    if any(t in content_type for t in ("rss", "atom", "rdf")):
        return "feed"
    if "text/plain" in content_type:
        return "text"
    if "markdown" in content_type:
        return "markdown"
    if "html" in content_type:
        return "html"
    return ""


def _sniff(data: bytes) -> str:
    if looks_like_feed(data):
        return "feed"
    head = data[:4096].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<?xml")) or re.search(
        rb"<(html|head|body|article|p|div)[\s>]", head
    ):
        return "html"
    # (no "[" in link text, no "(" in its target: each try stops where the next could start)
    if re.search(rb"(^|\n)#{1,6} \S|\[[^\[\]\n]+\]\([^()\n]+\)|(^|\n)```", data[:65536]):
        return "markdown"
    return "text"


def _from_bytes(
    data: bytes,
    *,
    source: str,
    kind: str,
    max_stories: int,
    offline: bool,
    links: Reach,
    content_type: str = "",
    skip_link: Callable[[str], bool] | None = None,
    keep: Callable[[Article], bool] | None = None,
) -> list[Article]:
    if not data.strip():
        raise EmptyArticleError(f"{source}: is empty: give a source with article text")
    what = binary_kind(data)
    if what:
        raise SourceError(f"{source}: looks like {what}, not text: give a .txt, .md, .html or feed")
    kind = kind or _sniff(data)
    if kind == "feed":
        return _from_feed(data, source=source, max_stories=max_stories, offline=offline,
                          links=links, skip_link=skip_link, keep=keep)
    text = decode(data, source=source, content_type=content_type)
    if not text.strip():
        raise EmptyArticleError(f"{source}: holds only whitespace: give a source with article text")
    if kind == "html":
        return [_from_html(text, source=source, url="")]
    title, body = read_markdown(text) if kind == "markdown" else read_text(text)
    require_prose(body, source)
    return [Article(text=body, title=title, source=source, language=detect_language(body))]


def _from_html(html: str, *, source: str, url: str) -> Article:
    page = require_article(_extract(html, source=source, url=url), source)
    require_prose(page.text, source, what="page")
    return Article(
        text=page.text,
        title=page.title,
        source=source,
        url=url,
        author=page.author,
        site_name=page.site_name,
        date=page.date,
        language=detect_language(page.text, hint=page.language),
    )


def _extract(html: str, *, source: str, url: str) -> Extracted:
    """The page's article; a big page with no sentence anywhere is refused before extraction."""
    if len(html) > PRECHECK_CHARS and not might_hold_prose(html):
        raise EmptyArticleError(NO_SENTENCES.format(source=source))
    return extract_html(html, url=url)


def _from_feed(data: bytes, *, source: str, max_stories: int, offline: bool, links: Reach,
               skip_link: Callable[[str], bool] | None = None,
               keep: Callable[[Article], bool] | None = None) -> list[Article]:
    articles: list[Article] = []
    reasons: list[str] = []
    taken = 0  # places among the newest max_stories: a story read, or one spoken lately
    for item in parse_feed(data, source=source, max_items=max_stories + SPARE_ITEMS):
        if taken >= max_stories:
            break
        if skip_link is not None and item.link and skip_link(item.link):
            reasons.append(f"{item.link}: spoken lately")
            taken += 1
            continue  # known before fetching its page: fetch only what will be spoken
        try:
            article = _from_item(item, source=source, offline=offline, links=links)
        except SourceError as error:
            # One dead item must not sink a daily briefing: skip it, say so, go on.
            log.warning("skipping a feed item: %s", error)
            reasons.append(str(error))
            continue
        if keep is not None and not keep(article):
            # a gallery or a list with no words to read: the next item takes its place
            log.info("%s: nothing to read aloud; taking the next feed item",
                     item.link or item.title or source)
            reasons.append(f"{item.link or item.title}: nothing to read aloud")
            continue
        articles.append(article)
        taken += 1
    if not articles:
        raise EmptyArticleError(f"{source}: no feed item had readable text ({reasons[-1]})")
    return articles


def _from_item(item: FeedItem, *, source: str, offline: bool, links: Reach) -> Article:
    label = item.link or f"{source} item {item.title!r}"
    page = None
    if item.link and not offline:
        try:
            response = _fetch.fetch(item.link, reach=links)
            if not looks_like_feed(response.body):
                html = decode(response.body, source=item.link, content_type=response.content_type)
                page = require_article(_extract(html, source=item.link, url=response.url),
                                       item.link)  # fmt: skip
                require_prose(page.text, item.link, what="page")
        except BlockedAddressError as error:
            # Skipped like a dead link, but said louder: a feed pointing inside the network
            # is either a mistake or an attack, and the user may want the switch.
            log.warning("%s; reading the feed's own text instead", error)
            page = None
        except SourceError as error:
            log.info("using the feed's own text for %s: %s", item.link, error)
            page = None
    if page is not None:
        text, hint = page.text, item.language or page.language
    else:
        text, hint = html_to_text(item.html), item.language
        if not has_sentence(text) and item.title:
            # Headline-only items (and "submitted by ... [link]" stubs) are read as their title.
            text = item.title if item.title[-1:] in ".!?" else item.title + "."
        if not text.strip():
            raise EmptyArticleError(f"{label}: the feed item has neither text nor a title")
    return Article(
        text=text,
        title=item.title or (page.title if page else ""),
        source=source,
        url=item.link,
        author=item.author or (page.author if page else ""),
        site_name=(page.site_name if page else "") or item.site_name,
        date=item.date or (page.date if page else ""),
        language=detect_language(text, hint=hint),
    )


def _with(article: Article, **changes: str) -> Article:
    from dataclasses import replace

    return replace(article, **changes)

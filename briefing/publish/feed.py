"""output/feed.xml: a podcast RSS 2.0 feed of the archive (feedgen, itunes + podcast namespaces)."""

from __future__ import annotations

import datetime as dt
import html
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from briefing.config import Config
from briefing.publish.archive import ArchivedEpisode, write_atomic

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
FEED = "feed.xml"
COVER = "cover.png"
GUID_NAMESPACE = uuid.UUID("6f1c3f0e-5b0a-4f43-9d0c-2b1f4f3d7a10")  # ours: guids never change


class PodcastExtension(BaseExtension):
    """The Podcasting 2.0 namespace on the channel (feedgen ships only the itunes one)."""

    def __init__(self) -> None:
        self._locked: str | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def locked(self, value: str | None = None) -> str | None:
        """podcast:locked "no": other hosts may import the feed (it is the user's own show)."""
        if value is not None:
            self._locked = value
        return self._locked

    def extend_rss(self, rss_feed: Any) -> Any:
        if self._locked:
            xml_elem(f"{{{PODCAST_NS}}}locked", rss_feed[0]).text = self._locked
        return rss_feed


class PodcastEntryExtension(BaseEntryExtension):
    """podcast:transcript and podcast:chapters on an item."""

    def __init__(self) -> None:
        self._transcripts: list[dict[str, str]] = []
        self._chapters: dict[str, str] | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS}

    def transcript(self, url: str, type_: str, language: str = "", rel: str = "") -> None:
        attrs = {"url": url, "type": type_}
        if language:
            attrs["language"] = language
        if rel:
            attrs["rel"] = rel
        self._transcripts.append(attrs)

    def chapters(self, url: str, type_: str = "application/json+chapters") -> None:
        self._chapters = {"url": url, "type": type_}

    def extend_rss(self, entry: Any) -> Any:
        for attrs in self._transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attrs)
        if self._chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, **self._chapters)
        return entry


def url_for(base_url: str, relpath: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    return urljoin(base, quote(relpath))


def guid(episode: ArchivedEpisode) -> str:
    """Stable across rebuilds and base-URL changes: from the episode's place in the archive."""
    return str(uuid.uuid5(GUID_NAMESPACE, episode.relpath))


def anchor(episode: ArchivedEpisode) -> str:
    """The episode's id on the archive page (index.html#ep-2026-01-02-slug)."""
    return "ep-" + episode.relpath[: -len(".mp3")].replace("/", "-")


def pub_date(episode: ArchivedEpisode) -> dt.datetime:
    """When it was made if that was on its own date; a back-filled day gets its midnight (UTC)."""
    made = dt.datetime.fromtimestamp(episode.mtime, dt.UTC)
    if made.date() == episode.day:
        return made.replace(microsecond=0)
    return dt.datetime.combine(episode.day, dt.time(0, 0), tzinfo=dt.UTC)


def itunes_duration(ms: int) -> str:
    hours, rest = divmod(round(ms / 1000), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def description(episode: ArchivedEpisode) -> str:
    """HTML: the stories with links, then the sources the episode was made from."""
    stories = [c for c in episode.chapters if c.title not in ("Intro", "Outro")]
    parts = [f"<p>{html.escape(episode.title)}</p>"]
    if stories:
        items = "".join(
            f'<li><a href="{html.escape(c.url)}">{html.escape(c.title)}</a></li>' if c.url
            else f"<li>{html.escape(c.title)}</li>"
            for c in stories
        )
        parts.append(f"<p>Stories:</p><ul>{items}</ul>")
    if episode.sources:
        items = "".join(
            f'<li><a href="{html.escape(s)}">{html.escape(s)}</a></li>'
            if s.startswith(("http://", "https://")) else f"<li>{html.escape(s)}</li>"
            for s in episode.sources
        )
        parts.append(f"<p>Sources:</p><ul>{items}</ul>")
    return "".join(parts)


def build_feed(episodes: Sequence[ArchivedEpisode], config: Config) -> bytes:
    """The RSS 2.0 feed of these episodes (newest first), as UTF-8 bytes."""
    base = config.feed_base_url
    fg = FeedGenerator()
    fg.load_extension("podcast")  # feedgen's name for the itunes namespace
    fg.register_extension("podcastindex", PodcastExtension, PodcastEntryExtension)
    fg.title(config.title)
    fg.link(href=url_for(base, FEED), rel="self")
    fg.link(href=url_for(base, ""), rel="alternate")  # after "self": feedgen's <link> is the last
    summary = f"{config.title}: a short spoken news briefing, made on your own computer."
    fg.description(summary)
    fg.language(config.language)
    fg.image(url=url_for(base, COVER), title=config.title, link=url_for(base, ""))
    fg.generator("briefing")
    author = config.author or config.title
    fg.podcast.itunes_author(author)
    fg.podcast.itunes_summary(summary)
    fg.podcast.itunes_image(url_for(base, COVER))
    fg.podcast.itunes_explicit("no")
    fg.podcast.itunes_category("News", "Daily News")
    fg.podcast.itunes_type("episodic")
    fg.podcastindex.locked("no")
    if episodes:
        fg.lastBuildDate(max(pub_date(e) for e in episodes))
    # feedgen prepends each new entry: add the oldest first so the newest comes out on top
    for episode in reversed(episodes):
        fe = fg.add_entry()
        fe.guid(guid(episode), permalink=False)
        fe.title(episode.title)
        fe.link(href=url_for(base, "") + "#" + anchor(episode))
        fe.description(description(episode))
        fe.pubDate(pub_date(episode))
        fe.enclosure(url_for(base, episode.relpath), str(episode.size), "audio/mpeg")
        fe.podcast.itunes_duration(itunes_duration(episode.duration_ms))
        fe.podcast.itunes_author(author)
        if episode.sidecar(".vtt").is_file():
            fe.podcastindex.transcript(url_for(base, episode.sidecar_relpath(".vtt")), "text/vtt",
                                       language=episode.language, rel="captions")
        if episode.sidecar(".txt").is_file():
            fe.podcastindex.transcript(url_for(base, episode.sidecar_relpath(".txt")),
                                       "text/plain", language=episode.language)
        if episode.sidecar(".chapters.json").is_file():
            fe.podcastindex.chapters(url_for(base, episode.sidecar_relpath(".chapters.json")))
    data: bytes = fg.rss_str(pretty=True)
    return data


def write_feed(output_dir: Path, episodes: Sequence[ArchivedEpisode], config: Config) -> Path:
    """Rewrite output/feed.xml atomically (and the cover art it points at, once)."""
    ensure_cover(output_dir, config)
    path = output_dir / FEED
    write_atomic(path, build_feed(episodes, config))
    return path


def ensure_cover(output_dir: Path, config: Config) -> Path:
    """The show's artwork beside the feed: the user's cover_image, else one generated."""
    path = output_dir / COVER
    if not path.is_file():
        if config.cover_image:
            data = Path(config.cover_image).expanduser().read_bytes()
        else:
            from briefing.publish.cover import cover_png

            data = cover_png(config.title)
        write_atomic(path, data)
    return path

"""output/feed.xml: a podcast RSS 2.0 feed of the archive (feedgen, itunes + podcast namespaces).

Checked against Apple's podcast RSS requirements and the Podcasting 2.0 namespace, and read
back in the tests by gPodder's podcastparser and by feedparser.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from briefing.config import Config
from briefing.publish.archive import ArchivedEpisode, numbers, write_atomic
from briefing.publish.links import public_url, source_name
from briefing.publish.manifest import episode_title, first_sentences, story_chapters

log = logging.getLogger(__name__)

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
FEED = "feed.xml"
COVER = "cover.png"
COVER_JPEG = "cover.jpg"
# Where `briefing serve` answers on this machine by default: the feed.xml written to disk
# points here when no public_url is set, which only a player on this machine can follow.
LOCAL_URL = "http://localhost:8000/"
GUID_NAMESPACE = uuid.UUID("6f1c3f0e-5b0a-4f43-9d0c-2b1f4f3d7a10")  # ours: guids never change
# The Podcasting 2.0 namespace's own: podcast:guid is the UUIDv5 of the feed's URL in it
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
TRANSCRIPTS = ((".vtt", "text/vtt", "captions"), (".srt", "application/x-subrip", "captions"))


class ShowExtension(BaseExtension):
    """What feedgen does not write, or writes in an older form, on the channel.

    `itunes:explicit` as true/false (Apple's current values; feedgen knows only yes/no),
    `itunes:owner` with the email only when there is one, and the Podcasting 2.0
    `podcast:guid` and `podcast:locked`.
    """

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def set(self, **values: Any) -> None:
        self.values.update(values)

    def extend_rss(self, rss_feed: Any) -> Any:
        channel, v = rss_feed[0], self.values
        xml_elem(f"{{{ITUNES_NS}}}explicit", channel).text = "true" if v["explicit"] else "false"
        owner = xml_elem(f"{{{ITUNES_NS}}}owner", channel)
        xml_elem(f"{{{ITUNES_NS}}}name", owner).text = v["owner_name"]
        if v["owner_email"]:
            xml_elem(f"{{{ITUNES_NS}}}email", owner).text = v["owner_email"]
        xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = v["guid"]
        locked = xml_elem(f"{{{PODCAST_NS}}}locked", channel)
        locked.text = "yes"
        if v["owner_email"]:
            locked.attrib["owner"] = v["owner_email"]
        return rss_feed


class EpisodeExtension(BaseEntryExtension):
    """itunes:explicit (true/false), podcast:transcript and podcast:chapters on an item."""

    def __init__(self) -> None:
        self.explicit = False
        self.transcripts: list[dict[str, str]] = []
        self.chapters: dict[str, str] | None = None

    def extend_ns(self) -> dict[str, str]:
        return {"podcast": PODCAST_NS, "itunes": ITUNES_NS}

    def extend_rss(self, entry: Any) -> Any:
        xml_elem(f"{{{ITUNES_NS}}}explicit", entry).text = "true" if self.explicit else "false"
        for attrs in self.transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", entry, **attrs)
        if self.chapters:
            xml_elem(f"{{{PODCAST_NS}}}chapters", entry, **self.chapters)
        return entry


def url_for(base_url: str, relpath: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    return urljoin(base, quote(relpath))


def base_url(config: Config, served: str | None = None) -> str:
    """The folder URL every link in the feed starts with: public_url when set, else the
    address a client used to reach `serve` (`served`), else this machine's default."""
    return config.public_url or served or LOCAL_URL


def points_at_this_machine(url: str) -> bool:
    """Whether only a player on this machine can follow links starting with `url`."""
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.") or host.endswith(
        ".localhost")


def show_guid(feed_url: str) -> str:
    """podcast:guid: the UUIDv5 of the feed's URL without its scheme and trailing slashes."""
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def guid(episode: ArchivedEpisode) -> str:
    """Stable across rebuilds and base-URL changes: from the episode's place in the archive."""
    return str(uuid.uuid5(GUID_NAMESPACE, episode.relpath))


def anchor(episode: ArchivedEpisode) -> str:
    """The episode's id on the archive page (index.html#ep-2026-01-02-slug)."""
    return "ep-" + episode.relpath[: -len(".mp3")].replace("/", "-")


def title(episode: ArchivedEpisode) -> str:
    """The day and the lead story: what a listener scans for in a list of episodes."""
    stories = [c.title for c in story_chapters(episode.chapters, episode.lines)]
    return episode_title(episode.date, episode.language, stories)


def pub_date(episode: ArchivedEpisode) -> dt.datetime:
    """When the episode was made, in the machine's time zone then; a back-filled day (made
    on another date) gets its own midnight, so the feed keeps the days in order."""
    made = None
    if episode.made:
        try:
            made = dt.datetime.fromisoformat(episode.made)
        except ValueError:
            made = None
    if made is None or made.tzinfo is None:  # a manifest from before `made`: the MP3's time
        made = dt.datetime.fromtimestamp(episode.mtime).astimezone()
    if made.date() == episode.day:
        return made.replace(microsecond=0)
    return dt.datetime.combine(episode.day, dt.time(0, 0), tzinfo=made.tzinfo)


def itunes_duration(ms: int) -> str:
    hours, rest = divmod(round(ms / 1000), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def description(episode: ArchivedEpisode) -> str:
    """HTML: each story's headline (linked to the story when it has a public link) and the
    first sentence read from it, then the sources, named by link or by file name."""
    parts = []
    stories = story_chapters(episode.chapters, episode.lines)
    summaries = first_sentences(episode.chapters, episode.lines)
    if stories:
        items = []
        for chapter, summary in zip(stories, summaries, strict=True):
            link = public_url(chapter.url)
            head = html.escape(chapter.title)
            if link:
                head = f'<a href="{html.escape(link)}">{head}</a>'
            items.append(f"<li><b>{head}</b>" + (f": {html.escape(summary)}" if summary else "")
                         + "</li>")
        parts.append("<ol>" + "".join(items) + "</ol>")
    names = [n for n in dict.fromkeys(source_name(s) for s in episode.sources) if n]
    if names:
        items = [f'<a href="{html.escape(n)}">{html.escape(n)}</a>' if public_url(n) == n
                 else html.escape(n) for n in names]
        parts.append("<p>Sources: " + ", ".join(items) + "</p>")
    return "".join(parts) or f"<p>{html.escape(title(episode))}</p>"


def show_description(config: Config) -> str:
    return config.description or (
        f"{config.title}: a short spoken news briefing, made on its listener's own computer "
        "from the sources they chose.")


def build_feed(episodes: Sequence[ArchivedEpisode], config: Config,
               served: str | None = None) -> bytes:
    """The RSS 2.0 feed of these episodes (newest first), as UTF-8 bytes.

    Links start with `base_url(config, served)`; `served` is the address of the running
    server a client used (see serve.py).
    """
    base = base_url(config, served)
    cover = url_for(base, cover_name(config))
    author = config.author or config.title
    fg = FeedGenerator()
    fg.load_extension("podcast")  # feedgen's name for the itunes namespace
    fg.register_extension("show", ShowExtension, EpisodeExtension)
    fg.title(config.title)
    fg.link(href=url_for(base, FEED), rel="self")
    fg.link(href=url_for(base, ""), rel="alternate")  # after "self": feedgen's <link> is the last
    summary = show_description(config)
    fg.description(summary)
    fg.language(config.language)
    fg.image(url=cover, title=config.title, link=url_for(base, ""))
    fg.generator("briefing")
    year = max((e.day.year for e in episodes), default=dt.date.today().year)
    fg.copyright(config.copyright or f"© {year} {author}")
    fg.podcast.itunes_author(author)
    fg.podcast.itunes_summary(summary)
    fg.podcast.itunes_image(cover)
    fg.podcast.itunes_category(config.category, config.subcategory or None)
    fg.podcast.itunes_type("episodic")
    fg.show.set(explicit=config.explicit, owner_name=config.owner_name or author,
                owner_email=config.owner_email, guid=show_guid(url_for(base, FEED)))
    if episodes:
        fg.lastBuildDate(max(pub_date(e) for e in episodes))
    numbered = numbers(episodes)
    # feedgen prepends each new entry: add the oldest first so the newest comes out on top
    for episode in reversed(episodes):
        fe = fg.add_entry()
        fe.guid(guid(episode), permalink=False)
        fe.title(title(episode))
        fe.link(href=url_for(base, "") + "#" + anchor(episode))
        fe.description(description(episode))
        fe.pubDate(pub_date(episode))
        fe.enclosure(url_for(base, episode.relpath), str(episode.size), "audio/mpeg")
        fe.podcast.itunes_duration(itunes_duration(episode.duration_ms))
        fe.podcast.itunes_author(author)
        fe.podcast.itunes_episode(numbered[episode.relpath])
        fe.podcast.itunes_episode_type("full")
        fe.show.explicit = config.explicit
        for suffix, mime, rel in TRANSCRIPTS:
            if episode.sidecar(suffix).is_file():
                fe.show.transcripts.append({
                    "url": url_for(base, episode.sidecar_relpath(suffix)), "type": mime,
                    "language": episode.language, "rel": rel})
        if episode.sidecar(".chapters.json").is_file():
            fe.show.chapters = {"url": url_for(base, episode.sidecar_relpath(".chapters.json")),
                                "type": "application/json+chapters"}
    data: bytes = fg.rss_str(pretty=True)
    return data


def write_feed(output_dir: Path, episodes: Sequence[ArchivedEpisode], config: Config) -> Path:
    """Rewrite output/feed.xml atomically (and the cover art it points at).

    Its links start with public_url; without one they point at this machine (LOCAL_URL),
    which `serve` replaces with the address each client used, but a copy of the folder
    published elsewhere would not: that is warned about.
    """
    ensure_cover(output_dir, config)
    path = output_dir / FEED
    write_atomic(path, build_feed(episodes, config))
    if points_at_this_machine(base_url(config)):
        log.warning("%s links to %s: only `briefing serve` fixes that for other devices; "
                    "set public_url in the config if the folder is published elsewhere",
                    path, base_url(config))
    return path


def cover_name(config: Config) -> str:
    """cover.jpg for the user's JPEG artwork, else cover.png (ours, or the user's PNG)."""
    if config.cover_image:
        try:
            with open(config.cover_image, "rb") as fh:
                if fh.read(3) == b"\xff\xd8\xff":
                    return COVER_JPEG
        except OSError:
            pass
    return COVER


def ensure_cover(output_dir: Path, config: Config) -> Path:
    """The show's artwork beside the feed: the user's cover_image, else one generated."""
    from briefing.errors import OutputError

    path = output_dir / cover_name(config)
    if config.cover_image:
        try:
            data = Path(config.cover_image).read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot read cover_image {config.cover_image}: "
                              f"{exc.strerror}") from None
    else:
        from briefing.publish.cover import cover_png

        data = cover_png(config.title)
    try:
        same = path.read_bytes() == data
    except OSError:
        same = False
    if not same:  # a new cover_image, or a renamed show
        write_atomic(path, data)
    return path

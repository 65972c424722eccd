"""feed.xml as the strictest readers see it: gPodder's podcastparser, feedparser, and the
namespaces' own rules (RFC 2822 dates, durations, booleans, podcast:guid, absolute links)."""

from __future__ import annotations

import datetime as dt
import email.utils
import io
import logging
import re
import uuid
from dataclasses import replace
from pathlib import Path

import feedparser
import podcastparser
import pytest
from defusedxml import ElementTree

from briefing.config import Config
from briefing.publish import archive, feed
from tests.episodes import fake_episode

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
NS = {"itunes": ITUNES, "podcast": feed.PODCAST_NS, "atom": "http://www.w3.org/2005/Atom"}
PUBLIC = "https://pod.example/town/"
SHOW = Config(title="Town News", author="Ada", public_url=PUBLIC,
              description="The town's news, read aloud every morning.",
              owner_name="Ada Lovelace", owner_email="ada@example.org",
              copyright="© 2026 Ada Lovelace", explicit=False, category="News",
              subcategory="Daily News")


def _archive(tmp_path: Path) -> tuple[Path, tuple[archive.ArchivedEpisode, ...]]:
    out = tmp_path / "output"
    # made on its own day, in a time zone an hour east of UTC
    fake_episode(out, "2026-01-01", seconds=3, made="2026-01-01T06:30:05+01:00", number=1,
                 story="Harbour plan approved")
    # back-filled: made two months after its day
    fake_episode(out, "2026-01-02", "second story", seconds=5, story="Briefing & <news>",
                 made="2026-03-01T09:00:00+01:00", number=2)
    # a manifest from before numbers and `made` (its MP3's time stands in)
    fake_episode(out, "2026-01-03", "third", seconds=4, story="Solar vote",
                 sources=("/home/alice/private/notes.txt", "-", "javascript:alert(1)",
                          "https://user:secret@example.org/feed.xml"))
    return out, archive.scan(out)


def _parse_podcast(xml: bytes) -> dict:
    return podcastparser.parse(PUBLIC + "feed.xml", io.BytesIO(xml))


def test_podcastparser_reads_every_channel_and_item_field(tmp_path: Path):
    """All but the podcast: elements: podcastparser 0.6.11 knows that namespace only by its
    old GitHub URI, not the https://podcastindex.org/namespace/1.0 the feed declares (as the
    namespace asks and most hosts do); feedparser reads those, below."""
    out, episodes = _archive(tmp_path)
    xml = feed.write_feed(out, episodes, SHOW).read_bytes()
    show = _parse_podcast(xml)
    assert show["title"] == "Town News"
    assert show["description"] == "The town's news, read aloud every morning."
    assert show["link"] == PUBLIC
    assert show["language"] == "en"
    assert show["cover_url"] == PUBLIC + "cover.png"
    assert show["itunes_author"] == "Ada"
    assert show["itunes_owner"] == {"name": "Ada Lovelace", "email": "ada@example.org"}
    assert show["itunes_categories"] == [["News", "Daily News"]]
    assert show["explicit"] is False
    assert show["type"] == "episodic"
    assert show["generator"] == "briefing"
    items = show["episodes"]
    assert [i["number"] for i in items] == [3, 2, 1]  # newest first; the unnumbered one is third
    by_number = {i["number"]: i for i in items}
    for episode in episodes:
        item = next(i for i in items if i["enclosures"][0]["url"].endswith(
            episode.relpath.replace(" ", "%20")))
        assert item["enclosures"] == [{"url": PUBLIC + episode.relpath.replace(" ", "%20"),
                                       "file_size": episode.mp3.stat().st_size,
                                       "mime_type": "audio/mpeg"}]
        assert item["total_time"] == round(episode.duration_ms / 1000)
        assert item["guid"] == feed.guid(episode)
        assert item["link"] == PUBLIC + "#" + feed.anchor(episode)
        assert item["type"] == "full"
        assert item["explicit"] is False
        assert "Town News" not in item["title"]  # the show's name is not repeated
    first = by_number[1]
    assert first["title"] == "Thursday, January 1, 2026: Harbour plan approved"
    assert first["published"] == dt.datetime(2026, 1, 1, 5, 30, 5, tzinfo=dt.UTC).timestamp()
    # back-filled: its own day's midnight, in the time zone it was made in
    assert by_number[2]["published"] == dt.datetime(2026, 1, 1, 23, 0,
                                                    tzinfo=dt.UTC).timestamp()
    assert by_number[2]["title"] == "Friday, January 2, 2026: Briefing & <news>"
    # headlines with their first sentence, links to the stories and the public sources
    described = first["description_html"] if "description_html" in first else first[
        "description"]
    assert "Harbour plan approved" in described
    assert "The town voted for solar panels." in described


def test_feedparser_reads_the_same_feed(tmp_path: Path):
    _out, episodes = _archive(tmp_path)
    parsed = feedparser.parse(feed.build_feed(episodes, SHOW))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Town News"
    assert parsed.feed.subtitle == "The town's news, read aloud every morning."
    assert parsed.feed.language == "en"
    assert parsed.entries[0].author == "Ada"  # the channel's author merges with its owner
    assert parsed.feed.rights == "© 2026 Ada Lovelace"
    assert parsed.feed.image.href == PUBLIC + "cover.png"
    assert parsed.feed.publisher_detail == {"name": "Ada Lovelace", "email": "ada@example.org"}
    assert parsed.feed.tags[0].term == "News"
    assert parsed.feed.podcast_guid == feed.show_guid(PUBLIC + "feed.xml")
    assert parsed.feed.podcast_locked == {"owner": "ada@example.org"}
    assert sorted(link.href for link in parsed.feed.links) == [PUBLIC, PUBLIC + "feed.xml"]
    assert len(parsed.entries) == 3
    for entry, episode in zip(parsed.entries, episodes, strict=True):  # both newest first
        assert entry.id == feed.guid(episode) and entry.guidislink is False
        assert entry.enclosures[0].href == PUBLIC + episode.relpath.replace(" ", "%20")
        assert int(entry.enclosures[0].length) == episode.mp3.stat().st_size
        assert entry.enclosures[0].type == "audio/mpeg"
        assert entry.itunes_duration == feed.itunes_duration(episode.duration_ms)
        assert entry.title == feed.title(episode)
        assert entry.itunes_episodetype == "full"
        stem = PUBLIC + episode.sidecar_relpath("").replace(" ", "%20")
        assert entry.podcast_chapters == {"url": stem + ".chapters.json",
                                          "type": "application/json+chapters"}
        # feedparser keeps the last of the two transcripts (the first is the VTT: below)
        assert entry.podcast_transcript == {"url": stem + ".srt", "type": "application/x-subrip",
                                            "language": "en", "rel": "captions"}
        assert entry.published_parsed[:3] == tuple(int(x) for x in episode.date.split("-")) or (
            episode.made.startswith("2026-03"))
    third = parsed.entries[0]
    assert third.itunes_episode == "3"
    assert third.title == "Saturday, January 3, 2026: Solar vote"
    summary = third.summary
    assert '<a href="https://example.org/solar?a=1&amp;b=2">Solar vote</a>' in summary
    assert ": The town voted for solar panels." in summary
    # sources: public links only (credentials dropped), files by name, never a path
    assert '<a href="https://example.org/feed.xml">' in summary
    assert "notes.txt" in summary and "/home/alice" not in summary
    assert "standard input" in summary
    assert "javascript" not in summary and "secret" not in summary


def test_the_xml_follows_the_namespaces_rules(tmp_path: Path):
    out, episodes = _archive(tmp_path)
    xml = feed.build_feed(episodes, SHOW)
    text = xml.decode()
    for prefix, uri in (("itunes", ITUNES), ("podcast", feed.PODCAST_NS)):
        assert f'xmlns:{prefix}="{uri}"' in text
    channel = ElementTree.fromstring(xml).find("channel")
    rfc2822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|"
                         r"Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
    dates = [channel.findtext("lastBuildDate"), *(i.findtext("pubDate")
                                                  for i in channel.iter("item"))]
    for date in dates:
        assert rfc2822.match(date), date
        assert email.utils.parsedate_to_datetime(date).tzinfo is not None
    assert channel.findtext("itunes:explicit", namespaces=NS) == "false"
    assert channel.find("itunes:image", NS).get("href") == PUBLIC + "cover.png"
    category = channel.find("itunes:category", NS)
    assert category.get("text") == "News"
    assert category.find("itunes:category", NS).get("text") == "Daily News"
    assert channel.findtext("copyright") == "© 2026 Ada Lovelace"
    assert channel.findtext("itunes:type", namespaces=NS) == "episodic"
    guid = channel.findtext("podcast:guid", namespaces=NS)
    assert uuid.UUID(guid).version == 5
    assert guid == str(uuid.uuid5(uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"),
                                  "pod.example/town/feed.xml"))
    locked = channel.find("podcast:locked", NS)
    assert (locked.text, locked.get("owner")) == ("yes", "ada@example.org")
    numbers = []
    for item in channel.iter("item"):
        assert re.fullmatch(r"\d{2}:[0-5]\d:[0-5]\d", item.findtext("itunes:duration",
                                                                    namespaces=NS))
        assert item.findtext("itunes:explicit", namespaces=NS) == "false"
        assert item.find("guid").get("isPermaLink") == "false"
        numbers.append(int(item.findtext("itunes:episode", namespaces=NS)))
        transcripts = {t.get("type"): t for t in item.findall("podcast:transcript", NS)}
        assert set(transcripts) == {"text/vtt", "application/x-subrip"}
        assert transcripts["text/vtt"].get("url").endswith(".vtt")
        assert transcripts["application/x-subrip"].get("url").endswith(".srt")
        assert all(t.get("rel") == "captions" and t.get("language") == "en"
                   for t in transcripts.values())
        chapters = item.find("podcast:chapters", NS)
        assert chapters.get("type") == "application/json+chapters"
        relative = chapters.get("url").removeprefix(PUBLIC)
        assert (out / relative.replace("%20", " ")).is_file()
    assert sorted(numbers) == [1, 2, 3]
    # every link is absolute, under public_url (or a story's own public page)
    urls = [e.get("url") or e.get("href") for e in channel.iter()
            if e.get("url") or e.get("href")] + [e.text for e in channel.iter("link")]
    assert urls and all(u.startswith(PUBLIC) for u in urls), urls


def test_guid_follows_the_url_and_item_guids_never_change(tmp_path: Path):
    out, episodes = _archive(tmp_path)
    first = feed.build_feed(episodes, SHOW)
    again = feed.build_feed(archive.scan(out), SHOW)
    assert first == again  # deterministic: the same archive gives the same bytes
    moved = feed.build_feed(episodes, replace(SHOW, public_url="https://other.example/"))
    assert _guids(moved) == _guids(first)  # a new address must not re-download every episode
    assert len(set(_guids(first))) == 3


def _guids(xml: bytes) -> list[str]:
    return [g.text for g in ElementTree.fromstring(xml).iter("guid")]


def test_served_address_is_used_unless_public_url_is_set(tmp_path: Path):
    _, episodes = _archive(tmp_path)
    local = replace(SHOW, public_url="")
    served = feedparser.parse(feed.build_feed(episodes, local, "http://192.168.1.5:8000/"))
    assert served.entries[0].enclosures[0].href.startswith("http://192.168.1.5:8000/2026-01-03/")
    pinned = feedparser.parse(feed.build_feed(episodes, SHOW, "http://192.168.1.5:8000/"))
    assert pinned.entries[0].enclosures[0].href.startswith(PUBLIC)
    on_disk = feedparser.parse(feed.build_feed(episodes, local))
    assert on_disk.entries[0].enclosures[0].href.startswith(feed.LOCAL_URL)


def test_a_feed_on_disk_pointing_at_this_machine_is_warned_about(
        tmp_path: Path, caplog: pytest.LogCaptureFixture):
    out, episodes = _archive(tmp_path)
    with caplog.at_level(logging.WARNING, logger="briefing"):
        feed.write_feed(out, episodes, Config())
    assert any("localhost" in r.getMessage() and "public_url" in r.getMessage()
               for r in caplog.records)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="briefing"):
        feed.write_feed(out, episodes, SHOW)
    assert not caplog.records
    assert b"https://pod.example/town/2026-01-03/third.mp3" in (out / "feed.xml").read_bytes()


def test_empty_archive_is_a_valid_feed(tmp_path: Path):
    parsed = feedparser.parse(feed.build_feed((), Config()))
    assert not parsed.bozo and parsed.entries == []
    assert _parse_podcast(feed.build_feed((), SHOW))["episodes"] == []


def test_a_changed_cover_replaces_the_old_one(tmp_path: Path):
    from PIL import Image

    out = tmp_path / "output"
    out.mkdir()
    feed.ensure_cover(out, Config(title="One"))
    generated = (out / "cover.png").read_bytes()
    feed.ensure_cover(out, Config(title="Two"))
    assert (out / "cover.png").read_bytes() != generated
    art = tmp_path / "art.jpg"
    Image.new("RGB", (1400, 1400), "navy").save(art)
    config = Config(cover_image=str(art))
    assert feed.ensure_cover(out, config).name == "cover.jpg"
    assert (out / "cover.jpg").read_bytes() == art.read_bytes()
    assert b'href="http://localhost:8000/cover.jpg"' in feed.build_feed((), config)


def test_url_for_and_duration():
    assert feed.url_for("http://h:8000", "2026-01-01/a b.mp3") == "http://h:8000/2026-01-01/a%20b.mp3"
    assert feed.url_for("http://h/pod/", "feed.xml") == "http://h/pod/feed.xml"
    assert feed.itunes_duration(3_723_400) == "01:02:03"
    assert feed.points_at_this_machine("http://127.0.0.1:8000/")
    assert feed.points_at_this_machine("http://localhost/")
    assert not feed.points_at_this_machine("http://192.168.1.5:8000/")

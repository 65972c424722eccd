"""feed.xml: valid podcast RSS that feedparser reads, with exact enclosures and the podcast tags."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import feedparser
from defusedxml import ElementTree

from briefing.config import Config
from briefing.publish import archive, feed
from tests.episodes import fake_episode

NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd", "podcast": feed.PODCAST_NS}


def _archive(tmp_path: Path) -> tuple[Path, tuple[archive.ArchivedEpisode, ...]]:
    out = tmp_path / "output"
    fake_episode(out, "2026-01-01", seconds=3)
    fake_episode(out, "2026-01-02", "second story", seconds=5, title="Briefing & <news>")
    fake_episode(out, "2026-01-02", "third", seconds=4)
    return out, archive.scan(out)


def test_feedparser_sees_every_episode_with_exact_enclosures(tmp_path: Path):
    out, episodes = _archive(tmp_path)
    config = Config(title="Town News", author="Ada", feed_base_url="http://192.168.1.5:8000/pod")
    path = feed.write_feed(out, episodes, config)
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Town News"
    assert parsed.feed.language == "en"
    assert parsed.feed.author == "Ada"
    assert parsed.feed.image.href == "http://192.168.1.5:8000/pod/cover.png"
    assert len(parsed.entries) == 3
    by_url = {e.enclosures[0].href: e for e in parsed.entries}
    for episode in episodes:
        url = "http://192.168.1.5:8000/pod/" + episode.relpath.replace(" ", "%20")
        entry = by_url[url]
        assert int(entry.enclosures[0].length) == episode.mp3.stat().st_size
        assert entry.enclosures[0].type == "audio/mpeg"
        assert entry.title == episode.title
        assert entry.itunes_duration == feed.itunes_duration(episode.duration_ms)
        assert "https://example.org/solar?a=1&amp;b=2" in entry.summary
        assert entry.published_parsed[:3] == tuple(int(x) for x in episode.date.split("-"))
    assert parsed.entries[-1].title.endswith("2026-01-01")  # newest first
    assert (out / "cover.png").read_bytes().startswith(b"\x89PNG")


def test_podcast_namespace_elements(tmp_path: Path):
    out, episodes = _archive(tmp_path)
    root = ElementTree.fromstring(feed.build_feed(episodes, Config()))
    channel = root.find("channel")
    assert channel.find("itunes:image", NS).get("href") == "http://localhost:8000/cover.png"
    assert channel.find("itunes:category", NS).get("text") == "News"
    item = channel.findall("item")[0]
    transcripts = item.findall("podcast:transcript", NS)
    assert transcripts[0].get("type") == "text/vtt"
    assert transcripts[0].get("url").endswith(".vtt")
    chapters = item.find("podcast:chapters", NS)
    assert chapters.get("type") == "application/json+chapters"
    relative = chapters.get("url").removeprefix("http://localhost:8000/")
    assert (out / relative.replace("%20", " ")).is_file()
    assert item.find("guid").get("isPermaLink") == "false"


def test_guids_are_stable_and_the_feed_is_deterministic(tmp_path: Path):
    out, episodes = _archive(tmp_path)
    first = feed.build_feed(episodes, Config())
    again = feed.build_feed(archive.scan(out), Config())
    assert first.split(b"<lastBuildDate>")[1:] and _guids(first) == _guids(again)
    moved = feed.build_feed(episodes, replace(Config(), feed_base_url="https://pod.example/"))
    assert _guids(moved) == _guids(first)  # a new base URL must not re-download every episode
    assert len(set(_guids(first))) == 3


def _guids(xml: bytes) -> list[str]:
    return [g.text for g in ElementTree.fromstring(xml).iter("guid")]


def test_empty_archive_is_a_valid_feed(tmp_path: Path):
    parsed = feedparser.parse(feed.build_feed((), Config()))
    assert not parsed.bozo and parsed.entries == []


def test_url_for_and_duration():
    assert feed.url_for("http://h:8000", "2026-01-01/a b.mp3") == "http://h:8000/2026-01-01/a%20b.mp3"
    assert feed.url_for("http://h/pod/", "feed.xml") == "http://h/pod/feed.xml"
    assert feed.itunes_duration(3_723_400) == "01:02:03"

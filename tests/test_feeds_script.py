"""Every development feed gives a briefing script offline, one story per item (a bare list
page is skipped with a note in the log, as a newsreader would)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.sources import load
from tests.conftest import FEEDS, ROOT, SHARED_FEEDS, needs_shared_feeds, shared_feeds

# ours (odd encodings, escaping, a news feed, RSS 2.0 / Atom / RDF), then ../shared's if there
OURS = [*sorted(FEEDS.glob("*")), *sorted((ROOT / "tests" / "data" / "sources").glob("feed.*"))]
ALL = [*OURS, *shared_feeds()]


@pytest.mark.parametrize("feed", ALL, ids=[f"{f.parent.name}/{f.name}" for f in ALL])
def test_feed_gives_a_script_offline(feed: Path, monkeypatch: pytest.MonkeyPatch,
                                     caplog: pytest.LogCaptureFixture) -> None:

    # the speaking rate is the engine's business (measured in the end-to-end tests)
    monkeypatch.setattr("briefing.tts.calibrate.rate_meter", lambda engine: lambda voice: 1000.0)
    import feedparser

    available = len(feedparser.parse(feed.read_bytes()).entries)
    result = CliRunner().invoke(cli, ["script", str(feed), "--offline", "--max-stories", "3",
                                      "--minutes", "3"])
    assert result.exit_code == 0, result.output
    stories = result.output.count("\n## ") - 2  # minus intro and outro
    skipped = [r for r in caplog.records if r.name == "briefing.summarize.shape"
               and "skipped" in r.getMessage()]
    assert len(skipped) <= 1, skipped
    assert stories + len(skipped) == min(3, available)
    assert "\ufffd" not in result.output  # non-UTF-8 feeds decoded right


@pytest.mark.parametrize("feed", [
    FEEDS / "latin1.rss", FEEDS / "cp1252.rss", FEEDS / "utf16.atom",
    pytest.param(SHARED_FEEDS / "encoding.rss", marks=needs_shared_feeds),
], ids=["latin1", "cp1252", "utf16", "shared"])  # fmt: skip
def test_encoding_feed_keeps_its_accents(feed: Path) -> None:
    items = load(str(feed), max_stories=5, offline=True)
    text = " ".join(a.title + " " + a.text for a in items)
    assert any(ch in text for ch in "áéíóúãõçÁÉÍÓÚàèäöüß")

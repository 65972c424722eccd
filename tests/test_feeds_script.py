"""Every development feed gives a briefing script offline, one story per item (a bare list
page is skipped with a note in the log, as a newsreader would)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from briefing.cli import cli
from briefing.sources import load
from tests.conftest import SHARED

FEEDS = sorted((SHARED / "data" / "feeds-dev").glob("*"))


@pytest.mark.parametrize("feed", FEEDS, ids=[f.name for f in FEEDS])
def test_feed_gives_a_script_offline(feed, monkeypatch, caplog):

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


def test_encoding_feed_keeps_its_accents():
    items = load(str(SHARED / "data" / "feeds-dev" / "encoding.rss"), max_stories=5,
                 offline=True)
    text = " ".join(a.title + " " + a.text for a in items)
    assert any(ch in text for ch in "áéíóúãõçÁÉÍÓÚ")

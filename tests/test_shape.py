"""Live blogs, lists and galleries: found, read from their newest entries or introduction."""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from briefing.summarize import summarize, summarize_articles
from briefing.summarize.shape import shape

PAGES = Path(__file__).parent / "data" / "pages"
ARTICLES = sorted((Path(__file__).parent / "data" / "articles").glob("*.txt"))
ROOT = Path(__file__).resolve().parents[1]
DEV = Path(os.environ.get("BRIEFING_SHARED", ROOT.parent / "shared")) / "data" / "summ-dev.jsonl"


def page(name: str) -> str:
    return (PAGES / name).read_text(encoding="utf-8")


def test_a_live_blog_is_found_and_cut_to_its_newest_entries(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="briefing.summarize.shape"):
        found = shape(page("live-blog.txt"))
    assert found.kind == "live"
    assert found.text.startswith("Ferries suspended across the strait")  # 14.05, the newest
    for chrome in ("Key events", "Updated at", "GMT", "1h ago"):
        assert chrome not in found.text
    assert "a live blog of 5 entries; reading the newest" in caplog.text


def test_lists_and_galleries_are_found(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="briefing.summarize.shape"):
        listed = shape(page("list-page.txt"), "Ten quiet beaches")
        gallery = shape(page("gallery.txt"), "In pictures: the marathon")
    assert listed.kind == "list"
    assert "Crowds are back on the famous beaches" in listed.text
    assert "Sandvik" not in listed.text
    assert (gallery.kind, gallery.text) == ("gallery", "")
    assert "Ten quiet beaches: a list of 6 items; reading its introduction" in caplog.text
    assert "In pictures: the marathon: a gallery of 6 pictures with no introduction; " \
           "skipped" in caplog.text


def test_a_live_blog_is_read_from_its_newest_entry(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="briefing.summarize.shape"):
        summary = summarize(page("live-blog.txt"), 60)
    assert summary[0].startswith("All ferry crossings between the mainland")  # 14.05, newest
    text = " ".join(summary)
    for chrome in ("Key events", "Updated at", "GMT", "1h ago", "Good morning"):
        assert chrome not in text
    assert "a live blog of 5 entries; reading the newest" in caplog.text


def test_a_live_blog_written_oldest_first_is_read_from_its_end() -> None:
    entries = page("live-blog.txt").split("Updated at 14.05 GMT", 1)[1].strip()
    blocks = entries.split("\n\n")
    pairs = [blocks[k] + "\n\n" + blocks[k + 1] for k in range(0, len(blocks), 2)]
    oldest_first = "\n\n".join(reversed(pairs))
    assert shape(oldest_first).text.startswith("Ferries suspended across the strait")
    assert summarize(oldest_first, 30)[0].startswith("All ferry crossings")


def test_a_list_is_read_by_its_introduction(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="briefing.summarize.shape"):
        summary = summarize(page("list-page.txt"), 100, title="Ten quiet beaches")
    assert summary[0].startswith("Crowds are back on the famous beaches")
    assert not any("Sandvik" in s or "Marram" in s for s in summary)
    assert "Ten quiet beaches: a list of 6 items; reading its introduction" in caplog.text


def test_a_gallery_without_an_introduction_is_skipped(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="briefing.summarize.shape"):
        stories = summarize_articles([page("gallery.txt"), page("list-page.txt")], 200,
                                     titles=["In pictures: the marathon", "Beaches"])
    assert stories[0] == []
    assert stories[1]  # the other story gets the time
    assert "In pictures: the marathon: a gallery of 6 pictures with no introduction; " \
           "skipped" in caplog.text


def test_a_numbered_list_inside_a_story_is_not_a_list_page() -> None:
    text = ("The council set out three changes on Tuesday.\n\n1. Buses will run every ten "
            "minutes.\n2. Fares will fall.\n3. A new route will open.\n\nThe changes start in "
            "May, the council said.")
    assert shape(text).kind == "article"


@pytest.mark.parametrize("path", ARTICLES, ids=[p.stem for p in ARTICLES])
def test_fixture_articles_are_articles(path: Path) -> None:
    assert shape(path.read_text(encoding="utf-8")).kind == "article"


@pytest.mark.skipif(not DEV.exists(), reason=f"needs the dev articles at {DEV}")
def test_dev_articles_are_articles() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line]
    assert [r["id"] for r in rows if shape(r["article"]).kind != "article"] == []

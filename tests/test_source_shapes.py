"""Worst shapes of every kind of source up to the 5 MB cap: each is accepted or refused with
one line, and nothing rescans the input (bench/source_shapes.py has the times)."""

from __future__ import annotations

from pathlib import Path

import pytest

import briefing.sources as sources
from briefing.errors import EmptyArticleError, SourceError
from briefing.sources import load
from briefing.sources.html import html_to_text

MB5 = 5 * 1024 * 1024
SENTENCE = "The council finally approved the plan for the harbour."


def _fill(unit: str, size: int = MB5 - 64, head: str = "", tail: str = "") -> str:
    body = size - len(head) - len(tail)
    return head + (unit * (body // len(unit) + 1))[:body] + tail


def test_brackets_in_a_file_without_a_suffix(tmp_path: Path) -> None:
    path = tmp_path / "notes"
    path.write_text(_fill("["), encoding="utf-8")
    with pytest.raises(EmptyArticleError, match="no sentences"):
        load(str(path))


def test_a_feed_of_doctype_openings_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "news.rss"
    path.write_text(_fill("<!DOCTYPE ", head="<rss version='2.0'>"), encoding="utf-8")
    with pytest.raises(SourceError):
        load(str(path))


def test_a_big_page_without_a_sentence_is_refused_before_extraction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the extractors ran on a page with no sentence")

    monkeypatch.setattr(sources, "extract_html", never)
    for name, page in {
        "word.html": _fill("a", head="<html><body><p>", tail="</p></body></html>"),
        "words.html": _fill("harbour ferry timetable ", head="<html><body><p>",
                            tail="</p></body></html>"),
        "tags.html": _fill("<p>storm repairs</p>\n", head="<html><body>"),
    }.items():
        path = tmp_path / name
        path.write_text(page, encoding="utf-8")
        with pytest.raises(EmptyArticleError, match="no sentences"):
            load(str(path))


def test_a_big_page_with_sentences_split_by_tags_and_entities_is_extracted(tmp_path: Path
                                                                          ) -> None:  # fmt: skip
    # tags inside a sentence and &nbsp; between its words must not hide it from the pre-check
    paragraph = "<p>The&nbsp;council <b>finally</b> approved the <a href='#'>plan</a>.</p>\n"
    path = tmp_path / "page.html"
    menu = "<div>" + "harbour ferry timetable " * 40 + "</div>\n"
    path.write_text(_fill(menu, size=300_000, head="<html><body>",
                          tail=paragraph * 20 + "</body></html>"), encoding="utf-8")  # fmt: skip
    [article] = load(str(path))
    assert "approved the plan" in article.text


def test_html_escaped_over_and_over_is_unescaped_a_bounded_number_of_times() -> None:
    fragment = "<p>" + SENTENCE + "</p>"
    for _ in range(8):
        fragment = fragment.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = html_to_text(fragment)
    assert text  # some escaping is left, but it returns, having read it three times
    assert "<p>" not in html_to_text("&lt;p&gt;" + SENTENCE + "&lt;/p&gt;")


def test_feed_titles_full_of_angle_brackets(tmp_path: Path) -> None:
    title = "<" * 500_000
    path = tmp_path / "news.rss"
    path.write_text("<?xml version='1.0'?><rss version='2.0'><channel><title>t</title><item>"
                    f"<title><![CDATA[{title}]]></title><description>{SENTENCE}</description>"
                    "</item></channel></rss>", encoding="utf-8")  # fmt: skip
    [article] = load(str(path), offline=True)
    assert article.text == SENTENCE

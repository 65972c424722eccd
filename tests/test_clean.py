"""Scraped-text repair: each step on its own, seed-like articles end to end, idempotence."""

from __future__ import annotations

import re

import pytest

from briefing.clean import (
    REPAIRS,
    clean,
    clean_text,
    drop_boilerplate,
    drop_byline,
    drop_dailymail_header,
    fix_stray_periods,
    normalize_spaces,
    parse_byline,
    space_after_punctuation,
    split_glued,
    split_glued_words,
    tidy_whitespace,
)
from briefing.models import Article
from tests.conftest import GLUED as GLUED_ARTICLE
from tests.conftest import SEED, needs_seed
from tests.seed_cases import GLUED_GLUED, GLUED_NAMES, SEED_GLUED, SEED_NAMES

# --- split_glued: one token, no context -------------------------------------------------

GLUED = [
    ("andsophisticated", "and sophisticated"),
    ("reflectsthe", "reflects the"),
    ("oftechnological", "of technological"),
    ("allocationhas", "allocation has"),
    ("intensifyingits", "intensifying its"),
    ("Theevolution", "The evolution"),
    ("azero-sum", "a zero-sum"),
    ("China’sauto", "China’s auto"),
    ("Pony.aihas", "Pony.ai has"),
    ("brandAudi", "brand Audi"),
    ("NEVsector", "NEV sector"),
    ("demonstratorsmarched", "demonstrators marched"),
    ("theywouldn’t", "they wouldn’t"),
    ("MrCameron", "Mr Cameron"),
    ("Itwas", "It was"),
    ("Icouldn’t", "I couldn’t"),
    ("There’sa", "There’s a"),
    ("Chelsea’sFernando", "Chelsea’s Fernando"),
    ("Butprawns", "But prawns"),
    ("ofthe", "of the"),
    ("(andinternational),", "(andinternational),".replace("andinternational", "and international")),
]
LEFT_ALONE = [
    *SEED_NAMES,
    "iPhone",
    "eBay",
    "YouTube",
    "McDonald",
    "PlayStation",
    "macOS",
    "vanDyke",
    "CEOs",
    "Canas",
    "Thea",
    "Kenteris",
    "Adarius",
    "Bywater’s",
    "O’Sullivan",
    "Nyong’o",
    "Templeton",
    "into",
    "cannot",
    "therapist",
    "thereof",
    "underdelivering",
    "hypergrowth",
    "3,000",
    "U.S.",
    "e.g.",
    "14:11",
    "https://example.com/andsophisticated",
    "someone@theevolution.org",
    "@RobertMaguire_",
    "#andsophisticated",
]


@pytest.mark.parametrize(("token", "want"), GLUED)
def test_split_glued_splits_glue(token: str, want: str) -> None:
    assert split_glued(token) == want


@pytest.mark.parametrize("token", LEFT_ALONE)
def test_split_glued_leaves_names_and_words(token: str) -> None:
    assert split_glued(token) == token


def test_split_glued_needs_evidence_for_two_capitalized_words() -> None:
    assert split_glued("ToyotaMotor") == "ToyotaMotor"  # could be a brand like DeepSeek
    text = "GAC ToyotaMotor and Toyota China Investment"
    assert split_glued_words(text) == "GAC Toyota Motor and Toyota China Investment"


def test_split_glued_uses_names_seen_in_the_text() -> None:
    assert split_glued_words("Xpenghas grown. Xpeng sells cars.") == (
        "Xpeng has grown. Xpeng sells cars."
    )


def test_a_token_repeated_in_the_text_is_meant() -> None:
    text = "Ascom said so. Ascom’s shares rose. Ascom agreed."
    assert split_glued_words(text) == text


@pytest.mark.parametrize(
    ("language", "text"),
    [
        (
            "de",
            "Die Fahrzeugindustrie und Elektroautohersteller investieren in Batteriezellfertigung.",
        ),
        ("de", "Der Bundesverkehrsminister besuchte das Automobilwerk im Landkreis."),
        ("fr", "Aujourd’hui, l’industrie automobile chinoise s’internationalise rapidement."),
        ("fr", "Les constructeurs européens réorganisent leurs chaînes d’approvisionnement."),
        ("es", "Los fabricantes quieren dárselo a los consumidores latinoamericanos."),
        ("pt", "As montadoras querem fazê-lo com investimentos bilionários."),
    ],
)
def test_other_languages_are_left_alone(language: str, text: str) -> None:
    assert split_glued_words(text, language) == text
    assert clean_text(text, language) == text


def test_unknown_language_is_left_alone() -> None:
    assert split_glued_words("andsophisticated", "xx") == "andsophisticated"


# --- space_after_punctuation -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("intelligent driving,have elevated", "intelligent driving, have elevated"),
        ("LiDAR systems,hybrid technologies", "LiDAR systems, hybrid technologies"),
        ("an “enabler,”a nation", "an “enabler,” a nation"),
        ("exchanges,China is", "exchanges, China is"),
        ("the sector.China grew", "the sector. China grew"),
        ("one note:this matters", "one note: this matters"),
        ("the U.S.has said", "the U.S. has said"),
    ],
)
def test_space_after_punctuation_adds_the_space(text: str, want: str) -> None:
    assert space_after_punctuation(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "3,000 cars",
        "Pony.ai has",
        "the U.S. and e.g. that",
        "at 14:11 EST",
        "pi is 3.14",
        "see https://example.com/a,b?x=1,y",
        "mail jane.doe@example.com now",
        "visit www.example.com.Today",
        "Node.js and Amazon.com",
        "the “enabler,” a nation",
    ],
)
def test_space_after_punctuation_leaves_numbers_names_and_urls(text: str) -> None:
    assert space_after_punctuation(text) == text


# --- boilerplate ------------------------------------------------------------------------

BOILERPLATE = [
    "LEAVE A REPLY",
    "Please enter your comment!",
    "Please enter your name here",
    "You have entered an incorrect email address!",
    "Advertisement",
    "ADVERTISEMENT",
    "Read more",
    "Read more: 26 of the most stunning spots in Africa",
    "Share this article",
    "Share on Facebook",
    "Subscribe to our newsletter",
    "Sign up for our free daily newsletter",
    "Follow us on Twitter and Facebook",
    "We use cookies to improve your experience. By continuing you accept our use of cookies.",
    "Photo: Li Na celebrates her win in Beijing",
    "Image copyright Getty Images",
    "(Getty Images)",
    "Scroll down for video",
    "12 comments",
    "Media playback is unsupported on your device",
    "© 2024 Example News. All rights reserved.",
]
PROSE = [
    "The company said it would share the technology with its partners.",
    "Read the report and you will see why the advertisement was pulled.",
    "He declined to comment on the photo, which was taken in Beijing.",
    "Readers who follow us on the campaign trail know the story.",
    "Cookies and cakes were served at the ceremony.",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_drop_boilerplate_removes_junk_lines(line: str) -> None:
    assert drop_boilerplate(f"Real sentence one.\n{line}\nReal sentence two.") == (
        "Real sentence one.\nReal sentence two."
    )


@pytest.mark.parametrize("line", PROSE)
def test_drop_boilerplate_keeps_prose(line: str) -> None:
    assert drop_boilerplate(line) == line


def test_inline_photo_credit_and_scroll_prompt_removed() -> None:
    text = "He smiled (AFP/Getty Images) and left. Scroll down for video . Then he spoke."
    assert drop_boilerplate(text) == "He smiled and left. Then he spoke."


@pytest.mark.parametrize(
    ("text", "rest"),
    [
        (
            "By . Associated Press . PUBLISHED: . 14:11 EST, 3 January 2014 . | . UPDATED: . "
            "15:36 EST, 3 January 2014 . Police said on Friday.",
            "Police said on Friday.",
        ),
        (
            "By . Daily Mail Reporter . This is the moment a train stopped.",
            "This is the moment a train stopped.",
        ),
        (
            "Last updated at 5:35 PM on 2nd March 2012 . Cheaper farmland helps.",
            "Cheaper farmland helps.",
        ),
        (
            "By . Mark Duell . and Hugo Gye . UPDATED: . 18:30 EST, 3 March 2012 . "
            "Rush apologised.",
            "Rush apologised.",
        ),
        (
            "By . Daily Mail Reporter . Last updated at 1:25 AM on 3rd August 2011 . A star spoke.",
            "A star spoke.",
        ),
        ("By the time we arrived, it was over.", "By the time we arrived, it was over."),
    ],
)
def test_drop_dailymail_header(text: str, rest: str) -> None:
    assert drop_dailymail_header(text) == rest


# --- stray periods, spaces, by-lines ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "His hormone injections have lowered his . voice, grown hair",
            "His hormone injections have lowered his voice, grown hair",
        ),
        ("in 2011 . The . retreat has been styled", "in 2011. The retreat has been styled"),
        ("to get tested, . because that's", "to get tested, because that's"),
        ("Club . A wedding planner", "Club. A wedding planner"),
        ("It ended. Then it began.", "It ended. Then it began."),
        ("Wait . . . what?", "Wait . . . what?"),
    ],
)
def test_fix_stray_periods(text: str, want: str) -> None:
    assert fix_stray_periods(text) == want


def test_normalize_spaces_keeps_curly_quotes() -> None:
    text = "“enabler,”\u00a0a\u2009nation\u200b’s\r\nnext"
    assert normalize_spaces(text) == "“enabler,” a nation’s\nnext"


def test_tidy_whitespace_keeps_paragraphs() -> None:
    text = "  One   two.  \n\n\n\nThree\n  four.\n\n \n"
    assert tidy_whitespace(text) == "One two.\n\nThree\nfour."


@pytest.mark.parametrize(
    ("text", "author", "site"),
    [
        ("By Li Tielin, People’s Daily\n\nText.", "Li Tielin", "People’s Daily"),
        ("By Jane Doe\nText.", "Jane Doe", ""),
        ("BY JANE DOE | Reuters\nText.", "JANE DOE", "Reuters"),
        ("By Jane Doe for The Guardian\nText.", "Jane Doe", "The Guardian"),
        ("By the time we arrived, it was over.\nText.", "", ""),
        ("By contrast\nText.", "", ""),
    ],
)
def test_parse_byline(text: str, author: str, site: str) -> None:
    got_author, got_site, rest = parse_byline(text)
    assert (got_author, got_site) == (author, site)
    assert rest.endswith("Text.")
    if author:
        assert drop_byline(text).strip() == "Text."


# --- the whole chain ----------------------------------------------------------------------


def test_repairs_are_ordered_str_steps() -> None:
    assert all(callable(step) for step in REPAIRS)
    assert REPAIRS[0] is normalize_spaces and REPAIRS[-1] is tidy_whitespace
    assert all(isinstance(step("Plain text."), str) for step in REPAIRS)


def test_our_glued_article_end_to_end() -> None:
    raw = GLUED_ARTICLE.read_text(encoding="utf-8")
    article = clean(Article(text=raw, source=str(GLUED_ARTICLE)))
    text = article.text
    for glued, fixed in GLUED_GLUED.items():
        assert glued not in text and fixed in text, glued
    for name in GLUED_NAMES:
        assert split_glued(name) == name
        whole = rf"(?<!\S){re.escape(name)}(?![^\s,.;:])"
        assert re.search(whole, text) or name in article.author, name  # whole, not split
    for junk in ("LEAVE A REPLY", "Please enter", "By Annika"):
        assert junk not in text
    assert "planning, have" in text and "sensors, hybrid" in text and "“pioneer,” a" in text
    assert (article.author, article.site_name) == ("Annika Sørlie", "Fjordline Weekly")
    assert "\n\n" in text and "\n\n\n" not in text
    assert clean_text(clean_text(raw)) == clean_text(raw)  # idempotent


@needs_seed
def test_seed_article_end_to_end() -> None:
    article = clean(Article(text=SEED.read_text(encoding="utf-8"), source=str(SEED)))
    text = article.text
    for glued, fixed in SEED_GLUED.items():
        assert glued not in text and fixed in text, glued
    raw = SEED.read_text(encoding="utf-8")
    for name in SEED_NAMES:
        assert split_glued(name) == name
        whole = rf"(?<!\S){re.escape(name)}(?![^\s,.;:])"
        if re.search(whole, raw):
            assert re.search(whole, text), name
    for junk in ("LEAVE A REPLY", "Please enter", "By Li Tielin"):
        assert junk not in text
    assert "driving, have" in text and "systems, hybrid" in text and "“enabler,” a" in text
    assert (article.author, article.site_name) == ("Li Tielin", "People’s Daily")
    assert article.source == str(SEED)
    assert "\n\n" in text and "\n\n\n" not in text


def test_clean_keeps_metadata_already_known() -> None:
    article = clean(
        Article(text="By Li Tielin, People’s Daily\n\nBody.", author="Li T.", site_name="PD")
    )
    assert (article.author, article.site_name, article.text) == ("Li T.", "PD", "Body.")


def test_clean_takes_author_from_dailymail_header() -> None:
    article = clean(
        Article(
            text="By . Jill Reilly . PUBLISHED: . 08:06 EST, 5 November 2012 . "
            "An American tabloid said."
        )
    )
    assert article.author == "Jill Reilly"
    assert article.text == "An American tabloid said."


IDEMPOTENT = [
    "By . Daily Mail Reporter . His . voice, grown hair,and the U.S.has said . The end",
    "Theevolution of China’sauto industry,driving,have changed.\n\nLEAVE A REPLY\n\nNext para.",
    "Die Fahrzeugindustrie wächst.\n\nAujourd’hui, l’industrie automobile.",
]


@pytest.mark.parametrize("text", IDEMPOTENT)
def test_clean_text_is_idempotent(text: str) -> None:
    once = clean_text(text)
    assert clean_text(once) == once


@needs_seed
def test_seed_clean_text_is_idempotent() -> None:
    once = clean_text(SEED.read_text(encoding="utf-8"))
    assert clean_text(once) == once

"""Sentences that are not the story: by-lines, datelines, captions, stamps, boilerplate."""

from __future__ import annotations

import pytest

from briefing.clean.boilerplate import drop_wire_header, has_junk_phrase, is_junk_sentence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("WASHINGTON (CNN) -- The Senate passed the bill.", "The Senate passed the bill."),
        ("(Reuters) - Oil rose on Monday.", "Oil rose on Monday."),
        ("LONDON (AP) — Rain fell.", "Rain fell."),
        ("By . Jill Reilly . PUBLISHED: . 08:06 EST, 5 November 2012 . | . A ship sank.",
         "A ship sank."),
        ("By Jane Alder, Reuters\n\nOSLO (Reuters) - Rates rose.", "Rates rose."),
        ("By the time we arrived, it was over.", "By the time we arrived, it was over."),
        ("The AP (Associated Press) reported it.", "The AP (Associated Press) reported it."),
    ],
)
def test_wire_headers_come_off_the_top(text: str, expected: str) -> None:
    assert drop_wire_header(text) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Click here to see more pictures of the rescue.",
        "Frozen in: The research ship (pictured) sits in the ice off the coast .",
        "Up for the battle: Sheffield United's Michael Doyle challenges for the ball.",
        "By Jane Doe, Reuters.",
        "07:21 EST, 28 December 2012 .",
        "Obama Wins Second Term In Landslide Victory.",
        "Flags outside the central bank building in Oslo (Reuters/File Photo)",
        "E-mail to a friend .",
        "Follow us on Twitter for the latest news.",
    ],
)
def test_junk(sentence: str) -> None:
    assert is_junk_sentence(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The minister said: we will build the bridge.",
        "Police said the man, 45, was arrested on Tuesday.",
        "By the time rescuers arrived, the ship had sunk.",
        "Die Regierung hat am Montag einen neuen Plan vorgestellt.",
        "我们赢了。",
    ],
)
def test_not_junk(sentence: str) -> None:
    assert not is_junk_sentence(sentence)


def test_junk_phrases_are_kept_out_even_of_a_short_text() -> None:
    assert has_junk_phrase("Sign up for our newsletter today.")
    assert not has_junk_phrase("Markets fell sharply on Monday.")

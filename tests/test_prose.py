"""Is there a sentence to read? The same answers as before, in linear time on any shape."""

from __future__ import annotations

import random
import re

import pytest

from briefing.errors import EmptyArticleError
from briefing.sources.prose import _URL, has_sentence, require_prose

MB5 = 5 * 1024 * 1024
# The pattern has_sentence used before issue 17: right answers, quadratic time.
OLD = re.compile(r"[^.!?。！？।؟\n]+[.!?。！？।؟…]+[\"'”’)\]]*(?=\s|$)")
# Where the answers may differ on purpose: "…" now ends a stretch, and a closing mark that
# stands alone after a break (or at the start) is not counted as a word.
DIFFERS = re.compile(r"…|(?:^|[\s.!?。！？।؟])[\"'”’)\]]+(?=\s|$)")


def old_has_sentence(text: str) -> bool:
    return any(len(m.group(0).split()) >= 4 or re.search(r"[。！？]", m.group(0))
               for m in OLD.finditer(_URL.sub(" ", text)))  # fmt: skip


def test_the_same_answers_as_the_old_pattern() -> None:
    rng = random.Random(11)
    pieces = ["a", "b", "word", " ", " ", ".", "!", "?", "\n", '"', "'", "”", "’", ")", "]",
              "。", "！", "x y", "  ", "3.5", "U.S.", "\t", "\xa0", "www.x.y", "今天"]  # fmt: skip
    checked = 0
    while checked < 20_000:
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        if DIFFERS.search(_URL.sub(" ", text)):
            continue
        checked += 1
        assert has_sentence(text) is old_has_sentence(text), repr(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("The new ferry terminal opened on Monday.", True),
    ("Prices rose sharply.", False),  # three words: a headline, not a story
    ("3.5 million people came to the square today.", True),
    ("“He said the bridge would close for repairs.” Then he left.", True),
    ("今天天气很好。", True),
    ("https://example.org/a-long-link-with-many-words. www.example.org/more.words.here.", False),
    ("Wait… what happened to the money we gave them.", True),
    ("Headline without a stop\nAnother headline line\n", False),
])  # fmt: skip
def test_has_sentence(text: str, expected: bool) -> None:
    assert has_sentence(text) is expected


@pytest.mark.parametrize("make", [
    lambda: "a" * MB5,  # one huge word
    lambda: ("harbour council ferry timetable " * (MB5 // 32 + 1))[:MB5],  # no punctuation
    lambda: ("ferry timetable\n" * (MB5 // 16 + 1))[:MB5],  # lines, no punctuation
    lambda: "." * MB5,
    lambda: "a." * (MB5 // 2),
    lambda: ("“a’ " * (MB5 // 4 + 1))[:MB5],
])  # fmt: skip
def test_five_megabytes_without_a_sentence_are_refused(make: object) -> None:
    # (bench/source_shapes.py times these; before, 40 kB of one word took 29 s)
    text = make()  # type: ignore[operator]
    assert not has_sentence(text)
    with pytest.raises(EmptyArticleError, match="no sentences"):
        require_prose(text, "big.txt")


def test_one_sentence_after_five_megabytes_of_one_line_is_found() -> None:
    text = "word " * (MB5 // 5) + "and then the council finally approved the plan."
    assert has_sentence(text)

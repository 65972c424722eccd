"""ftfy's repairs run only on the lines they change: the same text as ftfy, in linear time."""

from __future__ import annotations

import random

import ftfy
import pytest

from briefing.sources import mojibake
from briefing.sources.mojibake import repair

PIECES = ["a", "b", " ", "\n", "é", "Ã", "©", "â", "€", "™", "’", "“", "&amp;", "&eacute;",
          "&EACUTE;", "<", ">", "ﬁ", "Ｆ", "\x85", "\x1b[31m", "\x07", "\u2028", "e\u0301",
          "Â", "\xa0", "Ð", "¶", "Ø", "Ù", "·", "вЂ", "Г", "ў", "В", ".", "Ã©", "â€™",
          "Â ", "\ufeff", "\u0301", "×", "²", "√", "β", "ā", "Œ", "1", "\ud83d",
          "plain words here"]  # fmt: skip


def _random_texts(seed: int, count: int, longest: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, longest)))
            for _ in range(count)]  # fmt: skip


def _ftfy(text: str, **kwargs: int) -> str:
    return ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False, **kwargs)


def test_repair_is_ftfy_line_for_line() -> None:
    for text in _random_texts(seed=17, count=3000, longest=40):
        assert repair(text) == _ftfy(text), repr(text)


def test_repair_cuts_long_lines_where_ftfy_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mojibake, "SEGMENT", 50)
    for text in _random_texts(seed=18, count=1000, longest=120):
        assert repair(text) == _ftfy(text, max_decode_length=50), repr(text)


@pytest.mark.parametrize("text", [
    "The cafÃ© isnâ€™t open.\n", "Caf&eacute; &amp; bar\n", "<p>Caf&eacute;</p>\n",
    "ﬁnal ＦＵＬＬ width\n", "e\u0301te\u0301\n", "It’s “fine” — truly.\n",
])  # fmt: skip
def test_repair_on_the_usual_damage(text: str) -> None:
    assert repair(text * 50) == _ftfy(text * 50)


def test_a_text_of_mojibake_on_every_line_is_repaired_up_to_the_budget() -> None:
    line = "The cafÃ© isnâ€™t open.\n"
    text = line * 200_000  # 4.8 MB: ftfy line by line took 45 s
    fixed = repair(text).splitlines()
    assert fixed[0] == "The café isn’t open."
    assert len(fixed) == 200_000
    assert fixed[mojibake.REPAIR_LINES - 1] == "The café isn’t open."
    assert fixed[-1] == line.strip()  # past the budget the text stays as decoded

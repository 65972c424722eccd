"""The sentence splitter: abbreviations, names, numbers, quotes, paragraphs, other languages."""

from __future__ import annotations

import pytest

from briefing.summarize.sentences import split_sentences

CASES = [
    # (text, expected sentences)
    ("The U.S. economy grew. Prices fell.", ["The U.S. economy grew.", "Prices fell."]),
    ("He moved to the U.S. The rest stayed.", ["He moved to the U.S.", "The rest stayed."]),
    ("Dr. Smith met Mr. Jones. They talked.", ["Dr. Smith met Mr. Jones.", "They talked."]),
    ("Apple Inc. said so. Acme Inc. The firm.", ["Apple Inc. said so.", "Acme Inc.", "The firm."]),
    ("Pony.ai raised money. It grew.", ["Pony.ai raised money.", "It grew."]),
    ("The No. 3 seed lost. Fans left.", ["The No. 3 seed lost.", "Fans left."]),
    ("Profits rose 3.5% to $1.13bn. Shares fell.",
     ["Profits rose 3.5% to $1.13bn.", "Shares fell."]),
    ("J. K. Rowling wrote it. George W. Bush read it.",
     ["J. K. Rowling wrote it.", "George W. Bush read it."]),
    ('He said: "It is over." Then he left.', ['He said: "It is over."', "Then he left."]),
    ("She said: “We won.” Fans cheered.", ["She said: “We won.”", "Fans cheered."]),
    ('"Really?" she asked. He nodded.', ['"Really?" she asked.', "He nodded."]),
    ("It ended at 3 p.m. on Monday. Nobody came.",
     ["It ended at 3 p.m. on Monday.", "Nobody came."]),
    ("Wait... What happened? Nothing!", ["Wait...", "What happened?", "Nothing!"]),
    ("He paused… and went on. Then stopped.", ["He paused… and went on.", "Then stopped."]),
    ("Gen. Lee and Sen. Warren met, e.g. in court. It was brief.",
     ["Gen. Lee and Sen. Warren met, e.g. in court.", "It was brief."]),
    ("Yahoo! announced results. Shares rose.", ["Yahoo! announced results.", "Shares rose."]),
    ("First paragraph without a stop\n\nSecond one.",
     ["First paragraph without a stop", "Second one."]),
    ("A heading\nThe first sentence. The second.",
     ["A heading", "The first sentence.", "The second."]),
    ("", []),
    ("   \n\n  ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_english(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_hard_wrapped_lines_are_joined() -> None:
    text = (
        "The council voted on Tuesday to close the old library on the high\n"
        "street, saying the building no longer met fire regulations and would\n"
        "cost too much to repair. Residents protested outside the town hall.\n"
    )
    assert split_sentences(text) == [
        "The council voted on Tuesday to close the old library on the high street, saying the "
        "building no longer met fire regulations and would cost too much to repair.",
        "Residents protested outside the town hall.",
    ]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Er kam am 3. Oktober nach Berlin. Das war gut.", "de",
         ["Er kam am 3. Oktober nach Berlin.", "Das war gut."]),
        ("Es kostet 5 Mio. Euro, z.B. für Dr. Müller. Danach nicht.", "de",
         ["Es kostet 5 Mio. Euro, z.B. für Dr. Müller.", "Danach nicht."]),
        ("M. Macron a parlé. Il est parti.", "fr", ["M. Macron a parlé.", "Il est parti."]),
        ("El Sr. García llegó. ¿Qué pasó? ¡Nada!", "es",
         ["El Sr. García llegó.", "¿Qué pasó?", "¡Nada!"]),
        ("A Sra. Silva chegou. O Dr. Costa saiu.", "pt",
         ["A Sra. Silva chegou.", "O Dr. Costa saiu."]),
    ],
)
def test_other_languages(text: str, language: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


def test_nothing_is_lost() -> None:
    text = "One. Two U.S. dollars went to Dr. Who. Three!\n\nFour? Five…"
    assert " ".join(split_sentences(text)).split() == text.split()


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Chinese: full-width marks end sentences with no space after them.
        ("我们赢了。他说：“明天再来！”然后离开了？好的", "zh",
         ["我们赢了。", "他说：“明天再来！”", "然后离开了？", "好的"]),
        # Japanese: 。 ends a sentence, but not inside a quotation that goes on with と.
        ("「行こう。」と彼は言った。雨が降った。", "ja",
         ["「行こう。」と彼は言った。", "雨が降った。"]),
        # Hindi: the danda and the double danda.
        ("यह एक वाक्य है। यह दूसरा है॥ तीसरा", "hi", ["यह एक वाक्य है।", "यह दूसरा है॥", "तीसरा"]),
        # Arabic question mark; Urdu full stop.
        ("هل أنت بخير؟ نعم، أنا بخير.", "ar", ["هل أنت بخير؟", "نعم، أنا بخير."]),
        ("یہ پہلا جملہ ہے۔ یہ دوسرا ہے۔", "ur", ["یہ پہلا جملہ ہے۔", "یہ دوسرا ہے۔"]),
        # Armenian full stop, Ethiopic full stop, Burmese section mark.
        ("Սա առաջինն է։ Սա երկրորդն է։", "hy", ["Սա առաջինն է։", "Սա երկրորդն է։"]),
        ("ይህ አንደኛ ነው። ይህ ሁለተኛ ነው።", "am", ["ይህ አንደኛ ነው።", "ይህ ሁለተኛ ነው።"]),
        ("ဒါပထမဝါကျပါ။ ဒါဒုတိယပါ။", "my", ["ဒါပထမဝါကျပါ။", "ဒါဒုတိယပါ။"]),
    ],
)
def test_other_scripts(text: str, language: str, expected: list[str]) -> None:
    assert split_sentences(text, language) == expected


def test_mixed_scripts_keep_latin_rules() -> None:
    text = "Pony.ai raised money in 北京。The U.S. unit grew."
    assert split_sentences(text) == ["Pony.ai raised money in 北京。", "The U.S. unit grew."]


def test_a_long_block_splits_the_same_as_its_parts() -> None:
    # The splitter looks only near each mark: a long paragraph (5 MB is admitted) splits as
    # its sentences would one by one, so the work grows with the text, not its square.
    sentence = "Dr. Smith met the U.S. envoy at 3 p.m. on Monday. "
    assert split_sentences(sentence * 2000) == [sentence.strip()] * 2000


def test_a_month_abbreviation_before_its_day_ends_no_sentence() -> None:
    text = "The summit opened on Dec. 2 in Brussels. It ended on Sept. 30, late. It rained."
    assert split_sentences(text) == ["The summit opened on Dec. 2 in Brussels.",
                                     "It ended on Sept. 30, late.", "It rained."]

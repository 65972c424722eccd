"""A lead cut to fit the budget the way an editor trims it: at a clause, speaker kept."""

from __future__ import annotations

import pytest

from briefing.summarize.shorten import shorten

DOLLAR = ("The dollar has hit its highest level against the euro in almost three months after "
          "the Federal Reserve head said the US trade deficit is set to stabilise.")


@pytest.mark.parametrize(
    ("budget", "expected"),
    [
        (30, DOLLAR),
        (16, "The dollar has hit its highest level against the euro in almost three months."),
        (12, "The dollar has hit its highest level against the euro."),
        (8, "The dollar has hit its highest level."),
        (5, None),  # too few words for a clause
    ],
)
def test_the_longest_clause_that_fits(budget: int, expected: str | None) -> None:
    assert shorten(DOLLAR, budget) == expected


def test_brackets_and_appositives_go_first() -> None:
    sentence = ("Nicholas Negroponte, chairman and founder of MIT's Media Labs, says he is "
                "developing a laptop that could sell for under $100 (£54).")
    assert shorten(sentence, 15) == (
        "Nicholas Negroponte says he is developing a laptop that could sell for under $100."
    )


def test_a_quotation_is_never_cut_from_its_speaker() -> None:
    sentence = ('"We will build the bridge whatever it costs, and we will open it in 2027," '
                "said the minister, adding that work would start soon.")
    assert shorten(sentence, 20) == (
        '"We will build the bridge whatever it costs, and we will open it in 2027," '
        "said the minister."
    )
    assert shorten(sentence, 15) is None  # no cut inside the quotation


def test_an_attribution_stays_with_what_it_attributes() -> None:
    sentence = ("The bridge will cost 40 million pounds, more than planned, and is expected to "
                "open in 2027, the council said.")
    assert shorten(sentence, 12) == "The bridge will cost 40 million pounds, the council said."


@pytest.mark.parametrize(
    "sentence",
    [
        "Gibraltar's Chief Minister Peter Caruana will represent the British citizens living in "
        "Gibraltar at the talks next week in London.",
        "The Ballymena-born actor said that the theatre on Ridgeway Street was in urgent need "
        "of repair and money.",
        "Nandakumar completed the race in just under nine hours, walking with two sticks.",
    ],
)
def test_no_hanging_ends(sentence: str) -> None:
    for budget in range(6, len(sentence.split())):
        short = shorten(sentence, budget)
        if short:
            last = short.rstrip(".").split()[-1]
            assert not last.endswith("ing"), short
            assert last not in {"the", "that", "just", "in", "for"}, short
            assert not short.endswith(" that the theatre."), short


def test_other_languages_cut_at_clauses_only() -> None:
    sentence = ("Die Regierung hat am Montag einen neuen Plan vorgestellt, weil die Preise "
                "seit Monaten steigen.")
    assert shorten(sentence, 10, "de") == (
        "Die Regierung hat am Montag einen neuen Plan vorgestellt."
    )
    assert shorten(sentence, 8, "de") is None


def test_what_follows_said_needs_its_own_verb() -> None:
    sentence = ("Google said none of the companies which received AutoLinks had paid for the "
                "service.")
    # "Google said none of the companies." says the opposite of nothing; no shorter clause.
    assert shorten(sentence, 10) is None
    assert shorten("Sophos said that 10% of the e-mail on the net was infected with the virus.",
                   12) == "Sophos said that 10% of the e-mail on the net was infected."


def test_a_clause_between_commas_that_opens_on_a_verb_is_not_an_aside() -> None:
    sentence = ("New episodes of 24, Desperate Housewives and Six Feet Under, appear on the web "
                "hours after they are shown in the US, said a report.")
    short = shorten(sentence, 15)
    assert short is None or "Under said" not in short
    # An aside about a name still goes.
    assert shorten("Roman Shilov, whose wife and baby daughter live in Brisbane, was detained by "
                   "Russian authorities in July.", 10) == (
        "Roman Shilov was detained by Russian authorities in July.")


def test_a_prefix_never_ends_on_a_word_that_needs_its_complement() -> None:
    sentence = ("AutoLink works by creating a link to a website based on information it finds "
                "on the page.")
    assert shorten(sentence, 12) != "AutoLink works by creating a link to a website based."

"""What a sentence leans on, and who a pronoun names when the sentence before is left out."""

from __future__ import annotations

import pytest

from briefing.summarize.cohesion import apply, leaning, resolve
from briefing.summarize.entities import article_names, entities


@pytest.mark.parametrize(
    ("sentence", "needs_prev", "needs_next", "pronoun"),
    [
        ("The council met on Tuesday.", False, False, None),
        ("He said the plan would work.", False, False, "He"),
        ("She was later released.", False, False, "She"),
        ("It stores surplus power around noon.", False, False, "It"),
        ("His lawyer said he would appeal.", False, False, "His"),
        ("On Tuesday, he said no.", False, False, "he"),
        ("Yesterday he teamed them with shorts.", False, False, "he"),
        ("In its monthly bulletin, it flagged eight holes.", False, False, "it"),
        ("But the minister disagreed.", True, False, None),
        ("However, prices fell.", True, False, None),
        ("Meanwhile, the regulator will review it.", True, False, None),
        ("After that, prices fell.", True, False, None),
        ("Foremost among these is a commitment to innovation.", True, False, None),
        ("Today, however, the dynamic has shifted.", True, False, None),
        ("Whatever the truth, he might struggle.", True, False, None),
        ("Asked about the plan, she said no.", False, False, "she"),
        ("Crowds are back on the beaches, and the coves are quiet.", False, False, None),
        ("The company, however, said profits would rise.", True, False, None),
        ("The company, which employs 400 people, said profits would rise.", False, False, None),
        ("This year the show is bigger.", False, False, None),
        ("Despite the rain, the match went ahead.", False, False, None),
        ("Crowds are back on the beaches, but the coves are quiet.", False, False, None),
        ('"We will win," he said.', False, False, "he"),
        ('"We will win," said Ruth Owusu.', False, False, None),
        ('"We will win."', True, False, None),  # a bare quotation: its speaker came before
        ('"We will win.', False, True, None),  # goes on in the next sentence
        ('We always do," he said.', True, False, "he"),  # ends one begun before
        ("'It is not about punishing anyone,' Mrs Owusu added.", True, False, None),  # "it"?
        ("'We won the cup,' Mrs Owusu added.", False, False, None),
        ("'We were seeing children in corners.", False, True, None),
        ("'It is not going to be cheap.", True, True, None),  # a pronoun inside a quotation
        ("Aber der Minister widersprach.", True, False, None),
    ],
)
def test_leaning(sentence: str, needs_prev: bool, needs_next: bool, pronoun: str | None) -> None:
    lang = "de" if sentence.startswith("Aber") else "en"
    lean = leaning(sentence, lang)
    assert (lean.needs_prev, lean.needs_next) == (needs_prev, needs_next)
    said = sentence[lean.pronoun[0]:lean.pronoun[1]] if lean.pronoun else None
    assert said == pronoun


ARTICLE = [
    "Tomas Keller, the harbour master of Port Alden, retired on Friday.",
    "He started as a deckhand at the age of 16.",
    "Mara Lind, who ran the ticket office, praised him.",
    "The town council will appoint a new harbour master.",
    "Keller said he would go fishing.",
]


def _resolve(sentence: str, before: list[str], all_sentences: list[str] | None = None) -> str:
    names = article_names(all_sentences or [*before, sentence])
    lean = leaning(sentence, "en")
    assert lean.pronoun
    r = resolve(sentence, lean.pronoun, before, "en", names)
    return apply(sentence, r, "") if r else ""


def test_a_pronoun_names_the_nearest_person() -> None:
    assert _resolve("He plans to fish.", ARTICLE[:1]) == "Tomas Keller plans to fish."
    assert _resolve("His boat is new.", ARTICLE[:1]) == "Tomas Keller's boat is new."


def test_a_person_of_the_other_gender_is_passed_over() -> None:
    # Keller is "he" in this article, so "she" is not Keller: nobody within reach.
    sentences = [*ARTICLE, "She added that the staff had collected money."]
    assert _resolve(sentences[-1], ARTICLE[3:], sentences) == ""
    # Lind is the nearest person who is not "he".
    assert _resolve(sentences[-1], ARTICLE[:3], sentences).startswith("Mara Lind added")


def test_two_people_in_the_nearest_sentence_is_ambiguous() -> None:
    before = ["Anna Berg met John Carter at the town hall on Monday."]
    assert _resolve("He said the meeting went well.", before) == ""


def test_it_names_an_organisation_but_never_the_dummy_it() -> None:
    before = ["The Riverton Energy Cooperative built the farm last year."]
    assert _resolve("It stores power at noon.", before) == (
        "The Riverton Energy Cooperative stores power at noon."
    )
    lean = leaning("It was the first time.", "en")
    assert lean.pronoun
    assert resolve("It was the first time.", lean.pronoun, before, "en",
                   article_names(before)) is None


def test_the_short_name_when_the_full_one_was_said() -> None:
    names = article_names(ARTICLE)
    lean = leaning("He plans to fish.", "en")
    assert lean.pronoun
    r = resolve("He plans to fish.", lean.pronoun, ARTICLE[:1], "en", names)
    assert r
    assert apply("He plans to fish.", r, ARTICLE[0]) == "Keller plans to fish."


def test_entities() -> None:
    names = article_names(ARTICLE)
    found = {(e.kind, e.full) for s in ARTICLE for e in entities(s, names)}
    assert ("person", "Tomas Keller") in found
    assert ("person", "Mara Lind") in found
    assert ("org", "The town council") not in found  # lower case: not a name
    assert {(e.kind, e.full) for e in entities("Mr Greenspan spoke to the Federal Reserve "
                                               "Bank on Friday.", names)} == {
        ("person", "Mr Greenspan"), ("org", "the Federal Reserve Bank")}


def test_other_languages_are_not_resolved() -> None:
    lean = leaning("Er sagte, der Plan funktioniere.", "de")
    assert lean.pronoun
    assert resolve("Er sagte, der Plan funktioniere.", lean.pronoun,
                   ["Olaf Keller ging am Freitag in Rente."], "de",
                   article_names(["Olaf Keller ging am Freitag in Rente."])) is None

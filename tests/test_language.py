"""Language detection: short paragraphs in five languages, hints that agree or do not."""

from __future__ import annotations

import pytest

from briefing.clean.language import detect_language, normalize

PARAGRAPHS = {
    "en": "The city council voted on Tuesday to build a new bridge across the river. "
    "Work should start next spring and take about two years.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, eine neue Brücke über den Fluss zu bauen. "
    "Die Arbeiten sollen im nächsten Frühjahr beginnen und etwa zwei Jahre dauern.",
    "fr": "Le conseil municipal a voté mardi la construction d'un nouveau pont sur la rivière. "
    "Les travaux devraient commencer au printemps prochain et durer environ deux ans.",
    "es": "El ayuntamiento votó el martes la construcción de un nuevo puente sobre el río. "
    "Las obras deberían empezar la próxima primavera y durar unos dos años.",
    "pt": "A câmara municipal votou na terça-feira a construção de uma nova ponte sobre o rio. "
    "As obras devem começar na próxima primavera e durar cerca de dois anos.",
    "it": "Il consiglio comunale ha votato martedì la costruzione di un nuovo ponte sul fiume. "
    "I lavori dovrebbero iniziare la prossima primavera e durare circa due anni.",
    "nl": "De gemeenteraad heeft dinsdag besloten een nieuwe brug over de rivier te bouwen. "
    "Het werk moet volgend voorjaar beginnen en ongeveer twee jaar duren.",
}


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_detects_short_paragraphs(language: str) -> None:
    assert detect_language(PARAGRAPHS[language]) == language


@pytest.mark.parametrize("language", sorted(PARAGRAPHS))
def test_agreeing_hint_is_kept(language: str) -> None:
    assert detect_language(PARAGRAPHS[language], hint=f"{language}-XX") == language


def test_text_wins_over_a_wrong_hint() -> None:
    # A feed that declares English but carries German.
    assert detect_language(PARAGRAPHS["de"], hint="en") == "de"
    assert detect_language(PARAGRAPHS["pt"], hint="en-US") == "pt"


def test_close_languages_follow_a_plausible_hint() -> None:
    # Spanish and Portuguese share words; a short ambiguous headline keeps the declared one.
    assert detect_language("O presidente e o governo", hint="pt") == "pt"


def test_too_short_uses_hint_or_english() -> None:
    assert detect_language("Brexit", hint="de") == "de"
    assert detect_language("") == "en"


def test_scripts_decide_directly() -> None:
    assert detect_language("東京で新しい法律が発表されました。") == "ja"
    assert detect_language("北京今天宣布了新的政策。") == "zh"
    assert detect_language("Правительство объявило во вторник о повышении налогов.") == "ru"


def test_normalize() -> None:
    assert normalize("pt-PT") == "pt"
    assert normalize("en_US") == "en"
    assert normalize("no") == "nb"
    assert normalize("12") == ""

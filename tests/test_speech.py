"""Tests for briefing.speech: golden table of tricky inputs, acronyms, lexicon, odd input."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefing.errors import ConfigError
from briefing.models import Line, Script, Section
from briefing.speech import for_ear, load_lexicon, spell, spoken_lines, spoken_text, word_like
from briefing.speech.ear import RULES
from briefing.speech.tables import LANGUAGES, table_for
from tests.conftest import GLUED, SEED, needs_seed

TABLE = Path(__file__).parent / "golden" / "speech" / "table.tsv"


def _table() -> list[tuple[str, str, str]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, written, spoken = line.split("\t")
            rows.append((language, written, spoken))
    return rows


def test_golden_table_is_large_and_covers_every_language() -> None:
    rows = _table()
    assert len(rows) >= 200
    assert {lang.split("-")[0] for lang, _, _ in rows} >= {"en", "de", "fr", "es", "pt"}


@pytest.mark.parametrize(("language", "written", "spoken"), _table(),
                         ids=[f"{lang}:{written[:40]}" for lang, written, _ in _table()])
def test_golden_table(language: str, written: str, spoken: str) -> None:
    assert for_ear(written, language) == spoken


def test_update_golden_table(update_golden: bool) -> None:
    """With --update-golden, rewrite the spoken column from for_ear (then review the diff)."""
    if not update_golden:
        pytest.skip("run with --update-golden to rewrite tests/golden/speech/table.tsv")
    lines = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            language, written, _ = line.split("\t")
            line = f"{language}\t{written}\t{for_ear(written, language)}"
        lines.append(line)
    TABLE.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("token", "said_as_word"),
    [
        ("NASA", True), ("NATO", True), ("COVID", True), ("OPEC", True), ("CERN", True),
        ("BRICS", True), ("NAFTA", True), ("FIFA", True),
        ("NEV", False), ("GAC", False), ("EV", False), ("SAIC", False), ("CATL", False),
        ("HSBC", False), ("NYSE", False), ("USDA", False), ("OECD", False), ("NHTSA", False),
    ],
)
def test_acronym_rule_by_letter_pattern(token: str, said_as_word: bool) -> None:
    assert word_like(token) is said_as_word


@pytest.mark.parametrize(
    ("text", "expected"),
    [("NEV", "N E V"), ("NEVs", "N E V's"), ("AI", "A-I"), ("SAIC", "S A-I C"),
     ("GAC", "G A-C"), ("EV", "E V"), ("US", "U S"), ("NASA", "Nasa"), ("LiDAR", "lidar"),
     ("EU", "E U"), ("FBI", "F B I"), ("WWII", "World War Two"), ("COVID-19", "Covid nineteen")],
)
def test_acronyms_from_the_issue(text: str, expected: str) -> None:
    assert for_ear(text) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "ten to twenty percent"), ("de", "zehn bis zwanzig Prozent"),
     ("fr", "dix à vingt pour cent"), ("es", "diez a veinte por ciento"),
     ("pt", "dez a vinte por cento")],
)
def test_range_words_per_language(lang: str, expected: str) -> None:
    assert for_ear("10-20%", lang) == expected


def test_lexicon_is_case_aware_whole_word_and_longest_first() -> None:
    lexicon = {"acme": "ack-me", "ACME Labs": "Ack-me Laboratories", "Zed": "Zedd"}
    assert for_ear("Acme and ACME", lexicon=lexicon) == "ack-me and ack-me"
    assert for_ear("ACME Labs grew", lexicon=lexicon) == "Ack-me Laboratories grew"
    assert for_ear("Zed, zed, Zeds", lexicon=lexicon) == "Zedd, zed, Zeds"
    assert for_ear("Acmes", lexicon=lexicon) == "Acmes"


def test_lexicon_output_is_final() -> None:
    # a respelling in capitals is not spelled again by the acronym rule
    assert for_ear("Foo rose", lexicon={"Foo": "FOO"}) == "FOO rose"
    assert for_ear("no lexicon AI", lexicon={}) == "no lexicon A-I"
    assert for_ear("Acme 5 rose", lexicon={"Acme 5": "Acme five-oh"}) == "Acme five-oh rose"


def test_load_lexicon_merges_user_entries(tmp_path: Path) -> None:
    user = tmp_path / "lexicon.toml"
    user.write_text('Xpeng = "Ex-pung"\nNewco = "New-co"\n[lexicon]\n"Pony.ai" = "Pony AI"\n',
                    encoding="utf-8")
    lexicon = load_lexicon(user)
    assert lexicon["Xpeng"] == "Ex-pung"
    assert lexicon["Newco"] == "New-co"
    assert lexicon["Pony.ai"] == "Pony AI"
    assert lexicon["Voyah"] == "Voy-ah"  # packaged default kept
    assert for_ear("Newco and Xpeng", lexicon=lexicon) == "New-co and Ex-pung"


def test_packaged_lexicon_has_the_defaults() -> None:
    lexicon = load_lexicon()
    for term in ("Xpeng", "Voyah", "LiDAR", "Pony.ai", "DeepSeek", "Aramco"):
        assert term in lexicon


def test_bad_lexicon_toml_names_file_and_line(tmp_path: Path) -> None:
    user = tmp_path / "lexicon.toml"
    user.write_text('Xpeng = "Ex-peng"\nVoyah = Voy-ah\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_lexicon(user)
    message = str(caught.value)
    assert str(user) in message
    assert "line 2" in message


def test_lexicon_value_must_be_a_string(tmp_path: Path) -> None:
    user = tmp_path / "lexicon.toml"
    user.write_text("Xpeng = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="Xpeng"):
        load_lexicon(user)


def test_missing_lexicon_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_lexicon(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🎉🚗👍🏽", "*#|•→", "[1]", "()", "---", "\ue000\ue001", "$", "€ £", "...",
     "A", "5", "https://", "@", "#", "&", "\n\n", "\x00\x07", "ÄÖÜ", "中文新闻"],
)
def test_odd_input_does_not_crash(text: str) -> None:
    for lang in ("en", "de", "fr", "es", "pt", "xx"):
        result = for_ear(text, lang)
        assert isinstance(result, str)
        assert "\ue000" not in result


def test_nothing_left_to_say_is_empty() -> None:
    assert for_ear("🎉🚗👍🏽") == ""
    assert for_ear("*#|•") == ""


@pytest.mark.parametrize(("path", "spelled"), [
    (GLUED, ("I M O", "twenty twenty-seven")),
    pytest.param(SEED, ("N E V", "Ex-peng"), marks=needs_seed),
], ids=["ours", "seed"])  # fmt: skip
def test_a_whole_article_normalizes(path: Path, spelled: tuple[str, ...]) -> None:
    """A guard against a catastrophic regex on real text (its speed is bench/'s business)."""
    spoken = for_ear(path.read_text(encoding="utf-8"))
    for word in spelled:
        assert word in spoken


@pytest.mark.parametrize(
    ("letters", "word_follows", "expected"),
    [("FBI", True, "F B I"), ("AI", True, "A-I"), ("FDA", True, "F D A-"), ("FDA", False, "F D A"),
     ("UAW", True, "U A-W"), ("AAA", False, "A-A-A")],
)
def test_spelled_english_a_is_never_the_article(letters: str, word_follows: bool,
                                                expected: str) -> None:
    # espeak-ng (and Piper and Kokoro, which phonemize with it) says a lone "A" before a word
    # as the article; joined by a hyphen it says the letter's name
    assert spell(letters, table_for("en"), word_follows=word_follows) == expected


def test_portuguese_letters_are_named() -> None:
    assert for_ear("a UE", "pt") == "a U é"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "December second"), ("en-US", "December second"), ("en-GB", "the twelfth of February"),
     ("en-AU", "the twelfth of February"), ("de", "zwölften Februar")],
)
def test_numeric_dates_follow_the_locale(language: str, expected: str) -> None:
    assert for_ear("on 12/02/2024", language).split(",")[0].startswith(("on " + expected,
                                                                        "on " + expected))


def test_every_rule_named_in_a_table_exists() -> None:
    for language in (*LANGUAGES, "xx", "pt-BR", "en-GB"):
        table = table_for(language)
        assert set(table.rules) <= set(RULES), language
        assert table.rules[0] == "markup"
        assert table.rules[-1] == "tidy"


def test_no_digits_reach_the_engine_in_languages_with_a_table() -> None:
    text = ("On Dec. 2, 2024 at 10:30 a.m. ET the 2024-25 budget rose 3.5% to $4.2bn, "
            "up from 1,400 in the 1990s; call 555-0142 or see No. 10, 3-1, 1/2, 21st, G7, "
            "3x, 100s, x86, COP28, 4WD.")
    spoken = for_ear(text)
    assert not any(c.isdigit() for c in spoken), spoken


def test_num2words_is_imported_only_when_numbers_are_said() -> None:
    code = ("import sys, briefing.cli; from briefing.speech import for_ear; "
            "for_ear('NASA and the FBI'); print('num2words' in sys.modules, end=' '); "
            "for_ear('in 2024'); print('num2words' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.split() == ["False", "True"]


def test_spoken_lines_give_each_line_its_language() -> None:
    host = Line(text="It's 10:30 a.m.", role="host", kind="intro", language="en")
    story = Line(text="Am 3. Mai 2024 stieg der DAX um 2 %.", role="reader", kind="story",
                 language="de")
    script = Script(show="Show", title="Show", date="2026-11-28", language="en",
                    sections=(Section("Intro", (host,)), Section("Story", (story,))))
    assert list(spoken_lines(script, {})) == [
        ("host", "en", "It's ten thirty A-M."),
        ("reader", "de", "Am dritten Mai zweitausendvierundzwanzig stieg der Dax um zwei Prozent."),
    ]
    assert spoken_text(script, {}).splitlines()[0] == "host (en): It's ten thirty A-M."

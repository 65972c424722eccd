"""Tests for briefing.speech: golden table of tricky inputs, acronyms, lexicon, odd input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefing.errors import ConfigError
from briefing.speech import for_ear, load_lexicon, word_like
from tests.conftest import GLUED, SEED, needs_seed

GOLDEN = Path(__file__).parent / "golden" / "speech" / "cases.json"

# (language, written text); the spoken form of each is in the golden file
CASES: list[tuple[str, str]] = [
    # acronyms: spelled with dots (espeak reads a lone "A" as the article), words kept
    ("en", "NEV"),
    ("en", "NEVs"),
    ("en", "the NEV's rise"),
    ("en", "AI"),
    ("en", "SAIC Motor has joined GAC Toyota"),
    ("en", "EV and EVs"),
    ("en", "US"),
    ("en", "the U.S. President"),
    ("en", "in the U.S."),
    ("en", "NASA, NATO, UNESCO and OPEC"),
    ("en", "OPEC, CATL, BYD, HSBC, NYSE, USDA"),
    ("en", "COVID-19"),
    ("en", "LiDAR systems"),
    ("en", "BREAKING NEWS: FIRE IN TOWN"),
    ("en", "CRASH WARNS OF NEV RISK"),
    ("en", "US AND CHINA AGREE ON AI RULES"),
    ("en", "World War II and Henry VIII"),
    ("en", "IT staff said OK"),
    # numbers, money, percentages
    ("en", "3,000 cars"),
    ("en", "1.5bn"),
    ("en", "$3.2 billion"),
    ("en", "€5m"),
    ("en", "£10 and £1"),
    ("en", "$5.99"),
    ("en", "US$5bn"),
    ("en", "$5k"),
    ("en", "50% and 5.5%"),
    ("en", "-3.2%"),
    ("en", "#1"),
    # dates, ordinals, ranges, years, times
    ("en", "2024-11-28"),
    ("en", "28/11/2024"),
    ("en", "11/28/2024"),
    ("en", "1st, 21st, 3rd and 100th"),
    ("en", "2019-2021"),
    ("en", "2019–21"),
    ("en", "10-20%"),
    ("en", "in 1999, the 1990s, 1905, 2000, 2005 and 2024"),
    ("en", "14:11"),
    ("en", "9:05 and 10:00"),
    ("en", "call 555-1234"),
    # units
    ("en", "5 km, 1 km, 10 kg, 100 km/h, 60 mph"),
    ("en", "3 GW, 5 kWh, 30°C"),
    ("en", "5m people ran 100m"),
    # names
    ("en", "Chang’e-6"),
    ("en", "Pony.ai, Xpeng, Voyah, DeepSeek and Aramco"),
    # links, markup, symbols
    ("en", "Read https://www.example.com/path?x=1."),
    ("en", "Visit bbc.co.uk now"),
    ("en", "Write to news.desk@guardian.co.uk"),
    ("en", "AT&T and S&P 500"),
    ("en", "@elonMusk posted #ClimateStrike"),
    ("en", "Sales rose[1] sharply [citation needed]."),
    ("en", "• item → next | more *bold* **bolder** # heading"),
    ("en", "See [the report](https://example.org/r) <b>now</b>"),
    ("en", "Great news 🎉🚗👍🏽 today"),
    ("en", "and/or"),
    ("en", "(NEV sales"),
    # German
    ("de", "50 % und 3,5 Prozent"),
    ("de", "2024-11-28"),
    ("de", "28.11.2024"),
    ("de", "am 3. Mai 2024"),
    ("de", "10-20 %"),
    ("de", "2019-2021"),
    ("de", "5 km, 30 °C, 100 km/h"),
    ("de", "14:11 Uhr"),
    ("de", "3,2 Mrd. € und 5 Mio. Euro"),
    ("de", "€5 und 5,99 €"),
    ("de", "1999 und 2024"),
    ("de", "EU und KI"),
    ("de", "Tesla & Co auf www.spiegel.de"),
    # French
    ("fr", "50 % et 3 000 voitures"),
    ("fr", "2024-11-28"),
    ("fr", "01/05/2024"),
    ("fr", "2019-2021 et 10-20 %"),
    ("fr", "5 km, 30 °C, 100 km/h"),
    ("fr", "14h11, 14h et 14:11"),
    ("fr", "3,2 Md€ et 5 M€"),
    ("fr", "5,99 €"),
    ("fr", "$3 millions"),
    ("fr", "UE et IA, l'OTAN"),
    ("fr", "Tesla & Co sur www.lemonde.fr"),
    # Spanish
    ("es", "50 % y 3.000 coches"),
    ("es", "2024-11-28"),
    ("es", "2019-2021"),
    ("es", "14:11 y 14:05"),
    ("es", "5,99 €"),
    ("es", "$3.000 millones"),
    ("es", "EE. UU. y los EEUU"),
    ("es", "5 km y 100 km/h"),
    # Portuguese
    ("pt", "50% e 3,5%"),
    ("pt", "2024-11-28"),
    ("pt", "2019-2021"),
    ("pt", "14h30 e às 9h"),
    ("pt", "5,99 €"),
    ("pt", "R$ 5"),
    ("pt", "US$ 3 bilhões"),
    ("pt", "$3bn"),
    ("pt-BR", "$3bn"),
    ("pt", "5 km e 100 km/h"),
    # a language without word tables still gets acronyms, links and symbols
    ("it", "NEV e AI su www.corriere.it ★"),
]


def _spoken() -> list[dict[str, str]]:
    return [{"language": lang, "text": text, "ear": for_ear(text, lang)} for lang, text in CASES]


def test_golden_table(update_golden: bool) -> None:
    got = _spoken()
    if update_golden or not GOLDEN.exists():
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        if not update_golden:
            pytest.fail(f"wrote {GOLDEN}; check it and run again")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert got == want


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
    [("NEV", "N.E.V"), ("NEVs", "N.E.V.'s"), ("AI", "A.I"), ("SAIC", "S.A.I.C"),
     ("GAC", "G.A.C"), ("EV", "E.V"), ("US", "U.S"), ("NASA", "NASA"), ("LiDAR", "lidar")],
)
def test_acronyms_from_the_issue(text: str, expected: str) -> None:
    assert for_ear(text) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("en", "10 to 20%"), ("de", "10 bis 20%"), ("fr", "10 à 20%"), ("es", "10 a 20%"),
     ("pt", "10 a 20%")],
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
    assert for_ear("no lexicon AI", lexicon={}) == "no lexicon A.I"


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
    (GLUED, ("I.M.O", "20 27")),
    pytest.param(SEED, ("N.E.V", "Ex-peng"), marks=needs_seed),
], ids=["ours", "seed"])  # fmt: skip
def test_a_whole_article_normalizes(path: Path, spelled: tuple[str, ...]) -> None:
    """A guard against a catastrophic regex on real text (its speed is bench/'s business)."""
    spoken = for_ear(path.read_text(encoding="utf-8"))
    for word in spelled:
        assert word in spoken

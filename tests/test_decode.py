"""Bytes -> text: which encoding, when the bytes do not say."""

from __future__ import annotations

import pytest

from briefing.sources.decode import decode

FRENCH = ("Les élèves de l'école sont rentrés hier soir. Déjà à Noël, ils avaient tout "
          "préparé pour la fête, et leurs parents étaient très fiers d'eux.\n")  # fmt: skip
CURLY = ("The council’s “emergency” plan — agreed on Tuesday — costs €4 million, and it’s "
         "only the start, said the mayor’s office.\n")  # fmt: skip


@pytest.mark.parametrize("text", [FRENCH, "élèves. Déjà à Noël", "Il était déjà là, à Noël."])
def test_latin1_french_is_read_as_latin1(text: str) -> None:
    # charset_normalizer rates short French in cp1257 best ("élčves", "Déją ą Noėl")
    assert decode(text.encode("latin-1"), source="x") == text


def test_six_bad_bytes_in_a_utf8_text_do_not_make_it_mac_latin2() -> None:
    good = (CURLY * 4).encode()
    first, second = good.index(b" plan"), good.index(b" costs", 200)  # between characters
    data = (good[:first] + b"\xe9\xe8\xff" + good[first:second] + b"\x93\x94\xe0"
            + good[second:])  # fmt: skip
    text = decode(data, source="x")
    assert "‚Äô" not in text and "Äú" not in text
    assert text.count("’") == CURLY.count("’") * 4 and "€4 million" in text
    assert text.count("\ufffd") == 6  # the six bad bytes, and nothing else lost


def test_a_cp1252_text_with_curly_quotes_is_not_taken_for_utf8() -> None:
    assert decode(CURLY.encode("cp1252"), source="x") == CURLY


@pytest.mark.parametrize(("text", "encoding"), [
    ("Příliš žlutý kůň úpěl ódy. Vláda schválila nový zákon o řízení státu a obyvatelé "
     "města jsou spokojeni.", "cp1250"),
    ("Zażółć gęślą jaźń. Rząd przyjął nową ustawę o szkolnictwie, a mieszkańcy miasta są "
     "zadowoleni.", "cp1250"),
    ("Lietuvos vyriausybė patvirtino naują įstatymą dėl švietimo, o miesto gyventojai yra "
     "patenkinti.", "cp1257"),
    ("Правительство утвердило новый закон об образовании, и жители города довольны.",
     "cp1251"),
    ("Правительство утвердило новый закон об образовании, и жители города довольны.",
     "koi8-r"),
    ("Η κυβέρνηση ενέκρινε νέο νόμο για την εκπαίδευση.", "cp1253"),
    ("Hükümet eğitim hakkında yeni bir yasayı onayladı ve şehir sakinleri memnun.", "cp1254"),
    ("Die Schüler in München waren über die Nachricht glücklich, denn die Straße ist zu.",
     "cp1252"),
    ("政府は教育に関する新しい法律を承認し、市民は満足している。", "shift_jis"),
])  # fmt: skip
def test_when_the_words_tell_the_encoding_apart_they_decide(text: str, encoding: str) -> None:
    # the common Western encoding goes first only where nothing tells them apart: a text
    # whose words exist in another code page keeps it
    assert decode(text.encode(encoding), source="x") == text

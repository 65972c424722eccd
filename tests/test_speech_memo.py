"""Text for the ear remembered per line: same answers as for_ear, misses when anything changes."""

from __future__ import annotations

import subprocess
import sys

from briefing.speech.ear import for_ear
from briefing.speech.memo import for_ear_lines

LINES = [("The EU paid $4.2bn on Dec. 2, 2024.", "en"), ("Die EZB senkt den Zins.", "de")]


def test_remembered_lines_say_what_for_ear_says() -> None:
    first = for_ear_lines(LINES, {})
    assert first == [for_ear(text, lang, {}) for text, lang in LINES]
    assert for_ear_lines(LINES, {}) == first


def test_a_lexicon_change_is_a_miss() -> None:
    plain = for_ear_lines(LINES, {})
    respelled = for_ear_lines(LINES, {"EU": "the Union"})
    assert plain[0] != respelled[0] and "the Union" in respelled[0]


def test_a_warm_lookup_runs_no_rule(briefing_home) -> None:
    for_ear_lines(LINES, {})
    code = ("import sys; from briefing.speech.memo import for_ear_lines; "
            f"for_ear_lines({LINES!r}, {{}}); "
            "print('briefing.speech.ear' in sys.modules, 'num2words' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_damaged_memo_is_only_a_redo(briefing_home) -> None:
    from briefing.paths import cache_dir

    memo = cache_dir() / "ear" / "ear-lines.json"
    for damage in ("[1, 2]", "{not json", ""):
        memo.parent.mkdir(parents=True, exist_ok=True)
        memo.write_text(damage, encoding="utf-8")
        assert for_ear_lines(LINES, {}) == [for_ear(text, lang, {}) for text, lang in LINES]

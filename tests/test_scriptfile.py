"""The Markdown script reads back into the same Script, and edits survive."""

import datetime as dt

import pytest

from briefing.errors import ScriptFileError
from briefing.models import Article, Story, Voice
from briefing.script import write_script
from briefing.script.markdown import from_markdown, to_markdown


def make_script():
    a = Story(Article("x", title="Solar farm opens", site_name="Riverton Ledger",
                      url="https://example.org/solar"),
              ("One sentence.", "Two sentences.", "Three."), ("paragraph", "sentence", "sentence"))
    b = Story(Article("y", title="Neue Brücke", language="de"), ("Ein Satz.",))
    return write_script([a, b], show="Morning Briefing", date=dt.date(2026, 11, 28),
                        host=Voice("en-gb-x-rp", 165, 45), reader=Voice("en-us", 170, 50))


def test_round_trip_is_exact():
    script = make_script()
    assert from_markdown(to_markdown(script)) == script


def test_markdown_marks_roles_and_sources():
    md = to_markdown(make_script())
    assert md.startswith("---\nshow: Morning Briefing\n")
    assert "## Solar farm opens\nSource: https://example.org/solar\n" in md
    assert "Language: de" in md
    assert "HOST: First, from Riverton Ledger: Solar farm opens." in md
    assert "READER: One sentence.\n\nREADER: Two sentences." in md


def test_an_edit_is_kept():
    md = to_markdown(make_script()).replace("Two sentences.", "Two edited sentences.")
    lines = from_markdown(md).lines
    assert "Two edited sentences." in [ln.text for ln in lines]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no front matter", "front matter"),
        ("---\nshow: S\n---\n", "no title"),
        ("---\nshow: S\ntitle: T\ndate: 2026-11-28\nlanguage: en\n---\n## A\nnonsense\n",
         "HOST: or READER:"),
        ("---\nshow: S\ntitle: T\ndate: 2026-11-28\nlanguage: en\nhost: loud\n---\n", "voice"),
    ],
)
def test_bad_scripts_say_what_is_wrong(text, message):
    with pytest.raises(ScriptFileError, match=message):
        from_markdown(text)

"""The script is written for the ear: intro with show, date, title and source; stories; outro."""

import datetime as dt

from briefing.models import Article, Story
from briefing.script import paragraph_breaks, spoken_date, write_script

DAY = dt.date(2026, 11, 28)


def story(title="", site="", sentences=("One.", "Two."), language="en"):
    return Story(Article("One. Two.", title=title, site_name=site, language=language),
                 tuple(sentences))


def test_single_story_intro_names_show_date_title_and_source():
    script = write_script([story("Solar farm opens", "Riverton Ledger")], show="Morning Briefing",
                          date=DAY)
    intro = " ".join(line.text for line in script.sections[0].lines)
    assert "Morning Briefing" in intro
    assert "Saturday, November 28, 2026" in intro
    assert "from Riverton Ledger: Solar farm opens" in intro
    assert [s.title for s in script.sections] == ["Intro", "Solar farm opens", "Outro"]
    assert script.sections[-1].lines[0].kind == "outro"
    assert all(ln.role == "reader" for ln in script.sections[1].lines)


def test_several_stories_get_headlines_and_transitions():
    stories = [story("A"), story("B"), story("C")]
    script = write_script(stories, show="Show", date=DAY)
    heads = [s.lines[0].text for s in script.sections[1:-1]]
    assert heads == ["First, A.", "Next, B.", "And finally, C."]
    assert "3 stories" in script.sections[0].lines[-1].text


def test_pauses_sentence_paragraph_story():
    s = Story(Article("a"), ("One.", "Two.", "Three."), ("paragraph", "sentence", "sentence"))
    script = write_script([s], show="S", date=DAY)
    assert [ln.pause_after_ms for ln in script.sections[1].lines] == [700, 350, 1200]


def test_untitled_story_chapter_uses_its_first_words():
    script = write_script([story(sentences=("Chinese automakers share technology with partners "
                                            "around the world today.",))], show="S", date=DAY)
    assert script.sections[1].title.startswith("Chinese automakers share")


def test_other_languages_have_their_own_host_lines():
    script = write_script([story("Titel")], show="Nachrichten", date=DAY, language="de")
    assert "Samstag, 28. November 2026" in script.sections[0].lines[0].text
    assert spoken_date(DAY, "fr") == "samedi 28 novembre 2026"


def test_paragraph_breaks_follow_the_source():
    text = "First one. Second one.\n\nThird one."
    assert paragraph_breaks(text, ["First one.", "Second one.", "Third one."]) == (
        "sentence", "paragraph", "sentence")


def test_paragraph_breaks_find_sentences_the_summary_rewrote():
    text = ("She opened the bakery in 1998 with a loan from her uncle. It now employs "
            "forty people across three shops in the valley.\n\n"
            "The council approved a fourth shop on Tuesday evening after a long debate.")
    chosen = ["Maria Jensen opened the bakery in 1998 with a loan from her uncle.",  # named
              "It now employs forty people across three shops in the valley.",
              "The council approved a fourth shop on Tuesday evening."]  # cut at a clause
    assert paragraph_breaks(text, chosen) == ("sentence", "paragraph", "sentence")
    # rewritten at both ends: it stays in the paragraph of the sentence before it
    assert paragraph_breaks(text, [chosen[1], "Maria Jensen's bakery grew."]) == (
        "sentence", "sentence")


def test_titles_ending_in_punctuation_get_no_extra_stop():
    script = write_script([story("Spurs v United – live!"), story("Is it over?")], show="S",
                          date=DAY)
    heads = [s.lines[0].text for s in script.sections[1:-1]]
    assert heads == ["First, Spurs v United – live!", "And finally, Is it over?"]

"""The pipeline with a test synthesizer: order, voices, files written, nothing left behind."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from briefing import pipeline, tts
from briefing.config import Config
from briefing.models import Article, Line, Script, Voice
from briefing.script.budget import story_word_budget
from briefing.tts.voices import voice_for
from tests.conftest import SAMPLE
from tests.fakes import ToneSynthesizer

DAY = dt.date(2026, 11, 28)


@pytest.fixture
def tone(monkeypatch: pytest.MonkeyPatch) -> ToneSynthesizer:
    synth = ToneSynthesizer()
    monkeypatch.setattr(tts, "get_synthesizer", lambda name="pyttsx3", **kw: synth)
    return synth


def config(**kw) -> Config:
    return Config(host_voice="en-gb-x-rp", voice="en-us", **kw)


def test_a_german_story_is_read_in_a_german_voice():
    script = Script("S", "T", "2026-11-28", "en", (), host=Voice("en-gb-x-rp"),
                    reader=Voice("en-us", 170))
    assert voice_for(Line("Hallo.", "reader", language="de"), script) == Voice("de", 170)
    assert voice_for(Line("Hi.", "reader", language="en"), script) == Voice("en-us", 170)
    assert voice_for(Line("Hi.", "host", language="en"), script).id == "en-gb-x-rp"


def test_budget_grows_with_minutes():
    texts = ["word " * 500]
    short = story_word_budget(config(minutes=1), ["Hello."], texts, lambda v: 1000.0)
    long = story_word_budget(config(minutes=4), ["Hello."], texts, lambda v: 1000.0)
    assert 3.5 < (long / short) < 5


def test_make_writes_the_episode_and_sidecars_and_nothing_else(tone, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BRIEFING_NO_CACHE", "1")  # every line spoken here, whatever ran before
    out = tmp_path / "out" / "brief.mp3"
    episode = pipeline.make_briefing([str(SAMPLE)], output=out, config=config(minutes=1),
                                     date=DAY)
    names = sorted(p.name for p in out.parent.iterdir())
    assert names == ["brief.chapters.json", "brief.json", "brief.mp3", "brief.srt",
                     "brief.txt", "brief.vtt"]
    assert episode.chapters[0].title == "Intro"
    assert len(episode.chapters) == 3
    assert episode.cues[0].start_ms < episode.cues[1].start_ms
    # the host's lines go to the host's voice, the story to the reader's
    voices = {call[2].id for call in tone.calls}
    assert voices == {"en-gb-x-rp", "en-us"}


def test_cover_art_is_embedded(tone, tmp_path: Path):
    from mutagen.id3 import ID3

    out = tmp_path / "brief.mp3"
    pipeline.make_briefing([str(SAMPLE)], output=out, config=config(minutes=0.5), date=DAY)
    art = ID3(str(out)).getall("APIC")
    assert art and art[0].data.startswith(b"\x89PNG")


def test_default_destination_is_dated_and_slugged(tone, tmp_path: Path):
    episode = pipeline.make_briefing([str(SAMPLE)], config=config(
        minutes=0.5, output_dir=str(tmp_path / "output")), date=DAY)
    assert episode.mp3 == (tmp_path / "output" / "2026-11-28" /
                           "riverton-switches-on-the-regions-largest-community-solar.mp3"
                           ).resolve()


def test_failure_leaves_no_partial_files(tone, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from briefing.audio import layout, master
    from briefing.errors import AudioError

    def broken(*args, **kwargs):
        raise AudioError("encoding MP3 failed: simulated")

    monkeypatch.setattr(master, "master", broken)
    monkeypatch.setattr(layout, "encode_episode", broken)
    out = tmp_path / "brief.mp3"
    with pytest.raises(AudioError):
        pipeline.make_briefing([str(SAMPLE)], output=out, config=config(minutes=0.5), date=DAY)
    assert list(tmp_path.iterdir()) == []


def test_several_sources_make_one_story_each(tone, tmp_path: Path):
    a = tmp_path / "a.txt"
    a.write_text("Harbour reopens\n\nThe harbour reopened on Monday after a month of repairs. "
                 "Fishing boats returned in the morning.\n")
    the_plan = pipeline.plan(
        pipeline.read_articles([str(SAMPLE), str(a)], config()), config(), date=DAY,
        chars_per_minute=lambda v: 1000.0)
    titles = [s.title for s in the_plan.script.sections]
    assert titles[1:3] == ["Riverton switches on the region’s largest community solar farm",
                           "Harbour reopens"]
    assert the_plan.script.sections[2].lines[0].text == "And finally, Harbour reopens."


def test_script_is_in_the_articles_language(tone):
    article = Article("Die Stadt hat eine neue Brücke eröffnet. Sie verbindet zwei Viertel.",
                      title="Neue Brücke", language="de")
    the_plan = pipeline.plan([article], config(), date=DAY, chars_per_minute=lambda v: 1000.0)
    story = the_plan.script.sections[1]
    assert all(line.language == "de" for line in story.lines)


def test_a_story_in_a_language_without_a_voice_is_read_by_the_reader(tone, tmp_path: Path):
    # wordfreq detects Filipino ("fil"); espeak-ng has no voice for it (it has Swahili)
    article = Article("Ang balitang ito ay maikli. Binabasa ito ng mambabasa.", title="Balita",
                      language="fil")
    the_plan = pipeline.plan([article], config(), date=DAY, chars_per_minute=lambda v: 1000.0)
    pipeline.render(the_plan.script, config(), output=tmp_path / "fil.mp3")
    story = {call[2].id for call in tone.calls if call[0].startswith(("Ang", "Binabasa"))}
    assert story == {"en-us"}


def test_a_story_in_a_language_with_a_voice_is_read_in_it(tone, tmp_path: Path):
    article = Article("Habari hii ni fupi sana. Inasomwa na msomaji.", title="Habari",
                      language="sw")
    the_plan = pipeline.plan([article], config(), date=DAY, chars_per_minute=lambda v: 1000.0)
    pipeline.render(the_plan.script, config(), output=tmp_path / "sw.mp3")
    story = {call[2].id for call in tone.calls if call[0].startswith(("Habari", "Inasomwa"))}
    assert story == {"sw"}


def test_a_missing_chosen_voice_is_an_error(tone, tmp_path: Path):
    from briefing.errors import VoiceNotFoundError

    the_plan = pipeline.plan(pipeline.read_articles([str(SAMPLE)], config()), config(),
                             date=DAY, chars_per_minute=lambda v: 1000.0)
    script = replace(the_plan.script, reader=Voice("en-nope"))
    with pytest.raises(VoiceNotFoundError):
        pipeline.render(script, config(), output=tmp_path / "x.mp3")


# --- issue 17 #20: a story's language finds its voice among every voice's languages ----------

CHINESE = "北京市政府星期一宣布，新的地铁线路将于明年开通。这条线路连接城市东部和西部。"
KHMER = "រដ្ឋាភិបាល បាន ប្រកាស ថា ផ្លូវ ថ្មី នឹង បើក នៅ ឆ្នាំ ក្រោយ. អ្នកដំណើរ នឹង សន្សំ ពេលវេលា."


def test_language_voice_looks_in_every_voices_languages():
    from briefing.tts.voices import language_voice

    synth = tts.get_synthesizer("espeak-ng")  # the real engine's list: sit/cmn lists zh
    try:
        voices = synth.voices()
    finally:
        synth.close()
    assert language_voice("zh", voices) == "cmn"
    assert language_voice("de", voices) == "de"
    assert language_voice("sw", voices) == "sw"
    assert language_voice("km", voices) is None


def test_a_chinese_story_is_read_by_a_chinese_voice(tone, tmp_path: Path):
    from tests.fakes import VoiceInfo

    tone.voices = lambda: [*ToneSynthesizer().voices(),  # type: ignore[method-assign]
                           VoiceInfo("sit/cmn", "Chinese (Mandarin)", ("cmn", "zh-cmn", "zh"))]
    article = Article(CHINESE, title="地铁", language="zh")
    the_plan = pipeline.plan([article], config(), date=DAY, chars_per_minute=lambda v: 1000.0)
    items = tts_usable(the_plan.script, tone)
    story = {voice.id for text, voice in items if text.startswith("北京")}
    assert story == {"cmn"}


def tts_usable(script: Script, synth: ToneSynthesizer):
    from briefing.tts.voices import usable

    return usable(pipeline.speech_items(script, config()), script, synth)


@pytest.mark.parametrize("honours", [True, False])
def test_a_pitch_an_engine_cannot_use_is_said_once(tone, caplog, honours: bool):
    # a neural voice has its own pitch: `pitch = 60` with Piper was silently dropped
    tone.honours_pitch = honours  # type: ignore[attr-defined]
    the_plan = pipeline.plan([pipeline.read_articles([str(SAMPLE)], config())[0]],
                             config(pitch=60), date=DAY, chars_per_minute=lambda v: 1000.0)
    with caplog.at_level("WARNING"):
        tts_usable(the_plan.script, tone)
    said = [r.getMessage() for r in caplog.records if "pitch" in r.getMessage()]
    assert said == ([] if honours else [
        "pitch = 60 is not used: tone voices have no pitch setting (espeak-ng and pyttsx3 have)"])


def test_a_story_no_voice_can_read_is_left_out_with_one_line(tone, tmp_path: Path, caplog):
    khmer = Article(KHMER, title="ផ្លូវ", source="km.txt", language="km")
    english = pipeline.read_articles([str(SAMPLE)], config())[0]
    kept = speakable_articles([khmer, english])
    assert kept == [english]
    assert "no tone voice speaks 'km'" in caplog.text and "km.txt" in caplog.text
    from briefing.errors import NoVoiceError

    with pytest.raises(NoVoiceError, match=r"no tone voice speaks 'km'.*briefing voices"):
        speakable_articles([khmer])
    # a Markdown script that still has it: one line before any speech work
    the_plan = pipeline.plan([khmer], config(), date=DAY, chars_per_minute=lambda v: 1000.0)
    with pytest.raises(NoVoiceError, match="'km'"):
        pipeline.render(the_plan.script, config(), output=tmp_path / "km.mp3")
    assert tone.calls == [] and not list(tmp_path.iterdir())


def speakable_articles(articles):
    from briefing.tts.voices import speakable

    return speakable(articles, config())

"""Fast tests of the speech layer: registry, voices, calibration, checks, render, fakes."""

from __future__ import annotations

import json
import socket
import threading
import wave
from pathlib import Path

import pytest

from briefing import paths
from briefing.errors import EngineError, VoiceNotFoundError
from briefing.models import Voice
from briefing.tts import (
    calibrate,
    get_synthesizer,
    known_synthesizers,
    resolve_voice,
    words_per_minute,
)
from briefing.tts.backends.espeak import EspeakSynthesizer
from briefing.tts.backends.pyttsx3 import Pyttsx3Synthesizer
from briefing.tts.base import Synthesizer
from briefing.tts.lanes import synthesize_lines
from briefing.tts.process.channel import Channel
from briefing.tts.wavfile import check_segment, duration_s, write_wav
from tests.fakes import ToneSynthesizer


def test_registry_knows_the_builtins() -> None:
    known = known_synthesizers()
    assert {"pyttsx3", "espeak-ng"} <= set(known)
    assert isinstance(get_synthesizer(), Pyttsx3Synthesizer)
    assert isinstance(get_synthesizer("espeak-ng"), EspeakSynthesizer)
    synth = get_synthesizer("pyttsx3", timeout_s=3.0, retries=0)
    assert (synth.timeout_s, synth.retries) == (3.0, 0)  # type: ignore[attr-defined]


def test_unknown_engine_lists_known_names() -> None:
    with pytest.raises(EngineError, match=r"unknown speech engine 'festival'.*espeak-ng.*pyttsx3"):
        get_synthesizer("festival")


def test_tone_fake_satisfies_protocol_and_scales_with_words(tmp_path: Path) -> None:
    tone = ToneSynthesizer()
    assert isinstance(tone, Synthesizer)
    tone.synthesize("one two three four five six", tmp_path / "a.wav", Voice())
    tone.synthesize(" ".join(["word"] * 60), tmp_path / "b.wav", Voice())
    assert duration_s(tmp_path / "a.wav") == pytest.approx(6 * 60 / 165, abs=0.001)
    assert duration_s(tmp_path / "b.wav") == pytest.approx(60 * 60 / 165, abs=0.001)
    with wave.open(str(tmp_path / "a.wav")) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 22050)
    with pytest.raises(EngineError):
        tone.synthesize("  ", tmp_path / "c.wav", Voice())


def test_synthesize_lines_yields_in_order(tmp_path: Path) -> None:
    tone = ToneSynthesizer()
    host, reader = Voice("en-us", 170), Voice("en-gb-x-rp+f3", 160)
    items = [("Good morning.", host), ("The first story.", reader), ("Next.", host)]
    out = list(synthesize_lines(items, tmp_path / "work", tone))
    assert [p.name for p in out] == ["0000.wav", "0001.wav", "0002.wav"]
    assert [c[0] for c in tone.calls] == [text for text, _ in items]
    assert [c[2] for c in tone.calls] == [host, reader, host]
    assert all(p.exists() for p in out)


def test_synthesize_lines_is_lazy(tmp_path: Path) -> None:
    tone = ToneSynthesizer()
    lines = synthesize_lines([("a b", Voice()), ("c d", Voice())], tmp_path, tone)
    assert tone.calls == []
    next(lines)
    assert len(tone.calls) == 1


def test_resolve_voice_accepts_ids_names_and_variants() -> None:
    tone = ToneSynthesizer()
    assert resolve_voice(tone, "en-us") == "en-us"
    assert resolve_voice(tone, "EN-US+f3") == "EN-US+f3"
    assert resolve_voice(tone, "English (America)") == "en-US"  # espeak-ng's own spelling


def test_resolve_voice_lists_voices_that_exist() -> None:
    with pytest.raises(VoiceNotFoundError, match=r"no voice 'en-gb\+f3'.*en-GB-x-rp"):
        resolve_voice(ToneSynthesizer(), "en-gb+f3")
    with pytest.raises(VoiceNotFoundError, match=r"variant 'zz'.*f1"):
        resolve_voice(ToneSynthesizer(), "en-us+zz")


@pytest.mark.cold_cache
def test_words_per_minute_is_measured_then_cached() -> None:
    tone = ToneSynthesizer(wpm=165)
    assert words_per_minute(tone, Voice()) == pytest.approx(165, rel=0.01)
    assert len(tone.calls) == 1
    assert words_per_minute(tone, Voice()) == pytest.approx(165, rel=0.01)
    assert len(tone.calls) == 1  # from the cache
    words_per_minute(tone, Voice(rate=200))
    assert len(tone.calls) == 2  # another rate is another measurement
    cache = json.loads((paths.cache_dir() / "tts" / "wpm.json").read_text())
    assert "tone|1|en-us|170|50" in cache


def test_calibration_passages() -> None:
    for lang, text in calibrate.PASSAGES.items():
        assert 140 <= len(text.split()) <= 170, lang
    assert calibrate.language_of("gmw/en-US+f3") == "en"
    assert calibrate.language_of("de") == "de"
    assert calibrate.passage_for("roa/fr") is calibrate.PASSAGES["fr"]
    assert calibrate.passage_for("cmn") is calibrate.PASSAGES["en"]  # no passage: English


def test_german_voice_is_measured_on_german_text() -> None:
    tone = ToneSynthesizer()
    words_per_minute(tone, Voice("de"))
    assert tone.calls[0][0] == calibrate.PASSAGES["de"]


def test_check_segment_catches_missing_empty_and_implausible(tmp_path: Path) -> None:
    wav = tmp_path / "x.wav"
    with pytest.raises(EngineError, match="no WAV"):
        check_segment(wav, "hello", 170)
    wav.write_bytes(b"not a wav")
    with pytest.raises(EngineError, match="not a readable WAV"):
        check_segment(wav, "hello", 170)
    write_wav(wav, b"")
    with pytest.raises(EngineError, match="0 frames"):
        check_segment(wav, "hello", 170)
    text = " ".join(["word"] * 40)  # about 14 s at 170 wpm
    write_wav(wav, b"\0\0" * 22050 * 2)  # 2 s: cut short
    with pytest.raises(EngineError, match="implausible"):
        check_segment(wav, text, 170)
    write_wav(wav, b"\0\0" * 22050 * 14)
    assert check_segment(wav, text, 170) == pytest.approx(14)
    assert check_segment(wav, "a", None) == pytest.approx(14)  # no speed: only non-empty


def test_silent_tokens_do_not_count_as_words(tmp_path: Path) -> None:
    wav = tmp_path / "x.wav"
    write_wav(wav, b"\0\0" * 4410)  # 0.2 s, about what espeak makes of "A ."
    assert check_segment(wav, "A .", 195) == pytest.approx(0.2)  # one word, not two
    write_wav(wav, b"\0\0" * 150)  # espeak's few ms for a lone "."
    assert check_segment(wav, "| .", 195) == pytest.approx(150 / 22050)


def test_channel_carries_messages_both_ways_and_reports_the_end() -> None:
    a_sock, b_sock = socket.socketpair()
    a, b = Channel(a_sock.detach()), Channel(b_sock.detach())
    assert not b.poll(0.01)  # nothing sent yet: a poll times out
    big = bytes(range(256)) * 20_000  # 5 MB: more than a socket buffer holds at once
    sender = threading.Thread(target=a.send, args=(("synth", big, {"n": 1}),))
    sender.start()
    assert b.poll(5)
    assert b.recv() == ("synth", big, {"n": 1})
    sender.join()
    b.send(None)
    assert a.recv() is None
    a.close()
    assert a.closed
    assert b.poll(1)  # the other end closed: readable, and recv says so
    with pytest.raises(EOFError):
        b.recv()
    b.close()


def test_chinese_text_counts_as_many_words_for_the_length_check() -> None:
    from briefing.tts.wavfile import longest_words, spoken_words

    # eleven characters: about six words, at most eleven syllable-words; never "one word"
    assert spoken_words("中国汽车工业的发展很快") == 6
    assert longest_words("中国汽车工业的发展很快") == 11
    assert spoken_words("Hello there, world.") == 3

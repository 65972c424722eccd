"""The pyttsx3 backend's safety net, with fake workers: retries, time-outs, fallback."""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import pytest

from briefing.errors import EngineError, VoiceNotFoundError
from briefing.models import Voice
from briefing.tts.backends.pyttsx3 import Pyttsx3Synthesizer
from briefing.tts.process.channel import Channel
from briefing.tts.wavfile import duration_s, write_wav
from tests.fakes import ToneSynthesizer

FAKE_WPM = 165


def _tone(path: Path, text: str) -> None:
    write_wav(path, b"\1\0" * round(60 * len(text.split()) / FAKE_WPM * 22050))


def _empty_worker(conn: Channel, voice_id: str, rate: int, pitch: int) -> None:
    conn.send(("ready", {}))
    while (message := conn.recv()) is not None:
        write_wav(Path(message[2]), b"")  # the 0-frame WAV pyttsx3 sometimes writes
        conn.send(("ok", None))


def _hanging_worker(conn: Channel, voice_id: str, rate: int, pitch: int) -> None:
    conn.send(("ready", {}))
    conn.recv()
    time.sleep(3600)  # like a runAndWait that never returns


def _flaky_worker(conn: Channel, voice_id: str, rate: int, pitch: int) -> None:
    """Fails the first request of the whole test (a marker file), then behaves."""
    conn.send(("ready", {}))
    while (message := conn.recv()) is not None:
        _, text, path = message
        marker = Path(os.environ["BRIEFING_HOME"]) / "failed-once"  # the test's own folder
        if marker.exists():
            _tone(Path(path), text)
        else:
            marker.touch()
            write_wav(Path(path), b"")
        conn.send(("ok", None))


def _voice_rejecting_worker(conn: Channel, voice_id: str, rate: int, pitch: int) -> None:
    conn.send(("error", "voice", f"pyttsx3 rejected voice {voice_id!r}"))


class EmptyPyttsx3(Pyttsx3Synthesizer):
    worker_target = staticmethod(_empty_worker)


class HangingPyttsx3(Pyttsx3Synthesizer):
    worker_target = staticmethod(_hanging_worker)


class FlakyPyttsx3(Pyttsx3Synthesizer):
    worker_target = staticmethod(_flaky_worker)


class RejectingPyttsx3(Pyttsx3Synthesizer):
    worker_target = staticmethod(_voice_rejecting_worker)


class BrokenSynthesizer(ToneSynthesizer):
    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        raise EngineError("broken on purpose")


TEXT = "The council met on Tuesday to discuss the future of the old market hall."


def test_empty_segments_are_retried_then_fall_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fallback = ToneSynthesizer()
    synth = EmptyPyttsx3(retries=2, fallback=fallback)
    try:
        with caplog.at_level(logging.WARNING, logger="briefing.tts.backends.pyttsx3"):
            synth.synthesize(TEXT, tmp_path / "a.wav", Voice())
    finally:
        synth.close()
    assert duration_s(tmp_path / "a.wav") > 0
    assert [c[0] for c in fallback.calls] == [TEXT]
    assert synth.stats.retries == 2 and synth.stats.fallbacks == 1
    assert "espeak-ng backend" in caplog.text
    assert not list(tmp_path.glob(".*"))  # no side files left behind


def test_error_when_the_fallback_fails_too(tmp_path: Path) -> None:
    synth = EmptyPyttsx3(retries=0, fallback=BrokenSynthesizer())
    try:
        with pytest.raises(EngineError, match=r"pyttsx3 .*0 frames.*broken on purpose"):
            synth.synthesize(TEXT, tmp_path / "a.wav", Voice())
    finally:
        synth.close()
    assert not (tmp_path / "a.wav").exists()  # never a bad segment in place


def test_a_hung_worker_is_killed_and_retried(tmp_path: Path) -> None:
    fallback = ToneSynthesizer()
    synth = HangingPyttsx3(timeout_s=0.5, retries=1, fallback=fallback)
    start = time.monotonic()
    try:
        synth.synthesize(TEXT, tmp_path / "a.wav", Voice())
    finally:
        synth.close()
    assert synth.stats.timeouts == 2 and synth.stats.fallbacks == 1
    assert time.monotonic() - start < 30
    assert (tmp_path / "a.wav").exists()


def test_one_bad_attempt_is_retried_without_fallback(tmp_path: Path) -> None:
    fallback = ToneSynthesizer()
    synth = FlakyPyttsx3(retries=2, fallback=fallback)
    try:
        synth.synthesize(TEXT, tmp_path / "a.wav", Voice())
        synth.synthesize(TEXT + " Again.", tmp_path / "b.wav", Voice())
    finally:
        synth.close()
    assert fallback.calls == []
    assert synth.stats.retries == 1 and synth.stats.fallbacks == 0
    assert duration_s(tmp_path / "b.wav") == pytest.approx(60 * 15 / FAKE_WPM, rel=0.01)


def test_a_rejected_voice_is_not_retried_nor_sent_to_the_fallback(tmp_path: Path) -> None:
    fallback = ToneSynthesizer()
    synth = RejectingPyttsx3(fallback=fallback)
    try:
        with pytest.raises(VoiceNotFoundError, match=r"en-gb\+f3.*briefing voices"):
            synth.synthesize(TEXT, tmp_path / "a.wav", Voice("en-gb+f3"))
    finally:
        synth.close()
    assert fallback.calls == [] and synth.stats.retries == 0


def test_missing_folder_and_empty_text_fail_fast(tmp_path: Path) -> None:
    synth = EmptyPyttsx3(retries=0, fallback=BrokenSynthesizer())
    with pytest.raises(EngineError, match="does not exist"):
        synth._attempts(TEXT, tmp_path / "nope" / "a.wav", Voice(), None)
    with pytest.raises(EngineError, match="empty text"):
        synth._attempts("  ", tmp_path / "a.wav", Voice(), None)
    synth.close()

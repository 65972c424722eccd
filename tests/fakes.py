"""Test doubles other tests use: ToneSynthesizer speaks a quiet tone, as long as the words."""

from __future__ import annotations

import array
import math
from functools import cache
from pathlib import Path

from briefing.errors import EngineError, VoiceNotFoundError
from briefing.models import Voice
from briefing.tts.base import VoiceInfo
from briefing.tts.wavfile import SAMPLE_RATE, write_wav

TONE_HZ = 220.0
TONE_AMPLITUDE = 0.05  # quiet: a test run that plays it by accident is no shock


@cache
def _one_second() -> bytes:
    # 220 Hz makes whole cycles in one second at 22,050 Hz, so seconds tile seamlessly
    step = 2 * math.pi * TONE_HZ / SAMPLE_RATE
    peak = TONE_AMPLITUDE * 32767
    return array.array("h", (int(peak * math.sin(step * i)) for i in range(SAMPLE_RATE))).tobytes()


class ToneSynthesizer:
    """Satisfies briefing.tts.base.Synthesizer without inheriting, and without espeak.

    Writes a mono 16-bit 22,050 Hz WAV of words / wpm minutes (165 wpm, like a calm
    reader). Records every call in `calls`. Knows a few voices so resolve_voice works.
    """

    name = "tone"
    version = "1"

    def __init__(self, wpm: float = 165.0) -> None:
        self.wpm = wpm
        self.calls: list[tuple[str, Path, Voice]] = []
        self.closed = False

    def seconds_for(self, text: str) -> float:
        return 60.0 * len(text.split()) / self.wpm

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        if not text.strip():
            raise EngineError("cannot synthesize empty text: drop the line before synthesis")
        known = {name.lower() for v in self.voices() for name in (v.id, v.id.rsplit("/", 1)[-1])}
        if voice.id.split("+", 1)[0].lower() not in known:
            raise VoiceNotFoundError(f"tone has no voice {voice.id!r}")
        self.calls.append((text, wav_path, voice))
        frames = max(1, round(self.seconds_for(text) * SAMPLE_RATE))
        second = _one_second()
        whole, rest = divmod(frames * 2, len(second))
        write_wav(wav_path, second * whole + second[:rest])

    def voices(self) -> list[VoiceInfo]:
        # a few of espeak-ng 1.52's own voices, as it lists them
        return [
            VoiceInfo("gmw/en", "English (Great Britain)", ("en-gb", "en")),
            VoiceInfo("gmw/en-US", "English (America)", ("en-us", "en")),
            VoiceInfo("gmw/en-GB-x-rp", "English (Received Pronunciation)", ("en-gb-x-rp", "en")),
            VoiceInfo("gmw/de", "German", ("de",)),
            VoiceInfo("roa/fr", "French (France)", ("fr-fr", "fr")),
            VoiceInfo("bnt/sw", "Swahili", ("sw",)),
        ]

    def variants(self) -> list[str]:
        return ["f1", "f2", "f3", "f4", "f5", "m1", "m2", "m3"]

    def close(self) -> None:
        self.closed = True

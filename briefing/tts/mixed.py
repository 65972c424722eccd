"""The host on one engine and the reader on another: each line goes to its voice's engine."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from briefing.models import Voice
from briefing.tts.base import Synthesizer, VoiceInfo


class MixedSynthesizer:
    """Satisfies Synthesizer; voices with an `engine` set go to that engine, the others to
    the reader's. Not a dataclass: it owns the engines it closes."""

    def __init__(self, default: Synthesizer, others: dict[str, Synthesizer]) -> None:
        self.default = default
        self.others = others
        self.name = default.name

    @property
    def version(self) -> str:
        return str(getattr(self.default, "version", ""))

    def engine_for(self, voice: Voice) -> Synthesizer:
        return self.others.get(voice.engine, self.default) if voice.engine else self.default

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        self.engine_for(voice).synthesize(text, wav_path, voice)

    def synthesize_unverified(self, text: str, wav_path: Path, voice: Voice) -> None:
        engine = self.engine_for(voice)
        getattr(engine, "synthesize_unverified", engine.synthesize)(text, wav_path, voice)

    def prepare(self, voices: Iterable[Voice]) -> None:
        by_engine: dict[int, list[Voice]] = {}
        engines: dict[int, Synthesizer] = {}
        for voice in voices:
            engine = self.engine_for(voice)
            engines[id(engine)] = engine
            by_engine.setdefault(id(engine), []).append(voice)
        for key, wanted in by_engine.items():
            start = getattr(engines[key], "prepare", None)
            if start is not None:
                start(wanted)

    def voices(self) -> list[VoiceInfo]:
        return self.default.voices()

    def close(self) -> None:
        for engine in (self.default, *self.others.values()):
            engine.close()

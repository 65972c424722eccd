"""A run's speech engines: each line goes to its voice's engine, started when first needed.

The host may speak on another engine than the reader, and a Markdown script names the
engine of each voice (`piper:en_US-joe-medium`), so a run's engines are known only from
its voices.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.models import Voice
from briefing.tts.base import Synthesizer, VoiceInfo

if TYPE_CHECKING:
    from briefing.config import Config


class EngineRouter:
    """Satisfies Synthesizer: a voice with an `engine` goes to that engine, one without to
    the config's. The config's engines are built at once (a bad name fails before any
    work); others when a voice first asks. Not a dataclass: it owns the engines it closes."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.name = config.engine
        self._engines: dict[str, Synthesizer] = {}
        self._lock = threading.Lock()
        self.default = self._get(config.engine)
        try:
            self._get(config.hosts_engine)
        except BaseException:
            self.close()
            raise

    def _get(self, name: str) -> Synthesizer:
        from briefing import tts

        with self._lock:
            if name not in self._engines:
                self._engines[name] = tts.engine_synthesizer(name, self.config)
            return self._engines[name]

    @property
    def version(self) -> str:
        return str(getattr(self.default, "version", ""))

    def engine_for(self, voice: Voice) -> Synthesizer:
        return self._get(voice.engine) if voice.engine else self.default

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        self.engine_for(voice).synthesize(text, wav_path, voice)

    def synthesize_unverified(self, text: str, wav_path: Path, voice: Voice) -> None:
        engine = self.engine_for(voice)
        getattr(engine, "synthesize_unverified", engine.synthesize)(text, wav_path, voice)

    def prepare(self, voices: Iterable[Voice]) -> None:
        by_engine: dict[int, tuple[Synthesizer, list[Voice]]] = {}
        for voice in voices:
            engine = self.engine_for(voice)
            by_engine.setdefault(id(engine), (engine, []))[1].append(voice)
        for engine, wanted in by_engine.values():
            start = getattr(engine, "prepare", None)
            if start is not None:
                start(wanted)

    def voices(self) -> list[VoiceInfo]:
        return self.default.voices()

    def close(self) -> None:
        with self._lock:
            engines = list(self._engines.values())
        for engine in engines:
            engine.close()

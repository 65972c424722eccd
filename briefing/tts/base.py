"""The Synthesizer protocol every speech backend satisfies, and VoiceInfo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from briefing.models import Voice


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the engine offers: the id to ask for, a readable name, its languages."""

    id: str
    name: str
    languages: tuple[str, ...]


@runtime_checkable
class Synthesizer(Protocol):
    """Text in, a verified mono 16-bit WAV out. Test doubles need not inherit."""

    name: str

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        """Write `text` spoken by `voice` to `wav_path`, or raise EngineError."""
        ...

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine can speak with."""
        ...

    def close(self) -> None:
        """Release workers and library state; the synthesizer is not used afterwards."""
        ...

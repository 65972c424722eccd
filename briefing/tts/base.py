"""The Synthesizer protocol every speech backend satisfies, and VoiceInfo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from briefing.models import Voice

# What tells two engines apart: a worker process speaks with one voice id, rate and pitch.
VoiceKey = tuple[str, int, int]


def voice_key(voice: Voice) -> VoiceKey:
    return (voice.id, int(voice.rate), int(voice.pitch))


@dataclass(frozen=True)
class VoiceInfo:
    """A voice the engine offers: the id to ask for, a readable name, its languages."""

    id: str
    name: str
    languages: tuple[str, ...]


@runtime_checkable
class Synthesizer(Protocol):
    """Text in, a verified mono 16-bit WAV out. Test doubles need not inherit.

    Optional extras a backend may offer (looked up with getattr): `version`, a string that
    goes into cache keys; `synthesize_unverified(text, wav_path, voice)`, used to measure
    the speaking rate; `prepare(voices)`, start engines for those voices in the background,
    because the pipeline knows the voices long before it has the lines.
    """

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

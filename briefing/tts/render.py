"""Lines in, WAV files out, in order: the seam where caching and a process pool will go."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from briefing.models import Voice
from briefing.tts.base import Synthesizer


def synthesize_lines(
    items: Sequence[tuple[str, Voice]], workdir: Path, synth: Synthesizer
) -> Iterator[Path]:
    """Yield one verified WAV per (text, voice), in order, named 0000.wav, 0001.wav, ..."""
    workdir.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(len(items))))
    for index, (text, voice) in enumerate(items):
        wav = workdir / f"{index:0{width}d}.wav"
        synth.synthesize(text, wav, voice)
        yield wav

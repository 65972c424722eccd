"""Piper (piper-tts, VITS through ONNX Runtime): natural voices, ~10x realtime per core."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from briefing.errors import VoiceNotFoundError
from briefing.models import Voice
from briefing.tts.backends.onnx import OnnxSynthesizer
from briefing.tts.backends.piper_worker import serve
from briefing.tts.library import InstalledVoice

# Piper's duration follows length_scale^0.66 (measured on joe-medium from 0.75 to 1.3:
# 92 s to 133 s for one text), so a rate r times faster needs length_scale r^-1.5.
LENGTH_EXPONENT = 1.5


class PiperSynthesizer(OnnxSynthesizer):
    """Piper voices from packages, the voice folder or `briefing voices --download`."""

    name = "piper"
    extra = "piper"
    requires = ("piper", "onnxruntime")
    dist = "piper-tts"
    worker_target = staticmethod(serve)

    def worker_args(self, found: InstalledVoice) -> tuple[Any, ...]:
        return (str(found.model), str(found.data), self.threads)

    def request(self, found: InstalledVoice, voice: Voice) -> dict[str, Any]:
        return {"length_scale": round(self.scale(voice) ** -LENGTH_EXPONENT, 4),
                "speaker_id": speaker_id(found, voice.id.partition("+")[2])}

    def preferred_reader(self, voices: list[InstalledVoice]) -> InstalledVoice:
        # joe ships on the package registry, so most installs have it: a stable default
        joe = [v for v in voices if v.id == "en_US-joe-medium"]
        return joe[0] if joe else super().preferred_reader(voices)


@functools.cache
def _speakers(config: Path) -> dict[str, int]:
    data = json.loads(config.read_text(encoding="utf-8"))
    return {str(k): int(v) for k, v in (data.get("speaker_id_map") or {}).items()}


def speaker_id(found: InstalledVoice, speaker: str) -> int | None:
    """`en_GB-semaine-medium+poppy`: the model's speaker by name (or number); None: its own
    default speaker."""
    if not speaker:
        return None
    speakers = _speakers(found.data)
    if speaker.isdigit() and int(speaker) in speakers.values():
        return int(speaker)
    if speaker in speakers:
        return speakers[speaker]
    have = ", ".join(sorted(speakers)) or "none: it has one voice"
    raise VoiceNotFoundError(f"piper voice {found.id!r} has no speaker {speaker!r} "
                             f"(speakers: {have})")

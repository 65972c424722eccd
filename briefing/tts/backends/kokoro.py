"""Kokoro-82M (kokoro-onnx, int8 through ONNX Runtime): many voices, ~1.3x realtime per core."""

from __future__ import annotations

from typing import Any

from briefing.models import Voice
from briefing.tts.backends.kokoro_worker import serve
from briefing.tts.backends.onnx import OnnxSynthesizer
from briefing.tts.library import InstalledVoice, check_model, packages
from briefing.tts.library.folder import kokoro_language

# Kokoro's speaking rate grows more slowly than its `speed` above 1 (measured: speed 0.8,
# 1.0, 1.2 gave 125, 155, 173 wpm), so a rate r times faster asks for speed r^1.3.
SPEED_EXPONENT = 1.3
READERS = ("af_heart", "af_bella", "bf_emma", "jf_alpha")  # best first, by listening
HOSTS = ("am_michael", "bm_george", "am_adam", "jm_kumo")


class KokoroSynthesizer(OnnxSynthesizer):
    """Kokoro voices: the packaged model with its Japanese voices, or downloaded ones."""

    name = "kokoro"
    extra = "kokoro"
    requires = ("kokoro_onnx", "onnxruntime")
    dist = "kokoro-onnx"
    worker_target = staticmethod(serve)
    # ~0.75 CPU-s per second of speech: the first measurement of a voice's rate reads the
    # first ~50 words of the passage (~20 s of speech) rather than all 150
    calibration_words = 50

    def worker_args(self, found: InstalledVoice) -> tuple[Any, ...]:
        return (str(found.model), self.threads)

    def materialize(self, found: InstalledVoice) -> None:
        if found.model == packages.joined_model_path():
            packages.ensure_kokoro_model()
        check_model(found)

    def request(self, found: InstalledVoice, voice: Voice) -> dict[str, Any]:
        lang = kokoro_language(found.id)
        # Japanese and Chinese voices need a G2P we do not have: they read English
        lang = "en-us" if lang in ("ja", "zh") else lang
        speed = max(0.5, min(2.0, self.scale(voice) ** SPEED_EXPONENT))
        return {"voices": str(found.data), "voice": found.id, "speed": round(speed, 4),
                "lang": lang}

    def preferred_reader(self, voices: list[InstalledVoice]) -> InstalledVoice:
        return _first(voices, READERS) or super().preferred_reader(voices)

    def preferred_host(self, voices: list[InstalledVoice]) -> InstalledVoice:
        return _first(voices, HOSTS) or super().preferred_host(voices)


def _first(voices: list[InstalledVoice], names: tuple[str, ...]) -> InstalledVoice | None:
    by_id = {v.id: v for v in voices}
    return next((by_id[n] for n in names if n in by_id), None)

"""The worker side of the Piper backend: one model, loaded once, one ONNX Runtime thread."""

from __future__ import annotations

import json
from typing import Any

from briefing.tts.backends.onnx_worker import load_failure, quiet, serve_requests, session
from briefing.tts.process.channel import Channel


def serve(conn: Channel, model: str, config: str, threads: int) -> None:
    """Load `model` with its `config` (the .onnx.json), then speak what is asked."""
    quiet()
    try:
        from piper import PiperConfig, PiperVoice, SynthesisConfig
    except ImportError as exc:
        conn.send(("error", "engine", f"piper-tts is not installed ({exc}): "
                   "pip install 'briefing[piper]'"))
        return
    try:
        with open(config, encoding="utf-8") as fh:
            piper_config = PiperConfig.from_dict(json.load(fh))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        conn.send(("error", "engine", load_failure("Piper voice config", config, exc)))
        return
    try:
        voice = PiperVoice(session=session(model, threads), config=piper_config)
    except Exception as exc:
        conn.send(("error", "engine", load_failure("Piper model", model, exc)))
        return
    conn.send(("ready", {"sample_rate": piper_config.sample_rate}))

    def speak(text: str, options: dict[str, Any]) -> tuple[Any, int]:
        import numpy as np

        settings = SynthesisConfig(
            speaker_id=options.get("speaker_id"),
            length_scale=options.get("length_scale"),
            # the default scales every sentence to a 0 dBFS peak: relative loudness lost,
            # no headroom; briefing levels and masters the episode itself
            normalize_audio=False,
        )
        chunks = [c.audio_float_array for c in voice.synthesize(text, syn_config=settings)]
        audio = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
        return audio, piper_config.sample_rate

    serve_requests(conn, speak)

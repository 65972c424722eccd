"""The worker side of the Kokoro backend: one model, loaded once, one ONNX Runtime thread;
the voices files (styles) are read on first use."""

from __future__ import annotations

from typing import Any

from briefing.tts.backends.onnx_worker import load_failure, quiet, serve_requests, session
from briefing.tts.process.channel import Channel


def serve(conn: Channel, model: str, threads: int) -> None:
    """Load `model`, then speak what is asked in the voice each request names."""
    quiet()
    try:
        from kokoro_onnx import Kokoro
    except ImportError as exc:
        conn.send(("error", "engine", f"kokoro-onnx is not installed ({exc}): "
                   "pip install 'briefing[kokoro]'"))
        return
    try:
        loaded = session(model, threads)
    except Exception as exc:
        conn.send(("error", "engine", load_failure("Kokoro model", model, exc)))
        return
    engines: dict[str, Any] = {}  # voices file -> Kokoro over the one session

    def engine(voices: str) -> Any:
        if voices not in engines:
            try:
                engines[voices] = Kokoro.from_session(loaded, voices)
            except (OSError, ValueError, KeyError) as exc:
                raise ValueError(load_failure("Kokoro voices file", voices, exc)) from None
        return engines[voices]

    conn.send(("ready", {"sample_rate": 24000}))

    def speak(text: str, options: dict[str, Any]) -> tuple[Any, int]:
        samples, rate = engine(options["voices"]).create(
            text, voice=options["voice"], speed=options["speed"], lang=options["lang"])
        return samples, int(rate)

    serve_requests(conn, speak)

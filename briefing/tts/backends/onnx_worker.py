"""The worker side shared by the ONNX engines: a quiet process, one session, one thread.

Imported by every Piper or Kokoro worker at start-up, so it imports little itself.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefing.tts.process.channel import Channel, requests
from briefing.tts.wavfile import SAMPLE_RATE, write_wav

# Between the pieces of a sentence split for memory (briefing.tts.backends.onnx.pieces):
# about a comma's pause, which is where the split falls.
PIECE_GAP_S = 0.12


def quiet() -> None:
    """The run's stdout is where the CLI writes results: never the worker's."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process


def session(model: str, threads: int) -> Any:
    """An ONNX Runtime session with `threads` intra-op threads and no spinning between runs."""
    import onnxruntime as ort

    ort.set_default_logger_severity(3)  # some models warn about unused initializers at load
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    if threads > 1:
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(model, sess_options=opts, providers=["CPUExecutionProvider"])


def load_failure(what: str, path: str, exc: BaseException) -> str:
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return (f"could not load the {what} {path} ({first[:160]}): the file may be corrupt or "
            "truncated; delete its folder and install the voice again")


def serve_requests(conn: Channel, speak: Callable[[str, dict[str, Any]], tuple[Any, int]]) -> None:
    """Answer ("synth", pieces, path, options): speak each piece, join, resample once to
    22,050 Hz, write 16-bit. Replies ("ok", seconds) or ("error", "engine", message)."""
    import numpy as np

    from briefing.tts.resample import resample, to_pcm16

    for message in requests(conn):
        _, parts, path, options = message
        try:
            chunks: list[Any] = []
            rate = SAMPLE_RATE
            for i, part in enumerate(parts):
                audio, rate = speak(part, options)
                if i and len(audio):
                    chunks.append(np.zeros(int(PIECE_GAP_S * rate), dtype=np.float32))
                chunks.append(audio)
            joined = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.float32)
            if not joined.size:
                conn.send(("error", "engine", f"no audio for {parts[0][:60]!r}"))
                continue
            pcm = to_pcm16(resample(joined, rate, SAMPLE_RATE))
            write_wav(Path(path), pcm, SAMPLE_RATE)
            conn.send(("ok", len(pcm) / 2 / SAMPLE_RATE))
        except MemoryError:
            conn.send(("error", "engine", "out of memory speaking a sentence"))
        except OSError as exc:
            conn.send(("error", "engine", f"could not write {path}: {exc.strerror or exc}"))
        except ValueError as exc:  # the engines' own refusals (empty phonemes, bad speed)
            conn.send(("error", "engine", str(exc)))

"""The worker side of the pyttsx3 backend: one engine, one voice, requests over a socket.

Its own module, importing little, because every worker process imports it on start-up
(see briefing.tts.process.worker): the synthesizer's side lives in pyttsx3_backend.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
import time
from typing import Any

from briefing.errors import EngineError
from briefing.tts.backends import espeak_lib
from briefing.tts.process.channel import Channel, requests

# How the worker decides a segment is done (pyttsx3 gives no reliable signal: its
# runAndWait returns before the file exists on a fresh engine).
POLL_S = 0.002  # espeak writes ~100x faster than real time: 2 ms polls cost nothing
STABLE_POLLS = 2  # the file's size must stay the same this many polls in a row
SETTINGS_TRIES = 3  # times a fresh engine is given its rate and pitch again before it fails


def _silence_stdout() -> None:
    # pyttsx3 prints "Audio saved to ..." for every file; the worker's stdout must never
    # be the run's, where the CLI writes results. Send fd 1 to /dev/null (again, if the
    # parent already did).
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the process


def serve(conn: Channel, voice_id: str, rate: int, pitch: int) -> None:
    """One pyttsx3 engine for one (voice, rate, pitch), serving ("synth", text, path)."""
    _silence_stdout()
    try:
        lib = espeak_lib.load()
        import pyttsx3
        from pyttsx3.drivers import _espeak

        engine = pyttsx3.init("espeak")
        espeak_lib.mark_initialized(espeak_lib.AUDIO_OUTPUT_RETRIEVAL)
    except (EngineError, ImportError, OSError, RuntimeError) as exc:
        conn.send(("error", "engine", f"pyttsx3 could not start: {exc}; run `briefing doctor`"))
        return
    errors: list[BaseException] = []

    def callback_failed(unraisable: Any) -> None:
        # pyttsx3 raises in its ctypes callback when it cannot write the WAV (disk full);
        # ctypes only prints that, and runAndWait then waits forever: answer the request
        # with the error and exit, so the run hears it at once, not after the time-out.
        if "ctypes callback" not in str(unraisable.err_msg or ""):
            sys.__unraisablehook__(unraisable)
            return
        conn.send(("error", "write", f"pyttsx3 could not write the WAV ({unraisable.exc_value}):"
                   " free some disk space, or check the folder is writable"))
        os._exit(1)

    sys.unraisablehook = callback_failed
    finished = threading.Event()
    engine.connect("error", lambda name=None, exception=None, **_: errors.append(exception))
    engine.connect("finished-utterance", lambda name=None, completed=True, **_: finished.set())

    # Set once, never again: switching voice or rate inside one engine gives wrong rates.
    engine.setProperty("voice", voice_id)
    engine.setProperty("rate", rate)
    engine.setProperty("pitch", pitch)
    engine.setProperty("volume", 1.0)
    engine.runAndWait()  # a fresh engine's first loop only applies the queued properties
    dll = lib.dll
    dll.espeak_GetParameter.argtypes = [ctypes.c_int, ctypes.c_int]
    # pyttsx3 keeps the old voice on a bad id and only tells the 'error' callback;
    # its getProperty('rate') reads the default, so ask the library for the current value.
    if errors:
        conn.send(("error", "voice", f"pyttsx3 rejected voice {voice_id!r}: {errors[0]}"))
        return

    def current_voice() -> bytes:
        voice = _espeak.GetCurrentVoice()
        return bytes(voice.contents.identifier or b"") if voice else b""

    chosen_voice = current_voice()

    def settings_hold() -> bool:
        # Wrong-rate segments came from settings drifting inside one engine: check
        # the library's current values around every segment (cheap, no synthesis).
        now = (dll.espeak_GetParameter(1, 1), dll.espeak_GetParameter(3, 1), current_voice())
        return now == (rate, pitch, chosen_voice)

    # espeak-ng applies rate and pitch from its own command queue, and pyttsx3's end of
    # loop cancels that queue when it is not yet empty (espeak_Cancel): on a busy machine
    # the rate was lost and the engine stayed at pyttsx3's 200. Wait for the queue to
    # drain; when the settings did not arrive, give them to the library again.
    for _ in range(SETTINGS_TRIES):
        dll.espeak_Synchronize()
        if settings_hold():
            break
        _espeak.SetParameter(_espeak.RATE, rate, 0)
        _espeak.SetParameter(_espeak.PITCH, pitch, 0)
    dll.espeak_Synchronize()
    if not settings_hold():
        got_rate, got_pitch = dll.espeak_GetParameter(1, 1), dll.espeak_GetParameter(3, 1)
        conn.send(
            (
                "error",
                "engine",
                f"pyttsx3 set rate/pitch {got_rate}/{got_pitch}, not {rate}/{pitch}",
            )
        )
        return
    conn.send(("ready", {"voice": engine.getProperty("voice")}))
    driver = engine.proxy._driver

    def idle() -> None:
        # A tail still playing makes the driver's stop() at the next loop's start cancel
        # the NEW utterance (its _stopping flag survives): wait it out, clear the flag.
        while _espeak.IsPlaying():
            time.sleep(POLL_S)
        driver._stopping = False

    for message in requests(conn):
        _, text, path = message
        idle()
        if not settings_hold():
            conn.send(("error", "engine", "the engine's voice, rate or pitch changed under us"))
            continue
        errors.clear()
        finished.clear()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        engine.save_to_file(text, path)
        engine.runAndWait()
        # Done = the driver said so, the library is idle, and the file stopped growing.
        last, stable = -1, 0
        while stable < STABLE_POLLS and not errors:
            time.sleep(POLL_S)
            if not finished.is_set() or _espeak.IsPlaying():
                continue
            try:
                size = os.path.getsize(path)
            except OSError:
                continue
            stable = stable + 1 if size == last else 0
            last = size
        if errors:
            conn.send(("error", "engine", f"pyttsx3 failed: {errors[0]}"))
        elif not settings_hold():
            conn.send(
                ("error", "engine", "the engine's voice, rate or pitch changed during synthesis")
            )
        else:
            conn.send(("ok", None))

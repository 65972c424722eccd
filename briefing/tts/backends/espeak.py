"""A synchronous libespeak-ng binding through ctypes: the fallback and reference backend."""

from __future__ import annotations

import ctypes
import threading
from pathlib import Path
from typing import Any

from briefing.errors import EngineError, VoiceNotFoundError
from briefing.models import Voice
from briefing.tts import calibrate
from briefing.tts.backends import espeak_lib
from briefing.tts.base import VoiceInfo
from briefing.tts.process.channel import Channel, requests
from briefing.tts.process.worker import Worker
from briefing.tts.wavfile import check_segment, write_wav

# speak_lib.h
_POS_CHARACTER = 1
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000  # a sentence pause at the end, as pyttsx3 asks for: the two backends match
_RATE, _PITCH = 1, 3
_EE_OK = 0
_BUFFER_MS = 200  # callback chunk length; any value works in synchronous mode

_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _VoiceStruct(ctypes.Structure):
    _fields_ = (
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, NUL-terminated name)*, then a 0 byte
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    )


def _languages(ptr: int | None) -> tuple[str, ...]:
    out: list[str] = []
    while ptr:
        if ctypes.c_ubyte.from_address(ptr).value == 0:  # priority 0 ends the list
            break
        raw = ctypes.string_at(ptr + 1)
        out.append(raw.decode("utf-8", "replace"))
        ptr += len(raw) + 2
    return tuple(out)


class _Direct:
    """This process's libespeak-ng in SYNCHRONOUS mode.

    Not a dataclass: it wraps the library's process-wide state, so there is one per
    process (`_direct()`), guarded by a lock. Synchronous mode starts no thread, so a
    forked child can keep using an inherited one.
    """

    def __init__(self) -> None:
        lib = espeak_lib.load()
        espeak_lib.mark_initialized(espeak_lib.AUDIO_OUTPUT_SYNCHRONOUS)
        dll = self._dll = lib.dll
        self.version = lib.version
        dll.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        dll.espeak_Initialize.restype = ctypes.c_int
        dll.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        dll.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        dll.espeak_SetVoiceByName.restype = ctypes.c_int
        dll.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        dll.espeak_SetParameter.restype = ctypes.c_int
        dll.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]  # fmt: skip
        dll.espeak_Synth.restype = ctypes.c_int
        dll.espeak_Synchronize.restype = ctypes.c_int
        dll.espeak_ListVoices.argtypes = [ctypes.POINTER(_VoiceStruct)]
        dll.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_VoiceStruct))
        rate = dll.espeak_Initialize(espeak_lib.AUDIO_OUTPUT_SYNCHRONOUS, _BUFFER_MS, None, 0)
        if rate <= 0:
            raise EngineError(
                f"libespeak-ng ({lib.path}) failed to initialize; run `briefing doctor` "
                "and check its data path"
            )
        self.sample_rate = rate
        self._chunks: list[bytes] = []
        self._callback = _SynthCallback(self._on_synth)  # kept: ctypes must not free it
        dll.espeak_SetSynthCallback(self._callback)
        self.lock = threading.Lock()
        # the library's voices do not change while it is loaded: list each kind once
        self._listed: dict[str | None, list[VoiceInfo]] = {}

    def _on_synth(self, wav: Any, numsamples: int, events: Any) -> int:
        if wav and numsamples > 0:
            self._chunks.append(ctypes.string_at(wav, numsamples * 2))
        return 0  # 0 = go on

    def synth(self, text: str, voice: Voice) -> bytes:
        """Return the PCM of `text` in `voice`; voice, rate and pitch are set every call."""
        with self.lock:
            if self._dll.espeak_SetVoiceByName(voice.id.encode("utf-8")) != _EE_OK:
                raise VoiceNotFoundError(
                    f"espeak-ng has no voice {voice.id!r}; "
                    "list them with `briefing voices` and pick an id from there"
                )
            self._dll.espeak_SetParameter(_RATE, int(voice.rate), 0)
            self._dll.espeak_SetParameter(_PITCH, int(voice.pitch), 0)
            self._chunks = []
            data = text.encode("utf-8")
            flags = _CHARS_UTF8 | _ENDPAUSE
            status = self._dll.espeak_Synth(
                data, len(data) + 1, 0, _POS_CHARACTER, 0, flags, None, None
            )
            if status != _EE_OK:
                raise EngineError(f"espeak_Synth failed with status {status} on {text[:40]!r}")
            self._dll.espeak_Synchronize()
            pcm = b"".join(self._chunks)
            self._chunks = []
            return pcm

    def list(self, spec: str | None = None) -> list[VoiceInfo]:
        with self.lock:
            if spec in self._listed:
                return list(self._listed[spec])
            if spec is None:
                found = self._dll.espeak_ListVoices(None)
            else:
                spec_buffer = ctypes.create_string_buffer(spec.encode())  # outlives the call
                wanted = _VoiceStruct(languages=ctypes.cast(spec_buffer, ctypes.c_void_p))
                found = self._dll.espeak_ListVoices(ctypes.byref(wanted))
            out = []
            i = 0
            while found[i]:
                v = found[i].contents
                out.append(
                    VoiceInfo(
                        id=(v.identifier or b"").decode("utf-8", "replace"),
                        name=(v.name or b"").decode("utf-8", "replace"),
                        languages=_languages(v.languages),
                    )
                )
                i += 1
            self._listed[spec] = out
            return list(out)


_direct_engine: _Direct | None = None
_direct_lock = threading.Lock()


def _direct() -> _Direct:
    global _direct_engine
    with _direct_lock:
        if _direct_engine is None:
            _direct_engine = _Direct()
        return _direct_engine


def _worker_main(conn: Channel) -> None:
    """Serve synth/voices requests in a worker process, until told None."""
    try:
        engine = _direct()
    except EngineError as exc:
        conn.send(("error", "engine", str(exc)))
        return
    conn.send(("ready", {"version": engine.version}))
    for message in requests(conn):
        try:
            if message[0] == "synth":
                _, text, path, voice = message
                write_wav(Path(path), engine.synth(text, voice), engine.sample_rate)
                conn.send(("ok", None))
            elif message[0] == "voices":
                conn.send(("ok", engine.list(message[1])))
        except VoiceNotFoundError as exc:
            conn.send(("error", "voice", str(exc)))
        except (EngineError, OSError) as exc:
            conn.send(("error", "engine", str(exc)))


class EspeakSynthesizer:
    """libespeak-ng through ctypes in SYNCHRONOUS mode: no thread, no races, fork-safe.

    Runs in this process unless the library here is already initialized in another
    mode (pyttsx3 made an engine in this process): then in a spawned worker process,
    so the two never share library state. `isolated=True` forces the worker.
    """

    name = "espeak-ng"

    def __init__(self, *, isolated: bool | None = None, timeout_s: float = 30.0) -> None:
        if isolated is None:
            mode = espeak_lib.initialized_mode()
            isolated = mode not in (None, espeak_lib.AUDIO_OUTPUT_SYNCHRONOUS)
        self.isolated = isolated
        self.timeout_s = timeout_s
        self._worker: Worker | None = None

    @property
    def version(self) -> str:
        return espeak_lib.load().version

    def synthesize_unverified(self, text: str, wav_path: Path, voice: Voice) -> None:
        """Synthesize without the duration check (used to measure words per minute)."""
        if not text.strip():
            raise EngineError("cannot synthesize empty text: drop the line before synthesis")
        if self.isolated:
            if self._worker is None or not self._worker.alive:
                self._worker = Worker(_worker_main)
            reply = self._worker.request(("synth", text, str(wav_path), voice), self.timeout_s)
            if reply[0] == "error":
                _, kind, message = reply
                raise (VoiceNotFoundError if kind == "voice" else EngineError)(message)
        else:
            engine = _direct()
            write_wav(wav_path, engine.synth(text, voice), engine.sample_rate)

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        self.synthesize_unverified(text, wav_path, voice)
        wpm = calibrate.measured_wpm(self.name, self.version, voice, self.synthesize_unverified)
        check_segment(wav_path, text, wpm)

    def voices(self) -> list[VoiceInfo]:
        return self._list(None)

    def variants(self) -> list[str]:
        """Voice variants, added to an id with "+": `en-us+f3` (female voices are f1..f5)."""
        return sorted({v.id.rsplit("/", 1)[-1] for v in self._list("variant")})

    def _list(self, spec: str | None) -> list[VoiceInfo]:
        if not self.isolated:
            return _direct().list(spec)
        if self._worker is None or not self._worker.alive:
            self._worker = Worker(_worker_main)
        reply = self._worker.request(("voices", spec), self.timeout_s)
        if reply[0] != "ok":
            raise EngineError(f"could not list espeak-ng voices: {reply[-1]}")
        return list(reply[1])

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

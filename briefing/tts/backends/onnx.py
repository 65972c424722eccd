"""What the ONNX engines (Piper, Kokoro) share: a worker process per model with one ONNX
Runtime thread, sentence-sized requests, engines started ahead, installed voices.

Why processes with one thread each (measured, 2 cores): two ORT threads in one process
spin-wait and cost 25-60% more CPU for the same audio, and on a busy machine were slower
in wall time too; two one-thread processes gave 1.6-1.8x one's throughput. Each lane of
briefing.tts.lanes is its own synthesizer, so its own worker.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from briefing.errors import EngineError, VoiceNotFoundError, WorkerDied
from briefing.models import Voice
from briefing.tts import calibrate, library
from briefing.tts.base import VoiceInfo
from briefing.tts.cache import SegmentCache
from briefing.tts.library import InstalledVoice
from briefing.tts.process.spares import Spares
from briefing.tts.process.worker import Worker
from briefing.tts.wavfile import check_segment

log = logging.getLogger(__name__)

# Peak memory follows the longest single ONNX call (~23 MB per second of audio on top of
# ~150 MB for Piper, ~195 MB for Kokoro): 40 words is ~13 s, ~450 MB for Piper (a 160-word
# run-on took it to 1.4 GB). Kokoro's worker still reaches 580-620 MB over a briefing, as
# ONNX Runtime's arena grows with the variety of lengths: measured the same with 22- and
# 30-word caps, and worse with the arena off (2.6 GB) or shrunk after every call.
MAX_WORDS = 40
# `rate` means what it means for espeak-ng, words per minute, with 170 taken as a neural
# voice's own pace: 200 asks for 200/170 of it. The budget uses the MEASURED rate.
NATURAL_RATE = 170

_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"')\]»”’]*\s+(?=\S)")
_CLAUSE_END = re.compile(r"(?<=[,;:–—])\s+")


def pieces(text: str, max_words: int = MAX_WORDS) -> list[str]:
    """`text` as sentences of at most `max_words` words: long ones split at commas and
    semicolons, then (a run-on with none) every `max_words` words."""
    out: list[str] = []
    for sentence in _SENTENCE_END.split(text.strip()):
        if not sentence.strip():
            continue
        if len(sentence.split()) <= max_words:
            out.append(sentence.strip())
            continue
        current: list[str] = []
        for clause in _CLAUSE_END.split(sentence):
            words = clause.split()
            if current and len(current) + len(words) > max_words:
                out.append(" ".join(current))
                current = []
            while len(words) > max_words:
                out.append(" ".join(words[:max_words]))
                words = words[max_words:]
            current += words
        if current:
            out.append(" ".join(current))
    return [p for p in out if any(ch.isalnum() for ch in p)]


@functools.cache
def dist_version(dist: str, module: str) -> str:
    """An installed distribution's version from its dist-info folder's name (~1 ms, where
    importlib.metadata takes ~30 ms on every run's critical path)."""
    spec = importlib.util.find_spec(module)
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        found = sorted(site.glob(f"{dist.replace('-', '_')}-*.dist-info"))
        if len(found) == 1:
            return found[0].name.removesuffix(".dist-info").split("-", 1)[1]
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


# Workers started ahead of need (`prepare`), per worker function and model, for whichever
# synthesizer of this process asks first: a run's lanes are separate synthesizers.
SpareKey = tuple[Callable[..., None], str]
_spares = Spares()


class OnnxSynthesizer:
    """The parent's side of an ONNX engine. Subclasses say which worker serves a model and
    what a request carries. Not a dataclass: it owns worker processes."""

    name = ""
    extra = ""  # pip install 'briefing[<extra>]'
    requires: tuple[str, ...] = ()  # modules the engine needs, checked before any worker
    dist = ""  # the engine's distribution, whose version goes into cache keys
    worker_target: Callable[..., None]
    calibration_words: int | None = None  # a shorter passage for a slow engine
    voices_by_language = True  # a bare language code ("de") picks an installed voice in it
    honours_pitch = False  # a neural voice has its own pitch: `pitch` is not used
    max_words = MAX_WORDS  # the longest piece one ONNX call speaks (memory follows it)

    def __init__(self, voices_dir: str | Path | None = None, *, timeout_s: float = 180.0,
                 threads: int = 1, max_workers: int = 2) -> None:
        missing = [m for m in self.requires if importlib.util.find_spec(m) is None]
        if missing:
            raise EngineError(
                f"speech engine {self.name!r} is not installed ({missing[0]} is missing): "
                f"pip install 'briefing[{self.extra}]'"
            )
        self.voices_dir = library.voices_dir(str(voices_dir or ""))
        self.timeout_s = timeout_s  # a 40-word sentence takes Kokoro ~10 CPU-s; 180 s is hung
        self.threads = threads
        self.max_workers = max_workers  # models held at once by one lane (~300-500 MB each)
        self._workers: dict[str, Worker] = {}
        self._found: dict[str, InstalledVoice] = {}
        self._pid = os.getpid()
        self._closed = False
        self._started_early: list[Worker] = []

    # --- voices ---------------------------------------------------------------------------

    def installed(self, voice_id: str) -> InstalledVoice:
        """The installed voice for `voice_id` (looked up once per synthesizer); a
        `+speaker` after the id picks a speaker of a multi-speaker model."""
        base = voice_id.partition("+")[0]
        if base not in self._found:
            self._found[base] = library.find(self.name, base, self.voices_dir)
        return self._found[base]

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(v.id, f"{v.id} ({v.quality}, {v.sample_rate} Hz)",
                          (v.language, v.language.split("-")[0]))
                for v in library.installed(self.name, self.voices_dir)]

    def default_voice(self, role: str, language: str) -> str:
        """An installed voice in `language` (the reader's, then another for the host)."""
        voices = library.installed(self.name, self.voices_dir)
        own = [v for v in voices if library.language_matches(language, v.language)] or voices
        if not own:
            raise VoiceNotFoundError(
                f"{self.name} has no voice installed: run `briefing voices --engine "
                f"{self.name}` and then `briefing voices --download NAME`"
            )
        reader = self.preferred_reader(own)
        if role == "host":
            others = [v for v in own if v.id != reader.id]
            return self.preferred_host(others).id if others else reader.id
        return reader.id

    def preferred_reader(self, voices: list[InstalledVoice]) -> InstalledVoice:
        return library.preferred(voices)

    def preferred_host(self, voices: list[InstalledVoice]) -> InstalledVoice:
        return library.preferred(voices)

    # --- cache keys -----------------------------------------------------------------------

    @property
    def version(self) -> str:
        return dist_version(self.dist, self.requires[0])

    def voice_version(self, voice: Voice) -> str:
        """The engine's version and the model's SHA-256: a new model is a new voice."""
        found = self.installed(voice.id)
        return f"{self.version}/{found.sha256 or library.file_sha256(found.model)}"

    # --- workers --------------------------------------------------------------------------

    def worker_args(self, found: InstalledVoice) -> tuple[Any, ...]:
        raise NotImplementedError

    def request(self, found: InstalledVoice, voice: Voice) -> dict[str, Any]:
        """What the worker needs besides the text: speed, speaker, voice file."""
        raise NotImplementedError

    def _key(self, found: InstalledVoice) -> SpareKey:
        return (type(self).worker_target, str(found.model))

    def materialize(self, found: InstalledVoice) -> None:
        """Make sure the model file is there and whole (Kokoro joins its parts here)."""
        library.check_model(found)

    def prepare(self, voices: Iterable[Voice]) -> None:
        """Start a worker per model these voices need (one per lane that will want it) in
        the background; any synthesizer of this process takes them up before its own."""
        if self._closed or os.getpid() != self._pid:
            return
        from briefing.tts.lanes import default_jobs

        wanted: dict[SpareKey, tuple[InstalledVoice, int]] = {}
        for voice in voices:
            try:
                found = self.installed(voice.id)
            except VoiceNotFoundError:
                continue  # said when a line asks for it
            key = self._key(found)
            wanted[key] = (found, min(default_jobs(), wanted.get(key, (found, 0))[1] + 1))
        for key, (found, count) in wanted.items():
            count -= _spares.alive(key)
            for _ in range(count):
                try:
                    self.materialize(found)
                    worker = Worker(type(self).worker_target, *self.worker_args(found), wait=False)
                except (OSError, EngineError) as exc:
                    log.debug("could not start a %s worker early: %s", self.name, exc)
                    return
                self._started_early.append(worker)
                _spares.put(key, worker)

    def _worker(self, found: InstalledVoice) -> Worker:
        if self._closed:
            raise EngineError(f"the {self.name} synthesizer was closed while speaking")
        if os.getpid() != self._pid:
            self._workers, self._pid = {}, os.getpid()
        key = str(found.model)
        worker = self._workers.get(key)
        if worker is not None and worker.alive:
            return worker
        if worker is not None:
            worker.kill()
            del self._workers[key]
        while len(self._workers) >= self.max_workers:
            oldest = next(iter(self._workers))
            self._workers.pop(oldest).close()
        worker = _spares.take(self._key(found))
        if worker is None:
            self.materialize(found)
            worker = Worker(type(self).worker_target, *self.worker_args(found), wait=False)
        try:
            worker.wait_ready()
        except EngineError as exc:
            raise EngineError(f"{self.name} voice {found.id!r}: {exc}") from None
        self._workers[key] = worker
        if self._closed:
            worker.kill()
            raise EngineError(f"the {self.name} synthesizer was closed while speaking")
        return worker

    # --- speaking -------------------------------------------------------------------------

    def synthesize_unverified(self, text: str, wav_path: Path, voice: Voice) -> None:
        """Speak `text` into `wav_path` (22,050 Hz mono 16-bit), sentence by sentence."""
        parts = pieces(text, self.max_words)
        if not parts:
            raise EngineError("cannot synthesize empty text: drop the line before synthesis")
        if not wav_path.parent.is_dir():
            raise EngineError(f"folder {wav_path.parent} does not exist: create it first")
        found = self.installed(voice.id)
        message = ("synth", parts, str(wav_path), self.request(found, voice))
        for attempt in (1, 2):
            try:
                reply = self._worker(found).request(message, self.timeout_s)
                break
            except WorkerDied as exc:
                # a worker killed from outside (OOM) gets one fresh start; a model that
                # kills its worker twice is broken
                self._workers.pop(str(found.model), None)
                if attempt == 2 or self._closed:
                    raise EngineError(f"{self.name} voice {found.id!r}: {exc}") from None
        if reply[0] != "ok":
            raise EngineError(f"{self.name} voice {found.id!r}: {reply[-1]}")

    def speak_ahead(self, text: str, voice: Voice, cache: SegmentCache, key: str) -> None:
        """Speak `text` into `cache` under `key` on a worker started ahead (`prepare`), then
        hand the worker back for the lanes. Best effort: no spare worker, a closed one or a
        failure only means the line is spoken later, as any other."""
        try:
            found = self.installed(voice.id)
            spare = self._key(found)
            worker = _spares.take(spare)
        except EngineError:
            return
        if worker is None:
            return
        side = cache.path(key, ".wav").with_name(f".ahead-{os.getpid()}-{key[:16]}.wav")
        try:
            side.parent.mkdir(parents=True, exist_ok=True)
            reply = worker.request(("synth", pieces(text, self.max_words), str(side),
                                    self.request(found, voice)), self.timeout_s)
            if reply[0] == "ok":
                wpm = calibrate.cached_wpm(self.name, self.voice_version(voice), voice)
                check_segment(side, text, wpm)
                cache.store(key, ".wav", side)
        except (EngineError, OSError) as exc:
            log.debug("the first line was not spoken ahead: %s", exc)
        finally:
            side.unlink(missing_ok=True)
            # back for the lanes, unless we were closed meanwhile (close() collects the
            # spares it started under the same lock)
            _spares.put(spare, worker, unless=lambda: self._closed)

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        self.synthesize_unverified(text, wav_path, voice)
        # checked against the measured rate when there is one; measuring it here would cost
        # a whole passage on a path (a render) that never needed the rate
        wpm = calibrate.cached_wpm(self.name, self.voice_version(voice), voice)
        check_segment(wav_path, text, wpm)

    def scale(self, voice: Voice) -> float:
        """rate / NATURAL_RATE: how much faster than the voice's own pace."""
        return max(0.5, min(2.0, int(voice.rate) / NATURAL_RATE))

    def close(self) -> None:
        self._closed = True
        if os.getpid() == self._pid:
            for worker in list(self._workers.values()):
                worker.close()
            _spares.kill_untaken(self._started_early)
        self._workers.clear()
        self._started_early.clear()

"""pyttsx3 made trustworthy: one engine per voice in its own process, every segment checked."""

from __future__ import annotations

import contextlib
import functools
import logging
import os
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import EngineError, EngineWriteError, VoiceNotFoundError, WorkerTimeout
from briefing.models import Voice
from briefing.tts import calibrate
from briefing.tts.backends import espeak_lib
from briefing.tts.backends.pyttsx3_worker import serve as _worker_main
from briefing.tts.base import Synthesizer, VoiceInfo, VoiceKey, voice_key
from briefing.tts.process.spares import Spares
from briefing.tts.process.worker import Worker
from briefing.tts.wavfile import check_segment

log = logging.getLogger(__name__)


# Workers started ahead of need (`Pyttsx3Synthesizer.prepare`), per worker function and
# voice, for whichever synthesizer of this process asks first: a run's lanes are separate
# synthesizers, and which lane speaks which voice is only known once they run.
# Process-wide, like the library itself; the lock is for the lanes' threads.
SpareKey = tuple[Callable[..., None], VoiceKey]
_spares = Spares()


@functools.cache
def _pyttsx3_version() -> str:
    """pyttsx3's version, for cache keys: read off its dist-info folder's name (~1 ms),
    as importlib.metadata (~30 ms, on every run's critical path) would find it."""
    import importlib.util

    spec = importlib.util.find_spec("pyttsx3")
    if spec is not None and spec.origin:
        site = Path(spec.origin).parent.parent
        found = sorted(site.glob("pyttsx3-*.dist-info"))
        if len(found) == 1:
            return found[0].name.removeprefix("pyttsx3-").removesuffix(".dist-info")
    from importlib import metadata

    try:
        return metadata.version("pyttsx3")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass
class SynthStats:
    """Counters for benchmarks and logs; mutable on purpose, it is a tally."""

    segments: int = 0
    retries: int = 0
    timeouts: int = 0
    fallbacks: int = 0


class Pyttsx3Synthesizer:
    """pyttsx3 (espeak driver) behind worker processes, with checks, retries and a fallback.

    Each distinct (voice, rate, pitch) gets its own spawned worker holding one engine
    that never changes voice or rate. Each segment is written to a side file, checked
    (readable, not empty, a length plausible for its words at the voice's measured
    speed), retried in a fresh worker, and only then moved into place. A segment that
    still fails goes to the espeak-ng backend with a warning.
    """

    name = "pyttsx3"
    # a module-level function so a spawned child can import it; tests swap it
    worker_target: Callable[..., None] = staticmethod(_worker_main)

    def __init__(
        self,
        timeout_s: float = 20.0,  # a 1,000-word segment takes ~0.5 s: 20 s means hung
        retries: int = 2,
        *,
        max_workers: int = 4,  # a host and a reader, with room; each worker is ~30 MB
        fallback: Synthesizer | None = None,
    ) -> None:
        self.timeout_s = timeout_s
        self.retries = retries
        self.max_workers = max_workers
        self.stats = SynthStats()
        self._fallback = fallback
        self._workers: OrderedDict[VoiceKey, Worker] = OrderedDict()
        self._pid = os.getpid()
        self._closed = False  # set by close(), maybe from another thread: no new workers
        self._started_early: list[Worker] = []  # by prepare(); closed with us if not taken

    def prepare(self, voices: Iterable[Voice]) -> None:
        """Have an engine per voice given (a voice twice: two) starting in the background.

        Engines already waiting count: asking again starts none. A hint: nothing waits for
        them here, and a failure shows only when a line is spoken in that voice. Any
        synthesizer of this process takes them up before starting its own.
        """
        if self._closed or os.getpid() != self._pid:
            return
        wanted: dict[SpareKey, int] = {}
        for voice in voices:
            key = (type(self).worker_target, voice_key(voice))
            wanted[key] = wanted.get(key, 0) + 1
        for key, count in wanted.items():
            count -= _spares.alive(key)
            for _ in range(count):
                if not self._start_early(key):
                    return

    def _start_early(self, key: SpareKey) -> bool:
        target, vkey = key
        try:
            worker = Worker(target, *vkey, wait=False)
        except OSError as exc:  # out of processes or memory: speaking will start its own
            log.debug("could not start a pyttsx3 worker early: %s", exc)
            return False
        self._started_early.append(worker)
        _spares.put(key, worker)
        return True

    @property
    def version(self) -> str:
        return f"{_pyttsx3_version()}/{espeak_lib.load().version}"

    def fallback(self) -> Synthesizer:
        if self._fallback is None:
            from briefing.tts.backends.espeak import EspeakSynthesizer

            self._fallback = EspeakSynthesizer()
        return self._fallback

    def _worker(self, voice: Voice) -> Worker:
        if self._closed:
            raise EngineError("the pyttsx3 synthesizer was closed while speaking")
        if os.getpid() != self._pid:
            # Forked: these workers belong to our parent; start our own.
            self._workers = OrderedDict()
            self._pid = os.getpid()
        key = voice_key(voice)
        worker = self._workers.get(key)
        if worker is not None and worker.alive:
            self._workers.move_to_end(key)
            return worker
        if worker is not None:
            worker.kill()
            del self._workers[key]
        while len(self._workers) >= self.max_workers:
            _, oldest = self._workers.popitem(last=False)
            oldest.close()
        try:
            worker = (_spares.take((type(self).worker_target, key))
                      or Worker(type(self).worker_target, *key, wait=False))
            worker.wait_ready()
        except VoiceNotFoundError as exc:
            raise VoiceNotFoundError(
                f"{exc}; list voices with `briefing voices` (e.g. en-us, en-us+f3, en-gb-x-rp+f3)"
            ) from exc
        self._workers[key] = worker
        if self._closed:  # close() ran while this one started: it did not see it
            self._drop(voice)
            raise EngineError("the pyttsx3 synthesizer was closed while speaking")
        return worker

    def _drop(self, voice: Voice) -> None:
        worker = self._workers.pop(voice_key(voice), None)
        if worker is not None:
            worker.kill()

    def _attempts(self, text: str, wav_path: Path, voice: Voice, wpm: float | None) -> None:
        """Synthesize with checks and retries; raise the last EngineError if all fail."""
        if not text.strip():
            raise EngineError("cannot synthesize empty text: drop the line before synthesis")
        if not wav_path.parent.is_dir():
            # pyttsx3 raises inside its callback, and its next runAndWait hangs forever
            raise EngineError(f"folder {wav_path.parent} does not exist: create it first")
        side = wav_path.with_name(f".{wav_path.name}.pyttsx3.wav")
        failure: EngineError | None = None
        for attempt in range(self.retries + 1):
            if attempt and self._closed:
                break
            if attempt:
                self.stats.retries += 1
                log.info("pyttsx3: retrying %s (%s)", wav_path.name, failure)
            try:
                reply = self._worker(voice).request(("synth", text, str(side)), self.timeout_s)
                if reply[0] != "ok":
                    if reply[1] == "write":  # a full disk stays full: no retry
                        self._drop(voice)
                        raise EngineWriteError(reply[-1])
                    raise EngineError(reply[-1])
                check_segment(side, text, wpm)
            except (VoiceNotFoundError, EngineWriteError):
                with contextlib.suppress(FileNotFoundError):
                    side.unlink()
                raise
            except EngineError as exc:
                if isinstance(exc, WorkerTimeout):
                    self.stats.timeouts += 1
                failure = exc
                self._drop(voice)  # a fresh engine for the retry: espeak keeps state
                with contextlib.suppress(FileNotFoundError):
                    side.unlink()
                continue
            os.replace(side, wav_path)
            return
        assert failure is not None
        raise failure

    def synthesize_unverified(self, text: str, wav_path: Path, voice: Voice) -> None:
        """Synthesize with retries but no length check (used to measure words per minute)."""
        self._attempts(text, wav_path, voice, None)

    def synthesize(self, text: str, wav_path: Path, voice: Voice) -> None:
        self.stats.segments += 1
        try:
            wpm = calibrate.measured_wpm(self.name, self.version, voice, self.synthesize_unverified)
            self._attempts(text, wav_path, voice, wpm)
            return
        except VoiceNotFoundError:
            raise
        except EngineError as exc:
            failure = exc
        if self._closed:
            raise failure  # closed under us (the run is stopping): no fallback
        log.warning(
            "pyttsx3 failed on %s after %d attempts (%s); using the espeak-ng backend for it",
            wav_path.name,
            self.retries + 1,
            failure,
        )
        self.stats.fallbacks += 1
        try:
            self.fallback().synthesize(text, wav_path, voice)
        except VoiceNotFoundError:
            raise
        except EngineError as exc:
            raise EngineError(
                f"speech failed for {wav_path.name}: pyttsx3 ({failure}), then the espeak-ng "
                f"fallback ({exc}); run `briefing doctor`"
            ) from exc

    def voices(self) -> list[VoiceInfo]:
        # Same library, same voices: ask the synchronous backend, which needs no worker.
        return self.fallback().voices()

    def variants(self) -> list[str]:
        variants = getattr(self.fallback(), "variants", None)
        return list(variants()) if variants is not None else []

    def close(self) -> None:
        self._closed = True
        if os.getpid() == self._pid:
            for worker in list(self._workers.values()):
                worker.close()
            _spares.kill_untaken(self._started_early)
        self._workers.clear()
        self._started_early.clear()
        if self._fallback is not None:
            self._fallback.close()

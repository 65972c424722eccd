"""Lines in, WAV files out, in order: cached segments are linked, the rest spoken in parallel."""

from __future__ import annotations

import os
import queue
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from pathlib import Path

from briefing.models import Voice
from briefing.tts.base import Synthesizer, VoiceKey, voice_key
from briefing.tts.cache import SegmentCache, make_key

# Speech is CPU-bound in the engine's process; more lanes than cores only add workers
# (each pyttsx3 lane starts one ~30 MB process per voice it speaks).
MAX_LANES = 4
# A lane takes up another voice (starting a new engine process, ~0.3 s) only when that
# voice still has this many lines waiting: at the tail, waiting is cheaper than starting.
STEAL_MIN = 4


def segment_key(text: str, voice: Voice, synth: Synthesizer) -> str:
    """The cache key of one segment: the text as spoken, the voice, the engine that speaks
    it, and its version (with a model file, the model's SHA-256 too)."""
    from briefing import tts

    engine = tts.engine_for(synth, voice)
    return make_key("segment", text, voice.id, int(voice.rate), int(voice.pitch),
                    engine.name, tts.voice_version(engine, voice))


def default_jobs() -> int:
    return max(1, min(MAX_LANES, os.cpu_count() or 1))


class _Scheduler:
    """Hands out line indexes per voice, so each lane keeps to the engines it has started.

    Not a dataclass: shared mutable state behind a lock.
    """

    def __init__(self, indexes: Sequence[int], voice_of: Callable[[int], VoiceKey]) -> None:
        self._queues: dict[VoiceKey, deque[int]] = {}
        for i in indexes:
            self._queues.setdefault(voice_of(i), deque()).append(i)
        self._lock = threading.Lock()
        self._taken: set[VoiceKey] = set()
        self.stopped = False

    def next(self, mine: set[VoiceKey]) -> int | None:
        with self._lock:
            if self.stopped:
                return None
            for key in mine:
                if self._queues.get(key):
                    return self._queues[key].popleft()
            waiting = [(len(q), k) for k, q in self._queues.items() if q]
            if not waiting:
                return None
            # a voice no lane speaks yet comes first; then the longest queue, if worth it
            fresh = [(n, k) for n, k in waiting if k not in self._taken]
            n, key = max(fresh) if fresh else max(waiting)
            if not fresh and mine and n < STEAL_MIN:
                return None
            mine.add(key)
            self._taken.add(key)
            return self._queues[key].popleft()


def synthesize_lines(
    items: Sequence[tuple[str, Voice]],
    workdir: Path,
    synth: Synthesizer,
    *,
    cache: SegmentCache | None = None,
    new_synth: Callable[[], Synthesizer] | None = None,
    jobs: int = 1,
) -> Iterator[Path]:
    """Yield one verified WAV per (text, voice), in order, named 0000.wav, 0001.wav, ...

    Lines found in `cache` are linked from it; the others are spoken by up to `jobs`
    lanes at once, each lane its own synthesizer (`synth`, then ones from `new_synth`),
    so every engine stays in one thread and its backend's checks, retries and fallback
    apply unchanged. Results come out in order, as soon as each is ready.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    width = max(4, len(str(len(items))))
    wavs = [workdir / f"{i:0{width}d}.wav" for i in range(len(items))]
    keys = [segment_key(text, voice, synth) for text, voice in items] if cache else []
    futures: list[Future[Path]] = [Future() for _ in items]
    todo: list[int] = []
    for i, wav in enumerate(wavs):
        if cache is not None and cache.fetch(keys[i], ".wav", wav):
            futures[i].set_result(wav)
        else:
            todo.append(i)

    scheduler = _Scheduler(todo, lambda i: voice_key(items[i][1]))
    engines: list[Synthesizer] = [synth]
    made: list[Synthesizer] = []
    if new_synth is not None and todo:
        for _ in range(min(jobs, len(todo)) - 1):
            extra = new_synth()  # cheap: a backend starts its engine on first use
            if any(extra is e for e in engines):
                break  # a factory that hands back one shared engine: one lane only
            engines.append(extra)
            made.append(extra)

    # Lanes tell the consumer each line they finish, and None when they stop. A queue, not
    # concurrent.futures.wait(): that takes every future's lock at once, and a signal landing
    # meanwhile (Ctrl-C, SIGTERM) left one held, so a lane hung in set_exception for good.
    notices: queue.SimpleQueue[int | None] = queue.SimpleQueue()

    def lane(engine: Synthesizer) -> None:
        mine: set[VoiceKey] = set()
        try:
            while (i := scheduler.next(mine)) is not None:
                try:
                    text, voice = items[i]
                    engine.synthesize(text, wavs[i], voice)
                    if cache is not None:
                        cache.store(keys[i], ".wav", wavs[i])
                    futures[i].set_result(wavs[i])
                except BaseException as exc:  # handed to the consumer, who raises it in order
                    scheduler.stopped = True
                    futures[i].set_exception(exc)
                    return
                finally:
                    notices.put(i)
        finally:
            notices.put(None)  # wakes a consumer waiting for a line no lane will speak

    if len(engines) == 1:
        # one lane: speak in the caller's thread, one line per next(), as lazily as it asks
        for i, future in enumerate(futures):
            if not future.done():
                text, voice = items[i]
                synth.synthesize(text, wavs[i], voice)
                if cache is not None:
                    cache.store(keys[i], ".wav", wavs[i])
            yield wavs[i]
        if cache is not None:
            cache.trim()
        return

    threads = [threading.Thread(target=lane, args=(e,), daemon=True, name=f"speak-{n}")
               for n, e in enumerate(engines if todo else [])]
    for thread in threads:
        thread.start()
    running = len(threads)
    finished = False
    try:
        for i, future in enumerate(futures):
            # this line's result, or every lane stopping without it, whichever comes first
            while not future.done() and running:
                if notices.get() is None:
                    running -= 1
            if not future.done():
                # every lane has stopped without this line: another line failed (raise
                # that), or this can't happen; either way never wait forever
                failed = next((f for f in futures if f.done() and f.exception()), None)
                if failed is not None:
                    failed.result()
                text, voice = items[i]
                synth.synthesize(text, wavs[i], voice)
                future.set_result(wavs[i])
            yield future.result()
        finished = True
    finally:
        scheduler.stopped = True
        if not finished:
            # Unwinding (an error, Ctrl-C, SIGTERM) while lanes may still be speaking:
            # stop their engines first, or a hung segment holds the exit for its time-out
            # and a lane could write into a staging folder already removed.
            for engine in engines:
                engine.close()
        for thread in threads:
            thread.join()
        for engine in made:
            engine.close()
        if cache is not None:
            cache.trim()

"""Workers started ahead of need, kept process-wide for whichever synthesizer asks first.

A run's lanes are separate synthesizers, and which lane speaks which voice is only known
once they run: so an engine started early (`prepare`) waits here under its key (the worker
function and what it loads), and any synthesizer of this process takes it up before
starting its own. The lock is for the lanes' threads. Not a dataclass: shared mutable state.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any

from briefing.tts.process.worker import Worker


class Spares:
    def __init__(self) -> None:
        self._waiting: dict[Hashable, list[Worker]] = {}
        self._lock = threading.Lock()

    def take(self, key: Hashable) -> Worker | None:
        """A live worker waiting under `key`, or None (dead ones are killed on the way)."""
        with self._lock:
            waiting = self._waiting.get(key, [])
            while waiting:
                worker = waiting.pop(0)
                if worker.alive:
                    return worker
                worker.kill()
        return None

    def alive(self, key: Hashable) -> int:
        """How many live workers wait under `key`."""
        with self._lock:
            return sum(w.alive for w in self._waiting.get(key, []))

    def put(self, key: Hashable, worker: Worker, *, unless: Any = None) -> bool:
        """Leave `worker` waiting under `key`; with `unless` (a callable), only if it is
        alive and `unless()` is false when the lock is held; else the worker is killed.
        Returns whether it was kept."""
        with self._lock:
            keep = unless is None or (worker.alive and not unless())
            if keep:
                self._waiting.setdefault(key, []).append(worker)
        if not keep:
            worker.kill()
        return keep

    def kill_untaken(self, started: list[Worker]) -> None:
        """Kill the workers in `started` that no synthesizer took; a taken one is its taker's."""
        mine = {id(w) for w in started}
        untaken: list[Worker] = []
        with self._lock:
            for waiting in self._waiting.values():
                untaken += [w for w in waiting if id(w) in mine]
                waiting[:] = [w for w in waiting if id(w) not in mine]
        for worker in untaken:
            worker.kill()

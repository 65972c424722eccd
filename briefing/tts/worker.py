"""A child process made with the "spawn" context, spoken to over a pipe, killed on a hang."""

from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from briefing.errors import EngineError, VoiceNotFoundError

# "spawn", never fork: an espeak engine (and its thread in RETRIEVAL mode) must never
# be inherited half-initialized; a spawned child starts from a clean interpreter.
_CTX = multiprocessing.get_context("spawn")

# A spawned child re-imports Python and briefing before it can answer: about 0.3 s on
# an idle machine, several seconds on a loaded 2-core one.
START_TIMEOUT_S = 60.0


_start_lock = threading.Lock()


PARENT_CHECK_S = 0.5  # how soon an orphaned worker notices; the check is one getppid()


def _die_with_parent(parent_pid: int) -> None:
    """Exit as soon as the parent is gone, even if it died by SIGKILL.

    A worker hung in C code never reads the EOF that would otherwise tell it; without
    this it would outlive a killed run (and hold the run's stdout and stderr open). A
    thread rather than prctl(PR_SET_PDEATHSIG), which fires when the *thread* that
    started the child ends: a pool thread ending would kill a healthy worker.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _child(target: Callable[..., None], parent_pid: int, *args: Any) -> None:
    _die_with_parent(parent_pid)
    target(*args)


class WorkerTimeout(EngineError):
    """The worker did not answer in time; it has been killed."""


class WorkerDied(EngineError):
    """The worker process exited or broke its pipe."""


class Worker:
    """One child process running `target(conn, *args)`.

    Not a frozen dataclass: it owns a live process and a pipe. The protocol is one
    request, one reply; the child first sends ("ready", info) or ("error", kind, msg).
    """

    def __init__(self, target: Callable[..., None], *args: Any, wait: bool = True) -> None:
        """Start the child; wait for its hello now, or (`wait=False`) at the first request,
        so a caller can start workers early and do other work while they come up."""
        self.owner_pid = os.getpid()
        # kill() may come from two threads at once (a lane's failed request, and the run
        # unwinding): one of them closes the pipe, the other must not close it again
        self._kill_lock = threading.Lock()
        parent, child = _CTX.Pipe()
        self._conn: Connection = parent
        # Daemonic children die with us. But a multiprocessing.Pool worker is daemonic
        # and multiprocessing refuses to start children there, which would make the
        # synthesizers unusable in a pool: there we start a non-daemonic worker (lifting
        # the flag just for start()), a finalizer closes it at exit, and a worker whose
        # parent vanished reads EOF and exits.
        me = multiprocessing.current_process()
        daemon = not me.daemon
        self._proc = _CTX.Process(
            target=_child, args=(target, self.owner_pid, child, *args), daemon=daemon
        )
        if daemon:
            self._proc.start()
        else:
            with _start_lock:
                me._config["daemon"] = False  # type: ignore[attr-defined]
                try:
                    self._proc.start()
                finally:
                    me._config["daemon"] = True  # type: ignore[attr-defined]
        child.close()
        if not daemon:
            multiprocessing.util.Finalize(self, self.close, exitpriority=10)
        self.info: Any = None
        self._ready = False
        if wait:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Wait for the child's hello (once); raise what it reported if it could not start."""
        if self._ready:
            return
        hello = self._receive(START_TIMEOUT_S, "start")
        if hello[0] != "ready":
            self.kill()
            _, kind, message = hello
            raise (VoiceNotFoundError if kind == "voice" else EngineError)(message)
        self.info = hello[1]
        self._ready = True

    @property
    def alive(self) -> bool:
        return os.getpid() == self.owner_pid and self._proc.is_alive()

    def request(self, message: Any, timeout_s: float) -> Any:
        """Send one request and return the reply; kill the worker if it takes too long."""
        self.wait_ready()
        try:
            self._conn.send(message)
        except (OSError, EOFError) as exc:
            self.kill()
            raise WorkerDied(f"speech worker pipe broke: {exc}") from exc
        return self._receive(timeout_s, "reply")

    def _receive(self, timeout_s: float, what: str) -> Any:
        try:
            ready = self._conn.poll(timeout_s)
        except (OSError, EOFError) as exc:
            self.kill()
            raise WorkerDied(f"speech worker pipe broke: {exc}") from exc
        if not ready:
            self.kill()
            raise WorkerTimeout(f"speech worker gave no {what} within {timeout_s:g} s; killed it")
        try:
            return self._conn.recv()
        except (OSError, EOFError) as exc:
            code = self._proc.exitcode
            self.kill()
            raise WorkerDied(f"speech worker died (exit code {code})") from exc

    def kill(self) -> None:
        """Stop the worker now (it may be hung in C code, so no polite shutdown)."""
        if os.getpid() != self.owner_pid:
            return  # inherited through fork: the process belongs to our parent
        with self._kill_lock:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join(timeout=5)
            if not self._conn.closed:
                self._conn.close()

    def close(self) -> None:
        """Ask the worker to exit, then make sure it has."""
        if os.getpid() != self.owner_pid:
            return
        if self._proc.is_alive():
            try:
                self._conn.send(None)
                self._proc.join(timeout=2)
            except (OSError, EOFError):
                pass
        self.kill()

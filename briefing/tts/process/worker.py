"""A child process started fresh (a new interpreter, never a fork), spoken to over a socket
pair, killed on a hang.

Fresh, never forked: an espeak engine (and its thread in RETRIEVAL mode) must never be
inherited half-initialized. A plain subprocess rather than multiprocessing's "spawn": the
child imports only briefing.tts.process.child and its target's module, not multiprocessing nor the
parent's main module (the CLI and click), so it answers in about half the time, and a
program that uses briefing needs no `if __name__ == "__main__":` guard.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

from briefing.errors import EngineError, VoiceNotFoundError, WorkerDied, WorkerTimeout
from briefing.tts.process.channel import Channel

# A child starts Python and imports its engine before it can answer: about 0.1 s on an
# idle machine, several seconds on a loaded 2-core one.
START_TIMEOUT_S = 60.0

# Run by the child: the parent's import path first, so the target (maybe a test's) imports.
_BOOT = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from briefing.tts.process.child import main; main(sys.argv[2:])"
)


def _reap(proc: subprocess.Popen[bytes], owner_pid: int) -> None:
    """Kill and collect a worker (one nobody closed: the run is exiting, or dropped it)."""
    if os.getpid() != owner_pid:
        return  # a forked child exiting: the worker is its parent's
    if proc.poll() is None:
        proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)


class Worker:
    """One child process running `target(conn, *args)`; `target` is a module-level function.

    Not a frozen dataclass: it owns a live process and a socket. The protocol is one
    request, one reply; the child first sends ("ready", info) or ("error", kind, msg).
    """

    def __init__(self, target: Callable[..., None], *args: Any, wait: bool = True) -> None:
        """Start the child; wait for its hello now, or (`wait=False`) at the first request,
        so a caller can start workers early and do other work while they come up."""
        self.owner_pid = os.getpid()
        # kill() may come from two threads at once (a lane's failed request, and the run
        # unwinding): one of them closes the socket, the other must not close it again
        self._kill_lock = threading.Lock()
        ours, theirs = socket.socketpair()
        self._conn = Channel(ours.detach())
        try:
            self._proc = subprocess.Popen(
                [sys.executable, *subprocess._args_from_interpreter_flags(),  # type: ignore[attr-defined]
                 "-c", _BOOT, json.dumps(sys.path), target.__module__, target.__qualname__,
                 str(theirs.fileno()), str(self.owner_pid)],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        except OSError:
            self._conn.close()
            raise
        finally:
            theirs.close()
        # at exit (or when dropped) a worker still running is killed, as a daemon would be
        self._finalizer = weakref.finalize(self, _reap, self._proc, self.owner_pid)
        self.info: Any = None
        self._ready = False
        try:
            self._conn.send(args)
        except OSError as exc:
            self.kill()
            raise WorkerDied(f"speech worker could not start: {exc}") from exc
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
        return os.getpid() == self.owner_pid and self._proc.poll() is None

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
            code = self._proc.poll()
            self.kill()
            raise WorkerDied(f"speech worker died (exit code {code})") from exc

    def kill(self) -> None:
        """Stop the worker now (it may be hung in C code, so no polite shutdown)."""
        if os.getpid() != self.owner_pid:
            return  # inherited through fork: the process belongs to our parent
        with self._kill_lock:
            _reap(self._proc, self.owner_pid)
            if not self._conn.closed:
                self._conn.close()

    def close(self) -> None:
        """Stop the worker. Between requests it holds nothing worth a polite exit (every
        reply is a file already written), and waiting for its interpreter to shut down
        would cost the run ~15 ms a worker."""
        self.kill()

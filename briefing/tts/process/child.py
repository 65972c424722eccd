"""A speech worker process's start: what it imports first, so it imports little.

Run as `python -c` by briefing.tts.process.worker.Worker: `module qualname fd parent_pid`. The
target's arguments come over the channel; then `target(channel, *args)` serves requests.
"""

from __future__ import annotations

import importlib
import os
import signal
import threading
import time
from typing import Any

from briefing.tts.process.channel import Channel

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


def main(argv: list[str]) -> None:
    module, qualname, fd, parent_pid = argv
    # Ctrl-C reaches the whole process group: the run decides what happens to its workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(int(parent_pid))
    channel = Channel(int(fd))
    try:
        args = channel.recv()
    except EOFError:
        return
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    target(channel, *args)

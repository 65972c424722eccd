"""One run at a time: an flock the kernel drops when its holder dies, and who holds it."""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
from pathlib import Path

from briefing.errors import BriefingError, LockedError

log = logging.getLogger(__name__)


class RunLock:
    """An flock on a file in the state dir: the kernel drops it when the holder dies.

    A plain class, not a dataclass: it owns an open file descriptor. The file keeps the
    holder's pid and start time for the message a second run prints; a lock file left by
    a dead process is simply taken over, since nobody holds its flock any more.
    """

    def __init__(self, path: Path, *, wait: bool = False) -> None:
        self.path = path
        self.wait = wait  # when another holds it: queue behind it (True) or fail at once
        self.fd: int | None = None

    def acquire(self, wait: bool = False) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BriefingError(f"cannot create the lock file {self.path}: {exc.strerror}; "
                                "check BRIEFING_HOME or the state folder's permissions") from None
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = self.holder()
                if not wait:
                    raise LockedError(
                        f"another `briefing daily` is running ({holder}): let it finish, "
                        "or add --wait to run after it") from None
                log.info("waiting for the other daily run (%s) to finish", holder)
                fcntl.flock(fd, fcntl.LOCK_EX)
            else:
                previous = self.holder()
                if previous != "unknown process":
                    log.info("taking over a stale lock (%s, no longer running)", previous)
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {dt.datetime.now().isoformat(timespec='seconds')}\n".encode())
        self.fd = fd

    def holder(self) -> str:
        try:
            pid, since = self.path.read_text().split()[:2]
            return f"pid {int(pid)}, started {since}"
        except (OSError, ValueError):
            return "unknown process"

    def release(self) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> RunLock:
        self.acquire(self.wait)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

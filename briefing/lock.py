"""One at a time: an flock the kernel drops when its holder dies, and who holds it.

`RunLock` keeps daily runs apart; `archive_lock` keeps the runs that write into one
output folder (make, render, daily) from sweeping, naming or committing at the same time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path

from briefing.errors import BriefingError, LockedError

log = logging.getLogger(__name__)


class RunLock:
    """An flock on a file in the state dir: the kernel drops it when the holder dies.

    A plain class, not a dataclass: it owns an open file descriptor. The file keeps the
    holder's pid and start time for the message a second run prints; a lock file left by
    a dead process is simply taken over, since nobody holds its flock any more.
    """

    def __init__(self, path: Path, *, wait: bool = False,
                 what: str = "another `briefing daily` is running",
                 hint: str = "let it finish, or add --wait to run after it",
                 timeout: float | None = None) -> None:
        self.path = path
        self.wait = wait  # when another holds it: queue behind it (True) or fail at once
        self.what = what  # for the message when another holds it
        self.hint = hint
        self.timeout = timeout  # with wait: give up after this many seconds (None: never)
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
                    raise LockedError(f"{self.what} ({holder}): {self.hint}") from None
                log.info("waiting: %s (%s)", self.what, holder)
                self._wait_for(fd, holder)
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

    def _wait_for(self, fd: int, holder: str) -> None:
        if self.timeout is None:
            fcntl.flock(fd, fcntl.LOCK_EX)
            return
        deadline = time.monotonic() + self.timeout
        while True:
            time.sleep(POLL_S)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise LockedError(f"{self.what} ({holder}) and did not finish within "
                                      f"{self.timeout:.0f} s: {self.hint}") from None

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


POLL_S = 0.1  # how often a timed wait retries the lock; commits take well under a second
# Commits, sweeps and retention passes hold the archive lock for a second or two; a holder
# that keeps it this long is stuck (a hung network file system), and waiting on is worse.
ARCHIVE_WAIT_S = 300.0
ARCHIVE_LOCKS = "locks"


@contextlib.contextmanager
def archive_lock(folder: Path) -> Iterator[None]:
    """Hold the lock of the output folder `folder`, waiting while another run holds it.

    The lock file lives in the state folder, named after the folder's real path, so no
    file appears among the user's episodes (or in their home when -o points there).
    """
    from briefing.paths import state_dir

    key = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    lock = RunLock(state_dir() / ARCHIVE_LOCKS / f"{key[:24]}.lock", wait=True,
                   what=f"another briefing is writing into {folder}",
                   hint="let it finish and run again", timeout=ARCHIVE_WAIT_S)
    with lock:
        yield

"""Pickled messages over a socket or pipe file descriptor, one length-prefixed frame each.

What multiprocessing.connection.Connection does, without importing multiprocessing (~9 ms
of every speech worker's start-up). Both ends are ours: the parent and its workers.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
from collections.abc import Iterator
from typing import Any

_HEADER = struct.Struct("!Q")


class Channel:
    """One end of a two-way channel; owns its descriptor. Not thread-safe: one request,
    one reply, from one thread at a time (as Worker uses it)."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    @property
    def closed(self) -> bool:
        return self._fd < 0

    def fileno(self) -> int:
        return self._fd

    def send(self, obj: Any) -> None:
        data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(_HEADER.pack(len(data)) + data)
        while view:
            view = view[os.write(self._fd, view):]

    def recv(self) -> Any:
        """The next message; EOFError when the other end has closed."""
        (size,) = _HEADER.unpack(self._read(_HEADER.size))
        return pickle.loads(self._read(size))

    def poll(self, timeout: float) -> bool:
        """Whether a message (or the end) can be read within `timeout` seconds."""
        poller = select.poll()  # not select.select: no limit on the descriptor's number
        poller.register(self._fd, select.POLLIN)
        return bool(poller.poll(max(0.0, timeout) * 1000))

    def close(self) -> None:
        if self._fd >= 0:
            fd, self._fd = self._fd, -1
            os.close(fd)

    def _read(self, size: int) -> bytes:
        parts = []
        while size:
            try:
                chunk = os.read(self._fd, min(size, 1 << 20))
            except ConnectionResetError:  # the other end died with our reply unread
                chunk = b""
            if not chunk:
                raise EOFError("the other end closed the channel")
            parts.append(chunk)
            size -= len(chunk)
        return b"".join(parts)


def requests(channel: Channel) -> Iterator[Any]:
    """A worker's side: each request in turn, until the parent says None or goes away."""
    while True:
        try:
            message = channel.recv()
        except EOFError:
            return
        if message is None:
            return
        yield message

"""HTTP(S) connections to an address vetted beforehand, every step within one deadline."""

from __future__ import annotations

import http.client
import io
import socket
import ssl
import time
from typing import Any


class Deadline:
    """One wall-clock limit for a whole fetch: lookup, connect, TLS, headers, body, redirects."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left; TimeoutError once there are none."""
        left = self._end - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"the {self.seconds:g} s deadline passed")
        return left


class _DeadlineReader(io.RawIOBase):
    """The socket's reads, each allowed only the time the whole fetch has left.

    A socket time-out alone bounds each read, not their sum: a server sending one header
    line every two seconds would never trip it.
    """

    def __init__(self, raw: Any, sock: socket.socket, deadline: Deadline) -> None:
        super().__init__()
        self._raw = raw  # socket.makefile's SocketIO: it keeps the socket open while we read
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(self._deadline.remaining())
        result: int | None = self._raw.readinto(buffer)
        return result

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    """An HTTPResponse whose status line, headers and body are read against the deadline."""

    deadline: Deadline  # set on the subclass each connection makes

    def __init__(self, sock: socket.socket, *args: Any, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        # socket.makefile("rb"), nothing read from it yet; detach() hands over its SocketIO
        # without closing it (the socket stays open while the response is read).
        raw = self.fp.detach()
        self.fp = io.BufferedReader(_DeadlineReader(raw, sock, self.deadline))


class PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to `address` (already vetted) while the Host header keeps the name."""

    def __init__(self, host: str, port: int, *, address: str, deadline: Deadline) -> None:
        super().__init__(host, port, timeout=deadline.remaining())
        self.address = address
        self.deadline = deadline
        self.response_class = type("Response", (_DeadlineResponse,), {"deadline": deadline})

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.deadline.remaining())
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.sock = self._secure(sock)
        except BaseException:
            sock.close()
            raise

    def _secure(self, sock: socket.socket) -> socket.socket:
        return sock

    def send(self, data: Any) -> None:
        if self.sock is None:
            self.connect()
        self.sock.settimeout(self.deadline.remaining())
        super().send(data)


class PinnedHTTPSConnection(PinnedHTTPConnection):
    """TLS to the vetted address; SNI and the certificate check use the name, not the address."""

    default_port = http.client.HTTPS_PORT

    def __init__(
        self,
        host: str,
        port: int,
        *,
        address: str,
        deadline: Deadline,
        context: ssl.SSLContext | None = None,
    ) -> None:
        super().__init__(host, port, address=address, deadline=deadline)
        self.context = context or ssl.create_default_context()

    def _secure(self, sock: socket.socket) -> socket.socket:
        # CPython's handshake keeps to one time-out over all its reads and writes.
        sock.settimeout(self.deadline.remaining())
        return self.context.wrap_socket(sock, server_hostname=self.host)

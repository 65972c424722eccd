"""Set up on each worker of the local cluster: Ctrl-C is the client's to handle, not theirs."""

from __future__ import annotations

import signal
import threading
from typing import Any

from distributed import WorkerPlugin


class IgnoreInterrupt(WorkerPlugin):
    """A worker started here shares the terminal's process group, so Ctrl-C reaches it too.

    The client stops the batch and closes the cluster itself; a worker (and the speech
    engines it starts later, which inherit the setting) that also died of the SIGINT would
    print its tracebacks over the client's one-line message.
    """

    name = "briefing-ignore-sigint"

    def setup(self, worker: Any) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGINT, signal.SIG_IGN)

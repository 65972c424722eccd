"""Where a batch runs: Dask worker processes on this machine, or a running Dask cluster."""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from briefing.errors import SchedulerError

log = logging.getLogger(__name__)

# A scheduler on the LAN answers in milliseconds; 5 s leaves room for a busy one and still
# says "unreachable" quickly enough for someone at a terminal.
CONNECT_TIMEOUT_S = 5
# An episode is made whole on one worker; a worker that died making it hands it to another
# once, and a second death fails the job (a job that kills its worker would kill them all).
ALLOWED_FAILURES = 1
# What one job keeps busy on average: its speech runs on every core, but reading, writing
# the script and the final join do not, so a 2-minute episode on one worker spent 3.2 CPU-s
# in 3.4 s (bench/batch.py, 2 cores). One worker per core keeps the machine busy.
CORES_PER_JOB = 1
_ADDRESS = re.compile(r"^(?:(tcp|tls|ws|wss|ucx)://)?(\[[0-9a-fA-F:]+\]|[\w.-]+):(\d{1,5})$")


def default_workers() -> int:
    """Worker processes for the local cluster: this machine's cores, one job on each."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, cores // CORES_PER_JOB)


def check_address(address: str) -> str:
    """`address` if it looks like tcp://host:8786 (or host:8786); SchedulerError if not."""
    if not _ADDRESS.match(address.strip()):
        raise SchedulerError(f"scheduler address {address!r} is not like tcp://host:8786: give "
                             "the address `dask scheduler` prints")
    return address.strip()


def _dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise SchedulerError("`briefing batch` needs Dask: pip install 'briefing[batch]'") from None
    return distributed


@contextmanager
def connect(scheduler: str = "", workers: int | None = None) -> Iterator[Any]:
    """A Dask Client: to the scheduler at `scheduler`, or to `workers` processes started here.

    Nothing is written before the connection works: an unreachable scheduler is one
    SchedulerError naming the address.
    """
    distributed = _dask()
    import dask

    if not log.isEnabledFor(logging.DEBUG):
        # Dask's own INFO lines (workers starting, keys cancelled) are not the user's news
        logging.getLogger("distributed").setLevel(logging.ERROR)

    cluster = None
    if scheduler:
        address = check_address(scheduler)
        try:
            client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {address} ({exc}): start one there with "
                f"`dask scheduler` and workers with `dask worker {address}`, or leave out "
                "--scheduler to use this machine's cores") from None
        if not client.scheduler_info().get("workers"):
            # an adaptive cluster starts workers once there is work: say so, and wait
            log.warning("the scheduler at %s has no workers yet: start some with "
                        "`dask worker %s`; waiting", address, address)
    else:
        n = workers or default_workers()
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
            # processes, not threads: speech and mastering hold the GIL in places, and a
            # worker that dies must not take the client with it
            cluster = distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None,
                silence_logs=logging.CRITICAL, host="127.0.0.1")
        client = distributed.Client(cluster, set_as_default=False)
        from briefing.batch.plugin import IgnoreInterrupt

        client.register_plugin(IgnoreInterrupt())
        log.info("local Dask cluster: %d worker process(es)", n)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

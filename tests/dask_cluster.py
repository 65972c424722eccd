"""A real Dask cluster for the batch tests: `dask scheduler` and `dask worker` processes on
127.0.0.1, each worker with its own temporary folder (so a test can see who is mid-job)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

START_TIMEOUT_S = 60  # two cold Python processes importing distributed on a busy 2-core box


class Cluster:
    """A scheduler and its workers, started as separate processes and stopped with the test.

    A plain class: it owns processes.
    """

    def __init__(self, root: Path, home: Path, env: dict[str, str] | None = None) -> None:
        self.root = root
        self.home = home  # BRIEFING_HOME of the workers (their speech cache)
        self.env = {**os.environ, **(env or {}), "BRIEFING_HOME": str(home)}
        self.scheduler_file = root / "scheduler.json"
        self.scheduler: subprocess.Popen[bytes] | None = None
        self.workers: dict[str, subprocess.Popen[bytes]] = {}
        root.mkdir(parents=True, exist_ok=True)

    @property
    def address(self) -> str:
        return str(json.loads(self.scheduler_file.read_text())["address"])

    def start(self, workers: int = 2) -> Cluster:
        log = self._log("scheduler")
        self.scheduler = subprocess.Popen(
            [sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
             "--no-dashboard", "--scheduler-file", str(self.scheduler_file)],
            env=self.env, stdout=subprocess.DEVNULL, stderr=log)
        os.close(log)
        _until(lambda: self.scheduler_file.is_file() and self.scheduler_file.stat().st_size > 0,
               self.scheduler, "the scheduler")
        for _ in range(workers):
            self.add_worker()
        self.wait_for_workers(workers)
        return self

    def add_worker(self) -> str:
        name = f"w{len(self.workers) + 1}"
        tmp = self.tmp(name)
        tmp.mkdir(parents=True, exist_ok=True)
        log = self._log(name)
        # --no-nanny: a killed worker stays dead, as when its machine goes away
        self.workers[name] = subprocess.Popen(
            [sys.executable, "-m", "dask", "worker", "--scheduler-file", str(self.scheduler_file),
             "--nthreads", "1", "--no-nanny", "--no-dashboard", "--host", "127.0.0.1",
             "--name", name, "--local-directory", str(tmp)],
            env={**self.env, "TMPDIR": str(tmp)}, stdout=subprocess.DEVNULL,
            stderr=log)
        os.close(log)
        return name

    def _log(self, name: str) -> int:
        """A log file for a process's stderr; close it once the child has it."""
        return os.open(self.root / f"{name}.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)

    def tmp(self, name: str) -> Path:
        return self.root / f"{name}-tmp"

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout=START_TIMEOUT_S, set_as_default=False) as client:
            client.wait_for_workers(n, timeout=START_TIMEOUT_S)

    def busy(self) -> str | None:
        """A worker that is making an episode right now (its job folder has files)."""
        for name, proc in self.workers.items():
            if proc.poll() is None and any(
                    any(d.rglob("*.wav")) for d in self.tmp(name).glob("briefing-batch-*")):
                return name
        return None

    def kill(self, name: str) -> None:
        proc = self.workers[name]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    def stop(self) -> None:
        # workers first (killed: a test process owes nobody a graceful goodbye, and a
        # worker told to stop keeps trying its scheduler for a while), then the scheduler
        for proc in self.workers.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
        if self.scheduler is not None and self.scheduler.poll() is None:
            self.scheduler.terminate()
            try:
                self.scheduler.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.scheduler.kill()
                self.scheduler.wait()


def _until(ready, proc: subprocess.Popen[bytes], what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + START_TIMEOUT_S
    while not ready():
        assert proc.poll() is None, f"{what} exited with {proc.returncode}"
        assert time.monotonic() < deadline, f"{what} did not start in {START_TIMEOUT_S} s"
        time.sleep(0.05)

"""What runs on a worker: one episode made in a worker-local folder, its files sent back whole.

Nothing here touches the client's disk: the articles and the files the config names come
with the task, and the finished MP3 and its sidecars go back as bytes for the client to
commit. So a worker needs no shared file system, and a worker that dies mid-job leaves
nothing behind but its own temporary folder.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import resource
import socket
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefing.config import Config
from briefing.models import Article

WORK_PREFIX = "briefing-batch-"  # the worker-local folder a job builds its episode in


@dataclass(frozen=True)
class Task:
    """Everything one job needs on a worker."""

    index: int
    config: Config
    articles: tuple[Article, ...]
    date: dt.date
    published_sources: tuple[str, ...]
    assets: tuple[tuple[str, bytes], ...] = ()  # (config key, file content) for PATH_KEYS


@dataclass(frozen=True)
class Built:
    """A finished episode as bytes: (file name, content) pairs with the MP3 last."""

    index: int
    files: tuple[tuple[str, bytes], ...]
    spoken: tuple[Article, ...]  # the stories the episode reads, for the archive's history
    duration_ms: int
    seconds: float  # wall time on the worker
    cpu_seconds: float  # the worker's CPU time for the job, speech and ffmpeg children too
    worker: str  # host:pid, for the log
    warnings: tuple[str, ...] = ()  # what the pipeline logged at WARNING and above

    @property
    def mp3_name(self) -> str:
        return self.files[-1][0]


def build(task: Task) -> Built:
    """Make one episode in a temporary folder on this machine and return its files."""
    from briefing.pipeline import make_episode

    started, cpu = time.perf_counter(), _cpu_seconds()
    with tempfile.TemporaryDirectory(prefix=WORK_PREFIX) as tmp, _warnings() as warned:
        work = Path(tmp)
        config = replace(task.config, output_dir=str(work / "out"),
                         **_materialize(task.assets, work / "assets"))
        made = make_episode(config, articles=task.articles, date=task.date,
                            published_sources=task.published_sources)
        episode = made.episode
        files = tuple((p.name, p.read_bytes())
                      for p in (*episode.sidecars, episode.mp3) if p.is_file())
    return Built(task.index, files, made.plan.articles, episode.duration_ms,
                 time.perf_counter() - started, _cpu_seconds() - cpu,
                 f"{socket.gethostname()}:{os.getpid()}", tuple(warned))


def _materialize(assets: tuple[tuple[str, bytes], ...], folder: Path) -> dict[str, Any]:
    """Write the shipped files (cover, jingles, lexicon) here; the config points at them."""
    paths: dict[str, Any] = {}
    for key, data in assets:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / key
        path.write_bytes(data)
        paths[key] = str(path)
    return paths


def _cpu_seconds() -> float:
    """This process's CPU time plus its finished children's (speech engines, ffmpeg)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class _Collect(logging.Handler):
    def __init__(self, into: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.into = into

    def emit(self, record: logging.LogRecord) -> None:
        self.into.append(record.getMessage())


@contextmanager
def _warnings() -> Iterator[list[str]]:
    """The pipeline's warnings for this job, sent back with it (the client logs them)."""
    found: list[str] = []
    handler = _Collect(found)
    logger = logging.getLogger("briefing")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)

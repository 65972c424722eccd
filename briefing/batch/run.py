"""The client side of a batch: skip what is made, read sources once, send jobs, commit episodes.

The same rules as `briefing daily`, per archive: a day with an episode is not made again
(unless forced), stories the archive spoke lately are skipped, old episodes are retired,
and the feed, page and playlist are rewritten once the episode is in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import queue
import time
import uuid
from collections.abc import Generator, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from briefing.batch.commit import commit, uninterrupted
from briefing.batch.jobs import PATH_KEYS, Job, JobsFile
from briefing.batch.work import Built, Task, build
from briefing.config import Config, SourceSpec
from briefing.daily.history import History
from briefing.daily.run import read_sources, refresh, settle
from briefing.errors import BriefingError, LockedError, OutputError, SourceError
from briefing.lock import RunLock
from briefing.models import Article
from briefing.paths import state_dir
from briefing.pipeline import read_articles
from briefing.publish import archive

log = logging.getLogger(__name__)

LOCK_FILE = "batch.lock"
HISTORY_DIR = "history"  # one spoken-stories file per archive: dedupe is per listener
READERS = 8  # sources fetched at once: network-bound, and polite to any one site
TICK_S = 1.0  # how often the progress is refreshed while no job finishes

Status = Literal["made", "exists", "nothing-new", "failed"]


@dataclass(frozen=True)
class JobResult:
    """What became of one job."""

    job: Job
    status: Status
    mp3: Path | None = None
    error: str = ""  # why it failed, one line
    duration_ms: int = 0
    seconds: float = 0.0  # the worker's wall time for the episode
    cpu_seconds: float = 0.0
    worker: str = ""
    removed: tuple[str, ...] = ()  # relpaths retention (or a --force remake) deleted
    skipped: int = 0  # stories left out because the archive spoke them lately


@dataclass(frozen=True)
class Snapshot:
    """The batch so far: finished jobs in the order they finished, and what is running."""

    results: tuple[JobResult, ...]
    total: int
    running: int = 0
    elapsed_s: float = 0.0

    @property
    def done(self) -> int:
        return len(self.results)

    @property
    def failed(self) -> int:
        return sum(r.status == "failed" for r in self.results)

    @property
    def made(self) -> int:
        return sum(r.status == "made" for r in self.results)

    @property
    def per_minute(self) -> float:
        """Episodes made per minute of this run (those already made do not count)."""
        return self.made * 60 / self.elapsed_s if self.elapsed_s > 0 else 0.0


def history_path(output_dir: Path) -> Path:
    """The spoken-stories file of one archive, in the state folder (not among the episodes)."""
    digest = hashlib.sha256(str(output_dir.resolve()).encode("utf-8", "surrogateescape"))
    folder = state_dir() / HISTORY_DIR
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {folder}: {exc.strerror}; check BRIEFING_HOME or the "
                          "state folder's permissions") from None
    return folder / f"{digest.hexdigest()[:24]}.json"


def run_batch(
    jobs: JobsFile,
    client: Any,
    *,
    date: dt.date | None = None,
    force: bool = False,
    wait: bool = False,
) -> Generator[Snapshot, None, None]:
    """Make every job's episode on the Dask `client`'s workers; yields progress as it goes.

    Jobs whose archive has the day's episode are not made again (unless `force`). Each
    source is read once for all the jobs that name it, here on the client, so workers need
    neither the network nor the client's files. A job that fails is reported in its result
    and the others go on. Episodes are committed here, each atomically, as they come back;
    a run stopped at any moment leaves every archive whole, and running it again makes only
    what is missing. Close the iterator (or let it finish) to cancel what is still queued.
    """
    from briefing.dates import check_date

    today = dt.date.today()
    day = check_date(date or today, force=force, today=today)
    lock = RunLock(state_dir() / LOCK_FILE, wait=wait)
    try:
        lock.acquire(wait)
    except LockedError:
        raise LockedError(f"another `briefing batch` is running ({lock.holder()}): let it "
                          "finish, or add --wait to run after it") from None
    try:
        yield from _run(jobs, client, day, force, today)
    finally:
        lock.release()


class _Run:
    """The bookkeeping of one batch run; a plain class: it changes as jobs finish."""

    def __init__(self, total: int) -> None:
        self.started = time.perf_counter()
        self.total = total
        self.results: list[JobResult] = []

    def snapshot(self, running: int = 0) -> Snapshot:
        return Snapshot(tuple(self.results), self.total, running,
                        time.perf_counter() - self.started)


def _run(jobs: JobsFile, client: Any, day: dt.date, force: bool,
         today: dt.date) -> Iterator[Snapshot]:
    run = _Run(len(jobs.jobs))
    todo: list[tuple[Job, list[archive.ArchivedEpisode]]] = []
    for job in jobs.jobs:
        try:
            archive.sweep(job.output_dir)
            existing = archive.on_day(archive.scan(job.output_dir), day)
            if existing and not force:
                removed = refresh(job.output_dir, job.config, today).removed
                run.results.append(JobResult(job, "exists", mp3=existing[0].mp3,
                                             removed=removed))
            else:
                todo.append((job, existing))
        except BriefingError as exc:
            run.results.append(_failed(job, str(exc)))
    yield run.snapshot()

    futures: dict[Any, tuple[Job, list[archive.ArchivedEpisode], History, int]] = {}
    finished: queue.Queue[Any] = queue.Queue()  # futures as workers finish them
    pool = ThreadPoolExecutor(READERS, thread_name_prefix="briefing-read")
    try:
        reads = _read_once([job for job, _ in todo], pool)
        for job, existing in todo:
            try:
                history = History.load(history_path(job.output_dir))
                task, skipped = _task(job, day, reads, history)
                if task is None:  # nothing new: the archive is only refreshed
                    removed = refresh(job.output_dir, job.config, today).removed
                    run.results.append(JobResult(job, "nothing-new", removed=removed,
                                                 skipped=skipped))
                else:
                    key = f"briefing-job{job.index}-{uuid.uuid4().hex[:8]}"
                    future = client.submit(build, task, key=key, pure=False)
                    futures[future] = (job, existing, history, skipped)
                    future.add_done_callback(finished.put)
            except BriefingError as exc:
                run.results.append(_failed(job, str(exc)))
            yield run.snapshot(_running(client, futures))

        pending = set(futures)
        while pending:
            try:
                future = finished.get(timeout=TICK_S)
            except queue.Empty:
                yield run.snapshot(_running(client, pending))
                continue
            pending.discard(future)
            run.results.append(_finish(future, *futures.pop(future), day, today, force))
            future.release()  # the worker can forget the episode's bytes now
            yield run.snapshot(_running(client, pending))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        # an interrupted client takes its jobs with it; nothing of theirs was committed
        unfinished = [f for f in futures if not f.done()]
        if unfinished:
            client.cancel(unfinished)


def _read_once(jobs: Sequence[Job],
               pool: ThreadPoolExecutor) -> dict[tuple[str, bool], Future[tuple[Article, ...]]]:
    """Start reading each source once, with the most stories any job takes from it."""
    most: dict[tuple[str, bool], int] = {}
    config: dict[tuple[str, bool], Config] = {}
    for job in jobs:
        for spec in job.config.sources:
            key = (spec.location, job.config.offline)
            most[key] = max(most.get(key, 0), spec.max_stories)
            config.setdefault(key, job.config)
    return {key: pool.submit(read_articles, [key[0]], replace(config[key], max_stories=n))
            for key, n in most.items()}


def _task(job: Job, day: dt.date, reads: dict[tuple[str, bool], Future[tuple[Article, ...]]],
          history: History) -> tuple[Task | None, int]:
    """The job's task for a worker (None when every story was spoken lately), and how many
    stories were left out as spoken lately."""

    def read(spec: SourceSpec) -> list[Article]:
        found = reads[(spec.location, job.config.offline)].result()
        return list(found)[: spec.max_stories]

    articles, _ = read_sources(job.config, read=read)
    fresh = history.fresh(articles, day, window_days=job.config.repeat_days)
    if not fresh:
        log.info("%s: nothing new for %s (%d stories already spoken)", job.name, day,
                 len(articles))
        return None, len(articles)
    task = Task(job.index, job.config, tuple(fresh), day,
                tuple(s.location for s in job.config.sources), _assets(job))
    return task, len(articles) - len(fresh)


def _assets(job: Job) -> tuple[tuple[str, bytes], ...]:
    found = []
    for key in PATH_KEYS:
        value = getattr(job.config, key)
        if value:
            try:
                found.append((key, Path(value).read_bytes()))
            except OSError as exc:
                raise SourceError(f"cannot read {key} {value}: {exc.strerror}") from None
    return tuple(found)


def _running(client: Any, futures: Any) -> int:
    """How many of `futures` a worker is making right now, as the scheduler sees it."""
    keys = {f.key for f in futures}
    try:
        processing = client.processing()
    except (OSError, TimeoutError):  # progress only: never fail a batch over it
        return 0
    return sum(1 for tasks in processing.values() for k in tasks if k in keys)


def _finish(future: Any, job: Job, existing: list[archive.ArchivedEpisode],
            history: History, skipped: int, day: dt.date, today: dt.date,
            force: bool) -> JobResult:
    """Commit a returned episode into its archive, or say why the job failed."""
    from distributed import KilledWorker

    try:
        built: Built = future.result()
    except BriefingError as exc:
        return _failed(job, str(exc))
    except KilledWorker:
        return _failed(job, "its worker died while making it, and again on the retry "
                            "(out of memory? see the workers' logs)")
    except ModuleNotFoundError as exc:
        return _failed(job, f"a worker cannot import {exc.name}: install briefing[batch] (the "
                            "same version as here) on every worker machine")
    except Exception as exc:  # a bug or a broken worker: reported, and the others go on
        log.debug("%s failed", job.name, exc_info=exc)
        return _failed(job, f"{type(exc).__name__}: {exc}")
    for warning in built.warnings:
        log.warning("%s: %s", job.name, warning)
    try:
        with uninterrupted():  # the episode, its stories in the history, the feed: all or none
            mp3 = commit(built, job.output_dir, day.isoformat(), force=force)
            removed = settle(job.output_dir, job.config, day, mp3, built.spoken, history,
                             existing, today=today).removed
    except BriefingError as exc:
        return _failed(job, str(exc))
    log.info("%s: made %s (%.0f s of audio in %.1f s on %s)", job.name, mp3,
             built.duration_ms / 1000, built.seconds, built.worker)
    return JobResult(job, "made", mp3=mp3, duration_ms=built.duration_ms, seconds=built.seconds,
                     cpu_seconds=built.cpu_seconds, worker=built.worker, removed=removed,
                     skipped=skipped)


def _failed(job: Job, why: str) -> JobResult:
    log.debug("%s failed: %s", job.name, why)  # the CLI lists failures at the end
    return JobResult(job, "failed", error=why)

"""The unattended daily run: one at a time, once a day, nothing repeated, old episodes retired."""

from __future__ import annotations

import datetime as dt
import logging
import logging.handlers
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from briefing.config import Config, SourceSpec
from briefing.daily.history import HISTORY_FILE, History
from briefing.daily.retention import Retired, retire
from briefing.dates import check_date
from briefing.errors import ConfigError, EmptyArticleError
from briefing.lock import RunLock, archive_lock
from briefing.models import Article, Episode
from briefing.paths import state_dir
from briefing.pipeline import Plan, Progress, make_episode
from briefing.pipeline import read_sources as read_sources_of
from briefing.publish import archive
from briefing.publish.feed import write_feed
from briefing.publish.page import write_index

log = logging.getLogger(__name__)

LOCK_FILE = "daily.lock"

Status = Literal["made", "exists", "nothing-new"]


def _silent(items: Any, length: int, label: str) -> Any:
    return items


@dataclass(frozen=True)
class DailyResult:
    """What a daily run did."""

    status: Status
    date: dt.date
    episode: Episode | None = None
    existing: tuple[Path, ...] = ()  # the day's episodes when status is "exists"
    removed: tuple[str, ...] = ()  # relpaths retention (or a --force remake) deleted
    skipped: int = 0  # stories left out because they were spoken lately
    plan: Plan | None = None  # what was spoken, when status is "made"
    overdue: int = 0  # of the removed, those past retention before the last run (warned)


def publish(output_dir: Path, config: Config) -> tuple[archive.ArchivedEpisode, ...]:
    """Rewrite feed.xml, index.html, the M3U and latest.mp3 from the episodes on disk."""
    output_dir.mkdir(parents=True, exist_ok=True)
    episodes = archive.scan(output_dir)
    write_feed(output_dir, episodes, config)
    archive.write_playlist(output_dir, episodes)
    archive.update_latest(output_dir, episodes)
    write_index(output_dir, episodes, config)
    return episodes


def read_sources(config: Config, *, history: History | None = None,
                 day: dt.date | None = None,
                 progress: Progress[Any] = _silent,
                 read: Callable[[SourceSpec], Sequence[Article]] | None = None,
                 ) -> tuple[list[Article], int]:
    """Every configured source with its own max_stories, and how many feed items were left
    unfetched as spoken lately; one broken source does not stop the rest.

    Raises the first error when no source gave anything for a reason other than emptiness.
    `read` reads one source instead (a batch passes one that reads each source once for
    all its jobs; it dedupes against the history itself).
    """
    _require_sources(config)
    if read is not None:
        return _read_each(config, read), 0
    unfetched: list[str] = []

    def spoken(link: str) -> bool:
        if history is None or day is None:
            return False
        earlier = history.spoken_link(link, day, config.repeat_days)
        if earlier is not None:
            log.info("skipping %r: already spoken on %s", earlier.title or link, earlier.date)
            unfetched.append(link)
        return earlier is not None

    try:
        articles = read_sources_of(
            [(s.location, s.max_stories) for s in config.sources], config,
            skip_link=spoken, progress=progress)
    except EmptyArticleError:
        return [], len(unfetched)  # nothing to read (or all of it spoken): nothing new
    return list(articles), len(unfetched)


def _read_each(config: Config, read: Callable[[SourceSpec], Sequence[Article]]) -> list[Article]:
    from briefing.errors import SourceError

    articles: list[Article] = []
    errors: list[SourceError] = []
    for spec in config.sources:
        try:
            articles += read(spec)
        except SourceError as exc:
            log.warning("skipping source %s: %s", spec.location, exc)
            errors.append(exc)
    hard = [e for e in errors if not isinstance(e, EmptyArticleError)]
    if not articles and hard:
        raise hard[0]
    return articles


def refresh(output_dir: Path, config: Config, today: dt.date) -> Retired:
    """Retire old episodes and republish the archive, when no episode is added to it."""
    with archive_lock(output_dir):
        retired = retire(output_dir, config.retention_days, today=today)
        publish(output_dir, config)
    return retired


def settle(output_dir: Path, config: Config, day: dt.date, mp3: Path,
           spoken: Sequence[Article], history: History,
           existing: Sequence[archive.ArchivedEpisode], *, today: dt.date) -> Retired:
    """Once an episode is in the archive: remember its stories, drop the day's episodes it
    replaces (a --force remake), retire old ones and republish; returns what was removed."""
    history.record(spoken, day)
    archive.write_atomic(history.path, history.dumps())
    with archive_lock(output_dir):
        replaced = [e for e in existing if e.mp3 != mp3.resolve()]
        for old in replaced:  # a --force remake under a new name supersedes the old one
            archive.remove(old)
        retired = retire(output_dir, config.retention_days, keep=[mp3], today=today)
        publish(output_dir, config)
    return Retired(tuple(e.relpath for e in replaced) + retired.removed, retired.overdue)


def _require_sources(config: Config) -> None:
    if not config.sources:
        raise ConfigError("no sources configured: add a [[sources]] table with a location "
                          "to the config file (see `briefing init`)")


def run_daily(
    config: Config,
    *,
    date: dt.date | None = None,
    force: bool = False,
    wait: bool = False,
    progress: Progress[Any] = _silent,
    today: dt.date | None = None,
) -> DailyResult:
    """Make the day's episode from the configured sources, once, and refresh the archive.

    Idempotent: when the day already has an episode, only the feed and the archive files
    are refreshed (unless `force`). Holds a lock in the state dir so runs never overlap
    (`wait` queues behind a running one). Stories spoken in the last days are skipped;
    with nothing new, no episode is made. Episodes dated more than retention_days before
    today (the real today, whatever `date` says) are removed; a `date` more than a day
    ahead needs `force`; `today` stands in for the clock (tests). A run killed at any moment
    leaves the earlier episodes and the feed as they were: episodes are staged beside their
    destination and renamed in, and every archive file is replaced atomically.
    """
    _require_sources(config)
    today = today or dt.date.today()
    day = check_date(date or today, force=force, today=today)
    output_dir = Path(config.output_dir).resolve()
    archive.check_archive_folder(output_dir)  # before the lock: "/" or "~" is never swept
    with RunLock(state_dir() / LOCK_FILE, wait=wait):
        log.info("daily run for %s into %s", day.isoformat(), output_dir)
        with archive_lock(output_dir):
            archive.sweep(output_dir)
            existing = archive.on_day(archive.scan(output_dir), day)
            if existing and not force:
                retired = retire(output_dir, config.retention_days, today=today)
                publish(output_dir, config)
                log.info("%s already has an episode: %s", day, existing[0].relpath)
                return DailyResult("exists", day, existing=tuple(e.mp3 for e in existing),
                                   removed=retired.removed, overdue=retired.overdue)
        history_path = state_dir() / HISTORY_FILE
        history = History.load(history_path)
        articles, unfetched = read_sources(config, history=history, day=day,
                                           progress=progress)
        fresh = history.fresh(articles, day, window_days=config.repeat_days)
        skipped = unfetched + len(articles) - len(fresh)
        if not fresh:
            retired = refresh(output_dir, config, today)
            log.info("nothing new to say for %s (%d stories already spoken)", day, skipped)
            return DailyResult("nothing-new", day, removed=retired.removed, skipped=skipped,
                               overdue=retired.overdue)
        dated = replace(config, output_dir=str(output_dir))
        made = make_episode(dated, articles=fresh, date=day, progress=progress, force=force,
                            published_sources=[s.location for s in config.sources])
        the_plan, episode = made.plan, made.episode
        log.info("made %s (%d stories, %.0f s)", episode.mp3, len(fresh),
                 episode.duration_ms / 1000)
        retired = settle(output_dir, config, day, episode.mp3, the_plan.articles, history,
                         existing, today=today)
        return DailyResult("made", day, episode=episode, skipped=skipped, plan=the_plan,
                           removed=retired.removed, overdue=retired.overdue)

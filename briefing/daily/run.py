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
from briefing.daily.lock import RunLock
from briefing.errors import ConfigError, EmptyArticleError, SourceError
from briefing.models import Article, Episode
from briefing.paths import state_dir
from briefing.pipeline import Progress, make_episode, read_articles
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


def publish(output_dir: Path, config: Config) -> tuple[archive.ArchivedEpisode, ...]:
    """Rewrite feed.xml, index.html, the M3U and latest.mp3 from the episodes on disk."""
    output_dir.mkdir(parents=True, exist_ok=True)
    episodes = archive.scan(output_dir)
    write_feed(output_dir, episodes, config)
    archive.write_playlist(output_dir, episodes)
    archive.update_latest(output_dir, episodes)
    write_index(output_dir, episodes, config.title, config.language)
    return episodes


def read_sources(config: Config,
                 read: Callable[[SourceSpec], Sequence[Article]] | None = None) -> list[Article]:
    """Every configured source with its own max_stories; one broken source does not stop the rest.

    Raises the first error when no source gave anything for a reason other than emptiness.
    `read` reads one source (a batch passes one that reads each source once for all jobs).
    """
    _require_sources(config)
    articles: list[Article] = []
    errors: list[SourceError] = []
    for spec in config.sources:
        try:
            articles += read(spec) if read else read_articles(
                [spec.location], replace(config, max_stories=spec.max_stories))
        except SourceError as exc:
            log.warning("skipping source %s: %s", spec.location, exc)
            errors.append(exc)
    hard = [e for e in errors if not isinstance(e, EmptyArticleError)]
    if not articles and hard:
        raise hard[0]
    return articles


def _require_sources(config: Config) -> None:
    if not config.sources:
        raise ConfigError("no sources configured: add a [[sources]] table with a location "
                          "to the config file (see `briefing init`)")


def retire(output_dir: Path, today: dt.date, retention_days: int,
           keep: Sequence[Path] = ()) -> tuple[str, ...]:
    """Delete episodes older than the retention window; returns their relative paths."""
    old = [e for e in archive.expired(archive.scan(output_dir), today, retention_days)
           if e.mp3 not in keep]
    for episode in old:
        log.info("retention: removing %s (older than %d days)", episode.relpath, retention_days)
        archive.remove(episode)
    return tuple(e.relpath for e in old)


def refresh(output_dir: Path, config: Config, day: dt.date) -> tuple[str, ...]:
    """Retire old episodes and republish the archive, when no episode is added to it."""
    removed = retire(output_dir, day, config.retention_days)
    publish(output_dir, config)
    return removed


def settle(output_dir: Path, config: Config, day: dt.date, mp3: Path,
           spoken: Sequence[Article], history: History,
           existing: Sequence[archive.ArchivedEpisode]) -> tuple[str, ...]:
    """Once an episode is in the archive: remember its stories, drop the day's episodes it
    replaces (a --force remake), retire old ones and republish; returns what was removed."""
    history.record(spoken, day)
    archive.write_atomic(history.path, history.dumps())
    replaced = [e for e in existing if e.mp3 != mp3.resolve()]
    for old in replaced:  # a --force remake under a new name supersedes the old one
        archive.remove(old)
    removed = retire(output_dir, day, config.retention_days, keep=[mp3])
    publish(output_dir, config)
    return tuple(e.relpath for e in replaced) + removed


def run_daily(
    config: Config,
    *,
    date: dt.date | None = None,
    force: bool = False,
    wait: bool = False,
    progress: Progress[Any] = _silent,
) -> DailyResult:
    """Make the day's episode from the configured sources, once, and refresh the archive.

    Idempotent: when the day already has an episode, only the feed and the archive files
    are refreshed (unless `force`). Holds a lock in the state dir so runs never overlap
    (`wait` queues behind a running one). Stories spoken in the last days are skipped;
    with nothing new, no episode is made. Episodes dated more than retention_days before
    `date` are removed. A run killed at any moment leaves the earlier episodes and the feed
    as they were: episodes are staged beside their destination and renamed in, and every
    archive file is replaced atomically.
    """
    _require_sources(config)
    day = date or dt.date.today()
    output_dir = Path(config.output_dir).resolve()
    with RunLock(state_dir() / LOCK_FILE, wait=wait):
        log.info("daily run for %s into %s", day.isoformat(), output_dir)
        archive.sweep(output_dir)
        existing = archive.on_day(archive.scan(output_dir), day)
        if existing and not force:
            removed = refresh(output_dir, config, day)
            log.info("%s already has an episode: %s", day, existing[0].relpath)
            return DailyResult("exists", day, existing=tuple(e.mp3 for e in existing),
                               removed=removed)
        history_path = state_dir() / HISTORY_FILE
        history = History.load(history_path)
        articles = read_sources(config)
        fresh = history.fresh(articles, day, window_days=config.repeat_days)
        skipped = len(articles) - len(fresh)
        if not fresh:
            removed = refresh(output_dir, config, day)
            log.info("nothing new to say for %s (%d stories already spoken)", day, skipped)
            return DailyResult("nothing-new", day, removed=removed, skipped=skipped)
        dated = replace(config, output_dir=str(output_dir))
        made = make_episode(dated, articles=fresh, date=day, progress=progress,
                            published_sources=[s.location for s in config.sources])
        the_plan, episode = made.plan, made.episode
        log.info("made %s (%d stories, %.0f s)", episode.mp3, len(fresh),
                 episode.duration_ms / 1000)
        removed = settle(output_dir, config, day, episode.mp3, the_plan.articles, history,
                         existing)
        return DailyResult("made", day, episode=episode, skipped=skipped, removed=removed)

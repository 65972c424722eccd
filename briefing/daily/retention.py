"""Retention: episodes older than retention_days before the real today go, and a run that
removes more than aged out since the last run says so loudly."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.paths import atomic_write, read_json_object, state_dir
from briefing.publish import archive

log = logging.getLogger(__name__)

RECORD_FILE = "retention.json"  # output dir -> the real day its last retention pass ran


@dataclass(frozen=True)
class Retired:
    """What one retention pass removed, and how many of them had expired before the last pass."""

    removed: tuple[str, ...] = ()  # relpaths under the output dir
    overdue: int = 0  # already past retention at the last pass: a clock jump, a lowered setting


def retire(output_dir: Path, retention_days: int, keep: Sequence[Path] = (), *,
           today: dt.date | None = None) -> Retired:
    """Delete episodes dated more than retention_days before today, the real today: never
    the day a run is dated (a --date far ahead would otherwise empty the archive)."""
    today = today or dt.date.today()
    last = _last_pass(output_dir)
    old = [e for e in archive.expired(archive.scan(output_dir), today, retention_days)
           if e.mp3 not in keep]
    overdue: list[archive.ArchivedEpisode] = []
    if last is not None and last <= today and retention_days > 0:
        # what expired by the last pass should be gone: finding it is a surprise
        cutoff = last - dt.timedelta(days=retention_days)
        overdue = [e for e in old if e.day < cutoff]
    elif last is None and old:
        overdue = old  # no record of an earlier pass: every removal is worth a word
    if overdue:
        why = (f"had expired before the last run on {last.isoformat()}" if last
               else "are the first this output folder's retention removes")
        shown = ", ".join(e.relpath for e in overdue[:5]) + (", ..." if len(overdue) > 5 else "")
        log.warning(
            "retention: removing %d episode(s) that %s (%s): retention_days is %d and today "
            "is %s; if that is wrong, stop the timer and fix retention_days or the clock",
            len(overdue), why, shown, retention_days, today.isoformat())
    for episode in old:
        log.info("retention: removing %s (older than %d days)", episode.relpath, retention_days)
        archive.remove(episode)
    _record_pass(output_dir, today)
    return Retired(tuple(e.relpath for e in old), len(overdue))


def _record_path() -> Path:
    return state_dir() / RECORD_FILE


def _records() -> dict[str, str]:
    return {str(k): str(v) for k, v in read_json_object(_record_path()).items()}


def _last_pass(output_dir: Path) -> dt.date | None:
    try:
        return dt.date.fromisoformat(_records()[str(output_dir.resolve())])
    except (KeyError, ValueError):
        return None


def _record_pass(output_dir: Path, today: dt.date) -> None:
    records = _records()
    records[str(output_dir.resolve())] = today.isoformat()
    try:
        _record_path().parent.mkdir(parents=True, exist_ok=True)
        atomic_write(_record_path(), json.dumps(records, indent=1) + "\n")
    except OSError as exc:  # the next pass warns once too often: not worth failing a run for
        log.warning("cannot write %s (%s)", _record_path(), exc.strerror)

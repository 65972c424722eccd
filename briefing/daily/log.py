"""The daily run's own log: a rotating file in the state folder, beside what stderr gets."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

from briefing.paths import state_dir

log = logging.getLogger(__name__)

LOG_FILE = "daily.log"
LOG_MAX_BYTES = 1_000_000  # a year of daily runs is ~200 kB; rotate well before it matters
LOG_BACKUPS = 3


@contextlib.contextmanager
def log_to_file(path: Path | None = None) -> Iterator[Path]:
    """Also send briefing's log records to a rotating file in the state dir for the run."""
    path = path or state_dir() / LOG_FILE
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES,
                                                       backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError as exc:
        # a run without its log file is still worth making; stderr still gets everything
        log.warning("cannot write the log file %s (%s); logging to stderr only", path,
                    exc.strerror)
        yield path
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s"))
    handler.setLevel(logging.INFO)
    logger = logging.getLogger("briefing")
    old_level, effective = logger.level, logger.getEffectiveLevel()
    # the file gets the whole story even when the terminal is quiet: let INFO through the
    # logger, and hold the terminal's handlers at the level they had
    terminal = [(h, h.level) for h in logging.getLogger().handlers]
    if effective > logging.INFO:
        for h, level in terminal:
            h.setLevel(max(level, effective))
        logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    try:
        yield path
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
        for h, level in terminal:
            h.setLevel(level)
        handler.close()

"""A content-addressed, size-capped, least-recently-used cache of spoken segments on disk."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing import paths

log = logging.getLogger(__name__)

# 500 MB holds ~50 hours of 22 kHz speech WAVs plus their MP3 chunks: months of daily
# briefings, so yesterday's unchanged intro and outro are always there.
DEFAULT_MAX_MB = 500
# Eviction goes below the cap by this much, so a full cache does not scan on every write.
TRIM_TO = 0.9
FORMAT = 1  # bump when what is stored under a key changes meaning
NO_CACHE_ENV = "BRIEFING_NO_CACHE"
MAX_MB_ENV = "BRIEFING_CACHE_MB"


def cache_disabled() -> bool:
    """True when BRIEFING_NO_CACHE is set to a true value (1, true, yes, on)."""
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def segment_cache(use_cache: bool = True) -> SegmentCache | None:
    """The segment cache, unless the caller or BRIEFING_NO_CACHE turned it off."""
    return SegmentCache() if use_cache and not cache_disabled() else None


def make_key(*parts: Any) -> str:
    """A stable hex digest of `parts` (str, int, float, bool, None, lists of them)."""
    blob = json.dumps([FORMAT, *parts], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CacheInfo:
    """What `briefing cache info` shows."""

    path: Path
    entries: int
    bytes: int
    max_bytes: int


class SegmentCache:
    """Files stored under a key: `<root>/<key[:2]>/<key><suffix>`.

    Not a frozen dataclass: a handle on a folder that other processes change too. Safe
    with concurrent processes: every write goes to a temporary file in the same folder
    and is renamed into place (a reader sees all of a file or none of it); a reader that
    loses a race with eviction sees a miss. Reads touch the file's mtime, which is what
    least-recently-used eviction sorts by.
    """

    def __init__(self, root: Path | None = None, max_bytes: int | None = None) -> None:
        self.root = root or paths.cache_dir() / "segments"
        if max_bytes is None:
            raw = os.environ.get(MAX_MB_ENV, "").strip()
            try:
                max_bytes = int(float(raw) * 1_000_000) if raw else DEFAULT_MAX_MB * 1_000_000
            except ValueError:
                max_bytes = DEFAULT_MAX_MB * 1_000_000
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._stored = 0  # bytes written through this handle since its last trim()

    def path(self, key: str, suffix: str) -> Path:
        return self.root / key[:2] / f"{key}{suffix}"

    def fetch(self, key: str, suffix: str, dest: Path) -> bool:
        """Put the cached file at `dest` (a hard link when possible); False on a miss."""
        src = self.path(key, suffix)
        try:
            os.utime(src)  # touch: most recently used
            with contextlib.suppress(FileNotFoundError):
                dest.unlink()
            try:
                os.link(src, dest)
            except OSError:
                shutil.copyfile(src, dest)  # another file system, or no hard links there
        except FileNotFoundError:
            self.misses += 1
            return False
        self.hits += 1
        return True

    def read_text(self, key: str, suffix: str) -> str | None:
        """The cached text under `key`, or None."""
        src = self.path(key, suffix)
        try:
            text = src.read_text(encoding="utf-8")
            os.utime(src)
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        return text

    def store(self, key: str, suffix: str, src: Path) -> None:
        """Copy `src` into the cache under `key`, atomically; a failure only logs a warning."""
        self._write(key, suffix, lambda tmp: shutil.copyfile(src, tmp))

    def store_text(self, key: str, suffix: str, text: str) -> None:
        self._write(key, suffix, lambda tmp: tmp.write_text(text, encoding="utf-8"))

    def _write(self, key: str, suffix: str, write: Callable[[Path], object]) -> None:
        dest = self.path(key, suffix)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.{time.monotonic_ns()}.tmp")
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            write(tmp)
            size = tmp.stat().st_size
            os.replace(tmp, dest)
            self._stored += size
        except OSError as exc:
            # a full disk or a read-only cache costs speed next time, never this episode
            log.warning("could not write to the segment cache (%s): %s", self.root, exc)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _files(self) -> Iterator[os.DirEntry[str]]:
        try:
            shards = list(os.scandir(self.root))
        except FileNotFoundError:
            return
        for shard in shards:
            if not shard.is_dir(follow_symlinks=False):
                continue
            with contextlib.suppress(FileNotFoundError):
                for entry in os.scandir(shard.path):
                    if entry.is_file(follow_symlinks=False) and not entry.name.startswith("."):
                        yield entry

    def info(self) -> CacheInfo:
        entries = 0
        size = 0
        for entry in self._files():
            with contextlib.suppress(FileNotFoundError):
                size += entry.stat().st_size
                entries += 1
        return CacheInfo(self.root, entries, size, self.max_bytes)

    @property
    def _ledger(self) -> Path:
        return self.root / ".size"

    def trim(self) -> int:
        """Evict least-recently-used files until the cache is under its cap; return how many.

        The folder is scanned (~20 ms per thousand files, on every run's critical path)
        only when it may be over the cap: the ledger holds the total the last scan found
        plus what runs have stored since. Concurrent runs may each miss the other's
        additions: the cache then overshoots by a run's worth until the next scan.
        """
        try:
            known: int | None = int(self._ledger.read_text(encoding="ascii"))
        except (OSError, ValueError):
            known = None
        if known is not None and known + self._stored <= self.max_bytes:
            if self._stored:
                self._write_ledger(known + self._stored)
            return 0
        listed: list[tuple[float, int, str]] = []
        total = 0
        for entry in self._files():
            with contextlib.suppress(FileNotFoundError):
                st = entry.stat()
                listed.append((st.st_mtime, st.st_size, entry.path))
                total += st.st_size
        removed = 0
        if total > self.max_bytes:
            goal = self.max_bytes * TRIM_TO
            for _, size, path in sorted(listed):
                if total <= goal:
                    break
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)  # a concurrent reader's hard link keeps its own copy alive
                    removed += 1
                total -= size
        self._write_ledger(total)
        return removed

    def _write_ledger(self, total: int) -> None:
        self._stored = 0
        with contextlib.suppress(OSError):  # no ledger: the next trim scans
            paths.atomic_write(self._ledger, str(total))

    def clear(self) -> int:
        """Delete every cached file; return how many there were."""
        count = 0
        for entry in self._files():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(entry.path)
                count += 1
        with contextlib.suppress(OSError):
            self._ledger.unlink()
        return count

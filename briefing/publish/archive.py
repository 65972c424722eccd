"""The output/ archive: episodes found by their .json manifests, latest.mp3, the M3U, retention."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from briefing.errors import OutputError
from briefing.models import Chapter
from briefing.paths import TEMP_PREFIX, atomic_write
from briefing.publish import manifest
from briefing.publish.files import DAY_DIR, SIDECARS, STAGING_PREFIX, owner_alive
from briefing.publish.manifest import SpokenLine

log = logging.getLogger(__name__)

PLAYLIST = "archive.m3u"
LATEST = "latest.mp3"


@dataclass(frozen=True)
class ArchivedEpisode:
    """One finished episode on disk, as its manifest describes it."""

    mp3: Path
    manifest: Path
    relpath: str  # the MP3's path under the output dir, with forward slashes: "2026-01-02/x.mp3"
    date: str
    title: str
    show: str
    language: str
    duration_ms: int
    size: int  # bytes of the MP3: the feed's enclosure length must be exact
    mtime: float
    sources: tuple[str, ...]
    chapters: tuple[Chapter, ...]
    segments: tuple[tuple[str, int, int], ...]  # (text, start_ms, end_ms) per spoken line
    lines: tuple[SpokenLine, ...] = ()  # the same lines with who said them and what they are
    made: str = ""  # ISO 8601 with offset, when the manifest says
    number: int = 0  # the manifest's episode number; 0 for episodes made before numbers

    def sidecar(self, suffix: str) -> Path:
        return self.mp3.with_name(self.mp3.stem + suffix)

    def sidecar_relpath(self, suffix: str) -> str:
        return self.relpath[: -len(".mp3")] + suffix

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date)


def scan(output_dir: Path) -> tuple[ArchivedEpisode, ...]:
    """Every complete episode under output_dir/YYYY-MM-DD/, newest first.

    Complete means the manifest and the MP3 are both there: render() moves the MP3 in
    last, so a run killed half-way never shows up here. Unreadable manifests are skipped
    with a warning rather than failing the whole archive.
    """
    found: list[ArchivedEpisode] = []
    if not output_dir.is_dir():
        return ()
    for day in sorted(output_dir.iterdir()):
        if not (day.is_dir() and DAY_DIR.match(day.name)):
            continue
        for path in sorted(day.glob("*.json")):
            if path.name.endswith(".chapters.json") or path.name.startswith("."):
                continue
            mp3 = path.with_suffix(".mp3")
            if not mp3.is_file():
                continue
            episode = _read(path, mp3, output_dir)
            if episode is not None:
                found.append(episode)
    found.sort(key=lambda e: (e.date, e.mtime, e.relpath), reverse=True)
    return tuple(found)


def _read(path: Path, mp3: Path, output_dir: Path) -> ArchivedEpisode | None:
    try:
        found = manifest.loads(path.read_text(encoding="utf-8"), fallback_title=mp3.stem,
                               fallback_date=path.parent.name)
        stat = mp3.stat()
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("skipping %s: unreadable manifest (%s)", path, exc)
        return None
    return ArchivedEpisode(
        mp3=mp3, manifest=path, relpath=mp3.relative_to(output_dir).as_posix(),
        date=found.date, title=found.title, show=found.show, language=found.language,
        duration_ms=found.duration_ms, size=stat.st_size, mtime=stat.st_mtime,
        sources=found.sources, chapters=found.chapters,
        segments=tuple((ln.text, ln.start_ms, ln.end_ms) for ln in found.lines),
        lines=found.lines, made=found.made, number=found.number,
    )


def numbers(episodes: Iterable[ArchivedEpisode]) -> dict[str, int]:
    """itunes:episode for each episode (by relpath): the number its manifest was given, or,
    for an episode from before numbering, its place in the archive, oldest first."""
    ordered = sorted(episodes, key=lambda e: (e.date, e.mtime, e.relpath))
    return {e.relpath: e.number or place for place, e in enumerate(ordered, 1)}


def next_number(mp3: Path) -> int:
    """The number an episode about to land at `mp3` gets: the one it replaces keeps its
    number, else one more than the archive's highest; 0 outside a dated archive folder."""
    if not DAY_DIR.match(mp3.parent.name):
        return 0
    root = mp3.parent.parent
    found = numbers(scan(root))
    relpath = mp3.relative_to(root).as_posix()
    return found.get(relpath) or max(found.values(), default=0) + 1


# What may sit at the top of an archive folder besides the dated folders and episodes:
# the files `daily` writes (feed, page, playlist, latest, cover) and the README that the
# repository's own output/ keeps.
ARCHIVE_FILES = frozenset({"feed.xml", "index.html", PLAYLIST, LATEST, "cover.png", "cover.jpg",
                           "README.md"})


def check_archive_folder(output_dir: Path) -> None:
    """Refuse a folder that holds anything but episodes and archive files.

    The archive's folder is swept, pruned and served: `output_dir = "/"` or "~" would
    publish or delete what is not ours. A folder that does not exist yet is fine.
    """
    try:
        entries = list(output_dir.iterdir())
    except FileNotFoundError:
        return
    except OSError as exc:  # a file, or under one; unreadable
        raise OutputError(f"cannot write to output_dir {output_dir}: {exc.strerror}; "
                          "give a folder of its own") from None
    names = {p.name for p in entries}
    for entry in sorted(entries):
        name = entry.name
        if name.startswith(".") or name in ARCHIVE_FILES:
            continue
        if DAY_DIR.match(name) and entry.is_dir():
            continue
        stem = next((name[: -len(s)] for s in (*SIDECARS, ".mp3") if name.endswith(s)), None)
        if stem and entry.is_file() and (f"{stem}.mp3" in names or f"{stem}.json" in names):
            continue  # an episode made with `make -o` into the folder itself
        raise OutputError(
            f"output_dir {output_dir} already holds {name!r}, which briefing did not make: "
            "give the archive a folder of its own (a new or empty one)")


def on_day(episodes: Iterable[ArchivedEpisode], day: dt.date) -> list[ArchivedEpisode]:
    return [e for e in episodes if e.date == day.isoformat()]


def expired(
    episodes: Iterable[ArchivedEpisode], today: dt.date, retention_days: int
) -> list[ArchivedEpisode]:
    """Episodes dated more than retention_days before today; retention_days 0 keeps everything."""
    if retention_days <= 0:
        return []
    oldest_kept = today - dt.timedelta(days=retention_days)
    return [e for e in episodes if e.day < oldest_kept]


def remove(episode: ArchivedEpisode) -> None:
    """Delete an episode, manifest first: a crash half-way leaves it invisible, not broken."""
    for path in (episode.manifest, episode.mp3, *(episode.sidecar(s) for s in SIDECARS)):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise OutputError(f"cannot remove old episode file {path}: {exc.strerror}") from None
    with contextlib.suppress(OSError):  # only when the day holds nothing else
        episode.mp3.parent.rmdir()


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write an archive file whole or not at all, and durably; OutputError names the file."""
    try:
        atomic_write(path, data, durable=True)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror}") from None


def sweep(output_dir: Path) -> None:
    """Remove what killed runs left: staging folders (of dead runs only) and half-written
    temp files (the archive lock keeps other writers of the archive files out)."""
    if not output_dir.is_dir():
        return
    dirs = [output_dir, *(d for d in output_dir.iterdir() if d.is_dir() and DAY_DIR.match(d.name))]
    for folder in dirs:
        for leftover in folder.iterdir():
            if (leftover.name.startswith(STAGING_PREFIX) and leftover.is_dir()
                    and not owner_alive(leftover.name)):
                shutil.rmtree(leftover, ignore_errors=True)
            elif leftover.name.startswith(TEMP_PREFIX):
                leftover.unlink(missing_ok=True)
        if folder is not output_dir:
            with contextlib.suppress(OSError):  # a day folder a killed run never filled
                folder.rmdir()


def update_latest(output_dir: Path, episodes: Sequence[ArchivedEpisode]) -> None:
    """output/latest.mp3 is the newest episode: a hard link (no extra space), else a copy."""
    target = output_dir / LATEST
    if not episodes:
        target.unlink(missing_ok=True)
        return
    newest = episodes[0].mp3
    with contextlib.suppress(OSError):
        if target.samefile(newest):
            return  # and rename() between two links of one file would do nothing at all
    tmp = output_dir / f"{TEMP_PREFIX}latest-{os.getpid()}.mp3"
    tmp.unlink(missing_ok=True)
    try:
        try:
            os.link(newest, tmp)
        except OSError:  # file systems without hard links (some FAT/SMB mounts)
            shutil.copyfile(newest, tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot update {target}: {exc.strerror}") from None
    finally:
        tmp.unlink(missing_ok=True)


def playlist(episodes: Sequence[ArchivedEpisode]) -> str:
    """An extended M3U of the archive, newest first, with paths relative to the output dir."""
    lines = ["#EXTM3U", "#PLAYLIST:" + (episodes[0].show if episodes else "Briefing")]
    for e in episodes:
        title = e.title.replace("\n", " ").replace(",", " ")
        lines.append(f"#EXTINF:{round(e.duration_ms / 1000)},{title}")
        lines.append(e.relpath)
    return "\n".join(lines) + "\n"


def write_playlist(output_dir: Path, episodes: Sequence[ArchivedEpisode]) -> Path:
    path = output_dir / PLAYLIST
    write_atomic(path, playlist(episodes))
    return path

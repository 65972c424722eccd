"""Safe names and atomic writes: an episode appears whole at its destination or not at all."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from briefing.errors import DestinationError, OutputError

SLUG_MAX = 60  # long enough to recognise a story, short enough for every file system and player
STAGING_PREFIX = ".briefing-tmp-"  # leftovers of killed runs carry this, so the next run can sweep
DAY_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")  # output/YYYY-MM-DD/: one folder per day
# What one episode is on disk, beside SLUG.mp3; the MP3 is committed last.
SIDECARS = (".txt", ".vtt", ".srt", ".chapters.json", ".json")
MANIFEST_KEYS = {"title", "show", "date", "duration_ms", "segments"}  # what makes ours ours
MAX_NUMBERED = 999  # SLUG-2 ... SLUG-999: more episodes of one name a day is a runaway loop


def slugify(text: str, fallback: str = "briefing") -> str:
    """A short, safe file name stem: ASCII letters, digits and dashes, never '..' or empty."""
    text = re.sub(r"['’]", "", text)  # "China’s" -> "chinas", not "china-s"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0] or slug[:SLUG_MAX]
    return slug or fallback


def inside(base: Path, path: Path) -> Path:
    """`path` resolved, refusing anything that would land outside `base`."""
    base_r = base.resolve()
    path_r = path.resolve()
    if path_r != base_r and base_r not in path_r.parents:
        raise OutputError(f"refusing to write outside {base}: {path}")
    return path_r


# --- which files an episode is, and whether they may be replaced --------------------------------


def episode_files(mp3: Path) -> dict[str, Path]:
    """Suffix -> path of every file of the episode whose MP3 is `mp3` (the MP3 last)."""
    stem = mp3.with_suffix("")
    files = {suffix: stem.with_name(stem.name + suffix) for suffix in SIDECARS}
    files[".mp3"] = mp3
    return files


def archive_root(mp3: Path) -> Path:
    """The output folder an episode belongs to: the dated folder's parent, else its own folder."""
    folder = mp3.parent
    return folder.parent if DAY_DIR.match(folder.name) else folder


def from_briefing(mp3: Path) -> bool:
    """Whether the files at `mp3`'s names are an earlier briefing's: its manifest says so."""
    manifest = episode_files(mp3)[".json"]
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and set(data) >= MANIFEST_KEYS


def claim(mp3: Path, *, inputs: Sequence[Path] = (), force: bool = False) -> None:
    """Refuse, naming the file, to write an episode at `mp3` where that would replace an
    input, a folder, or (unless `force`) a file that is not from an earlier briefing."""
    if mp3.suffix.lower() != ".mp3":
        raise DestinationError(f"the output must end in .mp3: {mp3}")
    ours = from_briefing(mp3)
    for suffix, path in episode_files(mp3).items():
        if path.is_dir():
            what = "the MP3" if suffix == ".mp3" else f"its {suffix} file"
            raise DestinationError(f"{path} is a folder, and the episode's {what} would go "
                                   "there: choose another name with -o")
        if not path.exists():
            continue
        if any(_same(path, source) for source in inputs):
            raise DestinationError(f"{path} is one of this run's sources: writing the episode "
                                   "would replace it; choose another name with -o")
        if not ours and not force:
            raise DestinationError(f"{path} exists and is not from an earlier briefing: "
                                   "choose another name with -o, or add --force to replace it")


def free_name(mp3: Path, *, inputs: Sequence[Path] = (), reuse: bool = False) -> Path:
    """`mp3`, or SLUG-2.mp3, SLUG-3.mp3...: the first name none of whose files exist.

    `reuse` takes `mp3` itself when it is an earlier briefing (a forced remake of the day).
    """
    if reuse and from_briefing(mp3) and not any(
            _same(p, s) for p in episode_files(mp3).values() for s in inputs):
        return mp3
    for n in range(1, MAX_NUMBERED + 1):
        name = mp3 if n == 1 else mp3.with_name(f"{mp3.stem}-{n}{mp3.suffix}")
        if not any(p.exists() or p.is_symlink() for p in episode_files(name).values()):
            return name
    raise DestinationError(f"{mp3.parent} already holds {MAX_NUMBERED} episodes named "
                           f"{mp3.stem}: give a name with -o, or a --title")


def _same(path: Path, other: Path) -> bool:
    try:
        return path.samefile(other)
    except OSError:
        return False


def check_parent(mp3: Path) -> None:
    """An -o path may add one missing folder under an existing one, not a whole tree."""
    folder = mp3.parent
    if folder.is_dir() or folder.parent.is_dir():
        return
    raise DestinationError(f"cannot write {mp3}: the folder {folder.parent} does not exist: "
                           "create it first, or choose another place with -o")


# --- staging beside the destination, and sweeping what dead runs left --------------------------


def _start_ticks(pid: int) -> str:
    """When process `pid` started, in clock ticks since boot (Linux); "0" where unknown.

    With the pid it names one process for good: a pid alone is reused after the owner dies.
    """
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[19]  # field 22, starttime
    except (OSError, IndexError):
        return "0"


def owner_alive(name: str) -> bool:
    """Whether the run that made the staging folder `name` is still running.

    Names carry the owner's pid and start time (.briefing-tmp-PID-START-xxxx); a name
    without them is an older version's leftover, which no running version can own.
    """
    match = re.match(re.escape(STAGING_PREFIX) + r"(\d+)-(\d+)-", name)
    if not match:
        return False
    pid, start = int(match.group(1)), match.group(2)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, another user's
    return start == "0" or _start_ticks(pid) in (start, "0")


@contextmanager
def staging(dest_dir: Path) -> Iterator[Path]:
    """A temporary folder beside the destination (same file system, so renames are atomic)."""
    # Folders made here are removed again if nothing landed in them: a failed run must
    # leave the output dir as it was, not with an empty dated folder in it.
    created = [d for d in (dest_dir, *dest_dir.parents) if not d.exists()]
    pid = os.getpid()
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{pid}-{_start_ticks(pid)}-",
                                    dir=dest_dir))
    except OSError as exc:
        _remove_empty(created)
        raise OutputError(
            f"cannot write to {dest_dir}: {exc.strerror}; choose another place with -o"
        ) from None
    try:
        yield tmp
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        _remove_empty(created)


def _remove_empty(folders: list[Path]) -> None:
    """rmdir each folder, deepest first, stopping at the first that is not empty."""
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def sweep_staging(dest_dir: Path) -> None:
    """Remove the staging folders of runs that died; a live run's folder is left alone."""
    if dest_dir.is_dir():
        for leftover in dest_dir.glob(STAGING_PREFIX + "*"):
            if leftover.is_dir() and not owner_alive(leftover.name):
                shutil.rmtree(leftover, ignore_errors=True)


# --- the commit: every file of the episode, or none --------------------------------------------


def commit(files: Mapping[Path, Path], backup_dir: Path) -> None:
    """Move staged files into place, all or none; the MP3 should come last so it never
    appears half-described.

    Each move is an atomic rename within one file system. A file being replaced is first
    linked (or copied) into `backup_dir`, so a failure half-way, or a signal, puts every
    earlier file back; the OutputError names the file that could not be written.
    """
    placed: list[tuple[Path, Path | None]] = []  # (final, its backup or None if it was new)
    try:
        for n, (staged, final) in enumerate(files.items()):
            if final.is_dir():
                raise OutputError(f"cannot write {final}: it is a folder; "
                                  "choose another name with -o")
            backup = None
            if final.exists():
                backup = backup_dir / f".old-{n}-{final.name}"
                _keep(final, backup)
            os.replace(staged, final)
            placed.append((final, backup))
    except OSError as exc:
        _undo(placed)
        where = exc.filename if exc.filename else "the episode's files"
        raise OutputError(f"cannot write {where}: {exc.strerror}; nothing was changed; "
                          "free the name or choose another with -o") from None
    except BaseException:  # an OutputError above, Ctrl-C, SIGTERM: leave things as they were
        _undo(placed)
        raise


def _keep(final: Path, backup: Path) -> None:
    try:
        os.link(final, backup)  # the old file's data, kept without a copy
    except OSError:
        shutil.copy2(final, backup)  # file systems without hard links


def _undo(placed: list[tuple[Path, Path | None]]) -> None:
    for final, backup in reversed(placed):
        with contextlib.suppress(OSError):
            if backup is None:
                final.unlink()
            else:
                os.replace(backup, final)

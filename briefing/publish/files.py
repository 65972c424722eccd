"""Safe names and atomic writes: an episode appears whole at its destination or not at all."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from briefing.errors import OutputError

SLUG_MAX = 60  # long enough to recognise a story, short enough for every file system and player
STAGING_PREFIX = ".briefing-tmp-"  # leftovers of killed runs carry this, so the next run can sweep


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


@contextmanager
def staging(dest_dir: Path) -> Iterator[Path]:
    """A temporary folder beside the destination (same file system, so renames are atomic)."""
    # Folders made here are removed again if nothing landed in them: a failed run must
    # leave the output dir as it was, not with an empty dated folder in it.
    created = [d for d in (dest_dir, *dest_dir.parents) if not d.exists()]
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=dest_dir))
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
    """Remove what killed runs left behind (their staging folders)."""
    if dest_dir.is_dir():
        for leftover in dest_dir.glob(STAGING_PREFIX + "*"):
            shutil.rmtree(leftover, ignore_errors=True)


def commit(files: Mapping[Path, Path]) -> None:
    """Move staged files into place; the MP3 should come last so it never appears half-described.

    Each move is an atomic rename within one file system.
    """
    try:
        for staged, final in files.items():
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
    except OSError as exc:
        raise OutputError(f"cannot move the episode into place: {exc.strerror}") from None

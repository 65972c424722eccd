"""A worker's episode into its archive on the client: staged beside it, renamed in, MP3 last."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefing.batch.work import Built
from briefing.errors import OutputError
from briefing.publish import files


def commit(built: Built, output_dir: Path, date: str, *, force: bool = False) -> Path:
    """Write the returned files into output_dir/DATE/ atomically; returns the MP3's path.

    Each file is written into a staging folder on the archive's file system first, then
    renamed into place, the MP3 last: the archive's scan (which needs the manifest and the
    MP3) sees the episode whole or not at all, however the client is stopped. The name is
    settled under the archive's lock, as `make` settles it: a taken name becomes SLUG-2
    (`force` reuses an earlier briefing's name), and nothing that is not a briefing's is
    replaced.
    """
    from briefing.lock import archive_lock

    day_dir = output_dir / date
    stem = Path(built.mp3_name).stem
    for name, _ in built.files:
        if Path(name).name != name or name.startswith(".") or not name.startswith(stem):
            raise OutputError(f"a worker sent an unsafe file name {name!r}: check that "
                              "every worker runs this version of briefing")
    with files.staging(day_dir) as tmp, archive_lock(output_dir):
        dest = files.free_name(files.inside(output_dir, day_dir / built.mp3_name), reuse=force)
        staged: dict[Path, Path] = {}
        for name, data in built.files:
            (tmp / name).write_bytes(data)
            staged[tmp / name] = dest.with_name(dest.stem + name[len(stem):])
        # the MP3 last: it appears only when everything beside it is in place
        ordered = dict(sorted(staged.items(), key=lambda kv: kv[1].suffix == ".mp3"))
        files.commit(ordered, backup_dir=tmp)
    return dest


@contextmanager
def uninterrupted() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done (an episode's renames and its archive's
    rewrite take well under a second), then act as they would have."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum))
                for sig in held}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for signum in caught[:1]:
            signal.raise_signal(signum)

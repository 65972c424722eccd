"""Where briefing keeps its config, cache and state; BRIEFING_HOME moves them all (tests use it)."""

from __future__ import annotations

import os
from pathlib import Path

APP = "briefing"


def _home() -> Path | None:
    home = os.environ.get("BRIEFING_HOME")
    return Path(home) if home else None


def config_dir() -> Path:
    home = _home()
    if home:
        return home / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP))


def cache_dir() -> Path:
    home = _home()
    if home:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP))


def state_dir() -> Path:
    home = _home()
    if home:
        return home / "state"
    import platformdirs

    return Path(platformdirs.user_state_dir(APP))


def keep_in_cache(path: Path, data: bytes) -> None:
    """Write something derived into the cache folder, atomically; failing only costs a redo.

    A temporary name per process, then a rename: concurrent runs never read half a file.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass  # a cache that cannot be written is made again next time

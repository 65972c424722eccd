"""Where briefing keeps its config, cache and state; BRIEFING_HOME moves them all (tests use it)."""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

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


def temp_dir() -> Path:
    """The temporary folder speech and audio work use; TempDirError when there is none.

    Python looks in $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp and the current folder,
    and finding none writable raises a bare FileNotFoundError from deep inside a stage.
    """
    from briefing.errors import TempDirError

    try:
        return Path(tempfile.gettempdir())
    except FileNotFoundError:
        tried = os.environ.get("TMPDIR") or "/tmp"
        raise TempDirError(
            f"no writable temporary folder (tried {tried}, /var/tmp, /usr/tmp and the current "
            "folder): set TMPDIR to a folder you can write to") from None


TEMP_PREFIX = ".briefing-part-"  # our atomic-write temp files; a killed run's are swept


def atomic_write(path: Path, data: bytes | str, *, durable: bool = False) -> None:
    """Write `path` whole or not at all: a temp file beside it, then a rename.

    Readers (a podcast app, a parallel run) see the old file or the new one, never half.
    `durable` also fsyncs before the rename, for what a crash must not lose (the feed,
    the history). The file is 0644, whatever the umask gives a temp file: a web server or
    player must read it. Raises OSError; the temp file never stays behind.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in `path`; {} when it is missing, unreadable, damaged or not an object
    (what briefing keeps in its cache and state folders is only a redo away)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def keep_in_cache(path: Path, data: bytes | str) -> None:
    """Write something derived into the cache folder, atomically; failing only costs a redo."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError:
        pass  # a cache that cannot be written is made again next time


_VARIABLE = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


def expand_path(value: str, base: Path | None, env: Mapping[str, str]) -> str:
    """A path as the user meant it: `~` and $VARIABLES expanded, then made absolute.

    A relative path is taken from `base` (the folder of the config file it was written in),
    or from the current folder when it came from a flag or the environment (`base` None).
    KeyError names a variable that is not set: a path with a literal `$HOME` in it would
    quietly make a folder of that name.
    """

    def variable(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name not in env:
            raise KeyError(name)
        return env[name]

    text = _VARIABLE.sub(variable, value)
    if text == "~" or text.startswith("~/"):
        home = env.get("HOME") or str(Path.home())
        text = home + text[1:]
    else:
        text = os.path.expanduser(text)  # ~user/...
    path = Path(text)
    if not path.is_absolute():
        path = (base or Path.cwd()) / path
    return os.path.normpath(path)


def data_dir() -> Path:
    """The user's data folder ($XDG_DATA_HOME/briefing): installed voices live here."""
    home = _home()
    if home:
        return home / "data"
    import platformdirs

    return Path(platformdirs.user_data_dir(APP))


# Every source is read through one cap: a long article is ~100 kB of text, a saved page
# ~2 MB; /dev/zero or a pipe of junk must not fill the memory. Here, not in sources/, so
# that `render` reads its script without importing the extractors (~0.1 s).
MAX_FILE_BYTES = 5 * 1024 * 1024


def too_big(source: str, size: int) -> str:
    mb = MAX_FILE_BYTES / (1024 * 1024)
    return (f"{source}: {size / (1024 * 1024):.1f} MB is over the {mb:g} MB limit for one "
            "source: give the article alone, not a dump")


def read_capped(stream: BinaryIO, name: str) -> bytes:
    """All of `stream` up to MAX_FILE_BYTES; SourceError for more (/dev/zero, a pipe of junk)."""
    from briefing.errors import SourceError

    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(too_big(name, len(data)))
    return bytes(data)

"""Playing an episode with the system's player: `briefing open`, `briefing make --play`."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from briefing.errors import PlayerError

PLAYER_ENV = "BRIEFING_PLAYER"  # a command line; the episode's path is added at the end
# Players that play a file and exit, in the order they are tried; the desktop's opener last,
# since it hands the file to whatever the desktop chose and returns at once.
PLAYERS: tuple[tuple[str, ...], ...] = (
    ("ffplay", "-nodisp", "-autoexit", "-loglevel", "error"),
    ("mpv", "--no-video", "--really-quiet"),
    ("vlc", "--intf", "dummy", "--play-and-exit"),
    ("afplay",),  # macOS
    ("xdg-open",),
    ("open",),  # macOS
)


def find_player() -> list[str] | None:
    """The command to play a file with: $BRIEFING_PLAYER, else the first player on PATH."""
    chosen = os.environ.get(PLAYER_ENV, "").strip()
    if chosen:
        return shlex.split(chosen)
    for command in PLAYERS:
        if sys.platform != "darwin" and command[0] == "open":
            continue  # on Linux `open` is openvt, not a file opener
        exe = shutil.which(command[0])
        if exe:
            return [exe, *command[1:]]
    return None


def play(mp3: Path) -> list[str]:
    """Play `mp3` and wait for the player; the command used. PlayerError says what to do."""
    command = find_player()
    names = ", ".join(c[0] for c in PLAYERS if c[0] != "open" or sys.platform == "darwin")
    if command is None:
        raise PlayerError(f"no audio player found (looked for {names}): install one, or set "
                          f"{PLAYER_ENV}; the episode is {mp3}")
    try:
        result = subprocess.run([*command, str(mp3)], stdin=subprocess.DEVNULL, check=False)
    except OSError as exc:
        raise PlayerError(f"cannot run the player {command[0]} ({exc.strerror}): check "
                          f"{PLAYER_ENV}; the episode is {mp3}") from None
    if result.returncode != 0:
        raise PlayerError(f"the player {command[0]} exited with code {result.returncode}; "
                          f"the episode is {mp3}")
    return command

"""`briefing open`, and `--play` after make and render: the episode in the system's player."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from briefing.cli.options import CONTEXT, setting, with_examples

log = logging.getLogger("briefing.cli")


@click.command("open", context_settings=CONTEXT,
               short_help="Play an episode (the newest by default).")
@click.argument("episode", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file (for output_dir).")
@setting("--output-dir", envvar="BRIEFING_OUTPUT_DIR", help="Folder of dated episodes.")
def open_episode(episode: Path | None, config_path: str | None, output_dir: str | None) -> None:
    """Play EPISODE, or the newest episode in the output folder, with the system's player.

    The player is $BRIEFING_PLAYER if set, else the first of ffplay, mpv, vlc or xdg-open
    that is installed.
    """
    from briefing.config import load_config
    from briefing.errors import OutputError
    from briefing.player import play
    from briefing.publish import archive

    if episode is None:
        config = load_config(config_path, overrides={"output_dir": output_dir})
        found = archive.scan(Path(config.output_dir))
        if not found:
            raise OutputError(f"no episode in {config.output_dir} yet: make one with "
                              "`briefing make`, or give the MP3 to play")
        episode = found[0].mp3
    elif not episode.is_file():
        raise OutputError(f"{episode}: no such file: give the path of an MP3")
    click.echo(str(episode))
    play(episode)


with_examples(
    open_episode,
    "briefing open",
    "briefing open output/2026-11-28/morning-briefing.mp3",
    "BRIEFING_PLAYER='mpv --speed=1.25' briefing open",
)


def play_made(mp3: Path) -> None:
    """--play: the episode is made either way, so a missing player is a warning, not an error."""
    from briefing.errors import PlayerError
    from briefing.player import play

    try:
        play(mp3)
    except PlayerError as exc:
        log.warning("%s", exc)

"""The scheduled side of the CLI: `briefing init`, `briefing daily`, `briefing serve`."""

from __future__ import annotations

import logging
import sys
from importlib import resources
from pathlib import Path
from typing import Any

import click

from briefing.cli.options import CONTEXT, progress, quiet, with_examples
from briefing.cli.report import collected_warnings, daily_json, print_json


@click.command(context_settings=CONTEXT, short_help="Write a commented starter config file.")
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--force", is_flag=True, help="Overwrite an existing file.")
def init(path: Path | None, force: bool) -> None:
    """Write a commented starter config to PATH [default: the user config file]."""
    from briefing.config import default_config_path
    from briefing.errors import OutputError
    from briefing.publish.archive import write_atomic

    target = path or default_config_path()
    if target.exists() and not force:
        raise OutputError(f"{target} already exists: edit it, or add --force to replace it")
    text = resources.files("briefing").joinpath("data/briefing.toml").read_text("utf-8")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create {target.parent}: {exc.strerror}") from None
    write_atomic(target, text)
    click.echo(str(target))
    if not quiet():
        click.echo("Edit its [[sources]], then run: briefing daily --config "
                   f"{click.format_filename(str(target))}", err=True)


@click.command(context_settings=CONTEXT,
               short_help="Make today's episode once, unattended; refresh the feed.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file [default: the user config].")
@click.option("--date", "date_", type=click.DateTime(["%Y-%m-%d"]), default=None,
              metavar="YYYY-MM-DD", help="Make this day's episode instead of today's (back-fill).")
@click.option("-f", "--force", is_flag=True,
              help="Remake the day's episode if it exists; allow a --date ahead.")
@click.option("--offline", is_flag=True, default=None, envvar="BRIEFING_OFFLINE",
              help="Never fetch: feed items' own text only.")
@click.option("-w", "--wait", is_flag=True, envvar="BRIEFING_WAIT",
              help="If another run is going, wait for it instead of exiting.")
@click.option("-e", "--engine", default=None,
              help="Speech engine: pyttsx3 (default), espeak-ng, piper, kokoro.")
@click.option("--json", "as_json", is_flag=True,
              help="Print what the run did as JSON (see the README's schema).")
def daily(config_path: str | None, date_: Any, force: bool, offline: bool | None,
          wait: bool, engine: str | None, as_json: bool) -> None:
    """Make today's episode from the configured sources, once; refresh feed and archive.

    \b
    Exit codes: 0 made, or nothing to do (already made, or nothing new);
                1 failed (or another run holds the lock); 2 usage;
                130/143 interrupted (SIGINT/SIGTERM), temporary files removed.
    """
    from briefing.config import load_config
    from briefing.daily import log_to_file, run_daily
    from briefing.signals import Terminated

    config = load_config(config_path, overrides={"offline": True if offline else None,
                                                 "engine": engine})
    is_quiet = quiet()
    with log_to_file() as log_path, collected_warnings() as warnings:
        try:
            result = run_daily(config, date=date_.date() if date_ else None, force=force,
                               wait=wait, progress=progress(is_quiet))
        except (Terminated, KeyboardInterrupt):
            # the group prints it and exits 130/143; the log file should know too
            logging.getLogger("briefing").warning("stopped; temporary files removed")
            raise
    day = result.date.isoformat()
    if as_json:
        print_json(daily_json(result, result.plan.script if result.plan else None,
                              asked_minutes=config.minutes, warnings=warnings))
    if result.status == "exists":
        if not is_quiet:
            click.echo(f"{day} already has an episode; nothing to do (use --force to remake "
                       "it).", err=True)
        for mp3 in () if as_json else result.existing:
            click.echo(str(mp3))
    elif result.status == "nothing-new":
        if not is_quiet:
            click.echo(f"Nothing new for {day}: all {result.skipped} stories were already "
                       "spoken; no episode made.", err=True)
    else:
        assert result.episode is not None
        if not is_quiet:
            minutes, seconds = divmod(round(result.episode.duration_ms / 1000), 60)
            skipped = f", {result.skipped} repeated stories skipped" if result.skipped else ""
            click.echo(f"Made {day}: {minutes}:{seconds:02d} of audio{skipped}. "
                       f"Log: {log_path}", err=True)
        if not as_json:
            click.echo(str(result.episode.mp3))
    if result.removed and not is_quiet:
        click.echo(f"Removed {len(result.removed)} old episode(s): {', '.join(result.removed)}",
                   err=True)


@click.command(context_settings=CONTEXT,
               short_help="Serve the archive page, feed and episodes over HTTP.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file (for output_dir and title).")
@click.option("-d", "--output-dir", type=click.Path(file_okay=False), envvar="BRIEFING_OUTPUT_DIR",
              default=None, help="Folder to serve [default: the config's output_dir].")
@click.option("--host", default="127.0.0.1", envvar="BRIEFING_SERVE_HOST", show_default=True,
              help="Address to listen on; 0.0.0.0 to let phones on the LAN subscribe.")
@click.option("-p", "--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              envvar="BRIEFING_SERVE_PORT", help="Port (0 picks a free one).")
def serve(config_path: str | None, output_dir: str | None, host: str, port: int) -> None:
    """Serve the archive (index.html, feed.xml, MP3s with range requests) over HTTP.

    feed.xml and the page link to the address each client used, so a phone on the LAN
    can subscribe (with --host 0.0.0.0 a QR code of the feed's address is printed);
    public_url in the config overrides that.
    """
    from briefing.config import load_config
    from briefing.publish.feed import FEED, url_for
    from briefing.publish.qr import terminal
    from briefing.serve import lan_address, make_server

    config = load_config(config_path, overrides={"output_dir": output_dir})
    root = Path(config.output_dir)
    server = make_server(root, host, port, config=config)
    bound_host, bound_port = str(server.server_address[0]), int(server.server_address[1])
    shown = "localhost" if bound_host in ("127.0.0.1", "::1") else bound_host
    if ":" in shown:
        shown = f"[{shown}]"
    click.echo(f"Serving {root} at http://{shown}:{bound_port}/ "
               f"(feed: http://{shown}:{bound_port}/{FEED}); Ctrl-C stops.", err=True)
    lan = lan_address(bound_host)
    if config.public_url:
        click.echo(f"Feed links use public_url: {url_for(config.public_url, FEED)}", err=True)
    if lan:
        host_part = f"[{lan}]" if ":" in lan else lan
        feed = url_for(config.public_url or f"http://{host_part}:{bound_port}/", FEED)
        click.echo(f"Subscribe from a phone on this network: {feed}\n"
                   "(point the phone's camera at this code)", err=True)
        terminal(feed, sys.stderr, colours=sys.stderr.isatty())
    if bound_host in ("0.0.0.0", "::"):
        click.echo("Listening on every interface: anyone on this network can listen in.",
                   err=True)
    sys.stderr.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)
    finally:
        server.server_close()


with_examples(
    init,
    "briefing init",
    "briefing init ./briefing.toml --force",
)
with_examples(
    daily,
    "briefing daily --config ~/.config/briefing/briefing.toml",
    "briefing daily --date 2026-11-27   # back-fill a day",
    "briefing daily --wait --json -q     # from a scheduler",
)
with_examples(
    serve,
    "briefing serve",
    "briefing serve --host 0.0.0.0 --port 8080   # let phones on the LAN subscribe",
)

"""The `briefing` command: parse options, call the library, turn errors into exit codes."""

from __future__ import annotations

import errno
import logging
import sys
from typing import Any

import click

from briefing import __version__
from briefing.cli.options import CONTEXT
from briefing.errors import BriefingError

DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # EFBIG: a file-size limit (ulimit -f)


class BriefingGroup(click.Group):
    """Runs commands so that library errors become one line on stderr and exit code 1."""

    def invoke(self, ctx: click.Context) -> Any:
        from briefing.signals import Terminated, terminate_on_sigterm

        try:
            # SIGTERM unwinds like Ctrl-C, so staging folders and workers are cleaned up
            with terminate_on_sigterm():
                return super().invoke(ctx)
        except BriefingError as exc:
            if ctx.params.get("debug"):
                raise
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            # A full disk can strike any write, in any stage: say so in one line.
            if ctx.params.get("debug") or exc.errno not in DISK_FULL:
                raise
            where = f" writing {exc.filename}" if exc.filename else ""
            raise click.ClickException(
                f"{exc.strerror}{where}: free some disk space (or lift the file-size limit) "
                "and run again"
            ) from None
        except KeyboardInterrupt:
            click.echo("Interrupted.", err=True)
            sys.exit(130)
        except Terminated:
            click.echo("Terminated.", err=True)
            sys.exit(Terminated.exit_code)


@click.group(cls=BriefingGroup, context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version")
@click.option("--debug", is_flag=True, envvar="BRIEFING_DEBUG", help="Show tracebacks.")
@click.option("-q", "--quiet", is_flag=True, envvar="BRIEFING_QUIET",
              help="No progress or chatter.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, quiet: bool) -> None:
    """Turn news articles into a short spoken briefing (MP3), offline."""
    ctx.obj = {"debug": debug, "quiet": quiet}
    # Our own records at INFO; libraries' (trafilatura's "discarding data: None") only
    # when they are errors, unless --debug: a scheduler's mail should hold what matters.
    logging.basicConfig(level=logging.DEBUG if debug else logging.ERROR,
                        format="%(levelname)s: %(message)s", stream=sys.stderr)
    logging.getLogger("briefing").setLevel(
        logging.DEBUG if debug else logging.WARNING if quiet else logging.INFO)


def main() -> None:
    cli(prog_name="briefing")


# registered after the group exists
from briefing.cli.episode import extract, make, render, script  # noqa: E402
from briefing.cli.schedule import daily, init, serve  # noqa: E402
from briefing.cli.tools import cache, doctor, voices  # noqa: E402

for command in (make, script, render, extract, voices, doctor, init, daily, serve, cache):
    cli.add_command(command)

from briefing.cli.batch import batch  # noqa: E402

cli.add_command(batch)

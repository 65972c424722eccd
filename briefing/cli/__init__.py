"""The `briefing` command: parse options, call the library, turn errors into exit codes."""

from __future__ import annotations

import errno
import sys
from typing import Any

import click

from briefing import __version__
from briefing.cli.options import CONTEXT, global_options
from briefing.cli.report import flags
from briefing.errors import BriefingError

DISK_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}  # EFBIG: a file-size limit (ulimit -f)


class Refused(click.ClickException):
    """A usage error found by the library: one line, like every error, and exit code 2."""

    exit_code = 2


class BriefingGroup(click.Group):
    """Runs commands so that library errors become one line on stderr and exit code 1."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order of a day's work, not alphabetical

    def invoke(self, ctx: click.Context) -> Any:
        from briefing.signals import Terminated, terminate_on_sigterm

        try:
            # SIGTERM unwinds like Ctrl-C, so staging folders and workers are cleaned up
            with terminate_on_sigterm():
                return super().invoke(ctx)
        except BriefingError as exc:
            if flags()["debug"]:
                raise
            # 2 for what the command line asked and cannot be (a --date far ahead)
            failure = Refused if exc.exit_code == Refused.exit_code else click.ClickException
            raise failure(str(exc)) from None
        except OSError as exc:
            # A full disk can strike any write, in any stage: say so in one line.
            if flags()["debug"] or exc.errno not in DISK_FULL:
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
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Turn news articles into a short spoken briefing (MP3), offline."""
    ctx.ensure_object(dict)


def main() -> None:
    cli(prog_name="briefing")


def _with_global_options(command: click.Command) -> None:
    """-q, -v and --debug before or after the command's name (`briefing make x.txt -q`)."""
    command.params.extend(global_options())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _with_global_options(sub)


# registered after the group exists
from briefing.cli.episode import extract, make, render, script  # noqa: E402
from briefing.cli.play import open_episode  # noqa: E402
from briefing.cli.schedule import daily, init, serve  # noqa: E402
from briefing.cli.tools import cache, doctor, voices  # noqa: E402

cli.params.extend(global_options())
for command in (make, script, render, extract, open_episode, daily, init, serve, voices,
                doctor, cache):
    _with_global_options(command)
    cli.add_command(command)

from briefing.cli.batch import batch  # noqa: E402

cli.add_command(batch)

"""The `briefing` command: parse options, call the library, turn errors into exit codes."""

from __future__ import annotations

import datetime as dt
import errno
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing import __version__
from briefing.cli_common import CONTEXT, progress
from briefing.errors import BriefingError

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
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


def config_options(f: F) -> F:
    """Options shared by everything that reads sources and writes a script."""
    options = [
        click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
                     envvar="BRIEFING_CONFIG", help="Config TOML file."),
        click.option("-m", "--minutes", type=click.FloatRange(0.1, 120), default=None,
                     help="Target length in minutes [default: 2]."),
        click.option("--title", default=None, help="Show name, spoken in the intro."),
        click.option("--voice", default=None, help="Reader's voice id (see `briefing voices`)."),
        click.option("--host-voice", default=None, help="Host's voice id (intro, outro)."),
        click.option("-r", "--rate", type=click.IntRange(80, 450), default=None,
                     help="Reader's words per minute [default: 170]."),
        click.option("--pitch", type=click.IntRange(0, 100), default=None,
                     help="Reader's pitch, 0-100 [default: 50]."),
        click.option("-n", "--max-stories", type=click.IntRange(1, 50), default=None,
                     help="Stories per feed [default: 5]."),
        click.option("--offline", is_flag=True, default=None,
                     help="Never fetch: feed items' own text only."),
        click.option("--date", "date_", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     help="The briefing's date [default: today]."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _config(params: dict[str, Any]) -> Any:
    from briefing.config import load_config

    overrides = {
        "minutes": params.get("minutes"),
        "title": params.get("title"),
        "voice": params.get("voice"),
        "host_voice": params.get("host_voice"),
        "rate": params.get("rate"),
        "pitch": params.get("pitch"),
        "stereo": params.get("stereo") or None,
        "max_stories": params.get("max_stories"),
        "offline": params.get("offline") or None,
        "bitrate": params.get("bitrate"),
        "output_dir": params.get("output_dir"),
    }
    return load_config(params.get("config_path"), overrides=overrides)


def _date(params: dict[str, Any]) -> dt.date | None:
    value = params.get("date_")
    return value.date() if value else None


@cli.command(context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True)
@config_options
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="MP3 to write [default: output/DATE/SLUG.mp3].")
@click.option("--output-dir", envvar="BRIEFING_OUTPUT_DIR", default=None,
              help="Folder for dated episodes [default: output].")
@click.option("-b", "--bitrate", default=None, help="MP3 bitrate [default: 64k].")
@click.option("--stereo", is_flag=True, default=None, help="Two channels (default: mono).")
@click.option("--no-cache", is_flag=True, envvar="BRIEFING_NO_CACHE",
              help="Speak and encode every line afresh (no segment cache).")
@click.pass_context
def make(ctx: click.Context, sources: tuple[str, ...], output: Path | None, **params: Any) -> None:
    """Make a briefing MP3 from SOURCES (files, URLs, feeds, or - for stdin)."""
    from briefing.pipeline import first_voices, plan, read_articles, render, speech_started

    config = _config(params)
    with speech_started(config, first_voices(config)):
        articles = read_articles(sources, config, stdin=sys.stdin.buffer)
        the_plan = plan(articles, config, date=_date(params))
        episode = render(the_plan.script, config, output=output, sources=sources,
                         use_cache=not params["no_cache"],
                         progress=progress(ctx.obj["quiet"]))
    if not ctx.obj["quiet"]:
        minutes, seconds = divmod(round(episode.duration_ms / 1000), 60)
        stories = len(the_plan.script.sections) - 2  # less the intro and the outro
        click.echo(f"Made {minutes}:{seconds:02d} of audio: {stories} "
                   f"{'story' if stories == 1 else 'stories'}, {len(episode.chapters)} chapters.",
                   err=True)
    click.echo(str(episode.mp3))


@cli.command(context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True)
@config_options
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "md"]), default="text",
              show_default=True, help="md: an editable script for `briefing render`.")
def script(sources: tuple[str, ...], fmt: str, **params: Any) -> None:
    """Print the spoken script for SOURCES; make no audio."""
    from briefing.pipeline import plan, read_articles, script_pauses
    from briefing.publish.transcript import transcript
    from briefing.scriptfile import to_markdown

    config = _config(params)
    articles = read_articles(sources, config, stdin=sys.stdin.buffer)
    the_script = plan(articles, config, date=_date(params)).script
    text = to_markdown(the_script, script_pauses(config)) if fmt == "md" else transcript(the_script)
    click.echo(text, nl=False)


@cli.command(context_settings=CONTEXT)
@click.argument("script_file", type=click.File("rb"))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="MP3 to write [default: output/DATE/SLUG.mp3].")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file.")
@click.option("-b", "--bitrate", default=None, help="MP3 bitrate [default: 64k].")
@click.option("--stereo", is_flag=True, default=None, help="Two channels (default: mono).")
@click.option("--no-cache", is_flag=True, envvar="BRIEFING_NO_CACHE",
              help="Speak and encode every line afresh (no segment cache).")
@click.option("--output-dir", envvar="BRIEFING_OUTPUT_DIR", default=None,
              help="Folder for dated episodes [default: output].")
@click.pass_context
def render(ctx: click.Context, script_file: Any, output: Path | None, **params: Any) -> None:
    """Turn a Markdown script (from `briefing script --format md`) into the episode."""
    from briefing.pipeline import render as render_episode
    from briefing.pipeline import script_pauses
    from briefing.scriptfile import from_markdown

    config = _config(params)
    the_script = from_markdown(_utf8(script_file), script_pauses(config))
    episode = render_episode(the_script, config, output=output, use_cache=not params["no_cache"],
                             progress=progress(ctx.obj["quiet"]))
    click.echo(str(episode.mp3))


def _utf8(stream: Any) -> str:
    """A script file's text; one clear line when it is not UTF-8 (a PNG, a cp1252 save)."""
    from briefing.errors import ScriptFileError
    from briefing.sources import read_capped

    data = read_capped(stream, stream.name)  # /dev/zero must not read until memory runs out
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ScriptFileError(
            f"{stream.name}: not UTF-8 text (byte {exc.start}): give the Markdown script "
            "`briefing script --format md` wrote, saved as UTF-8"
        ) from None


@cli.command(context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Title, byline, date and text as JSON.")
@click.option("-n", "--max-stories", type=click.IntRange(1, 50), default=None,
              help="Stories per feed [default: 5].")
@click.option("--offline", is_flag=True, default=None, help="Never fetch.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file.")
def extract(sources: tuple[str, ...], as_json: bool, **params: Any) -> None:
    """Print the cleaned article text of SOURCES."""
    from briefing.pipeline import read_articles

    articles = read_articles(sources, _config(params), stdin=sys.stdin.buffer)
    if as_json:
        fields = ("title", "author", "site_name", "date", "url", "language", "source", "text")
        rows = [{k: getattr(a, k) for k in fields} for a in articles]
        click.echo(json.dumps(rows[0] if len(rows) == 1 else rows, indent=2, ensure_ascii=False))
        return
    for i, article in enumerate(articles):
        if i:
            click.echo()
        if len(articles) > 1 or article.title:
            click.echo(f"# {article.title}\n" if article.title else "")
        click.echo(article.text.rstrip())


@cli.command(context_settings=CONTEXT)
@click.option("-l", "--language", default="", help="Only voices for this language (e.g. de).")
@click.option("--synthesizer", default="pyttsx3", envvar="BRIEFING_SYNTHESIZER",
              help="Speech backend [default: pyttsx3].")
def voices(language: str, synthesizer: str) -> None:
    """List the voices the speech engine offers."""
    from briefing import tts

    synth = tts.get_synthesizer(synthesizer)
    try:
        for voice in synth.voices():
            if language and not any(lang.startswith(language) for lang in voice.languages):
                continue
            click.echo(f"{voice.id:<24} {', '.join(voice.languages):<16} {voice.name}")
    finally:
        synth.close()


@cli.command(context_settings=CONTEXT)
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file (its voices are checked).")
def doctor(config_path: str | None) -> None:
    """Check espeak-ng, ffmpeg and voices; print the fix for each problem."""
    from briefing.doctor import checks

    failed = 0
    for ok, name, detail in checks(_config({"config_path": config_path})):
        click.echo(f"{'ok ' if ok else 'FAIL'} {name}: {detail}")
        failed += not ok
    if failed:
        raise click.ClickException(f"{failed} check(s) failed; see the fixes above")


def main() -> None:
    cli(prog_name="briefing")


from briefing.cli_daily import daily, init, serve  # noqa: E402 (registered after the group exists)

cli.add_command(init)
cli.add_command(daily)
cli.add_command(serve)

from briefing.cli_cache import cache  # noqa: E402

cli.add_command(cache)

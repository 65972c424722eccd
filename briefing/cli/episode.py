"""The episode commands: `briefing make`, `script`, `render` and `extract`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from briefing.cli.options import CONTEXT, config_from, config_options, date_from, progress


@click.command(context_settings=CONTEXT)
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
    from briefing.pipeline import make_episode

    made = make_episode(config_from(params), sources=sources, stdin=sys.stdin.buffer,
                        date=date_from(params), output=output, use_cache=not params["no_cache"],
                        progress=progress(ctx.obj["quiet"]))
    the_plan, episode = made.plan, made.episode
    if not ctx.obj["quiet"]:
        minutes, seconds = divmod(round(episode.duration_ms / 1000), 60)
        stories = len(the_plan.script.sections) - 2  # less the intro and the outro
        click.echo(f"Made {minutes}:{seconds:02d} of audio: {stories} "
                   f"{'story' if stories == 1 else 'stories'}, {len(episode.chapters)} chapters.",
                   err=True)
    click.echo(str(episode.mp3))


@click.command(context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True)
@config_options
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "md"]), default="text",
              show_default=True, help="md: an editable script for `briefing render`.")
@click.option("--spoken", is_flag=True,
              help="Print each line as the speech engine receives it (numbers, acronyms, "
                   "lexicon applied): what to fix with a [lexicon] entry.")
def script(sources: tuple[str, ...], fmt: str, spoken: bool, **params: Any) -> None:
    """Print the spoken script for SOURCES; make no audio."""
    from briefing.pipeline import plan, read_articles, script_pauses
    from briefing.publish.transcript import transcript
    from briefing.script.markdown import to_markdown

    if spoken and fmt == "md":
        raise click.UsageError("--spoken prints plain text: drop --format md")
    config = config_from(params)
    articles = read_articles(sources, config, stdin=sys.stdin.buffer)
    the_script = plan(articles, config, date=date_from(params)).script
    if spoken:
        from briefing.speech import spoken_text, user_lexicon

        click.echo(spoken_text(the_script, user_lexicon(config.lexicon_file, config.lexicon)),
                   nl=False)
        return
    text = to_markdown(the_script, script_pauses(config)) if fmt == "md" else transcript(the_script)
    click.echo(text, nl=False)


@click.command(context_settings=CONTEXT)
@click.argument("script_file", type=click.File("rb"))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="MP3 to write [default: output/DATE/SLUG.mp3].")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file.")
@click.option("-e", "--engine", default=None,
              help="Speech engine for voices the script names no engine for.")
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
    from briefing.script.markdown import from_markdown

    config = config_from(params)
    the_script = from_markdown(_utf8(script_file), script_pauses(config))
    named = {v.engine for v in (the_script.host, the_script.reader) if v.engine}
    if params.get("engine") and named and named != {params["engine"]}:
        click.echo(f"Warning: the script names its voices' engines ({', '.join(sorted(named))}); "
                   f"--engine {params['engine']} applies only to voices named without one: "
                   "edit its host: and reader: lines to change them", err=True)
    episode = render_episode(the_script, config, output=output, use_cache=not params["no_cache"],
                             progress=progress(ctx.obj["quiet"]))
    click.echo(str(episode.mp3))


def _utf8(stream: Any) -> str:
    """A script file's text; one clear line when it is not UTF-8 (a PNG, a cp1252 save)."""
    from briefing.errors import ScriptFileError

    data = stream.read()
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ScriptFileError(
            f"{stream.name}: not UTF-8 text (byte {exc.start}): give the Markdown script "
            "`briefing script --format md` wrote, saved as UTF-8"
        ) from None


@click.command(context_settings=CONTEXT)
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

    articles = read_articles(sources, config_from(params), stdin=sys.stdin.buffer)
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

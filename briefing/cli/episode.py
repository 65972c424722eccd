"""The episode commands: `briefing make`, `script`, `render` and `extract`."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from briefing.cli.options import (
    CONTEXT,
    audio_options,
    complete_engines,
    config_from,
    config_options,
    date_from,
    progress,
    quiet,
    setting,
    with_examples,
)
from briefing.cli.report import (
    collected_warnings,
    episode_json,
    flags,
    print_json,
    shortfall,
    summary,
)

if TYPE_CHECKING:
    from briefing.models import Episode, Script


@click.command(context_settings=CONTEXT,
               short_help="Make a briefing MP3 from articles, pages and feeds.")
@click.argument("sources", nargs=-1, required=True)
@config_options
@audio_options
def make(sources: tuple[str, ...], output: Path | None, force: bool, as_json: bool, play: bool,
         strict: bool, **params: Any) -> None:
    """Make a briefing MP3 from SOURCES: files, http(s) URLs, RSS/Atom feeds, or - (stdin).

    A source that fails is skipped with a warning; --strict fails instead. The MP3's path
    (or, with --json, the episode) goes to stdout; progress and the summary to stderr.
    """
    from briefing.dates import check_date
    from briefing.pipeline import make_episode

    config = config_from(params)
    date = date_from(params)
    if date is not None:
        check_date(date, force=force)
    lines = len(sources) > 1 or flags()["verbose"]  # one line per stage: long runs only
    with collected_warnings() as warnings:
        made = make_episode(config, sources=sources, stdin=sys.stdin.buffer, date=date,
                            output=output, use_cache=not params["no_cache"], force=force,
                            strict=strict, progress=progress(quiet(), lines))
    words = sum(a.words for a in made.plan.articles)
    _done(made.episode, made.plan.script, config.minutes, words, warnings, as_json, play)


with_examples(
    make,
    "briefing make article.txt",
    "briefing make page.html https://example.org/feed.xml -n 3 --minutes 5",
    "cat article.txt | briefing make - -o brief.mp3 --play",
    "briefing make feed.xml --json | jq .duration_s",
)


def _done(episode: Episode, script: Script, asked_minutes: float | None,
          source_words: int | None, warnings: list[str], as_json: bool, play: bool) -> None:
    """What make and render say when the episode is made, and --play."""
    short = shortfall(episode, asked_minutes, script, source_words)
    if short:
        warnings.append(short)
    if not quiet():
        click.echo(summary(episode, script, asked_minutes=asked_minutes,
                           source_words=source_words), err=True)
    if as_json:
        print_json(episode_json(episode, script, asked_minutes=asked_minutes,
                                warnings=warnings))
    else:
        click.echo(str(episode.mp3))
    if play:
        from briefing.cli.play import play_made

        sys.stdout.flush()
        play_made(episode.mp3)


@click.command(context_settings=CONTEXT,
               short_help="Print the script a briefing would speak; make no audio.")
@click.argument("sources", nargs=-1, required=True)
@config_options
@click.option("--format", "fmt", type=click.Choice(["text", "md"]), default="text",
              show_default=True, help="md: an editable script for `briefing render`.")
@click.option("--spoken", is_flag=True,
              help="Print each line as the speech engine receives it (numbers, acronyms, "
                   "lexicon applied): what to fix with a [lexicon] entry.")
def script(sources: tuple[str, ...], fmt: str, spoken: bool, strict: bool,
           **params: Any) -> None:
    """Print the spoken script for SOURCES; make no audio."""
    from briefing.pipeline import plan, read_sources, script_pauses
    from briefing.publish.transcript import transcript
    from briefing.script.markdown import to_markdown

    if spoken and fmt == "md":
        raise click.UsageError("--spoken prints plain text: drop --format md")
    config = config_from(params)
    articles = read_sources(sources, config, stdin=sys.stdin.buffer, strict=strict)
    the_script = plan(articles, config, date=date_from(params)).script
    if spoken:
        from briefing.speech import spoken_text, user_lexicon

        click.echo(spoken_text(the_script, user_lexicon(config.lexicon_file, config.lexicon)),
                   nl=False)
        return
    text = to_markdown(the_script, script_pauses(config)) if fmt == "md" else transcript(the_script)
    click.echo(text, nl=False)


with_examples(
    script,
    "briefing script article.txt",
    "briefing script article.txt --format md > brief.md   # edit, then: briefing render",
    "briefing script feed.xml --minutes 5 -n 3",
)


@click.command(context_settings=CONTEXT,
               short_help="Turn an edited Markdown script into the episode.")
@click.argument("script_file", type=click.File("rb"))
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG",
              help="Config TOML file [default: the user config file, if any].")
@click.option("-e", "--engine", default=None, shell_complete=complete_engines,
              help="Speech engine for voices the script names no engine for.")
@audio_options
def render(script_file: Any, output: Path | None, force: bool, as_json: bool, play: bool,
           **params: Any) -> None:
    """Turn a Markdown script (from `briefing script --format md`) into the episode.

    An unedited script gives the very MP3 `briefing make` gives for the same sources.
    """
    from briefing.pipeline import render as render_episode
    from briefing.pipeline import script_pauses, source_files
    from briefing.script.markdown import from_markdown

    config = config_from(params)
    the_script = from_markdown(_utf8(script_file), script_pauses(config))
    named = {v.engine for v in (the_script.host, the_script.reader) if v.engine}
    inputs = source_files([script_file.name]) if isinstance(script_file.name, str) else ()
    with collected_warnings() as warnings:
        if params.get("engine") and named and named != {params["engine"]}:
            logging.getLogger("briefing.cli").warning(
                "the script names its voices' engines (%s); --engine %s applies only to voices "
                "named without one: edit its host: and reader: lines to change them",
                ", ".join(sorted(named)), params["engine"])
        episode = render_episode(the_script, config, output=output, inputs=inputs, force=force,
                                 use_cache=not params["no_cache"],
                                 progress=progress(quiet(), flags()["verbose"]))
    _done(episode, the_script, None, None, warnings, as_json, play)


with_examples(
    render,
    "briefing script article.txt --format md > brief.md",
    "briefing render brief.md -o brief.mp3",
    "briefing render brief.md --json --play",
)


def _utf8(stream: Any) -> str:
    """A script file's text; one clear line when it is not UTF-8 (a PNG, a cp1252 save)."""
    from briefing.errors import ScriptFileError
    from briefing.paths import read_capped

    data = read_capped(stream, stream.name)  # /dev/zero must not read until memory runs out
    try:
        return str(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ScriptFileError(
            f"{stream.name}: not UTF-8 text (byte {exc.start}): give the Markdown script "
            "`briefing script --format md` wrote, saved as UTF-8"
        ) from None


EXTRACTED = ("title", "author", "site_name", "date", "url", "language", "source", "text")


@click.command(context_settings=CONTEXT,
               short_help="Print the cleaned text of articles, pages and feeds.")
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True,
              help="One JSON object per story, one per line (JSON Lines).")
@setting("-n", "--max-stories", type=click.IntRange(1, 50), help="Stories per feed.")
@setting("--offline", is_flag=True, help="Never fetch: feed items' own text only.")
@click.option("--strict", is_flag=True,
              help="Fail if any source fails (default: skip it with a warning).")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG",
              help="Config TOML file [default: the user config file, if any].")
def extract(sources: tuple[str, ...], as_json: bool, strict: bool, **params: Any) -> None:
    """Print the cleaned article text of SOURCES, each story under its title."""
    from briefing.clean.title import titled
    from briefing.pipeline import read_sources

    articles = [titled(a) for a in read_sources(sources, config_from(params),
                                                 stdin=sys.stdin.buffer, strict=strict)]
    if as_json:
        for article in articles:
            click.echo(json.dumps({k: getattr(article, k) for k in EXTRACTED},
                                  ensure_ascii=False))
        return
    for i, article in enumerate(articles):
        if i:
            click.echo()
        click.echo(f"# {article.title}\n")
        click.echo(article.text.rstrip())


with_examples(
    extract,
    "briefing extract article.html",
    "briefing extract feed.xml --json | jq -r .title",
    "curl -s https://example.org/story | briefing extract -",
)

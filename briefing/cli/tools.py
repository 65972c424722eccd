"""The tool commands: `briefing voices`, `doctor` and `cache info|clear`."""

from __future__ import annotations

import click

from briefing.cli.options import CONTEXT, complete_engines, config_from, with_examples
from briefing.cli.report import print_json


@click.group(context_settings=CONTEXT, short_help="Show or clear the cache of spoken lines.")
def cache() -> None:
    """The cache of spoken segments and encoded chunks (re-renders reuse them)."""


@cache.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print it as JSON.")
def info(as_json: bool) -> None:
    """Where the cache is, how many files it holds, and its size against the cap."""
    from briefing.tts.cache import SegmentCache

    found = SegmentCache().info()
    if as_json:
        print_json({"path": str(found.path), "files": found.entries, "bytes": found.bytes,
                    "max_bytes": found.max_bytes})
        return
    click.echo(f"path:    {found.path}")
    click.echo(f"files:   {found.entries}")
    click.echo(f"size:    {found.bytes / 1e6:.1f} MB of {found.max_bytes / 1e6:.0f} MB "
               "(set BRIEFING_CACHE_MB to change the cap)")


@cache.command(context_settings=CONTEXT)
def clear() -> None:
    """Delete every cached segment; the next run speaks everything afresh."""
    from briefing.tts.cache import SegmentCache

    removed = SegmentCache().clear()
    click.echo(f"Removed {removed} cached file{'s' if removed != 1 else ''}.", err=True)


@click.command(context_settings=CONTEXT, short_help="List the voices the speech engine offers.")
@click.option("-l", "--language", default="", help="Only voices for this language (e.g. de).")
@click.option("--synthesizer", default="pyttsx3", envvar="BRIEFING_SYNTHESIZER",
              shell_complete=complete_engines, help="Speech backend [default: pyttsx3].")
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


@click.command(context_settings=CONTEXT, short_help="Check the engine, ffmpeg and voices.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file (its voices are checked).")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON.")
def doctor(config_path: str | None, as_json: bool) -> None:
    """Check espeak-ng, ffmpeg and voices; print the fix for each problem."""
    from briefing.doctor import checks

    found = list(checks(config_from({"config_path": config_path})))
    failed = sum(not ok for ok, _, _ in found)
    if as_json:
        print_json({"ok": not failed, "checks": [{"name": name, "ok": ok, "detail": detail}
                                                 for ok, name, detail in found]})
    else:
        for ok, name, detail in found:
            click.echo(f"{'ok ' if ok else 'FAIL'} {name}: {detail}")
    if failed:
        raise click.ClickException(f"{failed} check(s) failed; see the fixes above")


with_examples(cache, "briefing cache info", "briefing cache clear")
with_examples(info, "briefing cache info", "briefing cache info --json")
with_examples(clear, "briefing cache clear",
                                           "briefing make x.txt --no-cache   # skip it once")
with_examples(voices, "briefing voices", "briefing voices -l de")
with_examples(doctor, "briefing doctor", "briefing doctor --json")

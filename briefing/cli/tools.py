"""The tool commands: `briefing voices`, `doctor` and `cache info|clear`."""

from __future__ import annotations

import click

from briefing.cli.options import CONTEXT, config_from


@click.group(context_settings=CONTEXT)
def cache() -> None:
    """The cache of spoken segments and encoded chunks (re-renders reuse them)."""


@cache.command(context_settings=CONTEXT)
def info() -> None:
    """Where the cache is, how many files it holds, and its size against the cap."""
    from briefing.tts.cache import SegmentCache

    found = SegmentCache().info()
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


@click.command(context_settings=CONTEXT)
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


@click.command(context_settings=CONTEXT)
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file (its voices are checked).")
def doctor(config_path: str | None) -> None:
    """Check espeak-ng, ffmpeg and voices; print the fix for each problem."""
    from briefing.doctor import checks

    failed = 0
    for ok, name, detail in checks(config_from({"config_path": config_path})):
        click.echo(f"{'ok ' if ok else 'FAIL'} {name}: {detail}")
        failed += not ok
    if failed:
        raise click.ClickException(f"{failed} check(s) failed; see the fixes above")

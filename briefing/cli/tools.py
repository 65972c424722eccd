"""The tool commands: `briefing voices`, `doctor` and `cache info|clear`."""

from __future__ import annotations

import json
from typing import Any

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


@click.command(context_settings=CONTEXT, short_help="List every engine's voices, or download one.")
@click.option("-e", "--engine", default=None, shell_complete=complete_engines,
              help="Only this engine's voices (pyttsx3, espeak-ng, piper, kokoro).")
@click.option("-l", "--language", default="", help="Only voices for this language (e.g. de).")
@click.option("--installed", "only_installed", is_flag=True,
              help="Only voices that need no download.")
@click.option("--json", "as_json", is_flag=True, help="Every voice as a JSON object.")
@click.option("--download", "download_name", metavar="NAME", default=None,
              help="Install a Piper or Kokoro voice from its engine's official catalogue.")
@click.option("--refresh", is_flag=True, help="Fetch Piper's catalogue (the network) first, "
              "so every downloadable voice is listed.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              envvar="BRIEFING_CONFIG", help="Config TOML file (voices_dir, catalogue URLs).")
@click.option("--synthesizer", hidden=True, default=None)  # the old name of --engine
def voices(engine: str | None, language: str, only_installed: bool, as_json: bool,
           download_name: str | None, refresh: bool, config_path: str | None,
           synthesizer: str | None) -> None:
    """List every engine's voices: id, engine, language, quality, installed or downloadable,
    licence. With --download NAME, install one (size, md5 and SHA-256 checked)."""
    from briefing.tts.library import catalogue, listing

    config = config_from({"config_path": config_path})
    engine = engine or synthesizer
    if download_name:
        _download(download_name, config, engine)
        return
    if refresh:
        listing.download_catalogue(config.piper_catalogue or catalogue.PIPER_CATALOGUE)
    found = listing.rows(config, engine, language)
    if only_installed:
        found = [r for r in found if r.status != "downloadable"]
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in found], indent=1, ensure_ascii=False))
        return
    for row in found:
        rate = f"{row.sample_rate} Hz" if row.sample_rate else ""
        status = f"download {row.size_mb:g} MB" if row.status == "downloadable" else row.status
        click.echo(f"{row.id:<22} {row.engine:<9} {row.language:<8} {row.quality:<7} "
                   f"{rate:<9} {status:<16} {row.licence}"
                   + (f"  [{row.note}]" if row.note and row.engine != "espeak-ng" else ""))


def _download(name: str, config: Any, engine: str | None) -> None:
    import sys

    from briefing.cli.options import quiet
    from briefing.tts.library import listing

    bars: list[Any] = []

    def progress(offer: Any) -> Any:
        if quiet() or not sys.stderr.isatty():
            return lambda n: None
        bar = click.progressbar(length=offer.size, label=f"Downloading {offer.id}",
                                file=sys.stderr)
        bar.__enter__()
        bars.append(bar)
        return bar.update

    try:
        folder = listing.download(name, config, engine, progress)
    finally:
        for bar in bars:
            bar.__exit__(None, None, None)
    if not quiet():
        click.echo(f"Installed {name} in {folder}; use it with --voice {name}", err=True)
    click.echo(str(folder))


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

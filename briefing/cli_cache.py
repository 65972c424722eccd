"""`briefing cache info|clear`: the spoken-segment cache, seen and emptied from the command line."""

from __future__ import annotations

import click

from briefing.cli_common import CONTEXT


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

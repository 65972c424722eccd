"""What every part of the CLI shares: help settings, option bundles, the progress bar."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def progress(quiet: bool) -> Callable[[Iterable[T], int, str], Iterable[T]]:
    """A progress bar on stderr, off with -q and when stderr is not a terminal."""

    def bar(items: Iterable[T], length: int, label: str) -> Iterable[T]:
        if quiet or not sys.stderr.isatty():
            yield from items
            return
        with click.progressbar(items, length=length, label=label, file=sys.stderr) as it:
            yield from it

    return bar


def quiet() -> bool:
    """Whether -q/--quiet was given to the `briefing` group."""
    root = click.get_current_context().find_root()
    return bool(root.obj and root.obj.get("quiet"))


def config_options(f: F) -> F:
    """Options shared by everything that reads sources and writes a script."""
    options = [
        click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
                     envvar="BRIEFING_CONFIG", help="Config TOML file."),
        click.option("-m", "--minutes", type=click.FloatRange(0.1, 120), default=None,
                     help="Target length in minutes [default: 2]."),
        click.option("--title", default=None, help="Show name, spoken in the intro."),
        click.option("-e", "--engine", default=None,
                     help="Speech engine: pyttsx3 (default), espeak-ng, piper, kokoro."),
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


def config_from(params: dict[str, Any]) -> Any:
    from briefing.config import load_config

    overrides = {
        "minutes": params.get("minutes"),
        "title": params.get("title"),
        "engine": params.get("engine"),
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


def date_from(params: dict[str, Any]) -> dt.date | None:
    value = params.get("date_")
    return value.date() if value else None

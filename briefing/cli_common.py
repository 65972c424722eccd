"""What every part of the CLI shares: help settings and the progress bar."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import TypeVar

import click

T = TypeVar("T")
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

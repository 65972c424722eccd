"""What the CLI says while it works and when it is done: logging, progress, summaries, JSON.

Results go to stdout (a path, or JSON with --json); everything else goes to stderr, and
-q/--quiet leaves only errors there.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from briefing.daily.run import DailyResult
    from briefing.models import Episode, Script

T = TypeVar("T")
log = logging.getLogger("briefing.cli")

# Most of the sources' words were read: the sources, not the estimate, set the length.
SOURCES_USED_UP = 0.8
SHORT_OF_ASKED = 0.9  # the length aim lands within ~10%; shorter means the sources ran out


# --- -q, -v, --debug: wherever they are given, one set of flags for the run -----------------


def flags() -> dict[str, bool]:
    """The run's verbosity flags (in the root context, whichever command got them)."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    obj = root.obj if root is not None and isinstance(root.obj, dict) else {}
    return {name: bool(obj.get(name)) for name in ("quiet", "verbose", "debug")}


def quiet() -> bool:
    """Whether -q/--quiet was given, before or after the command's name."""
    return flags()["quiet"]


def remember(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    """A callback storing flag `name` in the root context and applying it to logging."""

    def store(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        root = ctx.find_root()
        if not isinstance(root.obj, dict):
            root.obj = {}
        if value:
            root.obj[name] = True
        configure_logging(**{k: bool(root.obj.get(k)) for k in ("quiet", "verbose", "debug")})

    return store


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (click's test runner swaps it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(*, quiet: bool = False, verbose: bool = False, debug: bool = False) -> None:
    """Our records at INFO (DEBUG with -v), libraries' only when they are errors (all with
    --debug); the terminal shows errors only with -q. The logger itself stays at INFO or
    below, so the daily log file and --json's warnings see everything."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if isinstance(h, _Stderr)), None)
    if handler is None:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.ERROR)
    detail = logging.DEBUG if verbose or debug else logging.INFO
    handler.setLevel(logging.ERROR if quiet else detail)
    logging.getLogger("briefing").setLevel(detail)


class Warnings(logging.Handler):
    """Collects the warnings a run logs, for the `warnings` list of --json."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def collected_warnings() -> Iterator[list[str]]:
    handler = Warnings()
    logger = logging.getLogger("briefing")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


# --- progress: a bar per stage on a terminal, a line per stage in logs -----------------------


def progress(quiet: bool, lines: bool = True) -> Callable[[Iterable[T], int, str], Iterable[T]]:
    """Report each stage the pipeline passes through `progress(items, length, label)`.

    On a terminal: a bar for a stage with items (the current one named), the label for
    one without. Elsewhere (a log, a scheduler's mail): one line per stage when `lines`.
    -q: nothing at all.
    """

    def report(items: Iterable[T], length: int, label: str) -> Iterable[T]:
        if quiet:
            yield from items
            return
        if sys.stderr.isatty():
            if not length:
                click.echo(f"{label}…", err=True)
                yield from items
                return
            with click.progressbar(items, length=length, label=label, file=sys.stderr,
                                   item_show_func=_shown) as bar:
                yield from bar
            return
        if lines:
            named = list(items) if isinstance(items, (list, tuple)) else None
            shown = [_shown(i) for i in named] if named else []
            log.info("%s%s", label, ": " + ", ".join(s for s in shown if s) if any(shown)
                     else "")
            yield from (named if named is not None else items)
            return
        yield from items

    return report


def _shown(item: Any) -> str | None:
    return item if isinstance(item, str) else None


# --- what a finished run says ------------------------------------------------------------------


def clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def stories_of(script: Script) -> list[dict[str, Any]]:
    """The stories as read: title, source, link, language and words spoken."""
    return [
        {"title": s.title, "source": s.source, "url": s.url,
         "language": next((ln.language for ln in s.lines if ln.role == "reader"), ""),
         "words": sum(len(ln.text.split()) for ln in s.lines)}
        for s in script.sections if any(ln.kind == "story" for ln in s.lines)
    ]


def shortfall(episode: Episode, asked_minutes: float | None, script: Script,
              source_words: int | None) -> str:
    """A sentence when the episode came out clearly shorter than asked, else ""."""
    if not asked_minutes or episode.duration_ms / 1000 >= asked_minutes * 60 * SHORT_OF_ASKED:
        return ""
    spoken = sum(len(ln.text.split()) for ln in script.lines if ln.kind == "story")
    if source_words is not None and spoken < SOURCES_USED_UP * source_words:
        return ""  # the material was there: a near miss of the length estimate, not a shortfall
    n = len(stories_of(script))
    had = f"only {n} {'story' if n == 1 else 'stories'}"
    if source_words is not None:
        had += f", {source_words} words"
    return (f"Made {clock(episode.duration_ms / 1000)} of audio (asked for "
            f"{clock(asked_minutes * 60)}: the sources had {had}).")


def summary(episode: Episode, script: Script, *, asked_minutes: float | None = None,
            source_words: int | None = None) -> str:
    """The line make, render and daily print on stderr when an episode is made."""
    short = shortfall(episode, asked_minutes, script, source_words)
    if short:
        return short
    n = len(stories_of(script))
    return (f"Made {clock(episode.duration_ms / 1000)} of audio: {n} "
            f"{'story' if n == 1 else 'stories'}, {len(episode.chapters)} chapters.")


def episode_json(episode: Episode, script: Script, *, asked_minutes: float | None,
                 warnings: Sequence[str]) -> dict[str, Any]:
    """The episode as --json prints it (the README documents every key)."""
    return {
        "path": str(episode.mp3.resolve()),
        "title": episode.title,
        "date": episode.date,
        "duration_s": round(episode.duration_ms / 1000, 3),
        "asked_s": round(asked_minutes * 60, 3) if asked_minutes else None,
        "chapters": [{"title": c.title, "start_s": c.start_ms / 1000, "end_s": c.end_ms / 1000,
                      "url": c.url} for c in episode.chapters],
        "stories": stories_of(script),
        "sources": list(episode.sources),
        "sidecars": [str(p.resolve()) for p in episode.sidecars],
        "warnings": list(warnings),
    }


def daily_json(result: DailyResult, script: Script | None, *, asked_minutes: float,
               warnings: Sequence[str]) -> dict[str, Any]:
    return {
        "status": result.status,
        "date": result.date.isoformat(),
        "episode": episode_json(result.episode, script, asked_minutes=asked_minutes,
                                warnings=warnings)
        if result.episode is not None and script is not None else None,
        "existing": [str(p) for p in result.existing],
        "removed": list(result.removed),
        "skipped": result.skipped,
        "warnings": list(warnings),
    }


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))

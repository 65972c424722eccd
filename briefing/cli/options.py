"""What every command shares: help settings, option bundles, checked types, effective defaults."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from briefing.cli.report import progress, quiet, remember

__all__ = ["BITRATE", "CONTEXT", "config_from", "config_options", "date_from", "progress",
           "quiet"]

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class Bitrate(click.ParamType):
    """An MP3 bitrate ffmpeg takes (64k), checked before any work: a usage error, exit 2."""

    name = "bitrate"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        from briefing.config import check_bitrate
        from briefing.errors import ConfigError

        try:
            return check_bitrate(str(value))
        except ConfigError as exc:
            self.fail(str(exc), param, ctx)


BITRATE = Bitrate()


# --- the options every command takes, before or after its name -----------------------------


def global_options() -> list[click.Option]:
    """-q, -v and --debug, new objects for each command (click owns a parameter's state)."""
    return [
        click.Option(["-q", "--quiet"], is_flag=True, envvar="BRIEFING_QUIET",
                     expose_value=False, callback=remember("quiet"),
                     help="Errors only: no progress, summaries or warnings."),
        click.Option(["-v", "--verbose"], is_flag=True, expose_value=False,
                     callback=remember("verbose"), help="Say more about each stage."),
        click.Option(["--debug"], is_flag=True, envvar="BRIEFING_DEBUG", expose_value=False,
                     callback=remember("debug"), help="Show tracebacks and libraries' logs."),
    ]


# --- help that shows the default in effect, and where it came from ---------------------------


def _home_relative(path: Path) -> str:
    home = Path.home()
    try:
        return "~/" + path.resolve().relative_to(home.resolve()).as_posix()
    except ValueError:
        return str(path)


def effective_default(setting: str) -> tuple[Any, str]:
    """The value `setting` has before any flag, and where it came from ("" for the packaged
    default): BRIEFING_<SETTING>, else the user config file, else the package."""
    from briefing.config import Config, default_config_path, from_env, read_toml
    from briefing.errors import ConfigError

    variable = f"BRIEFING_{setting.upper()}"
    try:
        if variable in os.environ:
            return from_env({variable: os.environ[variable]})[setting], variable
        path = default_config_path()
        if path.is_file():
            values = read_toml(path)
            if setting in values:
                return values[setting], _home_relative(path)
    except ConfigError:
        pass  # a broken file is reported when a command runs, not in --help
    return getattr(Config(), setting), ""


class ConfigOption(click.Option):
    """An option backed by a config setting: its help shows the value in effect without
    the flag, and where that value came from."""

    def __init__(self, *args: Any, setting: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setting = setting or (self.name or "")

    def get_help_extra(self, ctx: click.Context) -> Any:
        extra = super().get_help_extra(ctx)
        value, origin = effective_default(self.setting)
        if isinstance(value, bool) and not origin and not value:
            extra.pop("default", None)  # a flag that is off unless given: nothing to say
            extra.pop("range", None)
            return extra
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        extra["default"] = f"{value}, from {origin}" if origin else str(value)
        extra.pop("range", None)  # the type names the range; a line is short enough without
        return extra


def setting(*decls: str, name: str = "", **kwargs: Any) -> Callable[[F], F]:
    """click.option for a config setting, its default shown as in effect."""
    return click.option(*decls, cls=ConfigOption, setting=name, default=None, **kwargs)


# --- shell completion ------------------------------------------------------------------------


def complete_voices(ctx: click.Context, param: click.Parameter,
                    incomplete: str) -> list[Any]:
    """Voice ids the configured engine offers (`en-us`, `de`, `cmn`...), for the shell."""
    from click.shell_completion import CompletionItem

    from briefing import tts
    from briefing.errors import BriefingError

    engine = str(effective_default("engine")[0])
    try:
        synth = tts.engine_synthesizer(engine)
        try:
            voices = synth.voices()
        finally:
            synth.close()
    except BriefingError:
        return []
    ids = sorted({v.id.rsplit("/", 1)[-1].lower(): v for v in voices}.items())
    return [CompletionItem(voice_id, help=voice.name) for voice_id, voice in ids
            if voice_id.startswith(incomplete.lower())]


def complete_engines(ctx: click.Context, param: click.Parameter,
                     incomplete: str) -> list[Any]:
    """The speech engines registered (built-ins and plugins), for the shell."""
    from click.shell_completion import CompletionItem

    from briefing import tts

    return [CompletionItem(name) for name in sorted(tts.known_synthesizers())
            if name.startswith(incomplete)]


# --- bundles --------------------------------------------------------------------------------


def config_options(f: F) -> F:
    """Options shared by everything that reads sources and writes a script."""
    options = [
        click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
                     envvar="BRIEFING_CONFIG",
                     help="Config TOML file [default: the user config file, if any]."),
        setting("-m", "--minutes", type=click.FloatRange(0.1, 120),
                help="Target length in minutes."),
        setting("--title", help="Show name, spoken in the intro."),
        setting("-e", "--engine", shell_complete=complete_engines,
                help="Speech engine: pyttsx3, espeak-ng, piper, kokoro (see `briefing voices`)."),
        setting("--voice", shell_complete=complete_voices,
                help="Reader's voice id (see `briefing voices`)."),
        setting("--host-voice", shell_complete=complete_voices,
                help="Host's voice id (intro, outro)."),
        setting("-r", "--rate", type=click.IntRange(80, 450),
                help="Reader's words per minute, 80-450."),
        setting("--pitch", type=click.IntRange(0, 100), help="Reader's pitch, 0-100."),
        setting("-n", "--max-stories", type=click.IntRange(1, 50), help="Stories per feed."),
        setting("--offline", is_flag=True, help="Never fetch: feed items' own text only."),
        click.option("--date", "date_", type=click.DateTime(["%Y-%m-%d"]), default=None,
                     metavar="YYYY-MM-DD", help="The briefing's date [default: today]."),
        click.option("--strict", is_flag=True,
                     help="Fail if any source fails (default: skip it with a warning)."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def audio_options(f: F) -> F:
    """Where the episode goes and how it is encoded: make and render."""
    options = [
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
                     help="MP3 to write [default: OUTPUT_DIR/DATE/SLUG.mp3]."),
        setting("--output-dir", envvar="BRIEFING_OUTPUT_DIR",
                help="Folder for dated episodes."),
        setting("-b", "--bitrate", type=BITRATE, help="MP3 bitrate."),
        setting("--stereo", is_flag=True, help="Two channels instead of one."),
        click.option("--no-cache", is_flag=True, envvar="BRIEFING_NO_CACHE",
                     help="Speak and encode every line afresh (no segment cache)."),
        click.option("-f", "--force", is_flag=True,
                     help="Replace an -o file that is not a briefing; date an episode ahead."),
        click.option("--json", "as_json", is_flag=True,
                     help="Print the episode as JSON (see the README's schema)."),
        click.option("--play", is_flag=True, help="Play the episode when it is made."),
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


def with_examples(command: click.Command, *lines: str) -> None:
    """End `command`'s help, after its options, with examples (\\b: kept as written)."""
    command.epilog = "\b\nExamples:\n" + "\n".join(f"  {line}" for line in lines)

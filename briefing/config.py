"""Config (frozen): packaged defaults < config TOML < BRIEFING_* environment < flags."""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import ConfigError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SourceSpec:
    """One configured source: a file path, URL or feed, and how many stories to take from it."""

    location: str
    max_stories: int = 5


@dataclass(frozen=True)
class Config:
    """Every setting a run needs; build it with `load_config`, never by hand in the CLI."""

    title: str = "Morning Briefing"  # show name: intro, tags, feed
    language: str = "en"  # the host's language: intro, transitions, outro
    minutes: float = 2.0
    # The speech engine: pyttsx3 (espeak-ng, no download), espeak-ng, or with their extras
    # piper and kokoro (natural voices). The host may use another engine than the reader.
    engine: str = "pyttsx3"
    host_engine: str = ""  # empty: the reader's engine
    # Voice ids are the engine's own (`briefing voices`); empty: the engine's default voice
    # (espeak-ng: en-us reads, en-gb-x-rp hosts; piper: an installed voice in `language`)
    voice: str = ""  # the reader: the stories
    # the host: intro, headlines, outro; a second voice tells the parts apart
    host_voice: str = ""
    rate: int = 170  # espeak words per minute; 175 is espeak's default, a touch fast for news
    host_rate: int = 165
    pitch: int = 50
    host_pitch: int = 45
    voices_dir: str = ""  # installed voices; empty: $XDG_DATA_HOME/briefing/voices
    # where `briefing voices --download` looks; empty: each engine's official catalogue
    piper_catalogue: str = ""  # URL of Piper's voices.json (its files are beside it)
    kokoro_files: str = ""  # URL of the folder holding Kokoro's release files
    max_stories: int = 5
    offline: bool = False
    # A feed's links may reach only public addresses: a feed (someone else's text) must not
    # make briefing fetch and publish pages of the user's own network. true: on purpose.
    allow_private_feed_links: bool = False
    output_dir: str = "output"
    bitrate: str = "64k"  # Apple's spec: 64-128 kbps mono is fine for speech
    stereo: bool = False
    loudness: float = -16.0  # LUFS integrated, the common podcast target
    true_peak: float = -1.5  # dBTP; -1.5 rather than -1.0 leaves room for MP3 encoding overshoot
    pause_sentence_ms: int = 350
    pause_paragraph_ms: int = 700
    pause_story_ms: int = 1200
    chimes: bool = True
    cover_image: str = ""  # a PNG or JPEG for the episode art; empty: one is generated
    intro_audio: str = ""  # an audio file played before the host speaks (replaces the chime)
    outro_audio: str = ""  # an audio file played at the very end (replaces the chime)
    music_bed: str = ""  # an audio file looped under the whole episode, ducked under speech
    music_level: float = -24.0  # dB for the bed between sentences; speech ducks it further
    retention_days: int = 14
    repeat_days: int = 7  # a story spoken within this many days is not spoken again
    # Where output_dir is published (a static host, a NAS, a tunnel): feed.xml's links start
    # here. Empty: `serve` builds them from the address each client used, and the feed.xml
    # on disk points at http://localhost:8000/ (fine for a player on this machine only).
    public_url: str = ""
    author: str = ""  # shown in podcast apps; empty: the title
    description: str = ""  # the show's description in podcast apps; empty: one is written
    owner_name: str = ""  # itunes:owner, who answers for the feed; empty: the author
    owner_email: str = ""  # itunes:owner's address: directories send ownership checks here
    copyright: str = ""  # empty: "© <year> <author>"
    explicit: bool = False  # itunes:explicit; news read by a machine rarely is
    category: str = "News"  # one of Apple's categories (see briefing/publish/categories.py)
    subcategory: str = "Daily News"  # "" for none
    lexicon: Mapping[str, str] = field(default_factory=dict)
    lexicon_file: str = ""
    sources: tuple[SourceSpec, ...] = ()

    @property
    def synthesizer(self) -> str:
        """The reader's engine, by its old name (`synthesizer` in older configs)."""
        return self.engine

    @property
    def hosts_engine(self) -> str:
        """The engine the host speaks with."""
        return self.host_engine or self.engine


_FIELDS = {f.name: f for f in dataclasses.fields(Config)}
_SCALARS = {n: f for n, f in _FIELDS.items() if n not in ("lexicon", "sources")}
# Settings that name a file or folder: `~` and $VARIABLES are expanded, and a relative path
# is taken from the config file's folder (from the current folder for flags and variables),
# so `make`, `daily`, `serve` and the timer all find the same files wherever they start.
PATHS = ("output_dir", "lexicon_file", "cover_image", "intro_audio", "outro_audio", "music_bed",
         "voices_dir")
OLD_FEED_BASE_URL = "http://localhost:8000/"  # feed_base_url's old default: not a real address
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]{2,}$")
# Old names still read, so a config written before they changed keeps working.
ALIASES = {"synthesizer": "engine"}


def _type_of(name: str) -> type:
    default = _FIELDS[name].default
    return type(default)


def coerce(name: str, value: Any, where: str) -> Any:
    """Turn a TOML or environment value into the field's type, or say what is allowed."""
    kind = _type_of(name)
    if isinstance(value, str) and kind is not str:
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() in ("1", "true", "yes", "on"):
                    return True
                if text.lower() in ("0", "false", "no", "off", ""):
                    return False
                raise ValueError(text)
            return kind(text)
        except ValueError:
            raise ConfigError(
                f"{where}: {name} must be {_type_name(kind)}, got {value!r}"
            ) from None
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ConfigError(f"{where}: {name} must be {_type_name(kind)}, got {value!r}")
    return value


def _type_name(kind: type) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "a string"}[kind]


def validate(cfg: Config) -> Config:
    """`cfg` if every setting is in range, else ConfigError saying which and why."""
    checks = [
        (cfg.minutes > 0 and cfg.minutes <= 120, "minutes must be between 0 and 120"),
        (80 <= cfg.rate <= 450, "rate must be between 80 and 450 words per minute"),
        (80 <= cfg.host_rate <= 450, "host_rate must be between 80 and 450 words per minute"),
        (0 <= cfg.pitch <= 100, "pitch must be between 0 and 100"),
        (0 <= cfg.host_pitch <= 100, "host_pitch must be between 0 and 100"),
        (cfg.max_stories >= 1, "max_stories must be at least 1"),
        (-40 <= cfg.loudness <= -5, "loudness must be between -40 and -5 LUFS"),
        (-9 <= cfg.true_peak <= 0, "true_peak must be between -9 and 0 dBTP"),
        (cfg.retention_days >= 0, "retention_days must be 0 (keep all) or more"),
        (cfg.repeat_days >= 0, "repeat_days must be 0 (repeat freely) or more"),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(message)
    check_bitrate(cfg.bitrate)
    problems = _show_problems(cfg)
    if problems:
        raise ConfigError(problems[0])
    return cfg


def _show_problems(cfg: Config) -> list[str]:
    """What podcast apps would refuse in the feed's settings, in the order of the keys."""
    from urllib.parse import urlsplit

    from briefing.publish.categories import check_category

    problems = []
    if cfg.public_url:
        parts = urlsplit(cfg.public_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problems.append(f"public_url must be an http(s) URL such as "
                            f"https://example.org/briefing/, got {cfg.public_url!r}")
        elif parts.query or parts.fragment:
            problems.append(f"public_url must be a folder's address, without ? or #: "
                            f"{cfg.public_url!r}")
    if cfg.owner_email and not _EMAIL.match(cfg.owner_email):
        problems.append(f"owner_email must be an email address such as you@example.org, "
                        f"got {cfg.owner_email!r}")
    category = check_category(cfg.category, cfg.subcategory)
    if category:
        problems.append(category)
    if cfg.cover_image:
        from briefing.publish.cover import check_cover

        cover = check_cover(cfg.cover_image)
        if cover:
            problems.append(cover)
    return problems


# The episode is 44.1 kHz MPEG-1 layer III, which knows only these rates (kbit/s); ffmpeg
# refuses others, and only after all the speech work is done.
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_BITRATE = re.compile(r"([0-9]{2,3})k", re.ASCII)  # ASCII: "６４k" passes \d and int()


def check_bitrate(value: str) -> str:
    """`value` if it is an MP3 bitrate ffmpeg takes ("64k"); ConfigError says which are."""
    match = _BITRATE.fullmatch(value)
    if not match or int(match.group(1)) not in MP3_BITRATES:
        rates = ", ".join(f"{r}k" for r in MP3_BITRATES)
        raise ConfigError(f"bitrate must be one of {rates} (64k suits speech), got {value!r}")
    return value


def _from_table(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in data.items():
        key = ALIASES.get(key, key)
        if key == "feed_base_url":  # the old name of public_url
            if isinstance(value, str) and value.strip() not in ("", OLD_FEED_BASE_URL):
                log.warning("%s: feed_base_url is now called public_url; please rename it", where)
                values.setdefault("public_url", coerce("public_url", value, where))
            continue
        if key not in _SCALARS:
            allowed = ", ".join(sorted(_SCALARS))
            raise ConfigError(f"{where}: unknown key {key!r} in [briefing]; known keys: {allowed}")
        values[key] = coerce(key, value, where)
    return values


def _sources(items: Any, where: str, base: Path, env: Mapping[str, str]) -> tuple[SourceSpec, ...]:
    if not isinstance(items, list):
        raise ConfigError(f"{where}: [[sources]] must be a list of tables with a location")
    specs = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("location"), str):
            raise ConfigError(f"{where}: sources #{i} needs location = \"a path, URL or feed\"")
        unknown = set(item) - {"location", "max_stories"}
        if unknown:
            raise ConfigError(
                f"{where}: unknown key {sorted(unknown)[0]!r} in sources #{i}; "
                "known keys: location, max_stories"
            )
        max_stories = item.get("max_stories", 5)
        if not isinstance(max_stories, int) or isinstance(max_stories, bool) or max_stories < 1:
            raise ConfigError(f"{where}: sources #{i} max_stories must be a whole number >= 1")
        location = item["location"]
        if location != "-" and not _URL.match(location):  # a file: from the config's folder
            location = _path(location, f"{where}: sources #{i} location", base, env)
        specs.append(SourceSpec(location, max_stories))
    return tuple(specs)


def _path(value: str, what: str, base: Path | None, env: Mapping[str, str]) -> str:
    from briefing.paths import expand_path

    if not value:
        return value
    try:
        return expand_path(value, base, env)
    except KeyError as exc:
        raise ConfigError(f"{what}: ${exc.args[0]} in {value!r} is not set") from None


def _paths(values: dict[str, Any], where: str, base: Path | None,
           env: Mapping[str, str]) -> dict[str, Any]:
    for key in PATHS:
        if isinstance(values.get(key), str):
            values[key] = _path(values[key], f"{where}: {key}", base, env)
    return values


def source_specs(items: Any, where: str, base: Path,
                 env: Mapping[str, str] | None = None) -> tuple[SourceSpec, ...]:
    """[[sources]] tables as SourceSpecs, file locations taken from `base` (a batch's jobs
    file reads them as a config file does)."""
    return _sources(items, where, base, os.environ if env is None else env)


def resolve_path(value: str, what: str, base: Path | None,
                 env: Mapping[str, str] | None = None) -> str:
    """A setting's path with ~ and $VARS expanded, relative ones taken from `base`."""
    return _path(value, what, base, os.environ if env is None else env)


def read_toml(path: Path, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Values from a config file; syntax errors name the file and line.

    Paths in it are expanded and taken from the file's folder; without an output_dir,
    the archive is the `output` folder beside the file.
    """
    env = os.environ if env is None else env
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"config file not found: {path} (create one with `briefing init`)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(_not_utf8(path, exc)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    where = str(path)
    unknown = set(data) - {"briefing", "sources", "lexicon"}
    if unknown:
        raise ConfigError(
            f"{where}: unknown table {sorted(unknown)[0]!r}; "
            "known: [briefing], [[sources]], [lexicon]"
        )
    base = path.absolute().parent
    values = _paths(_from_table(data.get("briefing", {}), where), where, base, env)
    values.setdefault("output_dir", str(base / Config.output_dir))
    if "sources" in data:
        values["sources"] = _sources(data["sources"], where, base, env)
    if "lexicon" in data:
        lexicon = data["lexicon"]
        if not isinstance(lexicon, dict) or not all(isinstance(v, str) for v in lexicon.values()):
            raise ConfigError(f"{where}: [lexicon] entries must be term = \"respelling\"")
        values["lexicon"] = dict(lexicon)
    return values


def _not_utf8(path: Path, exc: UnicodeDecodeError) -> str:
    """Where the first byte that is not UTF-8 sits: line, column, and the byte itself."""
    data = bytes(exc.object[: exc.start])  # tomllib decodes the whole file at once
    line = data.count(b"\n") + 1
    column = exc.start - (data.rfind(b"\n") + 1) + 1
    byte = exc.object[exc.start : exc.start + 1].hex()
    return (f"config file {path} is not UTF-8: byte 0x{byte} at line {line}, column {column} "
            f"(offset {exc.start}): save it as UTF-8")


def from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Values from BRIEFING_<KEY> variables (BRIEFING_MINUTES=3, BRIEFING_OFFLINE=1)."""
    values = {}
    for old, new in ALIASES.items():
        if f"BRIEFING_{old.upper()}" in env and f"BRIEFING_{new.upper()}" not in env:
            values[new] = coerce(new, env[f"BRIEFING_{old.upper()}"], f"BRIEFING_{old.upper()}")
    for name in _SCALARS:
        raw = env.get(f"BRIEFING_{name.upper()}")
        if raw is not None:
            values[name] = coerce(name, raw, f"BRIEFING_{name.upper()}")
            if name in PATHS:
                values[name] = _path(values[name], f"BRIEFING_{name.upper()}", None, env)
    return values


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    from briefing.paths import config_dir

    env = os.environ if env is None else env
    explicit = env.get("BRIEFING_CONFIG")
    return Path(explicit) if explicit else config_dir() / "briefing.toml"


def load_config(
    path: Path | str | None = None,
    *,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Config:
    """Build the Config: defaults, then the TOML file, then BRIEFING_* variables, then overrides.

    `path` None means $BRIEFING_CONFIG or the user config file, used only if it exists.
    `overrides` are flags the user gave; None values are ignored.
    """
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    if path is not None:
        values.update(read_toml(Path(path), env))
    else:
        candidate = default_config_path(env)
        if candidate.is_file() or "BRIEFING_CONFIG" in env:
            values.update(read_toml(candidate, env))
    values.update(from_env(env))
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        key = ALIASES.get(key, key)
        if key not in _FIELDS:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = value if key in ("lexicon", "sources") else coerce(key, value, "option")
        if key in PATHS:
            values[key] = _path(str(values[key]), key, None, env)
    config = validate(Config(**values))
    if config.public_url and not config.public_url.endswith("/"):
        # a folder: links are made by joining file names to it
        config = dataclasses.replace(config, public_url=config.public_url + "/")
    return config

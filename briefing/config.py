"""Config (frozen): packaged defaults < config TOML < BRIEFING_* environment < flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefing.errors import ConfigError


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
    feed_base_url: str = "http://localhost:8000/"
    author: str = ""
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
# Old names still read, so a config written before they changed keeps working.
ALIASES = {"synthesizer": "engine"}


def _type_of(name: str) -> type:
    default = _FIELDS[name].default
    return type(default)


def _coerce(name: str, value: Any, where: str) -> Any:
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


def _validate(cfg: Config) -> Config:
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
        (
            cfg.bitrate.rstrip("k").isdigit() and 32 <= int(cfg.bitrate.rstrip("k")) <= 320,
            "bitrate must look like 64k (32k to 320k)",
        ),
    ]
    for ok, message in checks:
        if not ok:
            raise ConfigError(message)
    return cfg


def _from_table(data: Mapping[str, Any], where: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for key, value in data.items():
        key = ALIASES.get(key, key)
        if key not in _SCALARS:
            allowed = ", ".join(sorted(_SCALARS))
            raise ConfigError(f"{where}: unknown key {key!r} in [briefing]; known keys: {allowed}")
        values[key] = _coerce(key, value, where)
    return values


def _sources(items: Any, where: str) -> tuple[SourceSpec, ...]:
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
        specs.append(SourceSpec(item["location"], max_stories))
    return tuple(specs)


def read_toml(path: Path) -> dict[str, Any]:
    """Values from a config file; syntax errors name the file and line."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"config file not found: {path} (create one with `briefing init`)"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read config file {path}: {exc.strerror}") from None
    where = str(path)
    unknown = set(data) - {"briefing", "sources", "lexicon"}
    if unknown:
        raise ConfigError(
            f"{where}: unknown table {sorted(unknown)[0]!r}; "
            "known: [briefing], [[sources]], [lexicon]"
        )
    values = _from_table(data.get("briefing", {}), where)
    if "sources" in data:
        values["sources"] = _sources(data["sources"], where)
    if "lexicon" in data:
        lexicon = data["lexicon"]
        if not isinstance(lexicon, dict) or not all(isinstance(v, str) for v in lexicon.values()):
            raise ConfigError(f"{where}: [lexicon] entries must be term = \"respelling\"")
        values["lexicon"] = dict(lexicon)
    return values


def from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """Values from BRIEFING_<KEY> variables (BRIEFING_MINUTES=3, BRIEFING_OFFLINE=1)."""
    values = {}
    for old, new in ALIASES.items():
        if f"BRIEFING_{old.upper()}" in env and f"BRIEFING_{new.upper()}" not in env:
            values[new] = _coerce(new, env[f"BRIEFING_{old.upper()}"], f"BRIEFING_{old.upper()}")
    for name in _SCALARS:
        raw = env.get(f"BRIEFING_{name.upper()}")
        if raw is not None:
            values[name] = _coerce(name, raw, f"BRIEFING_{name.upper()}")
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
        values.update(read_toml(Path(path)))
    else:
        candidate = default_config_path(env)
        if candidate.is_file() or "BRIEFING_CONFIG" in env:
            values.update(read_toml(candidate))
    values.update(from_env(env))
    for key, value in (overrides or {}).items():
        if value is None:
            continue
        key = ALIASES.get(key, key)
        if key not in _FIELDS:
            raise ConfigError(f"unknown setting {key!r}")
        values[key] = value if key in ("lexicon", "sources") else _coerce(key, value, "option")
    return _validate(Config(**values))

"""The jobs file of `briefing batch`: batch-wide [defaults] and one [[briefing]] per episode."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefing.config import (
    Config,
    SourceSpec,
    coerce,
    from_env,
    resolve_path,
    source_specs,
    validate,
)
from briefing.errors import ConfigError

# Settings that name a file the episode is made with: read by the client and shipped with
# the job, since a worker on another machine cannot see the client's files.
PATH_KEYS = ("cover_image", "intro_audio", "outro_audio", "music_bed", "lexicon_file")
from briefing.config import ALIASES  # noqa: E402  (old names still read)

_TOP = ("scheduler", "defaults", "briefing")
_SCALARS = tuple(f for f in Config.__dataclass_fields__ if f not in ("lexicon", "sources"))
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


@dataclass(frozen=True)
class Job:
    """One episode to make: its place in the jobs file and its whole config."""

    index: int  # 1-based, as a person counts the [[briefing]] tables
    config: Config  # output_dir and every file path absolute

    @property
    def name(self) -> str:
        return f"job {self.index} ({self.config.title!r})"

    @property
    def output_dir(self) -> Path:
        return Path(self.config.output_dir)


@dataclass(frozen=True)
class JobsFile:
    """Every job of a batch, and the scheduler the file asks for ("" for this machine)."""

    path: Path
    jobs: tuple[Job, ...]
    scheduler: str = ""


def load_jobs(
    path: Path,
    *,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> JobsFile:
    """Read and check a jobs file; a ConfigError names the job (index and title) and the key.

    Each job's config is: packaged defaults < BRIEFING_* variables < [defaults] <
    its [[briefing]] table < `overrides` (flags; None values ignored). Relative paths are
    taken from the jobs file's folder. A job without output_dir gets its own archive,
    the defaults' output_dir (or "output") / the slug of its title.
    """
    env = os.environ if env is None else env
    data = _read(path)
    where = str(path)
    unknown = sorted(set(data) - set(_TOP))
    if unknown:
        raise ConfigError(f"{where}: unknown key {unknown[0]!r}; known: scheduler, [defaults], "
                          "[[briefing]]")
    scheduler = data.get("scheduler", "")
    if not isinstance(scheduler, str):
        raise ConfigError(f"{where}: scheduler must be a string like \"tcp://host:8786\"")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise ConfigError(f"{where}: defaults must be a table: [defaults]")
    tables = data.get("briefing", [])
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{where}: no [[briefing]] table: add one per episode, each with a "
                          "title and its [[briefing.sources]]")
    base = path.resolve().parent
    shared = _values(defaults, f"{where}: [defaults]", base)
    shared = {**from_env(env), **shared}
    jobs = []
    seen: dict[str, Job] = {}
    for index, table in enumerate(tables, 1):
        title = table.get("title") if isinstance(table, dict) else None
        label = f"{where}: job {index}" + (f" ({title!r})" if isinstance(title, str) else "")
        if not isinstance(table, dict):
            raise ConfigError(f"{label}: each [[briefing]] must be a table")
        job = _job(index, table, shared, overrides or {}, label, base)
        other = seen.get(job.config.output_dir)
        if other is not None:
            raise ConfigError(f"{label}: output_dir {job.config.output_dir} is also "
                              f"{other.name}'s: give each briefing its own archive folder")
        seen[job.config.output_dir] = job
        jobs.append(job)
    return JobsFile(path, tuple(jobs), scheduler)


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"jobs file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"jobs file {path} is not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"jobs file {path} is not UTF-8: save it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(f"cannot read jobs file {path}: {exc.strerror}") from None


def _job(index: int, table: Mapping[str, Any], shared: Mapping[str, Any],
         overrides: Mapping[str, Any], label: str, base: Path) -> Job:
    own = _values(table, label, base)
    values = {**shared, **own}
    if "lexicon" in shared and "lexicon" in own:
        values["lexicon"] = {**shared["lexicon"], **own["lexicon"]}
    for key, value in overrides.items():
        if value is not None:
            values[key] = coerce(key, value, "option")
    if "output_dir" not in own:
        from briefing.publish.files import slugify

        parent = Path(str(shared.get("output_dir", base / "output")))
        values["output_dir"] = str(parent / slugify(str(values.get("title", Config.title))))
    if not values.get("sources"):
        raise ConfigError(f"{label}: no sources: add [[briefing.sources]] with a location "
                          "(or [[defaults.sources]] for every job)")
    try:
        config = validate(Config(**values))
    except ConfigError as exc:
        raise ConfigError(f"{label}: {exc}") from None
    return Job(index, config)


def _values(table: Mapping[str, Any], where: str, base: Path) -> dict[str, Any]:
    """A [defaults] or [[briefing]] table as Config values, paths made absolute."""
    values: dict[str, Any] = {}
    for raw_key, value in table.items():
        key = ALIASES.get(raw_key, raw_key)
        if key == "sources":
            values["sources"] = tuple(_source(s, where) for s in source_specs(value, where, base))
        elif key == "lexicon":
            if not isinstance(value, dict) or not all(isinstance(v, str)
                                                      for v in value.values()):
                raise ConfigError(f"{where}: lexicon entries must be term = \"respelling\"")
            values["lexicon"] = dict(value)
        elif key in _SCALARS:
            values[key] = coerce(key, value, where)
            if (key in PATH_KEYS or key == "output_dir") and values[key]:
                values[key] = resolve_path(values[key], f"{where}: {key}", base)
        else:
            known = ", ".join(sorted([*_SCALARS, *ALIASES, "sources", "lexicon"]))
            raise ConfigError(f"{where}: unknown key {raw_key!r}; known keys: {known}")
    return values


def _source(spec: SourceSpec, where: str) -> SourceSpec:
    if spec.location.strip() == "-":
        raise ConfigError(f"{where}: a batch has no standard input: give a file, URL or feed "
                          "instead of \"-\"")
    return spec

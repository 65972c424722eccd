"""The pronunciation lexicon: packaged and user respellings, applied whole-word, case-aware."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path

from briefing.errors import ConfigError

APOSTROPHE = re.compile(r"[’‘`´ʼ]")


class Protected:
    """Finished spans kept out of later rules behind private-use placeholder characters.

    Mutable by design: one instance lives for one for_ear call.
    """

    BASE = 0xE000

    def __init__(self) -> None:
        self.spans: list[str] = []

    def hold(self, text: str) -> str:
        self.spans.append(text)
        return chr(self.BASE + len(self.spans) - 1)

    def restore(self, text: str) -> str:
        if not self.spans:
            return text
        return re.sub("[\ue000-\uf8ff]", lambda m: self._span(m.group(0)), text)

    def _span(self, char: str) -> str:
        index = ord(char) - self.BASE
        return self.spans[index] if index < len(self.spans) else ""


@lru_cache(maxsize=16)
def _compile_lexicon(
    items: tuple[tuple[str, str], ...],
) -> tuple[re.Pattern[str] | None, dict[str, str], dict[str, str]]:
    exact = {k: v for k, v in items if k != k.lower()}
    folded = {k: v for k, v in items if k == k.lower()}
    keys = sorted(exact.keys() | folded.keys(), key=len, reverse=True)
    if not keys:
        return None, exact, folded
    alternatives = [
        re.escape(k) if k in exact else f"(?i:{re.escape(k)})" for k in keys if k.strip()
    ]
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")
    return pattern, exact, folded


def apply_lexicon(text: str, lexicon: Mapping[str, str], protect: Protected) -> str:
    items = tuple(sorted((APOSTROPHE.sub("'", k), v) for k, v in lexicon.items()))
    pattern, exact, folded = _compile_lexicon(items)
    if pattern is None:
        return text

    def replace(m: re.Match[str]) -> str:
        found = m.group(0)
        said = exact.get(found, folded.get(found.lower()))
        return protect.hold(said) if said is not None else found

    return pattern.sub(replace, text)


def load_lexicon(user_path: Path | None = None) -> dict[str, str]:
    """The packaged pronunciation lexicon, overridden and extended by the user's TOML file.

    The user's file holds `term = "respelling"` pairs at the top level or in a
    `[lexicon]` table. A lowercase term matches any case; a term with capitals
    matches exactly. Raises ConfigError naming the file (and line) when it is unreadable.
    """
    packaged = resources.files("briefing").joinpath("data", "lexicon.toml").read_text("utf-8")
    lexicon = _lexicon_entries(tomllib.loads(packaged), "briefing/data/lexicon.toml")
    if user_path is not None:
        path = Path(user_path)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(
                f"lexicon file not found: {path}: create it or drop the lexicon setting"
            ) from None
        except (OSError, UnicodeDecodeError) as err:
            raise ConfigError(f"cannot read lexicon {path}: {err}") from None
        except tomllib.TOMLDecodeError as err:  # its message names the line and column
            raise ConfigError(
                f"{path}: not valid TOML ({err}): write entries as term = \"respelling\""
            ) from None
        lexicon.update(_lexicon_entries(data, str(path)))
    return lexicon


def _lexicon_entries(data: Mapping[str, object], where: str) -> dict[str, str]:
    entries: dict[str, str] = {}
    for key, value in data.items():
        if key == "lexicon" and isinstance(value, Mapping):
            entries.update(_lexicon_entries(value, where))
        elif isinstance(value, str):
            entries[APOSTROPHE.sub("'", key)] = value
        else:
            raise ConfigError(
                f"{where}: lexicon entry {key!r} must be a string, like "
                f'{key} = "respelling"'
            )
    return entries


def user_lexicon(
    lexicon_file: str = "", entries: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The lexicon a run uses: packaged, then the config's `lexicon_file`, then its [lexicon]."""
    lexicon = load_lexicon(Path(lexicon_file) if lexicon_file else None)
    lexicon.update(entries or {})
    return lexicon


@lru_cache(maxsize=1)
def default_lexicon() -> dict[str, str]:
    return load_lexicon()

"""The data that passes between stages: frozen dataclasses, nothing else."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Role = Literal["host", "reader"]
Kind = Literal["intro", "headline", "story", "transition", "outro"]
Break = Literal["sentence", "paragraph"]


@dataclass(frozen=True)
class Article:
    """One story's text and what we know about where it came from."""

    text: str
    title: str = ""
    source: str = ""  # what the user gave: a path, a URL, "-", or a feed
    url: str = ""  # the story's own link, when it has one
    author: str = ""
    site_name: str = ""
    date: str = ""  # ISO 8601 date when known, else ""
    language: str = "en"  # ISO 639-1 code

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass(frozen=True)
class Voice:
    """A voice as the synthesizer needs it: an engine voice id, a rate and a pitch."""

    id: str = "en-us"
    rate: int = 170  # words per minute as espeak-ng understands it
    pitch: int = 50  # espeak-ng 0..100
    engine: str = ""  # the speech engine; empty: the run's own (`engine` in the config)


@dataclass(frozen=True)
class Line:
    """One thing said by one voice: the unit of synthesis and of the transcript."""

    text: str  # as written in the transcript
    role: Role = "reader"
    kind: Kind = "story"
    language: str = "en"
    pause_after_ms: int = 350


@dataclass(frozen=True)
class Section:
    """A run of lines that makes one chapter: the intro, a story, the outro."""

    title: str
    lines: tuple[Line, ...]
    url: str = ""
    source: str = ""


@dataclass(frozen=True)
class Script:
    """What will be said, in order, and by whom."""

    show: str
    title: str
    date: str  # ISO 8601
    language: str
    sections: tuple[Section, ...]
    host: Voice = field(default_factory=Voice)
    reader: Voice = field(default_factory=Voice)

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for section in self.sections for line in section.lines)

    @property
    def text(self) -> str:
        """The script as plain text, one paragraph per section."""
        return "\n\n".join(" ".join(ln.text for ln in s.lines) for s in self.sections) + "\n"

    @property
    def words(self) -> int:
        return sum(len(ln.text.split()) for ln in self.lines)


@dataclass(frozen=True)
class Segment:
    """A line turned into audio: a WAV file and its exact length."""

    line: Line
    wav: Path
    duration_ms: float


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int
    url: str = ""


@dataclass(frozen=True)
class Cue:
    """One timed sentence of the transcript (for VTT/SRT)."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Episode:
    """A finished briefing on disk: the MP3 and what was written beside it."""

    mp3: Path
    title: str
    date: str
    duration_ms: int
    chapters: tuple[Chapter, ...]
    cues: tuple[Cue, ...]
    sources: tuple[str, ...]
    sidecars: tuple[Path, ...] = ()


@dataclass(frozen=True)
class Story:
    """An article and the sentences chosen to be read from it."""

    article: Article
    sentences: tuple[str, ...]
    # pause after each sentence, same length as sentences; paragraph ends get longer pauses
    breaks: tuple[Break, ...] = ()

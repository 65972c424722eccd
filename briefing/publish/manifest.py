"""The episode's .json manifest: what the archive, feed and page know of an episode, one format.

Written beside every MP3 by the pipeline, read back by the archive scan. Tests that fake
episodes write it through `dumps` too, so the format lives here only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from briefing.models import Chapter


@dataclass(frozen=True)
class SpokenLine:
    """One line as it sits in the finished MP3."""

    text: str
    start_ms: int
    end_ms: int
    role: str = "reader"
    kind: str = "story"
    language: str = "en"


@dataclass(frozen=True)
class Manifest:
    title: str
    show: str
    date: str  # ISO 8601 day
    language: str
    duration_ms: int
    sources: tuple[str, ...] = ()
    chapters: tuple[Chapter, ...] = ()
    lines: tuple[SpokenLine, ...] = ()
    voices: dict[str, Any] = field(default_factory=dict)
    loudness: dict[str, float] = field(default_factory=dict)
    made: str = ""  # when it was made: ISO 8601 with the machine's UTC offset; "" if unknown
    number: int = 0  # its itunes:episode number in the archive; 0 if unknown

    def story_titles(self) -> tuple[str, ...]:
        """The chapters that hold a story read aloud (not the intro or outro), in order."""
        return tuple(c.title for c in story_chapters(self.chapters, self.lines))


def dumps(manifest: Manifest) -> str:
    data = {
        "title": manifest.title,
        "show": manifest.show,
        "date": manifest.date,
        "language": manifest.language,
        "duration_ms": manifest.duration_ms,
        "sources": list(manifest.sources),
        "voices": manifest.voices,
        "loudness": manifest.loudness,
        "made": manifest.made,
        "number": manifest.number,
        "chapters": [asdict(c) for c in manifest.chapters],
        "segments": [
            {"text": ln.text, "role": ln.role, "kind": ln.kind, "language": ln.language,
             "start_ms": ln.start_ms, "end_ms": ln.end_ms}
            for ln in manifest.lines
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def loads(text: str, *, fallback_title: str = "", fallback_date: str = "") -> Manifest:
    """The manifest in `text`; ValueError, KeyError or TypeError when it is not one."""
    data = json.loads(text)
    date = str(data.get("date") or fallback_date)
    dt.date.fromisoformat(date)
    return Manifest(
        title=str(data.get("title", fallback_title)),
        show=str(data.get("show", "")),
        date=date,
        language=str(data.get("language", "en")),
        duration_ms=int(data.get("duration_ms", 0)),
        sources=tuple(str(s) for s in data.get("sources", [])),
        chapters=tuple(
            Chapter(str(c["title"]), int(c["start_ms"]), int(c["end_ms"]), str(c.get("url", "")))
            for c in data.get("chapters", [])
        ),
        lines=tuple(
            SpokenLine(str(s["text"]), int(s["start_ms"]), int(s["end_ms"]),
                       str(s.get("role", "reader")), str(s.get("kind", "story")),
                       str(s.get("language", "en")))
            for s in data.get("segments", [])
        ),
        voices=dict(data.get("voices") or {}),
        loudness=dict(data.get("loudness") or {}),
        made=str(data.get("made") or ""),
        number=int(data.get("number") or 0),
    )


def story_chapters(chapters: Sequence[Chapter], lines: Sequence[SpokenLine]) -> list[Chapter]:
    """The chapters in which the reader reads a story; all but the first and last when the
    lines do not say (an old manifest)."""
    if not any(ln.kind == "story" for ln in lines):
        return list(chapters[1:-1])
    return [c for c in chapters
            if any(ln.kind == "story" and c.start_ms <= ln.start_ms < c.end_ms for ln in lines)]


def first_sentences(chapters: Sequence[Chapter], lines: Sequence[SpokenLine]) -> list[str]:
    """Per story chapter, the first sentence the reader reads: its one-line summary."""
    out = []
    for chapter in story_chapters(chapters, lines):
        read = [ln.text for ln in lines
                if ln.kind == "story" and chapter.start_ms <= ln.start_ms < chapter.end_ms]
        out.append(read[0] if read else "")
    return out


def episode_title(date: str, language: str, stories: Sequence[str]) -> str:
    """An episode's published title: the day and the lead story, never the show's name again
    (podcast apps show it beside every episode already)."""
    from briefing.script import spoken_date

    day = spoken_date(dt.date.fromisoformat(date), language)
    lead = next((s for s in stories if s.strip()), "")
    return f"{day}: {lead}" if lead else day

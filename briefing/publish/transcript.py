"""Sidecars beside the MP3: the spoken text, WebVTT and SRT subtitles, Podcasting 2.0 chapters."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence

from briefing.models import Chapter, Cue, Script

CUE_LINE_CHARS = 65  # subtitle guidance for reading speed and phone screens


def _clock(ms: float, sep: str) -> str:
    total = max(0, round(ms))
    hours, rest = divmod(total, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}{sep}{millis:03d}"


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, CUE_LINE_CHARS)) or text


def _cue_blocks(cues: Sequence[Cue], decimal: str) -> list[str]:
    """Numbered cues, as WebVTT and SubRip both write them (they differ in the decimal mark)."""
    return [
        f"{i}\n{_clock(c.start_ms, decimal)} --> {_clock(c.end_ms, decimal)}\n{_wrap(c.text)}\n"
        for i, c in enumerate(cues, 1)
    ]


def vtt(cues: Sequence[Cue]) -> str:
    return "\n".join(["WEBVTT\n", *_cue_blocks(cues, ".")])


def srt(cues: Sequence[Cue]) -> str:
    return "\n".join(_cue_blocks(cues, ","))


def chapters_json(chapters: Sequence[Chapter]) -> str:
    """Podcasting 2.0 JSON chapters (https://github.com/Podcastindex-org/podcast-namespace)."""
    items = []
    for chapter in chapters:
        item: dict[str, object] = {
            "startTime": round(chapter.start_ms / 1000, 3),
            "endTime": round(chapter.end_ms / 1000, 3),
            "title": chapter.title,
        }
        if chapter.url:
            item["url"] = chapter.url
        items.append(item)
    return json.dumps({"version": "1.2.0", "chapters": items}, indent=2, ensure_ascii=False) + "\n"


def transcript(script: Script) -> str:
    """The script as spoken, one paragraph per section, with the section titles."""
    parts = [script.title, ""]
    for section in script.sections:
        parts.append(f"## {section.title}")
        if section.url:
            parts.append(section.url)
        parts.append(" ".join(line.text for line in section.lines))
        parts.append("")
    return "\n".join(parts)

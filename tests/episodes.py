"""Fake episodes for archive, feed and serve tests: a real MP3 (ffmpeg's sine) + a manifest."""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

from briefing.models import Chapter, Cue
from briefing.publish.manifest import Manifest, SpokenLine, dumps
from briefing.publish.transcript import chapters_json, srt, vtt


@cache
def _tone(seconds: float, cache_dir: str) -> bytes:
    exe = shutil.which("ffmpeg")
    assert exe, "ffmpeg is needed by the tests: scripts/setup.sh test installs it"
    out = Path(cache_dir) / f"tone-{seconds}.mp3"
    subprocess.run(
        [exe, "-v", "error", "-y", "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
         "-ac", "1", "-ar", "44100", "-b:a", "64k", str(out)],
        check=True,
    )
    return out.read_bytes()


def fake_episode(output_dir: Path, date: str, slug: str = "morning-briefing",
                 seconds: float = 6.0, title: str | None = None, *,
                 story: str = "Solar & the town",
                 story_url: str = "https://example.org/solar?a=1&b=2",
                 sources: tuple[str, ...] = ("https://example.org/feed.xml",
                                             "notes/local file.txt"),
                 made: str = "", number: int = 0) -> Path:
    """output_dir/DATE/SLUG.mp3 with the sidecars render() writes; returns the MP3's path."""
    day = output_dir / date
    day.mkdir(parents=True, exist_ok=True)
    mp3 = day / f"{slug}.mp3"
    tone_dir = output_dir.parent / ".tones"
    tone_dir.mkdir(exist_ok=True)
    mp3.write_bytes(_tone(seconds, str(tone_dir)))
    ms = int(seconds * 1000)
    third = ms // 3
    chapters = [Chapter("Intro", 0, third), Chapter(story, third, 2 * third, story_url),
                Chapter("Outro", 2 * third, ms)]
    lines = (
        SpokenLine("Good morning, this is the briefing.", 0, third - 200, "host", "intro"),
        SpokenLine("The town voted for solar panels.", third, 2 * third - 200),
        SpokenLine("That was the briefing.", 2 * third, ms, "host", "outro"),
    )
    manifest = Manifest(
        title=title or f"Morning Briefing, {date}", show="Morning Briefing", date=date,
        language="en", duration_ms=ms,
        sources=sources, chapters=tuple(chapters), lines=lines, made=made, number=number,
    )
    cues = [Cue(ln.text, ln.start_ms, ln.end_ms) for ln in lines]
    stem = mp3.with_suffix("")
    (day / f"{slug}.json").write_text(dumps(manifest))
    (day / f"{slug}.chapters.json").write_text(chapters_json(chapters))
    stem.with_name(slug + ".vtt").write_text(vtt(cues))
    stem.with_name(slug + ".srt").write_text(srt(cues))
    stem.with_name(slug + ".txt").write_text("\n".join(ln.text for ln in lines) + "\n")
    return mp3

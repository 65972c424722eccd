"""Fake episodes for archive, feed and serve tests: a real MP3 (ffmpeg's sine) + a manifest."""

from __future__ import annotations

import json
import shutil
import subprocess
from functools import cache
from pathlib import Path

from briefing.models import Chapter
from briefing.publish.transcript import chapters_json


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
                 seconds: float = 6.0, title: str | None = None) -> Path:
    """output_dir/DATE/SLUG.mp3 with the sidecars render() writes; returns the MP3's path."""
    day = output_dir / date
    day.mkdir(parents=True, exist_ok=True)
    mp3 = day / f"{slug}.mp3"
    tone_dir = output_dir.parent / ".tones"
    tone_dir.mkdir(exist_ok=True)
    mp3.write_bytes(_tone(seconds, str(tone_dir)))
    ms = int(seconds * 1000)
    third = ms // 3
    chapters = [Chapter("Intro", 0, third), Chapter("Solar & the town", third, 2 * third,
                                                    "https://example.org/solar?a=1&b=2"),
                Chapter("Outro", 2 * third, ms)]
    segments = [
        {"text": "Good morning, this is the briefing.", "role": "host", "kind": "intro",
         "language": "en", "start_ms": 0, "end_ms": third - 200},
        {"text": "The town voted for solar panels.", "role": "reader", "kind": "story",
         "language": "en", "start_ms": third, "end_ms": 2 * third - 200},
        {"text": "That was the briefing.", "role": "host", "kind": "outro",
         "language": "en", "start_ms": 2 * third, "end_ms": ms},
    ]
    manifest = {
        "title": title or f"Morning Briefing, {date}", "show": "Morning Briefing", "date": date,
        "language": "en", "duration_ms": ms, "sources": ["https://example.org/feed.xml",
                                                          "notes/local file.txt"],
        "voices": {}, "loudness": {}, "chapters": [c.__dict__ for c in chapters],
        "segments": segments,
    }
    stem = mp3.with_suffix("")
    (day / f"{slug}.json").write_text(json.dumps(manifest, indent=2))
    (day / f"{slug}.chapters.json").write_text(chapters_json(chapters))
    vtt = ["WEBVTT", ""]
    for i, s in enumerate(segments, 1):
        vtt += [str(i), f"{_ts(s['start_ms'])} --> {_ts(s['end_ms'])}", str(s["text"]), ""]
    stem.with_name(slug + ".vtt").write_text("\n".join(vtt))
    srt = "\n".join(line.replace(".", ",") if "-->" in line else line for line in vtt[2:])
    stem.with_name(slug + ".srt").write_text(srt)
    stem.with_name(slug + ".txt").write_text("\n".join(str(s["text"]) for s in segments) + "\n")
    return mp3


def _ts(ms: int | str | object) -> str:
    ms = int(str(ms))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"

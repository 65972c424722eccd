"""A finished episode's files: tags and chapters on the MP3, sidecars, manifest, committed whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import OutputError
from briefing.models import Chapter, Cue, Episode, Script, Segment

if TYPE_CHECKING:
    from briefing.audio.loudness import Loudness
    from briefing.config import Config


def destination(script: Script, output_dir: str) -> Path:
    """Where an episode lands unless told: output_dir/DATE/SLUG.mp3, the slug from the
    story's title when there is one story, else from the show's name."""
    from briefing.publish.files import inside, slugify

    base = Path(output_dir)
    stories = [s for s in script.sections if s.lines and s.lines[-1].kind == "story"]
    name = slugify(stories[0].title if len(stories) == 1 else script.show)
    return inside(base, base / script.date / f"{name}.mp3")


def check_destination(dest: Path) -> None:
    if dest.suffix.lower() != ".mp3":
        raise OutputError(f"the output must end in .mp3: {dest}")
    if dest.is_dir():
        raise OutputError(f"{dest} is a directory: give a file name ending in .mp3")


def cover(script: Script, cover_image: str) -> bytes:
    """The user's cover image, or one generated from the show's name and the date."""
    if cover_image:
        path = Path(cover_image).expanduser()
        try:
            return path.read_bytes()
        except OSError as exc:
            raise OutputError(f"cannot read cover_image {path}: {exc.strerror}") from None
    from briefing.publish.cover import cover_png
    from briefing.script import spoken_date

    return cover_png(script.show, spoken_date(dt.date.fromisoformat(script.date), script.language))


def manifest_text(episode: Episode, script: Script, segments: Sequence[Segment],
                  loudness: Loudness) -> str:
    from briefing.publish.manifest import Manifest, SpokenLine, dumps

    return dumps(Manifest(
        title=episode.title, show=script.show, date=episode.date, language=script.language,
        duration_ms=episode.duration_ms, sources=episode.sources, chapters=episode.chapters,
        lines=tuple(
            SpokenLine(s.line.text, c.start_ms, c.end_ms, s.line.role, s.line.kind,
                       s.line.language)
            for s, c in zip(segments, episode.cues, strict=True)
        ),
        voices={"host": asdict(script.host), "reader": asdict(script.reader)},
        loudness={"integrated_lufs": loudness.integrated_lufs,
                  "true_peak_dbtp": loudness.true_peak_dbtp},
    ))


def write_episode(
    staging: Path,
    mp3: Path,
    dest: Path,
    script: Script,
    *,
    chapters: tuple[Chapter, ...],
    cues: tuple[Cue, ...],
    duration_ms: float,
    segments: Sequence[Segment],
    loudness: Loudness,
    sources: Sequence[str],
    config: Config,
) -> Episode:
    """Tag the staged MP3, write its sidecars and manifest beside it in `staging`, and move
    them all to `dest`, the MP3 last: it appears only when everything beside it is there."""
    from briefing.publish import files, tags, transcript

    source_lines = [s.url or s.source for s in script.sections if s.url or s.source]
    tags.write_tags(mp3, title=script.title, show=script.show, date=script.date,
                    comment="Sources: " + "; ".join(source_lines) if source_lines else "",
                    language=script.language, chapters=chapters,
                    cover=cover(script, config.cover_image))
    stem = dest.with_suffix("")
    sidecars = {
        ".txt": transcript.transcript(script),
        ".vtt": transcript.vtt(cues),
        ".srt": transcript.srt(cues),
        ".chapters.json": transcript.chapters_json(chapters),
    }
    staged: dict[Path, Path] = {}
    for suffix, text in sidecars.items():
        (staging / f"episode{suffix}").write_text(text, encoding="utf-8")
        staged[staging / f"episode{suffix}"] = stem.with_name(stem.name + suffix)
    episode = Episode(
        mp3=dest, title=script.title, date=script.date, duration_ms=round(duration_ms),
        chapters=chapters, cues=cues, sources=tuple(sources) or tuple(source_lines),
        sidecars=(*staged.values(), stem.with_name(stem.name + ".json")),
    )
    manifest = staging / "episode.json"
    manifest.write_text(manifest_text(episode, script, segments, loudness), encoding="utf-8")
    staged[manifest] = stem.with_name(stem.name + ".json")
    staged[mp3] = dest
    files.commit(staged)
    return episode

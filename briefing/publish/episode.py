"""A finished episode's files: tags and chapters on the MP3, sidecars, manifest, committed whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, replace
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
    from briefing.publish.archive import check_archive_folder
    from briefing.publish.files import inside, slugify

    base = Path(output_dir)
    check_archive_folder(base)
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


def published_title(script: Script) -> str:
    """The episode's title in its tags, manifest and feed: the day and the lead story."""
    from briefing.publish.manifest import episode_title

    stories = [s.title for s in script.sections if any(ln.kind == "story" for ln in s.lines)]
    return episode_title(script.date, script.language, stories)


def public_chapters(chapters: Sequence[Chapter]) -> tuple[Chapter, ...]:
    """The chapters with only http(s) links: a feed item's `javascript:` link stays out."""
    from briefing.publish.links import public_url

    return tuple(replace(c, url=public_url(c.url)) for c in chapters)


def manifest_text(episode: Episode, script: Script, segments: Sequence[Segment],
                  loudness: Loudness, *, number: int = 0) -> str:
    from briefing.publish.links import source_name
    from briefing.publish.manifest import Manifest, SpokenLine, dumps

    return dumps(Manifest(
        title=episode.title, show=script.show, date=episode.date, language=script.language,
        duration_ms=episode.duration_ms,
        sources=tuple(n for n in dict.fromkeys(source_name(s) for s in episode.sources) if n),
        chapters=public_chapters(episode.chapters),
        lines=tuple(
            SpokenLine(s.line.text, c.start_ms, c.end_ms, s.line.role, s.line.kind,
                       s.line.language)
            for s, c in zip(segments, episode.cues, strict=True)
        ),
        voices={"host": asdict(script.host), "reader": asdict(script.reader)},
        loudness={"integrated_lufs": loudness.integrated_lufs,
                  "true_peak_dbtp": loudness.true_peak_dbtp},
        made=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        number=number,
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
    from briefing.publish import archive, files, tags, transcript
    from briefing.publish.links import public_url, source_name

    chapters = public_chapters(chapters)
    title = published_title(script)
    source_lines = [s.url or s.source for s in script.sections if s.url or s.source]
    # the tag names sources as the feed does: public links, files by their name only
    named = [n for n in dict.fromkeys(public_url(s.url) or source_name(s.source)
                                      for s in script.sections if s.url or s.source) if n]
    tags.write_tags(mp3, title=title, show=script.show, date=script.date,
                    comment="Sources: " + "; ".join(named) if named else "",
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
        mp3=dest, title=title, date=script.date, duration_ms=round(duration_ms),
        chapters=chapters, cues=cues, sources=tuple(sources) or tuple(source_lines),
        sidecars=(*staged.values(), stem.with_name(stem.name + ".json")),
    )
    manifest = staging / "episode.json"
    manifest.write_text(manifest_text(episode, script, segments, loudness,
                                      number=archive.next_number(dest)), encoding="utf-8")
    staged[manifest] = stem.with_name(stem.name + ".json")
    staged[mp3] = dest
    files.commit(staged)
    return episode

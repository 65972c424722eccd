"""A finished episode's files: tags and chapters on the MP3, sidecars, manifest, committed whole."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefing.errors import OutputError
from briefing.models import Chapter, Cue, Episode, Script, Segment

if TYPE_CHECKING:
    from briefing.audio.loudness import Loudness
    from briefing.config import Config


@dataclass(frozen=True)
class Target:
    """Where an episode goes: a path the user chose (-o), or a name to pick in a dated folder.

    A chosen path replaces only an earlier briefing (or anything but a source, with
    `force`); a picked name never replaces anything (SLUG-2.mp3 when SLUG.mp3 is taken),
    unless `force` remakes an earlier briefing of that name.
    """

    path: Path
    chosen: bool
    inputs: tuple[Path, ...] = ()  # the run's source files: never replaced, even with force
    force: bool = False

    def check(self) -> None:
        """Refuse now, before any speech work, what the commit would refuse."""
        from briefing.publish import files

        if self.chosen:
            files.check_parent(self.path)
            files.claim(self.path, inputs=self.inputs, force=self.force)

    def final(self) -> Path:
        """The name to commit to, decided under the archive lock (another run may have
        taken a name since the check)."""
        from briefing.publish import files

        if self.chosen:
            files.claim(self.path, inputs=self.inputs, force=self.force)
            return self.path
        return files.free_name(self.path, inputs=self.inputs, reuse=self.force)


def target(script: Script, output_dir: str, *, output: Path | None = None,
           inputs: Sequence[Path] = (), force: bool = False) -> Target:
    """`output` if given, else output_dir/DATE/SLUG.mp3, the slug from the story's title
    when there is one story, else from the show's name."""
    from briefing.publish.archive import check_archive_folder
    from briefing.publish.files import inside, slugify

    if output is not None:
        return Target(Path(output), True, tuple(inputs), force)
    base = Path(output_dir)
    check_archive_folder(base)
    stories = [s for s in script.sections if s.lines and s.lines[-1].kind == "story"]
    name = slugify(stories[0].title if len(stories) == 1 else script.show)
    return Target(inside(base, base / script.date / f"{name}.mp3"), False, tuple(inputs), force)


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
    where: Target,
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
    them all to their names, the MP3 last: it appears only when everything beside it is
    there, and a failure leaves none of them (and any earlier files of that name) as it found
    them. The name is settled under the output folder's lock, so two runs never take one."""
    from briefing.lock import archive_lock
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
    texts = {
        ".txt": transcript.transcript(script),
        ".vtt": transcript.vtt(cues),
        ".srt": transcript.srt(cues),
        ".chapters.json": transcript.chapters_json(chapters),
    }
    for suffix, text in texts.items():
        (staging / f"episode{suffix}").write_text(text, encoding="utf-8")
    with archive_lock(files.archive_root(where.path)):
        dest = where.final()
        final = files.episode_files(dest)
        episode = Episode(
            mp3=dest, title=title, date=script.date, duration_ms=round(duration_ms),
            chapters=chapters, cues=cues, sources=tuple(sources) or tuple(source_lines),
            sidecars=tuple(final[suffix] for suffix in (*texts, ".json")),
        )
        manifest = staging / "episode.json"
        manifest.write_text(manifest_text(episode, script, segments, loudness,
                                          number=archive.next_number(dest)), encoding="utf-8")
        staged = {staging / f"episode{suffix}": final[suffix] for suffix in texts}
        staged[manifest] = final[".json"]
        staged[mp3] = dest
        files.commit(staged, backup_dir=staging)
    return episode

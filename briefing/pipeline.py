"""The one module that knows the order: sources -> clean -> summarize -> script -> speech -> MP3.

`make_episode` runs every stage; the CLI's `make`, the Python API and `daily` call it.
`render` is the back half alone (speech -> audio -> files), for a script edited by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from briefing.config import Config, load_config
from briefing.errors import EmptyArticleError, SourceError
from briefing.models import Article, Episode, Script, Segment, Story, Voice
from briefing.script import Pauses
from briefing.tts.base import Synthesizer
from briefing.tts.cache import SegmentCache

T = TypeVar("T")
log = logging.getLogger(__name__)
Progress = Callable[[Iterable[T], int, str], Iterable[T]]


def _no_progress(items: Iterable[T], length: int, label: str) -> Iterable[T]:
    return items


def _stage(progress: Progress[Any], label: str) -> None:
    """Announce a stage that has no items to count (a progress of length 0)."""
    for _ in progress((), 0, label):
        pass


@dataclass(frozen=True)
class Plan:
    """What `script` and `make` share: the cleaned articles and the script to speak."""

    articles: tuple[Article, ...]
    script: Script


@dataclass(frozen=True)
class Made:
    """A finished run: the plan that was spoken and the episode on disk."""

    plan: Plan
    episode: Episode


# --- the front half: sources -> clean -> summarize -> script ----------------------------------


def read_articles(
    sources: Sequence[str], config: Config, *, stdin: Any = None
) -> tuple[Article, ...]:
    """Load every source (stories in order) and repair the scraped text; any failure raises."""
    return read_sources(sources, config, stdin=stdin, strict=True)


def read_sources(
    sources: Sequence[str] | Sequence[tuple[str, int]],
    config: Config,
    *,
    stdin: Any = None,
    strict: bool = False,
    skip_link: Callable[[str], bool] | None = None,
    progress: Progress[Any] = _no_progress,
) -> tuple[Article, ...]:
    """Load every source (stories in order) and repair the text.

    A source is a location, or (location, max_stories) where it differs from the
    config's. A source that fails is skipped with one warning naming it, unless `strict`;
    the first failure is raised when nothing usable is left. Feed items whose link
    `skip_link` says was spoken lately are not fetched at all.
    """
    from briefing.clean import clean
    from briefing.sources import load
    from briefing.summarize.shape import has_story

    cleaned: dict[tuple[str, str], Article] = {}  # by text and title: cleaned once

    def keep(article: Article) -> bool:
        # a feed item with nothing to read aloud gives its place to the next item
        cleaned[article.text, article.title] = done = clean(article)
        return bool(done.text.strip()) and has_story(done.text, done.title)

    specs = [(s, config.max_stories) if isinstance(s, str) else s for s in sources]
    articles: list[Article] = []
    failed: list[SourceError] = []
    label = f"Reading {len(specs)} source{'s' if len(specs) != 1 else ''}"
    locations = [location for location, _ in specs]
    for location, (_, max_stories) in zip(progress(locations, len(locations), label), specs,
                                          strict=True):
        try:
            found = load(location, max_stories=max_stories, offline=config.offline,
                         stdin=stdin, allow_private_links=config.allow_private_feed_links,
                         keep=keep, **_skipping(skip_link))
        except SourceError as exc:
            if strict:
                raise
            failed.append(exc)
            continue
        for article in found:
            done = cleaned.pop((article.text, article.title), None)
            # (a URL's feed items get the URL they came from after `keep` saw them)
            done = clean(article) if done is None else replace(done, url=article.url)
            if done.text.strip():
                articles.append(done)
    hard = [e for e in failed if not isinstance(e, EmptyArticleError)]
    if not articles:
        raise (hard or failed or [EmptyArticleError("no article text found in the sources "
                                                     "given")])[0]
    for error in failed:  # one line each: which source, why (the message names the source)
        log.warning("skipping a source: %s", error)
    return tuple(articles)


def _skipping(skip_link: Callable[[str], bool] | None) -> dict[str, Any]:
    return {"skip_link": skip_link} if skip_link is not None else {}


def script_pauses(config: Config) -> Pauses:
    return Pauses(config.pause_sentence_ms, config.pause_paragraph_ms, config.pause_story_ms)


def plan(
    articles: Sequence[Article],
    config: Config,
    *,
    date: dt.date | None = None,
    chars_per_minute: Callable[[Voice], float] | None = None,
) -> Plan:
    """Choose the sentences that fit the time asked for, and write the script around them."""
    from briefing.paths import temp_dir
    from briefing.script import paragraph_breaks, write_script
    from briefing.script.budget import story_word_budget
    from briefing.summarize import summarize_articles
    from briefing.tts.calibrate import rate_meter
    from briefing.tts.voices import script_voices

    temp_dir()  # measuring the voices' speed writes there: no folder, one clear line
    date = date or dt.date.today()
    host, reader = script_voices(config)
    rate = chars_per_minute or rate_meter(config)
    pauses = script_pauses(config)

    def script_for(chosen: Sequence[Sequence[str]]) -> Script:
        stories = [
            Story(a, tuple(s), paragraph_breaks(a.text, s))
            for a, s in zip(articles, chosen, strict=True)
            if s
        ]
        return write_script(stories, show=config.title, date=date, language=config.language,
                            host=host, reader=reader, pauses=pauses)

    # the host's lines do not depend on which sentences are chosen: measure them once
    lead_only = [[a.text.split(".")[0]] for a in articles]
    host_lines = [ln.text for ln in script_for(lead_only).lines if ln.role == "host"]
    budget = story_word_budget(config, host_lines, [a.text for a in articles], rate,
                               languages=[a.language for a in articles])
    chosen = summarize_articles(
        [a.text for a in articles], budget,
        titles=[a.title for a in articles], languages=[a.language for a in articles],
        fill=True,  # the listener asked for this many minutes
    )
    return Plan(tuple(articles), script_for(chosen))


# --- the back half: speech -> audio -> files ----------------------------------------------------


def speech_items(script: Script, config: Config) -> list[tuple[str, Voice]]:
    """Each line as it will be spoken (for the ear, lexicon applied) and the voice for it."""
    from briefing.speech.lexicon import user_lexicon
    from briefing.speech.memo import for_ear_lines
    from briefing.tts.voices import voice_for

    lexicon = user_lexicon(config.lexicon_file, config.lexicon)
    spoken = for_ear_lines([(ln.text, ln.language) for ln in script.lines], lexicon)
    return [(text, voice_for(ln, script)) for text, ln in zip(spoken, script.lines, strict=True)]


def _spoken(
    script: Script,
    items: Sequence[tuple[str, Voice]],
    workdir: Path,
    config: Config,
    synth: Synthesizer,
    cache: SegmentCache | None,
    progress: Progress[Any],
) -> Iterator[Segment]:
    from briefing import tts
    from briefing.tts.lanes import default_jobs, synthesize_lines
    from briefing.tts.wavfile import duration_s

    wavs: Iterator[Path] = synthesize_lines(
        items, workdir, synth, cache=cache, jobs=default_jobs(),
        new_synth=lambda: tts.for_config(config),
    )
    label = f"Speaking {len(items)} lines"
    for line, wav in zip(script.lines, progress(wavs, len(items), label), strict=True):
        yield Segment(line, wav, duration_s(wav) * 1000)


def speak_lines(
    script: Script,
    workdir: Path,
    config: Config,
    *,
    progress: Progress[Any] = _no_progress,
    use_cache: bool = True,
) -> Iterator[Segment]:
    """Segments in order, as they are spoken: cached ones at once, the rest on every core."""
    from briefing import tts
    from briefing.tts.cache import segment_cache
    from briefing.tts.voices import usable

    synth = tts.for_config(config)
    try:
        items = usable(speech_items(script, config), script, synth)
        yield from _spoken(script, items, workdir, config, synth, segment_cache(use_cache),
                           progress)
    finally:
        synth.close()


def render(
    script: Script,
    config: Config,
    *,
    output: Path | None = None,
    sources: Sequence[str] = (),
    inputs: Sequence[Path] = (),
    force: bool = False,
    progress: Progress[Any] = _no_progress,
    use_cache: bool = True,
) -> Episode:
    """Speak the script and write the finished episode and its sidecars, atomically.

    `output` is replaced only when it is an earlier briefing (or with `force`); without it
    the episode gets a free name in output_dir/DATE/. `inputs` (the run's source files)
    are never replaced. `use_cache=False` (or BRIEFING_NO_CACHE=1) speaks and encodes every
    line afresh.
    """
    from briefing import tts
    from briefing.audio import ffmpeg, layout
    from briefing.audio.episode import make_audio
    from briefing.paths import temp_dir
    from briefing.publish import episode as published
    from briefing.publish import files
    from briefing.tts.cache import segment_cache
    from briefing.tts.lanes import default_jobs
    from briefing.tts.voices import usable
    from briefing.tts.warm import prepare, start_for_uncached

    temp_dir()
    inputs = (*inputs, *config_files(config))
    where = published.target(script, config.output_dir, output=output, inputs=inputs,
                             force=force)
    where.check()  # a source or a stranger's file in the way: say so before speaking
    synth = tts.for_config(config)
    try:
        # Most lines, so most edits, are the reader's: its engine starts before the lines
        # are even looked up (if none is new, it is stopped unused at the end).
        prepare(synth, [script.reader])
        items = speech_items(script, config)
        cache = segment_cache(use_cache)
        # the engines come up while the rest gets ready (voices checked, folders, imports)
        new_lines = start_for_uncached(items, synth, cache)
        items = usable(items, script, synth)
        ffmpeg.find_ffmpeg()  # missing ffmpeg should fail now, not after all the speaking
        files.sweep_staging(where.path.parent)
        with files.staging(where.path.parent) as tmp:
            mp3 = tmp / "episode.mp3"
            spoken = _spoken(script, items, tmp / "segments", config, synth, cache, progress)
            timeline, loudness, segments = make_audio(
                spoken, script, mp3, tmp, config, cache=cache, jobs=default_jobs(),
                expect_new=new_lines)
            _stage(progress, "Writing the episode's files")
            return published.write_episode(
                tmp, mp3, where, script, chapters=layout.chapters(script, timeline),
                cues=layout.cues(script, timeline), duration_ms=timeline.duration_ms,
                segments=segments, loudness=loudness, sources=sources, config=config)
    finally:
        synth.close()


def config_files(config: Config) -> tuple[Path, ...]:
    """The files the settings name (music bed, intro, cover...): inputs too, never replaced."""
    return source_files([config.music_bed, config.intro_audio, config.outro_audio,
                         config.cover_image, config.lexicon_file])


def source_files(sources: Sequence[str]) -> tuple[Path, ...]:
    """The sources that are files on this machine (not URLs, not "-"): never overwritten."""
    found = []
    for source in sources:
        try:
            path = Path(source).expanduser()
            if source != "-" and path.is_file():
                found.append(path)
        except (OSError, ValueError):  # a URL or a name no file system takes
            continue
    return tuple(found)


# --- the whole run ------------------------------------------------------------------------------


def make_episode(
    config: Config,
    *,
    sources: Sequence[str] = (),
    articles: Sequence[Article] | None = None,
    date: dt.date | None = None,
    output: Path | None = None,
    stdin: Any = None,
    published_sources: Sequence[str] | None = None,
    force: bool = False,
    strict: bool = False,
    progress: Progress[Any] = _no_progress,
    use_cache: bool = True,
) -> Made:
    """Every stage in order: read `sources` (or take `articles` already read), plan, render.

    Speech engines start first, in the background, so they are up by the time the script
    is written. `published_sources` names the sources in the episode's files when they are
    not `sources` (a daily run names its configured feeds). An `output` that would replace a
    source or a file not from an earlier briefing is refused before anything is read.
    """
    from briefing.dates import check_date
    from briefing.paths import temp_dir
    from briefing.publish.episode import Target
    from briefing.tts.voices import first_voices, speakable
    from briefing.tts.warm import engines_started

    if date is not None:
        check_date(date, force=True)  # too early breaks publishing; ahead is the CLI's call
    temp_dir()  # before the engines start: their workers need one too
    named = published_sources if published_sources is not None else sources
    inputs = source_files([*sources, *named])
    if output is not None:
        Target(Path(output), True, (*inputs, *config_files(config)), force).check()
    with engines_started(config, first_voices(config), date=date, use_cache=use_cache):
        found = tuple(articles) if articles is not None else read_sources(
            sources, config, stdin=stdin, strict=strict, progress=progress)
        _stage(progress, "Writing the script")
        the_plan = plan(speakable(found, config), config, date=date)
        episode = render(the_plan.script, config, output=output, sources=named, inputs=inputs,
                         force=force, progress=progress, use_cache=use_cache)
    return Made(the_plan, episode)


def make_briefing(
    sources: Sequence[str],
    *,
    output: Path | str | None = None,
    config: Config | None = None,
    date: dt.date | None = None,
    stdin: Any = None,
    progress: Progress[Any] = _no_progress,
    **overrides: Any,
) -> Episode:
    """Make a briefing MP3 from sources (paths, URLs, feeds, "-"), as `briefing make` does.

    `overrides` are Config fields (minutes=3, voice="en-gb"), applied over `config`
    (or over the layered config from files and BRIEFING_* variables when None).
    Returns the Episode: the MP3's path, duration, chapters, cues and sidecars.
    """
    config = config or load_config()
    if overrides:
        config = replace(config, **overrides)
    return make_episode(config, sources=sources, date=date, stdin=stdin,
                        output=Path(output) if output else None, progress=progress).episode
